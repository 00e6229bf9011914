"""Field helpers shared by the per-type extractors: label-anchored dates and months (never a
birth date), crebo numbers, names of parties after their labels."""

from __future__ import annotations

import re
from collections.abc import Iterable

from extractors.crebo import find_crebos
from extractors.dates import find_dates, find_months
from extractors.labels import Hit, labelled, until_next_label
from pipeline.layout import DocumentText
from pipeline.model import FieldValue

BIRTH = re.compile(r"geboren|geboortedatum|geb\.?\s*datum|geb\.", re.IGNORECASE)
# Labels that start another value on the same row: a value stops where one begins.
STOPS = re.compile(
    r"\s(?:geboortedatum|geboren|crebo|kwalificatie|niveau|leerweg|startdatum|einddatum|"
    r"adres|postcode|plaats|kvk|telefoon|e-?mail|datum|periode|personeelsnummer|bsn)\b",
    re.IGNORECASE,
)


def iso_dates(text: str) -> Iterable[tuple[str, int, int]]:
    """A parser for `labelled`: full dates as `YYYY-MM-DD`."""
    return [(m.value.isoformat(), m.start, m.end) for m in find_dates(text)]


def iso_months(text: str) -> Iterable[tuple[str, int, int]]:
    """A parser for `labelled`: months as `YYYY-MM` (full dates count as their month too)."""
    months = [(m.iso, m.start, m.end) for m in find_months(text)]
    dates = [(m.value.isoformat()[:7], m.start, m.end) for m in find_dates(text)]
    return sorted(months + dates, key=lambda hit: hit[1])


def field_from(hit: Hit[str], extractor: str, confidence: float = 1.0) -> FieldValue:
    return hit.line.evidence(hit.start, hit.end, hit.value, extractor, confidence)


def not_birth(hit: Hit[str]) -> bool:
    """False when the value sits right after a birth-date label on its row."""
    before = hit.line.text[max(0, hit.start - 30) : hit.start]
    return not BIRTH.search(before)


def labelled_date(
    text: DocumentText, label: re.Pattern[str], extractor: str, *, months: bool = False
) -> FieldValue | None:
    """The first date (or month) after `label` that is not a birth date."""
    parser = iso_months if months else iso_dates
    for hit in labelled(text, label, parser):
        if not_birth(hit):
            return field_from(hit, extractor, 0.95 if hit.same_line else 0.85)
    return None


def labelled_text(
    text: DocumentText, label: re.Pattern[str], extractor: str, *, min_len: int = 2
) -> FieldValue | None:
    """The text after `label` up to the end of its row or the next known label."""
    for hit in labelled(text, label, lambda s: until_next_label(s, STOPS)):
        value = hit.value.strip(" :;,")
        if len(value) >= min_len and not re.fullmatch(r"[_.\s-]+", value):
            return hit.line.evidence(hit.start, hit.end, value, extractor, 0.9)
    return None


def crebo_field(text: DocumentText, extractor: str) -> FieldValue | None:
    """The crebo number: the first labelled one, else the first unlabelled 5-digit candidate."""
    matches = find_crebos(text.text)
    ranked = sorted(matches, key=lambda m: (not m.labelled, m.start))
    for match in ranked:
        where = text.locate(match.start, match.end)
        if where is None:
            continue
        line, start, end = where
        score = 0.95 if match.labelled else 0.5
        return line.evidence(start, end, match.value, extractor, score)
    return None
