"""DIPLOMA_OUTSIDE_PERIOD: a diploma used as proof of performance must be dated within the
registration's period [startdatum, einddatum] (webinar: "Diploma indien studie afgerond binnen
de subsidiabele periode"). Only for documents classified as diploma."""

from __future__ import annotations

from checks._format import nl
from checks.base import Context, as_date, evidence, finding, read_surely, rule
from core.enums import DocType, FindingCode, Severity
from core.fields import FieldName
from core.model import Finding

MESSAGE = (
    "Het diploma is gedateerd op {found}, buiten de periode van de registratie ({start} t/m "
    "{end}). Een diploma telt alleen als de opleiding binnen de subsidiabele periode is "
    "afgerond: upload een bewijs van deelname, of pas de einddatum in de registratie aan als "
    "die niet klopt."
)


@rule(
    code=FindingCode.DIPLOMA_OUTSIDE_PERIOD,
    severity=Severity.ERROR,
    types=(DocType.DIPLOMA,),
    reads=(FieldName.DIPLOMA_DATUM,),
    columns=("startdatum", "einddatum"),
)
def diploma_outside_period(ctx: Context) -> list[Finding]:
    reg = ctx.registration
    out = []
    for doc in ctx.usable(DocType.DIPLOMA):
        fv = doc.fields.get(FieldName.DIPLOMA_DATUM)
        found = as_date(fv)
        if found is None or reg.startdatum <= found <= reg.einddatum or not read_surely(fv):
            continue
        message = MESSAGE.format(found=nl(found), start=nl(reg.startdatum), end=nl(reg.einddatum))
        ev = evidence(
            doc,
            fv,
            expected=f"{reg.startdatum.isoformat()}..{reg.einddatum.isoformat()}",
            found=found.isoformat(),
        )
        out.append(finding(FindingCode.DIPLOMA_OUTSIDE_PERIOD, message, **ev))
    return out
