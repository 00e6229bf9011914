"""Read fields from any layout: each value candidate is scored per field by where its label
stands (in its own cell 1.0, the next cell on the row 0.95, the cell below in its column 0.9 —
a form grid or a table header —, a generic label in the field's section 0.85, the words before
it in a sentence 0.8) and the best candidate per field wins. Dates after a birth, print or
processing label are never a field's date."""

from __future__ import annotations

import re

from core.layout import DocumentText
from extractors.kv.cells import Cell, Grid
from extractors.kv.columns import (
    BELOW,
    DASHES,
    IN_CELL,
    PERIOD,
    RIGHT,
    SECTION,
    Candidate,
    ColumnReader,
    first_under,
    header_row,
)
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
from extractors.kv.values import Hit

FALLBACK = 0.8  # a fallback label's candidates rank under every other label's


class Reader(ColumnReader):
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
        fallback = lexicon().fallback.get(field)
        if fallback is not None and fallback.fullmatch(label.phrase):
            score *= FALLBACK  # "Datum examen": the diploma's date only where no other is read
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
            if label.phrase.lower() == "datum" and rest.strip(SEPARATORS)[:1].islower():
                return  # "Datum intakegesprek": words after the bare "Datum" name another date
            # only words after a date's or number's label: the label runs on ("Startdatum
            # duale periode"), its value stands beside or under it
        right = self.grid.right_of(cell)
        if right is not None and blank and self._skips_column(cell, right):
            self.empty.setdefault(field, cell)  # "Leerbedrijf | (Naam left empty) | Adres"
            return
        if right is not None and blank and not right.text.strip(SEPARATORS + DASHES):
            # "Naam opleider | —": printed blank; the dash is evidence too, and OCR's "_" off a
            # band's edge at 0.54 proves no blank
            self.empty.setdefault(field, Cell(cell.line, cell.start, right.end, cell.row))
            return
        if (
            right is not None
            and not opens_with_label(right.text)
            and not self._header(field, cell, right)
        ):
            before = len(self.found)
            self._from(field, right, 0, right.text, score * RIGHT)
            if len(self.found) > before or self.kinds[field] in ("text", "organisation", "month"):
                return
            # nothing of its kind beside it ("Omvang bpv | Dagen" over "1500 klokuren |
            # ma/di/do"): a header row the type sizes did not tell apart, the value is under it
        # a column whose last value is the field's ("Lesdatum": the training's end)
        last = lexicon().last.get(field)
        column = last is not None and last.fullmatch(label.phrase)
        if column and self._last_in_column(field, cell, score * BELOW):
            return
        if self._list_column(field, cell):
            return  # a table's column of many rows ("Datum examen" per exam part): no one value
        below = self.grid.below(cell, reach=1)
        for other in below:
            if not opens_with_label(other.text):
                self._from_below(field, cell, other, score * BELOW)
        if not blank or not all(opens_with_label(b.text) for b in below):
            return
        if (
            right is not None
            and not opens_with_label(right.text)
            and not header_row(self.grid.rows[cell.row])
        ):
            return  # words beside it that were not read as its value: unsure, not blank
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

    def found_by_field(self) -> dict[str, list[Candidate]]:
        out: dict[str, list[Candidate]] = {}
        for cand in self.found:
            if cand.field in self.fields:
                out.setdefault(cand.field, []).append(cand)
        for cands in out.values():
            cands.sort(key=lambda c: (-c.score, c.cell.row, c.start))
        return out

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
        generic_below = any(
            h is not None
            and (first := first_under(cell, nxt, i == 0)) is not None
            and generic_at(first.text, h) is not None
            for i, (cell, h) in enumerate(zip(row, heads, strict=True))
        )  # each title's own column: OCR may have lost the first column's "Naam"
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
CLOSING = re.compile(
    r"\s*aldus\b.{0,60}?\b(?:overeengekomen|opgemaakt|ondertekend|getekend)\b", re.IGNORECASE
)


def _signing_opens(row: list[Cell]) -> bool:
    """A row that opens the signing part without being a heading row of its own: a table's
    header with a signature column ("Partij | Naam | Handtekening | Datum"), a heading in
    the margin beside the text ("Ondertekening | Aldus overeengekomen …"), or the closing
    formula on a row of its own."""
    if len(row) == 1:  # the closing formula ("Aldus opgemaakt in drievoud en ondertekend …")
        return bool(CLOSING.match(row[0].text))
    if not row:
        return False
    signing = lexicon().sections[SIGNING]
    whole = [bool(signing.fullmatch(c.text.strip(" :"))) for c in row]
    if whole[0] and not is_heading(row[1].text):
        return True  # the margin heading
    header = sum(bool(SIGNING_HEADER.match(c.text.strip())) for c in row)
    return any(whole) and header >= 2 and all(is_heading(c.text) for c in row)


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
