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
from extractors.visual.ink import dark_mask, gray_of, rules, word_mask
from extractors.visual.logos import Logo, find_logos
from extractors.visual.places import Place, find_places, ink_in
from extractors.visual.sig_verifier import verified
from extractors.visual.stamps import Stamp, find_stamps, stamp_ink_mask, stamp_mask
from extractors.visual.zones import role_for
from reading.frame import normalise, px_per_mm

log = logging.getLogger(__name__)
ROW_SLACK = 0.02  # page heights: a stamp this near a signature's row is on that row
STAMPING_PARTIES = frozenset({"leerbedrijf", "werkgever", "onderwijsinstelling"})
STAMPED_CONFIDENCE = 0.6
STAMP_TEXT_SHARE = 0.6  # a word whose ink is mostly a stamp's is the stamp's own text
UNREAD_LEVEL = 40  # a millimetre cell this inked (of 255: about a sixth of it) holds ink

EXTRACTOR = "extractors.visual"
F = FieldName
# Every page image is analysed, whatever the document's type.
VISUAL = everywhere(
    EXTRACTOR,
    produces=(
        F.SIGNATURE_COUNT,
        F.SIGNATURES,
        F.SIGNATURE_PLACES,
        F.LOGO_PRESENT,
        F.STAMP_PRESENT,
    ),
)


@dataclass(frozen=True)
class Mark:
    """One visual mark found on a page."""

    page: int
    bbox: BBox
    confidence: float
    rol: str | None = None
    stamped: bool = False  # a party's stamp in its signing place, no signature seen there


@dataclass
class PageMarks:
    """What one page holds: signatures (with roles), logos and stamps."""

    page: int
    method: WordSource | None
    signatures: list[Mark] = field(default_factory=list)
    logos: list[Mark] = field(default_factory=list)
    stamps: list[Mark] = field(default_factory=list)
    # an OCR'd page's ink that no word, rule or mark explains, one cell per millimetre
    unread: np.ndarray | None = None
    places: list[Place] = field(default_factory=list)  # where each party signs


def _bbox(box: tuple[int, int, int, int], shape: tuple[int, ...]) -> BBox:
    height, width = shape[:2]
    return BBox.from_pixels(*box, width=width, height=height)


def _not_stamped(words: list[Word], stamp_ink: np.ndarray, ink: np.ndarray) -> list[Word]:
    """The printed words without the stamps' own text (a born-digital stamp's words are in the
    text layer): their boxes would cut a signature under the stamp into pieces, and their ink
    is the stamp's, kept out already."""
    if not stamp_ink.any():
        return words
    height, width = ink.shape[:2]
    out = []
    for word in words:
        b = word.bbox
        x0, y0 = int(b.x0 * width), int(b.y0 * height)
        x1, y1 = int(b.x1 * width) + 1, int(b.y1 * height) + 1
        dark = ink[y0:y1, x0:x1] > 0
        stamped = np.count_nonzero(dark & (stamp_ink[y0:y1, x0:x1] > 0))
        if dark.any() and stamped > STAMP_TEXT_SHARE * np.count_nonzero(dark):
            continue
        out.append(word)
    return out


@dataclass
class PageMasks:
    """What the signature stage is given of a page: its normalised image and scale, the stamps
    and logos found on it, the printed words' boxes and the ink that is a stamp's or a logo's."""

    image: np.ndarray
    scale: float
    stamps: list[Stamp]
    logos: list[Logo]
    ink: np.ndarray
    printed: np.ndarray
    exclude: np.ndarray


def page_masks(image: np.ndarray, words: list[Word]) -> PageMasks:
    """Stamps, logos and the masks of one page image (BGR or gray, any resolution)."""
    image = normalise(image)
    scale = px_per_mm(image)
    shape = image.shape
    stamps = find_stamps(image, scale)
    stamped = stamp_mask(shape, stamps)
    stamp_ink = stamp_ink_mask(image, stamps)  # a signature under a stamp stays
    ink = dark_mask(gray_of(image))
    printed = word_mask(shape, _not_stamped(words, stamp_ink, ink))
    logos = find_logos(image, scale, word_mask(shape, words, min_ocr_chars=3), stamped)
    exclude = stamp_ink.copy()
    for logo in logos:
        x0, y0, x1, y1 = logo.box
        cv2.rectangle(exclude, (x0, y0), (x1, y1), 255, -1)
    return PageMasks(image, scale, stamps, logos, ink, printed, exclude)


def signature_confidence(score: float) -> float:
    """The verifier's score (0-1) as a field confidence: 0.6 at the least, as before."""
    return round(0.6 + 0.35 * score, 3)


