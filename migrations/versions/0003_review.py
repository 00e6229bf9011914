"""Review app: users, organisation tokens, review cases and documents, corrections, finding
decisions and the append-only audit log (see store/review_tables.py).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 15:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TZ = sa.DateTime(timezone=True)
APPEND_ONLY = ("audit_log", "review_corrections", "review_finding_decisions")


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_table(
        "org_tokens",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("organisatie", sa.String(255), nullable=False, index=True),
        sa.Column("token_sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("label", sa.String(255), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("revoked_at", TZ, nullable=True),
    )
    op.create_table(
        "review_cases",
        sa.Column("registratie_id", sa.String(64), primary_key=True),
        sa.Column("organisatie", sa.String(255), nullable=False, index=True),
        sa.Column("registration", sa.JSON(), nullable=False),
        sa.Column("machine_entry", sa.JSON(), nullable=False),
        sa.Column("machine_verdict", sa.String(16), nullable=False),
        sa.Column("verdict", sa.String(16), nullable=False, index=True),
        sa.Column("codes", sa.Text(), nullable=False),
        sa.Column("min_confidence", sa.Float(), nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.Column("claimed_by", sa.String(64), nullable=True),
        sa.Column("claimed_at", TZ, nullable=True),
        sa.Column("decision", sa.String(16), nullable=True),
        sa.Column("reupload_message", sa.Text(), nullable=True),
    )
    op.create_table(
        "review_documents",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "registratie_id",
            sa.String(64),
            sa.ForeignKey("review_cases.registratie_id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("slot", sa.String(64), nullable=False),
        sa.Column("file", sa.Text(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.String(64), nullable=True, index=True),
        sa.Column("processed", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(300), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("superseded", sa.Boolean(), nullable=False),
    )
    op.create_index(
        "ix_review_documents_case", "review_documents", ["registratie_id", "superseded"]
    )
    op.create_table(
        "review_corrections",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "document",
            sa.Integer(),
            sa.ForeignKey("review_documents.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("field", sa.String(64), nullable=False),
        sa.Column("value", sa.JSON(), nullable=True),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("at", TZ, nullable=False),
    )
    op.create_table(
        "review_finding_decisions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("registratie_id", sa.String(64), nullable=False, index=True),
        sa.Column("finding_key", sa.String(32), nullable=False),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("at", TZ, nullable=False),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("at", TZ, nullable=False, index=True),
        sa.Column("username", sa.String(300), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("registratie_id", sa.String(64), nullable=True, index=True),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
    )
    for table in APPEND_ONLY:
        _refuse_changes(table)


def _refuse_changes(table: str) -> None:
    """The database itself refuses UPDATE and DELETE on an append-only table."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE OR REPLACE FUNCTION bewijscheck_append_only() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION 'append-only table %', TG_TABLE_NAME; END $$ LANGUAGE plpgsql"
        )
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION bewijscheck_append_only()"
        )
        return
    for event in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, 'append-only table {table}'); END"
        )


def downgrade() -> None:
    for table in (
        "audit_log",
        "review_finding_decisions",
        "review_corrections",
        "review_documents",
        "review_cases",
        "org_tokens",
        "users",
    ):
        op.drop_table(table)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS bewijscheck_append_only()")
