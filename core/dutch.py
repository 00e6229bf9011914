"""Dutch words shared by the readers, the rules and the fixture generator: one home for the
month names, so a date written by one is read by the others. Abbreviations and variants stay
with their user (the parser reads more spellings than the generator writes)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")  # fmt: skip

# Legal forms left out when organisation names are compared ("Zorggroep Noord B.V.").
LEGAL_FORMS = frozenset({"bv", "nv", "vof", "stichting", "st", "vereniging", "cv", "holding"})


def organisation_core(name: str) -> str:
    """An organisation's name to compare: lower case without accents, punctuation or legal
    forms ("Stichting Zorggroep Noord B.V." -> "zorggroep noord")."""
    norm = unicodedata.normalize("NFKD", name)
    folded = "".join(c for c in norm if not unicodedata.combining(c)).casefold()
    words = re.findall(r"[a-z0-9]+", folded.replace(".", ""))
    return " ".join(w for w in words if w not in LEGAL_FORMS)


def fold(text: str) -> str:
    """Casefold and strip accents, keeping the length (one character in, one out). ASCII
    text only casefolds (nothing to strip, one character each); other characters are folded
    once per process (the readers fold every word of every page)."""
    if text.isascii():
        return text.casefold()
    return "".join(map(_fold_char, text))


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    base = unicodedata.normalize("NFKD", char)
    base = "".join(c for c in base if not unicodedata.combining(c)) or char
    return base[0].casefold()[0] if base else char
