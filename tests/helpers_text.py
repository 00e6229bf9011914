"""Build documents from plain lines of text for extractor tests (no rendering, no OCR)."""

from __future__ import annotations

from core.enums import MediaType, WordSource
from core.geometry import BBox
from core.layout import DocumentText
from core.model import Document, Page, Word


def page_of(lines: list[str], number: int = 1, source: WordSource = WordSource.TEXT_LAYER) -> Page:
    """One page with each string on its own line; words get plausible boxes. Two or more
    spaces inside a string stand for a column gap (a form's label | value)."""
    words = []
    for row, line in enumerate(lines):
        x = 0.08
        for token in line.replace("  ", " \t ").split(" "):
            if not token:
                continue
            if token == "\t":
                x = min(0.9, x + 0.08)
                continue
            width = 0.012 * len(token)
            y = 0.05 + row * 0.025
            words.append(
                Word(
                    text=token,
                    bbox=BBox(x0=x, y0=y, x1=min(1.0, x + width), y1=y + 0.015),
                    confidence=1.0 if source is WordSource.TEXT_LAYER else 0.9,
                    source=source,
                    line=row,
                )
            )
            x = min(0.98, x + width + 0.01)
    return Page(number=number, width=595, height=842, source=source, words=words)


def document_of(*pages: list[str], source: WordSource = WordSource.TEXT_LAYER) -> Document:
    return Document(
        document_id="0" * 64,
        file="test.pdf",
        media_type=MediaType.PDF,
        size_bytes=1,
        pages=[page_of(lines, i + 1, source) for i, lines in enumerate(pages)],
    )


def text_of(*pages: list[str], source: WordSource = WordSource.TEXT_LAYER) -> DocumentText:
    return DocumentText.of(document_of(*pages, source=source))
