"""Read fields from any layout: each value candidate is scored per field by where its label
stands (in its own cell 1.0, the next cell on the row 0.95, the cell below in its column 0.9 —
a form grid or a table header —, a generic label in the field's section 0.85, the words before
it in a sentence 0.8) and the best candidate per field wins. Dates after a birth, print or
processing label are never a field's date."""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.layout import DocumentText
from core.model import FieldValue
from extractors.kv.cells import Cell, Grid
from extractors.kv.labels import (
    BIRTH,
    NOT_FIELDS,
    NUMBER_ONLY,
    NUMBERING,
    OTHER_DATE,
    SEPARATORS,
    SIGNING,
    Label,
    generic_at,
    is_heading,
    label_at,
    lexicon,
    opens_with_label,
    section_of,
)
from extractors.kv.sentences import PLACE_DATE, SentenceReader
from extractors.kv.values import FINDERS, Hit, dates

EXTRACTOR = "extractors.kv"
PERIOD = "period"
IN_CELL, RIGHT, BELOW, SECTION = 1.0, 0.95, 0.9, 0.85  # PROSE, LETTERHEAD: kv.sentences
NEAR = 3  # a value right after its label: at most this many characters in between
NEAR_MONTH = 8
INLINE_SEPARATOR = re.compile(r"\s(?:[|·•–—]|-)\s+")
LIST_ROWS = 3  # a date under a label in this many rows running: a table's list, no one field
ALIGNED = 0.01  # page widths: cells starting this close share a column
SMALL_LABEL = 0.85  # a grid's labels are set at most this large against their values


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


