"""Reviewers and admins: argon2id password hashes, the logged-in user of a request, and
creating users (for the CLI). The session cookie holds the user's id, a random session id
and a fingerprint of the password hash, so deactivating a user or changing a password ends
their sessions; it never holds a password or a name."""

from __future__ import annotations

import hashlib
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


def _fingerprint(password_hash: str) -> str:
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


def add_user(
    engine: Engine, username: str, password: str, role: Role, *, update: bool = False
) -> None:
    """Create a user (or, with `update`, set an existing user's password and role)."""
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
        row.password_hash = _hasher.hash(password)
        row.role = role.value
        row.active = True
        audit(session, "systeem", "update_user" if update else "add_user", None, target=username)


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


def start_session(request: Request, row: UserRow) -> None:
    """Log `row` in: a fresh session (new id and CSRF token), never the one from before."""
    request.session.clear()
    request.session["uid"] = row.id
    request.session["sid"] = secrets.token_urlsafe(16)
    request.session["pw"] = _fingerprint(row.password_hash)
    new_token(request)


def current_user(request: Request) -> User:
    """Dependency of every page: the logged-in, still active user of the session."""
    uid = request.session.get("uid")
    if not isinstance(uid, int):
        raise LoginRequired
    with Session(request.app.state.engine) as session:
        row = session.get(UserRow, uid)
        if (
            row is None
            or not row.active
            or request.session.get("pw") != _fingerprint(row.password_hash)
        ):
            request.session.clear()
            raise LoginRequired
        user = User(row.id, row.username, Role(row.role))
    request.state.user = user
    return user


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
