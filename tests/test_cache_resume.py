"""The result cache: a re-run of an unchanged batch does no OCR and gives the same report; a
batch killed with SIGKILL resumes without redoing the documents it had finished, and leaves no
partial objects. OCR calls are counted by a `tesseract` shim on PATH (benchmarks.rerun), which
the worker processes inherit."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.rerun import bewijscheck_command, count_calls, ocr_counter
from core.enums import FindingCode, Slot
from core.model import Finding, Hints, ProcessedDocument
from core.settings import OcrSettings, Settings
from flows.batch import run_batch
from pipeline.cache import ResultCache, result_key
from reading.admission import sha256
from store.objects import LocalStorage
from tests import factories
from tests.test_flow_batch import HEADER

SLOTS = ["praktijkovereenkomst", "loonstrook_start", "loonstrook_eind", "prestatiebewijs"]


def lines(n: int) -> list[str]:
    return [
        f"Praktijkovereenkomst BBL nummer {n}",
        f"Deelnemer: Jan de Vries {n}",
        "Opleiding: Verzorgende-IG, crebo 25491",
        f"Startdatum: {n % 27 + 1} september 2024",
    ]


def make_set(folder: Path, images: int, texts: int) -> Path:
    """Registrations of four documents each; image-only PDFs first in every registration."""
    docs = folder / "docs"
    docs.mkdir(parents=True)
    files: list[tuple[str, bytes]] = []
    for n in range(images):
        files.append((f"scan{n}.pdf", factories.image_pdf(factories.text_image(lines(n)))))
    for n in range(texts):
        files.append((f"text{n}.pdf", factories.text_pdf(lines(100 + n))))
    files.sort(key=lambda f: int(f[0].removeprefix("scan").removeprefix("text")[:-4]))
    rows, regs = [], []
    for i, (name, data) in enumerate(files):
        (docs / name).write_bytes(data)
        rid = f"R{i // 4 + 1:07d}"
        if i % 4 == 0:
            regs.append(
                f"{rid},Zorggroep Noord,Jan de Vries {i},12-03-1990,A,V4,nieuwe_instroom,"
                "Verzorgende-IG,25491,01-09-2024,31-12-2025,15-08-2024,,"
            )
        rows.append(f"{rid},{SLOTS[i % 4]},docs/{name}")
    (folder / "registrations.csv").write_text("\n".join([HEADER, *regs]) + "\n")
    (folder / "manifest.csv").write_text("registratie_id,slot,bestand\n" + "\n".join(rows) + "\n")
    return folder


def without_time(report_json: str) -> dict:  # type: ignore[type-arg]
    report = json.loads(report_json)
    report.pop("generated_at")
    return report


def cache_entries(data_dir: Path) -> dict[Path, tuple[int, int]]:
    """Every cached result with its inode and mtime (a rewrite changes both)."""
    results = data_dir / "storage" / "results"
    return {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in results.rglob("*.json")}


def test_result_key_hashes_hints_and_follows_what_decides_the_result() -> None:
    doc, settings = "ab" * 32, Settings()
    key = result_key(
        doc, Slot.PRAKTIJKOVEREENKOMST, settings, Hints("Jan de Vries", "Verzorgende-IG")
    )
    assert key.startswith(f"results/ab/{doc}/") and "Vries" not in key and "Verz" not in key
    others = {
        result_key(
            doc, Slot.PRAKTIJKOVEREENKOMST, settings, Hints("Piet de Vries", "Verzorgende-IG")
        ),
        result_key(doc, Slot.PRAKTIJKOVEREENKOMST, settings, None),
        result_key(doc, Slot.KVK_UITTREKSEL, settings, Hints("Jan de Vries", "Verzorgende-IG")),
        result_key(
            doc,
            Slot.PRAKTIJKOVEREENKOMST,
            settings.model_copy(update={"ocr": OcrSettings(dpi=200)}),
            Hints("Jan de Vries", "Verzorgende-IG"),
        ),
    }
    assert key not in others and len(others) == 4


def test_cache_relabels_the_file_and_never_keeps_a_fault_of_ours(tmp_path: Path) -> None:
    cache = ResultCache(LocalStorage(tmp_path))
    unreadable = ProcessedDocument(file="a.pdf", slot=Slot.PRAKTIJKOVEREENKOMST)
    unreadable.findings.append(
        Finding.of(
            FindingCode.DOC_UNREADABLE, "onleesbaar", file="a.pdf", slot=Slot.PRAKTIJKOVEREENKOMST
        )
    )
    assert cache.put("results/k1.json", unreadable)
    again = cache.get("results/k1.json", "b.pdf")
    assert again is not None and again.file == "b.pdf" and again.findings[0].file == "b.pdf"
    failed = ProcessedDocument(file="a.pdf", slot=Slot.PRAKTIJKOVEREENKOMST)
    failed.findings.append(Finding.of(FindingCode.CHECK_FAILED, "storing", file="a.pdf"))
    assert not cache.put("results/k2.json", failed)
    assert cache.get("results/k2.json", "a.pdf") is None
    (tmp_path / "results" / "k3.json").write_text("{half")
    assert cache.get("results/k3.json", "a.pdf") is None  # unreadable entry: a miss


def test_rerun_does_no_ocr_and_gives_the_same_report(
    prefect_harness: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sample = make_set(tmp_path / "set", images=1, texts=3)
    shim_env, calls = ocr_counter(tmp_path / "bin")
    monkeypatch.setenv("PATH", shim_env["PATH"])  # the spawned workers inherit it
    settings = Settings(data_dir=tmp_path / "data", workers=2)
    csvs = (sample / "registrations.csv", sample / "manifest.csv")

    first = run_batch(*csvs, settings)
    first_calls = count_calls(calls)
    assert first_calls > 0
    entries = cache_entries(settings.data_dir)
    assert len(entries) == 4

    second = run_batch(*csvs, settings)
    assert count_calls(calls) == first_calls  # not one OCR call
    assert without_time(second.to_json()) == without_time(first.to_json())
    assert cache_entries(settings.data_dir) == entries  # nothing rewritten

    fresh = run_batch(*csvs, settings.model_copy(update={"cache": False}))  # --no-cache
    assert count_calls(calls) == 2 * first_calls
    assert without_time(fresh.to_json()) == without_time(first.to_json())


@pytest.mark.slow
def test_batch_killed_with_sigkill_resumes_without_redoing_finished_documents(
    prefect_harness: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prefect.settings import PREFECT_API_URL

    sample = make_set(tmp_path / "set", images=8, texts=4)
    shim_env, calls = ocr_counter(tmp_path / "bin")
    data_dir = tmp_path / "data"
    env = {
        **os.environ,
        **shim_env,
        "OMP_THREAD_LIMIT": "1",
        "PREFECT_HOME": str(tmp_path / "prefect"),
        "PREFECT_API_URL": str(PREFECT_API_URL.value()),  # the session's test server
        "BEWIJSCHECK_DATA_DIR": str(data_dir),
        "BEWIJSCHECK_STORAGE": "local",
    }
    command = [
        *bewijscheck_command(),
        "batch",
        "--registrations",
        str(sample / "registrations.csv"),
        "--manifest",
        str(sample / "manifest.csv"),
        "--workers",
        "2",
    ]
    log = (tmp_path / "killed.log").open("wb")
    killed = subprocess.Popen(
        [*command, "--out", str(tmp_path / "out-killed")],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
        start_new_session=True,
    )
    scans = {sha256(p.read_bytes()) for p in (sample / "docs").glob("scan*.pdf")}

    def finished() -> dict[Path, tuple[int, int]]:
        return cache_entries(data_dir) if data_dir.exists() else {}

    def ready() -> bool:  # some documents done, an OCR'd one among them
        entries = finished()
        return len(entries) >= 3 and any(p.parent.parent.name in scans for p in entries)

    deadline = time.monotonic() + 90
    while not ready():
        assert killed.poll() is None, "the batch ended before it could be killed"
        assert time.monotonic() < deadline, "no document finished in time"
        time.sleep(0.05)
    os.killpg(killed.pid, signal.SIGKILL)
    killed.wait()
    before = cache_entries(data_dir)
    assert 3 <= len(before) < 12
    calls_killed = count_calls(calls)
    # a partial object of a killed writer (its pid no longer lives) is cleared on the re-run
    stale = data_dir / "storage" / "results" / ".tmp-999999999-abc"
    stale.write_bytes(b"half")

    done = subprocess.run(
        [*command, "--out", str(tmp_path / "out")],
        env=env,
        capture_output=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    after = cache_entries(data_dir)
    assert len(after) == 12
    assert {p: after[p] for p in before} == before  # finished documents were not redone
    assert not list((data_dir / "storage").rglob(".tmp-*"))

    resumed_calls = count_calls(calls) - calls_killed
    monkeypatch.setenv("PATH", shim_env["PATH"])
    clean = run_batch(
        sample / "registrations.csv",
        sample / "manifest.csv",
        Settings(data_dir=tmp_path / "clean", workers=2),
    )
    resumed = (tmp_path / "out" / "report.json").read_text()
    assert without_time(resumed) == without_time(clean.to_json())
    clean_calls = count_calls(calls) - calls_killed - resumed_calls
    # the resumed run OCR'd only what was not finished: fewer calls than a whole run
    assert 0 < resumed_calls < clean_calls
    print(
        f"killed after {len(before)} of 12 documents; OCR calls: killed run {calls_killed}, "
        f"resumed {resumed_calls}, clean run {clean_calls}",
        file=sys.stderr,
    )
