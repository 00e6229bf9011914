"""Names of MBO qualifications (the official 2015 list, `data/kwalificaties.csv`), to recognise
an education's name in running text where no label precedes it."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz

from core.layout import DocumentText, Line
from extractors.parsers.names import fold

DATA = Path(__file__).parent / "data" / "kwalificaties.csv"
THRESHOLD = 92.0


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


def find_known(text: DocumentText, extra: tuple[str, ...] = ()) -> tuple[Line, int, int] | None:
    """The first row holding a known qualification name (or one of `extra`), with its span."""
    names = [fold(n) for n in extra if n] + [fold(q.name) for q in qualifications()]
    for line in text:
        folded = fold(line.text)
        if len(folded) < 4:
            continue
        for name in names:
            if len(name) < 4:
                continue
            found = fuzz.partial_ratio_alignment(name, folded, score_cutoff=THRESHOLD)
            if found is not None and found.dest_end - found.dest_start >= len(name) - 2:
                return line, found.dest_start, found.dest_end
    return None


SIMILAR = 80.0  # an `extra` name written otherwise ("Verpleegkunde" for "… (duaal)")


def is_known(value: str, extra: tuple[str, ...] = ()) -> bool:
    """Whether `value` names a known qualification (or one of `extra`): it holds one whole,
    allowing a misread letter ("Verzorgende-IG (crebo 25491)", "Mbo-Verpleegkundlge"), or it
    is one of `extra` written otherwise."""
    folded = fold(value)
    if any(n and fuzz.token_set_ratio(fold(n), folded) >= SIMILAR for n in extra):
        return True
    names = [fold(n) for n in extra if n] + [fold(q.name) for q in qualifications()]
    for name in names:
        if len(name) < 4:
            continue
        found = fuzz.partial_ratio_alignment(name, folded, score_cutoff=THRESHOLD)
        if found is not None and found.dest_end - found.dest_start >= len(name) - 2:
            return True
    return False
