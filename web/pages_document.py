"""One document of a registration: its page renders with a box over every field, signature,
logo, stamp and finding, the field list with machine and corrected value and a correction
form, and the page images themselves (only of documents that belong to a case)."""

from __future__ import annotations

import logging
import re
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Path, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from review import repository
from review.cases import CorrectionError, coerce
from store.objects import StorageError, render_key
from store.review_tables import CaseDocumentRow, CorrectionRow
from web.auth import User, current_user
from web.csrf import csrf_protect
from web.overlay import KINDS, belongs_to, boxes, field_label, field_rows
from web.pages_case import CaseId, case_url, finding_decisions, load_case
from web.ui import VERDICTS, back, flash, render

log = logging.getLogger(__name__)
router = APIRouter(
    include_in_schema=False, dependencies=[Depends(current_user), Depends(csrf_protect)]
)
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
FieldName = Annotated[str, Path(max_length=64)]


def document_url(registratie_id: str, document: int) -> str:
    return f"{case_url(registratie_id)}/documenten/{document}"


def _document(session: Session, registratie_id: str, document: int) -> repository.CaseDocument:
    load_case(session, registratie_id)
    for doc in repository.documents(session, registratie_id):
        if doc.id == document:
            return doc
    raise HTTPException(404, "Dit document hoort niet (meer) bij deze registratie.")


@router.get("/registraties/{registratie_id}/documenten/{document}")
def document_page(
    request: Request,
    registratie_id: CaseId,
    document: int,
    user: Annotated[User, Depends(current_user)],
) -> Response:
    with Session(request.app.state.engine) as session:
        case = load_case(session, registratie_id)
        doc = _document(session, registratie_id, document)
        docs = repository.documents(session, registratie_id)
        state = repository.review_state(session, registratie_id, [d.id for d in docs])
        effective = repository.evaluate(session, case)
        who: dict[str, CorrectionRow] = {}
        for row in session.scalars(
            select(CorrectionRow)
            .where(CorrectionRow.document == document)
            .order_by(CorrectionRow.id)
        ):
            who[row.field] = row
        decisions = finding_decisions(session, registratie_id)
        session.expunge_all()
    processed = doc.processed
    findings = [f for f in repository.findings_of(effective) if belongs_to(f[1], processed)]
    pages = processed.document.pages if processed.document else []
    return render(
        request,
        "document.html",
        case=case,
        doc=doc,
        processed=processed,
        pages=pages,
        boxes=boxes(processed, findings),
        kinds=KINDS,
        fields=field_rows(processed, state.corrections.get(document, {})),
        corrected_by=who,
        findings=findings,
        effective=effective,
        decisions=decisions,
        mine=case.claimed_by == user.username,
    )


@router.post("/registraties/{registratie_id}/documenten/{document}/velden/{field}")
def correct(
    request: Request,
    registratie_id: CaseId,
    document: int,
    field: FieldName,
    user: Annotated[User, Depends(current_user)],
    waarde: Annotated[str, Form(max_length=500)] = "",
    reden: Annotated[str, Form(max_length=2000)] = "",
    herstel: Annotated[str, Form(max_length=1)] = "",
) -> Response:
    engine = request.app.state.engine
    url = f"{document_url(registratie_id, document)}#veld-{field}"
    with Session(engine) as session:
        machine = _document(session, registratie_id, document).processed.fields.get(field)
    if machine is None:
        raise HTTPException(404, "Dit veld bestaat niet in dit document.")
    try:
        value = None if herstel else coerce(machine.value, waarde)
        effective = repository.correct_field(
            engine, registratie_id, document, field, value, user.username, reden.strip()
        )
    except (CorrectionError, repository.ReviewError) as exc:
        flash(request, f"{field_label(field)}: {exc}", "fout")
        return back(url)
    done = "teruggezet naar de machinewaarde" if herstel else "aangepast"
    verdict = VERDICTS[effective.verdict.value]
    flash(request, f"{field_label(field)} {done}. Oordeel na de regels: {verdict}.")
    return back(url)


@router.get("/documenten/{document_id}/pagina/{page}.jpg")
def page_render(request: Request, document_id: str, page: int) -> Response:
    if not _SHA256.match(document_id) or not 1 <= page <= 10_000:
        raise HTTPException(404)
    with Session(request.app.state.engine) as session:
        known = session.scalar(
            select(CaseDocumentRow.id).where(CaseDocumentRow.document_id == document_id).limit(1)
        )
    if known is None:
        raise HTTPException(404)
    try:
        data = request.app.state.storage.get(render_key(document_id, page))
    except FileNotFoundError:
        raise HTTPException(404) from None
    except StorageError as exc:
        log.warning("page render unavailable: %s", exc)
        raise HTTPException(503, "De afbeelding is nu niet beschikbaar.") from None
    return Response(
        data, media_type="image/jpeg", headers={"Cache-Control": "private, max-age=600"}
    )
