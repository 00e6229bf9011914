"""The results store against SQLite and a real PostgreSQL (Debian's `postgresql`, started for
the session in a temporary folder; skipped with a reason when its binaries are absent)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, event, func, inspect, select, text

from core.enums import DocType, FindingCode, Slot, TextSource, Verdict
from core.errors import ResultsStoreError
from core.geometry import BBox
from core.report import Report, ReportDocument, ReportRegistration
from core.settings import Settings
from store.db import Base, make_engine, migrate
from store.runs import (
    DocumentRow,
    FindingRow,
    RegistrationRow,
    RunInfo,
    RunRow,
    latest_verdicts,
    save_report,
)
from tests import factories

SHA = "ab" * 32
BOX = [0.1, 0.2, 0.5, 0.25]


def make_report(verdict_r1: Verdict = Verdict.REJECT) -> Report:
    """Two registrations: one with a crebo mismatch (evidence with a box), one approved."""
    doc = ReportDocument(
        document_id=SHA,
        file="docs/pok.pdf",
        slot=Slot.PRAKTIJKOVEREENKOMST,
        doc_type=DocType.PRAKTIJKOVEREENKOMST,
        doc_type_confidence=0.93,
        pages=2,
        text_source=TextSource.OCR,
        ocr_confidence=0.87,
    )
    mismatch = factories.finding(
        FindingCode.CREBO_MISMATCH,
        "Het crebonummer op de praktijkovereenkomst is 25491, niet 25655.",
        document_id=SHA,
        page=1,
        bbox=BBox.model_validate(BOX),
        expected="25655",
        found="25491",
        slot=Slot.PRAKTIJKOVEREENKOMST,
        file="docs/pok.pdf",
    )
    missing = factories.finding(
        FindingCode.DOCUMENT_MISSING, "Upload de loonstrook van de startmaand."
    )
    return Report(
        registrations=[
            ReportRegistration(
                registratie_id="R-0001",
                verdict=verdict_r1,
                findings=[mismatch, missing],
                documents=[doc],
            ),
            ReportRegistration(
                registratie_id="R-0002",
                verdict=Verdict.APPROVE,
                documents=[doc.model_copy(update={"file": "docs/pok2.pdf"})],
            ),
        ]
    )


def counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            row.__tablename__: connection.execute(
                select(func.count()).select_from(row)
            ).scalar_one()
            for row in (RunRow, RegistrationRow, DocumentRow, FindingRow)
        }


# --- PostgreSQL for the session -----------------------------------------------------------


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL server on a free port of 127.0.0.1, its data and socket in a temp folder."""
    bindir = _pg_bin()
    if bindir is None or not (bindir / "pg_ctl").exists():
        pytest.skip("PostgreSQL binaries (initdb, pg_ctl) not found: apt-get install postgresql")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg is not installed: pip install 'psycopg[binary]'")
    # under /tmp itself: pytest's tmp folders are private to root, postgres could not enter them
    root = Path(tempfile.mkdtemp(prefix="bewijscheck-pg-"))
    prefix: list[str] = []
    if os.geteuid() == 0:  # initdb and postgres refuse to run as root
        shutil.chown(root, "postgres", "postgres")
        prefix = ["runuser", "-u", "postgres", "--"]
    data, sock, logfile = root / "data", root / "sock", root / "server.log"
    port = _free_port()

    def run(*args: str) -> None:
        subprocess.run([*prefix, *args], check=True, capture_output=True, timeout=120)

    try:
        run("mkdir", str(sock))
        run(
            str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
            "-E", "UTF8", "--locale=C", "--no-sync",
        )  # fmt: skip
        options = f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -F"
        run(str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(logfile), "-w",
            "start")  # fmt: skip
    except subprocess.CalledProcessError as exc:
        shutil.rmtree(root, ignore_errors=True)
        pytest.fail(f"PostgreSQL did not start: {exc.stderr.decode(errors='replace')[-500:]}")
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated, empty results store: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        store = make_engine(f"sqlite:///{tmp_path / 'store' / 'bewijscheck.db'}")
        migrate(store)
        yield store
        store.dispose()
        return
    server: str = request.getfixturevalue("postgres_url")
    name = f"t_{uuid.uuid4().hex}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    store = make_engine(server.rsplit("/", 1)[0] + f"/{name}")
    try:
        migrate(store)
        yield store
    finally:
        store.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# --- tests ----------------------------------------------------------------------------------


def test_save_and_read_back(engine: Engine) -> None:
    started = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    run = RunInfo(
        run_id="run-1",
        started_at=started,
        finished_at=started + timedelta(minutes=3),
        input_files=["registrations.csv", "manifest.csv"],
    )
    assert save_report(engine, make_report(), run) == "run-1"

    assert counts(engine) == {"runs": 1, "registrations": 2, "documents": 2, "findings": 2}
    assert latest_verdicts(engine) == {"R-0001": Verdict.REJECT, "R-0002": Verdict.APPROVE}
    with engine.connect() as connection:
        stored = connection.execute(select(RunRow)).one()
        finding = connection.execute(
            select(FindingRow).where(FindingRow.code == FindingCode.CREBO_MISMATCH.value)
        ).one()
        doc = connection.execute(select(DocumentRow).where(DocumentRow.registratie_id == "R-0001"))
        document = doc.one()
    assert stored.input_files == ["registrations.csv", "manifest.csv"]
    assert (stored.registration_count, stored.document_count, stored.finding_count) == (2, 2, 2)
    assert stored.finished_at - stored.started_at == timedelta(minutes=3)
    assert finding.bbox == BOX
    assert (finding.severity, finding.page, finding.expected, finding.found) == (
        "error",
        1,
        "25655",
        "25491",
    )
    assert (document.document_id, document.slot, document.text_source, document.pages) == (
        SHA,
        Slot.PRAKTIJKOVEREENKOMST.value,
        TextSource.OCR.value,
        2,
    )
    assert document.confidence == pytest.approx(0.93)
    assert document.ocr_confidence == pytest.approx(0.87)


