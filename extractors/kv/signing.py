"""Who signed a performance declaration, and when, on any layout: every dated row of the
signing part (the participants' table, the teacher's block) with the role of the nearest cue at
or above it — a table header ("Cursist", "Naam deelnemer"), a heading ("Ondertekening docent"),
a caption ("docent / trainer"). A cue holds until the next one, across pages, so a long list
of participants keeps its header. Dates after a birth or print label, and the training's own
dates (its period, its first and last day), are no signing dates."""

from __future__ import annotations

import re

from core.layout import DocumentText, Line
from core.model import FieldValue
from extractors.kv.labels import BIRTH, lexicon
from extractors.kv.read import read
from extractors.parsers.dates import find_dates

EXTRACTOR = "extractors.declaration"
OLDEST_SIGNATURE_YEAR = 2015  # older dates on a row are birth dates, not signing dates
TEACHER = re.compile(r"\b(?:docent|trainer|beoordelaar|instructeur|namens de opleider)", re.I)
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


def _signing_date(line: Line, taken: set[int]) -> tuple[str, int, int] | None:
    """The last date on the row that may be a signing date."""
    birth = lexicon().labels[BIRTH]
    found = None
    previous_end = 0  # a label before an earlier date on the row is that date's
    for d in find_dates(line.text):
        before = line.text[max(previous_end, d.start - 25) : d.start]
        previous_end = d.end
        if d.value.year < OLDEST_SIGNATURE_YEAR or d.start in taken:
            continue
        if birth.search(before) or PRINTED.search(before):
            continue
        found = (d.value.isoformat(), d.start, d.end)
    return found


def signature_rows(text: DocumentText) -> FieldValue | None:
    """[{"rol", "datum"}] of every dated signing row, in the order printed."""
    taken: dict[int, set[int]] = {}  # the training's own dates, by row
    for cands in read(text, TRAINING_DATES).values():
        for c in cands:
            taken.setdefault(id(c.cell.line), set()).add(c.start)
    rows: list[tuple[dict[str, str], FieldValue]] = []
    role: str | None = None
    for line in text.lines:
        role = _cue(line) or role
        if role is None or TRAINING.search(line.text):
            continue
        date = _signing_date(line, taken.get(id(line), set()))
        if date is None:
            continue
        value, start, end = date
        evidence = line.evidence(start, end, value, EXTRACTOR, 0.8)
        rows.append(({"rol": role, "datum": value}, evidence))
    if not rows:
        return None
    return rows[0][1].model_copy(update={"value": [r for r, _ in rows], "source_text": None})
