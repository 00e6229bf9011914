"""Upload API under load: `--n` uploads sent at once to a served reviewer app, none lost or
recorded twice.

Sets up a temporary data dir (SQLite results store, local storage) with `--n` review cases —
copies of the `fixtures/sample` registrations under new R-numbers (R9000001 ...), imported with
`review.importer.import_case` — and an organisation token per organisation (`web.tokens`); starts
`bewijscheck web serve` (uvicorn, 127.0.0.1, a free port, `BEWIJSCHECK_WORKERS` worker
processes); then sends every upload concurrently (httpx, one connection each): upload i is
born-digital fixture PDF i (round robin) to its own case, in the slot it was made for.

Checks: every answer is 200 with status `gecontroleerd`, and every upload is in the results
store exactly once — one `review_documents` row of its case, slot and sha256, and one `upload`
audit row for it. With `--same K` the first upload is sent K times at once (a portal retrying):
it must be checked and recorded once and answered `al_ontvangen` the other K - 1 times.

Prints p50/p95/max latency (nearest-rank; request sent to answer read) and throughput; exits 1
on any failed, lost or duplicated upload (the data dir is then kept).

    .venv/bin/python -m benchmarks.load_uploads [--n 50] [--workers 2] [--same 1]"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import shutil
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from benchmarks.prescreen_latency import Processes, free_port, percentile
from benchmarks.rerun import bewijscheck_command
from core.registration import load_registrations
from core.settings import Settings
from pipeline.assemble import assemble_report
from reading.admission import sha256
from review.importer import import_case
from store.db import make_engine, migrate
from store.review_tables import AuditRow, CaseDocumentRow
from web import tokens

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "fixtures" / "sample"
CHECKED = "gecontroleerd"
UNCHANGED = "al_ontvangen"


@dataclass(frozen=True)
class Upload:
    registratie_id: str
    slot: str
    path: Path
    token: str

    @property
    def document_id(self) -> str:
        return sha256(self.path.read_bytes())


@dataclass
class Answer:
    upload: Upload
    status: int
    seconds: float
    verdict_status: str | None = None
    error: str | None = None


@dataclass
class Outcome:
    answers: list[Answer]
    wall_s: float
    problems: list[str] = field(default_factory=list)

    @property
    def latencies(self) -> list[float]:
        return [a.seconds for a in self.answers]


def born_digital_pdfs() -> list[tuple[str, str, Path]]:
    """(registratie_id, slot, file) of every born-digital PDF of the sample."""
    with (SAMPLE / "samples.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [
        (row["registratie_id"], row["slot"], SAMPLE / row["file"])
        for row in rows
        if row["kind"] == "born_digital" and row["file"].endswith(".pdf")
    ]


def prepare(settings: Settings, n: int) -> list[Upload]:
    """`n` review cases (copies of the sample's registrations) and an upload for each."""
    engine = make_engine(settings.database_dsn())
    migrate(engine)
    registrations = {
        r.registratie_id: r for r in load_registrations(SAMPLE / "registrations.csv")[0]
    }
    pdfs = born_digital_pdfs()
    org_tokens: dict[str, str] = {}
    uploads: list[Upload] = []
    try:
        for i in range(n):
            rid, slot, path = pdfs[i % len(pdfs)]
            registration = registrations[rid].model_copy(
                update={"registratie_id": f"R9{i + 1:06d}"}
            )
            entry = assemble_report([registration], []).registrations[0]
            import_case(engine, registration, [], entry, "batch:load")
            org = registration.organisatie
            if org not in org_tokens:
                org_tokens[org] = tokens.create_token(engine, org, "load")[1]
            uploads.append(Upload(registration.registratie_id, slot, path, org_tokens[org]))
    finally:
        engine.dispose()
    return uploads


def wait_until_up(url: str, server: Processes, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(proc.poll() is not None for _, proc in server.running):
            raise RuntimeError(f"the web app exited; see {server.logs}")
        try:
            with urllib.request.urlopen(f"{url}/login", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the web app did not answer within {timeout:.0f} s")


def serve(settings: Settings, port: int, logs: Path) -> Processes:
    """`bewijscheck web serve` over `settings.data_dir` (local storage, SQLite)."""
    env = {
        **os.environ,
        "OMP_THREAD_LIMIT": "1",
        "BEWIJSCHECK_DATA_DIR": str(settings.data_dir),
        "BEWIJSCHECK_STORAGE": "local",
        "BEWIJSCHECK_WORKERS": str(settings.workers),
        "BEWIJSCHECK_WEB_SECRET": "load-benchmark-secret",
    }
    env.pop("BEWIJSCHECK_DATABASE_URL", None)
    server = Processes(logs)
    command = [*bewijscheck_command(), "web", "serve", "--host", "127.0.0.1", "--port", str(port)]
    server.start("web", command, env)
    return server


async def _send(client: httpx.AsyncClient, upload: Upload, start: asyncio.Event) -> Answer:
    data = upload.path.read_bytes()
    await start.wait()
    started = time.perf_counter()
    try:
        response = await client.post(
            f"/api/v1/registraties/{upload.registratie_id}/uploads",
            data={"slot": upload.slot},
            files={"bestand": (upload.path.name, data, "application/pdf")},
            headers={"Authorization": f"Bearer {upload.token}"},
        )
    except httpx.HTTPError as exc:
        return Answer(upload, 0, time.perf_counter() - started, error=type(exc).__name__)
    seconds = time.perf_counter() - started
    status = response.json().get("status") if response.status_code == 200 else None
    error = None if response.status_code == 200 else response.text[:200]
    return Answer(upload, response.status_code, seconds, status, error)


async def send_all(url: str, uploads: list[Upload], timeout_s: float) -> tuple[list[Answer], float]:
    """Every upload at once; the answers and the wall time from first send to last answer."""
    limits = httpx.Limits(max_connections=len(uploads), max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=url, timeout=timeout_s, limits=limits) as client:
        start = asyncio.Event()
        tasks = [asyncio.create_task(_send(client, u, start)) for u in uploads]
        await asyncio.sleep(0.1)  # every task has read its file and waits
        started = time.perf_counter()
        start.set()
        answers = await asyncio.gather(*tasks)
        return list(answers), time.perf_counter() - started


def verify(settings: Settings, answers: list[Answer]) -> list[str]:
    """What went wrong: failed answers, and uploads missing or recorded more than once. The
    same upload sent k times at once must be checked and recorded once, and answered
    `al_ontvangen` (and audited so) the other k - 1 times."""
    problems = [
        f"{a.upload.registratie_id}: HTTP {a.status} {a.error or ''}"
        for a in answers
        if a.status != 200
    ]
    engine = make_engine(settings.database_dsn())
    try:
        with Session(engine) as session:
            rows = session.execute(
                select(
                    CaseDocumentRow.registratie_id,
                    CaseDocumentRow.slot,
                    CaseDocumentRow.document_id,
                )
            ).all()
            audits = session.scalars(select(AuditRow).where(AuditRow.action == "upload")).all()
    finally:
        engine.dispose()
    documents = Counter((r.registratie_id, r.slot, r.document_id) for r in rows)
    audited = Counter(
        (a.registratie_id, (a.after or {}).get("document_id"), (a.after or {}).get("status"))
        for a in audits
    )
    sent = Counter((a.upload.registratie_id, a.upload.slot, a.upload.document_id) for a in answers)
    statuses = Counter(
        (a.upload.registratie_id, a.upload.slot, a.upload.document_id, a.verdict_status)
        for a in answers
    )
    for (rid, slot, document_id), times in sorted(sent.items()):
        expected = {CHECKED: 1, UNCHANGED: times - 1}
        for status_, count in expected.items():
            if (got := statuses[(rid, slot, document_id, status_)]) != count:
                problems.append(f"{rid} {slot}: {got} answers {status_} (expected {count})")
            if (got := audited[(rid, document_id, status_)]) != count:
                problems.append(f"{rid} {slot}: {got} audit rows {status_} (expected {count})")
        if (count := documents[(rid, slot, document_id)]) != 1:
            problems.append(f"{rid} {slot}: {count} review documents (expected 1)")
    if (extra := sum(documents.values()) - len(sent)) != 0:
        problems.append(f"{extra} review documents more than distinct uploads")
    if len(audits) != len(answers):
        problems.append(f"{len(audits)} upload audit rows for {len(answers)} uploads")
    return problems


def run_load(
    data_dir: Path, n: int, workers: int, timeout_s: float = 600.0, same: int = 1
) -> Outcome:
    """Prepare, serve, send `n` distinct uploads at once (the first `same` times) and verify;
    the server is stopped after."""
    settings = Settings(data_dir=data_dir, workers=workers)
    uploads = prepare(settings, n)
    uploads += [uploads[0]] * (same - 1)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = serve(settings, port, data_dir)
    try:
        wait_until_up(url, server)
        answers, wall = asyncio.run(send_all(url, uploads, timeout_s))
    finally:
        server.stop_all()
    return Outcome(answers, wall, verify(settings, answers))


def report(outcome: Outcome) -> str:
    lat = outcome.latencies
    ok = sum(a.status == 200 for a in outcome.answers)
    return (
        f"uploads={len(lat)} answered_200={ok} problems={len(outcome.problems)}\n"
        f"latency p50={percentile(lat, 50):.2f} s  p95={percentile(lat, 95):.2f} s  "
        f"max={max(lat):.2f} s\n"
        f"wall={outcome.wall_s:.2f} s  throughput={len(lat) / outcome.wall_s:.2f} uploads/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=50, help="uploads sent at once")
    parser.add_argument(
        "--workers", type=int, default=max(1, os.cpu_count() or 1), help="check processes"
    )
    parser.add_argument("--timeout", type=float, default=600.0, help="per request, seconds")
    parser.add_argument(
        "--same", type=int, default=1, help="send the first upload this many times at once"
    )
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="bewijscheck-load-"))
    outcome = run_load(data_dir, args.n, args.workers, args.timeout, args.same)
    print(report(outcome))
    if outcome.problems:
        print("\n".join(outcome.problems), file=sys.stderr)
        print(f"data dir kept: {data_dir} (server log: {data_dir / 'web.log'})", file=sys.stderr)
        raise SystemExit(1)
    shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
