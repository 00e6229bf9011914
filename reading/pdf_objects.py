"""Every object of a PDF looked at before any page is drawn, for what would make drawing it
cost more than a page should: an image that declares too many pixels (in its dictionary, in
its JPEG header, or inline in a content stream) and a compressed stream that inflates far beyond
its size (a Flate bomb in a content stream, a form, a font or an object stream).

The walk goes over the file's objects, not over what a page draws, so an image is found
wherever it hides: nested forms of any depth, an annotation's appearance, a tiling pattern, a
soft mask, a Type 3 glyph. Image data is never decoded; other Flate streams are inflated in
chunks and thrown away, so the check itself stays within a few MB and linear in the file."""

from __future__ import annotations

import io
import logging
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from core.settings import Limits
from reading.jpeg_header import frame, holds_too_little
from reading.pdf_draws import most_draws, resolved

log = logging.getLogger(__name__)

_SAVE_AGAIN = (
    "Sla het document opnieuw op als PDF (bijvoorbeeld met 'Afdrukken als PDF') of scan het, "
    "en upload het opnieuw."
)
_CHUNK = 1 << 20
# XObjects one page may draw once its forms are expanded: ten thousand full-page fills took
# pdfium about a second at 300 dpi, a hundred thousand ten.
MAX_DRAWS = 20_000
# A content stream kept for the inline-image search only up to this size (after inflating).
_INLINE_SEARCH_BYTES = 16 << 20
_INLINE = re.compile(rb"(?<![A-Za-z])BI(?![A-Za-z])(.{0,600}?)(?<![A-Za-z])ID(?![A-Za-z])", re.S)
_INLINE_W = re.compile(rb"/W(?:idth)?\s+(\d{1,9})")
_INLINE_H = re.compile(rb"/H(?:eight)?\s+(\d{1,9})")


@dataclass(frozen=True)
class Costly:
    """What makes the file too costly to draw: a reason for the log (no content) and the
    Dutch message for the finding."""

    reason: str
    message: str


def _too_many_pixels(width: int, height: int, where: str) -> Costly:
    return Costly(
        f"{where} image of {width}x{height} px",
        f"Het PDF-bestand bevat een afbeelding die veel te groot is om te controleren "
        f"({width}×{height} pixels). Upload een scan met een lagere resolutie "
        "(bijvoorbeeld 300 dpi).",
    )


def _bomb(inflated: int, packed: int) -> Costly:
    return Costly(
        f"stream of {packed} bytes inflates beyond {inflated} bytes",
        "Het PDF-bestand bevat ingepakte gegevens die bij het uitpakken veel te groot worden "
        f"om te controleren. {_SAVE_AGAIN}",
    )


def costly_object(data: bytes, limits: Limits) -> Costly | None:
    """The first object of the PDF `data` that drawing it would pay too much for, or None.
    A file that pypdf cannot parse is left to pdfium (None): this check only adds refusals."""
    from pypdf import PdfReader

    pypdf_log = logging.getLogger("pypdf")
    level = pypdf_log.level
    pypdf_log.setLevel(logging.CRITICAL)  # its warnings about broken files are not ours
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        drawers: dict[int, Any] = {}
        for number, stream in _streams(reader):
            found = _check_stream(stream, limits)
            if found is not None:
                return found
            if str(_value(stream, "/Subtype")) == "/Form" or _value(stream, "/PatternType") == 1:
                drawers[number] = stream
        draws = most_draws(reader, drawers, MAX_DRAWS)
        if draws > MAX_DRAWS:
            return Costly(
                f"a page draws over {MAX_DRAWS} objects once its forms are expanded",
                "Het PDF-bestand tekent zijn inhoud zo vaak opnieuw dat het te zwaar is om te "
                f"controleren. {_SAVE_AGAIN}",
            )
    except Exception as exc:  # pypdf raises many kinds on broken files; pdfium decides those
        log.debug("PDF objects not readable: %s", type(exc).__name__)
    finally:
        pypdf_log.setLevel(level)
    return None


