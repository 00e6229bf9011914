"""The page Tesseract sees has its background flattened: words on a tinted band and under
uneven light are read, which the raw page loses; ink stays dark, paper and tint turn white."""

from __future__ import annotations

import numpy as np
import pytest

from reading.clean import flatten_background
from reading.ocr import ocr_image
from tests import factories

WORDS = ["Werkgever", "Postcode", "Zorggroep", "De", "Kempen"]


def _tinted(tint: int, ink: int, paper: int) -> np.ndarray:
    """Two rows of text, the first on a tinted header band, lit unevenly from left to right."""
    image = factories.text_image(
        ["Werkgever Postcode", "Zorggroep De Kempen"], width=1200, height=300, size=40
    )
    glyphs = np.asarray(image.convert("L")) < 128
    page = np.full(glyphs.shape, float(paper), np.float32)
    page[:150, :] = tint
    page[glyphs] = ink
    light = np.linspace(1.0, 0.8, page.shape[1])[None, :]
    return np.clip(page * light, 0, 255).astype(np.uint8)


def test_tint_and_paper_turn_white_and_ink_stays_dark() -> None:
    page = _tinted(tint=150, ink=60, paper=250)
    flat = flatten_background(page, dpi=300)
    glyphs = np.asarray(factories.text_image(
        ["Werkgever Postcode", "Zorggroep De Kempen"], width=1200, height=300, size=40
    ).convert("L")) < 128  # fmt: skip
    band, paper = flat[:150][~glyphs[:150]], flat[150:][~glyphs[150:]]
    assert np.median(band) > 245 and np.median(paper) > 245
    assert np.median(flat[glyphs]) < 140
    assert np.median(page[:150][~glyphs[:150]]) < 160  # the band was dark before


def test_a_blank_page_stays_blank() -> None:
    blank = np.full((200, 300), 230, np.uint8)
    assert flatten_background(blank, dpi=300).min() >= 254


@pytest.mark.parametrize(("tint", "ink", "paper"), [(150, 60, 250), (170, 70, 245)])
def test_words_on_a_tinted_band_are_read_only_after_flattening(
    tint: int, ink: int, paper: int
) -> None:
    page = _tinted(tint, ink, paper)
    raw = [w.text for w in ocr_image(page, languages="nld+eng", timeout_s=60, dpi=300)]
    flat = ocr_image(flatten_background(page, dpi=300), languages="nld+eng", timeout_s=60, dpi=300)
    assert [w.text for w in flat] == WORDS
    assert "Werkgever" not in raw
