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

from core.enums import DocType, FindingCode, Verdict
from core.errors import CorrectionError
from core.fields import EVERY_TYPE, FIELD_SPECS, FieldName, ValueKind, carried_by
from core.manifest import ManifestEntry
from core.model import ClassifiedType, FieldValue, Finding, ProcessedDocument
from core.registration import Registration
from core.report import ReportRegistration, verdict
from extractors.parsers.dates import find_months, parse_date
from pipeline.assemble import assemble_report

# Findings that depend on the whole batch, not on this registration's documents: carried
# over from the machine's run when one registration's rules are run again.
BATCH_CODES = frozenset({FindingCode.DUPLICATE_PARTICIPANT})
REVIEWER = "reviewer"
# A correction of the document's type is stored as a correction of this pseudo-field, its
# value {"type": <DocType value>}.
DOC_TYPE = "doc_type"
# What a reviewer can type in: a value of these kinds is one line of text.
TYPED_KINDS = frozenset(
    {
        ValueKind.DATE,
        ValueKind.MONTH,
        ValueKind.TEXT,
        ValueKind.CODE,
        ValueKind.PERSON,
        ValueKind.ORGANISATION,
        ValueKind.NUMBER,
        ValueKind.BOOL,
        ValueKind.NAMES,
    }
)
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


def kind_of(field: str) -> ValueKind | None:
    """The kind of a canonical field's value (None: not a canonical field)."""
    try:
        return FIELD_SPECS[FieldName(field)].kind
    except ValueError:
        return None


def editable(field: str, machine: Any = None) -> bool:
    """Whether a reviewer can type this field's value (a list of marks or records cannot)."""
    kind = kind_of(field)
    if kind is not None:
        return kind in TYPED_KINDS
    return not isinstance(machine, list | dict)


def coerce_field(field: str, machine: Any, text: str) -> Any:
    """The reviewer's text for `field` as a value of the field's kind (a canonical field, also
    one the machine did not read), else of the same kind as the machine's value."""
    kind = kind_of(field)
    if kind is None:
        return coerce(machine, text)
    stripped = text.strip()
    if not stripped:
        raise CorrectionError("Vul een waarde in.")
    if kind not in TYPED_KINDS:
        raise CorrectionError("Dit veld kan niet met de hand worden aangepast.")
    if kind is ValueKind.MONTH:
        months = find_months(stripped)
        if len(months) != 1 or months[0].text.strip() != stripped.rstrip(" .,;"):
            raise CorrectionError("Vul een maand in, bijvoorbeeld 05-2024 of mei 2024.")
        return months[0].iso
    if kind is ValueKind.NAMES:
        return [name.strip() for name in stripped.split(",") if name.strip()]
    example = {ValueKind.DATE: "2025-01-01", ValueKind.NUMBER: 0, ValueKind.BOOL: False}
    return coerce(example.get(kind, ""), stripped)


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
    update: dict[str, Any] = {}
    fields = dict(processed.fields)
    retyped = corrections.get(DOC_TYPE)
    if isinstance(retyped, dict):
        update["classified"] = ClassifiedType(
            doc_type=DocType(retyped["type"]), confidence=1.0, evidence=[REVIEWER]
        )
        # the machine's fields the new type carries, and those every document has
        carried = carried_by(DocType(retyped["type"]))
        fields = {n: v for n, v in fields.items() if _everywhere(n) or n in carried}
    for name, value in corrections.items():
        if name == DOC_TYPE:
            continue
        old = fields.get(name)
        fields[name] = FieldValue(
            value=value,
            page=old.page if old else None,
            bbox=old.bbox if old else None,
            confidence=1.0,
            source_text=old.source_text if old else None,
            extractor=REVIEWER,
        )
    update["fields"] = fields
    return processed.model_copy(update=update)


def _everywhere(name: str) -> bool:
    """A field every document type carries (signatures, logo, stamp, integrity)."""
    try:
        return FIELD_SPECS[FieldName(name)].types == EVERY_TYPE
    except ValueError:
        return False


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
