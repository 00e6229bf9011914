"""CSRF protection of the HTML forms: one random token per session, sent back by every POST
form as the hidden field `csrf_token` and compared in constant time. A new token is made
when a session starts (login rotates the whole session)."""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request

from core.errors import CsrfError

FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MESSAGE = (
    "Dit formulier is verlopen of niet vanuit deze applicatie verstuurd. "
    "Laad de pagina opnieuw en probeer het nog eens."
)


def csrf_token(request: Request) -> str:
    """The session's token, made on first use."""
    token = request.session.get(FIELD)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        request.session[FIELD] = token
    return token


def new_token(request: Request) -> str:
    """Replace the session's token (after login)."""
    request.session[FIELD] = secrets.token_urlsafe(32)
    return str(request.session[FIELD])


async def csrf_protect(request: Request) -> None:
    """Dependency for every HTML router: a POST must carry the session's token."""
    if request.method in SAFE_METHODS:
        return
    expected = request.session.get(FIELD)
    sent: object = None
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        sent = (await request.form()).get(FIELD)
    if not isinstance(expected, str) or not expected or not isinstance(sent, str):
        raise CsrfError
    if not hmac.compare_digest(sent.encode(), expected.encode()):
        raise CsrfError
