"""One sheet of report.xlsx, laid out to be read on screen and printed: a bold header row that
is frozen, filtered and repeated on every printed page; fixed column widths so that a finding
code or a date is never cut and long texts (messages, names, a 64-character document id) wrap;
A4 landscape, one page wide, at a scale that keeps the printed text at 8 pt or more."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

Cell = str | int | float | None

FONT_SIZE = 11  # the workbook's (Calibri) size; printed at FONT_SIZE x the print scale
MIN_PRINTED_SIZE = 8.0
# A4 landscape is 297 mm wide; Excel's "narrow" margins leave 297 mm - 2 x 0.25 inch.
MARGIN_INCH = 0.25
PRINTABLE_POINTS = (297 / 25.4 - 2 * MARGIN_INCH) * 72
# A column's width is counted in digits of the default font. Calibri 11's digit is 5.25 pt, but
# a viewer without Calibri uses a wider font (LibreOffice without Carlito: DejaVu Sans, whose
# digit is 7 pt; a width of w prints about w x 7.1 pt wide): the widths are chosen for that
# font, so that every viewer prints them one page wide at MIN_PRINTED_SIZE or more.
POINTS_PER_WIDTH = 7.1
# The scale that fits the width is a whole percentage, and LibreOffice takes 2 % off it when
# that saves a page (tdf#103516): ask for that much more, and a percent for rounding.
LEAST_FIT_SCALE = MIN_PRINTED_SIZE / FONT_SIZE / 0.98 + 0.02
MAX_TOTAL_WIDTH = PRINTABLE_POINTS / LEAST_FIT_SCALE / POINTS_PER_WIDTH
# Characters a wrapped line holds in a column w wide, estimated low so that the row heights we
# set hold the text in the wider font too (a row that is too low cuts its text off).
CHARACTERS_PER_WIDTH = 1.0
LINE_HEIGHT = 15.0  # points a line of Calibri 11 takes

WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
CENTRE = Alignment(horizontal="center", vertical="top")
HEADER_FONT = Font(name="Calibri", size=FONT_SIZE, bold=True)
FOOTER = "&A — pagina &P"


@dataclass(frozen=True)
class Column:
    """A column: its Dutch header, its width in digits, whether its text wraps, its number
    format (e.g. percentages) and whether it is centred."""

    header: str
    width: float
    wrap: bool = False
    number_format: str | None = None
    centre: bool = False  # counts and percentages, apart from the texts beside them


def fill_sheet(sheet: Worksheet, columns: Sequence[Column], rows: Sequence[Sequence[Cell]]) -> None:
    """Write the header and `rows` (plain values: a text is never a formula) and set the sheet
    up for the screen and for print. The columns' widths add up to MAX_TOTAL_WIDTH at most
    (tests/test_export_xlsx.py holds every sheet to it)."""
    for number, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=number, value=column.header)
        cell.font = HEADER_FONT
        cell.alignment = WRAP
        sheet.column_dimensions[get_column_letter(number)].width = column.width
    # a header word is never wider than its column (widths are chosen so): count its lines
    # with a little more room than a cell's text gets
    header_lines = max(wrapped_lines(c.header, c.width * 1.2) for c in columns)
    sheet.row_dimensions[1].height = LINE_HEIGHT * header_lines + 2
    for row_number, row in enumerate(rows, start=2):
        lines = 1
        for number, (column, value) in enumerate(zip(columns, row, strict=True), start=1):
            cell = sheet.cell(row=row_number, column=number)
            if isinstance(value, str):
                cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
                cell.data_type = "s"  # never a formula, whatever the text starts with
            else:
                cell.value = value
            cell.alignment = WRAP if column.wrap else CENTRE if column.centre else TOP
            if column.number_format:
                cell.number_format = column.number_format
            if column.wrap:
                lines = max(lines, wrapped_lines(value, column.width))
        # Not every viewer sizes a row to its wrapped text (LibreOffice keeps the height it is
        # given): set it, a little generously.
        sheet.row_dimensions[row_number].height = LINE_HEIGHT * lines + 2
    last = get_column_letter(len(columns))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
    _print_setup(sheet)


def _print_setup(sheet: Worksheet) -> None:
    """A4 landscape, narrow margins, one page wide and as many pages tall as needed, the header
    row on every page, the sheet's name and the page number in the footer."""
    sheet.print_title_rows = "1:1"
    setup = sheet.page_setup
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.orientation = sheet.ORIENTATION_LANDSCAPE
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins = PageMargins(
        left=MARGIN_INCH, right=MARGIN_INCH, top=0.6, bottom=0.6, header=0.3, footer=0.3
    )
    sheet.print_options.gridLines = True
    sheet.oddFooter.center.text = FOOTER
    sheet.oddFooter.center.size = FONT_SIZE  # scaled with the sheet, as large as its text


def wrapped_lines(value: Cell, width: float) -> int:
    """Lines `value` takes wrapped in a column `width` characters wide (estimated by words)."""
    if value is None:
        return 1
    per_line = max(int(width * CHARACTERS_PER_WIDTH), 1)
    lines = 0
    for paragraph in str(value).split("\n"):
        length = 0
        lines += 1
        for word in paragraph.split(" "):
            needed = len(word) if length == 0 else length + 1 + len(word)
            if needed <= per_line:
                length = needed
                continue
            # the word starts a new line (and a word longer than a line is broken)
            if length:
                lines += 1
            lines += (len(word) - 1) // per_line
            length = len(word) % per_line or per_line
    return lines
