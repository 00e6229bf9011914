"""The logo search on synthetic A4 pages (150 dpi, drawn with OpenCV) as scans and photos make
them: a light-gray logo on a gray, noisy scan and a coloured logo in the shadow of an unevenly
lit photo are found; a logo beside a company name as tall as itself is found; a large printed
title (OCR's words too tall for the word mask), the background beside a photographed sheet and
an empty page are no logo."""

from __future__ import annotations

import cv2
import numpy as np

from core.enums import WordSource
from core.geometry import BBox
from core.model import Word
from extractors.visual.collect import Mark, analyse_page

W, H = 1240, 1754  # A4 at 150 dpi
MM = H / 297.0
FONT = cv2.FONT_HERSHEY_SIMPLEX


def sheet(level: int = 255) -> np.ndarray:
    return np.full((H, W, 3), level, np.uint8)


def ocr_word(text: str, box_px: tuple[int, int, int, int]) -> Word:
    return Word(
        text=text,
        bbox=BBox.from_pixels(*box_px, width=W, height=H),
        confidence=0.95,
        source=WordSource.OCR,
    )


def text(
    page: np.ndarray,
    words: str,
    x_mm: float,
    baseline_mm: float,
    size: float = 0.9,
    thickness: int = 2,
    colour: tuple[int, int, int] = (30, 30, 30),
) -> list[Word]:
    """Print `words` from x_mm on a baseline and return their OCR boxes, one per word."""
    out = []
    x = int(x_mm * MM)
    y = int(baseline_mm * MM)
    for token in words.split():
        (tw, th), base = cv2.getTextSize(token, FONT, size, thickness)
        cv2.putText(page, token, (x, y), FONT, size, colour, thickness, cv2.LINE_AA)
        out.append(ocr_word(token, (x - 1, y - th - 2, x + tw + 1, y + base // 2 + 1)))
        x += tw + int(2.5 * MM)
    return out


def body(page: np.ndarray) -> list[Word]:
    """Twenty lines of ordinary print below the header: the page's usual word height."""
    words: list[Word] = []
    for i in range(20):
        words += text(page, f"Regel {i} omschrijving bedrag 1.234,56", 18, 80 + 9 * i, 0.6, 1)
    return words


def logo(page: np.ndarray, x_mm: float, y_mm: float, colour: tuple[int, int, int]) -> None:
    """A filled ellipse of 12 x 8 mm with a white slash through it, top left at (x_mm, y_mm)."""
    centre = (int((x_mm + 6) * MM), int((y_mm + 4) * MM))
    cv2.ellipse(page, centre, (int(6 * MM), int(4 * MM)), 0, 0, 360, colour, -1, cv2.LINE_AA)
    a = (int((x_mm + 2) * MM), int((y_mm + 7) * MM))
    b = (int((x_mm + 10) * MM), int((y_mm + 1) * MM))
    cv2.line(page, a, b, (255, 255, 255), 3, cv2.LINE_AA)


def in_logo(found: list[Mark], x_mm: float, y_mm: float) -> bool:
    """Something was found, and all of it in the logo drawn at (x_mm, y_mm) (its white slash
    may cut it in two)."""
    x0, y0, x1, y1 = (x_mm - 1) / 210, (y_mm - 1) / 297, (x_mm + 13) / 210, (y_mm + 9) / 297
    inside = [m.bbox.x0 >= x0 and m.bbox.y0 >= y0 and m.bbox.x1 <= x1 and m.bbox.y1 <= y1
              for m in found]  # fmt: skip
    return bool(found) and all(inside)


def scanned(page: np.ndarray, paper: int = 226, seed: int = 3) -> np.ndarray:
    """A grayscale scan: gray paper (white becomes `paper`) and sensor noise."""
    gray = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY).astype(np.float32) * (paper / 255.0)
    noise = np.random.default_rng(seed).normal(0.0, 7.0, gray.shape)
    return np.clip(gray + noise, 0, 255).astype(np.uint8)


def photographed(page: np.ndarray, seed: int = 5) -> np.ndarray:
    """A phone photo: light falling from the right (the paper of the left fifth darker than
    print on a scan, down to 46 %), a strip of dark table beside the sheet on the left, noise."""
    light = np.linspace(0.4, 1.0, W, dtype=np.float32)
    light = np.minimum(1.0, light * 1.15)[None, :, None]
    lit = page.astype(np.float32) * light
    lit[:, : int(6 * MM)] = (40, 55, 70)
    noise = np.random.default_rng(seed).normal(0.0, 4.0, lit.shape)
    return np.clip(lit + noise, 0, 255).astype(np.uint8)


def test_a_light_gray_logo_on_a_noisy_gray_scan_is_found() -> None:
    page = sheet()
    logo(page, 18, 10, (190, 190, 190))  # 168 on the scan's paper of 226
    words = text(page, "Leerhuis Welzijn", 34, 17) + body(page)
    assert in_logo(analyse_page(1, scanned(page), words).logos, 18, 10)


def test_a_coloured_logo_in_a_photos_shadow_is_found() -> None:
    page = sheet()
    logo(page, 18, 12, (150, 90, 20))
    words = text(page, "Opleidingscentrum Zorgvuldig", 34, 19, colour=(150, 90, 20)) + body(page)
    assert in_logo(analyse_page(1, photographed(page), words).logos, 18, 12)


def test_a_logo_beside_a_name_as_tall_as_itself_is_found() -> None:
    """The name's ascenders and descenders span the logo's height: a line of glyphs beside it,
    but their strokes are thin and the logo is solid."""
    page = sheet()
    logo(page, 18, 10, (60, 120, 40))
    name = text(page, "Hogeschool Rijpkade", 33, 16.5, 1.1, 2, (60, 120, 40))
    cv2.putText(page, "gjpq", (int(150 * MM), int(16.5 * MM)), FONT, 1.1, (60, 120, 40), 2)
    assert in_logo(analyse_page(1, page, name + body(page)).logos, 18, 10)


def test_a_large_printed_title_is_no_logo() -> None:
    """A heavy title in the header: OCR reads it, but its words are too tall for the word mask
    (they pass for a signature read as a word), so its letters are ink no word explains."""
    for capture in (scanned, photographed, lambda p: p):
        page = sheet()
        words = text(page, "DIPLOMA", 60, 30, 3.2, 11) + text(page, "CERTIFICAAT", 45, 50, 2.2, 8)
        words += text(page, "Rijn IJssel", 18, 12) + body(page)
        marks = analyse_page(1, capture(page), words)
        assert marks.logos == [], capture


def test_an_empty_page_and_the_table_beside_a_photographed_sheet_are_no_logo() -> None:
    assert analyse_page(1, scanned(sheet()), []).logos == []
    assert analyse_page(1, photographed(sheet()), []).logos == []
    page = photographed(sheet())
    page[: int(9 * MM)] = (40, 55, 70)  # the sheet's top edge lies below the photo's
    page[int(4 * MM) : int(9 * MM), int(30 * MM) : int(45 * MM)] = (35, 45, 60)  # a darker patch
    assert analyse_page(1, page, []).logos == []
