"""The back office's workbook: three sheets with frozen, filtered headers that print on A4
landscape; Registraties with organisation and participant, Bevindingen with one row per
registration and finding code (a plain filter on one code) beside the registration's verdict,
Documenten; the verdict words of the web app, Dutch finding labels, texts never turned into
formulas. The printout itself is checked in tests/test_export_xlsx_print.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from core.enums import FindingCode, Slot, TextSource, Verdict
from core.report import InputProblem, Report, ReportDocument, ReportField, ReportRegistration
from core.words import VERDICT_WORDS
from outputs.xlsx import CODE, DOCUMENT_COLUMNS, FINDING_COLUMNS, REGISTRATION_COLUMNS, write_xlsx
from outputs.xlsx_sheet import MAX_TOTAL_WIDTH, wrapped_lines
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
                    factories.finding(
                        FindingCode.SIGNATURES_MISSING,
                        "Er staan 2 van de 3 handtekeningen op de praktijkovereenkomst.",
                        document_id="f6e5d4c3b2a1",
                        page=1,
                        slot=Slot.LOONSTROOK_START,
                        file="docs/loonstrook_start.jpg",
                    ),
                ],
                documents=[pok, payslip],
                organisatie="Stichting De Wielewaal",
                deelnemer="Zoë de Groot",
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
                organisatie="Kinderopvang Het Gastenhuis",
                deelnemer="Jan-Willem van der Heijden",
            ),
            ReportRegistration(
                registratie_id="R0009999",
                verdict=Verdict.APPROVE,
                documents=[clean],
                organisatie="Stichting De Wielewaal",
                deelnemer="Liv Dennenberg",
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


SHEETS = {
    "Registraties": REGISTRATION_COLUMNS,
    "Bevindingen": FINDING_COLUMNS,
    "Documenten": DOCUMENT_COLUMNS,
}


def test_three_sheets_with_frozen_bold_filtered_headers(workbook_path: Path) -> None:
    workbook = load_workbook(workbook_path)
    assert workbook.sheetnames == list(SHEETS)
    rows = {"Registraties": 5, "Bevindingen": 6, "Documenten": 5}
    for name, columns in SHEETS.items():
        sheet = workbook[name]
        last = get_column_letter(len(columns))
        assert [cell.value for cell in sheet[1]] == [c.header for c in columns]
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:{last}{rows[name]}"
        assert sheet.max_row == rows[name]
        assert all(cell.font.bold for cell in sheet[1])


def test_every_sheet_is_set_up_for_a4_landscape_one_page_wide(workbook_path: Path) -> None:
    for sheet in load_workbook(workbook_path):
        setup = sheet.page_setup
        assert (setup.paperSize, setup.orientation) == (9, "landscape")  # 9: A4
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows == "$1:$1"  # the header on every page
        assert "&A" in sheet.oddFooter.center.text  # the sheet's name under every page


@pytest.mark.parametrize("name", SHEETS)
def test_columns_fit_the_width_that_prints_at_8_pt(name: str) -> None:
    """The widths add up to what prints one page wide at 8 pt in the widest font a viewer may
    use; a column that does not wrap is wide enough for its header and every value it holds."""
    columns = SHEETS[name]
    assert sum(c.width for c in columns) <= MAX_TOTAL_WIDTH
    assert all(len(word) <= c.width * 1.2 for c in columns for word in c.header.split())
    assert max(len(code.value) for code in FindingCode) <= CODE
    assert all(c.wrap for c in columns if c.header in WRAPPED_TEXTS)


WRAPPED_TEXTS = {"Organisatie", "Deelnemer", "Melding", "Document", "Document-ID", "Bestand"}


def test_registration_rows_name_organisation_participant_verdict_and_labels(
    workbook_path: Path,
) -> None:
    sheet = load_workbook(workbook_path)["Registraties"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows[0] == (
        "R0001234",
        "Stichting De Wielewaal",
        "Zoë de Groot",
        "Afwijzen",
        3,
        1,
        2,
        "Crebo wijkt af\nHandtekening ontbreekt\nOpleiding wijkt af",
        "CREBO_MISMATCH\nSIGNATURES_MISSING\nEDUCATION_MISMATCH",
    )
    assert rows[1][:7] == (
        "R0005678", "Kinderopvang Het Gastenhuis", "Jan-Willem van der Heijden", "Beoordelen",
        0, 1, 1,
    )  # fmt: skip
    assert rows[2][3:] == ("Goedkeuren", 0, 0, 1, None, None)
    assert rows[3][:4] == ("R0000042", None, None, "Afwijzen")  # an older report: no names
    colours = [sheet.cell(row=r, column=4).fill.fgColor.rgb[-6:] for r in range(2, 6)]
    assert colours == ["FFC7CE", "FFEB9C", "C6EFCE", "FFC7CE"]


def test_verdict_words_are_the_web_apps(workbook_path: Path) -> None:
    workbook = load_workbook(workbook_path)
    words = {
        row[0]: row[3]
        for name in ("Registraties", "Bevindingen")
        for row in workbook[name].iter_rows(min_row=2, values_only=True)
    }
    report = sample_report()
    for entry in report.registrations:
        assert words[entry.registratie_id] == VERDICT_WORDS[entry.verdict]
    assert not any("afkeuren" in str(v).lower() for v in words.values())


def test_findings_are_one_row_per_registration_and_code(workbook_path: Path) -> None:
    sheet = load_workbook(workbook_path)["Bevindingen"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    pairs = [(row[0], row[4]) for row in rows]
    expected = [
        (entry.registratie_id, code.value)
        for entry in sample_report().registrations
        for code in dict.fromkeys(f.code for f in entry.all_findings)
    ]
    assert pairs == expected and len(set(pairs)) == len(pairs)
    assert all(row[4] in {code.value for code in FindingCode} for row in rows)  # one code a cell
    assert rows[0] == (
        "R0001234",
        "Stichting De Wielewaal",
        "Zoë de Groot",
        "Afwijzen",
        "CREBO_MISMATCH",
        "Fout",
        "Crebonummer 25498 op de praktijkovereenkomst wijkt af van 25491.",
        "docs/café_pok.pdf, p. 1",
        "a1b2c3d4e5f6",
        "25491",
        "25498",
    )
    # two findings of one code: one row, their documents one a line, the same message once
    signatures = rows[1]
    assert signatures[4:9] == (
        "SIGNATURES_MISSING",
        "Fout",
        "Er staan 2 van de 3 handtekeningen op de praktijkovereenkomst.",
        "docs/café_pok.pdf\ndocs/loonstrook_start.jpg, p. 1",
        "f6e5d4c3b2a1",
    )
    assert rows[2][5] == "Waarschuwing" and rows[2][6] == SCRIPT_MESSAGE
    assert rows[2][7] == "p. 2"  # a page, no file
    assert rows[4][7] == FORMULA_FILE  # the file a finding names, as it is
    formula = sheet.cell(row=6, column=8)
    assert formula.value == FORMULA_FILE and formula.data_type == "s"
    severity = [sheet.cell(row=r, column=6).fill.fgColor.rgb[-6:] for r in range(2, 6)]
    assert severity == ["FFC7CE", "FFC7CE", "FFEB9C", "FFEB9C"]


def test_filtering_bevindingen_on_one_code_lists_each_registration_with_it_once(
    workbook_path: Path,
) -> None:
    """What Excel's filter does with one code ticked: keep the rows whose cell equals it."""
    rows = list(load_workbook(workbook_path)["Bevindingen"].iter_rows(min_row=2, values_only=True))
    for code in FindingCode:
        kept = [row[0] for row in rows if row[4] == code.value]
        having = [
            e.registratie_id
            for e in sample_report().registrations
            if any(f.code is code for f in e.all_findings)
        ]
        assert kept == having


