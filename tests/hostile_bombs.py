"""Hostile PDFs of issue 17 for tests/hostile.py's corpus: images that declare far too many
pixels hidden where a page walk does not look (forms nested deep, an annotation's appearance,
a tiling pattern, a soft mask, a Type 3 glyph, inline, a JPEG header that contradicts its
dictionary), Flate bombs in a content stream and in a font, and floods of stream starts."""

from __future__ import annotations

import zlib

from tests import factories
from tests.pdfkit import _stream, page_pdf, raw_pdf

_A4_PAGE = "/Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
_BOMB_IMAGE = (
    "/Type /XObject /Subtype /Image /Width {side} /Height {side} /ColorSpace /DeviceGray "
    "/BitsPerComponent 8 /Filter /FlateDecode"
)


def _bomb_image(side: int) -> bytes:
    """An image XObject declaring side x side gray pixels, 1 MiB of them stored."""
    return _stream(_BOMB_IMAGE.format(side=side), zlib.compress(bytes(1 << 20), 9))


def _form(resources: str, content: bytes) -> bytes:
    return _stream(f"/Type /XObject /Subtype /Form /BBox [0 0 595 842] {resources}", content)


def _one_page(page: str, *more: bytes) -> bytes:
    """Catalog, page tree and one A4 page (object 3) with `page` added to its dictionary;
    `more` are objects 4 onwards."""
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            f"<< {_A4_PAGE} {page} >>".encode(),
            *more,
        ]
    )


def nested_image_bomb_pdf(depth: int = 9, side: int = 40000) -> bytes:
    """The bomb image drawn by a form inside a form … `depth` deep (deeper than a page-object
    walk of depth 8 looks)."""
    draw = b"q 595 0 0 842 0 0 cm /X Do Q"
    forms = [_form(f"/Resources << /XObject << /X {6 + i} 0 R >> >>", draw) for i in range(depth)]
    image = 6 + depth
    forms[-1] = _form(f"/Resources << /XObject << /X {image} 0 R >> >>", draw)
    return _one_page(
        "/Resources << /XObject << /X 6 0 R >> >> /Contents 4 0 R",
        _stream("", draw),
        b"<< >>",
        *forms,
        _bomb_image(side),
    )


def annotation_image_bomb_pdf(side: int = 40000) -> bytes:
    """The bomb image in the appearance stream of a stamp annotation (drawn with the page)."""
    return _one_page(
        "/Annots [5 0 R] /Contents 4 0 R",
        _stream("", b""),
        b"<< /Type /Annot /Subtype /Stamp /Rect [0 0 595 842] /F 4 /AP << /N 6 0 R >> >>",
        _form("/Resources << /XObject << /X 7 0 R >> >>", b"q 595 0 0 842 0 0 cm /X Do Q"),
        _bomb_image(side),
    )


def pattern_image_bomb_pdf(side: int = 40000) -> bytes:
    """The bomb image in a tiling pattern's cell, the page filled with the pattern."""
    cell = b"q 595 0 0 842 0 0 cm /X Do Q"
    pattern = _stream(
        "/Type /Pattern /PatternType 1 /PaintType 1 /TilingType 1 /BBox [0 0 595 842] "
        "/XStep 595 /YStep 842 /Resources << /XObject << /X 6 0 R >> >>",
        cell,
    )
    return _one_page(
        "/Resources << /Pattern << /P 5 0 R >> >> /Contents 4 0 R",
        _stream("", b"/Pattern cs /P scn 0 0 595 842 re f"),
        pattern,
        _bomb_image(side),
    )


def soft_mask_image_bomb_pdf(side: int = 40000) -> bytes:
    """A small image whose soft mask (/SMask) is the bomb image."""
    small = _stream(
        "/Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray "
        "/BitsPerComponent 8 /SMask 6 0 R",
        bytes(64),
    )
    return _one_page(
        "/Resources << /XObject << /X 5 0 R >> >> /Contents 4 0 R",
        _stream("", b"q 595 0 0 842 0 0 cm /X Do Q"),
        small,
        _bomb_image(side),
    )


def inline_image_bomb_pdf(side: int = 40000) -> bytes:
    """An inline image (BI … ID … EI) in the page's content that declares side x side."""
    packed = zlib.compress(bytes(1 << 20), 9)
    content = (
        f"q 595 0 0 842 0 0 cm BI /W {side} /H {side} /CS /G /BPC 8 /F /Fl ID ".encode()
        + packed
        + b" EI Q"
    )
    return _one_page("/Contents 4 0 R", _stream("", content))


def _packed(megabytes: int, byte: bytes) -> bytes:
    """`megabytes` MB of `byte`, Flate-packed (about 0.1 % of it)."""
    packer = zlib.compressobj(9)
    block = byte * (1 << 20)
    return b"".join(packer.compress(block) for _ in range(megabytes)) + packer.flush()


