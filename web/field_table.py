"""The field table beside the page: every field of the document's type (the ones the reader
did not find too), each as registration value | read value | corrected value | confidence |
page, with an enlarged crop of the page where the value was read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from core.enums import DocType, Slot
from core.fields import EVERY_TYPE, FIELD_SPECS, FieldName, carried_by
from core.model import FieldValue, Page, ProcessedDocument
from core.registration import Registration
from review.cases import editable
from web.overlay import METHODS, NO_BOX, field_label
from web.ui import show

# The crop around a value: padding around its box, and the least share of the page it shows
# (a five-digit crebo would otherwise fill the panel with four glyphs).
PAD_X, PAD_Y = 0.02, 0.012
MIN_W, MIN_H, MAX_H = 0.42, 0.036, 0.3


@dataclass(frozen=True)
class Crop:
    """A part of a page render, as percentages for the crop's <img> (see field_table.html):
    the image is `scale`% of the frame's width, shifted left/up by `left`%/`top`% of the
    frame, and the frame has the part's aspect ratio."""

    page: int
    scale: float
    left: float
    top: float
    ratio: float  # width / height of the frame


def crop(field: FieldValue, page: Page | None) -> Crop | None:
    """The part of the page around `field`'s box, padded and at least MIN_W wide."""
    if field.bbox is None or field.page is None or page is None:
        return None
    box = field.bbox
    x0, x1 = box.x0 - PAD_X, box.x1 + PAD_X
    y0, y1 = box.y0 - PAD_Y, box.y1 + PAD_Y
    if x1 - x0 < MIN_W:
        middle = (x0 + x1) / 2
        x0, x1 = middle - MIN_W / 2, middle + MIN_W / 2
    if y1 - y0 < MIN_H:
        middle = (y0 + y1) / 2
        y0, y1 = middle - MIN_H / 2, middle + MIN_H / 2
    y1 = min(y1, y0 + MAX_H)
    x0, x1 = _inside(x0, x1)
    y0, y1 = _inside(y0, y1)
    width, height = x1 - x0, y1 - y0
    return Crop(
        page=field.page,
        scale=round(100 / width, 3),
        left=round(x0 / width * 100, 3),
        top=round(y0 / height * 100, 3),
        ratio=round(width * page.width / (height * page.height), 4),
    )


def _inside(low: float, high: float) -> tuple[float, float]:
    """The span moved (not shrunk, unless wider than the page) to lie within [0, 1]."""
    size = min(high - low, 1.0)
    low = min(max(low, 0.0), 1.0 - size)
    return low, low + size


def _month(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def registered(name: str, reg: Registration, slot: Slot) -> str:
    """What the registration says for the field, as the reviewer reads it ("" when nothing)."""
    period = f"{show(reg.startdatum.isoformat())} t/m {show(reg.einddatum.isoformat())}"
    if name == FieldName.LOONSTROOK_MAAND:
        if slot is Slot.LOONSTROOK_START:
            start = max(reg.startdatum, reg.datum_in_dienst or reg.startdatum)
            return show(_month(start))
        if slot is Slot.LOONSTROOK_EIND:
            return show(_month(reg.einddatum))
        return ""
    simple: dict[str, Any] = {
        FieldName.DEELNEMER: reg.deelnemer,
        FieldName.CREBO: reg.crebo,
        FieldName.OPLEIDING: reg.opleiding,
        FieldName.STARTDATUM: reg.startdatum,
        FieldName.EINDDATUM: reg.einddatum,
        FieldName.TRAINING_EINDDATUM: reg.einddatum,
        FieldName.DATUM_IN_DIENST: reg.datum_in_dienst,
        FieldName.LEERBEDRIJF: reg.organisatie,
        FieldName.WERKGEVER: reg.organisatie,
        FieldName.OPLEIDER: reg.opleider,
        FieldName.BESTUURDERS: reg.tekenbevoegde,
        FieldName.DIPLOMA_DATUM: f"tussen {period}",
        FieldName.LOONSTROOK_PERIODE: "",
        FieldName.BSN_PRESENT: "nee (afgeschermd)",
        FieldName.KVK_DATUM: "op of na 01-01-2024",
    }
    value = simple.get(name)
    if isinstance(value, date):
        return show(value.isoformat())
    return "" if value is None else str(value)


@dataclass(frozen=True)
class FieldRow:
    name: str
    label: str
    registered: str
    machine: FieldValue | None  # None: the reader did not find it
    corrected: Any  # None: not corrected
    is_corrected: bool
    editable: bool
    method: str
    has_box: bool
    crop: Crop | None
    current: str  # the value in effect, as the correction form shows it

    @property
    def read(self) -> Any:
        return self.machine.value if self.machine is not None else None

    @property
    def found(self) -> bool:
        return self.machine is not None and self.machine.value not in (None, "", [])


def _order(doc_type: DocType | None, present: list[str]) -> list[str]:
    """The type's own fields first (in the field registry's order), then the ones every
    document has, then anything else the document carries."""
    names = [str(n) for n in FIELD_SPECS]
    own = carried_by(doc_type) if doc_type else frozenset()
    typed = [n for n in names if n in own and FIELD_SPECS[FieldName(n)].types != EVERY_TYPE]
    every = [n for n in names if FIELD_SPECS[FieldName(n)].types == EVERY_TYPE]
    every = [n for n in every if doc_type or n in present]
    rest = [n for n in present if n not in typed and n not in every]
    return typed + every + sorted(rest)


def field_rows(
    processed: ProcessedDocument,
    corrections: dict[str, Any],
    registration: Registration,
) -> list[FieldRow]:
    """A row for every field of the document's type (`processed` as typed, with the fields
    read for that type) and every other field it carries; `corrections` by field name."""
    doc_type = processed.classified.doc_type if processed.classified else None
    pages = {p.number: p for p in processed.document.pages} if processed.document else {}
    rows = []
    for name in _order(doc_type, list(processed.fields)):
        if name == FieldName.SIGNATURE_COUNT and name not in processed.fields:
            continue
        field = processed.fields.get(name)
        value = field.value if field else None
        has_box = field is not None and (
            (field.page is not None and field.bbox is not None)
            or (name == FieldName.SIGNATURES and bool(value))
        )
        is_corrected = name in corrections
        shown = corrections[name] if is_corrected else value
        rows.append(
            FieldRow(
                name=name,
                label=field_label(name),
                registered=registered(name, registration, processed.slot),
                machine=field,
                corrected=corrections.get(name),
                is_corrected=is_corrected,
                editable=editable(name, value),
                method=METHODS.get(field.method.value, "") if field and field.method else "",
                has_box=has_box and name not in NO_BOX,
                crop=crop(field, pages.get(field.page or 0)) if field else None,
                current="" if shown is None else show(shown),
            )
        )
    return rows
