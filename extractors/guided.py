"""Registration-guided verification: where the registration says what to expect (the crebo,
the organisation, the education), look for that value anywhere on the document, in any written
form and allowing OCR confusions, before trusting what a label-based reader made of the layout.

A value found is reported with its evidence (page, box, the line as printed): the registered
value, so the rules see it match. A value not found changes nothing: the label-based reading
stands, and a conflicting value found there is still a mismatch. This holds on layouts never
seen, where labels are written in ways no lexicon lists."""

from __future__ import annotations

import re
from collections.abc import Callable

from rapidfuzz import fuzz

from core.dutch import organisation_core
from core.layout import DocumentText, Line
from core.model import FieldValue
from extractors.parsers.names import fold, with_wrapped

EXTRACTOR = "extractors.guided"
# OCR's usual confusions inside a number: letters read for digits.
_AS_DIGITS = str.maketrans({"o": "0", "O": "0", "l": "1", "I": "1", "i": "1", "|": "1",
                            "S": "5", "s": "5", "B": "8", "Z": "2"})  # fmt: skip
_TOKEN = re.compile(r"\S+")
NAME_THRESHOLD = 92.0
MIN_NAME_CHARS = 6


def find_code(text: DocumentText, code: str) -> FieldValue | None:
    """A registered number (a crebo: 5 digits) printed as a number of its own on the page:
    not part of a longer digit run; `2549l` and `25 491` read as `25491`."""
    if not code.isdigit():
        return None
    digits = re.compile(rf"(?<![0-9]){code[:2]} ?{code[2:]}(?![0-9])")
    for line in text:
        for token in _TOKEN.finditer(line.text):
            raw = token.group().strip(".,;:()[]")
            if not raw or not any(c.isdigit() for c in raw):
                continue
            if digits.fullmatch(raw.translate(_AS_DIGITS)):
                return line.evidence(token.start(), token.end(), code, EXTRACTOR, 0.95)
        joined = line.text.translate(_AS_DIGITS)
        for match in digits.finditer(joined):  # one space inside the number
            if " " in match.group():
                return line.evidence(match.start(), match.end(), code, EXTRACTOR, 0.9)
    return None


def find_name(
    text: DocumentText, name: str, in_role: Callable[[Line, int], bool] | None = None
) -> FieldValue | None:
    """A registered organisation or education name on the page, whole words, allowing a few
    misread letters; the evidence is the words it covers. With `in_role`, only where the
    context confirms the role (`in_role(line, start)`)."""
    wanted = organisation_core(name)
    if len(wanted) < MIN_NAME_CHARS:
        return None
    best: tuple[float, Line, int, int] | None = None
    for line in with_wrapped(list(text)):
        folded = fold(line.text)
        if len(folded) < len(wanted):
            continue  # a shorter row would be matched inside the name ("en" in "… en …")
        found = fuzz.partial_ratio_alignment(wanted, folded, score_cutoff=NAME_THRESHOLD)
        if found is None or found.dest_end - found.dest_start < 0.9 * len(wanted):
            continue
        start, end = found.dest_start, found.dest_end
        if (start > 0 and folded[start - 1].isalnum()) or (
            end < len(folded) and folded[end].isalnum()
        ):
            continue  # part of a longer word: "Noordwijk" is not "Noord"
        if in_role is not None and not in_role(line, start):
            continue
        if best is None or found.score > best[0]:
            best = (found.score, line, start, end)
    if best is None:
        return None
    score, line, start, end = best
    return line.evidence(start, end, name, EXTRACTOR, confidence=score / 100)