def flate_bomb_pdf(megabytes: int = 128) -> bytes:
    """A content stream that inflates to `megabytes` MB of spaces."""
    return _one_page("/Contents 4 0 R", _stream("/Filter /FlateDecode", _packed(megabytes, b" ")))


def font_bomb_pdf(megabytes: int = 128) -> bytes:
    """Text in an embedded TrueType font whose font file inflates to `megabytes` MB."""
    return _one_page(
        "/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R",
        _stream("", b"BT /F1 24 Tf 72 720 Td (Praktijkovereenkomst) Tj ET"),
        b"<< /Type /Font /Subtype /TrueType /BaseFont /Bom /FirstChar 32 /LastChar 126 "
        b"/FontDescriptor 6 0 R >>",
        b"<< /Type /FontDescriptor /FontName /Bom /Flags 32 /FontBBox [0 0 1000 1000] "
        b"/ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 /FontFile2 7 0 R >>",
        _stream("/Filter /FlateDecode", _packed(megabytes, b"\0")),
    )


def type3_image_bomb_pdf(side: int = 40000) -> bytes:
    """A Type 3 font whose glyph draws the bomb image, used for one letter of text."""
    return _one_page(
        "/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R",
        _stream("", b"BT /F1 500 Tf 50 300 Td (A) Tj ET"),
        b"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 1 1] /FontMatrix [1 0 0 1 0 0] "
        b"/CharProcs << /A 6 0 R >> /Encoding << /Differences [65 /A] >> /FirstChar 65 "
        b"/LastChar 65 /Widths [1] /Resources << /XObject << /X 7 0 R >> >> >>",
        _stream("", b"1 0 0 0 1 1 d1 q 1 0 0 1 0 0 cm /X Do Q"),
        _bomb_image(side),
    )


def jpeg_lies_pdf(side: int = 40000) -> bytes:
    """A DCT image whose dictionary says 64 x 64 while its JPEG header says side x side."""
    data = factories.jpeg_bomb(side, side)
    return _one_page(
        "/Resources << /XObject << /X 5 0 R >> >> /Contents 4 0 R",
        _stream("", b"q 595 0 0 842 0 0 cm /X Do Q"),
        _stream(
            "/Type /XObject /Subtype /Image /Width 64 /Height 64 /ColorSpace /DeviceRGB "
            "/BitsPerComponent 8 /Filter /DCTDecode",
            data,
        ),
    )


def stream_flood_pdf(size: int = 128 * 1024, content: bytes = b"BT ET") -> bytes:
    """A valid one-page PDF with `size` bytes of `%stream` comment lines between its last
    object and the cross-reference table (a stream start without an end, over and over)."""
    base = page_pdf(content=content)
    head, tail = base.rsplit(b"\nxref\n", 1)
    body = head + b"\n" + b"%stream\n" * (size // 8)
    tail = tail.rsplit(b"startxref", 1)[0]
    return body + b"xref\n" + tail + f"startxref\n{len(body)}\n%%EOF\n".encode()


def object_flood_pdf(size: int = 256 * 1024) -> bytes:
    """A one-page PDF followed by `size` bytes of objects whose streams never end (pdfium
    searched the rest of the file for the end of each: quadratic, 8 s for 256 KB)."""
    base = page_pdf(content=b"BT ET").removesuffix(b"%%EOF\n")
    item = b"1 0 obj\n<< /A 1 >>\nstream\n"
    return base + item * (size // len(item)) + b"%%EOF\n"


def form_fanout_pdf(levels: int = 7, fan: int = 10) -> bytes:
    """A "billion laughs": the page draws a form that draws the next form `fan` times, …
    `levels` deep, the last a full-page fill (7 levels of 10 took pdfium 96 s at 300 dpi)."""
    draw = b" ".join(b"q 1 0 0 1 1 1 cm /X Do Q" for _ in range(fan))
    forms = [
        _form(f"/Resources << /XObject << /X {6 + i} 0 R >> >>", draw) for i in range(levels - 1)
    ]
    forms.append(_form("", b"0 0 500 700 re f"))
    return _one_page(
        "/Resources << /XObject << /X 5 0 R >> >> /Contents 4 0 R", _stream("", b"/X Do"), *forms
    )


def form_cycle_pdf() -> bytes:
    """A form that draws itself (pdfium stops at the cycle): drawn once, not a bomb."""
    return _one_page(
        "/Resources << /XObject << /X 5 0 R >> >> /Contents 4 0 R",
        _stream("", b"/X Do"),
        _form("/Resources << /XObject << /X 5 0 R >> >>", b"0 0 10 10 re f /X Do"),
    )
