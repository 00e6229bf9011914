"""Field extraction per document type (CONTRACT's table of canonical fields). Every value
carries its evidence. The type's extractor is looked up in extractors/registry.py, where each
module of extractors/doctypes/ registers itself; the visual fields (signatures, logos, stamps)
and the integrity fields come from their own extractors, run by the pipeline."""

from __future__ import annotations

from core.enums import DocType
from core.fields import FieldName
from core.layout import DocumentText
from core.model import Document, FieldValue, Hints

# Imported for their registrations (and so the result cache's key covers them).
from extractors.doctypes import agreement, declaration, diploma, employment, kvk, payslip
from extractors.doctypes.common import labelled_person
from extractors.guided import find_code, find_name
from extractors.kv.select import kv_fields
from extractors.parsers.names import find_participant
from extractors.registry import BY_TYPE, everywhere

EXTRACTOR = "extractors.fields"  # report data: the `extractor` of the participant's name
DOCTYPE_MODULES = (agreement, declaration, diploma, employment, kvk, payslip)
# The participant's name is looked for on every type but the KvK extract (an organisation's).
PARTICIPANT = everywhere(
    EXTRACTOR, produces=(FieldName.DEELNEMER,), except_types=(DocType.KVK_UITTREKSEL,)
)


def guided_fields(
    text: DocumentText, produces: tuple[FieldName, ...], hints: Hints
) -> dict[str, FieldValue]:
    """The registered values found on the document (extractors.guided), for the fields this
    type carries: they replace what the label-based reader made of the layout. Not the
    leerbedrijf: its absence rejects (PARTY_MISSING), and the name elsewhere on an agreement (a
    company stamp) is no proof of its role; that needs its context read first."""
    wanted = {
        FieldName.CREBO: (hints.crebo, find_code),
        FieldName.WERKGEVER: (hints.organisation, find_name),
        FieldName.OPLEIDING: (hints.education, find_name),
    }
    out: dict[str, FieldValue] = {}
    for name, (expected, find) in wanted.items():
        if expected and name in produces:
            found = find(text, expected)
            if found is not None:
                out[name] = found
    return out


def extract_fields(document: Document, doc_type: DocType, hints: Hints) -> dict[str, FieldValue]:
    """The canonical fields of `doc_type` found in `document`. `deelnemer` is the registered
    participant when found on it, else the person the document names (if any)."""
    text = DocumentText.of(document)
    extractor = BY_TYPE.get(doc_type)
    fields = extractor.extract(text, hints) if extractor and extractor.extract else {}
    if extractor is not None:
        kv = kv_fields(text, extractor.produces, hints)
        fields.update(kv.found)
        for name, blank in kv.absent.items():
            if blank.bbox is not None:  # its label printed blank: no other reading stands
                fields[name] = blank
            else:  # no value of its kind anywhere: unless another reader found one
                fields.setdefault(name, blank)
        fields.update(guided_fields(text, extractor.produces, hints))
    if PARTICIPANT.covers(doc_type):
        person = find_participant(text, hints.participant) if hints.participant else None
        person = person or labelled_person(text, EXTRACTOR)
        if person is not None:
            fields[FieldName.DEELNEMER] = person
    return fields
