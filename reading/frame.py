"""The colour page image for visual analysis, in the same frame as the page's word boxes: the
same sheet warp (phone photos), quarter turn and deskew as the grayscale OCR image, at about
150 dpi. Also the page scale (pixels per millimetre) every size threshold is expressed in."""

from __future__ import annotations

import cv2
import numpy as np

from reading.orientation import rotate_small
from reading.perspective import sheet_warp

VISUAL_DPI = 150
A4_LONG_MM = 297.0
# The longest side of a page image for visual analysis: A4 at VISUAL_DPI.
VISUAL_LONG_SIDE = round(A4_LONG_MM / 25.4 * VISUAL_DPI)
WHITE = (255, 255, 255)
NORMALISE_SLACK = 0.02  # within 2 % of the size wanted: left as it is
BACKGROUND_MM = 25.0  # wider than any solid logo or stamp
_QUARTERS = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}


def px_per_mm(image: np.ndarray) -> float:
    """Pixels per millimetre, taking the longest side as an A4 page's long side."""
    return max(image.shape[:2]) / A4_LONG_MM


def normalise(image: np.ndarray, long_side: int = VISUAL_LONG_SIDE) -> np.ndarray:
    """Scale `image` so its longest side is `long_side` (only ever down, or up by little)."""
    factor = long_side / max(image.shape[:2])
    if abs(factor - 1.0) < NORMALISE_SLACK:
        return image
    interpolation = cv2.INTER_AREA if factor < 1 else cv2.INTER_LINEAR
    return cv2.resize(image, None, fx=factor, fy=factor, interpolation=interpolation)


def rotate(image: np.ndarray, clockwise_deg: float) -> np.ndarray:
    """Apply a page's `rotation` (quarter turns plus a small skew, clockwise degrees, as
    `reading.text.OcrResult.rotation`) to a colour image, white border."""
    quarter = round(clockwise_deg / 90.0) * 90
    skew = clockwise_deg - quarter
    code = _QUARTERS.get(quarter % 360)
    out = image if code is None else cv2.rotate(image, code)
    if abs(skew) < 1e-6:
        return out
    return rotate_small(out, skew, WHITE)


def even_light(image: np.ndarray, scale: float) -> np.ndarray:
    """Divide every channel by the page background (shadows and gradients turn white, colours
    keep their hue), as `reading.perspective.even_light` does for gray. The background is
    a closing wider than a logo (`BACKGROUND_MM`), so solid graphics are not bleached."""
    small = cv2.resize(image, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    size = max(3, int(BACKGROUND_MM * scale / 4) | 1)
    background = cv2.morphologyEx(small, cv2.MORPH_CLOSE, np.ones((size, size), np.uint8))
    background = cv2.GaussianBlur(background, (0, 0), size / 4)
    background = cv2.resize(background, (image.shape[1], image.shape[0]))
    return cv2.divide(image, background, scale=255)


def warp_photo(
    colour: np.ndarray, corners: np.ndarray | None, gray_shape: tuple[int, ...]
) -> np.ndarray:
    """The colour photo given the sheet warp found on its (full-size) grayscale copy of
    `gray_shape`, lighting evened; unchanged when no sheet was found."""
    if corners is None:
        return colour
    scale = max(colour.shape[:2]) / max(gray_shape[:2])
    matrix, (width, height) = sheet_warp(corners, scale)
    # straight to the visual size (`normalise`'s rule) in one warp: warping the full photo
    # first and shrinking it after cost 87 ms a photo, this 33 ms (the same signatures, logos
    # and stamps found on 126 warped photos of four dev sets, compared page by page)
    factor = VISUAL_LONG_SIDE / max(width, height)
    if abs(factor - 1.0) < NORMALISE_SLACK:
        factor = 1.0
    shrink = np.diag([factor, factor, 1.0])
    size = (round(width * factor), round(height * factor))
    warped = cv2.warpPerspective(
        colour, shrink @ matrix, size, flags=cv2.INTER_LINEAR, borderValue=WHITE
    )
    return even_light(warped, px_per_mm(warped))
