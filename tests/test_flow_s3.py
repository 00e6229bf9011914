"""The batch flow against S3 (moto's server on 127.0.0.1, no network): originals land in the
originals bucket with their registration and slot, renders and cached results in the derived
bucket, and a re-run answers from the S3 cache. When the object store goes down mid-batch the
batch still finishes: documents already checked keep their result, every other document gets
a CHECK_FAILED finding saying the store was unreachable, no original is lost, and a re-run
once the store is back checks the rest. A document task that hangs (a Tesseract that never
answers) hits the task timeout and becomes CHECK_FAILED instead of stalling the batch."""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import shutil
import signal
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from moto.server import ThreadedMotoServer
from pydantic import SecretStr

from benchmarks.rerun import count_calls, ocr_counter
from core.enums import FindingCode
from core.manifest import load_manifest
from core.report import Report
from core.settings import Settings, StorageKind, StorageSettings, TaskSettings
from flows.batch import DOCUMENT_TAG, document_task, run_batch
from pipeline.assemble import STORAGE_DOWN_MESSAGE, TIMEOUT_MESSAGE
from pipeline.documents import known_results
from reading.admission import sha256
from store.objects import StorageError, original_key
from tests import factories
from tests.test_cache_resume import HEADER, lines, make_set, without_time
from tests.test_storage_s3 import KEYS, client, free_port

_names = itertools.count()
# What the sample documents say: none of it may reach a log line.
DOCUMENT_TEXT = ("Jan de Vries", "Praktijkovereenkomst BBL", "Verzorgende-IG")


def serve(port: int) -> ThreadedMotoServer:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    return server


def s3_settings(url: str, data_dir: Path, **task: Any) -> Settings:
    """S3 settings with buckets of their own (moto keeps every server's state in one
    process-wide backend) and short retry delays."""
    n = f"{os.getpid()}-{next(_names)}"
    return Settings(
        data_dir=data_dir,
        workers=2,
        storage=StorageSettings(
            kind=StorageKind.S3,
            endpoint=url,
            access_key=SecretStr(KEYS["access_key"]),
            secret_key=SecretStr(KEYS["secret_key"]),
            bucket_originals=f"o{n}",
            bucket_derived=f"d{n}",
            attempts=2,
            backoff_s=0.05,
        ),
        task=TaskSettings(retry_delay_s=0.1, **task),
    )


def objects(url: str, bucket: str) -> dict[str, tuple[str, Any]]:
    """Every object in `bucket`: its ETag and last-modified time by name."""
    return {
        o.object_name: (o.etag, o.last_modified)
        for o in client(url).list_objects(bucket, recursive=True)
        if o.object_name
    }


