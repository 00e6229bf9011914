"""Fields of a payslip (loonstrook): employer, the month it covers, employment start date,
and whether a valid BSN is readable (it must have been anonymised)."""

from __future__ import annotations

import re

from extractors.bsn import bsn_present
from extractors.common import labelled_date, labelled_text
from pipeline.layout import DocumentText
from pipeline.model import FieldValue

EXTRACTOR = "extractors.payslip"
IC = re.IGNORECASE

MONTH = re.compile(
    r"(?:loon|salaris|verloning)?(?:periode|tijdvak)|(?:loon|salaris)?maand|loonstrook(?: over)?"
    r"|salarisstrook(?: over)?|specificatie(?: over)?",
    IC,
)
EMPLOYED = re.compile(
    r"(?:datum )?in dienst(?: sinds| per| vanaf)?|datum indiensttreding|indiensttreding"
    r"|dienstverband sinds|in dienst getreden",
    IC,
)
EMPLOYER = re.compile(r"werkgever|naam (?:werkgever|organisatie)|organisatie(?=\s*:)", IC)


def extract(text: DocumentText) -> dict[str, FieldValue]:
    fields: dict[str, FieldValue] = {}
    month = labelled_date(text, MONTH, EXTRACTOR, months=True)
    employed = labelled_date(text, EMPLOYED, EXTRACTOR)
    employer = labelled_text(text, EMPLOYER, EXTRACTOR, min_len=3)
    if month:
        fields["loonstrook_maand"] = month
    if employed:
        fields["datum_in_dienst"] = employed
    if employer:
        fields["werkgever"] = employer
    fields["bsn_present"] = bsn_field(text)
    return fields


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
