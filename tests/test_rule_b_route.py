"""Activity B (HBO duaal): with a practice agreement it is checked as A; without one, a study or
training agreement (opleidingsovereenkomst) plus the school's proof of enrolment is accepted
(RULES.md "Documents": "then a study or training agreement plus proof of enrolment"). On that
route the education (crebo, name) and the dates are compared as on a practice agreement, but
what only a practice agreement must show (crebo, BPV volume, the three parties and their three
signatures) is not asked. Each code: passes, fails, not applicable."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from core.enums import FindingCode, Slot
from core.model import ProcessedDocument
from core.registration import Registration
from tests import rulekit as k

F = FindingCode
Docs = Callable[[], list[ProcessedDocument]]
B = k.registration(activiteit="B")


def route(new: ProcessedDocument) -> Docs:
    """The clean B route with `new` in its slot."""
    return lambda: k.replace(k.b_route_documents(), new)


def with_pok(new: ProcessedDocument) -> Docs:
    """B with a practice agreement (the A documents) and `new` in its slot."""
    return lambda: k.replace(k.a_documents(), new)


CASES: list[tuple[str, F, Registration, Docs, bool]] = [
    # CREBO_MISMATCH: compared on the study agreement too
    ("ook crebo equal", F.CREBO_MISMATCH, B, k.b_route_documents, False),
    ("ook crebo differs", F.CREBO_MISMATCH, B, route(k.study_agreement(crebo="25498")), True),
    ("ook without crebo n/a", F.CREBO_MISMATCH, B, route(k.study_agreement(crebo=None)), False),
    ("ook crebo n/a without registered crebo", F.CREBO_MISMATCH, k.registration(
        activiteit="B", crebo=None), route(k.study_agreement(crebo="25498")), False),
    ("enrolment crebo is not compared", F.CREBO_MISMATCH, B, route(k.enrolment(crebo="25498")),
     False),
    ("B pok crebo differs", F.CREBO_MISMATCH, B, with_pok(k.pok(crebo="25498")), True),
    # CREBO_MISSING: only the practice agreement must show one
    ("ook without crebo is no pok", F.CREBO_MISSING, B, route(k.study_agreement(crebo=None)),
     False),
    ("B pok without crebo", F.CREBO_MISSING, B, with_pok(k.pok(crebo=k.ABSENT)), True),
    ("B pok with crebo", F.CREBO_MISSING, B, k.a_documents, False),
    # EDUCATION_MISMATCH
    ("ook education spelled differently", F.EDUCATION_MISMATCH, B,
     route(k.study_agreement(opleiding="Verzorgende IG niveau 3")), False),
    ("ook education other", F.EDUCATION_MISMATCH, B,
     route(k.study_agreement(opleiding="Praktijkondersteuner huisarts GGZ")), True),
    ("ook education n/a without registered name", F.EDUCATION_MISMATCH,
     k.registration(activiteit="B", opleiding=None), route(k.study_agreement(opleiding="Kok")),
     False),
    ("B pok education other", F.EDUCATION_MISMATCH, B, with_pok(k.pok(opleiding="Kok")), True),
    # START_DATE_MISMATCH / END_DATE_MISMATCH on the study agreement
    ("ook start equal", F.START_DATE_MISMATCH, B, k.b_route_documents, False),
    ("ook start differs", F.START_DATE_MISMATCH, B,
     route(k.study_agreement(startdatum="2024-09-02")), True),
    ("ook start not read n/a", F.START_DATE_MISMATCH, B,
     route(k.study_agreement(startdatum=None)), False),
    ("ook end equal", F.END_DATE_MISMATCH, B, k.b_route_documents, False),
    ("ook end differs", F.END_DATE_MISMATCH, B,
     route(k.study_agreement(einddatum="2025-07-30")), True),
    ("ook end n/a: V4 registered 31-12-2025", F.END_DATE_MISMATCH,
     k.registration(activiteit="B", einddatum=date(2025, 12, 31)),
     route(k.study_agreement(einddatum="2025-07-31")), False),
    # SIGNATURES_MISSING: three signatures are the practice agreement's
    ("ook two signatures is no pok", F.SIGNATURES_MISSING, B,
     route(k.study_agreement(signature_count=2)), False),
    ("ook no signature counted is no pok", F.SIGNATURES_MISSING, B,
     route(k.study_agreement(signature_count=0)), False),
    ("B pok two signatures", F.SIGNATURES_MISSING, B, with_pok(k.pok(signature_count=2)), True),
    ("B pok three signatures", F.SIGNATURES_MISSING, B, k.a_documents, False),
    ("B next year's pok as proof, two signatures", F.SIGNATURES_MISSING, B,
     with_pok(k.pok(slot=Slot.PRESTATIEBEWIJS, signature_count=2)), True),
    # BPV_VOLUME_MISSING and PARTY_MISSING: not on the study agreement
    ("ook without bpv n/a", F.BPV_VOLUME_MISSING, B, route(k.study_agreement(bpv_omvang=None)),
     False),
    ("B pok without bpv", F.BPV_VOLUME_MISSING, B, with_pok(k.pok(bpv_omvang=k.ABSENT)), True),
    ("ook without school n/a", F.PARTY_MISSING, B,
     route(k.study_agreement(onderwijsinstelling=None)), False),
    ("B pok without school", F.PARTY_MISSING, B,
     with_pok(k.pok(onderwijsinstelling=k.ABSENT)), True),
    # PARTICIPANT_NOT_FOUND on both route documents
    ("enrolment of the participant", F.PARTICIPANT_NOT_FOUND, B, k.b_route_documents, False),
    ("enrolment of another person", F.PARTICIPANT_NOT_FOUND, B,
     route(k.enrolment(deelnemer="Piet Jansen")), True),
    ("ook without the participant", F.PARTICIPANT_NOT_FOUND, B,
     route(k.study_agreement(deelnemer=k.ABSENT)), True),
    ("ook's participant not read: review", F.FIELD_NOT_FOUND, B,
     route(k.study_agreement(deelnemer=None)), True),
    # DOCUMENT_MISSING: the route is complete only with both halves
    ("B route complete", F.DOCUMENT_MISSING, B, k.b_route_documents, False),
    ("B route without enrolment", F.DOCUMENT_MISSING, B,
     lambda: [d for d in k.b_route_documents() if d.slot is not Slot.BEWIJS_VAN_INSCHRIJVING],
     True),
    ("B route without study agreement", F.DOCUMENT_MISSING, B,
     lambda: [d for d in k.b_route_documents() if d.slot is not Slot.OPLEIDINGSOVEREENKOMST],
     True),
]  # fmt: skip


@pytest.mark.parametrize(
    ("label", "code", "reg", "docs", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_b_route_rules(label: str, code: F, reg: Registration, docs: Docs, expected: bool) -> None:
    assert (code in k.codes(reg, docs())) is expected


def test_the_clean_b_route_gets_no_findings() -> None:
    assert k.findings(B, k.b_route_documents()) == []
    assert k.findings(B, k.a_documents()) == []


def test_a_study_agreement_of_another_education_names_it() -> None:
    other = k.study_agreement(crebo="25498", opleiding="Kok")
    found = {f.code: f for f in k.findings(B, k.replace(k.b_route_documents(), other))}
    assert set(found) == {F.CREBO_MISMATCH, F.EDUCATION_MISMATCH}
    crebo = found[F.CREBO_MISMATCH]
    assert (crebo.expected, crebo.found, crebo.slot) == ("25491", "25498", other.slot)
    assert "opleidingsovereenkomst" in crebo.message
    assert "'Kok'" in found[F.EDUCATION_MISMATCH].message


def test_a_missing_agreement_at_b_offers_the_route() -> None:
    docs = [d for d in k.a_documents() if d.slot is not Slot.PRAKTIJKOVEREENKOMST]
    [missing] = k.findings(B, docs)
    assert (missing.code, missing.slot) == (F.DOCUMENT_MISSING, Slot.PRAKTIJKOVEREENKOMST)
    assert "opleidingsovereenkomst" in missing.message and "inschrijving" in missing.message
    [at_a] = k.findings(k.registration(), docs)
    assert "inschrijving" not in at_a.message
