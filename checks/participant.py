"""PARTICIPANT_NOT_FOUND: the registered participant's name must be on every document that
carries it (all types except the KvK extract). The `deelnemer` field is the name as found; it
must be the registered person (tolerant of order, initials and tussenvoegsels). A value of
None says nobody is named on a document read whole; no `deelnemer` at all says the reading
is unsure (a scan whose OCR left ink unread): FIELD_NOT_FOUND, a reviewer looks."""

from __future__ import annotations

from checks._format import the_doc
from checks._match import same_person
from checks.base import Context, evidence, finding, read_surely, rule
from core.enums import DocType, FindingCode, Severity
from core.fields import FieldName
from core.model import Finding

NAMED_TYPES = tuple(t for t in DocType if t not in (DocType.KVK_UITTREKSEL, DocType.ONBEKEND))

ABSENT = (
    "De naam van de deelnemer ({name}) is niet gevonden op {doc}. Upload {doc} van "
    "{name}, volledig en leesbaar, of controleer de naam in de registratie."
)
OTHER = (
    "{The_doc} staat op naam van {found}, niet van de geregistreerde deelnemer {name}. Upload "
    "{doc} van {name}."
)


@rule(
    code=FindingCode.PARTICIPANT_NOT_FOUND,
    severity=Severity.ERROR,
    types=NAMED_TYPES,
    reads=(FieldName.DEELNEMER,),
    columns=("deelnemer",),
)
def participant_not_found(ctx: Context) -> list[Finding]:
    name = ctx.registration.deelnemer
    out = []
    for doc in ctx.usable(*NAMED_TYPES):
        fv = doc.fields.get(FieldName.DEELNEMER)
        if fv is None or (fv.value and same_person(name, str(fv.value))):
            continue  # the registered person; or not read at all (FIELD_NOT_FOUND: review)
        if not fv.value and not read_surely(fv):
            continue  # the name barely read (most of its words misread): FIELD_NOT_FOUND
        if not fv.value:  # nobody named on a document read whole
            message = ABSENT.format(name=name, doc=the_doc(doc))
            ev = evidence(doc, expected=name)
        else:
            the = the_doc(doc)
            message = OTHER.format(name=name, doc=the, The_doc=the.capitalize(), found=fv.value)
            ev = evidence(doc, fv, expected=name, found=fv.value)
        out.append(finding(FindingCode.PARTICIPANT_NOT_FOUND, message, **ev))
    return out
