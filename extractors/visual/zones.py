"""Signature zones from the page's words: the role a signature was placed for, read from the
nearest zone label above it (or to its left on the same row), such as "Handtekening
deelnemer", "Leerbedrijf", "Namens de onderwijsinstelling" or the "Deelnemer(s)" and "Docent"
sections of a performance declaration's signature table."""

from __future__ import annotations

import re

from core.geometry import BBox
from core.model import Word

ROLE_WORDS: dict[str, str] = {
    "deelnemer": "deelnemer",
    "deelnemers": "deelnemer",
    "cursist": "deelnemer",
    "student": "deelnemer",
    "leerling": "deelnemer",
    "werknemer": "werknemer",
    "medewerker": "deelnemer",
    "leerbedrijf": "leerbedrijf",
    "praktijkopleider": "leerbedrijf",
    "bpvbedrijf": "leerbedrijf",  # "Bpv-bedrijf" (GLOSSARY's leerbedrijf synonyms)
    "stagebedrijf": "leerbedrijf",
    "praktijkplaats": "leerbedrijf",
    "bedrijf": "leerbedrijf",
    "werkgever": "werkgever",
    "onderwijsinstelling": "onderwijsinstelling",
    "school": "onderwijsinstelling",
    "hogeschool": "onderwijsinstelling",
    "roc": "onderwijsinstelling",
    "instelling": "onderwijsinstelling",
    "examencommissie": "onderwijsinstelling",
    "docent": "docent",
    "trainer": "docent",
    "opleider": "docent",
}
UNKNOWN = "onbekend"
MIN_SUFFIX = 6  # a compound ending in a role word of this length names that role
MAX_PREFIX = 6  # ... after at most this many letters ("hoofd", "praktijk" is too long)
MAX_BELOW = 0.08  # a name and function under a signature: within this share of the page
BELOW_SLACK = 0.05
MAX_ABOVE = 0.2  # labels at most this share of the page height above the signature
HORIZONTAL_WEIGHT = 0.5  # a label off to the side counts as this much farther away
_CLEAN = re.compile(r"[^a-zà-ÿ]")
# The role words a compound may end in, longest first.
COMPOUND_ENDS = sorted((k for k in ROLE_WORDS if len(k) >= MIN_SUFFIX), key=len, reverse=True)


def role_of(word: Word) -> str | None:
    """The role a label word names ("Deelnemer(s)" -> deelnemer, "Hoofddocent" -> docent),
    or None."""
    text = _CLEAN.sub("", word.text.lower().replace("(s)", ""))
    if text in ROLE_WORDS:
        return ROLE_WORDS[text]
    for key in COMPOUND_ENDS:
        if len(text) <= len(key) + MAX_PREFIX and text.endswith(key):
            return ROLE_WORDS[key]  # a compound: "vakdocent", "hoofddocent"
    return None


def _below(box: BBox, words: list[Word]) -> str | None:
    """The role named just under a signature, as a letter signs off: the signature, then the
    name and the function ("hoofddocent")."""
    best: tuple[float, str] | None = None
    for word in words:
        role = role_of(word)
        below = word.bbox.center_y - box.center_y
        overlaps = word.bbox.x0 < box.x1 + BELOW_SLACK and box.x0 - BELOW_SLACK < word.bbox.x1
        if role is None or not 0 < below <= MAX_BELOW or not overlaps:
            continue
        if best is None or below < best[0]:
            best = (below, role)
    return best[1] if best else None


def role_for(box: BBox, words: list[Word], aspect: float = 297 / 210) -> str:
    """The role of the closest label above (or beside) a signature at `box`, else one named
    just below it; `aspect` is the page's height / width, to measure distances in the same
    unit."""
    best: tuple[float, str] | None = None
    for word in words:
        role = role_of(word)
        if role is None:
            continue
        above = box.center_y - word.bbox.center_y
        if above < -box.height / 2 or above > MAX_ABOVE:
            continue
        gap = max(0.0, word.bbox.x0 - box.x1, box.x0 - word.bbox.x1) / aspect
        cost = max(0.0, above) + HORIZONTAL_WEIGHT * gap
        if best is None or cost < best[0]:
            best = (cost, role)
    return best[1] if best else (_below(box, words) or UNKNOWN)
