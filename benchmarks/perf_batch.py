"""One measured `bewijscheck batch` run for `benchmarks.performance`: the CLI over one subset of
the set with a fresh data dir, its wall time, the peak RSS of its process tree, the time per
stage and per document from the result cache it writes, its Prefect tasks' durations, and the
scores of `bewijscheck eval` over its report."""

from __future__ import annotations

import contextlib
import json
import resource
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.perf_set import BenchSet

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
STAGES = ("intake", "text", "visual", "classify", "fields")


class TreeRss:
    """Peak RSS of a process and its descendants, polled in a thread."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        import psutil

        self.root = psutil.Process(pid)
        self.interval = interval
        self.peak_sum = 0
        self.peak_one = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()

    def _poll(self) -> None:
        import psutil

        while not self._stop.is_set():
            try:
                procs = [self.root, *self.root.children(recursive=True)]
            except psutil.Error:
                break
            rss = []
            for proc in procs:
                with contextlib.suppress(psutil.Error):
                    rss.append(proc.memory_info().rss)
            if rss:
                self.peak_sum = max(self.peak_sum, sum(rss))
                self.peak_one = max(self.peak_one, max(rss))
            self._stop.wait(self.interval)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


@dataclass
class BatchRun:
    name: str
    workers: int
    wall: float
    documents: int
    pages: int
    peak_rss: int
    peak_rss_one: int
    stages: dict[str, float]
    latencies: list[float]
    task_seconds: list[float]
    ocr_pages: int
    ocr_contradicting: int
    out: Path
    cpu: float = 0.0  # CPU seconds (user + system) of the CLI and every process under it

    @property
    def stage_seconds(self) -> float:
        return sum(self.stages.values())

    @property
    def stage_rate(self) -> float:
        """Documents per second of time in the stages (the results cache holds one result per
        distinct document, so a subset that lists a file twice counts it once here)."""
        busy = self.stage_seconds
        return len(self.latencies) / busy if busy > 0 else float("nan")

    @property
    def outside_share(self) -> float:
        """CPU time outside the document stages as a share of the stages' time (a file listed
        n times counts its stages n times: each row was checked again)."""
        repeats = max(1.0, self.documents / len(self.latencies)) if self.latencies else 1.0
        busy = self.stage_seconds * repeats
        return (self.cpu - busy) / busy if busy > 0 else float("nan")


def stage_seconds(data_dir: Path) -> tuple[dict[str, float], list[float], int, int]:
    """Summed `seconds` per stage over the cached results, each document's time in the
    stages, the pages read by OCR, and how many of those belong to documents whose text layer
    draws different text over itself (OCR then says what the page shows, for the evidence)."""
    totals = dict.fromkeys(STAGES, 0.0)
    per_document: list[float] = []
    ocr_pages = contradicting = 0
    for path in data_dir.rglob("*.json"):  # <data_dir>/storage/results/…/<slot>-<hash>.json
        if "results" not in path.relative_to(data_dir).parts:
            continue
        processed = json.loads(path.read_text())
        seconds = processed.get("seconds", {})
        for stage, value in seconds.items():
            totals[stage] = totals.get(stage, 0.0) + value
        per_document.append(sum(seconds.values()))
        document = processed.get("document") or {}
        read = sum(1 for p in document.get("pages", []) if p.get("source") == "ocr")
        ocr_pages += read
        tampering = ((processed.get("fields") or {}).get("tampering") or {}).get("value") or []
        if any(isinstance(t, dict) and t.get("soort") == "tekstlaag" for t in tampering):
            contradicting += read
    return totals, per_document, ocr_pages, contradicting


def task_durations() -> list[float]:
    """Durations of the document tasks (each a group of documents) of the latest batch flow
    run on the standing server."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
    from prefect.client.schemas.sorting import FlowRunSort, TaskRunSort

    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(sort=FlowRunSort.START_TIME_DESC, limit=1)
        if not runs:
            return []
        task_runs = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[runs[0].id])),
            sort=TaskRunSort.EXPECTED_START_TIME_ASC,
            limit=200,  # the server's page size; a set here has fewer documents
        )
    return [
        (t.end_time - t.start_time).total_seconds()
        for t in task_runs
        if t.name.startswith("check_documents") and t.start_time and t.end_time
    ]


def batch(
    bench: BenchSet,
    subset: str,
    workers: int,
    work: Path,
    env: dict[str, str],
    *,
    tasks: bool = True,
) -> BatchRun:
    name = f"{subset}-w{workers}"
    data_dir = work / "data" / name
    out = work / "out" / name
    shutil.rmtree(data_dir, ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    command = [
        str(BIN / "bewijscheck"),
        "batch",
        "--registrations",
        str(bench.registrations),
        "--manifest",
        str(bench.manifests[subset]),
        "--out",
        str(out),
        "--workers",
        str(workers),
        "--data-dir",
        str(data_dir),
        "--no-cache",
    ]
    log = (work / f"batch-{name}.log").open("wb")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    rss = TreeRss(proc.pid)
    code = proc.wait()
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    rss.stop()
    log.close()
    if code != 0:
        raise SystemExit(f"bewijscheck batch {name} exited {code}; see {log.name} in {work}")
    stages, per_document, ocr_pages, contradicting = stage_seconds(data_dir)
    return BatchRun(
        name=name,
        workers=workers,
        wall=wall,
        documents=bench.documents[subset],
        pages=bench.pages[subset],
        peak_rss=rss.peak_sum,
        peak_rss_one=rss.peak_one,
        stages=stages,
        latencies=per_document,
        task_seconds=task_durations() if tasks and "PREFECT_API_URL" in env else [],
        ocr_pages=ocr_pages,
        ocr_contradicting=contradicting,
        out=out,
        cpu=cpu,
    )


def evaluate(bench: BenchSet, run: BatchRun, env: dict[str, str]) -> dict[str, str]:
    result = subprocess.run(
        [
            str(BIN / "bewijscheck"),
            "eval",
            "--truth",
            str(bench.truth),
            "--report",
            str(run.out / "report.json"),
        ],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    (run.out / "eval.txt").write_text(result.stdout)
    metrics: dict[str, str] = {}
    for text in result.stdout.splitlines():
        key, _, value = text.partition(":")
        metrics[key.strip()] = value.strip()
    return metrics
