"""Label-anchored search: find a label (e.g. `Startdatum`) and take the value that follows it
on the same row, or on the row below when the label stands alone (form and table layouts)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from pipeline.layout import DocumentText, Line

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


def labelled(
    text: DocumentText,
    label: re.Pattern[str],
    parser: Parser[T],
    *,
    rows_below: int = 1,
    max_gap: int = 60,
) -> list[Hit[T]]:
    """Every value `parser` finds after a match of `label`, in document order.

    On the label's row the value must start within `max_gap` characters after the label; when
    nothing follows the label there, the first value on the next `rows_below` rows counts."""
    hits: list[Hit[T]] = []
    for line in text:
        for match in label.finditer(line.text):
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
            for below in text.following(line, rows_below):
                found = list(parser(below.text))
                if found:
                    value, start, end = found[0]
                    hits.append(Hit(value, below, start, end, match.group(0), False))
                    break
    return hits


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
