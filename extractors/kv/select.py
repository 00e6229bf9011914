"""The key-value reader's choice per field: the best-scored candidate, unless the registration
expects a value that is among the field's candidates with a role of its own (a label or a
sentence that names the field): then that one, found and shown with its evidence.

What is not found is not assumed absent. A field counts as absent (a value of None with its
evidence) only when the reader is sure: its label is printed with nothing filled in, or no
value of its kind (a volume in hours, a 5-digit number) stands anywhere on a well-read
document (on a scan, only where OCR left no ink unread: `extractors.fields.unsure_blanks`).
Rules reject on that; a field merely not found sends the document to review."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from core.dutch import organisation_core
from core.enums import WordSource
from core.fields import FieldName
from core.layout import DocumentText, Line
from core.model import FieldValue, Hints
from extractors.kv.columns import EXTRACTOR
from extractors.kv.labels import SIGNING, lexicon
from extractors.kv.payperiod import (
    PERIOD_NUMBER,
    from_lone_month,
    from_lone_period,
    from_month_year,
    from_number,
    from_range,
    from_row,
    not_monthly,
)
from extractors.kv.read import read_all
from extractors.kv.sentences import BY_LETTERHEAD
from extractors.kv.values import crebos, hours, split_period
from extractors.lexicon import compile_phrases, load

F = FieldName
# The fields read this way, on the types that carry them.
KV_FIELDS = (
    F.CREBO, F.OPLEIDING, F.STARTDATUM, F.EINDDATUM, F.BPV_OMVANG, F.LEERBEDRIJF,
    F.ONDERWIJSINSTELLING, F.DIPLOMA_DATUM, F.TRAINING_EINDDATUM, F.OPLEIDER,
    F.DATUM_IN_DIENST, F.LOONSTROOK_MAAND,
)  # fmt: skip
MIN_SCORE = 0.7
# Fields whose whole kind can be looked for: none of it on the page is a sure absence.
KIND_ABSENT = {F.BPV_OMVANG: hours, F.CREBO: crebos}
WELL_READ = 0.85  # mean word confidence of a document read well enough to miss nothing


@dataclass
class KvResult:
    found: dict[str, FieldValue] = field(default_factory=dict)
    absent: dict[str, FieldValue] = field(default_factory=dict)


def _well_read(text: DocumentText) -> bool:
    words = [w for line in text for w in line.words]
    return bool(words) and sum(w.confidence for w in words) / len(words) >= WELL_READ


def reading_method(text: DocumentText) -> WordSource:
    """OCR when any word was OCR'd: OCR loses a value now and then however sure it is of the
    rest, so such an absence is checked against the page's unread ink (`unsure_blanks`)."""
    ocr = any(w.source is WordSource.OCR for line in text for w in line.words)
    return WordSource.OCR if ocr else WordSource.TEXT_LAYER


def _store(result: KvResult, name: str, best: FieldValue) -> None:
    """`best` as `name`'s value; a month read from a pay period (`period_value`) also gives
    that period."""
    if name == F.LOONSTROOK_MAAND and isinstance(best.value, str):
        month, period = split_period(best.value)
        if period is not None:
            result.found[F.LOONSTROOK_PERIODE] = best.model_copy(update={"value": period})
        best = best.model_copy(update={"value": month})
    result.found[name] = best


