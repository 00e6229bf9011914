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
    "werkgever": "werkgever",
    "onderwijsinstelling": "onderwijsinstelling",
    "school": "onderwijsinstelling",
    "hogeschool": "onderwijsinstelling",
    "instelling": "onderwijsinstelling",
    "examencommissie": "onderwijsinstelling",
    "docent": "docent",
    "trainer": "docent",
    "opleider": "docent",
}
UNKNOWN = "onbekend"
MAX_ABOVE = 0.2  # labels at most this share of the page height above the signature
HORIZONTAL_WEIGHT = 0.5  # a label off to the side counts as this much farther away
_CLEAN = re.compile(r"[^a-zà-ÿ]")


def role_of(word: Word) -> str | None:
    """The role a label word names ("Deelnemer(s)" -> deelnemer), or None."""
    text = _CLEAN.sub("", word.text.lower().replace("(s)", ""))
    return ROLE_WORDS.get(text)


def role_for(box: BBox, words: list[Word], aspect: float = 297 / 210) -> str:
    """The role of the closest label above (or beside) a signature at `box`; `aspect` is the
    page's height / width, to measure distances in the same unit."""
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
    return best[1] if best else UNKNOWN
