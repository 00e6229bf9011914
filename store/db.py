"""The results database itself: its one SQLAlchemy `Base` (every table of the project is
declared on it: `store.runs`, `store.claims`, `store.review_tables`), engines, the Alembic
migrations in `migrations/`, and the translation of database faults into `ResultsStoreError`.

SQLite by default, PostgreSQL in production. Nothing here logs a database URL (it may carry a
password), and no error carries an SQL statement or its parameters."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase

from core.errors import ResultsStoreError, first_line

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
# The newest revision in `migrations/versions` (a test holds it to Alembic's own head): a store
# at it needs no migration, which is then decided without importing Alembic.
HEAD = "0006"


class Base(DeclarativeBase):
    pass


def aware(moment: datetime) -> datetime:
    """A stored time as an aware UTC datetime: SQLite hands datetimes back without their
    (UTC) zone, PostgreSQL with it."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def db_reason(exc: SQLAlchemyError) -> str:
    """A one-line reason without the statement or its parameters: the driver's own message."""
    return first_line(getattr(exc, "orig", None) or exc) or type(exc).__name__


@contextmanager
def database_errors(action: str) -> Iterator[None]:
    """Turn a database fault in the block into `ResultsStoreError("results database cannot be
    <action>: <reason>")`, e.g. `action="written"`."""
    try:
        yield
    except SQLAlchemyError as exc:
        raise ResultsStoreError(f"results database cannot be {action}: {db_reason(exc)}") from exc


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


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the database's schema to `revision` (default: the newest Alembic revision; a
    no-op when it is there)."""
    if revision == "head" and at_head(engine):
        return  # without importing Alembic (0.7 s of every command that opens the store)
    from alembic import command
    from alembic.config import Config

    if not (MIGRATIONS / "env.py").is_file():
        raise ResultsStoreError(f"migrations not found in {MIGRATIONS}")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with database_errors("migrated"), engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def at_head(engine: Engine) -> bool:
    """Whether the database says it is at `HEAD` (Alembic's own version table); False when it
    has no such table yet."""
    with database_errors("migrated"), engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return False
        versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    return [row[0] for row in versions] == [HEAD]


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


def migrate_in_background(url: str) -> threading.Thread:
    """Migrate the store at `url` in a thread of its own (join it before using the store):
    the batch has it done while its documents are checked, not after them (a new store's
    migration took ~1 s at the end of a batch). A fault is left to the store's real use,
    which meets it again and reports it."""

    def run() -> None:
        try:
            open_store(url).dispose()
        except Exception:  # reported by the use that follows (import_run, store_report)
            return

    thread = threading.Thread(target=run, name="migrate-store", daemon=True)
    thread.start()
    return thread
