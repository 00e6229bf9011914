"""Tables of the review app, in the results store's database (migration 0003; the login
sessions and failed logins: migration 0005).

The machine's result per document (`review_documents.processed`) and per registration
(`review_cases.machine_entry`) is written by a batch import or an upload and never changed by
a reviewer. Corrections, finding decisions and the audit log are append-only; the case row's
verdict, codes and claim are a projection, recomputed from them after every action."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from store.db import Base


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255), doc="argon2id")
    role: Mapped[str] = mapped_column(String(16), doc="reviewer or admin")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LoginSessionRow(Base):
    """A reviewer's login. The session cookie holds only a random session id; this row holds
    its sha256 (a copy of the database cannot be used as cookies). Logout, a password change
    or deactivation sets `revoked_at`; idle and maximum age are checked against the times."""

    __tablename__ = "web_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True, doc="sha256 of the id")
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    last_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class LoginFailureRow(Base):
    """A failed login, counted by user name and by client address to throttle further
    attempts in every server process; rows older than the window are deleted."""

    __tablename__ = "login_failures"
    __table_args__ = (
        Index("ix_login_failures_username", "username", "at"),
        Index("ix_login_failures_client", "client", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), doc="as typed, lower case")
    client: Mapped[str] = mapped_column(String(64), doc="the client's IP address")
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class OrgTokenRow(Base):
    __tablename__ = "org_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organisatie: Mapped[str] = mapped_column(String(255), index=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True, doc="never the token")
    label: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class CaseRow(Base):
    __tablename__ = "review_cases"

    registratie_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    organisatie: Mapped[str] = mapped_column(String(255), index=True)
    registration: Mapped[dict[str, Any]] = mapped_column(JSON, doc="the registration record")
    machine_entry: Mapped[dict[str, Any]] = mapped_column(JSON, doc="report entry, as checked")
    machine_verdict: Mapped[str] = mapped_column(String(16))
    verdict: Mapped[str] = mapped_column(String(16), index=True, doc="after review")
    codes: Mapped[str] = mapped_column(Text, default=" ", doc="' CODE CODE ' of active findings")
    min_confidence: Mapped[float] = mapped_column(Float, default=1.0)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    claimed_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    decision: Mapped[str | None] = mapped_column(String(16), nullable=True)
    reupload_message: Mapped[str | None] = mapped_column(Text, nullable=True)


class CaseDocumentRow(Base):
    __tablename__ = "review_documents"
    __table_args__ = (Index("ix_review_documents_case", "registratie_id", "superseded"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    registratie_id: Mapped[str] = mapped_column(
        ForeignKey("review_cases.registratie_id", ondelete="CASCADE")
    )
    slot: Mapped[str] = mapped_column(String(64))
    file: Mapped[str] = mapped_column(Text)
    line: Mapped[int] = mapped_column(Integer, default=0)
    document_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    processed: Mapped[dict[str, Any]] = mapped_column(JSON, doc="ProcessedDocument, as checked")
    source: Mapped[str] = mapped_column(String(300), doc="batch:<run id> or upload:<org>")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    superseded: Mapped[bool] = mapped_column(Boolean, default=False)


class CorrectionRow(Base):
    __tablename__ = "review_corrections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document: Mapped[int] = mapped_column(ForeignKey("review_documents.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(64))
    value: Mapped[Any] = mapped_column(JSON, nullable=True, doc="null: the machine's value again")
    username: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class FindingDecisionRow(Base):
    __tablename__ = "review_finding_decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    registratie_id: Mapped[str] = mapped_column(String(64), index=True)
    finding_key: Mapped[str] = mapped_column(String(32))
    decision: Mapped[str] = mapped_column(String(16), doc="confirmed or overruled")
    reason: Mapped[str] = mapped_column(Text)
    username: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AuditRow(Base):
    """Append-only: triggers refuse UPDATE, DELETE, TRUNCATE and an INSERT OR REPLACE over an
    existing row (migrations 0003, 0004), and every row is a link of a hash chain
    (`store.audit_chain`): write rows only through `store.audit_chain.append`."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    username: Mapped[str] = mapped_column(String(300), doc="reviewer, or org:<organisatie>")
    action: Mapped[str] = mapped_column(String(32))
    registratie_id: Mapped[str | None] = mapped_column(String(64), index=True, nullable=True)
    target: Mapped[str] = mapped_column(Text, default="")
    before: Mapped[Any] = mapped_column(JSON, nullable=True)
    after: Mapped[Any] = mapped_column(JSON, nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    prev_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, doc="sha256 hex")
    row_hash: Mapped[str | None] = mapped_column(
        String(64), nullable=True, doc="sha256(prev_hash, canonical content), hex"
    )


class SavedFilterRow(Base):
    """A reviewer's named view of the queue (its query string: filters and sort), migration
    0006."""

    __tablename__ = "saved_filters"
    __table_args__ = (UniqueConstraint("username", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(80))
    query: Mapped[str] = mapped_column(Text, doc="the queue's query string, without pagina")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class QueueViewRow(Base):
    """The queue view (query string) a reviewer last looked at, for the next-case button and
    the redirects after a queue action; kept here, not in the session cookie, which holds
    only the session's id (a search may name a participant). Migration 0006."""

    __tablename__ = "queue_views"

    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    query: Mapped[str] = mapped_column(Text, doc="the queue's query string, without pagina")
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
