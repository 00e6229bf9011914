"""A mismatch needs a value read well enough to contradict the registration: the same
conflicting value read below the field threshold (OCR barely saw it) raises no finding, and the
uncertain field sends the registration to review instead (core.report.is_uncertain)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from core.enums import DocType, FindingCode, Slot
from core.fields import FieldName
from core.model import FieldValue, Hints, ProcessedDocument
from core.report import is_uncertain, report_document
from extractors.fields import extract_fields
from tests import rulekit as k
from tests.test_kv_reading import document, page

F = FindingCode
START = Slot.LOONSTROOK_START
UNSURE = 0.27  # "GELEWES ere)" read off a photographed letterhead band

# (code, field, a document builder, the conflicting value, the registration's value)
CASES: list[tuple[F, str, Callable[..., ProcessedDocument], str, str]] = [
    (F.START_DATE_MISMATCH, "startdatum", k.pok, "2024-10-01", "2024-09-01"),
    (F.END_DATE_MISMATCH, "einddatum", k.pok, "2025-06-30", "2025-07-31"),
    (F.CREBO_MISMATCH, "crebo", k.pok, "25480", "25491"),
    (F.EDUCATION_MISMATCH, "opleiding", k.pok, "Helpende Zorg en Welzijn", "Verzorgende IG"),
    (F.DIPLOMA_OUTSIDE_PERIOD, "diploma_datum", k.diploma, "2026-02-01", "2025-07-10"),
    (F.PAYSLIP_MONTH_MISMATCH, "loonstrook_maand", lambda **c: k.payslip(START, **c),
     "2024-10", "2024-09"),
    (F.PAYSLIP_EMPLOYER_MISMATCH, "werkgever", lambda **c: k.payslip(START, **c),
     "Thuiszorg Zuid B.V.", "Zorggroep Noord"),
    (F.TARGET_GROUP_MISMATCH, "datum_in_dienst", lambda **c: k.payslip(START, **c),
     "2015-01-01", "2024-08-15"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("code", "field", "build", "conflicting", "agreeing"), CASES, ids=[c[0].value for c in CASES]
)
def test_a_mismatch_needs_a_value_read_surely(
    code: F,
    field: str,
    build: Callable[..., ProcessedDocument],
    conflicting: str,
    agreeing: str,
) -> None:
    reg = k.registration(datum_in_dienst=None)
    doc = build(**{field: conflicting})
    docs = k.replace(k.a_documents(), doc)
    assert code in k.codes(reg, docs)  # read surely: the finding stands
    doc.fields[field].confidence = UNSURE
    assert code not in k.codes(reg, docs)  # barely read: no proof of a mismatch
    assert is_uncertain(report_document(doc).model_copy(update={"pages": 1}))  # -> review
    agree = build(**{field: agreeing})
    agree.fields[field].confidence = UNSURE
    assert code not in k.codes(reg, k.replace(k.a_documents(), agree))  # n/a: it agrees


def test_a_name_mostly_read_is_not_found_rather_than_absent() -> None:
    """ "Emily Coreth von und zu Coredo und StarRariode:": OCR ran the surname into the next
    label. Most of the name's words are on the line: "nobody named" is no sure reading, so no
    PARTICIPANT_NOT_FOUND but review. A page naming somebody else entirely still proves the
    registered participant is not named (failing); the name whole is found (passing)."""
    registered = "Emily Coreth von und zu Coredo und Starkenberg"

    def deelnemer(row: str) -> FieldValue:
        text = page((20, 20, "Loonstrook"), (20, 40, "Werknemer:"), (60, 40, row))
        doc = document([w for line in text.lines for w in line.words])
        fields = extract_fields(doc, DocType.LOONSTROOK, Hints(participant=registered))
        return fields[FieldName.DEELNEMER]

    reg = k.registration(deelnemer=registered)
    for row, value, rejected in (
        ("Emily Coreth von und zu Coredo und StarRariode:", None, False),
        ("Piet Jansen", "Piet Jansen", True),
        (registered, registered, False),
    ):
        fv = deelnemer(row)
        assert fv.value == value
        slip = k.payslip(START, deelnemer=value)
        slip.fields[FieldName.DEELNEMER] = fv
        found = k.findings(reg, k.replace(k.a_documents(), slip))
        on_slip = {f.code for f in found if f.document_id == slip.document_id}
        assert (F.PARTICIPANT_NOT_FOUND in on_slip) is rejected
