"""Fields of a diploma or proof of participation: crebo, education and the date issued."""

from __future__ import annotations

import re

from extractors.common import crebo_field, labelled_date, labelled_text
from pipeline.layout import DocumentText
from pipeline.model import FieldValue

EXTRACTOR = "extractors.diploma"
IC = re.IGNORECASE

ISSUED = re.compile(
    r"uitgereikt(?: op)?|datum (?:van )?(?:uitreiking|afgifte|diploma|examen|afronding)"
    r"|diplomadatum|afgegeven (?:op|d\.d\.)|geslaagd op|behaald op|\bd\.d\.|datum(?=\s*:)"
    r"|(?:plaats en )?datum(?: van ondertekening)?",
    IC,
)
EDUCATION = re.compile(
    r"(?:de )?(?:opleiding|kwalificatie|beroepsopleiding)(?: ?naam)?(?=\s*:)"
    r"|(?:heeft|is) (?:voldaan aan de eisen (?:van|voor) (?:de )?(?:opleiding|kwalificatie)?"
    r"|deelgenomen aan (?:de )?(?:opleiding)?)",
    IC,
)


def extract(text: DocumentText) -> dict[str, FieldValue]:
    fields: dict[str, FieldValue] = {}
    found = {
        "crebo": crebo_field(text, EXTRACTOR),
        "opleiding": labelled_text(text, EDUCATION, EXTRACTOR, min_len=3),
        "diploma_datum": labelled_date(text, ISSUED, EXTRACTOR),
    }
    fields.update({k: v for k, v in found.items() if v is not None})
    return fields
