"""Helpers for the web app tests: an app over a temporary SQLite database (or another results
store) and local storage, users, a review case made with `rulekit` (the POK's crebo differs,
so the case is rejected with CREBO_MISMATCH), logging in through the real form, and a clock
the tests move by hand."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from core.enums import Slot
from core.manifest import ManifestEntry
from core.settings import Settings
from pipeline.assemble import assemble_report
from review import repository
from review.importer import import_case
from store.review_tables import CaseRow
from tests import rulekit
from web.app import create_app
from web.auth import Role, add_user

PASSWORD = "lang-genoeg-wachtwoord"
REG = rulekit.registration()
RID = REG.registratie_id
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class Clock:
    """A clock for `app.state.clock` that only moves when told."""

    def __init__(self) -> None:
        self.at = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at += timedelta(**delta)


def make_app(tmp_path: Path, **settings: Any) -> FastAPI:
    """An app with reviewer `bram`, admin `anna` and one rejected case; `settings` are passed
    to `Settings` (e.g. `database_url`, `login`)."""
    app = create_app(Settings(data_dir=tmp_path / "data", **settings), secret_key="test-secret")
    add_user(app.state.engine, "bram", PASSWORD, Role.REVIEWER)
    add_user(app.state.engine, "anna", PASSWORD, Role.ADMIN)
    docs = rulekit.replace(rulekit.a_documents(), rulekit.pok(crebo="25480"))
    pairs = [
        (ManifestEntry(registratie_id=RID, slot=d.slot, bestand=d.file, line=i), d)
        for i, d in enumerate(docs, start=2)
    ]
    entry = assemble_report([REG], pairs).registrations[0]
    import_case(app.state.engine, REG, pairs, entry, "batch:test")
    return app


def csrf_of(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "page has no CSRF field"
    return match.group(1)


def login(client: TestClient, username: str = "bram", password: str = PASSWORD) -> str:
    """Log in through the form; returns the new session's CSRF token."""
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token, "next": "/"},
    )
    assert response.status_code == 303, response.text
    return csrf_of(client.get("/").text)


def client_for(app: FastAPI) -> TestClient:
    return TestClient(app, follow_redirects=False)


def case(app: FastAPI) -> CaseRow:
    with Session(app.state.engine) as session:
        row = session.get(CaseRow, RID)
        assert row is not None
        session.expunge(row)
        return row


def document_id(app: FastAPI, slot: Slot) -> int:
    """The review_documents row id of the case's document in `slot`."""
    with Session(app.state.engine) as session:
        docs = repository.documents(session, RID)
    return next(d.id for d in docs if d.entry.slot is slot)


def flashes(html: str) -> list[str]:
    return re.findall(r'<p class="flash[^"]*"[^>]*>([^<]*)</p>', html)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest) -> Iterator[dict[str, Any]]:
    """Settings for `make_app`'s results store: SQLite in the data folder, or a fresh database
    on the session's PostgreSQL server (the test module imports `postgres_url` from
    tests.test_results_store and binds this fixture)."""
    if request.param == "sqlite":
        yield {}
        return
    server: str = request.getfixturevalue("postgres_url")
    name = f"w_{uuid.uuid4().hex}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield {"database_url": SecretStr(server.rsplit("/", 1)[0] + f"/{name}")}
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
