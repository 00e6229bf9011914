"""The audit log cannot be rewritten quietly (store/audit_chain.py, migration 0004): SQLite
refuses an INSERT OR REPLACE over an existing row, PostgreSQL a TRUNCATE, every row is a link
of a hash chain that `bewijscheck audit verify` walks, rows written before the migration get
their links from it, and concurrent writers do not fork the chain."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from bewijscheck.cli import app as cli
from core.errors import ExitCode
from review.repository import audit
from store.audit_chain import verify_chain
from store.db import make_engine, migrate
from tests.test_results_store import postgres_url  # noqa: F401  - the session's server

ROWS = 5


def write_rows(engine: Engine, count: int = ROWS, who: str = "anna") -> None:
    for i in range(count):
        with Session(engine) as session, session.begin():
            audit(session, who, "claim", f"R{i:07d}", before={"n": i}, after={"f": [i, 0.1]})


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'audit.db'}")
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def pg_admin(postgres_url: str) -> Iterator[Engine]:  # noqa: F811
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    yield admin
    admin.dispose()


def pg_database(admin: Engine, server: str, owner: str = "postgres") -> str:
    """A new database owned by `owner`; its URL as that role."""
    name = f"t_{uuid.uuid4().hex}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" OWNER "{owner}"'))
    host = server.rsplit("@", 1)[1].rsplit("/", 1)[0]
    return f"postgresql+psycopg://{owner}@{host}/{name}"


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'audit.db'}"
    else:
        admin: Engine = request.getfixturevalue("pg_admin")
        url = pg_database(admin, request.getfixturevalue("postgres_url"))
    engine = make_engine(url)
    migrate(engine)
    yield engine
    engine.dispose()


def verify_cli(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    monkeypatch.setenv("BEWIJSCHECK_DATABASE_URL", engine.url.render_as_string(False))
    result = CliRunner().invoke(cli, ["audit", "verify"])
    return result.exit_code, result.output


def test_an_intact_log_verifies(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    write_rows(engine)
    report = verify_chain(engine)
    assert (report.rows, report.broken) == (ROWS, None)
    code, output = verify_cli(engine, monkeypatch)
    assert code == 0, output
    assert f"Auditlog intact: {ROWS} regels, laatste hash {report.head}." in output


def _drop_guards(connection: object, dialect: str) -> None:
    run = connection.execute  # type: ignore[attr-defined]
    if dialect == "postgresql":
        run(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
    else:
        for name in ("audit_log_no_update", "audit_log_no_delete"):
            run(text(f"DROP TRIGGER {name}"))


@pytest.mark.parametrize(
    ("change", "position", "why"),
    [
        ("UPDATE audit_log SET reason = 'niets aan de hand' WHERE id = 3", 3, "inhoud"),
        ("UPDATE audit_log SET after = NULL WHERE id = 5", 5, "inhoud"),
        ("DELETE FROM audit_log WHERE id = 2", 2, "vorige hash"),
    ],
    ids=["reason", "after", "deleted"],
)
def test_a_row_changed_behind_the_triggers_is_caught(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, change: str, position: int, why: str
) -> None:
    write_rows(engine)
    with engine.begin() as connection:
        _drop_guards(connection, engine.dialect.name)
        connection.execute(text(change))
    broken = verify_chain(engine).broken
    assert broken is not None and broken.position == position and why in broken.reason
    code, output = verify_cli(engine, monkeypatch)
    assert code == ExitCode.AUDIT_BROKEN
    assert f"auditlog verbroken bij regel {position} " in output


def test_insert_or_replace_on_an_existing_id_is_refused(sqlite_engine: Engine) -> None:
    write_rows(sqlite_engine, 2)
    for verb in ("INSERT OR REPLACE", "REPLACE"):
        with pytest.raises(DatabaseError, match="append-only"), sqlite_engine.begin() as c:
            c.execute(
                text(
                    f"{verb} INTO audit_log (id, at, username, action, target, reason) "
                    "VALUES (1, '2026-01-01 00:00:00', 'x', 'claim', '', 'herschreven')"
                )
            )
    with sqlite_engine.connect() as connection:
        assert connection.execute(text("SELECT username FROM audit_log WHERE id = 1")).scalar() == (
            "anna"
        )
    assert verify_chain(sqlite_engine).broken is None


def test_truncate_is_refused_on_postgres(pg_admin: Engine, postgres_url: str) -> None:  # noqa: F811
    """By the trigger (even for a superuser) and, for the app's own role, by the privilege."""
    role = f"app_{uuid.uuid4().hex[:8]}"
    with pg_admin.connect() as connection:
        connection.execute(text(f'CREATE ROLE "{role}" LOGIN'))
    url = pg_database(pg_admin, postgres_url, owner=role)
    as_app, as_super = make_engine(url), make_engine(url.replace(f"//{role}@", "//postgres@"))
    try:
        migrate(as_app)
        write_rows(as_app, 2)
        with pytest.raises(DatabaseError, match="permission denied"), as_app.begin() as c:
            c.execute(text("TRUNCATE audit_log"))
        with pytest.raises(DatabaseError, match="append-only"), as_super.begin() as c:
            c.execute(text("TRUNCATE audit_log"))
        assert verify_chain(as_app).rows == 2
    finally:
        as_app.dispose()
        as_super.dispose()


def test_rows_written_before_the_migration_get_their_links(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    migrate(engine, "0003")
    with engine.begin() as connection:
        for i in range(3):
            connection.execute(
                text(
                    "INSERT INTO audit_log (at, username, action, target, before, after, reason)"
                    " VALUES (:at, 'bram', 'claim', '', NULL, :after, '')"
                ),
                {"at": f"2026-11-2{i} 09:00:00.000000", "after": '{"verdict": "reject"}'},
            )
    migrate(engine)
    write_rows(engine, 1)  # and the chain goes on from them
    report = verify_chain(engine)
    assert (report.rows, report.broken) == (4, None)
    engine.dispose()


def test_concurrent_writers_do_not_fork_the_chain(engine: Engine) -> None:
    writers, each = 4, 10
    start = threading.Barrier(writers)
    errors: list[BaseException] = []

    def work(name: str) -> None:
        try:
            start.wait()
            write_rows(engine, each, name)
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    report = verify_chain(engine)
    assert (report.rows, report.broken) == (writers * each, None)
