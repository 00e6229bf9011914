"""Cases for the queue's tests: a few registrations with their own participant, organisation
and documents (made with `rulekit`, with a page each so their confidences count), imported as
a batch or an upload would."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from core.enums import MediaType, Slot, WordSource
from core.manifest import ManifestEntry
from core.model import Document, Page, ProcessedDocument
from pipeline.assemble import assemble_report
from review.importer import import_case
from tests import rulekit

# registratie_id -> (organisation, participant); the webkit case R0001234 is "Jan de Vries"
CASES = {
    "R0000100": ("Zorg Zuid", "Fatima el Amrani"),
    "R0000200": ("Thuiszorg West", "Pieter Bos"),
    "R0000300": ("Zorg Zuid", "Anouk Zwart"),
}


def with_page(processed: ProcessedDocument, **confidences: float) -> ProcessedDocument:
    """`processed` with one (text layer) page, its fields read with `confidences` by name."""
    document = Document(
        document_id=processed.document_id or "0" * 64,
        file=processed.file,
        media_type=MediaType.PDF,
        size_bytes=1000,
        pages=[Page(number=1, width=595, height=842, source=WordSource.TEXT_LAYER)],
    )
    fields = dict(processed.fields)
    for name, confidence in confidences.items():
        fields[name] = fields[name].model_copy(update={"confidence": confidence})
    return processed.model_copy(update={"document": document, "fields": fields})


def add_case(
    app: FastAPI,
    registratie_id: str,
    docs: list[ProcessedDocument] | None = None,
    source: str = "batch:test",
    **registration: Any,
) -> None:
    organisatie, deelnemer = CASES[registratie_id]
    values = {"organisatie": organisatie, "deelnemer": deelnemer, **registration}
    reg = rulekit.registration(registratie_id=registratie_id, **values)
    docs = docs if docs is not None else [with_page(d) for d in rulekit.a_documents()]
    named = [d.model_copy(update={"fields": {**d.fields}}) for d in docs]
    for d in named:  # the documents carry the participant's name, as the registration does
        if "deelnemer" in d.fields:
            d.fields["deelnemer"] = d.fields["deelnemer"].model_copy(update={"value": deelnemer})
    pairs = [
        (ManifestEntry(registratie_id=registratie_id, slot=d.slot, bestand=d.file, line=i), d)
        for i, d in enumerate(named, start=2)
    ]
    entry = assemble_report([reg], pairs).registrations[0]
    import_case(app.state.engine, reg, pairs, entry, source)


def low_read_value() -> list[ProcessedDocument]:
    """Clean A documents where the start payslip's employer was read at 70%."""
    docs = [with_page(d) for d in rulekit.a_documents()]
    index = next(i for i, d in enumerate(docs) if d.slot is Slot.LOONSTROOK_START)
    docs[index] = with_page(docs[index], werkgever=0.7)
    return docs


def only_absences_below() -> list[ProcessedDocument]:
    """Clean A documents whose only confidences under 80% are the payslips' detectors finding
    nothing (no stamp, no logo: False at 79%; no signature: 0 at 60%)."""

    def absent(value: Any, confidence: float) -> Any:
        return rulekit.fv(value).model_copy(update={"confidence": confidence, "bbox": None})

    nothing = {
        "stamp_present": absent(False, 0.79),
        "logo_present": absent(False, 0.79),
        "signature_count": absent(0, 0.6),
    }
    return [
        with_page(d.model_copy(update={"fields": {**d.fields, **nothing}}))
        if d.slot in (Slot.LOONSTROOK_START, Slot.LOONSTROOK_EIND)
        else with_page(d)
        for d in rulekit.a_documents()
    ]
