"""Intake by bucket: claims and outcomes of incoming objects (see pipeline/bucket_intake.py).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 10:12:03.518224
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "intake_objects",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source", sa.String(length=255), nullable=False),
        sa.Column("object_key", sa.String(length=1024), nullable=False),
        sa.Column("version", sa.String(length=255), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claim_token", sa.String(length=32), nullable=False),
        sa.Column("claimed_by", sa.String(length=255), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("registratie_id", sa.String(length=64), nullable=True),
        sa.Column("slot", sa.String(length=64), nullable=True),
        sa.Column("document_id", sa.String(length=64), nullable=True),
        sa.Column("verdict", sa.String(length=16), nullable=True),
        sa.Column("entry", sa.JSON(), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "source", "object_key", "version", name="uq_intake_objects_source_key_version"
        ),
    )
    op.create_index(
        op.f("ix_intake_objects_registratie_id"), "intake_objects", ["registratie_id"], unique=False
    )
    op.create_index(op.f("ix_intake_objects_status"), "intake_objects", ["status"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_intake_objects_status"), table_name="intake_objects")
    op.drop_index(op.f("ix_intake_objects_registratie_id"), table_name="intake_objects")
    op.drop_table("intake_objects")
