"""Prefect wiring for the portal's pre-screen: one upload for one registration and slot →
that registration's report entry (CONTRACT shape), as `bewijscheck check` prints it.

Two ways to serve it against the standing Prefect server in `PREFECT_API_URL`:

- `python -m flows.prescreen --task-worker` (what the portal uses): a Prefect background-task
  worker serving `prescreen_task`. It is initialised (`pipeline.bootstrap.init_process`) and
  loads the models once at start and keeps them warm; the
  portal's upload API calls `prescreen_via_worker(...)` (`prescreen_task.delay(...)`, then
  waits for the result).
  Runs are pushed to the worker over a websocket and run in its warm process, so a one-page
  born-digital PDF answers in under a second (`benchmarks/prescreen_latency.py`). The worker
  and the caller must share the result storage (by default the local folder under
  `PREFECT_HOME`, so the same host and `PREFECT_HOME`; else set
  `PREFECT_TASKS_SCHEDULING_DEFAULT_STORAGE_BLOCK` and `PREFECT_RESULTS_DEFAULT_STORAGE_BLOCK`)
  and see the same upload path. Each worker runs one pre-screen at a time (pdfium is not
  thread-safe); start more worker processes for parallel uploads.
- `python -m flows.prescreen` serves the `prescreen_upload` flow as the `prescreen-upload`
  deployment, for runs from the UI, `prefect deployment run` or `run_deployment`. Such a run
  waits for the runner's poll (`PREFECT_RUNNER_POLL_FREQUENCY`, 10 s) and starts a fresh
  process that loads the models again: seconds per upload, fine for re-checks, too slow for
  an answer at upload time."""

# No `from __future__ import annotations` here: the runner cloudpickles a served flow by value
# into its run process, without the module names string annotations would need ("Path"), and
# parameter validation there would fail.
import argparse
import time
import warnings
from pathlib import Path
from typing import Any

from prefect import flow, task

from core.enums import Slot
from core.settings import Settings
from pipeline.bootstrap import init_process
from pipeline.prescreen import prescreen


def _entry(file: Path, registrations_csv: Path, registratie_id: str, slot: Slot) -> dict[str, Any]:
    settings = Settings.from_env()
    init_process(settings)  # a deployment's run is a fresh process (cheap to repeat)
    entry = prescreen(file, registrations_csv, registratie_id, slot, settings)
    return entry.model_dump(mode="json")


@flow(name="prescreen_upload", retries=1, retry_delay_seconds=2)
def prescreen_upload(
    file: Path, registrations_csv: Path, registratie_id: str, slot: Slot
) -> dict[str, Any]:
    """Check one upload; return the registration's report entry as JSON-ready data."""
    return _entry(file, registrations_csv, registratie_id, slot)


@task(name="prescreen_task")
def prescreen_task(
    file: Path, registrations_csv: Path, registratie_id: str, slot: Slot
) -> dict[str, Any]:
    """The same check as `prescreen_upload`, as a background task for the warm task worker.
    No retries: the portal waits for the answer, and a fault on our side already comes back
    as a CHECK_FAILED finding rather than an exception."""
    return _entry(file, registrations_csv, registratie_id, slot)


def prescreen_via_worker(
    file: Path,
    registrations_csv: Path,
    registratie_id: str,
    slot: Slot,
    timeout: float = 30.0,
) -> dict[str, Any]:
    """The portal's call: hand one upload to the task worker and wait for its report entry.
    Raises TimeoutError when no answer comes within `timeout` seconds (no worker running, or
    all busy); the task run stays queued for a worker."""
    future = prescreen_task.delay(file, registrations_csv, registratie_id, slot)
    deadline = time.monotonic() + timeout
    while True:
        try:
            return future.result(timeout=max(0.0, deadline - time.monotonic()))
        except RuntimeError as exc:
            # Prefect 3.8: read while the server records the worker's state change, the task
            # run can briefly come back without a state ("... hasn't started yet"); ask again.
            if "has no state" not in str(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(0.02)


def serve_task_worker() -> None:  # pragma: no cover - long-running service
    """Initialise the process and load the models, then serve `prescreen_task` until stopped
    (one run at a time)."""
    from prefect.task_worker import serve

    init_process(Settings.from_env(), warm=True)
    # A background task has no flow run, so its logs stay in this process's console (the
    # task run's states still reach the API); no warning about that on every run.
    warnings.filterwarnings("ignore", message=".*send logs to the API without a flow run id")
    serve(prescreen_task, limit=1)  # pdfium is not thread-safe: one check per process


def main(argv: list[str] | None = None) -> None:  # pragma: no cover - long-running service
    parser = argparse.ArgumentParser(description="Serve the pre-screen against PREFECT_API_URL.")
    parser.add_argument(
        "--task-worker",
        action="store_true",
        help="serve prescreen_task as a warm background-task worker (the portal's path)",
    )
    args = parser.parse_args(argv)
    if args.task_worker:
        serve_task_worker()
    else:
        prescreen_upload.serve(name="prescreen-upload")


if __name__ == "__main__":  # pragma: no cover
    main()
