"""Phone photos: the sheet is found on its background and flattened; scans stay as they are."""

from __future__ import annotations

import cv2
import numpy as np

from reading.ocr import ocr_image
from reading.perspective import even_light, find_sheet, flatten
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


def photo_of_banded_sheet() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A colour photo (and its gray copy) of a sheet whose top 15 % is a dark teal letterhead
    band, on a dark gray table: in gray the band is as dark as the table."""
    page = np.array(factories.text_image(width=1000, height=1400))
    sheet = cv2.cvtColor(page, cv2.COLOR_GRAY2BGR)
    sheet[:210] = (127, 106, 14)  # BGR teal
    canvas = np.full((1700, 1400, 3), 66, np.uint8)
    src = np.float32([[0, 0], [999, 0], [999, 1399], [0, 1399]])
    dst = np.float32([[180, 120], [1180, 150], [1210, 1560], [150, 1520]])
    matrix = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(sheet, matrix, (1400, 1700))
    mask = cv2.warpPerspective(np.full((1400, 1000), 255, np.uint8), matrix, (1400, 1700))
    canvas[mask > 0] = warped[mask > 0]
    return canvas, cv2.cvtColor(canvas, cv2.COLOR_BGR2GRAY), dst


def test_dark_letterhead_band_stays_on_the_sheet() -> None:
    colour, gray, corners = photo_of_banded_sheet()
    band_cut = find_sheet(gray)  # brightness alone: the band looks like table
    assert band_cut is not None and band_cut[0][1] > corners[0][1] + 150
    found = find_sheet(gray, cv2.resize(colour, (560, 680)))
    assert found is not None
    assert np.abs(found - corners).max() < 20


def test_colour_does_not_move_a_sheet_without_band() -> None:
    photo, corners = photo_of_sheet()
    colour = cv2.cvtColor(photo, cv2.COLOR_GRAY2BGR)
    found = find_sheet(photo, colour)
    assert found is not None
    assert np.abs(found - corners).max() < 20


def test_patterned_table_is_not_taken_for_sheet() -> None:
    """A striped, noisy table: the colour threshold grows with the table's own spread."""
    photo, corners = photo_of_sheet()
    rng = np.random.default_rng(7)
    table = np.zeros((*photo.shape, 3), np.uint8)
    stripes = (np.arange(photo.shape[1]) // 40) % 2
    table[:, :, 0] = 30 + 25 * stripes
    table[:, :, 1] = 60 + 30 * stripes
    table[:, :, 2] = 100 + 40 * stripes
    table = cv2.add(table, rng.integers(0, 20, table.shape, dtype=np.uint8))
    sheet = photo > 100
    colour = table.copy()
    colour[sheet] = cv2.cvtColor(photo, cv2.COLOR_GRAY2BGR)[sheet]
    gray = cv2.cvtColor(colour, cv2.COLOR_BGR2GRAY)
    found = find_sheet(gray, colour)
    assert found is not None
    assert np.abs(found - corners).max() < 20


def test_scan_without_background_is_left_alone() -> None:
    scan = np.array(factories.text_image(width=1000, height=1400))
    flat, changed = flatten(scan)
    assert not changed and flat is scan


def test_even_light_keeps_light_text_on_a_dark_band() -> None:
    """A letterhead band printed dark with white text: dividing it by its own background would
    turn band and text white alike; left as printed, its words are still read."""
    image = factories.text_image(["Stichting Het Baken"], width=900, height=400, size=44)
    glyphs = np.asarray(image.convert("L")) < 128
    page = np.full(glyphs.shape, 235, np.uint8)
    page[:150] = 60  # the band, its text white
    page[glyphs & (np.arange(page.shape[0])[:, None] < 150)] = 245
    lit = even_light(page)
    band = lit[:150]
    assert band[glyphs[:150]].mean() - band[~glyphs[:150]].mean() > 100  # text still stands out
    words = [w.text for w in ocr_image(lit, languages="nld+eng", timeout_s=60)]
    assert "Baken" in words
    assert np.median(lit[200:]) > 245  # the paper below still turns white
