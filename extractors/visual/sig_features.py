"""What the signature verifier sees of a candidate (`sig_candidates.Candidate`): its size and
shape, how its ink is drawn (pen width, darkness, colour, direction of its edges, how often a
column crosses ink), what OCR made of it (handwriting is read as few words of low confidence,
print as many of high confidence), what is around it (printed text, a line to sign on, a
signature label) and where it is on the page. Sizes are in millimetres, so the page's
resolution does not matter. Everything that does not depend on the candidate is computed once
per page (`PageView`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import cv2
import numpy as np

from core.enums import WordSource
from core.model import Word
from extractors.visual.sig_candidates import Candidate, InkPieces

SIGN_WORDS = re.compile(
    r"^(handtekening(en)?|signatures?|signed|sign|sincerely|truly|regards|paraaf|getekend|"
    r"ondertekend|ondertekening|akkoord|namens|hoogachtend|groet(en)?|approved|by)$"
)
RING_MM = 3.0
NEAR_MM = 12.0
LABEL_LEFT_MM = 70.0
LABEL_ABOVE_MM = 40.0
LOW_CONF = 0.55
BLUE_HUE = (95, 135)  # OpenCV hue (0-180) of blue ballpoint ink
GRID = (2, 6)
NAMES = [
    "w_mm",
    "h_mm",
    "log_aspect",
    "members",
    "join",
    "joins",
    "level",
    "ink_share",
    "all_ink_share",
    "printed_share",
    "largest",
    "piece_h_mm",
    "piece_h_cv",
    "piece_w_mm",
    "gray_median",
    "gray_p10",
    "saturation",
    "blue",
    "pen_mm",
    "pen_cv",
    "crossings",
    "rows_inked",
    "orient_0",
    "orient_1",
    "orient_2",
    "orient_3",
    "orient_4",
    "orient_5",
    "orient_6",
    "orient_7",
    "orient_entropy",
    "words_in",
    "words_conf",
    "words_low",
    "words_alpha",
    "ring_ink",
    "above_printed",
    "below_printed",
    "line_below",
    "line_above",
    "label_near",
    "x_centre",
    "y_centre",
    "page_ink",
    "text_layer",
] + [f"grid_{r}_{c}" for r in range(GRID[0]) for c in range(GRID[1])]


@dataclass
class PageView:
    """One page as the features need it: images, masks, word centres and scale."""

    gray: np.ndarray
    saturation: np.ndarray | None  # HSV saturation, None for a gray page
    blue: np.ndarray | None  # bool: blue ink colour
    ink_sums: Sums  # all dark ink
    printed_sums: Sums  # the printed words' boxes
    rule_sums: Sums  # long horizontal runs of the page's ink
    direction: np.ndarray  # edge direction bin (0-7) per pixel
    strength: np.ndarray  # edge strength per pixel
    words: np.ndarray  # one row per word: centre x, centre y (px), confidence, letter share
    labels: np.ndarray  # centres (px) of signature label words
    scale: float
    page_ink: float  # share of the page that is ink
    text_layer: float  # share of the words from a text layer (a born-digital page), not OCR

    @classmethod
    def of(
        cls, image: np.ndarray, gray: np.ndarray, ink: np.ndarray, printed: np.ndarray,
        words: list[Word], scale: float, pieces: np.ndarray | None = None,
    ) -> PageView:  # fmt: skip
        """`pieces`: a mask holding every candidate pixel (colour is read there only; None:
        the whole page)."""
        length = max(10, int(20 * scale))
        horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, length), np.uint8))
        # colour and edges are read only on ink no printed word covers (where candidates are)
        near = cv2.dilate(cv2.bitwise_and(ink, cv2.bitwise_not(printed)), np.ones((3, 3), np.uint8))
        where = np.flatnonzero(near)
        sat: np.ndarray | None = None
        blue: np.ndarray | None = None
        if image.ndim == 3:
            at = np.flatnonzero(pieces) if pieces is not None else np.arange(gray.size)
            hsv = cv2.cvtColor(image.reshape(-1, 3)[at][:, None, :], cv2.COLOR_BGR2HSV)[:, 0]
            flat_sat, flat_blue = np.zeros(gray.size, np.uint8), np.zeros(gray.size, bool)
            flat_sat[at] = hsv[:, 1]
            flat_blue[at] = (hsv[:, 0] > BLUE_HUE[0]) & (hsv[:, 0] < BLUE_HUE[1]) & (hsv[:, 1] > 60)
            sat, blue = flat_sat.reshape(gray.shape), flat_blue.reshape(gray.shape)
        gx, gy = _sobel_at(gray, where)
        flat_dir = np.zeros(gray.size, np.uint8)
        angle = (np.arctan2(gy, gx) % np.pi) / np.pi * 8
        flat_dir[where] = np.minimum(angle.astype(np.uint8), 7)
        flat_strength = np.zeros(gray.size, np.float32)
        flat_strength[where] = np.hypot(gx, gy)
        direction, strength = flat_dir.reshape(gray.shape), flat_strength.reshape(gray.shape)
        height, width = gray.shape
        rows = [
            (w.bbox.center_x * width, w.bbox.center_y * height, w.confidence,
             sum(ch.isalpha() for ch in w.text) / len(w.text))
            for w in words
        ]  # fmt: skip
        labels = [
            (w.bbox.center_x * width, w.bbox.center_y * height)
            for w in words
            if SIGN_WORDS.match(re.sub(r"[^a-z]", "", w.text.lower()))
        ]
        share = float(np.count_nonzero(ink)) / ink.size
        digital = sum(w.source is WordSource.TEXT_LAYER for w in words) / max(1, len(words))
        return cls(
            gray, sat, blue, Sums(ink), Sums(printed), Sums(horizontal), direction, strength,
            np.array(rows, np.float32).reshape(-1, 4), np.array(labels, np.float32).reshape(-1, 2),
            scale, share, digital,
        )  # fmt: skip


_MARGIN = 3  # pixels of paper kept around a level's ink (the ridge looks one pixel further)


@dataclass
class LevelView:
    """One ink level's pieces: each piece's pixels (flat indices into the page), and the pen's
    half-width on the strokes' ridges (0 elsewhere)."""

    pieces: InkPieces
    ridge: np.ndarray
    pixels: list[np.ndarray]

    @classmethod
    def of(cls, pieces: InkPieces) -> LevelView:
        """Computed in the box around the level's ink, with a margin of paper (its distances
        and ridges are those of the whole page: no ink lies outside, and the margin's paper
        is nearer than any outside it), for a page's ink left after its printed words is
        mostly a signature or two."""
        height, width = pieces.ink.shape
        x, y, w, h = cv2.boundingRect(pieces.ink)
        x0, y0 = max(0, x - _MARGIN), max(0, y - _MARGIN)
        x1, y1 = min(width, x + w + _MARGIN), min(height, y + h + _MARGIN)
        dist = cv2.distanceTransform(pieces.ink[y0:y1, x0:x1], cv2.DIST_L2, 3)
        top = cv2.dilate(dist, np.ones((3, 3), np.uint8))
        ridge = np.zeros((height, width), np.float32)
        ridge[y0:y1, x0:x1] = np.where((dist > 0) & (dist >= top), dist, 0)
        box = pieces.labels[y0:y1, x0:x1]
        inside = np.flatnonzero(box)  # the box's raster order is the page's
        keys = box.ravel()[inside]
        rows, cols = np.divmod(inside, x1 - x0)
        where = (rows + y0) * width + cols + x0  # flat indices into the page
        labelled = keys
        if keys.size and int(keys.max()) < 65536:
            keys = keys.astype(np.uint16)  # a stable sort of 16-bit keys is a radix sort
        order = where[np.argsort(keys, kind="stable")]
        most = int(labelled.max()) if labelled.size else 0
        counts = np.bincount(labelled, minlength=most + 1)
        starts = np.concatenate([[0], np.cumsum(counts)])
        pixels = [order[starts[c.label] : starts[c.label + 1]] for c in pieces.pieces]
        return cls(pieces, ridge, pixels)


