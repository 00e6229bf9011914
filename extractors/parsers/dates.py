"""Find Dutch dates and months in OCR or text-layer text, with character spans.

Pure text functions: no I/O. Spans are offsets into the text given, so a caller can map a
match back to word boxes. Accepted shapes are listed in `SUPPORTED_FORMS` (dates) and
`SUPPORTED_MONTH_FORMS` (months); matching is case-insensitive for month and weekday names.

Safety rules (they matter more than recall):
- a match never starts or ends inside a longer digit or letter run, and never sits inside a
  chain of digit groups joined by `-` or `.` (`06-12-34-56-78`, `1234567-12-2024`); a `/`
  before a date is allowed (`80101911/26.06.2025` gives 2025-06-26 only);
- invalid calendar dates (31-02-2024) are not matched; numeric years are 1900-2099;
- two-digit years: 00-49 -> 20xx, 50-99 -> 19xx; with `.` as separator a two-digit year needs a
  zero-padded day and month (`01.09.24`), so section numbers like `7.2.24` are not dates;
- light OCR tolerance: spaces around separators (`01 - 09 - 2024`), a year glued to the month
  name (`1 september2024`) and a capital `O` for `0` in numeric dates (`O1-09-2024`).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass

from core.dutch import MONTHS as MONTHS_NL
from extractors.parsers.numwords import CENTURIES, WORDS, in_words, number, year_in_words

# Short forms as written in format_date's "mon"/"mon." forms ("mei" has no abbreviation).
ABBR_NL = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
WEEKDAYS_NL = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")

# Every spelling that is read as a month: Dutch names and abbreviations plus the English
# ones that templates and OCR produce.
_MONTH_WORDS: dict[str, int] = {}
for _i, _name in enumerate(MONTHS_NL, start=1):
    _MONTH_WORDS[_name] = _i
    _MONTH_WORDS[_name[:3]] = _i
_MONTH_WORDS.update({"mrt": 3, "sept": 9, "okt": 10, "oct": 10, "mar": 3, "may": 5})
_MONTH_WORDS.update(
    {"january": 1, "february": 2, "march": 3, "june": 6, "july": 7, "august": 8, "october": 10}
)
_FULL_NAMES = frozenset(MONTHS_NL) | {"january", "february", "march", "june", "july", "august"}
_FULL_NAMES |= {"october", "may"}
_MONTH_ALT = "|".join(sorted(_MONTH_WORDS, key=len, reverse=True))
# A day and month without a year, as the first day of a range ("1 mei t/m 31 mei 2024").
DAY_MONTH = re.compile(
    rf"(?<![0-9A-Za-z])(?P<d>[0-3]?[0-9])[ \t]+(?P<mon>{_MONTH_ALT})\.?(?![A-Za-z])", re.IGNORECASE
)


MONTH_NAMES = _MONTH_ALT  # every month word, as a regex alternation
MONTH_WORD = re.compile(rf"^\s*(?P<mon>{_MONTH_ALT})\.?\s*$", re.IGNORECASE)  # a month alone


def month_number(word: str) -> int:
    """The month a month word names ("mei", "sept", "oktober")."""
    return _MONTH_WORDS[word.lower()]


_WEEKDAY_ALT = "|".join(WEEKDAYS_NL)

# Boundaries: not inside a word or digit run, not inside a `-`/`.`-joined digit chain.
_LEFT = r"(?<![0-9A-Za-z])(?<![0-9][-.])"
_RIGHT = r"(?![0-9])(?![-.][0-9])"
_APOS = "['’‘`]"
_D = "[0-9O]"  # a digit position that tolerates OCR's capital O

_TEXT_DATE = re.compile(
    rf"{_LEFT}(?:(?P<wd>{_WEEKDAY_ALT}),?[ \t]+)?"
    rf"(?P<d>[0-3]?[0-9])[ \t]*(?:-[ \t]*)?"
    rf"(?P<mon>{_MONTH_ALT})(?P<dot>\.)?(?![A-Za-z])[ \t]*(?:-[ \t]*)?"
    rf"(?P<y>(?:19|20)[0-9]{{2}}|{_APOS}[0-9]{{2}}){_RIGHT}",
    re.IGNORECASE,
)
_NUM_DATE = re.compile(
    rf"{_LEFT}(?P<d>[0-3O]?{_D})[ ]?(?P<sep>[-/.])[ ]?(?P<m>[01O]?{_D})[ ]?(?P=sep)[ ]?"
    rf"(?P<y>(?:19|2[0O]){_D}{{2}}|{_APOS}?[0-9]{{2}}){_RIGHT}"
)
_ISO_DATE = re.compile(
    rf"{_LEFT}(?P<y>(?:19|2[0O]){_D}{{2}})-(?P<m>[01O]?{_D})-(?P<d>[0-3O]?{_D}){_RIGHT}"
)

_MONTH_RIGHT = r"(?![0-9])(?![-./][0-9])"
_MONTH_LEFT = r"(?<![0-9A-Za-z])(?<![0-9][-./])"
_TEXT_MONTH = re.compile(
    rf"(?<![0-9A-Za-z])(?<![0-9][ \t])(?<![0-9][ \t]{{2}})"
    rf"(?P<mon>{_MONTH_ALT})\.?(?![A-Za-z])[ \t]*(?:-[ \t]*)?"
    rf"(?P<y>(?:19|20)[0-9]{{2}}|{_APOS}[0-9]{{2}}|(?<=-)[0-9]{{2}}){_MONTH_RIGHT}",
    re.IGNORECASE,
)  # "mei 2024", "mei '24", "mei-24"
_NUM_MONTH = re.compile(
    rf"{_MONTH_LEFT}(?:(?P<m>0?[1-9]|1[0-2])[ ]?(?P<sep>[-/])[ ]?|(?P<m2>0[1-9]|1[0-2])\.)"
    rf"(?P<y>(?:19|20)[0-9]{{2}}){_MONTH_RIGHT}"
)
_ISO_MONTH = re.compile(
    rf"{_MONTH_LEFT}(?P<y>(?:19|20)[0-9]{{2}})[ ]?[-/][ ]?(?P<m>0[1-9]|1[0-2]){_MONTH_RIGHT}"
)
# Payslip periods: only after a `periode`/`tijdvak` label ("Periode: 9 2024", "periode 202409").
_PERIOD_MONTH = re.compile(
    r"(?<![A-Za-z])(?:periode|tijdvak)[ \t]*:?[ \t]*"
    r"(?P<val>(?P<m>0?[1-9]|1[0-2])[ \t]+(?P<y>(?:19|20)[0-9]{2})"
    r"|(?P<y2>20[0-9]{2})(?P<m2>0[1-9]|1[0-2]))(?![0-9])",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateMatch:
    """A full date found in text; `form` describes how it was written."""

    value: datetime.date
    start: int
    end: int
    text: str
    form: str


@dataclass(frozen=True)
class MonthMatch:
    """A month (year and month, no day) found in text."""

    year: int
    month: int
    start: int
    end: int
    text: str

    @property
    def iso(self) -> str:
        """The month as `YYYY-MM`."""
        return f"{self.year:04d}-{self.month:02d}"


def _num(digits: str) -> int:
    """Read a digit group, mapping OCR's capital O to 0."""
    return int(digits.replace("O", "0"))


