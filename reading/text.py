"""Text extraction stage: the words of every page of an accepted PDF or JPEG, each with its
page-relative box, confidence and source. A PDF page with a usable text layer is read from it;
any other page (scans, photos, garbage or invisible layers) is rendered at `OcrSettings.dpi`,
deskewed, turned upright when a first OCR pass looks bad, its background flattened
(`reading.clean`: tinted cells and uneven light), and OCR'd — mixed PDFs page by page.

Pure functions over bytes: no global state, no document text in the logs. The caller may
parallelise over pages with `page_count` + `extract_page` (both picklable module functions).
A fault in the file raises `ExtractionError`; a fault of the OCR engine raises `OcrError`."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
import pypdfium2 as pdfium

from core.enums import MediaType, WordSource
from core.errors import ExtractionError, OcrError, PageTooLargeError
from core.model import Page, Word
from core.settings import Settings
from reading.clean import flatten_background
from reading.frame import VISUAL_DPI, VISUAL_LONG_SIDE, rotate, warp_photo
from reading.ocr import mean_confidence, ocr_image
from reading.orientation import deskew, detect_orientation, turn
from reading.pdf_chars import page_chars
from reading.pdf_plain import plain_page
from reading.perspective import SHEET_FINDER_SIDE, flatten_with_corners
from reading.render import load_jpeg, load_jpeg_colour, render_pdf_page, render_pdf_page_colour
from reading.text_layer import (
    conflicting_glyphs,
    has_visible_text,
    layer_is_usable,
    read_text_layer,
)

__all__ = [
    "ExtractionError",
    "OcrError",
    "PageHook",
    "PageTooLargeError",
    "PlainHook",
    "SaveRender",
    "extract_page",
    "extract_pages",
    "page_count",
]

log = logging.getLogger(__name__)

SaveRender = Callable[[int, np.ndarray, list[Word]], str]
# Called once per page with (page number, the image the word boxes refer to, the words), so
# the saver can black out what must not be kept (`pipeline.redact`); returns the stored key.
# Called once per page, as soon as its image is ready, with (page number, a colour BGR image of
# the page at about VISUAL_DPI in the same frame as the word boxes, the words); the image is
# dropped afterwards, so visual analysis never holds more than one page.
PageHook = Callable[[int, np.ndarray, list[Word]], None]
# Called instead of the `PageHook`, when given, for a text-layer page that draws nothing but
# printed text, light fills and thin rules (`reading.pdf_plain`), with (page number, words):
# there is nothing for visual analysis to find, and no colour render is made for it.
PlainHook = Callable[[int, list[Word]], None]

# A first OCR pass with fewer words or a lower mean confidence than this asks OSD whether the
# page is turned a quarter or half turn.
ORIENTATION_MIN_WORDS = 8
ORIENTATION_MIN_CONFIDENCE = 0.6
# Text-layer pages are rendered at this resolution only to show the reviewer the page.
REVIEW_DPI = 150


@dataclass(frozen=True)
class OcrResult:
    """What OCR made of one page image: the (corrected) image the boxes refer to."""

    image: np.ndarray
    words: list[Word]
    rotation: float


def _score(words: list[Word]) -> float:
    """Summed confidence of real words, to compare two readings of a page."""
    return sum(w.confidence for w in words if sum(c.isalnum() for c in w.text) >= 2)


def _sideways(words: list[Word], aspect: float) -> bool:
    """Whether most longer words stand upright (taller than wide): tesseract reads sideways
    text by itself, but the boxes would run down the page instead of across it."""
    long_words = [w for w in words if len(w.text) >= 4]
    tall = sum(w.bbox.height > (w.bbox.x1 - w.bbox.x0) * aspect for w in long_words)
    return bool(long_words) and tall > len(long_words) / 2


def _looks_bad(words: list[Word], image: np.ndarray) -> bool:
    """Whether a first reading warrants asking OSD for the page's orientation."""
    confidence = mean_confidence(words)
    height, width = image.shape[:2]
    return (
        len(words) < ORIENTATION_MIN_WORDS
        or confidence is None
        or confidence < ORIENTATION_MIN_CONFIDENCE
        or _sideways(words, width / height)
    )


