"""A short Dutch label for every finding code, for lists where the full message is too long
(the review queue, report overviews); the code itself stays available as a tooltip."""

from __future__ import annotations

from core.enums import FindingCode

FINDING_LABELS: dict[FindingCode, str] = {
    FindingCode.FILE_TYPE_NOT_ALLOWED: "Bestandstype niet toegestaan",
    FindingCode.FILE_UNREADABLE: "Bestand onleesbaar",
    FindingCode.DOCUMENT_MISSING: "Document ontbreekt",
    FindingCode.DOC_UNREADABLE: "Document onleesbaar",
    FindingCode.DOC_WRONG_TYPE: "Verkeerd soort document",
    FindingCode.DOC_TYPE_UNCERTAIN: "Soort document onzeker",
    FindingCode.PARTICIPANT_NOT_FOUND: "Deelnemer niet gevonden",
    FindingCode.CREBO_MISSING: "Crebo ontbreekt",
    FindingCode.CREBO_MISMATCH: "Crebo wijkt af",
    FindingCode.EDUCATION_MISMATCH: "Opleiding wijkt af",
    FindingCode.START_DATE_MISMATCH: "Begindatum wijkt af",
    FindingCode.END_DATE_MISMATCH: "Einddatum wijkt af",
    FindingCode.BPV_VOLUME_MISSING: "BPV-omvang ontbreekt",
    FindingCode.PARTY_MISSING: "Partij ontbreekt",
    FindingCode.SIGNATURES_MISSING: "Handtekening ontbreekt",
    FindingCode.START_BEFORE_WINDOW: "Start vóór de aanvraagperiode",
    FindingCode.END_AFTER_WINDOW: "Einde na de aanvraagperiode",
    FindingCode.TARGET_GROUP_MISMATCH: "Niet in de doelgroep",
    FindingCode.DUPLICATE_PARTICIPANT: "Deelnemer dubbel aangevraagd",
    FindingCode.PAYSLIP_MONTH_MISMATCH: "Loonstrook van een andere maand",
    FindingCode.PAYSLIP_NOT_ANONYMISED: "BSN niet afgeschermd",
    FindingCode.PAYSLIP_EMPLOYER_MISMATCH: "Werkgever op loonstrook wijkt af",
    FindingCode.DIPLOMA_OUTSIDE_PERIOD: "Diploma buiten de periode",
    FindingCode.LETTERHEAD_MISSING: "Briefhoofd ontbreekt",
    FindingCode.TRAINER_NAME_MISSING: "Naam opleider ontbreekt",
    FindingCode.SIGNED_TOO_EARLY: "Te vroeg ondertekend",
    FindingCode.SIGNED_TOO_LATE: "Te laat ondertekend",
    FindingCode.KVK_EXTRACT_TOO_OLD: "KvK-uittreksel te oud",
    FindingCode.SIGNATORY_NOT_ON_KVK: "Ondertekenaar niet in KvK",
    FindingCode.DIGITAL_SIGNATURE_INVALID: "Digitale handtekening ongeldig",
    FindingCode.TAMPERING_SUSPECTED: "Vermoeden van bewerking",
    FindingCode.CHECK_FAILED: "Controle mislukt",
    FindingCode.ACTIVE_CONTENT: "Actieve inhoud in PDF",
    FindingCode.FIELD_NOT_FOUND: "Gegeven niet gevonden",
}


def finding_label(code: str) -> str:
    """The Dutch label of `code`; an unknown code (an older row) is shown as it is."""
    try:
        return FINDING_LABELS[FindingCode(code)]
    except ValueError:
        return code
