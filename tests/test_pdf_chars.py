"""pdfium's characters (`reading.pdf_chars`) give the words pdfplumber's own reading gives:
the same texts in the same order, boxes within half a percent of the page, on every
born-digital page of the committed sample and on pages turned by /Rotate."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest

from core.model import Word
from reading.pdf_chars import page_chars
from reading.text_layer import _DIRECTIONS, read_text_layer, words_from_plumber
from tests import factories

SAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "sample"


def _born_digital() -> list[Path]:
    with (SAMPLE / "samples.csv").open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [SAMPLE / r["file"] for r in rows if r["kind"] == "born_digital"]


def _plumber_words(data: bytes) -> list[list[Word]]:
    """The words as pdfplumber reads them itself (pdfminer's characters)."""
    out = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            rotation = int(page.rotation or 0) % 360
            line_dir, char_dir = _DIRECTIONS[rotation]
            raw = page.extract_words(
                line_dir=line_dir,
                char_dir=char_dir,
                line_dir_rotated=line_dir,
                char_dir_rotated=char_dir,
            )
            out.append(words_from_plumber(raw, float(page.width), float(page.height), rotation))
    return out


def _pdfium_words(data: bytes) -> list[list[Word]]:
    pdf = pdfium.PdfDocument(data)
    try:
        return [read_text_layer(page, page_chars(page))[2] for page in pdf]
    finally:
        pdf.close()


def _assert_same(ours: list[list[Word]], theirs: list[list[Word]]) -> None:
    assert len(ours) == len(theirs)
    for page, other in zip(ours, theirs, strict=True):
        assert [w.text for w in page] == [w.text for w in other]
        assert [(w.line, w.block) for w in page] == [(w.line, w.block) for w in other]
        for a, b in zip(page, other, strict=True):
            for x, y in zip(
                (a.bbox.x0, a.bbox.y0, a.bbox.x1, a.bbox.y1),
                (b.bbox.x0, b.bbox.y0, b.bbox.x1, b.bbox.y1),
                strict=True,
            ):
                assert abs(x - y) < 0.005


def test_sample_has_born_digital_pages_with_words() -> None:
    files = _born_digital()
    assert len(files) >= 10
    assert all(words for f in files for words in _pdfium_words(f.read_bytes()))


@pytest.mark.parametrize("path", _born_digital(), ids=lambda p: p.name)
def test_pdfium_words_equal_pdfplumber_words(path: Path) -> None:
    data = path.read_bytes()
    _assert_same(_pdfium_words(data), _plumber_words(data))


@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
def test_turned_page_words_equal_pdfplumber_words(rotate: int) -> None:
    data = factories.turned_pdf(rotate)
    _assert_same(_pdfium_words(data), _plumber_words(data))


def test_chars_of_a_turned_page_are_not_upright_and_generated_spaces_are_left_out() -> None:
    pdf = pdfium.PdfDocument(factories.turned_pdf(90))
    try:
        chars = page_chars(pdf[0])
        upright = page_chars(pdfium.PdfDocument(factories.text_pdf())[0])
    finally:
        pdf.close()
    assert chars and not any(c["upright"] for c in chars)
    assert all(c["upright"] for c in upright)
    assert not any(c["text"] in "\r\n" for c in upright)
    assert "".join(c["text"] for c in upright).replace(" ", "") == "".join(factories.LINES).replace(
        " ", ""
    )


def test_glyphs_without_unicode_are_garbage_and_the_page_goes_to_ocr() -> None:
    from reading.text_layer import layer_is_usable

    data = factories.unmapped_font_pdf()
    pdf = pdfium.PdfDocument(data)
    try:
        page = pdf[0]
        chars = page_chars(page)
        words = read_text_layer(page, chars)[2]
    finally:
        pdf.close()
    # pdfminer reads the raw codes as letters ('A', 'B'); pdfium knows they map to nothing
    assert len(chars) >= 40 and {c["text"] for c in chars} == {"\ufffd"}
    assert not layer_is_usable(words, min_chars=20)
    # the same words in a mapped font are a usable layer
    assert layer_is_usable(_pdfium_words(factories.text_pdf())[0], min_chars=20)
