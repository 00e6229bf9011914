"""Fuzzy comparison of names and labels (people, educations, employers) with rapidfuzz,
tolerant of case, accents, word order, initials and tussenvoegsels."""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz

from core.dutch import organisation_core

TUSSENVOEGSELS = frozenset(
    {"van", "de", "der", "den", "het", "ter", "ten", "te", "in", "op", "t", "s", "d", "la", "le",
     "du", "el", "al", "von", "vd"}
)  # fmt: skip
_WORD = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    """Lower case without accents."""
    norm = unicodedata.normalize("NFKD", text)
    return "".join(c for c in norm if not unicodedata.combining(c)).casefold()


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text).replace(".", " "))


def _split(name: str) -> tuple[list[str], list[str]]:
    """(given names or initials, surname words) of a name, 'Vries, Jan de' style included."""
    if "," in name:
        last, _, first = name.partition(",")
        given = [w for w in words(first) if w not in TUSSENVOEGSELS]
        return given, [w for w in words(last) if w not in TUSSENVOEGSELS]
    tokens = [w for w in words(name) if w not in TUSSENVOEGSELS]
    return tokens[:-1], tokens[-1:]


def same_person(registered: str, found: str) -> bool:
    """Whether `found` plausibly names the registered person: the surname must match and
    every given name or initial on the document must fit the registered given names."""
    reg_given, reg_last = _split(registered)
    if not reg_last:
        return False
    if fuzz.token_sort_ratio(" ".join(words(registered)), " ".join(words(found))) >= 92:
        return True
    tokens = [w for w in words(found) if w not in TUSSENVOEGSELS]
    surname = " ".join(reg_last)
    last_hits = [t for t in tokens if fuzz.ratio(surname, t) >= 85]
    if not last_hits:
        return False
    rest = [t for t in tokens if t != last_hits[0]]
    initials = "".join(g[0] for g in reg_given)
    letters = ""  # the initials on the document, in their order ("J.P." and "JP": "jp")
    for token in rest:
        if any(fuzz.ratio(token, g) >= 85 for g in reg_given):
            continue
        if any(len(g) == 1 and token.startswith(g) for g in reg_given):  # registered "J."
            continue
        if len(token) <= 3:
            letters += token
            continue
        return False
    if letters and letters not in initials:
        return False
    return not rest or rest[0][0] == (initials[:1] or rest[0][0])


def similar(a: str, b: str, threshold: float = 80.0) -> bool:
    """Two labels (educations) that name the same thing, ignoring order and extra words."""
    return fuzz.token_set_ratio(" ".join(words(a)), " ".join(words(b))) >= threshold


def same_organisation(a: str, b: str, threshold: float = 85.0) -> bool:
    """Two organisation names, ignoring legal forms (B.V., Stichting)."""
    return fuzz.token_set_ratio(organisation_core(a), organisation_core(b)) >= threshold
