"""The rules every activity (A–E) shares, each shown passing, failing and not applicable at each
activity: the start payslip's month (with the payslip's employment date when the registration
has none), anonymisation, employer, the participant's name, the target group, the KvK extract,
digital signatures and signs of editing, the document type; then completeness, the type a slot
accepts and the diploma's date, which differ between A/B and C/D/E.

Dates by hand: the A and B registrations start 01-09-2024 and end 31-07-2025, the C, D and E
ones start 02-09-2024; employed since 15-08-2024 (nieuwe instroom) unless a case says
otherwise. Two years before 02-09-2024 is 02-09-2022 (exactly two years: no longer nieuwe
instroom, RULES.md "employed < 2 years"); 03-09-2022 is a day short of it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from core.enums import DocType, FindingCode, Slot
from core.model import ClassifiedType, Finding, ProcessedDocument
from tests import rulekit as k

F = FindingCode
START = Slot.LOONSTROOK_START
BAD_SIGNATURE = {"field": "Handtekening1", "signer": "J. de Vries", "valid": False,
                 "reason": "het document is na ondertekening gewijzigd"}  # fmt: skip
GOOD_SIGNATURE = {**BAD_SIGNATURE, "valid": True, "reason": None}
LAYER = {"soort": "tekstlaag", "reden": "Twee teksten op één plek.", "page": 1,
         "bbox": [0.1, 0.1, 0.3, 0.12], "tekstlaag": "oktober", "zichtbaar": "sept"}  # fmt: skip
AFTER_SIGNING = {"soort": "na_ondertekening", "reden": "gewijzigd", "page": None, "bbox": None}
# all start on 02-09-2024: the two-year boundary is the same date at every activity
ON_2_SEPT = {"startdatum": date(2024, 9, 2)}


def unsure(confidence: float, doc_type: DocType = DocType.LOONSTROOK) -> ProcessedDocument:
    slip = k.payslip(START)
    return slip.model_copy(
        update={"classified": ClassifiedType(doc_type=doc_type, confidence=confidence)}
    )


# code, label, registration changes, the document put in its slot (None: none), found
Case = tuple[F, str, dict[str, Any], ProcessedDocument | None, bool]
CASES: list[Case] = [
    (F.PAYSLIP_MONTH_MISMATCH, "start slip of the start month", {}, k.payslip(START), False),
    (F.PAYSLIP_MONTH_MISMATCH, "start slip a month late", {},
     k.payslip(START, loonstrook_maand="2024-10"), True),
    (F.PAYSLIP_MONTH_MISMATCH, "start slip a month early", {},
     k.payslip(START, loonstrook_maand="2024-08"), True),
    (F.PAYSLIP_MONTH_MISMATCH, "employed after the start: that month", {"datum_in_dienst":
     date(2024, 11, 4)}, k.payslip(START, loonstrook_maand="2024-11"), False),
    (F.PAYSLIP_MONTH_MISMATCH, "unregistered employment date read from the slip",
     {"datum_in_dienst": None},
     k.payslip(START, loonstrook_maand="2024-11", datum_in_dienst="2024-11-04"), False),
    (F.PAYSLIP_MONTH_MISMATCH, "slip's later employment date: the start month is wrong",
     {"datum_in_dienst": None},
     k.payslip(START, loonstrook_maand="2024-09", datum_in_dienst="2024-11-04"), True),
    (F.PAYSLIP_MONTH_MISMATCH, "the registered employment date goes before the slip's", {},
     k.payslip(START, loonstrook_maand="2024-09", datum_in_dienst="2024-11-04"), False),
    (F.PAYSLIP_MONTH_MISMATCH, "no employment date anywhere: the start month",
     {"datum_in_dienst": None}, k.payslip(START, datum_in_dienst=None), False),
    (F.PAYSLIP_MONTH_MISMATCH, "month not read n/a", {},
     k.payslip(START, loonstrook_maand=None), False),
    (F.PAYSLIP_NOT_ANONYMISED, "no bsn", {}, None, False),
    (F.PAYSLIP_NOT_ANONYMISED, "bsn readable", {}, k.payslip(START, bsn_present=True), True),
    (F.PAYSLIP_NOT_ANONYMISED, "bsn not checked n/a", {},
     k.payslip(START, bsn_present=None), False),
    (F.PAYSLIP_EMPLOYER_MISMATCH, "the registered employer", {}, None, False),
    (F.PAYSLIP_EMPLOYER_MISMATCH, "another employer", {},
     k.payslip(START, werkgever="Thuiszorg Zuid B.V."), True),
    (F.PAYSLIP_EMPLOYER_MISMATCH, "employer not read n/a", {},
     k.payslip(START, werkgever=None), False),
    (F.PARTICIPANT_NOT_FOUND, "the participant's payslip", {}, None, False),
    (F.PARTICIPANT_NOT_FOUND, "another person's payslip", {},
     k.payslip(START, deelnemer="Piet Jansen"), True),
    (F.PARTICIPANT_NOT_FOUND, "kvk extract carries no name n/a", {}, k.kvk(), False),
    (F.TARGET_GROUP_MISMATCH, "nieuwe instroom employed two weeks", {}, None, False),
    (F.TARGET_GROUP_MISMATCH, "nieuwe instroom a day short of two years",
     {**ON_2_SEPT, "datum_in_dienst": date(2022, 9, 3)}, None, False),
    (F.TARGET_GROUP_MISMATCH, "nieuwe instroom employed exactly two years",
     {**ON_2_SEPT, "datum_in_dienst": date(2022, 9, 2)}, None, True),
    (F.TARGET_GROUP_MISMATCH, "opscholing employed exactly two years",
     {**ON_2_SEPT, "doelgroep": "opscholing", "datum_in_dienst": date(2022, 9, 2)}, None, False),
    (F.TARGET_GROUP_MISMATCH, "opscholing a day short of two years",
     {**ON_2_SEPT, "doelgroep": "opscholing", "datum_in_dienst": date(2022, 9, 3)}, None, True),
    (F.TARGET_GROUP_MISMATCH, "employment date from the slip", {"datum_in_dienst": None},
     k.payslip(START, datum_in_dienst="2015-01-01"), True),
    (F.TARGET_GROUP_MISMATCH, "praktijkopleider n/a",
     {"doelgroep": "praktijkopleider", "datum_in_dienst": date(2015, 1, 1)}, None, False),
    (F.TARGET_GROUP_MISMATCH, "no employment date anywhere n/a", {"datum_in_dienst": None},
     k.payslip(START, datum_in_dienst=None), False),
    (F.KVK_EXTRACT_TOO_OLD, "extract of 01-01-2024", {}, k.kvk(kvk_datum="2024-01-01"), False),
    (F.KVK_EXTRACT_TOO_OLD, "extract of 31-12-2023", {}, k.kvk(kvk_datum="2023-12-31"), True),
    (F.KVK_EXTRACT_TOO_OLD, "date not read n/a", {}, k.kvk(kvk_datum=None), False),
    (F.SIGNATORY_NOT_ON_KVK, "signatory among the directors", {"tekenbevoegde": "P.J. Bakker"},
     k.kvk(), False),
    (F.SIGNATORY_NOT_ON_KVK, "signatory not on the extract", {"tekenbevoegde": "A. Smit"},
     k.kvk(), True),
    (F.SIGNATORY_NOT_ON_KVK, "no signatory registered n/a", {}, k.kvk(), False),
    (F.DIGITAL_SIGNATURE_INVALID, "valid signature", {},
     k.payslip(START, digital_signatures=[GOOD_SIGNATURE]), False),
    (F.DIGITAL_SIGNATURE_INVALID, "changed after signing", {},
     k.payslip(START, digital_signatures=[GOOD_SIGNATURE, BAD_SIGNATURE]), True),
    (F.DIGITAL_SIGNATURE_INVALID, "unsigned n/a", {}, None, False),
    (F.TAMPERING_SUSPECTED, "no signs of editing", {}, k.payslip(START, tampering=[]), False),
    (F.TAMPERING_SUSPECTED, "two texts at one place", {},
     k.payslip(START, tampering=[LAYER]), True),
    (F.TAMPERING_SUSPECTED, "changed after signing is the signature's n/a", {},
     k.payslip(START, tampering=[AFTER_SIGNING]), False),
    (F.DOC_TYPE_UNCERTAIN, "confident type", {}, None, False),
    (F.DOC_TYPE_UNCERTAIN, "low confidence", {}, unsure(0.5), True),
    (F.DOC_TYPE_UNCERTAIN, "onbekend", {}, unsure(0.95, DocType.ONBEKEND), True),
    (F.DOC_TYPE_UNCERTAIN, "unreadable file n/a", {},
     k.doc(START, None, findings=[Finding.of(F.DOC_UNREADABLE, "onleesbaar", slot=START)]),
     False),
]  # fmt: skip


def cases() -> Iterator[tuple[str, F, str, dict[str, Any], ProcessedDocument | None, bool]]:
    for act in k.ACTIVITIES:
        for code, label, reg, new, expected in CASES:
            yield f"{act}: {code.value}: {label}", code, act, reg, new, expected


ALL = list(cases())


@pytest.mark.parametrize(
    ("label", "code", "activity", "reg", "new", "expected"), ALL, ids=[c[0] for c in ALL]
)
def test_rules_of_every_activity(
    label: str,
    code: F,
    activity: str,
    reg: dict[str, Any],
    new: ProcessedDocument | None,
    expected: bool,
) -> None:
    docs = k.documents(activity)
    if new is not None:
        docs = k.replace(docs, new)
    assert (code in k.codes(k.for_activity(activity, **reg), docs)) is expected


def test_every_code_passes_fails_and_is_not_applicable() -> None:
    for code in {c[0] for c in CASES}:
        seen = {(c[4], "n/a" in c[1]) for c in CASES if c[0] is code}
        assert {(True, False), (False, False), (False, True)} <= seen, code


def test_clean_documents_of_every_activity_get_no_findings() -> None:
    for act in k.ACTIVITIES:
        assert k.findings(k.for_activity(act), k.documents(act)) == [], act


def without(activity: str, slot: Slot) -> list[ProcessedDocument]:
    return [d for d in k.documents(activity) if d.slot is not slot]


def proof(activity: str, new: ProcessedDocument) -> set[F]:
    return k.codes(k.for_activity(activity), k.replace(k.documents(activity), new))


@pytest.mark.parametrize("activity", k.ACTIVITIES)
def test_completeness_and_slot_types(activity: str) -> None:
    reg = k.for_activity(activity)
    assert F.DOCUMENT_MISSING in k.codes(reg, without(activity, START))
    assert F.DOCUMENT_MISSING not in k.codes(reg, [k.pok()], single_upload=True)  # n/a
    end_slip = F.DOCUMENT_MISSING in k.codes(reg, without(activity, Slot.LOONSTROOK_EIND))
    assert end_slip is (activity in k.AB_ACTIVITIES)  # C, D, E: the start payslip only
    if activity in k.AB_ACTIVITIES:
        assert F.DOCUMENT_MISSING in k.codes(reg, without(activity, Slot.PRESTATIEBEWIJS))
        assert proof(activity, k.diploma()) == set()
        assert F.DOC_WRONG_TYPE in proof(activity, k.declaration(slot=Slot.PRESTATIEBEWIJS))
        return
    assert F.DOCUMENT_MISSING in k.codes(reg, without(activity, Slot.PRESTATIEVERKLARING))
    moved = [*without(activity, Slot.PRESTATIEVERKLARING),
             k.declaration(slot=Slot.PRESTATIEBEWIJS)]  # fmt: skip
    assert k.codes(reg, moved) == set()  # the declaration counts in either slot
    for wrong in (k.diploma(), k.doc(Slot.PRESTATIEVERKLARING, DocType.BEWIJS_VAN_DEELNAME)):
        found = [f for f in k.findings(reg, k.replace(k.documents(activity), wrong))]
        assert [f.code for f in found] == [F.DOC_WRONG_TYPE]
        assert f"activiteit {activity}" in found[0].message


# DIPLOMA_OUTSIDE_PERIOD at A and B: the period is 01-09-2024 up to and including 31-07-2025.
DIPLOMA_DATES = [("2024-09-01", False), ("2024-08-31", True), ("2025-07-31", False),
                 ("2025-08-01", True)]  # fmt: skip


@pytest.mark.parametrize("activity", k.ACTIVITIES)
@pytest.mark.parametrize(("dated", "outside"), DIPLOMA_DATES)
def test_diploma_period(activity: str, dated: str, outside: bool) -> None:
    found = proof(activity, k.diploma(diploma_datum=dated))
    if activity in k.AB_ACTIVITIES:
        assert (F.DIPLOMA_OUTSIDE_PERIOD in found) is outside
        participation = k.diploma(doc_type=DocType.BEWIJS_VAN_DEELNAME, diploma_datum=dated)
        assert F.DIPLOMA_OUTSIDE_PERIOD not in proof(activity, participation)  # n/a
    else:  # a diploma is no evidence at C, D, E: its wrong type is the only finding (n/a)
        assert found == {F.DOC_WRONG_TYPE}


def test_editing_evidence_shows_the_text_layer_or_else_the_kind() -> None:
    other = {"soort": "incrementele_update", "reden": "Later bewerkt.", "page": None, "bbox": None}
    for sign, found, expected in ((LAYER, "oktober", "sept"), (other, "incrementele_update", None)):
        docs = k.replace(k.a_documents(), k.payslip(START, tampering=[sign]))
        [edited] = [f for f in k.findings(k.registration(), docs)
                    if f.code is F.TAMPERING_SUSPECTED]  # fmt: skip
        assert (edited.found, edited.expected, edited.page) == (found, expected, sign["page"])
