"""The queue's filters and pagination, the admin audit log's filters, and the Dutch error
pages (unknown registration, invalid query value)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from core.manifest import ManifestEntry
from pipeline.assemble import assemble_report
from review.importer import import_case
from tests import rulekit
from tests.webkit import RID, client_for, login, make_app
from web.pages_queue import PAGE_SIZE


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    app = make_app(tmp_path)
    for number in range(PAGE_SIZE + 1):  # another organisation: its payslips' employer differs
        reg = rulekit.registration(registratie_id=f"R9{number:06d}", organisatie="Zorg Zuid")
        docs = rulekit.a_documents()
        pairs = [
            (
                ManifestEntry(
                    registratie_id=reg.registratie_id, slot=d.slot, bestand=d.file, line=i
                ),
                d,
            )
            for i, d in enumerate(docs, start=2)
        ]
        entry = assemble_report([reg], pairs).registrations[0]
        import_case(app.state.engine, reg, pairs, entry, "batch:test")
    return app


def rows(client: TestClient, query: str = "") -> list[str]:
    html = client.get(f"/?{query}").text
    return [part.split('"')[0] for part in html.split('<a href="/registraties/')[1:]]


def test_queue_filters(app: FastAPI) -> None:
    client = client_for(app)
    token = login(client)
    assert rows(client, "code=CREBO_MISMATCH") == [RID]
    assert rows(client, "oordeel=reject") == [RID]
    assert rows(client, "code=CREBO_MISSING") == []
    assert len(rows(client, "organisatie=Zorg+Zuid")) == PAGE_SIZE
    assert len(rows(client, "oordeel=review&code=PAYSLIP_EMPLOYER_MISMATCH")) == PAGE_SIZE
    assert "Geen registraties gevonden" in client.get("/?oordeel=approve").text
    client.post(f"/registraties/{RID}/claim", data={"csrf_token": token})
    assert rows(client, "status=mijn") == [RID] == rows(client, "status=bezet")
    assert RID not in rows(client, "status=vrij&organisatie=Zorggroep+Noord+B.V.")
    assert rows(client, "lage_zekerheid=1") == []  # rulekit's fields are read with 0.95


def test_queue_pages(app: FastAPI) -> None:
    client = client_for(app)
    login(client)
    first = client.get("/").text
    assert f"{PAGE_SIZE + 2} registraties" in first and "Pagina 1 van 2" in first
    assert len(rows(client)) == PAGE_SIZE and len(rows(client, "pagina=2")) == 2
    assert 'href="?pagina=2"' in first
    filtered = client.get("/?organisatie=Zorg+Zuid").text
    assert 'href="?organisatie=Zorg+Zuid&amp;pagina=2"' in filtered


def test_audit_log_filters(app: FastAPI) -> None:
    client = client_for(app)
    token = login(client, "anna")
    client.post(f"/registraties/{RID}/claim", data={"csrf_token": token})
    page = client.get("/audit?actie=claim").text
    assert "1 regel" in page and "<td>In behandeling genomen</td>" in page
    assert "<td>Machineresultaat ingelezen</td>" not in page
    assert f"{PAGE_SIZE + 2} regels" in client.get("/audit?gebruiker=systeem&actie=import").text


def test_error_pages_are_dutch(app: FastAPI) -> None:
    client = client_for(app)
    login(client)
    missing = client.get("/registraties/R0000000")
    assert missing.status_code == 404 and "Registratie R0000000 bestaat niet." in missing.text
    invalid = client.get("/?pagina=nul")
    assert invalid.status_code == 422 and "ongeldige waarde" in invalid.text
    document = client.get(f"/registraties/{RID}/documenten/999")
    assert document.status_code == 404 and "hoort niet (meer) bij" in document.text
