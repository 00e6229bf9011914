"""Completeness and slot-versus-type rules, and the one-finding-per-root-cause principle:
a refused, unreadable or wrong-typed file gets no content findings and its slot no
DOCUMENT_MISSING."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from core.enums import DocType, FindingCode, Slot
from core.model import ClassifiedType, Finding, ProcessedDocument
from core.registration import Registration
from core.report import TYPE_CONFIDENCE_THRESHOLD
from tests import rulekit as k

F = FindingCode
Docs = Callable[[], list[ProcessedDocument]]
A, B, C = k.registration(), k.registration(activiteit="B"), k.c_registration()


def without(slot: Slot, base: Docs = k.a_documents) -> Docs:
    return lambda: [d for d in base() if d.slot is not slot]


def b_route(*slots: Slot) -> Docs:
    made = {
        Slot.OPLEIDINGSOVEREENKOMST: k.pok(
            slot=Slot.OPLEIDINGSOVEREENKOMST, doc_type=DocType.OPLEIDINGSOVEREENKOMST
        ),
        Slot.BEWIJS_VAN_INSCHRIJVING: k.doc(
            Slot.BEWIJS_VAN_INSCHRIJVING, DocType.BEWIJS_VAN_INSCHRIJVING, deelnemer=k.NAME
        ),
    }
    return lambda: [*without(Slot.PRAKTIJKOVEREENKOMST)(), *(made[s] for s in slots)]


def unreadable(slot: Slot) -> ProcessedDocument:
    finding = Finding.of(F.DOC_UNREADABLE, "onleesbaar", slot=slot)
    return k.doc(slot, None, findings=[finding])


CASES: list[tuple[str, F, Registration, Docs, bool]] = [
    # DOCUMENT_MISSING
    ("A complete", F.DOCUMENT_MISSING, A, k.a_documents, False),
    ("A without end payslip", F.DOCUMENT_MISSING, A, without(Slot.LOONSTROOK_EIND), True),
    ("B with study agreement and enrolment", F.DOCUMENT_MISSING, B,
     b_route(Slot.OPLEIDINGSOVEREENKOMST, Slot.BEWIJS_VAN_INSCHRIJVING), False),
    ("B with study agreement only", F.DOCUMENT_MISSING, B,
     b_route(Slot.OPLEIDINGSOVEREENKOMST), True),
    ("A may not use the B route", F.DOCUMENT_MISSING, A,
     b_route(Slot.OPLEIDINGSOVEREENKOMST, Slot.BEWIJS_VAN_INSCHRIJVING), True),
    ("C complete", F.DOCUMENT_MISSING, C, k.c_documents, False),
    ("C without declaration", F.DOCUMENT_MISSING, C,
     without(Slot.PRESTATIEVERKLARING, k.c_documents), True),
    ("unreadable file fills its slot", F.DOCUMENT_MISSING, A,
     lambda: k.replace(k.a_documents(), unreadable(Slot.PRESTATIEBEWIJS)), False),
    # DOC_WRONG_TYPE
    ("pok is a pok", F.DOC_WRONG_TYPE, A, k.a_documents, False),
    ("employment contract as pok", F.DOC_WRONG_TYPE, A,
     lambda: k.replace(k.a_documents(),
                       k.doc(Slot.PRAKTIJKOVEREENKOMST, DocType.ARBEIDSOVEREENKOMST)), True),
    ("bewijs van deelname at C", F.DOC_WRONG_TYPE, C,
     lambda: k.replace(k.c_documents(),
                       k.doc(Slot.PRESTATIEVERKLARING, DocType.BEWIJS_VAN_DEELNAME)), True),
    ("diploma in prestatiebewijs at C", F.DOC_WRONG_TYPE, C,
     lambda: [*k.c_documents(), k.diploma()], True),
    ("unsure type n/a", F.DOC_WRONG_TYPE, A,
     lambda: k.replace(k.a_documents(), k.doc(Slot.PRAKTIJKOVEREENKOMST,
                                               DocType.ARBEIDSOVEREENKOMST, confidence=0.4)),
     False),
    # DOC_TYPE_UNCERTAIN
    ("confident type", F.DOC_TYPE_UNCERTAIN, A, k.a_documents, False),
    ("onbekend", F.DOC_TYPE_UNCERTAIN, A,
     lambda: k.replace(k.a_documents(), k.doc(Slot.PRESTATIEBEWIJS, DocType.ONBEKEND)), True),
    ("low confidence", F.DOC_TYPE_UNCERTAIN, A,
     lambda: k.replace(k.a_documents(), k.diploma().model_copy(
         update={"classified": ClassifiedType(doc_type=DocType.DIPLOMA, confidence=0.5)})),
     True),
    ("unreadable file n/a", F.DOC_TYPE_UNCERTAIN, A,
     lambda: k.replace(k.a_documents(), unreadable(Slot.PRESTATIEBEWIJS)), False),
    ("unreadable file with a guessed type n/a", F.DOC_TYPE_UNCERTAIN, A,
     lambda: k.replace(k.a_documents(), k.doc(Slot.PRESTATIEBEWIJS, DocType.ONBEKEND,
                                               findings=unreadable(Slot.PRESTATIEBEWIJS).findings)),
     False),
    ("refused file of a wrong type n/a", F.DOC_WRONG_TYPE, A,
     lambda: k.replace(k.a_documents(), k.doc(
         Slot.PRAKTIJKOVEREENKOMST, DocType.ARBEIDSOVEREENKOMST,
         findings=[Finding.of(F.FILE_TYPE_NOT_ALLOWED, "geweigerd")])), False),
]  # fmt: skip


@pytest.mark.parametrize(
    ("label", "code", "reg", "docs", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_document_rules(label: str, code: F, reg: Registration, docs: Docs, expected: bool) -> None:
    assert (code in k.codes(reg, docs())) is expected


def test_missing_slot_is_named() -> None:
    found = k.findings(A, without(Slot.LOONSTROOK_EIND)())
    assert [(f.code, f.slot) for f in found] == [(F.DOCUMENT_MISSING, Slot.LOONSTROOK_EIND)]


@pytest.mark.parametrize(
    "root", [F.DOC_UNREADABLE, F.FILE_UNREADABLE, F.FILE_TYPE_NOT_ALLOWED, F.DOC_WRONG_TYPE]
)
def test_root_cause_file_gets_no_content_findings(root: F) -> None:
    """A POK full of errors behind a root cause yields only that root cause."""
    bad = k.pok(crebo="99999", startdatum="2020-01-01", deelnemer=None, bpv_omvang=None,
                signature_count=1)  # fmt: skip
    if root is F.DOC_WRONG_TYPE:
        bad = bad.model_copy(
            update={"classified": ClassifiedType(doc_type=DocType.DIPLOMA, confidence=0.9)}
        )
    else:
        bad.findings.append(Finding.of(root, "kapot", slot=bad.slot, file=bad.file))
    found = k.findings(A, k.replace(k.a_documents(), bad))
    assert {f.code for f in found} <= {F.DOC_WRONG_TYPE}
    assert F.DOCUMENT_MISSING not in {f.code for f in found}
    assert [f.code for f in found] == ([F.DOC_WRONG_TYPE] if root is F.DOC_WRONG_TYPE else [])


def test_uncertain_onbekend_document_gets_no_content_findings() -> None:
    unsure = k.doc(Slot.PRAKTIJKOVEREENKOMST, DocType.ONBEKEND)
    assert k.codes(A, k.replace(k.a_documents(), unsure)) == {F.DOC_TYPE_UNCERTAIN}


def test_single_upload_skips_completeness() -> None:
    assert k.codes(A, [k.pok()], single_upload=True) == set()
    assert F.DOCUMENT_MISSING in k.codes(A, [k.pok()])


WRONG: list[tuple[Registration, Slot, DocType, str]] = [
    (A, Slot.PRAKTIJKOVEREENKOMST, DocType.ARBEIDSOVEREENKOMST,
     "Een arbeidsovereenkomst is geen praktijkovereenkomst"),
    (A, Slot.PRAKTIJKOVEREENKOMST, DocType.DIPLOMA,
     "In het vakje praktijkovereenkomst (leerwerkovereenkomst) is een diploma geüpload"),
    (A, Slot.LOONSTROOK_START, DocType.ARBEIDSOVEREENKOMST,
     "In het vakje loonstrook start is een arbeidsovereenkomst geüpload"),
    (A, Slot.PRESTATIEBEWIJS, DocType.PRESTATIEVERKLARING,
     "In het vakje prestatiebewijs is een prestatieverklaring geüpload"),
    (C, Slot.PRESTATIEBEWIJS, DocType.DIPLOMA,
     "Bij activiteit C is alleen de prestatieverklaring geldig"),
    (C, Slot.LOONSTROOK_START, DocType.ARBEIDSOVEREENKOMST,
     "In het vakje loonstrook start is een arbeidsovereenkomst geüpload"),
]  # fmt: skip


@pytest.mark.parametrize(("reg", "slot", "doc_type", "says"), WRONG)
def test_wrong_type_message_fits_the_slot(
    reg: Registration, slot: Slot, doc_type: DocType, says: str
) -> None:
    base = k.a_documents() if reg.activiteit.value in "AB" else k.c_documents()
    found = k.findings(reg, k.replace(base, k.doc(slot, doc_type)))
    [wrong] = [f for f in found if f.code is F.DOC_WRONG_TYPE]
    assert says in wrong.message
    assert (wrong.found, wrong.slot) == (doc_type.value, slot)


def test_a_type_at_the_confidence_threshold_counts_as_known() -> None:
    """CONTRACT: DOC_TYPE_UNCERTAIN when no type *reaches* the threshold."""
    at, below = TYPE_CONFIDENCE_THRESHOLD, TYPE_CONFIDENCE_THRESHOLD - 0.01
    contract = DocType.ARBEIDSOVEREENKOMST
    known = ClassifiedType(doc_type=DocType.DIPLOMA, confidence=at)
    diploma = k.diploma().model_copy(update={"classified": known})
    assert k.codes(A, k.replace(k.a_documents(), diploma)) == set()
    wrong = k.doc(Slot.PRAKTIJKOVEREENKOMST, contract, confidence=at)
    assert k.codes(A, k.replace(k.a_documents(), wrong)) == {F.DOC_WRONG_TYPE}
    unsure = k.doc(Slot.PRAKTIJKOVEREENKOMST, contract, confidence=below)
    assert k.codes(A, k.replace(k.a_documents(), unsure)) == {F.DOC_TYPE_UNCERTAIN}
