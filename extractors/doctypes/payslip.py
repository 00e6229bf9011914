"""Fields of a payslip (loonstrook): employer, the month it covers, employment start date,
and whether a valid BSN is readable (it must have been anonymised)."""

from __future__ import annotations

import re
from itertools import pairwise

from core.layout import DocumentText
from core.model import FieldValue
from extractors.doctypes.common import labelled_date, labelled_text
from extractors.parsers.bsn import bsn_present
from extractors.parsers.labels import LABEL_ROW, at_start

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
    r"|werknemer|naam\b",
    IC,
)


def header_employer(text: DocumentText) -> FieldValue | None:
    """The organisation in the letterhead: the first column segment of the top rows that is
    not a title, a period or an address."""
    for line in text.lines[:4]:
        if line.page != 1 or LABEL_ROW.match(line.text):
            break  # the letterhead is above the first labelled row
        bounds = [*line.segments, len(line.text) + 1]
        for start, end in pairwise(bounds):
            value = line.text[start : end - 1].strip()
            if len(value) < 4 or TITLE.search(value) or LABEL_ROW.match(value):
                continue
            if len(value.split()) >= 2 and value[0].isupper():
                return line.evidence(start, start + len(value), value, EXTRACTOR, 0.7)
    return None


def extract(text: DocumentText) -> dict[str, FieldValue]:
    found = {
        "loonstrook_maand": labelled_date(text, MONTH, EXTRACTOR, months=True),
        "datum_in_dienst": labelled_date(text, EMPLOYED, EXTRACTOR),
        "werkgever": labelled_text(text, EMPLOYER, EXTRACTOR, min_len=3) or header_employer(text),
        "bsn_present": bsn_field(text),
    }
    return {k: v for k, v in found.items() if v is not None}


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
