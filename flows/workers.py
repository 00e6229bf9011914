"""Where the batch's local worker processes come from: forked from a fork server that has
loaded the task engine, the stages and the document-type model once (`flows.worker_preload`).

Spawned workers (Prefect's default) each imported Prefect and the stages and loaded the model
themselves, about 3 s of CPU a worker before its first document, on the cores the documents
need. Forked from the fork server they start in milliseconds and the load is paid once. The
fork server is a fresh process (not a fork of the command line with its threads), so the
workers inherit no Prefect client, event loop or lock; each task brings its settings and its
Prefect context, as with spawned workers.

`start_early` starts the fork server as the command line starts, so that its loading runs
beside the command line's own (imports, the Prefect flow run, the inputs) on another core.
A batch that finds every document in the cache then loads it for nothing (about 3 s of CPU,
not of waiting). This module imports no Prefect: the command line calls it first."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
from multiprocessing import forkserver
from multiprocessing.context import ForkServerContext

PRELOAD = "flows.worker_preload"


def worker_context() -> ForkServerContext:
    """The start method of the batch's workers: forked from the fork server, which imports
    `PRELOAD` as it starts (a server already running keeps what it loaded)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([PRELOAD])
    return context


def start_early() -> None:
    """Start the fork server now; it loads `PRELOAD` in the background and the batch's pool
    forks its workers from it. Returns at once; a second call finds it running."""
    worker_context()
    forkserver.ensure_running()


def stop() -> None:
    """Stop the fork server (if this process started one) and reap it: the batch's workers
    have ended with its pool. It is killed rather than asked to leave: asked, it tore down all
    it had loaded first (0.65 s, which the command waited for), and it holds nothing to save
    (SIGTERM: it has no handler for it). Reaped, its CPU time and its workers' count in this
    process's children's time (what `benchmarks.performance` measures)."""
    server = getattr(forkserver, "_forkserver", None)
    halt = getattr(server, "_stop", None)  # CPython's own (used by its tests), 3.8+
    if not callable(halt):
        return
    pid = getattr(server, "_forkserver_pid", None)
    if pid is not None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    halt()  # closes its pipe and reaps it
