"""`bewijscheck web ...`: start the reviewer web app and create its users. Registered as a
sub-app of `bewijscheck.cli`, which also offers `serve` at the top: `bewijscheck serve`."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Annotated

import typer

from bewijscheck.exits import App
from core.errors import AuthError, UsageError
from core.settings import Settings

app = App(no_args_is_help=True, help="The reviewer web app.")


@app.command("serve", help="The same as `bewijscheck serve` (kept as an alias).")
def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    https_only: Annotated[
        bool,
        typer.Option(
            "--https-only",
            help="behind a TLS proxy: the session cookie only over HTTPS, and HSTS",
        ),
    ] = False,
    forwarded_allow_ips: Annotated[
        str,
        typer.Option(
            help="addresses of the proxy whose X-Forwarded-For/-Proto headers are trusted "
            "(comma-separated, '*' only when nothing but the proxy can reach this port)"
        ),
    ] = "127.0.0.1",
    ssl_certfile: Annotated[
        Path | None,
        typer.Option(help="serve HTTPS directly with this certificate (PEM) instead of a proxy"),
    ] = None,
    ssl_keyfile: Annotated[Path | None, typer.Option(help="the certificate's key (PEM)")] = None,
) -> None:
    """Serve the reviewer web app (and the upload API) with uvicorn."""
    import uvicorn

    from pipeline.bootstrap import init_process
    from web.app import create_app

    if (ssl_certfile is None) != (ssl_keyfile is None):
        raise typer.BadParameter("give both --ssl-certfile and --ssl-keyfile, or neither")
    settings = Settings.from_env()
    init_process(settings, log_level=logging.WARNING)  # uvicorn logs its requests itself
    direct_tls = ssl_certfile is not None
    application = create_app(settings, https_only=https_only or direct_tls)
    # proxy headers: the client address and scheme from the TLS proxy in front (only from the
    # addresses trusted here: the login throttle counts failures per client address)
    uvicorn.run(
        application,
        host=host,
        port=port,
        proxy_headers=True,
        forwarded_allow_ips=forwarded_allow_ips,
        ssl_certfile=str(ssl_certfile) if ssl_certfile else None,
        ssl_keyfile=str(ssl_keyfile) if ssl_keyfile else None,
    )


@app.command("add-user")
def add_user(
    username: Annotated[str, typer.Argument(help="login name (a-z, 0-9, '.', '_', '-')")],
    role: Annotated[str, typer.Option(help="reviewer or admin")] = "reviewer",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="read the password from standard input")
    ] = False,
    update: Annotated[
        bool, typer.Option("--update", help="set a new password and role for an existing user")
    ] = False,
) -> None:
    """Create a reviewer or admin (the password is asked for, or read with --password-stdin)."""
    from store.db import open_store
    from web.auth import Role
    from web.auth import add_user as create

    try:
        chosen = Role(role)
    except ValueError:
        raise typer.BadParameter("choose reviewer or admin", param_hint="--role") from None
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    settings = Settings.from_env()
    engine = open_store(settings.database_dsn())
    try:
        create(engine, username, password, chosen, update=update)
    except AuthError as exc:
        raise UsageError(str(exc)) from None
    typer.echo(f"user {username.strip().lower()} saved as {chosen.value}")


@app.command("deactivate-user")
def deactivate_user(
    username: Annotated[str, typer.Argument(help="login name")],
) -> None:
    """Deactivate a user: no more logins, and their open sessions end at once
    (`add-user --update` makes the user active again)."""
    from store.db import open_store
    from web.auth import deactivate_user as deactivate

    engine = open_store(Settings.from_env().database_dsn())
    try:
        ended = deactivate(engine, username)
    except AuthError as exc:
        raise UsageError(str(exc)) from None
    finally:
        engine.dispose()
    typer.echo(f"user {username.strip().lower()} deactivated; {ended} open session(s) ended")
