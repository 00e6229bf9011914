"""Review logic without a web framework or a database: a reviewer's field corrections and
finding decisions applied on top of the machine's result, which itself is never changed.

A correction replaces one field's value (the machine's value, evidence and confidence stay
in the stored document) and the rules are run again for that registration, so the verdict
follows. An overruled finding no longer counts for the verdict but stays visible."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from core.enums import FindingCode, Verdict
from core.errors import CorrectionError
from core.manifest import ManifestEntry
from core.model import FieldValue, Finding, ProcessedDocument
from core.registration import Registration
from core.report import ReportRegistration, verdict
from extractors.parsers.dates import parse_date
from pipeline.assemble import assemble_report

# Findings that depend on the whole batch, not on this registration's documents: carried
# over from the machine's run when one registration's rules are run again.
BATCH_CODES = frozenset({FindingCode.DUPLICATE_PARTICIPANT})
REVIEWER = "reviewer"
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YES = {"ja", "j", "true", "1", "waar", "yes"}
_NO = {"nee", "n", "false", "0", "onwaar", "no"}


def finding_key(finding: Finding) -> str:
    """A stable name for a finding across re-runs: same code, document, slot and values."""
    parts = (
        finding.code.value,
        finding.document_id or finding.file or "",
        finding.slot.value if finding.slot else "",
        finding.expected or "",
        finding.found or "",
    )
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def coerce(old: Any, text: str) -> Any:
    """The reviewer's text as a value of the same kind as the machine's `old` value."""
    text = text.strip()
    if not text:
        raise CorrectionError("Vul een waarde in.")
    if isinstance(old, bool):
        if text.lower() in _YES:
            return True
        if text.lower() in _NO:
            return False
        raise CorrectionError("Vul 'ja' of 'nee' in.")
    if isinstance(old, int):
        if not text.isdigit():
            raise CorrectionError("Vul een heel getal in.")
        return int(text)
    if isinstance(old, date) or (isinstance(old, str) and _ISO.match(old)):
        parsed = parse_date(text)
        if parsed is None:
            raise CorrectionError("Vul een datum in, bijvoorbeeld 01-09-2025.")
        return parsed.isoformat()
    if isinstance(old, list | dict):
        raise CorrectionError("Dit veld kan niet met de hand worden aangepast.")
    return text


def corrected(processed: ProcessedDocument, corrections: Mapping[str, Any]) -> ProcessedDocument:
    """A copy of `processed` with the reviewer's values; the evidence (page, box, source text)
    of the machine's value is kept so the reviewer still sees where it was read."""
    if not corrections:
        return processed
    fields = dict(processed.fields)
    for name, value in corrections.items():
        old = fields.get(name)
        fields[name] = FieldValue(
            value=value,
            page=old.page if old else None,
            bbox=old.bbox if old else None,
            confidence=1.0,
            source_text=old.source_text if old else None,
            extractor=REVIEWER,
        )
    return processed.model_copy(update={"fields": fields})


@dataclass
class ReviewState:
    """What reviewers decided on one registration, latest decision per target."""

    corrections: dict[int, dict[str, Any]] = field(default_factory=dict)  # document → fields
    overruled: set[str] = field(default_factory=set)  # finding keys


@dataclass(frozen=True)
class Effective:
    """The registration as it stands after review: the re-run entry, the findings that still
    count, and the verdict from those."""

    entry: ReportRegistration
    active: list[Finding]
    overruled: list[Finding]
    verdict: Verdict


def effective_entry(
    registration: Registration,
    documents: Sequence[tuple[int, ManifestEntry, ProcessedDocument]],
    state: ReviewState,
    machine_findings: Iterable[Finding] = (),
) -> Effective:
    """Run the rules again for one registration over its documents (each `(id, entry,
    processed)`) with the reviewers' corrections; batch-wide findings of the machine's run
    (`machine_findings` with a code in BATCH_CODES) are carried over."""
    processed = [
        (entry, corrected(doc, state.corrections.get(doc_id, {})))
        for doc_id, entry, doc in documents
    ]
    carried = [f for f in machine_findings if f.code in BATCH_CODES]
    report = assemble_report(
        [registration], processed, extra_findings={registration.registratie_id: carried}
    )
    entry = report.registrations[0]
    active = [f for f in entry.all_findings if finding_key(f) not in state.overruled]
    overruled = [f for f in entry.all_findings if finding_key(f) in state.overruled]
    return Effective(entry, active, overruled, verdict(active, entry.documents))
