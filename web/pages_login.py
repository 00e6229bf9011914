"""Login and logout. A successful login starts a new session (new id, new CSRF token);
failed logins are logged with the username only, never the password."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from review.repository import audit
from web.auth import User, authenticate, current_user, safe_next, start_session
from web.csrf import csrf_protect
from web.ui import back, flash, render

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf_protect)])


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    if isinstance(request.session.get("uid"), int):
        return back(safe_next(next))
    return render(request, "login.html", next=safe_next(next), user=None)


@router.post("/login")
async def login(
    request: Request,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1024)],
    next: Annotated[str, Form()] = "/",
) -> Response:
    engine = request.app.state.engine
    row = await run_in_threadpool(authenticate, engine, username, password)
    if row is None:
        log.info("failed login for user name %r", username.strip().lower()[:64])
        message = "Onbekende gebruikersnaam of onjuist wachtwoord."
        return render(request, "login.html", 400, next=safe_next(next), error=message, user=None)
    start_session(request, row)
    await run_in_threadpool(_audit, engine, row.username, "login")
    return back(safe_next(next))


@router.post("/logout")
def logout(request: Request, user: Annotated[User, Depends(current_user)]) -> Response:
    _audit(request.app.state.engine, user.username, "logout")
    request.session.clear()
    flash(request, "Je bent afgemeld.")
    return back("/login")


def _audit(engine: Engine, username: str, action: str) -> None:
    with Session(engine) as session, session.begin():
        audit(session, username, action, None)
