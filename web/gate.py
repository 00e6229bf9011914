"""ASGI middleware in front of every route: the login gate (default deny: a request without a
logged-in session never reaches a page, whatever routes are added later) and the security
headers of every response."""

from __future__ import annotations

from urllib.parse import quote

from starlette.datastructures import MutableHeaders
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from web.sessions import SESSION_ID

API_PREFIX = "/api/v1"  # has its own auth (organisation tokens)
OPEN_PATHS = ("/login",)
OPEN_PREFIXES = ("/static/", API_PREFIX + "/")
NOT_HTML = (".jpg", ".jpeg", ".png", ".json")

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; "
    "style-src-attr 'unsafe-inline'; script-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
# Swagger UI (served from /static/swagger, started by /static/docs.js) styles inline.
DOCS_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)


def is_open(path: str) -> bool:
    """Paths reachable without a login session."""
    return path in OPEN_PATHS or path == API_PREFIX or path.startswith(OPEN_PREFIXES)


def denied(method: str, path: str, query: str = "") -> Response:
    """No login: a page redirects to the login form (and back after it, if it was a page
    view), anything else (images, JSON) answers 401."""
    if path.lower().endswith(NOT_HTML):
        return JSONResponse({"detail": "Niet aangemeld."}, status_code=401)
    if method not in ("GET", "HEAD"):
        return RedirectResponse("/login", status_code=303)
    target = path + (f"?{query}" if query else "")
    return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)


class LoginGate:
    """Refuses every request outside `is_open` whose cookie session has no session id. Runs
    inside SessionMiddleware; whether that session is still open on the server and its user
    still active is checked by the page itself (`web.auth.current_user`)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or is_open(scope["path"]):
            await self.app(scope, receive, send)
            return
        session_id = scope.get("session", {}).get(SESSION_ID)
        if isinstance(session_id, str) and session_id:
            await self.app(scope, receive, send)
            return
        query = scope.get("query_string", b"").decode("latin-1")
        await denied(scope["method"], scope["path"], query)(scope, receive, send)


HSTS = "max-age=31536000; includeSubDomains"


class SecurityHeaders:
    """No framing, no sniffing, a strict content security policy, and no caching of pages
    (they show personal data) unless a route says otherwise; with `https_only`, browsers are
    told to use nothing but HTTPS for this host for a year (HSTS)."""

    def __init__(self, app: ASGIApp, https_only: bool = False) -> None:
        self.app = app
        self.https_only = https_only

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        docs = scope["path"] == "/docs"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", DOCS_CSP if docs else CSP)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("X-Frame-Options", "DENY")
                headers.setdefault("Referrer-Policy", "same-origin")
                if not scope["path"].startswith("/static/"):
                    headers.setdefault("Cache-Control", "no-store")
                if self.https_only:
                    headers.setdefault("Strict-Transport-Security", HSTS)
            await send(message)

        await self.app(scope, receive, send_with_headers)
