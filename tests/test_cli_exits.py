"""Exit codes are made in one place (`bewijscheck.exits`): every command of every CLI app runs
under it, and a BewijscheckError ends any of them with its exit code and a one-line reason.
`bewijscheck serve` is the web app's command at the top (same options as `web serve`), and
the commands run the process initialiser with the settings from the environment."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.main import get_command
from typer.testing import CliRunner

from bewijscheck import cli
from bewijscheck.exits import App
from core.errors import ExitCode, InputError, UsageError
from core.settings import OcrEngine, Settings

SAMPLE = Path(__file__).parent.parent / "fixtures" / "sample"


def _commands(app: typer.Typer, prefix: str = "") -> list[tuple[str, Any, typer.Typer]]:
    found = [
        (f"{prefix}{c.name or getattr(c.callback, '__name__', '')}", c.callback, app)
        for c in app.registered_commands
    ]
    for group in app.registered_groups:  # no name: its commands join the level above
        assert group.typer_instance is not None
        found += _commands(group.typer_instance, f"{prefix}{group.name} " if group.name else prefix)
    return found


def test_every_command_runs_under_the_one_handler() -> None:
    commands = _commands(cli.app)
    names = {name for name, _, _ in commands}
    assert {"batch", "check", "intake", "eval", "serve", "web serve", "purge-originals"} <= names
    assert {"web add-user", "web add-token", "web revoke-token", "web list-tokens"} <= names
    for name, callback, app in commands:
        assert isinstance(app, App), name
        assert getattr(callback, "__wrapped__", None) is not None, f"{name} is not wrapped"


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (InputError("registrations.csv: missing column"), ExitCode.INPUT_ERROR),
        (UsageError("token 9 bestaat niet."), ExitCode.BAD_ARGS),
    ],
)
def test_an_error_becomes_its_exit_code_and_one_line(error: Exception, code: ExitCode) -> None:
    app = App()

    @app.command()
    def fails() -> None:
        raise error

    @app.command()
    def works() -> None:
        typer.echo("ok")

    result = CliRunner().invoke(app, ["fails"])
    assert result.exit_code == code
    assert result.output == f"bewijscheck: {error}\n"
    assert CliRunner().invoke(app, ["works"]).output == "ok\n"


def test_a_bad_setting_is_exit_2_with_the_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("BEWIJSCHECK_OCR_DPI", "veel")
    for args in (["purge-originals", "--dry-run"], ["web", "list-tokens"]):
        result = CliRunner().invoke(cli.app, args)
        assert result.exit_code == ExitCode.BAD_ARGS, result.output
        assert result.output.startswith("bewijscheck: invalid setting BEWIJSCHECK_OCR_DPI: ")
        assert len(result.output.strip().splitlines()) == 1


def _options(command: Any) -> list[tuple[str, ...]]:
    return [tuple(p.opts) for p in command.params]


def test_serve_is_a_top_level_command_with_the_options_of_web_serve() -> None:
    top: Any = get_command(cli.app)
    web = top.commands["web"]
    options = _options(top.commands["serve"])
    assert options == _options(web.commands["serve"])
    assert ("--host",) in options and ("--port",) in options and ("--https-only",) in options


@pytest.mark.parametrize("args", [["serve"], ["web", "serve"]])
def test_serve_initialises_the_process_and_runs_the_app(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, args: list[str]
) -> None:
    import uvicorn

    import pipeline.bootstrap
    import web.app

    calls: dict[str, Any] = {}
    monkeypatch.setenv("BEWIJSCHECK_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("BEWIJSCHECK_OCR_ENGINE", "cli")
    monkeypatch.setattr(
        pipeline.bootstrap, "init_process", lambda s, **kw: calls.update(init=(s, kw))
    )
    monkeypatch.setattr(web.app, "create_app", lambda s, **kw: calls.update(app=(s, kw)) or "app")
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.update(run=(app, kw)))
    result = CliRunner().invoke(cli.app, [*args, "--port", "8123", "--https-only"])
    assert result.exit_code == 0, result.output
    settings, options = calls["init"]
    assert isinstance(settings, Settings) and settings.ocr.engine is OcrEngine.CLI
    assert options == {"log_level": logging.WARNING}
    assert calls["app"] == (settings, {"https_only": True})
    assert calls["run"] == (
        "app",
        {
            "host": "127.0.0.1",
            "port": 8123,
            "proxy_headers": True,
            "forwarded_allow_ips": "127.0.0.1",  # only a proxy on this host is trusted
            "ssl_certfile": None,
            "ssl_keyfile": None,
        },
    )


def test_check_initialises_the_process_with_its_log_level(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import pipeline.bootstrap

    calls: list[tuple[Settings, dict[str, Any]]] = []
    monkeypatch.setattr(pipeline.bootstrap, "init_process", lambda s, **kw: calls.append((s, kw)))
    upload = tmp_path / "x.pdf"
    upload.write_bytes(b"%PDF-1.4\n%%EOF\n")
    result = CliRunner().invoke(
        cli.app,
        ["check", str(upload), "--registrations", str(SAMPLE / "registrations.csv"),
         "--id", "R9999999", "--slot", "praktijkovereenkomst", "--verbose"],
    )  # fmt: skip
    assert result.exit_code == ExitCode.INPUT_ERROR
    assert result.output == (
        f"bewijscheck: registration R9999999 not found (or invalid) in "
        f"{SAMPLE / 'registrations.csv'}\n"
    )
    assert [kw for _, kw in calls] == [{"log_level": logging.INFO}]
