"""`bewijscheck batch` saves its report to the results store after writing the report files;
an unusable database is exit code 4 with a one-line reason (the flow itself is faked here)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from bewijscheck.cli import app
from core.enums import Verdict
from store.db import make_engine
from store.runs import RunRow, latest_verdicts
from tests.test_results_store import make_report

SAMPLE = Path(__file__).parent.parent / "fixtures" / "sample"


@pytest.fixture
def fake_flow(monkeypatch: pytest.MonkeyPatch) -> None:
    import flows.batch

    def run_batch(*_args: Any, **_kwargs: Any) -> Any:
        return make_report()

    monkeypatch.setattr(flows.batch, "run_batch", run_batch)


def batch(tmp_path: Path) -> list[str]:
    return [
        "batch",
        "--registrations", str(SAMPLE / "registrations.csv"),
        "--manifest", str(SAMPLE / "manifest.csv"),
        "--out", str(tmp_path / "out"),
        "--data-dir", str(tmp_path / "data"),
    ]  # fmt: skip


def test_batch_saves_the_run_to_the_store(
    fake_flow: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BEWIJSCHECK_DATABASE_URL", raising=False)
    for _ in range(2):  # two runs: two run rows
        result = CliRunner().invoke(app, batch(tmp_path))
        assert result.exit_code == 0, result.output

    engine = make_engine(f"sqlite:///{tmp_path / 'data' / 'bewijscheck.db'}")
    try:
        assert latest_verdicts(engine) == {"R-0001": Verdict.REJECT, "R-0002": Verdict.APPROVE}
        with engine.connect() as connection:
            assert connection.execute(select(func.count()).select_from(RunRow)).scalar() == 2
            files = connection.execute(select(RunRow.input_files)).scalars().first()
        assert files == [str(SAMPLE / "registrations.csv"), str(SAMPLE / "manifest.csv")]
    finally:
        engine.dispose()


def test_unusable_database_is_exit_4_after_the_reports(
    fake_flow: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("BEWIJSCHECK_DATABASE_URL", f"sqlite:///{blocker / 'sub' / 'x.db'}")
    result = CliRunner().invoke(app, batch(tmp_path))

    assert result.exit_code == 4
    assert result.output.strip().startswith("bewijscheck: results database")
    assert len(result.output.strip().splitlines()) == 1
    assert (tmp_path / "out" / "report.json").exists()
