"""One upload through the API: store the original, check it in a worker process, record it in
the review case. The check (`check_upload`) runs in a `web.prescreen_pool` worker; the rest
are plain functions over the database that the API runs in its thread pool.

Idempotent: an upload whose bytes are already the current document of its slot is answered
from the stored result (`current_document`) without a new check or a new document row."""

from __future__ import annotations

from urllib.parse import quote

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.enums import Slot
from core.manifest import ManifestEntry
from core.model import Hints, ProcessedDocument
from core.registration import Registration
from core.report import ReportRegistration
from core.settings import Settings
from pipeline.documents import render_saver
from pipeline.process import process_document
from review.importer import import_case
from review.repository import audit
from store.objects import Storage, make_storage, original_key
from store.review_tables import CaseDocumentRow

SOURCE_CHARS = 300  # review_documents.source
USERNAME_CHARS = 300  # audit_log.username

_storages: dict[str, Storage] = {}  # per worker process, by settings


def _storage(settings: Settings) -> Storage:
    key = settings.storage.model_dump_json() + str(settings.data_dir)
    if key not in _storages:
        _storages[key] = make_storage(settings)
    return _storages[key]


def check_upload(
    data: bytes, document_id: str, file: str, slot: Slot, settings: Settings, hints: Hints
) -> ProcessedDocument:
    """In a worker process: the document stages over the upload, page renders saved in the
    store. Raises StorageError when the store cannot take a render."""
    storage = _storage(settings)
    return process_document(
        data,
        file=file,
        slot=slot,
        settings=settings,
        save_render=render_saver(storage, document_id),
        hints=hints,
    )


def store_original(
    storage: Storage, data: bytes, document_id: str, registratie_id: str, slot: Slot, org: str
) -> None:
    """Keep the upload as it came (immutable, by sha256). S3 metadata must be ASCII, so
    the organisation's name is percent-encoded where it is not."""
    metadata = {
        "registratie_id": registratie_id,
        "slot": slot.value,
        "organisatie": quote(org, safe=" !&'()*+,-./:;=@_~"),
    }
    storage.put(original_key(document_id), data, metadata)


def manifest_entry(registratie_id: str, slot: Slot, file: str) -> ManifestEntry:
    return ManifestEntry(registratie_id=registratie_id, slot=slot, bestand=file, line=0)


def current_document(
    engine: Engine, registratie_id: str, slot: Slot, document_id: str
) -> ProcessedDocument | None:
    """The stored result of these bytes when they are the current document of the slot."""
    with Session(engine) as session:
        row = session.scalars(
            select(CaseDocumentRow)
            .where(
                CaseDocumentRow.registratie_id == registratie_id,
                CaseDocumentRow.slot == slot.value,
                CaseDocumentRow.document_id == document_id,
                ~CaseDocumentRow.superseded,
            )
            .order_by(CaseDocumentRow.id.desc())
        ).first()
        return None if row is None else ProcessedDocument.model_validate(row.processed)


def record_upload(
    engine: Engine,
    registration: Registration,
    organisatie: str,
    processed: ProcessedDocument,
    entry: ReportRegistration,
) -> None:
    """Put the checked upload in the review case (replacing the slot's document) and audit
    who uploaded it."""
    manifest = manifest_entry(registration.registratie_id, processed.slot, processed.file)
    import_case(
        engine,
        registration,
        [(manifest, processed)],
        entry,
        f"upload:{organisatie}"[:SOURCE_CHARS],
        replace_slots=True,
    )
    audit_upload(engine, registration.registratie_id, organisatie, processed, "gecontroleerd")


def audit_upload(
    engine: Engine,
    registratie_id: str,
    organisatie: str,
    processed: ProcessedDocument,
    status: str,
) -> None:
    with Session(engine) as session, session.begin():
        audit(
            session,
            f"org:{organisatie}"[:USERNAME_CHARS],
            "upload",
            registratie_id,
            target=f"{processed.slot.value}: {processed.file}",
            after={
                "status": status,
                "document_id": processed.document_id,
                "codes": sorted({f.code.value for f in processed.findings}),
            },
        )
