"""Intake by bucket, against a local folder and moto's S3 server (real HTTP on 127.0.0.1): every
object is pre-screened once and has exactly one recorded outcome; a second pass does nothing;
concurrent pollers (threads, each with its own database engine and storage client, on SQLite
and on a real PostgreSQL) never check an object twice; a key that does not fit gets a failed
outcome with a Dutch message and stays; faults are retried up to the limit; a claim whose
poller died is taken over once its lease has run out."""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy import Engine, select, update
from typer.testing import CliRunner

import pipeline.bucket_intake as bucket_intake
from bewijscheck.cli import app
from core.enums import Slot, Verdict
from core.registration import Registration
from core.report import ReportRegistration
from core.settings import IntakeSettings, Limits, Settings, StorageKind, StorageSettings
from pipeline.bucket_intake import (
    BucketIntake,
    IntakeOutcome,
    open_intake,
    parse_key,
    poll_incoming,
)
from reading.admission import sha256
from store.objects import LocalStorage, original_key
from store.results import (
    Claim,
    IntakeObjectRow,
    IntakeStatus,
    claim_object,
    finish_claim,
    make_engine,
)
from store.s3 import S3Storage
from tests.test_results_store import postgres_url  # noqa: F401 - session fixture
from tests.test_storage_s3 import KEYS, client, start_server

SAMPLE = Path(__file__).parent.parent / "fixtures" / "sample"
REGISTRATIONS = SAMPLE / "registrations.csv"
# born-digital PDFs (text layer, no OCR): fast to check
POK = SAMPLE / "docs" / "r0210105_pok.pdf"
PAYSLIP = SAMPLE / "docs" / "r0210105_loonstrook_start.pdf"
_names = itertools.count()


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    server, url = start_server()
    yield url
    server.stop()


@dataclass
class Bucket:
    """An incoming bucket under test, with the settings that point at it."""

    settings: Settings
    put: Callable[[str, bytes], None]
    keys: Callable[[], list[str]]
    originals: Callable[[], dict[str, dict[str, str]]]  # key -> metadata


def local_bucket(root: Path, **settings: object) -> Bucket:
    config = Settings(data_dir=root, **settings)
    incoming = root / "incoming"

    def put(key: str, data: bytes) -> None:
        path = incoming / key
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.part")  # written whole, then renamed
        tmp.write_bytes(data)
        tmp.replace(path)

    def keys() -> list[str]:
        return sorted(
            p.relative_to(incoming).as_posix() for p in incoming.rglob("*") if p.is_file()
        )

    def originals() -> dict[str, dict[str, str]]:
        store = LocalStorage(root / "storage")
        found = (root / "storage" / "originals").rglob("*")
        names = [p for p in found if p.is_file() and not p.name.endswith(".meta.json")]
        return {
            k: store.metadata(k)
            for k in (p.relative_to(root / "storage").as_posix() for p in names)
        }

    return Bucket(config, put, keys, originals)


def s3_bucket(root: Path, endpoint: str, **settings: object) -> Bucket:
    n = next(_names)
    storage = StorageSettings(
        kind=StorageKind.S3,
        endpoint=endpoint,
        access_key=SecretStr(KEYS["access_key"]),
        secret_key=SecretStr(KEYS["secret_key"]),
        bucket_originals=f"i{n}-originals",
        bucket_derived=f"i{n}-derived",
        bucket_incoming=f"i{n}-incoming",
    )
    config = Settings(data_dir=root, storage=storage, **settings)
    s3 = client(endpoint)
    s3.make_bucket(storage.bucket_incoming)

    def put(key: str, data: bytes) -> None:
        import io

        s3.put_object(storage.bucket_incoming, key, io.BytesIO(data), len(data))

    def keys() -> list[str]:
        listed = s3.list_objects(storage.bucket_incoming, recursive=True)
        return sorted(str(o.object_name) for o in listed)

    def originals() -> dict[str, dict[str, str]]:
        store = S3Storage.from_settings(storage)
        listed = s3.list_objects(storage.bucket_originals, recursive=True)
        return {str(o.object_name): store.metadata(str(o.object_name)) for o in listed}

    return Bucket(config, put, keys, originals)


