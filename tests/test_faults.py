"""Faults on our side, injected with fakes: the OCR engine crashing (a fake `tesseract` first on
PATH that exits 1 or dies of SIGSEGV, with `BEWIJSCHECK_OCR_ENGINE=cli`), a full disk under the
local store and under the report files, the results database down for `bewijscheck batch` and
for the web app, the object store down for the upload API. Each ends in CHECK_FAILED per
document or a clear one-line error / 503 in Dutch, never a traceback and never a report that
claims an unchecked document was checked.

A hanging OCR engine is tested in tests/test_flow_s3.py
(`test_a_hanging_document_times_out_as_check_failed_without_stalling_the_batch`, slow), the
object store going down mid-batch in the same file
(`test_object_store_down_mid_batch_marks_the_rest_unchecked_and_loses_nothing`)."""

from __future__ import annotations

import errno
import shutil
import socket
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import outputs.xlsx
import store.objects
from bewijscheck.cli import app as cli
from checks.runner import RULE_FAILED_MESSAGE
from core.enums import DocType, FindingCode, Slot, Verdict
from core.manifest import ManifestEntry
from core.report import ReportDocument, report_document
from core.settings import Settings, TaskSettings
from pipeline.assemble import UNCHECKED_MESSAGES, Unchecked, assemble_report
from pipeline.documents import check_entry_cached, render_saver
from pipeline.guard import check_entry_guarded
from pipeline.process import CHECK_FAILED_MESSAGE, process_document
from store.db import make_engine
from store.objects import LocalStorage, StorageError
from tests import factories, rulekit, webkit
from tests.test_results_store_cli import batch as batch_args
from tests.test_results_store_cli import fake_flow  # noqa: F401  (a fixture)
from web import tokens

CRASH = """#!/bin/sh
case "$1" in
  --version|--list-langs) exec "{real}" "$@" ;;
esac
{action}
"""
ACTIONS = {
    "exit_1": 'echo "fake tesseract: cannot read image" >&2; exit 1',
    "segfault": "kill -SEGV $$",
}
NOT_CHECKED = ("niet automatisch worden gecontroleerd", "niet gecontroleerd")


def enospc(*_args: Any, **_kwargs: Any) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def dead_port() -> int:
    """A local TCP port nobody listens on (bound, then closed)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def entry_for(path: Path, slot: Slot = Slot.LOONSTROOK_START) -> ManifestEntry:
    return ManifestEntry(
        registratie_id=rulekit.registration().registratie_id,
        slot=slot,
        bestand=path.name,
        line=2,
        path=path,
    )


def nothing_claimed(document: ReportDocument) -> bool:
    """A report document that claims nothing was read: no type, no pages, no fields."""
    return (
        document.doc_type in (None, DocType.ONBEKEND)
        and not document.doc_type_confidence
        and not document.pages
        and document.fields == {}
        and document.text_source is None
    )


# -- OCR engine ------------------------------------------------------------------------------


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_a_crashing_ocr_engine_makes_the_document_check_failed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, action: str
) -> None:
    real = shutil.which("tesseract")
    assert real is not None
    shim = tmp_path / "bin" / "tesseract"
    shim.parent.mkdir()
    shim.write_text(CRASH.format(real=real, action=ACTIONS[action]))
    shim.chmod(0o755)
    monkeypatch.setenv("PATH", f"{shim.parent}:{Path(real).parent}")
    # The command, not the in-process library (reading/ocr.py): a crash of libtesseract in
    # process kills the worker, which the batch and the upload API report as CHECK_FAILED
    # (tests/test_web_api.py::test_a_crashed_worker_becomes_check_failed).
    monkeypatch.setenv("BEWIJSCHECK_OCR_ENGINE", "cli")
    scan = factories.image_pdf(factories.text_image())  # no text layer: needs OCR
    processed = process_document(
        scan, file="scan.pdf", slot=Slot.LOONSTROOK_START, settings=Settings(data_dir=tmp_path)
    )
    assert [(f.code, f.message) for f in processed.findings] == [
        (FindingCode.CHECK_FAILED, CHECK_FAILED_MESSAGE)
    ]
    assert processed.document is None and processed.fields == {}
    entry = entry_for(tmp_path / "scan.pdf")
    report = assemble_report([rulekit.registration()], [(entry, processed)], single_upload=True)
    [registration] = report.registrations
    assert registration.verdict is not Verdict.APPROVE
    [document] = registration.documents
    assert nothing_claimed(document)


# -- disk full -------------------------------------------------------------------------------


def test_a_full_disk_is_a_storage_error_with_its_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    storage = LocalStorage(tmp_path / "storage")
    monkeypatch.setattr(store.objects, "_write_atomic", enospc)
    with pytest.raises(StorageError, match="cannot write originals/ab/abc: No space left"):
        storage.put("originals/ab/abc", b"data", {"slot": "x"})
    save = render_saver(storage, "ab" * 32)
    with pytest.raises(StorageError, match="No space left"):  # a render mid-document
        process_document(
            factories.text_pdf(),
            file="a.pdf",
            slot=Slot.PRAKTIJKOVEREENKOMST,
            settings=Settings(data_dir=tmp_path),
            save_render=save,
        )


def test_a_full_disk_in_the_batch_is_check_failed_per_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Storing fails on every try; the batch's guard turns it into a CHECK_FAILED document
    saying it was not checked."""
    path = tmp_path / "pok.pdf"
    path.write_bytes(factories.text_pdf())
    entry = entry_for(path, Slot.PRAKTIJKOVEREENKOMST)
    settings = Settings(data_dir=tmp_path / "data", task=TaskSettings(retry_delay_s=0))
    storage = LocalStorage(settings.data_dir / "storage")
    monkeypatch.setattr(store.objects, "_write_atomic", enospc)
    with pytest.raises(StorageError):
        check_entry_cached(entry, settings, storage)
    checked = check_entry_guarded(entry, settings, None, storage)
    assert checked.unchecked
    assert [(f.code, f.message) for f in checked.processed.findings] == [
        (FindingCode.CHECK_FAILED, UNCHECKED_MESSAGES[Unchecked.STORAGE])
    ]
    assert nothing_claimed(report_document(checked.processed))


