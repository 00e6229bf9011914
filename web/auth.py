"""Reviewers and admins: argon2id password hashes, the logged-in user of a request, and
creating and deactivating users (for the CLI). The session cookie holds only a random
session id (and the CSRF token and flash messages), never a password, a name or a user id:
the session itself is kept on the server (`web.sessions`), so logout ends it, and a password
change or deactivation ends every session of that user."""

from __future__ import annotations

import logging
import re
import secrets
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from fastapi import Request
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.errors import AdminRequired, AuthError, LoginRequired
from review.repository import audit, now
from store.review_tables import UserRow
from web.csrf import new_token
from web.sessions import SESSION_ID, end_user_sessions, session_user

log = logging.getLogger(__name__)

MIN_PASSWORD = 12
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
_hasher = PasswordHasher()  # argon2id with the library's current parameters


class Role(StrEnum):
    REVIEWER = "reviewer"
    ADMIN = "admin"


@dataclass(frozen=True)
class User:
    id: int
    username: str
    role: Role

    @property
    def admin(self) -> bool:
        return self.role is Role.ADMIN


@cache
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


def add_user(
    engine: Engine, username: str, password: str, role: Role, *, update: bool = False
) -> None:
    """Create a user (or, with `update`, set an existing user's password and role, which
    ends the sessions that user has open)."""
    username = username.strip().lower()
    if not _USERNAME.match(username):
        raise AuthError("username: 2-64 characters a-z, 0-9, '.', '_' or '-'")
    if len(password) < MIN_PASSWORD:
        raise AuthError(f"password: at least {MIN_PASSWORD} characters")
    with Session(engine) as session, session.begin():
        row = session.scalar(select(UserRow).where(UserRow.username == username))
        if row is not None and not update:
            raise AuthError(f"user {username} exists (use --update to change it)")
        if row is None:
            row = UserRow(username=username, created_at=now(), active=True)
            session.add(row)
        else:
            end_user_sessions(session, row.id, now())
        row.password_hash = _hasher.hash(password)
        row.role = role.value
        row.active = True
        audit(session, "systeem", "update_user" if update else "add_user", None, target=username)


def deactivate_user(engine: Engine, username: str) -> int:
    """Deactivate a user (no login any more) and end their open sessions; returns how many
    sessions were open. `add_user --update` makes the user active again."""
    username = username.strip().lower()
    with Session(engine) as session, session.begin():
        row = session.scalar(select(UserRow).where(UserRow.username == username))
        if row is None:
            raise AuthError(f"user {username} does not exist")
        row.active = False
        ended = end_user_sessions(session, row.id, now())
        audit(session, "systeem", "deactivate_user", None, target=username)
    return ended


def authenticate(engine: Engine, username: str, password: str) -> UserRow | None:
    """The active user with this password, else None (in about the same time either way)."""
    with Session(engine) as session, session.begin():
        row = session.scalar(
            select(UserRow).where(UserRow.username == username.strip().lower(), UserRow.active)
        )
        try:
            _hasher.verify(row.password_hash if row else _dummy_hash(), password)
        except (VerificationError, InvalidHashError):
            return None
        if row is None:
            return None
        if _hasher.check_needs_rehash(row.password_hash):
            row.password_hash = _hasher.hash(password)
        session.expunge(row)
        return row


def start_session(request: Request, session_id: str) -> None:
    """Log in with the server-side session `session_id` (`web.sessions.open_session`): a
    fresh cookie session (new CSRF token), never the one from before the login."""
    request.session.clear()
    request.session[SESSION_ID] = session_id
    new_token(request)


def session_id(request: Request) -> str | None:
    value = request.session.get(SESSION_ID)
    return value if isinstance(value, str) and value else None


def current_user(request: Request) -> User:
    """Dependency of every page: the still active user of a session that has not ended."""
    sid = session_id(request)
    if sid is None:
        raise LoginRequired
    app = request.app
    row = session_user(app.state.engine, sid, app.state.clock(), app.state.settings.login)
    if row is None:  # ended, too old or idle: the cookie's session goes too
        request.session.clear()
        raise LoginRequired
    user = User(row.id, row.username, Role(row.role))
    request.state.user = user
    return user


def logged_in(request: Request) -> User | None:
    """The session's user, or None (the login form uses this to send a user back)."""
    try:
        return current_user(request)
    except LoginRequired:
        return None


def require_admin(request: Request) -> User:
    user = current_user(request)
    if not user.admin:
        raise AdminRequired
    return user


def safe_next(target: str | None) -> str:
    """A local path to go to after login; anything else (other hosts) becomes `/`."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target
