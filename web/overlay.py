"""What the document page draws: a box for every extracted field, each signature, the logo,
the stamp and every finding with a place on the page (page-relative fractions of the render,
drawn as percentages; the page's style sheet draws each border a few pixels outside the box, so
it never covers the glyphs). The field table is `web.field_table`."""

from __future__ import annotations

from dataclasses import dataclass

from core.fields import FieldName, label
from core.finding_labels import finding_label
from core.geometry import BBox
from core.model import FieldValue, Finding, ProcessedDocument

VISUAL: dict[str, str] = {
    FieldName.SIGNATURES: "handtekening",
    FieldName.LOGO_PRESENT: "logo",
    FieldName.STAMP_PRESENT: "stempel",
}
NO_BOX = {FieldName.SIGNATURE_COUNT}  # the same place as the first signature
KINDS = {
    "veld": "Gelezen veld",
    "handtekening": "Handtekening",
    "logo": "Logo",
    "stempel": "Stempel",
    "bevinding": "Bevinding",
}
METHODS = {"text_layer": "tekstlaag", "ocr": "OCR"}


def field_label(name: str) -> str:
    """The field's Dutch label (core/fields.py)."""
    return label(name)


@dataclass(frozen=True)
class Box:
    kind: str
    target: str  # id of the row in the field or finding list it belongs to
    page: int
    left: float  # percentages of the render
    top: float
    width: float
    height: float
    title: str


def _box(kind: str, target: str, page: int, bbox: BBox, title: str) -> Box:
    return Box(
        kind,
        target,
        page,
        round(bbox.x0 * 100, 3),
        round(bbox.y0 * 100, 3),
        round(max(bbox.x1 - bbox.x0, 0.002) * 100, 3),
        round(max(bbox.y1 - bbox.y0, 0.002) * 100, 3),
        title,
    )


def _signature_boxes(field: FieldValue) -> list[Box]:
    boxes = []
    for number, sig in enumerate(field.value or [], start=1):
        if not isinstance(sig, dict) or sig.get("page") is None or sig.get("bbox") is None:
            continue
        role = f" ({sig['rol']})" if sig.get("rol") else ""
        bbox = BBox.model_validate(sig["bbox"])
        title = f"Handtekening {number}{role}"
        target = f"veld-{FieldName.SIGNATURES}"
        boxes.append(_box("handtekening", target, int(sig["page"]), bbox, title))
    return boxes


def boxes(processed: ProcessedDocument, findings: list[tuple[str, Finding, bool]]) -> list[Box]:
    """Every box to draw over the document's page renders."""
    out: list[Box] = []
    for name, field in processed.fields.items():
        if name == FieldName.SIGNATURES:
            out.extend(_signature_boxes(field))
        elif name not in NO_BOX and field.page is not None and field.bbox is not None:
            kind = VISUAL.get(name, "veld")
            out.append(_box(kind, f"veld-{name}", field.page, field.bbox, field_label(name)))
    for key, finding, _ in findings:
        if finding.page is not None and finding.bbox is not None:
            title = f"{finding_label(finding.code.value)} ({finding.code.value})"
            out.append(_box("bevinding", f"bevinding-{key}", finding.page, finding.bbox, title))
    return out


def belongs_to(finding: Finding, processed: ProcessedDocument) -> bool:
    """Whether a finding is about this document (by its sha256, else by slot and file)."""
    if finding.document_id and processed.document_id:
        return finding.document_id == processed.document_id
    return finding.slot == processed.slot and finding.file == processed.file
