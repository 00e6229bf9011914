"""Progress of the running batch, reported to the command line in the same process.

Kept apart from the flow module on purpose: Prefect pickles the flow function into its worker
processes, and a callback held in the flow's own module globals would be pickled with it."""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[int, int], None]
_listener: Progress | None = None


def listen(listener: Progress | None) -> None:
    """Send `(done, total)` to `listener` from now on (None stops)."""
    global _listener
    _listener = listener


def notify(done: int, total: int) -> None:
    if _listener is not None:
        _listener(done, total)
