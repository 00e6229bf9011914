"""One registration: its findings (each open, confirmed or overruled, with the form to change
that), documents, claim and release, the re-upload request (its text drafted from the active
findings), the final decision (which releases the case: read-only until reopened) and its
audit trail.

Every action is a POST that redirects back to the page it came from (the form's `terug`, the
case or one of its documents) at the part acted on, with the message shown there
(`flash(..., target=...)`). The page's script (static/actions.js) posts the forms with fetch
and swaps in the parts that changed, so the reviewer keeps their place; without JavaScript the
redirect does the same. File names are shown with a BSN masked (`masked` filter), also those
stored before names were masked on entry."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, HTTPException, Path, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.file_names import mask_bsn
from core.finding_labels import finding_label
from core.model import Finding
from core.registration import Registration
from review import decided, repository
from store.review_tables import AuditRow, CaseRow, FindingDecisionRow
from web import reasons
from web.auth import User, current_user
from web.csrf import csrf_protect
from web.ui import back, flash, render

router = APIRouter(
    include_in_schema=False, dependencies=[Depends(current_user), Depends(csrf_protect)]
)
CaseId = Annotated[str, Path(max_length=64)]
Reason = Annotated[str, Form(max_length=2000)]
Back = Annotated[str, Form(max_length=300)]
FINDING_DONE = {"confirmed": "Bevinding bevestigd.", "overruled": "Bevinding verworpen."}
FINDING_STATES = {"open": "Open", "confirmed": "Bevestigd", "overruled": "Verworpen"}
_OWN_PAGE = re.compile(r"^(/documenten/\d+)?$")


def case_url(registratie_id: str) -> str:
    return f"/registraties/{quote(registratie_id, safe='')}"


def return_url(registratie_id: str, terug: str, anchor: str, query: str = "") -> str:
    """Where an action returns to: the page it was posted from (`terug`: the case or one of
    its documents, nothing else), at `anchor`."""
    base = case_url(registratie_id)
    page = terug if terug.startswith(base) and _OWN_PAGE.match(terug[len(base) :]) else base
    return f"{page}{'?' + query if query else ''}#{anchor}"


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


def finding_state(key: str, overruled: bool, decisions: dict[str, FindingDecisionRow]) -> str:
    """open, confirmed or overruled (the latest decision on the finding)."""
    if overruled:
        return "overruled"
    row = decisions.get(key)
    return "confirmed" if row is not None and row.decision == "confirmed" else "open"


def reupload_draft(findings: list[tuple[str, Finding, bool]]) -> str:
    """The message to the employer, drafted from the active findings' Dutch texts."""
    texts = dict.fromkeys(mask_bsn(f.message) for _, f, overruled in findings if not overruled)
    return "\n".join(texts)


def source_label(source: str) -> str:
    """Where a document came from, in words (the batch's run id is no use to a reviewer)."""
    kind, _, rest = source.partition(":")
    if kind == "batch":
        return "Batchcontrole"
    if kind == "upload":
        return f"Upload via het portaal ({rest})" if rest else "Upload via het portaal"
    return source


def case_context(session: Session, case: CaseRow, user: User) -> dict[str, Any]:
    """What the case page and the parts of it the document page shows need."""
    registratie_id = case.registratie_id
    effective = repository.evaluate(session, case)
    decisions = finding_decisions(session, registratie_id)
    return {
        "case": case,
        "registration": Registration.model_validate(case.registration),
        "effective": effective,
        "decisions": decisions,
        "mine": case.claimed_by == user.username,
        "stale": bool(case.claimed_by) and repository.stale(case),
        "finding_state": lambda key, overruled: finding_state(key, overruled, decisions),
        "finding_label": finding_label,
        "FINDING_STATES": FINDING_STATES,
    }


@router.get("/registraties/{registratie_id}")
def case_page(
    request: Request, registratie_id: CaseId, user: Annotated[User, Depends(current_user)]
) -> Response:
    with Session(request.app.state.engine) as session:
        case = load_case(session, registratie_id)
        context = case_context(session, case, user)
        docs = repository.documents(session, registratie_id)
        trail = audit_trail(session, registratie_id)
        session.expunge_all()
    findings = repository.findings_of(context["effective"])
    by_document = {d.processed.document_id: d.id for d in docs if d.processed.document_id}
    by_file = {(d.entry.slot, d.entry.bestand): d.id for d in docs}
    decision = next((row for row in trail if row.action == "final_decision"), None)
    return render(
        request,
        "case.html",
        **context,
        findings=findings,
        documents=docs,
        doc_link=lambda f: by_document.get(f.document_id) or by_file.get((f.slot, f.file)),
        trail=trail,
        decision_row=decision if case.decision else None,
        draft=reupload_draft(findings),
        source_label=source_label,
        here=case_url(registratie_id),
    )


def _act(
    request: Request,
    registratie_id: str,
    action: Callable[[], object],
    done: str,
    target: str,
    terug: str = "",
) -> Response:
    try:
        action()
    except repository.ReviewError as exc:
        flash(request, str(exc), "fout", target)
    else:
        flash(request, done, "ok", target)
    return back(return_url(registratie_id, terug, target))


@router.post("/registraties/{registratie_id}/claim")
def claim(
    request: Request,
    registratie_id: CaseId,
    user: Annotated[User, Depends(current_user)],
    terug: Back = "",
) -> Response:
    engine = request.app.state.engine
    return _act(
        request,
        registratie_id,
        lambda: repository.claim(engine, registratie_id, user.username),
        "Je hebt deze registratie in behandeling genomen.",
        "kop",
        terug,
    )


@router.post("/registraties/{registratie_id}/vrijgeven")
def release(
    request: Request,
    registratie_id: CaseId,
    user: Annotated[User, Depends(current_user)],
    terug: Back = "",
) -> Response:
    engine = request.app.state.engine
    return _act(
        request,
        registratie_id,
        lambda: repository.release(engine, registratie_id, user.username, admin=user.admin),
        "De registratie is vrijgegeven.",
        "kop",
        terug,
    )


@router.post("/registraties/{registratie_id}/bevindingen/{key}")
def decide_finding(
    request: Request,
    registratie_id: CaseId,
    key: Annotated[str, Path(max_length=32)],
    user: Annotated[User, Depends(current_user)],
    besluit: Annotated[str, Form(max_length=16)],
    reden: Reason = "",
    reden_keuze: Reason = "",
    terug: Back = "",
) -> Response:
    engine = request.app.state.engine
    return _act(
        request,
        registratie_id,
        lambda: repository.decide_finding(
            engine,
            registratie_id,
            key,
            besluit,
            reasons.reason(reden_keuze, reden, reasons.FINDING_REASONS),
            user.username,
        ),
        FINDING_DONE.get(besluit, "Opgeslagen."),
        f"bevinding-{key}",
        terug,
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
        "upload",
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
        "Het eindbesluit is opgeslagen; de registratie is vrijgegeven.",
        "besluit",
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
        lambda: decided.reopen(engine, registratie_id, reden, user.username, admin=user.admin),
        "Het besluit is ingetrokken; de registratie is weer open en bij jou in behandeling.",
        "besluit",
    )
