"""Phone photos: the sheet is found on its background and flattened; scans stay as they are."""

from __future__ import annotations

import cv2
import numpy as np

from reading.ocr import ocr_image
from reading.perspective import find_sheet, flatten
from tests import factories


def photo_of_sheet() -> tuple[np.ndarray, np.ndarray]:
    sheet = np.array(factories.text_image(width=1000, height=1400, size=34))
    canvas = np.full((1700, 1400), 70, np.uint8)
    src = np.float32([[0, 0], [999, 0], [999, 1399], [0, 1399]])
    dst = np.float32([[180, 120], [1180, 170], [1230, 1560], [140, 1500]])
    matrix = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(sheet, matrix, (1400, 1700), borderValue=0)
    mask = cv2.warpPerspective(np.full_like(sheet, 255), matrix, (1400, 1700))
    canvas[mask > 0] = warped[mask > 0]
    return canvas, dst


def test_sheet_corners_found_on_a_photo() -> None:
    photo, corners = photo_of_sheet()
    found = find_sheet(photo)
    assert found is not None
    assert np.abs(found - corners).max() < 20


def test_flattened_photo_reads_straight() -> None:
    photo, _ = photo_of_sheet()
    flat, changed = flatten(photo)
    assert changed
    height, width = flat.shape
    assert 0.65 < width / height < 0.8  # back to the sheet's proportions
    words = [w.text for w in ocr_image(flat, languages="nld+eng", timeout_s=60)]
    assert "Praktijkovereenkomst" in words and "25491" in words


def test_scan_without_background_is_left_alone() -> None:
    scan = np.array(factories.text_image(width=1000, height=1400))
    flat, changed = flatten(scan)
    assert not changed and flat is scan
