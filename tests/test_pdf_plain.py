"""Plain born-digital pages (`reading.pdf_plain`) skip the visual analysis of their pixels: the
shortcut must give what the pixel path gives (no marks, no places) on every plain page, must
never take a page with a drawn signature, logo or stamp for plain, and `ink.components` on the
box around the ink must label as the whole page does."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import cv2
import numpy as np
import pypdfium2 as pdfium
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from core.enums import MediaType, Slot
from core.settings import Settings
from extractors.visual.collect import VisualCollector, analyse_page
from extractors.visual.ink import components
from pipeline.process import process_document
from reading.pdf_plain import plain_page
from reading.text import extract_pages
from tests.factories import LINES, text_pdf, unmapped_font_pdf

SAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "sample" / "docs"


def _pdf(draw: object) -> bytes:
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A4, invariant=1)
    y = 780
    for line in LINES:
        pdf.setFont("Helvetica", 11)
        pdf.drawString(72, y, line)
        y -= 22
    draw(pdf)  # type: ignore[operator]
    pdf.showPage()
    pdf.save()
    return buf.getvalue()


def _rule_and_cell(pdf: canvas.Canvas) -> None:
    pdf.setFillColorRGB(0.9, 0.9, 0.92)
    pdf.rect(60, 500, 470, 40, stroke=0, fill=1)
    pdf.setStrokeColorRGB(0.3, 0.3, 0.3)
    pdf.setLineWidth(0.8)
    pdf.line(60, 480, 530, 480)


def _scribble(pdf: canvas.Canvas) -> None:
    pdf.setStrokeColorRGB(0.05, 0.1, 0.45)
    pdf.setLineWidth(1.2)
    path = pdf.beginPath()
    path.moveTo(320, 420)
    path.curveTo(340, 470, 360, 380, 380, 430)
    path.curveTo(400, 470, 420, 390, 450, 425)
    pdf.drawPath(path, stroke=1, fill=0)


def _first_page_plain(data: bytes) -> bool:
    pdf = pdfium.PdfDocument(data)
    try:
        return plain_page(pdf[0])
    finally:
        pdf.close()


def test_text_rules_and_light_cells_are_plain() -> None:
    assert _first_page_plain(text_pdf())
    assert _first_page_plain(_pdf(_rule_and_cell))


@pytest.mark.parametrize(
    "draw",
    [
        _scribble,
        lambda pdf: (pdf.setFillColorRGB(0.1, 0.1, 0.1), pdf.rect(60, 400, 40, 40, 0, 1)),
        lambda pdf: (pdf.setLineWidth(0.5), pdf.line(60, 400, 100, 400)),  # short: no rule
        lambda pdf: (pdf.setFillColorRGB(0.8, 0.1, 0.1), pdf.drawString(60, 400, "Stempel")),
        lambda pdf: (pdf.setFont("Helvetica-Bold", 30), pdf.drawString(60, 400, "Logo BV")),
        lambda pdf: (pdf.rotate(20), pdf.drawString(300, 200, "gedraaid")),
    ],
)
def test_marks_are_not_plain(draw: object) -> None:
    assert not _first_page_plain(_pdf(draw))


def test_type3_text_is_not_plain() -> None:
    assert not _first_page_plain(unmapped_font_pdf())  # its glyphs are drawings


def _pages(data: bytes, plain: bool) -> VisualCollector:
    visual = VisualCollector()
    extract_pages(
        data,
        MediaType.PDF,
        settings=Settings(),
        on_page=visual,
        on_plain_page=visual.plain if plain else None,
    )
    return visual


@pytest.mark.parametrize("draw", [_rule_and_cell, _scribble])
def test_shortcut_gives_the_pixel_path_fields(draw: object) -> None:
    data = _pdf(draw)
    assert _pages(data, plain=True).fields() == _pages(data, plain=False).fields()


class _Seen(list[tuple[int, np.ndarray, list]]):
    def append_args(self, number: int, image: np.ndarray, words: list) -> None:
        self.append((number, image, words))


def test_sample_plain_pages_have_no_marks_in_their_pixels() -> None:
    """Every plain page of the committed sample's born-digital PDFs is analysed from its
    pixels too: nothing is found there that the shortcut would miss."""
    plain = 0
    with (SAMPLE.parent / "samples.csv").open(newline="", encoding="utf-8") as handle:
        born = [r["file"] for r in csv.DictReader(handle) if r["kind"] == "born_digital"]
    for name in born:
        data = (SAMPLE.parent / name).read_bytes()
        seen = _Seen()
        extract_pages(data, MediaType.PDF, settings=Settings(), on_page=seen.append_args)
        pdf = pdfium.PdfDocument(data)
        for number, image, words in seen:
            if plain_page(pdf[number - 1]):
                plain += 1
                marks = analyse_page(number, image, words)
                assert not (marks.signatures or marks.logos or marks.stamps or marks.places)
        pdf.close()
    assert plain >= 5


def test_signed_sample_still_yields_its_signatures() -> None:
    data = (SAMPLE / "r0210105_pok.pdf").read_bytes()
    assert not _first_page_plain(data)
    result = process_document(data, file="pok.pdf", slot=Slot.PRAKTIJKOVEREENKOMST,
                              settings=Settings())  # fmt: skip
    assert result.fields["signature_count"].value == 3


def test_components_in_the_ink_box_label_as_the_whole_page() -> None:
    rng = np.random.default_rng(7)
    for _ in range(20):
        mask = np.zeros((701, 523), np.uint8)
        x0, y0 = int(rng.integers(0, 400)), int(rng.integers(0, 600))
        for _ in range(int(rng.integers(1, 12))):
            x, y = x0 + int(rng.integers(0, 100)), y0 + int(rng.integers(0, 90))
            cv2.ellipse(mask, (x, y), (int(rng.integers(1, 9)), 3), 30, 0, 360, 255, -1)
        found, labels = components(mask)
        count, whole, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        assert np.array_equal(labels, whole)
        assert [c.box for c in found] == [
            (s[0], s[1], s[0] + s[2], s[1] + s[3]) for s in stats[1:count].tolist()
        ]
    empty, labels = components(np.zeros((50, 40), np.uint8))
    assert empty == [] and labels.shape == (50, 40) and not labels.any()


def test_fold_is_the_per_character_fold() -> None:
    """`core.dutch.fold`'s ASCII and cached paths give what folding each character did."""
    import unicodedata

    from core.dutch import fold

    def each(text: str) -> str:
        out = []
        for char in text:
            base = unicodedata.normalize("NFKD", char)
            base = "".join(c for c in base if not unicodedata.combining(c)) or char
            out.append(base[0].casefold()[0] if base else char)
        return "".join(out)

    for text in ["Straße", "ÉÈëï Ĳsselmeer", "ﬁ ﬂ", "Loonstrook OKTOBER", "İstanbul", "ǅ", ""]:
        assert fold(text) == each(text) and len(fold(text)) == len(text)
    every = "".join(chr(c) for c in range(32, 0x2500))
    assert fold(every) == each(every)


def test_dedupe_chars_keeps_pdfplumbers_chars_in_order() -> None:
    """The text layer's dedupe gives pdfplumber's very char objects, in its order, with
    fake-bold copies (equal dicts) and near copies among them."""
    from pdfplumber.utils.text import dedupe_chars as plumber

    from reading.pdf_chars import page_chars
    from reading.text_layer import dedupe_chars

    pdf = pdfium.PdfDocument(text_pdf())
    try:
        chars = page_chars(pdf[0])
    finally:
        pdf.close()
    copies = [dict(c) for c in chars[::3]] + [dict(c, x0=c["x0"] + 0.5) for c in chars[::5]]
    for variant in (chars, chars + copies, copies + chars):
        ours, theirs = dedupe_chars(variant, tolerance=1), plumber(variant, tolerance=1)
        assert len(ours) == len(theirs) and all(a is b for a, b in zip(ours, theirs, strict=True))
    assert len(dedupe_chars(chars + copies, tolerance=1)) == len(chars)
