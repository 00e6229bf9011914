"""The portal's upload API (`web.api`) over a temporary SQLite store and local storage: a real
born-digital PDF comes back checked and lands in the review case once, an organisation sees
only its own registrations, tokens are required and revocable, the size limit holds while the
body is read, a Word file gets its finding, and a crashed worker becomes CHECK_FAILED.

One app (and so one warm worker process) is shared by the module."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.enums import FindingCode
from core.manifest import ManifestEntry
from core.registration import Registration, load_registrations
from core.settings import Limits, Settings
from pipeline.assemble import assemble_report
from reading.admission import sha256
from review.importer import import_case
from store.db import make_engine, migrate
from store.objects import LocalStorage, make_storage, original_key, render_key
from store.review_tables import AuditRow, CaseDocumentRow
from tests import factories, rulekit
from web import tokens, uploads
from web.api import router
from web.prescreen_pool import start_pool, stop_pool

SAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "sample"
ORG_A = "Stichting De Wielewaal"
POK = SAMPLE / "docs" / "r0210270_pok.pdf"  # born digital, clean praktijkovereenkomst
DOCX = SAMPLE / "docs" / "r0210268_loonstrook_start.pdf"  # a .docx named .pdf
MAX_BYTES = 64 * 1024
REG_B = rulekit.registration()  # Zorggroep Noord B.V.


def make_app(settings: Settings) -> FastAPI:
    """What `web.app.create_app` sets up for the API, without the reviewer pages."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        start_pool(app, settings)
        try:
            yield
        finally:
            stop_pool(app)

    app = FastAPI(lifespan=lifespan)
    engine = make_engine(settings.database_dsn())
    migrate(engine)
    app.state.settings = settings
    app.state.engine = engine
    app.state.storage = make_storage(settings)
    app.include_router(router)
    return app


def import_empty(engine: Engine, registration: Registration) -> None:
    entry = assemble_report([registration], []).registrations[0]
    import_case(engine, registration, [], entry, "batch:test")


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    data_dir = tmp_path_factory.mktemp("api")
    settings = Settings(data_dir=data_dir, workers=1, limits=Limits(max_bytes=MAX_BYTES))
    app = make_app(settings)
    engine = app.state.engine
    registrations, _ = load_registrations(SAMPLE / "registrations.csv")
    for registration in registrations:
        if registration.registratie_id in ("R0210270", "R0210268"):
            import_empty(engine, registration)
    pairs = [
        (ManifestEntry(registratie_id=REG_B.registratie_id, slot=d.slot, bestand=d.file, line=i), d)
        for i, d in enumerate(rulekit.a_documents(), start=2)
    ]
    import_case(
        engine, REG_B, pairs, assemble_report([REG_B], pairs).registrations[0], "batch:test"
    )
    app.state.tokens = {
        "a": tokens.create_token(engine, ORG_A, "test")[1],
        "b": tokens.create_token(engine, REG_B.organisatie)[1],
    }
    yield app
    engine.dispose()


@pytest.fixture(scope="module")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


