"""The value readers of `extractors.kv.read.Reader` that look at a label's column and row:
the value after a label in its cell, beside it or under it (by column where OCR ran a row's
values together), a column's header that is no value, a list column and its last value, and a
label inside a cell (after a separator, or running on after the value before it)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.model import FieldValue
from extractors.kv.cells import ALIGNED, Cell
from extractors.kv.labels import SEPARATORS, label_at, opens_with_label
from extractors.kv.sentences import PLACE_DATE, SentenceReader
from extractors.kv.values import FINDERS, Hit, dates

EXTRACTOR = "extractors.kv"
PERIOD = "period"  # a label of both dates ("Periode"): its two dates are the start and the end
IN_CELL, RIGHT, BELOW, SECTION = 1.0, 0.95, 0.9, 0.85  # PROSE, LETTERHEAD: kv.sentences
NEAR = 3  # a value right after its label: at most this many characters in between
NEAR_MONTH = 8
INLINE_SEPARATOR = re.compile(r"\s(?:[|·•–—]|-)\s+")
RUN_ON = re.compile(r"(?<=[^\W\d_]\s)(?=[A-Z])")  # a capital word after a word: a label may start
LIST_ROWS = 3  # a date under a label in this many rows running: a table's list, no one field
MAX_LIST_ROWS = 60  # rows of a list read to its end
HEADER_REACH = 8  # rows above a table's row where its header row is looked for
MIN_HEADER_CELLS = 3
SMALL_LABEL = 0.85  # a grid's labels are set at most this large against their values
DASHES = "—_"  # with the separators, all a value cell printed blank holds
SHAPED = frozenset({"date", "crebo", "hours"})  # kinds a header never looks like


def first_under(title: Cell, row: list[Cell], first: bool) -> Cell | None:
    """The first cell of `row` in the column a title opens: from its left edge on, the first
    title's from the margin (its number may stand left of it: "2. | Werkplek")."""
    inside = [c for c in row if first or c.bbox.x0 >= title.bbox.x0 - ALIGNED]
    return min(inside, key=lambda c: c.bbox.x0) if inside else None


def header_row(row: list[Cell]) -> bool:
    """A table's header row: at least three cells of a few words, none with a digit."""
    short = all(not any(ch.isdigit() for ch in c.text) and len(c.text.split()) <= 3 for c in row)
    return len(row) >= MIN_HEADER_CELLS and short


def smaller(label: Cell, value: Cell) -> bool:
    """A label set in smaller type than the value under it."""
    return label.size < SMALL_LABEL * value.size


@dataclass(frozen=True)
class Candidate:
    field: str
    value: str
    cell: Cell
    start: int  # span in cell.line.text
    end: int
    score: float
    how: str

    def evidence(self) -> FieldValue:
        return self.cell.line.evidence(self.start, self.end, self.value, EXTRACTOR, self.score)