def _sobel_at(gray: np.ndarray, where: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """OpenCV's 3 x 3 Sobel derivatives (x, y; float32, reflected border) at the flat indices
    `where` only: the same numbers as `cv2.Sobel` over the page, for a fraction of the work."""
    width = gray.shape[1]
    padded = cv2.copyMakeBorder(gray, 1, 1, 1, 1, cv2.BORDER_REFLECT_101)
    ys, xs = np.divmod(where, width)
    flat = padded.ravel()
    centre = (ys + 1) * (width + 2) + xs + 1
    row = width + 2

    def at(dy: int, dx: int) -> np.ndarray:  # widened after the lookup: only these pixels
        return flat[centre + dy * row + dx].astype(np.int32)

    gx = (at(-1, 1) - at(-1, -1)) + 2 * (at(0, 1) - at(0, -1)) + (at(1, 1) - at(1, -1))
    gy = (at(1, -1) - at(-1, -1)) + 2 * (at(1, 0) - at(-1, 0)) + (at(1, 1) - at(-1, 1))
    return gx.astype(np.float32), gy.astype(np.float32)


class Sums:
    """Box sums of a 0/255 mask in constant time (an integral image)."""

    def __init__(self, mask: np.ndarray) -> None:
        self.table = cv2.integral(mask)  # 255 per pixel: the mask holds 0 and 255 only

    def share(self, x0: int, y0: int, x1: int, y1: int) -> float:
        h, w = self.table.shape[0] - 1, self.table.shape[1] - 1
        x0, x1 = max(0, min(w, x0)), max(0, min(w, x1))
        y0, y1 = max(0, min(h, y0)), max(0, min(h, y1))
        area = (x1 - x0) * (y1 - y0)
        if area <= 0:
            return 0.0
        t = self.table
        return float((t[y1, x1] - t[y0, x1] - t[y1, x0] + t[y0, x0]) // 255) / area


def _orientations(view: PageView, flat: np.ndarray) -> list[float]:
    """Eight-bin histogram of edge directions on the ink (weighted by strength), entropy."""
    bins = view.direction.ravel()[flat]
    hist = np.bincount(bins, weights=view.strength.ravel()[flat], minlength=8)
    total = float(hist.sum())
    if total <= 0:
        return [0.0] * 9
    p = hist / total
    entropy = float(-(p[p > 0] * np.log(p[p > 0])).sum() / np.log(8))
    return [float(v) for v in p] + [entropy]


def _words(view: PageView, box: tuple[int, int, int, int]) -> list[float]:
    x0, y0, x1, y1 = box
    w = view.words
    inside = w[(w[:, 0] >= x0) & (w[:, 0] <= x1) & (w[:, 1] >= y0) & (w[:, 1] <= y1)]
    if not len(inside):
        return [0.0, 1.0, 0.0, 0.0]
    low = float(np.count_nonzero(inside[:, 2] < LOW_CONF))
    return [float(len(inside)), float(inside[:, 2].mean()), low, float(inside[:, 3].mean())]


def _label_near(view: PageView, box: tuple[int, int, int, int]) -> float:
    x0, y0, x1, y1 = box
    left, above, s = LABEL_LEFT_MM * view.scale, LABEL_ABOVE_MM * view.scale, view.scale
    lab = view.labels
    near = (lab[:, 0] >= x0 - left) & (lab[:, 0] <= x1) & (lab[:, 1] >= y0 - above)
    return float(np.any(near & (lab[:, 1] <= y1 + 4 * s)))


def _grid(ys: np.ndarray, xs: np.ndarray, box: tuple[int, int, int, int]) -> list[float]:
    x0, y0, x1, y1 = box
    rows, cols = GRID
    h, w = y1 - y0, x1 - x0
    cell = ((ys - y0) * rows // h) * cols + (xs - x0) * cols // w
    counts = np.bincount(cell, minlength=rows * cols)
    area = max(1.0, h * w / (rows * cols))
    return [float(c) / area for c in counts]


def features(view: PageView, level: LevelView, cand: Candidate) -> list[float]:
    """The candidate's feature vector, in the order of `NAMES`."""
    s = view.scale
    box = cand.box
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    comps = [level.pieces.pieces[i] for i in cand.members]
    flat = np.concatenate([level.pixels[i] for i in cand.members])
    width = view.gray.shape[1]
    ys, xs = np.divmod(flat, width)
    ink_px = int(flat.size)
    values = view.gray.ravel()[flat]
    p10, median = (
        (float(v) for v in np.percentile(values, (10, 50))) if values.size else (255.0, 255.0)
    )
    rows_inked = float(np.count_nonzero(np.bincount(ys - y0))) / max(1, h)
    heights = np.array([c.h for c in comps], np.float32) / s
    sat = blue = 0.0
    if view.saturation is not None and view.blue is not None and ink_px:
        sat = float(view.saturation.ravel()[flat].mean(dtype=np.float64))
        blue = float(np.mean(view.blue.ravel()[flat]))
    ridge = level.ridge.ravel()[flat]
    ridge = ridge[ridge > 0]
    pen = 2 * float(ridge.mean()) / s if ridge.size else 0.0
    pen_cv = float(ridge.std() / ridge.mean()) if ridge.size else 0.0
    labels = level.pieces.labels.ravel()
    above = np.where(flat >= width, flat - width, flat)
    crossings = float(np.count_nonzero((labels[above] != labels[flat]) | (above == flat))) / max(
        1, w
    )
    r, near = int(RING_MM * s), int(NEAR_MM * s)
    outer = view.ink_sums.share(x0 - r, y0 - r, x1 + r, y1 + r)
    inner = view.ink_sums.share(x0, y0, x1, y1)
    outer_area = (min(view.gray.shape[1], x1 + r) - max(0, x0 - r)) * (
        min(view.gray.shape[0], y1 + r) - max(0, y0 - r)
    )
    ring_ink = (outer * outer_area - inner * w * h) / max(1, outer_area - w * h)
    height = view.gray.shape[0]
    mean_h = float(heights.mean())
    return [
        w / s, h / s, float(np.log(max(1, w) / max(1, h))), float(len(comps)), float(cand.join),
        float(cand.joins), float(cand.level), ink_px / float(w * h), inner,
        view.printed_sums.share(*box), max(c.ink for c in comps) / max(1.0, ink_px), mean_h,
        float(heights.std()) / mean_h if mean_h else 0.0,
        float(np.mean([c.w for c in comps])) / s,
        median, p10,
        sat, blue, pen, pen_cv, crossings, rows_inked,
        *_orientations(view, flat),
        *_words(view, box),
        ring_ink,
        view.printed_sums.share(x0, y0 - near, x1, y0),
        view.printed_sums.share(x0, y1, x1, y1 + near),
        view.rule_sums.share(x0, y1 - int(2 * s), x1, y1 + near),
        view.rule_sums.share(x0, y0 - int(8 * s), x1, y0 + int(2 * s)),
        _label_near(view, box), (x0 + x1) / 2 / width, (y0 + y1) / 2 / height,
        view.page_ink, view.text_layer, *_grid(ys, xs, box),
    ]  # fmt: skip
