"""SIGNATURES_MISSING: a practice agreement needs three signatures (student, company, school);
a performance declaration needs the participant's and the teacher's. Read from
`handtekeningen` (roles) or `signature_count`; when neither was extracted the rule does not
apply to that document (the visual signature extractor decides later). A practice agreement
lacks a signature only where its party's place to sign was found blank (the finding shows that
place); a party whose place was not found, or holds ink the finder did not recognise as a
signature, goes to review (FIELD_NOT_FOUND)."""

from __future__ import annotations

from checks._roles import (
    EITHER,
    ROLE_NAMES,
    declaration_missing,
    pok_signing,
    signature_count,
    unrecognised_roles,
)
from checks.absence import no_signatures_seen
from checks.base import Context, evidence, finding, rule
from core.enums import DocType, FindingCode, Severity
from core.fields import FieldName
from core.model import Finding

POK = DocType.PRAKTIJKOVEREENKOMST
PV = DocType.PRESTATIEVERKLARING
POK_NEEDED = 3

POK_MESSAGE = (
    "De praktijkovereenkomst is door {found} van de 3 partijen ondertekend. Upload de "
    "praktijkovereenkomst ondertekend door student, leerbedrijf en onderwijsinstelling "
    "(elektronisch mag, als te herleiden is wie getekend heeft)."
)
PV_MESSAGE = (
    "Op de prestatieverklaring ontbreekt de handtekening van {missing}. Upload de "
    "prestatieverklaring ondertekend door de deelnemer en de docent."
)


@rule(
    code=FindingCode.SIGNATURES_MISSING,
    severity=Severity.ERROR,
    types=(POK, PV),
    reads=(FieldName.SIGNATURE_COUNT,),
    reads_on={
        PV: (FieldName.HANDTEKENINGEN, FieldName.SIGNATURES),  # dated rows, zones
        POK: (FieldName.SIGNATURES, FieldName.SIGNATURE_PLACES),  # who signed, blank places
    },
)
def signatures_missing(ctx: Context) -> list[Finding]:
    out = []
    for doc in ctx.usable(POK):
        count = signature_count(doc)
        if count is None or not 0 < count < POK_NEEDED:  # none seen: FIELD_NOT_FOUND
            continue
        counted = doc.fields[FieldName.SIGNATURE_COUNT]
        ev = evidence(doc, counted, expected=POK_NEEDED, found=count)
        signing = pok_signing(doc)
        if signing is not None:
            if not signing.proven:
                continue  # a party's place not found, or not blank: FIELD_NOT_FOUND
            ev.update(page=signing.page, bbox=signing.bbox)  # the blank place to sign
        message = POK_MESSAGE.format(found=count)
        out.append(finding(FindingCode.SIGNATURES_MISSING, message, **ev))
    for doc in ctx.usable(PV):
        missing = declaration_missing(doc)
        if not missing or no_signatures_seen(doc):  # none seen: FIELD_NOT_FOUND
            continue
        if unrecognised_roles(doc):  # as many signatures as roles: FIELD_NOT_FOUND
            continue
        rows = doc.fields.get(FieldName.HANDTEKENINGEN)
        fv = rows or doc.fields.get(FieldName.SIGNATURE_COUNT)
        names = " en ".join(ROLE_NAMES.get(r, r) for r in missing)
        count = signature_count(doc)
        signed = [r for r in ROLE_NAMES if r not in missing]
        found = ", ".join(signed) if EITHER not in missing else f"{count} handtekening"
        message = PV_MESSAGE.format(missing=names)
        ev = evidence(doc, fv, expected="deelnemer, docent", found=found or "geen")
        out.append(finding(FindingCode.SIGNATURES_MISSING, message, **ev))
    return out
