"""Ink masks shared by the visual extractors: dark ink, coloured ink, the printed words' boxes,
long straight rules, and connected components with their size in millimetres."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from core.model import Word

DARK = 150  # gray level below which a pixel is ink (coffee rings and gray smudges stay above)
MIN_SATURATION = 80  # HSV saturation of coloured ink (stamp and logo colours, blue ballpoint)
MAX_COLOUR_VALUE = 235  # brighter saturated pixels are paper tint or JPEG colour noise
TALL_WORD = 2.5  # OCR words this many times the page's median word height are not print
RULE_MM = 15.0  # straight horizontal or vertical runs at least this long are rules
CROP_SHARE = 0.6  # `components` labels only the box around the ink when it is this much smaller


@dataclass(frozen=True)
class Component:
    """One connected ink region: its box in pixels, ink pixel count and shape measures."""

    x: int
    y: int
    w: int
    h: int
    ink: int
    label: int

    @property
    def box(self) -> tuple[int, int, int, int]:
        return self.x, self.y, self.x + self.w, self.y + self.h

    def size_mm(self, scale: float) -> tuple[float, float]:
        return self.w / scale, self.h / scale

    @property
    def density(self) -> float:
        return self.ink / float(max(1, self.w * self.h))


def gray_of(image: np.ndarray) -> np.ndarray:
    return image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)


def dark_mask(gray: np.ndarray) -> np.ndarray:
    """Ink: pixels darker than `DARK` (uint8 0/255)."""
    return cv2.threshold(gray, DARK - 1, 255, cv2.THRESH_BINARY_INV)[1]


def colour_mask(image: np.ndarray) -> np.ndarray:
    """Saturated, not-too-bright pixels (uint8 0/255); empty for a grayscale page."""
    if image.ndim == 2:
        return np.zeros(image.shape, np.uint8)
    hsv = cv2.cvtColor(image, cv2.COLOR_BGR2HSV)
    mask = cv2.inRange(hsv, (0, MIN_SATURATION, 40), (255, 255, MAX_COLOUR_VALUE))
    return cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))


def word_mask(
    shape: tuple[int, ...], words: list[Word], pad_px: int = 2, min_ocr_chars: int = 1
) -> np.ndarray:
    """The boxes of the page's printed words (uint8 0/255). OCR words that are not real text
    (low confidence, mostly punctuation: tesseract reading a scribble) are left out, and so
    are OCR words shorter than `min_ocr_chars` (tesseract reads a triangle logo as an "A")."""
    height, width = shape[:2]
    mask = np.zeros((height, width), np.uint8)
    ocr_heights = [w.bbox.height for w in words if w.source.value == "ocr"]
    tallest = TALL_WORD * float(np.median(ocr_heights)) if ocr_heights else 1.0
    for word in words:
        if word.source.value == "ocr" and word.bbox.height > tallest:
            continue  # tesseract reading a signature as a word: a box several lines tall
        if not _printed(word) or (word.source.value == "ocr" and len(word.text) < min_ocr_chars):
            continue
        box = word.bbox
        x0, y0 = int(box.x0 * width) - pad_px, int(box.y0 * height) - pad_px
        x1, y1 = int(box.x1 * width) + pad_px, int(box.y1 * height) + pad_px
        mask[max(0, y0) : max(0, y1), max(0, x0) : max(0, x1)] = 255
    return mask


def _printed(word: Word) -> bool:
    alnum = sum(c.isalnum() for c in word.text)
    if word.source.value == "text_layer":
        return True
    return word.confidence >= 0.55 and alnum >= max(1, len(word.text) // 2)


def rules(mask: np.ndarray, scale: float, min_mm: float = RULE_MM) -> np.ndarray:
    """Long horizontal and vertical straight runs of `mask` (table rules, signature lines),
    thickened by a pixel so their anti-aliased edges go too. Worked out in the box around the
    mask's ink with a margin of a rule's length (the same runs as over the whole page: an
    opening never grows ink, and the margin keeps the page's paper around every run)."""
    length = max(10, int(min_mm * scale))
    out = np.zeros_like(mask)
    x, y, w, h = cv2.boundingRect(mask)
    if w * h == 0:
        return out
    height, width = mask.shape[:2]
    margin = length + 2
    x0, y0 = max(0, x - margin), max(0, y - margin)
    x1, y1 = min(width, x + w + margin), min(height, y + h + margin)
    part = mask[y0:y1, x0:x1]
    horizontal = cv2.morphologyEx(part, cv2.MORPH_OPEN, np.ones((1, length), np.uint8))
    vertical = cv2.morphologyEx(part, cv2.MORPH_OPEN, np.ones((length, 1), np.uint8))
    both = cv2.bitwise_or(horizontal, vertical)
    out[y0:y1, x0:x1] = cv2.dilate(both, np.ones((3, 3), np.uint8))
    return out


def components(mask: np.ndarray, min_pixels: int = 1) -> tuple[list[Component], np.ndarray]:
    """8-connected components of `mask` with at least `min_pixels` pixels, and the label map.
    Only the box around the mask's ink is labelled (the same labels, numbered in the same scan
    order: no ink lies outside it): a page's ink left after the printed words is a signature
    or two, and labelling the whole page took most of the time."""
    x, y, w, h = cv2.boundingRect(mask)
    if w * h == 0:  # no ink
        return [], np.zeros(mask.shape, np.int32)
    # the labelling walks 2 x 2 blocks: a box on the page's even rows and columns keeps them
    w, h, x, y = w + (x & 1), h + (y & 1), x & ~1, y & ~1
    if w * h >= CROP_SHARE * mask.shape[0] * mask.shape[1]:
        count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    else:
        count, inside, stats, _ = cv2.connectedComponentsWithStats(
            mask[y : y + h, x : x + w], connectivity=8
        )
        labels = np.zeros(mask.shape, inside.dtype)
        labels[y : y + h, x : x + w] = inside
        stats[:, cv2.CC_STAT_LEFT] += x
        stats[:, cv2.CC_STAT_TOP] += y
    out = [
        Component(
            x=int(stats[i, cv2.CC_STAT_LEFT]),
            y=int(stats[i, cv2.CC_STAT_TOP]),
            w=int(stats[i, cv2.CC_STAT_WIDTH]),
            h=int(stats[i, cv2.CC_STAT_HEIGHT]),
            ink=int(stats[i, cv2.CC_STAT_AREA]),
            label=i,
        )
        for i in range(1, count)
        if stats[i, cv2.CC_STAT_AREA] >= min_pixels
    ]
    return out, labels
