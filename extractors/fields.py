"""Field extraction per document type (CONTRACT's table of canonical fields). Every value
carries its evidence. The type's extractor is looked up in extractors/registry.py, where each
module of extractors/doctypes/ registers itself; the visual fields (signatures, logos, stamps)
and the integrity fields come from their own extractors, run by the pipeline."""

from __future__ import annotations

from collections.abc import Callable

from core.enums import DocType
from core.fields import FieldName
from core.layout import DocumentText
from core.model import Document, FieldValue, Hints

# Imported for their registrations (and so the result cache's key covers them).
from extractors.doctypes import agreement, declaration, diploma, employment, kvk, payslip
from extractors.doctypes.common import labelled_person
from extractors.guided import find_code, find_name
from extractors.kv.select import kv_fields, role_check
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
    type carries: they replace what the label-based reader made of the layout. The
    leerbedrijf only in its role (`guided_company`): the name elsewhere on an agreement (a
    company stamp) is no proof of it."""
    wanted: dict[FieldName, tuple[str | None, Callable[[DocumentText, str], FieldValue | None]]]
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


def guided_company(
    text: DocumentText,
    produces: tuple[FieldName, ...],
    hints: Hints,
    read: FieldValue | None,
) -> FieldValue | None:
    """The registering organisation as the agreement's leerbedrijf, where the document names
    it in that role (a leerbedrijf label, section or sentence before it; not in a signature
    block or a stamp). A leerbedrijf label printed blank stays blank."""
    if FieldName.LEERBEDRIJF not in produces or not hints.organisation:
        return None
    if read is not None and read.value is None and read.bbox is not None:
        return None  # the reader saw the label left blank
    return find_name(text, hints.organisation, role_check(text, FieldName.LEERBEDRIJF))


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
        company = guided_company(text, extractor.produces, hints, fields.get(FieldName.LEERBEDRIJF))
        if company is not None:
            fields[FieldName.LEERBEDRIJF] = company
    if PARTICIPANT.covers(doc_type):
        person = find_participant(text, hints.participant) if hints.participant else None
        person = person or labelled_person(text, EXTRACTOR)
        if person is not None:
            fields[FieldName.DEELNEMER] = person
    return fields
