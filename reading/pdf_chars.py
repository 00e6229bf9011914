"""A PDF page's characters read with pdfium's text API, as the dicts pdfplumber's utilities
take (`text`, `x0`, `x1`, `top`, `bottom`, `doctop`, `width`, `height`, `upright`,
`matrix`, `size`, `fontname`), in points in the frame of the page as shown (after /Rotate,
origin top left).

pdfplumber parses the content stream in Python (pdfminer); pdfium does it in C: for a
born-digital page that is most of the text stage's time (issue #8). The boxes are pdfium's
loose character boxes (advance width) cut to pdfminer's height (one font size); the
matrix is the character's own with the page's /Rotate applied, as pdfminer reports it, so
text on a turned page is not 'upright' and turned stamp text is not 'level'."""

from __future__ import annotations

import ctypes
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

# pdfminer's rotation of the page space for /Rotate (its PDFPageInterpreter's ctm), linear part
_ROTATE = {0: (1, 0, 0, 1), 90: (0, -1, 1, 0), 180: (-1, 0, 0, -1), 270: (0, 1, -1, 0)}
# device units per point when asking pdfium where a point lands (it answers in integers)
_SCALE = 100


def _affine(page: pdfium.PdfPage, width: float, height: float) -> tuple[float, ...]:
    """(x0, y0, ax, ay, bx, by): page space (x, y) lands at (x0 + ax·x + bx·y, y0 + ay·x +
    by·y) in the shown frame, top left origin, in points; pdfium applies /Rotate and the crop
    box."""
    size_x, size_y = round(width * _SCALE), round(height * _SCALE)
    out_x, out_y = ctypes.c_int(), ctypes.c_int()

    def device(x: float, y: float) -> tuple[float, float]:
        pdfium_c.FPDF_PageToDevice(
            page.raw, 0, 0, size_x, size_y, 0, x, y, ctypes.byref(out_x), ctypes.byref(out_y)
        )
        return out_x.value / _SCALE, out_y.value / _SCALE

    origin, unit_x, unit_y = device(0, 0), device(1000, 0), device(0, 1000)
    return (
        origin[0],
        origin[1],
        (unit_x[0] - origin[0]) / 1000,
        (unit_x[1] - origin[1]) / 1000,
        (unit_y[0] - origin[0]) / 1000,
        (unit_y[1] - origin[1]) / 1000,
    )


def _pdfminer_box(
    xs: list[float], ys: list[float], up: tuple[float, float], size: float
) -> tuple[float, float, float, float]:
    """(x0, x1, top, bottom) of a character whose loose box spans `xs` x `ys` in the shown
    frame, its baseline's 'up' pointing along `up` (the text matrix's second column, shown):
    pdfminer's box is one font size high from the descent line, pdfium's reaches the font's
    ascent, so an axis-aligned box is cut to the font size from its descent side (word
    grouping compares tops: without it lines and blocks split differently)."""
    x0, x1, top, bottom = min(xs), max(xs), min(ys), max(ys)
    ux, uy = up
    high = size * (ux * ux + uy * uy) ** 0.5
    if abs(ux) < 1e-3 * abs(uy):  # upright or upside down
        return (x0, x1, bottom - high, bottom) if uy < 0 else (x0, x1, top, top + high)
    if abs(uy) < 1e-3 * abs(ux):  # turned a quarter
        return (x0, x0 + high, top, bottom) if ux > 0 else (x1 - high, x1, top, bottom)
    return x0, x1, top, bottom


def _font(textpage: Any, index: int) -> int:
    """An identity of the character's font (for `dedupe_chars`, which compares names)."""
    obj = pdfium_c.FPDFText_GetTextObject(textpage, index)
    font = pdfium_c.FPDFTextObj_GetFont(obj) if obj else None
    return ctypes.cast(font, ctypes.c_void_p).value or 0 if font else 0


def page_chars(page: pdfium.PdfPage) -> list[dict[str, Any]]:
    """The page's characters in content order; pdfium's generated spaces and line breaks are
    left out, a glyph without a Unicode mapping is U+FFFD (pdfminer writes `(cid:N)`)."""
    width, height = page.get_size()
    x0, y0, ax, ay, bx, by = _affine(page, width, height)
    ra, rb, rc, rd = _ROTATE.get(page.get_rotation() % 360, _ROTATE[0])
    textpage = page.get_textpage()
    chars: list[dict[str, Any]] = []
    try:
        raw = textpage.raw
        rect = pdfium_c.FS_RECTF()
        matrix = pdfium_c.FS_MATRIX()
        for index in range(pdfium_c.FPDFText_CountChars(raw)):
            if pdfium_c.FPDFText_IsGenerated(raw, index) == 1:
                continue
            code = pdfium_c.FPDFText_GetUnicode(raw, index)
            if pdfium_c.FPDFText_HasUnicodeMapError(raw, index) == 1:
                text = "\ufffd"
            elif code < 32 or code == 0xFFFE:
                continue
            else:
                text = chr(code)
            if not pdfium_c.FPDFText_GetLooseCharBox(raw, index, ctypes.byref(rect)):
                continue
            pdfium_c.FPDFText_GetMatrix(raw, index, ctypes.byref(matrix))
            a, b, c, d = matrix.a, matrix.b, matrix.c, matrix.d
            size = pdfium_c.FPDFText_GetFontSize(raw, index)
            left, right, top, bottom = _pdfminer_box(
                [x0 + ax * rect.left + bx * rect.top, x0 + ax * rect.right + bx * rect.bottom],
                [y0 + ay * rect.left + by * rect.top, y0 + ay * rect.right + by * rect.bottom],
                (ax * c + bx * d, ay * c + by * d),
                size,
            )
            shown = (a * ra + b * rc, a * rb + b * rd, c * ra + d * rc, c * rb + d * rd)
            chars.append(
                {
                    "text": text,
                    "x0": left,
                    "x1": right,
                    "top": top,
                    "bottom": bottom,
                    "doctop": top,
                    "width": right - left,
                    "height": bottom - top,
                    "matrix": shown,
                    "upright": shown[0] * shown[3] > 0 and shown[1] * shown[2] <= 0,
                    "size": size,
                    "fontname": _font(raw, index),
                }
            )
    finally:
        textpage.close()
    return chars
