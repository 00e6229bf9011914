"""Pre-screen latency once served: how long the portal waits for the answer to one upload.

Starts its own standing Prefect server (SQLite, in a temporary `PREFECT_HOME`), then sends
`--n` pre-screens of a one-page born-digital PDF (a payslip from `fixtures/sample`) after a
warm-up, and prints p50/p95/max of the end-to-end time, submit → result in the caller:

- `task worker`: the portal's path, `prescreen_via_worker` (`prescreen_task.delay`) to a warm
  `python -m flows.prescreen --task-worker` (runs pushed over a websocket, models loaded once);
- `in-process flow`: the `prescreen_upload` flow called in this (warm) process against the
  standing server, as a long-running upload API could do without a worker; besides its API
  round trips, Prefect 3.8's flow engine joins its heartbeat thread at the end, which sleeps
  in 1 s steps (up to 1 s per call);
- `run_deployment`: the `prescreen-upload` deployment of `prescreen_upload.serve()` with the
  runner polling every second (`--serve-n` runs; 0 skips it): a new process per run;
- `prescreen()`: the bare function in this warm process, without Prefect.

    .venv/bin/python -m benchmarks.prescreen_latency [--n 30] [--serve-n 5]

Percentiles are nearest-rank. Exits 1 when the task worker's p50 or p95 is 1 s or more (the
work dir with the server and worker logs is then kept). All subprocesses (server, workers)
are stopped on exit, also on Ctrl-C."""

from __future__ import annotations