def test_a_full_disk_for_the_reports_is_a_one_line_error_and_leaves_no_half_report(
    fake_flow: None,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:

    monkeypatch.setattr(outputs.xlsx, "write_xlsx", enospc)
    monkeypatch.delenv("BEWIJSCHECK_DATABASE_URL", raising=False)
    result = CliRunner().invoke(cli, batch_args(tmp_path))
    assert result.exit_code == 4
    lines = result.output.strip().splitlines()
    assert lines == [
        f"bewijscheck: the reports could not be written to {tmp_path / 'out'}: "
        "No space left on device"
    ]
    assert list((tmp_path / "out").iterdir()) == []  # no report.json without its siblings


# -- results database down -------------------------------------------------------------------


def test_batch_with_the_database_down_writes_the_reports_and_fails_in_one_line(
    fake_flow: None,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = f"postgresql+psycopg://bewijscheck:x@127.0.0.1:{dead_port()}/bewijscheck"
    monkeypatch.setenv("BEWIJSCHECK_DATABASE_URL", url + "?connect_timeout=3")
    result = CliRunner().invoke(cli, batch_args(tmp_path))
    assert result.exit_code == 4
    [line] = result.output.strip().splitlines()
    assert line.startswith("bewijscheck: results database cannot be migrated:")
    assert "Traceback" not in result.output and ":x@" not in line  # no password either
    for name in ("report.json", "report.xlsx", "report.html"):
        assert (tmp_path / "out" / name).stat().st_size > 0


def test_the_web_app_answers_503_when_the_database_goes_down(tmp_path: Path) -> None:
    app = webkit.make_app(tmp_path)
    _, token = tokens.create_token(app.state.engine, rulekit.registration().organisatie)
    with webkit.client_for(app) as client:
        webkit.login(client)
        app.state.engine.dispose()
        app.state.engine = make_engine(
            f"postgresql+psycopg://u:p@127.0.0.1:{dead_port()}/x?connect_timeout=3"
        )
        page = client.get("/")
        assert page.status_code == 503
        assert "De database is tijdelijk niet bereikbaar" in page.text
        assert "Traceback" not in page.text and page.headers["retry-after"] == "60"
        api = client.get(
            f"/api/v1/registraties/{webkit.RID}", headers={"Authorization": f"Bearer {token}"}
        )
        assert api.status_code == 503
        assert api.json() == {
            "detail": "De database is tijdelijk niet bereikbaar; er is niets opgeslagen of "
            "gewijzigd. Probeer het over een paar minuten opnieuw."
        }
    app.state.engine.dispose()


# -- object store down for the upload API ----------------------------------------------------


class DownStore:
    def put(self, key: str, data: bytes, metadata: dict[str, str] | None = None) -> str:
        raise StorageError("object store not reachable: connection refused")

    def get(self, key: str) -> bytes:
        raise StorageError("object store not reachable: connection refused")

    def exists(self, key: str) -> bool:
        raise StorageError("object store not reachable: connection refused")


def test_the_upload_api_answers_503_when_the_object_store_is_down(tmp_path: Path) -> None:
    app = webkit.make_app(tmp_path)
    registration = rulekit.registration()
    _, token = tokens.create_token(app.state.engine, registration.organisatie)
    app.state.storage = DownStore()
    client = TestClient(app)  # no lifespan: the worker pool is never needed
    response = client.post(
        f"/api/v1/registraties/{registration.registratie_id}/uploads",
        data={"slot": "praktijkovereenkomst"},
        files={"bestand": ("pok.pdf", factories.text_pdf(), "application/pdf")},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 503
    assert response.headers["retry-after"] == "60"
    assert "niet vastgelegd" in response.json()["detail"]
    app.state.engine.dispose()


# -- every not-checked message says so -------------------------------------------------------


def test_every_check_failed_message_says_the_document_was_not_checked() -> None:
    messages = [*UNCHECKED_MESSAGES.values(), CHECK_FAILED_MESSAGE]
    for message in messages:
        assert any(words in message for words in NOT_CHECKED), message
    assert "niet automatisch worden uitgevoerd" in RULE_FAILED_MESSAGE  # one rule, not the doc
    assert set(UNCHECKED_MESSAGES) == set(Unchecked)
