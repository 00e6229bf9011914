"""Audit guard: the append-only tables also refuse TRUNCATE (PostgreSQL: a trigger, and the
privilege revoked from PUBLIC and from the role that migrates, the app's own) and an INSERT OR
REPLACE over an existing row (SQLite: its REPLACE deletes the old row without firing the
DELETE trigger); the audit log becomes a hash chain (`store.audit_chain`), the hashes of the
rows already there computed here, in id order.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 10:00:00
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

from store.audit_chain import GENESIS, chain_hash

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY = ("audit_log", "review_corrections", "review_finding_decisions")
BATCH = 1000

_audit = sa.table(
    "audit_log",
    sa.column("id", sa.Integer()),
    sa.column("at", sa.DateTime(timezone=True)),
    sa.column("username", sa.String()),
    sa.column("action", sa.String()),
    sa.column("registratie_id", sa.String()),
    sa.column("target", sa.Text()),
    sa.column("before", sa.JSON()),
    sa.column("after", sa.JSON()),
    sa.column("reason", sa.Text()),
    sa.column("prev_hash", sa.String()),
    sa.column("row_hash", sa.String()),
)


def _postgres() -> bool:
    return bool(op.get_bind().dialect.name == "postgresql")


def upgrade() -> None:
    op.add_column("audit_log", sa.Column("prev_hash", sa.String(64), nullable=True))
    op.add_column("audit_log", sa.Column("row_hash", sa.String(64), nullable=True))
    _without_update_guard(_chain_existing_rows)
    for table in APPEND_ONLY:
        if _postgres():
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION bewijscheck_append_only()"
            )
            op.execute(f"REVOKE TRUNCATE ON {table} FROM PUBLIC, CURRENT_USER")
        else:
            op.execute(
                f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} "
                f"WHEN EXISTS (SELECT 1 FROM {table} WHERE id = NEW.id) "
                f"BEGIN SELECT RAISE(ABORT, 'append-only table {table}'); END"
            )


def _without_update_guard(work: Callable[[], None]) -> None:
    """Run `work` with the audit log's UPDATE trigger off: the only time the rows are written
    again, to give them their hashes (their content stays as it was)."""
    if _postgres():
        op.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only")
        work()
        op.execute("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only")
        return
    op.execute("DROP TRIGGER audit_log_no_update")
    work()
    op.execute(
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'append-only table audit_log'); END"
    )


def _chain_existing_rows() -> None:
    connection = op.get_bind()
    previous, after = GENESIS, -1
    while True:
        rows = connection.execute(
            sa.select(_audit).where(_audit.c.id > after).order_by(_audit.c.id).limit(BATCH)
        ).all()
        links = []
        for row in rows:
            row_hash = chain_hash(previous, row)
            links.append({"key": row.id, "prev": previous, "hash": row_hash})
            previous = row_hash
        if links:
            connection.execute(
                _audit.update()
                .where(_audit.c.id == sa.bindparam("key"))
                .values(prev_hash=sa.bindparam("prev"), row_hash=sa.bindparam("hash")),
                links,
            )
        if len(rows) < BATCH:
            return
        after = rows[-1].id


def downgrade() -> None:
    for table in APPEND_ONLY:
        if _postgres():
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
            op.execute(f"GRANT TRUNCATE ON {table} TO CURRENT_USER")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_replace")
    # Not alembic's batch mode: copying the table would drop its append-only triggers.
    for column in ("row_hash", "prev_hash"):
        op.execute(f"ALTER TABLE audit_log DROP COLUMN {column}")
