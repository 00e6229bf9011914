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
