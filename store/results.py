"""The results store: every batch run's report in a SQL database (SQLite by default, PostgreSQL
in production), so verdicts can be queried across runs.

Tables: `runs` (one row a run), `registrations` (verdict per registration), `documents` and
`findings` (with their evidence: page, page-relative bbox as JSON, expected, found), and
`intake_objects`: the claim and outcome of every object version seen in the incoming bucket
(`pipeline.bucket_intake`; `claim_object`, `release_claim`, `finish_claim`). The schema
is made by the Alembic migrations in `migrations/` (`migrate`); `save_report` writes one run in
one transaction and is idempotent per run id. The report never holds a BSN, and neither does
the store; nothing here logs a database URL (it may carry a password)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import (
    JSON,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from core.enums import Verdict
from core.errors import BewijscheckError
from core.report import Report

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


class ResultsStoreError(BewijscheckError):
    """The results database cannot be reached, migrated or written."""


class Base(DeclarativeBase):
    pass


class RunRow(Base):
    __tablename__ = "runs"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    version: Mapped[str] = mapped_column(String(32))
    generated_at: Mapped[str] = mapped_column(String(32), doc="report.json's generated_at")
    input_files: Mapped[list[str]] = mapped_column(JSON, doc="registrations and manifest CSVs")
    registration_count: Mapped[int] = mapped_column(Integer)
    document_count: Mapped[int] = mapped_column(Integer)
    finding_count: Mapped[int] = mapped_column(Integer)
    input_problem_count: Mapped[int] = mapped_column(Integer)


class RegistrationRow(Base):
    __tablename__ = "registrations"
    __table_args__ = (UniqueConstraint("run_id", "registratie_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    registratie_id: Mapped[str] = mapped_column(String(64), index=True)
    verdict: Mapped[str] = mapped_column(String(16))


class DocumentRow(Base):
    __tablename__ = "documents"
    __table_args__ = (Index("ix_documents_run_registratie", "run_id", "registratie_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"))
    registratie_id: Mapped[str] = mapped_column(String(64))
    document_id: Mapped[str | None] = mapped_column(String(64), doc="sha256 of the file")
    file: Mapped[str] = mapped_column(Text)
    slot: Mapped[str] = mapped_column(String(64))
    doc_type: Mapped[str | None] = mapped_column(String(64))
    confidence: Mapped[float | None] = mapped_column(Float)
    pages: Mapped[int] = mapped_column(Integer)
    text_source: Mapped[str | None] = mapped_column(String(16))
    ocr_confidence: Mapped[float | None] = mapped_column(Float)


class FindingRow(Base):
    __tablename__ = "findings"
    __table_args__ = (Index("ix_findings_run_registratie", "run_id", "registratie_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"))
    registratie_id: Mapped[str] = mapped_column(String(64))
    code: Mapped[str] = mapped_column(String(64), index=True)
    severity: Mapped[str] = mapped_column(String(16))
    message: Mapped[str] = mapped_column(Text)
    document_id: Mapped[str | None] = mapped_column(String(64))
    page: Mapped[int | None] = mapped_column(Integer)
    bbox: Mapped[list[float] | None] = mapped_column(JSON, doc="[x0, y0, x1, y1], page-relative")
    expected: Mapped[str | None] = mapped_column(Text)
    found: Mapped[str | None] = mapped_column(Text)


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


class RunInfo(BaseModel):
    """What the report itself does not say about a run."""

    model_config = ConfigDict(frozen=True)

    run_id: str = Field(default_factory=lambda: uuid.uuid4().hex, min_length=1, max_length=64)
    started_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    finished_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    input_files: list[str] = Field(default_factory=list, description="the CSVs the run read")


def make_engine(url: str) -> Engine:
    """An engine for `url`; for SQLite, the file's folder is created and foreign keys are on."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)

    @event.listens_for(engine, "connect")
    def _foreign_keys(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return engine


def migrate(engine: Engine) -> None:
    """Bring the database's schema to the newest Alembic revision (a no-op when it is)."""
    from alembic import command
    from alembic.config import Config

    if not (MIGRATIONS / "env.py").is_file():
        raise ResultsStoreError(f"migrations not found in {MIGRATIONS}")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except SQLAlchemyError as exc:
        raise ResultsStoreError(f"results database cannot be migrated: {_reason(exc)}") from exc


def _reason(exc: SQLAlchemyError) -> str:
    """A one-line reason without the statement or its parameters."""
    original = getattr(exc, "orig", None) or exc
    return str(original).strip().splitlines()[0] if str(original).strip() else type(exc).__name__


def _rows(report: Report, run_id: str) -> tuple[list[dict[str, Any]], ...]:
    registrations: list[dict[str, Any]] = []
    documents: list[dict[str, Any]] = []
    findings: list[dict[str, Any]] = []
    for reg in report.registrations:
        key = {"run_id": run_id, "registratie_id": reg.registratie_id}
        registrations.append({**key, "verdict": reg.verdict.value})
        for doc in reg.documents:
            documents.append(
                {
                    **key,
                    "document_id": doc.document_id,
                    "file": doc.file,
                    "slot": doc.slot.value,
                    "doc_type": doc.doc_type.value if doc.doc_type else None,
                    "confidence": doc.doc_type_confidence,
                    "pages": doc.pages,
                    "text_source": doc.text_source.value if doc.text_source else None,
                    "ocr_confidence": doc.ocr_confidence,
                }
            )
        for finding in reg.findings:
            findings.append(
                {
                    **key,
                    "code": finding.code.value,
                    "severity": finding.severity.value,
                    "message": finding.message,
                    "document_id": finding.document_id,
                    "page": finding.page,
                    "bbox": finding.bbox.model_dump() if finding.bbox else None,
                    "expected": finding.expected,
                    "found": finding.found,
                }
            )
    return registrations, documents, findings


def save_report(engine: Engine, report: Report, run_info: RunInfo) -> str:
    """Store `report` as run `run_info.run_id` in one transaction; returns the run id.

    Saving the same run id again replaces that run's rows; a failure leaves the database as it
    was before the call (the previous version of the run, if any)."""
    run_id = run_info.run_id
    registrations, documents, findings = _rows(report, run_id)
    run = {
        "id": run_id,
        "started_at": run_info.started_at,
        "finished_at": run_info.finished_at,
        "version": report.version,
        "generated_at": report.generated_at,
        "input_files": list(run_info.input_files),
        "registration_count": len(registrations),
        "document_count": len(documents),
        "finding_count": len(findings),
        "input_problem_count": len(report.input_problems),
    }
    try:
        with engine.begin() as connection:
            for table in (FindingRow, DocumentRow, RegistrationRow):
                connection.execute(delete(table).where(table.run_id == run_id))
            connection.execute(delete(RunRow).where(RunRow.id == run_id))
            connection.execute(insert(RunRow), [run])
            for table, rows in (
                (RegistrationRow, registrations),
                (DocumentRow, documents),
                (FindingRow, findings),
            ):
                if rows:
                    connection.execute(insert(table), rows)
    except SQLAlchemyError as exc:
        raise ResultsStoreError(f"results database cannot be written: {_reason(exc)}") from exc
    log.info(
        "run %s stored: %d registrations, %d documents, %d findings",
        run_id,
        len(registrations),
        len(documents),
        len(findings),
    )
    return run_id


def latest_verdicts(engine: Engine) -> dict[str, Verdict]:
    """Each registration's verdict in the most recent run that checked it (by finish time)."""
    ranked = (
        select(
            RegistrationRow.registratie_id,
            RegistrationRow.verdict,
            func.row_number()
            .over(
                partition_by=RegistrationRow.registratie_id,
                order_by=(RunRow.finished_at.desc(), RunRow.started_at.desc(), RunRow.id.desc()),
            )
            .label("rank"),
        )
        .join(RunRow, RunRow.id == RegistrationRow.run_id)
        .subquery()
    )
    query = select(ranked.c.registratie_id, ranked.c.verdict).where(ranked.c.rank == 1)
    try:
        with engine.connect() as connection:
            rows: Mapping[str, str] = dict(connection.execute(query).tuples().all())
    except SQLAlchemyError as exc:
        raise ResultsStoreError(f"results database cannot be read: {_reason(exc)}") from exc
    return {registratie_id: Verdict(value) for registratie_id, value in sorted(rows.items())}


def store_report(url: str, report: Report, run_info: RunInfo) -> str:
    """Open the database at `url`, migrate it and save `report` (the CLI's one call)."""
    engine = open_store(url)
    try:
        return save_report(engine, report, run_info)
    finally:
        engine.dispose()


def open_store(url: str) -> Engine:
    """An engine for `url` with the schema migrated to the newest revision."""
    try:
        engine = make_engine(url)
    except (SQLAlchemyError, ValueError, OSError) as exc:
        raise ResultsStoreError(
            f"results database URL is not usable: {type(exc).__name__}"
        ) from exc
    try:
        migrate(engine)
    except BaseException:
        engine.dispose()
        raise
    return engine


# --- intake claims (pipeline.bucket_intake) ----------------------------------------------


@dataclass(frozen=True)
class Claim:
    """This poller holds an object until it finishes, releases, or its lease runs out."""

    row_id: int
    token: str
    attempts: int  # the number of this attempt (1: the first)
    exhausted: bool  # the attempts are used up: record a failure, do not check it again
    abandoned: bool  # taken over from a poller whose lease ran out


def _aware(moment: datetime) -> datetime:
    """SQLite hands datetimes back without their (UTC) zone."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


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
    try:
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
        stale = now - _aware(row.claimed_at) > timedelta(seconds=lease_s)
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
    except SQLAlchemyError as exc:
        raise ResultsStoreError(f"results database cannot be written: {_reason(exc)}") from exc
    if taken != 1:  # another poller took it over first
        return None, IntakeStatus.CLAIMED
    abandoned = status is IntakeStatus.CLAIMED
    claim = Claim(row.id, token, attempts, exhausted, abandoned)
    return claim, IntakeStatus.CLAIMED


def _settle(engine: Engine, claim: Claim, values: dict[str, Any]) -> bool:
    table = IntakeObjectRow
    try:
        with engine.begin() as connection:
            changed = connection.execute(
                update(table)
                .where(
                    table.id == claim.row_id,
                    table.claim_token == claim.token,
                    table.status == IntakeStatus.CLAIMED.value,
                )
                .values(**values)
            ).rowcount
    except SQLAlchemyError as exc:
        raise ResultsStoreError(f"results database cannot be written: {_reason(exc)}") from exc
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
