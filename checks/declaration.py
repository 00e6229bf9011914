"""The performance declaration (prestatieverklaring, C/D/E): LETTERHEAD_MISSING for an external
training without letterhead (the trainer's name printed in the header band), logo or stamp;
TRAINER_NAME_MISSING; SIGNED_TOO_EARLY /
SIGNED_TOO_LATE: participants sign within 2 weeks and the teacher within 4 weeks after the end
of the training, never before it. The training end is the declaration's `training_einddatum`,
else the registered end date."""

from __future__ import annotations

from datetime import date, timedelta

from rapidfuzz import fuzz

from checks._format import nl
from checks.absence import absent
from checks.base import Context, as_date, evidence, finding, rule
from core.dutch import organisation_core
from core.enums import DocType, FindingCode, Severity
from core.fields import FieldName
from core.geometry import HEADER_BAND
from core.model import Finding, ProcessedDocument, Word

PV = DocType.PRESTATIEVERKLARING
LIMITS = {"deelnemer": timedelta(days=14), "docent": timedelta(days=28)}
ROLE = {"deelnemer": "de deelnemer", "docent": "de docent"}

LETTERHEAD = (
    "De prestatieverklaring van de externe training staat niet op briefpapier van de opleider "
    "en heeft geen logo of stempel. Upload de prestatieverklaring afgedrukt op briefpapier van "
    "de opleider, of voorzien van diens logo of stempel."
)
TRAINER = (
    "Op de prestatieverklaring is de naam van de opleider niet ingevuld. Upload de "
    "prestatieverklaring met de naam opleider ingevuld."
)
EARLY = (
    "{who} heeft de prestatieverklaring op {signed} ondertekend, vóór het einde van de "
    "training ({end}). Laat de verklaring na afloop van de training ondertekenen en upload die."
)
LATE = (
    "{who} heeft de prestatieverklaring op {signed} ondertekend, meer dan {days} dagen na het "
    "einde van de training ({end}); {who_lc} moet binnen {weeks} weken tekenen. Neem contact op "
    "met het SSC of upload een tijdig ondertekende verklaring."
)


MARKS = (FieldName.LOGO_PRESENT, FieldName.STAMP_PRESENT)
NAME_MATCH = 88.0  # rapidfuzz ratio of the trainer's name and the start of a header line
MIN_NAME_CHARS = 4  # shorter names (initials) match too much by chance
MIN_LABEL_CONFIDENCE = 0.5  # a word left of the name this sure is printed text (a form label)


def _header_lines(doc: ProcessedDocument) -> list[list[Word]]:
    """The printed lines of page 1's header band (`core.geometry.HEADER_BAND`, where the logo
    search looks), each left to right, without those that have printed words to their left
    on the same row: a name after a label ("Naam opleider  X") is a filled-in form, not a
    letterhead."""
    if doc.document is None or not doc.document.pages:
        return []
    page = min(doc.document.pages, key=lambda p: p.number)
    band = [w for w in page.words if (w.bbox.y0 + w.bbox.y1) / 2 <= HEADER_BAND]
    lines: dict[tuple[int, int], list[Word]] = {}
    for word in band:
        lines.setdefault((word.block, word.line), []).append(word)
    out = []
    for words in lines.values():
        words.sort(key=lambda w: w.bbox.x0)
        first = words[0].bbox
        labelled = any(
            w.bbox.x1 <= first.x0
            and w.bbox.y0 < first.y1
            and first.y0 < w.bbox.y1
            and w.confidence >= MIN_LABEL_CONFIDENCE
            and sum(c.isalnum() for c in w.text) >= 2
            for w in band
        )
        if not labelled:
            out.append(words)
    return out


def _named_in_header(doc: ProcessedDocument, names: list[str]) -> bool:
    """Whether a header line of `doc` starts with one of `names` (a letterhead without a logo):
    compared without case, accents, punctuation and legal forms ("B.V.", "Stichting"), one
    word more or less for what OCR split or joined."""
    cores = [c for c in (organisation_core(n) for n in names) if len(c) >= MIN_NAME_CHARS]
    if not cores:
        return False
    for words in _header_lines(doc):
        line = organisation_core(" ".join(w.text for w in words)).split()
        for core in cores:
            size = len(core.split())
            for n in {max(1, size - 1), size, size + 1}:
                if fuzz.ratio(core, " ".join(line[:n])) >= NAME_MATCH:
                    return True
    return False


