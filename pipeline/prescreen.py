"""Pre-screen one upload for one registration, as the portal does at upload time."""

from __future__ import annotations

from pathlib import Path

from core.enums import Slot
from core.errors import InputError
from core.file_names import mask_bsn
from core.manifest import ManifestEntry
from core.model import ProcessedDocument
from core.registration import Registration, load_registrations
from core.report import ReportRegistration
from core.settings import Settings
from pipeline.assemble import assemble_report
from pipeline.bootstrap import warm_up as warm_up  # moved; benchmarks import it from here
from pipeline.process import process_document


def prescreen(
    file: Path, registrations_csv: Path, registratie_id: str, slot: Slot, settings: Settings
) -> ReportRegistration:
    """That registration's report entry with this one document checked."""
    registrations, _ = load_registrations(registrations_csv)
    match = [r for r in registrations if r.registratie_id == registratie_id]
    if not match:
        raise InputError(
            f"registration {registratie_id} not found (or invalid) in {registrations_csv}"
        )
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {file}: {exc.strerror}") from None
    return prescreen_document(data, file.name, match[0], slot, settings)


def prescreen_document(
    data: bytes, file: str, registration: Registration, slot: Slot, settings: Settings
) -> ReportRegistration:
    """The registration's report entry with the upload `data` (named `file`, shown with a
    BSN in it masked) checked."""
    processed = process_document(
        data,
        file=mask_bsn(file),
        slot=slot,
        settings=settings,
        hints=registration.hints(),
    )
    return prescreen_entry(registration, slot, processed)


def prescreen_entry(
    registration: Registration, slot: Slot, processed: ProcessedDocument
) -> ReportRegistration:
    """The pre-screen answer for one checked upload, as `bewijscheck check` gives it: one
    upload at a time, so the other slots (completeness) and registrations are not judged."""
    entry = ManifestEntry(
        registratie_id=registration.registratie_id, slot=slot, bestand=processed.file, line=0
    )
    report = assemble_report([registration], [(entry, processed)], single_upload=True)
    return report.registrations[0]
