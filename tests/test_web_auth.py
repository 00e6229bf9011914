"""Logging in to the web app: argon2id hashes, a wrong password gets no session, the form
needs its CSRF token, a login starts a new session (new cookie, new CSRF token), `next` never
leads to another site, and a deactivated user's session ends at the next request."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from store.review_tables import AuditRow, UserRow
from tests.webkit import PASSWORD, client_for, csrf_of, flashes, login, make_app
from web.auth import AuthError, Role, add_user


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    return make_app(tmp_path)


def test_passwords_are_stored_as_argon2id_hashes(app: FastAPI) -> None:
    with Session(app.state.engine) as session:
        row = session.scalar(select(UserRow).where(UserRow.username == "bram"))
    assert row is not None and row.password_hash.startswith("$argon2id$")
    assert PASSWORD not in row.password_hash
    with pytest.raises(AuthError, match="exists"):
        add_user(app.state.engine, "bram", PASSWORD, Role.ADMIN)
    with pytest.raises(AuthError, match="at least"):
        add_user(app.state.engine, "cor", "kort", Role.REVIEWER)


def test_wrong_password_gets_no_session(app: FastAPI) -> None:
    client = client_for(app)
    token = csrf_of(client.get("/login").text)
    for username, password in (("bram", "fout-wachtwoord-123"), ("niemand", PASSWORD)):
        response = client.post(
            "/login", data={"username": username, "password": password, "csrf_token": token}
        )
        assert response.status_code == 400
        assert "Onbekende gebruikersnaam of onjuist wachtwoord." in response.text
        assert PASSWORD not in response.text
    assert client.get("/").status_code == 303


def test_login_form_needs_its_csrf_token(app: FastAPI) -> None:
    client = client_for(app)
    client.get("/login")
    response = client.post("/login", data={"username": "bram", "password": PASSWORD})
    assert response.status_code == 403
    assert client.get("/").status_code == 303


def test_login_rotates_the_session(app: FastAPI) -> None:
    client = client_for(app)
    before_token = csrf_of(client.get("/login").text)
    before_cookie = client.cookies["bewijscheck_sessie"]
    response = client.post(
        "/login",
        data={"username": "bram", "password": PASSWORD, "csrf_token": before_token, "next": "/"},
    )
    assert response.status_code == 303 and response.headers["location"] == "/"
    after_cookie = client.cookies["bewijscheck_sessie"]
    after_token = csrf_of(client.get("/").text)
    assert after_cookie != before_cookie and after_token != before_token
    # the pre-login cookie (e.g. planted by someone else) is not logged in
    stale = client_for(app)
    stale.cookies.set("bewijscheck_sessie", before_cookie)
    assert stale.get("/").status_code == 303
    set_cookie = response.headers["set-cookie"].lower()
    assert "httponly" in set_cookie and "samesite=lax" in set_cookie


def test_next_stays_on_this_site(app: FastAPI) -> None:
    for target, expected in (("//evil.example/x", "/"), ("/registraties/R0001234", None)):
        fresh = client_for(app)
        token = csrf_of(fresh.get("/login").text)
        response = fresh.post(
            "/login",
            data={"username": "bram", "password": PASSWORD, "csrf_token": token, "next": target},
        )
        assert response.headers["location"] == (expected or target)


def test_logout_ends_the_session_and_is_audited(app: FastAPI) -> None:
    client = client_for(app)
    token = login(client)
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 303 and response.headers["location"] == "/login"
    page = client.get("/login")
    assert flashes(page.text) == ["Je bent afgemeld."]
    assert client.get("/").status_code == 303
    with Session(app.state.engine) as session:
        actions = [(a.username, a.action) for a in session.scalars(select(AuditRow))]
    assert ("bram", "login") in actions and ("bram", "logout") in actions


def test_deactivated_user_is_logged_out(app: FastAPI) -> None:
    client = client_for(app)
    login(client)
    with Session(app.state.engine) as session, session.begin():
        session.execute(update(UserRow).where(UserRow.username == "bram").values(active=False))
    response = client.get("/")
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
