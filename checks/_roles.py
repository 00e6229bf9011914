"""Who signed a performance declaration, as the rules read it: the roles of its dated signing
rows and of the signatures seen in a role's place, and the signatures counted."""

from __future__ import annotations

from core.fields import FieldName
from core.model import ProcessedDocument

ROLE_NAMES = {"deelnemer": "de deelnemer", "docent": "de docent"}
EITHER = "de deelnemer of de docent"  # one signature counted: which one is unknown


def signature_count(doc: ProcessedDocument) -> int | None:
    fv = doc.fields.get(FieldName.SIGNATURE_COUNT)
    if fv is None or fv.value is None:
        return None
    return int(fv.value)


def declaration_missing(doc: ProcessedDocument) -> list[str] | None:
    """Roles without a signature, or None when nothing about signatures was extracted."""
    fv = doc.fields.get(FieldName.HANDTEKENINGEN)
    if fv is not None and isinstance(fv.value, list) and fv.value:
        roles = {str(h.get("rol")) for h in fv.value if isinstance(h, dict)}
        # A signature seen in a role's zone is that role's, dated row read or not.
        marks = doc.fields.get(FieldName.SIGNATURES)
        if marks is not None and isinstance(marks.value, list):
            roles |= {str(m.get("rol")) for m in marks.value if isinstance(m, dict)}
        return [r for r in ROLE_NAMES if r not in roles]
    count = signature_count(doc)
    if count is None:
        return None
    return [] if count >= 2 else (list(ROLE_NAMES) if count == 0 else [EITHER])


def unrecognised_roles(doc: ProcessedDocument) -> list[str]:
    """Roles the reading found no signature of on a declaration that has as many signatures
    as roles: whose they are was not recognised (a lost table header, a role named in a way
    not known), which is no proof that one is missing — a reviewer looks."""
    missing = declaration_missing(doc) or []
    count = signature_count(doc)
    if count is None or count < len(ROLE_NAMES) or EITHER in missing:
        return []
    return missing