def task_runs(since: datetime) -> list[Any]:
    """The document task runs started since `since`, from the test's Prefect server."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import TaskRunFilter, TaskRunFilterStartTime
    from prefect.client.schemas.sorting import TaskRunSort

    with get_client(sync_client=True) as api:
        runs = api.read_task_runs(
            task_run_filter=TaskRunFilter(start_time=TaskRunFilterStartTime(after_=since)),
            sort=TaskRunSort.EXPECTED_START_TIME_ASC,
            limit=200,
        )
    return [r for r in runs if r.name.startswith("check_document")]


def manifest(sample: Path) -> dict[str, tuple[str, str, str]]:
    """sha256 of each listed file → (registratie_id, slot, file)."""
    out = {}
    for row in (sample / "manifest.csv").read_text().splitlines()[1:]:
        rid, slot, name = row.split(",")
        out[sha256((sample / name).read_bytes())] = (rid, slot, name)
    return out


def documents(report: Report) -> dict[str, dict[str, Any]]:
    """Each document of the report (CONTRACT view) with its own findings, by file."""
    out: dict[str, dict[str, Any]] = {}
    for entry in report.registrations:
        for doc in entry.documents:
            out[doc.file] = {
                "doc": doc.model_dump(mode="json"),
                "findings": [f for f in entry.findings if f.file == doc.file],
                "verdict": entry.verdict,
            }
    return out


def test_batch_on_s3_stores_originals_renders_and_results_and_reruns_from_cache(
    prefect_harness: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sample = make_set(tmp_path / "set", images=1, texts=3)
    shim_env, calls = ocr_counter(tmp_path / "bin")
    monkeypatch.setenv("PATH", shim_env["PATH"])  # the spawned workers inherit it
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = serve(port)
    try:
        settings = s3_settings(url, tmp_path / "data")
        csvs = (sample / "registrations.csv", sample / "manifest.csv")
        first = run_batch(*csvs, settings)
        ocr_calls = count_calls(calls)
        assert ocr_calls > 0  # the scan was read by OCR

        listed = manifest(sample)
        originals = objects(url, settings.storage.bucket_originals)
        assert set(originals) == {original_key(doc_id) for doc_id in listed}
        for doc_id, (rid, slot, _) in listed.items():
            stat = client(url).stat_object(settings.storage.bucket_originals, original_key(doc_id))
            assert stat.metadata["x-amz-meta-registratie-id"] == rid
            assert stat.metadata["x-amz-meta-slot"] == slot
        derived = objects(url, settings.storage.bucket_derived)
        results = {k for k in derived if k.startswith("results/")}
        for doc_id in listed:
            assert any(k.startswith(f"renders/{doc_id[:2]}/{doc_id}/page-001") for k in derived)
            assert sum(k.startswith(f"results/{doc_id[:2]}/{doc_id}/") for k in results) == 1
        assert not (settings.data_dir / "storage").exists()  # nothing went to the local folder

        docs = documents(first)
        assert len(docs) == 4
        for doc_id, (_, _, name) in listed.items():
            doc = docs[name]["doc"]
            assert doc["document_id"] == doc_id and doc["pages"] == 1
            expected = "ocr" if "scan" in name else "text_layer"
            assert doc["text_source"] == expected
        codes = {f.code for r in first.registrations for f in r.findings}
        assert FindingCode.CHECK_FAILED not in codes

        second = run_batch(*csvs, settings)
        assert count_calls(calls) == ocr_calls  # every document came from the S3 cache
        assert without_time(second.to_json()) == without_time(first.to_json())
        assert objects(url, settings.storage.bucket_derived) == derived  # nothing rewritten
    finally:
        server.stop()


def text_set(folder: Path, count: int) -> Path:
    """Born-digital documents only (fast), four per registration."""
    return make_set(folder, images=0, texts=count)


def test_object_store_down_mid_batch_marks_the_rest_unchecked_and_loses_nothing(
    prefect_harness: None, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    sample = text_set(tmp_path / "set", 8)
    inputs = {p: p.read_bytes() for p in (sample / "docs").iterdir()}
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    servers = [serve(port)]
    # a task per document: eight tasks on two workers, so some have not begun at the stop
    # (grouped, these born-digital documents would share two tasks, both running at once)
    settings = s3_settings(url, tmp_path / "data", documents_per_task=1)
    csvs = (sample / "registrations.csv", sample / "manifest.csv")
    at_stop: dict[str, dict[str, tuple[str, Any]]] = {}

    def stop_after_the_first(done: int, total: int) -> None:
        if not at_stop:  # what the store held when it went down, then down it goes
            at_stop["originals"] = objects(url, settings.storage.bucket_originals)
            servers.pop().stop()

    try:
        report = run_batch(*csvs, settings, stop_after_the_first)  # does not raise
        assert at_stop and not servers
        servers.append(serve(port))  # moto keeps its state in-process: the same store is back

        docs = documents(report)
        assert len(docs) == 8  # every document is in the report
        unchecked = {
            name
            for name, d in docs.items()
            if any(f.code is FindingCode.CHECK_FAILED for f in d["findings"])
        }
        checked = set(docs) - unchecked
        assert checked and unchecked, (checked, unchecked)
        for name in unchecked:
            # one finding that says why, nothing that claims the document was checked
            assert [(f.code, f.message) for f in docs[name]["findings"]] == [
                (FindingCode.CHECK_FAILED, STORAGE_DOWN_MESSAGE)
            ]
            assert docs[name]["doc"]["pages"] == 0
            assert docs[name]["verdict"] != "approve"
        for entry in report.registrations:
            missing = {f.slot for f in entry.findings if f.code is FindingCode.DOCUMENT_MISSING}
            assert not missing  # an unchecked document still fills its slot
        for name in checked:
            assert docs[name]["doc"]["pages"] == 1 and docs[name]["doc"]["document_id"]

        # a clear error: one line per document naming the store and the reason, no text
        messages = [r.getMessage() for r in caplog.records if r.name.startswith("flows.")]
        down = [m for m in messages if "not checked" in m]
        assert len(down) == len(unchecked)
        # S3Storage retried each operation, then the document was tried twice more
        assert all(
            url in m and "after 2 attempts" in m and "(3 tries)" in m and "\n" not in m
            for m in down
        )
        assert any(f"{len(unchecked)} of 8 documents could not be checked" in m for m in messages)
        every_line = [r.getMessage() for r in caplog.records]
        assert not [m for m in every_line if any(t in m for t in DOCUMENT_TEXT)]
        assert not [m for m in messages if KEYS["secret_key"] in m]

        # nothing lost: the inputs are untouched, the stored originals are all still there
        assert {p: p.read_bytes() for p in (sample / "docs").iterdir()} == inputs
        originals = objects(url, settings.storage.bucket_originals)
        assert set(at_stop["originals"]) <= set(originals)
        assert len(at_stop["originals"]) >= 1

        # once the store is back, a re-run checks the rest; what was cached is not redone
        cached = {k for k in objects(url, settings.storage.bucket_derived) if "results/" in k}
        assert 1 <= len(cached) <= len(checked)
        caplog.clear()
        again = run_batch(*csvs, settings)
        codes = {f.code for r in again.registrations for f in r.findings}
        assert FindingCode.CHECK_FAILED not in codes
        redone = documents(again)
        assert all(redone[name]["doc"] == docs[name]["doc"] for name in checked)
        (summary,) = [r for r in caplog.records if r.getMessage().startswith("checked 8 ")]
        assert summary.args == (8, 2, len(cached), 0)
        results = {k for k in objects(url, settings.storage.bucket_derived) if "results/" in k}
        assert len(results) == 8
        assert set(objects(url, settings.storage.bucket_originals)) == {
            original_key(d) for d in manifest(sample)
        }
    finally:
        for server in servers:
            server.stop()


HANG = """#!/bin/sh
case "$1" in
  --version|--list-langs) exec "{real}" "$@" ;;
