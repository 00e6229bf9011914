"""Review cases (review/repository.py, review/cases.py) on SQLite: a correction re-runs
the rules and the verdict follows, overruling a finding needs a reason and a claim, the
machine's result is never rewritten, and the audit log keeps both versions and refuses
changes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session

from core.enums import FindingCode, Verdict
from core.manifest import ManifestEntry
from core.model import ProcessedDocument
from pipeline.assemble import assemble_report
from review import repository
from review.cases import CorrectionError, coerce, finding_key
from review.importer import import_case
from store.db import make_engine, migrate
from store.review_tables import AuditRow, CaseRow
from tests import rulekit

REG = rulekit.registration()


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'review.db'}")
    migrate(engine)
    yield engine
    engine.dispose()


def imported(engine: Engine, docs: list[ProcessedDocument]) -> None:
    pairs = [
        (ManifestEntry(registratie_id=REG.registratie_id, slot=d.slot, bestand=d.file, line=i), d)
        for i, d in enumerate(docs, start=2)
    ]
    entry = assemble_report([REG], pairs).registrations[0]
    import_case(engine, REG, pairs, entry, "batch:test")


def case(engine: Engine) -> CaseRow:
    with Session(engine) as session:
        row = session.get(CaseRow, REG.registratie_id)
        assert row is not None
        session.expunge(row)
        return row


def pok_id(engine: Engine) -> int:
    with Session(engine) as session:
        docs = repository.documents(session, REG.registratie_id)
    return next(d.id for d in docs if d.entry.slot.value == "praktijkovereenkomst")


def audit(engine: Engine) -> list[AuditRow]:
    with Session(engine) as session:
        return list(session.scalars(select(AuditRow).order_by(AuditRow.id)))


def test_correcting_a_field_reruns_the_rules_and_audits_both_versions(engine: Engine) -> None:
    imported(engine, rulekit.replace(rulekit.a_documents(), rulekit.pok(crebo="25480")))
    machine = case(engine)
    assert machine.verdict == Verdict.REJECT and " CREBO_MISMATCH " in machine.codes
    repository.claim(engine, REG.registratie_id, "anna")

    effective = repository.correct_field(
        engine, REG.registratie_id, pok_id(engine), "crebo", "25491", "anna", "scan misgelezen"
    )
    assert effective.verdict == Verdict.APPROVE
    after = case(engine)
    assert after.verdict == Verdict.APPROVE and after.codes.strip() == ""
    assert after.machine_entry == machine.machine_entry  # the machine's result is kept
    assert after.machine_verdict == Verdict.REJECT
    entry = audit(engine)[-1]
    assert (entry.action, entry.username, entry.reason) == (
        "correct_field",
        "anna",
        "scan misgelezen",
    )
    assert entry.before == {"value": "25480", "verdict": "reject"}
    assert entry.after == {"value": "25491", "verdict": "approve"}

    # back to the machine's value: the verdict follows again
    pok = pok_id(engine)
    repository.correct_field(engine, REG.registratie_id, pok, "crebo", None, "anna", "toch goed")
    assert case(engine).verdict == Verdict.REJECT


def test_overruling_a_finding_needs_a_reason_and_changes_the_verdict(engine: Engine) -> None:
    imported(engine, rulekit.replace(rulekit.a_documents(), rulekit.pok(crebo="25480")))
    repository.claim(engine, REG.registratie_id, "anna")
    effective = repository.evaluate(Session(engine), case(engine))
    crebo = next(f for f in effective.active if f.code is FindingCode.CREBO_MISMATCH)
    key = finding_key(crebo)
    with pytest.raises(repository.ReviewError, match="reden"):
        repository.decide_finding(engine, REG.registratie_id, key, "overruled", " ", "anna")
    repository.decide_finding(engine, REG.registratie_id, key, "confirmed", "klopt", "anna")
    assert case(engine).verdict == Verdict.REJECT  # confirming changes nothing
    repository.decide_finding(engine, REG.registratie_id, key, "overruled", "oud crebo", "anna")
    assert case(engine).verdict == Verdict.APPROVE
    assert audit(engine)[-1].before == {"decision": "open", "verdict": "reject"}
    with pytest.raises(repository.ReviewError, match="bestaat niet"):
        repository.decide_finding(engine, REG.registratie_id, "nope", "overruled", "x", "anna")


def test_claims_keep_two_reviewers_apart(engine: Engine) -> None:
    imported(engine, rulekit.a_documents())
    with pytest.raises(repository.ReviewError, match="eerst in behandeling"):
        repository.set_decision(engine, REG.registratie_id, "goedgekeurd", "", "anna")
    repository.claim(engine, REG.registratie_id, "anna")
    with pytest.raises(repository.ReviewError, match="in behandeling bij anna"):
        repository.claim(engine, REG.registratie_id, "bram")
    with pytest.raises(repository.ReviewError, match="eerst in behandeling"):
        repository.request_reupload(engine, REG.registratie_id, "graag opnieuw", "bram")
    repository.release(engine, REG.registratie_id, "anna")
    repository.claim(engine, REG.registratie_id, "bram")
    repository.set_decision(engine, REG.registratie_id, "goedgekeurd", "alles klopt", "bram")
    assert case(engine).decision == "goedgekeurd"
    actions = [a.action for a in audit(engine)]
    assert actions == ["import", "claim", "release", "claim", "final_decision"]


def test_not_applicable_a_clean_case_stays_approved_without_review(engine: Engine) -> None:
    imported(engine, rulekit.a_documents())
    assert case(engine).verdict == Verdict.APPROVE and case(engine).codes.strip() == ""


def test_audit_log_refuses_update_and_delete(engine: Engine) -> None:
    imported(engine, rulekit.a_documents())
    for statement in ("UPDATE audit_log SET username = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(DatabaseError, match="append-only"), engine.begin() as connection:
            connection.execute(text(statement))
    assert len(audit(engine)) == 1


def test_coerce_follows_the_machine_value_kind() -> None:
    assert coerce("2025-07-31", "31 juli 2025") == "2025-07-31"
    assert coerce(True, "nee") is False and coerce(3, "2") == 2 and coerce("x", " y ") == "y"
    for old, text_ in (("2025-07-31", "morgen"), (True, "misschien"), (3, "twee"), ([], "a")):
        with pytest.raises(CorrectionError):
            coerce(old, text_)
