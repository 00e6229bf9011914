"""report.xlsx on paper, checked for real: LibreOffice converts the workbook to PDF (as a back
office user printing every sheet would get it) and the PDF is read back. Every page is A4
landscape; no text on it is smaller than 8 pt; and no cell's text is cut off: for every sheet
and column, the text the PDF shows in that column, page after page, is exactly the text of the
column's cells (whitespace aside), so a code, a 64-character document id or a long message that
a column or a row is too small for would be missing. The report holds every finding code, the
longest names and messages, and sha256 document ids."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from core.enums import FindingCode, Slot, TextSource, Verdict
from core.report import Report, ReportDocument, ReportRegistration
from outputs.xlsx import DOCUMENT_COLUMNS, FINDING_COLUMNS, REGISTRATION_COLUMNS, write_xlsx
from outputs.xlsx_sheet import Cell
from tests import factories

OFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(OFFICE is None, reason="LibreOffice (soffice) not installed"),
]
A4_LANDSCAPE = (842, 595)  # points
MIN_SIZE = 8.0
SHEETS = {
    "Registraties": REGISTRATION_COLUMNS,
    "Bevindingen": FINDING_COLUMNS,
    "Documenten": DOCUMENT_COLUMNS,
}
LONG_MESSAGE = (
    "In het vakje praktijkovereenkomst is een arbeidsovereenkomst geüpload. Een "
    "arbeidsovereenkomst is geen praktijkovereenkomst: upload de praktijkovereenkomst "
    "(POK/BPV-overeenkomst) van de opleiding, ondertekend door student, leerbedrijf en school. "
    "Controleer ook of het crebonummer op pagina 2, de begindatum en de einddatum "
    "overeenkomen met de registratie in het portaal; pas anders de registratie aan."
)
ORGANISATIONS = [
    "Stichting Woonzorg De Lichtenvoorde en Omstreken",
    "Kinderopvang Het Gastenhuis",
    "Zorggroep Noorderlicht",
]
PARTICIPANTS = [
    "Jan-Willem van der Heijden-Oosterbroek",
    "Féline Feenstra",
    "Zoë de Groot",
]


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def print_report() -> Report:
    """Six registrations sharing every finding code between them (two findings of one code
    in one registration), with 64-character ids, long messages, names and file names."""
    codes = list(FindingCode)
    registrations = []
    for number in range(6):
        rid = f"R02100{number:02d}"
        documents = [
            ReportDocument(
                document_id=sha(f"{rid}{slot.value}"),
                file=f"docs/{rid.lower()}_{slot.value}_gescand_{number}.pdf",
                slot=slot,
                doc_type="bewijs_van_inschrijving" if number % 2 else "praktijkovereenkomst",
                doc_type_confidence=0.93,
                pages=2,
                text_source=TextSource.OCR if number % 2 else TextSource.TEXT_LAYER,
                ocr_confidence=0.87 if number % 2 else None,
            )
            for slot in (Slot.BEWIJS_VAN_INSCHRIJVING, Slot.LOONSTROOK_START)
        ]
        findings = [
            factories.finding(
                code,
                LONG_MESSAGE if index % 3 == 0 else f"Korte melding {index} over {code.value}.",
                document_id=documents[index % 2].document_id,
                file=documents[index % 2].file,
                page=1 + index % 2,
                expected="praktijkovereenkomst" if index % 2 else "2024-09-01",
                found="arbeidsovereenkomst" if index % 2 else None,
            )
            for index, code in enumerate(codes[number::6])
        ]
        if number == 0:  # a second finding of the same code, about the other document
            findings.append(
                factories.finding(
                    codes[0], "Nog een melding.", document_id=documents[1].document_id, page=2
                )
            )
        registrations.append(
            ReportRegistration(
                registratie_id=rid,
                verdict=[Verdict.REJECT, Verdict.REVIEW, Verdict.APPROVE][number % 3],
                findings=findings,
                documents=documents,
                organisatie=ORGANISATIONS[number % 3],
                deelnemer=PARTICIPANTS[number % 3],
            )
        )
    return Report(generated_at="2026-11-23T10:00:00Z", registrations=registrations)


@dataclass
class PrintedSheet:
    """What the PDF shows of one sheet: its pages' sizes and font sizes, and the text of each
    column, page after page, without whitespace."""

    pages: list[tuple[float, float]] = field(default_factory=list)
    smallest: list[float] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)


def _bare(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def _lines(chars: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    """`chars` as lines (top to bottom), each left to right."""
    line: list[dict[str, Any]] = []
    for char in sorted(chars, key=lambda c: c["top"]):
        if line and char["top"] - line[0]["top"] > 2:
            yield sorted(line, key=lambda c: c["x0"])
            line = []
        line.append(char)
    if line:
        yield sorted(line, key=lambda c: c["x0"])


def read_printout(pdf_path: Path) -> dict[str, PrintedSheet]:
    """Each page's sheet is told by its (bold, repeated) header row; a column's text is the
    text under its header, from its header's left edge to the next one's."""
    import pdfplumber

    sheets: dict[str, PrintedSheet] = {}
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            words = page.extract_words(x_tolerance=1.5, extra_attrs=["fontname"])
            bold = [w for w in words if "Bold" in w["fontname"]]
            titles = {w["text"] for w in bold}
            name = next(
                n for n, cols in SHEETS.items() if {_first(c.header) for c in cols} <= titles
            )
            sheet = sheets.setdefault(name, PrintedSheet())
            sheet.pages.append((round(page.width), round(page.height)))
            sheet.smallest.append(min(c["size"] for c in page.chars))
            columns = SHEETS[name]
            lefts = [next(w["x0"] for w in bold if w["text"] == _first(c.header)) for c in columns]
            header_bottom = max(w["bottom"] for w in bold)
            footer_top = max(w["top"] for w in words if w["text"] == "pagina")  # the lowest
            body = [
                c
                for c in page.chars
                if header_bottom < c["top"] < footer_top - 1 and "Bold" not in c["fontname"]
            ]
            for line in _lines(body):
                for char in line:
                    index = max(i for i, left in enumerate(lefts) if left <= char["x0"] + 2)
                    header = columns[index].header
                    sheet.columns[header] = sheet.columns.get(header, "") + char["text"]
    for sheet in sheets.values():
        sheet.columns = {header: _bare(text) for header, text in sheet.columns.items()}
    return sheets


def _first(header: str) -> str:
    return header.split()[0]


def _shown(value: Cell, number_format: str | None) -> str:
    if value is None:
        return ""
    if number_format == "0%" and isinstance(value, int | float):
        percent = Decimal(str(value)) * 100
        return f"{percent.quantize(Decimal(1), rounding=ROUND_HALF_UP)}%"  # as LibreOffice
    return str(value)


def cell_texts(workbook_path: Path) -> dict[str, dict[str, str]]:
    """Per sheet and column, the cells' texts one after another, without whitespace."""
    workbook = load_workbook(workbook_path)
    texts: dict[str, dict[str, str]] = {}
    for name, columns in SHEETS.items():
        rows = list(workbook[name].iter_rows(min_row=2, values_only=True))
        texts[name] = {
            column.header: _bare("".join(_shown(row[i], column.number_format) for row in rows))
            for i, column in enumerate(columns)
        }
    return texts


