"""Intake: decide a file's type by its content (never its name) and refuse what cannot be
checked safely: other types, empty, truncated, corrupt or password-protected files, and files
over the size, page or pixel limits. Refusals raise `IntakeError` with a CONTRACT code and a
Dutch message that says what to upload instead."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

import pypdfium2 as pdfium
from PIL import Image

from pipeline.enums import FindingCode, MediaType
from pipeline.errors import IntakeError
from pipeline.settings import Limits

log = logging.getLogger(__name__)

_UPLOAD_AGAIN = "Upload het document opnieuw als PDF of JPG."

# Magic numbers of types people upload by mistake, to name them in the message.
_KNOWN_OTHER: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "een PNG-afbeelding"),
    (b"PK\x03\x04", "een Office- of zip-bestand (bijvoorbeeld Word .docx)"),
    (b"\xd0\xcf\x11\xe0", "een oud Office-bestand (bijvoorbeeld Word .doc)"),
    (b"GIF8", "een GIF-afbeelding"),
    (b"II*\x00", "een TIFF-afbeelding"),
    (b"MM\x00*", "een TIFF-afbeelding"),
    (b"{\\rtf", "een RTF-tekstbestand"),
    (b"RIFF", "een WebP- of mediabestand"),
)


@dataclass(frozen=True)
class Intake:
    """A file that passed intake."""

    document_id: str
    media_type: MediaType
    size_bytes: int
    page_count: int


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sniff(data: bytes) -> MediaType | None:
    """PDF or JPEG by content; None for anything else."""
    if data.startswith(b"\xff\xd8\xff"):
        return MediaType.JPEG
    # The PDF header may be preceded by junk; readers accept it within the first 1 KiB.
    if b"%PDF-" in data[:1024]:
        return MediaType.PDF
    return None


def describe_other(data: bytes) -> str:
    """A Dutch description of a non-PDF, non-JPEG file, for the finding message."""
    for magic, name in _KNOWN_OTHER:
        if data.startswith(magic):
            return name
    head = data[:512]
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return "een bestandstype dat niet is toegestaan"
    if head.lstrip().lower().startswith((b"<!doctype html", b"<html")):
        return "een HTML-pagina"
    return "een tekstbestand"


def _unreadable(reason: str, message: str) -> IntakeError:
    return IntakeError(FindingCode.FILE_UNREADABLE, message, reason)


def check_pdf(data: bytes, limits: Limits) -> int:
    """Open the PDF and check it against the limits; return its page count."""
    if b"%%EOF" not in data[-4096:]:
        raise _unreadable(
            "truncated PDF: no %%EOF at the end",
            "Het PDF-bestand is onvolledig (afgebroken tijdens opslaan of uploaden). "
            + _UPLOAD_AGAIN,
        )
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        text = str(exc).lower()
        if "password" in text:
            raise _unreadable(
                "PDF needs a password",
                "Het PDF-bestand is beveiligd met een wachtwoord en kan niet worden gelezen. "
                "Upload een versie zonder wachtwoord.",
            ) from None
        raise _unreadable(
            f"corrupt PDF: {exc}",
            f"Het PDF-bestand is beschadigd en kan niet worden geopend. {_UPLOAD_AGAIN}",
        ) from None
    try:
        count = len(pdf)
        if count == 0:
            raise _unreadable(
                "PDF has no pages",
                f"Het PDF-bestand bevat geen pagina's. {_UPLOAD_AGAIN}",
            )
        if count > limits.max_pages:
            raise _unreadable(
                f"PDF has {count} pages, limit {limits.max_pages}",
                f"Het PDF-bestand heeft {count} pagina's; het maximum is {limits.max_pages}. "
                "Upload alleen de pagina's van dit document.",
            )
        for index in range(count):
            width, height = pdf.get_page_size(index)
            if max(width, height) / 72.0 > limits.max_page_inches:
                raise _unreadable(
                    f"page {index + 1} is {width:.0f}x{height:.0f} pt",
                    f"Pagina {index + 1} van het PDF-bestand is veel te groot om te controleren. "
                    "Upload het document op A4-formaat.",
                )
        return count
    finally:
        pdf.close()


def check_jpeg(data: bytes, limits: Limits) -> int:
    """Read the JPEG's header and check its pixel count (decompression bombs); return 1."""
    import io

    too_big = (
        "De afbeelding is te groot ({size}). "
        "Upload een foto of scan met een lagere resolutie (bijvoorbeeld 300 dpi)."
    )
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
    except Image.DecompressionBombError as exc:
        raise _unreadable(
            f"decompression bomb: {exc}", too_big.format(size="te veel pixels")
        ) from None
    except (OSError, ValueError) as exc:
        raise _unreadable(
            f"corrupt JPEG: {exc}",
            f"De JPG-afbeelding is beschadigd en kan niet worden geopend. {_UPLOAD_AGAIN}",
        ) from None
    megapixels = width * height / 1e6
    if megapixels > limits.max_megapixels:
        raise _unreadable(
            f"JPEG of {width}x{height} px ({megapixels:.0f} MP), limit {limits.max_megapixels}",
            too_big.format(size=f"{width}×{height} pixels"),
        )
    if width < 16 or height < 16:
        raise _unreadable(
            f"JPEG of {width}x{height} px is too small",
            f"De afbeelding is te klein om te lezen. {_UPLOAD_AGAIN}",
        )
    return 1


def intake(data: bytes, limits: Limits) -> Intake:
    """Accept `data` as a PDF or JPEG within the limits, or raise `IntakeError`."""
    size = len(data)
    if size == 0:
        raise _unreadable("empty file", f"Het bestand is leeg (0 bytes). {_UPLOAD_AGAIN}")
    if size > limits.max_bytes:
        mb = limits.max_bytes / (1024 * 1024)
        raise _unreadable(
            f"file of {size} bytes, limit {limits.max_bytes}",
            f"Het bestand is groter dan {mb:.0f} MB. Upload een kleinere versie, "
            "bijvoorbeeld gescand op 300 dpi of alleen de pagina's van dit document.",
        )
    media_type = sniff(data)
    if media_type is None:
        what = describe_other(data)
        raise IntakeError(
            FindingCode.FILE_TYPE_NOT_ALLOWED,
            f"Dit bestand is {what}. Alleen PDF of JPG is toegestaan; bewerkbare bestanden "
            "zoals Word worden niet geaccepteerd. Sla het document op als PDF (of scan het) "
            "en upload het opnieuw.",
            f"content is not PDF or JPEG ({what})",
        )
    check = check_pdf if media_type is MediaType.PDF else check_jpeg
    pages = check(data, limits)
    return Intake(
        document_id=sha256(data), media_type=media_type, size_bytes=size, page_count=pages
    )
