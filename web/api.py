"""The upload API for the SectorplanPlus portal (`/api/v1`): an employer's organisation uploads
a document for one of its registrations and gets the pre-screen at once; it can read the
registration's state after the SSC's review. Every call needs the organisation's token
(`bewijscheck add-token`) as `Authorization: Bearer <token>`. A registration of another
organisation is answered exactly like one that does not exist (404).

The app (`web.app.create_app`) sets `app.state.engine`, `.settings` and `.storage`, includes
`router`, and starts and stops the worker processes with `web.prescreen_pool.start_pool` and
`stop_pool` in its lifespan. Checks run in those processes, never on the event loop."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request, status
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from core.errors import CaseDecided
from core.file_names import mask_name_fields
from core.model import ProcessedDocument
from core.registration import Registration
from core.report import split_review
from core.settings import Settings
from pipeline.assemble import Unchecked, check_failed_document
from pipeline.prescreen import prescreen_entry
from reading.admission import sha256
from review.repository import evaluate
from store.objects import StorageError
from web import uploads
from web.api_auth import Organisation, RegistratieId, owned_case, owned_registration
from web.api_models import (
    ERRORS,
    UPLOAD_BODY,
    UPLOAD_ERRORS,
    RegistrationState,
    UploadAnswer,
    UploadStatus,
)
from web.prescreen_pool import pool_of
from web.upload_form import Upload, read_upload

log = logging.getLogger(__name__)

router = APIRouter(prefix="/api/v1", tags=["Portaal"])


@router.post(
    "/registraties/{registratie_id}/uploads",
    summary="Document uploaden en direct laten controleren",
    description="Upload één document voor een vakje van de registratie. Het document wordt "
    "bewaard, gelezen en gecontroleerd; het antwoord is de voorcontrole van dit ene document "
    "(dezelfde vorm als een registratie in report.json; of de andere vakjes compleet zijn, "
    "wordt hier niet beoordeeld). Een geweigerd bestandstype (bijvoorbeeld Word) geeft een "
    "bevinding FILE_TYPE_NOT_ALLOWED, geen foutcode. Het document vervangt het vorige "
    "document in hetzelfde vakje. Hetzelfde bestand nog eens in hetzelfde vakje geeft de "
    "eerdere uitkomst terug (status al_ontvangen) zonder een nieuw document aan te maken. "
    "Heeft het SSC al een besluit genomen over de registratie, dan wordt de upload geweigerd "
    "(409) en niet bewaard.",
    response_model=UploadAnswer,
    response_description="De voorcontrole van dit document.",
    operation_id="upload_document",
    responses=UPLOAD_ERRORS,
    openapi_extra=UPLOAD_BODY,
)
async def upload_document(
    request: Request,
    registration: Annotated[Registration, Depends(owned_registration)],
    organisatie: Organisation,
) -> UploadAnswer:
    settings: Settings = request.app.state.settings
    engine = request.app.state.engine
    upload = await read_upload(request, settings.limits.max_bytes)
    rid = registration.registratie_id
    document_id = await run_in_threadpool(sha256, upload.data)
    try:
        await run_in_threadpool(
            uploads.refuse_if_decided,
            engine,
            rid,
            organisatie,
            upload.slot,
            upload.filename,
            document_id,
        )
        return await _take(request, registration, organisatie, upload, document_id)
    except CaseDecided as refused:
        log.info("upload for %s refused: the case has a decision", rid)
        raise HTTPException(status.HTTP_409_CONFLICT, detail=str(refused)) from None


async def _take(
    request: Request,
    registration: Registration,
    organisatie: str,
    upload: Upload,
    document_id: str,
) -> UploadAnswer:
    """Check and record an upload to an undecided case (or answer it from the stored result
    when these bytes are already the slot's document)."""
    settings: Settings = request.app.state.settings
    engine = request.app.state.engine
    rid = registration.registratie_id
    # The same bytes to the same slot at the same time (a portal retrying, a double click):
    # one after the other, so the second finds the first's result (al_ontvangen).
    async with _one_at_a_time(request.app, (rid, upload.slot.value, document_id)):
        earlier = await run_in_threadpool(
            uploads.current_document, engine, rid, upload.slot, document_id
        )
        if earlier is not None:
            entry = await run_in_threadpool(prescreen_entry, registration, upload.slot, earlier)
            await run_in_threadpool(
                uploads.audit_upload,
                engine,
                rid,
                organisatie,
                earlier,
                UploadStatus.UNCHANGED.value,
            )
            return UploadAnswer(**entry.model_dump(), status=UploadStatus.UNCHANGED)
        try:
            await run_in_threadpool(
                uploads.store_original,
                request.app.state.storage,
                upload.data,
                document_id,
                rid,
                upload.slot,
                organisatie,
            )
            processed = await _check(request.app, upload, document_id, registration, settings)
        except StorageError as exc:
            log.error("upload for %s not stored: %s", rid, exc)
            raise HTTPException(
                status.HTTP_503_SERVICE_UNAVAILABLE,
                detail="De opslag is tijdelijk niet bereikbaar; het bestand is niet vastgelegd. "
                "Probeer het over een paar minuten opnieuw.",
                headers={"Retry-After": "60"},
            ) from None
        entry = await run_in_threadpool(prescreen_entry, registration, upload.slot, processed)
        await run_in_threadpool(
            uploads.record_upload, engine, registration, organisatie, processed, entry
        )
        log.info(
            "upload for %s in %s: document %s, verdict %s",
            rid,
            upload.slot.value,
            document_id[:12],
            entry.verdict.value,
        )
        return UploadAnswer(**entry.model_dump(), status=UploadStatus.CHECKED)


@asynccontextmanager
async def _one_at_a_time(app: FastAPI, key: tuple[str, str, str]) -> AsyncIterator[None]:
    """Hold the app's lock for `key` (registration, slot, sha256) while inside; locks live
    only while someone holds or waits for them. One server process: several processes
    behind a proxy could still both check the same upload (each records it)."""
    locks: dict[tuple[str, str, str], tuple[asyncio.Lock, int]] | None
    locks = getattr(app.state, "upload_locks", None)
    if locks is None:
        locks = app.state.upload_locks = {}
    lock, users = locks.get(key, (asyncio.Lock(), 0))
    locks[key] = (lock, users + 1)
    try:
        async with lock:
            yield
    finally:
        lock, users = locks[key]
        if users == 1:
            del locks[key]
        else:
            locks[key] = (lock, users - 1)


async def _check(
    app: FastAPI, upload: Upload, document_id: str, registration: Registration, settings: Settings
) -> ProcessedDocument:
    """The document stages in a worker process; a fault there (a crashed worker, no answer in
    time) becomes a CHECK_FAILED document, so the SSC checks it by hand."""
    hints = registration.hints()
    entry = uploads.manifest_entry(registration.registratie_id, upload.slot, upload.filename)
    try:
        return await pool_of(app).run(
            uploads.check_upload,
            upload.data,
            document_id,
            upload.filename,
            upload.slot,
            settings,
            hints,
            timeout=settings.document_timeout_s(),
        )
    except StorageError:
        raise
    except TimeoutError:
        log.error("check of document %s timed out", document_id[:12])
        return check_failed_document(entry, Unchecked.TIMEOUT)
    except Exception as exc:
        log.error("check of document %s failed: %s", document_id[:12], type(exc).__name__)
        return check_failed_document(entry)


@router.get(
    "/registraties/{registratie_id}",
    summary="Stand van een registratie opvragen",
    description="De registratie zoals die nu staat: het oordeel en de bevindingen over alle "
    "huidige documenten, na eventuele beoordeling door het SSC (correcties van gelezen "
    "waarden, verworpen bevindingen), het besluit en een verzoek om opnieuw te uploaden.",
    response_model=RegistrationState,
    response_description="De registratie zoals die nu staat.",
    operation_id="registration_state",
    responses=ERRORS,
)
def registration_state(
    registratie_id: RegistratieId, request: Request, organisatie: Organisation
) -> RegistrationState:
    with Session(request.app.state.engine) as session:
        case = owned_case(session, registratie_id, organisatie)
        effective = evaluate(session, case)
        about_upload, to_review = split_review(effective.active)
        state = RegistrationState(
            registratie_id=case.registratie_id,
            verdict=effective.verdict,
            findings=about_upload,
            to_review=to_review,
            documents=effective.entry.documents,
            decision=case.decision,
            reupload_message=case.reupload_message,
            updated_at=case.updated_at,
        )
    # names are masked when stored; this covers rows stored before that
    return RegistrationState.model_validate(mask_name_fields(state.model_dump(mode="json")))
