"""The batch's task runner: every worker process is made ready by `warm_worker` as it starts
(Prefect copies the runner for each flow run: the copy keeps it); without settings it is
Prefect's plain process pool; the warm-up never raises into the pool."""

from __future__ import annotations

import pytest

from core.settings import Settings
from flows import runner
from flows.batch import task_runner
from flows.runner import WarmProcessPool, warm_worker


def test_the_batch_runner_warms_each_worker_and_its_copies_do_too() -> None:
    settings = Settings(workers=3)
    pool = task_runner(settings)
    assert isinstance(pool, WarmProcessPool)
    copy = pool.duplicate()
    for each in (pool, copy):
        assert each._initializer is warm_worker and each._initargs == (settings,)
        assert each._max_workers == 3
    assert WarmProcessPool(max_workers=1)._initializer is None


def test_a_failing_warm_up_is_logged_not_raised(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("no model")

    monkeypatch.setattr("pipeline.bootstrap.init_process", broken)
    warm_worker(Settings())
    assert "worker warm-up failed" in caplog.text
    assert runner.log.name == "flows.runner"


def _worker_facts() -> tuple[str, bool, int]:
    """Run in a pool worker: how it was started, whether the fork server's preload (the
    document task's module and the stages) is in it, and its parent's pid."""
    import multiprocessing
    import os
    import sys

    method = multiprocessing.get_start_method(allow_none=True) or ""
    preloaded = {"flows.worker_preload", "flows.batch", "extractors.visual.collect"}
    return method, preloaded <= set(sys.modules), os.getppid()


def test_workers_are_forked_from_the_preloaded_fork_server() -> None:
    from multiprocessing import forkserver

    from prefect import flow, task

    facts = task(_worker_facts)

    @flow(task_runner=WarmProcessPool(max_workers=1, settings=Settings(workers=1)))
    def probe() -> tuple[str, bool, int]:
        return facts.submit().result()

    method, preloaded, parent = probe()
    assert method == "forkserver" and preloaded
    assert parent == forkserver._forkserver._forkserver_pid  # not this process, not spawned


def test_the_fork_server_starts_early_and_stops_reaped() -> None:
    import os
    from multiprocessing import forkserver

    from flows import workers

    workers.start_early()
    pid = forkserver._forkserver._forkserver_pid
    assert pid is not None
    workers.start_early()  # running: the same server
    assert forkserver._forkserver._forkserver_pid == pid
    workers.stop()
    with pytest.raises(ChildProcessError):  # reaped by stop(), not left to init
        os.waitpid(pid, os.WNOHANG)
    workers.stop()  # nothing to stop: no error


def test_a_failing_preload_is_logged_not_raised(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import importlib

    import flows.worker_preload as preload

    def broken() -> None:
        raise RuntimeError("no model")

    monkeypatch.setattr("pipeline.bootstrap.warm_up", broken)
    importlib.reload(preload)
    assert "fork server preload failed (no model)" in caplog.text
