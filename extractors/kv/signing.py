"""Who signed a performance declaration, and when, on any layout: every dated row of the
signing part (the participants' table, the teacher's block) with the role of the nearest cue at
or above it — a table header ("Cursist", "Naam deelnemer"), a heading ("Ondertekening docent"),
a caption ("docent / trainer"). A cue holds until the next one, across pages, so a long list
of participants keeps its header. A row that names the registered participant (and no teacher)
is the participant's, whatever header OCR lost above it (under a teacher's cue it may be both).
Side-by-side blocks ("Deelnemer | Docent") give each date under them its own block's role; a
table header that names no role and no signature ("Nr. | Datum | Tijd | Onderwerp", a session
table) ends the signing part. Dates after a birth or print label, the training's own dates (its
period, its first and last day), and a date in a sentence that signs nothing are no signing
dates."""

from __future__ import annotations

import re

from core.layout import DocumentText, Line
from core.model import FieldValue
from extractors.kv.labels import BIRTH, lexicon
from extractors.kv.read import read
from extractors.parsers.dates import find_dates
from extractors.parsers.names import best_match

EXTRACTOR = "extractors.declaration"
OLDEST_SIGNATURE_YEAR = 2015  # older dates on a row are birth dates, not signing dates
TEACHER = re.compile(
    r"\b(?:\w*docent|trainer|beoordelaar|instructeur"
    r"|namens (?!de werkgever|het leerbedrijf|werkgever|leerbedrijf)\w)",
    re.I,
)  # "hoofddocent", "vakdocent" too; "namens <the provider>" is the teacher's caption
NAME_REACH = 0.12  # page heights from a participant's name down to the date signed under it
PARTICIPANT = re.compile(r"\b(?:deelnemer|cursist|medewerker|student)(?:s|\(s\)|en)?\b", re.I)
PRINTED = re.compile(r"afdruk|afgedrukt|geprint|verwerk|aangemaakt|gegenereerd|export", re.I)
# Rows about the training itself: its period, not a signature.
TRAINING = re.compile(
    r"\b(?:gestart|gegeven|afgesloten|afgerond|periode|tot en met|t/m|lesdag|bijeenkomst)", re.I
)
TRAINING_DATES = ("training_einddatum", "startdatum", "einddatum")
SIGNING = re.compile(r"handteken|paraaf|onderteken|getekend|akkoord", re.I)
HEADER_WORDS = 3  # words at most in a table header's cell
HEADER_READ = 0.8  # mean OCR confidence of a header row that is trusted to end a signing part
SENTENCE_WORDS = 6  # a cell of this many words (of letters, outside dates) ...
LOWER_SHARE = 0.6  # ... most of them lower-case, is a sentence


def _other_table(line: Line) -> bool:
    """A table header that names no role and no signature ("Nr. | Datum | Tijd | Onderwerp",
    mostly single words, where signers' names have two):
    the rows under it (the training's sessions) are no signing rows, whatever cue stood
    above ("Werkgever deelnemer(s)")."""
    cells = [line.text[start:end].split() for start, end in line.cells()]
    read = sum(w.confidence for w in line.words) / len(line.words) >= HEADER_READ
    return (
        read  # a header OCR garbled is no evidence of a table
        and len(cells) >= 3
        and not any(c.isdigit() for c in line.text)
        and all(len(cell) <= HEADER_WORDS for cell in cells)
        and 2 * sum(len(cell) == 1 for cell in cells) > len(cells)  # not a row of names
        and not SIGNING.search(line.text)
    )


def _role_of(text: str) -> str | None:
    """The role a row (or a caption) names; one naming both (the teacher confirming the
    participants' attendance) is the teacher's."""
    if TEACHER.search(text):
        return "docent"
    if PARTICIPANT.search(text):
        return "deelnemer"
    return None


CUE_WORDS = 3  # a caption names its role in its first words


def _columns(line: Line) -> list[tuple[float, str]]:
    """The roles a row's captions name in their first words, by x centre: side-by-side
    signing blocks ("Deelnemer | Trainer namens Zorgacademie Oost" over a date in each)."""
    out = []
    for start, end in line.cells():
        role = _role_of(" ".join(line.text[start:end].split()[:CUE_WORDS]))
        if role is not None:
            out.append((_centre(line, start, end), role))
    return out


def _prose(line: Line, cue: str | None) -> bool:
    """A sentence that signs nothing ("… bewaard (opgemaakt 15-03-2025)."): its date is no
    signing date. One naming a role (`cue`, "Docent verklaart dat … 11-10") may sign."""
    signs = cue is not None or SIGNING.search(line.text)
    return not signs and any(_sentence(line.text[s:e]) for s, e in line.cells())


