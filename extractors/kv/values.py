"""Values of each kind found in a piece of text: dates in every Dutch form, 5-digit crebo
numbers, hours and volumes, organisation and other names (a run of text up to the next label
or the end of its cell). Each finder returns (value, start, end) hits in order."""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Callable
from itertools import pairwise

from extractors.kv.labels import SEPARATORS, label_at, opens_with_label
from extractors.parsers.dates import DAY_MONTH, find_dates, find_months, month_number

Hit = tuple[str, int, int]

CREBO = re.compile(r"(?<![\d\w.,-])(\d{5})(?![\d\w]|[.,]\d)")
HOURS = re.compile(
    r"(?<![\d\w])(?:\d{1,3} weken \(\d[\d.]* (?:klok)?(?:uur|uren)\)"
    r"|\d[\d.]*(?:,\d+)? ?(?:klokuren|uur|uren|studiebelastingsuren|sbu)\b"
    r"(?: per week| p/w| in totaal)?)",
    re.IGNORECASE,
)
WORD = re.compile(r"[A-Za-zÀ-ÿ]")
# A printed separator between items of one line ("Holtheme, 05-08-2024 | diplomanr. 2024EX22"):
# what follows it is another item.
ITEM_BREAK = re.compile(r"\s[|·•]\s")
NOTE = re.compile(r"\s*\((?=[^)]*(?:\d|crebo|niveau|kvk))", re.IGNORECASE)
# Who acts for a school, before its name (MBO Raad's model agreement, the model diploma)
AUTHORITY = re.compile(
    r"(?:(?:het )?bevoegd gezag|(?:de )?examencommissie|(?:het )?college van bestuur)"
    r"(?: van)?(?: het| de)? (?=\S)",
    re.IGNORECASE,
)
# A sentence's verb after a name: "de opleiding Verzorgende-IG heeft afgerond" — no name
# (of a person, an organisation or an education) holds these words.
VERB = re.compile(
    r"\s+(?:heeft|hebben|is|zijn|werd|wordt|met (?:goed )?(?:gevolg|succes)|succesvol"
    r"|afgerond|behaald|gevolgd|voltooid|doorlopen|afgesloten)\b",
)


def dates(text: str) -> list[Hit]:
    return [(m.value.isoformat(), m.start, m.end) for m in find_dates(text)]


def crebos(text: str) -> list[Hit]:
    return [(m.group(1), m.start(1), m.end(1)) for m in CREBO.finditer(text)]


def hours(text: str) -> list[Hit]:
    return [(m.group(0).strip(), m.start(), m.start() + len(m.group(0).strip()))
            for m in HOURS.finditer(text)]  # fmt: skip


def names(text: str) -> list[Hit]:
    """The text of a value cell: from its first letter to the next label or the end; an
    organisation's or a person's name, or an education's. Never a label itself."""
    stripped = text.lstrip(SEPARATORS)
    start = len(text) - len(stripped)
    if not stripped or opens_with_label(stripped):
        return []  # a label (and its own value) is never another field's value
    opens = start  # the value's evidence includes who acts for it
    authority = AUTHORITY.match(text, start)
    if authority:  # "Het bevoegd gezag van ROC Tilburg": the school is ROC Tilburg
        start = authority.end()
    end = len(text.rstrip(" :;,."))
    words = text[start:end]
    for pos in range(1, len(words)):  # stop where another label opens after a gap
        if words[pos - 1] == " " and words[pos].isupper() and _opens_label(words[pos:]):
            end = start + pos - 1
            break
    note = NOTE.search(text, start, end)
    if note:  # "Helpende Zorg en Welzijn (crebo 25498)": the name ends before the note
        end = note.start()
    verb = VERB.search(text, start, end)
    if verb:
        end = verb.start()
    address = ADDRESS.search(text, start, end)
    if address:  # "Academie voor Palliatieve Zorg, Lanstraat 287, 6613 TZ …": the name ends
        end = address.start()
    value = text[start:end].strip(" :;,")
    if (not value[:1].isupper() and not value[:1].isdigit()) or ";" in value:
        return []  # a sentence running on, not a name
    if len(value) < 2 or not WORD.search(value) or re.fullmatch(r"[_.\s-]+", value):
        return []
    if NO_NAME.fullmatch(value) or SUBJECT.match(value):
        return []
    return [(value, opens, start + len(value))]


