"""One process initialiser (`pipeline.bootstrap.init_process`) and no side effects at import:
importing the code leaves the environment and the loggers alone; the initialiser sets
OMP_THREAD_LIMIT (unless set), the OCR engine and the loggers that could quote signers' names,
and the pre-screen pool's workers and the batch's document tasks run it. Plus: every exception
class lives in core/errors.py."""

from __future__ import annotations

import ast
import builtins
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import core.errors
from core.settings import OcrEngine, OcrSettings, Settings
from extractors.esign import QUIET_LOGGERS
from pipeline.bootstrap import init_process
from reading import ocr
from tests.test_layers import RANK

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def restored() -> Iterator[None]:
    """The process state the initialiser changes, put back afterwards."""
    levels = {name: logging.getLogger(name).level for name in QUIET_LOGGERS}
    engine = ocr._chosen["engine"]
    yield
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)
    ocr.use_engine(engine)


def test_omp_thread_limit_is_set_unless_it_was(
    monkeypatch: pytest.MonkeyPatch, restored: None
) -> None:
    monkeypatch.delenv("OMP_THREAD_LIMIT", raising=False)
    init_process(Settings())
    assert os.environ["OMP_THREAD_LIMIT"] == "1"
    monkeypatch.setenv("OMP_THREAD_LIMIT", "3")
    init_process(Settings())
    assert os.environ["OMP_THREAD_LIMIT"] == "3"


def test_signature_loggers_are_capped(restored: None) -> None:
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.NOTSET)
    init_process(Settings())
    assert all(logging.getLogger(n).level == logging.CRITICAL for n in QUIET_LOGGERS)
    assert QUIET_LOGGERS == ("pyhanko", "pyhanko_certvalidator")


def test_the_ocr_engine_comes_from_the_settings(restored: None) -> None:
    init_process(Settings(ocr=OcrSettings(engine=OcrEngine.CLI)))
    assert ocr._chosen["engine"] is OcrEngine.CLI and not ocr.in_process()
    init_process(Settings())
    assert ocr._chosen["engine"] is OcrEngine.AUTO


IMPORT_EVERYTHING = """
import logging, os
import extractors.esign, pipeline.bootstrap, pipeline.process, reading.ocr, reading.text
assert not logging.getLogger().handlers, "logging configured at import"
import bewijscheck.cli, flows.batch, flows.intake, flows.prescreen, web.app  # Prefect: its own
assert "OMP_THREAD_LIMIT" not in os.environ, "set at import"
levels = {n: logging.getLogger(n).level for n in ("pyhanko", "pyhanko_certvalidator")}
assert set(levels.values()) == {logging.NOTSET}, levels
"""
INITIALISE = """
import logging, os
from core.settings import Settings
from pipeline.bootstrap import init_process
init_process(Settings(), log_level=logging.INFO)
logging.getLogger("bewijscheck").info("klaar")
assert os.environ["OMP_THREAD_LIMIT"] == "1"
assert logging.getLogger("pyhanko").level == logging.CRITICAL
"""


@pytest.mark.slow
@pytest.mark.parametrize("script", [IMPORT_EVERYTHING, INITIALISE], ids=["import", "initialise"])
def test_importing_changes_nothing_and_the_initialiser_does(script: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "OMP_THREAD_LIMIT"}
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert script is IMPORT_EVERYTHING or "INFO bewijscheck: klaar" in done.stderr


def _exception_names() -> set[str]:
    builtin = {
        name
        for name, value in vars(builtins).items()
        if isinstance(value, type) and issubclass(value, BaseException)
    }
    ours = {
        name
        for name, value in vars(core.errors).items()
        if isinstance(value, type) and issubclass(value, BaseException)
    }
    return builtin | ours


def exception_classes_outside_errors(root: Path) -> list[str]:
    """`file:line: class` for every class under `root`'s packages deriving from an exception
    (a builtin one or one of core/errors.py) that is not in core/errors.py."""
    names, found = _exception_names(), []
    for package in RANK:
        for path in sorted((root / package).rglob("*.py")):
            where = path.relative_to(root).as_posix()
            if where == "core/errors.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.ClassDef):
                    continue
                bases = {
                    b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases
                }
                if bases & names:
                    found.append(f"{where}:{node.lineno}: {node.name}")
    return found


def test_every_exception_class_is_in_core_errors(tmp_path: Path) -> None:
    assert exception_classes_outside_errors(ROOT) == []
    stray = tmp_path / "web" / "stray.py"
    stray.parent.mkdir()
    stray.write_text(
        "from core.errors import StorageError\n\nclass Gone(StorageError):\n    pass\n"
    )
    assert exception_classes_outside_errors(tmp_path) == ["web/stray.py:3: Gone"]


def test_the_batch_document_task_initialises_its_process(tmp_path: Path, restored: None) -> None:
    from flows.batch import check_documents_task

    settings = Settings(data_dir=tmp_path, ocr=OcrSettings(engine=OcrEngine.CLI))
    assert check_documents_task.fn([], settings, []) == []
    assert ocr._chosen["engine"] is OcrEngine.CLI


def _worker_state() -> dict[str, Any]:
    return {
        "omp": os.environ.get("OMP_THREAD_LIMIT"),
        "engine": ocr._chosen["engine"],
        "pyhanko": logging.getLogger("pyhanko").level,
        "warm": "extractors.integrity" in sys.modules,
    }


@pytest.mark.slow
def test_the_prescreen_pool_initialises_its_workers() -> None:
    import asyncio

    from web.prescreen_pool import PrescreenPool

    pool = PrescreenPool(Settings(workers=1, ocr=OcrSettings(engine=OcrEngine.CLI)))
    try:
        state = asyncio.run(pool.run(_worker_state, timeout=240))
    finally:
        pool.shutdown()
    assert state == {"omp": "1", "engine": OcrEngine.CLI, "pyhanko": logging.CRITICAL, "warm": True}


def test_opencv_gets_its_share_of_the_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    import cv2

    from pipeline.bootstrap import cv_threads

    before = cv2.getNumThreads()
    monkeypatch.setattr("os.cpu_count", lambda: 8)
    try:
        assert cv_threads(2) == 4 and cv2.getNumThreads() == 4
        assert cv_threads(8) == 1 and cv2.getNumThreads() == 1
        assert cv_threads(16) == 1  # more workers than cores: still one thread each
        init_process(Settings(workers=4))
        assert cv2.getNumThreads() == 2
    finally:
        cv2.setNumThreads(before)
