"""Rules on the proof of performance: the diploma's date, and the performance declaration's
letterhead, trainer's name and signatures (present, not too early, not too late)."""

from __future__ import annotations

import pytest

from core.enums import DocType, FindingCode
from core.model import ProcessedDocument
from core.registration import Registration
from tests import rulekit as k

F = FindingCode


def signed(deelnemer: str, docent: str) -> list[dict[str, str]]:
    return [{"rol": "deelnemer", "datum": deelnemer}, {"rol": "docent", "datum": docent}]


C = k.c_registration()
A = k.registration()

CASES: list[tuple[str, F, Registration, ProcessedDocument, bool]] = [
    # DIPLOMA_OUTSIDE_PERIOD
    ("diploma within the period", F.DIPLOMA_OUTSIDE_PERIOD, A, k.diploma(), False),
    ("diploma after the end", F.DIPLOMA_OUTSIDE_PERIOD, A,
     k.diploma(diploma_datum="2025-11-03"), True),
    ("diploma before the start", F.DIPLOMA_OUTSIDE_PERIOD, A,
     k.diploma(diploma_datum="2024-06-30"), True),
    ("bewijs van deelname n/a", F.DIPLOMA_OUTSIDE_PERIOD, A,
     k.diploma(doc_type=DocType.BEWIJS_VAN_DEELNAME, diploma_datum="2025-11-03"), False),
    # LETTERHEAD_MISSING
    ("external with logo", F.LETTERHEAD_MISSING, C, k.declaration(), False),
    ("external with stamp only", F.LETTERHEAD_MISSING, C,
     k.declaration(logo_present=False, stamp_present=True), False),
    ("external without logo or stamp", F.LETTERHEAD_MISSING, C,
     k.declaration(logo_present=False, stamp_present=False), True),
    ("internal training n/a", F.LETTERHEAD_MISSING, k.c_registration(extern=False),
     k.declaration(logo_present=False, stamp_present=False), False),
    ("marks not extracted n/a", F.LETTERHEAD_MISSING, C,
     k.declaration(logo_present=None, stamp_present=None), False),
    # TRAINER_NAME_MISSING
    ("trainer named", F.TRAINER_NAME_MISSING, C, k.declaration(), False),
    ("trainer missing", F.TRAINER_NAME_MISSING, C, k.declaration(opleider=k.ABSENT), True),
    ("trainer n/a on a diploma", F.TRAINER_NAME_MISSING, A, k.diploma(), False),
    # SIGNATURES_MISSING (declaration)
    ("both signed", F.SIGNATURES_MISSING, C, k.declaration(), False),
    ("teacher did not sign", F.SIGNATURES_MISSING, C,
     k.declaration(handtekeningen=[{"rol": "deelnemer", "datum": "2024-12-16"}]), True),
    ("one signature counted", F.SIGNATURES_MISSING, C,
     k.declaration(handtekeningen=None, signature_count=1), True),
    # as many signatures seen as roles, one role not recognised: whose is unknown, review
    ("teacher's row not recognised, three signatures", F.SIGNATURES_MISSING, C,
     k.declaration(handtekeningen=[{"rol": "deelnemer", "datum": "2024-12-16"}],
                   signature_count=3), False),
    ("teacher's row not recognised: review", F.FIELD_NOT_FOUND, C,
     k.declaration(handtekeningen=[{"rol": "deelnemer", "datum": "2024-12-16"}],
                   signature_count=3), True),
    ("teacher did not sign, one signature seen", F.SIGNATURES_MISSING, C,
     k.declaration(handtekeningen=[{"rol": "deelnemer", "datum": "2024-12-16"}],
                   signature_count=1), True),
    ("both recognised: nothing to review", F.FIELD_NOT_FOUND, C,
     k.declaration(signature_count=2), False),
    ("two signatures counted", F.SIGNATURES_MISSING, C,
     k.declaration(handtekeningen=None, signature_count=2), False),
    ("signatures not extracted n/a", F.SIGNATURES_MISSING, C,
     k.declaration(handtekeningen=None), False),
    # SIGNED_TOO_EARLY
    ("signed on the last day", F.SIGNED_TOO_EARLY, C,
     k.declaration(handtekeningen=signed("2024-12-13", "2024-12-13")), False),
    ("participant signed before the end", F.SIGNED_TOO_EARLY, C,
     k.declaration(handtekeningen=signed("2024-12-06", "2024-12-16")), True),
    ("no dated signatures n/a", F.SIGNED_TOO_EARLY, C,
     k.declaration(handtekeningen=None, signature_count=2), False),
    # SIGNED_TOO_LATE
    ("participant on day 14, teacher on day 28", F.SIGNED_TOO_LATE, C,
     k.declaration(handtekeningen=signed("2024-12-27", "2025-01-10")), False),
    ("participant on day 15", F.SIGNED_TOO_LATE, C,
     k.declaration(handtekeningen=signed("2024-12-28", "2024-12-20")), True),
    ("teacher on day 29", F.SIGNED_TOO_LATE, C,
     k.declaration(handtekeningen=signed("2024-12-16", "2025-01-11")), True),
    ("no dated signatures n/a ", F.SIGNED_TOO_LATE, C,
     k.declaration(handtekeningen=None, signature_count=2), False),
]  # fmt: skip


@pytest.mark.parametrize(
    ("label", "code", "reg", "new", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_performance_rules(
    label: str, code: F, reg: Registration, new: ProcessedDocument, expected: bool
) -> None:
    base = k.a_documents() if reg.activiteit.value in "AB" else k.c_documents()
    assert (code in k.codes(reg, k.replace(base, new))) is expected


def test_signing_uses_the_registered_end_when_the_declaration_has_none() -> None:
    late = k.declaration(training_einddatum=None, handtekeningen=signed("2025-01-20", "2024-12-20"))
    assert F.SIGNED_TOO_LATE in k.codes(C, k.replace(k.c_documents(), late))


def test_a_training_end_not_found_sends_the_declaration_to_review() -> None:
    unread = k.declaration(training_einddatum=None)
    assert F.FIELD_NOT_FOUND in k.codes(C, k.replace(k.c_documents(), unread))
    assert F.FIELD_NOT_FOUND not in k.codes(C, k.c_documents())