class Reader(SentenceReader):
    def __init__(self, text: DocumentText, fields: tuple[str, ...]) -> None:
        self.grid = Grid.of(text)
        self.fields = fields
        self.kinds = lexicon().kinds
        self.found: list[Candidate] = []
        self.prefer = (*fields, PERIOD)
        self.empty: dict[str, Cell] = {}  # a field's label with no value anywhere near it

    def _add(self, field: str, cell: Cell, hit: Hit, offset: int, score: float, how: str) -> None:
        value, start, end = hit
        a, b = cell.start + offset + start, cell.start + offset + end
        self.found.append(Candidate(field, value, cell, a, b, score, how))

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

    def _take(
        self,
        label: Label,
        cell: Cell,
        rest_at: int,
        score: float,
        blank: bool = True,
        strong: bool = False,
    ) -> None:
        """The value of `label`: in its own cell after it, else the next cell, else below."""
        field = label.field
        rest = cell.text[rest_at:]
        targets = [field] if field != PERIOD else ["startdatum", "einddatum"]
        if not any(t in self.fields for t in targets):
            return
        if rest.strip(SEPARATORS):
            wordy = self.kinds[field] in ("text", "organisation")
            if label.weak and wordy:
                return
            before = len(self.found)
            self._from(field, cell, rest_at, rest, score)
            if wordy or len(self.found) > before or any(c.isdigit() for c in rest):
                return
            # only words after a date's or number's label: the label runs on ("Startdatum
            # duale periode"), its value stands beside or under it
        right = self.grid.right_of(cell)
        if right is not None and not opens_with_label(right.text) and not self._header(cell, right):
            before = len(self.found)
            self._from(field, right, 0, right.text, score * RIGHT)
            if len(self.found) > before or self.kinds[field] in ("text", "organisation", "month"):
                return
            # nothing of its kind beside it ("Omvang bpv | Dagen" over "1500 klokuren |
            # ma/di/do"): a header row the type sizes did not tell apart, the value is under it
        if self._list_column(field, cell):
            return  # a table's column of many rows ("Datum examen" per exam part): no one value
        below = self.grid.below(cell, reach=1)
        for other in below:
            if not opens_with_label(other.text):
                self._from(field, other, 0, other.text, score * BELOW)
        if not blank or not all(opens_with_label(b.text) for b in below):
            return
        if strong or not label.weak or self._others_below(field, below):
            self.empty.setdefault(field, cell)  # a form's field left blank

    def _others_below(self, field: str, below: list[Cell]) -> bool:
        """A weak label ("Opleider") over the labels of other fields ("Cursus", "Cursuscode"):
        a form's row left blank, not a heading over its own generic labels ("Naam")."""
        if not below:
            return False
        for other in below:
            label = label_at(other.text, self.prefer)
            if label is None or label.field in (field, *NOT_FIELDS):
                return False
            if generic_at(other.text, field) is not None:
                return False
        return True

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

    def found_by_field(self) -> dict[str, list[Candidate]]:
        out: dict[str, list[Candidate]] = {}
        for cand in self.found:
            if cand.field in self.fields:
                out.setdefault(cand.field, []).append(cand)
        for cands in out.values():
            cands.sort(key=lambda c: (-c.score, c.cell.row, c.start))
        return out

    def _header(self, cell: Cell, right: Cell) -> bool:
        """Whether `right` is a column header beside the label, not its value: nothing (or a
        value) under the label, and a value under `right` ("Opleider | Titel training" over
        "Werkbegeleider in de zorg"). Under a label/value row the next label stands."""
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
        return aligned and _smaller(cell, value) and _smaller(right, under_right[0])

    def _list_column(self, field: str, cell: Cell) -> bool:
        """Whether the label heads a column that lists values of its kind on several rows."""
        if field == PERIOD or self.kinds[field] not in ("date", "month"):
            return False
        column = self.grid.below(cell, reach=LIST_ROWS)
        return sum(bool(FINDERS[self.kinds[field]](c.text)) for c in column) >= LIST_ROWS

    def _organisation(self, field: str) -> bool:
        return self.kinds.get(field) == "organisation"

    def _heading_row(self, row: list[Cell]) -> bool:
        """A row of section titles: one title of its own ("Leerbedrijf", "Ondertekening"; not a
        field's label waiting for its value, "Naam leerbedrijf"), or titles side by side over
        columns whose next row opens with a generic label ("Naam")."""
        row = _titles(row)
        if not row or not all(is_heading(c.text) for c in row):
            return False
        heads = [section_of(c.text, self.prefer) for c in row]
        nxt = self.grid.rows[row[0].row + 1] if row[0].row + 1 < len(self.grid.rows) else []
        generic_below = bool(nxt) and any(
            h is not None and generic_at(nxt[0].text, h) is not None for h in heads
        )
        if len(row) == 1:
            text = row[0].text
            if heads[0] is None:
                return label_at(text) is None  # "Ondertekening", "Bepalingen"
            if generic_below or heads[0] == SIGNING:
                return True
            # "Onderwijsinstelling" over "Adres …": a label left blank, not a heading
            below = label_at(nxt[0].text, self.prefer) if nxt else None
            other = below is not None and below.field != heads[0]
            return _whole_section(text) and not other
        return any(heads) and generic_below

    def read_labels(self) -> None:
        sections: list[tuple[float, str | None]] = []  # (left edge, field) per column
        page = 0
        for row in self.grid.rows:
            if row and row[0].page != page:
                page, sections = row[0].page, []
            if _signing_opens(row):
                sections = [(0.0, SIGNING)]  # a signing table's header, a margin heading
            elif self._heading_row(row):
                heads = _titles(row)
                label = label_at(heads[0].text, self.prefer) if len(heads) == 1 else None
                if label is not None and label.field in self.fields:
                    self._take(label, heads[0], label.end, IN_CELL, blank=False)
                signing = any(f == SIGNING for _, f in sections)
                sections = [(c.bbox.x0, section_of(c.text, self.prefer)) for c in heads]
                if signing and all(f != SIGNING and f is not None for _, f in sections):
                    sections = [(x, SIGNING) for x, _ in sections]  # parties of the signing
                sections[0] = (0.0, sections[0][1])  # the first heading covers from the margin
                continue
            for cell in row:
                section = _column(sections, cell)
                self._inline_labels(cell)
                label = label_at(cell.text, self.prefer)
                if section == SIGNING and label is not None and self._organisation(label.field):
                    continue  # "Leerbedrijf" over a signature: who signs, a person's name
                if label is not None and label.field not in (BIRTH, OTHER_DATE):
                    self._take(label, cell, label.end, IN_CELL)
                    if label.field in self.fields or label.field == PERIOD:
                        continue
                if section in self.fields and (generic := generic_at(cell.text, section)):
                    # under its section a generic label ("Naam") is a form's own field
                    self._take(generic, cell, generic.end, SECTION, strong=True)

    def _inline_labels(self, cell: Cell) -> None:
        """A label after an inline separator within a cell ("Diplomanummer 25-34084-5 - datum
        uitreiking 27 december 2025", "… | afgegeven d.d. …"): its value of a kind no name
        can be (a date, a number, hours) in the rest of its piece."""
        for sep in INLINE_SEPARATOR.finditer(cell.text):
            piece = cell.text[sep.end() :]
            label = label_at(piece[:1].upper() + piece[1:], self.prefer)
            if label is None or label.field not in self.fields:
                continue
            if self.kinds[label.field] in ("text", "organisation"):
                continue
            end = INLINE_SEPARATOR.search(piece, label.end)
            rest = piece[label.end : end.start() if end else None]
            for hit in self._first_value(label.field, rest):
                self._add(label.field, cell, hit, sep.end() + label.end, IN_CELL * RIGHT, "label")


