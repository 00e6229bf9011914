"""Integrity of an uploaded PDF: its digital signatures (extractors/esign.py), traces of
e-signing services in the text, and signs of editing, each with a Dutch reason:

- `tekstlaag`: the text layer draws different texts over each other (a month typed over a
  white-boxed one); the page was OCR'd instead, so we say what the layer holds and what OCR
  saw at that place;
- `na_ondertekening`: page content changed by an incremental update after signing (this is
  reported as DIGITAL_SIGNATURE_INVALID, not again as tampering);
- `incrementele_update`: an unsigned PDF whose later revision redefines the content of a page
  that an earlier revision already had (metadata-only or annotation updates do not count).

`integrity_fields(data, document)` returns only the fields that have something to say, so a
clean document gets none: `digital_signatures`, `esignatures`, `tampering`."""

from __future__ import annotations

import logging
import re
from typing import Any

from rapidfuzz import fuzz

from core.enums import MediaType, WordSource
from core.fields import FieldName
from core.geometry import BBox
from core.model import Document, FieldValue, Page
from extractors.esign import PdfSignature, content_changed, pdf_signatures, signature_traces
from extractors.registry import everywhere
from reading.text_layer import conflicting_glyphs, overlapping_runs

log = logging.getLogger(__name__)

EXTRACTOR = "extractors.integrity"
# Every readable upload is looked at, whatever its type.
INTEGRITY = everywhere(
    EXTRACTOR,
    produces=(FieldName.ESIGNATURES, FieldName.DIGITAL_SIGNATURES, FieldName.TAMPERING),
)
# A region of the text layer is compared with OCR words whose middle lies within it, widened
# by this share of its height above and below.
ROW_SLACK = 0.6
_EOF = re.compile(rb"%%EOF")


def _region(pair: tuple[dict[str, Any], dict[str, Any]], width: float, height: float) -> BBox:
    a, b = pair
    return BBox.from_pixels(
        min(a["x0"], b["x0"]),
        min(a["top"], b["top"]),
        max(a["x1"], b["x1"]),
        max(a["bottom"], b["bottom"]),
        width,
        height,
    )


def _seen_there(page: Page | None, region: BBox) -> str:
    """The OCR words at `region` of the page, left to right."""
    if page is None or page.source is not WordSource.OCR:
        return ""
    slack = ROW_SLACK * region.height
    words = [
        w
        for w in page.words
        if region.y0 - slack <= w.bbox.center_y <= region.y1 + slack
        and w.bbox.x1 > region.x0
        and w.bbox.x0 < region.x1
    ]
    return " ".join(w.text for w in sorted(words, key=lambda w: w.bbox.x0))


def _layer_sign(page_no: int, pair: tuple[dict, dict], region: BBox, seen: str) -> dict:
    a, b = pair[0]["text"], pair[1]["text"]
    if seen:
        visible, hidden = (a, b) if fuzz.ratio(seen, a) >= fuzz.ratio(seen, b) else (b, a)
        reason = (
            f"De tekstlaag op pagina {page_no} bevat op dezelfde plek twee verschillende "
            f"teksten over elkaar (tekstlaag: '{hidden}', zichtbaar: '{seen}'); de zichtbare "
            f"tekst is waarschijnlijk over de oorspronkelijke heen gezet."
        )
        texts = {"tekstlaag": hidden, "zichtbaar": seen, "ook_in_tekstlaag": visible}
    else:
        reason = (
            f"De tekstlaag op pagina {page_no} bevat op dezelfde plek twee verschillende "
            f"teksten over elkaar: '{a}' en '{b}'."
        )
        texts = {"tekstlaag": a, "ook_in_tekstlaag": b}
    return {"soort": "tekstlaag", "reden": reason, "page": page_no, "bbox": region, **texts}


def text_layer_signs(data: bytes, document: Document) -> list[dict[str, Any]]:
    """Pages whose text layer contradicts itself (only pages that were OCR'd for it)."""
    import pypdfium2 as pdfium

    from reading.pdf_chars import page_chars

    ocr_pages = {p.number: p for p in document.pages if p.source is WordSource.OCR}
    if not ocr_pages:
        return []
    signs: list[dict[str, Any]] = []
    try:
        pdf = pdfium.PdfDocument(data)
        try:
            for number in sorted(ocr_pages):
                page = pdf[number - 1]
                try:
                    chars = page_chars(page)
                    width, height = page.get_size()
                finally:
                    page.close()
                if not chars or conflicting_glyphs(chars) == 0:
                    continue
                for pair in overlapping_runs(chars):
                    region = _region(pair, width, height)
                    seen = _seen_there(ocr_pages.get(number), region)
                    signs.append(_layer_sign(number, pair, region, seen))
        finally:
            pdf.close()
    except Exception as exc:  # a broken layer is text.py's concern, not a tampering sign
        log.info("text layer not compared (%s)", type(exc).__name__)
    return signs


def incremental_update_signs(data: bytes) -> list[dict[str, Any]]:
    """An earlier revision of an unsigned PDF whose page content a later update replaced."""
    ends = [m.end() for m in _EOF.finditer(data)]
    if len(ends) < 2:
        return []
    linearized = b"/Linearized" in data[:1024]
    for end in ends[1 if linearized else 0 : -1]:
        if content_changed(data[:end], data):
            return [
                {
                    "soort": "incrementele_update",
                    "reden": (
                        "De PDF is na het opmaken bewerkt: een latere versie in het bestand "
                        "vervangt de inhoud van een pagina."
                    ),
                    "page": None,
                    "bbox": None,
                }
            ]
    return []


def _signature_signs(signatures: list[PdfSignature]) -> list[dict[str, Any]]:
    return [
        {
            "soort": "na_ondertekening",
            "reden": "De pagina-inhoud is gewijzigd nadat het document digitaal was ondertekend.",
            "page": None,
            "bbox": None,
        }
        for s in signatures
        if s.modified_after_signing
    ][:1]


def _field(value: Any, page: int | None, bbox: BBox | None, source: str | None) -> FieldValue:
    return FieldValue(
        value=value,
        page=page,
        bbox=bbox,
        confidence=0.9,
        source_text=source,
        extractor=EXTRACTOR,
    )


def integrity_fields(data: bytes, document: Document | None) -> dict[str, FieldValue]:
    """The integrity fields of one readable document (none when there is nothing to say)."""
    if document is None:
        return {}
    fields: dict[str, FieldValue] = {}
    traces = signature_traces(document.pages)
    if traces:
        first = traces[0]
        fields[FieldName.ESIGNATURES] = _field(
            traces, first["page"], BBox.model_validate(first["bbox"]), None
        )
    if document.media_type is not MediaType.PDF:
        return fields
    signatures = pdf_signatures(data)
    if signatures:
        value = [s.as_dict() for s in signatures]
        fields[FieldName.DIGITAL_SIGNATURES] = _field(value, None, None, None)
    signs = text_layer_signs(data, document) + _signature_signs(signatures)
    if not signatures:
        signs += incremental_update_signs(data)
    if signs:
        first = signs[0]
        value = [{**s, "bbox": s["bbox"].model_dump() if s["bbox"] else None} for s in signs]
        fields[FieldName.TAMPERING] = _field(value, first["page"], first["bbox"], first["reden"])
    return fields
