"""Read the upload API's multipart form (`slot`, `bestand`) from the request stream with the
size limit enforced while reading: a declared Content-Length over the limit is refused before
a byte is read, and a body that grows past it (chunked, or a lying header) is refused as soon
as it does. The file part is spooled by Starlette (memory up to 1 MB, then a temporary file),
so an oversized upload never sits in memory. Errors are HTTPExceptions with Dutch details."""

from __future__ import annotations

import unicodedata
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from pathlib import PurePosixPath

from fastapi import HTTPException, Request, status
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from core.enums import Slot
from core.errors import TooLarge
from core.file_names import mask_bsn

# Room for the multipart boundaries, part headers and the slot field around the file.
FORM_OVERHEAD = 64 * 1024
MAX_NAME_CHARS = 200


@dataclass(frozen=True)
class Upload:
    slot: Slot
    filename: str
    data: bytes


def too_large(max_bytes: int) -> HTTPException:
    mb = max_bytes / (1024 * 1024)
    size = f"{mb:.0f} MB" if mb >= 1 else f"{max_bytes // 1024} kB"
    return HTTPException(
        status.HTTP_413_CONTENT_TOO_LARGE,
        detail=f"Het bestand is groter dan {size}. Upload een kleinere versie, bijvoorbeeld "
        "gescand op 300 dpi of alleen de pagina's van dit document.",
    )


def invalid(detail: str) -> HTTPException:
    return HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail=detail)


def safe_name(name: str | None) -> str:
    """The uploaded file's base name (NFC) without folders, control or format characters (NUL,
    the right-to-left override), a BSN in it masked; only a label in the report and the audit
    log, never a path: storage keys are the content's sha256."""
    text = unicodedata.normalize("NFC", name or "")
    text = "".join(c for c in text if c.isprintable() or c == "\\")
    base = mask_bsn(PurePosixPath(text.replace("\\", "/")).name.strip())
    base = base[-MAX_NAME_CHARS:]
    return "upload" if base in ("", ".", "..") else base


async def _limited(request: Request, limit: int) -> AsyncGenerator[bytes, None]:
    read = 0
    async for chunk in request.stream():
        read += len(chunk)
        if read > limit:
            raise TooLarge
        yield chunk


async def read_upload(request: Request, max_bytes: int) -> Upload:
    """The form's slot and file; 413 past `max_bytes`, 422 for a malformed form."""
    content_type = request.headers.get("content-type", "")
    if not content_type.lower().startswith("multipart/form-data"):
        raise invalid("Stuur het bestand als multipart/form-data met de velden slot en bestand.")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes + FORM_OVERHEAD:
        raise too_large(max_bytes)
    parser = MultiPartParser(
        request.headers,
        _limited(request, max_bytes + FORM_OVERHEAD),
        max_files=1,
        max_fields=4,
        max_part_size=4 * 1024,
    )
    try:
        form = await parser.parse()
    except TooLarge:
        raise too_large(max_bytes) from None
    except MultiPartException:
        raise invalid(
            "Het formulier kon niet worden gelezen. Stuur één bestand in het veld bestand en "
            "het vakje in het veld slot."
        ) from None
    try:
        bestand = form.get("bestand")
        if not isinstance(bestand, UploadFile):
            raise invalid("Het veld bestand ontbreekt: stuur het document als bestand.")
        if bestand.size is not None and bestand.size > max_bytes:
            raise too_large(max_bytes)
        slot = _slot(form.get("slot"))
        data = await bestand.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise too_large(max_bytes)
        return Upload(slot=slot, filename=safe_name(bestand.filename), data=data)
    finally:
        await form.close()


def _slot(value: object) -> Slot:
    allowed = ", ".join(s.value for s in Slot)
    if not isinstance(value, str) or not value.strip():
        raise invalid(f"Het veld slot ontbreekt. Kies een van: {allowed}.")
    try:
        return Slot(value.strip())
    except ValueError:
        raise invalid(f"Onbekend vakje '{value.strip()[:40]}'. Kies een van: {allowed}.") from None
