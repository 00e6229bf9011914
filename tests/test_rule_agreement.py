"""Rules on the practice agreement (and the other education documents): participant, crebo,
education, dates, BPV volume, parties and signatures. Each code: passes, fails, not applicable."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from core.enums import DocType, FindingCode, Slot
from core.model import ProcessedDocument
from core.registration import Registration
from tests import rulekit as k


def unsure(doc: ProcessedDocument, name: str) -> ProcessedDocument:
    """`doc` with its field `name` read below the confidence threshold."""
    doc.fields[name] = doc.fields[name].model_copy(update={"confidence": 0.45})
    return doc


F = FindingCode
Docs = Callable[[], list[ProcessedDocument]]


def with_doc(new: ProcessedDocument) -> Docs:
    return lambda: k.replace(k.a_documents(), new)


def educations(on_agreement: str) -> Docs:
    """The A documents of an Apothekersassistent: the diploma names it, the agreement
    `on_agreement`."""
    diploma = k.diploma(opleiding="Apothekersassistent")
    return lambda: k.replace(k.replace(k.a_documents(), diploma), k.pok(opleiding=on_agreement))


CASES: list[tuple[str, F, Registration, Docs, bool]] = [
    # PARTICIPANT_NOT_FOUND
    ("participant initials", F.PARTICIPANT_NOT_FOUND, k.registration(),
     with_doc(k.pok(deelnemer="J. de Vries")), False),
    ("participant surname first", F.PARTICIPANT_NOT_FOUND, k.registration(),
     with_doc(k.payslip(deelnemer="Vries, Jan de")), False),
    ("participant absent", F.PARTICIPANT_NOT_FOUND, k.registration(),
     with_doc(k.pok(deelnemer=k.ABSENT)), True),
    # not read at all (OCR left ink unread): no proof, a reviewer looks
    ("participant not read: no rejection", F.PARTICIPANT_NOT_FOUND, k.registration(),
     with_doc(k.pok(deelnemer=None)), False),
    ("participant not read: review", F.FIELD_NOT_FOUND, k.registration(),
     with_doc(k.diploma(deelnemer=None)), True),
    ("participant other person", F.PARTICIPANT_NOT_FOUND, k.registration(),
     with_doc(k.diploma(deelnemer="Piet Jansen")), True),
    ("participant other initial", F.PARTICIPANT_NOT_FOUND, k.registration(),
     with_doc(k.diploma(deelnemer="P. de Vries")), True),
    ("participant n/a on kvk", F.PARTICIPANT_NOT_FOUND, k.registration(),
     lambda: [*k.a_documents(), k.kvk()], False),
    # CREBO_MISSING
    ("crebo present", F.CREBO_MISSING, k.registration(), k.a_documents, False),
    ("crebo absent on pok", F.CREBO_MISSING, k.registration(),
     with_doc(k.pok(crebo=k.ABSENT)), True),
    ("crebo n/a on diploma", F.CREBO_MISSING, k.registration(),
     with_doc(k.diploma(crebo=None)), False),
    # CREBO_MISMATCH
    ("crebo equal", F.CREBO_MISMATCH, k.registration(), k.a_documents, False),
    ("crebo differs on pok", F.CREBO_MISMATCH, k.registration(),
     with_doc(k.pok(crebo="25498")), True),
    ("crebo differs on diploma", F.CREBO_MISMATCH, k.registration(),
     with_doc(k.diploma(crebo="25498")), True),
    ("crebo n/a without registered crebo", F.CREBO_MISMATCH, k.registration(crebo=None),
     with_doc(k.pok(crebo="25498")), False),
    # EDUCATION_MISMATCH
    ("education spelled differently", F.EDUCATION_MISMATCH, k.registration(),
     with_doc(k.pok(opleiding="Verzorgende IG niveau 3")), False),
    ("education other", F.EDUCATION_MISMATCH, k.registration(),
     with_doc(k.pok(opleiding="Medewerker maatschappelijke zorg")), True),
    # written alike, but two qualifications of their own (crebo 25471 and 25473)
    ("education another qualification written alike", F.EDUCATION_MISMATCH,
     k.registration(opleiding="Apothekersassistent"), educations("Doktersassistent"), True),
    ("education the registered qualification", F.EDUCATION_MISMATCH,
     k.registration(opleiding="Apothekersassistent"), educations("Apothekersassistent"), False),
    ("education the same qualification written otherwise", F.EDUCATION_MISMATCH,
     k.registration(opleiding="Verzorgende IG"), with_doc(k.pok(opleiding="Verzorgende-IG")),
     False),
    ("education n/a without registered name", F.EDUCATION_MISMATCH,
     k.registration(opleiding=None), with_doc(k.pok(opleiding="Kok")), False),
    ("education not read n/a", F.EDUCATION_MISMATCH, k.registration(),
     with_doc(k.pok(opleiding=None)), False),
    # what was read names no known education (the reader marks it unsure): review, no finding
    ("education read unsure", F.EDUCATION_MISMATCH, k.registration(),
     with_doc(unsure(k.pok(opleiding="kwalificatie) Crebo-nr."), "opleiding")), False),
    # START_DATE_MISMATCH
    ("start equal", F.START_DATE_MISMATCH, k.registration(), k.a_documents, False),
    ("start differs", F.START_DATE_MISMATCH, k.registration(),
     with_doc(k.pok(startdatum="2024-10-01")), True),
    ("start n/a on next year's pok as proof", F.START_DATE_MISMATCH, k.registration(),
     with_doc(k.pok(slot=Slot.PRESTATIEBEWIJS, startdatum="2025-09-01")), False),
    # END_DATE_MISMATCH
    ("end equal", F.END_DATE_MISMATCH, k.registration(), k.a_documents, False),
    ("end differs", F.END_DATE_MISMATCH, k.registration(),
     with_doc(k.pok(einddatum="2026-07-31")), True),
    ("end n/a: V4 registered 31-12-2025", F.END_DATE_MISMATCH,
     k.registration(einddatum=date(2025, 12, 31)),
     lambda: [k.pok(einddatum="2026-07-31"), k.payslip(),
              k.payslip(Slot.LOONSTROOK_EIND, loonstrook_maand="2025-12"), k.diploma()], False),
    ("end differs: V3 with 31-12-2025 is no placeholder", F.END_DATE_MISMATCH,
     k.registration(variant="V3", startdatum=date(2023, 9, 1), einddatum=date(2024, 8, 31)),
     with_doc(k.pok(startdatum="2023-09-01", einddatum="2025-12-31")), True),
    # BPV_VOLUME_MISSING
    ("bpv present", F.BPV_VOLUME_MISSING, k.registration(), k.a_documents, False),
    ("bpv absent", F.BPV_VOLUME_MISSING, k.registration(),
     with_doc(k.pok(bpv_omvang=k.ABSENT)), True),
    ("bpv not found: no rejection", F.BPV_VOLUME_MISSING, k.registration(),
     with_doc(k.pok(bpv_omvang=None)), False),
    # FIELD_NOT_FOUND: what the reader did not find goes to review, in one finding
    ("all read", F.FIELD_NOT_FOUND, k.registration(), k.a_documents, False),
    ("bpv not found", F.FIELD_NOT_FOUND, k.registration(), with_doc(k.pok(bpv_omvang=None)), True),
    ("bpv sure absent is no review", F.FIELD_NOT_FOUND, k.registration(),
     with_doc(k.pok(bpv_omvang=k.ABSENT)), False),
    ("start date not found", F.FIELD_NOT_FOUND, k.registration(),
     with_doc(k.pok(startdatum=None)), True),
    ("start date not found: no mismatch", F.START_DATE_MISMATCH, k.registration(),
     with_doc(k.pok(startdatum=None)), False),
    ("payslip month not found", F.FIELD_NOT_FOUND, k.registration(),
     with_doc(k.payslip(Slot.LOONSTROOK_EIND, loonstrook_maand=None)), True),
    ("payslip employer not found", F.FIELD_NOT_FOUND, k.registration(),
     with_doc(k.payslip(werkgever=None)), True),
    ("diploma date not found", F.FIELD_NOT_FOUND, k.registration(),
     with_doc(k.diploma(diploma_datum=None)), True),
    ("diploma date n/a on a bewijs van deelname", F.FIELD_NOT_FOUND, k.registration(),
     with_doc(k.diploma(doc_type=DocType.BEWIJS_VAN_DEELNAME, diploma_datum=None)), False),
    ("no signature seen", F.FIELD_NOT_FOUND, k.registration(),
     with_doc(k.pok(signature_count=0)), True),
    ("no signature seen: no rejection", F.SIGNATURES_MISSING, k.registration(),
     with_doc(k.pok(signature_count=0)), False),
    ("not found n/a on opleidingsovereenkomst", F.FIELD_NOT_FOUND, k.registration(activiteit="B"),
     lambda: [k.pok(slot=Slot.OPLEIDINGSOVEREENKOMST, doc_type=DocType.OPLEIDINGSOVEREENKOMST,
                    bpv_omvang=None)], False),
    ("bpv n/a on opleidingsovereenkomst", F.BPV_VOLUME_MISSING, k.registration(activiteit="B"),
     lambda: [k.pok(slot=Slot.OPLEIDINGSOVEREENKOMST, doc_type=DocType.OPLEIDINGSOVEREENKOMST,
                    bpv_omvang=None)], False),
    # PARTY_MISSING
    ("parties present", F.PARTY_MISSING, k.registration(), k.a_documents, False),
    ("leerbedrijf not found: no rejection", F.PARTY_MISSING, k.registration(),
     with_doc(k.pok(leerbedrijf=None)), False),
    ("leerbedrijf absent", F.PARTY_MISSING, k.registration(),
     with_doc(k.pok(leerbedrijf=k.ABSENT)), True),
    ("school absent", F.PARTY_MISSING, k.registration(),
     with_doc(k.pok(onderwijsinstelling=k.ABSENT)), True),
    ("school blank but barely read: no rejection", F.PARTY_MISSING, k.registration(),
     with_doc(k.pok(onderwijsinstelling=k.UNSURE_ABSENT)), False),
    ("school blank but barely read: to review", F.FIELD_NOT_FOUND, k.registration(),
     with_doc(k.pok(onderwijsinstelling=k.UNSURE_ABSENT)), True),
    ("parties n/a on opleidingsovereenkomst", F.PARTY_MISSING, k.registration(activiteit="B"),
     lambda: [k.pok(slot=Slot.OPLEIDINGSOVEREENKOMST, doc_type=DocType.OPLEIDINGSOVEREENKOMST,
                    leerbedrijf=None)], False),
    # SIGNATURES_MISSING (practice agreement)
    ("pok three signatures", F.SIGNATURES_MISSING, k.registration(), k.a_documents, False),
    ("pok two signatures", F.SIGNATURES_MISSING, k.registration(),
     with_doc(k.pok(signature_count=2)), True),
    ("pok signatures not extracted", F.SIGNATURES_MISSING, k.registration(),
     with_doc(k.pok(signature_count=None)), False),
]  # fmt: skip


@pytest.mark.parametrize(
    ("label", "code", "reg", "docs", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_agreement_rules(
    label: str, code: F, reg: Registration, docs: Docs, expected: bool
) -> None:
    assert (code in k.codes(reg, docs())) is expected


def test_crebo_mismatch_carries_evidence_and_a_dutch_message() -> None:
    found = [
        f
        for f in k.findings(k.registration(), k.replace(k.a_documents(), k.pok(crebo="25498")))
        if f.code is F.CREBO_MISMATCH
    ]
    assert len(found) == 1
    f = found[0]
    assert (f.expected, f.found, f.page, f.slot) == ("25491", "25498", 1, Slot.PRAKTIJKOVEREENKOMST)
    assert f.bbox is not None and f.document_id and f.file == "docs/praktijkovereenkomst.pdf"
    assert "25498" in f.message and "25491" in f.message and "Upload" in f.message


def test_an_unknown_education_read_is_unsure() -> None:
    from core.enums import DocType as T
    from core.model import Hints
    from extractors.fields import extract_fields
    from tests.helpers_text import document_of

    def read(name: str) -> float:
        lines = ["Praktijkovereenkomst", f"Opleiding: {name}", "Crebo: 25491"]
        doc = document_of(lines)
        hints = Hints(participant=k.NAME, education="Verzorgende IG")
        return extract_fields(doc, T.PRAKTIJKOVEREENKOMST, hints)["opleiding"].confidence

    assert read("kwalificatie) Crebo-nr.") < 0.5  # garbage: unsure, the document to review
    assert read("Helpende Zorg en Welzijn") >= 0.5  # a known other qualification
    assert read("Verzorgende-IG") >= 0.5  # the registered one
    assert read("Verzorgende") >= 0.5  # the registered one, written shorter


def test_participant_message_tells_absent_from_another_person() -> None:
    docs = k.replace(k.a_documents(), k.diploma(deelnemer="Piet Jansen"))
    [other] = [f for f in k.findings(k.registration(), docs) if f.code is F.PARTICIPANT_NOT_FOUND]
    assert "staat op naam van Piet Jansen" in other.message
    assert (other.expected, other.found) == (k.NAME, "Piet Jansen")
    docs = k.replace(k.a_documents(), k.pok(deelnemer=k.ABSENT))
    [absent] = [f for f in k.findings(k.registration(), docs) if f.code is F.PARTICIPANT_NOT_FOUND]
    assert "is niet gevonden op de praktijkovereenkomst" in absent.message
    assert (absent.expected, absent.found) == (k.NAME, None)
