"""Uploads into review cases (web/api.py, review/decided.py, review/importer.py): a case with a
final decision takes no document, by the API or a batch re-import (409, nothing stored, the
refusal audited) until a reviewer reopens it; a BSN in an uploaded file's name is masked
before anything stores or returns it.

One app (and so one warm worker process) is shared by the module; each test has its own
registration."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import CaseDecided
from core.manifest import ManifestEntry
from core.settings import Limits, Settings
from pipeline.assemble import assemble_report
from reading.admission import sha256
from review import repository
from review.decided import reopen
from review.importer import import_case, import_run
from store.objects import original_key
from store.review_tables import AuditRow, CaseDocumentRow, CaseRow
from tests import rulekit
from tests.test_web_api import DOCX, make_app
from web import tokens, uploads

ORG = rulekit.registration().organisatie
BSN_NAME = "loonstrook 111222333.pdf"  # 111222333 passes the 11-test
NOT_BSN_NAME = "loonstrook 123456789.pdf"  # fails it


def add_case(app: FastAPI, rid: str, *, decided: bool = False) -> None:
    registration = rulekit.registration(registratie_id=rid)
    pairs = [
        (ManifestEntry(registratie_id=rid, slot=d.slot, bestand=d.file, line=i), d)
        for i, d in enumerate(rulekit.a_documents(), start=2)
    ]
    entry = assemble_report([registration], pairs).registrations[0]
    import_case(app.state.engine, registration, pairs, entry, "batch:test")
    if decided:
        repository.claim(app.state.engine, rid, "anna")
        repository.set_decision(app.state.engine, rid, "goedgekeurd", "alles klopt", "anna")


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    data_dir = tmp_path_factory.mktemp("guard")
    app = make_app(Settings(data_dir=data_dir, workers=1, limits=Limits(max_bytes=64 * 1024)))
    app.state.token = tokens.create_token(app.state.engine, ORG)[1]
    yield app
    app.state.engine.dispose()


@pytest.fixture(scope="module")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


def unreadable(tag: str) -> bytes:
    """A file of its own (not a PDF after all: quick to check, a FILE_UNREADABLE finding)."""
    return f"%PDF-1.7\n{tag}\n".encode()


def post(
    app: FastAPI, client: TestClient, rid: str, name: str = "loonstrook.pdf", data: bytes = b""
) -> Any:
    files = {"bestand": (name, data or DOCX.read_bytes(), "application/pdf")}
    return client.post(
        f"/api/v1/registraties/{rid}/uploads",
        data={"slot": "loonstrook_start"},
        files=files,
        headers={"Authorization": f"Bearer {app.state.token}"},
    )


def snapshot(app: FastAPI, rid: str) -> tuple[Any, ...]:
    """What a refused upload must leave as it was: verdicts, decision, current documents."""
    with Session(app.state.engine) as session:
        case = session.get(CaseRow, rid)
        assert case is not None
        docs = session.scalars(
            select(CaseDocumentRow.id).where(
                CaseDocumentRow.registratie_id == rid, ~CaseDocumentRow.superseded
            )
        )
        return case.verdict, case.machine_verdict, case.decision, case.codes, list(docs)


def audit_of(app: FastAPI, rid: str) -> list[AuditRow]:
    with Session(app.state.engine) as session:
        query = select(AuditRow).where(AuditRow.registratie_id == rid).order_by(AuditRow.id)
        return list(session.scalars(query))


def test_an_upload_to_a_decided_case_is_refused(app: FastAPI, client: TestClient) -> None:
    add_case(app, "R0000201", decided=True)
    before = snapshot(app, "R0000201")
    assert before[:3] == ("approve", "approve", "goedgekeurd")

    data = unreadable("R0000201")
    response = post(app, client, "R0000201", data=data)
    assert response.status_code == 409, response.text
    detail = response.json()["detail"]
    assert "al besloten (goedgekeurd)" in detail and "heropenen" in detail
    assert snapshot(app, "R0000201") == before
    assert not app.state.storage.exists(original_key(sha256(data)))
    last = audit_of(app, "R0000201")[-1]
    assert (last.action, last.username, last.target) == (
        "upload_refused",
        f"org:{ORG}",
        "loonstrook_start: loonstrook.pdf",
    )
    state = client.get(
        "/api/v1/registraties/R0000201", headers={"Authorization": f"Bearer {app.state.token}"}
    ).json()
    assert (state["verdict"], state["decision"]) == ("approve", "goedgekeurd")


def test_a_decision_taken_while_the_upload_is_checked_still_counts(
    app: FastAPI, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_case(app, "R0000202", decided=True)
    before = snapshot(app, "R0000202")
    monkeypatch.setattr(uploads, "refuse_if_decided", lambda *args: None)  # decided just after
    response = post(app, client, "R0000202")
    assert response.status_code == 409, response.text
    assert snapshot(app, "R0000202") == before
    assert audit_of(app, "R0000202")[-1].action == "upload_refused"


def test_an_undecided_case_and_a_reopened_one_take_uploads(
    app: FastAPI, client: TestClient
) -> None:
    add_case(app, "R0000203")
    accepted = post(app, client, "R0000203")
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["verdict"] == "reject"  # the Word file's finding

    add_case(app, "R0000204", decided=True)
    with pytest.raises(repository.ReviewError, match="reden"):
        reopen(app.state.engine, "R0000204", " ", "anna")
    reopen(app.state.engine, "R0000204", "werkgever stuurt nieuwe loonstrook", "anna")
    assert post(app, client, "R0000204").status_code == 200
    assert snapshot(app, "R0000204")[:3] == ("reject", "reject", None)
    actions = [a.action for a in audit_of(app, "R0000204")]
    assert actions[-3:] == ["reopen", "import", "upload"]


def test_a_batch_reimport_leaves_a_decided_case_alone(app: FastAPI, tmp_path: Path) -> None:
    add_case(app, "R0000205", decided=True)
    add_case(app, "R0000206")
    before = snapshot(app, "R0000205")
    registrations = [rulekit.registration(registratie_id=r) for r in ("R0000205", "R0000206")]
    bad = rulekit.replace(rulekit.a_documents(), rulekit.pok(crebo="25480"))  # now a reject
    pairs = [
        (ManifestEntry(registratie_id=r.registratie_id, slot=d.slot, bestand=d.file, line=2), d)
        for r in registrations
        for d in bad
    ]
    report = assemble_report(registrations, pairs)
    with pytest.raises(CaseDecided):
        import_case(app.state.engine, registrations[0], pairs[:4], report.registrations[0], "x")
    settings = app.state.settings
    assert import_run(settings, registrations, pairs, report, "batch:opnieuw") == 1
    assert snapshot(app, "R0000205") == before
    assert snapshot(app, "R0000206")[0] == "reject"
    last = audit_of(app, "R0000205")[-1]
    assert (last.action, last.target, last.before) == (
        "import_refused",
        "batch:opnieuw",
        {"decision": "goedgekeurd"},
    )


def test_a_bsn_in_the_file_name_is_masked_everywhere(app: FastAPI, client: TestClient) -> None:
    add_case(app, "R0000207")
    answer = post(app, client, "R0000207", BSN_NAME)
    assert answer.status_code == 200, answer.text
    headers = {"Authorization": f"Bearer {app.state.token}"}
    state = client.get("/api/v1/registraties/R0000207", headers=headers)
    with Session(app.state.engine) as session:
        case = session.get(CaseRow, "R0000207")
        stored = [
            (d.file, d.processed)
            for d in session.scalars(
                select(CaseDocumentRow).where(CaseDocumentRow.registratie_id == "R0000207")
            )
        ]
        kept = json.dumps([case.machine_entry if case else None, stored], ensure_ascii=False)
    audited = json.dumps(
        [(a.target, a.before, a.after) for a in audit_of(app, "R0000207")], ensure_ascii=False
    )
    for text in (answer.text, state.text, kept, audited):
        assert "111222333" not in text
        assert "loonstrook •••••••••.pdf" in text

    kept_name = post(app, client, "R0000207", NOT_BSN_NAME, unreadable("R0000207"))
    assert kept_name.json()["documents"][0]["file"] == NOT_BSN_NAME
    assert audit_of(app, "R0000207")[-1].target == f"loonstrook_start: {NOT_BSN_NAME}"
