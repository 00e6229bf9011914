"""Alembic environment of the results store: uses the connection bewijscheck hands in
(`store.db.migrate`), or else the URL from `Settings.from_env()`
(`BEWIJSCHECK_DATABASE_URL`, default SQLite in the data folder)."""

from __future__ import annotations

import logging.config

from alembic import context
from sqlalchemy.engine import Connection

from core.settings import Settings
from store import claims as _claims  # noqa: F401  - registers the intake claims' table
from store import review_tables as _review_tables  # noqa: F401  - registers the review tables
from store import runs as _runs  # noqa: F401  - registers the batch runs' tables
from store.db import Base, make_engine

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    if config.config_file_name is not None:
        logging.config.fileConfig(config.config_file_name, disable_existing_loggers=False)
    engine = make_engine(Settings.from_env().database_dsn())
    try:
        with engine.begin() as connection:
            _run(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported; run against a database")
run_migrations_online()
