"""What the logo search measures that the shared ink masks do not: ink relative to the paper
around it (scans are gray and noisy, photos lit unevenly), whether a blob stands in a line of
printed glyphs (a title OCR left out), and how thick its solid core is (a logo is a filled
shape, pen strokes and print are thin)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from extractors.visual.ink import colour_mask
from reading.frame import even_light

# Ink for a logo: this much darker than the paper around it (0..255 after dividing by the
# paper). A light-gray logo (about 160-200 on white) counts; paper grain, scanner noise and
# the pale tint of a shaded table cell do not.
PAPER_RELATIVE_INK = 200
MAX_FRAME_INK = 0.3  # share of a logo's surroundings that may be ink (the name beside it)
# Glyphs of one printed line share their baseline or their top within this share of their
# height, differ in height by at most LINE_HEIGHT_RATIO and stand at most LINE_GAP heights apart.
LINE_ALIGN = 0.12
LINE_HEIGHT_RATIO = 1.8
LINE_GAP = 0.6
STROKE_RATIO = 2.0  # ... and have about the same stroke (core thickness)
SIDE_BY_SIDE = 0.25  # horizontal overlap (share of the narrower) above which two boxes are stacked

Box = tuple[int, int, int, int]
Glyph = tuple[Box, float]  # a blob's box and its core thickness in mm


@dataclass(frozen=True)
class BandInk:
    """A page band's ink: `lit` is its gray divided by the paper around it (shadows, a photo's
    light gradient and a scan's gray paper turn white, only marks on the sheet stay dark),
    `colour` its saturated pixels (saturation does not change with the light; a coloured band
    wider than the paper estimate would turn to noise if divided, and stays one large blob)."""

    lit: np.ndarray
    colour: np.ndarray

    @property
    def ink(self) -> np.ndarray:
        """Dark or coloured ink, anti-aliased edges and light-gray logos included (0/255)."""
        dark = cv2.threshold(self.lit, PAPER_RELATIVE_INK - 1, 255, cv2.THRESH_BINARY_INV)[1]
        return cv2.bitwise_or(dark, self.colour)

    def solid(self, blob: np.ndarray, box: Box) -> np.ndarray:
        """The part of `blob` (a mask of `box`) darker than half way between its own darkest
        ink and the paper: a blurred stroke at its real width, a light-gray logo whole."""
        x0, y0, x1, y1 = box
        lit = self.lit[y0:y1, x0:x1]
        inside = blob > 0
        if not inside.any():
            return blob
        level = (float(np.percentile(lit[inside], 5)) + 255.0) / 2
        return inside & ((lit < level) | (self.colour[y0:y1, x0:x1] > 0))


def on_paper(ink: np.ndarray, box: Box, margin: int) -> bool:
    """Whether the frame of `margin` pixels around `box` is mostly paper in `ink` (0/255): a
    logo is printed on the sheet, while patches of a coloured header band that glare or
    JPEG blocks break up, or of the background beside a photographed sheet, are surrounded by
    more of the same."""
    x0, y0, x1, y1 = box
    height, width = ink.shape[:2]
    outer = ink[
        max(0, y0 - margin) : min(height, y1 + margin),
        max(0, x0 - margin) : min(width, x1 + margin),
    ]
    inner = ink[y0:y1, x0:x1]
    frame = outer.size - inner.size
    if frame <= 0:
        return False
    inked = int(np.count_nonzero(outer)) - int(np.count_nonzero(inner))
    return inked <= MAX_FRAME_INK * frame


def paper_ink(band: np.ndarray, scale: float) -> BandInk:
    """The ink of a page band (BGR or gray) measured against its paper."""
    gray = band if band.ndim == 2 else cv2.cvtColor(band, cv2.COLOR_BGR2GRAY)
    return BandInk(even_light(gray, scale), colour_mask(band))


def core_mm(mask: np.ndarray, scale: float) -> float:
    """Thickness of the thickest solid part of a blob (0/1 or 0/255 mask): the diameter of the
    largest disc that fits inside, in millimetres."""
    padded = np.pad((mask > 0).astype(np.uint8), 1)
    return 2.0 * float(cv2.distanceTransform(padded, cv2.DIST_L2, 3).max()) / scale


def glyphs(ink: np.ndarray, scale: float, min_height_mm: float) -> list[Glyph]:
    """Every blob of `ink` at least `min_height_mm` tall, with the thickness of its core: the
    letters of a line share their stroke, a logo beside them is much thicker."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    depth = cv2.distanceTransform(np.pad(ink, 1), cv2.DIST_L2, 3)[1:-1, 1:-1]
    inked = ink > 0
    thickest = np.zeros(count, np.float32)
    np.maximum.at(thickest, labels[inked].astype(np.intp), depth[inked])
    out = []
    for i in range(1, count):
        x, y, w, h = (int(v) for v in stats[i, :4])
        if h >= min_height_mm * scale:
            out.append(((x, y, x + w, y + h), 2.0 * float(thickest[i]) / scale))
    return out


def in_text_line(box: Box, core: float, line: Sequence[Glyph]) -> bool:
    """Whether `box` (its core `core` mm thick) is a glyph, or a run of touching glyphs, of a
    printed line: a neighbour beside it of about its height and stroke shares its baseline or
    its top. A logo beside a company name is thicker than the name's letters (and usually
    taller and centred on them)."""
    x0, y0, x1, y1 = box
    height = y1 - y0
    for (a0, b0, a1, b1), stroke in line:
        other = b1 - b0
        if other <= 0 or not 1 / LINE_HEIGHT_RATIO <= other / height <= LINE_HEIGHT_RATIO:
            continue
        if not 1 / STROKE_RATIO <= stroke / max(core, 1e-6) <= STROKE_RATIO:
            continue
        overlap = min(x1, a1) - max(x0, a0)
        if overlap > SIDE_BY_SIDE * min(x1 - x0, a1 - a0):
            continue  # the box itself, or a part stacked above or below it
        tolerance = LINE_ALIGN * max(height, other)
        if abs(b1 - y1) > tolerance and abs(b0 - y0) > tolerance:
            continue
        if max(a0 - x1, x0 - a1) <= LINE_GAP * max(height, other):
            return True
    return False
