"""Fields of a Chamber of Commerce extract (uittreksel Handelsregister): its date and the
directors (bestuurders / functionarissen) named on it."""

from __future__ import annotations

import re

from core.enums import DocType
from core.fields import FieldName
from core.layout import DocumentText, Line
from core.model import FieldValue, Hints
from extractors.doctypes.common import labelled_date
from extractors.parsers.dates import find_dates
from extractors.parsers.names import best_match
from extractors.registry import extracts

EXTRACTOR = "extractors.kvk"
IC = re.IGNORECASE

DATE = re.compile(
    r"datum (?:van )?(?:het )?uittreksel|uittreksel (?:d\.d\.|van|per)|datum (?:van )?uitgifte"
    r"|opgevraagd op|peildatum|vervaardigd op|uitgegeven op",
    IC,
)
SECTION = re.compile(r"^\s*(?:bestuurders?|functionaris(?:sen)?|bestuur)\s*$", IC)
SECTION_END = re.compile(
    r"^\s*(?:datum uittreksel|dit uittreksel|gevolmachtigde|aandeelhouder)", IC
)
NAME = re.compile(r"^\s*naam\b\s*:?\s*", IC)
ROLE = re.compile(r"bestuurder|directeur|voorzitter|lid raad", IC)
NAME_SHAPE = re.compile(r"^[A-ZÀ-Ý][\w'’.-]*(?: [\w'’.-]+){1,5}$")
HEADER_WORDS = re.compile(r"\b(?:geboortedatum|functie|bevoegdheid|naam|datum)\b", IC)


def _name_in(line: Line) -> tuple[str, int] | None:
    """A director's name on a row: after `Naam`, or before the birth date of a table row."""
    match = NAME.match(line.text)
    if match:
        value = line.text[match.end() :].strip()
        if NAME_SHAPE.match(value) and not HEADER_WORDS.search(value):
            return value, match.end()
        return None
    dates = find_dates(line.text)
    if dates and ROLE.search(line.text[dates[0].end :]):
        value = line.text[: dates[0].start].strip(" ,")
        if NAME_SHAPE.match(value):
            return value, 0
    return None


def directors(text: DocumentText) -> FieldValue | None:
    names: list[str] = []
    first: FieldValue | None = None
    in_section = False
    for line in text:
        if SECTION.match(line.text):
            in_section = True
            continue
        if SECTION_END.match(line.text):
            in_section = False
        if not in_section:
            continue
        found = _name_in(line)
        if found is None or found[0] in names:
            continue
        name, start = found
        names.append(name)
        if first is None:
            first = line.evidence(start, start + len(name), name, EXTRACTOR, 0.85)
    if first is None:
        return None
    return first.model_copy(update={"value": names})


def extract(text: DocumentText) -> dict[str, FieldValue]:
    found = {
        FieldName.KVK_DATUM: labelled_date(text, DATE, EXTRACTOR),
        FieldName.BESTUURDERS: directors(text),
    }
    return {k: v for k, v in found.items() if v is not None}


@extracts(DocType.KVK_UITTREKSEL, produces=(FieldName.KVK_DATUM, FieldName.BESTUURDERS))
def kvk_fields(text: DocumentText, hints: Hints) -> dict[str, FieldValue]:
    found = extract(text)
    if hints.signatory:
        guided = signatory(text, hints.signatory, found.get(FieldName.BESTUURDERS))
        if guided is not None:
            found[FieldName.BESTUURDERS] = guided
    return found


def signatory(text: DocumentText, name: str, read: FieldValue | None) -> FieldValue | None:
    """The directors read, with the registered signatory added where the extract names them
    on a page that names a director's role ("Bestuurder", "Voorzitter"): a scan whose
    "Bestuurders" heading and "Naam" labels OCR lost still lists the director it names."""
    hit = best_match(text, name)
    if hit is None:
        return read
    if not any(ROLE.search(line.text) for line in text if line.page == hit.line.page):
        return read
    names = [str(n) for n in read.value] if read is not None and read.value else []
    if name in names:
        return read
    base = read or hit.line.evidence(hit.start, hit.end, None, EXTRACTOR, hit.score / 100)
    return base.model_copy(update={"value": [*names, name]})