@pytest.fixture(params=["local", "s3"])
def make_bucket(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[..., Bucket]:
    """Builds the incoming bucket under test; keyword arguments go to Settings."""
    counter = itertools.count()

    def make(**settings: object) -> Bucket:
        root = tmp_path / f"data{next(counter)}"
        if request.param == "local":
            return local_bucket(root, **settings)
        return s3_bucket(root, request.getfixturevalue("s3_endpoint"), **settings)

    return make


def rows(settings: Settings) -> list[Any]:
    """The `intake_objects` rows, oldest first."""
    engine = make_engine(settings.database_dsn())
    try:
        with engine.connect() as connection:
            return list(connection.execute(select(IntakeObjectRow).order_by(IntakeObjectRow.id)))
    finally:
        engine.dispose()


def recorded(settings: Settings) -> dict[str, tuple[str, int]]:
    """object key -> (status, attempts), one entry per recorded object version."""
    found = rows(settings)
    assert len({(r.object_key, r.version) for r in found}) == len(found)
    return {r.object_key: (r.status, r.attempts) for r in found}


class CountingPrescreen:
    """Wraps the real pre-screen (or a fake) and counts the calls per (registration, slot, file)."""

    def __init__(self, inner: Callable[..., ReportRegistration]) -> None:
        self.inner = inner
        self.calls: Counter[tuple[str, str, str]] = Counter()
        self.lock = threading.Lock()

    def __call__(
        self,
        data: bytes,
        file: str,
        registration: Registration,
        slot: Slot,
        settings: Settings,
    ) -> ReportRegistration:
        with self.lock:
            self.calls[(registration.registratie_id, slot.value, file)] += 1
        return self.inner(data, file, registration, slot, settings)


@pytest.fixture
def counting(monkeypatch: pytest.MonkeyPatch) -> CountingPrescreen:
    counter = CountingPrescreen(bucket_intake.prescreen_document)
    monkeypatch.setattr(bucket_intake, "prescreen_document", counter)
    return counter


def fake_prescreen(delay_s: float = 0.0) -> Callable[..., ReportRegistration]:
    def check(
        data: bytes, _file: str, registration: Registration, _slot: Slot, _settings: Settings
    ) -> ReportRegistration:
        assert data
        time.sleep(delay_s)
        return ReportRegistration(
            registratie_id=registration.registratie_id, verdict=Verdict.APPROVE
        )

    return check


# --- tests ----------------------------------------------------------------------------------


def test_each_object_is_prescreened_once_and_a_second_pass_does_nothing(
    make_bucket: Callable[..., Bucket], counting: CountingPrescreen
) -> None:
    bucket = make_bucket()
    pok, payslip = POK.read_bytes(), PAYSLIP.read_bytes()
    bucket.put("R0210105/praktijkovereenkomst/pok.pdf", pok)
    bucket.put("R0210105/loonstrook_start/loonstrook september.pdf", payslip)
    bucket.put("R0210105/pok-zonder-vakje.pdf", pok)

    outcomes = {o.key: o for o in poll_incoming(bucket.settings, REGISTRATIONS)}

    done = outcomes["R0210105/praktijkovereenkomst/pok.pdf"]
    assert done.status is IntakeStatus.DONE and done.slot is Slot.PRAKTIJKOVEREENKOMST
    assert done.document_id == sha256(pok) and done.entry is not None
    assert done.entry["registratie_id"] == "R0210105" and done.verdict == done.entry["verdict"]
    assert done.entry["documents"][0]["file"] == "pok.pdf"
    codes = {f["code"] for f in done.entry["findings"]}
    assert "CREBO_MISMATCH" in codes and "DOCUMENT_MISSING" not in codes  # one upload at a time
    payslip_outcome = outcomes["R0210105/loonstrook_start/loonstrook september.pdf"]
    assert payslip_outcome.status is IntakeStatus.DONE
    assert payslip_outcome.entry is not None
    assert payslip_outcome.entry["documents"][0]["doc_type"] == "loonstrook"
    bad = outcomes["R0210105/pok-zonder-vakje.pdf"]
    assert bad.status is IntakeStatus.FAILED and bad.message is not None
    assert "staat niet op de goede plek" in bad.message and "blijft in de inbox" in bad.message

    assert sorted(counting.calls.values()) == [1, 1]
    # checked objects are gone from the bucket, their originals stored with metadata
    assert bucket.keys() == ["R0210105/pok-zonder-vakje.pdf"]
    assert bucket.originals() == {
        original_key(sha256(pok)): {"registratie-id": "R0210105", "slot": "praktijkovereenkomst"}
        if bucket.settings.storage.kind is StorageKind.S3
        else {"registratie_id": "R0210105", "slot": "praktijkovereenkomst"},
        original_key(sha256(payslip)): {"registratie-id": "R0210105", "slot": "loonstrook_start"}
        if bucket.settings.storage.kind is StorageKind.S3
        else {"registratie_id": "R0210105", "slot": "loonstrook_start"},
    }
    assert recorded(bucket.settings) == {
        "R0210105/praktijkovereenkomst/pok.pdf": ("done", 1),
        "R0210105/loonstrook_start/loonstrook september.pdf": ("done", 1),
        "R0210105/pok-zonder-vakje.pdf": ("failed", 1),
    }
    stored = {r.object_key: r for r in rows(bucket.settings)}
    assert stored["R0210105/praktijkovereenkomst/pok.pdf"].entry == done.entry
    assert stored["R0210105/pok-zonder-vakje.pdf"].message == bad.message

    # a second pass: nothing new, nothing checked again, nothing recorded again
    assert poll_incoming(bucket.settings, REGISTRATIONS) == []
    assert sorted(counting.calls.values()) == [1, 1]
    assert len(rows(bucket.settings)) == 3


def test_keys_that_do_not_fit_get_a_dutch_message_and_stay(
    make_bucket: Callable[..., Bucket], counting: CountingPrescreen
) -> None:
    bucket = make_bucket(limits=Limits(max_bytes=len(PAYSLIP.read_bytes()) - 1))
    keys = {
        "los.pdf": "staat niet op de goede plek",
        "R0210105/praktijkovereenkomst/extra/pok.pdf": "staat niet op de goede plek",
        "R0210105/contract/pok.pdf": "'contract' is geen uploadvakje",
        "R9999999/praktijkovereenkomst/pok.pdf": "Registratie R9999999 is niet bekend",
        "R0210105/loonstrook_start/groot.pdf": "Het bestand is groter dan",
    }
    for key in keys:
        bucket.put(key, PAYSLIP.read_bytes())

    outcomes = {o.key: o for o in poll_incoming(bucket.settings, REGISTRATIONS)}

    assert set(outcomes) == set(keys)
    for key, phrase in keys.items():
        outcome = outcomes[key]
        assert outcome.status is IntakeStatus.FAILED, key
        assert outcome.message is not None and phrase in outcome.message, outcome.message
    assert outcomes["R0210105/contract/pok.pdf"].message is not None
    assert "praktijkovereenkomst" in str(outcomes["R0210105/contract/pok.pdf"].message)
    assert outcomes["R9999999/praktijkovereenkomst/pok.pdf"].slot is Slot.PRAKTIJKOVEREENKOMST
    assert not counting.calls  # nothing was checked
    assert bucket.keys() == sorted(keys)  # nothing was deleted
    assert poll_incoming(bucket.settings, REGISTRATIONS) == []
    assert {status for status, _ in recorded(bucket.settings).values()} == {"failed"}


def run_pollers(bucket: Bucket, engines: list[Engine]) -> list[list[IntakeOutcome]]:
    """One poller a thread, each with its own engine and storage client, started together;
    each polls until the bucket is empty."""
    start = threading.Barrier(len(engines))
    results: list[list[IntakeOutcome]] = [[] for _ in engines]
    errors: list[BaseException] = []

    def poller(index: int, engine: Engine) -> None:
        try:
            storage = bucket_intake.make_storage(bucket.settings)
            source = bucket_intake.make_incoming(bucket.settings, storage)
            intake = BucketIntake(
                bucket.settings, REGISTRATIONS, engine=engine, storage=storage, source=source
            )
            start.wait(timeout=30)
            for _ in range(3):
                results[index].extend(intake.poll())
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=poller, args=(i, e)) for i, e in enumerate(engines)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return results


