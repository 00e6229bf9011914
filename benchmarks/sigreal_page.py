"""One real page through the pipeline's own stages, as `reading.text._ocr_page` runs a scanned
PDF page: the page (un-stretched, US letter at 150 dpi) is taken as rendered at
`Settings.ocr.dpi` (300) for `reading.text.ocr_upright` (deskew, background flattening,
Tesseract, a quarter turn when the first reading looks bad), and the colour page at
`reading.frame.VISUAL_DPI` (150, what the pipeline renders for the visual hook), turned by
the same rotation, goes to `extractors.visual.collect.VisualCollector` with the words.

The signatures found (in the turned frame) are mapped back onto the un-stretched page, where
the labels are. OCR results are cached per image sha256 (and OCR settings) as JSON: words,
rotation and the OCR time of the run that made them. Fresh words take the same JSON round
trip, so a cached rerun gives the same boxes."""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from benchmarks.sigreal_data import PAGE_DPI, PAGE_SIZE, Box, PageRef, unstretch
from benchmarks.sigreal_metrics import PageResult
from core.geometry import BBox
from core.model import Word
from core.settings import Settings
from extractors.visual.collect import VisualCollector
from reading.frame import VISUAL_DPI, rotate
from reading.text import ocr_upright

CACHE_VERSION = 1


def load_page(page: PageRef) -> np.ndarray:
    """The page's colour image, un-stretched to `PAGE_SIZE`."""
    image = cv2.imread(str(page.image), cv2.IMREAD_COLOR)
    if image is None:
        raise ValueError(f"{page.image.name} cannot be decoded")
    return unstretch(image)


def _cache_file(data: bytes, cache: Path, settings: Settings) -> Path:
    digest = hashlib.sha256(data).hexdigest()
    ocr = settings.ocr
    tag = f"v{CACHE_VERSION}-{ocr.dpi}dpi-{ocr.languages.replace('+', '_')}"
    return cache / f"{digest}-{tag}.json"


def ocr_page(colour: np.ndarray, settings: Settings) -> dict[str, Any]:
    """The page's OCR as the pipeline does it for a scanned page, timed (seconds)."""
    dpi = settings.ocr.dpi
    gray = cv2.cvtColor(colour, cv2.COLOR_BGR2GRAY)
    factor = dpi / PAGE_DPI
    started = time.perf_counter()
    rendered = cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)
    result = ocr_upright(rendered, settings=settings, dpi=dpi)
    seconds = time.perf_counter() - started
    return {
        "words": [w.model_dump(mode="json") for w in result.words],
        "rotation": result.rotation,
        "ocr_seconds": seconds,
    }


def cached_ocr(
    page: PageRef, colour: np.ndarray, cache: Path, settings: Settings
) -> dict[str, Any]:
    """The page's OCR from the cache, or made now and stored there."""
    path = _cache_file(page.image.read_bytes(), cache, settings)
    if path.is_file():
        return dict(json.loads(path.read_text()))
    found = ocr_page(colour, settings)
    cache.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(found))
    tmp.replace(path)
    return dict(json.loads(path.read_text()))


def _unskewed_size(w: float, h: float, skew_deg: float) -> tuple[float, float]:
    """Width and height of the upright rectangle whose box, turned by `skew_deg`, is w x h
    (the turn widens a box by the other side times the sine; undone, not added again)."""
    c, s = abs(np.cos(np.radians(skew_deg))), abs(np.sin(np.radians(skew_deg)))
    det = c * c - s * s
    uw, uh = (w * c - h * s) / det, (h * c - w * s) / det
    return (uw, uh) if uw > 0 and uh > 0 else (w, h)


def to_page_frame(box: BBox, rotation: float, size: tuple[int, int] = PAGE_SIZE) -> Box:
    """A box found on the page turned by `rotation` (clockwise degrees, as
    `reading.frame.rotate` applies it: quarter turn, then a small skew about the centre, same
    size) -> pixel box on the unturned page of `size` (width, height): its centre mapped back
    exactly, its size with the skew's widening taken out."""
    width, height = size
    quarter = round(rotation / 90.0) * 90
    skew = rotation - quarter
    quarter %= 360
    tw, th = (width, height) if quarter in (0, 180) else (height, width)
    cx, cy = (box.x0 + box.x1) / 2 * tw, (box.y0 + box.y1) / 2 * th
    w, h = _unskewed_size((box.x1 - box.x0) * tw, (box.y1 - box.y0) * th, skew)
    if abs(skew) >= 1e-6:
        back = cv2.invertAffineTransform(cv2.getRotationMatrix2D((tw / 2, th / 2), -skew, 1.0))
        cx, cy = back @ np.array([cx, cy, 1.0])
    u, v = cx / tw, cy / th
    if quarter == 90:
        u, v = v, 1 - u
    elif quarter == 180:
        u, v = 1 - u, 1 - v
    elif quarter == 270:
        u, v = 1 - v, u
    if quarter in (90, 270):
        w, h = h, w
    x, y = u * width, v * height
    return (
        float(max(0.0, x - w / 2)),
        float(max(0.0, y - h / 2)),
        float(min(width, x + w / 2)),
        float(min(height, y + h / 2)),
    )


def measure_page(page: PageRef, cache: Path, settings: Settings) -> PageResult:
    """OCR (cached) and the visual stage of one page, the signatures on the page's frame."""
    assert VISUAL_DPI == PAGE_DPI  # the colour page is already at the visual resolution
    colour = load_page(page)
    ocr = cached_ocr(page, colour, cache, settings)
    words = [Word.model_validate(w) for w in ocr["words"]]
    rotation = float(ocr["rotation"])
    collector = VisualCollector()
    collector(1, rotate(colour, rotation), words)
    marks = collector.pages[0].signatures if collector.pages else []
    return PageResult(
        stem=page.stem,
        found=tuple(to_page_frame(m.bbox, rotation) for m in marks),
        labelled=page.boxes,
        ocr_seconds=float(ocr["ocr_seconds"]),
        visual_seconds=collector.seconds,
    )
