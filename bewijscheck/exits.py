"""The one place where errors become exit codes. Every command of the command line
(`bewijscheck.cli` and the apps it adds) is registered through `App`, which runs it under
`exit_on_error`: a `BewijscheckError` ends the command with the error's `exit_code` and a
one-line reason on stderr, `bewijscheck: <reason>`. Commands raise; none picks an exit status
or prints a reason itself (click's own usage errors aside)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

import typer

from core.errors import BewijscheckError

F = TypeVar("F", bound=Callable[..., Any])


def tell(exc: BewijscheckError) -> None:
    """The one-line reason on stderr; also for an error a command survives (`intake --watch`
    reports an outage and polls again)."""
    typer.echo(f"bewijscheck: {exc}", err=True)


def exit_on_error(command: F) -> F:
    """`command`, with a BewijscheckError turned into its exit code and reason."""

    @functools.wraps(command)  # Typer reads the options from the wrapped signature
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except BewijscheckError as exc:
            tell(exc)
            raise typer.Exit(int(exc.exit_code)) from None

    return cast(F, run)


class App(typer.Typer):
    """A Typer app whose every command runs under `exit_on_error`."""

    def command(self, *args: Any, **kwargs: Any) -> Callable[[F], F]:
        register = super().command(*args, **kwargs)

        def decorator(function: F) -> F:
            register(exit_on_error(function))
            return function

        return decorator
