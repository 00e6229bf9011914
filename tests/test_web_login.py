"""Throttled logins: after five failures for a user name (or more for one client address) a
further attempt waits, gets 429 in Dutch without a password check, and the right password is
refused too; the wait grows with every failure and ends with the window. Failed logins are
audited and logged at WARNING (the name, never the password). Password checks run at most
two at once; a login that finds none free in time gets 503. On SQLite and PostgreSQL."""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.settings import LoginSettings
from store.review_tables import AuditRow, UserRow
from tests import webkit
from tests.test_results_store import postgres_url  # noqa: F401 - session fixture
from tests.webkit import PASSWORD, Clock, csrf_of, make_app
from web import auth, pages_login

store = webkit.store  # sqlite and postgresql
WRONG = "fout-wachtwoord-123"
THROTTLED = "Te veel mislukte aanmeldpogingen."


class Browser:
    """A browser at a client address, with the login form's CSRF token (a failed login keeps
    the session, so the token stays valid)."""

    def __init__(self, app: FastAPI, address: str = "10.0.0.1") -> None:
        self.client = TestClient(app, follow_redirects=False, client=(address, 50000))
        self.token = csrf_of(self.client.get("/login").text)

    def login(self, username: str, password: str) -> Response:
        data = {"username": username, "password": password, "csrf_token": self.token}
        return self.client.post("/login", data=data)


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Real argon2id, with a few kB instead of 64 MiB: users are made after this, and the
    hash of unknown names is made again."""
    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=64))
    auth._dummy_hash.cache_clear()
    yield
    auth._dummy_hash.cache_clear()


def count_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The user names whose password was checked (argon2 ran)."""
    checked: list[str] = []
    real = pages_login.authenticate

    def counted(engine: Any, username: str, password: str) -> UserRow | None:
        checked.append(username)
        return real(engine, username, password)

    monkeypatch.setattr(pages_login, "authenticate", counted)
    return checked


def test_25_wrong_passwords_then_the_right_one_is_refused(
    tmp_path: Path, store: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(tmp_path, **store)
    checked = count_checks(monkeypatch)
    client = Browser(app)
    statuses = [client.login("bram", WRONG).status_code for _ in range(25)]
    assert statuses == [400] * 5 + [429] * 20
    right = client.login("Bram ", PASSWORD)
    assert right.status_code == 429 and THROTTLED in right.text
    assert PASSWORD not in right.text and int(right.headers["retry-after"]) > 0
    assert client.client.get("/").status_code == 303  # no session
    assert len(checked) == 5  # a refused attempt runs no password check
    elsewhere = Browser(app, "10.0.0.2").login("bram", PASSWORD)
    assert elsewhere.status_code == 429  # the user name waits from every address
    assert client.login("anna", PASSWORD).status_code == 303  # another user from here
    app.state.engine.dispose()


def test_a_burst_at_once_gets_no_more_checks_than_one_after_another(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """All at the same moment they all pass the first look at the throttle; the second, in
    the password check, stops them (two checks at once: at most one over the limit)."""
    app = make_app(tmp_path, login=LoginSettings(password_wait_s=30))
    checked = count_checks(monkeypatch)
    browsers = [Browser(app) for _ in range(12)]
    with ThreadPoolExecutor(12) as pool:
        answers = list(pool.map(lambda b: b.login("bram", WRONG), browsers))
    statuses = Counter(a.status_code for a in answers)
    assert statuses[400] in (5, 6) and statuses[429] == 12 - statuses[400]
    assert len(checked) == statuses[400]


def test_another_user_from_the_same_address_is_throttled_too(tmp_path: Path) -> None:
    app = make_app(tmp_path, login=LoginSettings(max_failures_per_address=3))
    guesser = Browser(app, "10.6.6.6")
    for name in ("admin", "beheer", "root"):  # one try per name
        assert guesser.login(name, WRONG).status_code == 400
    assert guesser.login("anna", PASSWORD).status_code == 429
    assert Browser(app, "10.0.0.1").login("anna", PASSWORD).status_code == 303


def test_the_wait_grows_and_the_throttle_ends_after_its_window(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    clock = app.state.clock = Clock()
    client = Browser(app)
    for _ in range(5):
        assert client.login("bram", WRONG).status_code == 400
    first = client.login("bram", PASSWORD)
    assert first.status_code == 429 and first.headers["retry-after"] == "30"
    assert "30 seconden" in first.text
    clock.advance(seconds=31)
    assert client.login("bram", WRONG).status_code == 400  # one more try, failed
    clock.advance(seconds=59)
    longer = client.login("bram", PASSWORD)
    assert longer.status_code == 429 and longer.headers["retry-after"] == "1"
    clock.advance(minutes=15)
    assert client.login("bram", PASSWORD).status_code == 303


def test_a_failed_login_is_audited_and_logged_at_warning(
    app: FastAPI, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="web.pages_login"):
        assert Browser(app, "10.1.2.3").login(" Bram", WRONG).status_code == 400
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "'bram'" in warnings[0].getMessage()
    assert WRONG not in caplog.text
    with Session(app.state.engine) as session:
        rows = list(session.scalars(select(AuditRow).where(AuditRow.action == "login_failed")))
    assert [(r.username, r.target) for r in rows] == [("bram", "10.1.2.3")]
    assert WRONG not in str([(r.before, r.after, r.reason) for r in rows])


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    return make_app(tmp_path)


def test_password_checks_run_two_at_once_and_the_rest_get_503(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(tmp_path, login=LoginSettings(password_wait_s=0.2))
    inside, release, lock = [0, 0], threading.Event(), threading.Lock()  # now, most

    def slow_check(engine: Any, username: str, password: str) -> None:
        with lock:
            inside[0] += 1
            inside[1] = max(inside)
        release.wait(timeout=10)
        with lock:
            inside[0] -= 1

    monkeypatch.setattr(pages_login, "authenticate", slow_check)
    browsers = [Browser(app, f"10.0.1.{i}") for i in range(6)]

    def post(i: int) -> Callable[[], Response]:
        return lambda: browsers[i].login(f"gebruiker{i}", WRONG)

    with ThreadPoolExecutor(6) as pool:
        futures = [pool.submit(post(i)) for i in range(6)]
        deadline = time.monotonic() + 10
        while sum(f.done() for f in futures) < 4 and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.3)  # longer than the wait for a check: a third would have started
        busy = [f.result() for f in futures if f.done()]
        assert len(busy) == 4 and inside == [2, 2]
        assert all(r.status_code == 503 and r.headers["retry-after"] for r in busy)
        assert "te veel aanmeldingen tegelijk" in busy[0].text
        release.set()
        statuses = sorted(f.result(timeout=10).status_code for f in futures)
    assert statuses == [400, 400, 503, 503, 503, 503] and inside == [0, 2]