@pytest.fixture(scope="module")
def printout(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, PrintedSheet]]:
    folder = tmp_path_factory.mktemp("print")
    workbook = folder / "report.xlsx"
    write_xlsx(print_report(), workbook)
    assert OFFICE is not None
    subprocess.run(
        [
            OFFICE,
            f"-env:UserInstallation={(folder / 'lo-profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(workbook),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return workbook, read_printout(folder / "report.pdf")


def test_every_sheet_prints_on_a4_landscape_at_8_pt_or_more(
    printout: tuple[Path, dict[str, PrintedSheet]],
) -> None:
    _, sheets = printout
    assert list(sheets) == list(SHEETS)  # every sheet printed, in order
    for name, sheet in sheets.items():
        assert all(size == A4_LANDSCAPE for size in sheet.pages), (name, sheet.pages)
        assert min(sheet.smallest) >= MIN_SIZE, (name, sheet.smallest)
    print({name: (len(s.pages), round(min(s.smallest), 2)) for name, s in sheets.items()})


def test_no_cell_text_is_cut_off_in_print(printout: tuple[Path, dict[str, PrintedSheet]]) -> None:
    workbook, sheets = printout
    expected = cell_texts(workbook)
    for name, columns in expected.items():
        for header, text in columns.items():
            assert sheets[name].columns.get(header, "") == text, (name, header)
    report = print_report()
    printed = sheets["Bevindingen"].columns
    for entry in report.registrations:
        for finding in entry.all_findings:
            assert finding.code.value in printed["Code"]
            assert finding.document_id and finding.document_id in printed["Document-ID"]
