"""Fields of a payslip (loonstrook): employer, the month it covers, employment start date,
and whether a valid BSN is readable (it must have been anonymised)."""

from __future__ import annotations

import re

from core.enums import DocType
from core.fields import FieldName
from core.layout import DocumentText
from core.model import FieldValue, Hints
from extractors.doctypes.common import labelled_date, labelled_text
from extractors.parsers.bsn import bsn_present
from extractors.parsers.labels import LABEL_ROW, at_start
from extractors.parsers.names import best_match
from extractors.registry import extracts

EXTRACTOR = "extractors.payslip"
IC = re.IGNORECASE

MONTH = re.compile(
    r"(?:loon|salaris|verloning)?(?:periode|tijdvak)|(?:loon|salaris)?maand|loonstrook(?: over)?"
    r"|salarisstrook(?: over)?|specificatie(?: over)?",
    IC,
)
EMPLOYED = at_start(
    r"(?:datum )?in dienst(?: sinds| per| vanaf)?|datum indiensttreding|indiensttreding"
    r"|dienstverband sinds|in dienst getreden"
)
EMPLOYER = at_start(r"werkgever|naam (?:werkgever|organisatie)|organisatie")
TITLE = re.compile(
    r"loonstrook|salaris|specificatie|periode|maand|^\s*\d|\d{4}\s?[a-z]{2}\b|straat|laan|weg\b"
    r"|werknemer|naam\b"
    r"|^\D+\s\d{1,4}(?:\s?[a-z])?$",  # a street and house number ("Beukenhof 69")
    IC,
)


def header_employer(text: DocumentText, employee: str | None = None) -> FieldValue | None:
    """The organisation in the letterhead: the first column segment of the top rows that is
    not a title, a period, an address or the employee (the addressee block, where a photo
    lost the letterhead)."""
    for line in text.lines[:4]:
        if line.page != 1 or LABEL_ROW.match(line.text):
            break  # the letterhead is above the first labelled row
        person = best_match([line], employee) if employee else None
        for start, end in line.cells():
            value = line.text[start:end].strip()
            if len(value) < 4 or TITLE.search(value) or LABEL_ROW.match(value):
                continue
            if person is not None and person.start < end and start < person.end:
                continue
            if len(value.split()) >= 2 and value[0].isupper():
                return line.evidence(start, start + len(value), value, EXTRACTOR, 0.7)
    return None


F = FieldName


def extract(text: DocumentText, employee: str | None = None) -> dict[str, FieldValue]:
    found = {
        F.LOONSTROOK_MAAND: labelled_date(text, MONTH, EXTRACTOR, months=True),
        F.DATUM_IN_DIENST: labelled_date(text, EMPLOYED, EXTRACTOR),
        F.WERKGEVER: labelled_text(text, EMPLOYER, EXTRACTOR, min_len=3)
        or header_employer(text, employee),
        F.BSN_PRESENT: bsn_field(text),
    }
    return {k: v for k, v in found.items() if v is not None}


@extracts(
    DocType.LOONSTROOK,
    produces=(
        F.LOONSTROOK_MAAND,
        F.LOONSTROOK_PERIODE,
        F.DATUM_IN_DIENST,
        F.WERKGEVER,
        F.BSN_PRESENT,
    ),
)
def payslip_fields(text: DocumentText, hints: Hints) -> dict[str, FieldValue]:
    return extract(text, hints.participant)


def bsn_field(text: DocumentText) -> FieldValue:
    """`bsn_present` with the BSN's box as evidence (the value never carries the number)."""
    match = bsn_present(text.text)
    if match is None:
        return FieldValue(value=False, confidence=0.9, extractor=EXTRACTOR)
    where = text.locate(match.start, match.end)
    if where is None:
        return FieldValue(value=True, confidence=0.9, extractor=EXTRACTOR)
    line, start, end = where
    field = line.evidence(start, end, True, EXTRACTOR, 0.95)
    # never carry the number itself in the report
    return field.model_copy(update={"source_text": "BSN (afgeschermd in rapport)"})
