"""Handwritten signatures: ink that no printed word explains, made of long, thin, curved
strokes. Printed words are masked by their boxes, rules (long straight runs) and stamps are
removed, and what is left is split into connected components; a *stroke* is a component at
least `MIN_STROKE_MM` long, thin (low ink density), not a straight line and not a ring.
Strokes close together on one row form one signature. Dots, smudges and coffee rings (light,
filled or ring-shaped), printed text and logos never make strokes."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from extractors.visual.ink import Component, components, dark_mask, gray_of, rules

MIN_STROKE_MM = 6.0  # longest side of a stroke's box
MIN_BEND_MM = 0.25  # a stroke's rotated box is this much wider than its pen (a line's is not)
MAX_INK_GRAY = 120  # half of a stroke's pixels are at least this dark (pen, not tea)
MAX_STROKE_DENSITY = 0.25  # ink / box; solid blobs, merged printed letters and logos are denser
MAX_STROKE_MM = 90.0
RING_SPREAD = 0.18  # a ring's pixels lie within this share of its radius
JOIN_X_MM = 9.0  # strokes this close side by side belong to one signature (zones: >= 16 mm)
JOIN_Y_MM = 0.6  # ... and this close one above the other (signature rows sit 2 mm apart)
MIN_WIDTH_MM = 8.0
# Straight runs longer than this are rules (signature lines are >= 40 mm); a flat stretch of
# handwriting can run 15 mm, so the general `RULE_MM` would cut signatures in two.
SIGNATURE_RULE_MM = 30.0
MIN_HEIGHT_MM = 2.0


@dataclass(frozen=True)
class Signature:
    """A signature's box in pixels, its number of strokes and a confidence."""

    box: tuple[int, int, int, int]
    strokes: int
    confidence: float


def _points(comp: Component, labels: np.ndarray) -> np.ndarray:
    ys, xs = np.nonzero(labels[comp.y : comp.y + comp.h, comp.x : comp.x + comp.w] == comp.label)
    return np.column_stack((xs, ys)).astype(np.float32)


def _ring(points: np.ndarray) -> bool:
    """Whether the pixels lie on a circle around their centre (a coffee ring, a stamp)."""
    centre = points.mean(axis=0)
    radius = np.linalg.norm(points - centre, axis=1)
    mean = float(radius.mean())
    return mean > 0 and float(radius.std()) / mean < RING_SPREAD


STROKE, LINE = "stroke", "line"


def stroke_kind(comp: Component, labels: np.ndarray, scale: float, gray: np.ndarray) -> str | None:
    """STROKE for a component that looks like a curved pen stroke (see the module docstring),
    LINE for a dark, nearly straight one shorter than a rule (it may join the strokes of one
    signature, never make one), else None."""
    w_mm, h_mm = comp.size_mm(scale)
    longest = max(w_mm, h_mm)
    if longest < MIN_STROKE_MM or longest > MAX_STROKE_MM:
        return None
    if comp.density > MAX_STROKE_DENSITY:
        return None
    points = _points(comp, labels)
    xs, ys = points[:, 0].astype(np.intp) + comp.x, points[:, 1].astype(np.intp) + comp.y
    if float(np.median(gray[ys, xs])) > MAX_INK_GRAY:
        return None  # light ink: a coffee ring's arc or a pencil smudge
    (_, _), (rw, rh), _ = cv2.minAreaRect(points)
    pen = comp.ink / max(1.0, max(rw, rh))  # mean pen width in pixels
    if (min(rw, rh) - pen) / scale < MIN_BEND_MM:
        return LINE  # a straight line, however slanted
    if min(w_mm, h_mm) > 8.0 and max(w_mm, h_mm) < 1.5 * min(w_mm, h_mm) and _ring(points):
        return None
    return STROKE


def _group(boxes: list[tuple[int, int, int, int]], gx: int, gy: int) -> list[list[int]]:
    """Indices of boxes that touch once grown by (gx, gy), transitively."""
    parent = list(range(len(boxes)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(boxes):
        for j in range(i + 1, len(boxes)):
            b = boxes[j]
            if a[0] - gx <= b[2] and b[0] - gx <= a[2] and a[1] - gy <= b[3] and b[1] - gy <= a[3]:
                parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(boxes)):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


def find_signatures(
    image: np.ndarray, scale: float, words_mask: np.ndarray, exclude: np.ndarray
) -> list[Signature]:
    """Signatures on a page image at `scale` pixels per millimetre, top to bottom.
    `words_mask` covers printed words, `exclude` stamps and logos."""
    gray = gray_of(image)
    ink = dark_mask(gray)
    ink[(words_mask > 0) | (exclude > 0)] = 0
    ink[rules(ink, scale, SIGNATURE_RULE_MM) > 0] = 0
    comps, labels = components(ink, min_pixels=int(2.0 * scale * scale))
    kinds = [(c, stroke_kind(c, labels, scale, gray)) for c in comps]
    parts = [(c, kind) for c, kind in kinds if kind is not None]
    boxes = [c.box for c, _ in parts]
    out = []
    for members in _group(boxes, int(JOIN_X_MM * scale), int(JOIN_Y_MM * scale)):
        group = [i for i in members if parts[i][1] == STROKE]
        if not group:
            continue  # straight lines only: a printed mark, not handwriting
        x0 = min(boxes[i][0] for i in members)
        y0 = min(boxes[i][1] for i in group)
        x1 = max(boxes[i][2] for i in members)
        y1 = max(boxes[i][3] for i in group)
        if (x1 - x0) / scale < MIN_WIDTH_MM or (y1 - y0) / scale < MIN_HEIGHT_MM:
            continue
        confidence = min(0.95, 0.6 + 0.1 * len(group))
        out.append(Signature((x0, y0, x1, y1), len(group), round(confidence, 3)))
    return sorted(out, key=lambda s: (s.box[1], s.box[0]))