def _streams(reader: Any) -> Iterator[tuple[int, Any]]:
    """Every stream object of the file: from the cross-reference tables and the object
    streams (each object once; one that cannot be read is skipped)."""
    from pypdf.generic import IndirectObject, StreamObject

    seen: set[int] = set()
    numbers = [
        (number, generation)
        for generation, table in reader.xref.items()
        for number in table
        if generation != 65535
    ]
    numbers += [(number, 0) for number in getattr(reader, "xref_objStm", {})]
    for number, generation in numbers:
        if number in seen:
            continue
        seen.add(number)
        try:
            obj = reader.get_object(IndirectObject(number, generation, reader))
        except Exception:  # one object that cannot be read does not hide the others
            continue
        if isinstance(obj, StreamObject):
            yield number, obj


def _value(stream: Any, key: str) -> Any:
    return resolved(stream.get(key))


def _number(value: Any) -> int:
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return 0


def _filters(stream: Any) -> list[str]:
    value = _value(stream, "/Filter")
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    return [str(resolved(item)) for item in items]


def _check_stream(stream: Any, limits: Limits) -> Costly | None:
    raw: bytes = getattr(stream, "_data", b"") or b""
    filters = _filters(stream)
    if str(_value(stream, "/Subtype")) == "/Image":
        return _check_image(stream, raw, filters, limits)
    if not filters:
        return _check_inline_images(raw, limits)
    if filters[0] in ("/FlateDecode", "/Fl"):
        return _inflate_checked(raw, limits)
    return None


def _check_image(stream: Any, raw: bytes, filters: list[str], limits: Limits) -> Costly | None:
    width, height = _number(_value(stream, "/Width")), _number(_value(stream, "/Height"))
    if width * height / 1e6 > limits.max_megapixels:
        return _too_many_pixels(width, height, "declared")
    if filters == ["/DCTDecode"] or filters == ["/DCT"]:
        found = frame(raw)
        if found is not None and found.width * found.height / 1e6 > limits.max_megapixels:
            return _too_many_pixels(found.width, found.height, "JPEG header of an")
        if found is not None and holds_too_little(raw, found):
            return Costly(
                f"JPEG image of {found.width}x{found.height} px in {len(raw)} bytes",
                "Het PDF-bestand bevat een afbeelding die beschadigd is: ze zegt veel groter "
                "te zijn dan de gegevens die erin staan. Sla het document opnieuw op als PDF "
                "of scan het, en upload het opnieuw.",
            )
    return None


def _inflate_checked(raw: bytes, limits: Limits) -> Costly | None:
    """Inflate `raw` in chunks without keeping it (beyond what the inline-image search needs);
    a bomb when it grows past `limits.max_inflated_mb`."""
    limit = int(limits.max_inflated_mb * (1 << 20))
    inflater = zlib.decompressobj()
    kept = bytearray()
    total = 0
    pending = raw
    try:
        while pending:
            chunk = inflater.decompress(pending, _CHUNK)
            pending = inflater.unconsumed_tail
            total += len(chunk)
            if total > limit:
                return _bomb(limit, len(raw))
            if total <= _INLINE_SEARCH_BYTES:
                kept += chunk
            if not chunk and not pending:
                break
    except zlib.error:
        pass  # pdfium reads what inflates and reports the rest as unreadable
    return _check_inline_images(bytes(kept), limits)


def _check_inline_images(content: bytes, limits: Limits) -> Costly | None:
    """An inline image (`BI … ID`) in a content stream that declares too many pixels."""
    if b"BI" not in content:
        return None
    for match in _INLINE.finditer(content):
        head = match.group(1)
        width, height = _INLINE_W.search(head), _INLINE_H.search(head)
        if width and height:
            w, h = int(width.group(1)), int(height.group(1))
            if w * h / 1e6 > limits.max_megapixels:
                return _too_many_pixels(w, h, "inline")
    return None