def test_saving_the_same_run_again_replaces_never_duplicates(engine: Engine) -> None:
    run = RunInfo(run_id="run-same")
    save_report(engine, make_report(), run)
    save_report(engine, make_report(Verdict.REVIEW), run)
    save_report(engine, make_report(Verdict.REVIEW), run)

    assert counts(engine) == {"runs": 1, "registrations": 2, "documents": 2, "findings": 2}
    assert latest_verdicts(engine)["R-0001"] is Verdict.REVIEW


def test_latest_verdicts_take_the_most_recent_run(engine: Engine) -> None:
    early = datetime(2026, 1, 1, tzinfo=UTC)
    late = datetime(2026, 6, 1, tzinfo=UTC)
    save_report(engine, make_report(Verdict.APPROVE), RunInfo(started_at=late, finished_at=late))
    save_report(engine, make_report(Verdict.REJECT), RunInfo(started_at=early, finished_at=early))
    only_r1 = Report(registrations=make_report().registrations[:1])
    save_report(engine, only_r1, RunInfo(started_at=early, finished_at=early))

    assert latest_verdicts(engine) == {"R-0001": Verdict.APPROVE, "R-0002": Verdict.APPROVE}


def test_a_fault_mid_transaction_leaves_nothing_half_written(engine: Engine) -> None:
    save_report(engine, make_report(Verdict.REJECT), RunInfo(run_id="run-old"))
    before = counts(engine)

    class Killed(RuntimeError):
        """The process dies while the findings are being written."""

    def die_on_findings(
        _conn: Any, _cursor: Any, statement: str, *_args: Any, **_kwargs: Any
    ) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO FINDINGS"):
            raise Killed("killed mid-transaction")

    event.listen(engine, "before_cursor_execute", die_on_findings)
    try:
        with pytest.raises(Killed):  # a new run: its run, registrations, documents roll back
            save_report(engine, make_report(), RunInfo(run_id="run-new"))
        with pytest.raises(Killed):  # a re-save: the old version of the run stays whole
            save_report(engine, make_report(Verdict.APPROVE), RunInfo(run_id="run-old"))
    finally:
        event.remove(engine, "before_cursor_execute", die_on_findings)

    assert counts(engine) == before
    assert latest_verdicts(engine)["R-0001"] is Verdict.REJECT
    with engine.connect() as connection:
        assert connection.execute(select(RunRow.id)).scalars().all() == ["run-old"]


def test_migrations_match_the_models(engine: Engine) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    # the intake claims' and the review app's tables share the metadata
    from store import claims, review_tables  # noqa: F401

    migrate(engine)  # a second run is a no-op
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        assert diff == []
        assert inspect(connection).has_table("alembic_version")


def test_database_error_is_a_store_error_with_a_short_reason(tmp_path: Path) -> None:
    store = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")  # never migrated
    with pytest.raises(ResultsStoreError, match="cannot be written: no such table"):
        save_report(store, make_report(), RunInfo())
    store.dispose()


def test_database_url_setting(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("BEWIJSCHECK_DATABASE_URL", raising=False)
    monkeypatch.setenv("BEWIJSCHECK_DATA_DIR", str(tmp_path))
    assert Settings.from_env().database_dsn() == f"sqlite:///{tmp_path / 'bewijscheck.db'}"
    moved = Settings.from_env().model_copy(update={"data_dir": tmp_path / "x"})
    assert moved.database_dsn() == f"sqlite:///{tmp_path / 'x' / 'bewijscheck.db'}"
    url = "postgresql+psycopg://bc:geheim@db.ssc.local/bewijscheck"
    monkeypatch.setenv("BEWIJSCHECK_DATABASE_URL", url)
    settings = Settings.from_env()
    assert settings.database_dsn() == url
    assert "geheim" not in repr(settings)


def test_head_is_alembics_newest_revision() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from store.db import HEAD, MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_heads() == [HEAD]


def test_a_store_at_head_is_not_migrated_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import alembic.command

    from store.db import at_head

    store = make_engine(f"sqlite:///{tmp_path / 'store.db'}")
    assert not at_head(store)  # no version table yet
    migrate(store, "0005")
    assert not at_head(store)  # behind: migrated
    calls: list[str] = []
    real = alembic.command.upgrade
    monkeypatch.setattr(alembic.command, "upgrade", lambda c, r: calls.append(r) or real(c, r))
    migrate(store)
    assert calls == ["head"] and at_head(store)
    migrate(store)  # at head: Alembic is not asked
    assert calls == ["head"]
    store.dispose()


def test_the_store_migrated_in_the_background(tmp_path: Path) -> None:
    import threading

    from store.db import at_head, migrate_in_background

    url = f"sqlite:///{tmp_path / 'store.db'}"
    migrate_in_background(url).join(timeout=60)
    store = make_engine(url)
    assert at_head(store)
    store.dispose()
    failures: list[object] = []
    previous = threading.excepthook
    threading.excepthook = failures.append
    try:  # an unusable store: nothing raised in the thread, the real use reports it
        migrate_in_background("sqlite:////proc/no/such/dir/store.db").join(timeout=60)
    finally:
        threading.excepthook = previous
    assert failures == []
