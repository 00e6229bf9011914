"""The pre-screen flow answers with the registration's report entry for one upload."""

from __future__ import annotations

from pathlib import Path

from flows.prescreen import prescreen_upload
from pipeline.enums import Slot
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
    assert "SIGNATURES_MISSING" in codes  # the factory's agreement carries no signatures


def test_prescreen_flow_refuses_a_docx(prefect_harness: None, tmp_path: Path) -> None:
    upload = tmp_path / "upload.pdf"
    upload.write_bytes(factories.docx())
    registrations = tmp_path / "registrations.csv"
    registrations.write_text(HEADER + "\n" + reg("R0000001") + "\n", encoding="utf-8")
    entry = prescreen_upload(upload, registrations, "R0000001", Slot.LOONSTROOK_START)
    assert [f["code"] for f in entry["findings"]] == ["FILE_TYPE_NOT_ALLOWED"]
    assert entry["verdict"] == "reject"
