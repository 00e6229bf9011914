"""The `bewijscheck` command line (CONTRACT, "Command line"). The only place where errors are
turned into exit codes and where output is printed."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from pipeline.enums import Slot
from pipeline.errors import BewijscheckError, ExitCode, InputError
from pipeline.settings import Settings

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Controleer bewijsstukken voor SectorplanPlus-registraties.",
)
log = logging.getLogger("bewijscheck")


def _fail(exc: BewijscheckError) -> typer.Exit:
    typer.echo(f"bewijscheck: {exc}", err=True)
    return typer.Exit(int(exc.exit_code))


def _settings(workers: int | None, data_dir: Path | None) -> Settings:
    settings = Settings.from_env()
    update: dict[str, object] = {}
    if workers is not None:
        update["workers"] = workers
    if data_dir is not None:
        update["data_dir"] = data_dir
    return settings.model_copy(update=update)


def _setup_logging(verbose: bool) -> None:
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    # The temporary Prefect server migrates its SQLite database on a first start, which takes
    # longer than Prefect's default 20 s on a small machine.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    home = os.environ.get("PREFECT_HOME")
    if home:  # Prefect creates its home without parents and fails on a fresh clone
        Path(home).expanduser().mkdir(parents=True, exist_ok=True)
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


ExistingFile = Annotated[Path, typer.Option(exists=True, dir_okay=False, readable=True)]


@app.command()
def batch(
    registrations: ExistingFile,
    manifest: ExistingFile,
    out: Annotated[Path, typer.Option(file_okay=False, help="folder for report.json")],
    workers: Annotated[int | None, typer.Option(min=1, help="parallel documents")] = None,
    data_dir: Annotated[Path | None, typer.Option(help="local storage folder")] = None,
    verbose: bool = False,
) -> None:
    """Check every document of every registration; write the reports to OUT."""
    _setup_logging(verbose)
    from flows.batch import run_batch
    from pipeline.manifest import load_manifest
    from pipeline.registration import load_registrations

    settings = _settings(workers, data_dir)
    try:
        load_registrations(registrations)
        load_manifest(manifest)
        out.mkdir(parents=True, exist_ok=True)
    except BewijscheckError as exc:
        raise _fail(exc) from None
    except OSError as exc:
        raise _fail(InputError(f"cannot create {out}: {exc.strerror}")) from None
    report = run_batch(registrations, manifest, settings)
    (out / "report.json").write_text(report.to_json(), encoding="utf-8")
    counts: dict[str, int] = {}
    for entry in report.registrations:
        counts[entry.verdict.value] = counts.get(entry.verdict.value, 0) + 1
    summary = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())) or "geen registraties"
    typer.echo(f"{len(report.registrations)} registraties gecontroleerd ({summary}) -> {out}")
    if report.input_problems:
        typer.echo(f"{len(report.input_problems)} invoerregel(s) overgeslagen, zie report.json")


@app.command()
def check(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    registrations: ExistingFile,
    id: Annotated[str, typer.Option("--id", help="R-number of the registration")],
    slot: Annotated[Slot, typer.Option(help="upload slot")],
    verbose: bool = False,
) -> None:
    """Pre-screen one upload for one registration; print its report entry as JSON."""
    _setup_logging(verbose)
    from pipeline.prescreen import prescreen

    try:
        entry = prescreen(file, registrations, id, slot, _settings(None, None))
    except BewijscheckError as exc:
        raise _fail(exc) from None
    typer.echo(entry.model_dump_json(indent=2))


@app.command("eval")
def evaluate(
    truth: ExistingFile,
    report: ExistingFile,
) -> None:
    """Score a report against ground truth; print one metric a line."""
    from pipeline.evaluate import format_metrics, load_json, score

    try:
        metrics = score(load_json(truth, "truth"), load_json(report, "report"))
    except BewijscheckError as exc:
        raise _fail(exc) from None
    typer.echo(format_metrics(metrics))


def main() -> None:  # pragma: no cover - console entry for `python -m`
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(int(ExitCode.RUN_FAILED))
