"""The reviewer's page of a batch report: `report.html` beside `report.json`.

One self-contained page in Dutch that works offline (inline CSS and script from
outputs/html_assets.py, allowed by hash; nothing loaded from elsewhere): the verdicts, an
overview of every registration that can be searched (name, R-number, organisation), filtered
(verdict, finding code) and sorted by any column, with the finding codes as Dutch labels (the
code in a tooltip); the findings per code; the skipped input rows; and each registration's
findings and documents folded under the overview. Without the script the overview is shown
whole and unsorted. The time is Dutch local time with its zone. Every value from the report is
escaped."""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Sequence
from html import escape
from pathlib import Path

from core.enums import Severity, Verdict
from core.report import InputProblem, Report, ReportDocument, ReportRegistration
from outputs.html_assets import CSP, CSS, JS
from outputs.labels import (
    SEVERITY_LABEL,
    TEXT_SOURCE_LABEL,
    VERDICT_LABEL,
    VERDICT_ORDER,
    by_code,
    code_counts,
    code_label,
    document_count,
    local_time,
    registrations_per_code,
    severity_count,
    verdict_counts,
    worst_severity,
)

log = logging.getLogger(__name__)

EMPTY = "—"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # not allowed in HTML text
TITLE = "bewijscheck — rapport"


def write_html(report: Report, path: Path) -> None:
    """Write `report` as one self-contained Dutch HTML page."""
    path.write_text(render_html(report), encoding="utf-8")
    log.info("wrote %s", path)


def render_html(report: Report) -> str:
    """The page as text."""
    body = [
        "<header>",
        f"<h1>{TITLE}</h1>",
        f'<p class="meta">Gemaakt op <time datetime="{_e(report.generated_at)}">'
        f"{_e(local_time(report.generated_at))}</time> · versie {_e(report.version)} · "
        f"{len(report.registrations)} registraties · {document_count(report)} documenten</p>",
        _verdicts(report),
        "</header>",
        "<main>",
        *_overview(report),
        *_code_summary(report),
        *_input_problems(report.input_problems),
        *_details(report.registrations),
        "</main>",
    ]
    return (
        "<!DOCTYPE html>\n"
        '<html lang="nl">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{TITLE}</title>\n"
        f"<style>{CSS}</style>\n</head>\n<body>\n" + "\n".join(body) + "\n"
        f"<script>{JS}</script>\n</body>\n</html>\n"
    )


def _verdicts(report: Report) -> str:
    items = "".join(
        f"<li>{_badge(verdict)} <strong>{count}</strong></li>"
        for verdict, count in verdict_counts(report).items()
    )
    return f'<ul class="verdicts summary-verdicts" aria-label="Oordelen">{items}</ul>'


# -- the overview -------------------------------------------------------------------------------

OVERVIEW_HEADERS = (
    ("Registratie", "text"),
    ("Organisatie", "text"),
    ("Deelnemer", "text"),
    ("Oordeel", "number"),
    ("Fouten", "number"),
    ("Waarschuwingen", "number"),
    ("Documenten", "number"),
    ("Bevindingen", "number"),
)


def _overview(report: Report) -> list[str]:
    parts = ['<h2 id="overzicht">Overzicht</h2>']
    if not report.registrations:
        return [*parts, '<p class="none">Geen registraties.</p>']
    parts.append(_filters(report))
    head = "".join(
        f'<th scope="col" data-type="{kind}" aria-sort="none"{_right(name, kind)}>'
        f'<button type="button">{name}</button></th>'
        for name, kind in OVERVIEW_HEADERS
    )
    rows = [_overview_row(n, entry) for n, entry in enumerate(report.registrations, start=1)]
    parts.append(
        '<table class="overview" id="overzicht-tabel" aria-describedby="aantal">\n'
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>"
    )
    return parts


def _right(name: str, kind: str) -> str:
    """The class of a column's header: numbers to the right, and as narrow as they can be
    (as the verdict); the verdict and the findings sort by number but show words."""
    if name == "Oordeel":
        return ' class="fit"'
    return ' class="num"' if kind == "number" and name != "Bevindingen" else ""


def _filters(report: Report) -> str:
    verdicts = "".join(
        f'<option value="{v.value}">{_e(VERDICT_LABEL[v])}</option>' for v in VERDICT_ORDER
    )
    per_code = registrations_per_code(report)
    ranked = sorted(per_code, key=lambda code: code_label(code).lower())
    codes = "".join(
        f'<option value="{code.value}">{_e(code_label(code))} ({per_code[code]})</option>'
        for code in ranked
    )
    return (
        '<form class="filters" id="filters" role="search" aria-label="Registraties filteren" '
        "hidden>"
        '<label for="zoek">Zoeken op naam, R-nummer of organisatie'
        '<input type="search" id="zoek" autocomplete="off"></label>'
        f'<label for="oordeel">Oordeel<select id="oordeel"><option value="">Alle oordelen'
        f"</option>{verdicts}</select></label>"
        f'<label for="bevinding">Bevinding<select id="bevinding"><option value="">Alle '
        f"bevindingen</option>{codes}</select></label>"
        '<button type="reset">Filters wissen</button>'
        "</form>"
        f'<p id="aantal" aria-live="polite">{len(report.registrations)} registraties</p>'
    )


