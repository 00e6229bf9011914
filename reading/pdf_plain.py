"""Whether a text-layer page draws nothing the visual extractors look for, read from the page's
own objects (pdfium) instead of its pixels: a born-digital payslip or register extract is
text, light tinted cells and thin rules, and analysing a 150 dpi render of it for signatures,
logos and stamps (about 0.1 s a page) finds none.

A page is plain when every object it draws is one of:
- a text object, upright, filled in a neutral (gray to black) colour, at most `MAX_TEXT_PT`
  high, in a font with a font program (a Type 3 font's glyphs are drawings, pictures even):
  the printed words (a stamp's text is turned or coloured, a word mark is large);
- a filled path without a stroke in a light neutral colour (`MIN_FILL_LEVEL` or lighter on
  every channel): lighter than any ink level of the visual extractors, and gray;
- a stroked straight horizontal or vertical line, at most `MAX_RULE_PT` wide and at least
  `MIN_RULE_MM` long, in a neutral colour: a rule, which the extractors take away first (their
  longest rule length is 30 mm), thinner than a stamp's rim.
The page must have no annotations (an ink or stamp annotation draws over it). Anything else
(an image, a shading, a form, a curve, a coloured or turned glyph, a dark fill)
makes the page not plain, and it is analysed from its pixels as before. Measured on the
development sets: every page found plain here had no signature, logo or stamp in its pixels
(`tests/test_pdf_plain.py` checks generated pages both ways)."""

from __future__ import annotations

import ctypes

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

MAX_TEXT_PT = 20.0  # glyph height (font size times the matrix's scale)
BOUNDS_FACTOR = 3.0  # a text object's drawn box at most this many times `MAX_TEXT_PT` high
MIN_FILL_LEVEL = 215  # of 255, on each channel
MAX_RULE_PT = 1.0
MIN_RULE_MM = 32.0
MAX_GRAY_SPREAD = 12  # max - min of the channels: neutral
MIN_ALPHA = 255  # a transparent object blends into what lies under it: never plain
_POINTS_PER_MM = 72.0 / 25.4
_MAX_OBJECTS = 5000  # a page drawing more is analysed from its pixels


def _colour(obj: pdfium.PdfObject, fill: bool) -> tuple[int, int, int, int] | None:
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    get = pdfium_c.FPDFPageObj_GetFillColor if fill else pdfium_c.FPDFPageObj_GetStrokeColor
    if not get(obj.raw, *(ctypes.byref(v) for v in (r, g, b, a))):
        return None
    return r.value, g.value, b.value, a.value


def _neutral(colour: tuple[int, int, int, int] | None) -> bool:
    if colour is None:
        return False
    r, g, b, a = colour
    return a >= MIN_ALPHA and max(r, g, b) - min(r, g, b) <= MAX_GRAY_SPREAD


def _plain_text(obj: pdfium.PdfObject) -> bool:
    a, b, c, d, _, _ = obj.get_matrix().get()
    if abs(b) > 1e-3 or abs(c) > 1e-3 or a <= 0 or d <= 0:
        return False  # turned, mirrored or slanted
    size = ctypes.c_float()
    if not pdfium_c.FPDFTextObj_GetFontSize(obj.raw, ctypes.byref(size)):
        return False
    mode = pdfium_c.FPDFTextObj_GetTextRenderMode(obj.raw)
    if mode not in (pdfium_c.FPDF_TEXTRENDERMODE_FILL, pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE):
        return False  # stroked or clipping text
    _, bottom, _, top = obj.get_bounds()
    if top - bottom > BOUNDS_FACTOR * MAX_TEXT_PT:
        return False  # glyphs drawing far outside the text's size
    length = ctypes.c_size_t()
    font = pdfium_c.FPDFTextObj_GetFont(obj.raw)
    if not font or not pdfium_c.FPDFFont_GetFontData(font, None, 0, ctypes.byref(length)):
        return False
    if length.value == 0:
        return False  # no font program: a Type 3 font, whose glyphs may draw anything
    return size.value * d <= MAX_TEXT_PT and _neutral(_colour(obj, fill=True))


def _segments(obj: pdfium.PdfObject) -> list[tuple[int, float, float]] | None:
    """(type, x, y) of each segment of a path, in the path's own space."""
    count = pdfium_c.FPDFPath_CountSegments(obj.raw)
    if count < 0:
        return None
    out = []
    x, y = ctypes.c_float(), ctypes.c_float()
    for i in range(count):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj.raw, i)
        if not segment or not pdfium_c.FPDFPathSegment_GetPoint(
            segment, ctypes.byref(x), ctypes.byref(y)
        ):
            return None
        out.append((pdfium_c.FPDFPathSegment_GetType(segment), x.value, y.value))
    return out


def _plain_path(obj: pdfium.PdfObject) -> bool:
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj.raw, ctypes.byref(fill), ctypes.byref(stroke)):
        return False
    if fill.value and not stroke.value:
        colour = _colour(obj, fill=True)
        return _neutral(colour) and colour is not None and min(colour[:3]) >= MIN_FILL_LEVEL
    if not stroke.value or fill.value:
        return not fill.value and not stroke.value  # drawn neither way: a clip only
    width = ctypes.c_float()
    if not pdfium_c.FPDFPageObj_GetStrokeWidth(obj.raw, ctypes.byref(width)):
        return False
    a, b, c, d, _, _ = obj.get_matrix().get()
    if abs(b) > 1e-3 or abs(c) > 1e-3:
        return False
    segments = _segments(obj)
    if segments is None or len(segments) != 2 or not _neutral(_colour(obj, fill=False)):
        return False
    (t0, x0, y0), (t1, x1, y1) = segments
    if t0 != pdfium_c.FPDF_SEGMENT_MOVETO or t1 != pdfium_c.FPDF_SEGMENT_LINETO:
        return False
    dx, dy = abs((x1 - x0) * a), abs((y1 - y0) * d)
    long_side, short_side = max(dx, dy), min(dx, dy)
    thick = width.value * max(abs(a), abs(d))
    return short_side == 0 and thick <= MAX_RULE_PT and long_side >= MIN_RULE_MM * _POINTS_PER_MM


def plain_page(page: pdfium.PdfPage) -> bool:
    """Whether `page` draws only printed text, light gray fills and thin rules (see above);
    any doubt (an object pdfium cannot describe) is not plain."""
    try:
        if pdfium_c.FPDFPage_GetAnnotCount(page.raw) != 0:
            return False  # an ink annotation, a stamp annotation, a form field's appearance
        for count, obj in enumerate(page.get_objects(max_depth=1), start=1):
            if count > _MAX_OBJECTS:
                return False
            if obj.type == pdfium_c.FPDF_PAGEOBJ_TEXT:
                if not _plain_text(obj):
                    return False
            elif obj.type == pdfium_c.FPDF_PAGEOBJ_PATH:
                if not _plain_path(obj):
                    return False
            else:
                return False  # images, shadings, forms
    except (pdfium.PdfiumError, ValueError, AttributeError):
        return False
    return True
