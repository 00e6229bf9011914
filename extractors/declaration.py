"""Fields of a performance declaration (prestatieverklaring): trainer, training end date and
the signature lines with their role and date."""

from __future__ import annotations

import re

from extractors.common import iso_dates, labelled_date, labelled_text
from pipeline.layout import DocumentText
from pipeline.model import FieldValue

EXTRACTOR = "extractors.declaration"
IC = re.IGNORECASE

TRAINER = re.compile(r"naam (?:opleider|opleidingsinstituut|trainer|aanbieder)|opleider(?=\s*:)"
                     r"|opleidingsinstituut(?=\s*:)|trainingsbureau(?=\s*:)", IC)  # fmt: skip
END = re.compile(
    r"einddatum(?: (?:training|opleiding|cursus|scholing))?|laatste (?:les|trainings|cursus)dag"
    r"|datum (?:van )?afronding|afgerond op|(?:training|opleiding|cursus) afgerond op",
    IC,
)
TEACHER = re.compile(r"docent|trainer|opleider", IC)
PARTICIPANT = re.compile(r"deelnemer|cursist|medewerker|werknemer", IC)
SIGNED = re.compile(r"handtekening|getekend|ondertekend|paraaf|datum ondertekening", IC)


def signature_lines(text: DocumentText) -> FieldValue | None:
    """Each row that names a role and carries a signing date: [{"rol", "datum"}]."""
    rows = []
    boxes = []
    for line in text:
        if not SIGNED.search(line.text) and not re.search(r"\bdatum\b", line.text, IC):
            continue
        dates = list(iso_dates(line.text))
        if not dates:
            continue
        if TEACHER.search(line.text):
            role = "docent"
        elif PARTICIPANT.search(line.text):
            role = "deelnemer"
        else:
            continue
        value, start, end = dates[-1]
        rows.append({"rol": role, "datum": value})
        boxes.append(line.evidence(start, end, value, EXTRACTOR, 0.85))
    if not rows:
        return None
    first = boxes[0]
    return first.model_copy(update={"value": rows, "source_text": None})


def extract(text: DocumentText) -> dict[str, FieldValue]:
    fields: dict[str, FieldValue] = {}
    found = {
        "opleider": labelled_text(text, TRAINER, EXTRACTOR, min_len=3),
        "training_einddatum": labelled_date(text, END, EXTRACTOR),
        "handtekeningen": signature_lines(text),
    }
    fields.update({k: v for k, v in found.items() if v is not None})
    return fields
