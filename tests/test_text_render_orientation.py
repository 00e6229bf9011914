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


def _difference(a: np.ndarray, b: np.ndarray) -> float:
    """Mean absolute grey-level difference of two images of one shape."""
    assert a.shape == b.shape
    return float(np.abs(a.astype(np.int16) - b.astype(np.int16)).mean())


# EXIF orientation: how the camera stored the (upright) page, and the tag that says so.
STORED = {
    3: Image.Transpose.ROTATE_180,
    6: Image.Transpose.ROTATE_90,  # stored a quarter turn counter-clockwise: show turned cw
    8: Image.Transpose.ROTATE_270,
}


@pytest.mark.parametrize("tag", sorted(STORED))
def test_load_jpeg_applies_exif_orientation(tag: int) -> None:
    """The page comes out the right way up: pixel for pixel the upright page (up to JPEG
    noise), not merely an image of the right shape."""
    upright = factories.text_image().convert("L")
    exif = Image.Exif()
    exif[0x0112] = tag
    buf = io.BytesIO()
    upright.transpose(STORED[tag]).save(buf, "JPEG", exif=exif, quality=90)
    gray = load_jpeg(buf.getvalue(), Limits())
    assert gray.dtype == np.uint8 and gray.ndim == 2
    page = np.asarray(upright)
    assert gray.shape == page.shape == (700, 1240)
    assert _difference(gray, page) < 1.0
    assert _difference(gray[::-1, ::-1], page) > 10.0  # the measure tells upside down apart


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


def test_deskew_changes_only_a_skewed_page() -> None:
    """A straight page, a blank one and one with a few specks (too little ink to tell) come
    back unchanged; a skewed page comes back straight: close to the page before it was
    turned, pixel for pixel."""
    page = _page_image()
    specks = np.full((700, 500), 255, np.uint8)
    rng = np.random.default_rng(0)
    specks[rng.integers(0, 700, 60), rng.integers(0, 500, 60)] = 0
    for unchanged in (page, np.full((300, 200), 255, np.uint8), specks):
        out, applied = deskew(unchanged)
        assert applied == 0.0 and np.array_equal(out, unchanged)
    crooked = rotate_small(page, -2.0)
    straight, applied = deskew(crooked)
    assert applied == pytest.approx(2.0, abs=0.3)
    assert _difference(crooked, page) > 10.0
    assert _difference(straight, page) < 3.0


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
