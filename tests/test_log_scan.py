"""No personal data in the logs. A full `bewijscheck batch --verbose` over a few sample
registrations (a payslip with a BSN, KvK extracts and registrations with birth dates), with
Prefect logging at DEBUG and the stage loggers sent to Prefect too, and uploads through the API
with every logger at DEBUG: no log line carries a BSN, a participant's name together with
their birth date, or a line of the documents' text. The batch's derived artefacts (cached
results, reports, the results store) carry no BSN either."""

from __future__ import annotations

import csv
import json
import logging
import os
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from benchmarks.rerun import bewijscheck_command
from core.registration import load_registrations
from core.settings import Settings
from extractors.parsers.bsn import find_bsns
from tests.test_web_api import import_empty, make_app
from web import tokens

SAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "sample"
# R0210073 has the payslip with a BSN and a KvK photo with a director's birth date; R0210505
# a KvK extract; R0210367 is small. Four registrations would take over a minute on 2 cores.
BATCH_REGISTRATIONS = ("R0210073", "R0210505", "R0210367")
MONTHS = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
MIN_TEXT_LINE = 25


def _date_forms(day: date) -> list[str]:
    month = MONTHS[day.month - 1]
    return [
        day.strftime("%d-%m-%Y"),
        day.isoformat(),
        day.strftime("%d/%m/%Y"),
        f"{day.day} {month}",  # "16 jan. 1990", "16 januari 1990"
        day.strftime("%d.%m.%Y"),
    ]


@dataclass
class Secrets:
    """What must never be in a log line."""

    bsns: set[str] = field(default_factory=set)
    people: list[tuple[str, list[str]]] = field(default_factory=list)  # name, birth date forms
    text_lines: set[str] = field(default_factory=set)

    def leaks(self, line: str) -> list[str]:
        found = []
        digits = re.sub(r"[^0-9]", "", line)
        found += [f"BSN {b[:3]}…" for b in self.bsns if b in line or b in digits]
        folded = line.casefold()
        for name, forms in self.people:
            if name.casefold() in folded and any(f.casefold() in folded for f in forms):
                found.append(f"name with birth date ({name})")
        found += [f"document text {t[:20]!r}…" for t in self.text_lines if t in line]
        return found


def secrets_of(registration_ids: Iterable[str]) -> Secrets:
    """BSNs found in the documents' text, names with birth dates of the participants (and of
    the KvK directors, with the birth date next to their name), and long lines of text."""
    ids = {r.lower() for r in registration_ids}
    truth = json.loads((SAMPLE / "text_truth.json").read_text())
    secrets = Secrets()
    registrations, _ = load_registrations(SAMPLE / "registrations.csv")
    for registration in registrations:
        if registration.registratie_id.lower() in ids and registration.geboortedatum:
            secrets.people.append((registration.deelnemer, _date_forms(registration.geboortedatum)))
    for name, doc in truth.items():
        if Path(name).name.split("_")[0] not in ids:
            continue
        for page in doc["pages"]:
            secrets.bsns |= {m.digits for m in find_bsns(page)}
            lines = page.splitlines()
            secrets.text_lines |= {ln.strip() for ln in lines if len(ln.strip()) > MIN_TEXT_LINE}
            for i, line in enumerate(lines[:-1]):  # KvK: director, then birth date
                if re.fullmatch(r"\d{2}-\d{2}-\d{4}", lines[i + 1].strip()) and " " in line:
                    day, month, year = map(int, lines[i + 1].strip().split("-"))
                    secrets.people.append((line.strip(), _date_forms(date(year, month, day))))
    return secrets


def subset(folder: Path, registration_ids: Iterable[str]) -> Path:
    """registrations.csv, manifest.csv and the documents of the sample with only these
    registrations."""
    ids = set(registration_ids)
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("registrations.csv", "manifest.csv"):
        with (SAMPLE / name).open(newline="") as handle:
            rows = list(csv.reader(handle))
        kept = [rows[0], *(r for r in rows[1:] if r and r[0] in ids)]
        with (folder / name).open("w", newline="") as handle:
            csv.writer(handle).writerows(kept)
    (folder / "docs").mkdir()
    for row in kept[1:]:  # copies: the manifest refuses links that lead out of its folder
        shutil.copyfile(SAMPLE / row[2], folder / row[2])
    return folder