# An address after a name and a comma: a street and house number, or a postcode.
ADDRESS = re.compile(r",\s*(?:[^\W\d_][\w'.\- ]*\s\d{1,4}[a-zA-Z]?\b|\d{4}\s?[A-Z]{2}\b)")
# A sentence's subject, not a name: "De student (is ingeschreven …)"; names keep their capital
# after an article ("De Wielewaal", "Het Baken")
SUBJECT = re.compile(r"(?i:de|het|een)\s+[a-zà-ÿ]")
# Words a form or a stamp fills in that name nobody: "Gezien", "Voor akkoord", "n.v.t."
NO_NAME = re.compile(
    r"(?:voor )?(?:gezien|akkoord|paraaf|geparafeerd|getekend|ondertekend)(?: en akkoord)?"
    r"|n\.?v\.?t\.?|nvt|onbekend|geen|nader te bepalen|ntb|n\.t\.b\.|zie bijlage|idem",
    re.IGNORECASE,
)


def _opens_label(text: str) -> bool:
    label = label_at(text)
    return label is not None and (label.colon or not label.weak) and len(label.phrase) > 3


# What joins a period's first and last day: "t/m" and its OCR misreadings ("Um", "Vm", "/m",
# "t/rn"), with a cell rule or a stray short token OCR made of the gap ("9-1-'23 ei Tot en met |
# 15-1-23"); only between two dates at most MAX_PERIOD_DAYS apart.
JOIN = r"t/m|t\.?\s?m\.?|tot en met|-|–"  # what joins a range's first and last day
RANGE_JOIN = re.compile(
    rf"^\s*(?:[^\s\d]{{1,3}}\s+)?(?:{JOIN}|tot|—|to|[|/\\ltuv]{{1,2}}(?:m|rn))\s*[|:]?\s*$",
    re.IGNORECASE,
)
# Nmbrs and others print "jaar - periode - tijdvak": with tijdvak "maand" the period is a month.
YEAR_PERIOD_MONTH = re.compile(
    r"(?<![\d])(?P<y>20\d{2})\s*[-/]\s*(?P<m>0?[1-9]|1[0-2])\s*[-/]\s*maand\b", re.IGNORECASE
)
MAX_PERIOD_DAYS = 45  # a pay period: a month, four weeks or a week
# "18 t/m 24 september 2023": a period whose first day shares the last day's month and year
JOIN_BEFORE = re.compile(rf"\s*(?:{JOIN})\s*$", re.IGNORECASE)
DAY_BEFORE = re.compile(rf"(?<![\d.\-/])(\d{{1,2}}){JOIN_BEFORE.pattern}", re.IGNORECASE)
PERIOD_MARK = "@"  # "2024-09@2024-09-16/2024-10-13": the month and the period it came from


def month_of_period(van: datetime.date, tot: datetime.date) -> str:
    """The month that holds most days of the period (CONTRACT: four-weekly payslips)."""
    days: dict[tuple[int, int], int] = {}
    day = van
    while day <= tot:
        days[(day.year, day.month)] = days.get((day.year, day.month), 0) + 1
        day += datetime.timedelta(days=1)
    year, month = max(days, key=lambda k: (days[k], k))
    return f"{year:04d}-{month:02d}"


def whole_month(van: datetime.date, tot: datetime.date) -> bool:
    last = calendar.monthrange(van.year, van.month)[1]
    return van.day == 1 and (tot.year, tot.month, tot.day) == (van.year, van.month, last)


