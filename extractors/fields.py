"""Field extraction per document type (CONTRACT's table of canonical fields). Every value
carries its evidence. The type's extractor is looked up in extractors/registry.py, where each
module of extractors/doctypes/ registers itself; the visual fields (signatures, logos, stamps)
and the integrity fields come from their own extractors, run by the pipeline."""

from __future__ import annotations

import re
from collections.abc import Callable

from core.enums import DocType, WordSource
from core.fields import FieldName
from core.geometry import BBox
from core.layout import DocumentText
from core.model import Document, FieldValue, Hints

# Imported for their registrations (and so the result cache's key covers them).
from extractors.doctypes import agreement, declaration, diploma, employment, kvk, payslip
from extractors.doctypes.common import labelled_person
from extractors.guided import find_code, find_name
from extractors.kv.labels import label_at, opens_with_label
from extractors.kv.select import kv_fields, reading_method, role_check
from extractors.parsers.names import find_participant, partly_named
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


# The type readers written for the first fixture layouts read a month from the first date after
# a "periode" label, wherever it stands: on layouts they were not written for, that was another
# date (an anciënniteitsdatum, a payment date) every time it was the only reading (0 of 8, in
# four development sets), and a wrong month rejects. The layout-general reader alone reads it.
LAYOUT_GENERAL_ONLY = frozenset({FieldName.LOONSTROOK_MAAND})
# Their names and volumes are kept only when they are what they claim to be: not a label
# ("Praktijkopleider", "Adres", "School" were read as values), with letters, and a volume
# with a number.
NAMED = frozenset(
    {
        FieldName.LEERBEDRIJF,
        FieldName.ONDERWIJSINSTELLING,
        FieldName.OPLEIDING,
        FieldName.OPLEIDER,
        FieldName.WERKGEVER,
        FieldName.BPV_OMVANG,
    }
)
LETTERS = re.compile(r"[^\W\d_]{3}")
NUMBER = re.compile(r"\d")


def plausible(name: str, value: FieldValue) -> bool:
    """Whether a type reader's value may stand (see LAYOUT_GENERAL_ONLY and NAMED)."""
    if name in LAYOUT_GENERAL_ONLY:
        return False
    if name not in NAMED or not isinstance(value.value, str):
        return True
    text = value.value.strip()
    if not LETTERS.search(text) or opens_with_label(text) or _other_fields(name, text):
        return False
    return name != FieldName.BPV_OMVANG or bool(NUMBER.search(text))


def _other_fields(name: str, text: str) -> bool:
    """A row that is another text field's label and value ("Cursus Basiscursus palliatieve
    zorg" under a blank "Opleider"): the row below a label is not its value then."""
    label = label_at(text)
    if label is None or label.field == name or label.field not in NAMED:
        return False
    return bool(text[label.end :].strip()) and text[:1].isupper() and label.phrase.istitle()


PARTLY_NAMED = 0.3  # below the field threshold: the participant is not found, not absent
UNRECOGNISED = 0.45  # below core.report's field threshold: the document goes to review


def _unrecognised_education(fields: dict[str, FieldValue], hints: Hints) -> None:
    """An education read that is neither the registered one nor a known qualification is
    kept as read but unsure: a mismatch needs an education's name on the page, and a misread
    ("kwalificatie) Crebo-nr.") or an unknown name is for a reviewer to judge."""
    from extractors.parsers.qualifications import is_known

    fv = fields.get(FieldName.OPLEIDING)
    if fv is None or not isinstance(fv.value, str) or not fv.value.strip():
        return
    if not is_known(fv.value, (hints.education or "",)):
        fields[FieldName.OPLEIDING] = fv.model_copy(
            update={"confidence": min(fv.confidence, UNRECOGNISED)}
        )


def extract_fields(document: Document, doc_type: DocType, hints: Hints) -> dict[str, FieldValue]:
    """The canonical fields of `doc_type` found in `document`. `deelnemer` is the registered
    participant when found on it, else the person the document names (if any)."""
    text = DocumentText.of(document)
    extractor = BY_TYPE.get(doc_type)
    fields = extractor.extract(text, hints) if extractor and extractor.extract else {}
    fields = {name: value for name, value in fields.items() if plausible(name, value)}
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
    _unrecognised_education(fields, hints)
    if PARTICIPANT.covers(doc_type):
        person = find_participant(text, hints.participant) if hints.participant else None
        person = person or labelled_person(text, EXTRACTOR)
        if person is not None:
            fields[FieldName.DEELNEMER] = person
        elif any(line.words for line in text):  # nobody named: absent, unless OCR lost ink
            # most of the name's words on one line, misread: not found, not absent (review)
            partly = bool(hints.participant) and partly_named(text, hints.participant or "")
            fields[FieldName.DEELNEMER] = FieldValue(
                value=None,
                confidence=PARTLY_NAMED if partly else 0.8,
                extractor=EXTRACTOR,
                method=reading_method(text),
            )
    return fields


Ink = Callable[[int, BBox], int]  # square millimetres of unread ink in a box on a page
# Where a blank label's value would stand: beside it on its row, or under it.
RIGHT_REACH = 0.3  # page widths
BELOW_ROWS = 2.5  # label heights
BELOW_WIDTH = 0.15  # page widths at least
MIN_UNREAD_MM2 = 4
MAX_LOST_INK_MM2 = 150


def value_places(label: BBox) -> tuple[BBox, BBox]:
    """The places a label's value is printed: beside it on its row, and under it."""
    beside = BBox(x0=label.x1, y0=label.y0, x1=min(1.0, label.x1 + RIGHT_REACH), y1=label.y1)
    under = BBox(
        x0=label.x0,
        y0=label.y1,
        x1=min(1.0, label.x0 + max(label.x1 - label.x0, BELOW_WIDTH)),
        y1=min(1.0, label.y1 + BELOW_ROWS * (label.y1 - label.y0)),
    )
    return beside, under


def unsure_blanks(fields: dict[str, FieldValue], ink: Ink, lost: int = 0) -> list[str]:
    """Drop the absences a scan cannot prove (OCR lost the value, it was not left empty):
    - a label read with no value after it, where ink no word explains stands in the value's
      place;
    - no value of the field's kind anywhere, on a document where OCR left `lost` square
      millimetres of ink unread on a page (measured: 17 and 94 where all was read, 288 to 770
      where table cells were lost).
    Dropped, the field is not found (review) instead of absent (reject). Returns the fields
    dropped."""
    dropped = []
    for name, value in list(fields.items()):
        if value.value is not None or value.method is not WordSource.OCR:
            continue
        if value.bbox is None or value.page is None:
            unsure = lost > MAX_LOST_INK_MM2
        else:
            places = value_places(value.bbox)
            unsure = any(ink(value.page, place) >= MIN_UNREAD_MM2 for place in places)
        if unsure:
            del fields[name]
            dropped.append(name)
    return dropped