def analyse_page(number: int, image: np.ndarray, words: list[Word]) -> PageMarks:
    """All visual marks of one page image (BGR or gray, any resolution) whose frame the word
    boxes share."""
    m = page_masks(image, words)
    shape = m.image.shape
    method = words[0].source if words else None
    marks = PageMarks(page=number, method=method)
    marks.stamps = [Mark(number, _bbox(s.box, shape), s.confidence) for s in m.stamps]
    marks.logos = [Mark(number, _bbox(lg.box, shape), lg.confidence) for lg in m.logos]
    aspect = shape[0] / shape[1]
    found = verified(m.image, m.scale, words, m.printed, m.exclude)
    for sig in sorted(found, key=lambda s: (s.box[1], s.box[0])):
        box = _bbox(sig.box, shape)
        role = role_for(box, words, aspect)
        marks.signatures.append(Mark(number, box, signature_confidence(sig.score), role))
    marks.signatures.extend(_stamped_places(marks, words, aspect))
    shown = [*marks.signatures, *marks.stamps, *marks.logos]
    # places exist only near a signature found: without one, only OCR's lost ink is needed
    needed = method is WordSource.OCR or bool(marks.signatures)
    unread = _unread_ink(m.ink, m.scale, m.printed, shown) if needed else None
    signed = [mk.bbox for mk in marks.signatures]
    stamped = [mk.bbox for mk in marks.stamps]
    # A signing place is judged by its ink on every page: on a born-digital page too a drawn
    # signature the finder missed is ink that no text-layer word explains.
    marks.places = find_places(number, words, signed, unread, stamped)
    if method is WordSource.OCR:  # what OCR may have lost: scanned pages only
        marks.unread = unread
    return marks


def _unread_ink(
    ink: np.ndarray, scale: float, printed: np.ndarray, marks: list[Mark]
) -> np.ndarray:
    """Ink no OCR word covers (words OCR lost), without rules and marks, per millimetre. The
    page's dark-ink mask `ink` is used up (cleared where explained)."""
    ink[printed > 0] = 0
    ink[rules(ink, scale) > 0] = 0
    height, width = ink.shape
    for mark in marks:
        x0, y0 = int(mark.bbox.x0 * width), int(mark.bbox.y0 * height)
        ink[y0 : int(mark.bbox.y1 * height) + 1, x0 : int(mark.bbox.x1 * width) + 1] = 0
    size = (max(1, round(width / scale)), max(1, round(height / scale)))
    return cv2.resize(ink, size, interpolation=cv2.INTER_AREA) >= UNREAD_LEVEL


def _stamped_places(marks: PageMarks, words: list[Word], aspect: float) -> list[Mark]:
    """Organisations stamp where they sign, and the stamp hides what is under it: a company's
    or school's stamp in its own signing place, on the row where the other parties signed and
    apart from their signatures, is that party's mark, for no one can see it unsigned."""
    out: list[Mark] = []
    signed = {m.rol for m in marks.signatures}
    for stamp in marks.stamps:
        box = stamp.bbox
        same_row = [
            m for m in marks.signatures
            if m.bbox.y0 - ROW_SLACK < box.y1 and box.y0 < m.bbox.y1 + ROW_SLACK
        ]  # fmt: skip
        apart = not any(m.bbox.x0 <= box.center_x <= m.bbox.x1 for m in same_row)
        centre = BBox(
            x0=box.center_x - 0.01, y0=box.center_y - 0.005,
            x1=box.center_x + 0.01, y1=box.center_y + 0.005,
        )  # fmt: skip
        role = role_for(centre, words, aspect)  # the place it stands in, not its wide box
        if same_row and apart and role in STAMPING_PARTIES and role not in signed:
            out.append(Mark(marks.page, box, STAMPED_CONFIDENCE, role, stamped=True))
            signed.add(role)
    return out


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

    def plain(self, number: int, words: list[Word]) -> None:
        """The `on_plain_page` hook: a text-layer page that draws only printed text, light
        fills and thin rules (`reading.pdf_plain`) holds no signature, logo or stamp, and
        without a signature no signing place (`find_places`): what `analyse_page` gives such a
        page, without its pixels."""
        method = words[0].source if words else None
        self.pages.append(PageMarks(page=number, method=method))

    def unread_ink(self, page: int, box: BBox) -> int:
        """Square millimetres of ink no OCR word explains inside `box` on `page` (0 for a page
        with a text layer, or not analysed)."""
        marks = next((p for p in self.pages if p.page == page), None)
        return 0 if marks is None else ink_in(marks.unread, box)

    def unread_total(self) -> int:
        """The most ink OCR left unexplained on one page, in square millimetres."""
        return max((int(np.count_nonzero(p.unread)) for p in self.pages if p.unread is not None),
                   default=0)  # fmt: skip

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
            | ({"stempel": True} if m.stamped else {})
            for m in sigs
        ]
        places = [
            {"rol": pl.rol, "page": p.page, "bbox": pl.bbox.model_dump(), "inkt_mm2": pl.ink_mm2}
            | ({"merk": True} if pl.marked else {})
            for p in sorted(self.pages, key=lambda p: p.page)
            for pl in p.places
        ]
        return {
            F.SIGNATURE_COUNT: value(len(sigs), sigs, 0.8),
            F.SIGNATURES: value(signatures, sigs, 0.8),
            F.SIGNATURE_PLACES: value(places, sigs, 0.8),
            F.LOGO_PRESENT: value(bool(logos), logos, 0.8),
            F.STAMP_PRESENT: value(bool(stamps), stamps, 0.8),
        }
