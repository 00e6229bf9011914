"""Find Dutch citizen service numbers (BSN, formerly sofinummer) in OCR or text-layer text.

Pure text functions: no I/O, and the numbers found are never logged. A candidate is written as
`123456782`, `1234.56.782`, `123 456 782`, `123-456-782` or `123.456.782`, and is returned only
when it passes the 11-test (`stdnum.nl.bsn.is_valid`). An 8-digit number is read as a BSN with a
leading zero (as stdnum does) only when it is labelled, because 8-digit KvK and personnel
numbers are common.

Never a candidate: digits inside a longer alphanumeric run (IBAN `NL91ABNA0417164300`, VAT
`NL123456782B01`, loonheffingennummer `123456782L01`), phone numbers (`0612345678`,
`+31612345678`, `06-12345678`), a digit group joined to other groups by `.`, `,`, `-` or `/`
(amounts, dates), numbers touching a mask character (`1234*****`, `123.45.***`).

Label window (`labelled=True`): a BSN label (`BSN`, `BSN-nummer`, `Burgerservicenummer`,
`Sofinummer`, `sofi-nr`, `Sofi nummer`, `BSN/sofinr`) is
- on the same line, at most `SAME_LINE_WINDOW` characters before the number (not counting
  spaces, dots, colons, dashes and underscores used as leaders), with no
  other number label (personeelsnummer, werknemersnummer, KvK, IBAN, telefoon ...) in between; or
- on the line directly above or below, and the number's own line has no other number label
  before the number (table headers above values, captions below).
`bsn_present` returns the first labelled valid BSN: that is the signal that a payslip was not
anonymised.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stdnum.nl import bsn as stdnum_bsn

SAME_LINE_WINDOW = 40  # characters between the end of a label and the number

_BSN_LABEL_RE = re.compile(
    r"(?<![A-Za-z])(?:burger[ \t]?service|bsn|sofi)(?:[ \t]?-?[ \t]?(?:nummer|nr\b\.?))?"
    r"(?![A-Za-z])",
    re.IGNORECASE,
)
_OTHER_LABEL_RE = re.compile(
    r"(?<![A-Za-z])(?:personeels|werknemers|medewerker|registratie|relatie|klant|factuur|"
    r"debiteur|dossier|polis|contract|loonheffingen|pers\.?|wn|mdw|emp(?:loyee)?)"
    r"[ \t]*-?[ \t]*(?:nummer|nr\b\.?|no\b\.?|number|id\b|code)"
    r"|(?<![A-Za-z])(?:kvk|iban|rekening|tel(?:efoon)?|fax|mobiel|gsm|postcode|btw)(?![A-Za-z])",
    re.IGNORECASE,
)
_CANDIDATE_RE = re.compile(
    r"(?<![0-9A-Za-z+*])(?<![0-9][.,/-])"
    r"(?P<num>[0-9]{8,9}|[0-9]{4}\.[0-9]{2}\.[0-9]{3}"
    r"|[0-9]{3}(?P<sep>[ .-])[0-9]{3}(?P=sep)[0-9]{3})"
    r"(?![0-9A-Za-z*])(?![.,/-][0-9*])"
)
_SPACED_CONTEXT = re.compile(r"[0-9] ?$")  # a spaced number must not continue a digit group


@dataclass(frozen=True)
class BsnMatch:
    """A valid BSN: `digits` is the 9-digit compact form, `text` the number as written."""

    digits: str
    start: int
    end: int
    text: str
    labelled: bool


def _line_bounds(text: str, pos: int) -> tuple[int, int]:
    """Start and end (exclusive, without the newline) of the line holding `pos`."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end == -1 else end


def _nearest_label_before(segment: str) -> str | None:
    """'bsn' or 'other' for the label ending last in `segment`, else None."""
    best: tuple[int, str] | None = None
    for kind, pattern in (("bsn", _BSN_LABEL_RE), ("other", _OTHER_LABEL_RE)):
        for m in pattern.finditer(segment):
            if best is None or m.end() >= best[0]:
                best = (m.end(), kind)
    return best[1] if best else None


def _is_labelled(text: str, start: int) -> bool:
    """Whether a number starting at `start` is in a BSN label window (module docstring)."""
    line_start, line_end = _line_bounds(text, start)
    before = text[line_start:start]
    kind = _nearest_label_before(before)
    if kind == "other":
        return False
    if kind == "bsn":
        last = list(_BSN_LABEL_RE.finditer(before))[-1]
        gap = re.sub(r"[\s.:_-]", "", before[last.end() :])  # leaders like "....:" are free
        return len(gap) <= SAME_LINE_WINDOW
    neighbours: list[str] = []
    if line_start > 0:
        above_start, _ = _line_bounds(text, line_start - 1)
        neighbours.append(text[above_start : line_start - 1])
    if line_end < len(text):
        _, below_end = _line_bounds(text, line_end + 1)
        neighbours.append(text[line_end + 1 : below_end])
    return any(_BSN_LABEL_RE.search(line) for line in neighbours)


def find_bsns(text: str) -> list[BsnMatch]:
    """Every valid BSN in text order, labelled or not (8-digit ones only when labelled)."""
    found: list[BsnMatch] = []
    for m in _CANDIDATE_RE.finditer(text):
        raw, start, end = m["num"], m.start("num"), m.end("num")
        if m["sep"] == " " and (
            _SPACED_CONTEXT.search(text[max(0, start - 2) : start])
            or re.match(r" ?[0-9]", text[end : end + 2])
        ):
            continue  # "06 123 456 789" and similar digit groups are not a BSN
        digits = re.sub(r"[^0-9]", "", raw)
        if not stdnum_bsn.is_valid(digits):
            continue
        labelled = _is_labelled(text, start)
        if len(digits) == 8 and not labelled:
            continue
        found.append(BsnMatch(digits.zfill(9), start, end, raw, labelled))
    return found


def bsn_present(text: str) -> BsnMatch | None:
    """The first valid BSN within a label window, else None."""
    return next((match for match in find_bsns(text) if match.labelled), None)
