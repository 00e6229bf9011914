"""A payslip's month from parts printed apart, for when no one place writes it: the period's
first and last day in cells of their own ("Van 10-10-'22 | T/m 6-11-'22": the month holding
most of its days), a year, a period number and a monthly pay period in a grid of key
figures ("Jaar 2024 | Periode 12 | Tijdvak maand"), a month and a year in cells of their own
("Maand mei | Jaar 2024", "Periode | mei | 2024", "Jaar 2023 Maand 8" run together by OCR),
the one month printed alone in a cell ("Januari 2025" in a header band), or the one pay period
the payslip prints, unlabelled under its title ("Loonstrook week 38 - 2023" over "18 t/m 24
september 2023"). A period number is a month only where the payslip says it is paid per
month: per four weeks "Periode 10" is the tenth period (GLOSSARY)."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from core.geometry import union_all
from core.layout import DocumentText
from core.model import FieldValue
from extractors.kv.cells import Cell, Grid
from extractors.kv.values import MAX_PERIOD_DAYS, PERIOD_MARK, period_value, periods
from extractors.parsers.dates import MONTH_NAMES, MONTH_WORD, find_dates, find_months, month_number

EXTRACTOR = "extractors.kv"
NEAR_ROWS = 4  # the parts of one period stand within this many rows of each other
CONFIDENCE = 0.8


def _label(phrases: str) -> re.Pattern[str]:
    return re.compile(rf"^\s*(?:{phrases})(?![\w/])\s*:?\s*(?P<rest>.*)$", re.IGNORECASE)


FROM = _label(r"van|vanaf|periode van|begin(?:datum)? (?:periode|tijdvak)")
TO = _label(r"t/m|t\.m\.|tot en met|tot|eind(?:datum)? (?:periode|tijdvak)")
YEAR = _label(r"(?:loon|boek|salaris)?jaar")
MONTH = _label(r"(?:loon|salaris|verlonings)?maand")
NUMBER = _label(r"(?:loon|verlonings|salaris)?periode(?: ?(?:nr\.?|nummer))?|periodenr\.?")
YEAR_NUMBER = _label(r"jaar ?/ ?periode")
KIND = _label(r"(?:tabel|loon)?tijdvak|soort ?loner|tabel|verloningsfrequentie")
MONTHLY = re.compile(r"\bmaand(?:loner|loon|elijks)?\b", re.IGNORECASE)
YEAR_VALUE = re.compile(r"^\s*(20\d{2})\s*$")
NUMBER_VALUE = re.compile(r"^\s*(0?[1-9]|1[0-2])\s*$")
YEAR_NUMBER_VALUE = re.compile(r"^\s*(20\d{2})\s*[/-]\s*(0?[1-9]|1[0-2])\s*$")
# A payslip paid per four weeks or per week (GLOSSARY: "Periode 10" is then not October) ...
NOT_MONTHLY = re.compile(
    r"\b(?:4|vier)[ -]?(?:weken|wekelijks|wkn)\b|\bweek(?:loon|loner|lonen)\b"
    r"|\b(?:tabel)?tijdvak\s*:?\s*week\b",
    re.IGNORECASE,
)
DEADLINE = re.compile(r"\b(?:binnen|na|over|uiterlijk|within)\s+$", re.IGNORECASE)
# ... whose period is a bare number with a year ("Periode 11 - 2024", "2024/11"): no month.
PERIOD_NUMBER = re.compile(
    r"^\W*(?:(?:periode|tijdvak)\W*)?"
    r"(?:\d{1,2}\s*[-/. ]\s*20\d{2}|20\d{2}\s*[-/. ]?\s*\d{1,2})\W*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Part:
    text: str
    cell: Cell  # where the value stands


def _parts(grid: Grid, label: re.Pattern[str]) -> list[Part]:
    """The values of `label`: the rest of the label's cell, else the cell beside it, else the
    cell under it."""
    out = []
    for row in grid.rows:
        for cell in row:
            m = label.match(cell.text)
            if m is None:
                continue
            if m["rest"].strip():
                out.append(Part(m["rest"], cell))
                continue
            beside = grid.right_of(cell)
            under = grid.below(cell)
            for other in [c for c in (beside, *under) if c is not None]:
                out.append(Part(other.text, other))
    return out


def _near(a: Cell, b: Cell) -> bool:
    return a.page == b.page and abs(a.row - b.row) <= NEAR_ROWS


def _evidence(cells: list[Cell], value: str) -> FieldValue:
    first = cells[0]
    words = [w for c in cells for w in c.line.words_in(c.start, c.end)]
    conf = min((w.confidence for w in words), default=1.0)
    return first.line.evidence(first.start, first.end, value, EXTRACTOR, CONFIDENCE).model_copy(
        update={
            "bbox": union_all([c.bbox for c in cells]),
            "confidence": round(CONFIDENCE * conf, 4),
            "source_text": " | ".join(c.text for c in cells),
        }
    )


def _date(text: str) -> datetime.date | None:
    found = find_dates(text)
    return found[0].value if len(found) == 1 else None


def from_range(grid: Grid) -> FieldValue | None:
    """The month of a period whose first and last day stand in cells of their own
    (`period_value`: with the period when it is not a calendar month)."""
    ends = [(end, _date(end.text)) for end in _parts(grid, TO)]
    for start in _parts(grid, FROM):
        van = _date(start.text)
        if van is None:
            continue
        for end, tot in ends:
            if tot is None or not _near(start.cell, end.cell):
                continue
            if 0 < (tot - van).days <= MAX_PERIOD_DAYS:
                return _evidence([start.cell, end.cell], period_value(van, tot))
    return None


def not_monthly(text: DocumentText) -> bool:
    """Whether the document says its pay period is four weeks or a week (not a deadline:
    "Neem binnen vier weken contact op")."""
    return any(
        not DEADLINE.search(line.text, 0, m.start())
        for line in text
        for m in NOT_MONTHLY.finditer(line.text)
    )


def _monthly(grid: Grid) -> bool:
    return any(MONTHLY.search(p.text) for p in _parts(grid, KIND))


def from_number(grid: Grid) -> FieldValue | None:
    """The month of a year and a period number printed apart (or as "Jaar/periode 2024 / 09")
    on a payslip paid per month."""
    if not _monthly(grid):
        return None
    for part in _parts(grid, YEAR_NUMBER):
        m = YEAR_NUMBER_VALUE.match(part.text)
        if m:
            return _evidence([part.cell], f"{int(m[1]):04d}-{int(m[2]):02d}")
    numbers = _parts(grid, NUMBER)
    for year in _parts(grid, YEAR):
        y = YEAR_VALUE.match(year.text)
        if y is None:
            continue
        for number in numbers:
            n = NUMBER_VALUE.match(number.text)
            if n and _near(year.cell, number.cell):
                return _evidence([year.cell, number.cell], f"{int(y[1]):04d}-{int(n[1]):02d}")
    return None


LONE_CONFIDENCE = 0.7


def from_lone_period(text: DocumentText) -> FieldValue | None:
    """The month of the only pay period printed anywhere (ranges of at most 45 days): on a
    payslip no other range is that short. Two periods of different months: none."""
    hits = [(line, hit) for line in text for hit in periods(line.text)]
    if len({hit[0].partition(PERIOD_MARK)[0] for _, hit in hits}) != 1:
        return None
    line, (value, start, end) = hits[0]
    return line.evidence(start, end, value, EXTRACTOR, LONE_CONFIDENCE)


def _year_of(grid: Grid, cell: Cell) -> tuple[Cell, int] | None:
    """The year beside a month's cell, else the value of a year label near it."""
    beside = grid.right_of(cell)
    year = YEAR_VALUE.match(beside.text) if beside is not None else None
    if beside is not None and year is not None:
        return beside, int(year[1])
    for part in _parts(grid, YEAR):
        year = YEAR_VALUE.match(part.text)
        if year is not None and _near(part.cell, cell):
            return part.cell, int(year[1])
    return None


