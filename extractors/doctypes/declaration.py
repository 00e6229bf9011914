"""Fields of a performance declaration (prestatieverklaring): trainer, training end date and
the signature rows with their role and date."""

from __future__ import annotations

import re

from core.enums import DocType
from core.fields import FieldName
from core.layout import DocumentText, Line
from core.model import FieldValue, Hints
from extractors.doctypes.common import iso_dates, labelled_date, labelled_text
from extractors.parsers.labels import at_start
from extractors.registry import extracts

EXTRACTOR = "extractors.declaration"
IC = re.IGNORECASE

TRAINER = at_start(
    r"naam (?:opleider|opleidingsinstituut|trainer|aanbieder|opleidingsorganisatie)|opleider"
    r"|opleidingsinstituut|trainingsbureau"
)
END = at_start(
    r"einddatum(?: (?:training|opleiding|cursus|scholing))?|laatste (?:les|trainings|cursus)dag"
    r"|datum (?:van )?afronding|afgerond op|(?:training|opleiding|cursus) afgerond op"
)
TEACHER = re.compile(r"^\s*(?:handtekening )?(?:docent|trainer)\b", IC)
PARTICIPANTS = re.compile(r"^\s*(?:deelnemer|cursist|medewerker)s?(?:\(s\))?\b", IC)
SECTION_END = re.compile(r"sectorplan ?plus - |^\s*(?:opmerkingen|toelichting)\b", IC)
LABELLED_ROW = re.compile(
    r"^\s*(?:handtekening|datum ondertekening)\s*(deelnemer|cursist|docent|trainer)\b", IC
)


OLDEST_SIGNATURE_YEAR = 2015  # older dates on a row are birth dates, not signing dates


def _row(line: Line, role: str) -> tuple[dict[str, str], FieldValue] | None:
    dates = [d for d in iso_dates(line.text) if int(d[0][:4]) >= OLDEST_SIGNATURE_YEAR]
    if not dates:
        return None
    value, start, end = dates[-1]  # the last date on a row is when it was signed
    return {"rol": role, "datum": value}, line.evidence(start, end, value, EXTRACTOR, 0.85)


def signature_rows(text: DocumentText) -> FieldValue | None:
    """Participant rows of the signature table and the teacher's row: [{"rol", "datum"}]."""
    rows: list[tuple[dict[str, str], FieldValue]] = []
    in_table = False
    teacher_next = False  # a "Docent" heading on its own row: the next dated row is theirs
    for line in text:
        if SECTION_END.search(line.text):
            in_table = teacher_next = False
        labelled_row = LABELLED_ROW.match(line.text)
        teacher = TEACHER.match(line.text) or (
            labelled_row is not None and labelled_row.group(1).lower() in ("docent", "trainer")
        )
        if teacher or teacher_next:
            row = _row(line, "docent")
            teacher_next = row is None  # wait for the teacher's dated row
            in_table = in_table and row is None
        elif labelled_row or in_table:
            row = _row(line, "deelnemer")
        else:
            row = None
        if PARTICIPANTS.match(line.text):
            in_table = True
        if row is not None:
            rows.append(row)
    if not rows:
        return None
    return rows[0][1].model_copy(update={"value": [r for r, _ in rows], "source_text": None})


@extracts(
    DocType.PRESTATIEVERKLARING,
    produces=(FieldName.OPLEIDER, FieldName.TRAINING_EINDDATUM, FieldName.HANDTEKENINGEN),
)
def declaration_fields(text: DocumentText, hints: Hints) -> dict[str, FieldValue]:
    return extract(text)


def extract(text: DocumentText) -> dict[str, FieldValue]:
    found = {
        FieldName.OPLEIDER: labelled_text(text, TRAINER, EXTRACTOR, min_len=3),
        FieldName.TRAINING_EINDDATUM: labelled_date(text, END, EXTRACTOR),
        FieldName.HANDTEKENINGEN: signature_rows(text),
    }
    return {k: v for k, v in found.items() if v is not None}
