"""Explainable keyword evidence for the document type: phrases that mark a type, weighted, with
extra weight in the title area (the first lines). The report names the phrases that decided."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from core.enums import DocType

D = DocType

# (pattern, weight); negative weights count against the type.
KEYWORDS: dict[DocType, list[tuple[str, float]]] = {
    D.PRAKTIJKOVEREENKOMST: [
        (r"praktijkovereenkomst", 3.0),
        (r"beroepspraktijkvorming", 2.0),
        (r"\bbpv[- ]?overeenkomst", 3.0),
        (r"leerwerkovereenkomst", 3.0),
        (r"\bpok\b", 1.5),
        (r"omvang (?:van de )?bpv|bpv[- ]uren|aantal (?:praktijk|bpv)[- ]?uren", 1.5),
        (r"leerbedrijf", 1.0),
        (r"praktijkopleider", 0.5),
    ],
    D.OPLEIDINGSOVEREENKOMST: [
        (r"opleidingsovereenkomst|studieovereenkomst|onderwijsovereenkomst", 3.0),
        (r"\bduaal\b|duale (?:opleiding|route|variant)", 1.5),
        (r"hogeschool|\bhbo\b", 0.5),
    ],
    D.BEWIJS_VAN_INSCHRIJVING: [
        (r"bewijs van inschrijving|inschrijvingsbewijs|verklaring van inschrijving", 4.0),
        (r"staat ingeschreven|is ingeschreven", 2.0),
        (r"collegejaar|studiejaar", 0.5),
    ],
    D.LOONSTROOK: [
        (r"loonstrook|salarisstrook|loonspecificatie|salarisspecificatie", 4.0),
        (r"bruto ?loon|brutoloon|netto ?loon|te betalen|loonheffing", 1.5),
        (r"\bperiode\b", 0.5),
        (r"pensioenpremie|vakantiegeld|heffingskorting", 1.0),
    ],
    D.DIPLOMA: [
        (r"\bdiploma\b", 3.0),
        (r"heeft voldaan aan|is geslaagd|met goed gevolg", 2.0),
        (r"examencommissie", 1.0),
        (r"bewijs van deelname|deelnamebewijs|heeft deelgenomen", -2.0),
    ],
    D.BEWIJS_VAN_DEELNAME: [
        (r"bewijs van deelname|deelnamebewijs|verklaring van deelname", 4.0),
        (r"heeft deelgenomen|neemt deel|volgt (?:de )?opleiding", 1.5),
        (r"voortijdig|nog niet afgerond|loopt door", 1.0),
    ],
    D.PRESTATIEVERKLARING: [
        (r"prestatieverklaring", 4.0),
        (r"naam opleider|opleider|trainer", 1.0),
        (r"handtekening docent|docent", 1.0),
        (r"sectorplan ?plus", 1.0),
        (r"presentielijst|certificaat", -1.5),
    ],
    D.ARBEIDSOVEREENKOMST: [
        (r"arbeidsovereenkomst", 3.5),
        (r"proeftijd|arbeidsduur|cao\b|opzegtermijn|functie(?:omschrijving)?:", 1.5),
        (r"werkgever en werknemer|de werkgever|de werknemer", 1.0),
        (r"salaris(?:schaal)?|inschaling", 1.0),
    ],
    D.KVK_UITTREKSEL: [
        (r"uittreksel", 2.0),
        (r"handelsregister|kamer van koophandel|\bkvk\b", 2.0),
        (r"functionaris|bestuurder|bevoegdheid", 1.0),
        (r"rechtsvorm|vestigingsnummer|rsin", 1.0),
    ],
    D.ONBEKEND: [
        (r"presentielijst|aanwezigheidslijst", 3.0),
        (r"certificaat|certificate", 2.0),
        (r"factuur|offerte|geachte|met vriendelijke groet", 1.0),
    ],
}

TITLE_LINES = 6
TITLE_BONUS = 2.0
_COMPILED = {t: [(re.compile(p, re.IGNORECASE), w) for p, w in kws] for t, kws in KEYWORDS.items()}


@dataclass
class KeywordScore:
    score: float = 0.0
    evidence: list[str] = field(default_factory=list)


def keyword_scores(text: str) -> dict[DocType, KeywordScore]:
    """Weighted keyword score per type; phrases in the first lines count double."""
    lines = text.splitlines()
    title = "\n".join(lines[:TITLE_LINES])
    scores: dict[DocType, KeywordScore] = {t: KeywordScore() for t in DocType}
    for doc_type, patterns in _COMPILED.items():
        entry = scores[doc_type]
        for pattern, weight in patterns:
            found = pattern.search(text)
            if not found:
                continue
            bonus = TITLE_BONUS if weight > 0 and pattern.search(title) else 1.0
            entry.score += weight * bonus
            entry.evidence.append(found.group(0).lower())
    return scores
