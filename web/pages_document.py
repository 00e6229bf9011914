"""One document of a registration, in a viewer beside its fields: the page renders (zoom, fit,
rotate, thumbnails; static/viewer.js) with a box over every field, signature, logo, stamp and
finding; every field of the document's type as registration value | read value | corrected
value | confidence | page, the selected one with an enlarged crop of the page and its
correction form (also for a field the reader did not find); the document's type, correctable;
its findings, each with its confirm/overrule form. The page images are served only for
documents that belong to a case.

Actions redirect back here (the selected field in `?veld=`) with the message beside the form;
a refused correction keeps what was typed. static/actions.js does the same without a reload."""

from __future__ import annotations

import logging
import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Path, Query, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from checks._format import TYPE_NAMES
from core.enums import DocType
from core.registration import Registration
from review import repository
from review.cases import DOC_TYPE, CorrectionError, coerce_field, corrected
from review.retype import correct_type
from store.objects import StorageError, render_key
from store.review_tables import CaseDocumentRow, CorrectionRow
from web import reasons
from web.auth import User, current_user
from web.csrf import csrf_protect
from web.field_table import field_rows
from web.overlay import KINDS, belongs_to, boxes
from web.pages_case import CaseId, case_context, case_url, load_case
from web.ui import VERDICTS, back, flash, keep_typed, render

log = logging.getLogger(__name__)
router = APIRouter(
    include_in_schema=False, dependencies=[Depends(current_user), Depends(csrf_protect)]
)
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
FieldName = Annotated[str, Path(max_length=64)]
Reason = Annotated[str, Form(max_length=2000)]
TYPE_CHOICES = {t.value: TYPE_NAMES[t] for t in DocType if t is not DocType.ONBEKEND}


def document_url(registratie_id: str, document: int) -> str:
    return f"{case_url(registratie_id)}/documenten/{document}"


def _document(session: Session, registratie_id: str, document: int) -> repository.CaseDocument:
    load_case(session, registratie_id)
    for doc in repository.documents(session, registratie_id):
        if doc.id == document:
            return doc
    raise HTTPException(404, "Dit document hoort niet (meer) bij deze registratie.")


def _corrections(session: Session, registratie_id: str, document: int) -> dict[str, Any]:
    state = repository.review_state(session, registratie_id, [document])
    return state.corrections.get(document, {})


@router.get("/registraties/{registratie_id}/documenten/{document}")
def document_page(
    request: Request,
    registratie_id: CaseId,
    document: int,
    user: Annotated[User, Depends(current_user)],
    veld: Annotated[str, Query(max_length=64)] = "",
) -> Response:
    with Session(request.app.state.engine) as session:
        case = load_case(session, registratie_id)
        doc = _document(session, registratie_id, document)
        context = case_context(session, case, user)
        corrections = _corrections(session, registratie_id, document)
        who: dict[str, CorrectionRow] = {}
        for row in session.scalars(
            select(CorrectionRow)
            .where(CorrectionRow.document == document)
            .order_by(CorrectionRow.id)
        ):
            who[row.field] = row
        session.expunge_all()
    retyped = DOC_TYPE in corrections
    typed = corrected(doc.processed, {DOC_TYPE: corrections[DOC_TYPE]} if retyped else {})
    fields = {k: v for k, v in corrections.items() if k != DOC_TYPE}
    effective = context["effective"]
    findings = [f for f in repository.findings_of(effective) if belongs_to(f[1], doc.processed)]
    rows = field_rows(typed, fields, context["registration"])
    names = [row.name for row in rows]
    selected = veld if veld in names else (names[0] if names else "")
    pages = doc.processed.document.pages if doc.processed.document else []
    here = document_url(registratie_id, document)
    return render(
        request,
        "document.html",
        **context,
        doc=doc,
        processed=doc.processed,
        typed_doc=typed,
        retyped=retyped,
        type_choices=TYPE_CHOICES,
        pages=pages,
        boxes=boxes(typed, findings),
        kinds=KINDS,
        fields=rows,
        selected=selected,
        corrected_by=who,
        findings=findings,
        here=here,
        base=case_url(registratie_id),
    )


@router.post("/registraties/{registratie_id}/documenten/{document}/velden/{field}")
def correct(
    request: Request,
    registratie_id: CaseId,
    document: int,
    field: FieldName,
    user: Annotated[User, Depends(current_user)],
    waarde: Annotated[str, Form(max_length=500)] = "",
    reden: Reason = "",
    reden_keuze: Reason = "",
    herstel: Annotated[str, Form(max_length=1)] = "",
) -> Response:
    engine = request.app.state.engine
    with Session(engine) as session:
        registration = Registration.model_validate(load_case(session, registratie_id).registration)
        doc = _document(session, registratie_id, document)
        corrections = _corrections(session, registratie_id, document)
    retype = {DOC_TYPE: corrections[DOC_TYPE]} if DOC_TYPE in corrections else {}
    typed = corrected(doc.processed, retype)
    row = next((r for r in field_rows(typed, {}, registration) if r.name == field), None)
    if row is None or not row.editable:
        raise HTTPException(404, "Dit veld bestaat niet in dit document.")
    target = f"kaart-{field}"
    url = f"{document_url(registratie_id, document)}?veld={field}#{target}"
    try:
        value = None if herstel else coerce_field(field, row.read, waarde)
        why = reasons.reason(reden_keuze, reden, reasons.CORRECTION_REASONS)
        effective = repository.correct_field(
            engine, registratie_id, document, field, value, user.username, why
        )
    except (CorrectionError, repository.ReviewError) as exc:
        flash(request, f"{row.label}: {exc}", "fout", target)
        keep_typed(request, target, waarde=waarde, reden=reden, reden_keuze=reden_keuze)
        return back(url)
    done = "teruggezet naar de gelezen waarde" if herstel else "aangepast"
    verdict = VERDICTS[effective.verdict.value]
    flash(request, f"{row.label} {done}. Oordeel na de regels: {verdict}.", "ok", target)
    return back(url)


@router.post("/registraties/{registratie_id}/documenten/{document}/type")
def correct_doc_type(
    request: Request,
    registratie_id: CaseId,
    document: int,
    user: Annotated[User, Depends(current_user)],
    soort: Annotated[str, Form(max_length=32)] = "",
    reden: Reason = "",
    reden_keuze: Reason = "",
    herstel: Annotated[str, Form(max_length=1)] = "",
) -> Response:
    engine = request.app.state.engine
    target = "documenttype"
    url = f"{document_url(registratie_id, document)}#{target}"
    try:
        if not herstel and soort not in TYPE_CHOICES:
            raise CorrectionError("Kies een documenttype.")
        doc_type = None if herstel else DocType(soort)
        why = reasons.reason(reden_keuze, reden, reasons.TYPE_REASONS)
        effective = correct_type(engine, registratie_id, document, doc_type, user.username, why)
    except (CorrectionError, repository.ReviewError) as exc:
        flash(request, f"Documenttype: {exc}", "fout", target)
        keep_typed(request, target, soort=soort, reden=reden, reden_keuze=reden_keuze)
        return back(url)
    done = "teruggezet naar het herkende type" if herstel else "aangepast"
    verdict = VERDICTS[effective.verdict.value]
    flash(request, f"Documenttype {done}. Oordeel na de regels: {verdict}.", "ok", target)
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
