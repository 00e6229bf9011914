"""Black out citizen service numbers (BSN) before anything derived from a document is kept:
page renders get a black box over every word or run of adjacent words that forms a valid BSN,
and the words and evidence texts of a processed document get its digits replaced by `•`.

A BSN is found regardless of any label, in two ways (their union is redacted):
- `extractors.parsers.bsn.find_bsns` over the page's rows (`core.layout.page_lines`), so every
  number the payslip rule would see as a BSN (`123456782`, `1234.56.782`, `123 456 782`,
  `123-456-782`; 8 digits with a BSN label) is covered;
- runs of adjacent number words (digits joined by `.` or `-`, e.g. `123-45-6789`, `12345
  6789` as OCR splits it) with exactly 9 digits in all that pass the 11-test.
A 9-digit number that passes the 11-test by chance (about one in eleven of all 9-digit
numbers: an order number, an amount written `123.456.789`) is blacked out too; that
over-redaction is accepted. A BSN that OCR misread is not found, and so not redacted.

Pure functions, no I/O; the numbers are never logged."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from itertools import pairwise

import cv2
import numpy as np
from stdnum.nl import bsn as stdnum_bsn

from core.enums import WordSource
from core.geometry import BBox, union_all
from core.layout import COLUMN_GAP, page_lines
from core.model import Page, ProcessedDocument, Word
from extractors.parsers.bsn import find_bsns

MASK = "•"
BSN_DIGITS = 9
# Padding around a blacked-out box, as a share of the box's height (anti-aliased glyph edges,
# OCR boxes drawn tight to the ink).
PAD = 0.2

_NUMBER = re.compile(r"[0-9]+(?:[.-][0-9]+)*")
_OPENING = "([{"
_CLOSING = ")]}.,;:"


def _digits(token: str) -> int | None:
    """Digits in a number word (`123`, `1234.56`, `123-45-6789`, `(123456782),`), else None."""
    core = token.lstrip(_OPENING).rstrip(_CLOSING)
    if not _NUMBER.fullmatch(core):
        return None
    return sum(c.isdigit() for c in core)


def bsn_runs(tokens: Sequence[str], adjacent: Sequence[bool]) -> list[tuple[int, int]]:
    """Index ranges [i, j) of runs of number tokens with 9 digits in all forming a valid BSN;
    `adjacent[k]` says whether tokens k and k + 1 may belong to one number."""
    runs: list[tuple[int, int]] = []
    for i in range(len(tokens)):
        count = 0
        for j in range(i, len(tokens)):
            digits = _digits(tokens[j])
            if digits is None or (j > i and not adjacent[j - 1]):
                break
            count += digits
            if count > BSN_DIGITS:
                break
            if count == BSN_DIGITS:
                number = "".join(c for t in tokens[i : j + 1] for c in t if c.isdigit())
                if stdnum_bsn.is_valid(number):
                    runs.append((i, j + 1))
                break
    return runs


def bsn_words(words: list[Word], page_number: int = 1) -> list[list[Word]]:
    """The groups of words that show a BSN (a group is blacked out as one box)."""
    if not words:
        return []
    page = Page(number=page_number, width=1, height=1, source=WordSource.OCR, words=words)
    lines = page_lines(page)
    groups: list[list[Word]] = []
    text = "\n".join(line.text for line in lines)
    offset = 0
    starts = []
    for line in lines:
        starts.append(offset)
        offset += len(line.text) + 1
    for match in find_bsns(text):
        for line, start in zip(lines, starts, strict=True):
            if start <= match.start <= start + len(line.text):
                hit = line.words_in(match.start - start, match.end - start)
                if hit:
                    groups.append(hit)
                break
    for line in lines:
        adjacent = [b.bbox.x0 - a.bbox.x1 <= COLUMN_GAP for a, b in pairwise(line.words)]
        for i, j in bsn_runs([w.text for w in line.words], adjacent):
            groups.append(line.words[i:j])
    unique = {tuple(id(w) for w in group): group for group in groups}  # both ways find most
    return list(unique.values())


def bsn_boxes(words: list[Word], page_number: int = 1) -> list[BBox]:
    """Page-relative boxes to black out: one per BSN (the union of its words)."""
    boxes = [union_all([w.bbox for w in group]) for group in bsn_words(words, page_number)]
    return [box for box in boxes if box is not None]


def redact_image(image: np.ndarray, boxes: Iterable[BBox]) -> np.ndarray:
    """A copy of `image` (gray or colour, in the frame of the boxes) with the boxes black."""
    boxes = list(boxes)
    if not boxes:
        return image
    out = image.copy()
    height, width = out.shape[:2]
    for box in boxes:
        pad = max(2.0, PAD * (box.y1 - box.y0) * height)
        left = max(0, int(box.x0 * width - pad))
        top = max(0, int(box.y0 * height - pad))
        right = min(width - 1, int(np.ceil(box.x1 * width + pad)))
        bottom = min(height - 1, int(np.ceil(box.y1 * height + pad)))
        cv2.rectangle(out, (left, top), (right, bottom), 0, thickness=-1)
    return out


def redact_render(image: np.ndarray, words: list[Word], page_number: int = 1) -> np.ndarray:
    """The page render with every BSN the page's words show blacked out."""
    return redact_image(image, bsn_boxes(words, page_number))


def _mask(text: str) -> str:
    return re.sub(r"[0-9]", MASK, text)


def mask_text(text: str) -> str:
    """`text` with the digits of every BSN in it replaced by `•`."""
    spans = [(m.start, m.end) for m in find_bsns(text)]
    tokens = list(re.finditer(r"\S+", text))
    adjacent = [
        "\n" not in text[a.end() : b.start()] and b.start() - a.end() <= 2
        for a, b in pairwise(tokens)
    ]
    for i, j in bsn_runs([t.group() for t in tokens], adjacent):
        spans.append((tokens[i].start(), tokens[j - 1].end()))
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        chars[start:end] = _mask(text[start:end])
    return "".join(chars)


def mask_page(page: Page) -> int:
    """Replace the digits of the page's BSN words by `•` (in place); returns how many words."""
    hidden = {id(w) for group in bsn_words(page.words, page.number) for w in group}
    if hidden:
        page.words = [
            w.model_copy(update={"text": _mask(w.text)}) if id(w) in hidden else w
            for w in page.words
        ]
    return len(hidden)


def redact_processed(processed: ProcessedDocument) -> ProcessedDocument:
    """Mask every BSN in the document's words and in the fields' evidence texts, in place;
    run after the fields are extracted (`bsn_present` is decided on the unmasked text)."""
    if processed.document is not None:
        for page in processed.document.pages:
            mask_page(page)
    for name, field in processed.fields.items():
        if field.source_text and (masked := mask_text(field.source_text)) != field.source_text:
            processed.fields[name] = field.model_copy(update={"source_text": masked})
    return processed