def from_month_year(grid: Grid) -> FieldValue | None:
    """A month and its year printed apart: a month's name under a month or period label, or a
    month's number under a month label ("Maand 5 | Jaar 2024"), with a year beside it or under
    a year label near it."""
    parts = [(p, True) for p in _parts(grid, MONTH)] + [(p, False) for p in _parts(grid, NUMBER)]
    for part, month_label in parts:
        word = MONTH_WORD.match(part.text)
        number = NUMBER_VALUE.match(part.text) if month_label else None
        written = word["mon"] if word else number[1] if number else None
        found = _year_of(grid, part.cell) if written else None
        if written and found is not None:
            year_cell, year = found
            return _evidence([part.cell, year_cell], f"{year:04d}-{_month_of(written):02d}")
    return None


_M = rf"(?P<m>0?[1-9]|1[0-2]|{MONTH_NAMES})\.?"
_Y = r"(?P<y>20\d{2})"
# "Jaar 2023 Maand 8", "Maand: mei  Jaar: 2024" on one row (OCR runs the cells together)
ROW_MONTH = (
    re.compile(rf"\bjaar\W{{0,3}}{_Y}\W{{1,4}}maand\W{{0,3}}{_M}(?![\w-])", re.IGNORECASE),
    re.compile(rf"\bmaand\W{{0,3}}{_M}\W{{1,4}}jaar\W{{0,3}}{_Y}(?!\d)", re.IGNORECASE),
)


def _month_of(word: str) -> int:
    return int(word) if word.isdigit() else month_number(word)


def from_row(text: DocumentText) -> FieldValue | None:
    """A year and a month labelled on one row, in either order."""
    for line in text:
        for pattern in ROW_MONTH:
            m = pattern.search(line.text)
            if m:
                value = f"{int(m['y']):04d}-{_month_of(m['m']):02d}"
                return line.evidence(m.start(), m.end(), value, EXTRACTOR, CONFIDENCE)
    return None


CELL_EDGE = " |:;,."


def from_lone_month(grid: Grid) -> FieldValue | None:
    """The month written in words with its year ("Januari 2025"), alone in a cell of the first
    page: the pay period a header band prints. Cells naming two different months: none."""
    found: dict[str, Cell] = {}
    first = grid.rows[0][0].page if grid.rows and grid.rows[0] else None
    for row in grid.rows:
        for cell in row:
            if cell.page != first:
                continue
            text = cell.text.strip(CELL_EDGE)
            hits = find_months(text)
            alone = len(hits) == 1 and hits[0].text.strip() == text
            if alone and MONTH_WORD.match(text.split()[0]):
                found.setdefault(hits[0].iso, cell)
    if len(found) != 1:
        return None
    [(value, cell)] = found.items()
    return _evidence([cell], value).model_copy(update={"confidence": LONE_CONFIDENCE})
