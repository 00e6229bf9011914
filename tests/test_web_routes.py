"""Every route of the web app, walked from `app.routes` (so a route added later is covered
too): without a login a page redirects to /login and anything else answers 401, except
/login and /static; with a login every form post without the session's CSRF token is refused
with 403; admin pages refuse reviewers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from httpx import Response
from starlette.routing import Mount

from tests.webkit import client_for, login, make_app

OPEN = {"/login"}
DUMMIES = {
    "registratie_id": "R0001234",
    "document": "1",
    "document_id": "a" * 64,
    "page": "1",
    "key": "0" * 16,
    "field": "crebo",
}
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    return make_app(tmp_path)


def routes(app: FastAPI) -> list[tuple[str, str]]:
    """(method, path with dummy parameters) of every endpoint, mounts left out."""
    found = []
    for route in iter_route_contexts(app.routes):
        if isinstance(route.original_route, Mount) or route.path is None:
            continue
        path = re.sub(r"{(\w+)(:\w+)?}", lambda m: DUMMIES.get(m.group(1), "x"), route.path)
        found.extend((method, path) for method in sorted(route.methods or ()) if method in METHODS)
    return found


def assert_sent_to_login(response: Response, method: str, path: str) -> None:
    """A page redirects to the login form; anything else answers 401."""
    if response.status_code == 303:
        assert response.headers["location"].startswith("/login"), (method, path)
    else:
        assert response.status_code == 401, (method, path, response.status_code)


def test_the_walk_sees_pages_api_and_docs(app: FastAPI) -> None:
    paths = {path for _, path in routes(app)}
    assert {"/", "/registraties/R0001234", "/audit", "/docs", "/openapi.json"} <= paths
    assert "/documenten/" + "a" * 64 + "/pagina/1.jpg" in paths
    assert any(path.startswith("/api/v1/") for path in paths), "the upload API is included"
    assert len(paths) >= 12


def test_every_route_needs_a_login(app: FastAPI) -> None:
    client = client_for(app)
    checked = 0
    for method, path in routes(app):
        if path in OPEN:
            continue
        assert_sent_to_login(client.request(method, path), method, path)
        checked += 1
    assert checked >= 12


def test_pages_redirect_and_images_answer_401(app: FastAPI) -> None:
    client = client_for(app)
    page = client.get("/registraties/R0001234?x=1")
    assert page.status_code == 303
    assert page.headers["location"] == "/login?next=%2Fregistraties%2FR0001234%3Fx%3D1"
    for path in ("/documenten/" + "a" * 64 + "/pagina/1.jpg", "/openapi.json"):
        assert client.get(path).status_code == 401
    assert client.get("/login").status_code == 200
    assert client.get("/static/app.css").status_code == 200
    assert client.get("/static/app.js").headers["content-type"].startswith("text/javascript")


def test_every_form_post_needs_the_csrf_token(app: FastAPI) -> None:
    client = client_for(app)
    token = login(client, "anna")
    posts = [path for method, path in routes(app) if method == "POST"]
    pages = [path for path in posts if not path.startswith("/api/")]
    assert len(pages) >= 7
    for path in pages:
        missing = client.post(path, data={"reden": "x"})
        assert missing.status_code == 403, path
        assert "formulier is verlopen" in missing.text
        wrong = client.post(path, data={"csrf_token": token[:-2] + "xx", "reden": "x"})
        assert wrong.status_code == 403, path
    # the session is still logged in: the refused posts changed nothing
    assert client.get("/").status_code == 200


def test_admin_pages_refuse_reviewers(app: FastAPI) -> None:
    client = client_for(app)
    login(client, "bram")
    for path in ("/audit", "/gebruikers"):
        response = client.get(path)
        assert response.status_code == 403 and "alleen voor beheerders" in response.text
    admin = client_for(app)
    login(admin, "anna")
    assert admin.get("/audit").status_code == 200
    assert "bram" in admin.get("/gebruikers").text


def test_pages_send_security_headers(app: FastAPI) -> None:
    client = client_for(app)
    login(client)
    response = client.get("/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["cache-control"] == "no-store"
    cookie = response.request.headers.get("cookie", "")
    assert "bewijscheck_sessie=" in cookie


def test_every_route_refuses_a_session_that_logout_ended(app: FastAPI) -> None:
    """A cookie copied before logout is, after it, no better than none: on every route,
    with the session's CSRF token too."""
    client = client_for(app)
    token = login(client, "anna")
    cookie = client.cookies["bewijscheck_sessie"]
    assert client.post("/logout", data={"csrf_token": token}).status_code == 303
    checked = 0
    for method, path in routes(app):
        if path in OPEN:
            continue
        copy = client_for(app)  # a browser of its own each time: only the copied cookie
        copy.cookies.set("bewijscheck_sessie", cookie)
        data = {"csrf_token": token, "reden": "x"} if method != "GET" else None
        assert_sent_to_login(copy.request(method, path, data=data), method, path)
        checked += 1
    assert checked >= 12
