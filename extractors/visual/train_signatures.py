"""Train the signature verifier (`sig_verifier`) and write `models/signatures_forest.json` and
`models/signatures.json` (LightGBM, in the `dev` extras, is needed here only).

Two kinds of pages teach it:
- real scanned pages with signature boxes (`/work/shared/data/signatures_real`, the tune part of
  the fixed split in `benchmarks/data/signatures_real_held.txt` only: the held part is never
  read here), OCR'd as the pipeline does (cached);
- generated pages of the development layout families (a set made by `fixtures.generate
  --families dev`; documents of frozen test families are refused), read by the pipeline's own
  `extract_pages` (cached per file). Their signatures have no boxes in the ground truth, so the
  rule-based detector (`signatures.find_signatures`) labels them, on documents where it found
  exactly the signature count of the ground truth only.

A candidate's target is how well its box fits a signature (IoU 0.3 -> 0, 0.7 -> 1). The
threshold is chosen by five-fold cross-validation over the real documents: the best page
accuracy with at most `MAX_FALSE_PER_UNSIGNED` false signatures per unsigned page.

    PYTHONPATH=$PWD OMP_THREAD_LIMIT=1 .venv/bin/python -m extractors.visual.train_signatures \\
        [--real DIR] [--ocr-cache DIR] [--generated SET ...] [--pages-cache DIR]"""

from __future__ import annotations

import argparse
import json
import logging
import pickle
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np

from extractors.visual.sig_features import NAMES
from extractors.visual.sig_verifier import CARD_FILE, MODEL_FILE, select
from extractors.visual.train_data import Rows, generated_rows, real_rows
from extractors.visual.trees import from_lightgbm

log = logging.getLogger(__name__)
PARAMS = {
    "objective": "cross_entropy",
    "learning_rate": 0.05,
    "num_leaves": 15,
    "min_data_in_leaf": 20,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "verbose": -1,
    "num_threads": 2,
    "seed": 7,
}
ROUNDS = 300
FOLDS = 5
GENERATED_WEIGHT = 0.5
MAX_FALSE_PER_UNSIGNED = 0.1  # the bound on held pages
MIN_PAGE_PRECISION = 0.98
THRESHOLDS = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5)


def _generated(folder: Path, cache: Path, rows: Rows) -> None:
    generated_rows(rows, folder, cache)


def _cached(folder: Path | None, name: str, fill: Callable[[Rows], None]) -> Rows:
    """The rows of one source, from `folder` when kept there before (made and kept if not)."""
    path = folder / f"{name}.pkl" if folder else None
    if path is not None and path.is_file():
        return pickle.loads(path.read_bytes())
    rows = Rows()
    fill(rows)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps(rows))
    return rows


def target(iou: float) -> float:
    """How well a box fits a signature: 0 below IoU 0.3, 1 from 0.7."""
    return float(np.clip((iou - 0.3) / 0.4, 0.0, 1.0))


def _fit(x: np.ndarray, y: np.ndarray, weight: np.ndarray | None = None) -> object:
    import lightgbm

    return lightgbm.train(PARAMS, lightgbm.Dataset(x, y, weight=weight), num_boost_round=ROUNDS)


def cross_validate(real: Rows, generated: Rows) -> np.ndarray:
    """Out-of-fold scores of the real rows (folds by document; generated rows always train)."""
    docs = sorted(set(real.group))
    rng = np.random.default_rng(0)
    rng.shuffle(docs)
    fold_of = {d: i % FOLDS for i, d in enumerate(docs)}
    folds = np.array([fold_of[d] for d in real.group])
    x, y = np.array(real.x, np.float32), np.array(real.target)
    gx, gy = np.array(generated.x, np.float32).reshape(-1, len(NAMES)), np.array(generated.target)
    scores = np.zeros(len(y))
    for k in range(FOLDS):
        train = folds != k
        xs = np.vstack([x[train], gx])
        ys = np.concatenate([y[train], gy])
        ws = np.concatenate([np.ones(int(train.sum())), np.full(len(gy), GENERATED_WEIGHT)])
        scores[~train] = _fit(xs, ys, ws).predict(x[~train])  # type: ignore[attr-defined]
    return scores


