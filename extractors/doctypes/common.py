"""Field helpers shared by the per-type extractors: label-anchored dates and months (never a
birth date), crebo numbers, names of parties after their labels."""

from __future__ import annotations

import re
from collections.abc import Iterable

from core.layout import DocumentText
from core.model import FieldValue
from extractors.parsers.crebo import find_crebos
from extractors.parsers.dates import find_dates, find_months
from extractors.parsers.labels import LABEL_ROW, Hit, Label, at_start, labelled, until_next_label

BIRTH = re.compile(r"geboren|geboortedatum|geb\.?\s*datum|geb\.", re.IGNORECASE)
# Labels that start another value on the same row: a value stops where one begins.
STOPS = re.compile(
    r"[\s(,](?:geboortedatum|geboren|crebo\w*|kwalificatie|niveau|leerweg|startdatum|einddatum|"
    r"adres|postcode|plaats|kvk|telefoon|e-?mail|datum|periode|personeelsn\w*|bsn|functie|"
    r"in de|in het|voor de|en deze|te)\b",
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
    text: DocumentText, label: Label, extractor: str, *, months: bool = False
) -> FieldValue | None:
    """The first date (or month) after `label` that is not a birth date."""
    parser = iso_months if months else iso_dates
    for hit in labelled(text, label, parser):
        if not_birth(hit):
            return field_from(hit, extractor, 0.95 if hit.same_line else 0.85)
    return None


# A value that is itself a party's label (a row of signature captions) is no value.
PARTY_WORD = re.compile(
    r"^\s*(?:deelnemer|student|leerbedrijf|onderwijsinstelling|werkgever|werknemer|"
    r"handtekening)\b",
    re.IGNORECASE,
)


def _set_apart(hit: Hit[str]) -> bool:
    """A value on its label's row must be set apart from it: by a colon, or by a column gap
    (a form's value column), so a letterhead such as "Hogeschool Rotterdam" is no label."""
    if not hit.same_line or hit.label.rstrip().endswith(":"):
        return True
    start = hit.start
    return any(abs(start - seg) <= 1 for seg in hit.line.segments)


def labelled_text(
    text: DocumentText, label: Label, extractor: str, *, min_len: int = 2
) -> FieldValue | None:
    """The text after `label` up to the end of its row or the next known label."""
    for hit in labelled(text, label, lambda s: until_next_label(s, STOPS)):
        if not _set_apart(hit) or PARTY_WORD.match(hit.value):
            continue
        if not hit.same_line and (len(hit.value.split()) > 6 or ". " in hit.value):
            continue  # a sentence on the row below an empty label is not its value
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


PERSON_LABEL = at_start(
    r"naam(?: (?:deelnemer|student|werknemer|cursist|medewerker))?|deelnemer|student|"
    r"werknemer|cursist|medewerker"
)
# "Hierbij verklaren wij dat Johannes Horrocks, geboren op …"
NAME_BEFORE_BIRTH = re.compile(r"\bdat ([A-ZÀ-Ý][\w'’.-]*(?: [\w'’.-]+){1,5}?),? geboren\b")
NAME_SHAPE = re.compile(r"^[A-ZÀ-Ý][\w'’.-]*(?:,? [\w'’.-]+){1,5}$")


MIN_LABEL_WORD = 5  # shorter words that open a label are names' too ("van", "de", "Tot")


def _label_word(token: str) -> bool:
    """A word that is a label, never a name ("Loontijdvak", "Verwerkingsdatum" read from the
    labels' row of a key-figures grid)."""
    from extractors.kv.labels import label_at

    if LABEL_ROW.match(token):
        return True
    found = label_at(token.strip(" :;,.").capitalize())
    return found is not None and len(found.phrase) >= MIN_LABEL_WORD and found.end >= len(token)


def labelled_person(text: DocumentText, extractor: str) -> FieldValue | None:
    """A person's name after a person label (`Naam`, `Deelnemer`, `Werknemer` …) or on the row
    above `geboren op` — what a document says when it is not the registered participant."""
    for hit in labelled(text, PERSON_LABEL, lambda s: until_next_label(s, STOPS)):
        value = hit.value.strip(" :;,")
        looks_like_name = NAME_SHAPE.match(value) and not re.search(r"\d", value)
        if looks_like_name and not any(_label_word(token) for token in value.split()):
            return hit.line.evidence(hit.start, hit.end, value, extractor, 0.7)
    for line in text:
        prose = NAME_BEFORE_BIRTH.search(line.text)
        if prose:
            start, end = prose.span(1)
            return line.evidence(start, end, prose.group(1), extractor, 0.6)
    for line in text:
        if re.match(r"^\s*geboren\b", line.text, re.IGNORECASE):
            pos = text.lines.index(line)
            if pos > 0 and NAME_SHAPE.match(text.lines[pos - 1].text.strip()):
                above = text.lines[pos - 1]
                return above.evidence(0, len(above.text), above.text.strip(), extractor, 0.6)
    return None


EDUCATION_LABEL = re.compile(
    r"^\s*(?:naam )?(?:opleiding|kwalificatie|beroepsopleiding|studie)(?:snaam| naam)?\b\s*:?"
    r"|voldaan aan de eisen voor het diploma van de kwalificatie\s*:?\s*$"
    r"|deelneemt aan de\s*$",
    re.IGNORECASE,
)


def education_field(
    text: DocumentText, extractor: str, registered: str | None = None
) -> FieldValue | None:
    """The education's name: after its label, else a known qualification name in the text."""
    from extractors.parsers.qualifications import find_known

    for hit in labelled(text, EDUCATION_LABEL, lambda s: until_next_label(s, STOPS)):
        value = hit.value.strip(" :;,(")
        if len(value) >= 3 and re.search(r"[a-zA-Z]{3}", value):
            return hit.line.evidence(hit.start, hit.start + len(value), value, extractor, 0.9)
    known = find_known(text, (registered,) if registered else ())
    if known is None:
        return None
    line, start, end = known
    return line.evidence(start, end, line.text[start:end].strip(), extractor, 0.75)
