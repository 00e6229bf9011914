"""The label lexicon (extractors/lexicon/labels.toml) compiled: which field a cell's opening
words name, if any. The longest label wins across all fields, so "Datum afdruk" is a print
date and not a `Datum`, and "Geboortedatum" never labels a field's date."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from extractors.lexicon import alternation, load

# Not fields: labels of values that are never a field's value.
NEVER, BIRTH, OTHER_DATE = "never", "birth", "other_dates"
SIGNING = "signing"
NOT_FIELDS = (NEVER, BIRTH, OTHER_DATE)
# One-word labels that also open ordinary text ("Van Dijk Zorg", "Start 2 Werk"): they label
# only a cell of their own or with a colon, or a value of the field's kind right after them.
WEAK = frozenset(
    {
        "van", "tot", "begin", "start", "eind", "einde", "datum", "naam", "bedrijf",
        "organisatie", "instelling", "school", "training", "cursus", "studie", "programma",
        "uren", "omvang", "per", "sinds", "op", "college", "roc", "hogeschool", "instituut",
        "trainer", "opleider", "werkgever", "werkplek", "aanvang", "periode", "duur", "data",
    }
)  # fmt: skip
SEPARATORS = " :.-–\t|"


@dataclass(frozen=True)
class Label:
    field: str  # a field name, or NEVER / BIRTH / OTHER_DATE
    end: int  # where the label ends in the text it was matched on (separators included)
    phrase: str
    colon: bool

    @property
    def weak(self) -> bool:
        return self.phrase.lower() in WEAK and not self.colon


@dataclass(frozen=True)
class Lexicon:
    labels: dict[str, re.Pattern[str]]
    generic: dict[str, re.Pattern[str]]
    sections: dict[str, re.Pattern[str]]
    prose: dict[str, re.Pattern[str]]
    kinds: dict[str, str]
    letterhead: dict[str, bool]
    marks: dict[str, re.Pattern[str]]  # a row's mark that its one date is the field's
    last: dict[str, re.Pattern[str]]  # a column's header whose last date is the field's
    fallback: dict[str, re.Pattern[str]]  # labels that count only where no other is read
    prose_not: dict[str, re.Pattern[str]]  # a sentence saying this holds no value of the field
    prose_after: dict[str, re.Pattern[str]]  # a sentence's cue right after the value


# Words that narrow a label without changing its field ("Begindatum bpv", "Omvang (totaal)").
QUALIFIER = (
    r"(?:\s+(?:van\s+(?:de|het)\s+)?(?:bpv|opleiding|training|stage|overeenkomst|praktijk\w*|"
    r"beroepspraktijkvorming|dienstverband|cursus|scholing|leerbedrijf|student|deelnemer))?"
    r"(?:\s*\([^)]{1,24}\))?"
)
NUMBERING = r"(?:\d{1,2}[.)]\s*|[A-Z][.)]\s+|artikel \d+\.?\s*)?"  # "1.", "B)", "Artikel 3"
# ... and a heading's bare number ("4 Onderwijsinstelling"; before a label it may be a value)
SECTION_NUMBERING = r"(?:\d{1,2}[.)]\s*|\d{1,2}\s+|[A-Z][.)]\s+|artikel \d+\.?\s*)?"


# "Dat. in dienst", "Dat. uitreiking": a label's leading "datum" abbreviated
ABBREVIATED_DATE = (re.compile(r"^datum(?=\s)"), r"(?:datum|dat\\.)")


def _abbreviated(phrase: str) -> str:
    pattern, replacement = ABBREVIATED_DATE
    return pattern.sub(replacement, phrase)


def _at_start(phrases: list[str], qualified: bool = True) -> re.Pattern[str]:
    qualifier = QUALIFIER if qualified else ""
    phrases = [_abbreviated(p) for p in phrases]
    return re.compile(
        # a digit may follow at once: OCR glues a value to its label ("Datum in dienst21-8-'14")
        rf"\s*{NUMBERING}((?:{alternation(phrases)}){qualifier})(?![^\W\d]|[/;,-])",
        re.IGNORECASE,
    )


# Per-field phrase lists of labels.toml compiled as one pattern each: the Lexicon attribute
# and the pattern around the phrases' alternation.
PHRASE_PATTERNS = {
    "sections": ("sections", r"(?<![\w])(?:{})(?![\w])"),
    "prose": ("prose", r"(?<![\w])(?:{})\s*:?\s*$"),
    "row_marks": ("marks", r"(?<![\w])(?:{})(?![\w])"),
    "column_last": ("last", r"(?:{})"),
    "fallback": ("fallback", r"(?:{})"),
    "prose_not": ("prose_not", r"(?:{})"),
    "prose_after": ("prose_after", r"\s*,?\s*(?:{})\b"),
}


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    data = load("labels")
    labels, generic, kinds, letterhead = {}, {}, {}, {}
    phrases: dict[str, dict[str, re.Pattern[str]]] = {a: {} for a, _ in PHRASE_PATTERNS.values()}
    for name, entry in data.items():
        if "labels" in entry:
            labels[name] = _at_start(entry["labels"])
        if "generic" in entry:
            generic[name] = _at_start(entry["generic"], qualified=False)
        for key, (attribute, template) in PHRASE_PATTERNS.items():
            if key in entry:
                pattern = template.format(alternation(entry[key]))
                phrases[attribute][name] = re.compile(pattern, re.IGNORECASE)
        if "kind" in entry:
            kinds[name] = entry["kind"]
        letterhead[name] = bool(entry.get("letterhead"))
    return Lexicon(labels, generic, kinds=kinds, letterhead=letterhead, **phrases)


def _found(field: str, match: re.Match[str], text: str) -> Label:
    end = match.end()
    rest = text[end:]
    stripped = rest.lstrip(SEPARATORS)
    colon = ":" in rest[: len(rest) - len(stripped)]
    return Label(field, end + len(rest) - len(stripped), match.group(1), colon)


LOWER_ALONE = 6  # characters of a lower-case label alone in its cell (OCR lost the capital)


def _sentence(match: re.Match[str], text: str) -> bool:
    """A form's label is capitalised; "opleiding Helpende Zorg …" is a sentence. A longer
    label alone in its cell ("indiensttreding" in a table's header) is a label all the same."""
    phrase = match.group(1)
    if not phrase[:1].islower():
        return False
    # "leerbedrijf." ending a wrapped sentence is no label: only a colon or a rule may follow
    return len(phrase) < LOWER_ALONE or bool(text[match.end(1) :].strip(" :\t|"))


def label_at(text: str, prefer: tuple[str, ...] = ()) -> Label | None:
    """The longest label opening `text`, among all fields' labels (and the never-labels), or
    None. A tie goes to a field in `prefer` (the fields of the document's type: "Einddatum
    training" is a training's end on a declaration), then to any field over a never-label."""
    found = _longest(text, prefer)
    if found is not None:
        return found[0]
    split = OCR_SPLIT.match(text)
    if split is None or len(text.split()) > SPLIT_CELL_WORDS:
        return None
    joint = split.end(1)  # "Onder wijsinstelling", "Indiensttred ing": OCR split one word
    healed = _longest(text[:joint] + text[joint + 1 :], prefer)
    if healed is None or healed[1] <= joint:
        return None
    label = healed[0]
    return Label(label.field, label.end + 1, text[: label.end + 1].strip(SEPARATORS), label.colon)


# A cell's first word split in two by OCR: a label only when the joined word makes one.
OCR_SPLIT = re.compile(r"^(\s*[A-Za-zÀ-ÿ]{3,}) (?=[a-zà-ÿ]{2,})")
SPLIT_CELL_WORDS = 6


def _longest(text: str, prefer: tuple[str, ...]) -> tuple[Label, int] | None:
    """The longest label opening `text`, with where its phrase ends."""
    best: tuple[tuple[int, int, bool], Label, int] | None = None
    for name, pattern in lexicon().labels.items():
        match = pattern.match(text)
        if match is None or (name not in NOT_FIELDS and _sentence(match, text)):
            continue
        rank = prefer.index(name) if name in prefer else len(prefer)
        size = (len(match.group(1)), -rank, name != NEVER)
        if best is None or size > best[0]:
            best = (size, _found(name, match, text), match.end(1))
    return None if best is None else (best[1], best[2])


def opens_with_label(text: str) -> bool:
    """A cell that is a label, or a label and its value ("Crebo: 25491"); not a value that
    merely starts with a label word ("ROC Oost", "Van Dijk Zorg")."""
    label = label_at(text)
    if label is None:
        return False
    rest = text[label.end :].strip(SEPARATORS)
    if label.colon or not label.weak or not rest:
        return True
    wordy = lexicon().kinds.get(label.field) in ("text", "organisation")
    return not wordy and bool(QUALIFIED_LABEL.fullmatch(rest))


# A weak date or number label run on by a few lower-case words is a label all the same ("Datum
# opmaak bpv-blad", "Periode stage"); a capitalised name after it is a value ("Van Dijk Zorg"),
# and so is a name after a weak name label ("Training omgaan met agressie").
QUALIFIED_LABEL = re.compile(r"[a-zà-ÿ][a-zà-ÿ/-]*(?: [a-zà-ÿ][a-zà-ÿ/-]*){0,2}")


def generic_at(text: str, field: str) -> Label | None:
    """A generic label of `field` ("Naam") opening `text`, unless a longer label of another
    field opens it ("Naam training")."""
    pattern = lexicon().generic.get(field)
    match = pattern.match(text) if pattern else None
    if match is None:
        return None
    longer = label_at(text)
    if longer is not None and len(longer.phrase) > len(match.group(1)) and longer.field != field:
        return None
    return _found(field, match, text)


HEADING = re.compile(rf"^\s*{SECTION_NUMBERING}[A-ZÀ-Ý][\w'’ /&()-]*$")
NUMBER_ONLY = re.compile(r"^\s*(?:\d{1,2}|[A-Z])[.)]?\s*$")


def is_heading(text: str) -> bool:
    """A short title row of its own ("Ondertekening", "E. Beroepspraktijkvorming"): it opens
    a section, a field's or another."""
    return (
        bool(HEADING.match(text))
        and len(text.split()) <= 4
        and not any(c.isdigit() for c in re.sub(SECTION_NUMBERING, "", text, count=1))
    )


def section_of(text: str, prefer: tuple[str, ...] = ()) -> str | None:
    """The field whose section a heading row opens ("Gegevens leerbedrijf", "Werkplek (erkend
    leerbedrijf)"), if any: the phrase that comes first in the heading, so "Handtekening
    leerbedrijf" opens a signature block."""
    found = _sections(text, prefer)
    split = OCR_SPLIT.match(text)
    if found is None and split is not None and len(text.split()) <= SPLIT_CELL_WORDS:
        joint = split.end(1)  # "Onder wijsinstelling": OCR split the heading's word
        found = _sections(text[:joint] + text[joint + 1 :], prefer, across=joint)
    return found


def _sections(text: str, prefer: tuple[str, ...], across: int | None = None) -> str | None:
    """The first section phrase in `text` (only one spanning `across`, when given)."""
    found = [
        (m.start(), -len(m.group(0)), name not in prefer, name)
        for name, pattern in lexicon().sections.items()
        if (m := pattern.search(text)) is not None
        and (across is None or m.start() < across < m.end())
    ]
    return min(found)[3] if found else None
