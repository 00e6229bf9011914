"""Locate a registered person's name on a document, tolerating OCR errors, initials,
tussenvoegsels and surname-first order (`J. de Vries`, `Vries, Jan de`, `JAN DE VRIES`).
Fuzzy matching is rapidfuzz's; the evidence is the matched words' box."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from rapidfuzz import fuzz

from core.dutch import fold
from core.layout import DocumentText, Line
from core.model import FieldValue

EXTRACTOR = "extractors.names"
TUSSENVOEGSELS = frozenset(
    {"van", "de", "der", "den", "het", "ter", "ten", "te", "in", "op", "'t", "'s", "d'", "la", "le",
     "du", "el", "al", "von", "vander", "vd", "v.d."}
)  # fmt: skip
MATCH_THRESHOLD = 88.0


@dataclass(frozen=True)
class PersonName:
    """A Dutch name split into given names, tussenvoegsel and surname."""

    given: tuple[str, ...]
    tussenvoegsel: tuple[str, ...]
    surname: tuple[str, ...]

    @classmethod
    def parse(cls, name: str) -> PersonName:
        tokens = fold(" ".join(name.replace(",", " ").split())).split()
        given: list[str] = []
        i = 0
        while i < len(tokens) - 1 and tokens[i] not in TUSSENVOEGSELS:
            given.append(tokens[i])
            i += 1
        tv: list[str] = []
        while i < len(tokens) - 1 and tokens[i] in TUSSENVOEGSELS:
            tv.append(tokens[i])
            i += 1
        surname = tokens[i:]
        return cls(tuple(given), tuple(tv), tuple(surname))

    @property
    def initials(self) -> str:
        return "".join(f"{g[0]}." for g in self.given)

    def variants(self) -> list[str]:
        """Ways the name is commonly written, folded."""
        tv = " ".join(self.tussenvoegsel)
        last = " ".join(self.surname)
        full_last = f"{tv} {last}".strip()
        given = " ".join(self.given)
        out = [f"{given} {full_last}".strip()]
        if self.given:
            out += [
                f"{self.initials} {full_last}",
                f"{self.initials.replace('.', '')} {full_last}",
                f"{self.given[0]} {full_last}",
                f"{full_last}, {given}",
                f"{last}, {given} {tv}".strip(),
                f"{last}, {self.initials} {tv}".strip(),
                f"{last} {self.initials} {tv}".strip(),
            ]
        if len(self.given) > 1:  # a double surname read as given names: "Willems van Lier"
            rest = " ".join([*self.given[1:], *self.tussenvoegsel, *self.surname])
            out += [f"{rest}, {self.given[0]}", f"{self.given[0]} {rest}"]
        return list(dict.fromkeys(v for v in out if v))


@dataclass(frozen=True)
class NameHit:
    line: Line
    start: int
    end: int
    score: float
    variant: str


def _has_initial(span: str, person: PersonName) -> bool:
    if not person.given:
        return True
    initial = _ocr_letter(person.given[0][0])
    tokens = span.replace(",", " ").replace(".", " ").split()
    return any(_ocr_letter(t[0]) == initial for t in tokens if t and t not in person.tussenvoegsel)


# Letters OCR confuses at the start of a word ("lan Kok" for "Ian Kok").
_OCR_SAME = str.maketrans({"l": "i", "1": "i", "|": "i", "0": "o"})


def _ocr_letter(char: str) -> str:
    return char.translate(_OCR_SAME)


def with_wrapped(lines: list[Line]) -> list[Line]:
    """The rows, then each pair of consecutive rows of a page as one, for names that wrap
    ("… de voortgang van Daphne van" / "West-Francië in de opleiding …")."""
    pairs = [
        Line(page=a.page, words=[*a.words, *b.words], index=a.index)
        for a, b in pairwise(lines)
        if a.page == b.page
    ]
    return [*lines, *pairs]


def best_match(lines: DocumentText | list[Line], name: str) -> NameHit | None:
    """The line span that best matches any written form of `name`, above the threshold."""
    person = PersonName.parse(name)
    if not person.surname:
        return None
    surname = " ".join(person.surname)
    best: NameHit | None = None
    for line in with_wrapped(list(lines)):
        folded = fold(line.text)
        if len(folded) < 2:
            continue
        for variant in person.variants():
            # a short name must survive one misread letter too ("lan kok" for "ian kok")
            cutoff = min(MATCH_THRESHOLD, 99.0 - 100.0 / max(len(variant), 1))
            found = fuzz.partial_ratio_alignment(variant, folded, score_cutoff=cutoff)
            if found is None:
                continue
            start, end = found.dest_start, found.dest_end
            while start > 0 and not folded[start - 1].isspace():
                start -= 1  # whole words: the alignment may have dropped a misread letter
            while end < len(folded) and folded[end].isalnum():
                end += 1
            span = folded[start:end]
            # the surname itself must be there, and the given name's initial: "P. de Vries"
            # is somebody else than "Jan de Vries"
            if fuzz.partial_ratio(surname, span) < 75 or not _has_initial(span, person):
                continue
            if best is None or found.score > best.score:
                best = NameHit(line, start, end, found.score, variant)
    return best


def find_participant(text: DocumentText, name: str) -> FieldValue | None:
    """The registered participant's name as found on the document, with its evidence.

    The value is the registered name (what was looked for); `source_text` shows the line as
    printed and the confidence reflects how closely it matched."""
    hit = best_match(text, name)
    if hit is None:
        return None
    return hit.line.evidence(hit.start, hit.end, name, EXTRACTOR, confidence=hit.score / 100)


PART_RATIO = 85  # a word of the name read with a letter or two wrong
MIN_PART_LETTERS = 3


def partly_named(lines: DocumentText | list[Line], name: str) -> bool:
    """Whether one line holds most of `name`'s words (tussenvoegsels aside), allowing misread
    letters, though not closely enough to be the name found: the name OCR ran into the next
    label ("Emily Coreth von und zu Coredo und StarRariode:") is no proof that nobody is
    named."""
    wanted = [w for w in fold(name).split() if w not in TUSSENVOEGSELS]
    wanted = [w for w in wanted if len(w) >= MIN_PART_LETTERS]
    if len(wanted) < 2:
        return False
    for line in with_wrapped(list(lines)):
        tokens = fold(line.text).split()
        seen = sum(any(fuzz.ratio(w, t) >= PART_RATIO for t in tokens) for w in wanted)
        if seen >= 2 and 2 * seen >= len(wanted):
            return True
    return False
