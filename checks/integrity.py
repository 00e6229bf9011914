"""DIGITAL_SIGNATURE_INVALID (a PDF signature that fails validation, or page content changed
after signing) and TAMPERING_SUSPECTED (signs of editing, such as a text layer holding two
different texts at one place). Read from the `digital_signatures` and `tampering` fields of
extractors/integrity.py. A self-signed or untrusted certificate is not invalid: we check that
the signed content is intact and traceable to a named signer (see extractors/esign.py)."""

from __future__ import annotations

from typing import Any

from checks._format import the_doc, type_name
from checks.base import Context, evidence, finding, rule
from core.enums import DocType, FindingCode, Severity
from core.fields import FieldName
from core.model import Finding

INVALID = (
    "De digitale handtekening op {the_doc} is ongeldig: {reason}. Upload het originele, "
    "ondertekende document zoals u het van de ondertekenaars ontving."
)
TAMPERED = (
    "Het document ({doc}) lijkt bewerkt: {reason} Upload het originele document zoals u het "
    "van de afzender ontving; een medewerker van het SSC beoordeelt dit document."
)
# Covered by DIGITAL_SIGNATURE_INVALID (one finding per root cause).
SIGNATURE_KINDS = frozenset({"na_ondertekening"})


def _invalid(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        return []
    return [s for s in value if isinstance(s, dict) and s.get("valid") is False]


@rule(
    code=FindingCode.DIGITAL_SIGNATURE_INVALID,
    severity=Severity.ERROR,
    types=tuple(DocType),
    reads=(FieldName.DIGITAL_SIGNATURES,),
)
def digital_signature_invalid(ctx: Context) -> list[Finding]:
    out = []
    for doc in ctx.usable():
        fv = doc.fields.get(FieldName.DIGITAL_SIGNATURES)
        bad = _invalid(fv.value) if fv is not None else []
        if not bad:
            continue
        reason = str(bad[0].get("reason") or "de handtekening kan niet worden gecontroleerd")
        message = INVALID.format(the_doc=the_doc(doc), reason=reason)
        ev = evidence(doc, fv, expected="geldige handtekening", found=reason)
        out.append(finding(FindingCode.DIGITAL_SIGNATURE_INVALID, message, **ev))
    return out


@rule(
    code=FindingCode.TAMPERING_SUSPECTED,
    severity=Severity.WARNING,
    types=tuple(DocType),
    reads=(FieldName.TAMPERING,),
)
def tampering_suspected(ctx: Context) -> list[Finding]:
    out = []
    for doc in ctx.usable():
        fv = doc.fields.get(FieldName.TAMPERING)
        if fv is None or not isinstance(fv.value, list):
            continue
        signs = [
            s for s in fv.value if isinstance(s, dict) and s.get("soort") not in SIGNATURE_KINDS
        ]
        if not signs:
            continue
        sign = signs[0]
        message = TAMPERED.format(doc=type_name(doc), reason=sign.get("reden", ""))
        ev = evidence(doc, None, found=sign.get("tekstlaag") or sign.get("soort"))
        ev.update(page=sign.get("page"), bbox=sign.get("bbox"))
        if sign.get("zichtbaar"):
            ev["expected"] = str(sign["zichtbaar"])
        out.append(finding(FindingCode.TAMPERING_SUSPECTED, message, **ev))
    return out
