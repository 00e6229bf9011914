"""Logos and letterhead graphics: solid non-text ink (dark or coloured) in the header or
footer band of a page that no printed word's box covers, at least a few millimetres across
and not a thin rule. Ink is measured against the paper around it, so a gray logo on a gray,
noisy scan and a coloured one in a photo's shadow are found alike; a blob must have a filled
core (pen strokes and small print have none) and must not stand in a line of glyphs (the
letters of a large title, which OCR reads as words too tall to be kept in the word mask)."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from core.geometry import FOOTER_BAND, HEADER_BAND
from extractors.visual.ink import components, rules
from extractors.visual.logo_ink import core_mm, glyphs, in_text_line, on_paper, paper_ink

HEADER_SHARE = HEADER_BAND  # top share of the page height searched
FOOTER_SHARE = FOOTER_BAND  # bottom share
MIN_SIDE_MM = 4.0
MAX_SIDE_MM = 70.0
MIN_INK_MM2 = 15.0
MIN_DENSITY = 0.2  # ink / box: graphics are solid, stray scribbles and text remnants are not
MIN_CORE_MM = 1.5  # a filled shape; pen strokes (0.3-1 mm) and the strokes of print are thinner
MIN_GLYPH_MM = 1.0  # ink this tall or taller may be a glyph of a printed line
# The surroundings that must be paper. Printers leave a margin wider than this, so ink nearer
# to the image's edge is a photo's border or background, not a logo.
FRAME_MM = 2.0


@dataclass(frozen=True)
class Logo:
    box: tuple[int, int, int, int]
    confidence: float


def find_logos(
    image: np.ndarray, scale: float, words_mask: np.ndarray, exclude: np.ndarray
) -> list[Logo]:
    """Graphic regions in the header and footer bands, top first. `words_mask` covers the
    printed words, `exclude` anything already explained (stamps)."""
    height = image.shape[0]
    bands = ((0, int(HEADER_SHARE * height)), (int((1 - FOOTER_SHARE) * height), height))
    found = []
    for top, bottom in bands:
        if bottom > top:
            found += _in_band(image, scale, top, bottom, words_mask, exclude)
    return sorted(found, key=lambda logo: (logo.box[1], logo.box[0]))


def _in_band(
    image: np.ndarray, scale: float, top: int, bottom: int, words: np.ndarray, exclude: np.ndarray
) -> list[Logo]:
    """The logos of the band of rows `top`..`bottom`, in page pixels."""
    height, width = image.shape[:2]
    band = paper_ink(image[top:bottom], scale)
    ink = band.ink
    sheet = ink.copy()
    ink[rules(ink, scale) > 0] = 0
    line = glyphs(ink, scale, MIN_GLYPH_MM)  # the printed words included
    covered = cv2.dilate(words[top:bottom], np.ones((5, 5), np.uint8))
    ink[(covered > 0) | (exclude[top:bottom] > 0)] = 0
    ink = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8))
    comps, labels = components(ink, min_pixels=int(MIN_INK_MM2 * scale * scale))
    found = []
    for comp in comps:
        w_mm, h_mm = comp.size_mm(scale)
        if min(w_mm, h_mm) < MIN_SIDE_MM or max(w_mm, h_mm) > MAX_SIDE_MM:
            continue
        if comp.density < MIN_DENSITY:
            continue
        x0, y0, x1, y1 = comp.box
        edge = int(FRAME_MM * scale)
        if min(x0, y0 + top) <= edge or x1 >= width - edge or y1 + top >= height - edge:
            continue
        core = core_mm(band.solid(labels[y0:y1, x0:x1] == comp.label, comp.box), scale)
        if core < MIN_CORE_MM or in_text_line(comp.box, core, line):
            continue
        if not on_paper(sheet, comp.box, edge):
            continue
        confidence = min(0.95, 0.6 + comp.density / 2)
        found.append(Logo((x0, y0 + top, x1, y1 + top), round(confidence, 3)))
    return found
