"""The `bewijscheck` command line (CONTRACT, "Command line"). The only place where output is
printed; errors become exit codes in `bewijscheck.exits`, for this app and those it adds."""

from __future__ import annotations

import atexit
import logging
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bewijscheck.exits import App, tell
from core.enums import Slot
from core.errors import BewijscheckError, ExitCode, InputError
from core.settings import Settings

if TYPE_CHECKING:
    from core.report import Report

app = App(
    add_completion=False,
    no_args_is_help=True,
    help="Controleer bewijsstukken voor SectorplanPlus-registraties.",
)
log = logging.getLogger("bewijscheck")


def _register_subcommands() -> None:
    from bewijscheck import audit_cli, retention_cli, token_cli, web_cli

    web_cli.app.add_typer(token_cli.app)
    app.command("serve")(web_cli.serve)  # CONTRACT's name; `bewijscheck web serve` stays
    app.add_typer(web_cli.app, name="web")
    app.add_typer(retention_cli.app)
    app.add_typer(audit_cli.app, name="audit")


def _settings(workers: int | None, data_dir: Path | None) -> Settings:
    settings = Settings.from_env()
    update: dict[str, object] = {}
    if workers is not None:
        update["workers"] = workers
    if data_dir is not None:
        update["data_dir"] = data_dir
    return settings.model_copy(update=update)


def _init(settings: Settings, verbose: bool) -> None:
    """Prefect's environment for a temporary server, then the process initialiser
    (`pipeline.bootstrap`) with the log level of `--verbose`; before Prefect is imported."""
    # The temporary Prefect server migrates its SQLite database on a first start, which takes
    # longer than Prefect's default 20 s on a small machine.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    home = os.environ.get("PREFECT_HOME")
    if home:  # Prefect creates its home without parents and fails on a fresh clone
        Path(home).expanduser().mkdir(parents=True, exist_ok=True)
    from pipeline.bootstrap import init_process

    init_process(settings, log_level=logging.INFO if verbose else logging.WARNING)


ExistingFile = Annotated[Path, typer.Option(exists=True, dir_okay=False, readable=True)]


@app.command()
def batch(
    registrations: ExistingFile,
    manifest: ExistingFile,
    out: Annotated[
        Path, typer.Option(file_okay=False, help="folder for report.json, .xlsx and .html")
    ],
    workers: Annotated[int | None, typer.Option(min=1, help="parallel documents")] = None,
    data_dir: Annotated[Path | None, typer.Option(help="local storage folder")] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="check every document again, ignore stored results")
    ] = False,
    verbose: bool = False,
) -> None:
    """Check every document of every registration; write the reports to OUT."""
    settings = _settings(workers, data_dir)
    if no_cache:
        settings = settings.model_copy(update={"cache": False})
    _init(settings, verbose)
    if not settings.dask_address:  # local workers: their fork server loads beside us
        from flows import workers as fork_server

        fork_server.start_early()
        atexit.register(fork_server.stop)
    from core.manifest import load_manifest
    from core.registration import load_registrations
    from flows.batch import run_batch

    try:
        load_registrations(registrations)
        load_manifest(manifest)
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create {out}: {exc.strerror}") from None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    started_at = datetime.now(UTC)
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=True,
        # no stdout/stderr proxies: Prefect pickles the logging context into the worker
        # processes, and rich's proxies hold locks that cannot be pickled
        redirect_stdout=False,
        redirect_stderr=False,
    ) as bar:
        task = bar.add_task("Documenten controleren", total=None)
        report = run_batch(  # a BewijscheckError: e.g. the object store is unreachable
            registrations,
            manifest,
            settings,
            on_progress=lambda done, total: bar.update(task, completed=done, total=total),
            review=True,
        )
    paths = _write_reports(report, out)
    _store_report(report, settings, started_at, [str(registrations), str(manifest)])
    _print_summary(report, paths)


def _store_report(
    report: Report, settings: Settings, started_at: datetime, input_files: list[str]
) -> None:
    """Save the run to the results store (after the report files, so they exist whatever)."""
    from store.runs import RunInfo, store_report

    run = RunInfo(started_at=started_at, input_files=input_files)
    store_report(settings.database_dsn(), report, run)


