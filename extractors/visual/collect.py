"""The per-page visual hook and the document's visual fields: `VisualCollector` is handed to
`reading.text.extract_pages` as `on_page`, analyses each page image as it arrives (stamps,
then logos, then signatures with their roles) and keeps only boxes; `fields()` turns them into
CONTRACT fields `signature_count`, `signatures`, `logo_present` and `stamp_present`."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

import cv2
import numpy as np

from core.enums import WordSource
from core.fields import FieldName
from core.geometry import BBox
from core.model import FieldValue, Word
from extractors.registry import everywhere
from extractors.visual.ink import word_mask
from extractors.visual.logos import find_logos
from extractors.visual.signatures import find_signatures
from extractors.visual.stamps import find_stamps, stamp_mask
from extractors.visual.zones import role_for
from reading.frame import normalise, px_per_mm

log = logging.getLogger(__name__)

EXTRACTOR = "extractors.visual"
F = FieldName
# Every page image is analysed, whatever the document's type.
VISUAL = everywhere(
    EXTRACTOR, produces=(F.SIGNATURE_COUNT, F.SIGNATURES, F.LOGO_PRESENT, F.STAMP_PRESENT)
)


@dataclass(frozen=True)
class Mark:
    """One visual mark found on a page."""

    page: int
    bbox: BBox
    confidence: float
    rol: str | None = None


@dataclass
class PageMarks:
    """What one page holds: signatures (with roles), logos and stamps."""

    page: int
    method: WordSource | None
    signatures: list[Mark] = field(default_factory=list)
    logos: list[Mark] = field(default_factory=list)
    stamps: list[Mark] = field(default_factory=list)


def _bbox(box: tuple[int, int, int, int], shape: tuple[int, ...]) -> BBox:
    height, width = shape[:2]
    return BBox.from_pixels(*box, width=width, height=height)


def analyse_page(number: int, image: np.ndarray, words: list[Word]) -> PageMarks:
    """All visual marks of one page image (BGR or gray, any resolution) whose frame the word
    boxes share."""
    image = normalise(image)
    scale = px_per_mm(image)
    shape = image.shape
    method = words[0].source if words else None
    marks = PageMarks(page=number, method=method)
    stamps = find_stamps(image, scale)
    marks.stamps = [Mark(number, _bbox(s.box, shape), s.confidence) for s in stamps]
    stamped = stamp_mask(shape, stamps)
    printed = word_mask(shape, words)
    logos = find_logos(image, scale, word_mask(shape, words, min_ocr_chars=3), stamped)
    marks.logos = [Mark(number, _bbox(lg.box, shape), lg.confidence) for lg in logos]
    exclude = stamped.copy()
    for logo in logos:
        x0, y0, x1, y1 = logo.box
        cv2.rectangle(exclude, (x0, y0), (x1, y1), 255, -1)
    aspect = shape[0] / shape[1]
    for sig in find_signatures(image, scale, printed, exclude):
        box = _bbox(sig.box, shape)
        marks.signatures.append(Mark(number, box, sig.confidence, role_for(box, words, aspect)))
    return marks


@dataclass
class VisualCollector:
    """The `on_page` hook: analyses every page image it is given and keeps the marks."""

    pages: list[PageMarks] = field(default_factory=list)
    seconds: float = 0.0

    def __call__(self, number: int, image: np.ndarray, words: list[Word]) -> None:
        started = time.perf_counter()
        try:
            self.pages.append(analyse_page(number, image, words))
        except cv2.error as exc:  # never let a visual fault stop the text of a document
            log.warning("visual analysis of page %d failed: %s", number, exc)
        self.seconds += time.perf_counter() - started

    def fields(self) -> dict[str, FieldValue]:
        """The visual fields of the document (empty when no page was analysed)."""
        if not self.pages:
            return {}
        methods = {p.page: p.method for p in self.pages}
        sigs = [m for p in sorted(self.pages, key=lambda p: p.page) for m in p.signatures]
        logos = [m for p in sorted(self.pages, key=lambda p: p.page) for m in p.logos]
        stamps = [m for p in sorted(self.pages, key=lambda p: p.page) for m in p.stamps]

        def value(val: object, marks: list[Mark], absent_conf: float) -> FieldValue:
            first = marks[0] if marks else None
            return FieldValue(
                value=val,
                page=first.page if first else None,
                bbox=first.bbox if first else None,
                confidence=min(m.confidence for m in marks) if marks else absent_conf,
                extractor=EXTRACTOR,
                method=methods.get(first.page) if first else None,
            )

        signatures = [
            {"rol": m.rol, "page": m.page, "bbox": m.bbox.model_dump(), "confidence": m.confidence}
            for m in sigs
        ]
        return {
            F.SIGNATURE_COUNT: value(len(sigs), sigs, 0.8),
            F.SIGNATURES: value(signatures, sigs, 0.8),
            F.LOGO_PRESENT: value(bool(logos), logos, 0.8),
            F.STAMP_PRESENT: value(bool(stamps), stamps, 0.8),
        }
