"""The training rows of the signature verifier (see `train_signatures`): candidates of real
scanned pages labelled by their signature boxes, and of generated development-family pages
labelled by the rule-based detector where it counted right. Pages are read once and cached."""

from __future__ import annotations

import hashlib
import json
import logging
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from core.errors import ExtractionError
from core.geometry import BBox
from core.model import Word
from core.settings import Settings
from extractors.visual.collect import page_masks
from extractors.visual.sig_candidates import padded
from extractors.visual.sig_verifier import Box, candidate_rows
from extractors.visual.signatures import find_signatures

log = logging.getLogger(__name__)


@dataclass
class Rows:
    """Candidate rows of many pages: features, target, page of each, the page's labels."""

    x: list[list[float]] = field(default_factory=list)
    target: list[float] = field(default_factory=list)
    page: list[int] = field(default_factory=list)
    boxes: list[tuple[int, int, int, int]] = field(default_factory=list)
    group: list[str] = field(default_factory=list)  # the document, for folds
    labels: dict[int, list[tuple[float, float, float, float]]] = field(default_factory=dict)

    def extend(self, other: Rows) -> None:
        """Add another source's rows (its pages numbered after these)."""
        offset = len(self.labels)
        self.x += other.x
        self.target += other.target
        self.page += [p + offset for p in other.page]
        self.boxes += other.boxes
        self.group += other.group
        self.labels.update({p + offset: labs for p, labs in other.labels.items()})


def _add_page(
    rows: Rows,
    group: str,
    boxes: list[Box],
    x: np.ndarray,
    labels: list[tuple[float, float, float, float]],
) -> None:
    from benchmarks.sigreal_metrics import iou
    from extractors.visual.train_signatures import target

    page = len(rows.labels)
    rows.labels[page] = [tuple(float(v) for v in b) for b in labels]  # type: ignore[misc]
    for box, feats in zip(boxes, x, strict=True):
        best = max((iou(box, lab) for lab in labels), default=0.0)
        rows.x.append([float(v) for v in feats])
        rows.target.append(target(best))
        rows.page.append(page)
        rows.boxes.append(box)
        rows.group.append(group)


def real_rows(rows: Rows, data_dir: Path | None, ocr_cache: Path) -> None:
    """The tune part of signatures_real (the held part is never read)."""
    from benchmarks.sigreal_data import default_data_dir, load_pages, split
    from benchmarks.sigreal_page import cached_ocr, load_page, to_page_frame
    from reading.frame import rotate

    settings = Settings()
    for page in split(load_pages(data_dir or default_data_dir()))["tune"]:
        colour = load_page(page)
        ocr = cached_ocr(page, colour, ocr_cache, settings)
        words = [Word.model_validate(w) for w in ocr["words"]]
        rotation = float(ocr["rotation"])
        m = page_masks(rotate(colour, rotation), words)
        boxes, x = candidate_rows(m.image, m.scale, words, m.printed, m.exclude)
        height, width = m.image.shape[:2]
        on_page = []
        for b in boxes:
            box = BBox.from_pixels(*b, width=width, height=height)
            x0, y0, x1, y1 = to_page_frame(box, rotation)
            on_page.append((round(x0), round(y0), round(x1), round(y1)))
        _add_page(rows, page.document, on_page, x, list(page.boxes))


def read_pages(path: Path, cache: Path) -> list[tuple[np.ndarray, list[Word]]]:
    """The page images the pipeline hands the visual hook, with their words (cached)."""
    from reading.admission import sniff
    from reading.text import extract_pages

    data = path.read_bytes()
    key = cache / hashlib.sha256(data).hexdigest()
    meta = key.with_suffix(".pkl")
    if not meta.exists():
        cache.mkdir(parents=True, exist_ok=True)
        calls: list[tuple[int, list[Word]]] = []

        def record(number: int, image: np.ndarray, words: list[Word]) -> None:
            cv2.imwrite(f"{key}-{number}.png", image, [cv2.IMWRITE_PNG_COMPRESSION, 1])
            calls.append((number, list(words)))

        media = sniff(data)
        if media is None:
            raise ExtractionError(f"{path.name} is neither PDF nor JPEG")
        pages = extract_pages(data, media, settings=Settings(), on_page=record)
        meta.write_bytes(pickle.dumps((pages, calls)))
    _, calls = pickle.loads(meta.read_bytes())
    out = []
    for number, words in calls:
        image = cv2.imread(f"{key}-{number}.png", cv2.IMREAD_UNCHANGED)
        if image is not None:
            out.append((image, words))
    return out


def generated_rows(rows: Rows, folder: Path, cache: Path) -> None:
    """Pages of a generated set's development-family documents, labelled by the rule-based
    detector where its count is the ground truth's."""
    truth: dict[str, Any] = json.loads((folder / "truth.json").read_text())
    used = skipped = 0
    for name, doc in sorted(truth["documents"].items()):
        if doc.get("split") != "dev":
            continue  # frozen test families are never trained on
        expected = doc["fields"].get("signature_count")
        if expected is None or not (folder / name).is_file():
            continue
        pages = []
        for image, words in read_pages(folder / name, cache):
            m = page_masks(image, words)
            found = find_signatures(m.image, m.scale, m.printed, m.exclude)
            pages.append((m, words, [padded(s.box, m.scale, m.image.shape) for s in found]))
        if sum(len(t) for _, _, t in pages) != expected:
            skipped += 1
            continue
        used += 1
        for m, words, teacher in pages:
            boxes, x = candidate_rows(m.image, m.scale, words, m.printed, m.exclude)
            _add_page(rows, f"{folder.name}/{name}", boxes, x, teacher)  # type: ignore[arg-type]
    log.info("%s: %d documents used, %d skipped (counted wrong)", folder.name, used, skipped)
