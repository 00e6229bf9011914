"""Signatures found by a learned verifier: every candidate group of handwriting-like ink
(`sig_candidates`) is scored by a small gradient-boosted model over its features
(`sig_features`), trained by `extractors.visual.train_signatures` on real scanned pages and on
generated ones; candidates at or above the model's threshold are kept, best first, and a
candidate that overlaps a kept one is dropped (one signature, one box).

The model ships with the package: `models/signatures_forest.json` (the trees as arrays,
evaluated with numpy by `trees.Forest`: LightGBM is needed to train, not to run) and
`models/signatures.json` (its threshold, feature names and how it was trained)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from core.model import Word
from extractors.visual.ink import dark_mask, gray_of
from extractors.visual.sig_candidates import all_candidates, padded
from extractors.visual.sig_features import NAMES, LevelView, PageView, features
from extractors.visual.trees import Forest

MODEL_DIR = Path(__file__).parent / "models"
MODEL_FILE = MODEL_DIR / "signatures_forest.json"
CARD_FILE = MODEL_DIR / "signatures.json"
MAX_OVERLAP = 0.3  # IoU above which two candidates are one signature
MAX_INSIDE = 0.5  # ... or this share of the smaller one inside the other
Box = tuple[int, int, int, int]


@dataclass(frozen=True)
class Scored:
    """A candidate's box (padded, pixels) and the verifier's score."""

    box: Box
    score: float


@lru_cache(maxsize=1)
def model() -> tuple[Forest, float]:
    """The shipped forest and its threshold (loaded once per process)."""
    card = json.loads(CARD_FILE.read_text())
    forest = Forest.load(MODEL_FILE)
    if card["features"] != NAMES or forest.features != len(NAMES):
        raise RuntimeError("the signature model was trained on other features: retrain it")
    return forest, float(card["threshold"])


def candidate_rows(
    image: np.ndarray, scale: float, words: list[Word], printed: np.ndarray, exclude: np.ndarray
) -> tuple[list[Box], np.ndarray]:
    """Every candidate's padded box and its feature row."""
    gray = gray_of(image)
    levels, found = all_candidates(gray, scale, printed, exclude)
    if not found:
        return [], np.zeros((0, len(NAMES)), np.float32)
    lightest = levels[-1].ink  # every level's pieces lie in the lightest level's ink
    view = PageView.of(image, gray, dark_mask(gray), printed, words, scale, lightest)
    views = [LevelView.of(p) for p in levels]
    rows = np.array([features(view, views[c.level], c) for c in found], np.float32)
    return [padded(c.box, scale, image.shape) for c in found], rows


def _overlaps(a: Box, b: Box) -> bool:
    ix = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    if inter == 0:
        return False
    area_a = (a[2] - a[0]) * (a[3] - a[1])
    area_b = (b[2] - b[0]) * (b[3] - b[1])
    union = area_a + area_b - inter
    return inter / union > MAX_OVERLAP or inter > MAX_INSIDE * min(area_a, area_b)


def select(boxes: list[Box], scores: np.ndarray, threshold: float) -> list[Scored]:
    """Candidates at or above `threshold`, best first, none overlapping a better one."""
    kept: list[Scored] = []
    for i in np.argsort(-scores, kind="stable"):
        if scores[i] < threshold:
            break
        if not any(_overlaps(boxes[i], k.box) for k in kept):
            kept.append(Scored(boxes[i], float(scores[i])))
    return kept


def verified(
    image: np.ndarray, scale: float, words: list[Word], printed: np.ndarray, exclude: np.ndarray
) -> list[Scored]:
    """The page's signatures as the shipped model sees them."""
    boxes, rows = candidate_rows(image, scale, words, printed, exclude)
    if not boxes:
        return []
    forest, threshold = model()
    return select(boxes, forest.predict(rows), threshold)
