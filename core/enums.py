"""Closed vocabularies of the CONTRACT: document types, slots, finding codes, severities, and
the registration enums. Never pass these around as bare strings (field names: core/fields.py)."""

from __future__ import annotations

from enum import StrEnum


class DocType(StrEnum):
    """Document types a file can be classified as (CONTRACT, "Document types")."""

    PRAKTIJKOVEREENKOMST = "praktijkovereenkomst"
    OPLEIDINGSOVEREENKOMST = "opleidingsovereenkomst"
    BEWIJS_VAN_INSCHRIJVING = "bewijs_van_inschrijving"
    LOONSTROOK = "loonstrook"
    DIPLOMA = "diploma"
    BEWIJS_VAN_DEELNAME = "bewijs_van_deelname"
    PRESTATIEVERKLARING = "prestatieverklaring"
    ARBEIDSOVEREENKOMST = "arbeidsovereenkomst"
    KVK_UITTREKSEL = "kvk_uittreksel"
    ONBEKEND = "onbekend"


class Slot(StrEnum):
    """Upload slots (vakjes) of the portal."""

    PRAKTIJKOVEREENKOMST = "praktijkovereenkomst"
    OPLEIDINGSOVEREENKOMST = "opleidingsovereenkomst"
    BEWIJS_VAN_INSCHRIJVING = "bewijs_van_inschrijving"
    LOONSTROOK_START = "loonstrook_start"
    LOONSTROOK_EIND = "loonstrook_eind"
    PRESTATIEBEWIJS = "prestatiebewijs"
    PRESTATIEVERKLARING = "prestatieverklaring"
    KVK_UITTREKSEL = "kvk_uittreksel"


SLOT_ACCEPTS: dict[Slot, frozenset[DocType]] = {
    Slot.PRAKTIJKOVEREENKOMST: frozenset({DocType.PRAKTIJKOVEREENKOMST}),
    Slot.OPLEIDINGSOVEREENKOMST: frozenset({DocType.OPLEIDINGSOVEREENKOMST}),
    Slot.BEWIJS_VAN_INSCHRIJVING: frozenset({DocType.BEWIJS_VAN_INSCHRIJVING}),
    Slot.LOONSTROOK_START: frozenset({DocType.LOONSTROOK}),
    Slot.LOONSTROOK_EIND: frozenset({DocType.LOONSTROOK}),
    Slot.PRESTATIEBEWIJS: frozenset(
        {DocType.DIPLOMA, DocType.BEWIJS_VAN_DEELNAME, DocType.PRAKTIJKOVEREENKOMST}
    ),
    Slot.PRESTATIEVERKLARING: frozenset({DocType.PRESTATIEVERKLARING}),
    Slot.KVK_UITTREKSEL: frozenset({DocType.KVK_UITTREKSEL}),
}


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class FindingCode(StrEnum):
    """Every finding code of the CONTRACT. New codes may be added, never renamed."""

    FILE_TYPE_NOT_ALLOWED = "FILE_TYPE_NOT_ALLOWED"
    FILE_UNREADABLE = "FILE_UNREADABLE"
    DOCUMENT_MISSING = "DOCUMENT_MISSING"
    DOC_UNREADABLE = "DOC_UNREADABLE"
    DOC_WRONG_TYPE = "DOC_WRONG_TYPE"
    DOC_TYPE_UNCERTAIN = "DOC_TYPE_UNCERTAIN"
    PARTICIPANT_NOT_FOUND = "PARTICIPANT_NOT_FOUND"
    CREBO_MISSING = "CREBO_MISSING"
    CREBO_MISMATCH = "CREBO_MISMATCH"
    EDUCATION_MISMATCH = "EDUCATION_MISMATCH"
    START_DATE_MISMATCH = "START_DATE_MISMATCH"
    END_DATE_MISMATCH = "END_DATE_MISMATCH"
    BPV_VOLUME_MISSING = "BPV_VOLUME_MISSING"
    PARTY_MISSING = "PARTY_MISSING"
    SIGNATURES_MISSING = "SIGNATURES_MISSING"
    START_BEFORE_WINDOW = "START_BEFORE_WINDOW"
    END_AFTER_WINDOW = "END_AFTER_WINDOW"
    TARGET_GROUP_MISMATCH = "TARGET_GROUP_MISMATCH"
    DUPLICATE_PARTICIPANT = "DUPLICATE_PARTICIPANT"
    PAYSLIP_MONTH_MISMATCH = "PAYSLIP_MONTH_MISMATCH"
    PAYSLIP_NOT_ANONYMISED = "PAYSLIP_NOT_ANONYMISED"
    PAYSLIP_EMPLOYER_MISMATCH = "PAYSLIP_EMPLOYER_MISMATCH"
    DIPLOMA_OUTSIDE_PERIOD = "DIPLOMA_OUTSIDE_PERIOD"
    LETTERHEAD_MISSING = "LETTERHEAD_MISSING"
    TRAINER_NAME_MISSING = "TRAINER_NAME_MISSING"
    SIGNED_TOO_EARLY = "SIGNED_TOO_EARLY"
    SIGNED_TOO_LATE = "SIGNED_TOO_LATE"
    KVK_EXTRACT_TOO_OLD = "KVK_EXTRACT_TOO_OLD"
    SIGNATORY_NOT_ON_KVK = "SIGNATORY_NOT_ON_KVK"
    DIGITAL_SIGNATURE_INVALID = "DIGITAL_SIGNATURE_INVALID"
    TAMPERING_SUSPECTED = "TAMPERING_SUSPECTED"
    # Added (CONTRACT allows new codes): a document that could not be checked because of a
    # fault on our side (OCR engine crashed, storage down). Never silently counted as checked.
    CHECK_FAILED = "CHECK_FAILED"
    # Added: a PDF with JavaScript, launch actions or embedded files. Nothing of it is run or
    # extracted; the document is checked as usual and the reviewer is told.
    ACTIVE_CONTENT = "ACTIVE_CONTENT"
    # Added: a field a rule needs was not found on a readable document of the right type, and
    # the reader is not sure it is absent. A reviewer looks; never a rejection by itself.
    FIELD_NOT_FOUND = "FIELD_NOT_FOUND"


