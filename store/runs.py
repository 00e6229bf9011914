"""Batch runs in the results database, so verdicts can be queried across runs.

Tables: `runs` (one row a run), `registrations` (verdict per registration), `documents` and
`findings` (with their evidence: page, page-relative bbox as JSON, expected, found).
`save_report` writes one run in one transaction and is idempotent per run id. The report never
holds a BSN, and neither do these tables."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
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
    delete,
    func,
    insert,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.enums import Verdict
from core.report import Report
from store.db import Base, database_errors, open_store

log = logging.getLogger(__name__)


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


class RunInfo(BaseModel):
    """What the report itself does not say about a run."""

    model_config = ConfigDict(frozen=True)

    run_id: str = Field(default_factory=lambda: uuid.uuid4().hex, min_length=1, max_length=64)
    started_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    finished_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    input_files: list[str] = Field(default_factory=list, description="the CSVs the run read")


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
        for finding in reg.all_findings:
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
    with database_errors("written"), engine.begin() as connection:
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
    with database_errors("read"), engine.connect() as connection:
        rows: Mapping[str, str] = dict(connection.execute(query).tuples().all())
    return {registratie_id: Verdict(value) for registratie_id, value in sorted(rows.items())}


def store_report(url: str, report: Report, run_info: RunInfo) -> str:
    """Open the database at `url`, migrate it and save `report` (the CLI's one call)."""
    engine = open_store(url)
    try:
        return save_report(engine, report, run_info)
    finally:
        engine.dispose()
