"""Cells: the runs of words of a row that a column gap sets apart (a label, its value in the
next column, a table's cells). Rows come from core.layout; a cell keeps its row and its span
of the row's text, so a value read from it becomes evidence with a box."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from core.geometry import BBox
from core.layout import DocumentText, Line, scribble
from extractors.kv.labels import opens_with_label

MIN_HEADER_LABELS = 2  # parts of a cut header that must be labels
ALIGNED = 0.01  # page widths: cells (a header's word, a value) starting this close share a column
# A cell whose every word OCR read below this confidence as a scribble (core.layout.scribble)
# is no text: the edge of a dark band, a rule's fragment ("ene" at 0.07 between two headings).
NOISE_CONFIDENCE = 0.3


@dataclass(frozen=True)
class Cell:
    line: Line
    start: int  # character span of the cell in line.text
    end: int
    row: int  # index of the row in the document's rows

    @property
    def text(self) -> str:
        return self.line.text[self.start : self.end]

    @property
    def bbox(self) -> BBox:
        return self.line.box(self.start, self.end)

    @property
    def page(self) -> int:
        return self.line.page

    @property
    def size(self) -> float:
        """The type size it is set in, as the width of its average character: unlike a word's
        height that does not change with descenders and capitals."""
        words = self.line.words_in(self.start, self.end)
        chars = sum(len(w.text) for w in words)
        return sum(w.bbox.x1 - w.bbox.x0 for w in words) / chars if chars else 0.0


@dataclass
class Grid:
    """The document's rows, each as its cells."""

    rows: list[list[Cell]]

    @classmethod
    def of(cls, text: DocumentText) -> Grid:
        rows = []
        for i, line in enumerate(text.lines):
            cells = [Cell(line, a, b, i) for a, b in line.cells()]
            rows.append([c for c in cells if not _noise(c)])
        for above, below in pairwise(rows):
            if above and below and above[0].page == below[0].page:
                above[:] = [part for cell in above for part in _by_columns(cell, below)]
        return cls(rows)

    def right_of(self, cell: Cell) -> Cell | None:
        row = self.rows[cell.row]
        pos = row.index(cell)
        return row[pos + 1] if pos + 1 < len(row) else None

    def below(self, cell: Cell, reach: int = 1) -> list[Cell]:
        """Cells in the next `reach` rows of the same page that share the cell's column: they
        overlap it horizontally, or start where it starts."""
        out = []
        box = cell.bbox
        for row in self.rows[cell.row + 1 : cell.row + 1 + reach]:
            if not row or row[0].page != cell.page:
                break
            for other in row:
                ob = other.bbox
                overlap = min(box.x1, ob.x1) - max(box.x0, ob.x0)
                if overlap > 0 or abs(ob.x0 - box.x0) < 0.01:
                    out.append(other)
                    break
        return out


def _noise(cell: Cell) -> bool:
    """A table's rule OCR read as "|", or a cell of scribbles with a letter among them: a dash
    or an underscore alone ("—", "___") is a value printed blank, not noise."""
    if not cell.text.strip(" |"):
        return True
    words = cell.line.words_in(cell.start, cell.end)
    lettered = any(c.isalpha() for c in cell.text)
    return lettered and bool(words) and all(scribble(w, NOISE_CONFIDENCE) for w in words)


def _by_columns(cell: Cell, below: list[Cell]) -> list[Cell]:
    """A table's header OCR ran into one cell ("Niv. Leerweg Ingangsdatum Einddatum" over "— |
    duaal | 5 sept. 2024 | 7 nov. 2025"), cut where a word starts at a value's column of the row
    below, when at least two of the parts are labels. Text only: a cell with a digit is a
    value, not a header."""
    line = cell.line
    if any(c.isdigit() for c in cell.text):
        return [cell]
    box = cell.bbox
    starts = [c.bbox.x0 for c in below if box.x0 + ALIGNED < c.bbox.x0 < box.x1]
    if not starts:
        return [cell]
    inside = [
        (w, sp)
        for w, sp in zip(line.words, line.spans, strict=True)
        if cell.start <= sp[0] and sp[1] <= cell.end
    ]
    cuts = [sp for w, sp in inside[1:] if any(abs(w.bbox.x0 - x) <= ALIGNED for x in starts)]
    if not cuts:
        return [cell]
    bounds = [cell.start, *(sp[0] for sp in cuts)]
    ends = [*(sp[0] - 1 for sp in cuts), cell.end]  # a part ends before the space
    parts = [Cell(line, a, b, cell.row) for a, b in zip(bounds, ends, strict=True)]
    labels = sum(opens_with_label(part.text) for part in parts)
    return parts if labels >= MIN_HEADER_LABELS else [cell]  # a value is never cut
