"""Build registrations and processed documents with fields directly (no OCR) for the rule
tests, and run the rules over them. The defaults form a clean A registration (V4) whose
documents pass every rule; each test changes one thing."""

from __future__ import annotations

from datetime import date
from typing import Any

from checks.base import Batch
from checks.runner import run_checks
from core.enums import DocType, FindingCode, Slot
from core.fields import FieldName
from core.model import ClassifiedType, FieldValue, Finding, ProcessedDocument
from core.registration import Registration

NAME = "Jan de Vries"
AB_ACTIVITIES = ("A", "B")
CDE_ACTIVITIES = ("C", "D", "E")
ACTIVITIES = AB_ACTIVITIES + CDE_ACTIVITIES
VARIANTS = ("V1", "V2", "V3", "V4")


def registration(**changes: Any) -> Registration:
    values: dict[str, Any] = {
        "registratie_id": "R0001234",
        "organisatie": "Zorggroep Noord B.V.",
        "deelnemer": NAME,
        "geboortedatum": date(1990, 3, 12),
        "activiteit": "A",
        "variant": "V4",
        "doelgroep": "nieuwe_instroom",
        "opleiding": "Verzorgende-IG",
        "crebo": "25491",
        "startdatum": date(2024, 9, 1),
        "einddatum": date(2025, 7, 31),
        "datum_in_dienst": date(2024, 8, 15),
        "extern": None,
        "opleider": None,
    }
    values.update(changes)
    return Registration.model_validate(values)


def c_registration(**changes: Any) -> Registration:
    values: dict[str, Any] = {
        "activiteit": "C",
        "crebo": None,
        "opleiding": "Palliatieve zorg",
        "startdatum": date(2024, 9, 2),
        "einddatum": date(2024, 12, 13),
        "extern": True,
        "opleider": "Zorgacademie Noord",
    }
    values.update(changes)
    return registration(**values)


def for_activity(activity: str, **changes: Any) -> Registration:
    """The clean registration of `activity`: the A defaults at A and B, the C ones at C, D, E."""
    maker = registration if activity in AB_ACTIVITIES else c_registration
    return maker(activiteit=activity, **changes)


# A field the reader is sure is not on the document (its label printed blank): value None,
# with evidence. Leaving a field out (`=None`) means the reader did not find it.
ABSENT: Any = object()
# A blank the reader barely saw (OCR confidence below the field threshold): proves nothing.
UNSURE_ABSENT: Any = object()


def fv(value: Any, page: int = 1) -> FieldValue:
    return FieldValue(
        value=value,
        page=page,
        bbox=[0.1, 0.2, 0.3, 0.22],  # type: ignore[arg-type]
        confidence=0.95,
        extractor="tests",
    )


def _fields(fields: dict[str, Any]) -> dict[str, FieldValue]:
    """Field values by name; None leaves a field out (not found), ABSENT makes it None."""
    out = {
        FieldName(k): fv(None if v is ABSENT or v is UNSURE_ABSENT else v)
        for k, v in fields.items()
        if v is not None
    }
    for k, v in fields.items():
        if v is UNSURE_ABSENT:
            out[FieldName(k)] = out[FieldName(k)].model_copy(update={"confidence": 0.08})
    return out


def doc(
    slot: Slot,
    doc_type: DocType | None,
    *,
    confidence: float = 0.95,
    findings: list[Finding] | None = None,
    **fields: Any,
) -> ProcessedDocument:
    """A processed document; `doc_type=None` means it could not be classified (unreadable).
    Field names are checked (FieldName): a misspelt one fails here, not silently in a rule."""
    classified = None if doc_type is None else ClassifiedType(doc_type=doc_type,
                                                              confidence=confidence)  # fmt: skip
    return ProcessedDocument(
        file=f"docs/{slot.value}.pdf",
        slot=slot,
        document_id=(str(len(slot.value)) * 64)[:64],
        classified=classified,
        fields=_fields(fields),
        findings=findings or [],
    )


def pok(**changes: Any) -> ProcessedDocument:
    fields: dict[str, Any] = {
        "deelnemer": NAME,
        "crebo": "25491",
        "opleiding": "Verzorgende IG",
        "startdatum": "2024-09-01",
        "einddatum": "2025-07-31",
        "bpv_omvang": "800 uur",
        "leerbedrijf": "Zorggroep Noord",
        "onderwijsinstelling": "Noorderpoort",
        "signature_count": 3,
    }
    slot = changes.pop("slot", Slot.PRAKTIJKOVEREENKOMST)
    doc_type = changes.pop("doc_type", DocType.PRAKTIJKOVEREENKOMST)
    fields.update(changes)
    return doc(slot, doc_type, **fields)


def payslip(slot: Slot = Slot.LOONSTROOK_START, **changes: Any) -> ProcessedDocument:
    fields: dict[str, Any] = {
        "deelnemer": NAME,
        "werkgever": "Zorggroep Noord",
        "loonstrook_maand": "2024-09" if slot is Slot.LOONSTROOK_START else "2025-07",
        "datum_in_dienst": "2024-08-15",
        "bsn_present": False,
    }
    fields.update(changes)
    return doc(slot, DocType.LOONSTROOK, **fields)


