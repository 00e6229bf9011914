"""Rubber stamps: a round or rectangular ink frame, usually blue, red or violet, often over
printed text. Found as an enclosed hole of stamp size (a disc of 20–45 mm, a rectangle of
about 15–80 mm) in the coloured ink or, on a grayscale scan, in the dark ink; the hole must
be convex and fill its bounding rectangle like a disc or a rectangle does."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from extractors.visual.ink import colour_mask, dark_mask, gray_of

MIN_SIDE_MM = 12.0  # inner side of the frame
MAX_SIDE_MM = 80.0  # rubber stamps: discs to ~45 mm, rectangles to ~75 mm (a form's box is wider)
MIN_AREA_MM2 = 250.0
MAX_AREA_MM2 = 4000.0
MIN_FILL = 0.68  # hole area / its rotated bounding rectangle (a disc: 0.785, a rectangle: 1)
MIN_SOLIDITY = 0.85
RING_MM = 3.5  # the frame drawn around the hole, for the reported box
# A stamp's frame stands on its own; a form's table cell shares its rules with the cells
# beside it, so the ink around the hole reaches far beyond it.
MAX_FRAME_SPREAD = 2.2  # outer box of the frame's ink / the hole's box
HUE_TOLERANCE = 14.0  # a stamp's ink: within this of its median hue (OpenCV's 0..180 scale)
TINT_SAT = 40  # ... and at least this saturated (its light, anti-aliased edges included)
MIN_RIM_MM = 0.3  # a stamp rim (measured 0.36-0.39 mm) is thicker than a printed rule (0.06-0.23)


@dataclass(frozen=True)
class Stamp:
    """A stamp's box in pixels and whether it was found in colour."""

    box: tuple[int, int, int, int]
    coloured: bool
    confidence: float


def _rim_mm(mask: np.ndarray, contour: np.ndarray, scale: float) -> float:
    """Mean width of the ink around a hole: the ink in a band just outside it / its perimeter."""
    x, y, w, h = cv2.boundingRect(contour)
    pad = int(2.0 * scale) + 2
    x0, y0 = max(0, x - pad), max(0, y - pad)
    x1, y1 = min(mask.shape[1], x + w + pad), min(mask.shape[0], y + h + pad)
    hole = np.zeros((y1 - y0, x1 - x0), np.uint8)
    cv2.drawContours(hole, [contour - [x0, y0]], -1, 255, -1)
    band = cv2.dilate(hole, np.ones((pad, pad), np.uint8)) & ~hole
    ink = int(np.count_nonzero(mask[y0:y1, x0:x1] & band))
    perimeter = max(1.0, cv2.arcLength(contour, True))
    return ink / perimeter / scale


