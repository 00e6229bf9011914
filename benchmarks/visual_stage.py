"""The visual stage's time per page, before and after, next to OCR's, in one run.

Pages are replayed from a pages cache (`extractors.visual.train_data.read_pages`: the images the
pipeline hands the visual hook, with their words; filled on first use by the pipeline's own
`extract_pages`): every page of a generated set goes through `analyse_page` of this checkout
and, with `--before CHECKOUT`, of another checkout, each in a fresh interpreter with its
checkout on `sys.path`, one pass after the other (run it from this checkout's root).
`--ocr N` times the text stage (render + OCR) of the first N scanned documents afresh, so the
visual time can be read as a share of OCR. With `--rounds R` every pass (after, before, OCR)
is repeated R times, alternating, and each page counts its fastest round: on a busy machine
one pass of a checkout can meet a load the other did not.

    PYTHONPATH=$PWD OMP_THREAD_LIMIT=1 .venv/bin/python -m benchmarks.visual_stage \
        --set DIR [--pages-cache DIR] [--before CHECKOUT] [--ocr N] [--limit N] [--rounds R]"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from core.settings import Settings


def _documents(folder: Path, limit: int) -> list[tuple[str, str]]:
    truth = json.loads((folder / "truth.json").read_text())
    docs = [(name, d.get("kind", "?")) for name, d in sorted(truth["documents"].items())]
    return [(n, k) for n, k in docs if (folder / n).is_file()][:limit]


# Run in a fresh interpreter with a checkout first on sys.path: times that checkout's
# `analyse_page` over the pages listed in a pickle of (kind, image path, words).
REPLAY = """
import json, pickle, sys, time
import cv2
from extractors.visual.collect import analyse_page
out = {}
pages = pickle.load(open(sys.argv[1], "rb"))
if pages:  # warm up: the model and the imports are loaded once per worker, not per page
    analyse_page(1, cv2.imread(pages[0][1], cv2.IMREAD_UNCHANGED), pages[0][2])
for kind, image_path, words in pages:
    image = cv2.imread(image_path, cv2.IMREAD_UNCHANGED)
    started = time.perf_counter()
    analyse_page(1, image, words)
    out.setdefault(kind, []).append(time.perf_counter() - started)
print(json.dumps(out))
"""


def page_list(folder: Path, cache: Path, limit: int, target: Path) -> int:
    """Write the pages of the first `limit` documents (read into `cache` first) to `target`."""
    import hashlib
    import pickle

    from core.errors import ExtractionError
    from extractors.visual.train_data import read_pages

    pages = []
    for name, kind in _documents(folder, limit):
        path = folder / name
        try:
            read_pages(path, cache)  # fills the cache
        except ExtractionError:
            continue  # the set's broken files: no page to analyse
        key = cache / hashlib.sha256(path.read_bytes()).hexdigest()
        _, calls = pickle.loads(key.with_suffix(".pkl").read_bytes())
        pages += [(kind, f"{key}-{number}.png", words) for number, words in calls]
    target.write_bytes(pickle.dumps(pages))
    return len(pages)


def replay(checkout: Path, pages: Path) -> dict[str, list[float]]:
    """Seconds per page of `checkout`'s `analyse_page`, by capture kind."""
    env = dict(os.environ, PYTHONPATH=str(checkout))
    done = subprocess.run(
        [sys.executable, "-c", REPLAY, str(pages)], cwd=checkout, env=env, capture_output=True,
        text=True, check=True,
    )  # fmt: skip
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def ocr_seconds(folder: Path, count: int) -> list[float]:
    """Seconds per page of the text stage of the first `count` scanned documents."""
    from reading.admission import sniff
    from reading.text import extract_pages

    out: list[float] = []
    scans = [n for n, k in _documents(folder, 10**9) if k == "scan"][:count]
    for name in scans:
        path = folder / name
        media = sniff(path.read_bytes())
        if media is None:
            continue
        started = time.perf_counter()
        pages = extract_pages(path.read_bytes(), media, settings=Settings())
        out.extend([(time.perf_counter() - started) / max(1, len(pages))] * len(pages))
    return out


def fastest(rounds: list[dict[str, list[float]]]) -> dict[str, list[float]]:
    """Per page, its fastest time over the rounds (the same pages in the same order)."""
    return {
        kind: [min(times) for times in zip(*(r[kind] for r in rounds), strict=True)]
        for kind in rounds[0]
    }


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, required=True, help="a generated set")
    parser.add_argument("--pages-cache", type=Path, default=Path("/tmp/sigtrain-pages"))
    parser.add_argument("--before", type=Path, default=None, help="another checkout")
    parser.add_argument("--ocr", type=int, default=5, help="scanned documents to OCR afresh")
    parser.add_argument("--limit", type=int, default=80, help="documents to replay")
    parser.add_argument("--rounds", type=int, default=1, help="passes each, fastest counts")
    args = parser.parse_args(argv)

    afters, befores, ocrs = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        listed = Path(tmp) / "pages.pkl"
        page_list(args.set, args.pages_cache, args.limit, listed)
        for _ in range(max(1, args.rounds)):
            afters.append(replay(Path.cwd(), listed))
            if args.before:
                befores.append(replay(args.before, listed))
            if args.ocr:
                ocrs.append({"scan": ocr_seconds(args.set, args.ocr)})
    after = fastest(afters)
    before = fastest(befores) if befores else {}
    ocr = fastest(ocrs)["scan"] if ocrs else []
    print("kind          pages  after s/page" + ("  before s/page  after/before" if before else ""))
    for kind in sorted(after):
        row = f"{kind:12s} {len(after[kind]):6d} {_mean(after[kind]):13.3f}"
        if before:
            b = _mean(before.get(kind, []))
            row += f" {b:14.3f} {(_mean(after[kind]) / b if b else 0):13.2f}"
        print(row)
    if ocr:
        every = [v for values in after.values() for v in values]
        print(f"OCR (text stage) of {len(ocr)} scanned pages: {_mean(ocr):.3f} s/page; the visual")
        print(f"stage after is {_mean(every) / _mean(ocr):.1%} of it on average")
    return 0


if __name__ == "__main__":
    sys.exit(main())
