"""Each document of a batch task keeps its own tries and time limit (`pipeline.guard`); how
documents are grouped into tasks is tested in test_workload.py."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest

import pipeline.guard
from core.enums import FindingCode, Slot
from core.manifest import ManifestEntry
from core.settings import Settings, TaskSettings
from pipeline.assemble import UNCHECKED_MESSAGES, Unchecked
from pipeline.documents import Checked
from pipeline.guard import DocumentTimeout, check_entries_guarded, check_entry_guarded, deadline
from store.objects import StorageError
from tests import factories


def entry(path: Path, line: int = 2) -> ManifestEntry:
    return ManifestEntry(
        registratie_id="R0000001",
        slot=Slot.PRAKTIJKOVEREENKOMST,
        bestand=path.name,
        line=line,
        path=path,
    )


REAL = pipeline.guard.check_entry_cached


class Flaky:
    """Stands in for `check_entry_cached`: raises the given faults in turn, then checks."""

    def __init__(self, *faults: BaseException, sleep: float = 0.0) -> None:
        self.faults = list(faults)
        self.calls = 0
        self.sleep = sleep

    def __call__(self, entry: ManifestEntry, settings: Settings, *_: Any) -> Checked:
        self.calls += 1
        time.sleep(self.sleep)
        if self.faults:
            raise self.faults.pop(0)
        return REAL(entry, settings, *_)


@pytest.fixture
def pdf(tmp_path: Path) -> Path:
    path = tmp_path / "pok.pdf"
    path.write_bytes(factories.text_pdf())
    return path


def settings(tmp_path: Path, **task: Any) -> Settings:
    return Settings(data_dir=tmp_path / "data", task=TaskSettings(retry_delay_s=0, **task))


def codes(checked: Checked) -> list[FindingCode]:
    return [f.code for f in checked.processed.findings]


def test_a_document_that_fails_twice_is_checked_on_its_third_try(
    tmp_path: Path, pdf: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    flaky = Flaky(StorageError("store down"), RuntimeError("boom"))
    monkeypatch.setattr(pipeline.guard, "check_entry_cached", flaky)
    checked = check_entry_guarded(entry(pdf), settings(tmp_path))
    assert flaky.calls == 3
    assert not checked.unchecked and checked.processed.document is not None
    assert [r.levelname for r in caplog.records if "trying again" in r.getMessage()] == [
        "WARNING",
        "WARNING",
    ]


@pytest.mark.parametrize(
    ("fault", "reason", "logged"),
    [
        (StorageError("object store http://s3 unavailable"), Unchecked.STORAGE, "unavailable"),
        (RuntimeError("secret document text"), Unchecked.FAULT, "RuntimeError"),
    ],
)
def test_a_document_failing_every_try_is_check_failed_saying_why(
    tmp_path: Path,
    pdf: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    fault: Exception,
    reason: Unchecked,
    logged: str,
) -> None:
    flaky = Flaky(*[fault] * 5)
    monkeypatch.setattr(pipeline.guard, "check_entry_cached", flaky)
    checked = check_entry_guarded(entry(pdf, line=7), settings(tmp_path, retries=1))
    assert flaky.calls == 2
    assert [(f.code, f.message) for f in checked.processed.findings] == [
        (FindingCode.CHECK_FAILED, UNCHECKED_MESSAGES[reason])
    ]
    line = checked.problem  # the batch logs it
    assert line and "manifest line 7 not checked" in line and "(2 tries)" in line
    assert logged in line and "secret document text" not in line
    assert "secret document text" not in caplog.text  # an exception's text is not logged


def test_a_document_past_its_time_is_check_failed_and_not_tried_again(
    tmp_path: Path, pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow = Flaky(sleep=5.0)
    monkeypatch.setattr(pipeline.guard, "check_entry_cached", slow)
    started = time.perf_counter()
    checked = check_entry_guarded(entry(pdf), settings(tmp_path, timeout_s=0.3))
    assert time.perf_counter() - started < 2.0
    assert slow.calls == 1
    assert [(f.code, f.message) for f in checked.processed.findings] == [
        (FindingCode.CHECK_FAILED, UNCHECKED_MESSAGES[Unchecked.TIMEOUT])
    ]
    # in time: checked, and the alarm is off afterwards
    quick = check_entry_guarded(entry(pdf), settings(tmp_path, timeout_s=30))
    assert codes(quick) != [FindingCode.CHECK_FAILED]
    time.sleep(0.4)


def test_the_deadline_only_applies_in_the_main_thread() -> None:
    with pytest.raises(DocumentTimeout), deadline(0.1):
        time.sleep(2)
    outcome: list[str] = []

    def in_thread() -> None:
        with deadline(0.1):
            time.sleep(0.3)
        outcome.append("finished")

    worker = threading.Thread(target=in_thread)
    worker.start()
    worker.join()
    assert outcome == ["finished"]
    with deadline(None):
        time.sleep(0.01)


def test_one_failing_document_leaves_the_others_of_its_task_checked(
    tmp_path: Path, pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "other.pdf"
    other.write_bytes(factories.text_pdf())

    def fails_for_pok(e: ManifestEntry, s: Settings, *a: Any) -> Checked:
        if e.bestand == "pok.pdf":
            raise RuntimeError("boom")
        return REAL(e, s, *a)

    monkeypatch.setattr(pipeline.guard, "check_entry_cached", fails_for_pok)
    first, second = check_entries_guarded(
        [entry(pdf), entry(other, line=3)], settings(tmp_path, retries=0), [None, None]
    )
    assert codes(first) == [FindingCode.CHECK_FAILED]
    assert FindingCode.CHECK_FAILED not in codes(second) and second.processed.document
