"""Fields of a performance declaration (prestatieverklaring): trainer, training end date and
the signature rows with their role and date (extractors.kv.signing)."""

from __future__ import annotations

from core.enums import DocType
from core.fields import FieldName
from core.layout import DocumentText
from core.model import FieldValue, Hints
from extractors.doctypes.common import labelled_date, labelled_text
from extractors.kv.signing import signature_rows
from extractors.parsers.labels import at_start
from extractors.registry import extracts

EXTRACTOR = "extractors.declaration"

TRAINER = at_start(
    r"naam (?:opleider|opleidingsinstituut|trainer|aanbieder|opleidingsorganisatie)|opleider"
    r"|opleidingsinstituut|trainingsbureau"
)
END = at_start(
    r"einddatum(?: (?:training|opleiding|cursus|scholing))?|laatste (?:les|trainings|cursus)dag"
    r"|datum (?:van )?afronding|afgerond op|(?:training|opleiding|cursus) afgerond op"
)


@extracts(
    DocType.PRESTATIEVERKLARING,
    produces=(FieldName.OPLEIDER, FieldName.TRAINING_EINDDATUM, FieldName.HANDTEKENINGEN),
)
def declaration_fields(text: DocumentText, hints: Hints) -> dict[str, FieldValue]:
    return extract(text, hints.participant)


def extract(text: DocumentText, participant: str | None = None) -> dict[str, FieldValue]:
    found = {
        FieldName.OPLEIDER: labelled_text(text, TRAINER, EXTRACTOR, min_len=3),
        FieldName.TRAINING_EINDDATUM: labelled_date(text, END, EXTRACTOR),
        FieldName.HANDTEKENINGEN: signature_rows(text, participant),
    }
    return {k: v for k, v in found.items() if v is not None}
