"""The back office's spreadsheet of a batch report: `report.xlsx` beside `report.json`.

Three sheets with Dutch headers: Registraties (one row per registration, with its organisation
and participant), Bevindingen (one row per registration and finding code, so that filtering on
one code is a plain filter choice, with the registration's verdict beside it) and Documenten.
Every sheet has a bold, frozen and filtered header row and prints on A4 landscape, one page
wide, at 8 pt or more (outputs/xlsx_sheet.py). Only what `Report` holds is written (never
document text, so never a BSN). Every text is written as a string, never as a formula, because
file names and messages come from uploads and a value starting with `=` must not run in Excel."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from core.enums import FindingCode, Severity, Verdict
from core.model import Finding
from core.report import Report, ReportRegistration
from outputs.labels import (
    SEVERITY_LABEL,
    TEXT_SOURCE_LABEL,
    VERDICT_LABEL,
    by_code,
    code_label,
    finding_codes,
    local_time,
    severity_count,
    worst_severity,
)
from outputs.xlsx_sheet import Cell, Column, fill_sheet

log = logging.getLogger(__name__)

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
# Widths in digits (outputs/xlsx_sheet.py): a code, a verdict or a header word never wraps; a
# name, message or document id wraps (a long word breaks between two characters).
CODE = 25.5  # PAYSLIP_EMPLOYER_MISMATCH, the longest code, in upper case
REGISTRATION_COLUMNS = (
    Column("Registratie", 10.5),
    Column("Organisatie", 20, wrap=True),
    Column("Deelnemer", 18, wrap=True),
    Column("Oordeel", 10.5),
    Column("Fouten", 7.5, centre=True),
    Column("Waarschuwingen", 16.5, centre=True),
    Column("Documenten", 12.5, centre=True),
    Column("Bevindingen", 27.5, wrap=True),
    Column("Codes", CODE, wrap=True),
)
FINDING_COLUMNS = (
    Column("Registratie", 10.5),
    Column("Organisatie", 11, wrap=True),
    Column("Deelnemer", 11, wrap=True),
    Column("Oordeel", 10.5),
    Column("Code", CODE),
    Column("Ernst", 12.5),
    Column("Melding", 21.5, wrap=True),
    Column("Document", 12.5, wrap=True),
    Column("Document-ID", 12.5, wrap=True),
    Column("Verwacht", 10.5, wrap=True),
    Column("Gevonden", 10.5, wrap=True),
)
DOCUMENT_COLUMNS = (
    Column("Registratie", 10.5),
    Column("Bestand", 25, wrap=True),
    Column("Vakje", 21),
    Column("Documentsoort", 21),
    Column("Zekerheid soort", 10, number_format=PERCENT, centre=True),
    Column("Pagina's", 9, centre=True),
    Column("Tekstbron", 10.5),
    Column("OCR-zekerheid", 14, number_format=PERCENT, centre=True),
    Column("Document-ID", 25, wrap=True),
)


def write_xlsx(report: Report, path: Path) -> None:
    """Write `report` as a workbook with the sheets Registraties, Bevindingen and Documenten."""
    workbook = Workbook()
    registrations = workbook.active
    assert registrations is not None  # a new workbook always has one sheet
    registrations.title = "Registraties"
    fill_sheet(registrations, REGISTRATION_COLUMNS, _registration_rows(report))
    verdicts = [entry.verdict for entry in report.registrations]
    _colour(registrations, "Oordeel", [VERDICT_FILL[v] for v in verdicts])

    findings = workbook.create_sheet("Bevindingen")
    groups = [
        (entry, code, group) for entry in report.registrations for code, group in by_code(entry)
    ]
    fill_sheet(findings, FINDING_COLUMNS, [_finding_row(*group) for group in groups])
    _colour(findings, "Oordeel", [VERDICT_FILL[entry.verdict] for entry, _, _ in groups])
    _colour(findings, "Ernst", [SEVERITY_FILL[worst_severity(group)] for _, _, group in groups])

    documents = workbook.create_sheet("Documenten")
    fill_sheet(documents, DOCUMENT_COLUMNS, _document_rows(report))

    workbook.properties.title = "bewijscheck — rapport"
    workbook.properties.creator = f"bewijscheck {report.version}"
    workbook.properties.description = f"Gemaakt op {local_time(report.generated_at)}"
    workbook.save(path)
    log.info("wrote %s", path)


def _colour(sheet: Worksheet, header: str, fills: list[PatternFill]) -> None:
    column = [cell.value for cell in sheet[1]].index(header) + 1
    for row, fill in enumerate(fills, start=2):
        sheet.cell(row=row, column=column).fill = fill


def _registration_rows(report: Report) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    for entry in report.registrations:
        codes = finding_codes(entry.all_findings)
        rows.append(
            [
                entry.registratie_id,
                entry.organisatie,
                entry.deelnemer,
                VERDICT_LABEL[entry.verdict],
                severity_count(entry.all_findings, Severity.ERROR),
                severity_count(entry.all_findings, Severity.WARNING),
                len(entry.documents),
                "\n".join(code_label(code) for code in codes) or None,
                "\n".join(code.value for code in codes) or None,
            ]
        )
    return rows


def _finding_row(entry: ReportRegistration, code: FindingCode, group: list[Finding]) -> list[Cell]:
    """The findings of one code in one registration as one row: their distinct messages,
    documents and values one a line."""
    return [
        entry.registratie_id,
        entry.organisatie,
        entry.deelnemer,
        VERDICT_LABEL[entry.verdict],
        code.value,
        SEVERITY_LABEL[worst_severity(group)],
        _lines(f.message for f in group),
        _lines(_document(f) for f in group),
        _lines(f.document_id for f in group),
        _lines(f.expected for f in group),
        _lines(f.found for f in group),
    ]


def _document(finding: Finding) -> str | None:
    """The file a finding is about, with its page; or the slot of a missing document."""
    if finding.file:
        return finding.file if finding.page is None else f"{finding.file}, p. {finding.page}"
    if finding.page is not None:
        return f"p. {finding.page}"
    return f"vakje {finding.slot.value}" if finding.slot else None


def _distinct(values: Iterable[str | None]) -> list[str]:
    return [v for v in dict.fromkeys(values) if v]


def _lines(values: Iterable[str | None]) -> str | None:
    return "\n".join(_distinct(values)) or None


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
            doc.document_id,
        ]
        for entry in report.registrations
        for doc in entry.documents
    ]
