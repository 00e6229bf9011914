"""DOC_WRONG_TYPE and DOC_TYPE_UNCERTAIN: the type found must be one the slot accepts
(SLOT_ACCEPTS; at C, D and E only the prestatieverklaring). A wrong type is a root cause: the
file gets no further content findings (base.Context.usable)."""

from __future__ import annotations

from checks._format import SLOT_NAMES, TYPE_NAMES, the, type_name
from checks.base import CDE, Context, evidence, finding, rule
from core.enums import ROOT_CAUSE_CODES, DocType, FindingCode, Severity
from core.model import Finding, ProcessedDocument
from core.report import TYPE_CONFIDENCE_THRESHOLD

WRONG = (
    "In het vakje {slot} is een {found} geüpload; dit vakje vraagt een {expected}. "
    "Upload {the_expected} in dit vakje."
)
WRONG_POK = (
    "In het vakje praktijkovereenkomst is een arbeidsovereenkomst geüpload. Een "
    "arbeidsovereenkomst is geen praktijkovereenkomst: upload de praktijkovereenkomst (POK/BPV-"
    "overeenkomst) van de opleiding, ondertekend door student, leerbedrijf en school."
)
WRONG_C = (
    "Bij activiteit {act} is alleen de prestatieverklaring geldig als bewijs, maar er is een "
    "{found} geüpload. Upload de ingevulde en ondertekende prestatieverklaring."
)
UNCERTAIN = (
    "Het soort document in het vakje {slot} kon niet met zekerheid worden vastgesteld "
    "(gevonden: {found}, zekerheid {conf:.0%}). Een medewerker controleert het; controleer of "
    "dit {the_expected} is en upload anders het juiste document."
)


def _checked(ctx: Context) -> list[ProcessedDocument]:
    """Classified documents without an intake root cause."""
    return [
        d
        for d in ctx.documents
        if d.classified is not None and not any(f.code in ROOT_CAUSE_CODES for f in d.findings)
    ]


def _expected(ctx: Context, doc: ProcessedDocument) -> str:
    return " of ".join(sorted(TYPE_NAMES[t] for t in ctx.accepts(doc.slot)))


def _the_expected(ctx: Context, doc: ProcessedDocument) -> str:
    """The accepted types with their articles: "het bewijs van deelname of het diploma"."""
    return " of ".join(the(name) for name in sorted(TYPE_NAMES[t] for t in ctx.accepts(doc.slot)))


# Both read the classification only (no field): `types` stays empty.
@rule(code=FindingCode.DOC_WRONG_TYPE, severity=Severity.ERROR, columns=("activiteit",))
def wrong_type(ctx: Context) -> list[Finding]:
    out = []
    for doc in _checked(ctx):
        if not ctx.is_wrong_type(doc):
            continue
        assert doc.classified is not None
        found = doc.classified.doc_type
        if ctx.activity in CDE and doc.slot.value.startswith("prestatie"):
            message = WRONG_C.format(act=ctx.activity.value, found=type_name(doc))
        elif found is DocType.ARBEIDSOVEREENKOMST and doc.slot.value == "praktijkovereenkomst":
            message = WRONG_POK
        else:
            message = WRONG.format(
                slot=SLOT_NAMES[doc.slot],
                found=type_name(doc),
                expected=_expected(ctx, doc),
                the_expected=_the_expected(ctx, doc),
            )
        ev = evidence(doc, expected=_expected(ctx, doc), found=found.value)
        out.append(finding(FindingCode.DOC_WRONG_TYPE, message, **ev))
    return out


@rule(code=FindingCode.DOC_TYPE_UNCERTAIN, severity=Severity.WARNING, columns=("activiteit",))
def type_uncertain(ctx: Context) -> list[Finding]:
    out = []
    for doc in _checked(ctx):
        c = doc.classified
        assert c is not None
        if c.doc_type is not DocType.ONBEKEND and c.confidence >= TYPE_CONFIDENCE_THRESHOLD:
            continue
        message = UNCERTAIN.format(
            slot=SLOT_NAMES[doc.slot],
            found=type_name(doc),
            conf=c.confidence,
            the_expected=_the_expected(ctx, doc),
        )
        ev = evidence(doc, expected=_expected(ctx, doc), found=c.doc_type.value)
        out.append(finding(FindingCode.DOC_TYPE_UNCERTAIN, message, **ev))
    return out
