"""The performance declaration (prestatieverklaring, C/D/E): LETTERHEAD_MISSING for an external
training without letterhead, logo or stamp; TRAINER_NAME_MISSING; SIGNED_TOO_EARLY /
SIGNED_TOO_LATE: participants sign within 2 weeks and the teacher within 4 weeks after the end
of the training, never before it. The training end is the declaration's `training_einddatum`,
else the registered end date."""

from __future__ import annotations

from datetime import date, timedelta

from checks._format import nl
from checks.absence import absent
from checks.base import Context, as_date, evidence, finding, rule
from core.enums import DocType, FindingCode, Severity
from core.fields import FieldName
from core.model import Finding, ProcessedDocument

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


@rule(
    code=FindingCode.LETTERHEAD_MISSING,
    severity=Severity.ERROR,
    types=(PV,),
    reads=MARKS,
    columns=("extern",),
    applies=lambda ctx: ctx.registration.extern is True,
)
def letterhead_missing(ctx: Context) -> list[Finding]:
    out = []
    for doc in ctx.usable(PV):
        marks = [doc.fields.get(k) for k in MARKS]
        known = [fv for fv in marks if fv is not None]
        if not known or any(fv.value is True for fv in known):
            continue  # not extracted, or a logo or stamp is there
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
