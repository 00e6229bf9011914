"""The `bewijscheck` command line (CONTRACT, "Command line"). The only place where errors are
turned into exit codes and where output is printed."""

from __future__ import annotations

import logging
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from core.enums import Slot
from core.errors import BewijscheckError, ExitCode, InputError
from core.settings import Settings

if TYPE_CHECKING:
    from core.report import Report

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Controleer bewijsstukken voor SectorplanPlus-registraties.",
)
log = logging.getLogger("bewijscheck")


def _register_subcommands() -> None:
    from bewijscheck import retention_cli, token_cli, web_cli

    web_cli.app.add_typer(token_cli.app)
    app.add_typer(web_cli.app, name="web")
    app.add_typer(retention_cli.app)


_register_subcommands()


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
    _setup_logging(verbose)
    from core.manifest import load_manifest
    from core.registration import load_registrations
    from flows.batch import run_batch

    settings = _settings(workers, data_dir)
    if no_cache:
        settings = settings.model_copy(update={"cache": False})
    try:
        load_registrations(registrations)
        load_manifest(manifest)
        out.mkdir(parents=True, exist_ok=True)
    except BewijscheckError as exc:
        raise _fail(exc) from None
    except OSError as exc:
        raise _fail(InputError(f"cannot create {out}: {exc.strerror}")) from None
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
        try:
            report = run_batch(
                registrations,
                manifest,
                settings,
                on_progress=lambda done, total: bar.update(task, completed=done, total=total),
                review=True,
            )
        except BewijscheckError as exc:  # e.g. the object store is unreachable
            raise _fail(exc) from None
    paths = _write_reports(report, out)
    _store_report(report, settings, started_at, [str(registrations), str(manifest)])
    _print_summary(report, paths)


def _store_report(
    report: Report, settings: Settings, started_at: datetime, input_files: list[str]
) -> None:
    """Save the run to the results store (after the report files, so they exist whatever)."""
    from store.results import RunInfo, store_report

    run = RunInfo(started_at=started_at, input_files=input_files)
    try:
        store_report(settings.database_dsn(), report, run)
    except BewijscheckError as exc:
        raise _fail(exc) from None


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
        error = BewijscheckError(f"the reports could not be written to {out}: {reason}")
        raise _fail(error) from None
    return paths


TOP_CODES = 8


def _print_summary(report: Report, paths: list[Path]) -> None:
    """One screen: verdicts, the most frequent finding codes, documents, skipped rows, files."""
    from rich.console import Console
    from rich.table import Table

    from outputs.html import (
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
    _setup_logging(verbose)
    from pipeline.prescreen import prescreen

    try:
        entry = prescreen(file, registrations, id, slot, _settings(None, None))
    except BewijscheckError as exc:
        raise _fail(exc) from None
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
    _setup_logging(verbose)
    import json
    import time

    from pipeline.bucket_intake import IntakeOutcome, open_intake

    def show(outcomes: list[IntakeOutcome]) -> None:
        for outcome in outcomes:
            typer.echo(json.dumps(outcome.summary(), ensure_ascii=False))

    try:
        with open_intake(_settings(None, data_dir), registrations) as bucket:
            if not watch:
                show(bucket.poll())
                return
            while True:
                try:
                    show(bucket.poll())
                except BewijscheckError as exc:  # an outage: report it, try again later
                    typer.echo(f"bewijscheck: {exc}", err=True)
                time.sleep(interval)
    except BewijscheckError as exc:
        raise _fail(exc) from None
    except KeyboardInterrupt:
        return


@app.command("eval")
def evaluate(
    truth: ExistingFile,
    report: ExistingFile,
) -> None:
    """Score a report against ground truth; print one metric a line."""
    from outputs.evaluate import format_metrics, load_json, score

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
