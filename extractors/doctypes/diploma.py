"""Fields of a diploma or proof of participation: crebo, education and the date issued
(`Datum uitreiking`, `Uitgereikt op …`, or the place-and-date line above the signatures)."""

from __future__ import annotations

import re

from core.enums import DocType
from core.fields import FieldName
from core.layout import DocumentText, Line
from core.model import FieldValue, Hints
from extractors.doctypes.common import crebo_field, education_field, iso_dates, labelled_date
from extractors.kv.values import ITEM_BREAK
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


# "Hengelo," alone on its row, the date alone on the next (a signature block's two lines)
SAME_COLUMN = 0.03  # page widths
PLACE_ALONE = re.compile(r"^\s*[A-ZÀ-Ý][\w'’-]+(?: [\w'’-]+){0,2},\s*$")


def _only_date(line: Line, offset: int = 0, stop: int | None = None) -> FieldValue | None:
    rest = line.text[offset:stop]
    dates = list(iso_dates(rest))
    if len(dates) == 1 and not rest[: dates[0][1]].strip() and not rest[dates[0][2] :].strip(" ."):
        value, start, end = dates[0]
        return line.evidence(offset + start, offset + end, value, EXTRACTOR, 0.8)
    return None


def place_date(text: DocumentText) -> FieldValue | None:
    """The date of a place-and-date line ("Woubrugge, 1 maart 2026"), or of a place alone on
    its row ("Hengelo,") over a row that is only a date."""
    lines = text.lines
    for i, line in enumerate(lines):
        match = PLACE_DATE.match(line.text)
        if match:
            item = ITEM_BREAK.search(line.text, match.end())  # "…, 05-08-2024 | diplomanr. …"
            found = _only_date(line, match.end(), item.start() if item else None)
            if found is not None:
                return found
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if nxt is None or nxt.page != line.page:
            continue
        for a, b in line.cells():
            if not PLACE_ALONE.match(line.text[a:b]):
                continue
            x0 = line.words_in(a, b)[0].bbox.x0
            for c, d in nxt.cells():  # the date in the same column on the next row
                words = nxt.words_in(c, d)
                if words and abs(words[0].bbox.x0 - x0) < SAME_COLUMN:
                    found = _only_date(nxt, c, d)
                    if found is not None:
                        return found
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
