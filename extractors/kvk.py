"""Fields of a Chamber of Commerce extract (uittreksel Handelsregister): its date and the
directors (bestuurders) named on it."""

from __future__ import annotations

import re

from extractors.common import labelled_date
from pipeline.layout import DocumentText
from pipeline.model import FieldValue

EXTRACTOR = "extractors.kvk"
IC = re.IGNORECASE

DATE = re.compile(
    r"datum (?:van )?(?:het )?uittreksel|uittreksel (?:d\.d\.|van|per)|datum (?:van )?uitgifte"
    r"|opgevraagd op|peildatum|vervaardigd op|uitgegeven op|datum(?=\s*:)",
    IC,
)
DIRECTOR = re.compile(r"\b(?:bestuurder|functionaris|directeur|statutair directeur)s?\b", IC)
NAME = re.compile(r"(?:naam|bestuurder|functionaris|directeur)\s*:\s*(.+)", IC)
NAME_STOP = re.compile(r"\s(?:geboren|geboortedatum|datum|functie|bevoegd|in functie)\b.*$", IC)


def directors(text: DocumentText) -> FieldValue | None:
    names: list[str] = []
    first: FieldValue | None = None
    in_section = False
    for line in text:
        if DIRECTOR.search(line.text):
            in_section = True
        if not in_section:
            continue
        match = NAME.search(line.text)
        if not match:
            continue
        name = NAME_STOP.sub("", match.group(1)).strip(" ,;")
        if len(name.split()) < 2 or name in names:
            continue
        names.append(name)
        if first is None:
            first = line.evidence(match.start(1), match.start(1) + len(name), name, EXTRACTOR, 0.85)
    if first is None:
        return None
    return first.model_copy(update={"value": names})


def extract(text: DocumentText) -> dict[str, FieldValue]:
    fields: dict[str, FieldValue] = {}
    date = labelled_date(text, DATE, EXTRACTOR)
    if date:
        fields["kvk_datum"] = date
    found = directors(text)
    if found:
        fields["bestuurders"] = found
    return fields
