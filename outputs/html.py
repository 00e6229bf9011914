"""The reviewer's page of a batch report: `report.html` beside `report.json`.

One self-contained page (inline CSS, no scripts, no external resources), in Dutch: a summary by
verdict and by finding code, the skipped input rows, then every registration with its findings
and documents. Every value from the report is escaped. Also home of the Dutch labels and counts
that the spreadsheet and the command line's summary share."""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from html import escape
from pathlib import Path

from core.enums import FindingCode, Severity, TextSource, Verdict
from core.model import Finding
from core.report import InputProblem, Report, ReportDocument, ReportRegistration

log = logging.getLogger(__name__)

VERDICT_ORDER = (Verdict.REJECT, Verdict.REVIEW, Verdict.APPROVE)
VERDICT_LABEL = {
    Verdict.REJECT: "afkeuren",
    Verdict.REVIEW: "beoordelen",
    Verdict.APPROVE: "goedkeuren",
}
SEVERITY_LABEL = {Severity.ERROR: "fout", Severity.WARNING: "waarschuwing"}
TEXT_SOURCE_LABEL = {
    TextSource.TEXT_LAYER: "tekstlaag",
    TextSource.OCR: "OCR",
    TextSource.MIXED: "gemengd",
}
EMPTY = "—"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # not allowed in HTML text


# -- counts shared with export_xlsx and the CLI -------------------------------------------------


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


def document_count(report: Report) -> int:
    return sum(len(entry.documents) for entry in report.registrations)


def severity_count(findings: Iterable[Finding], severity: Severity) -> int:
    return sum(1 for finding in findings if finding.severity is severity)


def finding_codes(findings: Iterable[Finding]) -> list[str]:
    """The distinct codes of `findings`, in order of first appearance."""
    return list(dict.fromkeys(finding.code.value for finding in findings))


# -- the page -----------------------------------------------------------------------------------

CSS = """
:root { --reject: #f8d0d4; --reject-ink: #8a1c24; --review: #fde9a8; --review-ink: #6b4e00;
  --approve: #cdeccf; --approve-ink: #1e5b25; --line: #d6d9de; --muted: #5b6270; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1f24;
  margin: 0 auto; padding: 1.5rem; max-width: 80rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .5rem; border-bottom: 2px solid var(--line); }
h3 { font-size: 1.05rem; margin: 1.5rem 0 .5rem; display: flex; gap: .6rem; align-items: center; }
h4 { font-size: .95rem; margin: .75rem 0 .25rem; color: var(--muted); }
.meta, .none { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: .25rem 0 .75rem; }
table.narrow { width: auto; min-width: 20rem; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left;
  vertical-align: top; }
th { background: #f1f3f5; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
code { font-size: .9em; }
.badge { display: inline-block; padding: .05rem .55rem; border-radius: 1rem; font-size: .85rem;
  font-weight: 600; }
.reject, .error { background: var(--reject); color: var(--reject-ink); }
.review, .warning { background: var(--review); color: var(--review-ink); }
.approve { background: var(--approve); color: var(--approve-ink); }
section.registration { border-top: 1px solid var(--line); }
@media print { body { padding: 0; max-width: none; } section.registration {
  break-inside: avoid-page; } a { color: inherit; text-decoration: none; } }
"""


def write_html(report: Report, path: Path) -> None:
    """Write `report` as one self-contained Dutch HTML page."""
    path.write_text(render_html(report), encoding="utf-8")
    log.info("wrote %s", path)


def render_html(report: Report) -> str:
    """The page as text."""
    body = [
        "<h1>bewijscheck — rapport</h1>",
        f'<p class="meta">Gemaakt op {_e(report.generated_at)} · versie {_e(report.version)} · '
        f"{len(report.registrations)} registraties · {document_count(report)} documenten</p>",
        *_summary(report),
        *_input_problems(report.input_problems),
        "<h2>Registraties</h2>",
    ]
    if not report.registrations:
        body.append('<p class="none">Geen registraties.</p>')
    for number, entry in enumerate(report.registrations, start=1):
        body.extend(_registration(number, entry))
    return (
        "<!DOCTYPE html>\n"
        '<html lang="nl">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>bewijscheck — rapport</title>\n"
        f"<style>{CSS}</style>\n</head>\n<body>\n<main>\n" + "\n".join(body) + "\n</main>\n"
        "</body>\n</html>\n"
    )


