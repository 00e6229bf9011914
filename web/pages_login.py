"""Login and logout. A successful login opens a server-side session (`web.sessions`) and starts
a new cookie session (new id, new CSRF token); logout ends the server-side session, so a copy
of the cookie is worthless after it. Failed logins are throttled per user name and per client
address (`web.throttle`), audited, and logged at WARNING with the user name only, never the
password; while throttled an attempt gets 429 without a password check."""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from core.errors import ChecksBusy
from core.settings import LoginSettings
from review.repository import audit
from store.review_tables import UserRow
from web.auth import (
    User,
    authenticate,
    current_user,
    logged_in,
    safe_next,
    session_id,
    start_session,
)
from web.csrf import csrf_protect
from web.sessions import end_session, open_session
from web.throttle import PasswordChecks, record_failure, wait_left
from web.ui import back, flash, render

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf_protect)])

WRONG = "Onbekende gebruikersnaam of onjuist wachtwoord."
THROTTLED = "Te veel mislukte aanmeldpogingen."
BUSY = (
    "Er worden nu te veel aanmeldingen tegelijk gecontroleerd. "
    "Probeer het over enkele seconden opnieuw."
)
BUSY_RETRY_S = 5


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    if logged_in(request) is not None:
        return back(safe_next(next))
    return render(request, "login.html", next=safe_next(next), user=None)


@router.post("/login")
async def login(
    request: Request,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1024)],
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    app = request.app
    engine: Engine = app.state.engine
    settings: LoginSettings = app.state.settings.login
    clock: Callable[[], datetime] = app.state.clock
    name = username.strip().lower()[:64]
    client = (request.client.host if request.client else "onbekend")[:64]
    row: UserRow | None = None
    wait = await run_in_threadpool(wait_left, engine, name, client, clock(), settings)
    if wait <= 0:  # not throttled: wait for a free password check
        checks: PasswordChecks = app.state.password_checks
        try:
            row, wait = await checks.run(
                _attempt, engine, username, password, client, clock, settings
            )
        except ChecksBusy:
            log.warning("login for user name %r from %s refused: checks busy", name, client)
            return _form(request, next, 503, BUSY, BUSY_RETRY_S)
    if wait > 0:
        log.warning("login refused for user name %r from %s: too many failures", name, client)
        seconds = math.ceil(wait)
        message = f"{THROTTLED} Probeer het over {_duration(seconds)} opnieuw."
        return _form(request, next, 429, message, seconds)
    if row is None:
        log.warning("failed login for user name %r from %s", name, client)
        return _form(request, next, 400, WRONG)
    sid = await run_in_threadpool(open_session, engine, row.id, clock(), settings)
    start_session(request, sid)
    await run_in_threadpool(_audit, engine, row.username, "login")
    return back(safe_next(next))


def _attempt(
    engine: Engine,
    username: str,
    password: str,
    client: str,
    clock: Callable[[], datetime],
    settings: LoginSettings,
) -> tuple[UserRow | None, float]:
    """One login attempt, holding a password check: the throttle is looked at once more (a
    burst of attempts passes the first look together), and a failure is counted before the
    check is free for the next. (user, 0), (None, 0) for a wrong password, or (None, seconds
    to wait) when throttled after all."""
    name = username.strip().lower()[:64]
    wait = wait_left(engine, name, client, clock(), settings)
    if wait > 0:
        return None, wait
    row = authenticate(engine, username, password)
    if row is None:
        record_failure(engine, name, client, clock(), settings)
    return row, 0.0


@router.post("/logout")
def logout(request: Request, user: Annotated[User, Depends(current_user)]) -> Response:
    sid = session_id(request)
    if sid is not None:
        end_session(request.app.state.engine, sid, request.app.state.clock())
    _audit(request.app.state.engine, user.username, "logout")
    request.session.clear()
    flash(request, "Je bent afgemeld.")
    return back("/login")


def _form(
    request: Request, next: str, status: int, error: str, retry_after: int | None = None
) -> Response:
    response = render(request, "login.html", status, next=safe_next(next), error=error, user=None)
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    return response


def _duration(seconds: int) -> str:
    """A wait in Dutch: "40 seconden", "1 minuut", "8 minuten"."""
    if seconds < 60:
        return f"{seconds} seconde" + ("n" if seconds != 1 else "")
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minu" + ("ten" if minutes != 1 else "ut")


def _audit(engine: Engine, username: str, action: str) -> None:
    with Session(engine) as session, session.begin():
        audit(session, username, action, None)
