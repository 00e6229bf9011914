"""The reviewer web app: server-rendered Dutch pages over the review cases, plus the upload
API (`web.api`, with its own token auth). Every page needs a login except `/login` and
`/static`: a gate in front of the routes refuses requests without a session (default deny),
and each page's dependency checks the user is still active. The API docs are only served to
logged-in users."""

from __future__ import annotations

import logging
import math
import secrets
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import fastapi_offline
from fastapi import Depends, FastAPI, Request
from fastapi.exception_handlers import (
    http_exception_handler,
    request_validation_exception_handler,
)
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException
from starlette.middleware.sessions import SessionMiddleware

from core.errors import AdminRequired, CsrfError, LoginRequired, ResultsStoreError
from core.settings import Settings
from review.repository import now
from store.db import open_store
from store.objects import make_storage
from web import pages_admin, pages_case, pages_document, pages_login, pages_queue
from web.api import router as api_router
from web.auth import current_user
from web.body_limit import BodyLimit
from web.csrf import MESSAGE as CSRF_MESSAGE
from web.gate import API_PREFIX, LoginGate, SecurityHeaders, denied
from web.prescreen_pool import start_pool, stop_pool
from web.throttle import PasswordChecks
from web.ui import HERE, render

log = logging.getLogger(__name__)

SWAGGER_ASSETS = Path(fastapi_offline.__file__).resolve().parent / "static"  # Swagger UI 5

DATABASE_DOWN_MESSAGE = (
    "De database is tijdelijk niet bereikbaar; er is niets opgeslagen of gewijzigd. "
    "Probeer het over een paar minuten opnieuw."
)
RETRY_AFTER = {"Retry-After": "60"}


def _secret(settings: Settings, secret_key: str | None) -> str:
    if secret_key:
        return secret_key
    if settings.web_secret is not None and settings.web_secret.get_secret_value():
        return settings.web_secret.get_secret_value()
    log.warning(
        "BEWIJSCHECK_WEB_SECRET is not set: using a random session secret, so every login "
        "ends when this process stops and several server processes do not share sessions"
    )
    return secrets.token_urlsafe(32)


def create_app(
    settings: Settings | None = None,
    *,
    secret_key: str | None = None,
    https_only: bool = False,
    clock: Callable[[], datetime] = now,
) -> FastAPI:
    """The app over `settings`' results store (migrated here) and object storage;
    `https_only` marks the session cookie Secure (behind a TLS proxy); `clock` (aware UTC
    datetimes) times sessions and failed logins (`app.state.clock`, tests replace it)."""
    settings = settings or Settings.from_env()
    engine = open_store(settings.database_dsn())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        start_pool(app, settings)  # the upload API's worker processes, stopped on shutdown
        try:
            yield
        finally:
            stop_pool(app)
            engine.dispose()

    app = FastAPI(
        lifespan=lifespan,
        title="Bewijscheck",
        description="Beoordeling van bewijsstukken en de upload-API.",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.storage = make_storage(settings)
    app.state.clock = clock
    app.state.password_checks = PasswordChecks(
        settings.login.password_checks, settings.login.password_wait_s
    )

    # Added last runs first: headers, the body limit, the session, then the login gate.
    app.add_middleware(LoginGate)
    app.add_middleware(
        SessionMiddleware,
        secret_key=_secret(settings, secret_key),
        session_cookie="bewijscheck_sessie",
        max_age=math.ceil(settings.login.session_hours * 3600),  # the server ends it too
        same_site="lax",
        https_only=https_only,
    )
    app.add_middleware(BodyLimit, max_upload_bytes=settings.limits.max_bytes)
    app.add_middleware(SecurityHeaders, https_only=https_only)

    app.mount("/static/swagger", StaticFiles(directory=SWAGGER_ASSETS), name="swagger")
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    for module in (pages_login, pages_queue, pages_case, pages_document, pages_admin):
        app.include_router(module.router)
    app.include_router(api_router)
    _docs(app)
    _errors(app)
    return app


def _docs(app: FastAPI) -> None:
    """The API documentation, for logged-in users only: Swagger UI from the assets that the
    fastapi-offline wheel ships (no CDN), started by /static/docs.js (no inline script)."""

    @app.get("/openapi.json", include_in_schema=False, dependencies=[Depends(current_user)])
    def openapi() -> JSONResponse:
        return JSONResponse(app.openapi())

    @app.get("/docs", include_in_schema=False, dependencies=[Depends(current_user)])
    def docs(request: Request) -> HTMLResponse:
        return render(request, "docs.html")


def _errors(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: Exception) -> Response:
        return denied(request.method, request.url.path, request.url.query)

    @app.exception_handler(AdminRequired)
    async def admin_required(request: Request, exc: Exception) -> Response:
        message = "Deze pagina is alleen voor beheerders."
        return render(request, "error.html", 403, title="Geen toegang", message=message)

    @app.exception_handler(CsrfError)
    async def csrf_failed(request: Request, exc: Exception) -> Response:
        return render(request, "error.html", 403, title="Geen toegang", message=CSRF_MESSAGE)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: Any) -> Response:
        if request.url.path.startswith(API_PREFIX) or exc.status_code < 400:
            return await http_exception_handler(request, exc)
        default = "Deze pagina of dit bestand bestaat niet (meer)."
        message = (
            exc.detail if exc.detail not in (None, "Not Found", "Method Not Allowed") else None
        )
        if exc.status_code == 405:
            message = "Deze actie kan hier niet worden uitgevoerd."
        titles = {404: "Niet gevonden", 405: "Niet toegestaan", 413: "Te groot"}
        title = titles.get(exc.status_code, "Fout")
        return render(
            request, "error.html", exc.status_code, title=title, message=message or default
        )

    @app.exception_handler(SQLAlchemyError)
    @app.exception_handler(ResultsStoreError)
    async def database_down(request: Request, exc: Exception) -> Response:
        """The results database is unreachable: 503 in Dutch (JSON for the API), no traceback;
        the log names the request and the kind of error, never its statement or values."""
        log.error(
            "database not available for %s %s: %s",
            request.method,
            request.url.path,
            type(exc).__name__,
        )
        message = DATABASE_DOWN_MESSAGE
        if request.url.path.startswith(API_PREFIX):
            return JSONResponse({"detail": message}, status_code=503, headers=RETRY_AFTER)
        response = render(
            request, "error.html", 503, title="Even niet beschikbaar", message=message
        )
        response.headers.update(RETRY_AFTER)
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: Any) -> Response:
        if request.url.path.startswith(API_PREFIX):
            return await request_validation_exception_handler(request, exc)
        message = "Het adres of het formulier bevat een ongeldige waarde."
        return render(request, "error.html", 422, title="Ongeldige invoer", message=message)