def ocr_upright(image: np.ndarray, *, settings: Settings, dpi: int | None) -> OcrResult:
    """Deskew and OCR `image`; if the reading looks bad, ask OSD for a quarter turn and keep
    whichever reading is better. `rotation` is the clockwise degrees applied in total."""
    ocr = settings.ocr

    def read(turned: np.ndarray, quarter: int) -> OcrResult:
        straight, skew = deskew(turned)
        seen = flatten_background(straight, dpi)  # what Tesseract reads; the boxes fit both
        words = ocr_image(seen, languages=ocr.languages, timeout_s=ocr.page_timeout_s, dpi=dpi)
        return OcrResult(straight, words, float(quarter) + skew)

    first = read(image, 0)
    if not _looks_bad(first.words, first.image):
        return first
    quarter = detect_orientation(image, timeout_s=ocr.page_timeout_s)
    if quarter == 0:
        return first
    second = read(turn(image, quarter), quarter)
    log.debug(
        "page turned %d degrees: score %.1f -> %.1f",
        quarter,
        _score(first.words),
        _score(second.words),
    )
    return second if _score(second.words) > _score(first.words) else first


def _ocr_page(
    number: int,
    image: np.ndarray,
    *,
    settings: Settings,
    dpi: int | None,
    save_render: SaveRender | None,
    colour: np.ndarray | None = None,
    on_page: PageHook | None = None,
) -> Page:
    """OCR one page image; `colour` (same page, any scale, not yet turned or deskewed) gets
    the same rotation and goes to `on_page` with the words."""
    result = ocr_upright(image, settings=settings, dpi=dpi)
    if on_page is not None and colour is not None:
        on_page(number, rotate(colour, result.rotation), result.words)
    height, width = result.image.shape[:2]
    return Page(
        number=number,
        width=width,
        height=height,
        source=WordSource.OCR,
        words=result.words,
        render_ref=save_render(number, result.image, result.words) if save_render else None,
        dpi=dpi,
        rotation=result.rotation,
        ocr_confidence=mean_confidence(result.words),
    )


def _text_layer(index: int, pdf_page: pdfium.PdfPage, settings: Settings) -> Any:
    """(width, height, words) of a usable text layer, or None when the page needs OCR."""
    try:
        chars = page_chars(pdf_page)
        width, height, words = read_text_layer(pdf_page, chars)
        conflicts = conflicting_glyphs(chars)
        visible = has_visible_text(pdf_page)
    except Exception as exc:  # a broken content stream: read what the page shows instead
        log.warning("page %d: text layer unreadable (%s), using OCR", index + 1, type(exc).__name__)
        return None
    if conflicts:
        log.info("page %d: text layer has %d overlapping glyphs, using OCR", index + 1, conflicts)
        return None
    if not layer_is_usable(words, min_chars=settings.ocr.min_text_layer_chars, visible=visible):
        return None
    return width, height, words


def _pdf_page(
    pdf: pdfium.PdfDocument,
    index: int,
    *,
    settings: Settings,
    save_render: SaveRender | None,
    on_page: PageHook | None = None,
    on_plain_page: PlainHook | None = None,
) -> Page:
    number = index + 1
    try:
        pdf_page = pdf[index]
    except pdfium.PdfiumError as exc:
        raise ExtractionError(f"page {number} cannot be loaded: {exc}") from None
    try:
        layer = _text_layer(index, pdf_page, settings)
        if layer is not None:
            width, height, words = layer
            render_ref = None
            plain = on_page is not None and on_plain_page is not None and plain_page(pdf_page)
            if on_page is not None and (save_render is not None or not plain):
                # a plain page is rendered only for the review, from the same colour render as
                # any page with a visual hook (a gray render of its own differs by a few levels)
                colour = render_pdf_page_colour(pdf_page, REVIEW_DPI, settings.limits)
                if save_render is not None:
                    gray = cv2.cvtColor(colour, cv2.COLOR_BGR2GRAY)
                    render_ref = save_render(number, gray, words)
                if not plain:
                    on_page(number, colour, words)
                del colour
            elif save_render is not None:
                image = render_pdf_page(pdf_page, REVIEW_DPI, settings.limits)
                render_ref = save_render(number, image, words)
            if plain and on_plain_page is not None:
                on_plain_page(number, words)
            return Page(
                number=number,
                width=width,
                height=height,
                source=WordSource.TEXT_LAYER,
                words=words,
                render_ref=render_ref,
            )
        dpi = settings.ocr.dpi
        image = render_pdf_page(pdf_page, dpi, settings.limits)
        visual = render_pdf_page_colour(pdf_page, VISUAL_DPI, settings.limits) if on_page else None
        return _ocr_page(
            number,
            image,
            settings=settings,
            dpi=dpi,
            save_render=save_render,
            colour=visual,
            on_page=on_page,
        )
    except (ExtractionError, OcrError):
        raise
    except (ValueError, pdfium.PdfiumError) as exc:
        raise ExtractionError(f"page {number} cannot be read: {exc}") from None
    finally:
        pdf_page.close()