def periods(text: str) -> list[Hit]:
    """Pay periods written as a range of dates ("16-09-2024 t/m 13-10-2024", "18 t/m 24
    september 2023"), as the month with most of their days (`period_value`)."""
    all_dates = find_dates(text)
    spans: list[tuple[datetime.date, datetime.date, int, int]] = []
    for d in all_dates:
        before = text[max(0, d.start - 14) : d.start]
        day = DAY_BEFORE.search(before)
        if day is not None and 0 < int(day[1]) < d.value.day:
            spans.append((d.value.replace(day=int(day[1])), d.value,
                          d.start - len(before) + day.start(), d.end))  # fmt: skip
        first = _day_month_before(text[max(0, d.start - 24) : d.start], d.value)
        if first is not None:  # "1 mei t/m 31 mei 2024"
            spans.append((first[0], d.value, d.start - first[1], d.end))
    for a, b in pairwise(all_dates):
        days = (b.value - a.value).days
        if RANGE_JOIN.match(text[a.end : b.start]) and 0 < days <= MAX_PERIOD_DAYS:
            spans.append((a.value, b.value, a.start, b.end))
    return [(period_value(van, tot), start, end) for van, tot, start, end in spans]


def _day_month_before(before: str, last: datetime.date) -> tuple[datetime.date, int] | None:
    """The first day of a range written as a day and month before `last` ("1 mei t/m "), in
    `last`'s year or the year before, with how far before `last` it starts."""
    join = JOIN_BEFORE.search(before)
    if join is None:
        return None
    hits = list(DAY_MONTH.finditer(before, 0, join.start()))
    if not hits or hits[-1].end() != join.start():
        return None
    m = hits[-1]
    month, day = month_number(m["mon"]), int(m["d"])
    for year in (last.year, last.year - 1):
        try:
            van = datetime.date(year, month, day)
        except ValueError:
            return None
        if 0 < (last - van).days <= MAX_PERIOD_DAYS:
            return van, len(before) - m.start()
    return None


def period_value(van: datetime.date, tot: datetime.date) -> str:
    """The month of a pay period, with the period after PERIOD_MARK when it is not a calendar
    month ("2024-09@2024-09-16/2024-10-13"); `split_period` reads it back."""
    value = month_of_period(van, tot)
    if not whole_month(van, tot):
        value += f"{PERIOD_MARK}{van.isoformat()}/{tot.isoformat()}"
    return value


def split_period(value: str) -> tuple[str, dict[str, str] | None]:
    """The month and the period ({"van", "tot"}, None for a calendar month) of `period_value`."""
    month, _, period = value.partition(PERIOD_MARK)
    if not period:
        return month, None
    van, tot = period.split("/")
    return month, {"van": van, "tot": tot}


# "202405" opening a label's value (systems print the period as one number)
COMPACT_MONTH = re.compile(r"^[\s:]*(?P<y>20\d{2})(?P<m>0[1-9]|1[0-2])(?![\d\w.,/-])")


def months(text: str) -> list[Hit]:
    """Months in every form a payslip prints them: a period of dates (`periods`), "2024 - 11 -
    maand", "september 2024", "09-2024", a value opening with "202409", or a full date's
    month."""
    found = periods(text)
    taken = [(start, end) for _, start, end in found]
    compact = COMPACT_MONTH.match(text)
    if compact:
        found.append((f"{compact['y']}-{compact['m']}", compact.start("y"), compact.end()))
        taken.append((compact.start("y"), compact.end()))
    all_dates = find_dates(text)
    for m in YEAR_PERIOD_MONTH.finditer(text):
        found.append((f"{int(m['y']):04d}-{int(m['m']):02d}", m.start(), m.end()))
        taken.append((m.start(), m.end()))
    for mm in find_months(text):
        if not any(a <= mm.start < b for a, b in taken):
            found.append((f"{mm.year:04d}-{mm.month:02d}", mm.start, mm.end))
    for d in all_dates:
        if any(a <= d.start < b for a, b in taken) or OPEN_RANGE.match(text, d.end):
            continue  # "20-05-2024 - 1 2024": a period whose last day was not read
        found.append((d.value.isoformat()[:7], d.start, d.end))
    return sorted(found, key=lambda h: h[1])


OPEN_RANGE = re.compile(rf"\s*(?:{JOIN}|tot|—)(?![\w/])", re.IGNORECASE)


FINDERS: dict[str, Callable[[str], list[Hit]]] = {
    "date": dates,
    "month": months,
    "crebo": crebos,
    "hours": hours,
    "organisation": names,
    "text": names,
}
