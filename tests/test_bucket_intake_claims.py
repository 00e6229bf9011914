"""Claims of intake by bucket, against a local folder and moto's S3 server: concurrent pollers
(threads, each with its own database engine and storage client, on SQLite and on a real
PostgreSQL) never check an object twice; faults on our side are retried up to the limit; a
claim whose poller died is taken over once its lease has run out, and fails when that happened
too often."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import Engine, update

from core.enums import Slot
from core.report import ReportRegistration
from core.settings import IntakeSettings
from pipeline.bucket_intake import BucketIntake, IntakeOutcome, open_intake, poll_incoming
from pipeline.incoming_bucket import make_incoming
from store.claims import Claim, IntakeObjectRow, IntakeStatus, finish_claim
from store.db import make_engine
from store.objects import make_storage
from tests import intakekit
from tests.intakekit import (
    PAYSLIP,
    POK,
    POK_KEY,
    REGISTRATIONS,
    Bucket,
    CountingPrescreen,
    count_prescreens,
    dead_claim,
    fake_prescreen,
    recorded,
    rows,
    s3_bucket,
)
from tests.test_results_store import postgres_url  # noqa: F401 - session fixture

# the kit's fixtures, bound here so that pytest finds them
s3_endpoint = intakekit.s3_endpoint
make_bucket = intakekit.make_bucket
counting = intakekit.counting


def run_pollers(bucket: Bucket, engines: list[Engine]) -> list[list[IntakeOutcome]]:
    """One poller a thread, each with its own engine and storage client, started together;
    each polls until the bucket is empty."""
    start = threading.Barrier(len(engines))
    results: list[list[IntakeOutcome]] = [[] for _ in engines]
    errors: list[BaseException] = []

    def poller(index: int, engine: Engine) -> None:
        try:
            storage = make_storage(bucket.settings)
            source = make_incoming(bucket.settings, storage)
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
    counting = count_prescreens(monkeypatch, fake_prescreen(delay_s=0.005))
    check_concurrent_pollers(make_bucket(), counting)


def test_concurrent_pollers_on_postgresql(
    s3_endpoint: str,
    postgres_url: str,  # noqa: F811 - the session fixture imported above
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The production set-up: MinIO (here moto) and PostgreSQL."""
    counting = count_prescreens(monkeypatch, fake_prescreen(delay_s=0.005))
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

    counting = count_prescreens(monkeypatch, broken)
    bucket = make_bucket(intake=IntakeSettings(max_attempts=2))
    key = POK_KEY
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
    counting = count_prescreens(monkeypatch, fake_prescreen())
    bucket = make_bucket(intake=IntakeSettings(lease_s=600, max_attempts=3))
    key = POK_KEY
    bucket.put(key, POK.read_bytes())

    with open_intake(bucket.settings, REGISTRATIONS) as intake:
        dead = dead_claim(intake, key, max_attempts=3)
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
    key = POK_KEY
    bucket.put(key, POK.read_bytes())
    with open_intake(bucket.settings, REGISTRATIONS) as intake:
        dead = dead_claim(intake, key, max_attempts=1)
        age_claim(intake.engine, dead, seconds=601)
        [outcome] = intake.poll()
    assert outcome.status is IntakeStatus.FAILED and outcome.message is not None
    assert "1 keer afgebroken" in outcome.message
    assert not counting.calls
    assert bucket.keys() == [key]
