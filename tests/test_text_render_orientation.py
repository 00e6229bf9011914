"""Page images: rendering and decoding within the pixel limits, EXIF orientation, PNM
writing, deskew and quarter-turn correction."""

from __future__ import annotations

import io
from pathlib import Path

import cv2
import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image

from core.enums import MediaType
from core.settings import Limits, Settings
from reading.orientation import deskew, estimate_skew, rotate_small, turn
from reading.render import load_jpeg, render_pdf_page, write_pnm
from reading.text import ExtractionError, PageTooLargeError, extract_pages
from tests import factories


def _page_image() -> np.ndarray:
    return np.asarray(factories.text_image().convert("L"))


def test_render_pdf_page_is_grayscale_at_dpi() -> None:
    pdf = pdfium.PdfDocument(factories.text_pdf())
    try:
        image = render_pdf_page(pdf[0], 100, Limits())
    finally:
        pdf.close()
    assert image.dtype == np.uint8 and image.ndim == 2
    assert image.shape[0] == pytest.approx(841.89 * 100 / 72, abs=1)
    assert image.shape[1] == pytest.approx(595.28 * 100 / 72, abs=1)
    assert int(image.min()) < 100 and int(image.max()) == 255


def test_render_refuses_over_limit_pixels() -> None:
    pdf = pdfium.PdfDocument(factories.text_pdf())
    try:
        with pytest.raises(PageTooLargeError, match="MP"):
            render_pdf_page(pdf[0], 300, Limits(max_megapixels=5))  # A4 at 300 dpi: 8.7 MP
    finally:
        pdf.close()
    settings = Settings(limits=Limits(max_megapixels=1))
    with pytest.raises(ExtractionError):
        extract_pages(factories.image_pdf(), MediaType.PDF, settings=settings)


def test_load_jpeg_refuses_over_limit_before_decoding() -> None:
    with pytest.raises(PageTooLargeError):
        load_jpeg(factories.jpeg(), Limits(max_megapixels=0.5))  # 1240x700 = 0.87 MP


def test_load_jpeg_applies_exif_orientation() -> None:
    image = factories.text_image().convert("RGB")
    exif = Image.Exif()
    exif[0x0112] = 6  # stored turned: display turned 90 degrees clockwise
    buf = io.BytesIO()
    image.save(buf, "JPEG", exif=exif)
    gray = load_jpeg(buf.getvalue(), Limits())
    assert gray.shape == (1240, 700)
    assert gray.dtype == np.uint8 and gray.ndim == 2


def test_corrupt_jpeg_raises_extraction_error() -> None:
    data = factories.jpeg()
    with pytest.raises(ExtractionError):
        load_jpeg(data[:200] + b"\x00" * 50, Limits())


def test_write_pnm_round_trips(tmp_path: Path) -> None:
    image = _page_image()
    path = write_pnm(image, tmp_path / "page.png")
    assert path.suffix == ".pgm"
    assert path.read_bytes().startswith(b"P5")
    assert np.array_equal(cv2.imread(str(path), cv2.IMREAD_GRAYSCALE), image)


@pytest.mark.parametrize("skew", [-4.0, -1.3, 0.8, 2.0])
def test_deskew_recovers_small_rotation(skew: float) -> None:
    crooked = rotate_small(_page_image(), -skew)  # turned counter-clockwise by `skew`
    assert estimate_skew(crooked) == pytest.approx(skew, abs=0.5)
    straight, applied = deskew(crooked)
    assert applied == pytest.approx(skew, abs=0.5)
    assert abs(estimate_skew(straight)) < 0.3
    assert straight.shape == crooked.shape
    assert straight[0, 0] == 255 and straight[-1, -1] == 255  # white, not black corners


def test_deskew_leaves_straight_and_blank_pages() -> None:
    image = _page_image()
    assert deskew(image)[1] == 0.0
    blank = np.full((300, 200), 255, np.uint8)
    assert deskew(blank) == (blank, 0.0) or deskew(blank)[1] == 0.0


def test_turn_quarter_turns() -> None:
    image = np.arange(6, dtype=np.uint8).reshape(2, 3)
    assert turn(image, 90).shape == (3, 2)
    assert np.array_equal(turn(turn(image, 90), 270), image)
    assert np.array_equal(turn(image, 180), image[::-1, ::-1])
    assert turn(image, 0) is image


def test_upside_down_photo_is_turned_upright() -> None:
    upside_down = factories.text_image().rotate(180)
    [page] = extract_pages(factories.jpeg(upside_down), MediaType.JPEG, settings=Settings())
    assert page.rotation == pytest.approx(180.0, abs=0.5)
    assert "Praktijkovereenkomst" in page.text
    assert "Verzorgende-IG" in page.text


@pytest.mark.slow
def test_sideways_skewed_a4_scan_is_turned_and_straightened() -> None:
    pdf = pdfium.PdfDocument(factories.text_pdf())
    try:
        image = render_pdf_page(pdf[0], 300, Limits())
    finally:
        pdf.close()
    crooked = turn(rotate_small(image, 1.5), 90)  # needs 270 cw, then -1.5 skew
    buf = io.BytesIO()
    Image.fromarray(crooked).save(buf, "JPEG", quality=85)
    [page] = extract_pages(buf.getvalue(), MediaType.JPEG, settings=Settings())
    assert page.rotation == pytest.approx(270 - 1.5, abs=0.5)
    assert page.text.splitlines()[:2] == factories.LINES[:2]
