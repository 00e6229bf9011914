"""The audit log as a hash chain: every row stores the previous row's hash (`prev_hash`) and
its own (`row_hash` = SHA-256 of the previous hash and the row's canonical content), so a row
changed, removed or slipped in behind the database's triggers (by someone with database
access who dropped or disabled them) breaks the chain at that row. `verify_chain` walks it.

Appending takes the chain's lock inside the writer's transaction before it reads the last
hash, so two writers cannot both chain onto the same row (a fork): PostgreSQL a transaction
advisory lock (needs no table privilege and ends with the transaction), SQLite the database's
write lock (`BEGIN IMMEDIATE` when the transaction has not written yet; pysqlite starts a
transaction only at the first write, so a plain read would not hold anything).

The chain detects changes; it does not prevent them: whoever can rewrite every hash from the
changed row on can hide a change. Keep a copy of the last hash (`bewijscheck audit verify`
prints it) outside the database to catch that too."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from store.db import aware
from store.review_tables import AuditRow

GENESIS = "0" * 64  # the previous hash of the first row
CHAIN_LOCK = 0x62776B6175646974  # the advisory lock's key on PostgreSQL ("bwkaudit")
CONTENT = ("at", "username", "action", "registratie_id", "target", "before", "after", "reason")
BATCH = 1000


class AuditContent(Protocol):
    at: datetime
    username: str
    action: str
    registratie_id: str | None
    target: str
    before: Any
    after: Any
    reason: str


def _instant(value: datetime) -> str:
    """A time as stored: SQLite gives it back without zone (it was written in UTC)."""
    return aware(value).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(row: AuditContent) -> bytes:
    """The row's content as one byte string that survives the round trip through either
    database: keys sorted, the time in UTC to the microsecond, JSON as the database parses
    it back (tuples as lists). The id is left out: the chain itself fixes the order."""
    content = {name: getattr(row, name) for name in CONTENT}
    content["at"] = _instant(row.at)
    return json.dumps(
        content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    ).encode("utf-8")


def chain_hash(prev_hash: str, row: AuditContent) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + canonical(row)).hexdigest()


def lock_chain(session: Session) -> None:
    """Hold the chain's lock until the session's transaction ends."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK})
    elif connection.dialect.name == "sqlite":
        driver = connection.connection.driver_connection
        if driver is not None and not driver.in_transaction:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


def last_hash(session: Session) -> str:
    found = session.scalar(select(AuditRow.row_hash).order_by(AuditRow.id.desc()).limit(1))
    return found or GENESIS


def append(session: Session, row: AuditRow) -> None:
    """Add `row` to the log as the chain's next link, in the session's transaction."""
    session.flush()  # this transaction's earlier rows first (they are part of the chain)
    lock_chain(session)
    row.prev_hash = last_hash(session)
    row.row_hash = chain_hash(row.prev_hash, row)
    session.add(row)
    session.flush()


@dataclass(frozen=True)
class ChainBreak:
    id: int  # the first row whose link does not hold
    position: int  # its place in the log, from 1
    reason: str  # Dutch


@dataclass(frozen=True)
class ChainReport:
    rows: int
    head: str  # the last row's hash (GENESIS for an empty log)
    broken: ChainBreak | None


def _rows(session: Session) -> Iterator[AuditRow]:
    after = -1
    while True:
        batch = list(
            session.scalars(
                select(AuditRow).where(AuditRow.id > after).order_by(AuditRow.id).limit(BATCH)
            )
        )
        yield from batch
        if len(batch) < BATCH:
            return
        after = batch[-1].id
        session.expunge_all()


def verify_chain(engine: Engine) -> ChainReport:
    """Walk the log in id order and check every link; the first row that breaks it is named."""
    previous = GENESIS
    count = 0
    with Session(engine) as session:
        for row in _rows(session):
            count += 1
            reason = None
            if row.row_hash is None or row.prev_hash is None:
                reason = "de regel heeft geen hash (buiten de applicatie toegevoegd)"
            elif row.prev_hash != previous:
                reason = (
                    "de vorige hash klopt niet: een eerdere regel is verwijderd, ingevoegd of "
                    "van hash veranderd"
                )
            elif row.row_hash != chain_hash(previous, row):
                reason = "de inhoud past niet bij de hash: de regel is na het schrijven gewijzigd"
            if reason is not None:
                return ChainReport(count, previous, ChainBreak(row.id, count, reason))
            previous = row.row_hash or GENESIS
    return ChainReport(count, previous, None)
