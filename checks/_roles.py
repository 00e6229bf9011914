"""Who signed, as the rules read it: on a performance declaration the roles of its dated
signing rows and of the signatures seen in a role's place, and the signatures counted; on a
practice agreement the parties whose signature place was found blank."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.fields import FieldName
from core.geometry import BBox
from core.model import FieldValue, ProcessedDocument

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
        roles = {str(h.get("rol")) for h in _records(fv)}
        # A signature seen in a role's zone is that role's, dated row read or not.
        roles |= {str(m.get("rol")) for m in _records(doc.fields.get(FieldName.SIGNATURES))}
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


# Who signs a practice agreement, as its signature places name them.
POK_ROLES = {
    "deelnemer": "de deelnemer",
    "leerbedrijf": "het leerbedrijf",
    "onderwijsinstelling": "de onderwijsinstelling",
}
POK_ALIASES = {"werkgever": "leerbedrijf", "werknemer": "deelnemer"}
POK_NEEDED = len(POK_ROLES)
# Square millimetres of unexplained ink that make a place not blank: measured on development
# scans, places a signature under a stamp or missed on a faint scan held 27 to 83; places left
# unsigned 0 (once 27: that place stays unproven, the reviewer looks).
PLACE_INK_MM2 = 20


@dataclass(frozen=True)
class PokSigning:
    """A practice agreement with fewer signatures than parties: the parties whose place was
    found blank (with the first such place's page and box), those whose missing signature is
    not proven (no place found for the party, or ink the finder did not recognise in it), and
    how many signatures are short."""

    blank: list[str]
    unproven: list[str]
    short: int
    page: int | None = None
    bbox: BBox | None = None

    @property
    def proven(self) -> bool:
        """Blank places account for every signature short."""
        return len(self.blank) >= self.short


def pok_signing(doc: ProcessedDocument) -> PokSigning | None:
    """The parties a practice agreement lacks signatures of, when fewer than three were found
    (and at least one); None when that does not apply or no signature places were looked for
    (a result from before places were read: the count alone decides)."""
    count = signature_count(doc)
    places = doc.fields.get(FieldName.SIGNATURE_PLACES)
    if count is None or not 0 < count < POK_NEEDED or places is None:
        return None
    marks = doc.fields.get(FieldName.SIGNATURES)
    signed = {_pok_role(m.get("rol")) for m in _records(marks)}
    by_role: dict[str, list[dict[str, Any]]] = {}
    for place in _records(places):
        by_role.setdefault(_pok_role(place.get("rol")), []).append(place)
    blank, unproven = [], []
    first: dict[str, Any] | None = None
    for role in POK_ROLES:
        if role in signed:
            continue
        found = by_role.get(role, [])
        if found and all(_blank(p) for p in found):
            blank.append(role)
            first = first or found[0]
        else:
            unproven.append(role)
    page = int(first["page"]) if first else None
    bbox = BBox.model_validate(first["bbox"]) if first else None
    return PokSigning(blank, unproven, POK_NEEDED - count, page, bbox)


def _blank(place: dict[str, Any]) -> bool:
    """No ink the finder did not recognise, and no signature found reaching into it (one given
    to the party beside it, or two merged into one box)."""
    return int(place.get("inkt_mm2", 0)) < PLACE_INK_MM2 and not place.get("merk")


def _pok_role(rol: object) -> str:
    return POK_ALIASES.get(str(rol), str(rol))


def _records(fv: FieldValue | None) -> list[dict[str, Any]]:
    if fv is None or not isinstance(fv.value, list):
        return []
    return [r for r in fv.value if isinstance(r, dict)]
