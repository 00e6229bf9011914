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
   each target of issue #8 is met, judged on gross (wall) times: the tesseract and OCRmyPDF
   rows keep their own fixed costs, so ours stays in too. The net time (wall minus the empty
   batch) is printed beside each figure and judged nowhere (`benchmarks.perf_targets`).

Per-document p50/p95 and time per stage are `ProcessedDocument.seconds` from the result
cache the batch writes (also with `--no-cache`): a Prefect task checks several documents
(`BEWIJSCHECK_DOCUMENTS_PER_TASK`), so a task run's duration is no longer one document's.
Peak RSS is the largest sum of RSS over the CLI's process tree (the CLI, its worker
processes and their tesseract children), polled every 50 ms. Nothing here prints document
text. Exit status 0 whatever the targets say; 1 when a run fails. The parts: the set in
`benchmarks.perf_set`, the floor in `benchmarks.perf_floor`, one measured batch in
`benchmarks.perf_batch`."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
from pathlib import Path

from benchmarks.perf_batch import STAGES, BatchRun, batch, evaluate
from benchmarks.perf_floor import ocrmypdf_commands, render_pages, run_parallel, tesseract_commands
from benchmarks.perf_set import BenchSet, generate, prepare
from benchmarks.perf_targets import Target, net, per_core, slower_than, speedup
from benchmarks.prescreen_latency import (
    QUIET_PREFECT,
    Processes,
    free_port,
    load,
    percentile,
    shut_down,
    start_server,
)

