"""The sentence and letter readers of `extractors.kv.read.Reader`: a value after the words that
name it in a sentence ("begint op …", "in dienst sinds …"), also wrapped onto the next row; a
table's row marked as the field's ("(laatste lesdag)"); a contract's parties introduced in a
clause ("…, hierna te noemen: het leerbedrijf"); a place and date; a letterhead's name."""

from __future__ import annotations

import re
from itertools import pairwise

from extractors.classify.titles import SUBJECT
from extractors.classify.titles import patterns as title_patterns
from extractors.kv.cells import Cell, Grid
from extractors.kv.labels import BIRTH, label_at, lexicon, opens_with_label
from extractors.kv.values import FINDERS, ITEM_BREAK, Hit, dates, names

PROSE, LETTERHEAD = 0.8, 0.72  # candidate scores (extractors.kv.columns lists the others)
BY_LETTERHEAD = "briefhoofd"  # Candidate.how of a name read from a letterhead
LETTERHEAD_ROWS = 3
LETTERHEAD_BAND = 0.14  # a letterhead stands in the top seventh of the page
PROSE_WINDOW = 40
BIRTH_REACH = 25  # characters before a date where "geboren op" makes it a birth date
RELATIVE = re.compile(r"\b(?:na|voor|binnen|vóór)\s+(?:de\s+|het\s+)?$", re.IGNORECASE)
WRAP_START = 2  # a wrapped sentence's value opens the next row
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

# A part's heading names no organisation ("Gegevens scholing", "Overzicht deelnemers").
PART_HEADING = re.compile(
    r"(?:gegevens|overzicht|informatie|details|samenvatting|specificatie)\b", re.IGNORECASE
)


class SentenceReader:
    """What the sentence readers need of the reader: its grid, its fields and their kinds, and
    a way to add a candidate."""

    grid: Grid
    fields: tuple[str, ...]
    kinds: dict[str, str]
    prefer: tuple[str, ...]

    def _add(self, field: str, cell: Cell, hit: Hit, offset: int, score: float, how: str) -> None:
        raise NotImplementedError

    def read_prose(self) -> None:
        lex = lexicon()
        prose, refusals, cues_after = lex.prose, lex.prose_not, lex.prose_after
        birth = lex.labels[BIRTH]
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
                    refuse = refusals.get(field)
                    if refuse is not None and refuse.search(text):
                        continue
                    after = cues_after.get(field)
                    for hit in FINDERS[kind](text):
                        before = text[max(0, hit[1] - PROSE_WINDOW) : hit[1]]
                        cued = pattern.search(before) and not birth.search(before[-BIRTH_REACH:])
                        if cued or (after is not None and after.match(text, hit[2])):
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
        lex = lexicon()
        prose, refusals, birth = lex.prose, lex.prose_not, lex.labels[BIRTH]
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
                before = tail.text[-PROSE_WINDOW:]
                refuse = refusals.get(field)
                refused = refuse is not None and refuse.search(before)
                if refused or birth.search(before[-BIRTH_REACH:]):
                    continue  # "… geboren op" / "06-08-1996, …": a birth date
                hits = FINDERS[kind](head.text)
                if hits and hits[0][1] <= WRAP_START and pattern.search(before):
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
        rows = self.grid.rows
        for field in heads:
            for row in first:
                cell = row[0]
                if ADDRESSEE.match(cell.text):
                    break  # the address block follows: the addressee's, not the sender's
                after = rows[cell.row + 1] if cell.row + 1 < len(rows) else []
                if after and ADDRESSEE.match(after[0].text):
                    break  # the addressee's name over its "t.a.v."
                for hit in names(cell.text)[:1]:
                    value = hit[0]
                    # one word ("Albeda", "Alfa-college") where the sender signs with it again
                    words = len(value.split())
                    named = words >= 2 or (words == 1 and self._repeated(value))
                    short = named and words <= 6 and not any(c.isdigit() for c in value)
                    titled = SUBJECT.match(value) or any(
                        p.search(value) for p in title_patterns().values()
                    )
                    addressed = ADDRESSEE.match(value) or PART_HEADING.match(value)
                    if short and not titled and not addressed and not opens_with_label(value):
                        self._add(field, cell, hit, 0, LETTERHEAD, BY_LETTERHEAD)

    def _repeated(self, value: str, times: int = 3) -> bool:
        """`value` stands as a whole word in at least `times` cells (letterhead, closing,
        footer)."""
        word = re.compile(rf"(?<![\w-]){re.escape(value)}(?![\w-])")
        return sum(bool(word.search(c.text)) for r in self.grid.rows for c in r) >= times

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
                item = ITEM_BREAK.search(cell.text)  # "Holtheme, 05-08-2024 | diplomanr. …"
                text = cell.text[: item.start()] if item else cell.text
                lead = PLACE_DATE.match(text)
                found = dates(text[lead.end() :]) if lead else []
                whole = bool(found) and found[0][1] == 0
                if lead and whole and found[0][2] >= len(text) - lead.end() - 1:
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
