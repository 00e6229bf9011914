"""The canonical fields (CONTRACT, "Canonical field names"), declared once: the name every
package uses, its Dutch label, the kind of its value and the document types that carry it.

A field is only ever named by its `FieldName` member, never by a bare string: a typo is then an
error at import, not a rule that silently finds nothing. `FieldName` is a StrEnum, so a member
equals its string and report.json, the truth files and stored results keep the plain names.
The extractors declare which fields they produce per type (extractors/registry.py) and the
rules which fields they read (checks/base.py); tests/test_registry.py holds the three
together."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from core.enums import DocType


class FieldName(StrEnum):
    """Every field an extractor can put on a processed document."""

    # on every document (the participant: not on the KvK extract)
    DEELNEMER = "deelnemer"
    SIGNATURE_COUNT = "signature_count"
    SIGNATURES = "signatures"
    SIGNATURE_PLACES = "signature_places"
    LOGO_PRESENT = "logo_present"
    STAMP_PRESENT = "stamp_present"
    ESIGNATURES = "esignatures"
    DIGITAL_SIGNATURES = "digital_signatures"
    TAMPERING = "tampering"
    # agreements, enrolment, diplomas
    CREBO = "crebo"
    OPLEIDING = "opleiding"
    STARTDATUM = "startdatum"
    EINDDATUM = "einddatum"
    BPV_OMVANG = "bpv_omvang"
    LEERBEDRIJF = "leerbedrijf"
    ONDERWIJSINSTELLING = "onderwijsinstelling"
    DIPLOMA_DATUM = "diploma_datum"
    # payslips (and the employment contract's start)
    WERKGEVER = "werkgever"
    LOONSTROOK_MAAND = "loonstrook_maand"
    LOONSTROOK_PERIODE = "loonstrook_periode"  # added (CONTRACT): a four-weekly/weekly period
    DATUM_IN_DIENST = "datum_in_dienst"
    BSN_PRESENT = "bsn_present"
    # performance declarations
    OPLEIDER = "opleider"
    TRAINING_EINDDATUM = "training_einddatum"
    HANDTEKENINGEN = "handtekeningen"
    # KvK extracts
    KVK_DATUM = "kvk_datum"
    BESTUURDERS = "bestuurders"


class ValueKind(StrEnum):
    """What a field's value is."""

    DATE = "date"  # 'YYYY-MM-DD'
    MONTH = "month"  # 'YYYY-MM'
    TEXT = "text"
    CODE = "code"  # a crebo number: digits kept as text
    PERSON = "person"
    ORGANISATION = "organisation"
    NUMBER = "number"
    BOOL = "bool"
    NAMES = "names"  # a list of people's names
    SIGNATURE_ROWS = "signature_rows"  # [{"rol", "datum"}] of a signature table
    MARKS = "marks"  # [{"rol", "page", "bbox", …}]: drawn signatures, places to sign
    RECORDS = "records"  # a list of findings about the file (signatures, editing signs)
    PERIOD = "period"  # {"van": 'YYYY-MM-DD', "tot": 'YYYY-MM-DD'}


EVERY_TYPE = frozenset(DocType)
AGREEMENTS = frozenset({DocType.PRAKTIJKOVEREENKOMST, DocType.OPLEIDINGSOVEREENKOMST})
EDUCATION = AGREEMENTS | {
    DocType.BEWIJS_VAN_INSCHRIJVING,
    DocType.DIPLOMA,
    DocType.BEWIJS_VAN_DEELNAME,
}
CERTIFICATES = frozenset({DocType.DIPLOMA, DocType.BEWIJS_VAN_DEELNAME})
PAYSLIP = frozenset({DocType.LOONSTROOK})
DECLARATION = frozenset({DocType.PRESTATIEVERKLARING})
KVK = frozenset({DocType.KVK_UITTREKSEL})


@dataclass(frozen=True)
class FieldSpec:
    """A field's Dutch label (the reviewer's field table), its value's kind and the document
    types that carry it."""

    label: str
    kind: ValueKind
    types: frozenset[DocType]


