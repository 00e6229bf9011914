"""Read fields from any layout: each value candidate is scored per field by where its label
stands (in its own cell 1.0, the next cell on the row 0.95, the cell below in its column 0.9 —
a form grid or a table header —, a generic label in the field's section 0.85, the words before
it in a sentence 0.8) and the best candidate per field wins. Dates after a birth, print or
processing label are never a field's date."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from core.layout import DocumentText
from core.model import FieldValue
from extractors.classify.titles import SUBJECT
from extractors.classify.titles import patterns as title_patterns
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
from extractors.kv.values import FINDERS, Hit, dates, names

EXTRACTOR = "extractors.kv"
PERIOD = "period"
IN_CELL, RIGHT, BELOW, SECTION, PROSE, LETTERHEAD = 1.0, 0.95, 0.9, 0.85, 0.8, 0.72
BY_LETTERHEAD = "briefhoofd"  # Candidate.how of a name read from a letterhead
LETTERHEAD_ROWS = 3
LETTERHEAD_BAND = 0.14  # a letterhead stands in the top seventh of the page
NEAR = 3  # a value right after its label: at most this many characters in between
NEAR_MONTH = 8
PROSE_WINDOW = 40
INLINE_SEPARATOR = re.compile(r"\s(?:[|·•–—]|-)\s+")
RELATIVE = re.compile(r"\b(?:na|voor|binnen|vóór)\s+(?:de\s+|het\s+)?$", re.IGNORECASE)
WRAP_START = 2  # a wrapped sentence's value opens the next row
LIST_ROWS = 3  # a date under a label in this many rows running: a table's list, no one field
ALIGNED = 0.01  # page widths: cells starting this close share a column
SMALL_LABEL = 0.85  # a grid's labels are set at most this large against their values
TEXT_PROSE_END = re.compile(
    r"\s*(?:[,;.]\s|[,;.]?$|\((?=[^)]*(?:\d|crebo|niveau|kvk))|[“”\"]"
    r"|\s(?:die|dat|bij|te|sinds|op|vanaf|per|met ingang)\s)",
    re.IGNORECASE,
)
# "…, hierna te noemen: het leerbedrijf", "hierna: de school", "(hierna: „de student”)"
HEREAFTER = re.compile(
    r"hierna(?:\s+(?:te\s+)?(?:noemen|genoemd|aangeduid\s+als))?\s*[:,]?\s*[\"“„'‘]?"
    r"(?:de|het)?\s*[\"“„'‘]?(?P<role>[a-zà-ÿ-]+)",
    re.IGNORECASE,
)
CLAUSE_NUMBER = re.compile(r"^\s*(?:\d{1,2}|[a-h])\s*[.)]\s+(?=\S)")
CLAUSE_NUMBER_ALONE = re.compile(r"^\s*(?:\d{1,2}|[a-h])\s*[.)]\s*$")
CLAUSE_END = re.compile(r"[;:]\s*$")
CLAUSE_NAME_END = re.compile(r",|\s\((?!\w+\))|\s(?:gevestigd|wonende|geboren|ingeschreven)\b")
CLAUSE_ROWS = 4  # a party's clause runs over at most this many rows
# A letter's address block, not its sender: "Aan de directie van", "T.a.v. …", "Retouradres".
ADDRESSEE = re.compile(
    r"^(?:aan|t\.?\s?a\.?\s?v\.?|ter attentie|retour\w*|de heer|mevrouw|geachte|postbus|p/a)\b",
    re.IGNORECASE,
)
# "Utrecht, 27 juni 2024": a place and a date on a row of their own (where and when issued).
PLACE_DATE = re.compile(r"^\s*(?:[A-Z][\w'’.-]*(?:[ -][\w'’.-]+){0,3}),\s*(?=\S)")


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


class Reader:
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
        sure = strong or not label.weak or self._others_below(field, below)
        if blank and sure and all(opens_with_label(b.text) for b in below):
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

    def read_prose(self) -> None:
        prose = lexicon().prose
        birth = lexicon().labels[BIRTH]
        for row in self.grid.rows:
            for cell in row:
                text = cell.text
                for field in self.fields:
                    pattern = prose.get(field)
                    if pattern is None:
                        continue
                    kind = self.kinds[field]
                    if kind in ("text", "organisation"):
                        self._prose_text(field, cell, pattern)
                        continue
                    for hit in FINDERS[kind](text):
                        before = text[max(0, hit[1] - PROSE_WINDOW) : hit[1]]
                        if pattern.search(before) and not birth.search(before[-25:]):
                            self._add(field, cell, hit, 0, PROSE, "zin")
        self._read_wrapped_prose()
        self._read_row_marks()

    def _read_row_marks(self) -> None:
        """A table's row marked as the field's ("4 | 16 feb. 2025 | Afsluiting (laatste
        lesdag)") holding one date: that date, the mark after it on the row and not relative
        to it ("binnen twee weken na de laatste lesdag")."""
        for field, mark in lexicon().marks.items():
            if field not in self.fields:
                continue
            for row in self.grid.rows:
                found = [(i, c, hit) for i, c in enumerate(row) for hit in dates(c.text)]
                if len(found) != 1:
                    continue
                at, cell, hit = found[0]
                after = [cell.text[hit[2] :], *(c.text for c in row[at + 1 :])]
                marked = [
                    m
                    for t in after
                    for m in mark.finditer(t)
                    if not RELATIVE.search(t[: m.start()])
                ]
                if marked:
                    self._add(field, cell, hit, 0, PROSE, "rij")

    def _read_wrapped_prose(self) -> None:
        """A sentence wrapped between its cue and its value: "… eindigt naar verwachting op" /
        "17.06.2024. Verlenging …" — the value opening the next row of the same page."""
        prose = lexicon().prose
        rows = self.grid.rows
        for row, nxt in pairwise(rows):
            if not row or not nxt or nxt[0].page != row[-1].page:
                continue
            tail, head = row[-1], nxt[0]
            for field in self.fields:
                pattern = prose.get(field)
                kind = self.kinds[field]
                if pattern is None or kind in ("text", "organisation"):
                    continue
                hits = FINDERS[kind](head.text)
                if hits and hits[0][1] <= WRAP_START and pattern.search(tail.text[-PROSE_WINDOW:]):
                    self._add(field, head, hits[0], 0, PROSE, "zin")

    def read_letterhead(self) -> None:
        """Fields printed as a letterhead (the trainer's): a name alone on one of the first
        rows of page 1 — an organisation's, not a title, a label or an address."""
        heads = [f for f in self.fields if lexicon().letterhead.get(f)]
        first = [
            r
            for r in self.grid.rows[:LETTERHEAD_ROWS]
            if r and r[0].page == 1 and r[0].bbox.y1 <= LETTERHEAD_BAND
        ]
        for field in heads:
            for row in first:
                cell = row[0]
                if ADDRESSEE.match(cell.text):
                    break  # the address block follows: the addressee's, not the sender's
                for hit in names(cell.text)[:1]:
                    value = hit[0]
                    short = 2 <= len(value.split()) <= 6 and not any(c.isdigit() for c in value)
                    titled = SUBJECT.match(value) or any(
                        p.search(value) for p in title_patterns().values()
                    )
                    addressed = ADDRESSEE.match(value) or PART_HEADING.match(value)
                    if short and not titled and not addressed and not opens_with_label(value):
                        self._add(field, cell, hit, 0, LETTERHEAD, BY_LETTERHEAD)

    def read_parties(self) -> None:
        """A contract's parties introduced in a clause: "2. Stichting De Linde, gevestigd te
        Zwolle, …, hierna te noemen: het leerbedrijf" — the clause's opening name is the party
        its "hierna" names (the clause may run over a few rows)."""
        rows = self.grid.rows
        for index, row in enumerate(rows):
            below = rows[index + 1] if index + 1 < len(rows) else []
            for cell in row:
                text = cell.text  # "hierna te" may end the row, "noemen: de school" open the next
                if cell is row[-1] and below and below[0].page == cell.page:
                    text = f"{text} {below[0].text}"
                for match in HEREAFTER.finditer(text):
                    if match.start() >= len(cell.text):
                        break
                    label = label_at(match.group("role").capitalize(), self.prefer)
                    if label is None or label.field not in self.fields:
                        continue
                    if self.kinds[label.field] not in ("text", "organisation"):
                        continue
                    opening = self._clause_opening(index, cell, match.start())
                    if opening is not None:
                        start_cell, at = opening
                        piece = start_cell.text[at:]
                        stop = CLAUSE_NAME_END.search(piece)
                        piece = piece[: stop.start()] if stop else piece
                        for hit in names(piece)[:1]:
                            self._add(label.field, start_cell, hit, at, PROSE, "partij")

    def _clause_opening(self, index: int, cell: Cell, end: int) -> tuple[Cell, int] | None:
        """Where the clause holding `cell.text[:end]` opens: after its numbering ("2.", "b)")
        on this row or one of the few above, or at a row's start after one ending in ";"."""
        rows = self.grid.rows
        for back in range(CLAUSE_ROWS):
            at = index - back
            if at < 0 or not rows[at] or rows[at][0].page != cell.page:
                return None
            first = rows[at][0]
            numbered = CLAUSE_NUMBER.match(first.text)
            if numbered:
                return first, numbered.end()
            if CLAUSE_NUMBER_ALONE.match(first.text) and len(rows[at]) > 1:
                return rows[at][1], 0  # "1." in a hanging indent's cell of its own
            previous = rows[at - 1][0].text if at > 0 and rows[at - 1] else ""
            if at > 0 and CLAUSE_END.search(previous):
                return first, 0
        return None

    def read_place_date(self) -> None:
        if "diploma_datum" not in self.fields:
            return
        for row in self.grid.rows:
            for cell in row:
                lead = PLACE_DATE.match(cell.text)
                found = dates(cell.text[lead.end() :]) if lead else []
                if (
                    lead
                    and found
                    and found[0][1] == 0
                    and found[0][2] >= len(cell.text) - lead.end() - 1
                ):
                    self._add("diploma_datum", cell, found[0], lead.end(), PROSE, "plaats en datum")

    def _prose_text(self, field: str, cell: Cell, pattern: re.Pattern[str]) -> None:
        text = cell.text
        if pattern.search(text):  # the phrase ends the row: the value opens the next row
            below = self.grid.rows[cell.row + 1] if cell.row + 1 < len(self.grid.rows) else []
            if below and below[0].page == cell.page:
                first = below[0]
                stop = TEXT_PROSE_END.search(first.text, 1)
                piece = first.text[: stop.start()] if stop else first.text
                for hit in names(piece)[:1]:
                    self._add(field, first, hit, 0, PROSE * 0.9, "zin")
            return
        for pos in range(len(text)):
            if pos and text[pos - 1] != " ":
                continue
            if not pattern.search(text[:pos]):  # the phrase ends right before `pos`
                continue
            rest = text[pos:]
            stop = TEXT_PROSE_END.search(rest, 1)
            piece = rest[: stop.start()] if stop else rest
            for hit in names(piece)[:1]:
                if hit[0][:1].isupper() and len(hit[0].split()) <= 8:
                    self._add(field, cell, hit, pos, PROSE * 0.9, "zin")
            return


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


# A part's heading names no organisation ("Gegevens scholing", "Overzicht deelnemers").
PART_HEADING = re.compile(
    r"(?:gegevens|overzicht|informatie|details|samenvatting|specificatie)\b", re.IGNORECASE
)


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
