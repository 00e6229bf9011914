"""Login sessions kept on the server (`web_sessions`). The signed session cookie holds only a
random session id; the database holds its sha256, the user, when the login began and when it
was last used, and whether it was ended. So a cookie copied before logout is worthless after
it, a password change or deactivation ends every session of that user, and a session ends
after `login.idle_minutes` without a request and `login.session_hours` after the login, in
every server process alike (the cookie's own age is only refreshed when it changes)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, update
from sqlalchemy.orm import Session

from core.settings import LoginSettings
from store.db import aware
from store.review_tables import LoginSessionRow, UserRow

SESSION_ID = "sid"  # the one key of the cookie session that says who is logged in
# last_seen is written at most this often per session: a page with twenty page images
# would otherwise write twenty times, and the idle timeout is counted in minutes.
TOUCH_EVERY = timedelta(minutes=1)


def _key(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def open_session(engine: Engine, user_id: int, at: datetime, settings: LoginSettings) -> str:
    """Record a new login of `user_id` and return its session id (for the cookie only).
    Sessions past their maximum age are deleted on the way: nobody can use them any more."""
    session_id = secrets.token_urlsafe(32)
    with Session(engine) as session, session.begin():
        too_old = at - timedelta(hours=settings.session_hours)
        session.execute(delete(LoginSessionRow).where(LoginSessionRow.created_at < too_old))
        session.add(
            LoginSessionRow(id=_key(session_id), user_id=user_id, created_at=at, last_seen=at)
        )
    return session_id


def session_user(
    engine: Engine, session_id: str, at: datetime, settings: LoginSettings
) -> UserRow | None:
    """The active user of a session that is neither ended nor too old nor idle too long at
    `at` (noting that it was used), else None."""
    with Session(engine) as session, session.begin():
        row = session.get(LoginSessionRow, _key(session_id))
        if row is None or row.revoked_at is not None:
            return None
        user = session.get(UserRow, row.user_id)
        if user is None or not user.active:
            return None
        seen = aware(row.last_seen)
        if at - aware(row.created_at) >= timedelta(hours=settings.session_hours):
            return None
        if at - seen >= timedelta(minutes=settings.idle_minutes):
            return None
        if at - seen >= TOUCH_EVERY:
            row.last_seen = at
        session.expunge(user)
        return user


def end_session(engine: Engine, session_id: str, at: datetime) -> None:
    """Logout: the session is ended for every copy of its cookie."""
    with Session(engine) as session, session.begin():
        session.execute(
            update(LoginSessionRow)
            .where(LoginSessionRow.id == _key(session_id), LoginSessionRow.revoked_at.is_(None))
            .values(revoked_at=at)
        )


def end_user_sessions(session: Session, user_id: int, at: datetime) -> int:
    """End every open session of `user_id` in the caller's transaction (a password change,
    deactivation); returns how many were open."""
    result = session.execute(
        update(LoginSessionRow)
        .where(LoginSessionRow.user_id == user_id, LoginSessionRow.revoked_at.is_(None))
        .values(revoked_at=at)
    )
    return int(getattr(result, "rowcount", 0) or 0)
