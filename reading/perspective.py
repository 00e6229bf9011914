"""Flatten a phone photo of a page: find the sheet's four corners against the background and
warp it to an upright rectangle, then even out uneven lighting. Scans and renders are left as
they are (no sheet edge to find means no change)."""

from __future__ import annotations

import logging

import cv2
import numpy as np

log = logging.getLogger(__name__)

MIN_AREA_SHARE = 0.3  # the sheet covers at least this share of the photo
MAX_AREA_SHARE = 0.98  # nearly the whole image: nothing to crop


def _order(points: np.ndarray) -> np.ndarray:
    """Corners as top-left, top-right, bottom-right, bottom-left."""
    pts = points.reshape(4, 2).astype(np.float32)
    total = pts.sum(axis=1)
    diff = np.diff(pts, axis=1).ravel()
    return np.array(
        [pts[np.argmin(total)], pts[np.argmin(diff)], pts[np.argmax(total)], pts[np.argmax(diff)]],
        dtype=np.float32,
    )


def find_sheet(gray: np.ndarray) -> np.ndarray | None:
    """The four corners of a bright sheet on a darker background, or None."""
    height, width = gray.shape[:2]
    scale = 800.0 / max(height, width)
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    blurred = cv2.GaussianBlur(small, (5, 5), 0)
    _, mask = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    contour = max(contours, key=cv2.contourArea)
    share = cv2.contourArea(contour) / float(small.shape[0] * small.shape[1])
    if not MIN_AREA_SHARE <= share <= MAX_AREA_SHARE:
        return None
    approx = cv2.approxPolyDP(contour, 0.02 * cv2.arcLength(contour, True), True)
    if len(approx) != 4 or not cv2.isContourConvex(approx):
        return None
    return _order(approx) / scale


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


def flatten(gray: np.ndarray) -> tuple[np.ndarray, bool]:
    """The sheet warped to a rectangle (and the lighting evened), and whether it was found."""
    flat, corners = flatten_with_corners(gray)
    return flat, corners is not None


def flatten_with_corners(gray: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """`flatten`, also returning the sheet corners used (None when nothing was changed), so a
    colour copy of the photo can be given the same warp (`sheet_warp`)."""
    corners = find_sheet(gray)
    if corners is None:
        return gray, None
    matrix, size = sheet_warp(corners)
    warped = cv2.warpPerspective(gray, matrix, size, flags=cv2.INTER_CUBIC, borderValue=255)
    return even_light(warped), corners


def even_light(gray: np.ndarray) -> np.ndarray:
    """Divide by the blurred background so shadows and gradients turn white."""
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (25, 25))
    background = cv2.morphologyEx(gray, cv2.MORPH_CLOSE, kernel)
    background = cv2.GaussianBlur(background, (0, 0), 5)
    return cv2.divide(gray, background, scale=255)