def kv_fields(text: DocumentText, produces: tuple[FieldName, ...], hints: Hints) -> KvResult:
    wanted = tuple(str(f) for f in KV_FIELDS if f in produces)
    result = KvResult()
    if not wanted:
        return result
    expected = dict(hints.dates)
    if hints.crebo:
        expected[F.CREBO] = hints.crebo
    reader = read_all(text, wanted)
    employer = organisation_core(hints.organisation or "")
    for name, cands in reader.found_by_field().items():
        good = [c for c in cands if c.score >= MIN_SCORE]
        if name in (F.OPLEIDER, F.ONDERWIJSINSTELLING) and employer:
            # the employer's letterhead or a letter's addressee is not the trainer or school
            good = [c for c in good if organisation_core(c.value) != employer]
        if name in reader.empty:  # a form's field left blank beats a letterhead
            good = [c for c in good if c.how != BY_LETTERHEAD]
        if name == F.LOONSTROOK_MAAND and not_monthly(text):
            good = [c for c in good if not PERIOD_NUMBER.match(c.cell.line.text[c.start : c.end])]
        if good:
            match = [c for c in good if c.value == expected.get(name)]
            _store(result, name, (match or good)[0].evidence())
    if F.LOONSTROOK_MAAND in wanted and F.LOONSTROOK_MAAND not in result.found:
        # from its parts printed apart (extractors.kv.payperiod)
        grid = reader.grid
        month = from_range(grid) or from_lone_period(text) or from_number(grid)
        if month is None and not not_monthly(text):
            # a month named without its days: on a four-weekly or weekly payslip the
            # booking month, not always the month holding most of the period (CONTRACT)
            month = from_month_year(grid) or from_row(text) or from_lone_month(grid)
        if month is not None:
            _store(result, F.LOONSTROOK_MAAND, month)
    for name, cell in reader.empty.items():
        if name in wanted and name not in result.found:
            blank = cell.line.evidence(cell.start, cell.end, None, EXTRACTOR, 0.9)
            result.absent[name] = blank
    for name, finder in KIND_ABSENT.items():
        unread = name in wanted and name not in result.found and name not in result.absent
        if unread and _well_read(text) and not any(finder(line.text) for line in text):
            result.absent[name] = FieldValue(
                value=None, confidence=0.8, extractor=EXTRACTOR, method=reading_method(text)
            )
    return result


SIGNING_REACH = 8  # rows above a name where a signature block's heading makes it a signer's
# A signature block's caption naming a party, alone on its row ("Het leerbedrijf", "Namens de
# school:"): the name right under it, opening its row, is that party's.
COLUMN_SLACK = 0.02  # page widths a name may start left of its caption
PARTY_CAPTION = re.compile(
    r"\s*(?:(?:namens|voor)\s+)?(?:(?:de|het)\s+)?(?P<party>.+?)[\s:]*", re.IGNORECASE
)


@lru_cache(maxsize=8)
def _role_cue(field: str) -> re.Pattern[str]:
    """Any label or section heading of `field`, anywhere in a text."""
    entry = load("labels")[field]
    return compile_phrases([*entry.get("labels", []), *entry.get("sections", [])])


def _under_caption(line: Line, start: int, above: Line, cue: re.Pattern[str]) -> bool:
    """Whether the name at `start` opens a cell of `line` right under a cell of `above` that is
    a party's caption matching `cue` (side-by-side signature columns have one each)."""
    opens = [a for a, _ in line.cells() if a <= start and not line.text[a:start].strip()]
    if not opens:
        return False
    x0 = line.box(start, start + 1).x0
    for a, b in above.cells():
        box = above.box(a, b)
        if box.x0 - COLUMN_SLACK <= x0 <= box.x1:
            caption = PARTY_CAPTION.fullmatch(above.text[a:b])
            return bool(caption and cue.fullmatch(caption["party"]))
    return False


def role_check(text: DocumentText, field: str) -> Callable[[Line, int], bool]:
    """Whether a name found at `start` of `line` stands in `field`'s role: a label, section or
    sentence of the field before it on its row or on one of the two rows above, and no
    signature block heading above it (a stamp or a signer's "Namens …" is no proof) unless
    the row right above is the party's own caption ("Het leerbedrijf")."""
    cue = _role_cue(field)
    signing = lexicon().sections[SIGNING]
    rows = {(line.page, line.index): line for line in text.lines}

    def check(line: Line, start: int) -> bool:
        above = [rows.get((line.page, line.index - k)) for k in (1, 2)]
        context = [line.text[:start], *(a.text for a in above if a is not None)]
        if not any(cue.search(c) for c in context):
            return False
        if above[0] is not None and _under_caption(line, start, above[0], cue):
            return True  # "Het leerbedrijf" over the name: the party signing, named
        for k in range(SIGNING_REACH + 1):
            row = rows.get((line.page, line.index - k))
            if row is not None and signing.search(row.text):
                return False
        return True

    return check