def _year(raw: str) -> int:
    """Four-digit years as written; two-digit years pivot at 50 (00-49 -> 20xx)."""
    digits = raw.lstrip("'’‘`").replace("O", "0")
    year = int(digits)
    if len(digits) == 2:
        year += 2000 if year < 50 else 1900
    return year


def _year_form(raw: str) -> str:
    return "yyyy" if len(raw) == 4 else ("'yy" if len(raw) == 3 else "yy")


def _safe_date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _from_text(m: re.Match[str]) -> tuple[datetime.date | None, str]:
    mon = m["mon"].lower()
    word = "month" if mon in _FULL_NAMES else ("mon." if m["dot"] else "mon")
    form = f"{'d' if len(m['d']) == 1 else 'dd'} {word} {_year_form(m['y'])}"
    if m["wd"]:
        form = "weekday " + form
    return _safe_date(_year(m["y"]), _MONTH_WORDS[mon], int(m["d"])), form


def _from_num(m: re.Match[str]) -> tuple[datetime.date | None, str]:
    d, mo, y, sep = m["d"], m["m"], m["y"], m["sep"]
    if sep == "." and len(y) == 2 and (len(d) < 2 or len(mo) < 2):
        return None, ""  # "7.2.24" is more likely a section number than a date
    form = sep.join(["d" if len(d) == 1 else "dd", "m" if len(mo) == 1 else "mm", _year_form(y)])
    return _safe_date(_year(y), _num(mo), _num(d)), form


