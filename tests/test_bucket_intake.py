"""Intake by bucket, against a local folder and moto's S3 server (real HTTP on 127.0.0.1): every
object is pre-screened once and has exactly one recorded outcome; a second pass does nothing; a
key that does not fit gets a failed outcome with a Dutch message and stays; an object left
behind after its outcome was recorded is removed unchecked; the CLI and the Prefect flow run one
pass. Claims (concurrent pollers, retries, leases): `test_bucket_intake_claims`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

import pipeline.bucket_intake as bucket_intake
from bewijscheck.cli import app
from core.enums import Slot
from core.errors import BadKey
from core.settings import Limits, StorageKind
from pipeline.bucket_intake import BucketIntake, poll_incoming
from pipeline.upload_keys import parse_key
from reading.admission import sha256
from store.claims import IntakeStatus
from store.objects import original_key
from tests import intakekit
from tests.intakekit import (
    PAYSLIP,
    POK,
    POK_KEY,
    REGISTRATIONS,
    Bucket,
    CountingPrescreen,
    count_prescreens,
    fake_prescreen,
    local_bucket,
    recorded,
    rows,
)

# the kit's fixtures, bound here so that pytest finds them
s3_endpoint = intakekit.s3_endpoint
make_bucket = intakekit.make_bucket
counting = intakekit.counting


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


def test_done_but_not_deleted_is_removed_without_a_second_check(
    make_bucket: Callable[..., Bucket], monkeypatch: pytest.MonkeyPatch
) -> None:
    counting = count_prescreens(monkeypatch, fake_prescreen())
    bucket = make_bucket()
    key = POK_KEY
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
    counting = count_prescreens(monkeypatch, fake_prescreen())
    bucket = make_bucket()
    key = POK_KEY
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
        with pytest.raises(BadKey):
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
