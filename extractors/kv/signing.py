"""Who signed a performance declaration, and when, on any layout: every dated row of the
signing part (the participants' table, the teacher's block) with the role of the nearest cue at
or above it — a table header ("Cursist", "Naam deelnemer"), a heading ("Ondertekening docent"),
a caption ("docent / trainer"). A cue holds until the next one, across pages, so a long list
of participants keeps its header. A row that names the registered participant (and no teacher)
is the participant's, whatever header OCR lost above it (under a teacher's cue it may be both).
Dates after a birth or print label, and the training's own dates (its period, its first and
last day), are no signing dates."""

from __future__ import annotations

import re

from core.geometry import union_all
from core.layout import DocumentText, Line
from core.model import FieldValue
from extractors.kv.labels import BIRTH, lexicon
from extractors.kv.read import read
from extractors.parsers.dates import find_dates
from extractors.parsers.names import best_match

EXTRACTOR = "extractors.declaration"
OLDEST_SIGNATURE_YEAR = 2015  # older dates on a row are birth dates, not signing dates
TEACHER = re.compile(
    r"\b(?:\w*docent|trainer|beoordelaar|instructeur|namens de opleider)", re.I
)  # "hoofddocent", "vakdocent" too
NAME_REACH = 0.12  # page heights from a participant's name down to the date signed under it
PARTICIPANT = re.compile(r"\b(?:deelnemer|cursist|medewerker|student)(?:s|\(s\)|en)?\b", re.I)
PRINTED = re.compile(r"afdruk|afgedrukt|geprint|verwerk|aangemaakt|gegenereerd|export", re.I)
# Rows about the training itself: its period, not a signature.
TRAINING = re.compile(
    r"\b(?:gestart|gegeven|afgesloten|afgerond|periode|tot en met|t/m|lesdag|bijeenkomst)", re.I
)
TRAINING_DATES = ("training_einddatum", "startdatum", "einddatum")


def _cue(line: Line) -> str | None:
    """The role a row names; a row naming both (the teacher confirming the participants'
    attendance) is the teacher's."""
    if TEACHER.search(line.text):
        return "docent"
    if PARTICIPANT.search(line.text):
        return "deelnemer"
    return None


def _signing_date(
    line: Line, taken: set[int], column: float | None = None
) -> tuple[str, int, int] | None:
    """The date on the row that may be a signing date: the last, or where several stand side
    by side under names, the one in the `column` (x centre) of the participant's name."""
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
    if len(found) > 1 and column is not None:
        return min(found, key=lambda f: abs(_centre(line, f[1], f[2]) - column))
    return found[-1] if found else None


def _centre(line: Line, start: int, end: int) -> float:
    box = union_all([w.bbox for w in line.words_in(start, end) or line.words])
    return (box.x0 + box.x1) / 2 if box is not None else 0.0


def signature_rows(text: DocumentText, participant: str | None = None) -> FieldValue | None:
    """[{"rol", "datum"}] of every dated signing row, in the order printed; `participant` is
    the registered participant's name."""
    taken: dict[int, set[int]] = {}  # the training's own dates, by row
    for cands in read(text, TRAINING_DATES).values():
        for c in cands:
            taken.setdefault(id(c.cell.line), set()).add(c.start)
    rows: list[tuple[dict[str, str], FieldValue]] = []
    role: str | None = None
    named: tuple[int, float, float] | None = None  # page, top and x centre of the name
    for line in text.lines:
        role = _cue(line) or role
        top = line.bbox.y0
        hit = best_match([line], participant) if participant else None
        if hit is not None:
            named = (line.page, top, _centre(hit.line, hit.start, hit.end))
        if role is None or TRAINING.search(line.text):
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