def test_a_missing_document_is_named_by_its_slot(tmp_path: Path) -> None:
    finding = factories.finding(
        FindingCode.DOCUMENT_MISSING, "De loonstrook ontbreekt.", slot=Slot.LOONSTROOK_EIND
    )
    entry = ReportRegistration(registratie_id="R1", verdict=Verdict.REJECT, findings=[finding])
    path = tmp_path / "r.xlsx"
    write_xlsx(Report(registrations=[entry]), path)
    assert load_workbook(path)["Bevindingen"]["H2"].value == "vakje loonstrook_eind"


def test_document_rows_with_percent_confidences_and_the_whole_id(workbook_path: Path) -> None:
    sheet = load_workbook(workbook_path)["Documenten"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows[0] == (
        "R0001234", "docs/café_pok.pdf", "praktijkovereenkomst", "praktijkovereenkomst",
        0.97, 2, "tekstlaag", None, "a1b2c3d4e5f6",
    )  # fmt: skip
    assert rows[1][6:8] == ("OCR", 0.88)
    assert rows[2][1] == "docs/Zoë_diploma.pdf" and rows[2][6] == "gemengd"
    assert rows[3][3] is None
    assert sheet["E2"].number_format == "0%" and sheet["H3"].number_format == "0%"


def test_rows_are_tall_enough_for_their_wrapped_text(workbook_path: Path) -> None:
    sheet = load_workbook(workbook_path)["Bevindingen"]
    melding = [c.header for c in FINDING_COLUMNS].index("Melding")
    width = FINDING_COLUMNS[melding].width
    for row in range(2, sheet.max_row + 1):
        text = sheet.cell(row=row, column=melding + 1).value
        assert sheet.row_dimensions[row].height >= 15 * wrapped_lines(text, width)


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        (None, 10, 1),
        ("kort", 10, 1),
        ("een twee drie", 10, 2),  # "een twee" | "drie"
        ("a" * 25, 10, 3),  # a word longer than the line breaks
        ("een\ntwee", 40, 2),
        ("woord " + "b" * 12, 10, 3),  # "woord" | "bbbbbbbbbb" | "bb"
    ],
)
def test_wrapped_lines(text: str | None, width: float, lines: int) -> None:
    assert wrapped_lines(text, width) == lines


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
    assert workbook["Bevindingen"].auto_filter.ref == "A1:K1"