def _write_reports(report: Report, out: Path) -> list[Path]:
    """report.json (CONTRACT), report.xlsx (back office) and report.html (reviewers)."""
    from outputs.html import write_html
    from outputs.xlsx import write_xlsx

    paths = [out / "report.json", out / "report.xlsx", out / "report.html"]
    # All three are written beside their names first and renamed only when all succeeded: a
    # full disk leaves the previous reports (or none), never a half-written one.
    temps = [path.with_name(f".tmp-{path.name}") for path in paths]
    try:
        temps[0].write_text(report.to_json(), encoding="utf-8")
        write_xlsx(report, temps[1])
        write_html(report, temps[2])
        for temp, path in zip(temps, paths, strict=True):
            os.replace(temp, path)
    except OSError as exc:
        for temp in temps:
            temp.unlink(missing_ok=True)
        reason = exc.strerror or type(exc).__name__
        raise BewijscheckError(f"the reports could not be written to {out}: {reason}") from None
    return paths


TOP_CODES = 8


def _print_summary(report: Report, paths: list[Path]) -> None:
    """One screen: verdicts, the most frequent finding codes, documents, skipped rows, files."""
    from rich.console import Console
    from rich.table import Table

    from outputs.labels import (
        SEVERITY_LABEL,
        VERDICT_LABEL,
        code_counts,
        document_count,
        verdict_counts,
    )

    style = {"reject": "red", "review": "yellow", "approve": "green"}
    table = Table(title="bewijscheck — samenvatting", title_justify="left")
    table.add_column("Onderdeel")
    table.add_column("Aantal / bestand", overflow="fold")
    table.add_row("Registraties gecontroleerd", str(len(report.registrations)))
    for verdict, count in verdict_counts(report).items():
        table.add_row(f"  {VERDICT_LABEL[verdict]}", str(count), style=style[verdict.value])
    table.add_section()
    codes = code_counts(report)
    for code, severity, count in codes[:TOP_CODES]:
        table.add_row(f"{code.value} ({SEVERITY_LABEL[severity]})", str(count))
    if len(codes) > TOP_CODES:
        more = len(codes) - TOP_CODES
        table.add_row(f"… {more} andere code{'s' if more > 1 else ''}", "zie report.html")
    if not codes:
        table.add_row("Geen bevindingen", "0")
    table.add_section()
    table.add_row("Documenten", str(document_count(report)))
    table.add_row(
        "Invoerregels overgeslagen",
        str(len(report.input_problems)),
        style="yellow" if report.input_problems else None,
    )
    table.add_section()
    for path in paths:
        table.add_row(path.suffix.removeprefix(".").upper(), str(path))
    Console().print(table)


@app.command()
def check(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    registrations: ExistingFile,
    id: Annotated[str, typer.Option("--id", help="R-number of the registration")],
    slot: Annotated[Slot, typer.Option(help="upload slot")],
    verbose: bool = False,
) -> None:
    """Pre-screen one upload for one registration; print its report entry as JSON."""
    settings = _settings(None, None)
    _init(settings, verbose)
    from pipeline.prescreen import prescreen

    entry = prescreen(file, registrations, id, slot, settings)
    typer.echo(entry.model_dump_json(indent=2))


@app.command()
def intake(
    registrations: ExistingFile,
    watch: Annotated[
        bool, typer.Option("--watch", help="keep polling until interrupted (Ctrl+C)")
    ] = False,
    interval: Annotated[
        float, typer.Option(min=0.1, help="seconds between passes with --watch")
    ] = 30.0,
    data_dir: Annotated[Path | None, typer.Option(help="local storage folder")] = None,
    verbose: bool = False,
) -> None:
    """Pre-screen every new object of the incoming bucket once; print one JSON line per
    object handled (the report entries go to the results store)."""
    settings = _settings(None, data_dir)
    _init(settings, verbose)
    import json
    import time

    from pipeline.bucket_intake import IntakeOutcome, open_intake

    def show(outcomes: list[IntakeOutcome]) -> None:
        for outcome in outcomes:
            typer.echo(json.dumps(outcome.summary(), ensure_ascii=False))

    try:
        with open_intake(settings, registrations) as bucket:
            if not watch:
                show(bucket.poll())
                return
            while True:
                try:
                    show(bucket.poll())
                except BewijscheckError as exc:  # an outage: report it, try again later
                    tell(exc)
                time.sleep(interval)
    except KeyboardInterrupt:
        return


@app.command("eval")
def evaluate(
    truth: ExistingFile,
    report: ExistingFile,
) -> None:
    """Score a report against ground truth; print one metric a line."""
    from outputs.evaluate import format_metrics, load_json, score

    metrics = score(load_json(truth, "truth"), load_json(report, "report"))
    typer.echo(format_metrics(metrics))


_register_subcommands()  # after the commands above: `serve` is listed after them


def main() -> None:  # pragma: no cover - console entry for `python -m`
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(int(ExitCode.RUN_FAILED))
