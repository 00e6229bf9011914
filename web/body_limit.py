"""Request bodies are refused with 413 once they pass their route's limit, before anything
reads them whole (form parsing spools files to disk and holds fields in memory, also before
the login check or the CSRF check can refuse the request). A pure ASGI middleware, in front of
the session and the login gate: a declared Content-Length over the limit is answered at once,
without reading a byte; a body without one (chunked), or longer than it said, is counted as
it is read and refused as soon as it passes the limit.

Limits: the upload API's upload route takes `settings.limits.max_bytes` plus room for the
multipart form around the file (`web.upload_form` checks the file itself again); the login
form a few kB; every other request (the review forms) 16 kB. Answers are Dutch: the error
page for pages, `{"detail": ...}` for the API."""

from __future__ import annotations

import re

from starlette.exceptions import HTTPException
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from web.gate import API_PREFIX
from web.ui import templates
from web.upload_form import FORM_OVERHEAD, too_large

LOGIN_BYTES = 4 * 1024  # user name, password (at most 1024 characters), next, CSRF token
FORM_BYTES = 16 * 1024  # a review form: a reason of 2000 characters, a value, the token
UPLOAD_ROUTE = re.compile(rf"^{re.escape(API_PREFIX)}/registraties/[^/]+/uploads/?$")


class BodyTooLarge(HTTPException):
    """Raised by the counting `receive` when a body passes its limit; the app's handlers
    answer it like any HTTPException (413), and `BodyLimit` itself when it escapes them."""


class BodyLimit:
    def __init__(self, app: ASGIApp, max_upload_bytes: int) -> None:
        self.app = app
        self.max_upload_bytes = max_upload_bytes

    def limit(self, method: str, path: str) -> int:
        if method == "POST" and UPLOAD_ROUTE.match(path):
            return self.max_upload_bytes + FORM_OVERHEAD
        return LOGIN_BYTES if path == "/login" else FORM_BYTES

    def detail(self, path: str, limit: int) -> str:
        if UPLOAD_ROUTE.match(path):
            return str(too_large(self.max_upload_bytes).detail)
        if path.startswith(API_PREFIX):
            return f"Het verzoek is groter dan {limit // 1024} kB en is niet verwerkt."
        return (
            f"Het formulier is groter dan {limit // 1024} kB en is niet verwerkt. "
            "Maak de tekst korter en probeer het opnieuw."
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        limit = self.limit(scope["method"], path)
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await refusal(path, self.detail(path, limit))(scope, receive, send)
            return
        read = 0
        started = False

        async def counted() -> Message:
            nonlocal read
            message = await receive()
            if message["type"] == "http.request":
                read += len(message.get("body", b""))
                if read > limit:
                    raise BodyTooLarge(413, detail=self.detail(path, limit))
            return message

        async def sending(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, sending)
        except BodyTooLarge as exc:
            if started:
                raise
            await refusal(path, str(exc.detail))(scope, receive, send)


def refusal(path: str, detail: str) -> Response:
    """413 with `detail`: JSON for the API, the error page otherwise. The connection is
    closed after it, so the rest of the body is never read."""
    headers = {"Connection": "close"}
    if path.startswith(API_PREFIX):
        return JSONResponse({"detail": detail}, status_code=413, headers=headers)
    page = templates.get_template("error.html").render(
        title="Te groot", message=detail, user=None, csrf="", flashes=[]
    )
    return HTMLResponse(page, status_code=413, headers=headers)
