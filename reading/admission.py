"""Intake: decide a file's type by its content (never its name) and refuse what cannot be
checked safely: other types, empty, truncated, corrupt or password-protected files, and files
over the size, page or pixel limits (also images inside a PDF page that declare more pixels
than the limit: decompression bombs). Refusals raise `AdmissionError` with a CONTRACT code and a
Dutch message that says what to upload instead.

A PDF with active content (JavaScript, launch actions, embedded files) is accepted and checked
as usual, and `Intake.active_content` names what was found: nothing of it is ever run or
extracted (pdfium is used without a form environment, so no script runs), and the reviewer
gets an ACTIVE_CONTENT warning."""

from __future__ import annotations

import ctypes
import hashlib
import io
import logging
import re
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from core.enums import FindingCode, MediaType
from core.errors import AdmissionError
from core.settings import Limits
from reading.jpeg_header import frame, holds_too_little
from reading.pdf_draws import resolved
from reading.pdf_objects import costly_object

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
    active_content: tuple[str, ...] = ()  # e.g. ("JavaScript", "ingesloten bestanden")


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


def _unreadable(reason: str, message: str) -> AdmissionError:
    return AdmissionError(FindingCode.FILE_UNREADABLE, message, reason)


# A stream's start: the end of its dictionary, then the keyword (whitespace bounded, so the
# search stays linear however many `>` or spaces an attacker writes).
_DICT_STREAM = re.compile(rb">>[ \t\r\n]{0,64}stream\r?\n")
# Streams that start after the file's last `endstream`: a truncated file has one; pdfium looks
# for the end of each to the end of the file, so thousands of them cost it quadratic time
# (a 1 MB file of them took two minutes).
MAX_DANGLING_STREAMS = 16


def dangling_streams(data: bytes) -> int:
    """How many stream dictionaries start after the last `endstream` of `data` (at most one
    more than the limit is counted)."""
    last_end = data.rfind(b"endstream")
    tail = data if last_end < 0 else data[last_end:]
    count = 0
    for _ in _DICT_STREAM.finditer(tail):
        count += 1
        if count > MAX_DANGLING_STREAMS:
            break
    return count


def check_pdf(data: bytes, limits: Limits) -> int:
    """Open the PDF and check it against the limits; return its page count."""
    if b"%%EOF" not in data[-4096:]:
        raise _unreadable(
            "truncated PDF: no %%EOF at the end",
            "Het PDF-bestand is onvolledig (afgebroken tijdens opslaan of uploaden). "
            + _UPLOAD_AGAIN,
        )
    if dangling_streams(data) > MAX_DANGLING_STREAMS:
        raise _unreadable(
            f"corrupt PDF: over {MAX_DANGLING_STREAMS} streams without an end",
            f"Het PDF-bestand is beschadigd en kan niet worden geopend. {_UPLOAD_AGAIN}",
        )
    # before pdfium loads a page: loading one inflates its content and fonts
    costly = costly_object(data, limits)
    if costly is not None:
        raise _unreadable(costly.reason, costly.message)
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
            try:
                width, height = pdf.get_page_size(index)
            except pdfium.PdfiumError as exc:  # counted in the page tree, but not there
                raise _unreadable(
                    f"corrupt PDF: page {index + 1}: {exc}",
                    f"Het PDF-bestand is beschadigd en kan niet worden geopend. {_UPLOAD_AGAIN}",
                ) from None
            if max(width, height) / 72.0 > limits.max_page_inches:
                raise _unreadable(
                    f"page {index + 1} is {width:.0f}x{height:.0f} pt",
                    f"Pagina {index + 1} van het PDF-bestand is veel te groot om te controleren. "
                    "Upload het document op A4-formaat.",
                )
        for index in range(count):
            _check_images(pdf, index, limits)
    finally:
        pdf.close()
    return count