def _summary(report: Report) -> list[str]:
    verdicts = verdict_counts(report)
    rows = [[_badge(verdict), _num(count)] for verdict, count in verdicts.items()]
    rows.append(["<strong>Totaal</strong>", _num(sum(verdicts.values()))])
    parts = [
        "<h2>Samenvatting</h2>",
        "<h4>Oordeel</h4>",
        _table(["Oordeel", "Aantal"], rows, css="narrow summary-verdicts"),
        "<h4>Bevindingen per code</h4>",
    ]
    codes = code_counts(report)
    if codes:
        code_rows = [
            [f"<code>{_e(code.value)}</code>", _severity(severity), _num(count)]
            for code, severity, count in codes
        ]
        parts.append(_table(["Code", "Ernst", "Aantal"], code_rows, css="narrow summary-codes"))
    else:
        parts.append('<p class="none">Geen bevindingen.</p>')
    overview = [
        [
            f'<a href="#registratie-{number}">{_e(entry.registratie_id)}</a>',
            _badge(entry.verdict),
            _num(severity_count(entry.all_findings, Severity.ERROR)),
            _num(severity_count(entry.all_findings, Severity.WARNING)),
            _num(len(entry.documents)),
        ]
        for number, entry in enumerate(report.registrations, start=1)
    ]
    if overview:
        parts.append("<h4>Overzicht</h4>")
        headers = ["Registratie", "Oordeel", "Fouten", "Waarschuwingen", "Documenten"]
        parts.append(_table(headers, overview, css="narrow overview"))
    return parts


def _input_problems(problems: Sequence[InputProblem]) -> list[str]:
    parts = ["<h2>Invoerproblemen</h2>"]
    if not problems:
        return [*parts, '<p class="none">Geen invoerproblemen.</p>']
    parts.append(
        f"<p>{len(problems)} invoerregel(s) overgeslagen; deze registraties zijn niet "
        "(volledig) gecontroleerd.</p>"
    )
    rows = [[_e(p.file), _num(p.line), _e(p.registratie_id), _e(p.reason)] for p in problems]
    parts.append(_table(["Bestand", "Regel", "Registratie", "Reden"], rows, css="input-problems"))
    return parts


def _registration(number: int, entry: ReportRegistration) -> list[str]:
    parts = [
        f'<section class="registration" id="registratie-{number}">',
        f"<h3>{_e(entry.registratie_id)} {_badge(entry.verdict)}</h3>",
        "<h4>Bevindingen</h4>",
    ]
    if entry.all_findings:
        rows = [
            [
                f"<code>{_e(f.code.value)}</code>",
                _severity(f.severity),
                _e(f.message),
                _e(f.file),
                _num(f.page),
                _e(f.expected),
                _e(f.found),
            ]
            for f in entry.all_findings
        ]
        headers = ["Code", "Ernst", "Melding", "Bestand", "Pagina", "Verwacht", "Gevonden"]
        parts.append(_table(headers, rows, css="findings"))
    else:
        parts.append('<p class="none">Geen bevindingen.</p>')
    parts.append("<h4>Documenten</h4>")
    if entry.documents:
        headers = ["Bestand", "Vakje", "Documentsoort", "Pagina's", "Tekstbron", "OCR-zekerheid"]
        parts.append(_table(headers, [_document(d) for d in entry.documents], css="documents"))
    else:
        parts.append('<p class="none">Geen documenten.</p>')
    parts.append("</section>")
    return parts


def _document(doc: ReportDocument) -> list[str]:
    doc_type = _e(doc.doc_type.value if doc.doc_type else None)
    if doc.doc_type_confidence is not None:
        doc_type += f" ({_percent(doc.doc_type_confidence)})"
    return [
        _e(doc.file),
        _e(doc.slot.value),
        doc_type,
        _num(doc.pages),
        _e(TEXT_SOURCE_LABEL[doc.text_source] if doc.text_source else None),
        _percent(doc.ocr_confidence),
    ]


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], css: str) -> str:
    """A table of cells that are already escaped HTML; `headers` are our own Dutch words."""
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "\n".join("<tr>" + "".join(_td(cell) for cell in row) + "</tr>" for row in rows)
    return (
        f'<table class="{css}">\n<thead><tr>{head}</tr></thead>\n'
        f"<tbody>\n{body}\n</tbody>\n</table>"
    )


class _Num(str):
    """An escaped cell to be shown right-aligned."""


def _td(cell: str) -> str:
    return f'<td class="num">{cell}</td>' if isinstance(cell, _Num) else f"<td>{cell}</td>"


def _e(value: object) -> str:
    """An escaped value, or a dash for a missing one."""
    if value is None or value == "":
        return EMPTY
    return escape(_CONTROL.sub("", str(value)), quote=True)


def _num(value: int | None) -> str:
    """A right-aligned number cell."""
    return _Num(_e(value))


def _percent(value: float | None) -> str:
    return _Num(EMPTY if value is None else f"{round(value * 100)}%")


def _badge(verdict: Verdict) -> str:
    css = escape(verdict.value)
    return f'<span class="badge {css}" title="{css}">{_e(VERDICT_LABEL[verdict])}</span>'


def _severity(severity: Severity) -> str:
    css = escape(severity.value)
    return f'<span class="badge {css}">{_e(SEVERITY_LABEL[severity])}</span>'
