"""Label-anchored search: find a label (e.g. `Startdatum`) and take the value that follows it
on the same row, or on the row below when the label stands alone (form and table layouts)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from core.layout import DocumentText, Line

T = TypeVar("T")

# A value parser gets a piece of text and returns (value, start, end) hits within it.
Parser = Callable[[str], Iterable[tuple[T, int, int]]]


@dataclass(frozen=True)
class Hit(Generic[T]):
    """A value found after a label, with the line and span it came from."""

    value: T
    line: Line
    start: int
    end: int
    label: str
    same_line: bool


# A row that starts with one of these is a label row itself, never the value of the row above.
LABEL_ROW = re.compile(
    r"^\s*(?:naam|adres|geboortedatum|geboren|datum|functie|crebo\w*|kwalificatie|opleiding|"
    r"niveau|leerweg|start\w*|eind\w*|omvang|praktijkopleider|locatie|studentnummer|"
    r"handtekening|telefoon|e-?mail|postcode|plaats|kvk|bsn|periode|personeelsn\w*)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class AtStart:
    """A label that must open its row or one of its column segments (`Naam leerbedrijf …`,
    `… Datum in dienst 17-04-2024` in a form's second column), not stand inside a sentence."""

    pattern: re.Pattern[str]

    def matches(self, line: Line) -> list[re.Match[str]]:
        found = (self.pattern.match(line.text, pos) for pos in line.segments)
        return [m for m in found if m is not None]


def at_start(pattern: str) -> AtStart:
    return AtStart(re.compile(rf"\s*(?:{pattern})\b\s*:?", re.IGNORECASE))


Label = re.Pattern[str] | AtStart


def label_matches(label: Label, line: Line) -> list[re.Match[str]]:
    if isinstance(label, AtStart):
        return label.matches(line)
    return list(label.finditer(line.text))


def labelled(
    text: DocumentText,
    label: Label,
    parser: Parser[T],
    *,
    rows_below: int = 1,
    max_gap: int = 60,
) -> list[Hit[T]]:
    """Every value `parser` finds after a match of `label`: values on the label's own row
    first, then values on the row below a label that stands alone, each in document order.

    On the label's row the value must start within `max_gap` characters after the label; a row
    below that is itself a label row does not count."""
    hits: list[Hit[T]] = []
    for line in text:
        for match in label_matches(label, line):
            rest = line.text[match.end() :]
            found = [h for h in parser(rest) if h[1] <= max_gap]
            if found:
                value, start, end = found[0]
                hits.append(
                    Hit(value, line, match.end() + start, match.end() + end, match.group(0), True)
                )
                continue
            if rest.strip(" :.-\t"):
                # something else follows the label on its row; the value is not below it
                continue
            column = _span(line, match.start(), match.end())
            for below in text.following(line, rows_below):
                if LABEL_ROW.match(below.text):
                    break
                found = [h for h in parser(below.text) if _under(column, below, h[1], h[2])]
                if found:
                    value, start, end = found[0]
                    hits.append(Hit(value, below, start, end, match.group(0), False))
                    break
    return sorted(hits, key=lambda h: not h.same_line)


COLUMN_SLACK = 0.05  # page widths a value under a label may start right of the label's end


def _span(line: Line, start: int, end: int) -> tuple[float, float] | None:
    words = line.words_in(start, end)
    if not words:
        return None
    return min(w.bbox.x0 for w in words), max(w.bbox.x1 for w in words)


def _under(column: tuple[float, float] | None, line: Line, start: int, end: int) -> bool:
    """Whether a value stands in the label's column (a table's header over its row of values:
    "Geboortedatum | Indiensttreding" over two dates), not under another column's label."""
    value = _span(line, start, end)
    if column is None or value is None:
        return True
    return value[0] < column[1] + COLUMN_SLACK and value[1] > column[0]


def rest_of_line(text: str) -> list[tuple[str, int, int]]:
    """A parser taking the text after a label up to the end of the row (separators trimmed)."""
    stripped = text.lstrip(" :.-\t")
    start = len(text) - len(stripped)
    value = stripped.strip()
    if len(value) < 2:
        return []
    return [(value, start, start + len(value))]


def until_next_label(text: str, stops: re.Pattern[str]) -> list[tuple[str, int, int]]:
    """Like `rest_of_line`, but stopping where another known label starts on the same row."""
    hits = rest_of_line(text)
    if not hits:
        return []
    value, start, end = hits[0]
    stop = stops.search(value)
    if stop and stop.start() > 0:
        value = value[: stop.start()].rstrip(" ,;:-")
        end = start + len(value)
    return [(value, start, end)] if len(value) >= 2 else []
