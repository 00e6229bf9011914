"""One registration: its documents, findings (active and overruled, with confirm/overrule
forms), claim and release, the re-upload request, the final decision (and reopening a decided
case) and its audit trail. Every action is a POST that redirects back with a flash message.
File names are shown with a BSN masked (`masked` filter), also those stored before names were
masked on entry."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, HTTPException, Path, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.registration import Registration
from review import decided, repository
from store.review_tables import AuditRow, CaseRow, FindingDecisionRow
from web.auth import User, current_user
from web.csrf import csrf_protect
from web.ui import back, flash, render

router = APIRouter(
    include_in_schema=False, dependencies=[Depends(current_user), Depends(csrf_protect)]
)
CaseId = Annotated[str, Path(max_length=64)]
Reason = Annotated[str, Form(max_length=2000)]
FINDING_DONE = {"confirmed": "Bevinding bevestigd.", "overruled": "Bevinding verworpen."}


def case_url(registratie_id: str) -> str:
    return f"/registraties/{quote(registratie_id, safe='')}"


def load_case(session: Session, registratie_id: str) -> CaseRow:
    case = session.get(CaseRow, registratie_id)
    if case is None:
        raise HTTPException(404, f"Registratie {registratie_id} bestaat niet.")
    return case


def audit_trail(session: Session, registratie_id: str) -> list[AuditRow]:
    return list(
        session.scalars(
            select(AuditRow)
            .where(AuditRow.registratie_id == registratie_id)
            .order_by(AuditRow.id.desc())
        )
    )


def finding_decisions(session: Session, registratie_id: str) -> dict[str, FindingDecisionRow]:
    """The latest decision on each finding (by its key)."""
    rows = session.scalars(
        select(FindingDecisionRow)
        .where(FindingDecisionRow.registratie_id == registratie_id)
        .order_by(FindingDecisionRow.id)
    )
    return {row.finding_key: row for row in rows}


@router.get("/registraties/{registratie_id}")
def case_page(
    request: Request, registratie_id: CaseId, user: Annotated[User, Depends(current_user)]
) -> Response:
    with Session(request.app.state.engine) as session:
        case = load_case(session, registratie_id)
        effective = repository.evaluate(session, case)
        docs = repository.documents(session, registratie_id)
        decisions = finding_decisions(session, registratie_id)
        trail = audit_trail(session, registratie_id)
        session.expunge_all()
    by_document = {d.processed.document_id: d.id for d in docs if d.processed.document_id}
    by_file = {(d.entry.slot, d.entry.bestand): d.id for d in docs}
    return render(
        request,
        "case.html",
        case=case,
        registration=Registration.model_validate(case.registration),
        effective=effective,
        findings=repository.findings_of(effective),
        decisions=decisions,
        documents=docs,
        doc_link=lambda f: by_document.get(f.document_id) or by_file.get((f.slot, f.file)),
        trail=trail,
        mine=case.claimed_by == user.username,
    )


def _act(
    request: Request, registratie_id: str, action: Callable[[], object], done: str
) -> Response:
    try:
        action()
    except repository.ReviewError as exc:
        flash(request, str(exc), "fout")
    else:
        flash(request, done)
    return back(case_url(registratie_id))


@router.post("/registraties/{registratie_id}/claim")
def claim(
    request: Request, registratie_id: CaseId, user: Annotated[User, Depends(current_user)]
) -> Response:
    engine = request.app.state.engine
    return _act(
        request,
        registratie_id,
        lambda: repository.claim(engine, registratie_id, user.username),
        "Je hebt deze registratie in behandeling genomen.",
    )


@router.post("/registraties/{registratie_id}/vrijgeven")
def release(
    request: Request, registratie_id: CaseId, user: Annotated[User, Depends(current_user)]
) -> Response:
    engine = request.app.state.engine
    return _act(
        request,
        registratie_id,
        lambda: repository.release(engine, registratie_id, user.username, admin=user.admin),
        "De registratie is vrijgegeven.",
    )


@router.post("/registraties/{registratie_id}/bevindingen/{key}")
def decide_finding(
    request: Request,
    registratie_id: CaseId,
    key: Annotated[str, Path(max_length=32)],
    user: Annotated[User, Depends(current_user)],
    besluit: Annotated[str, Form(max_length=16)],
    reden: Reason = "",
) -> Response:
    engine = request.app.state.engine
    return _act(
        request,
        registratie_id,
        lambda: repository.decide_finding(
            engine, registratie_id, key, besluit, reden, user.username
        ),
        FINDING_DONE.get(besluit, "Opgeslagen."),
    )


@router.post("/registraties/{registratie_id}/nieuwe-upload")
def request_reupload(
    request: Request,
    registratie_id: CaseId,
    user: Annotated[User, Depends(current_user)],
    bericht: Reason = "",
) -> Response:
    engine = request.app.state.engine
    return _act(
        request,
        registratie_id,
        lambda: repository.request_reupload(engine, registratie_id, bericht, user.username),
        "Het verzoek om een nieuwe upload is opgeslagen.",
    )


@router.post("/registraties/{registratie_id}/besluit")
def final_decision(
    request: Request,
    registratie_id: CaseId,
    user: Annotated[User, Depends(current_user)],
    besluit: Annotated[str, Form(max_length=16)] = "",
    reden: Reason = "",
) -> Response:
    engine = request.app.state.engine
    return _act(
        request,
        registratie_id,
        lambda: repository.set_decision(engine, registratie_id, besluit, reden, user.username),
        "Het eindbesluit is opgeslagen.",
    )


@router.post("/registraties/{registratie_id}/heropenen")
def reopen(
    request: Request,
    registratie_id: CaseId,
    user: Annotated[User, Depends(current_user)],
    reden: Reason = "",
) -> Response:
    engine = request.app.state.engine
    return _act(
        request,
        registratie_id,
        lambda: decided.reopen(engine, registratie_id, reden, user.username),
        "Het besluit is ingetrokken; de registratie is weer open voor documenten.",
    )
