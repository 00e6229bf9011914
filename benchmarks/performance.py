"""Throughput of `bewijscheck batch` against its floor (the `tesseract` CLI alone) and against
OCRmyPDF, on one generated set, measured in one run so that ratios share the machine's load.

    .venv/bin/python -m benchmarks.performance --seed 5100 --registrations 30

Needs the `bench` extra (`.venv/bin/pip install -e .[dev,bench]`: OCRmyPDF, psutil) and, for
OCRmyPDF, Ghostscript and qpdf from apt (`./scripts/bench.sh` installs both and runs this).
What it does, in this order:

1. generates the set (`fixtures.generate`; `--set DIR` reuses one) and derives from it a
   scan-only manifest, a born-digital-only manifest, an empty manifest and a 50-page scanned
   PDF (scan pages concatenated with pypdf; `Limits.max_pages` is 50);
2. renders the scan pages (pypdfium2, 300 dpi, grayscale) and decodes the photos (grayscale)
   to PGM files — timed, but outside the Tesseract rows;
3. runs `tesseract PAGE - -l nld+eng --dpi 300 tsv` (`OMP_THREAD_LIMIT=1`) over those files
   with 1 and with 2 processes at a time: the floor;
4. runs OCRmyPDF over the scanned PDFs (`--skip-text --output-type pdf --optimize 0
   --jobs 1 -l nld+eng`), 1 and 2 files at a time;
5. runs the `bewijscheck batch` CLI (`--no-cache`, a fresh data dir each) with `--workers 1`
   and `2` over the whole set, the scans and the born-digital PDFs, once over the 50-page PDF,
   and over an empty manifest (the fixed cost of the CLI: imports, flow run; no worker
   process starts for it, so starting one counts in every run's net time).
   All batches talk to one standing Prefect server started here; the temporary server the CLI
   starts without one is timed once, over the empty manifest;
6. scores both whole-set reports with `bewijscheck eval`, and prints the table and whether
   each target of issue #8 is met.

Per-document p50/p95 and time per stage are `ProcessedDocument.seconds` from the result
cache the batch writes (also with `--no-cache`): a Prefect task checks several documents
(`BEWIJSCHECK_DOCUMENTS_PER_TASK`), so a task run's duration is no longer one document's.
Peak RSS is the largest sum of RSS over the CLI's process tree (the CLI, its worker
processes and their tesseract children), polled every 50 ms. Nothing here prints document
text. Exit status 0 whatever the targets say; 1 when a run fails."""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.prescreen_latency import (
    Processes,
    drain_prefect,
    free_port,
    load,
    percentile,
    wait_for_health,
)

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
LANGUAGES = "nld+eng"
DPI = 300
BIG_PAGES = 50
STAGES = ("intake", "text", "visual", "classify", "fields")


# -- the set ------------------------------------------------------------------------------


@dataclass
class BenchSet:
    root: Path
    registrations: Path
    manifest: Path
    truth: Path
    samples: list[dict[str, str]]
    manifests: dict[str, Path] = field(default_factory=dict)
    pages: dict[str, int] = field(default_factory=dict)  # pages per subset
    documents: dict[str, int] = field(default_factory=dict)

    def files(self, kind: str) -> list[Path]:
        return [self.root / r["file"] for r in self.samples if r["kind"] == kind]


def pdf_pages(path: Path) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return len(pdf)
    finally:
        pdf.close()


def generate(args: argparse.Namespace, work: Path) -> Path:
    if args.set is not None:
        return args.set.resolve()
    target = work / "set"
    command = [
        sys.executable,
        "-m",
        "fixtures.generate",
        "--seed",
        str(args.seed),
        "--registrations",
        str(args.registrations),
        "--out",
        str(target),
    ]
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    print(f"generated the set in {time.perf_counter() - started:.0f} s")
    return target


