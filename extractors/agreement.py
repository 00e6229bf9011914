"""Fields of a practice agreement (praktijkovereenkomst / BPV-overeenkomst) and a study
agreement (opleidingsovereenkomst): crebo, education, dates, BPV volume and the three parties."""

from __future__ import annotations

import re

from extractors.common import crebo_field, iso_dates, labelled_date, labelled_text
from extractors.labels import labelled
from pipeline.layout import DocumentText
from pipeline.model import FieldValue

EXTRACTOR = "extractors.agreement"
IC = re.IGNORECASE

START = re.compile(
    r"(?:start|begin|aanvangs|ingangs)datum"
    r"(?: (?:bpv|opleiding|praktijkovereenkomst|overeenkomst))?"
    r"|datum (?:van )?(?:start|aanvang|ingang)|ingaande op|aanvang(?: bpv| opleiding)?",
    IC,
)
END = re.compile(
    r"einddatum(?: (?:bpv|opleiding|praktijkovereenkomst|overeenkomst))?|datum (?:van )?einde"
    r"|eindigt op|(?:beoogde|verwachte) einddatum",
    IC,
)
PERIOD = re.compile(
    r"(?:looptijd|periode|duur)(?: (?:van de )?(?:bpv|overeenkomst|opleiding))?", IC
)
EDUCATION = re.compile(
    r"(?:naam )?(?:opleiding|kwalificatie|beroepsopleiding|studie)(?: ?naam)?(?=\s*:)", IC
)
VOLUME = re.compile(
    r"(?:omvang|aantal|totaal)(?: van de)? (?:bpv|praktijk|beroepspraktijkvorming)[- ]?(?:uren)?"
    r"|bpv[- ]?(?:uren|omvang)|(?:aantal )?praktijkuren|uren bpv",
    IC,
)
HOURS = re.compile(r"(\d{1,4}(?:[.,]\d{3})?)\s*(?:klokuren|uren|uur)\b(?:[^\n]{0,40})", IC)
COMPANY = re.compile(
    r"leerbedrijf|(?:naam )?(?:bpv|erkend)[- ]?bedrijf|praktijkbiedende organisatie", IC
)
SCHOOL = re.compile(
    r"onderwijsinstelling|(?:naam )?(?:school|instelling|onderwijsinstituut)(?=\s*:)"
    r"|hogeschool(?=\s*:)",
    IC,
)


def _hours(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(0).strip(), m.start(), m.end()) for m in HOURS.finditer(text)]


def period_dates(text: DocumentText) -> tuple[FieldValue | None, FieldValue | None]:
    """`Periode: 1 september 2024 t/m 31 augustus 2026` as start and end."""
    for hit in labelled(text, PERIOD, lambda s: [(s, 0, len(s))] if s.strip() else []):
        dates = list(iso_dates(hit.line.text[hit.start :]))
        if len(dates) >= 2:
            (v1, s1, e1), (v2, s2, e2) = dates[0], dates[1]
            base = hit.start
            line = hit.line
            return (
                line.evidence(base + s1, base + e1, v1, EXTRACTOR, 0.9),
                line.evidence(base + s2, base + e2, v2, EXTRACTOR, 0.9),
            )
    return None, None


def extract(text: DocumentText) -> dict[str, FieldValue]:
    fields: dict[str, FieldValue] = {}
    found = {
        "crebo": crebo_field(text, EXTRACTOR),
        "opleiding": labelled_text(text, EDUCATION, EXTRACTOR, min_len=3),
        "startdatum": labelled_date(text, START, EXTRACTOR),
        "einddatum": labelled_date(text, END, EXTRACTOR),
        "leerbedrijf": labelled_text(text, COMPANY, EXTRACTOR, min_len=3),
        "onderwijsinstelling": labelled_text(text, SCHOOL, EXTRACTOR, min_len=3),
    }
    if found["startdatum"] is None or found["einddatum"] is None:
        start, end = period_dates(text)
        found["startdatum"] = found["startdatum"] or start
        found["einddatum"] = found["einddatum"] or end
    for hit in labelled(text, VOLUME, _hours, rows_below=1):
        found["bpv_omvang"] = hit.line.evidence(hit.start, hit.end, hit.value, EXTRACTOR, 0.9)
        break
    fields.update({k: v for k, v in found.items() if v is not None})
    return fields