def check_concurrent_pollers(bucket: Bucket, counting: CountingPrescreen) -> None:
    slots = [s.value for s in Slot]
    keys = [f"R0210105/{slots[i % len(slots)]}/bestand-{i:02d}.pdf" for i in range(24)]
    for i, key in enumerate(keys):
        bucket.put(key, PAYSLIP.read_bytes() + f"\n% {i}\n".encode())
    with open_intake(bucket.settings, REGISTRATIONS):  # migrates the store once
        pass

    engines = [make_engine(bucket.settings.database_dsn()) for _ in range(4)]
    try:
        results = run_pollers(bucket, engines)
    finally:
        for engine in engines:
            engine.dispose()

    handled = [o.key for result in results for o in result]
    print("objects per poller:", [len(result) for result in results])
    assert sorted(handled) == sorted(keys)  # each object handled by exactly one poller
    assert all(o.status is IntakeStatus.DONE for result in results for o in result)
    assert set(counting.calls.values()) == {1} and len(counting.calls) == len(keys)
    assert recorded(bucket.settings) == {key: ("done", 1) for key in keys}
    assert bucket.keys() == []


def test_concurrent_pollers_never_check_an_object_twice(
    make_bucket: Callable[..., Bucket], monkeypatch: pytest.MonkeyPatch
) -> None:
    counting = CountingPrescreen(fake_prescreen(delay_s=0.005))
    monkeypatch.setattr(bucket_intake, "prescreen_document", counting)
    check_concurrent_pollers(make_bucket(), counting)