# The severities of the codes no rule raises: intake and admission root causes and our own
# faults. Every other code's severity is declared on its rule (checks/base.py `@rule`);
# checks.registry.severity_of gives the severity of any code.
SEVERITY_OUTSIDE_RULES: dict[FindingCode, Severity] = {
    FindingCode.FILE_TYPE_NOT_ALLOWED: Severity.ERROR,
    FindingCode.FILE_UNREADABLE: Severity.ERROR,
    FindingCode.DOC_UNREADABLE: Severity.ERROR,
    FindingCode.CHECK_FAILED: Severity.WARNING,
    FindingCode.ACTIVE_CONTENT: Severity.WARNING,
}

# Codes after which a file gets no further findings about its content (CONTRACT: one
# finding per root cause), and whose slot does not also get DOCUMENT_MISSING.
ROOT_CAUSE_CODES = frozenset(
    {
        FindingCode.FILE_TYPE_NOT_ALLOWED,
        FindingCode.FILE_UNREADABLE,
        FindingCode.DOC_UNREADABLE,
        FindingCode.DOC_WRONG_TYPE,
    }
)


class Verdict(StrEnum):
    APPROVE = "approve"
    REVIEW = "review"
    REJECT = "reject"


class Activity(StrEnum):
    """A = MBO BBL, B = HBO duaal, C = long training, D = middle, E = short."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"


class Variant(StrEnum):
    V1 = "V1"
    V2 = "V2"
    V3 = "V3"
    V4 = "V4"


class Doelgroep(StrEnum):
    NIEUWE_INSTROOM = "nieuwe_instroom"
    OPSCHOLING = "opscholing"
    PRAKTIJKOPLEIDER = "praktijkopleider"
    BEHOUD = "behoud"


class MediaType(StrEnum):
    PDF = "application/pdf"
    JPEG = "image/jpeg"


class WordSource(StrEnum):
    """Where a word's text came from."""

    TEXT_LAYER = "text_layer"
    OCR = "ocr"


class TextSource(StrEnum):
    """Where a document's text came from, over all its pages."""

    TEXT_LAYER = "text_layer"
    OCR = "ocr"
    MIXED = "mixed"


class CaptureKind(StrEnum):
    """How a fixture was produced (ground truth only; the pipeline never reads it)."""

    BORN_DIGITAL = "born_digital"
    SCAN = "scan"
    PHOTO = "photo"
    BROKEN = "broken"
