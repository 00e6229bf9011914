"""`bewijscheck web add-user`: creates a user with an argon2id hash in the results store,
refuses an existing name without --update, a short password and an unknown role; the
password never appears in the output. And the app's session secret comes from settings."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from bewijscheck.web_cli import app as web_cli
from core.settings import Settings
from store.db import make_engine
from store.review_tables import UserRow
from web.app import _secret

PASSWORD = "een-lang-wachtwoord"


def test_add_user_from_stdin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BEWIJSCHECK_DATA_DIR", str(tmp_path))
    runner = CliRunner()
    result = runner.invoke(
        web_cli, ["add-user", "Anna", "--role", "admin", "--password-stdin"], input=PASSWORD
    )
    assert result.exit_code == 0, result.output
    assert "user anna saved as admin" in result.output and PASSWORD not in result.output
    engine = make_engine(f"sqlite:///{tmp_path / 'bewijscheck.db'}")
    with Session(engine) as session:
        row = session.scalar(select(UserRow).where(UserRow.username == "anna"))
    assert row is not None and row.role == "admin" and row.password_hash.startswith("$argon2id$")

    again = runner.invoke(web_cli, ["add-user", "anna", "--password-stdin"], input=PASSWORD)
    assert again.exit_code == 2 and "--update" in again.output
    update = ["add-user", "anna", "--role", "reviewer", "--password-stdin", "--update"]
    assert runner.invoke(web_cli, update, input=PASSWORD + "2").exit_code == 0
    short = runner.invoke(web_cli, ["add-user", "bram", "--password-stdin"], input="kort")
    assert short.exit_code == 2 and "at least" in short.output
    role = runner.invoke(web_cli, ["add-user", "bram", "--role", "baas", "--password-stdin"])
    assert role.exit_code == 2


def test_session_secret_from_settings_or_random(caplog: pytest.LogCaptureFixture) -> None:
    configured = Settings(web_secret=SecretStr("uit-de-omgeving"))
    assert _secret(configured, None) == "uit-de-omgeving"
    assert _secret(configured, "expliciet") == "expliciet"
    with caplog.at_level(logging.WARNING):
        first, second = _secret(Settings(), None), _secret(Settings(), None)
    assert first != second and len(first) >= 32
    assert "BEWIJSCHECK_WEB_SECRET is not set" in caplog.text and first not in caplog.text


def test_web_secret_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BEWIJSCHECK_WEB_SECRET", " geheim ")
    secret = Settings.from_env().web_secret
    assert secret is not None and secret.get_secret_value() == "geheim"
    assert "geheim" not in repr(Settings.from_env())
