"""Fields of a practice agreement (praktijkovereenkomst / BPV-overeenkomst) and a study
agreement (opleidingsovereenkomst): crebo, education, dates, BPV volume and the parties. A
school's proof of enrolment (bewijs van inschrijving) is read the same way, for its crebo,
education and start date only."""

from __future__ import annotations

import re

from core.enums import DocType
from core.fields import FieldName
from core.layout import DocumentText
from core.model import FieldValue, Hints
from extractors.doctypes.common import (
    crebo_field,
    education_field,
    iso_dates,
    labelled_date,
    labelled_text,
)
from extractors.parsers.labels import at_start, labelled, rest_of_line
from extractors.registry import extracts

EXTRACTOR = "extractors.agreement"
IC = re.IGNORECASE
_WHAT = r"(?: (?:van de )?(?:bpv|opleiding|praktijkovereenkomst|overeenkomst|inschrijving))?"

START = at_start(
    rf"(?:start|begin|aanvangs|ingangs)datum{_WHAT}|datum (?:van )?(?:start|aanvang|ingang){_WHAT}"
    r"|ingaande op|aanvang(?: bpv| opleiding)?"
)
END = at_start(
    rf"(?:eind|afloop)datum{_WHAT}|datum (?:van )?einde{_WHAT}|eindigt op"
    rf"|(?:beoogde|verwachte) einddatum{_WHAT}"
)
PERIOD = re.compile(
    r"(?:looptijd|periode|duur)(?: (?:van de )?(?:bpv|overeenkomst|opleiding))?", IC
)
VOLUME = at_start(
    r"(?:omvang|aantal|totaal)(?: van de)? "
    r"(?:bpv|praktijkuren|beroepspraktijkvorming|werkplekleren)"
    r"(?:[- ]?uren)?|bpv[- ]?(?:uren|omvang)|(?:aantal )?praktijkuren|uren bpv"
)
COMPANY = at_start(
    r"(?:naam )?leerbedrijf|(?:naam )?(?:bpv|erkend)[- ]?bedrijf|praktijkbiedende organisatie"
    r"|werkgever"
)
SCHOOL = at_start(r"(?:naam )?(?:onder ?wijsinstelling|school|hogeschool|instelling)")


def _volume(text: str) -> list[tuple[str, int, int]]:
    hits = rest_of_line(text)
    return [h for h in hits if re.search(r"\d", h[0])]


def period_dates(text: DocumentText) -> tuple[FieldValue | None, FieldValue | None]:
    """`Periode: 1 september 2024 t/m 31 augustus 2026` as start and end."""
    for hit in labelled(text, PERIOD, lambda s: [(s, 0, len(s))] if s.strip() else []):
        dates = list(iso_dates(hit.line.text[hit.start :]))
        if len(dates) >= 2:
            (v1, s1, e1), (v2, s2, e2) = dates[0], dates[1]
            base, line = hit.start, hit.line
            return (
                line.evidence(base + s1, base + e1, v1, EXTRACTOR, 0.9),
                line.evidence(base + s2, base + e2, v2, EXTRACTOR, 0.9),
            )
    return None, None


F = FieldName
AGREEMENT_FIELDS = (F.CREBO, F.OPLEIDING, F.STARTDATUM, F.EINDDATUM, F.LEERBEDRIJF,
                    F.ONDERWIJSINSTELLING, F.BPV_OMVANG)  # fmt: skip
ENROLMENT_FIELDS = (F.CREBO, F.OPLEIDING, F.STARTDATUM)


def extract(text: DocumentText, education: str | None = None) -> dict[str, FieldValue]:
    found = {
        F.CREBO: crebo_field(text, EXTRACTOR),
        F.OPLEIDING: education_field(text, EXTRACTOR, education),
        F.STARTDATUM: labelled_date(text, START, EXTRACTOR),
        F.EINDDATUM: labelled_date(text, END, EXTRACTOR),
        F.LEERBEDRIJF: labelled_text(text, COMPANY, EXTRACTOR, min_len=3),
        F.ONDERWIJSINSTELLING: labelled_text(text, SCHOOL, EXTRACTOR, min_len=3),
    }
    if found[F.STARTDATUM] is None or found[F.EINDDATUM] is None:
        start, end = period_dates(text)
        found[F.STARTDATUM] = found[F.STARTDATUM] or start
        found[F.EINDDATUM] = found[F.EINDDATUM] or end
    for hit in labelled(text, VOLUME, _volume):
        found[F.BPV_OMVANG] = hit.line.evidence(hit.start, hit.end, hit.value, EXTRACTOR, 0.9)
        break
    return {k: v for k, v in found.items() if v is not None}


@extracts(DocType.PRAKTIJKOVEREENKOMST, DocType.OPLEIDINGSOVEREENKOMST, produces=AGREEMENT_FIELDS)
def agreement_fields(text: DocumentText, hints: Hints) -> dict[str, FieldValue]:
    return extract(text, hints.education)


@extracts(DocType.BEWIJS_VAN_INSCHRIJVING, produces=ENROLMENT_FIELDS)
def enrolment_fields(text: DocumentText, hints: Hints) -> dict[str, FieldValue]:
    """Read as an agreement, keeping what a proof of enrolment states."""
    fields = extract(text, hints.education)
    return {k: v for k, v in fields.items() if k in ENROLMENT_FIELDS}