def _check_images(pdf: pdfium.PdfDocument, index: int, limits: Limits) -> None:
    """Refuse a page with an image that declares more pixels than the limit: rendering would
    decode it whole (a 40000 x 40000 image in a 1.5 MB PDF took 1.9 GB). Only the image
    dictionaries are read, never their data."""
    try:
        page = pdf[index]
    except pdfium.PdfiumError:
        return  # the text stage reports an unloadable page as FILE_UNREADABLE
    try:
        for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=8):
            width, height = ctypes.c_uint(), ctypes.c_uint()
            if not pdfium_c.FPDFImageObj_GetImagePixelSize(
                obj.raw, ctypes.byref(width), ctypes.byref(height)
            ):
                continue
            megapixels = width.value * height.value / 1e6
            if megapixels > limits.max_megapixels:
                raise _unreadable(
                    f"page {index + 1} has an image of {width.value}x{height.value} px "
                    f"({megapixels:.0f} MP), limit {limits.max_megapixels}",
                    f"Pagina {index + 1} van het PDF-bestand bevat een afbeelding die veel te "
                    f"groot is om te controleren ({width.value}×{height.value} pixels). Upload "
                    "een scan met een lagere resolutie (bijvoorbeeld 300 dpi).",
                )
    finally:
        page.close()


# Names of PDF actions and objects that can run code or carry files. `#xx` escapes in names
# are decoded first (`/Java#53cript` is `/JavaScript`).
_ACTIVE_NAMES = {
    b"JavaScript": "JavaScript",
    b"JS": "JavaScript",
    b"Launch": "een startopdracht voor een programma",
    b"EmbeddedFile": "ingesloten bestanden",
    b"EmbeddedFiles": "ingesloten bestanden",
    b"FileAttachment": "ingesloten bestanden",
    b"RichMedia": "multimedia-inhoud",
}
_NAME = re.compile(rb"/((?:[A-Za-z]|#[0-9A-Fa-f]{2}){2,40})(?=[\s/<>\[\]()%{}]|$)")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM_START = re.compile(rb"stream\r?\n")
_STREAM_END = b"endstream"


def _unescape(name: bytes) -> bytes:
    return _ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), name)


def _without_stream_data(data: bytes) -> bytes:
    """`data` with every stream's bytes left out (`stream endstream` kept), in one pass: a
    regex that looks for the end of each start (`stream\\n.*?endstream`) went back over the
    rest of the file for every start without an end, quadratic in a flood of `%stream` lines
    (125 KB took 8.5 s)."""
    parts: list[bytes] = []
    kept_from = 0
    for start in _STREAM_START.finditer(data):
        if start.start() < kept_from:
            continue  # inside the data of a stream already left out
        end = data.find(_STREAM_END, start.end())
        if end < 0:
            break  # no stream after this one has an end either
        parts += [data[kept_from : start.start()], b"stream endstream"]
        kept_from = end + len(_STREAM_END)
    parts.append(data[kept_from:])
    return b"".join(parts)


def active_content(data: bytes) -> tuple[str, ...]:
    """What in this PDF could run code or carry other files (Dutch names, sorted, unique):
    pdfium's count of attachments and document-level scripts, the names in the file's bytes,
    and the catalog's /OpenAction and /AA actions read with pypdf (which also sees objects
    inside compressed object streams). Never raises: a part that cannot be read is skipped."""
    found: set[str] = set()
    # names in the object structure only: compressed image and font data can hold `/JS`
    # followed by a delimiter by chance (a scan's JPEG did)
    structure = _without_stream_data(data)
    for match in _NAME.finditer(structure):
        name = match.group(1)
        what = _ACTIVE_NAMES.get(_unescape(name) if b"#" in name else name)
        if what:
            found.add(what)
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        pdf = None
    if pdf is not None:
        try:
            if pdfium_c.FPDFDoc_GetAttachmentCount(pdf.raw) > 0:
                found.add(_ACTIVE_NAMES[b"EmbeddedFiles"])
            if pdfium_c.FPDFDoc_GetJavaScriptActionCount(pdf.raw) > 0:
                found.add(_ACTIVE_NAMES[b"JavaScript"])
        finally:
            pdf.close()
    found.update(_catalog_actions(data))
    return tuple(sorted(found))