class ColumnReader(SentenceReader):
    """What the column readers need beyond the sentence readers' attributes: the candidates
    found so far."""

    found: list[Candidate]

    def _first_value(self, field: str, text: str) -> list[Hit]:
        """The value right after a label: the first of the field's kind, if it starts near."""
        kind = self.kinds[field]
        hits = FINDERS[kind](text)
        lead = len(text) - len(text.lstrip(SEPARATORS))
        place = PLACE_DATE.match(text) if kind == "date" else None
        if place:  # under "Plaats en datum": "Utrecht, 2 juli 2024"
            lead = place.end()
        near = NEAR_MONTH if kind == "month" else NEAR  # "Loonperiode 10 (16-09-… t/m …)"
        return [h for h in hits[:1] if h[1] <= lead + near]

    def _from(self, field: str, cell: Cell, at: int, text: str, score: float) -> None:
        if field == PERIOD:
            found = dates(text)[:2]
            if len(found) == 2:
                for name, hit in zip(("startdatum", "einddatum"), found, strict=True):
                    if name in self.fields:
                        self._add(name, cell, hit, at, score, "periode")
            return
        for hit in self._first_value(field, text):
            self._add(field, cell, hit, at, score, "label")

    def _from_below(self, field: str, label: Cell, cell: Cell, score: float) -> None:
        """The value under a label; where OCR ran the row's values into one cell ("17
        september 2024 21 december 2025 600 uur" under "Begin | Einde | Uren"), the one of
        its kind standing under the label."""
        kind = self.kinds[field]
        hits = FINDERS[kind](cell.text) if kind in SHAPED and field != PERIOD else []
        if len(hits) < 2 or hits[0][1] > NEAR:  # values side by side, not a sentence
            self._from(field, cell, 0, cell.text, score)
            return
        centre = label.bbox.center_x

        def offset(hit: Hit) -> float:
            return abs(cell.line.box(cell.start + hit[1], cell.start + hit[2]).center_x - centre)

        self._add(field, cell, min(hits, key=offset), 0, score, "label")

    def _header(self, field: str, cell: Cell, right: Cell) -> bool:
        """Whether `right` is a column header beside the label, not its value: nothing (or a
        value) under the label, and a value under `right` ("Opleider | Titel training" over
        "Werkbegeleider in de zorg"). Under a label/value row the next label stands. A date,
        code or volume beside a label of that kind is its value, whatever stands under it (a
        redaction bar read as letters)."""
        if self.kinds[field] in SHAPED and FINDERS[self.kinds[field]](right.text):
            return False
        under_label = self.grid.below(cell, reach=1)
        if under_label and opens_with_label(under_label[0].text):
            return False
        under_right = [
            b for b in self.grid.below(right, reach=1) if b.bbox.x0 >= right.bbox.x0 - 0.01
        ]
        if not under_right or opens_with_label(under_right[0].text):
            return False
        if not under_label:
            return True
        # a form grid: small labels over larger values in every column ("Onderwijsinstelling |
        # Coördinator duaal" over "Hogeschool Rotterdam | dr. E. Brouwer")
        value = under_label[0]
        aligned = abs(value.bbox.x0 - cell.bbox.x0) < ALIGNED
        return aligned and smaller(cell, value) and smaller(right, under_right[0])

    def _skips_column(self, label: Cell, right: Cell) -> bool:
        """Whether the cell beside a table row's label ("Leerbedrijf | | Collinweg 4 |") stands
        a column further than the one next to the label's in the table's header ("Rol | Naam
        | Adres | Kenmerk"): the column between was left empty."""
        if opens_with_label(right.text):
            return False  # a form's row of labels ("Naam leerbedrijf | Leerbedrijf-ID")
        columns = self._header_columns(label)
        at = [i for i, x in enumerate(columns) if abs(x - label.bbox.x0) < ALIGNED]
        if not at or at[0] + 2 >= len(columns):
            return False
        return right.bbox.x0 >= columns[at[0] + 2] - ALIGNED

    def _header_columns(self, label: Cell) -> list[float]:
        """The left edges of the header row of the table `label` opens a row of: the nearest
        row above it (same page, few rows up, no heading in between) starting in the label's
        column with at least three cells of a few words and no digits."""
        rows = self.grid.rows
        for back in range(1, HEADER_REACH + 1):
            at = label.row - back
            if at < 0 or not rows[at] or rows[at][0].page != label.page:
                return []
            row = rows[at]
            if len(row) == 1:
                return []  # a heading: the table, if any, began under it
            if abs(row[0].bbox.x0 - label.bbox.x0) < ALIGNED and header_row(row):
                return [c.bbox.x0 for c in row]
        return []

    def _last_in_column(self, field: str, header: Cell, score: float) -> bool:
        """The value in the last of the rows running under `header` that hold one, if any."""
        last = None
        for cell in self.grid.below(header, reach=MAX_LIST_ROWS):
            if not FINDERS[self.kinds[field]](cell.text):
                break
            last = cell
        before = len(self.found)
        if last is not None:
            self._from(field, last, 0, last.text, score)
        return len(self.found) > before

    def _list_column(self, field: str, cell: Cell) -> bool:
        """Whether the label heads a column that lists values of its kind on several rows."""
        if field == PERIOD or self.kinds[field] not in ("date", "month"):
            return False
        column = self.grid.below(cell, reach=LIST_ROWS)
        return sum(bool(FINDERS[self.kinds[field]](c.text)) for c in column) >= LIST_ROWS

    def _inline_labels(self, cell: Cell) -> None:
        """A label inside a cell, after an inline separator ("Diplomanummer 25-34084-5 - datum
        uitreiking 27 december 2025", "… | afgegeven d.d. …") or running on after the value
        before it (a dense print's narrow columns: "Hanna Amalrada Datum in dienst | 28-03-2023
        Tijdvak"): its value of a kind no name can be (a date, a number, hours) in the rest of
        its piece, or where the label ends the cell, at the start of the next cell."""
        separated = {sep.end() for sep in INLINE_SEPARATOR.finditer(cell.text)}
        run_on = {m.start() for m in RUN_ON.finditer(cell.text)} - separated
        for at in sorted(separated | run_on):
            piece = cell.text[at:]
            label = label_at(piece[:1].upper() + piece[1:], self.prefer)
            if label is None or label.field not in self.fields:
                continue
            if self.kinds[label.field] in ("text", "organisation"):
                continue
            if at in run_on and (label.weak or len(label.phrase.split()) < 2):
                continue  # a run-on label is a whole one ("Datum in dienst", not "Periode")
            end = INLINE_SEPARATOR.search(piece, label.end)
            rest = piece[label.end : end.start() if end else None]
            for hit in self._first_value(label.field, rest):
                self._add(label.field, cell, hit, at + label.end, IN_CELL * RIGHT, "label")
            right = self.grid.right_of(cell)
            if at in run_on and not rest.strip(SEPARATORS) and right is not None:
                for hit in self._first_value(label.field, right.text):
                    self._add(label.field, right, hit, 0, IN_CELL * RIGHT, "label")
