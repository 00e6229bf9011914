"""Results store: runs, registrations, documents, findings (see store/runs.py).

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-23 14:20:49.856042
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.String(length=32), nullable=False),
        sa.Column("generated_at", sa.String(length=32), nullable=False),
        sa.Column("input_files", sa.JSON(), nullable=False),
        sa.Column("registration_count", sa.Integer(), nullable=False),
        sa.Column("document_count", sa.Integer(), nullable=False),
        sa.Column("finding_count", sa.Integer(), nullable=False),
        sa.Column("input_problem_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("run_id", sa.String(length=64), nullable=False),
        sa.Column("registratie_id", sa.String(length=64), nullable=False),
        sa.Column("document_id", sa.String(length=64), nullable=True),
        sa.Column("file", sa.Text(), nullable=False),
        sa.Column("slot", sa.String(length=64), nullable=False),
        sa.Column("doc_type", sa.String(length=64), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("text_source", sa.String(length=16), nullable=True),
        sa.Column("ocr_confidence", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_documents_run_registratie", "documents", ["run_id", "registratie_id"], unique=False
    )
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("run_id", sa.String(length=64), nullable=False),
        sa.Column("registratie_id", sa.String(length=64), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("document_id", sa.String(length=64), nullable=True),
        sa.Column("page", sa.Integer(), nullable=True),
        sa.Column("bbox", sa.JSON(), nullable=True),
        sa.Column("expected", sa.Text(), nullable=True),
        sa.Column("found", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_findings_code"), "findings", ["code"], unique=False)
    op.create_index(
        "ix_findings_run_registratie", "findings", ["run_id", "registratie_id"], unique=False
    )
    op.create_table(
        "registrations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("run_id", sa.String(length=64), nullable=False),
        sa.Column("registratie_id", sa.String(length=64), nullable=False),
        sa.Column("verdict", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("run_id", "registratie_id"),
    )
    op.create_index(
        op.f("ix_registrations_registratie_id"), "registrations", ["registratie_id"], unique=False
    )
    op.create_index(op.f("ix_registrations_run_id"), "registrations", ["run_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_registrations_run_id"), table_name="registrations")
    op.drop_index(op.f("ix_registrations_registratie_id"), table_name="registrations")
    op.drop_table("registrations")
    op.drop_index("ix_findings_run_registratie", table_name="findings")
    op.drop_index(op.f("ix_findings_code"), table_name="findings")
    op.drop_table("findings")
    op.drop_index("ix_documents_run_registratie", table_name="documents")
    op.drop_table("documents")
    op.drop_table("runs")
