"""Claims on the objects of the incoming bucket (`pipeline.bucket_intake`), in the results
database: table `intake_objects`, one row per object version with its claim and its one
outcome. `claim_object` takes a version (the row's unique constraint lets exactly one poller
insert it), `finish_claim` records `done` or `failed`, `release_claim` gives it back for a
retry; only the holder of the current claim can do either."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    Engine,
    Integer,
    String,
    Text,
    UniqueConstraint,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from store.db import Base, aware, database_errors


class IntakeStatus(StrEnum):
    """Where an object of the incoming bucket stands. `done` and `failed` are final."""

    CLAIMED = "claimed"  # a poller is checking it (until its lease runs out)
    RETRY = "retry"  # an attempt failed on our side; the next poll tries again
    DONE = "done"  # pre-screened: `entry` holds the registration's report entry
    FAILED = "failed"  # not pre-screened: `message` says why (Dutch); the object stays


class IntakeObjectRow(Base):
    """One version of one object in the incoming bucket and what became of it. The unique
    constraint on (source, object_key, version) is the claim: only one poller can insert it."""

    __tablename__ = "intake_objects"
    __table_args__ = (
        UniqueConstraint(
            "source", "object_key", "version", name="uq_intake_objects_source_key_version"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(255), doc="s3://<bucket> or local:<folder>")
    object_key: Mapped[str] = mapped_column(String(1024))
    version: Mapped[str] = mapped_column(
        String(255), doc="S3: ETag and Last-Modified; local: size and mtime in ns"
    )
    status: Mapped[str] = mapped_column(String(16), index=True)
    attempts: Mapped[int] = mapped_column(Integer)
    claim_token: Mapped[str] = mapped_column(String(32), doc="changes with every claim")
    claimed_by: Mapped[str] = mapped_column(String(255), doc="host:pid of the poller")
    claimed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    first_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    registratie_id: Mapped[str | None] = mapped_column(String(64), index=True)
    slot: Mapped[str | None] = mapped_column(String(64))
    document_id: Mapped[str | None] = mapped_column(String(64), doc="sha256 of the file")
    verdict: Mapped[str | None] = mapped_column(String(16))
    entry: Mapped[dict[str, Any] | None] = mapped_column(JSON, doc="report entry (done)")
    message: Mapped[str | None] = mapped_column(Text, doc="why it failed or is retried (Dutch)")


@dataclass(frozen=True)
class Claim:
    """This poller holds an object until it finishes, releases, or its lease runs out."""

    row_id: int
    token: str
    attempts: int  # the number of this attempt (1: the first)
    exhausted: bool  # the attempts are used up: record a failure, do not check it again
    abandoned: bool  # taken over from a poller whose lease ran out


def claim_object(
    engine: Engine,
    source: str,
    key: str,
    version: str,
    *,
    owner: str,
    lease_s: float,
    max_attempts: int,
) -> tuple[Claim | None, IntakeStatus]:
    """Claim one object version: a new one, one waiting for a retry, or one whose claim is
    older than `lease_s` (its poller died). Returns the claim, or None with the status that
    keeps this poller away (`claimed` by another poller, `done`, `failed`)."""
    table = IntakeObjectRow
    match = (table.source == source, table.object_key == key, table.version == version)
    now = datetime.now(UTC)
    token = uuid.uuid4().hex
    with database_errors("written"):
        for _ in range(2):
            with engine.begin() as connection:
                row = connection.execute(select(table).where(*match)).one_or_none()
            if row is not None:
                break
            try:
                with engine.begin() as connection:
                    result = connection.execute(
                        insert(table).values(
                            source=source,
                            object_key=key,
                            version=version,
                            status=IntakeStatus.CLAIMED.value,
                            attempts=1,
                            claim_token=token,
                            claimed_by=owner,
                            claimed_at=now,
                            first_seen_at=now,
                        )
                    )
                    row_id = int(result.inserted_primary_key[0])  # type: ignore[index]
                return Claim(row_id, token, 1, False, False), IntakeStatus.CLAIMED
            except IntegrityError:
                continue  # another poller inserted it just now: read its row
        else:  # pragma: no cover - inserted and gone again between two statements
            return None, IntakeStatus.CLAIMED
        status = IntakeStatus(row.status)
        stale = now - aware(row.claimed_at) > timedelta(seconds=lease_s)
        if status in (IntakeStatus.DONE, IntakeStatus.FAILED) or (
            status is IntakeStatus.CLAIMED and not stale
        ):
            return None, status
        exhausted = row.attempts >= max_attempts
        attempts = row.attempts if exhausted else row.attempts + 1
        with engine.begin() as connection:
            taken = connection.execute(
                update(table)
                .where(
                    table.id == row.id,
                    table.claim_token == row.claim_token,
                    table.status == status.value,
                )
                .values(
                    status=IntakeStatus.CLAIMED.value,
                    attempts=attempts,
                    claim_token=token,
                    claimed_by=owner,
                    claimed_at=now,
                )
            ).rowcount
    if taken != 1:  # another poller took it over first
        return None, IntakeStatus.CLAIMED
    abandoned = status is IntakeStatus.CLAIMED
    claim = Claim(row.id, token, attempts, exhausted, abandoned)
    return claim, IntakeStatus.CLAIMED


def _settle(engine: Engine, claim: Claim, values: dict[str, Any]) -> bool:
    table = IntakeObjectRow
    with database_errors("written"), engine.begin() as connection:
        changed = connection.execute(
            update(table)
            .where(
                table.id == claim.row_id,
                table.claim_token == claim.token,
                table.status == IntakeStatus.CLAIMED.value,
            )
            .values(**values)
        ).rowcount
    return bool(changed == 1)


def finish_claim(
    engine: Engine,
    claim: Claim,
    status: IntakeStatus,
    *,
    message: str | None = None,
    registratie_id: str | None = None,
    slot: str | None = None,
    document_id: str | None = None,
    verdict: str | None = None,
    entry: dict[str, Any] | None = None,
) -> bool:
    """Record the object's one outcome (`done` or `failed`). False when this poller no longer
    holds the claim (its lease ran out and another took over): nothing is written then."""
    if status not in (IntakeStatus.DONE, IntakeStatus.FAILED):
        raise ValueError(f"not a final status: {status}")
    values = {
        "status": status.value,
        "finished_at": datetime.now(UTC),
        "message": message,
        "registratie_id": registratie_id,
        "slot": slot,
        "document_id": document_id,
        "verdict": verdict,
        "entry": entry,
    }
    return _settle(engine, claim, values)


def release_claim(engine: Engine, claim: Claim, message: str) -> bool:
    """Give the object back for a later attempt (a fault on our side), saying why."""
    return _settle(engine, claim, {"status": IntakeStatus.RETRY.value, "message": message})