esac
echo $$ >> "{pids}"
exec sleep 60
"""


@pytest.mark.slow
def test_a_hanging_document_times_out_as_check_failed_without_stalling_the_batch(
    prefect_harness: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = shutil.which("tesseract")
    assert real is not None
    bin_dir, pids = tmp_path / "bin", tmp_path / "tesseract.pids"
    bin_dir.mkdir()
    shim = bin_dir / "tesseract"
    shim.write_text(HANG.format(real=real, pids=pids))
    shim.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "text.pdf").write_bytes(factories.text_pdf(lines(1)))
    (docs / "scan.pdf").write_bytes(factories.image_pdf(factories.text_image(lines(2))))
    (tmp_path / "registrations.csv").write_text(
        f"{HEADER}\nR0000001,Zorggroep Noord,Jan de Vries,12-03-1990,A,V4,nieuwe_instroom,"
        "Verzorgende-IG,25491,01-09-2024,31-12-2025,15-08-2024,,\n"
    )
    (tmp_path / "manifest.csv").write_text(
        "registratie_id,slot,bestand\n"
        "R0000001,praktijkovereenkomst,docs/text.pdf\n"
        "R0000001,loonstrook_start,docs/scan.pdf\n"
    )
    # one worker, one task: the scan (the larger file) first, its Tesseract never answers;
    # the text document after it in the same task is still checked
    settings = Settings(data_dir=tmp_path / "data", workers=1, task=TaskSettings(timeout_s=10))
    try:
        report = run_batch(tmp_path / "registrations.csv", tmp_path / "manifest.csv", settings)
    finally:
        for pid in pids.read_text().split() if pids.exists() else []:
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(pid), signal.SIGTERM)  # the orphaned fake Tesseract
    found = documents(report)
    assert [(f.code, f.message) for f in found["docs/scan.pdf"]["findings"]] == [
        (FindingCode.CHECK_FAILED, TIMEOUT_MESSAGE)
    ]
    assert found["docs/text.pdf"]["doc"]["pages"] == 1  # the other document was checked
    assert len(pids.read_text().split()) == 1  # a timed-out document is not retried


def test_a_tag_concurrency_limit_caps_the_documents_in_flight(
    prefect_harness: None, tmp_path: Path
) -> None:
    """`prefect concurrency-limit create bewijscheck-document 1` and
    BEWIJSCHECK_TASK_CONCURRENCY_TAG=1: with two worker processes, still one document at a
    time."""
    from prefect.client.orchestration import get_client

    sample = text_set(tmp_path / "set", 4)
    started = datetime.now(UTC)
    with get_client(sync_client=True) as api:
        api.create_concurrency_limit(tag=DOCUMENT_TAG, concurrency_limit=1)
        try:
            report = run_batch(
                sample / "registrations.csv",
                sample / "manifest.csv",
                Settings(
                    data_dir=tmp_path / "data",
                    workers=2,
                    task=TaskSettings(concurrency_tag=True, documents_per_task=1),
                ),
            )
        finally:
            api.delete_concurrency_limit_by_tag(DOCUMENT_TAG)
    assert len(documents(report)) == 4
    spans = sorted((r.start_time, r.end_time) for r in task_runs(since=started))
    assert len(spans) == 4
    assert all(end is not None and start is not None for start, end in spans)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))  # type: ignore[operator]


class DeadStore:
    """A store that is down: every call fails as S3Storage does after its retries."""

    def __init__(self) -> None:
        self.calls = 0

    def _fail(self, *_: object) -> Any:
        self.calls += 1
        raise StorageError("object store http://127.0.0.1:9 unavailable: look up failed")

    put = get = exists = _fail


def test_cache_lookup_with_the_store_down_leaves_the_documents_to_their_tasks(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    sample = text_set(tmp_path / "set", 4)
    entries, _ = load_manifest(sample / "manifest.csv")
    missing = entries[0].model_copy(update={"path": None, "problem": "does not exist"})
    store = DeadStore()
    known = known_results([missing, *entries], Settings(), store, {})
    # the listing problem is still answered; the rest is left to the tasks, asked once
    assert list(known) == [0] and known[0].processed.findings[0].code is FindingCode.FILE_UNREADABLE
    assert store.calls == 1
    assert [r.levelname for r in caplog.records if "cache not reachable" in r.getMessage()] == [
        "ERROR"
    ]


def test_document_task_carries_the_tag_only_when_asked_and_settings_from_env(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert DOCUMENT_TAG not in document_task(Settings()).tags  # a server call per task: opt-in
    assert DOCUMENT_TAG in document_task(Settings(task=TaskSettings(concurrency_tag=True))).tags
    # the default timeout: every allowed page at its OCR timeout, plus a minute
    assert Settings().document_timeout_s() == 120.0 * 50 + 60
    assert Settings(task=TaskSettings(timeout_s=30)).document_timeout_s() == 30
    for name, value in {
        "BEWIJSCHECK_TASK_RETRIES": "0",
        "BEWIJSCHECK_TASK_RETRY_DELAY_S": "0.5",
        "BEWIJSCHECK_DOCUMENT_TIMEOUT_S": "900",
        "BEWIJSCHECK_OCR_PAGE_TIMEOUT_S": "30",
        "BEWIJSCHECK_S3_ATTEMPTS": "5",
        "BEWIJSCHECK_S3_BACKOFF_S": "1",
        "BEWIJSCHECK_TASK_CONCURRENCY_TAG": "1",
        "BEWIJSCHECK_DOCUMENTS_PER_TASK": "2",
    }.items():
        monkeypatch.setenv(name, value)
    env = Settings.from_env()
    assert env.task == TaskSettings(
        retries=0, retry_delay_s=0.5, timeout_s=900, concurrency_tag=True, documents_per_task=2
    )
    assert env.ocr.page_timeout_s == 30 and env.document_timeout_s() == 900
    assert (env.storage.attempts, env.storage.backoff_s) == (5, 1.0)
