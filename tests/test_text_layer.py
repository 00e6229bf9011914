"""Text-layer reading and the routing of PDF pages between text layer and OCR."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from reportlab.pdfgen import canvas

from core.enums import MediaType, WordSource
from core.geometry import BBox
from core.model import Word
from core.settings import OcrSettings, Settings
from reading.text import ExtractionError, extract_pages
from reading.text_layer import layer_is_usable, words_from_plumber
from tests import factories

# 150 dpi keeps the OCR'd pages of these routing tests fast; OCR quality is tested elsewhere.
FAST = Settings(ocr=OcrSettings(dpi=150))


def test_born_digital_pdf_stays_text_layer_with_exact_words() -> None:
    saved: list[int] = []

    def save(number: int, image: object, words: object) -> str:
        saved.append(number)
        return f"render-{number}"

    [page] = extract_pages(
        factories.text_pdf(), MediaType.PDF, settings=Settings(), save_render=save
    )
    assert page.source is WordSource.TEXT_LAYER
    assert page.text.splitlines() == factories.LINES
    assert (round(page.width), round(page.height)) == (595, 842)
    assert all(w.confidence == 1.0 and w.source is WordSource.TEXT_LAYER for w in page.words)
    first = page.words[0]
    assert first.text == "Praktijkovereenkomst"
    assert first.bbox.x0 == pytest.approx(72 / 595.3, abs=0.003)
    # baseline 780 pt from the bottom, 12 pt Helvetica: the box spans ascent to descent
    assert (842 - 780 - 12) / 842 < first.bbox.y0 < (842 - 780) / 842 < first.bbox.y1
    assert first.bbox.y1 < (842 - 776) / 842
    tops = [min(w.bbox.y0 for w in page.words if w.line == n) for n in range(len(factories.LINES))]
    assert tops == sorted(tops)
    assert page.render_ref == "render-1" and saved == [1]


def test_image_only_pdf_goes_to_ocr() -> None:
    [page] = extract_pages(factories.image_pdf(), MediaType.PDF, settings=FAST)
    assert page.source is WordSource.OCR
    assert page.dpi == 150
    assert page.ocr_confidence is not None and page.ocr_confidence > 0.7
    assert "Verzorgende-IG" in page.text


def test_mixed_pdf_is_routed_page_by_page() -> None:
    data = factories.merged_pdf(factories.text_pdf(), factories.image_pdf())
    pages = extract_pages(data, MediaType.PDF, settings=FAST)
    assert [p.source for p in pages] == [WordSource.TEXT_LAYER, WordSource.OCR]
    assert [p.number for p in pages] == [1, 2]
    assert "Noorderpoort" in pages[1].text


def test_invisible_text_layer_is_not_trusted() -> None:
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=(300, 120))
    text = pdf.beginText(10, 60)
    text.setTextRenderMode(3)  # invisible, as a scanner's OCR layer
    text.setFont("Helvetica", 12)
    text.textLine("Verborgen tekst die niet op de pagina staat 12345")
    pdf.drawText(text)
    pdf.showPage()
    pdf.save()
    [page] = extract_pages(buf.getvalue(), MediaType.PDF, settings=FAST)
    assert page.source is WordSource.OCR
    assert page.words == []


def _word(text: str) -> Word:
    return Word(
        text=text,
        bbox=BBox(x0=0, y0=0, x1=0.1, y1=0.1),
        confidence=1.0,
        source=WordSource.TEXT_LAYER,
    )


def test_layer_usable_needs_enough_real_characters() -> None:
    assert layer_is_usable([_word("Praktijkovereenkomst"), _word("2024")], min_chars=20)
    assert not layer_is_usable([_word("Pagina"), _word("1")], min_chars=20)
    assert not layer_is_usable([], min_chars=0)
    cid = [_word("(cid:12)(cid:7)(cid:99)") for _ in range(20)] + [_word("Praktijkovereenkomst")]
    assert not layer_is_usable(cid, min_chars=20)
    assert not layer_is_usable([_word("Praktijkovereenkomst BBL")], min_chars=5, visible=False)


def test_words_from_plumber_groups_lines_and_blocks() -> None:
    raw = [
        {"text": "rechts", "x0": 300, "x1": 340, "top": 101, "bottom": 111},
        {"text": "links", "x0": 50, "x1": 80, "top": 100, "bottom": 110},
        {"text": "tweede", "x0": 50, "x1": 90, "top": 114, "bottom": 124},
        {"text": "verderop", "x0": 50, "x1": 100, "top": 300, "bottom": 310},
    ]
    words = words_from_plumber(raw, 600, 800)
    assert [(w.text, w.line, w.block) for w in words] == [
        ("links", 0, 0),
        ("rechts", 0, 0),
        ("tweede", 1, 0),
        ("verderop", 2, 1),
    ]
    assert words[0].bbox == BBox(x0=50 / 600, y0=100 / 800, x1=80 / 600, y1=110 / 800)


def test_corrupt_pdf_raises_extraction_error() -> None:
    with pytest.raises(ExtractionError):
        extract_pages(factories.corrupt_pdf(), MediaType.PDF, settings=FAST)


@pytest.mark.parametrize("rotate", [90, 180, 270])
def test_rotated_page_reads_in_order_with_boxes_as_shown(rotate: int) -> None:
    [page] = extract_pages(factories.turned_pdf(rotate), MediaType.PDF, settings=FAST)
    assert page.source is WordSource.TEXT_LAYER
    assert page.text.splitlines() == factories.LINES
    first = page.words[0].bbox
    # the first line sits 62 pt below the top of the unrotated page, 72 pt in from its left
    expected = {
        90: (1 - 64 / 842, 72 / 595),
        180: (1 - 72 / 595, 1 - 64 / 842),
        270: (64 / 842, 1 - 72 / 595),
    }[rotate]
    inside = first.x0 - 0.02 <= expected[0] <= first.x1 + 0.02
    assert inside and first.y0 - 0.02 <= expected[1] <= first.y1 + 0.02


def _conflicts_of(draw: Callable[[canvas.Canvas], None]) -> int:
    import pypdfium2 as pdfium

    from reading.pdf_chars import page_chars
    from reading.text_layer import conflicting_glyphs

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    draw(pdf)
    pdf.save()
    document = pdfium.PdfDocument(buffer.getvalue())
    try:
        return conflicting_glyphs(page_chars(document[0]))
    finally:
        document.close()


def test_text_typed_over_other_text_conflicts_but_turned_stamp_text_does_not() -> None:
    def overwritten(pdf: canvas.Canvas) -> None:
        pdf.drawString(100, 700, "Periode maart 2024")
        pdf.drawString(100 + pdf.stringWidth("Periode ", "Helvetica", 12), 700, "juni ")

    def turned(pdf: canvas.Canvas) -> None:  # a stamp's slanted text, glyph boxes overlap
        pdf.drawString(100, 700, "Periode maart 2024")
        pdf.saveState()
        pdf.translate(380, 350)
        pdf.rotate(17.8)
        pdf.setFont("Helvetica-Bold", 9)
        pdf.drawString(0, 0, "Geleidelijk ingeschreven")
        pdf.restoreState()

    assert _conflicts_of(overwritten) > 0
    assert _conflicts_of(turned) == 0
    assert _conflicts_of(lambda pdf: pdf.drawString(100, 700, "Periode maart 2024")) == 0
