"""Fields of a practice agreement (praktijkovereenkomst / BPV-overeenkomst) and a study
agreement (opleidingsovereenkomst): crebo, education, dates, BPV volume and the parties."""

from __future__ import annotations

import re

from core.layout import DocumentText
from core.model import FieldValue
from extractors.doctypes.common import (
    crebo_field,
    education_field,
    iso_dates,
    labelled_date,
    labelled_text,
)
from extractors.parsers.labels import at_start, labelled, rest_of_line

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


def extract(text: DocumentText, education: str | None = None) -> dict[str, FieldValue]:
    found = {
        "crebo": crebo_field(text, EXTRACTOR),
        "opleiding": education_field(text, EXTRACTOR, education),
        "startdatum": labelled_date(text, START, EXTRACTOR),
        "einddatum": labelled_date(text, END, EXTRACTOR),
        "leerbedrijf": labelled_text(text, COMPANY, EXTRACTOR, min_len=3),
        "onderwijsinstelling": labelled_text(text, SCHOOL, EXTRACTOR, min_len=3),
    }
    if found["startdatum"] is None or found["einddatum"] is None:
        start, end = period_dates(text)
        found["startdatum"] = found["startdatum"] or start
        found["einddatum"] = found["einddatum"] or end
    for hit in labelled(text, VOLUME, _volume):
        found["bpv_omvang"] = hit.line.evidence(hit.start, hit.end, hit.value, EXTRACTOR, 0.9)
        break
    return {k: v for k, v in found.items() if v is not None}