def _from_iso(m: re.Match[str]) -> tuple[datetime.date | None, str]:
    return _safe_date(_num(m["y"]), _num(m["m"]), _num(m["d"])), "yyyy-mm-dd"


_DAY_WORDS = "|".join(sorted((w for w, n in WORDS.items() if n <= 31), key=len, reverse=True))
_YEAR_WORDS = "|".join(
    rf"{c}(?:[ ]?(?:{'|'.join(sorted(WORDS, key=len, reverse=True))}))?" for c in CENTURIES
)
# Dates in words, as diplomas write them: "achttien oktober tweeduizendvijfentwintig"
_WORD_DATE = re.compile(
    rf"(?<![A-Za-zÀ-ÿ])(?P<d>{_DAY_WORDS})[ \t]+(?P<mon>{_MONTH_ALT})[ \t]+"
    rf"(?P<y>{_YEAR_WORDS}|(?:19|20)[0-9]{{2}})(?![A-Za-zÀ-ÿ0-9])",
    re.IGNORECASE,
)


def _from_words(m: re.Match[str]) -> tuple[datetime.date | None, str]:
    day = number(m["d"])
    year = int(m["y"]) if m["y"].isdigit() else number(m["y"])
    if day is None or year is None:
        return None, ""
    return _safe_date(year, _MONTH_WORDS[m["mon"].lower()], day), "words"


_DATE_PATTERNS: tuple[tuple[re.Pattern[str], Callable[..., tuple[datetime.date | None, str]]], ...]
_DATE_PATTERNS = (
    (_TEXT_DATE, _from_text),
    (_NUM_DATE, _from_num),
    (_ISO_DATE, _from_iso),
    (_WORD_DATE, _from_words),
)


def find_dates(text: str) -> list[DateMatch]:
    """All full dates in `text`, in order, without overlaps (the longest wins a tie)."""
    found: list[DateMatch] = []
    for pattern, read in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            value, form = read(m)
            if value is not None:
                found.append(DateMatch(value, m.start(), m.end(), m.group(0), form))
    found.sort(key=lambda d: (d.start, -(d.end - d.start)))
    result: list[DateMatch] = []
    for match in found:
        if not result or match.start >= result[-1].end:
            result.append(match)
    return result


def parse_date(text: str) -> datetime.date | None:
    """The date when the whole string (trimmed, trailing `.,;` allowed) is one date, else None."""
    stripped = text.strip()
    matches = find_dates(stripped)
    if len(matches) != 1 or matches[0].start != 0:
        return None
    return None if stripped[matches[0].end :].strip(" .,;") else matches[0].value


def find_months(text: str) -> list[MonthMatch]:
    """Months written without a day ("september 2024", "09-2024", "2024-09", "Periode 9 2024").

    Parts of full dates (as found by `find_dates`) are never returned.
    """
    taken = [(d.start, d.end) for d in find_dates(text)]
    found: list[MonthMatch] = []
    for m in _TEXT_MONTH.finditer(text):
        month = _MONTH_WORDS[m["mon"].lower()]
        found.append(MonthMatch(_year(m["y"]), month, m.start(), m.end(), m.group(0)))
    for m in _NUM_MONTH.finditer(text):
        month = int(m["m"] or m["m2"])
        found.append(MonthMatch(int(m["y"]), month, m.start(), m.end(), m.group(0)))
    for m in _ISO_MONTH.finditer(text):
        found.append(MonthMatch(int(m["y"]), int(m["m"]), m.start(), m.end(), m.group(0)))
    for m in _PERIOD_MONTH.finditer(text):
        year, month = int(m["y"] or m["y2"]), int(m["m"] or m["m2"])
        found.append(MonthMatch(year, month, m.start("val"), m.end("val"), m["val"]))
    found.sort(key=lambda mm: (mm.start, -(mm.end - mm.start)))
    result: list[MonthMatch] = []
    for match in found:
        if any(match.start < end and start < match.end for start, end in taken):
            continue
        if not result or match.start >= result[-1].end:
            result.append(match)
    return result


def _abbr(month: int, dot: bool, title: bool) -> str:
    word = "sept" if month == 9 and (dot or title) else ABBR_NL[month - 1]
    if dot and word != "mei":
        word += "."
    return word.capitalize() if title else word


