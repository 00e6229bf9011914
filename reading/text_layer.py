"""Words from a PDF page's text layer, with page-relative boxes and line and block numbers in
reading order, and the test whether a page's layer is worth trusting: pages without a usable
layer (too few letters, `(cid:xx)` or U+FFFD glyph garbage, only invisible text such as a
scanner's OCR layer, different glyphs drawn over each other) go to OCR instead.

The characters come from pdfium (`reading.pdf_chars`); pdfplumber's word grouping and
de-duplication run over them, so words split as pdfplumber splits them."""

from __future__ import annotations

import logging
import re
from itertools import groupby, pairwise
from operator import itemgetter
from typing import Any, Literal

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfplumber.utils.clustering import cluster_objects
from pdfplumber.utils.text import WordExtractor

from core.enums import WordSource
from core.geometry import BBox
from core.model import Word

log = logging.getLogger(__name__)

_CID = re.compile(r"\(cid:\d+\)")
# Share of a page's characters that may be unmapped glyphs or replacement characters before
# the layer counts as garbage.
MAX_GARBAGE_SHARE = 0.1
# A gap between lines larger than this many line heights starts a new block.
BLOCK_GAP_LINES = 1.2
# How upright text runs on a page shown turned by /Rotate (degrees clockwise): the direction
# lines follow each other and characters follow each other, as pdfplumber names them.
Direction = Literal["ltr", "rtl", "ttb", "btt"]
_DIRECTIONS: dict[int, tuple[Direction, Direction]] = {
    0: ("ttb", "ltr"),
    90: ("rtl", "ttb"),
    180: ("btt", "rtl"),
    270: ("ltr", "btt"),
}


