"""Find crebo numbers (5-digit MBO qualification codes) in OCR or text-layer text.

Pure text functions: no I/O. Two kinds of match are returned, in text order:
- labelled: a crebo label (`crebo`, `crebonummer`, `crebo-nr`, `kwalificatie(dossier)`,
  `kwalificatiecode`, `opleidingscode`) stands before the number on the same line (at most
  `LABEL_WINDOW` characters before it, with no other number label in between), or alone at the
  end of the line above; or the number stands in parentheses after a name (`Verzorgende IG
  (25491)`). Directly after a label, light OCR noise is read: one space inside the number
  (`25 491`) and `l`/`I` for 1, `O` for 0 (`2549l`).
- unlabelled (`labelled=False`): a plain 5-digit number starting with 1, 2 or 9 that is not part
  of a longer digit run, a grouped number (phone, IBAN, amount: a digit group joined by space,
  `.`, `,`, `-` or `/`), an amount (`€`, `EUR`, `,-`), a date, or a value of another number label
  (personeelsnummer, registratienummer, postcode, postbus, telefoon, KvK ...).
The caller should prefer labelled matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.parsers.dates import find_dates

LABEL_WINDOW = 80  # characters between the end of a label and the number

_LABEL = (
    r"(?:crebo|creb0|kwalificatie(?:dossier)?|opleidingscode)"
    r"(?:[ \t]*[-.]?[ \t]*(?:nummer|nr\.?|code|no\.?))?"
)
_LABEL_RE = re.compile(rf"(?<![A-Za-z]){_LABEL}", re.IGNORECASE)
# Labels of numbers that are not crebos; the nearest label before a number decides.
_OTHER_LABEL_RE = re.compile(
    r"(?<![A-Za-z])(?:personeels|werknemers|medewerker|registratie|relatie|klant|factuur|order|"
    r"debiteur|dossier|polis|huis|lid|student|deelnemer|leerling|contract)"
    r"[ \t]*-?[ \t]*(?:nummer|nr\b\.?|no\b\.?|id\b)"
    r"|(?<![A-Za-z])(?:postcode|postbus|tel(?:efoon)?|fax|mobiel|gsm|kvk|bsn|iban|rekening|"
    r"pers\.?[ \t]*nr|ref|referentie|kenmerk|factuur|btw|brin|sofi)(?![A-Za-z])",
    re.IGNORECASE,
)
_OCR_DIGIT = "[0-9lIO]"
# The number right after a label: 5 positions, one optional inner space, OCR tolerant.
_DIRECT_RE = re.compile(
    rf"(?<![A-Za-z]){_LABEL}[ \t]*[:#.]?[ \t]*"
    rf"(?P<num>{_OCR_DIGIT}{{2}}[ ]?{_OCR_DIGIT}{{3}}|{_OCR_DIGIT}{{3}}[ ]?{_OCR_DIGIT}{{2}})"
    r"(?![0-9A-Za-z])(?![.,][0-9])(?! ?-?[0-9])",
    re.IGNORECASE,
)
# Any 5-digit run that is not part of a longer alphanumeric run or an amount like 25491,00.
_FIVE_RE = re.compile(r"(?<![0-9A-Za-z])[0-9]{5}(?![0-9A-Za-z])(?![.,][0-9-])")
# Grouped numbers: a digit group joined by a separator on either side.
_GROUP_BEFORE = re.compile(r"[0-9][ .,/+-]$|[0-9] [ .,/-] ?$")
_GROUP_AFTER = re.compile(r"^ ?[ .,/-] ?[0-9]")
_TIGHT_BEFORE = re.compile(r"[0-9+][ -]$")
_TIGHT_AFTER = re.compile(r"^[ -][0-9]")
_MONEY_BEFORE = re.compile(r"(?:€|eur|euro)[ \t]*$", re.IGNORECASE)
_MONEY_AFTER = re.compile(r"^(?:,-|[ \t]*(?:€|eur\b|euro\b))", re.IGNORECASE)
_PAREN_AFTER_NAME = re.compile(r"[A-Za-z][.-]?[ \t]*\($")


@dataclass(frozen=True)
class CreboMatch:
    """A crebo candidate: `value` is the 5 digits, `text` the matched text as written."""

    value: str
    start: int
    end: int
    text: str
    labelled: bool


def _clean(raw: str) -> str | None:
    """The 5 digits of an OCR-read number, or None when it holds too few real digits."""
    if sum(ch.isdigit() for ch in raw) < 3:
        return None
    digits = raw.replace(" ", "").translate(str.maketrans("lIO", "110"))
    return digits if len(digits) == 5 and digits.isdigit() else None


def _label_before(text: str, start: int) -> str | None:
    """'crebo' or 'other' for the nearest label before `start` on the same line, else None."""
    line_start = text.rfind("\n", 0, start) + 1
    window_start = max(line_start, start - LABEL_WINDOW)
    window = text[window_start:start]
    best: tuple[int, str] | None = None
    for kind, pattern in (("crebo", _LABEL_RE), ("other", _OTHER_LABEL_RE)):
        for m in pattern.finditer(window):
            if best is None or m.end() > best[0]:
                best = (m.end(), kind)
    return best[1] if best else None


def _label_on_line_above(text: str, start: int) -> bool:
    """True when the line above ends with a crebo label (a form or table cell above a value)."""
    line_start = text.rfind("\n", 0, start) + 1
    if line_start == 0 or text[line_start:start].strip():
        return False
    above = text[text.rfind("\n", 0, line_start - 1) + 1 : line_start - 1]
    return re.search(rf"{_LABEL}[ \t]*:?[ \t]*$", above, re.IGNORECASE) is not None


def find_crebos(text: str) -> list[CreboMatch]:
    """Crebo candidates in text order; see the module docstring for what is accepted."""
    found: list[CreboMatch] = []
    for m in _DIRECT_RE.finditer(text):
        value = _clean(m["num"])
        if value is not None:
            found.append(CreboMatch(value, m.start("num"), m.end("num"), m["num"], True))
    taken = [(c.start, c.end) for c in found]
    taken += [(d.start, d.end) for d in find_dates(text)]
    for m in _FIVE_RE.finditer(text):
        start, end = m.span()
        if any(start < e and s < end for s, e in taken):
            continue
        before, after = text[max(0, start - 6) : start], text[end : end + 6]
        if _MONEY_BEFORE.search(before) or _MONEY_AFTER.search(after):
            continue
        kind = _label_before(text, start)
        if kind == "other":
            continue
        in_parens = text.startswith(")", end) and _PAREN_AFTER_NAME.search(before) is not None
        labelled = kind == "crebo" or _label_on_line_above(text, start) or in_parens
        if labelled:
            # Even after a label, a tight digit group is a phone number ("06-12345", "6 12345").
            if _TIGHT_BEFORE.search(before) or _TIGHT_AFTER.search(after):
                continue
        elif (  # unlabelled: no digit group next to it, and crebos start with 1, 2 or 9
            _GROUP_BEFORE.search(before) or _GROUP_AFTER.search(after) or m.group(0)[0] not in "129"
        ):
            continue
        found.append(CreboMatch(m.group(0), start, end, m.group(0), labelled))
    found.sort(key=lambda c: c.start)
    return found
