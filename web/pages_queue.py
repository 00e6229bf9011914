"""The work queue: every review case with its participant, Dutch finding labels and state,
searched, filtered and sorted (`review.queue`), a page at a time; bulk claim and release,
saved filters per reviewer, an export of the view (`web.queue_export`) and the next-case
button. The view last shown is kept per reviewer in the database (not in the session cookie,
which holds only the session's id), so the next-case button and the redirects after an action
follow the queue as the reviewer sees it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from core.errors import ReviewError
from core.finding_labels import FINDING_LABELS
from review import queue, saved_filters
from review.repository import CLAIM_LEASE, now
from store.db import aware
from web import queue_export
from web.auth import User, current_user
from web.csrf import csrf_protect
from web.pages_case import case_url
from web.ui import back, flash, render

PAGE_SIZE = 25
MAX_SELECTED = 200
ACTIONS = {
    "claim": ("in behandeling genomen", "In behandeling nemen"),
    "release": ("vrijgegeven", "Vrijgeven"),
}

router = APIRouter(
    include_in_schema=False, dependencies=[Depends(current_user), Depends(csrf_protect)]
)
router.include_router(queue_export.router)


def queue_view(
    zoek: Annotated[str, Query(max_length=100)] = "",
    oordeel: Annotated[str, Query(max_length=16)] = "",
    code: Annotated[str, Query(max_length=64)] = "",
    organisatie: Annotated[str, Query(max_length=255)] = "",
    lage_zekerheid: bool = False,
    status: Annotated[str, Query(max_length=16)] = "",
    staat: Annotated[str, Query(max_length=16)] = "",
    sorteer: Annotated[str, Query(max_length=16)] = "",
    richting: Annotated[str, Query(max_length=4)] = "",
) -> queue.QueueView:
    """The view the query string asks for (unknown choices ignored)."""
    return queue.QueueView.clean(
        zoek=zoek,
        oordeel=oordeel,
        code=code,
        organisatie=organisatie,
        lage_zekerheid=lage_zekerheid,
        status=status,
        staat=staat,
        sorteer=sorteer,
        richting=richting,
    )


View = Annotated[queue.QueueView, Depends(queue_view)]


def last_view(request: Request) -> queue.QueueView:
    """The queue's view the reviewer last looked at."""
    return saved_filters.last_view(request.app.state.engine, request.state.user.username)


def queue_url(view: queue.QueueView) -> str:
    query = view.query()
    return f"/?{query}" if query else "/"


def finding_choices() -> list[tuple[str, str]]:
    """(code, Dutch label) of every finding code, by label."""
    return sorted(((c.value, label) for c, label in FINDING_LABELS.items()), key=lambda x: x[1])


def held_elsewhere(rows: list[queue.QueueRow], username: str, at: datetime) -> dict[str, str]:
    """Registration → holder, for cases another reviewer holds with a live claim."""
    stale = at - CLAIM_LEASE
    return {
        row.case.registratie_id: row.case.claimed_by
        for row in rows
        if row.case.claimed_by
        and row.case.claimed_by != username
        and row.case.claimed_at is not None
        and aware(row.case.claimed_at) >= stale
    }


@router.get("/")
def queue_page(
    request: Request,
    user: Annotated[User, Depends(current_user)],
    view: View,
    pagina: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    engine = request.app.state.engine
    saved_filters.remember(engine, user.username, view)
    with Session(engine) as session:
        total, rows = queue.page(session, view, user.username, pagina, PAGE_SIZE)
        organisations = queue.organisations(session)
        session.expunge_all()
    return render(
        request,
        "queue.html",
        rows=rows,
        total=total,
        page=pagina,
        pages=max(1, -(-total // PAGE_SIZE)),
        view=view,
        organisations=organisations,
        codes=finding_choices(),
        claims=queue.CLAIMS,
        states=queue.STATES,
        saved=saved_filters.saved(engine, user.username),
        held=held_elsewhere(rows, user.username, now()),
        low_confidence=queue.LOW_CONFIDENCE,
    )


@router.post("/werkvoorraad/selectie")
def bulk_action(
    request: Request,
    user: Annotated[User, Depends(current_user)],
    actie: Annotated[str, Form(max_length=16)] = "",
    registratie: Annotated[list[str] | None, Form(max_length=MAX_SELECTED)] = None,
) -> Response:
    view = last_view(request)
    chosen = [rid for rid in (registratie or []) if rid and len(rid) <= 64]
    if actie not in ACTIONS:
        flash(request, "Kies wat er met de geselecteerde registraties moet gebeuren.", "fout")
    elif not chosen:
        flash(request, "Selecteer eerst een of meer registraties.", "fout")
    else:
        done, refused = queue.bulk(
            request.app.state.engine, actie, chosen, user.username, admin=user.admin
        )
        if done:
            count = f"{len(done)} registratie{'' if len(done) == 1 else 's'}"
            flash(request, f"{count} {ACTIONS[actie][0]}: {', '.join(done)}.")
        for reason in refused:
            flash(request, reason, "fout")
    return back(queue_url(view))


@router.post("/volgende")
def next_case(
    request: Request,
    user: Annotated[User, Depends(current_user)],
    huidige: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """Claim the next case in the queue's current order and filters and open it."""
    view = last_view(request)
    found = queue.next_case(request.app.state.engine, view, huidige or None, user.username)
    if found is None:
        message = "Er is geen volgende registratie om te beoordelen"
        flash(request, message + (" met deze filters." if view.filtered else "."), "fout")
        return back(queue_url(view))
    flash(request, f"Volgende registratie: {found}. Je hebt deze in behandeling genomen.")
    return back(case_url(found))


@router.post("/werkvoorraad/filters")
def save_filter(
    request: Request,
    user: Annotated[User, Depends(current_user)],
    naam: Annotated[str, Form(max_length=saved_filters.MAX_NAME)] = "",
) -> Response:
    view = last_view(request)
    try:
        saved_filters.save(request.app.state.engine, user.username, naam, view)
    except ReviewError as exc:
        flash(request, str(exc), "fout")
    else:
        flash(request, f"Filter ‘{' '.join(naam.split())}’ bewaard.")
    return back(queue_url(view))


@router.post("/werkvoorraad/filters/{filter_id}/verwijderen")
def remove_filter(
    request: Request,
    user: Annotated[User, Depends(current_user)],
    filter_id: Annotated[int, Path(ge=1)],
) -> Response:
    saved_filters.remove(request.app.state.engine, user.username, filter_id)
    flash(request, "Bewaard filter verwijderd.")
    return back(queue_url(last_view(request)))
