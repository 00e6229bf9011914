"""One upload through the API: store the original, check it in a worker process, record it in
the review case. The check (`check_upload`) runs in a `web.prescreen_pool` worker; the rest
are plain functions over the database that the API runs in its thread pool.

Idempotent: an upload whose bytes are already the current document of its slot is answered
from the stored result (`current_document`) without a new check or a new document row. A case
with a final decision takes no upload (`refuse_if_decided`, `review.decided`)."""

from __future__ import annotations

from urllib.parse import quote

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.enums import Slot
from core.errors import CaseDecided
from core.manifest import ManifestEntry
from core.model import Hints, ProcessedDocument
from core.registration import Registration
from core.report import ReportRegistration
from core.settings import Settings
from pipeline.documents import render_saver
from pipeline.process import process_document
from review.decided import audit_refusal, ensure_open
from review.importer import import_case
from review.repository import audit
from store.objects import Storage, make_storage, original_key
from store.review_tables import CaseDocumentRow, CaseRow

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


def refuse_if_decided(
    engine: Engine, registratie_id: str, organisatie: str, slot: Slot, file: str, document_id: str
) -> None:
    """Raise CaseDecided, audited, when the case has a final decision: checked before the
    upload is stored or checked (`import_case` checks again when it is recorded)."""
    with Session(engine) as session:
        case = session.get(CaseRow, registratie_id)
        decision = None if case is None else case.decision
    try:
        ensure_open(registratie_id, decision)
    except CaseDecided as refused:
        audit_refused_upload(engine, refused, organisatie, slot, file, document_id)
        raise


def audit_refused_upload(
    engine: Engine,
    refused: CaseDecided,
    organisatie: str,
    slot: Slot,
    file: str,
    document_id: str | None,
) -> None:
    audit_refusal(
        engine,
        refused,
        f"org:{organisatie}"[:USERNAME_CHARS],
        "upload_refused",
        target=f"{slot.value}: {file}",
        after={"document_id": document_id},
    )


def record_upload(
    engine: Engine,
    registration: Registration,
    organisatie: str,
    processed: ProcessedDocument,
    entry: ReportRegistration,
) -> None:
    """Put the checked upload in the review case (replacing the slot's document) and audit
    who uploaded it; CaseDecided (audited) when a decision was taken while it was checked."""
    manifest = manifest_entry(registration.registratie_id, processed.slot, processed.file)
    try:
        import_case(
            engine,
            registration,
            [(manifest, processed)],
            entry,
            f"upload:{organisatie}"[:SOURCE_CHARS],
            replace_slots=True,
        )
    except CaseDecided as refused:
        slot, file = processed.slot, processed.file
        audit_refused_upload(engine, refused, organisatie, slot, file, processed.document_id)
        raise
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
