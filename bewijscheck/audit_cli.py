"""`bewijscheck audit verify`: walk the audit log's hash chain (`store.audit_chain`) and name
the first row whose link does not hold. Exit code 0 when the log is intact, 5 on a break (4
when the database cannot be read). Registered on the main CLI with
`app.add_typer(audit_cli.app, name="audit")`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bewijscheck.exits import App
from core.errors import AuditChainBroken
from core.settings import Settings

app = App(add_completion=False, no_args_is_help=True, help="Het auditlog controleren.")


@app.command("verify")
def verify(
    data_dir: Annotated[
        Path | None, typer.Option(help="folder of the SQLite results store (default from env)")
    ] = None,
) -> None:
    """Check every link of the audit log's hash chain; print the number of rows and the last
    hash (keep it elsewhere: a later run must find the log grown from it)."""
    from store.audit_chain import verify_chain
    from store.db import database_errors, open_store

    settings = Settings.from_env()
    if data_dir is not None:
        settings = settings.model_copy(update={"data_dir": data_dir})
    engine = open_store(settings.database_dsn())
    try:
        with database_errors("read"):
            report = verify_chain(engine)
    finally:
        engine.dispose()
    if report.broken is not None:
        broken = report.broken
        raise AuditChainBroken(
            f"auditlog verbroken bij regel {broken.position} (id {broken.id}): {broken.reason}. "
            f"De {broken.position - 1} regels ervoor kloppen."
        )
    typer.echo(f"Auditlog intact: {report.rows} regels, laatste hash {report.head}.")
