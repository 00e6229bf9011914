"""Values of each kind found in a piece of text: dates in every Dutch form, 5-digit crebo
numbers, hours and volumes, organisation and other names (a run of text up to the next label
or the end of its cell). Each finder returns (value, start, end) hits in order."""

from __future__ import annotations

import re
from collections.abc import Callable

from extractors.kv.labels import SEPARATORS, label_at
from extractors.parsers.dates import find_dates

Hit = tuple[str, int, int]

CREBO = re.compile(r"(?<![\d\w.,-])(\d{5})(?![\d\w]|[.,]\d)")
HOURS = re.compile(
    r"(?<![\d\w])(?:\d{1,3} weken \(\d[\d.]* (?:klok)?(?:uur|uren)\)"
    r"|\d[\d.]*(?:,\d+)? ?(?:klokuren|uur|uren|studiebelastingsuren|sbu)\b"
    r"(?: per week| p/w| in totaal)?)",
    re.IGNORECASE,
)
WORD = re.compile(r"[A-Za-zÀ-ÿ]")
NOTE = re.compile(r"\s*\((?=[^)]*(?:\d|crebo|niveau|kvk))", re.IGNORECASE)


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
    if not stripped or (label_at(stripped) is not None and _only_label(stripped)):
        return []
    end = len(text.rstrip(" :;,."))
    words = text[start:end]
    for pos in range(1, len(words)):  # stop where another label opens after a gap
        if words[pos - 1] == " " and words[pos].isupper() and _opens_label(words[pos:]):
            end = start + pos - 1
            break
    note = NOTE.search(text, start, end)
    if note:  # "Helpende Zorg en Welzijn (crebo 25498)": the name ends before the note
        end = note.start()
    value = text[start:end].strip(" :;,")
    if (not value[:1].isupper() and not value[:1].isdigit()) or ";" in value:
        return []  # a sentence running on, not a name
    if len(value) < 2 or not WORD.search(value) or re.fullmatch(r"[_.\s-]+", value):
        return []
    return [(value, start, start + len(value))]


def _only_label(text: str) -> bool:
    label = label_at(text)
    return label is not None and not text[label.end :].strip(SEPARATORS)


def _opens_label(text: str) -> bool:
    label = label_at(text)
    return label is not None and (label.colon or not label.weak) and len(label.phrase) > 3


FINDERS: dict[str, Callable[[str], list[Hit]]] = {
    "date": dates,
    "crebo": crebos,
    "hours": hours,
    "organisation": names,
    "text": names,
}