def _sentence(cell: str) -> bool:
    """Words of letters outside its dates, mostly lower-case (a name's "van der" are not)."""
    for d in reversed(find_dates(cell)):
        cell = cell[: d.start] + " " + cell[d.end :]
    words = [w for w in cell.split() if sum(c.isalpha() for c in w) >= 2]
    lower = sum(w[0].islower() for w in words)
    return len(words) >= SENTENCE_WORDS and lower > LOWER_SHARE * len(words)


def _signing_date(
    line: Line, taken: set[int], column: float | None = None
) -> tuple[str, int, int] | None:
    """The date on the row that may be a signing date: the last, or where several stand side
    by side under names, the one in the `column` (x centre) of the participant's name."""
    found = _signing_dates(line, taken)
    if len(found) > 1 and column is not None:
        return min(found, key=lambda f: abs(_centre(line, f[1], f[2]) - column))
    return found[-1] if found else None


def _signing_dates(line: Line, taken: set[int]) -> list[tuple[str, int, int]]:
    """The dates on the row that may be signing dates: not a birth, print or training date."""
    birth = lexicon().labels[BIRTH]
    found = []
    previous_end = 0  # a label before an earlier date on the row is that date's
    for d in find_dates(line.text):
        before = line.text[max(previous_end, d.start - 25) : d.start]
        previous_end = d.end
        if d.value.year < OLDEST_SIGNATURE_YEAR or d.start in taken:
            continue
        if birth.search(before) or PRINTED.search(before):
            continue
        found.append((d.value.isoformat(), d.start, d.end))
    return found


def _centre(line: Line, start: int, end: int) -> float:
    return line.box(start, end).center_x


def signature_rows(text: DocumentText, participant: str | None = None) -> FieldValue | None:
    """[{"rol", "datum"}] of every dated signing row, in the order printed; `participant` is
    the registered participant's name."""
    taken: dict[int, set[int]] = {}  # the training's own dates, by row
    for cands in read(text, TRAINING_DATES).values():
        for c in cands:
            taken.setdefault(id(c.cell.line), set()).add(c.start)
    rows: list[tuple[dict[str, str], FieldValue]] = []
    role: str | None = None
    columns: list[tuple[float, str]] = []  # side-by-side blocks' roles, by x centre
    named: tuple[int, float, float] | None = None  # page, top and x centre of the name
    for line in text.lines:
        cue = _role_of(line.text)
        if cue is not None:
            role, columns = cue, _columns(line)
        elif _other_table(line):
            role, columns = None, []
        top = line.bbox.y0
        hit = best_match([line], participant) if participant else None
        if hit is not None:
            named = (line.page, top, _centre(hit.line, hit.start, hit.end))
        if role is None or TRAINING.search(line.text) or _prose(line, cue):
            continue
        if len(columns) > 1 and hit is None:
            rows.extend(_side_by_side(line, taken.get(id(line), set()), columns))
            continue
        near = named is not None and named[0] == line.page and 0 <= top - named[1] <= NAME_REACH
        column = named[2] if named is not None and near else None
        date = _signing_date(line, taken.get(id(line), set()), column)
        if date is None:
            continue
        value, start, end = date
        evidence = line.evidence(start, end, value, EXTRACTOR, 0.8)
        roles = [role]
        if hit is not None and not TEACHER.search(line.text):  # the participant's own row
            # under a teacher's cue the row may be both ("Deelnemer | Docent | Datum" over
            # "Jan de Vries | A. Smit | 11-10-2024"): it is the participant's, and still may
            # be the teacher's
            roles = ["deelnemer", "docent"] if role == "docent" else ["deelnemer"]
        rows.extend(({"rol": r, "datum": value}, evidence) for r in roles)
    if not rows:
        return None
    return rows[0][1].model_copy(update={"value": [r for r, _ in rows], "source_text": None})


def _side_by_side(
    line: Line, taken: set[int], columns: list[tuple[float, str]]
) -> list[tuple[dict[str, str], FieldValue]]:
    """Every signing date of a row under side-by-side blocks, with the role of its block."""
    out = []
    for value, start, end in _signing_dates(line, taken):
        x = _centre(line, start, end)
        role = min(columns, key=lambda c: abs(c[0] - x))[1]
        out.append(
            ({"rol": role, "datum": value}, line.evidence(start, end, value, EXTRACTOR, 0.8))
        )
    return out
