"""The signature detector on real scanned pages (`/work/shared/data/signatures_real`, see its
README): page-level "signed or not" accuracy, precision and recall, box-level precision,
recall and F1 at IoU >= 0.5, false signatures per unsigned page, and the time of the visual
stage next to OCR, per part of a fixed split by document (`benchmarks.sigreal_data`).

The held part is for measuring only: never tune on it, never look at its pages. `--dump`
draws the tune part's pages (found boxes red, labelled boxes green); held pages never are.
Each page goes through the pipeline's own OCR and visual hook (`benchmarks.sigreal_page`);
OCR is cached per image in `--cache`, so reruns take seconds.

    PYTHONPATH=$PWD OMP_THREAD_LIMIT=1 .venv/bin/python -m benchmarks.signatures_real \
        [--part tune|held|all] [--cache DIR] [--workers N] [--json FILE] [--dump DIR]"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path

import cv2

from benchmarks.sigreal_data import (
    HELD_FILE,
    PageRef,
    SplitError,
    default_data_dir,
    load_pages,
    split,
)
from benchmarks.sigreal_metrics import PageResult, match, score, table
from benchmarks.sigreal_page import load_page, measure_page
from core.settings import Settings
from pipeline.bootstrap import init_process

log = logging.getLogger(__name__)
RED, GREEN = (0, 0, 255), (0, 160, 0)


def run(
    pages: list[PageRef], cache: Path, settings: Settings, workers: int
) -> dict[str, PageResult]:
    """Every page measured, by stem; `workers` processes (1: in this process)."""
    work = partial(measure_page, cache=cache, settings=settings)
    if workers <= 1:
        return {p.stem: work(p) for p in pages}
    with ProcessPoolExecutor(workers, initializer=init_process, initargs=(settings,)) as pool:
        return {r.stem: r for r in pool.map(work, pages, chunksize=1)}


def dump(pages: list[PageRef], results: dict[str, PageResult], out: Path) -> None:
    """Each page with its found (red) and labelled (green) boxes, as JPEG."""
    out.mkdir(parents=True, exist_ok=True)
    for page in pages:
        image = load_page(page)
        result = results[page.stem]
        for boxes, colour in ((result.labelled, GREEN), (result.found, RED)):
            for x0, y0, x1, y1 in boxes:
                cv2.rectangle(image, (int(x0), int(y0)), (int(x1), int(y1)), colour, 3)
        cv2.imwrite(str(out / f"{page.stem}.jpg"), image, [cv2.IMWRITE_JPEG_QUALITY, 85])


def page_rows(results: list[PageResult]) -> list[dict[str, object]]:
    """Per-page results (tune part only: the held part's pages are never listed)."""
    return [
        {
            "stem": r.stem,
            "found": [[round(v, 1) for v in b] for b in r.found],
            "labelled": [[round(v, 1) for v in b] for b in r.labelled],
            "matched": match(r.found, r.labelled),
        }
        for r in results
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=("tune", "held", "all"), default="tune")
    parser.add_argument("--data", type=Path, default=None, help="the data set directory")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/sigreal-cache"))
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--json", type=Path, default=None, help="write the numbers here")
    parser.add_argument("--dump", type=Path, default=None, help="draw the tune pages here")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")

    data_dir = args.data or default_data_dir()
    try:
        parts = split(load_pages(data_dir))
    except (SplitError, OSError) as exc:
        print(f"refusing to run: {exc} (split file {HELD_FILE})", file=sys.stderr)
        return 2
    chosen = ("tune", "held") if args.part == "all" else (args.part,)
    settings = Settings()
    init_process(settings)
    started = time.perf_counter()
    todo = [p for name in chosen for p in parts[name]]
    results = run(todo, args.cache, settings, args.workers)
    elapsed = time.perf_counter() - started

    rows = {name: score([results[p.stem] for p in parts[name]]).numbers() for name in chosen}
    if len(chosen) > 1:
        rows["all"] = score(list(results.values())).numbers()
    print(table(rows))
    print(f"{len(todo)} pages in {elapsed:.1f} s with {args.workers} worker(s); OCR times are")
    print(f"those of the run that filled the cache ({args.cache}), visual times this run's")
    if args.json:
        report: dict[str, object] = {"parts": rows, "seconds": elapsed, "workers": args.workers}
        if "tune" in chosen:
            report["tune_pages"] = page_rows([results[p.stem] for p in parts["tune"]])
        args.json.write_text(json.dumps(report, indent=1) + "\n")
    if args.dump and "tune" in chosen:
        dump(parts["tune"], results, args.dump)  # never the held pages
    elif args.dump:
        print("--dump draws the tune part only: nothing drawn", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