def test_concurrent_pollers_on_postgresql(
    s3_endpoint: str,
    postgres_url: str,  # noqa: F811 - the session fixture imported above
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The production set-up: MinIO (here moto) and PostgreSQL."""
    counting = CountingPrescreen(fake_prescreen(delay_s=0.005))
    monkeypatch.setattr(bucket_intake, "prescreen_document", counting)
    url = SecretStr(fresh_database(postgres_url))
    check_concurrent_pollers(s3_bucket(tmp_path, s3_endpoint, database_url=url), counting)


def fresh_database(server: str) -> str:
    import uuid

    from sqlalchemy import create_engine, text

    name = f"i_{uuid.uuid4().hex}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return server.rsplit("/", 1)[0] + f"/{name}"


def test_a_fault_on_our_side_is_retried_then_fails(
    make_bucket: Callable[..., Bucket], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object) -> ReportRegistration:
        raise RuntimeError("stage crashed")

    counting = CountingPrescreen(broken)
    monkeypatch.setattr(bucket_intake, "prescreen_document", counting)
    bucket = make_bucket(intake=IntakeSettings(max_attempts=2))
    key = "R0210105/praktijkovereenkomst/pok.pdf"
    bucket.put(key, POK.read_bytes())

    [first] = poll_incoming(bucket.settings, REGISTRATIONS)
    assert (first.status, first.attempts) == (IntakeStatus.RETRY, 1)
    assert first.message is not None and "storing aan onze kant" in first.message
    assert "poging 1 van 2" in first.message
    [second] = poll_incoming(bucket.settings, REGISTRATIONS)
    assert (second.status, second.attempts) == (IntakeStatus.FAILED, 2)
    assert second.message is not None and "2 keer niet gelukt" in second.message
    assert "RuntimeError: stage crashed" in second.message
    assert poll_incoming(bucket.settings, REGISTRATIONS) == []
    assert sum(counting.calls.values()) == 2
    assert recorded(bucket.settings) == {key: ("failed", 2)}
    assert bucket.keys() == [key]  # a failed object stays


def age_claim(engine: Engine, claim: Claim, seconds: float) -> None:
    """Let time pass for a claim: move its claim time back."""
    with engine.begin() as connection:
        connection.execute(
            update(IntakeObjectRow)
            .where(IntakeObjectRow.id == claim.row_id)
            .values(claimed_at=datetime.now(UTC) - timedelta(seconds=seconds))
        )


def test_an_abandoned_claim_is_taken_over_once_its_lease_ran_out(
    make_bucket: Callable[..., Bucket], monkeypatch: pytest.MonkeyPatch
) -> None:
    counting = CountingPrescreen(fake_prescreen())
    monkeypatch.setattr(bucket_intake, "prescreen_document", counting)
    bucket = make_bucket(intake=IntakeSettings(lease_s=600, max_attempts=3))
    key = "R0210105/praktijkovereenkomst/pok.pdf"
    bucket.put(key, POK.read_bytes())

    with open_intake(bucket.settings, REGISTRATIONS) as intake:
        # a poller claims the object and dies before it records anything
        [obj] = intake.source.list()
        dead, _ = claim_object(
            intake.engine, intake.source.name, key, obj.version,
            owner="dead:1", lease_s=600, max_attempts=3,
        )  # fmt: skip
        assert dead is not None
        assert intake.poll() == []  # its lease still runs: leave it alone
        age_claim(intake.engine, dead, seconds=601)
        [outcome] = intake.poll()
        assert (outcome.status, outcome.attempts) == (IntakeStatus.DONE, 2)
        # the dead poller comes back: its result is not recorded over the new one
        assert not finish_claim(intake.engine, dead, IntakeStatus.FAILED, message="te laat")
    assert recorded(bucket.settings) == {key: ("done", 2)}
    assert [r.message for r in rows(bucket.settings)] == [None]
    assert sum(counting.calls.values()) == 1
    assert bucket.keys() == []


def test_a_claim_abandoned_too_often_fails(
    make_bucket: Callable[..., Bucket], counting: CountingPrescreen
) -> None:
    bucket = make_bucket(intake=IntakeSettings(lease_s=600, max_attempts=1))
    key = "R0210105/praktijkovereenkomst/pok.pdf"
    bucket.put(key, POK.read_bytes())
    with open_intake(bucket.settings, REGISTRATIONS) as intake:
        [obj] = intake.source.list()
        dead, _ = claim_object(
            intake.engine, intake.source.name, key, obj.version,
            owner="dead:1", lease_s=600, max_attempts=1,
        )  # fmt: skip
        assert dead is not None
        age_claim(intake.engine, dead, seconds=601)
        [outcome] = intake.poll()
    assert outcome.status is IntakeStatus.FAILED and outcome.message is not None
    assert "1 keer afgebroken" in outcome.message
    assert not counting.calls
    assert bucket.keys() == [key]


def test_done_but_not_deleted_is_removed_without_a_second_check(
    make_bucket: Callable[..., Bucket], monkeypatch: pytest.MonkeyPatch
) -> None:
    counting = CountingPrescreen(fake_prescreen())
    monkeypatch.setattr(bucket_intake, "prescreen_document", counting)
    bucket = make_bucket()
    key = "R0210105/praktijkovereenkomst/pok.pdf"
    bucket.put(key, POK.read_bytes())
    # the pass stops between recording `done` and deleting the object
    monkeypatch.setattr(BucketIntake, "_remove", lambda self, obj: None)
    [outcome] = poll_incoming(bucket.settings, REGISTRATIONS)
    assert outcome.status is IntakeStatus.DONE and bucket.keys() == [key]
    monkeypatch.undo()
    monkeypatch.setattr(bucket_intake, "prescreen_document", counting)

    assert poll_incoming(bucket.settings, REGISTRATIONS) == []
    assert bucket.keys() == []
    assert sum(counting.calls.values()) == 1
    assert recorded(bucket.settings) == {key: ("done", 1)}


def test_an_object_uploaded_again_is_a_new_version(
    make_bucket: Callable[..., Bucket], monkeypatch: pytest.MonkeyPatch
) -> None:
    counting = CountingPrescreen(fake_prescreen())
    monkeypatch.setattr(bucket_intake, "prescreen_document", counting)
    bucket = make_bucket()
    key = "R0210105/praktijkovereenkomst/pok.pdf"
    bucket.put(key, POK.read_bytes())
    assert len(poll_incoming(bucket.settings, REGISTRATIONS)) == 1
    bucket.put(key, POK.read_bytes() + b"\n% tweede versie\n")
    [again] = poll_incoming(bucket.settings, REGISTRATIONS)
    assert again.status is IntakeStatus.DONE
    assert sum(counting.calls.values()) == 2
    assert [(r.object_key, r.status) for r in rows(bucket.settings)] == [
        (key, "done"),
        (key, "done"),
    ]


def test_parse_key() -> None:
    assert parse_key("R0210105/loonstrook_eind/mei 2024.jpg") == (
        "R0210105",
        Slot.LOONSTROOK_EIND,
        "mei 2024.jpg",
    )
    for key in ("a.pdf", "R1/praktijkovereenkomst/", "R1/../x.pdf", "R1/praktijkovereenkomst/a/b"):
        with pytest.raises(bucket_intake.BadKey):
            parse_key(key)


def test_cli_intake_prints_one_json_line_per_object(tmp_path: Path) -> None:
    incoming = tmp_path / "data" / "incoming" / "R0210105" / "onbekend"
    incoming.mkdir(parents=True)
    (incoming / "pok.pdf").write_bytes(b"%PDF-1.4")
    (incoming / ".half-geschreven.pdf").write_bytes(b"%PDF")  # skipped: still being written
    args = ["intake", "--registrations", str(REGISTRATIONS), "--data-dir", str(tmp_path / "data")]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    [line] = result.output.splitlines()
    outcome = json.loads(line)
    assert outcome["key"] == "R0210105/onbekend/pok.pdf" and outcome["status"] == "failed"
    assert "'onbekend' is geen uploadvakje" in outcome["message"]
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 0 and again.output == ""


def test_cli_intake_unreadable_registrations(tmp_path: Path) -> None:
    bad = tmp_path / "registrations.csv"
    bad.write_text("geen,csv\n", encoding="utf-8")
    args = ["intake", "--registrations", str(bad), "--data-dir", str(tmp_path / "data")]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 3, result.output


@pytest.mark.slow  # the temporary Prefect server takes ~30 s to start (shared per session)
def test_intake_flow_runs_one_pass(
    prefect_harness: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.intake import intake_incoming

    monkeypatch.setattr(bucket_intake, "prescreen_document", fake_prescreen())
    monkeypatch.setenv("BEWIJSCHECK_STORAGE", "local")
    monkeypatch.setenv("BEWIJSCHECK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("BEWIJSCHECK_DATABASE_URL", raising=False)
    bucket = local_bucket(tmp_path / "data")
    bucket.put("R0210105/praktijkovereenkomst/pok.pdf", POK.read_bytes())

    [summary] = intake_incoming(REGISTRATIONS)
    assert summary["status"] == "done" and summary["verdict"] == "approve"
    assert summary["slot"] == "praktijkovereenkomst" and "entry" not in summary
    assert intake_incoming(REGISTRATIONS) == []
    assert bucket.keys() == []
