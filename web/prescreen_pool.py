"""A warm pool of worker processes for the upload API's document checks (`web.api`).

Uploads are checked off the event loop in a `ProcessPoolExecutor` of `settings.workers`
processes: pdfium is not thread-safe, and OCR and OpenCV need their own interpreters to use
more than one core. Workers are started with `spawn` (never `fork` from a server that runs
threads), each is made ready by the process initialiser with the app's settings and loads the
document-type model and the extractors once (`_init_worker`), and they stay up between
uploads. The executor is made on first use; a pool whose worker died
(a crash in a native library) is replaced on the next call.

Wiring, in `create_app` (the router also makes a pool on first use when there is none, but
only `stop_pool` shuts its processes down)::

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        start_pool(app, settings)  # warm=True: start the workers now, not at the first upload
        try:
            yield
        finally:
            stop_pool(app)
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import signal
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from typing import Any, TypeVar

from fastapi import FastAPI

from core.settings import Settings
from pipeline.bootstrap import init_process

log = logging.getLogger(__name__)
T = TypeVar("T")


def _init_worker(settings: Settings) -> None:
    """Runs once in each worker process: no Ctrl+C tracebacks (the server stops the pool),
    then the process initialiser (one OCR thread, the OCR engine, quiet loggers) with the
    models loaded before the first upload."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    init_process(settings, warm=True)


def _ready() -> bool:
    return True


class PrescreenPool:
    """Worker processes that run one document check at a time each: `settings.workers` of
    them, each initialised with `settings`."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.workers = max(1, settings.workers)
        self._executor: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._executor is None:
                self._executor = ProcessPoolExecutor(
                    max_workers=self.workers,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_init_worker,
                    initargs=(self.settings,),
                )
            return self._executor

    def warm(self) -> None:
        """Start every worker now (in the background) instead of at the first uploads."""
        executor = self.executor()
        for _ in range(self.workers):
            executor.submit(_ready)

    async def run(self, fn: Callable[..., T], *args: Any, timeout: float | None = None) -> T:
        """`fn(*args)` in a worker process (fn and args picklable). Raises TimeoutError after
        `timeout` seconds (the worker finishes the call in the background) and
        BrokenProcessPool when the worker died; the next call gets a fresh pool."""
        executor = self.executor()
        loop = asyncio.get_running_loop()
        try:
            return await asyncio.wait_for(
                loop.run_in_executor(executor, partial(fn, *args)), timeout
            )
        except BrokenProcessPool:
            log.error("a pre-screen worker process died; starting a new pool")
            self._discard(executor)
            raise

    def _discard(self, executor: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._executor is executor:
                self._executor = None
        executor.shutdown(wait=False, cancel_futures=True)

    def shutdown(self, wait: bool = True) -> None:
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=wait, cancel_futures=True)


def start_pool(app: FastAPI, settings: Settings, *, warm: bool = False) -> PrescreenPool:
    """Give `app` its pool (`app.state.prescreen_pool`) of `settings.workers` processes."""
    pool = PrescreenPool(settings)
    app.state.prescreen_pool = pool
    if warm:
        pool.warm()
    return pool


def stop_pool(app: FastAPI) -> None:
    """Shut the app's worker processes down (waits for running checks); safe to call twice."""
    pool: PrescreenPool | None = getattr(app.state, "prescreen_pool", None)
    if pool is not None:
        pool.shutdown()


def pool_of(app: FastAPI) -> PrescreenPool:
    """The app's pool, made on first use when `start_pool` was not called."""
    pool: PrescreenPool | None = getattr(app.state, "prescreen_pool", None)
    if pool is None:
        settings: Settings = app.state.settings
        pool = start_pool(app, settings)
    return pool
