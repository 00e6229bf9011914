"""The practice agreement's content: START_DATE_MISMATCH / END_DATE_MISMATCH against the
registration, BPV_VOLUME_MISSING and PARTY_MISSING. Dates are compared on the agreement in its
own slot (a next year's POK used as prestatiebewijs has other dates). V4 may register
31-12-2025 as end whatever the POK says (webinar: "je mag ook de einddatum van variant 4
invullen dat is 31-12-2025")."""

from __future__ import annotations

from datetime import date

from checks._format import nl, the_doc
from checks.absence import absent
from checks.base import Context, as_date, evidence, finding, read_surely, rule
from core.enums import DocType, FindingCode, Severity, Slot, Variant
from core.fields import FieldName
from core.model import Finding, ProcessedDocument

POK = DocType.PRAKTIJKOVEREENKOMST
AGREEMENTS = (POK, DocType.OPLEIDINGSOVEREENKOMST)
AGREEMENT_SLOTS = (Slot.PRAKTIJKOVEREENKOMST, Slot.OPLEIDINGSOVEREENKOMST)
V4_END = date(2025, 12, 31)

DATE_MESSAGE = (
    "De {what} op {doc} ({found}) wijkt af van de {what} in de registratie ({expected}). "
    "Pas de {what} in de registratie aan (bij een wijziging tijdens de opleiding moet de "
    "registratie worden bijgewerkt), of upload {doc} die bij deze registratie hoort."
)
BPV_MESSAGE = (
    "Op de praktijkovereenkomst staat geen omvang van de BPV (bijvoorbeeld het aantal uren). "
    "Upload de volledige praktijkovereenkomst waarop de omvang BPV vermeld staat."
)
PARTY_MESSAGE = (
    "Op de praktijkovereenkomst ontbreekt {missing}. Upload de volledige praktijkovereenkomst "
    "waarop student, leerbedrijf en onderwijsinstelling vermeld staan."
)
PARTIES = {
    FieldName.LEERBEDRIJF: "het leerbedrijf",
    FieldName.ONDERWIJSINSTELLING: "de onderwijsinstelling",
}


def _agreements(ctx: Context) -> list[ProcessedDocument]:
    return ctx.usable(*AGREEMENTS, slots=AGREEMENT_SLOTS)


def _date_findings(
    ctx: Context, code: FindingCode, name: FieldName, what: str, expected: date
) -> list[Finding]:
    out = []
    for doc in _agreements(ctx):
        fv = doc.fields.get(name)
        found = as_date(fv)
        if found is None or found == expected or not read_surely(fv):
            continue
        message = DATE_MESSAGE.format(
            what=what, doc=the_doc(doc), found=nl(found), expected=nl(expected)
        )
        ev = evidence(doc, fv, expected=expected.isoformat(), found=found.isoformat())
        out.append(finding(code, message, **ev))
    return out


@rule(
    code=FindingCode.START_DATE_MISMATCH,
    severity=Severity.ERROR,
    types=AGREEMENTS,
    reads=(FieldName.STARTDATUM,),
    columns=("startdatum",),
)
def start_date_mismatch(ctx: Context) -> list[Finding]:
    reg = ctx.registration
    return _date_findings(ctx, FindingCode.START_DATE_MISMATCH, FieldName.STARTDATUM,
                          "startdatum", reg.startdatum)  # fmt: skip


def _v4_placeholder_end(ctx: Context) -> bool:
    reg = ctx.registration
    return reg.variant is Variant.V4 and reg.einddatum == V4_END


@rule(
    code=FindingCode.END_DATE_MISMATCH,
    severity=Severity.ERROR,
    types=AGREEMENTS,
    reads=(FieldName.EINDDATUM,),
    columns=("einddatum", "variant"),
    applies=lambda ctx: not _v4_placeholder_end(ctx),
)
def end_date_mismatch(ctx: Context) -> list[Finding]:
    reg = ctx.registration
    return _date_findings(ctx, FindingCode.END_DATE_MISMATCH, FieldName.EINDDATUM, "einddatum",
                          reg.einddatum)  # fmt: skip


@rule(
    code=FindingCode.BPV_VOLUME_MISSING,
    severity=Severity.ERROR,
    types=(POK,),
    reads=(FieldName.BPV_OMVANG,),
)
def bpv_volume_missing(ctx: Context) -> list[Finding]:
    volume = FieldName.BPV_OMVANG
    return [
        finding(FindingCode.BPV_VOLUME_MISSING, BPV_MESSAGE, **evidence(doc))
        for doc in ctx.usable(POK, slots=(Slot.PRAKTIJKOVEREENKOMST,))
        if absent(doc, volume)  # not found at all: FIELD_NOT_FOUND, a reviewer looks
    ]


@rule(
    code=FindingCode.PARTY_MISSING,
    severity=Severity.ERROR,
    types=(POK,),
    reads=tuple(PARTIES),
)
def party_missing(ctx: Context) -> list[Finding]:
    """The student is checked by PARTICIPANT_NOT_FOUND; here the company and the school."""
    out = []
    for doc in ctx.usable(POK, slots=(Slot.PRAKTIJKOVEREENKOMST,)):
        missing = [k for k in PARTIES if absent(doc, k)]  # sure; else FIELD_NOT_FOUND
        if not missing:
            continue
        message = PARTY_MESSAGE.format(missing=" en ".join(PARTIES[k] for k in missing))
        ev = evidence(doc, expected=", ".join(missing))
        out.append(finding(FindingCode.PARTY_MISSING, message, **ev))
    return out