SUBSETS = ("all", "scans", "photos", "born_digital", "born_many")


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


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=5100)
    parser.add_argument("--registrations", type=int, default=30)
    parser.add_argument("--set", type=Path, help="use this generated set instead")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--no-ocrmypdf", action="store_true", help="skip the OCRmyPDF rows")
    parser.add_argument(
        "--subsets",
        nargs="+",
        choices=SUBSETS,
        default=list(SUBSETS),
        help="the batch runs to make (each with every --workers); eval needs `all`",
    )
    parser.add_argument("--startup-timeout", type=float, default=180.0)
    parser.add_argument("--keep", action="store_true", help="keep the work dir")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    work = Path(tempfile.mkdtemp(prefix="bewijscheck-perf-"))
    home = work / "prefect"
    home.mkdir()
    port = free_port()
    os.environ.update(QUIET_PREFECT, PREFECT_HOME=str(home))
    ephemeral_env = dict(os.environ, PREFECT_HOME=str(work / "prefect-temporary"))
    ephemeral_env.pop("PREFECT_API_URL", None)
    os.environ["PREFECT_API_URL"] = f"http://127.0.0.1:{port}/api"
    env = dict(os.environ)
    procs = Processes(work)
    print(f"work dir: {work}")
    print(f"cpus: {os.cpu_count()}, load average at start: {load()}")
    ok = False
    try:
        bench = prepare(generate(args, work), work)
        start_server(procs, port, env, args.startup_timeout)
        run(args, bench, work, env, ephemeral_env)
        ok = True
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
    finally:
        shut_down(procs, work, remove=ok and not args.keep)
        if not ok:
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
        for subset in args.subsets:
            runs[subset, n] = batch(bench, subset, n, work, env)
            print(f"batch {subset}, {n} workers: {runs[subset, n].wall:.1f} s (load {load()})",
                  flush=True)  # fmt: skip
    big = batch(bench, "big", 1, work, env)
    metrics = {n: evaluate(bench, runs["all", n], env) for n in workers if ("all", n) in runs}
    end_load = load()
    fixed = empty.wall

    # ---- print ----
    print(f"\nload average at end: {end_load}")
    print(
        f"fixed cost of one `bewijscheck batch` (empty manifest): {fixed:.1f} s against the "
        f"standing server; {ephemeral_s:.1f} s with its own temporary server "
        f"({ephemeral_s - fixed:.1f} s of it the server start); 'net' = wall - {fixed:.1f} s, "
        "shown beside; rates and targets are on wall time"
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
        p50 = f"{percentile(r.latencies, 50):>7.2f}" if r.latencies else f"{'-':>7}"
        p95 = f"{percentile(r.latencies, 95):>7.2f}" if r.latencies else f"{'-':>7}"
        print(
            f"{f'bewijscheck {r.name}':<34}{r.wall:>8.1f}{net(r.wall, fixed):>8.1f}"
            f"{rate(r.pages, r.wall):>9.2f}{rate(r.documents, r.wall):>8.2f}{p50}{p95}"
            f"{mib(r.peak_rss):>10}"
        )
    print("\ntime per stage, summed over documents (s); 'tasks': the Prefect tasks' summed "
          "durations (stages + storage + Prefect's task engine); 'cpu': CPU seconds of the CLI's "
          "process tree; 'outside': CPU outside the stages over the stages' time")  # fmt: skip
    for r in [*runs.values(), big]:
        total = net(r.wall, fixed)
        cells = "  ".join(f"{s} {r.stages.get(s, 0.0):6.1f}" for s in STAGES)
        print(f"  {r.name:<18}{cells}  tasks {sum(r.task_seconds):6.1f}  net wall × workers "
              f"{total * r.workers:6.1f}  cpu {r.cpu:6.1f}  outside {r.outside_share:5.2f}  "
              f"OCR pages {r.ocr_pages}")  # fmt: skip
    if metrics:
        report_eval(metrics)
    print_targets(runs, raw, ocrmypdf, fixed, workers, big)


def report_eval(metrics: dict[int, dict[str, str]]) -> None:
    ran = sorted(metrics)
    print("\neval (whole set; every line in out/all-w*/eval.txt):" + "".join(
        f"{'w' + str(n):>9}" for n in ran))  # fmt: skip
    for key in ("doc_type_accuracy", "finding_precision", "finding_recall", "verdict_accuracy"):
        print(f"  {key:<40}" + "".join(f"{metrics[n].get(key, '-'):>9}" for n in ran))
    fields = {n: field_mean(metrics[n]) for n in ran}
    print(f"  {'field_accuracy (mean over fields)':<40}"
          + "".join(f"{fields[n]:>9.4f}" for n in ran))  # fmt: skip
    same = all(metrics[n] == metrics[ran[0]] for n in ran)
    print(f"  every metric the same for {', '.join(f'w{n}' for n in ran)}: {same}")


def print_targets(
    runs: dict[tuple[str, int], BatchRun],
    raw: dict[tuple[str, int], float],
    ocrmypdf: dict[int, float],
    fixed: float,
    workers: list[int],
    big: BatchRun,
) -> None:
    """The targets of issues #8 and #20, judged on wall time (the fixed cost included)."""
    print("\ntargets (judged on wall time, the fixed cost included):")
    targets: list[Target] = []
    for n in workers:
        if ("scans", n) in runs:
            scan = runs["scans", n].wall
            targets.append(
                slower_than(
                    f"scans, {n} parallel: bewijscheck / tesseract",
                    scan,
                    raw["scans", n],
                    fixed,
                    1.1,
                )
            )
            if n in ocrmypdf:
                targets.append(
                    slower_than(
                        f"scans, {n} parallel: bewijscheck / OCRmyPDF",
                        scan,
                        ocrmypdf[n],
                        fixed,
                        1.0,
                    )
                )
        if ("photos", n) in runs:
            targets.append(
                slower_than(
                    f"photos, {n} parallel: bewijscheck / tesseract",
                    runs["photos", n].wall,
                    raw["photos", n],
                    fixed,
                    1.2,
                )
            )
    for subset in ("born_digital", "born_many"):
        for n in workers:
            if (subset, n) not in runs:
                continue
            born = runs[subset, n]
            print(
                f"  {subset}, {n} workers: OCR pages {born.ocr_pages} (target 0): "
                f"{verdict(born.ocr_pages == 0)} ({born.ocr_contradicting} of them in documents "
                "whose text layer draws different text over itself: OCR says what shows)"
            )
            targets.append(
                Target(
                    f"{subset}, {n} workers: documents/s in the stages",
                    born.stage_rate,
                    born.stage_rate,
                    20.0,
                    False,
                )
            )
            targets.append(
                per_core(
                    f"{subset}, {n} workers: documents/s per core end to end",
                    born.documents,
                    born.wall,
                    fixed,
                    n,
                    10.0,
                )
            )
    if ("scans", 2) in runs:
        scans = runs["scans", 2]
        targets.append(
            Target(
                "scans, 2 workers: CPU outside the stages / stages' time",
                scans.outside_share,
                scans.outside_share,
                0.10,
                True,
            )
        )
    if 1 in workers and 2 in workers:
        for subset in ("all", "scans"):
            if (subset, 1) in runs and (subset, 2) in runs:
                targets.append(
                    speedup(
                        f"{subset}: 2 workers / 1 worker throughput",
                        runs[subset, 1].wall,
                        runs[subset, 2].wall,
                        fixed,
                        1.75,
                    )
                )
    for target in targets:
        print(f"  {target.line()}")
    print(
        f"  50-page scanned PDF: peak RSS {mib(big.peak_rss)} (process tree), "
        f"{mib(big.peak_rss_one)} largest process (target < 1024 MiB): "
        f"{verdict(big.peak_rss < 2**30)}"
    )


if __name__ == "__main__":
    main()