def _group_lines(raw: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Group words into lines: a word joins the current line when its vertical middle lies
    within the line's extent; lines are returned top to bottom, words left to right."""
    lines: list[list[dict[str, Any]]] = []
    for word in sorted(raw, key=lambda w: (float(w["top"]), float(w["x0"]))):
        middle = (float(word["top"]) + float(word["bottom"])) / 2
        for line in lines[-3:]:
            top = min(float(w["top"]) for w in line)
            bottom = max(float(w["bottom"]) for w in line)
            if top <= middle <= bottom:
                line.append(word)
                break
        else:
            lines.append([word])
    for line in lines:
        line.sort(key=lambda w: float(w["x0"]))
    lines.sort(key=lambda ws: min(float(w["top"]) for w in ws))
    return lines


def _reading_frame(word: dict[str, Any], width: float, height: float, rotation: int) -> dict:
    """The word's box in the page's unrotated frame (where its text runs left to right), for
    pages shown turned by /Rotate: `rotation` degrees clockwise, `width` x `height` as shown."""
    x0, x1, top, bottom = (float(word[k]) for k in ("x0", "x1", "top", "bottom"))
    if rotation == 90:
        x0, x1, top, bottom = top, bottom, width - x1, width - x0
    elif rotation == 180:
        x0, x1, top, bottom = width - x1, width - x0, height - bottom, height - top
    elif rotation == 270:
        x0, x1, top, bottom = height - bottom, height - top, x0, x1
    return {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "shown": word}


def words_from_plumber(
    raw: list[dict[str, Any]], width: float, height: float, rotation: int = 0
) -> list[Word]:
    """Turn pdfplumber's `extract_words()` output for a page shown `width` x `height` points
    (turned `rotation` degrees clockwise by /Rotate) into `Word`s: boxes as fractions of the
    page as shown, lines in reading order, a new block after a vertical gap."""
    framed = [_reading_frame(w, width, height, rotation % 360) for w in raw]
    words: list[Word] = []
    block = 0
    previous_bottom: float | None = None
    for number, line in enumerate(_group_lines(framed)):
        top = min(float(w["top"]) for w in line)
        bottom = max(float(w["bottom"]) for w in line)
        line_height = max(bottom - top, 1.0)
        if previous_bottom is not None and top - previous_bottom > BLOCK_GAP_LINES * line_height:
            block += 1
        previous_bottom = bottom
        for item in line:
            w = item["shown"]
            text = str(w["text"]).strip()
            if not text:
                continue
            words.append(
                Word(
                    text=text,
                    bbox=BBox.from_pixels(
                        float(w["x0"]),
                        float(w["top"]),
                        float(w["x1"]),
                        float(w["bottom"]),
                        width,
                        height,
                    ),
                    confidence=1.0,
                    source=WordSource.TEXT_LAYER,
                    line=number,
                    block=block,
                )
            )
    return words


def read_text_layer(
    page: pdfium.PdfPage, chars: list[dict[str, Any]]
) -> tuple[float, float, list[Word]]:
    """The page's width and height in points as shown (after /Rotate) and its words, from
    its `chars` (`reading.pdf_chars.page_chars`)."""
    width, height = page.get_size()
    rotation = page.get_rotation() % 360
    line_dir, char_dir = _DIRECTIONS.get(rotation, _DIRECTIONS[0])
    raw = WordExtractor(
        keep_blank_chars=False,
        use_text_flow=False,
        line_dir=line_dir,
        char_dir=char_dir,
        line_dir_rotated=line_dir,
        char_dir_rotated=char_dir,
        # A gap of a fifth of the font size, or a change of font or size, ends a word: a title
        # drawn just before its value ("LOONSTROOK" 2.7 pt before "oktober 2022" at 11 pt) is
        # two words, as a reader sees it; pdfplumber's fixed 3 pt joined them.
        x_tolerance_ratio=0.2,
        extra_attrs=["fontname", "size"],
    ).extract_words(chars)
    return width, height, words_from_plumber(raw, width, height, rotation)


def conflicting_glyphs(chars: list[dict[str, Any]]) -> int:
    """Characters of the text layer drawn over other, different characters (after identical
    duplicates, a common fake-bold trick, are removed): a text layer that contradicts itself,
    e.g. a month typed over another one. Such a layer is not used; the page is OCR'd."""
    chars = sorted(
        (c for c in dedupe_chars(chars, tolerance=1) if _level(c)),
        key=lambda c: (round(c["top"]), c["x0"]),
    )
    conflicts = 0
    for prev, char in pairwise(chars):
        same_row = abs(char["top"] - prev["top"]) < 1.0 and prev.get("upright", True)
        width = max(prev["x1"] - prev["x0"], 0.1)
        starts_inside = prev["x0"] - 0.1 <= char["x0"] < prev["x1"] - 0.5 * width
        different = char["text"] != prev["text"] and char["text"].strip() and prev["text"].strip()
        if same_row and starts_inside and different and char.get("upright", True):
            conflicts += 1
    return conflicts


_SAME = itemgetter("upright", "text", "fontname", "size")
_POSITION = itemgetter("doctop", "x0")


def dedupe_chars(chars: list[dict[str, Any]], tolerance: float = 1) -> list[dict[str, Any]]:
    """pdfplumber's `dedupe_chars` (the first of the chars that share text, font, size and
    position within `tolerance`), in the order of `chars`: the same chars, found without its
    sort by `chars.index`, which compares every char with those before it (a tenth of a
    text-layer page's time). The survivor of a group is its first char, and an equal dict
    would be in its group, so its position by identity is the one `index` finds."""
    kept = []
    for _, same in groupby(sorted(chars, key=_SAME), key=_SAME):
        for row in cluster_objects(list(same), itemgetter("doctop"), tolerance):
            for spot in cluster_objects(row, itemgetter("x0"), tolerance):
                kept.append(sorted(spot, key=_POSITION)[0])
    position = {id(char): i for i, char in enumerate(chars)}
    return sorted(kept, key=lambda char: position[id(char)])


def _level(char: dict[str, Any]) -> bool:
    """A glyph on a level baseline: turned text (a stamp's, a slanted watermark) has boxes
    that overlap their neighbours by construction and says nothing about overwriting."""
    matrix = char.get("matrix") or (1, 0, 0, 1, 0, 0)
    return abs(matrix[1]) < 1e-3 and abs(matrix[2]) < 1e-3


def has_visible_text(page: pdfium.PdfPage) -> bool:
    """Whether any text object on the page is drawn visibly (render mode other than 3,
    'invisible', which scanners and OCR tools use for a hidden text layer over an image)."""
    for obj in page.get_objects(max_depth=2):
        if obj.type != pdfium_c.FPDF_PAGEOBJ_TEXT:
            continue
        mode = pdfium_c.FPDFTextObj_GetTextRenderMode(obj.raw)
        if mode != pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE:
            return True
    return False


def layer_is_usable(words: list[Word], *, min_chars: int, visible: bool = True) -> bool:
    """Whether the text layer can be used instead of OCR: at least `min_chars` letters or
    digits, not mostly unmapped glyphs (`(cid:12)`, U+FFFD), and drawn visibly."""
    if not visible or not words:
        return False
    text = " ".join(w.text for w in words)
    garbage = sum(len(m) for m in _CID.findall(text)) + text.count("\ufffd")
    clean = _CID.sub("", text)
    alnum = sum(c.isalnum() for c in clean)
    if alnum < min_chars:
        return False
    if garbage > MAX_GARBAGE_SHARE * max(len(text), 1):
        log.debug(
            "text layer rejected: %d of %d characters are unmapped glyphs", garbage, len(text)
        )
        return False
    return True


def _runs(chars: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Chars in drawing order joined into runs of text: a run ends where the next char is on
    another row, starts left of the previous one or after a gap wider than three chars."""
    runs: list[dict[str, Any]] = []
    current: list[dict[str, Any]] = []

    def close() -> None:
        text = "".join(c["text"] for c in current).strip()
        if text:
            runs.append(
                {
                    "text": text,
                    "x0": min(float(c["x0"]) for c in current),
                    "x1": max(float(c["x1"]) for c in current),
                    "top": min(float(c["top"]) for c in current),
                    "bottom": max(float(c["bottom"]) for c in current),
                }
            )

    for char in chars:
        if current:
            prev = current[-1]
            width = max(float(prev["x1"]) - float(prev["x0"]), 1.0)
            breaks = (
                abs(float(char["top"]) - float(prev["top"])) >= 1.0
                or float(char["x0"]) < float(prev["x0"])
                or float(char["x0"]) - float(prev["x1"]) > 3 * width
            )
            if breaks:
                close()
                current = []
        current.append(char)
    if current:
        close()
    return runs


def overlapping_runs(chars: list[dict[str, Any]]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Pairs (earlier, later) of text runs drawn over each other on the same row with
    different text — where `conflicting_glyphs` counts characters, this says what the two
    texts are and where (points, top-left frame of the page as shown). Identical overdraws
    (fake bold) are not pairs."""
    runs = _runs([c for c in chars if c.get("upright", True)])
    pairs = []
    for i, first in enumerate(runs):
        for second in runs[i + 1 :]:
            if abs(second["top"] - first["top"]) >= 1.0 or first["text"] == second["text"]:
                continue
            overlap = min(first["x1"], second["x1"]) - max(first["x0"], second["x0"])
            shorter = min(first["x1"] - first["x0"], second["x1"] - second["x0"])
            if shorter > 0 and overlap > 0.5 * shorter:
                pairs.append((first, second))
    return pairs
