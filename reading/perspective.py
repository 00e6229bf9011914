"""Flatten a phone photo of a page: find the sheet's four corners against the background and
warp it to an upright rectangle, then even out uneven lighting. Scans and renders are left as
they are (no sheet edge to find means no change)."""

from __future__ import annotations

import logging

import cv2
import numpy as np

from reading.clean import divide_background

log = logging.getLogger(__name__)

MIN_AREA_SHARE = 0.3  # the sheet covers at least this share of the photo
MAX_AREA_SHARE = 0.98  # nearly the whole image: nothing to crop
RING_SHARE = 0.02  # the outer ring of the photo that shows the background
MIN_COLOUR_DISTANCE = 12.0  # Lab distance from the background that counts as sheet
SPREAD_FACTOR = 1.5  # ... or this many times the background's own 99th-percentile spread
MIN_GAIN = 1.03  # the colour sheet replaces the bright one when this much larger (a band)
CORNER_SLACK = 0.01  # share of the side the bright sheet's corners may stick out of the wider one
LIGHT_KERNEL = 25  # px: wider than any stroke of a photographed page
LIGHT_BLUR = 5.0  # px: the lighting changes smoothly
SHEET_FINDER_SIDE = 800  # the sheet is looked for on a copy this many pixels long


def _order(points: np.ndarray) -> np.ndarray:
    """Corners as top-left, top-right, bottom-right, bottom-left."""
    pts = points.reshape(4, 2).astype(np.float32)
    total = pts.sum(axis=1)
    diff = np.diff(pts, axis=1).ravel()
    return np.array(
        [pts[np.argmin(total)], pts[np.argmin(diff)], pts[np.argmax(total)], pts[np.argmax(diff)]],
        dtype=np.float32,
    )


def _quad(mask: np.ndarray) -> np.ndarray | None:
    """The four corners (in `mask` pixels) of the largest blob, when it covers a plausible share
    of the image and is a convex quadrilateral."""
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    contour = max(contours, key=cv2.contourArea)
    share = cv2.contourArea(contour) / float(mask.shape[0] * mask.shape[1])
    if not MIN_AREA_SHARE <= share <= MAX_AREA_SHARE:
        return None
    approx = cv2.approxPolyDP(contour, 0.02 * cv2.arcLength(contour, True), True)
    if len(approx) != 4 or not cv2.isContourConvex(approx):
        return None
    return _order(approx)


def _unlike_background(colour: np.ndarray) -> np.ndarray:
    """Pixels whose colour differs from the background, taken as the median colour of the
    image's outer ring; the threshold grows with the background's own spread (a patterned
    table), so only what clearly is not table counts."""
    lab = cv2.cvtColor(cv2.GaussianBlur(colour, (5, 5), 0), cv2.COLOR_BGR2LAB).astype(np.float32)
    edge = max(4, int(RING_SHARE * max(lab.shape[:2])))
    sides = (lab[:edge], lab[-edge:], lab[:, :edge], lab[:, -edge:])
    ring = np.concatenate([side.reshape(-1, 3) for side in sides])
    background = np.median(ring, axis=0)
    spread = float(np.percentile(np.linalg.norm(ring - background, axis=1), 99))
    threshold = max(MIN_COLOUR_DISTANCE, SPREAD_FACTOR * spread)
    distance = np.linalg.norm(lab - background, axis=2)
    return (distance > threshold).astype(np.uint8) * 255


def _grows(wider: np.ndarray, bright: np.ndarray, slack: float) -> bool:
    """Whether the sheet found by colour holds the bright one and is clearly larger (a band
    was cut off): a few pixels more are the sheet's own edge and shadow, which the warp should
    leave out as before."""
    gain = cv2.contourArea(wider.astype(np.float32)) / cv2.contourArea(bright.astype(np.float32))
    return gain >= MIN_GAIN and _contains(wider, bright, slack)


def _contains(outer: np.ndarray, inner: np.ndarray, slack: float) -> bool:
    """Whether every corner of `inner` lies inside `outer` (or within `slack` pixels of it)."""
    contour = outer.reshape(-1, 1, 2).astype(np.float32)
    inside = (cv2.pointPolygonTest(contour, (float(x), float(y)), True) for x, y in inner)
    return all(distance >= -slack for distance in inside)


def find_sheet(gray: np.ndarray, colour: np.ndarray | None = None) -> np.ndarray | None:
    """The four corners of the sheet on its background, or None. The sheet is the bright
    region; given a (small) `colour` copy of the photo, a dark band printed along the sheet's
    edge (a letterhead in a dark colour) is kept as part of it when its colour sets it apart
    from the background, so the warp does not cut it off."""
    height, width = gray.shape[:2]
    scale = SHEET_FINDER_SIDE / max(height, width)
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    blurred = cv2.GaussianBlur(small, (5, 5), 0)
    _, bright = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    found = _quad(bright)
    if colour is not None:
        tinted = cv2.resize(colour, (small.shape[1], small.shape[0]), interpolation=cv2.INTER_AREA)
        wider = _quad(bright | _unlike_background(tinted))
        slack = CORNER_SLACK * SHEET_FINDER_SIDE
        if wider is not None and (found is None or _grows(wider, found, slack)):
            found = wider
    return None if found is None else found / scale


def sheet_warp(corners: np.ndarray, scale: float = 1.0) -> tuple[np.ndarray, tuple[int, int]]:
    """The perspective matrix and output (width, height) that map the sheet's `corners` to an
    upright rectangle, for an image `scale` times the size the corners were found on."""
    tl, tr, br, bl = corners * scale
    width = int(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl)))
    height = int(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr)))
    target = np.array(
        [[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], dtype=np.float32
    )
    src = np.array([tl, tr, br, bl], dtype=np.float32)
    return cv2.getPerspectiveTransform(src, target), (width, height)


def flatten(gray: np.ndarray, colour: np.ndarray | None = None) -> tuple[np.ndarray, bool]:
    """The sheet warped to a rectangle (and the lighting evened), and whether it was found."""
    flat, corners = flatten_with_corners(gray, colour)
    return flat, corners is not None


def flatten_with_corners(
    gray: np.ndarray, colour: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray | None]:
    """`flatten`, also returning the sheet corners used (None when nothing was changed), so a
    colour copy of the photo can be given the same warp (`sheet_warp`)."""
    corners = find_sheet(gray, colour)
    if corners is None:
        return gray, None
    matrix, size = sheet_warp(corners)
    warped = cv2.warpPerspective(gray, matrix, size, flags=cv2.INTER_CUBIC, borderValue=255)
    return even_light(warped), corners


def even_light(gray: np.ndarray) -> np.ndarray:
    """Divide by the blurred background so shadows and gradients turn white; a letterhead band
    printed in a dark colour keeps its light text (see `reading.clean.divide_background`)."""
    return divide_background(gray, LIGHT_KERNEL, LIGHT_BLUR)
