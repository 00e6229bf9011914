"""What report.xlsx, report.html and the command line's summary share: the Dutch words for
verdicts (core/words.py, as the web app shows them), severities, text sources and finding codes
(core/finding_labels.py), the report's time in Dutch local time, and counts over a report."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.enums import FindingCode, Severity, TextSource, Verdict
from core.finding_labels import finding_label
from core.model import Finding
from core.report import Report, ReportRegistration
from core.words import VERDICT_WORDS

VERDICT_ORDER = (Verdict.REJECT, Verdict.REVIEW, Verdict.APPROVE)
VERDICT_LABEL = VERDICT_WORDS
SEVERITY_LABEL = {Severity.ERROR: "Fout", Severity.WARNING: "Waarschuwing"}
TEXT_SOURCE_LABEL = {
    TextSource.TEXT_LAYER: "tekstlaag",
    TextSource.OCR: "OCR",
    TextSource.MIXED: "gemengd",
}
LOCAL_TIME = "%d-%m-%Y %H:%M %Z"  # the web app's day-month-year, with the zone (CET or CEST)


def _zone() -> tzinfo:
    try:
        return ZoneInfo("Europe/Amsterdam")
    except ZoneInfoNotFoundError:  # a container without tzdata: UTC, and it says so
        return UTC


ZONE = _zone()


def local_time(stamp: str) -> str:
    """A report's `generated_at` (ISO 8601, UTC) in Dutch local time with its zone shown, e.g.
    "23-11-2026 11:00 CET"; a stamp that is no ISO time is shown as it is."""
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(ZONE).strftime(LOCAL_TIME)


def code_label(code: FindingCode) -> str:
    """The short Dutch label of a finding code."""
    return finding_label(code.value)


def verdict_counts(report: Report) -> dict[Verdict, int]:
    """Registrations per verdict, every verdict present (reject, review, approve)."""
    counts = Counter(entry.verdict for entry in report.registrations)
    return {verdict: counts[verdict] for verdict in VERDICT_ORDER}


def code_counts(report: Report) -> list[tuple[FindingCode, Severity, int]]:
    """Findings per code with the code's severity, most frequent first."""
    counts: Counter[FindingCode] = Counter()
    severity: dict[FindingCode, Severity] = {}
    for entry in report.registrations:
        for finding in entry.all_findings:
            counts[finding.code] += 1
            severity.setdefault(finding.code, finding.severity)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0].value))
    return [(code, severity[code], count) for code, count in ranked]


def registrations_per_code(report: Report) -> dict[FindingCode, int]:
    """How many registrations have at least one finding of each code."""
    counts: Counter[FindingCode] = Counter()
    for entry in report.registrations:
        counts.update({finding.code for finding in entry.all_findings})
    return dict(counts)


def document_count(report: Report) -> int:
    return sum(len(entry.documents) for entry in report.registrations)


def severity_count(findings: Iterable[Finding], severity: Severity) -> int:
    return sum(1 for finding in findings if finding.severity is severity)


def finding_codes(findings: Iterable[Finding]) -> list[FindingCode]:
    """The distinct codes of `findings`, in order of first appearance."""
    return list(dict.fromkeys(finding.code for finding in findings))


def worst_severity(findings: Iterable[Finding]) -> Severity:
    """Error if any of `findings` (of one code) is an error, else warning."""
    errors = any(finding.severity is Severity.ERROR for finding in findings)
    return Severity.ERROR if errors else Severity.WARNING


def by_code(entry: ReportRegistration) -> list[tuple[FindingCode, list[Finding]]]:
    """A registration's findings grouped by code (registration × code), in order of first
    appearance."""
    groups: dict[FindingCode, list[Finding]] = {}
    for finding in entry.all_findings:
        groups.setdefault(finding.code, []).append(finding)
    return list(groups.items())