def _overview_row(number: int, entry: ReportRegistration) -> str:
    groups = by_code(entry)
    labels = "".join(
        f'<li class="tag {_e(worst_severity(group).value)}" title="{_e(code.value)}">'
        f"{_e(code_label(code))}</li>"
        for code, group in groups
    )
    search = _fold(
        " ".join(filter(None, [entry.registratie_id, entry.organisatie, entry.deelnemer]))
    )
    cells = [
        f'<td><a href="#registratie-{number}">{_e(entry.registratie_id)}</a></td>',
        f"<td>{_e(entry.organisatie)}</td>",
        f"<td>{_e(entry.deelnemer)}</td>",
        f'<td data-value="{VERDICT_ORDER.index(entry.verdict)}">{_badge(entry.verdict)}</td>',
        f'<td class="num">{severity_count(entry.all_findings, Severity.ERROR)}</td>',
        f'<td class="num">{severity_count(entry.all_findings, Severity.WARNING)}</td>',
        f'<td class="num">{len(entry.documents)}</td>',
        f'<td data-value="{len(groups)}">'
        + (f'<ul class="labels">{labels}</ul>' if labels else EMPTY)
        + "</td>",
    ]
    codes = " ".join(code.value for code, _ in groups)
    return (
        f'<tr data-index="{number}" data-target="registratie-{number}" '
        f'data-verdict="{entry.verdict.value}" data-codes="{codes}" data-search="{_e(search)}">'
        + "".join(cells)
        + "</tr>"
    )


def _fold(text: str) -> str:
    """`text` in lower case without accents, as the page's search compares it."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


# -- summaries ----------------------------------------------------------------------------------


def _code_summary(report: Report) -> list[str]:
    parts = ['<h2 id="per-code">Bevindingen per code</h2>']
    codes = code_counts(report)
    if not codes:
        return [*parts, '<p class="none">Geen bevindingen.</p>']
    per_code = registrations_per_code(report)
    rows = [
        [
            f'<a href="#overzicht" data-code="{code.value}">{_e(code_label(code))}</a>',
            f"<code>{_e(code.value)}</code>",
            _severity(severity),
            _num(count),
            _num(per_code[code]),
        ]
        for code, severity, count in codes
    ]
    headers = ["Bevinding", "Code", "Ernst", "Aantal", "Registraties"]
    return [*parts, _table(headers, rows, css="narrow summary-codes")]


def _input_problems(problems: Sequence[InputProblem]) -> list[str]:
    parts = ['<h2 id="invoerproblemen">Invoerproblemen</h2>']
    if not problems:
        return [*parts, '<p class="none">Geen invoerproblemen.</p>']
    parts.append(
        f"<p>{len(problems)} invoerregel(s) overgeslagen; deze registraties zijn niet "
        "(volledig) gecontroleerd.</p>"
    )
    rows = [[_e(p.file), _num(p.line), _e(p.registratie_id), _e(p.reason)] for p in problems]
    parts.append(_table(["Bestand", "Regel", "Registratie", "Reden"], rows, css="input-problems"))
    return parts


# -- one registration ---------------------------------------------------------------------------


def _details(registrations: Sequence[ReportRegistration]) -> list[str]:
    if not registrations:
        return []
    parts = [
        '<h2 id="details">Details per registratie</h2>',
        '<p class="tools" hidden><button type="button" id="alles-open">Alles openklappen</button>'
        '<button type="button" id="alles-dicht">Alles dichtklappen</button></p>',
    ]
    for number, entry in enumerate(registrations, start=1):
        parts.extend(_registration(number, entry))
    return parts


def _registration(number: int, entry: ReportRegistration) -> list[str]:
    who = " · ".join(_e(v) for v in (entry.deelnemer, entry.organisatie) if v)
    findings = len(entry.all_findings)
    summary = (
        f'<span class="rid">{_e(entry.registratie_id)}</span> {_badge(entry.verdict)}'
        + (f" {who}" if who else "")
        + f" · {findings} bevinding{'' if findings == 1 else 'en'}"
    )
    parts = [
        f'<details class="registration" id="registratie-{number}">',
        f"<summary>{summary}</summary>",
        "<h3>Bevindingen</h3>",
    ]
    if entry.all_findings:
        rows = [
            [
                f"{_e(code_label(f.code))}<br><code>{_e(f.code.value)}</code>",
                _severity(f.severity),
                _e(f.message),
                _e(f.file),
                _num(f.page),
                _e(f.expected),
                _e(f.found),
            ]
            for f in entry.all_findings
        ]
        headers = ["Bevinding", "Ernst", "Melding", "Bestand", "Pagina", "Verwacht", "Gevonden"]
        parts.append(_table(headers, rows, css="findings"))
    else:
        parts.append('<p class="none">Geen bevindingen.</p>')
    parts.append("<h3>Documenten</h3>")
    if entry.documents:
        headers = ["Bestand", "Vakje", "Documentsoort", "Pagina's", "Tekstbron", "OCR-zekerheid"]
        parts.append(_table(headers, [_document(d) for d in entry.documents], css="documents"))
    else:
        parts.append('<p class="none">Geen documenten.</p>')
    parts.append("</details>")
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


# -- cells --------------------------------------------------------------------------------------


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], css: str) -> str:
    """A table of cells that are already escaped HTML; `headers` are our own Dutch words."""
    head = "".join(f'<th scope="col">{_e(h)}</th>' for h in headers)
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
    return f'<span class="badge {css}">{_e(VERDICT_LABEL[verdict])}</span>'


def _severity(severity: Severity) -> str:
    css = escape(severity.value)
    return f'<span class="badge {css}">{_e(SEVERITY_LABEL[severity])}</span>'
