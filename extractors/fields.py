"""Field extraction per document type (CONTRACT's table of canonical fields). Every value
carries its evidence; the visual fields (signatures, logos, stamps) come from their own
extractors."""

from __future__ import annotations

from collections.abc import Callable

from extractors import agreement, declaration, diploma, kvk, payslip
from extractors.names import find_participant
from pipeline.enums import DocType
from pipeline.layout import DocumentText
from pipeline.model import Document, FieldValue

Extractor = Callable[[DocumentText], dict[str, FieldValue]]

BY_TYPE: dict[DocType, Extractor] = {
    DocType.PRAKTIJKOVEREENKOMST: agreement.extract,
    DocType.OPLEIDINGSOVEREENKOMST: agreement.extract,
    DocType.LOONSTROOK: payslip.extract,
    DocType.DIPLOMA: diploma.extract,
    DocType.BEWIJS_VAN_DEELNAME: diploma.extract,
    DocType.PRESTATIEVERKLARING: declaration.extract,
    DocType.KVK_UITTREKSEL: kvk.extract,
}


def extract_fields(
    document: Document, doc_type: DocType, participant: str | None = None
) -> dict[str, FieldValue]:
    """The canonical fields of `doc_type` found in `document`; `deelnemer` when the
    registered participant's name is found on it."""
    text = DocumentText.of(document)
    fields: dict[str, FieldValue] = {}
    extractor = BY_TYPE.get(doc_type)
    if extractor is not None:
        fields.update(extractor(text))
    if participant:
        found = find_participant(text, participant)
        if found is not None:
            fields["deelnemer"] = found
    return fields
