"""Signature places: where a party is asked to sign, and what is in that place.

A signature block's caption naming a party ("Namens het leerbedrijf", "De deelnemer", "School"
in a table of parties) marks where that party signs: under the caption, or beside it on its row.
A place counts only near a signature that was found on the same page (the block's own row), so
a section heading "Leerbedrijf" over the company's address is no place to sign.

The ink in a place that no OCR word, rule or recognised mark explains tells whether something
was put there that the signature finder did not recognise (a signature under a stamp, a faint
stroke on a scan). A missing signature is proven only by its party's place, found and blank
(checks.signatures); a place with unexplained ink, or no place found, leaves it to a reviewer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.enums import WordSource
from core.geometry import BBox
from core.layout import page_lines, scribble
from core.model import Page, Word
from extractors.visual.zones import role_of

CAPTION_WORDS = 8  # a caption is a cell of at most this many words
BLOCK_REACH = 0.15  # page heights: a caption this near a found signature is in its block
BELOW_DEPTH = 0.08  # page heights under a caption where its party signs
BELOW_WIDTH = 0.28  # page widths: a column's width, at least
SIDE_WIDTH = 0.45  # page widths beside a caption on its row (a table of parties)
SLACK = 0.02
COVER_SHARE = 0.25  # of a place's width a signature found must span to reach into it
# OCR's reading of a scribble (core.layout.scribble) below this confidence: in a place to
# sign its ink counts as unexplained ink ("i", "=_——", "mmm", "GEE,").
JUNK_CONFIDENCE = 0.6
# A sentence's words, not a caption: a cell ending a sentence, or opening with a word that
# continues one ("het leerbedrijf de erkenning van SBB verliest.").
CONTINUES = frozenset({"de", "het", "een", "van", "en", "of", "bij", "door", "met", "voor", "aan",
                       "te", "die", "dat", "in", "op", "is", "zijn", "wordt", "naar"})  # fmt: skip


@dataclass(frozen=True)
class Place:
    """Where `rol` signs on a page, and the unexplained ink in it (square millimetres)."""

    rol: str
    bbox: BBox
    ink_mm2: int
    marked: bool = False  # a signature found (and given to another party) reaches into it


def regions(caption: BBox, next_x: float = 1.0) -> tuple[BBox, BBox]:
    """The parts of the page a caption's party signs in: under it, and beside it on its row,
    both up to `next_x` (where the next party's caption on the row begins)."""
    below = BBox(
        x0=max(0.0, caption.x0 - SLACK),
        y0=caption.y1,
        x1=max(caption.x1, min(1.0, caption.x0 + BELOW_WIDTH, next_x)),
        y1=min(1.0, caption.y1 + BELOW_DEPTH),
    )
    beside = BBox(
        x0=caption.x1,
        y0=max(0.0, caption.y0 - SLACK / 2),
        x1=max(caption.x1, min(1.0, caption.x1 + SIDE_WIDTH, next_x)),
        y1=min(1.0, caption.y1 + SLACK / 2),
    )
    return below, beside


def junk(word: Word) -> bool:
    """Whether OCR made this word of a scribble (see JUNK_CONFIDENCE)."""
    return scribble(word, JUNK_CONFIDENCE)


def ink_in(unread: np.ndarray | None, box: BBox, words: Sequence[Word] = ()) -> int:
    """Square millimetres inside `box` of ink no word, rule or mark explains (`unread`: one
    cell per millimetre; None for a page with a text layer), with the cells under OCR's
    readings of scribbles among `words`."""
    if unread is None:
        return 0
    height, width = unread.shape
    area = np.zeros_like(unread, dtype=bool)
    area[int(box.y0 * height) : int(np.ceil(box.y1 * height)),
         int(box.x0 * width) : int(np.ceil(box.x1 * width))] = True  # fmt: skip
    inked = unread & area
    for word in words:
        if junk(word):  # only scribbles count; find_places passes them alone
            b = word.bbox
            inked[int(b.y0 * height) : int(np.ceil(b.y1 * height)),
                  int(b.x0 * width) : int(np.ceil(b.x1 * width))] = True  # fmt: skip
    return int(np.count_nonzero(inked & area))


def find_places(
    number: int,
    words: list[Word],
    signatures: list[BBox],
    unread: np.ndarray | None,
    stamps: Sequence[BBox] = (),
) -> list[Place]:
    """The signature places on page `number`, given the boxes of the signatures found on it
    and the page's unexplained ink (`unread`, see `ink_in`). A stamp over a place marks it as
    a signature does: it hides what is under it (a signature in the stamp's colour cannot be
    told from the stamp), so such a place is never proven blank."""
    if not signatures or not words:
        return []
    source = words[0].source if words else WordSource.OCR
    scribbles = [w for w in words if junk(w)]
    page = Page(number=number, width=1, height=1, source=source, words=words)
    out = []
    for line in page_lines(page):
        cells = line.cells()
        for i, (start, end) in enumerate(cells):
            cell = line.words_in(start, end)
            roles = [r for r in (role_of(w) for w in cell) if r is not None]
            if not roles or len(cell) > CAPTION_WORDS or _sentence(line.text[start:end]):
                continue
            box = line.box(start, end)
            if not any(abs(box.center_y - s.center_y) <= BLOCK_REACH for s in signatures):
                continue
            # the next party's caption on the row ends this one's column (a name or a date in
            # the next cell is this party's own row of a table)
            later = [c for c in cells[i + 1 :] if any(role_of(w) for w in line.words_in(*c))]
            next_x = line.box(*later[0]).x0 if later else 1.0
            parts = regions(box, next_x)
            inked = sum(ink_in(unread, part, scribbles) for part in parts)
            marked = any(_covers(s, part) for s in [*signatures, *stamps] for part in parts)
            out.append(Place(roles[0], box, inked, marked))
    return out


def _covers(mark: BBox, part: BBox) -> bool:
    """A mark spanning a good part of a place's width, at its height: two signatures the
    finder merged into one box, or one signed across two places."""
    wide = min(mark.x1, part.x1) - max(mark.x0, part.x0)
    high = min(mark.y1, part.y1) - max(mark.y0, part.y0)
    return high > 0 and wide >= COVER_SHARE * (part.x1 - part.x0)


def _sentence(text: str) -> bool:
    words = text.split()
    return text.rstrip().endswith(".") or (bool(words) and words[0] in CONTINUES)
