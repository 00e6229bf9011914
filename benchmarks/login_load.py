"""Memory of the reviewer web app under a burst of failed logins: `--n` logins with a wrong
password sent at once to a served app, and the resident memory (RSS) of the server process
sampled every 10 ms. Every password check (argon2id) takes 64 MiB while it runs, so without
a bound the peak grows with the burst; with `login.password_checks` (2) it may not.

Starts `bewijscheck serve` from the source tree `--code` (default: this one; give a checkout
of an older commit to compare, e.g. `git worktree add --detach /tmp/old 45c8223`) over a
temporary data dir (SQLite, one upload worker), with reviewer `bram` made by
`bewijscheck web add-user`. Each of the `--n` clients first fetches the login form (its
cookie and CSRF token) on a connection of its own; then all post at once. Two bursts, each
on a fresh server: every login for `bram` (the per-user throttle joins in), and every login
for a name of its own (only the bound on concurrent checks helps).

Prints, per burst: the server's RSS before it and at its peak, the answers by status code
and the burst's wall time.

    .venv/bin/python -m benchmarks.login_load [--n 40] [--code /tmp/old]"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import psutil

from benchmarks.prescreen_latency import free_port

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "lang-genoeg-wachtwoord"
CLI = "from bewijscheck.cli import app; app()"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def environment(code: Path, data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BEWIJSCHECK_")}
    env.update(
        PYTHONPATH=str(code),
        BEWIJSCHECK_DATA_DIR=str(data),
        BEWIJSCHECK_WORKERS="1",
        BEWIJSCHECK_WEB_SECRET="benchmark-secret-benchmark-secret",
        OMP_THREAD_LIMIT="1",
    )
    return env


def start_server(code: Path, data: Path, port: int) -> subprocess.Popen[bytes]:
    env = environment(code, data)
    subprocess.run(
        [sys.executable, "-c", CLI, "web", "add-user", "bram", "--password-stdin"],
        input=PASSWORD.encode(),
        cwd=code,
        env=env,
        check=True,
        capture_output=True,
    )
    command = [sys.executable, "-c", CLI, "serve", "--host", "127.0.0.1", "--port", str(port)]
    log = (data / "server.log").open("wb")
    server = subprocess.Popen(command, cwd=code, env=env, stdout=log, stderr=subprocess.STDOUT)
    log.close()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited; see {data / 'server.log'}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/login", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError("the server did not start in 120 s")


class RssPeak:
    """The highest RSS of a process, sampled every 10 ms in a thread while inside."""

    def __init__(self, pid: int) -> None:
        self.process = psutil.Process(pid)
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.process.memory_info().rss)
            time.sleep(0.01)

    def __enter__(self) -> RssPeak:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


async def burst(url: str, names: list[str]) -> tuple[Counter[int], float]:
    """Every name logs in with a wrong password at the same moment."""
    clients = [httpx.AsyncClient(base_url=url, timeout=120) for _ in names]
    try:
        tokens = []
        for client in clients:
            match = _CSRF.search((await client.get("/login")).text)
            assert match, "the login form has no CSRF token"
            tokens.append(match.group(1))
        started = time.perf_counter()
        answers = await asyncio.gather(
            *(
                client.post(
                    "/login",
                    data={"username": name, "password": "fout-wachtwoord", "csrf_token": token},
                )
                for client, name, token in zip(clients, names, tokens, strict=True)
            )
        )
        return Counter(a.status_code for a in answers), time.perf_counter() - started
    finally:
        for client in clients:
            await client.aclose()


def measure(code: Path, names: list[str], label: str) -> None:
    data = Path(tempfile.mkdtemp(prefix="bewijscheck-login-load-"))
    port = free_port()
    server = start_server(code, data, port)
    try:
        time.sleep(1.0)  # settle
        before = psutil.Process(server.pid).memory_info().rss
        with RssPeak(server.pid) as rss:
            statuses, seconds = asyncio.run(burst(f"http://127.0.0.1:{port}", names))
        mib = 1024 * 1024
        answers = ", ".join(f"{code_}: {count}" for code_, count in sorted(statuses.items()))
        print(
            f"{label:<22} RSS before {before / mib:7.0f} MiB, peak {rss.peak / mib:7.0f} MiB "
            f"(+{(rss.peak - before) / mib:.0f}); answers {answers}; {seconds:.1f} s"
        )
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        shutil.rmtree(data, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=40, help="failed logins sent at once")
    parser.add_argument("--code", type=Path, default=ROOT, help="source tree to serve")
    args = parser.parse_args(argv)
    code = args.code.resolve()
    print(f"code: {code} ({args.n} failed logins at once, RSS of the server process)")
    measure(code, ["bram"] * args.n, "one user name")
    measure(code, [f"gebruiker{i:02d}" for i in range(args.n)], "a name each")
    return 0


if __name__ == "__main__":
    sys.exit(main())
