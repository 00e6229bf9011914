"""Logos and letterhead graphics: solid non-text ink (dark or coloured) in the header or
footer band of a page that no printed word's box covers, at least a few millimetres across
and not a thin rule."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from extractors.visual.ink import colour_mask, components, dark_mask, gray_of, rules

HEADER_SHARE = 0.16  # top share of the page height searched
FOOTER_SHARE = 0.10  # bottom share
MIN_SIDE_MM = 4.0
MAX_SIDE_MM = 70.0
MIN_INK_MM2 = 15.0
MIN_DENSITY = 0.2  # ink / box: graphics are solid, stray scribbles and text remnants are not
EDGE_PX = 3  # components touching the image edge are photo borders, not logos


@dataclass(frozen=True)
class Logo:
    box: tuple[int, int, int, int]
    confidence: float


def find_logos(
    image: np.ndarray, scale: float, words_mask: np.ndarray, exclude: np.ndarray
) -> list[Logo]:
    """Graphic regions in the header and footer bands, top first. `words_mask` covers the
    printed words, `exclude` anything already explained (stamps)."""
    height, width = image.shape[:2]
    ink = cv2.bitwise_or(dark_mask(gray_of(image)), colour_mask(image))
    ink[int(HEADER_SHARE * height) : int((1 - FOOTER_SHARE) * height), :] = 0
    covered = cv2.dilate(words_mask, np.ones((5, 5), np.uint8))
    ink[(covered > 0) | (exclude > 0)] = 0
    ink[rules(ink, scale) > 0] = 0
    ink = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8))
    found = []
    for comp in components(ink, min_pixels=int(MIN_INK_MM2 * scale * scale))[0]:
        w_mm, h_mm = comp.size_mm(scale)
        if min(w_mm, h_mm) < MIN_SIDE_MM or max(w_mm, h_mm) > MAX_SIDE_MM:
            continue
        if comp.density < MIN_DENSITY:
            continue
        x0, y0, x1, y1 = comp.box
        if x0 <= EDGE_PX or y0 <= EDGE_PX or x1 >= width - EDGE_PX or y1 >= height - EDGE_PX:
            continue
        confidence = min(0.95, 0.6 + comp.density / 2)
        found.append(Logo(comp.box, round(confidence, 3)))
    return sorted(found, key=lambda logo: (logo.box[1], logo.box[0]))