def _catalog_actions(data: bytes) -> set[str]:
    """The kinds of action the catalog starts on opening (/OpenAction, /AA)."""
    from pypdf import PdfReader
    from pypdf.generic import DictionaryObject

    found: set[str] = set()
    pypdf_log = logging.getLogger("pypdf")
    level = pypdf_log.level
    pypdf_log.setLevel(logging.CRITICAL)  # its warnings about broken files are not ours
    try:
        root = resolved(PdfReader(io.BytesIO(data), strict=False).trailer["/Root"])
        if not isinstance(root, DictionaryObject):
            return found
        actions = [root.get("/OpenAction")]
        additional = resolved(root.get("/AA"))
        if isinstance(additional, DictionaryObject):
            actions.extend(additional.values())
        for value in actions:
            action = resolved(value)
            if isinstance(action, DictionaryObject):
                kind = str(action.get("/S", "")).removeprefix("/").encode()
                if kind in _ACTIVE_NAMES:
                    found.add(_ACTIVE_NAMES[kind])
    except Exception as exc:  # pypdf raises many kinds on broken files; pdfium opened it
        log.debug("catalog actions not readable: %s", type(exc).__name__)
    finally:
        pypdf_log.setLevel(level)
    return found


def check_jpeg(data: bytes, limits: Limits) -> int:
    """Read the JPEG's header and check its pixel count (decompression bombs); return 1."""
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
    found = frame(data)
    if found is not None and holds_too_little(data, found):
        raise _unreadable(
            f"JPEG of {found.width}x{found.height} px in {len(data)} bytes",
            "De JPG-afbeelding is beschadigd: ze zegt veel groter te zijn dan de gegevens die "
            f"erin staan. {_UPLOAD_AGAIN}",
        )
    if width < 16 or height < 16:
        raise _unreadable(
            f"JPEG of {width}x{height} px is too small",
            f"De afbeelding is te klein om te lezen. {_UPLOAD_AGAIN}",
        )
    return 1


def check_size(size: int, limits: Limits) -> None:
    """Refuse an empty file or one over the size limit (also before reading it from disk)."""
    if size == 0:
        raise _unreadable("empty file", f"Het bestand is leeg (0 bytes). {_UPLOAD_AGAIN}")
    if size > limits.max_bytes:
        mb = limits.max_bytes / (1024 * 1024)
        raise _unreadable(
            f"file of {size} bytes, limit {limits.max_bytes}",
            f"Het bestand is groter dan {mb:.0f} MB. Upload een kleinere versie, "
            "bijvoorbeeld gescand op 300 dpi of alleen de pagina's van dit document.",
        )


def intake(data: bytes, limits: Limits) -> Intake:
    """Accept `data` as a PDF or JPEG within the limits, or raise `AdmissionError`."""
    size = len(data)
    check_size(size, limits)
    media_type = sniff(data)
    if media_type is None:
        what = describe_other(data)
        raise AdmissionError(
            FindingCode.FILE_TYPE_NOT_ALLOWED,
            f"Dit bestand is {what}. Alleen PDF of JPG is toegestaan; bewerkbare bestanden "
            "zoals Word worden niet geaccepteerd. Sla het document op als PDF (of scan het) "
            "en upload het opnieuw.",
            f"content is not PDF or JPEG ({what})",
        )
    if media_type is MediaType.PDF:
        pages = check_pdf(data, limits)
        active = active_content(data)
    else:
        pages, active = check_jpeg(data, limits), ()
    return Intake(
        document_id=sha256(data),
        media_type=media_type,
        size_bytes=size,
        page_count=pages,
        active_content=active,
    )