def read(text: DocumentText, fields: tuple[str, ...]) -> dict[str, list[Candidate]]:
    """Every candidate per field, best first (then in reading order)."""
    return read_all(text, fields).found_by_field()


def read_all(text: DocumentText, fields: tuple[str, ...]) -> Reader:
    """The reader after reading: its candidates and the labels left blank."""
    reader = Reader(text, fields)
    reader.read_labels()
    reader.read_prose()
    reader.read_parties()
    reader.read_place_date()
    reader.read_letterhead()
    return reader


SIGNING_HEADER = re.compile(r"(?:naam|partij|datum|functie|plaats)\b", re.IGNORECASE)


def _signing_opens(row: list[Cell]) -> bool:
    """A row that opens the signing part without being a heading row of its own: a table's
    header with a signature column ("Partij | Naam | Handtekening | Datum"), or a heading in
    the margin beside the text ("Ondertekening | Aldus overeengekomen …")."""
    if len(row) < 2:
        return False
    signing = lexicon().sections[SIGNING]
    whole = [bool(signing.fullmatch(c.text.strip(" :"))) for c in row]
    if whole[0] and not is_heading(row[1].text):
        return True  # the margin heading
    header = sum(bool(SIGNING_HEADER.match(c.text.strip())) for c in row)
    return any(whole) and header >= 2 and all(is_heading(c.text) for c in row)


def _smaller(label: Cell, value: Cell) -> bool:
    """A label set in smaller type than the value under it."""
    return label.size < SMALL_LABEL * value.size


def _titles(row: list[Cell]) -> list[Cell]:
    """A heading row without a number in a cell of its own ("1. | Gegevens student"), nor
    OCR's specks between its titles ("Deelnemer | 7 | Leerbedrijf | _ | Onderwijsinstelling")."""
    row = row[1:] if len(row) > 1 and NUMBER_ONLY.match(row[0].text) else row
    kept = [c for c in row if not SPECK.fullmatch(c.text.strip())]
    return kept if len(kept) > 1 else row


SPECK = re.compile(r"[^A-Za-zÀ-ÿ]{0,2}|[A-Za-zÀ-ÿ]")  # no word: a digit, a rule, a mark


def _whole_section(text: str) -> bool:
    """The heading is nothing but a section's phrase ("Leerbedrijf", "2. Onderwijsinstelling")."""
    field = section_of(text)
    pattern = lexicon().sections.get(field or "")
    stripped = re.sub(rf"^\s*{NUMBERING}", "", text).strip(" :")
    return (
        pattern is not None
        and (m := pattern.match(stripped)) is not None
        and (m.end() == len(stripped))
    )


def _column(sections: list[tuple[float, str | None]], cell: Cell) -> str | None:
    """The section heading over the cell's column: the last one starting left of it."""
    x0 = cell.bbox.x0 + 0.01
    inside = [field for left, field in sections if left <= x0]
    return inside[-1] if inside else None
