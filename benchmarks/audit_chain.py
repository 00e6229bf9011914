"""What the audit log's hash chain (`store.audit_chain`) costs: appending a row, alone and with
concurrent writers, against a plain insert; walking the chain (`bewijscheck audit verify`);
and the migration that gives existing rows their links.

On a temporary SQLite file (or `--url`, e.g. a PostgreSQL database that may be emptied):
1. `--n` transactions of one audit row each, written as before the chain (plain insert) and
   through `review.repository.audit` (lock, last hash, insert);
2. `--writers` threads writing `--n` rows in all through `audit`, then the chain verified
   (it must be intact: no fork);
3. `verify_chain` over `--rows` rows;
4. migration 0004 over `--rows` rows written at revision 0003 (SQLite only).
Prints one line per measurement; exits 1 when a chain does not verify.

    .venv/bin/python -m benchmarks.audit_chain [--n 500] [--writers 4] [--rows 20000] [--url URL]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from review.repository import audit
from store.audit_chain import verify_chain
from store.db import make_engine, migrate
from store.review_tables import AuditRow

AFTER = {"verdict": "reject", "documents": ["loonstrook.pdf", "pok.pdf"]}


def plain(engine: Engine, n: int) -> None:
    """Rows as they were written before the chain: no lock, no hash."""
    for i in range(n):
        with Session(engine) as session, session.begin():
            row = AuditRow(at=datetime.now(UTC), username="bench", action="import", after=AFTER)
            row.registratie_id, row.target, row.before, row.reason = f"R{i:07d}", "batch", None, ""
            session.add(row)


def chained(engine: Engine, n: int, who: str = "bench", per_transaction: int = 1) -> None:
    for start in range(0, n, per_transaction):
        with Session(engine) as session, session.begin():
            for i in range(start, min(n, start + per_transaction)):
                audit(session, who, "import", f"R{i:07d}", target="batch", after=AFTER)


def timed(label: str, n: int, work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    seconds = time.perf_counter() - started
    print(f"{label:<44} {n:>7} rows  {seconds:7.2f} s  {n / seconds:9.0f} rows/s")
    return seconds


def compare(plain_db: Engine, chain_db: Engine, n: int, rounds: int = 3) -> None:
    """Plain and chained writes in turns (after a warm-up), so the disk's moods hit both; the
    median round of each."""
    plain(plain_db, 20)
    chained(chain_db, 20)
    times: dict[str, list[float]] = {"plain": [], "chained": []}
    for _ in range(rounds):
        times["plain"].append(
            timed("plain insert, 1 row/transaction", n, lambda: plain(plain_db, n))
        )
        times["chained"].append(
            timed("chained append, 1 row/transaction", n, lambda: chained(chain_db, n))
        )
    for kind, seconds in times.items():
        print(f"  median {kind}: {statistics.median(seconds) / n * 1000:.2f} ms per row")
    plain_db.dispose()
    chain_db.dispose()


def concurrent(engine: Engine, writers: int, n: int) -> None:
    each = max(1, n // writers)
    threads = [
        threading.Thread(target=chained, args=(engine, each, f"w{i}")) for i in range(writers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def fresh(url: str | None, folder: Path, name: str) -> Engine:
    engine = make_engine(url or f"sqlite:///{folder / name}")
    migrate(engine)
    if url:
        with engine.begin() as connection:  # a bench database: start empty
            connection.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
            connection.execute(text("DELETE FROM audit_log"))
            connection.execute(text("ALTER TABLE audit_log ENABLE TRIGGER USER"))
    return engine


def migration(folder: Path, rows: int) -> bool:
    """Migration 0004 over `rows` rows written at 0003; whether the chain it made verifies."""
    engine = make_engine(f"sqlite:///{folder / 'old.db'}")
    migrate(engine, "0003")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO audit_log (at, username, action, registratie_id, target, before, "
                "after, reason) VALUES ('2026-11-23 09:00:00.000000', 'bench', 'import', :r, "
                "'batch', NULL, :after, '')"
            ),
            [{"r": f"R{i:07d}", "after": '{"verdict": "reject"}'} for i in range(rows)],
        )
    timed("migration 0004 (hashes for existing rows)", rows, lambda: migrate(engine))
    intact = verify_chain(engine).broken is None
    engine.dispose()
    return intact


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--url", default=None, help="database URL (default: a temp SQLite file)")
    args = parser.parse_args()
    ok = True
    with tempfile.TemporaryDirectory(prefix="bench-audit-") as tmp:
        folder = Path(tmp)
        compare(fresh(args.url, folder, "plain.db"), fresh(args.url, folder, "chain.db"), args.n)
        engine = fresh(args.url, folder, "writers.db")
        n = args.writers * max(1, args.n // args.writers)
        label = f"chained append, {args.writers} concurrent writers"
        timed(label, n, lambda: concurrent(engine, args.writers, args.n))
        report = verify_chain(engine)
        ok &= report.broken is None and report.rows == n
        print(f"  chain after concurrent writers: {report.rows} rows, broken={report.broken}")
        chained(engine, max(0, args.rows - n), per_transaction=1000)
        timed("verify_chain", args.rows, lambda: verify_chain(engine))
        engine.dispose()
        if not args.url:
            ok &= migration(folder, args.rows)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
