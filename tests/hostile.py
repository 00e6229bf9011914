"""A corpus of hostile uploads for the hardening tests (and `benchmarks/fuzz.py`'s seeds): each
kind is a file name (often lying about its type), its bytes, the finding it must get and words
its Dutch message must contain. PDFs without reportlab are written object by object
(`raw_pdf`), so the tests control every dictionary an attacker could.

`python -m tests.hostile measure FOLDER` processes every file in FOLDER in its own forked
child and prints one JSON line per file with its seconds and peak RSS (used by
tests/test_hostile.py to bound time and memory per file without importing twice)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from PIL import Image

from tests import factories
from tests.hostile_bombs import (
    annotation_image_bomb_pdf,
    flate_bomb_pdf,
    font_bomb_pdf,
    form_fanout_pdf,
    inline_image_bomb_pdf,
    jpeg_lies_pdf,
    nested_image_bomb_pdf,
    object_flood_pdf,
    pattern_image_bomb_pdf,
    soft_mask_image_bomb_pdf,
    stream_flood_pdf,
    type3_image_bomb_pdf,
)
from tests.pdfkit import _stream, page_pdf, raw_pdf


@dataclass(frozen=True)
class Hostile:
    """One hostile upload and what the pipeline must say about it."""

    kind: str
    name: str
    data: bytes
    code: str | None  # the finding code of the file; None: it is checked as usual
    words: str  # in the Dutch message


def huge_page_pdf() -> bytes:
    """A tiny PDF whose one page is 200 x 200 inches (renders to gigapixels at 300 dpi)."""
    return page_pdf(14400, 14400)


def image_bomb_pdf(side: int = 40000) -> bytes:
    """An A4 page that draws one image declared as `side` x `side` gray pixels, stored as a
        small Flate stream: a decompression bomb inside a PDF (before intake looked at image sizes,
    rendering it took 16 s and 1.9 GB)."""
    # Only the first 1 MiB of pixels is stored: a reader that trusts the header still
    # allocates side x side bytes (1.6 GB for 40000), and the file stays small and fast to make.
    packed = zlib.compress(bytes(1 << 20), 9)
    content = b"q 595 0 0 842 0 0 cm /Im0 Do Q"
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /XObject << /Im0 5 0 R >> >> /Contents 4 0 R >>",
            _stream("", content),
            _stream(
                f"/Type /XObject /Subtype /Image /Width {side} /Height {side} "
                "/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode",
                bytes(packed),
            ),
        ]
    )


def many_pages_pdf(pages: int = 400) -> bytes:
    """A PDF of `pages` empty A4 pages (over `Limits.max_pages`)."""
    kids = " ".join(f"{3 + i} 0 R" for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
    ]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * pages
    return raw_pdf(objects)


def lying_count_pdf() -> bytes:
    """One page whose page tree claims a million (a reader that trusts /Count loops long)."""
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1000000 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        ]
    )


def truncated_jpeg() -> bytes:
    """A photo cut off after its header: the size is known, the pixels are not."""
    data = factories.jpeg()
    return data[: len(data) // 3]


def blank_pdf() -> bytes:
    """One white A4 page: nothing to read."""
    return page_pdf()


def blank_jpeg() -> bytes:
    """A photo of an empty white sheet."""
    return factories.jpeg(Image.new("L", (1240, 1754), 255))


def active_pdf() -> bytes:
    """A readable document (text layer) that also carries an /OpenAction JavaScript, a
    /Names /JavaScript entry and an /EmbeddedFiles attachment (an .exe)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(factories.text_pdf())))
    action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('bewijscheck-hostile-js');"),
        }
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    writer.add_attachment("factuur.exe", b"MZ\x90\x00 not really a program")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def text_file() -> bytes:
    return b"Beste SSC,\nhierbij de loonstrook van Jan.\n"


