"""`bewijscheck add-token`, `revoke-token` and `list-tokens`: the API tokens of the
employers' organisations for the upload API (`web.api`, `web.tokens`).

Register on the main CLI with `app.add_typer(token_cli.app)` (no name: the commands join the
top level). The database is the results store of `Settings.from_env()` (or `--data-dir`),
migrated first. A new token is printed once, on stdout and alone, and never stored or logged:
hand it to the organisation over a safe channel."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import Engine

from bewijscheck.exits import App
from core.errors import UsageError
from core.settings import Settings

app = App(add_completion=False, no_args_is_help=True)

DataDir = Annotated[
    Path | None, typer.Option(help="folder of the SQLite results store (default from env)")
]


def _engine(data_dir: Path | None) -> Engine:
    from store.db import open_store

    settings = Settings.from_env()
    if data_dir is not None:
        settings = settings.model_copy(update={"data_dir": data_dir})
    return open_store(settings.database_dsn())


@app.command("add-token")
def add_token(
    organisatie: Annotated[str, typer.Argument(help="organisation name, as in registrations")],
    label: Annotated[
        str, typer.Option(help="what the token is for, e.g. 'portaal productie'")
    ] = "",
    data_dir: DataDir = None,
) -> None:
    """Make an API token for an organisation; print it once (only its sha256 is stored)."""
    from web.tokens import create_token, has_cases

    engine = _engine(data_dir)
    try:
        token_id, token = create_token(engine, organisatie, label)
        known = has_cases(engine, organisatie.strip())
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    finally:
        engine.dispose()
    if not known:
        typer.echo(
            f"Let op: er is (nog) geen registratie van '{organisatie.strip()}'. Het token geeft "
            "alleen toegang tot registraties van een organisatie met precies deze naam.",
            err=True,
        )
    typer.echo(
        f"Token {token_id} voor {organisatie.strip()} aangemaakt. Dit is de enige keer dat het "
        "wordt getoond:",
        err=True,
    )
    typer.echo(token)


@app.command("revoke-token")
def revoke_token(
    token_id: Annotated[int, typer.Argument(metavar="ID", help="id shown by list-tokens")],
    data_dir: DataDir = None,
) -> None:
    """Revoke an API token: the organisation can no longer use it."""
    from web.tokens import revoke_token as revoke

    engine = _engine(data_dir)
    try:
        info = revoke(engine, token_id)
    finally:
        engine.dispose()
    if info is None:
        raise UsageError(f"token {token_id} bestaat niet.")
    typer.echo(f"Token {info.id} van {info.organisatie} is ingetrokken.")


@app.command("list-tokens")
def list_tokens(data_dir: DataDir = None) -> None:
    """List the API tokens (id, organisation, label, made, revoked); never the tokens."""
    from web.tokens import list_tokens as tokens

    engine = _engine(data_dir)
    try:
        rows = tokens(engine)
    finally:
        engine.dispose()
    for t in rows:
        revoked = f"ingetrokken {t.revoked_at:%Y-%m-%d %H:%M}" if t.revoked_at else "actief"
        typer.echo(
            f"{t.id}\t{t.organisatie}\t{t.label or '-'}\t{t.created_at:%Y-%m-%d %H:%M}\t{revoked}"
        )
