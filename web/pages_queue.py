"""The work queue: every review case, filtered by verdict, finding code, organisation, low
confidence and claim, open cases first, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from core.enums import FindingCode, Verdict
from store.review_tables import CaseRow
from web.auth import User, current_user
from web.csrf import csrf_protect
from web.ui import LOW_CONFIDENCE, render

PAGE_SIZE = 25
CLAIMS = {"": "Alle", "vrij": "Niet in behandeling", "bezet": "In behandeling", "mijn": "Bij mij"}

router = APIRouter(
    include_in_schema=False, dependencies=[Depends(current_user), Depends(csrf_protect)]
)


@dataclass(frozen=True)
class Filters:
    oordeel: str = ""
    code: str = ""
    organisatie: str = ""
    lage_zekerheid: bool = False
    status: str = ""

    def query(self, **extra: Any) -> str:
        """The filters as a query string (for the pagination links)."""
        values: dict[str, Any] = {
            "oordeel": self.oordeel,
            "code": self.code,
            "organisatie": self.organisatie,
            "lage_zekerheid": "1" if self.lage_zekerheid else "",
            "status": self.status,
            **extra,
        }
        return urlencode({k: v for k, v in values.items() if v not in ("", None)})


def _where(stmt: Select[Any], filters: Filters, username: str) -> Select[Any]:
    if filters.oordeel in {v.value for v in Verdict}:
        stmt = stmt.where(CaseRow.verdict == filters.oordeel)
    if filters.code in {c.value for c in FindingCode}:
        stmt = stmt.where(CaseRow.codes.contains(f" {filters.code} ", autoescape=True))
    if filters.organisatie:
        stmt = stmt.where(CaseRow.organisatie == filters.organisatie)
    if filters.lage_zekerheid:
        stmt = stmt.where(CaseRow.min_confidence < LOW_CONFIDENCE)
    if filters.status == "vrij":
        stmt = stmt.where(CaseRow.claimed_by.is_(None))
    elif filters.status == "bezet":
        stmt = stmt.where(CaseRow.claimed_by.is_not(None))
    elif filters.status == "mijn":
        stmt = stmt.where(CaseRow.claimed_by == username)
    return stmt


@router.get("/")
def queue(
    request: Request,
    user: Annotated[User, Depends(current_user)],
    oordeel: Annotated[str, Query(max_length=16)] = "",
    code: Annotated[str, Query(max_length=64)] = "",
    organisatie: Annotated[str, Query(max_length=255)] = "",
    lage_zekerheid: bool = False,
    status: Annotated[str, Query(max_length=16)] = "",
    pagina: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    filters = Filters(oordeel, code, organisatie, lage_zekerheid, status)
    with Session(request.app.state.engine) as session:
        total = session.scalar(
            _where(select(func.count()).select_from(CaseRow), filters, user.username)
        )
        cases = list(
            session.scalars(
                _where(select(CaseRow), filters, user.username)
                .order_by(
                    CaseRow.decision.is_not(None),
                    CaseRow.updated_at.desc(),
                    CaseRow.registratie_id,
                )
                .limit(PAGE_SIZE)
                .offset((pagina - 1) * PAGE_SIZE)
            )
        )
        organisations = list(
            session.scalars(select(CaseRow.organisatie).distinct().order_by(CaseRow.organisatie))
        )
    pages = max(1, -(-(total or 0) // PAGE_SIZE))
    return render(
        request,
        "queue.html",
        cases=cases,
        total=total or 0,
        page=pagina,
        pages=pages,
        filters=filters,
        organisations=organisations,
        codes=[c.value for c in FindingCode],
        claims=CLAIMS,
    )
