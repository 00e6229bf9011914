"""Admin pages: the whole audit log (filtered by user, action, registration and a period of
local dates, and exported as CSV with the same filters) and the list of users. Reviewers get
403."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response, StreamingResponse
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from core.file_names import mask_bsn
from store.review_tables import AuditRow, UserRow
from web.auth import require_admin
from web.csrf import csrf_protect
from web.ui import ACTIONS, ZONE, compact, label, render, when

PAGE_SIZE = 50
CSV_HEADER = ("Tijdstip", "Gebruiker", "Actie", "Registratie", "Onderwerp", "Voor", "Na", "Reden")

router = APIRouter(
    include_in_schema=False, dependencies=[Depends(require_admin), Depends(csrf_protect)]
)


def _start_of(day: date) -> datetime:
    """Midnight of a Dutch local date, in UTC (as the audit log stores its times)."""
    return datetime.combine(day, time(0), tzinfo=ZONE).astimezone(UTC)


class AuditFilters:
    def __init__(
        self,
        gebruiker: Annotated[str, Query(max_length=64)] = "",
        actie: Annotated[str, Query(max_length=32)] = "",
        registratie: Annotated[str, Query(max_length=64)] = "",
        van: date | None = None,
        tot: date | None = None,
    ) -> None:
        self.values: dict[str, Any] = {
            "gebruiker": gebruiker,
            "actie": actie,
            "registratie": registratie,
            "van": van.isoformat() if van else "",
            "tot": tot.isoformat() if tot else "",
        }
        self.where: list[ColumnElement[bool]] = []
        if gebruiker:
            self.where.append(AuditRow.username == gebruiker)
        if actie:
            self.where.append(AuditRow.action == actie)
        if registratie:
            self.where.append(AuditRow.registratie_id == registratie)
        if van:
            self.where.append(AuditRow.at >= _start_of(van))
        if tot:  # up to and including that day
            self.where.append(AuditRow.at < _start_of(tot + timedelta(days=1)))

    def query(self) -> str:
        return urlencode({k: v for k, v in self.values.items() if v})


Filters = Annotated[AuditFilters, Depends()]


@router.get("/audit")
def audit_log(
    request: Request,
    filters: Filters,
    pagina: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> Response:
    with Session(request.app.state.engine) as session:
        total = (
            session.scalar(select(func.count()).select_from(AuditRow).where(*filters.where)) or 0
        )
        rows = list(
            session.scalars(
                select(AuditRow)
                .where(*filters.where)
                .order_by(AuditRow.id.desc())
                .limit(PAGE_SIZE)
                .offset((pagina - 1) * PAGE_SIZE)
            )
        )
        actions = list(
            session.scalars(select(AuditRow.action).distinct().order_by(AuditRow.action))
        )
    return render(
        request,
        "audit.html",
        rows=rows,
        total=total,
        page=pagina,
        pages=max(1, -(-total // PAGE_SIZE)),
        filters=filters.values,
        query=filters.query(),
        actions=actions,
    )


@router.get("/audit.csv")
def audit_csv(request: Request, filters: Filters) -> Response:
    """Every audit row that matches the filters, oldest first, as the page shows it (Dutch
    actions, local times; semicolons and a byte order mark, as Dutch Excel opens it)."""
    engine = request.app.state.engine

    def lines() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        buffer.write("\ufeff")
        writer.writerow(CSV_HEADER)
        with Session(engine) as session:
            rows = session.scalars(
                select(AuditRow)
                .where(*filters.where)
                .order_by(AuditRow.id)
                .execution_options(yield_per=500)
            )
            for row in rows:
                writer.writerow(
                    [
                        when(row.at),
                        row.username,
                        label(row.action, ACTIONS),
                        row.registratie_id or "",
                        mask_bsn(row.target),
                        compact(row.before),
                        compact(row.after),
                        row.reason,
                    ]
                )
                if buffer.tell() > 64_000:
                    yield buffer.getvalue()
                    buffer.seek(0)
                    buffer.truncate()
        yield buffer.getvalue()

    stamp = datetime.now(UTC).astimezone(ZONE).strftime("%Y%m%d-%H%M")
    headers = {"Content-Disposition": f'attachment; filename="auditlog-{stamp}.csv"'}
    return StreamingResponse(lines(), media_type="text/csv; charset=utf-8", headers=headers)


@router.get("/gebruikers")
def users(request: Request) -> Response:
    with Session(request.app.state.engine) as session:
        rows = list(session.scalars(select(UserRow).order_by(UserRow.username)))
    return render(request, "users.html", rows=rows)
