"""Small files made in the tests: born-digital and image-only PDFs, JPEGs, and broken or
hostile files of every intake kind. Each function returns bytes."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from checks.registry import severity_of
from core.enums import FindingCode
from core.model import Finding

LINES = [
    "Praktijkovereenkomst BBL",
    "Deelnemer: Jan de Vries",
    "Opleiding: Verzorgende-IG, crebo 25491",
    "Startdatum: 1 september 2024",
    "Einddatum: 31 augustus 2026",
    "Omvang BPV: 800 uur per studiejaar",
    "Leerbedrijf: Zorggroep Noorderlicht",
    "Onderwijsinstelling: Noorderpoort",
]


def text_pdf(lines: list[str] = LINES, pages: int = 1) -> bytes:
    """A born-digital A4 PDF with a text layer."""
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A4, invariant=1)
    for page in range(pages):
        y = 780
        for line in lines:
            pdf.setFont("Helvetica", 12)
            pdf.drawString(72, y, f"{line}" if page == 0 else f"{line} ({page + 1})")
            y -= 24
        pdf.showPage()
    pdf.save()
    return buf.getvalue()


def merged_pdf(*pdfs: bytes) -> bytes:
    """The pages of `pdfs` one after another in one PDF."""
    writer = PdfWriter()
    for data in pdfs:
        for page in PdfReader(io.BytesIO(data)).pages:
            writer.add_page(page)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def turned_pdf(rotate: int, data: bytes | None = None) -> bytes:
    """`data` (default: `text_pdf()`) with every page shown turned `rotate` degrees clockwise
    by /Rotate; the content stream stays as it was."""
    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(data or text_pdf())).pages:
        page.rotate(rotate)
        writer.add_page(page)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def unmapped_font_pdf(text: bytes = b"ABAB ABBA BAAB " * 4) -> bytes:
    """A one-page PDF whose text is drawn in a Type3 font with glyph names that map to no
    Unicode character (no ToUnicode): a text layer of glyph garbage."""
    glyph = b"0 0 0 0 10 10 d1 0 0 10 10 re f"
    content = b"BT /F1 12 Tf 72 700 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 10 10] /FontMatrix [0.1 0 0 0.1 0 0] "
        b"/CharProcs << /g1 6 0 R /g2 6 0 R >> "
        b"/Encoding << /Type /Encoding /Differences [65 /g1 /g2] >> "
        b"/FirstChar 65 /LastChar 66 /Widths [10 10] >>",
        b"<< /Length %d >>\nstream\n" % len(glyph) + glyph + b"\nendstream",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    return out + b"startxref\n%d\n%%%%EOF\n" % xref


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",):
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default()


def text_image(
    lines: list[str] = LINES, width: int = 1240, height: int = 700, size: int = 30
) -> Image.Image:
    """A white grayscale image with printed lines (a small 'scan')."""
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    font = _font(size)
    y = 40
    for line in lines:
        draw.text((40, y), line, fill=0, font=font)
        y += int(size * 1.6)
    return image


def jpeg(image: Image.Image | None = None, quality: int = 90) -> bytes:
    buf = io.BytesIO()
    (image or text_image()).convert("RGB").save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def image_pdf(image: Image.Image | None = None, dpi: int = 150) -> bytes:
    """An image-only PDF (a scan without a text layer)."""
    buf = io.BytesIO()
    (image or text_image()).convert("RGB").save(buf, "PDF", resolution=dpi)
    return buf.getvalue()


def truncated_pdf() -> bytes:
    data = text_pdf()
    return data[: len(data) // 2]


def encrypted_pdf(password: str = "geheim") -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf())))
    writer.encrypt(user_password=password, owner_password=password + "!")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def corrupt_pdf() -> bytes:
    """A PDF header and trailer around garbage."""
    return b"%PDF-1.7\n" + bytes(range(256)) * 8 + b"\n%%EOF\n"


def docx() -> bytes:
    """A minimal Word-like zip (the kind that gets renamed to .pdf)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def png() -> bytes:
    buf = io.BytesIO()
    text_image().save(buf, "PNG")
    return buf.getvalue()


def jpeg_bomb(width: int = 20000, height: int = 20000) -> bytes:
    """A tiny JPEG whose header declares a huge image (decompression bomb)."""
    data = bytearray(jpeg(Image.new("L", (64, 64), 255)))
    marker = data.find(b"\xff\xc0")
    if marker < 0:
        marker = data.find(b"\xff\xc2")
    # SOFn: marker(2) length(2) precision(1) height(2) width(2)
    data[marker + 5 : marker + 7] = height.to_bytes(2, "big")
    data[marker + 7 : marker + 9] = width.to_bytes(2, "big")
    return bytes(data)


def finding(code: FindingCode, message: str, **evidence: Any) -> Finding:
    """A finding of `code` with the severity the product gives it (a rule's declared one)."""
    return Finding.of(code, message, severity=severity_of(code), **evidence)
