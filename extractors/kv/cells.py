"""Cells: the runs of words of a row that a column gap sets apart (a label, its value in the
next column, a table's cells). Rows come from core.layout; a cell keeps its row and its span
of the row's text, so a value read from it becomes evidence with a box."""

from __future__ import annotations

from dataclasses import dataclass

from core.geometry import BBox
from core.layout import DocumentText, Line


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
            rows.append([Cell(line, a, b, i) for a, b in line.cells()])
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
