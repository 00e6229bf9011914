"""Organisation tokens (`web.tokens`) and their commands (`bewijscheck.token_cli`): a token is
shown once and stored as its sha256 only, a revoked one is refused, and both are audited."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from bewijscheck.token_cli import app as token_app
from core.settings import Settings
from store.db import make_engine, migrate
from store.review_tables import AuditRow, OrgTokenRow
from web import tokens

ORG = "Stichting De Wielewaal"


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(Settings(data_dir=tmp_path).database_dsn())
    migrate(engine)
    yield engine
    engine.dispose()


def test_a_token_is_stored_as_its_hash_and_can_be_revoked(engine: Engine) -> None:
    token_id, token = tokens.create_token(engine, f"  {ORG} ", "portaal")
    assert len(token) >= 43 and tokens.verify_token(engine, token) == ORG
    with Session(engine) as session:
        row = session.get(OrgTokenRow, token_id)
        assert row is not None and row.token_sha256 == tokens.token_hash(token)
        stored = [str(v) for v in vars(row).values()]
    assert not any(token in value for value in stored)
    assert tokens.verify_token(engine, token + "x") is None
    assert tokens.verify_token(engine, "x" * 1000) is None
    assert tokens.revoke_token(engine, token_id) is not None
    assert tokens.verify_token(engine, token) is None
    assert tokens.revoke_token(engine, 999) is None
    with Session(engine) as session:
        audit = [(a.action, a.target) for a in session.scalars(select(AuditRow))]
    assert audit == [
        ("add_token", f"token {token_id} ({ORG})"),
        ("revoke_token", f"token {token_id} ({ORG})"),
    ]
    with pytest.raises(ValueError, match="organisatie"):
        tokens.create_token(engine, " ")


def test_token_commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BEWIJSCHECK_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BEWIJSCHECK_DATABASE_URL", raising=False)
    runner = CliRunner()
    made = runner.invoke(token_app, ["add-token", ORG, "--label", "portaal"])
    assert made.exit_code == 0, made.output
    token = made.stdout.strip()
    assert len(token) >= 43 and "\n" not in token
    assert "geen registratie" in made.stderr  # no case of this organisation in this store
    engine = make_engine(Settings(data_dir=tmp_path).database_dsn())
    try:
        assert tokens.verify_token(engine, token) == ORG
        [info] = tokens.list_tokens(engine)
        assert info.label == "portaal"
        listed = runner.invoke(token_app, ["list-tokens"])
        assert ORG in listed.stdout and token not in listed.stdout
        revoked = runner.invoke(token_app, ["revoke-token", str(info.id)])
        assert revoked.exit_code == 0 and "ingetrokken" in revoked.stdout
        assert tokens.verify_token(engine, token) is None
        assert runner.invoke(token_app, ["revoke-token", "999"]).exit_code == 2
    finally:
        engine.dispose()
