"""TARGET_GROUP_MISMATCH: nieuwe instroom = employed less than two years at the start date,
opscholing = more than two years. The employment date comes from the registration, else from a
payslip. Exactly two years counts as opscholing. Praktijkopleider and behoud do not depend on
the employment date: not applicable."""

from __future__ import annotations

from datetime import date

from checks._format import nl
from checks.base import Context, as_date, evidence, finding, read_surely, rule
from core.enums import DocType, Doelgroep, FindingCode, Severity, Slot
from core.fields import FieldName
from core.model import FieldValue, Finding, ProcessedDocument

CHECKABLE = (Doelgroep.NIEUWE_INSTROOM, Doelgroep.OPSCHOLING)
MESSAGE = (
    "De doelgroep {group} past niet bij de datum in dienst {in_dienst}: op de startdatum "
    "{start} was de deelnemer {length} in dienst ({rule}). Kies de juiste doelgroep in de "
    "registratie, of corrigeer de datum in dienst."
)
NAMES = {
    Doelgroep.NIEUWE_INSTROOM: ("nieuwe instroom", "korter dan twee jaar in dienst"),
    Doelgroep.OPSCHOLING: ("opscholing", "langer dan twee jaar in dienst"),
}


def two_years_after(d: date) -> date:
    try:
        return d.replace(year=d.year + 2)
    except ValueError:  # 29 February
        return d.replace(year=d.year + 2, day=28)


def employment_start(
    ctx: Context,
) -> tuple[date, ProcessedDocument | None, FieldValue | None] | None:
    """The employment date and, when read from a payslip, that payslip and its field."""
    if ctx.registration.datum_in_dienst is not None:
        return ctx.registration.datum_in_dienst, None, None
    payslips = ctx.usable(DocType.LOONSTROOK)
    # the start payslip first: the date on it is the one the SSC reads
    for doc in sorted(payslips, key=lambda d: d.slot is not Slot.LOONSTROOK_START):
        fv = doc.fields.get(FieldName.DATUM_IN_DIENST)
        found = as_date(fv) if read_surely(fv) else None
        if found is not None:
            return found, doc, fv
    return None


@rule(
    code=FindingCode.TARGET_GROUP_MISMATCH,
    severity=Severity.WARNING,
    types=(DocType.LOONSTROOK,),
    reads=(FieldName.DATUM_IN_DIENST,),
    columns=("datum_in_dienst", "doelgroep", "startdatum"),
    applies=lambda ctx: ctx.registration.doelgroep in CHECKABLE,
)
def target_group_mismatch(ctx: Context) -> list[Finding]:
    reg = ctx.registration
    known = employment_start(ctx)
    if known is None:
        return []
    in_dienst, doc, fv = known
    long_employed = reg.startdatum >= two_years_after(in_dienst)
    expected = Doelgroep.OPSCHOLING if long_employed else Doelgroep.NIEUWE_INSTROOM
    if reg.doelgroep is expected:
        return []
    group, rule_text = NAMES[reg.doelgroep]
    message = MESSAGE.format(
        group=group,
        in_dienst=nl(in_dienst),
        start=nl(reg.startdatum),
        length="twee jaar of langer" if long_employed else "korter dan twee jaar",
        rule=f"{group}: {rule_text}",
    )
    ev = evidence(doc, fv) if doc is not None else {}
    ev.update(expected=expected.value, found=reg.doelgroep.value)
    return [finding(FindingCode.TARGET_GROUP_MISMATCH, message, **ev)]