import argparse
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "fixtures" / "sample"
DEFAULT_FILE = SAMPLE / "docs" / "r0210073_loonstrook_start.pdf"  # born-digital, one page
DEFAULT_REGISTRATION = "R0210073"
DEFAULT_SLOT = "loonstrook_start"
TARGET_S = 1.0
# Set before Prefect is imported, for this process (the caller) and the subprocesses.
QUIET_PREFECT = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL": "WARNING",
    "PREFECT_LOGGING_HANDLERS_CONSOLE_FLOW_RUNS_LEVEL": "WARNING",
    "OMP_THREAD_LIMIT": "1",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def percentile(samples: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


class Processes:
    """Subprocesses in their own process groups, all stopped on `stop()`."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.running: list[tuple[str, subprocess.Popen[bytes]]] = []

    def start(self, name: str, command: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        log = (self.logs / f"{name}.log").open("wb")
        proc = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches us only; we stop the group ourselves
        )
        log.close()
        self.running.append((name, proc))
        return proc

    def stop(self, proc: subprocess.Popen[bytes]) -> None:
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            except ProcessLookupError:
                pass
        self.running = [(n, p) for n, p in self.running if p is not proc]

    def stop_all(self) -> None:
        for _, proc in reversed(self.running):
            self.stop(proc)


def wait_for_health(api_url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    """Until the server answers /api/health (the first start migrates SQLite: tens of s)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"Prefect server exited ({proc.returncode}); see {log}")
        try:
            with urllib.request.urlopen(f"{api_url}/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"Prefect server not healthy after {timeout:.0f} s; see {log}")


def start_server(procs: Processes, port: int, env: dict[str, str], timeout: float) -> None:
    """A standing Prefect server on 127.0.0.1:`port`, started and healthy (log: server.log)."""
    prefect_cli = str(Path(sys.executable).with_name("prefect"))
    server = procs.start(
        "server",
        [prefect_cli, "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env,
    )
    api_url = f"http://127.0.0.1:{port}/api"
    wait_for_health(api_url, server, procs.logs / "server.log", timeout)


def shut_down(procs: Processes, work: Path, *, remove: bool) -> None:
    """Send Prefect's queued logs and events, stop every subprocess, and remove the work dir
    when `remove`."""
    drain_prefect()
    procs.stop_all()
    if remove:
        shutil.rmtree(work, ignore_errors=True)


def timed(call: Callable[[], Any], n: int) -> tuple[list[float], Any]:
    samples: list[float] = []
    result = None
    for _ in range(n):
        started = time.perf_counter()
        result = call()
        samples.append(time.perf_counter() - started)
    return samples, result


def line(name: str, samples: list[float]) -> str:
    return (
        f"{name:<18} n={len(samples):<3} p50={percentile(samples, 50):.3f} s  "
        f"p95={percentile(samples, 95):.3f} s  max={max(samples):.3f} s"
    )


def check_entry(entry: dict[str, Any], registratie_id: str) -> None:
    if entry.get("registratie_id") != registratie_id or not entry.get("documents"):
        raise SystemExit(f"unexpected pre-screen answer: {entry!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=30, help="timed pre-screens per approach")
    parser.add_argument("--warmup", type=int, default=3, help="untimed pre-screens first")
    parser.add_argument(
        "--serve-n", type=int, default=5, help="timed run_deployment runs (0: skip)"
    )
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--registrations", type=Path, default=SAMPLE / "registrations.csv")
    parser.add_argument("--registratie-id", default=DEFAULT_REGISTRATION)
    parser.add_argument("--slot", default=DEFAULT_SLOT)
    parser.add_argument("--startup-timeout", type=float, default=180.0)
    parser.add_argument("--keep", action="store_true", help="keep the work dir (logs) on success")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the clean-up below

    work = Path(tempfile.mkdtemp(prefix="prescreen-latency-"))
    home = work / "prefect"
    home.mkdir()
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    os.environ.update(
        QUIET_PREFECT,
        PREFECT_HOME=str(home),
        PREFECT_API_URL=api_url,
        BEWIJSCHECK_DATA_DIR=str(work / "data"),
    )
    env = dict(os.environ)
    procs = Processes(work)
    file, registrations = args.file.resolve(), args.registrations.resolve()
    print(f"file: {file.relative_to(ROOT) if file.is_relative_to(ROOT) else file}")
    print(f"work dir: {work} (server and worker logs)")
    print(f"cpus: {os.cpu_count()}, load average at start: {load()}")
    ok = False
    try:
        started = time.perf_counter()
        start_server(procs, port, env, args.startup_timeout)
        print(f"Prefect server healthy after {time.perf_counter() - started:.1f} s")
        ok = run(args, procs, env, file, registrations)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
    finally:
        shut_down(procs, work, remove=ok and not args.keep)
    if not ok:
        sys.exit(1)


def drain_prefect() -> None:
    """Send this process's queued Prefect logs and events while the server still runs, so
    exiting does not retry them against a stopped server."""
    if "prefect" not in sys.modules:
        return
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    for service in (APILogWorker, EventsWorker):
        try:
            service.drain_all(timeout=10, at_exit=False)
        except Exception as exc:
            print(f"could not drain {service.__name__}: {exc}", file=sys.stderr)


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def run(
    args: argparse.Namespace,
    procs: Processes,
    env: dict[str, str],
    file: Path,
    registrations: Path,
) -> bool:
    """Measure every approach and print the table; True when the task worker meets the
    target."""
    from core.enums import Slot
    from core.settings import Settings
    from flows.prescreen import prescreen_upload, prescreen_via_worker
    from pipeline.prescreen import prescreen, warm_up

    slot = Slot(args.slot)
    rid = args.registratie_id
    call = (file, registrations, rid, slot)
    results: dict[str, list[float]] = {}

    # -- the portal's path: a warm background-task worker ---------------------------------
    started = time.perf_counter()
    procs.start("task-worker", [sys.executable, "-m", "flows.prescreen", "--task-worker"], env)

    def delayed() -> dict[str, Any]:
        return prescreen_via_worker(*call, timeout=120)

    check_entry(delayed(), rid)  # queued until the worker subscribes, then run
    print(f"task worker answered its first run {time.perf_counter() - started:.1f} s after start")
    timed(delayed, args.warmup)
    results["task worker"], entry = timed(delayed, args.n)
    check_entry(entry, rid)

    # -- bare function and the flow, in this warm process ---------------------------------
    warm_up()
    timed(lambda: prescreen(*call, Settings.from_env()), args.warmup)
    results["prescreen()"], _ = timed(lambda: prescreen(*call, Settings.from_env()), args.n)
    timed(lambda: prescreen_upload(*call), args.warmup)
    results["in-process flow"], entry = timed(lambda: prescreen_upload(*call), args.n)
    check_entry(entry, rid)

    # -- for comparison: run_deployment against prescreen_upload.serve() --------------------
    if args.serve_n > 0:
        results["run_deployment"] = serve_runs(args, procs, env, call)

    print(f"\nload average at end: {load()} (other work on the machine slows every row)")
    for name in ("task worker", "in-process flow", "run_deployment", "prescreen()"):
        if name in results:
            print(line(name, results[name]))
    worker = results["task worker"]
    p50, p95 = percentile(worker, 50), percentile(worker, 95)
    print(f"task worker p50 < {TARGET_S:g} s: {'yes' if p50 < TARGET_S else 'NO'}")
    print(f"task worker p95 < {TARGET_S:g} s: {'yes' if p95 < TARGET_S else 'NO'}")
    return p50 < TARGET_S and p95 < TARGET_S


def serve_runs(
    args: argparse.Namespace, procs: Processes, env: dict[str, str], call: tuple[Any, ...]
) -> list[float]:
    """`run_deployment` against `prescreen_upload.serve()` polling every second; the flow's
    result is persisted so the caller can read it."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.objects import FlowRun
    from prefect.deployments import run_deployment
    from prefect.utilities.asyncutils import run_coro_as_sync

    serve_env = dict(env, PREFECT_RUNNER_POLL_FREQUENCY="1", PREFECT_RESULTS_PERSIST_BY_DEFAULT="1")
    procs.start("serve", [sys.executable, "-m", "flows.prescreen"], serve_env)
    name = "prescreen_upload/prescreen-upload"

    async def deployed() -> bool:
        async with get_client() as client:
            try:
                await client.read_deployment_by_name(name)
            except Exception:
                return False
            return True

    deadline = time.monotonic() + args.startup_timeout
    while not run_coro_as_sync(deployed()):
        if time.monotonic() > deadline:
            raise SystemExit("prescreen-upload deployment did not appear")
        time.sleep(0.5)
    parameters = dict(
        zip(("file", "registrations_csv", "registratie_id", "slot"), call, strict=True)
    )

    def deployment_run() -> dict[str, Any]:
        flow_run = run_deployment(name, parameters=parameters, timeout=180, poll_interval=0.1)
        state = cast(FlowRun, flow_run).state  # sync call: a FlowRun, not a coroutine
        if state is None or not state.is_completed():
            raise SystemExit(f"deployment run ended {state and state.type}")
        return cast(dict[str, Any], state.result())

    timed(deployment_run, 1)
    samples, entry = timed(deployment_run, args.serve_n)
    check_entry(entry, args.registratie_id)
    return samples


if __name__ == "__main__":
    main()
