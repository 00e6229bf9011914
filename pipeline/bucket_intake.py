"""Intake by bucket: every new object in the incoming bucket (S3/MinIO, or the folder
`data_dir/incoming`) is pre-screened, and each object version gets exactly one recorded outcome.

Key convention: `<registratie_id>/<slot>/<filename>`, e.g. `R0210073/praktijkovereenkomst/pok.pdf`
(slots: `core.enums.Slot`). In the local folder, names starting with a dot are skipped
(write a file as `.name` and rename it when it is complete); S3 puts are atomic. The two kinds
of bucket are in `pipeline.incoming_bucket`, the key convention in `pipeline.upload_keys`, the
claims in `store.claims`.

One pass (`BucketIntake.poll`, `poll_incoming`) lists the bucket and, object by object:
1. claims the object version in the results store (`intake_objects`): the row's unique
   constraint on (source, key, version) lets exactly one poller insert it; the others skip it.
   Version: S3 ETag and Last-Modified, local size and mtime; an object replaced under the same
   key is a new version and is checked again.
2. checks it (`pipeline.prescreen.prescreen_document`), stores the original in the originals store
   (immutable, sha256-addressed, metadata registratie_id/slot), records `done` with the
   registration's report entry, and only then deletes it from the incoming bucket.
3. A key that does not fit the convention, an unknown registration, a file over the size limit
   or an object that vanished: `failed` with a Dutch message; the object stays where it is.
   A fault on our side (storage, a crash in a stage): `retry`, tried again by the next pass,
   `failed` after `IntakeSettings.max_attempts`.

A claim older than `IntakeSettings.lease_s` (its poller died or hangs) is taken over by the next
pass. Processing is therefore at-least-once: in that rare case an object is checked twice. The
outcome is recorded exactly once: only the holder of the current claim can write it, a poller
that lost its claim discards its result. A crash after `done` but before the delete leaves the
object in the bucket; the next pass sees `done` and deletes it without checking it again."""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.enums import Slot
from core.errors import BadKey, BewijscheckError, ResultsStoreError, first_line, reason
from core.errors import IntakeFailed as _Failed
from core.registration import Registration, load_registrations
from core.settings import Settings
from pipeline.incoming_bucket import IncomingObject, IncomingSource, make_incoming
from pipeline.prescreen import prescreen_document
from pipeline.upload_keys import Upload, parse_key, upload_of
from reading.admission import sha256
from store.claims import Claim, IntakeStatus, claim_object, finish_claim, release_claim
from store.db import open_store
from store.objects import Storage, make_storage, original_key

if TYPE_CHECKING:
    from sqlalchemy import Engine

log = logging.getLogger(__name__)

_STAYS = "Het bestand blijft in de inbox staan."


@dataclass(frozen=True)
class IntakeOutcome:
    """What one pass did with one object (as recorded in `intake_objects`)."""

    key: str
    status: IntakeStatus  # done, failed, or retry (a later pass tries again)
    attempts: int
    registratie_id: str | None = None
    slot: Slot | None = None
    document_id: str | None = None
    verdict: str | None = None
    message: str | None = None
    entry: dict[str, Any] | None = None

    def summary(self) -> dict[str, Any]:
        """JSON-ready, without the report entry (it is in the results store)."""
        data = asdict(self)
        data.pop("entry")
        return {k: (v.value if isinstance(v, Slot | IntakeStatus) else v) for k, v in data.items()}


def _not_checked(
    obj: IncomingObject, claim: Claim, status: IntakeStatus, message: str, upload: Upload | None
) -> IntakeOutcome:
    """The outcome of an object that was not checked: `failed`, or `retry` in a later pass."""
    return IntakeOutcome(
        key=obj.key,
        status=status,
        attempts=claim.attempts,
        registratie_id=upload.registratie_id if upload else None,
        slot=upload.slot if upload else None,
        message=message,
    )


def _reason(exc: BaseException) -> str:
    """Our own errors say enough by their message; anything else is named by its class."""
    if isinstance(exc, BewijscheckError):
        return first_line(exc) or type(exc).__name__
    return reason(exc)


