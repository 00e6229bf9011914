"""Field extraction per document type (CONTRACT's table of canonical fields). Every value
carries its evidence; the visual fields (signatures, logos, stamps) come from their own
extractors."""

from __future__ import annotations

import re

from core.enums import DocType
from core.layout import DocumentText
from core.model import Document, FieldValue, Hints
from extractors.doctypes import agreement, declaration, diploma, kvk, payslip
from extractors.doctypes.common import labelled_date, labelled_person
from extractors.parsers.names import find_participant

EXTRACTOR = "extractors.fields"
# An employment contract's start: "De arbeidsovereenkomst gaat in op 1 september 2024".
EMPLOYMENT_START = re.compile(
    r"gaat in op|treedt (?:per|op) |in dienst (?:per|op|vanaf)|datum (?:in dienst|indiensttreding)"
    r"|ingangsdatum",
    re.IGNORECASE,
)


def _by_type(text: DocumentText, doc_type: DocType, hints: Hints) -> dict[str, FieldValue]:
    if doc_type in (DocType.PRAKTIJKOVEREENKOMST, DocType.OPLEIDINGSOVEREENKOMST):
        return agreement.extract(text, hints.education)
    if doc_type in (DocType.DIPLOMA, DocType.BEWIJS_VAN_DEELNAME):
        return diploma.extract(text, hints.education)
    if doc_type is DocType.BEWIJS_VAN_INSCHRIJVING:
        fields = agreement.extract(text, hints.education)
        return {k: v for k, v in fields.items() if k in ("crebo", "opleiding", "startdatum")}
    if doc_type is DocType.LOONSTROOK:
        return payslip.extract(text)
    if doc_type is DocType.PRESTATIEVERKLARING:
        return declaration.extract(text)
    if doc_type is DocType.KVK_UITTREKSEL:
        return kvk.extract(text)
    if doc_type is DocType.ARBEIDSOVEREENKOMST:
        found = labelled_date(text, EMPLOYMENT_START, EXTRACTOR)
        return {"datum_in_dienst": found} if found else {}
    return {}


def extract_fields(document: Document, doc_type: DocType, hints: Hints) -> dict[str, FieldValue]:
    """The canonical fields of `doc_type` found in `document`. `deelnemer` is the registered
    participant when found on it, else the person the document names (if any)."""
    text = DocumentText.of(document)
    fields = _by_type(text, doc_type, hints)
    if doc_type is not DocType.KVK_UITTREKSEL:
        person = find_participant(text, hints.participant) if hints.participant else None
        person = person or labelled_person(text, EXTRACTOR)
        if person is not None:
            fields["deelnemer"] = person
    return fields
