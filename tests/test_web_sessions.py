"""Sessions kept on the server: the cookie holds only a random session id; logout ends the
session for every copy of the cookie; a session ends after an hour without a request and
ten hours after the login however busy; a password change or deactivation ends every session
of that user. On SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from bewijscheck.web_cli import app as web_cli
from store.review_tables import AuditRow, LoginSessionRow
from tests import webkit
from tests.test_results_store import postgres_url  # noqa: F401 - session fixture
from tests.webkit import PASSWORD, RID, Clock, case, client_for, csrf_of, login, make_app
from web.auth import Role, add_user

COOKIE = "bewijscheck_sessie"
store = webkit.store  # sqlite and postgresql


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    app = make_app(tmp_path)
    app.state.clock = Clock()
    return app


def browser_with(app: FastAPI, cookie: str) -> TestClient:
    """Another browser with this session cookie (copied, or stolen) and no other."""
    other = client_for(app)
    other.cookies.set(COOKIE, cookie)
    return other


def refused(response: object) -> bool:
    status = getattr(response, "status_code", None)
    location = getattr(response, "headers", {}).get("location", "")
    return status == 303 and location.startswith("/login")


def test_a_cookie_copied_before_logout_is_refused_after_it(tmp_path: Path, store: dict) -> None:
    app = make_app(tmp_path, **store)
    client = client_for(app)
    token = login(client)
    cookie = client.cookies[COOKIE]
    assert browser_with(app, cookie).get("/").status_code == 200
    assert client.post("/logout", data={"csrf_token": token}).status_code == 303
    assert refused(browser_with(app, cookie).get("/"))
    claim = browser_with(app, cookie).post(f"/registraties/{RID}/claim", data={"csrf_token": token})
    assert refused(claim) and case(app).claimed_by is None
    with Session(app.state.engine) as session:
        rows = list(session.scalars(select(LoginSessionRow)))
    assert len(rows) == 1 and rows[0].revoked_at is not None
    app.state.engine.dispose()


def test_the_cookie_holds_only_the_session_id(app: FastAPI) -> None:
    client = client_for(app)
    login(client)
    payload = client.cookies[COOKIE].split(".")[0]
    data = json.loads(base64.b64decode(payload + "=" * (-len(payload) % 4)))
    assert set(data) <= {"sid", "csrf_token", "flash"} and len(data["sid"]) >= 40
    assert "bram" not in json.dumps(data)
    with Session(app.state.engine) as session:
        stored = session.scalars(select(LoginSessionRow.id)).one()
    assert stored != data["sid"] and len(stored) == 64  # only its sha256 is stored


def test_an_hour_without_a_request_ends_the_session(app: FastAPI) -> None:
    clock: Clock = app.state.clock
    client = client_for(app)
    login(client)
    for _ in range(3):  # each request keeps it open for another hour
        clock.advance(minutes=59)
        assert client.get("/").status_code == 200
    clock.advance(minutes=61)
    cookie = client.cookies[COOKIE]
    assert refused(client.get("/"))
    form = browser_with(app, cookie).get("/login")
    assert form.status_code == 200 and 'name="password"' in form.text  # not back to a page


def test_a_session_ends_ten_hours_after_the_login_however_busy(app: FastAPI) -> None:
    clock: Clock = app.state.clock
    client = client_for(app)
    login(client)
    for _ in range(11):
        clock.advance(minutes=50)
        assert client.get("/").status_code == 200, clock.at
    clock.advance(minutes=50)  # 10 h 0 min after the login
    assert refused(client.get("/"))


def test_a_password_change_ends_the_users_other_sessions(app: FastAPI) -> None:
    bram_office, bram_home, anna = client_for(app), client_for(app), client_for(app)
    login(bram_office)
    login(bram_home)
    login(anna, "anna")
    add_user(app.state.engine, "bram", PASSWORD + "-nieuw", Role.REVIEWER, update=True)
    assert refused(bram_office.get("/")) and refused(bram_home.get("/"))
    assert anna.get("/").status_code == 200  # another user's session goes on
    with Session(app.state.engine) as session:
        ended = session.scalars(select(LoginSessionRow.revoked_at)).all()
    assert sorted(e is None for e in ended) == [False, False, True]
    login(bram_home, "bram", PASSWORD + "-nieuw")
    assert bram_home.get("/").status_code == 200


def test_deactivating_a_user_ends_their_sessions(
    app: FastAPI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = client_for(app)
    login(client)
    monkeypatch.setenv("BEWIJSCHECK_DATA_DIR", str(tmp_path / "data"))
    result = CliRunner().invoke(web_cli, ["deactivate-user", "Bram"])
    assert result.exit_code == 0, result.output
    assert "user bram deactivated; 1 open session(s) ended" in result.output
    assert refused(client.get("/"))
    fresh = client_for(app)
    token = csrf_of(fresh.get("/login").text)
    again = fresh.post(
        "/login", data={"username": "bram", "password": PASSWORD, "csrf_token": token}
    )
    assert again.status_code == 400
    unknown = CliRunner().invoke(web_cli, ["deactivate-user", "niemand"])
    assert unknown.exit_code == 2 and "does not exist" in unknown.output
    with Session(app.state.engine) as session:
        actions = [(a.username, a.action, a.target) for a in session.scalars(select(AuditRow))]
    assert ("systeem", "deactivate_user", "bram") in actions