@rule(
    code=FindingCode.LETTERHEAD_MISSING,
    severity=Severity.ERROR,
    types=(PV,),
    reads=(*MARKS, FieldName.OPLEIDER),
    columns=("extern", "opleider"),
    applies=lambda ctx: ctx.registration.extern is True,
)
def letterhead_missing(ctx: Context) -> list[Finding]:
    out = []
    for doc in ctx.usable(PV):
        marks = [doc.fields.get(k) for k in MARKS]
        known = [fv for fv in marks if fv is not None]
        if not known or any(fv.value is True for fv in known):
            continue  # not extracted, or a logo or stamp is there
        trainer = doc.fields.get(FieldName.OPLEIDER)
        names = [ctx.registration.opleider, trainer.value if trainer is not None else None]
        if _named_in_header(doc, [n for n in names if isinstance(n, str) and n.strip()]):
            continue  # letterhead paper: the trainer's name printed in the header
        ev = evidence(doc, known[0], expected="briefpapier, logo of stempel", found="geen")
        out.append(finding(FindingCode.LETTERHEAD_MISSING, LETTERHEAD, **ev))
    return out


@rule(
    code=FindingCode.TRAINER_NAME_MISSING,
    severity=Severity.ERROR,
    types=(PV,),
    reads=(FieldName.OPLEIDER,),
    columns=("opleider",),
)
def trainer_name_missing(ctx: Context) -> list[Finding]:
    trainer = FieldName.OPLEIDER
    return [
        finding(
            FindingCode.TRAINER_NAME_MISSING,
            TRAINER,
            **evidence(doc, expected=ctx.registration.opleider or "naam opleider"),
        )
        for doc in ctx.usable(PV)
        if absent(doc, trainer)  # not found at all: FIELD_NOT_FOUND, a reviewer looks
    ]


def signatures(ctx: Context, doc: ProcessedDocument) -> tuple[date, list[tuple[str, date]]]:
    """The training end and the (role, date) of every dated signature on `doc`."""
    end = as_date(doc.fields.get(FieldName.TRAINING_EINDDATUM)) or ctx.registration.einddatum
    fv = doc.fields.get(FieldName.HANDTEKENINGEN)
    out: list[tuple[str, date]] = []
    for item in fv.value if fv is not None and isinstance(fv.value, list) else []:
        if not isinstance(item, dict) or item.get("rol") not in LIMITS:
            continue
        try:
            out.append((str(item["rol"]), date.fromisoformat(str(item.get("datum"))[:10])))
        except ValueError:
            continue
    return end, out


SIGNING = (FieldName.HANDTEKENINGEN, FieldName.TRAINING_EINDDATUM)


@rule(
    code=FindingCode.SIGNED_TOO_EARLY,
    severity=Severity.ERROR,
    types=(PV,),
    reads=SIGNING,
    columns=("einddatum",),
)
def signed_too_early(ctx: Context) -> list[Finding]:
    out = []
    for doc in ctx.usable(PV):
        end, signed = signatures(ctx, doc)
        early = [(rol, d) for rol, d in signed if d < end]
        if early:
            rol, d = min(early, key=lambda x: x[1])
            message = EARLY.format(who=ROLE[rol].capitalize(), signed=nl(d), end=nl(end))
            ev = evidence(
                doc,
                doc.fields.get(FieldName.HANDTEKENINGEN),
                expected=f">= {end}",
                found=d.isoformat(),
            )
            out.append(finding(FindingCode.SIGNED_TOO_EARLY, message, **ev))
    return out


@rule(
    code=FindingCode.SIGNED_TOO_LATE,
    severity=Severity.ERROR,
    types=(PV,),
    reads=SIGNING,
    columns=("einddatum",),
)
def signed_too_late(ctx: Context) -> list[Finding]:
    out = []
    for doc in ctx.usable(PV):
        end, signed = signatures(ctx, doc)
        late = [(rol, d) for rol, d in signed if d > end + LIMITS[rol]]
        if late:
            rol, d = max(late, key=lambda x: x[1] - end - LIMITS[x[0]])
            days = LIMITS[rol].days
            message = LATE.format(
                who=ROLE[rol].capitalize(), who_lc=ROLE[rol], signed=nl(d), days=days,
                end=nl(end), weeks=days // 7,
            )  # fmt: skip
            ev = evidence(
                doc,
                doc.fields.get(FieldName.HANDTEKENINGEN),
                expected=f"<= {end + LIMITS[rol]}",
                found=d.isoformat(),
            )
            out.append(finding(FindingCode.SIGNED_TOO_LATE, message, **ev))
    return out