def text_lines_of(root: Path) -> Iterator[tuple[Path, str]]:
    """Every line of every file under `root` (binary files as far as they decode; xlsx
    unzipped), with the file it came from."""
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if path.suffix in (".jpg", ".png"):
            continue
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as archive:
                data = b"\n".join(archive.read(n) for n in archive.namelist())
        else:
            data = path.read_bytes()
        for line in data.decode("utf-8", errors="replace").splitlines():
            yield path, line


def prefect_api_logs() -> list[str]:
    """Every log line stored by the session's Prefect API."""
    from prefect.client.orchestration import get_client

    lines: list[str] = []
    with get_client(sync_client=True) as client:
        while True:
            page = client.read_logs(limit=200, offset=len(lines))
            lines += [f"{log.name} {log.level} {log.message}" for log in page]
            if len(page) < 200:
                return lines


SITECUSTOMIZE = """
import logging, logging.config, sys

_format = logging.Formatter("SCAN %(process)d %(name)s %(levelname)s %(message)s")
_call_handlers = logging.Logger.callHandlers


def _call_and_echo(self, record):
    try:
        sys.stderr.write(_format.format(record) + "\\n")
    except Exception:
        pass
    _call_handlers(self, record)


def _then_debug(configure):
    def wrapped(*args, **kwargs):
        configure(*args, **kwargs)
        logging.getLogger().setLevel(logging.DEBUG)
    return wrapped


logging.Logger.callHandlers = _call_and_echo
logging.config.dictConfig = _then_debug(logging.config.dictConfig)
logging.basicConfig = _then_debug(logging.basicConfig)
logging.getLogger().setLevel(logging.DEBUG)
"""


def test_the_scan_finds_what_it_looks_for() -> None:
    secrets = secrets_of(["R0210073"])
    assert secrets.leaks("document 890545443 read") and secrets.leaks("bsn 890.545.443")
    assert secrets.leaks("deelnemer Sem Wolters, geboren 16-01-1990")
    assert secrets.leaks("SEM WOLTERS 1990-01-16") and secrets.leaks("Sem Wolters 16 jan. 1990")
    assert secrets.leaks("Mustafa van den Schotte (28-08-1973)")
    assert secrets.leaks("text: Loonheffingskorting toegepast: ja")
    assert not secrets.leaks("upload for R0210073 in loonstrook_start: document 3f2a, verdict")
    assert not secrets.leaks("Sem Wolters: name found on page 1")


