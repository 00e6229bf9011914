"""The title a document carries, read from where titles are printed: a short line near the top
of the first page, a line set larger than the body text, or a letter's subject ("Betreft …").
A clear title of one type decides the type whatever the layout; the trained model and the
keywords decide only where no title is found (extractors/lexicon/titles.toml)."""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from functools import lru_cache

from core.enums import DocType
from core.layout import Line
from extractors.lexicon import compile_phrases, load

TOP_LINES = 8  # the first rows of page 1 (a letterhead, then the title)
LARGE = 1.3  # a row this much taller than the page's median word is set as a heading
MAX_TITLE_WORDS = 8  # a title is a short line, not a sentence that names the type
MAX_SUBJECT_WORDS = 16  # a letter's subject line names the type, then what it is about
JOIN = re.compile(
    r"\s*(?:en|&|\+|/)\s*", re.IGNORECASE
)  # "Bewijs van deelname en prestatieverklaring"
SUBJECT = re.compile(r"^\s*(?:betreft|onderwerp|inzake|betreffende)\b\s*:?\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Title:
    """A title row and the types it names: one, or the few a shared title is printed under
    (then the content decides among them)."""

    doc_types: tuple[DocType, ...]
    phrase: str
    line: Line

    @property
    def doc_type(self) -> DocType:
        return self.doc_types[0]

    @property
    def shared(self) -> bool:
        return len(self.doc_types) > 1


@lru_cache(maxsize=1)
def patterns() -> dict[tuple[DocType, ...], re.Pattern[str]]:
    data = dict(load("titles"))
    shared = data.pop("shared", {})
    out: dict[tuple[DocType, ...], re.Pattern[str]] = {
        (DocType(name),): compile_phrases(entry["titles"]) for name, entry in data.items()
    }
    for entry in shared.values():
        out[tuple(DocType(t) for t in entry["types"])] = compile_phrases(entry["titles"])
    return out


def shared_pattern(doc_types: tuple[DocType, ...]) -> re.Pattern[str]:
    """The phrases of the title the types share (or of a title joining their own titles)."""
    known = patterns()
    if doc_types in known:
        return known[doc_types]
    joined = "|".join(f"(?:{known[(t,)].pattern})" for t in doc_types if (t,) in known)
    return re.compile(joined, re.IGNORECASE)


def _height(line: Line) -> float:
    return statistics.median(w.bbox.height for w in line.words)


def title_lines(lines: list[Line]) -> list[tuple[Line, int]]:
    """Rows of the first page where a title may stand, most telling first, each with the
    character offset where the title would start (after a "Betreft:")."""
    first = [ln for ln in lines if ln.page == lines[0].page] if lines else []
    if not first:
        return []
    body = statistics.median(w.bbox.height for ln in first for w in ln.words)
    large = [ln for ln in first if _height(ln) >= LARGE * body]
    out: list[tuple[Line, int]] = [(ln, 0) for ln in large]
    for i, ln in enumerate(first):
        subject = SUBJECT.match(ln.text)
        if subject and subject.end() < len(ln.text):
            out.append((ln, subject.end()))
        elif subject and i + 1 < len(first):
            out.append((first[i + 1], 0))
    out.extend((ln, 0) for ln in first[:TOP_LINES])
    seen: set[int] = set()
    unique = []
    for ln, at in out:
        if id(ln) not in seen:
            seen.add(id(ln))
            unique.append((ln, at))
    return unique


def _is_title(text: str, match: re.Match[str], subject: bool = False) -> bool:
    """The phrase opens the line (within its first three words), on a short line; a letter's
    subject opens with it and may run on ("Betreft: Verklaring deelname en afronding <the
    training's name>")."""
    words_before = len(text[: match.start()].split())
    if subject:
        return words_before == 0 and len(text.split()) <= MAX_SUBJECT_WORDS
    return words_before <= 3 and len(text.split()) <= MAX_TITLE_WORDS


Hit = tuple[int, int, tuple[DocType, ...], str]
SPLIT_REACH = 4  # spaces among a title row's first words where OCR may have split a word


def _hits(text: str, split_at: int | None = None, subject: bool = False) -> list[Hit]:
    hits = []
    for doc_types, pattern in patterns().items():
        match = pattern.search(text)
        spans = match is not None and (split_at is None or match.start() < split_at < match.end())
        if match and spans and _is_title(text, match, subject):
            hits.append((match.start(), -len(match.group(0)), doc_types, match.group(0)))
    return hits


def _healed_hits(text: str) -> list[Hit]:
    """Titles of a row where OCR split one word ("Prestatieverklari ng"): each of the first
    spaces closed in turn, a phrase counting only where it spans the closed space."""
    spaces = [i for i, c in enumerate(text) if c == " "][:SPLIT_REACH]
    for i in spaces:
        hits = _hits(text[:i] + text[i + 1 :], split_at=i)
        if hits:
            return hits
    return []


def find_title(lines: list[Line]) -> Title | None:
    """The first title row that names a document type (or a look-alike, or a shared title's
    few types)."""
    for line, at in title_lines(lines):
        text = line.text[at:]
        # a split word healed may name a longer title that opens earlier ("Onder wijs-
        # arbeidsovereenkomst" is a study agreement, not the employment contract inside it)
        hits = _hits(text, subject=at > 0) + _healed_hits(text)
        if hits:
            start, _, doc_types, phrase = min(hits, key=lambda h: (h[0], h[1]))
            return _joined(Title(doc_types, phrase.lower(), line), text[start + len(phrase) :])
    return None


def _joined(title: Title, rest: str) -> Title:
    """A title that names two types at once ("Bewijs van deelname en prestatieverklaring")
    claims both: the content decides between them, as under a shared title. Joined to a
    look-alike's ("Factuur / prestatieverklaring") it is the type's title."""
    join = JOIN.match(rest)
    if join is None:
        return title
    for doc_types, pattern in patterns().items():
        match = pattern.match(rest, join.end())
        if match and not set(doc_types) <= set(title.doc_types):
            # "Factuur en prestatieverklaring": a look-alike's title names no type of its own
            joined = (*title.doc_types, *doc_types)
            types = tuple(dict.fromkeys(t for t in joined if t is not DocType.ONBEKEND))
            return Title(types, f"{title.phrase}{rest[: match.end()].lower()}", title.line)
    return title
