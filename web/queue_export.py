"""The queue view as a file: every case that matches the reviewer's filters, in the view's
order (not only the page shown), as CSV (semicolons and a byte order mark, as Dutch Excel
opens it) or as an Excel workbook."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response, StreamingResponse
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from sqlalchemy.orm import Session

from core.finding_labels import finding_label
from review import queue
from web.auth import User, current_user
from web.ui import DECISIONS, VERDICTS, ZONE, label, when

STATES = {"open": "Open", "wacht": "Wacht op upload", **DECISIONS}
HEADER = (
    "Registratie",
    "Deelnemer",
    "Organisatie",
    "Oordeel machine",
    "Oordeel nu",
    "Bevindingen",
    "Codes",
    "Laagste zekerheid",
    "Staat",
    "In behandeling bij",
    "Bijgewerkt",
)
WIDTHS = (12, 26, 30, 16, 14, 50, 40, 10, 16, 18, 17)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

router = APIRouter(include_in_schema=False, dependencies=[Depends(current_user)])


def row_values(row: queue.QueueRow) -> list[Any]:
    case = row.case
    return [
        case.registratie_id,
        row.deelnemer,
        case.organisatie,
        label(case.machine_verdict, VERDICTS),
        label(case.verdict, VERDICTS),
        "; ".join(finding_label(code) for code in row.codes),
        " ".join(row.codes),
        round(case.min_confidence, 4),
        STATES.get(row.state, row.state),
        case.claimed_by or "",
        when(case.updated_at),
    ]


def _rows(request: Request, view: queue.QueueView, username: str) -> list[queue.QueueRow]:
    with Session(request.app.state.engine) as session:
        rows = queue.everything(session, view, username)
        session.expunge_all()
    return rows


def _name(extension: str) -> dict[str, str]:
    stamp = queue.repository.now().astimezone(ZONE).strftime("%Y%m%d-%H%M")
    return {"Content-Disposition": f'attachment; filename="werkvoorraad-{stamp}.{extension}"'}


def view_of(request: Request) -> queue.QueueView:
    return queue.QueueView.from_query(request.url.query)


@router.get("/werkvoorraad.csv")
def export_csv(request: Request, user: Annotated[User, Depends(current_user)]) -> Response:
    rows = _rows(request, view_of(request), user.username)

    def lines() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        buffer.write("\ufeff")
        writer.writerow(HEADER)
        for row in rows:
            values = row_values(row)
            values[7] = f"{values[7]:.4f}".replace(".", ",")  # Dutch decimal comma
            writer.writerow(values)
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
        yield buffer.getvalue()

    return StreamingResponse(lines(), media_type="text/csv; charset=utf-8", headers=_name("csv"))


@router.get("/werkvoorraad.xlsx")
def export_xlsx(request: Request, user: Annotated[User, Depends(current_user)]) -> Response:
    rows = _rows(request, view_of(request), user.username)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Werkvoorraad"
    sheet.append(HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row_values(row))
    for column, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    for cell in sheet["H"][1:]:
        cell.number_format = "0%"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    data = io.BytesIO()
    book.save(data)
    return Response(data.getvalue(), media_type=XLSX, headers=_name("xlsx"))