def prepare(root: Path, work: Path) -> BenchSet:
    """Manifests per subset and the 50-page scanned PDF."""
    from pypdf import PdfReader, PdfWriter

    with (root / "samples.csv").open(newline="") as fh:
        samples = list(csv.DictReader(fh))
    kinds = {r["file"]: r["kind"] for r in samples}
    with (root / "manifest.csv").open(newline="") as fh:
        reader = csv.DictReader(fh)
        header = list(reader.fieldnames or [])
        rows = list(reader)
    bench = BenchSet(
        root, root / "registrations.csv", root / "manifest.csv", root / "truth.json", samples
    )

    def write(name: str, subset: list[dict[str, str]], folder: Path = root) -> None:
        path = folder / f"bench_{name}.csv"
        with path.open("w", newline="") as fh:
            out = csv.DictWriter(fh, header)
            out.writeheader()
            out.writerows(subset)
        bench.manifests[name] = path

    def count(subset: list[dict[str, str]]) -> int:
        total = 0
        for row in subset:
            kind = kinds.get(row["bestand"])
            if kind == "photo":
                total += 1
            elif kind in ("scan", "born_digital"):
                total += pdf_pages(root / row["bestand"])
        return total

    subsets = {
        "all": rows,
        "scans": [r for r in rows if kinds.get(r["bestand"]) == "scan"],
        "born_digital": [r for r in rows if kinds.get(r["bestand"]) == "born_digital"],
        "empty": [],
    }
    for name, subset in subsets.items():
        write(name, subset)
        bench.pages[name] = count(subset)
        bench.documents[name] = len(subset)

    # 50 pages of scans in one PDF, listed for the first scan's registration and slot
    writer = PdfWriter()
    scans = bench.files("scan")
    while len(writer.pages) < BIG_PAGES:
        for path in scans:
            for page in PdfReader(path).pages:
                if len(writer.pages) < BIG_PAGES:
                    writer.add_page(page)
    big_dir = work / "big"
    big_dir.mkdir(exist_ok=True)
    writer.write(big_dir / "scan50.pdf")
    first = subsets["scans"][0]
    write("big", [{**first, "bestand": "scan50.pdf"}], big_dir)
    bench.pages["big"], bench.documents["big"] = BIG_PAGES, 1
    return bench


# -- raw tesseract and OCRmyPDF -----------------------------------------------------------


def render_pages(bench: BenchSet, folder: Path) -> tuple[list[Path], list[Path], float]:
    """Scan pages at 300 dpi and photos, grayscale PGM; (scan pages, photo pages, seconds)."""
    import cv2
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image, ImageOps

    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    scans: list[Path] = []
    for i, path in enumerate(bench.files("scan")):
        pdf = pdfium.PdfDocument(str(path))
        for j in range(len(pdf)):
            array = pdf[j].render(scale=DPI / 72, grayscale=True).to_numpy()
            if array.ndim == 3:
                array = array[:, :, 0]
            target = folder / f"scan{i:03d}_{j:02d}.pgm"
            cv2.imwrite(str(target), np.ascontiguousarray(array))
            scans.append(target)
        pdf.close()
    photos: list[Path] = []
    for i, path in enumerate(bench.files("photo")):
        with Image.open(path) as image:
            gray = np.asarray(ImageOps.exif_transpose(image).convert("L"))
        target = folder / f"photo{i:03d}.pgm"
        cv2.imwrite(str(target), gray)
        photos.append(target)
    return scans, photos, time.perf_counter() - started


def run_parallel(commands: Sequence[list[str]], parallel: int, env: dict[str, str]) -> float:
    """Wall seconds to run every command, `parallel` at a time; fails on a non-zero exit."""

    def one(command: list[str]) -> None:
        subprocess.run(
            command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )

    started = time.perf_counter()
    with ThreadPoolExecutor(parallel) as pool:
        list(pool.map(one, commands))
    return time.perf_counter() - started


def tesseract_commands(pages: list[Path]) -> list[list[str]]:
    return [["tesseract", str(p), "-", "-l", LANGUAGES, "--dpi", str(DPI), "tsv"] for p in pages]


def ocrmypdf_commands(files: list[Path], out: Path) -> list[list[str]]:
    out.mkdir(parents=True, exist_ok=True)
    return [
        [
            str(BIN / "ocrmypdf"),
            "--skip-text",
            "--output-type",
            "pdf",
            "--optimize",
            "0",
            "--jobs",
            "1",
            "-l",
            LANGUAGES,
            "--quiet",
            str(f),
            str(out / f.name),
        ]
        for f in files
    ]


# -- bewijscheck batch --------------------------------------------------------------------


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
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    rss = TreeRss(proc.pid)
    code = proc.wait()
    wall = time.perf_counter() - started
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


# -- the table ----------------------------------------------------------------------------


def field_mean(metrics: dict[str, str]) -> float:
    """Mean of `field_accuracy.<field>` over the fields scored (not per capture kind)."""
    values = [
        float(v)
        for k, v in metrics.items()
        if k.startswith("field_accuracy.") and k.count(".") == 1 and v != "n/a"
    ]
    return sum(values) / len(values) if values else float("nan")


