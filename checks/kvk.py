"""The project documents (V4): KVK_EXTRACT_TOO_OLD (the extract must be dated 01-01-2024 or
later) and SIGNATORY_NOT_ON_KVK (the registered director with signing authority must be among
the extract's directors)."""

from __future__ import annotations

from datetime import date

from checks._format import nl
from checks._match import same_person
from checks.base import Context, as_date, evidence, finding, rule
from core.enums import DocType, FindingCode, Severity
from core.fields import FieldName
from core.model import Finding

KVK = DocType.KVK_UITTREKSEL
OLDEST = date(2024, 1, 1)

TOO_OLD = (
    "Het uittreksel KvK is gedateerd op {found}; het mag niet ouder zijn dan {oldest}. Upload "
    "een recent uittreksel van de Kamer van Koophandel."
)
SIGNATORY = (
    "De tekenbevoegde bestuurder {name} staat niet als bestuurder op het uittreksel KvK "
    "(gevonden: {found}). Vul de naam in van een bestuurder die op het uittreksel staat, of "
    "upload een actueel uittreksel waarop {name} vermeld staat."
)


@rule(
    code=FindingCode.KVK_EXTRACT_TOO_OLD,
    severity=Severity.ERROR,
    types=(KVK,),
    reads=(FieldName.KVK_DATUM,),
)
def kvk_extract_too_old(ctx: Context) -> list[Finding]:
    out = []
    for doc in ctx.usable(KVK):
        fv = doc.fields.get(FieldName.KVK_DATUM)
        found = as_date(fv)
        if found is None or found >= OLDEST:
            continue
        message = TOO_OLD.format(found=nl(found), oldest=nl(OLDEST))
        ev = evidence(doc, fv, expected=f">= {OLDEST.isoformat()}", found=found.isoformat())
        out.append(finding(FindingCode.KVK_EXTRACT_TOO_OLD, message, **ev))
    return out


@rule(
    code=FindingCode.SIGNATORY_NOT_ON_KVK,
    severity=Severity.ERROR,
    types=(KVK,),
    reads=(FieldName.BESTUURDERS,),
    columns=("tekenbevoegde",),
    applies=lambda ctx: bool(ctx.registration.tekenbevoegde),
)
def signatory_not_on_kvk(ctx: Context) -> list[Finding]:
    name = ctx.registration.tekenbevoegde or ""
    out = []
    for doc in ctx.usable(KVK):
        fv = doc.fields.get(FieldName.BESTUURDERS)
        if fv is None or not isinstance(fv.value, list):
            continue  # directors not read: nothing to compare
        directors = [str(d) for d in fv.value]
        if any(same_person(name, d) for d in directors):
            continue
        found = ", ".join(directors) or "geen bestuurders"
        message = SIGNATORY.format(name=name, found=found)
        ev = evidence(doc, fv, expected=name, found=found)
        out.append(finding(FindingCode.SIGNATORY_NOT_ON_KVK, message, **ev))
    return out