def page_scores(rows: Rows, scores: np.ndarray, threshold: float) -> dict[str, float]:
    """Page- and box-level numbers of `scores` at `threshold` (benchmarks' definitions)."""
    from benchmarks.sigreal_metrics import PageResult, score

    by_page: dict[int, list[int]] = {}
    for i, p in enumerate(rows.page):
        by_page.setdefault(p, []).append(i)
    results = []
    for page, labelled in rows.labels.items():
        idx = by_page.get(page, [])
        kept = select([rows.boxes[i] for i in idx], scores[idx], threshold)
        found = tuple(tuple(float(v) for v in k.box) for k in kept)
        results.append(PageResult(str(page), found, tuple(labelled), 0.0, 0.0))  # type: ignore[arg-type]
    return score(results).numbers()


def choose(rows: Rows, scores: np.ndarray) -> tuple[float, dict[str, dict[str, float]]]:
    """The threshold with the best page accuracy within the false-signature bounds."""
    table = {f"{t:.2f}": page_scores(rows, scores, t) for t in THRESHOLDS}
    good = [
        t for t in THRESHOLDS
        if table[f"{t:.2f}"]["false_per_unsigned_page"] <= MAX_FALSE_PER_UNSIGNED
        and table[f"{t:.2f}"]["page_precision"] >= MIN_PAGE_PRECISION
    ]  # fmt: skip
    pool = good or [max(THRESHOLDS)]
    best = max(
        pool, key=lambda t: (table[f"{t:.2f}"]["page_accuracy"], table[f"{t:.2f}"]["box_f1"])
    )
    return best, table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real", type=Path, default=None, help="signatures_real directory")
    parser.add_argument("--ocr-cache", type=Path, default=Path("/tmp/sigreal-cache"))
    parser.add_argument("--generated", type=Path, nargs="*", default=[], help="generated sets")
    parser.add_argument("--pages-cache", type=Path, default=Path("/tmp/sigtrain-pages"))
    parser.add_argument("--out", type=Path, default=MODEL_FILE.parent)
    parser.add_argument("--rows-cache", type=Path, default=None, help="keep rows here, per set")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")

    real = _cached(args.rows_cache, "real", lambda rows: real_rows(rows, args.real, args.ocr_cache))
    generated = Rows()
    for folder in args.generated:
        part = _cached(args.rows_cache, folder.name, partial(_generated, folder, args.pages_cache))
        generated.extend(part)
    log.info("%d real rows of %d pages, %d generated rows of %d pages",
             len(real.x), len(real.labels), len(generated.x), len(generated.labels))  # fmt: skip
    scores = cross_validate(real, generated)
    threshold, table = choose(real, scores)
    for t, numbers in table.items():
        print(t, " ".join(f"{k} {v:.3f}" for k, v in numbers.items()))
    x = np.vstack(
        [np.array(real.x, np.float32), np.array(generated.x, np.float32).reshape(-1, len(NAMES))]
    )
    y = np.concatenate([np.array(real.target), np.array(generated.target)])
    w = np.concatenate([np.ones(len(real.x)), np.full(len(generated.x), GENERATED_WEIGHT)])
    booster = _fit(x, y, w)
    args.out.mkdir(parents=True, exist_ok=True)
    forest = from_lightgbm(booster.dump_model())  # type: ignore[attr-defined]
    (args.out / MODEL_FILE.name).write_text(json.dumps(forest, separators=(",", ":")) + "\n")
    card = {
        "features": NAMES,
        "threshold": threshold,
        "params": PARAMS,
        "rounds": ROUNDS,
        "trained_on": {
            "real_pages": len(real.labels),
            "generated_pages": len(generated.labels),
            "generated_sets": [p.name for p in args.generated],
        },
        "cross_validation": table,
    }
    (args.out / CARD_FILE.name).write_text(json.dumps(card, indent=1) + "\n")
    print(f"threshold {threshold}; model written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
