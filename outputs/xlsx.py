"""The back office's spreadsheet of a batch report: `report.xlsx` beside `report.json`.

Three sheets, one row per registration, finding and document; Dutch headers; every sheet has a
bold frozen header row and an autofilter. Only what `Report` holds is written (never document
text, so never a BSN). Every text is written as a string, never as a formula, because file names
and messages come from uploads and a value starting with `=` must not run in Excel."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core.enums import Severity, Verdict
from core.report import Report
from outputs.html import (
    SEVERITY_LABEL,
    TEXT_SOURCE_LABEL,
    VERDICT_LABEL,
    finding_codes,
    severity_count,
)

log = logging.getLogger(__name__)

Cell = str | int | float | None

VERDICT_FILL = {
    Verdict.REJECT: PatternFill("solid", fgColor="FFC7CE"),
    Verdict.REVIEW: PatternFill("solid", fgColor="FFEB9C"),
    Verdict.APPROVE: PatternFill("solid", fgColor="C6EFCE"),
}
SEVERITY_FILL = {
    Severity.ERROR: VERDICT_FILL[Verdict.REJECT],
    Severity.WARNING: VERDICT_FILL[Verdict.REVIEW],
}
PERCENT = "0%"
MIN_WIDTH, MAX_WIDTH = 8, 60
NARROW = {"Document-ID": 18}  # a sha256 is kept whole in the cell but shown cut off
LINE_HEIGHT = 15  # points per line of wrapped text
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")

REGISTRATION_HEADERS = (
    "Registratie",
    "Oordeel",
    "Fouten",
    "Waarschuwingen",
    "Bevindingen",
    "Documenten",
)
FINDING_HEADERS = (
    "Registratie",
    "Code",
    "Ernst",
    "Melding",
    "Bestand",
    "Vakje",
    "Document-ID",
    "Pagina",
    "Verwacht",
    "Gevonden",
)
DOCUMENT_HEADERS = (
    "Registratie",
    "Bestand",
    "Vakje",
    "Documentsoort",
    "Zekerheid soort",
    "Pagina's",
    "Tekstbron",
    "OCR-zekerheid",
)


def write_xlsx(report: Report, path: Path) -> None:
    """Write `report` as a workbook with the sheets Registraties, Bevindingen and Documenten."""
    workbook = Workbook()
    registrations = workbook.active
    assert registrations is not None  # a new workbook always has one sheet
    registrations.title = "Registraties"
    _fill(registrations, REGISTRATION_HEADERS, _registration_rows(report))
    for row, entry in enumerate(report.registrations, start=2):
        registrations.cell(row=row, column=2).fill = VERDICT_FILL[entry.verdict]

    findings = workbook.create_sheet("Bevindingen")
    _fill(findings, FINDING_HEADERS, _finding_rows(report), wrap=("Melding",))
    row = 2
    for entry in report.registrations:
        for finding in entry.all_findings:
            findings.cell(row=row, column=3).fill = SEVERITY_FILL[finding.severity]
            row += 1

    documents = workbook.create_sheet("Documenten")
    _fill(documents, DOCUMENT_HEADERS, _document_rows(report))
    for column in (5, 8):
        for (cell,) in documents.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = PERCENT

    workbook.properties.title = "bewijscheck — rapport"
    workbook.properties.creator = f"bewijscheck {report.version}"
    workbook.properties.description = f"Gemaakt op {report.generated_at}"
    workbook.save(path)
    log.info("wrote %s", path)


def _registration_rows(report: Report) -> list[list[Cell]]:
    return [
        [
            entry.registratie_id,
            VERDICT_LABEL[entry.verdict],
            severity_count(entry.all_findings, Severity.ERROR),
            severity_count(entry.all_findings, Severity.WARNING),
            ", ".join(finding_codes(entry.all_findings)),
            len(entry.documents),
        ]
        for entry in report.registrations
    ]


def _finding_rows(report: Report) -> list[list[Cell]]:
    return [
        [
            entry.registratie_id,
            finding.code.value,
            SEVERITY_LABEL[finding.severity],
            finding.message,
            finding.file,
            finding.slot.value if finding.slot else None,
            finding.document_id,
            finding.page,
            finding.expected,
            finding.found,
        ]
        for entry in report.registrations
        for finding in entry.all_findings
    ]


def _document_rows(report: Report) -> list[list[Cell]]:
    return [
        [
            entry.registratie_id,
            doc.file,
            doc.slot.value,
            doc.doc_type.value if doc.doc_type else None,
            doc.doc_type_confidence,
            doc.pages,
            TEXT_SOURCE_LABEL[doc.text_source] if doc.text_source else None,
            doc.ocr_confidence,
        ]
        for entry in report.registrations
        for doc in entry.documents
    ]


def _fill(
    sheet: Worksheet,
    headers: Sequence[str],
    rows: list[list[Cell]],
    wrap: Sequence[str] = (),
) -> None:
    """Header row (bold, frozen, filtered, repeated on every printed page), data rows as plain
    values, column widths; printed landscape, one page wide."""
    bold = Font(name="Calibri", bold=True)
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=column, value=header)
        cell.font = bold
    widths = [len(header) for header in headers]
    for row_number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column)
            if isinstance(value, str):
                cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
                cell.data_type = "s"  # never a formula, whatever the text starts with
            else:
                cell.value = value
            cell.alignment = WRAP if headers[column - 1] in wrap else TOP
            widths[column - 1] = max(widths[column - 1], len(_shown(value)))
    widths = [
        min(max(width + 2, MIN_WIDTH), NARROW.get(header, MAX_WIDTH))
        for header, width in zip(headers, widths, strict=True)
    ]
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    wrapped = [headers.index(name) for name in wrap]
    for row_number, row in enumerate(rows, start=2):
        # Not every viewer sizes rows to wrapped text (LibreOffice doesn't): estimate it.
        lines = max((_lines(row[i], widths[i]) for i in wrapped), default=1)
        if lines > 1:
            sheet.row_dimensions[row_number].height = LINE_HEIGHT * lines
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"


def _lines(value: Cell, width: float) -> int:
    """Lines `value` takes in a wrapped column `width` characters wide (a little generous)."""
    return max(1, -(-len(_shown(value)) // max(int(width) - 4, 1)))


def _shown(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.0%}"
    return str(value)