_FORMATTERS: dict[str, Callable[[datetime.date], str]] = {
    "d month yyyy": lambda v: f"{v.day} {MONTHS_NL[v.month - 1]} {v.year}",
    "dd month yyyy": lambda v: f"{v.day:02d} {MONTHS_NL[v.month - 1]} {v.year}",
    "d Month yyyy": lambda v: f"{v.day} {MONTHS_NL[v.month - 1].capitalize()} {v.year}",
    "d MONTH yyyy": lambda v: f"{v.day} {MONTHS_NL[v.month - 1].upper()} {v.year}",
    "d mon. yyyy": lambda v: f"{v.day} {_abbr(v.month, True, False)} {v.year}",
    "d mon yyyy": lambda v: f"{v.day} {_abbr(v.month, False, False)} {v.year}",
    "d Mon yyyy": lambda v: f"{v.day} {_abbr(v.month, False, True)} {v.year}",
    "d month 'yy": lambda v: f"{v.day} {MONTHS_NL[v.month - 1]} '{v.year % 100:02d}",
    "weekday d month yyyy": lambda v: (
        f"{WEEKDAYS_NL[v.weekday()]} {v.day} {MONTHS_NL[v.month - 1]} {v.year}"
    ),
    "d-m-yyyy": lambda v: f"{v.day}-{v.month}-{v.year}",
    "dd-mm-yyyy": lambda v: f"{v.day:02d}-{v.month:02d}-{v.year}",
    "d/m/yyyy": lambda v: f"{v.day}/{v.month}/{v.year}",
    "dd/mm/yyyy": lambda v: f"{v.day:02d}/{v.month:02d}/{v.year}",
    "dd.mm.yyyy": lambda v: f"{v.day:02d}.{v.month:02d}.{v.year}",
    "d-m-'yy": lambda v: f"{v.day}-{v.month}-'{v.year % 100:02d}",
    "d-m-yy": lambda v: f"{v.day}-{v.month}-{v.year % 100:02d}",
    "dd-mm-yy": lambda v: f"{v.day:02d}-{v.month:02d}-{v.year % 100:02d}",
    "dd.mm.yy": lambda v: f"{v.day:02d}.{v.month:02d}.{v.year % 100:02d}",
    "yyyy-mm-dd": lambda v: v.isoformat(),
    "words": lambda v: f"{in_words(v.day)} {MONTHS_NL[v.month - 1]} {year_in_words(v.year)}",
}
SUPPORTED_FORMS: tuple[str, ...] = tuple(_FORMATTERS)


def format_date(value: datetime.date, form: str) -> str:
    """Write `value` in one of `SUPPORTED_FORMS` (two-digit years only read back for 1950-2049)."""
    try:
        return _FORMATTERS[form](value)
    except KeyError:
        raise ValueError(f"unknown date form {form!r}; expected one of {SUPPORTED_FORMS}") from None


_MONTH_FORMATTERS: dict[str, Callable[[int, int], str]] = {
    "month yyyy": lambda y, m: f"{MONTHS_NL[m - 1]} {y}",
    "Month yyyy": lambda y, m: f"{MONTHS_NL[m - 1].capitalize()} {y}",
    "mon. yyyy": lambda y, m: f"{_abbr(m, True, False)} {y}",
    "mon yyyy": lambda y, m: f"{_abbr(m, False, False)} {y}",
    "month 'yy": lambda y, m: f"{MONTHS_NL[m - 1]} '{y % 100:02d}",
    "mm-yyyy": lambda y, m: f"{m:02d}-{y}",
    "m-yyyy": lambda y, m: f"{m}-{y}",
    "mm/yyyy": lambda y, m: f"{m:02d}/{y}",
    "mm.yyyy": lambda y, m: f"{m:02d}.{y}",
    "yyyy-mm": lambda y, m: f"{y}-{m:02d}",
    "yyyy - mm": lambda y, m: f"{y} - {m:02d}",
    "mon-yy": lambda y, m: f"{_abbr(m, False, False)}-{y % 100:02d}",
    "periode m yyyy": lambda y, m: f"Periode {m} {y}",
}
SUPPORTED_MONTH_FORMS: tuple[str, ...] = tuple(_MONTH_FORMATTERS)


def format_month(year: int, month: int, form: str) -> str:
    """Write a month in one of `SUPPORTED_MONTH_FORMS` (for tests and fixture generators)."""
    try:
        return _MONTH_FORMATTERS[form](year, month)
    except KeyError:
        raise ValueError(f"unknown month form {form!r}; expected {SUPPORTED_MONTH_FORMS}") from None
