"""Saved queue filters per reviewer and the queue view each last looked at; every case's
lowest confidence recomputed with what the queue's "Lage zekerheid" filter now means (only
values actually read count: see review/confidence.py).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-08 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "saved_filters",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(64), nullable=False, index=True),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.UniqueConstraint("username", "name"),
    )
    op.create_table(
        "queue_views",
        sa.Column("username", sa.String(64), primary_key=True),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("at", TZ, nullable=False),
    )
    _recompute_confidence()


def _recompute_confidence() -> None:
    """The stored lowest confidence of every case, from its current documents with the
    reviewers' corrections (the rules need not run: the confidence depends on the documents
    only). Nothing else of the case changes."""
    from core.report import report_document
    from review.cases import corrected
    from review.confidence import case_confidence
    from review.repository import documents, review_state
    from store.review_tables import CaseRow

    session = Session(bind=op.get_bind())
    try:
        for case in session.scalars(sa.select(CaseRow)).all():
            docs = documents(session, case.registratie_id)
            state = review_state(session, case.registratie_id, [d.id for d in docs])
            read = [
                report_document(corrected(d.processed, state.corrections.get(d.id, {})))
                for d in docs
            ]
            case.min_confidence = case_confidence(read)
        session.flush()
    finally:
        session.close()


def downgrade() -> None:
    op.drop_table("queue_views")
    op.drop_table("saved_filters")
