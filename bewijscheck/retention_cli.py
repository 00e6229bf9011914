"""`bewijscheck purge-originals [--dry-run]`: delete the originals older than
`BEWIJSCHECK_RETENTION_DAYS` (`store.retention`). Registered on the main CLI with
`app.add_typer(retention_cli.app)` (no name: the command joins the top level)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bewijscheck.exits import App
from core.settings import Settings

app = App(add_completion=False, no_args_is_help=True)


@app.command("purge-originals")
def purge_originals_command(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="only report what would be deleted")
    ] = False,
    data_dir: Annotated[
        Path | None, typer.Option(help="folder of the local store (default from env)")
    ] = None,
) -> None:
    """Delete the originals older than BEWIJSCHECK_RETENTION_DAYS; page renders (BSN blacked
    out) and review data stay."""
    from store.retention import purge_originals

    settings = Settings.from_env()
    if data_dir is not None:
        settings = settings.model_copy(update={"data_dir": data_dir})
    result = purge_originals(settings, dry_run=dry_run)
    what = "zouden worden verwijderd" if dry_run else "verwijderd"
    typer.echo(
        f"Bewaartermijn {settings.retention_days} dagen (alles van voor "
        f"{result.cutoff:%Y-%m-%d %H:%M} UTC): {result.checked} originelen bekeken, "
        f"{len(result.deleted)} {what} ({result.bytes_deleted / 1e6:.1f} MB), "
        f"{result.kept} bewaard."
    )
