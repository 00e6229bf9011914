"""Fields of a diploma or proof of participation: crebo, education and the date issued
(`Datum uitreiking`, `Uitgereikt op …`, or the place-and-date line above the signatures)."""

from __future__ import annotations

import re

from core.enums import DocType
from core.fields import FieldName
from core.layout import DocumentText
from core.model import FieldValue, Hints
from extractors.doctypes.common import crebo_field, education_field, iso_dates, labelled_date
from extractors.parsers.labels import at_start
from extractors.registry import extracts

EXTRACTOR = "extractors.diploma"

ISSUED = at_start(
    r"uitgereikt(?: op)?|datum (?:van )?(?:uitreiking|afgifte|diploma|examen|afronding)"
    r"|diplomadatum|afgegeven (?:op|d\.d\.)|geslaagd op|behaald op|d\.d\."
    r"|(?:plaats en )?datum(?: van ondertekening)?"
)
# "Woubrugge, 1 maart 2026": a place (one to three words), a comma and a date ending the row
PLACE_DATE = re.compile(r"^\s*[A-ZÀ-Ý][\w'’-]+(?: [\w'’-]+){0,2},\s*(?=\S)")


def place_date(text: DocumentText) -> FieldValue | None:
    for line in text:
        match = PLACE_DATE.match(line.text)
        if not match:
            continue
        rest = line.text[match.end() :]
        dates = list(iso_dates(rest))
        if len(dates) == 1 and not rest[dates[0][2] :].strip(" ."):
            value, start, end = dates[0]
            return line.evidence(match.end() + start, match.end() + end, value, EXTRACTOR, 0.8)
    return None


def extract(text: DocumentText, education: str | None = None) -> dict[str, FieldValue]:
    found = {
        FieldName.CREBO: crebo_field(text, EXTRACTOR),
        FieldName.OPLEIDING: education_field(text, EXTRACTOR, education),
        FieldName.DIPLOMA_DATUM: labelled_date(text, ISSUED, EXTRACTOR) or place_date(text),
    }
    return {k: v for k, v in found.items() if v is not None}


@extracts(
    DocType.DIPLOMA,
    DocType.BEWIJS_VAN_DEELNAME,
    produces=(FieldName.CREBO, FieldName.OPLEIDING, FieldName.DIPLOMA_DATUM),
)
def certificate_fields(text: DocumentText, hints: Hints) -> dict[str, FieldValue]:
    return extract(text, hints.education)
