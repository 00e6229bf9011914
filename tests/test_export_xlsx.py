"""The back office's workbook: three sheets with frozen, filtered headers, one row per
registration, finding and document, verdicts coloured, texts never turned into formulas."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from core.enums import FindingCode, Slot, TextSource, Verdict
from core.report import InputProblem, Report, ReportDocument, ReportField, ReportRegistration
from outputs.xlsx import write_xlsx
from tests import factories

SCRIPT_MESSAGE = 'Opleiding <script>alert("zoë")</script> wijkt af & "één" is anders.'
FORMULA_FILE = '=HYPERLINK("http://x","klik")_loonstrook.pdf'
BSN = "111222333"


def sample_report() -> Report:
    """Four registrations (reject twice, review, approve), findings with and without a page
    and box, Dutch characters, a hostile message and file name, one skipped input row."""
    pok = ReportDocument(
        document_id="a1b2c3d4e5f6",
        file="docs/café_pok.pdf",
        slot=Slot.PRAKTIJKOVEREENKOMST,
        doc_type="praktijkovereenkomst",
        doc_type_confidence=0.97,
        pages=2,
        text_source=TextSource.TEXT_LAYER,
        ocr_confidence=None,
        fields={"crebo": ReportField(value="25498", page=1, confidence=0.95)},
    )
    payslip = ReportDocument(
        document_id="f6e5d4c3b2a1",
        file="docs/loonstrook_start.jpg",
        slot=Slot.LOONSTROOK_START,
        doc_type="loonstrook",
        doc_type_confidence=0.81,
        pages=1,
        text_source=TextSource.OCR,
        ocr_confidence=0.88,
        fields={"bsn_present": ReportField(value=False, confidence=0.9, source_text=f"BSN {BSN}")},
    )
    uncertain = ReportDocument(
        document_id="0a0b0c0d",
        file="docs/Zoë_diploma.pdf",
        slot=Slot.PRESTATIEBEWIJS,
        doc_type="onbekend",
        doc_type_confidence=0.41,
        pages=1,
        text_source=TextSource.MIXED,
        ocr_confidence=0.63,
    )
    clean = ReportDocument(
        document_id="99aa", file="docs/r9_pv.pdf", slot=Slot.PRESTATIEVERKLARING, pages=1
    )
    return Report(
        generated_at="2026-11-23T10:00:00Z",
        version="0.1.0",
        registrations=[
            ReportRegistration(
                registratie_id="R0001234",
                verdict=Verdict.REJECT,
                findings=[
                    factories.finding(
                        FindingCode.CREBO_MISMATCH,
                        "Crebonummer 25498 op de praktijkovereenkomst wijkt af van 25491.",
                        document_id="a1b2c3d4e5f6",
                        page=1,
                        bbox=[0.12, 0.30, 0.25, 0.33],
                        expected="25491",
                        found="25498",
                        slot=Slot.PRAKTIJKOVEREENKOMST,
                        file="docs/café_pok.pdf",
                    ),
                    factories.finding(
                        FindingCode.SIGNATURES_MISSING,
                        "Er staan 2 van de 3 handtekeningen op de praktijkovereenkomst.",
                        slot=Slot.PRAKTIJKOVEREENKOMST,
                        file="docs/café_pok.pdf",
                    ),
                    factories.finding(FindingCode.EDUCATION_MISMATCH, SCRIPT_MESSAGE, page=2),
                ],
                documents=[pok, payslip],
            ),
            ReportRegistration(
                registratie_id="R0005678",
                verdict=Verdict.REVIEW,
                findings=[
                    factories.finding(
                        FindingCode.DOC_TYPE_UNCERTAIN,
                        "Het soort document is niet zeker; controleer het prestatiebewijs.",
                        file="docs/Zoë_diploma.pdf",
                    )
                ],
                documents=[uncertain],
            ),
            ReportRegistration(
                registratie_id="R0009999", verdict=Verdict.APPROVE, documents=[clean]
            ),
            ReportRegistration(
                registratie_id="R0000042",
                verdict=Verdict.REJECT,
                findings=[
                    factories.finding(
                        FindingCode.DOCUMENT_MISSING,
                        "De loonstrook van de eerste maand ontbreekt; upload die alsnog.",
                        slot=Slot.LOONSTROOK_START,
                        file=FORMULA_FILE,
                    )
                ],
            ),
        ],
        input_problems=[
            InputProblem(
                file="registraties.csv",
                line=7,
                registratie_id="R0000777",
                reason="crebo '2549' heeft geen 5 cijfers; rij overgeslagen (één fout)",
            )
        ],
    )


@pytest.fixture
def workbook_path(tmp_path: Path) -> Path:
    path = tmp_path / "report.xlsx"
    write_xlsx(sample_report(), path)
    return path


def test_three_sheets_with_frozen_bold_filtered_headers(workbook_path: Path) -> None:
    workbook = load_workbook(workbook_path)
    assert workbook.sheetnames == ["Registraties", "Bevindingen", "Documenten"]
    expected = {"Registraties": ("F", 5), "Bevindingen": ("J", 6), "Documenten": ("H", 5)}
    for name, (last_column, rows) in expected.items():
        sheet = workbook[name]
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:{last_column}{rows}"
        assert sheet.max_row == rows
        assert all(cell.font.bold for cell in sheet[1])
        assert sheet.cell(row=1, column=1).value == "Registratie"
        assert all(8 <= sheet.column_dimensions[c.column_letter].width <= 60 for c in sheet[1])


def test_registration_rows_count_findings_and_colour_the_verdict(workbook_path: Path) -> None:
    sheet = load_workbook(workbook_path)["Registraties"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "Registratie", "Oordeel", "Fouten", "Waarschuwingen", "Bevindingen", "Documenten"
    )  # fmt: skip
    assert rows[1] == (
        "R0001234",
        "afkeuren",
        2,
        1,
        "CREBO_MISMATCH, SIGNATURES_MISSING, EDUCATION_MISMATCH",
        2,
    )
    assert rows[2] == ("R0005678", "beoordelen", 0, 1, "DOC_TYPE_UNCERTAIN", 1)
    assert rows[3] == ("R0009999", "goedkeuren", 0, 0, None, 1)
    assert rows[4] == ("R0000042", "afkeuren", 1, 0, "DOCUMENT_MISSING", 0)
    colours = [sheet.cell(row=r, column=2).fill.fgColor.rgb[-6:] for r in range(2, 6)]
    assert colours == ["FFC7CE", "FFEB9C", "C6EFCE", "FFC7CE"]


def test_finding_rows_keep_evidence_dutch_text_and_hostile_text_as_text(
    workbook_path: Path,
) -> None:
    sheet = load_workbook(workbook_path)["Bevindingen"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows[0] == (
        "R0001234",
        "CREBO_MISMATCH",
        "fout",
        "Crebonummer 25498 op de praktijkovereenkomst wijkt af van 25491.",
        "docs/café_pok.pdf",
        "praktijkovereenkomst",
        "a1b2c3d4e5f6",
        1,
        "25491",
        "25498",
    )
    assert rows[1][7] is None  # no page
    assert rows[2][2] == "waarschuwing" and rows[2][3] == SCRIPT_MESSAGE
    formula = sheet.cell(row=6, column=5)
    assert formula.value == FORMULA_FILE and formula.data_type == "s"


def test_document_rows_with_percent_confidences(workbook_path: Path) -> None:
    sheet = load_workbook(workbook_path)["Documenten"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows[0] == (
        "R0001234", "docs/café_pok.pdf", "praktijkovereenkomst", "praktijkovereenkomst",
        0.97, 2, "tekstlaag", None,
    )  # fmt: skip
    assert rows[1][6:] == ("OCR", 0.88)
    assert rows[2][1] == "docs/Zoë_diploma.pdf" and rows[2][6] == "gemengd"
    assert rows[3][3] is None
    assert sheet["E2"].number_format == "0%" and sheet["H3"].number_format == "0%"


def test_no_field_text_and_so_no_bsn_reaches_the_workbook(workbook_path: Path) -> None:
    workbook = load_workbook(workbook_path)
    values = [
        str(value)
        for sheet in workbook
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
    assert not any(BSN in value for value in values)


def test_empty_report_gives_header_only_sheets(tmp_path: Path) -> None:
    path = tmp_path / "leeg.xlsx"
    write_xlsx(Report(), path)
    workbook = load_workbook(path)
    assert [workbook[name].max_row for name in workbook.sheetnames] == [1, 1, 1]
    assert workbook["Bevindingen"].auto_filter.ref == "A1:J1"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="libreoffice not installed")
def test_libreoffice_converts_the_workbook_to_pdf(workbook_path: Path, tmp_path: Path) -> None:
    from pypdf import PdfReader

    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            "libreoffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "pdf"),
            str(workbook_path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "pdf" / "report.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "R0001234" in text and "afkeuren" in text
