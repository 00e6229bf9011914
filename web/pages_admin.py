"""Admin pages: the whole audit log (filtered by user, action or registration) and the list
of users. Reviewers get 403."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store.review_tables import AuditRow, UserRow
from web.auth import require_admin
from web.csrf import csrf_protect
from web.ui import render

PAGE_SIZE = 50

router = APIRouter(
    include_in_schema=False, dependencies=[Depends(require_admin), Depends(csrf_protect)]
)


@router.get("/audit")
def audit_log(
    request: Request,
    gebruiker: Annotated[str, Query(max_length=64)] = "",
    actie: Annotated[str, Query(max_length=32)] = "",
    registratie: Annotated[str, Query(max_length=64)] = "",
    pagina: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> Response:
    where = []
    if gebruiker:
        where.append(AuditRow.username == gebruiker)
    if actie:
        where.append(AuditRow.action == actie)
    if registratie:
        where.append(AuditRow.registratie_id == registratie)
    with Session(request.app.state.engine) as session:
        total = session.scalar(select(func.count()).select_from(AuditRow).where(*where)) or 0
        rows = list(
            session.scalars(
                select(AuditRow)
                .where(*where)
                .order_by(AuditRow.id.desc())
                .limit(PAGE_SIZE)
                .offset((pagina - 1) * PAGE_SIZE)
            )
        )
        actions = list(
            session.scalars(select(AuditRow.action).distinct().order_by(AuditRow.action))
        )
    filters = {"gebruiker": gebruiker, "actie": actie, "registratie": registratie}
    return render(
        request,
        "audit.html",
        rows=rows,
        total=total,
        page=pagina,
        pages=max(1, -(-total // PAGE_SIZE)),
        filters=filters,
        query=urlencode({k: v for k, v in filters.items() if v}),
        actions=actions,
    )


@router.get("/gebruikers")
def users(request: Request) -> Response:
    with Session(request.app.state.engine) as session:
        rows = list(session.scalars(select(UserRow).order_by(UserRow.username)))
    return render(request, "users.html", rows=rows)