def _holes(
    mask: np.ndarray, scale: float, check_rim: bool = False
) -> list[tuple[tuple[int, int, int, int], float]]:
    """Boxes of stamp-shaped holes in `mask`, with a shape score 0..1. A hole in a grid of
    rules (a table cell) is none; with `check_rim`, neither is one framed by a thin rule."""
    contours, hierarchy = cv2.findContours(mask, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    if hierarchy is None:
        return []
    out = []
    mm2 = scale * scale
    for contour, (_, _, _, parent) in zip(contours, hierarchy[0], strict=True):
        if parent < 0:
            continue  # an outer boundary, not a hole
        area = cv2.contourArea(contour) / mm2
        if not MIN_AREA_MM2 <= area <= MAX_AREA_MM2:
            continue
        (_, _), (rw, rh), _ = cv2.minAreaRect(contour)
        short, long_ = sorted((rw / scale, rh / scale))
        if short < MIN_SIDE_MM or long_ > MAX_SIDE_MM or long_ > 4.5 * short:
            continue
        fill = area / max(1e-6, short * long_)
        hull = cv2.contourArea(cv2.convexHull(contour)) / mm2
        solidity = area / hull if hull > 0 else 0.0
        if fill < MIN_FILL or solidity < MIN_SOLIDITY:
            continue
        x, y, w, h = cv2.boundingRect(contour)
        _, _, ow, oh = cv2.boundingRect(contours[parent])
        if ow * oh > MAX_FRAME_SPREAD * w * h:
            continue  # a cell of a table or form grid
        if check_rim and _rim_mm(mask, contour, scale) < MIN_RIM_MM:
            continue  # a printed box, not a rubber stamp's rim
        pad = int(RING_MM * scale)
        score = min(1.0, 0.5 + 0.5 * solidity * min(1.0, fill / 0.78))
        out.append(((x - pad, y - pad, x + w + pad, y + h + pad), score))
    return out


def find_stamps(image: np.ndarray, scale: float) -> list[Stamp]:
    """Stamps on a page image (BGR or gray) at `scale` pixels per millimetre."""
    height, width = image.shape[:2]
    found: list[Stamp] = []
    close = np.ones((3, 3), np.uint8)
    colour = cv2.morphologyEx(colour_mask(image), cv2.MORPH_CLOSE, close)
    for box, score in _holes(colour, scale):
        found.append(Stamp(_clip(box, width, height), True, round(score, 3)))
    if not found:
        for box, score in _holes(dark_mask(gray_of(image)), scale, check_rim=True):
            found.append(Stamp(_clip(box, width, height), False, round(0.85 * score, 3)))
    return _distinct(found)


def _clip(box: tuple[int, int, int, int], width: int, height: int) -> tuple[int, int, int, int]:
    x0, y0, x1, y1 = box
    return max(0, x0), max(0, y0), min(width, x1), min(height, y1)


def _distinct(stamps: list[Stamp]) -> list[Stamp]:
    """One stamp per place: a round stamp's inner ring is a second hole inside the first."""
    out: list[Stamp] = []
    for stamp in sorted(stamps, key=lambda s: -(s.box[2] - s.box[0]) * (s.box[3] - s.box[1])):
        cx = (stamp.box[0] + stamp.box[2]) / 2
        cy = (stamp.box[1] + stamp.box[3]) / 2
        if not any(o.box[0] <= cx <= o.box[2] and o.box[1] <= cy <= o.box[3] for o in out):
            out.append(stamp)
    return out


def stamp_mask(shape: tuple[int, ...], stamps: list[Stamp]) -> np.ndarray:
    """The stamps' boxes as a mask (uint8 0/255), to keep them out of other detectors."""
    mask = np.zeros(shape[:2], np.uint8)
    for stamp in stamps:
        x0, y0, x1, y1 = stamp.box
        mask[y0:y1, x0:x1] = 255
    return mask


def _hue_distance(hue: np.ndarray, centre: float) -> np.ndarray:
    """Distance on OpenCV's hue circle (0..180)."""
    d = np.abs(hue.astype(np.float32) - centre)
    return np.minimum(d, 180.0 - d)


def stamp_ink_mask(image: np.ndarray, stamps: list[Stamp]) -> np.ndarray:
    """The stamps' own ink (uint8 0/255): in a coloured stamp's box, the pixels of the stamp's
    hue, so a signature written under or over the stamp in another ink stays (a company signs
    and stamps in one place); a stamp found in gray ink cannot be told from a pen's, so its
    whole box counts."""
    mask = np.zeros(image.shape[:2], np.uint8)
    if not stamps:
        return mask
    hsv = cv2.cvtColor(image, cv2.COLOR_BGR2HSV) if image.ndim == 3 else None
    colour = colour_mask(image)
    for stamp in stamps:
        x0, y0, x1, y1 = stamp.box
        inked = colour[y0:y1, x0:x1] > 0
        if hsv is None or not stamp.coloured or not inked.any():
            mask[y0:y1, x0:x1] = 255
            continue
        hue = hsv[y0:y1, x0:x1, 0]
        centre = float(np.median(hue[inked]))
        own = (_hue_distance(hue, centre) <= HUE_TOLERANCE) & (hsv[y0:y1, x0:x1, 1] >= TINT_SAT)
        mask[y0:y1, x0:x1] = own.astype(np.uint8) * 255
    return cv2.dilate(mask, np.ones((3, 3), np.uint8))