@pytest.mark.slow
def test_batch_logs_carry_no_personal_data(prefect_harness: None, tmp_path: Path) -> None:
    from prefect.settings import PREFECT_API_URL

    secrets = secrets_of(BATCH_REGISTRATIONS)
    assert secrets.bsns == {"890545443"} and len(secrets.people) >= 4
    assert len(secrets.text_lines) > 20
    sample = subset(tmp_path / "set", BATCH_REGISTRATIONS)
    prefect_home, data_dir, out = tmp_path / "prefect", tmp_path / "data", tmp_path / "out"
    # Every Python process of the run (the CLI and its worker processes) logs everything at
    # DEBUG to stderr, whatever the CLI and Prefect configure.
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE)
    env = {
        **os.environ,
        "OMP_THREAD_LIMIT": "1",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")])),
        "PREFECT_HOME": str(prefect_home),
        "PREFECT_API_URL": str(PREFECT_API_URL.value()),  # the session's test server
        "PREFECT_LOGGING_LEVEL": "DEBUG",
        "PREFECT_LOGGING_EXTRA_LOGGERS": "pipeline,extractors,checks,flows,web,bewijscheck",
        "BEWIJSCHECK_DATA_DIR": str(data_dir),
        "BEWIJSCHECK_STORAGE": "local",
    }
    before = len(prefect_api_logs())
    done = subprocess.run(
        [
            *bewijscheck_command(),
            "batch",
            "--registrations",
            str(sample / "registrations.csv"),
            "--manifest",
            str(sample / "manifest.csv"),
            "--out",
            str(out),
            "--workers",
            "2",
            "--verbose",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode in (0, 1), done.stderr[-3000:]  # 1: some registration rejected
    api_logs = prefect_api_logs()[before:]
    scan = [ln.split(" ") for ln in done.stderr.splitlines() if ln.startswith("SCAN ")]
    # every process's records at DEBUG, the stages' in the worker processes among them
    assert {"reading.text", "prefect.task_runs"} <= {ln[2] for ln in scan}
    assert len({ln[1] for ln in scan}) >= 3 and "DEBUG" in {ln[3] for ln in scan}
    assert any(" 10 " in line for line in api_logs)  # Prefect's API got DEBUG records too

    leaks: list[str] = []
    for source, text in (("stdout", done.stdout), ("stderr", done.stderr)):
        leaks += [f"{source}: {w}" for ln in text.splitlines() for w in secrets.leaks(ln)]
    leaks += [f"prefect api: {w}" for ln in api_logs for w in secrets.leaks(ln)]
    for path, line in text_lines_of(prefect_home):
        leaks += [f"{path.relative_to(tmp_path)}: {w}" for w in secrets.leaks(line)]
    assert not leaks, "\n".join(sorted(set(leaks)))

    # and no BSN in any derived artefact: cached results, reports, results store
    bsn_only = Secrets(bsns=secrets.bsns)
    stored = [*text_lines_of(data_dir), *text_lines_of(out)]
    assert any(p.suffix == ".json" and "results" in p.parts for p, _ in stored), done.stderr[
        -3000:
    ] + str(sorted({str(p) for p, _ in stored}))
    assert not [p for p, line in stored if bsn_only.leaks(line)]


class InlinePool:
    """The API's worker pool, run in this process, so caplog sees the stages' logs too."""

    async def run(self, fn: Any, *args: Any, timeout: float | None = None) -> Any:
        from starlette.concurrency import run_in_threadpool

        return await run_in_threadpool(fn, *args)

    def shutdown(self, wait: bool = True) -> None:
        return None


UPLOADS = [
    ("R0210073", "loonstrook_start", "r0210073_loonstrook_start.pdf"),
    ("R0210073", "prestatiebewijs", "r0210073_prestatiebewijs.pdf"),
    ("R0210505", "kvk_uittreksel", "r0210505_kvk.pdf"),
    ("R0210505", "loonstrook_eind", "r0210505_loonstrook_eind.pdf"),
]


@pytest.fixture
def api(tmp_path: Path) -> Iterator[tuple[FastAPI, dict[str, str]]]:
    settings = Settings(data_dir=tmp_path, workers=1)
    app = make_app(settings)
    app.state.prescreen_pool = InlinePool()
    registrations, _ = load_registrations(SAMPLE / "registrations.csv")
    orgs = {}
    for registration in registrations:
        if registration.registratie_id in {rid for rid, _, _ in UPLOADS}:
            import_empty(app.state.engine, registration)
            orgs[registration.registratie_id] = registration.organisatie
    headers = {
        rid: {"Authorization": f"Bearer {tokens.create_token(app.state.engine, org)[1]}"}
        for rid, org in orgs.items()
    }
    yield app, headers
    app.state.engine.dispose()


def test_upload_api_logs_carry_no_personal_data(
    api: tuple[FastAPI, dict[str, str]], caplog: pytest.LogCaptureFixture
) -> None:
    app, headers = api
    secrets = secrets_of({rid for rid, _, _ in UPLOADS})
    assert "890545443" in secrets.bsns
    caplog.set_level(logging.DEBUG)
    with TestClient(app) as client:
        app.state.prescreen_pool = InlinePool()  # the lifespan made a real one
        for rid, slot, name in UPLOADS:
            data = (SAMPLE / "docs" / name).read_bytes()
            answer = client.post(
                f"/api/v1/registraties/{rid}/uploads",
                data={"slot": slot},
                files={"bestand": (name, data, "application/pdf")},
                headers=headers[rid],
            )
            assert answer.status_code == 200, answer.text
            assert "890545443" not in answer.text
    lines = [f"{r.name} {r.levelname} {r.getMessage()}" for r in caplog.records]
    assert any(r.name.startswith(("pipeline.", "reading.")) for r in caplog.records)  # stages ran
    leaks = [w for line in lines for w in secrets.leaks(line)]
    leaks += [w for line in caplog.text.splitlines() for w in secrets.leaks(line)]
    assert not leaks, "\n".join(sorted(set(leaks)))
