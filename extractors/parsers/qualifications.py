"""Names of MBO qualifications (`core.qualifications`) found in a document: an education's name
in running text where no label precedes it."""

from __future__ import annotations

from rapidfuzz import fuzz

from core.dutch import fold
from core.layout import DocumentText, Line
from core.qualifications import Qualification, folded_names, known_crebo, qualifications

__all__ = ["Qualification", "find_known", "is_known", "known_crebo", "qualifications"]

THRESHOLD = 92.0


def find_known(text: DocumentText, extra: tuple[str, ...] = ()) -> tuple[Line, int, int] | None:
    """The first row holding a known qualification name (or one of `extra`), with its span."""
    registered = [fold(n) for n in extra if n]
    rows = [(line, fold(line.text)) for line in text if len(line.text) >= 4]
    for names in (registered, _known()):  # the registered name anywhere first
        for line, folded in rows:
            for name in names:
                span = _whole(name, folded)
                if span is not None:
                    return line, *span
    return None


def _whole(name: str, folded: str) -> tuple[int, int] | None:
    """Where `name` stands in `folded` as whole words (a misread letter allowed): not inside a
    longer word ("Timmerman" in the surname "Timmermans")."""
    if len(name) < 4:
        return None
    found = fuzz.partial_ratio_alignment(name, folded, score_cutoff=THRESHOLD)
    if found is None or found.dest_end - found.dest_start < len(name) - 2:
        return None
    start, end = found.dest_start, found.dest_end
    if folded[end : end + 1].isalpha() or folded[start - 1 : start].isalpha():
        return None
    return start, end


SIMILAR = 80.0  # an `extra` name written otherwise ("Verpleegkunde" for "… (duaal)")


def is_known(value: str, extra: tuple[str, ...] = ()) -> bool:
    """Whether `value` names a known qualification (or one of `extra`): it holds one whole,
    allowing a misread letter ("Verzorgende-IG (crebo 25491)", "Mbo-Verpleegkundlge"), or it
    is one of `extra` written otherwise."""
    folded = fold(value)
    if any(n and fuzz.token_set_ratio(fold(n), folded) >= SIMILAR for n in extra):
        return True
    names = [*(fold(n) for n in extra if n), *_known()]
    return any(_whole(name, folded) is not None for name in names)


def _known() -> list[str]:
    return [name for _, name in folded_names()]