def diploma(**changes: Any) -> ProcessedDocument:
    fields: dict[str, Any] = {
        "deelnemer": NAME,
        "crebo": "25491",
        "opleiding": "Verzorgende-IG",
        "diploma_datum": "2025-07-10",
    }
    doc_type = changes.pop("doc_type", DocType.DIPLOMA)
    fields.update(changes)
    return doc(Slot.PRESTATIEBEWIJS, doc_type, **fields)


def declaration(**changes: Any) -> ProcessedDocument:
    fields: dict[str, Any] = {
        "deelnemer": NAME,
        "opleider": "Zorgacademie Noord",
        "training_einddatum": "2024-12-13",
        "handtekeningen": [
            {"rol": "deelnemer", "datum": "2024-12-16"},
            {"rol": "docent", "datum": "2024-12-20"},
        ],
        "logo_present": True,
        "stamp_present": False,
    }
    slot = changes.pop("slot", Slot.PRESTATIEVERKLARING)
    fields.update(changes)
    return doc(slot, DocType.PRESTATIEVERKLARING, **fields)


def study_agreement(**changes: Any) -> ProcessedDocument:
    """A study or training agreement (opleidingsovereenkomst: B's route without a practice
    agreement) in its own slot, with the practice agreement's default fields."""
    return pok(slot=Slot.OPLEIDINGSOVEREENKOMST, doc_type=DocType.OPLEIDINGSOVEREENKOMST, **changes)


def enrolment(**changes: Any) -> ProcessedDocument:
    """The school's proof of enrolment (bewijs van inschrijving), B's route."""
    fields: dict[str, Any] = {"deelnemer": NAME, "opleiding": "Verzorgende-IG"}
    fields.update(changes)
    return doc(Slot.BEWIJS_VAN_INSCHRIJVING, DocType.BEWIJS_VAN_INSCHRIJVING, **fields)


def kvk(**changes: Any) -> ProcessedDocument:
    fields: dict[str, Any] = {"kvk_datum": "2024-10-01", "bestuurders": ["P.J. Bakker"]}
    fields.update(changes)
    return doc(Slot.KVK_UITTREKSEL, DocType.KVK_UITTREKSEL, **fields)


def a_documents() -> list[ProcessedDocument]:
    """The clean documents of the default A registration."""
    return [pok(), payslip(), payslip(Slot.LOONSTROOK_EIND), diploma()]


def c_documents() -> list[ProcessedDocument]:
    return [declaration(), payslip(loonstrook_maand="2024-09")]


def b_route_documents() -> list[ProcessedDocument]:
    """The clean documents of a B registration without a practice agreement."""
    rest = [d for d in a_documents() if d.slot is not Slot.PRAKTIJKOVEREENKOMST]
    return [study_agreement(), enrolment(), *rest]


def documents(activity: str) -> list[ProcessedDocument]:
    """The clean documents of `for_activity(activity)`."""
    return a_documents() if activity in AB_ACTIVITIES else c_documents()


def documents_for(reg: Registration) -> list[ProcessedDocument]:
    """Clean documents for any registration: their dates and months follow its start, end and
    employment date, so only a rule about the registration itself can find something."""
    start, end = reg.startdatum.isoformat(), reg.einddatum.isoformat()
    in_dienst = reg.datum_in_dienst.isoformat() if reg.datum_in_dienst else None
    first = payslip(loonstrook_maand=start[:7], datum_in_dienst=in_dienst)
    if reg.activiteit.value in AB_ACTIVITIES:
        last = payslip(Slot.LOONSTROOK_EIND, loonstrook_maand=end[:7], datum_in_dienst=in_dienst)
        return [pok(startdatum=start, einddatum=end), first, last, diploma(diploma_datum=end)]
    signed = [{"rol": "deelnemer", "datum": end}, {"rol": "docent", "datum": end}]
    return [declaration(training_einddatum=end, handtekeningen=signed), first]


def findings(
    reg: Registration,
    docs: list[ProcessedDocument],
    batch: list[Registration] | None = None,
    *,
    single_upload: bool = False,
) -> list[Finding]:
    b = Batch.of(batch) if batch is not None else None
    return run_checks(reg, docs, b, single_upload=single_upload)


def codes(
    reg: Registration,
    docs: list[ProcessedDocument],
    batch: list[Registration] | None = None,
    *,
    single_upload: bool = False,
) -> set[FindingCode]:
    """The codes found. A rule that raised fails the calling test: its CHECK_FAILED would
    otherwise pass every 'not found' (n/a) case unseen."""
    found = {f.code for f in findings(reg, docs, batch, single_upload=single_upload)}
    assert FindingCode.CHECK_FAILED not in found, "a rule raised (CHECK_FAILED)"
    return found


def replace(docs: list[ProcessedDocument], new: ProcessedDocument) -> list[ProcessedDocument]:
    """`docs` with the document of `new`'s slot replaced by `new` (appended if none)."""
    return [d for d in docs if d.slot is not new.slot] + [new]
