"""Text lines over a document's words, with character spans that map back to word boxes, so a
regular expression or fuzzy match on text becomes evidence on the page (page, box, source text,
confidence, text layer or OCR)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise

from core.enums import WordSource
from core.geometry import BBox, union_all
from core.model import Document, FieldValue, Page, Word

# A horizontal gap wider than this (a share of the page width, about 4 mm on A4) starts a new
# column segment: a label in a form's second column begins there.
COLUMN_GAP = 0.02


@dataclass
class Line:
    """One line of words on a page; `text` is the words joined by single spaces."""

    page: int
    words: list[Word]
    index: int = 0
    text: str = field(init=False)
    spans: list[tuple[int, int]] = field(init=False)
    segments: list[int] = field(init=False)

    def __post_init__(self) -> None:
        spans = []
        segments = []
        pos = 0
        previous: Word | None = None
        for word in self.words:
            if previous is None or word.bbox.x0 - previous.bbox.x1 > COLUMN_GAP:
                segments.append(pos)
            spans.append((pos, pos + len(word.text)))
            pos += len(word.text) + 1
            previous = word
        self.spans = spans
        self.segments = segments or [0]
        self.text = " ".join(w.text for w in self.words)

    def cells(self) -> list[tuple[int, int]]:
        """The character span of each column segment (the words a column gap sets apart)."""
        bounds = [*self.segments, len(self.text) + 1]
        return [(a, b - 1) for a, b in pairwise(bounds)]

    def words_in(self, start: int, end: int) -> list[Word]:
        """Words overlapping the character range [start, end)."""
        return [
            w for w, (a, b) in zip(self.words, self.spans, strict=True) if a < end and b > start
        ]

    @property
    def bbox(self) -> BBox:
        box = union_all([w.bbox for w in self.words])
        assert box is not None
        return box

    def box(self, start: int, end: int) -> BBox:
        """The box of the words under [start, end), or of the whole line where none is."""
        box = union_all([w.bbox for w in self.words_in(start, end) or self.words])
        assert box is not None
        return box

    def evidence(
        self, start: int, end: int, value: object, extractor: str, confidence: float = 1.0
    ) -> FieldValue:
        """A field value whose evidence is the words under [start, end) of this line."""
        words = self.words_in(start, end) or self.words
        box = self.box(start, end)
        word_conf = min(w.confidence for w in words)
        method = (
            WordSource.OCR
            if any(w.source is WordSource.OCR for w in words)
            else WordSource.TEXT_LAYER
        )
        return FieldValue(
            value=value,
            page=self.page,
            bbox=box,
            confidence=round(max(0.0, min(1.0, confidence * word_conf)), 4),
            source_text=self.text,
            extractor=extractor,
            method=method,
        )


def page_lines(page: Page) -> list[Line]:
    """The page's words as visual rows, top to bottom, each left to right.

    Words are first grouped by the extractor's (block, line); groups at the same height (a
    label in one column, its value in the next) are then merged into one row."""
    groups: dict[tuple[int, int], list[Word]] = {}
    for word in page.words:
        groups.setdefault((word.block, word.line), []).append(word)
    pieces = sorted(
        (sorted(ws, key=lambda w: w.bbox.x0) for ws in groups.values()),
        key=lambda ws: _center(ws),
    )
    rows: list[list[Word]] = []
    for piece in pieces:
        if rows and _same_row(rows[-1], piece):
            rows[-1] = sorted([*rows[-1], *piece], key=lambda w: w.bbox.x0)
        else:
            rows.append(piece)
    lines = [Line(page=page.number, words=row) for row in rows]
    for i, line in enumerate(lines):
        line.index = i
    return lines


SLIVER = 0.4  # of the tallest word in its group: a table rule's fragment read as "|"
SCRIBBLE_LETTERS = 4
_LETTER = re.compile(r"[^\W\d_]")


def scribble(word: Word, below: float) -> bool:
    """Whether OCR made this word of ink that is no text (a signature, a band's edge, a
    stamp): read below confidence `below`, without digits, with few letters ("i", "=_——",
    "ene", "GEE,")."""
    if word.source is not WordSource.OCR or word.confidence >= below:
        return False
    letters = len(_LETTER.findall(word.text))
    few = letters < SCRIBBLE_LETTERS or 2 * letters < len(word.text)
    return few and not any(c.isdigit() for c in word.text)


def _body(words: list[Word]) -> list[Word]:
    """The words that give a group its height: not the slivers of a table's rules that OCR
    reads as "|" or "-" beside them (they pulled a value a row up, off its label's row)."""
    tallest = max(w.bbox.height for w in words)
    body = [
        w for w in words if w.bbox.height >= SLIVER * tallest or any(c.isalnum() for c in w.text)
    ]
    return body or words


def _center(words: list[Word]) -> float:
    body = _body(words)
    return sum(w.bbox.center_y for w in body) / len(body)


def _height(words: list[Word]) -> float:
    body = _body(words)
    return sum(w.bbox.height for w in body) / len(body)


def _same_row(row: list[Word], piece: list[Word]) -> bool:
    """Vertically aligned and not overlapping horizontally."""
    height = min(_height(row), _height(piece))
    if abs(_center(row) - _center(piece)) > 0.5 * height:
        return False
    # word by word: a row's cells may stand in the gaps of another line of the same row
    return all(w.bbox.x1 <= p.bbox.x0 or w.bbox.x0 >= p.bbox.x1 for w in row for p in piece)


@dataclass
class DocumentText:
    """All lines of a document, page by page, with neighbours for label windows."""

    lines: list[Line]

    @classmethod
    def of(cls, document: Document) -> DocumentText:
        return cls([line for page in document.pages for line in page_lines(page)])

    def __iter__(self) -> Iterator[Line]:
        return iter(self.lines)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    def locate(self, start: int, end: int) -> tuple[Line, int, int] | None:
        """Map a span of `text` back to its line and the span within that line."""
        offset = 0
        for line in self.lines:
            line_end = offset + len(line.text)
            if start <= line_end:
                if start < offset:
                    return None
                return line, start - offset, min(end, line_end) - offset
            offset = line_end + 1
        return None

    def following(self, line: Line, count: int = 1) -> list[Line]:
        """Up to `count` lines after `line` on the same page."""
        pos = self.lines.index(line)
        return [ln for ln in self.lines[pos + 1 : pos + 1 + count] if ln.page == line.page]

    def right_of(self, line: Line, end: int) -> str:
        """The text of `line` after character `end` (a label's value on the same line)."""
        return line.text[end:]