class _OpenPdf:
    """The PDF open in pdfium for the time of a `with` block."""

    def __init__(self, data: bytes) -> None:
        try:
            self.pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise ExtractionError(f"PDF cannot be opened: {exc}") from None

    def __enter__(self) -> _OpenPdf:
        return self

    def __exit__(self, *_: object) -> None:
        self.pdf.close()


def page_count(data: bytes, media_type: MediaType) -> int:
    """Number of pages `extract_page` accepts for this file."""
    if media_type is MediaType.JPEG:
        return 1
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise ExtractionError(f"PDF cannot be opened: {exc}") from None
    try:
        return len(pdf)
    finally:
        pdf.close()


def extract_page(
    data: bytes,
    media_type: MediaType,
    number: int,
    *,
    settings: Settings,
    save_render: SaveRender | None = None,
    on_page: PageHook | None = None,
    on_plain_page: PlainHook | None = None,
) -> Page:
    """One page (from 1) of the file, for callers that spread pages over processes."""
    if media_type is MediaType.JPEG:
        if number != 1:
            raise ValueError(f"a JPEG has one page, not page {number}")
        return extract_pages(
            data, media_type, settings=settings, save_render=save_render, on_page=on_page
        )[0]
    with _OpenPdf(data) as doc:
        if not 1 <= number <= len(doc.pdf):
            raise ValueError(f"page {number} out of range 1..{len(doc.pdf)}")
        return _pdf_page(
            doc.pdf,
            number - 1,
            settings=settings,
            save_render=save_render,
            on_page=on_page,
            on_plain_page=on_plain_page,
        )


def extract_pages(
    data: bytes,
    media_type: MediaType,
    *,
    settings: Settings,
    save_render: SaveRender | None = None,
    on_page: PageHook | None = None,
    on_plain_page: PlainHook | None = None,
) -> list[Page]:
    """Every page's words. `save_render(page_number, image, words)`, when given, stores the
    image the OCR boxes refer to (a review render for text-layer pages) and returns its reference;
    `on_page` (see `PageHook`) sees each page's colour image while it is in memory, except a
    plain text-layer page when `on_plain_page` (see `PlainHook`) is given."""
    if media_type is MediaType.JPEG:
        # A JPEG is usually a phone photo: flatten the sheet and even out the light first.
        gray = load_jpeg(data, settings.limits)
        small = load_jpeg_colour(data, settings.limits, SHEET_FINDER_SIDE)
        image, corners = flatten_with_corners(gray, small)
        del small
        colour = None
        if on_page is not None:
            colour = load_jpeg_colour(data, settings.limits, 2 * VISUAL_LONG_SIDE)
            colour = warp_photo(colour, corners, gray.shape)
        del gray
        return [
            _ocr_page(
                1,
                image,
                settings=settings,
                dpi=None,
                save_render=save_render,
                colour=colour,
                on_page=on_page,
            )
        ]
    with _OpenPdf(data) as doc:
        pages = [
            _pdf_page(
                doc.pdf,
                index,
                settings=settings,
                save_render=save_render,
                on_page=on_page,
                on_plain_page=on_plain_page,
            )
            for index in range(len(doc.pdf))
        ]
    sources = {p.source.value for p in pages}
    log.info("extracted %d pages (%s)", len(pages), ", ".join(sorted(sources)))
    return pages
