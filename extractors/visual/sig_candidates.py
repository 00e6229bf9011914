"""Signature candidates: every group of handwriting-like ink a signature could be, at several
grouping distances, for a learned verifier to accept or reject (`sig_features`,
`sig_verifier`). Printed words, stamps' and logos' ink and long rules are taken away first;
what is left, at two ink levels, is split into connected components (pieces), and pieces whose
boxes are within a sideways and an upright distance of each other are grouped, transitively,
once per pair of distances. The same group found at several distances is one candidate."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from extractors.visual.ink import Component, components, rules

INK_LEVELS = (150, 175)  # gray levels below which a pixel is ink: pen, then light pen and pencil
MIN_PIECE_MM = 1.2  # components whose longest side is shorter are dots and specks
MAX_PIECE_MM = 120.0
# (sideways, upwards) distances in mm at which pieces are taken as one piece of writing: every
# pair, for a signature's letters may be far apart sideways and close above each other or not
JOINS_MM = tuple((x, y) for x in (2.5, 5.0, 9.0, 15.0, 24.0, 36.0) for y in (0.7, 2.5, 6.0, 12.0))
PAD_MM = 1.0  # a found signature's box is this much larger than its ink on every side
MIN_WIDTH_MM = 5.0
MIN_HEIGHT_MM = 1.5
MAX_WIDTH_MM = 170.0
MAX_HEIGHT_MM = 80.0
RULE_MM = 30.0  # see signatures.SIGNATURE_RULE_MM
# Pieces kept per page, the largest first: grouping compares every two (measured at most 521
# on 400 generated pages and 2,467 on the 380 real ones, a handwritten letter; a halftone photo
# or a textured background could have tens of thousands, and their gaps would take gigabytes)
MAX_PIECES = 3000


@dataclass(frozen=True)
class Candidate:
    """A group of ink pieces: its box in pixels, its member components and the grouping
    distance (index into `JOINS_MM`) that first made it."""

    box: tuple[int, int, int, int]
    members: tuple[int, ...]
    join: int
    joins: int  # at how many grouping distances the same group appears
    level: int  # index into `INK_LEVELS` of the ink it is made of


@dataclass
class InkPieces:
    """The ink left after printed words and rules are taken away, split into components."""

    ink: np.ndarray  # uint8 0/255
    labels: np.ndarray
    pieces: list[Component]


def ink_pieces(ink: np.ndarray, scale: float, drop: np.ndarray) -> InkPieces:
    """The page's ink without what `drop` covers (printed words, stamps, logos, rules)."""
    left = ink.copy()
    left[drop > 0] = 0
    comps, labels = components(left, min_pixels=max(2, int(0.3 * scale * scale)))
    lo, hi = MIN_PIECE_MM * scale, MAX_PIECE_MM * scale
    kept = [c for c in comps if lo <= max(c.w, c.h) and c.w <= hi and c.h <= hi]
    if len(kept) > MAX_PIECES:
        kept = sorted(kept, key=lambda c: -c.ink)[:MAX_PIECES]
    return InkPieces(left, labels, kept)


def _gaps(boxes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sideways and upright gaps between every two boxes (rows x0, y0, x1, y1; negative when
    they overlap that way)."""
    x0, y0, x1, y1 = (boxes[:, i] for i in range(4))
    gap_x = np.maximum(x0[:, None] - x1[None, :], x0[None, :] - x1[:, None])
    gap_y = np.maximum(y0[:, None] - y1[None, :], y0[None, :] - y1[:, None])
    return gap_x, gap_y


def _labels(first: np.ndarray, second: np.ndarray, count: int) -> np.ndarray:
    """Connected components of `count` nodes joined by the edges (first[i], second[i]): each
    node's label is the smallest node of its component (hooking and pointer jumping)."""
    label = np.arange(count)
    while True:
        low = np.minimum(label[first], label[second])
        before = label.copy()
        np.minimum.at(label, label[first], low)
        np.minimum.at(label, label[second], low)
        while not np.array_equal(label, jumped := label[label]):
            label = jumped
        if np.array_equal(label, before):
            return label


def _groups(near: np.ndarray) -> list[list[int]]:
    """Indices of pieces that are `near` each other (a square boolean matrix), transitively."""
    first, second = np.nonzero(np.triu(near, 1))
    label = _labels(first, second, near.shape[0])
    order = np.argsort(label, kind="stable")
    cuts = np.flatnonzero(np.diff(label[order])) + 1
    return [part.tolist() for part in np.split(order, cuts)]


def candidates(pieces: InkPieces, scale: float, level: int = 0) -> list[Candidate]:
    """Every group of pieces at every grouping distance that has a signature's size."""
    if not pieces.pieces:
        return []
    boxes = np.array([c.box for c in pieces.pieces], np.int32)  # 3,000 pieces: 2 x 36 MB of gaps
    gap_x, gap_y = _gaps(boxes)
    found: dict[tuple[int, ...], Candidate] = {}
    seen: dict[bytes, list[list[int]]] = {}  # distances that join the same pairs, grouped once
    for index, (jx, jy) in enumerate(JOINS_MM):
        near = (gap_x <= int(jx * scale)) & (gap_y <= int(jy * scale))
        key_near = np.packbits(near).tobytes()
        if key_near not in seen:
            seen[key_near] = _groups(near)
        for members in seen[key_near]:
            key = tuple(sorted(members))
            if key in found:
                old = found[key]
                found[key] = Candidate(old.box, old.members, old.join, old.joins + 1, level)
                continue
            x0, y0 = boxes[list(key), :2].min(axis=0)
            x1, y1 = boxes[list(key), 2:].max(axis=0)
            w_mm, h_mm = (x1 - x0) / scale, (y1 - y0) / scale
            if MIN_WIDTH_MM <= w_mm <= MAX_WIDTH_MM and MIN_HEIGHT_MM <= h_mm <= MAX_HEIGHT_MM:
                box = (int(x0), int(y0), int(x1), int(y1))
                found[key] = Candidate(box, key, index, 1, level)
    return list(found.values())


def padded(
    box: tuple[int, int, int, int], scale: float, shape: tuple[int, ...]
) -> tuple[int, int, int, int]:
    """`box` grown by `PAD_MM` on every side, inside the page."""
    pad = round(PAD_MM * scale)
    height, width = shape[:2]
    x0, y0, x1, y1 = box
    return max(0, x0 - pad), max(0, y0 - pad), min(width, x1 + pad), min(height, y1 + pad)


def all_candidates(
    gray: np.ndarray, scale: float, printed: np.ndarray, exclude: np.ndarray
) -> tuple[list[InkPieces], list[Candidate]]:
    """The pieces at every ink level and the candidates made of them."""
    levels, found = [], []
    inks = [cv2.threshold(gray, t - 1, 255, cv2.THRESH_BINARY_INV)[1] for t in INK_LEVELS]
    drop = cv2.bitwise_or(printed, exclude)
    lightest = inks[-1].copy()
    lightest[drop > 0] = 0
    drop = cv2.bitwise_or(drop, rules(lightest, scale, RULE_MM))  # the rules of every level
    for level, ink in enumerate(inks):
        pieces = ink_pieces(ink, scale, drop)
        levels.append(pieces)
        found.extend(candidates(pieces, scale, level))
    return levels, found