def mib(n: int) -> str:
    return f"{n / 2**20:.0f} MiB"


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=5100)
    parser.add_argument("--registrations", type=int, default=30)
    parser.add_argument("--set", type=Path, help="use this generated set instead")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--no-ocrmypdf", action="store_true", help="skip the OCRmyPDF rows")
    parser.add_argument("--startup-timeout", type=float, default=180.0)
    parser.add_argument("--keep", action="store_true", help="keep the work dir")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    work = Path(tempfile.mkdtemp(prefix="bewijscheck-perf-"))
    home = work / "prefect"
    home.mkdir()
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    os.environ.update(
        PREFECT_HOME=str(home),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        DO_NOT_TRACK="1",
        PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL="WARNING",
        PREFECT_LOGGING_HANDLERS_CONSOLE_FLOW_RUNS_LEVEL="WARNING",
        OMP_THREAD_LIMIT="1",
    )
    ephemeral_env = dict(os.environ, PREFECT_HOME=str(work / "prefect-temporary"))
    ephemeral_env.pop("PREFECT_API_URL", None)
    os.environ["PREFECT_API_URL"] = api_url
    env = dict(os.environ)
    procs = Processes(work)
    print(f"work dir: {work}")
    print(f"cpus: {os.cpu_count()}, load average at start: {load()}")
    ok = False
    try:
        bench = prepare(generate(args, work), work)
        server = procs.start(
            "server",
            [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            env,
        )
        wait_for_health(api_url, server, work / "server.log", args.startup_timeout)
        run(args, bench, work, env, ephemeral_env)
        ok = True
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
    finally:
        drain_prefect()
        procs.stop_all()
        if ok and not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        elif not ok:
            print(f"kept {work}", file=sys.stderr)
    if not ok:
        sys.exit(1)


def run(
    args: argparse.Namespace,
    bench: BenchSet,
    work: Path,
    env: dict[str, str],
    ephemeral_env: dict[str, str],
) -> None:
    workers: list[int] = sorted(set(args.workers))
    scan_files = bench.files("scan")
    print(
        f"set: {bench.root} — {bench.documents['all']} documents, {bench.pages['all']} pages "
        f"({bench.pages['scans']} scanned in {len(scan_files)} PDFs, "
        f"{len(bench.files('photo'))} photos, {bench.pages['born_digital']} born-digital)"
    )
    scans, photos, render_s = render_pages(bench, work / "pgm")

    print(f"rendered to PGM in {render_s:.1f} s", flush=True)
    raw: dict[tuple[str, int], float] = {}
    for n in workers:
        raw["scans", n] = run_parallel(tesseract_commands(scans), n, env)
        raw["photos", n] = run_parallel(tesseract_commands(photos), n, env)
        print(f"tesseract, {n} parallel: scans {raw['scans', n]:.1f} s, "
              f"photos {raw['photos', n]:.1f} s (load {load()})", flush=True)  # fmt: skip
    ocrmypdf: dict[int, float] = {}
    if not args.no_ocrmypdf:
        for n in workers:
            out = work / f"ocrmypdf-{n}"
            ocrmypdf[n] = run_parallel(ocrmypdf_commands(scan_files, out), n, env)
            print(f"OCRmyPDF, {n} parallel: {ocrmypdf[n]:.1f} s", flush=True)

    # the first run after a change compiles the package's bytecode and warms the server:
    # the fixed cost is the quicker of two runs after one warm-up
    batch(bench, "empty", 1, work, env, tasks=False)
    empty = min(
        (batch(bench, "empty", 1, work, env, tasks=False) for _ in range(2)), key=lambda r: r.wall
    )
    # the temporary server's first start migrates its database: time the second
    batch(bench, "empty", 1, work / "temporary", ephemeral_env, tasks=False)
    ephemeral_s = batch(bench, "empty", 1, work / "temporary", ephemeral_env).wall
    runs: dict[tuple[str, int], BatchRun] = {}
    for n in workers:
        for subset in ("all", "scans", "born_digital"):
            runs[subset, n] = batch(bench, subset, n, work, env)
            print(f"batch {subset}, {n} workers: {runs[subset, n].wall:.1f} s (load {load()})",
                  flush=True)  # fmt: skip
    big = batch(bench, "big", 1, work, env)
    metrics = {n: evaluate(bench, runs["all", n], env) for n in workers}
    end_load = load()
    fixed = empty.wall

    # ---- print ----
    print(f"\nload average at end: {end_load}")
    print(
        f"fixed cost of one `bewijscheck batch` (empty manifest): {fixed:.1f} s against the "
        f"standing server; {ephemeral_s:.1f} s with its own temporary server "
        f"({ephemeral_s - fixed:.1f} s of it the server start); 'net' = wall - {fixed:.1f} s"
    )
    print(f"render to PGM (not in the tesseract rows): {render_s:.1f} s for "
          f"{len(scans)} scan pages + {len(photos)} photos")  # fmt: skip
    print()
    head = f"{'run':<34}{'wall s':>8}{'net s':>8}{'pages/s':>9}{'docs/s':>8}"
    print(head + f"{'p50 s':>7}{'p95 s':>7}{'peak RSS':>10}")
    for n in workers:
        for what, pages in (("scans", len(scans)), ("photos", len(photos))):
            wall = raw[what, n]
            print(f"{f'tesseract CLI, {what}, {n} parallel':<34}{wall:>8.1f}{wall:>8.1f}"
                  f"{pages / wall:>9.2f}")  # fmt: skip
    for n, wall in ocrmypdf.items():
        print(f"{f'OCRmyPDF, scans, {n} parallel':<34}{wall:>8.1f}{wall:>8.1f}"
              f"{len(scans) / wall:>9.2f}{len(scan_files) / wall:>8.2f}")  # fmt: skip
    for r in [*runs.values(), big]:
        net = r.wall - fixed
        p50 = f"{percentile(r.latencies, 50):>7.2f}" if r.latencies else f"{'-':>7}"
        p95 = f"{percentile(r.latencies, 95):>7.2f}" if r.latencies else f"{'-':>7}"
        print(
            f"{f'bewijscheck {r.name}':<34}{r.wall:>8.1f}{net:>8.1f}{r.pages / net:>9.2f}"
            f"{r.documents / net:>8.2f}{p50}{p95}{mib(r.peak_rss):>10}"
        )
    print("\ntime per stage, summed over documents (s); 'tasks': the Prefect tasks' summed "
          "durations (stages + storage + Prefect's task engine)")  # fmt: skip
    for r in [*runs.values(), big]:
        total = r.wall - fixed
        cells = "  ".join(f"{s} {r.stages.get(s, 0.0):6.1f}" for s in STAGES)
        print(f"  {r.name:<18}{cells}  tasks {sum(r.task_seconds):6.1f}  net wall × workers "
              f"{total * r.workers:6.1f}  OCR pages {r.ocr_pages}")  # fmt: skip
    print("\neval (whole set; every line in out/all-w*/eval.txt):" + "".join(
        f"{'w' + str(n):>9}" for n in workers))  # fmt: skip
    for key in ("doc_type_accuracy", "finding_precision", "finding_recall", "verdict_accuracy"):
        print(f"  {key:<40}" + "".join(f"{metrics[n].get(key, '-'):>9}" for n in workers))
    fields = {n: field_mean(metrics[n]) for n in workers}
    print(f"  {'field_accuracy (mean over fields)':<40}"
          + "".join(f"{fields[n]:>9.4f}" for n in workers))  # fmt: skip
    same = all(metrics[n] == metrics[workers[0]] for n in workers)
    print(f"  every metric the same for {', '.join(f'w{n}' for n in workers)}: {same}")

    # ---- targets ----
    print("\ntargets:")

    def ratio_line(label: str, ours: float, ours_net: float, theirs: float, limit: float) -> None:
        print(f"  {label}: {ours / theirs:.2f} with the fixed cost, {ours_net / theirs:.2f} "
              f"without (target ≤ {limit:g}): {verdict(ours_net / theirs <= limit)}")  # fmt: skip

    for n in workers:
        scan = runs["scans", n]
        ratio_line(f"scans, {n} parallel: bewijscheck / tesseract", scan.wall,
                   scan.wall - fixed, raw["scans", n], 1.1)  # fmt: skip
        if n in ocrmypdf:
            ratio_line(f"scans, {n} parallel: bewijscheck / OCRmyPDF", scan.wall,
                       scan.wall - fixed, ocrmypdf[n], 1.0)  # fmt: skip
    for n in workers:
        born = runs["born_digital", n]
        per_core = born.documents / (born.wall - fixed) / n
        busy = sum(born.stages.values()) or float("nan")
        print(f"  born-digital, {n} workers: OCR pages {born.ocr_pages} (target 0): "
              f"{verdict(born.ocr_pages == 0)} ({born.ocr_contradicting} of them in documents "
              "whose text layer draws different text over itself: OCR says what shows); "
              f"{per_core:.1f} documents/s per core end to end, "
              f"{born.documents / busy:.1f} in the stages (target ≥ 20): "
              f"{verdict(per_core >= 20)}")  # fmt: skip
    if 1 in workers and 2 in workers:
        for subset in ("all", "scans"):
            one, two = runs[subset, 1], runs[subset, 2]
            speedup = (one.wall - fixed) / (two.wall - fixed)
            print(f"  {subset}: 2 workers / 1 worker throughput {speedup:.2f} net, "
                  f"{one.wall / two.wall:.2f} with the fixed cost (target ≥ 1.8): "
                  f"{verdict(speedup >= 1.8)}")  # fmt: skip
    print(f"  50-page scanned PDF: peak RSS {mib(big.peak_rss)} (process tree), "
          f"{mib(big.peak_rss_one)} largest process (target < 1024 MiB): "
          f"{verdict(big.peak_rss < 2**30)}")  # fmt: skip


if __name__ == "__main__":
    main()