@cache
def corpus() -> tuple[Hostile, ...]:
    """Every hostile kind, with the finding it must get (made once: the Flate bombs take a
    second to pack)."""
    unreadable, not_allowed = "FILE_UNREADABLE", "FILE_TYPE_NOT_ALLOWED"
    return (
        Hostile("empty", "leeg.pdf", b"", unreadable, "leeg"),
        Hostile("truncated_pdf", "afgebroken.pdf", factories.truncated_pdf(), unreadable,
                "onvolledig"),
        Hostile("encrypted_pdf", "beveiligd.pdf", factories.encrypted_pdf(), unreadable,
                "wachtwoord"),
        Hostile("corrupt_pdf", "kapot.pdf", factories.corrupt_pdf(), unreadable, "beschadigd"),
        Hostile("docx_as_pdf", "contract.pdf", factories.docx(), not_allowed, "Word"),
        Hostile("docx_as_jpeg", "contract.jpg", factories.docx(), not_allowed, "Word"),
        Hostile("txt_as_pdf", "loonstrook.pdf", text_file(), not_allowed, "tekstbestand"),
        Hostile("png_as_jpeg", "scan.jpg", factories.png(), not_allowed, "PNG"),
        Hostile("png_as_pdf", "scan.pdf", factories.png(), not_allowed, "PNG"),
        Hostile("jpeg_bomb", "foto.jpg", factories.jpeg_bomb(60000, 60000), unreadable,
                "te groot"),
        Hostile("pdf_huge_page", "poster.pdf", huge_page_pdf(), unreadable, "te groot"),
        Hostile("pdf_image_bomb", "bom.pdf", image_bomb_pdf(), unreadable, "te groot"),
        Hostile("pdf_400_pages", "dik.pdf", many_pages_pdf(400), unreadable, "400 pagina's"),
        Hostile("pdf_lying_count", "telling.pdf", lying_count_pdf(), unreadable, "pagina's"),
        Hostile("truncated_jpeg", "half.jpg", truncated_jpeg(), unreadable, "beschadigd"),
        Hostile("blank_pdf", "leeg-blad.pdf", blank_pdf(), "DOC_UNREADABLE", "leesbaar"),
        Hostile("blank_jpeg", "leeg-blad.jpg", blank_jpeg(), "DOC_UNREADABLE", "leesbaar"),
        Hostile("pdf_javascript", "actief.pdf", active_pdf(), "ACTIVE_CONTENT", "JavaScript"),
        Hostile("pdf_nested_image_bomb", "formulier.pdf", nested_image_bomb_pdf(), unreadable,
                "te groot"),
        Hostile("pdf_annotation_image_bomb", "stempel.pdf", annotation_image_bomb_pdf(),
                unreadable, "te groot"),
        Hostile("pdf_pattern_image_bomb", "patroon.pdf", pattern_image_bomb_pdf(), unreadable,
                "te groot"),
        Hostile("pdf_soft_mask_image_bomb", "masker.pdf", soft_mask_image_bomb_pdf(),
                unreadable, "te groot"),
        Hostile("pdf_inline_image_bomb", "inline.pdf", inline_image_bomb_pdf(), unreadable,
                "te groot"),
        Hostile("pdf_type3_image_bomb", "letter.pdf", type3_image_bomb_pdf(), unreadable,
                "te groot"),
        Hostile("pdf_jpeg_lies", "foto-in-pdf.pdf", jpeg_lies_pdf(), unreadable, "te groot"),
        Hostile("pdf_flate_bomb", "zip.pdf", flate_bomb_pdf(), unreadable, "uitpakken"),
        Hostile("pdf_font_bomb", "lettertype.pdf", font_bomb_pdf(), unreadable, "uitpakken"),
        Hostile("pdf_stream_flood", "vloed.pdf", stream_flood_pdf(), "DOC_UNREADABLE",
                "leesbaar"),
        Hostile("pdf_form_fanout", "herhaling.pdf", form_fanout_pdf(), unreadable,
                "te zwaar"),
        Hostile("pdf_object_flood", "objecten.pdf", object_flood_pdf(), unreadable,
                "beschadigd"),
        Hostile("jpeg_declares_more", "groot.jpg", factories.jpeg_bomb(8000, 8000), unreadable,
                "beschadigd"),
    )  # fmt: skip


def measure(folder: Path) -> None:
    """Process each file of `folder` in a forked child; print seconds and peak RSS per file."""
    from core.enums import Slot
    from core.settings import Settings
    from pipeline.process import process_document

    settings = Settings(data_dir=folder / ".data")
    process_document(factories.text_pdf(), file="warm.pdf", slot=Slot.PRAKTIJKOVEREENKOMST,
                     settings=settings)  # fmt: skip
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        started = time.perf_counter()
        pid = os.fork()
        if pid == 0:  # the child: one document, then out without cleanup
            code = 0
            try:
                result = process_document(
                    path.read_bytes(),
                    file=path.name,
                    slot=Slot.PRAKTIJKOVEREENKOMST,
                    settings=settings,
                )
                codes = [f.code.value for f in result.findings]
                sys.stdout.write(json.dumps({"file": path.name, "codes": codes}) + "\n")
                sys.stdout.flush()
            except BaseException as exc:
                sys.stdout.write(json.dumps({"file": path.name, "error": repr(exc)}) + "\n")
                sys.stdout.flush()
                code = 1
            os._exit(code)
        _, status, usage = os.wait4(pid, 0)
        line = {
            "file": path.name,
            "seconds": round(time.perf_counter() - started, 3),
            "max_rss_mb": round(usage.ru_maxrss / 1024, 1),
            "status": status,
        }
        sys.stdout.write(json.dumps(line) + "\n")
        sys.stdout.flush()


def measured(folder: Path, checkout: Path, timeout: float = 180) -> dict[str, dict[str, Any]]:
    """`python -m tests.hostile measure FOLDER` run in `checkout` (this tree, or another one
    to compare with): per file its finding codes (or error), seconds, peak RSS and status."""
    run = subprocess.run(
        [sys.executable, "-m", "tests.hostile", "measure", str(folder)],
        cwd=checkout,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "OMP_THREAD_LIMIT": "1", "PYTHONPATH": str(checkout)},
    )
    if run.returncode != 0:
        raise RuntimeError(run.stderr[-2000:])
    lines = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    found: dict[str, dict[str, Any]] = {}
    for line in lines:
        found.setdefault(line["file"], {}).update(line)
    return found


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "measure":
        measure(Path(sys.argv[2]))
    else:
        sys.exit("usage: python -m tests.hostile measure FOLDER")
