"""Names of MBO qualifications (the official 2015 list, `data/kwalificaties.csv`): the readers
recognise an education's name by them, the rules tell two educations apart by their crebo."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz

from core.dutch import fold

DATA = Path(__file__).parent / "data" / "kwalificaties.csv"
SAME_NAME = 95.0  # a name written as the list writes it, a misread letter allowed


@dataclass(frozen=True)
class Qualification:
    crebo: str
    name: str


@lru_cache(maxsize=1)
def qualifications() -> tuple[Qualification, ...]:
    with DATA.open(encoding="utf-8") as handle:
        rows = [Qualification(r["crebo"], r["kwalificatie"]) for r in csv.DictReader(handle)]
    # longest first, so "Verzorgende IG" wins over a shorter name inside it
    return tuple(sorted(rows, key=lambda q: -len(q.name)))


@lru_cache(maxsize=1)
def folded_names() -> tuple[tuple[str, str], ...]:
    """(crebo, folded name) of every qualification, in `qualifications()` order: folded once."""
    return tuple((q.crebo, fold(q.name)) for q in qualifications())


def known_crebo(value: str) -> str | None:
    """The crebo of the known qualification `value` names as a whole ("Doktersassistent" ->
    25473), else None: two such names of different crebos are different educations however
    alike they are written ("Apothekersassistent", "Doktersassistent")."""
    folded = fold(value).strip()
    for crebo, name in folded_names():
        if fuzz.ratio(name, folded) >= SAME_NAME:
            return crebo
    return None