K = ValueKind
FIELD_SPECS: dict[FieldName, FieldSpec] = {
    FieldName.DEELNEMER: FieldSpec("Deelnemer", K.PERSON, EVERY_TYPE - KVK),
    FieldName.SIGNATURE_COUNT: FieldSpec("Aantal handtekeningen", K.NUMBER, EVERY_TYPE),
    FieldName.SIGNATURES: FieldSpec("Handtekeningen", K.MARKS, EVERY_TYPE),
    FieldName.SIGNATURE_PLACES: FieldSpec("Plaatsen voor handtekeningen", K.MARKS, EVERY_TYPE),
    FieldName.LOGO_PRESENT: FieldSpec("Logo aanwezig", K.BOOL, EVERY_TYPE),
    FieldName.STAMP_PRESENT: FieldSpec("Stempel aanwezig", K.BOOL, EVERY_TYPE),
    FieldName.ESIGNATURES: FieldSpec("Elektronische ondertekening", K.RECORDS, EVERY_TYPE),
    FieldName.DIGITAL_SIGNATURES: FieldSpec("Digitale handtekeningen", K.RECORDS, EVERY_TYPE),
    FieldName.TAMPERING: FieldSpec("Tekenen van bewerking", K.RECORDS, EVERY_TYPE),
    FieldName.CREBO: FieldSpec("Crebo", K.CODE, EDUCATION),
    FieldName.OPLEIDING: FieldSpec("Opleiding", K.TEXT, EDUCATION),
    FieldName.STARTDATUM: FieldSpec(
        "Startdatum", K.DATE, AGREEMENTS | {DocType.BEWIJS_VAN_INSCHRIJVING}
    ),
    FieldName.EINDDATUM: FieldSpec("Einddatum", K.DATE, AGREEMENTS),
    FieldName.BPV_OMVANG: FieldSpec("Omvang BPV", K.TEXT, AGREEMENTS),
    FieldName.LEERBEDRIJF: FieldSpec("Leerbedrijf", K.ORGANISATION, AGREEMENTS),
    FieldName.ONDERWIJSINSTELLING: FieldSpec("Onderwijsinstelling", K.ORGANISATION, AGREEMENTS),
    FieldName.DIPLOMA_DATUM: FieldSpec("Diplomadatum", K.DATE, CERTIFICATES),
    FieldName.WERKGEVER: FieldSpec("Werkgever", K.ORGANISATION, PAYSLIP),
    FieldName.LOONSTROOK_MAAND: FieldSpec("Loonstrookmaand", K.MONTH, PAYSLIP),
    FieldName.LOONSTROOK_PERIODE: FieldSpec("Loonstrookperiode", K.PERIOD, PAYSLIP),
    FieldName.DATUM_IN_DIENST: FieldSpec(
        "Datum in dienst", K.DATE, PAYSLIP | {DocType.ARBEIDSOVEREENKOMST}
    ),
    FieldName.BSN_PRESENT: FieldSpec("BSN zichtbaar", K.BOOL, PAYSLIP),
    FieldName.OPLEIDER: FieldSpec("Opleider", K.ORGANISATION, DECLARATION),
    FieldName.TRAINING_EINDDATUM: FieldSpec("Training einddatum", K.DATE, DECLARATION),
    FieldName.HANDTEKENINGEN: FieldSpec("Handtekeningen", K.SIGNATURE_ROWS, DECLARATION),
    FieldName.KVK_DATUM: FieldSpec("Datum KvK-uittreksel", K.DATE, KVK),
    FieldName.BESTUURDERS: FieldSpec("Bestuurders", K.NAMES, KVK),
}


def carried_by(doc_type: DocType) -> frozenset[FieldName]:
    """The fields a document of `doc_type` can carry."""
    return frozenset(name for name, spec in FIELD_SPECS.items() if doc_type in spec.types)


def label(name: str) -> str:
    """The Dutch label of a field; a name that is no canonical field (an older stored
    result) is shown as itself, readably."""
    try:
        return FIELD_SPECS[FieldName(name)].label
    except ValueError:
        return name.replace("_", " ").capitalize()