class BucketIntake:
    """Polls one incoming bucket against one registrations CSV. Keep one for a watch loop:
    its database engine and storage clients are reused across passes."""

    def __init__(
        self,
        settings: Settings,
        registrations_csv: Path,
        *,
        engine: Engine,
        storage: Storage,
        source: IncomingSource,
    ) -> None:
        self.settings = settings
        self.registrations_csv = registrations_csv
        self.engine = engine
        self.storage = storage
        self.source = source
        self.owner = f"{socket.gethostname()}:{os.getpid()}"[:255]

    def poll(self) -> list[IntakeOutcome]:
        """One pass over the bucket; the outcomes recorded in it (none for objects another
        poller holds or that were handled before). Raises InputError when the registrations
        CSV cannot be read (nothing is claimed then), StorageError or ResultsStoreError when
        the bucket or the database cannot be reached."""
        registrations, _problems = load_registrations(self.registrations_csv)
        known = {r.registratie_id: r for r in registrations}
        outcomes: list[IntakeOutcome] = []
        for obj in self.source.list():
            outcome = self._handle(obj, known)
            if outcome is not None:
                outcomes.append(outcome)
        if outcomes:
            log.info(
                "intake from %s: %d done, %d failed, %d to retry",
                self.source.name,
                sum(o.status is IntakeStatus.DONE for o in outcomes),
                sum(o.status is IntakeStatus.FAILED for o in outcomes),
                sum(o.status is IntakeStatus.RETRY for o in outcomes),
            )
        return outcomes

    def _handle(self, obj: IncomingObject, known: dict[str, Registration]) -> IntakeOutcome | None:
        limits = self.settings.intake
        claim, status = claim_object(
            self.engine,
            self.source.name,
            obj.key,
            obj.version,
            owner=self.owner,
            lease_s=limits.lease_s,
            max_attempts=limits.max_attempts,
        )
        if claim is None:
            if status is IntakeStatus.DONE:
                self._remove(obj)  # left behind by a pass that stopped after recording it
            return None
        if claim.exhausted:
            return self._record_failure(obj, claim, self._given_up(claim), upload_of(obj.key))
        try:
            return self._check(obj, claim, known)
        except _Failed as failed:
            return self._record_failure(obj, claim, failed.message, failed.upload)
        except ResultsStoreError:
            raise
        except KeyboardInterrupt:
            release_claim(self.engine, claim, "De controle is onderbroken; ze wordt herhaald.")
            raise
        except Exception as exc:
            return self._fault(obj, claim, exc)

    def _check(
        self, obj: IncomingObject, claim: Claim, known: dict[str, Registration]
    ) -> IntakeOutcome | None:
        try:
            upload = parse_key(obj.key)
        except BadKey as exc:
            raise _Failed(f"{exc} {_STAYS}") from None
        if upload.registratie_id not in known:
            raise _Failed(
                f"Registratie {upload.registratie_id} is niet bekend (of de registratie is "
                "ongeldig). Controleer het registratienummer en upload het bestand opnieuw "
                f"als <registratienummer>/{upload.slot.value}/{upload.filename}. {_STAYS}",
                upload,
            )
        max_bytes = self.settings.limits.max_bytes
        if obj.size > max_bytes:
            raise _Failed(
                f"Het bestand is groter dan {max_bytes / (1024 * 1024):.0f} MB. Upload een "
                "kleinere versie, bijvoorbeeld gescand op 300 dpi of alleen de pagina's van dit "
                f"document. {_STAYS}",
                upload,
            )
        data = self.source.read(obj)
        if data is None:
            raise _Failed(
                "Het bestand is vervangen of verwijderd voordat het gecontroleerd kon worden; "
                "een nieuwe versie onder dezelfde naam wordt apart gecontroleerd.",
                upload,
            )
        entry = prescreen_document(
            data, upload.filename, known[upload.registratie_id], upload.slot, self.settings
        )
        document_id = sha256(data)
        self.storage.put(
            original_key(document_id),
            data,
            {"registratie_id": upload.registratie_id, "slot": upload.slot.value},
        )
        outcome = IntakeOutcome(
            key=obj.key,
            status=IntakeStatus.DONE,
            attempts=claim.attempts,
            registratie_id=upload.registratie_id,
            slot=upload.slot,
            document_id=document_id,
            verdict=entry.verdict.value,
            entry=entry.model_dump(mode="json"),
        )
        if not self._finish(claim, outcome):
            return None
        self._remove(obj)
        return outcome

    def _finish(self, claim: Claim, outcome: IntakeOutcome) -> bool:
        recorded = finish_claim(
            self.engine,
            claim,
            outcome.status,
            message=outcome.message,
            registratie_id=outcome.registratie_id,
            slot=outcome.slot.value if outcome.slot else None,
            document_id=outcome.document_id,
            verdict=outcome.verdict,
            entry=outcome.entry,
        )
        if not recorded:
            log.warning(
                "intake: lost the claim on %s (lease of %.0f s ran out); another poller "
                "records its outcome",
                outcome.key,
                self.settings.intake.lease_s,
            )
        return recorded

    def _record_failure(
        self, obj: IncomingObject, claim: Claim, message: str, upload: Upload | None
    ) -> IntakeOutcome | None:
        outcome = _not_checked(obj, claim, IntakeStatus.FAILED, message, upload)
        log.info("intake: %s not checked: %s", obj.key, message)
        return outcome if self._finish(claim, outcome) else None

    def _fault(self, obj: IncomingObject, claim: Claim, exc: Exception) -> IntakeOutcome | None:
        """A fault on our side: retry in a later pass, or fail after the last attempt."""
        reason = _reason(exc)
        log.warning(
            "intake: checking %s failed (attempt %d): %s",
            obj.key,
            claim.attempts,
            reason,
            exc_info=not isinstance(exc, BewijscheckError),
        )
        upload = upload_of(obj.key)
        if claim.attempts >= self.settings.intake.max_attempts:
            return self._record_failure(obj, claim, self._given_up(claim, reason), upload)
        message = (
            f"De controle is niet gelukt door een storing aan onze kant ({reason}); "
            f"poging {claim.attempts} van {self.settings.intake.max_attempts}, het bestand wordt "
            "bij de volgende ronde opnieuw gecontroleerd."
        )
        if not release_claim(self.engine, claim, message):
            return None
        return _not_checked(obj, claim, IntakeStatus.RETRY, message, upload)

    def _given_up(self, claim: Claim, reason: str | None = None) -> str:
        if reason is None and claim.abandoned:
            what = (
                f"De controle is {claim.attempts} keer afgebroken voordat ze klaar was "
                "(het bestand is mogelijk te zwaar om te controleren)."
            )
        else:
            detail = f" ({reason})" if reason else ""
            what = (
                f"De controle is {claim.attempts} keer niet gelukt door een storing aan onze "
                f"kant{detail}."
            )
        return f"{what} Neem contact op met het Shared Service Center. {_STAYS}"

    def _remove(self, obj: IncomingObject) -> None:
        """Delete a checked object from the incoming bucket; a failure is only logged (the
        next pass sees it recorded as done and tries again)."""
        try:
            if not self.source.delete(obj):
                log.info("intake: %s changed or vanished before its deletion", obj.key)
        except (BewijscheckError, OSError) as exc:
            log.warning("intake: could not delete %s from %s: %s", obj.key, self.source.name, exc)


@contextmanager
def open_intake(settings: Settings, registrations_csv: Path) -> Iterator[BucketIntake]:
    """A BucketIntake on the results store, originals store and incoming bucket of
    `settings`; the database is migrated first and closed afterwards."""
    storage = make_storage(settings)
    source = make_incoming(settings, storage)
    engine = open_store(settings.database_dsn())
    try:
        yield BucketIntake(
            settings, registrations_csv, engine=engine, storage=storage, source=source
        )
    finally:
        engine.dispose()


def poll_incoming(settings: Settings, registrations_csv: Path) -> list[IntakeOutcome]:
    """One pass over the incoming bucket (see the module's docstring)."""
    with open_intake(settings, registrations_csv) as intake:
        return intake.poll()
