"""Payslips: PAYSLIP_MONTH_MISMATCH, PAYSLIP_NOT_ANONYMISED, PAYSLIP_EMPLOYER_MISMATCH.

Start payslip: the month the education started, or the month of entering employment if that
is later. End payslip: the webinar allows the month of the last training day, of the diploma or
the last subsidisable month, but "De ingevoerde einddatum moet corresponderen met de maand van
de loonstrook": so its month must be the month of the registered end date (or of the window's
last day when the registered end lies after the window)."""

from __future__ import annotations

from datetime import date

from checks._format import month_of, nl_month
from checks._match import same_organisation
from checks.base import Context, as_date, evidence, finding, read_surely, rule
from checks.window import latest_end
from core.enums import DocType, FindingCode, Severity, Slot
from core.fields import FieldName
from core.model import Finding, ProcessedDocument

PAY = DocType.LOONSTROOK
START_MESSAGE = (
    "De loonstrook start is van {found}, maar moet van {expected} zijn: de maand waarin de "
    "opleiding startte, of de maand van indiensttreding als die later is. Upload de loonstrook "
    "van {expected}."
)
END_MESSAGE = (
    "De loonstrook eind is van {found}, maar de geregistreerde einddatum valt in {expected}; "
    "de einddatum moet in de maand van de loonstrook eind vallen. Upload de loonstrook van "
    "{expected}, of pas de einddatum in de registratie aan."
)
BSN_MESSAGE = (
    "Op de {slot} is een burgerservicenummer (BSN) leesbaar. Maak het BSN onleesbaar "
    "(anonimiseer de loonstrook) en upload de loonstrook opnieuw."
)
EMPLOYER_MESSAGE = (
    "De werkgever op de {slot} ({found}) is niet de organisatie van de registratie "
    "({expected}). Upload een loonstrook van {expected}, of controleer de registratie."
)
SLOT_LABEL = {Slot.LOONSTROOK_START: "loonstrook start", Slot.LOONSTROOK_EIND: "loonstrook eind"}


def start_month(ctx: Context, doc: ProcessedDocument) -> str:
    reg = ctx.registration
    in_dienst = reg.datum_in_dienst or as_date(doc.fields.get(FieldName.DATUM_IN_DIENST))
    ref = max(reg.startdatum, in_dienst) if in_dienst else reg.startdatum
    return month_of(ref)


def end_months(ctx: Context) -> list[str]:
    end = ctx.registration.einddatum
    return list(dict.fromkeys([month_of(end), month_of(min(end, latest_end(ctx)))]))


def _month(doc: ProcessedDocument) -> str | None:
    fv = doc.fields.get(FieldName.LOONSTROOK_MAAND)
    if fv is None or not fv.value:
        return None
    value = fv.value
    return month_of(value) if isinstance(value, date) else str(value)[:7]


def _period_overlaps(doc: ProcessedDocument, months: list[str]) -> bool:
    """Whether the payslip's pay period (four-weekly, weekly) has a day in one of `months`
    (CONTRACT: PAYSLIP_MONTH_MISMATCH is not raised when the required month overlaps it)."""
    fv = doc.fields.get(FieldName.LOONSTROOK_PERIODE)
    if fv is None or not isinstance(fv.value, dict):
        return False
    try:
        van = date.fromisoformat(str(fv.value["van"]))
        tot = date.fromisoformat(str(fv.value["tot"]))
    except (KeyError, ValueError):
        return False
    return any(month_of(van) <= m <= month_of(tot) for m in months)


@rule(
    code=FindingCode.PAYSLIP_MONTH_MISMATCH,
    severity=Severity.ERROR,
    types=(PAY,),
    reads=(FieldName.LOONSTROOK_MAAND, FieldName.LOONSTROOK_PERIODE, FieldName.DATUM_IN_DIENST),
    columns=("startdatum", "einddatum", "datum_in_dienst", "variant", "activiteit"),
)
def payslip_month_mismatch(ctx: Context) -> list[Finding]:
    out = []
    for doc in ctx.usable(PAY, slots=(Slot.LOONSTROOK_START, Slot.LOONSTROOK_EIND)):
        found = _month(doc)
        if found is None or not read_surely(doc.fields.get(FieldName.LOONSTROOK_MAAND)):
            continue
        if doc.slot is Slot.LOONSTROOK_START:
            allowed = [start_month(ctx, doc)]
            template = START_MESSAGE
        else:
            allowed = end_months(ctx)
            template = END_MESSAGE
        if found in allowed or _period_overlaps(doc, allowed):
            continue  # a four-weekly period that covers part of the required month is fine
        message = template.format(found=nl_month(found), expected=nl_month(allowed[0]))
        month = doc.fields[FieldName.LOONSTROOK_MAAND]
        ev = evidence(doc, month, expected=allowed[0], found=found)
        out.append(finding(FindingCode.PAYSLIP_MONTH_MISMATCH, message, **ev))
    return out


@rule(
    code=FindingCode.PAYSLIP_NOT_ANONYMISED,
    severity=Severity.ERROR,
    types=(PAY,),
    reads=(FieldName.BSN_PRESENT,),
)
def payslip_not_anonymised(ctx: Context) -> list[Finding]:
    out = []
    for doc in ctx.usable(PAY):
        fv = doc.fields.get(FieldName.BSN_PRESENT)
        if fv is None or fv.value is not True:
            continue
        if not read_surely(fv):
            # OCR guessed digits (a masked "*****9077" read as "28480077" at 0.18, and one
            # 8-digit string in 11 passes the 11-test): no proof; the uncertain field sends
            # the registration to review (core.report.is_uncertain)
            continue
        message = BSN_MESSAGE.format(slot=SLOT_LABEL.get(doc.slot, "loonstrook"))
        # the evidence shows where, never the number itself
        ev = evidence(doc, fv, expected="geen leesbaar BSN", found="BSN leesbaar")
        out.append(finding(FindingCode.PAYSLIP_NOT_ANONYMISED, message, **ev))
    return out


@rule(
    code=FindingCode.PAYSLIP_EMPLOYER_MISMATCH,
    severity=Severity.WARNING,
    types=(PAY,),
    reads=(FieldName.WERKGEVER,),
    columns=("organisatie",),
)
def payslip_employer_mismatch(ctx: Context) -> list[Finding]:
    expected = ctx.registration.organisatie
    out = []
    for doc in ctx.usable(PAY):
        fv = doc.fields.get(FieldName.WERKGEVER)
        if fv is None or not fv.value or same_organisation(expected, str(fv.value)):
            continue
        if not read_surely(fv):
            continue  # a name OCR barely read: the uncertain field sends it to review
        message = EMPLOYER_MESSAGE.format(
            slot=SLOT_LABEL.get(doc.slot, "loonstrook"), found=fv.value, expected=expected
        )
        ev = evidence(doc, fv, expected=expected, found=fv.value)
        out.append(finding(FindingCode.PAYSLIP_EMPLOYER_MISMATCH, message, **ev))
    return out
