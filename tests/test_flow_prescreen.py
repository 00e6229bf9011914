"""The pre-screen flow answers with the registration's report entry for one upload."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from core.enums import Slot
from flows.prescreen import prescreen_task, prescreen_upload, prescreen_via_worker
from tests import factories
from tests.test_flow_batch import HEADER, reg


def test_prescreen_flow_returns_the_entry(prefect_harness: None, tmp_path: Path) -> None:
    upload = tmp_path / "upload.pdf"
    upload.write_bytes(factories.text_pdf())
    registrations = tmp_path / "registrations.csv"
    registrations.write_text(HEADER + "\n" + reg("R0000001") + "\n", encoding="utf-8")
    entry = prescreen_upload(upload, registrations, "R0000001", Slot.PRAKTIJKOVEREENKOMST)
    assert entry["registratie_id"] == "R0000001"
    assert entry["documents"][0]["doc_type"] == "praktijkovereenkomst"
    codes = {f["code"] for f in entry["findings"]}
    assert "DOCUMENT_MISSING" not in codes  # one upload at a time
    assert "FIELD_NOT_FOUND" not in codes  # not read is no finding about the upload …
    review = {f["code"] for f in entry["to_review"]}
    assert review == {"FIELD_NOT_FOUND"}  # … but a point to review: no signatures seen
    assert entry["verdict"] == "review"


def test_prescreen_flow_refuses_a_docx(prefect_harness: None, tmp_path: Path) -> None:
    upload = tmp_path / "upload.pdf"
    upload.write_bytes(factories.docx())
    registrations = tmp_path / "registrations.csv"
    registrations.write_text(HEADER + "\n" + reg("R0000001") + "\n", encoding="utf-8")
    entry = prescreen_upload(upload, registrations, "R0000001", Slot.LOONSTROOK_START)
    assert [f["code"] for f in entry["findings"]] == ["FILE_TYPE_NOT_ALLOWED"]
    assert entry["verdict"] == "reject"


@pytest.mark.filterwarnings("ignore:.*send logs to the API without a flow run id")
def test_prescreen_task_returns_the_entry(prefect_harness: None, tmp_path: Path) -> None:
    """The task the task worker serves answers like the flow (called here in-process)."""
    upload = tmp_path / "upload.pdf"
    upload.write_bytes(factories.text_pdf())
    registrations = tmp_path / "registrations.csv"
    registrations.write_text(HEADER + "\n" + reg("R0000001") + "\n", encoding="utf-8")
    entry = prescreen_task(upload, registrations, "R0000001", Slot.PRAKTIJKOVEREENKOMST)
    assert entry["registratie_id"] == "R0000001"
    assert entry["documents"][0]["doc_type"] == "praktijkovereenkomst"
    assert "DOCUMENT_MISSING" not in {f["code"] for f in entry["findings"]}


class _Future:
    """A task-run future that first hits Prefect's stateless-read race, then answers."""

    def __init__(self, answer: dict[str, Any]) -> None:
        self.answer = answer
        self.calls = 0

    def result(self, timeout: float | None = None) -> dict[str, Any]:
        self.calls += 1
        if self.calls == 1:
            raise RuntimeError("Task run x has no state which means it hasn't started yet.")
        return self.answer


def test_prescreen_via_worker_asks_again_after_the_stateless_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    future = _Future({"registratie_id": "R0000001"})
    monkeypatch.setattr(prescreen_task, "delay", lambda *args: future)
    entry = prescreen_via_worker(tmp_path, tmp_path, "R0000001", Slot.LOONSTROOK_START)
    assert entry == {"registratie_id": "R0000001"}
    assert future.calls == 2


def test_prescreen_via_worker_raises_other_errors(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    class Broken:
        def result(self, timeout: float | None = None) -> dict[str, Any]:
            raise TimeoutError("no worker")

    monkeypatch.setattr(prescreen_task, "delay", lambda *args: Broken())
    with pytest.raises(TimeoutError):
        prescreen_via_worker(tmp_path, tmp_path, "R0000001", Slot.LOONSTROOK_START, timeout=0.1)
