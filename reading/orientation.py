"""Turning page images upright before OCR (OpenCV): a small skew is estimated from the text
lines by a projection profile and undone with a white border; quarter turns (90/180/270°) are
found with tesseract's orientation detection (OSD, `--psm 0`), which the caller runs only when
a first OCR pass looks bad. Angles are degrees clockwise the image is turned to make it upright,
the convention of tesseract's OSD `rotate` and of PDF `/Rotate`."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

import cv2
import numpy as np

from core.errors import OcrError
from reading.ocr import run_tesseract
from reading.render import write_pnm

log = logging.getLogger(__name__)

MAX_SKEW_DEG = 10.0  # larger skews are not searched (a photo that crooked needs a re-take)
MIN_SKEW_DEG = 0.1  # smaller corrections are not worth the interpolation blur
_WORK_SIZE = 1400  # longest side of the downscaled image the skew is estimated on
_MAX_POINTS = 250_000
MIN_OSD_CONFIDENCE = 1.5  # tesseract's orientation_conf below this: keep the page as it is

_QUARTER_TURNS = {
    90: cv2.ROTATE_90_CLOCKWISE,
    180: cv2.ROTATE_180,
    270: cv2.ROTATE_90_COUNTERCLOCKWISE,
}


def _ink_points(gray: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Coordinates (x, y) of dark pixels on a downscaled, Otsu-binarised copy."""
    scale = min(1.0, _WORK_SIZE / max(gray.shape[:2]))
    small = (
        cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        if scale < 1.0
        else gray
    )
    _, ink = cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    ys, xs = np.nonzero(ink)
    if len(xs) > _MAX_POINTS:
        pick = np.random.default_rng(0).choice(len(xs), _MAX_POINTS, replace=False)
        xs, ys = xs[pick], ys[pick]
    return xs.astype(np.float64), ys.astype(np.float64)


def _sharpness(xs: np.ndarray, ys: np.ndarray, slope_deg: float) -> float:
    """How sharply the ink falls into rows when lines slope by `slope_deg` (y down)."""
    projected = ys - xs * np.tan(np.radians(slope_deg))
    bins = np.round(projected - projected.min()).astype(np.int64)
    counts = np.bincount(bins).astype(np.float64)
    return float(np.dot(counts, counts))


def estimate_skew(gray: np.ndarray) -> float:
    """Degrees the page must be turned clockwise so its text lines run level; 0.0 for a
    page without enough ink to tell. Searched within ±`MAX_SKEW_DEG`."""
    xs, ys = _ink_points(gray)
    if len(xs) < 200:
        return 0.0
    best = 0.0
    for step, span in ((0.5, MAX_SKEW_DEG), (0.1, 0.5), (0.02, 0.1)):
        candidates = np.arange(best - span, best + span + step / 2, step)
        scores = [_sharpness(xs, ys, float(a)) for a in candidates]
        best = float(candidates[int(np.argmax(scores))])
    # Lines descending to the right (positive slope, y down) sit turned clockwise: undo it.
    return round(-best, 2)


def rotate_small(
    image: np.ndarray, clockwise_deg: float, border: int | tuple[int, int, int] = 255
) -> np.ndarray:
    """Turn `image` (gray or colour) clockwise by a small angle about its centre, same size,
    white border."""
    height, width = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), -clockwise_deg, 1.0)
    return cv2.warpAffine(
        image,
        matrix,
        (width, height),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=border,
    )


def deskew(gray: np.ndarray) -> tuple[np.ndarray, float]:
    """The page with its skew undone, and the clockwise degrees applied (0.0 if none)."""
    angle = estimate_skew(gray)
    if abs(angle) < MIN_SKEW_DEG:
        return gray, 0.0
    log.debug("deskewing by %.2f degrees", angle)
    return rotate_small(gray, angle), angle


def turn(gray: np.ndarray, clockwise_deg: int) -> np.ndarray:
    """Turn by a multiple of 90 degrees clockwise."""
    code = _QUARTER_TURNS.get(clockwise_deg % 360)
    return gray if code is None else cv2.rotate(gray, code)


def detect_orientation(gray: np.ndarray, *, timeout_s: float) -> int:
    """Clockwise quarter turn (0, 90, 180 or 270) that makes the page upright: the page
    classifier's answer (`reading.orientation_model`, ~0.04 s) when it is installed and sure,
    else tesseract OSD's (~1 s); 0 when OSD is unsure or finds too little text."""
    from reading.orientation_model import quarter_turn

    quarter = quarter_turn(gray)
    if quarter is not None:
        log.debug("orientation (page classifier): turn %d degrees", quarter)
        return quarter
    return osd_orientation(gray, timeout_s=timeout_s)


def osd_orientation(gray: np.ndarray, *, timeout_s: float) -> int:
    """`detect_orientation` by tesseract OSD alone."""
    with tempfile.TemporaryDirectory(prefix="bewijscheck-osd-") as tmp:
        path = write_pnm(gray, Path(tmp) / "page.pgm")
        try:
            osd = run_tesseract(
                path, languages="osd", timeout_s=timeout_s, config="--psm 0", osd=True
            )
        except OcrError as exc:
            # OSD refuses pages with too few characters; that is not a failure of the page.
            log.debug("orientation detection gave no answer: %s", exc)
            return 0
    rotate = int(osd.get("rotate", 0)) % 360
    confidence = float(osd.get("orientation_conf", 0.0))
    if rotate not in _QUARTER_TURNS or confidence < MIN_OSD_CONFIDENCE:
        return 0
    log.debug("orientation: turn %d degrees (confidence %.1f)", rotate, confidence)
    return rotate
