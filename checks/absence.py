"""FIELD_NOT_FOUND, and the line between "absent" and "not found" that the absence rules share.

A rule that rejects because something is missing (CREBO_MISSING, BPV_VOLUME_MISSING,
PARTY_MISSING, TRAINER_NAME_MISSING, SIGNATURES_MISSING) needs the reader to be sure: the
field's value is None with its evidence (its label printed with nothing filled in, or no value
of its kind anywhere on a well-read page), or signatures were found, fewer than needed. A field
the reader did not find at all proves nothing on a layout it has never seen: the document goes
to review with one finding that lists everything not found, never a cascade of rejections."""

from __future__ import annotations

from checks._format import the, type_name
from checks._roles import POK_ROLES, ROLE_NAMES, pok_signing, unrecognised_roles
from checks.base import Context, evidence, finding, read_surely, rule
from core.enums import DocType, FindingCode, Severity, Slot
from core.fields import FieldName
from core.model import Finding, ProcessedDocument

F = FieldName
POK = DocType.PRAKTIJKOVEREENKOMST
PV = DocType.PRESTATIEVERKLARING
SIGNATURES = "any signature"  # not a field: whether any signature was seen
PAY = DocType.LOONSTROOK
DIPLOMA = DocType.DIPLOMA
# What each type's rules need read: its absence rejects (crebo, volume, parties, trainer,
# signatures) or it is compared with the registration (dates, month, employer). Not read, the
# check cannot be made: the registration goes to review instead of passing unchecked.
NEEDED: dict[DocType, tuple[FieldName | str, ...]] = {
    POK: (
        F.CREBO,
        F.STARTDATUM,
        F.EINDDATUM,
        F.BPV_OMVANG,
        F.LEERBEDRIJF,
        F.ONDERWIJSINSTELLING,
        SIGNATURES,
    ),
    PV: (F.OPLEIDER, F.TRAINING_EINDDATUM, SIGNATURES),
    PAY: (F.LOONSTROOK_MAAND, F.WERKGEVER),
    DIPLOMA: (F.DIPLOMA_DATUM,),
}
NAMES = {
    F.DEELNEMER: "de naam van de deelnemer",
    F.CREBO: "het crebonummer",
    F.BPV_OMVANG: "de omvang van de BPV",
    F.LEERBEDRIJF: "het leerbedrijf",
    F.ONDERWIJSINSTELLING: "de onderwijsinstelling",
    F.OPLEIDER: "de naam van de opleider",
    F.STARTDATUM: "de startdatum",
    F.EINDDATUM: "de einddatum",
    F.TRAINING_EINDDATUM: "de einddatum van de training",
    F.LOONSTROOK_MAAND: "de maand van de loonstrook",
    F.WERKGEVER: "de werkgever",
    F.DIPLOMA_DATUM: "de datum van het diploma",
    SIGNATURES: "de handtekeningen",
}
MESSAGE = (
    "Op {the_doc} {verb} {what} niet gevonden. Een medewerker van het SSC controleert of het "
    "er staat; staat het er niet op, upload dan {art} volledige {doc}."
)


def absent(doc: ProcessedDocument, name: FieldName) -> bool:
    """The reader is sure the field is not on the document: a value of None, with evidence,
    read at or above the field confidence threshold (a blank OCR barely saw proves nothing)."""
    fv = doc.fields.get(name)
    if fv is None or str(fv.value or "").strip():
        return False
    return read_surely(fv)


def not_found(doc: ProcessedDocument, name: FieldName) -> bool:
    """The reader found neither the field nor sure proof that it is absent."""
    fv = doc.fields.get(name)
    if fv is None:
        return True
    return not str(fv.value or "").strip() and not read_surely(fv)


def no_signatures_seen(doc: ProcessedDocument) -> bool:
    """No signature at all was found: on an unseen layout that is no proof of none."""
    count = doc.fields.get(F.SIGNATURE_COUNT)
    rows = doc.fields.get(F.HANDTEKENINGEN)
    signed_rows = rows is not None and isinstance(rows.value, list) and bool(rows.value)
    return count is not None and count.value == 0 and not signed_rows


def _missing(doc: ProcessedDocument, doc_type: DocType) -> list[str]:
    out = []
    for name in NEEDED[doc_type]:
        if name == SIGNATURES:
            if no_signatures_seen(doc):
                out.append(NAMES[SIGNATURES])
            elif doc_type is PV:
                out.extend(f"de handtekening van {ROLE_NAMES[r]}" for r in unrecognised_roles(doc))
            elif (signing := pok_signing(doc)) is not None and not signing.proven:
                out.extend(f"de handtekening van {POK_ROLES[r]}" for r in signing.unproven)
        elif not_found(doc, FieldName(name)):
            out.append(NAMES[name])
    return out


# Every type that carries the participant's name (PARTICIPANT_NOT_FOUND's).
NAMED_TYPES = tuple(t for t in DocType if t not in (DocType.KVK_UITTREKSEL, DocType.ONBEKEND))


@rule(
    code=FindingCode.FIELD_NOT_FOUND,
    severity=Severity.WARNING,
    types=NAMED_TYPES,
    reads=(F.DEELNEMER,),
    reads_on={
        doc_type: (
            *(FieldName(n) for n in needed if n != SIGNATURES),
            *((F.SIGNATURE_COUNT,) if SIGNATURES in needed else ()),
            *((F.HANDTEKENINGEN,) if doc_type is PV else ()),
            *((F.SIGNATURES, F.SIGNATURE_PLACES) if doc_type is POK else ()),
        )
        for doc_type, needed in NEEDED.items()
    },
)
def field_not_found(ctx: Context) -> list[Finding]:
    out = []
    pok = ctx.usable(POK, slots=(Slot.PRAKTIJKOVEREENKOMST,))
    pay = ctx.usable(PAY, slots=(Slot.LOONSTROOK_START, Slot.LOONSTROOK_EIND))
    by_type = ((POK, pok), (PV, ctx.usable(PV)), (PAY, pay), (DIPLOMA, ctx.usable(DIPLOMA)))
    needs = {id(doc): doc_type for doc_type, docs in by_type for doc in docs}
    for doc in ctx.usable(*NAMED_TYPES):
        missing = [NAMES[F.DEELNEMER]] if not_found(doc, F.DEELNEMER) else []
        if id(doc) in needs:
            missing += _missing(doc, needs[id(doc)])
        if missing:
            what = ", ".join(missing[:-1]) + (" en " if len(missing) > 1 else "") + missing[-1]
            plural = len(missing) > 1 or missing[0] == NAMES[SIGNATURES]
            verb = "zijn" if plural else "is"
            name = type_name(doc)
            art = the(name).split(" ")[0]
            message = MESSAGE.format(the_doc=the(name), art=art, doc=name, verb=verb, what=what)
            ev = evidence(doc, expected=what, found="niet gevonden")
            out.append(finding(FindingCode.FIELD_NOT_FOUND, message, **ev))
    return out