def auth(app: FastAPI, org: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {app.state.tokens[org]}"}


def upload(client: TestClient, headers: dict[str, str], rid: str, slot: str, path: Path) -> Any:
    files = {"bestand": (path.name, path.read_bytes(), "application/pdf")}
    return client.post(
        f"/api/v1/registraties/{rid}/uploads", data={"slot": slot}, files=files, headers=headers
    )


def documents(app: FastAPI, rid: str) -> list[CaseDocumentRow]:
    with Session(app.state.engine) as session:
        query = select(CaseDocumentRow).where(CaseDocumentRow.registratie_id == rid)
        return list(session.scalars(query.order_by(CaseDocumentRow.id)))


def audit_rows(app: FastAPI) -> list[AuditRow]:
    with Session(app.state.engine) as session:
        return list(session.scalars(select(AuditRow).order_by(AuditRow.id)))


@pytest.fixture(scope="module")
def pok_answer(app: FastAPI, client: TestClient) -> dict[str, Any]:
    response = upload(client, auth(app, "a"), "R0210270", "praktijkovereenkomst", POK)
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_upload_of_a_born_digital_pdf_answers_its_checked_entry(
    app: FastAPI, pok_answer: dict[str, Any]
) -> None:
    assert pok_answer["status"] == "gecontroleerd"
    assert pok_answer["registratie_id"] == "R0210270"
    [doc] = pok_answer["documents"]
    assert (doc["file"], doc["slot"], doc["doc_type"]) == (
        "r0210270_pok.pdf",
        "praktijkovereenkomst",
        "praktijkovereenkomst",
    )
    assert doc["text_source"] == "text_layer" and doc["pages"] >= 1
    fields = {name: f["value"] for name, f in doc["fields"].items()}
    assert fields["crebo"] == "25486"
    assert fields["startdatum"] == "2024-09-27" and fields["einddatum"] == "2026-03-02"
    codes = {f["code"] for f in pok_answer["findings"]}
    assert "DOCUMENT_MISSING" not in codes  # one upload at a time: completeness not judged


def test_upload_is_stored_recorded_and_audited(app: FastAPI, pok_answer: dict[str, Any]) -> None:
    document_id = sha256(POK.read_bytes())
    assert pok_answer["documents"][0]["document_id"] == document_id
    storage = app.state.storage
    assert isinstance(storage, LocalStorage)
    assert storage.get(original_key(document_id)) == POK.read_bytes()
    assert storage.metadata(original_key(document_id)) == {
        "registratie_id": "R0210270",
        "slot": "praktijkovereenkomst",
        "organisatie": ORG_A,
    }
    assert storage.exists(render_key(document_id, 1))
    [row] = documents(app, "R0210270")
    assert (row.slot, row.document_id, row.source, row.superseded) == (
        "praktijkovereenkomst",
        document_id,
        f"upload:{ORG_A}",
        False,
    )
    last = [a for a in audit_rows(app) if a.registratie_id == "R0210270"][-1]
    assert (last.username, last.action, last.target) == (
        f"org:{ORG_A}",
        "upload",
        "praktijkovereenkomst: r0210270_pok.pdf",
    )
    assert last.after["status"] == "gecontroleerd"


def test_the_same_upload_twice_keeps_one_document(
    app: FastAPI, client: TestClient, pok_answer: dict[str, Any]
) -> None:
    again = upload(client, auth(app, "a"), "R0210270", "praktijkovereenkomst", POK)
    assert again.status_code == 200, again.text
    answer = again.json()
    assert answer["status"] == "al_ontvangen"
    assert {k: v for k, v in answer.items() if k != "status"} == {
        k: v for k, v in pok_answer.items() if k != "status"
    }
    assert len(documents(app, "R0210270")) == 1  # no new row, nothing superseded


def test_own_registration_shows_the_reviewed_state(
    app: FastAPI, client: TestClient, pok_answer: dict[str, Any]
) -> None:
    response = client.get("/api/v1/registraties/R0210270", headers=auth(app, "a"))
    assert response.status_code == 200, response.text
    state = response.json()
    assert state["registratie_id"] == "R0210270"
    assert [d["slot"] for d in state["documents"]] == ["praktijkovereenkomst"]
    assert "DOCUMENT_MISSING" in {f["code"] for f in state["findings"]}  # the whole case
    assert state["verdict"] == "reject" and state["decision"] is None


def test_a_word_file_named_pdf_gets_its_finding(app: FastAPI, client: TestClient) -> None:
    response = upload(client, auth(app, "a"), "R0210268", "loonstrook_start", DOCX)
    assert response.status_code == 200, response.text
    answer = response.json()
    [finding] = [f for f in answer["findings"] if f["slot"] == "loonstrook_start"]
    assert finding["code"] == "FILE_TYPE_NOT_ALLOWED" and "Word" in finding["message"]
    assert answer["verdict"] == "reject"
    assert answer["documents"][0]["doc_type"] == "onbekend"


def test_an_upload_keeps_the_batch_findings_of_the_case(app: FastAPI, client: TestClient) -> None:
    registration = rulekit.registration(registratie_id="R0000077")
    duplicate = factories.finding(
        FindingCode.DUPLICATE_PARTICIPANT, "Deze deelnemer staat er twee keer."
    )
    entry = assemble_report([registration], [], extra_findings={"R0000077": [duplicate]})
    import_case(app.state.engine, registration, [], entry.registrations[0], "batch:test")
    response = upload(client, auth(app, "b"), "R0000077", "loonstrook_start", DOCX)
    assert response.status_code == 200, response.text
    assert "DUPLICATE_PARTICIPANT" not in {f["code"] for f in response.json()["findings"]}
    state = client.get("/api/v1/registraties/R0000077", headers=auth(app, "b")).json()
    assert "DUPLICATE_PARTICIPANT" in {f["code"] for f in state["findings"]}


def test_another_organisations_registration_is_not_found(app: FastAPI, client: TestClient) -> None:
    before = len(audit_rows(app))
    foreign = client.get("/api/v1/registraties/R0210270", headers=auth(app, "b"))
    missing = client.get("/api/v1/registraties/R9999999", headers=auth(app, "b"))
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json() == {"detail": "Registratie niet gevonden."}
    own_b = client.get(f"/api/v1/registraties/{REG_B.registratie_id}", headers=auth(app, "b"))
    assert own_b.status_code == 200
    other = client.get(f"/api/v1/registraties/{REG_B.registratie_id}", headers=auth(app, "a"))
    assert other.status_code == 404
    posted = upload(client, auth(app, "b"), "R0210268", "praktijkovereenkomst", POK)
    assert posted.status_code == 404 and posted.json() == missing.json()
    assert [d.slot for d in documents(app, "R0210268") if d.slot == "praktijkovereenkomst"] == []
    assert len(audit_rows(app)) == before


@pytest.mark.parametrize(
    "header",
    [None, "Bearer nietgeldig", "Basic YTpi", "Bearer "],
    ids=["missing", "unknown", "basic", "empty"],
)
def test_no_valid_token_is_401(app: FastAPI, client: TestClient, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    for response in (
        client.get("/api/v1/registraties/R0210270", headers=headers),
        upload(client, headers, "R0210270", "praktijkovereenkomst", POK),
    ):
        assert response.status_code == 401
        assert response.headers["www-authenticate"].startswith("Bearer")
        assert "API-token" in response.json()["detail"]


def test_a_revoked_token_is_refused(app: FastAPI, client: TestClient) -> None:
    token_id, token = tokens.create_token(app.state.engine, ORG_A)
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/registraties/R0210270", headers=headers).status_code == 200
    info = tokens.revoke_token(app.state.engine, token_id)
    assert info is not None and info.revoked_at is not None
    refused = client.get("/api/v1/registraties/R0210270", headers=headers)
    assert refused.status_code == 401
    assert tokens.verify_token(app.state.engine, token) is None
    actions = [(a.action, a.target) for a in audit_rows(app) if a.registratie_id is None]
    assert ("revoke_token", f"token {token_id} ({ORG_A})") in actions


def test_an_oversized_upload_is_refused_while_read(app: FastAPI, client: TestClient) -> None:
    big = b"%PDF-1.7\n" + os.urandom(MAX_BYTES * 2)
    files = {"bestand": ("groot.pdf", big, "application/pdf")}
    url = "/api/v1/registraties/R0210268/uploads"
    declared = client.post(
        url, data={"slot": "prestatiebewijs"}, files=files, headers=auth(app, "a")
    )
    assert declared.status_code == 413
    assert "groter dan 64 kB" in declared.json()["detail"]
    files = {"bestand": ("net-te-groot.pdf", big[: MAX_BYTES + 1], "application/pdf")}
    just_over = client.post(
        url, data={"slot": "prestatiebewijs"}, files=files, headers=auth(app, "a")
    )
    assert just_over.status_code == 413  # within the form's overhead, but the file is too big

    boundary = "grens"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="slot"\r\n\r\n'
        f"prestatiebewijs\r\n--{boundary}\r\n"
        'Content-Disposition: form-data; name="bestand"; filename="groot.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    )
    body = head.encode() + big + f"\r\n--{boundary}--\r\n".encode()

    def chunks() -> Iterator[bytes]:  # chunked: no Content-Length to refuse it up front
        for start in range(0, len(body), 16 * 1024):
            yield body[start : start + 16 * 1024]

    headers = {**auth(app, "a"), "Content-Type": f"multipart/form-data; boundary={boundary}"}
    streamed = client.post(url, content=chunks(), headers=headers)
    assert streamed.status_code == 413
    assert not app.state.storage.exists(original_key(sha256(big)))
    assert [d for d in documents(app, "R0210268") if d.slot == "prestatiebewijs"] == []


def test_a_malformed_form_is_422_in_dutch(app: FastAPI, client: TestClient) -> None:
    bad_slot = upload(client, auth(app, "a"), "R0210268", "paspoort", POK)
    assert bad_slot.status_code == 422
    assert bad_slot.json()["detail"].startswith("Onbekend vakje 'paspoort'")
    no_file = client.post(
        "/api/v1/registraties/R0210268/uploads",
        files={"slot": (None, "praktijkovereenkomst")},
        headers=auth(app, "a"),
    )
    assert no_file.status_code == 422 and "bestand ontbreekt" in no_file.json()["detail"]


def test_openapi_documents_the_answers(app: FastAPI) -> None:
    schema = app.openapi()
    post = schema["paths"]["/api/v1/registraties/{registratie_id}/uploads"]["post"]
    assert {"200", "401", "404", "413", "422"} <= set(post["responses"])
    assert "multipart/form-data" in post["requestBody"]["content"]
    assert post["summary"] and post["security"] == [{"OrganisatieToken": []}]
    get = schema["paths"]["/api/v1/registraties/{registratie_id}"]["get"]
    assert {"200", "401", "404"} <= set(get["responses"])
    assert schema["components"]["schemas"]["UploadAnswer"]["examples"]


def test_the_reviewer_app_serves_the_api_without_a_login(tmp_path: Path) -> None:
    from web.app import create_app

    app = create_app(Settings(data_dir=tmp_path, workers=1), secret_key="test")
    import_empty(app.state.engine, REG_B)
    _, token = tokens.create_token(app.state.engine, REG_B.organisatie)
    url = f"/api/v1/registraties/{REG_B.registratie_id}"
    with TestClient(app, follow_redirects=False) as client:
        assert client.get(url).status_code == 401  # the token's 401, not the login redirect
        assert client.get(url, headers={"Authorization": f"Bearer {token}"}).status_code == 200
    app.state.engine.dispose()


def _die(*args: Any, **kwargs: Any) -> None:
    os._exit(3)  # a worker killed by a crash in a native library


def test_a_crashed_worker_becomes_check_failed(
    app: FastAPI, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Last in the module: the pool it breaks is replaced only on the next upload."""
    monkeypatch.setattr(uploads, "check_upload", _die)
    response = upload(client, auth(app, "a"), "R0210268", "praktijkovereenkomst", POK)
    assert response.status_code == 200, response.text
    codes = [f["code"] for f in response.json()["findings"] if f["slot"] == "praktijkovereenkomst"]
    assert codes == ["CHECK_FAILED"]
    [row] = [d for d in documents(app, "R0210268") if d.slot == "praktijkovereenkomst"]
    assert row.processed["findings"][0]["code"] == "CHECK_FAILED"
