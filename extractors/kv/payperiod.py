"""A payslip's month from parts printed apart, for when no one place writes it: the period's
first and last day in cells of their own ("Van 10-10-'22 | T/m 6-11-'22": the month holding
most of its days), a year, a period number and a monthly pay period in a grid of key
figures ("Jaar 2024 | Periode 12 | Tijdvak maand"), or the one pay period the payslip prints,
unlabelled under its title ("Loonstrook week 38 - 2023" over "18 t/m 24 september 2023").
A period number is a month only where the payslip says it is paid per month: per four weeks
"Periode 10" is the tenth period (GLOSSARY)."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from core.geometry import union_all
from core.layout import DocumentText
from core.model import FieldValue
from extractors.kv.cells import Cell, Grid
from extractors.kv.values import MAX_PERIOD_DAYS, PERIOD_MARK, period_value, periods
from extractors.parsers.dates import find_dates

EXTRACTOR = "extractors.kv"
NEAR_ROWS = 4  # the parts of one period stand within this many rows of each other
CONFIDENCE = 0.8


def _label(phrases: str) -> re.Pattern[str]:
    return re.compile(rf"^\s*(?:{phrases})(?![\w/])\s*:?\s*(?P<rest>.*)$", re.IGNORECASE)


FROM = _label(r"van|vanaf|periode van|begin(?:datum)? (?:periode|tijdvak)")
TO = _label(r"t/m|t\.m\.|tot en met|tot|eind(?:datum)? (?:periode|tijdvak)")
YEAR = _label(r"(?:loon|boek|salaris)?jaar")
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
    """Whether the document says its pay period is four weeks or a week."""
    return any(NOT_MONTHLY.search(line.text) for line in text)


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
