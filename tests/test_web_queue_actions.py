"""Working from the queue (issue 19, items 6, 8 and 10): bulk claim and release, a case another
reviewer holds not offered, the next-case button following the queue's order and filters,
the queue view exported, the audit log's date filter and CSV export, the API documentation
served without a CDN, and one vocabulary for verdicts and decisions."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from core.words import DECISION_WORDS, VERDICT_WORDS
from review import repository
from tests import queuekit
from tests.webkit import RID, case, client_for, flashes, login, make_app
from web import ui
from web.ui import ZONE

ROW = re.compile(r'<tr data-rid="([^"]+)"')


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    app = make_app(tmp_path)
    queuekit.add_case(app, "R0000100", queuekit.low_read_value())
    queuekit.add_case(app, "R0000200")
    queuekit.add_case(app, "R0000300")
    return app


def follow(client: TestClient, response: object) -> str:
    location = response.headers["location"]  # type: ignore[attr-defined]
    return client.get(location).text


def test_bulk_claim_and_release(app: FastAPI) -> None:
    bram, anna = client_for(app), client_for(app)
    token, anna_token = login(bram), login(anna, "anna")
    anna.post("/registraties/R0000300/claim", data={"csrf_token": anna_token})
    bram.get("/?organisatie=Zorg+Zuid")
    chosen = {"csrf_token": token, "actie": "claim", "registratie": ["R0000100", "R0000300"]}
    response = bram.post("/werkvoorraad/selectie", data=chosen)
    assert response.headers["location"] == "/?organisatie=Zorg+Zuid"  # back to the same view
    messages = flashes(follow(bram, response))
    assert messages[0] == "1 registratie in behandeling genomen: R0000100."
    assert "in behandeling bij anna" in messages[1]
    assert case(app).claimed_by is None
    release = {"csrf_token": token, "actie": "release", "registratie": ["R0000100"]}
    assert "1 registratie vrijgegeven: R0000100." in follow(
        bram, bram.post("/werkvoorraad/selectie", data=release)
    )
    nothing = bram.post("/werkvoorraad/selectie", data={"csrf_token": token, "actie": "claim"})
    assert "Selecteer eerst" in follow(bram, nothing)


def test_a_case_another_reviewer_holds_is_not_offered(app: FastAPI) -> None:
    bram, anna = client_for(app), client_for(app)
    login(bram)
    anna_token = login(anna, "anna")
    anna.post("/registraties/R0000300/claim", data={"csrf_token": anna_token})
    page = bram.get("/").text
    row = page[page.index('<tr data-rid="R0000300"') :].split("</tr>")[0]
    assert "disabled" in row and 'title="In behandeling bij anna"' in row
    assert "<td>anna</td>" in row
    free = page[page.index('<tr data-rid="R0000200"') :].split("</tr>")[0]
    assert "disabled" not in free
    admin_page = anna.get("/").text  # an admin may still release it
    mine = admin_page[admin_page.index('<tr data-rid="R0000300"') :].split("</tr>")[0]
    assert "disabled" not in mine and "<td>jij</td>" in mine


def test_next_case_follows_the_queues_order_and_filters(app: FastAPI) -> None:
    bram, anna = client_for(app), client_for(app)
    token, anna_token = login(bram), login(anna, "anna")
    anna.post("/registraties/R0000200/claim", data={"csrf_token": anna_token})
    bram.get("/?sorteer=deelnemer")  # Anouk Zwart, Fatima el Amrani, Jan de Vries, Pieter Bos
    first = bram.post("/volgende", data={"csrf_token": token})
    assert first.headers["location"] == "/registraties/R0000300"
    assert "Volgende registratie: R0000300" in follow(bram, first)
    after = bram.post("/volgende", data={"csrf_token": token, "huidige": "R0000300"})
    assert after.headers["location"] == "/registraties/R0000100"
    with_filter = client_for(app)
    token2 = login(with_filter)
    with_filter.get("/?oordeel=reject")  # only R0001234 is rejected
    assert with_filter.post("/volgende", data={"csrf_token": token2}).headers["location"] == (
        f"/registraties/{RID}"
    )
    assert case(app).claimed_by == "bram"
    # past the last one: round to the top, skipping what anna holds and what bram decided
    repository.set_decision(app.state.engine, "R0000300", "afgewezen", "", "bram")
    bram.get("/?sorteer=deelnemer")
    wrapped = bram.post("/volgende", data={"csrf_token": token, "huidige": RID})
    assert wrapped.headers["location"] == "/registraties/R0000100"
    bram.get("/?sorteer=deelnemer&zoek=anouk")
    none = bram.post("/volgende", data={"csrf_token": token, "huidige": "R0000300"})
    assert none.headers["location"] == "/?zoek=anouk&sorteer=deelnemer"
    assert "geen volgende registratie" in follow(bram, none)


def test_next_case_button_is_on_every_page(app: FastAPI) -> None:
    client = client_for(app)
    login(client)
    case_page = client.get(f"/registraties/{RID}").text
    assert '<form method="post" action="/volgende" id="volgende"' in case_page
    assert f'name="huidige" value="{RID}"' in case_page
    assert 'name="huidige"' not in client.get("/").text


def test_export_follows_the_view(app: FastAPI) -> None:
    client = client_for(app)
    login(client)
    response = client.get("/werkvoorraad.csv?organisatie=Zorg+Zuid&sorteer=deelnemer")
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith("attachment;")
    table = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff")), delimiter=";"))
    assert table[0][:3] == ["Registratie", "Deelnemer", "Organisatie"]
    assert [line[0] for line in table[1:]] == ["R0000300", "R0000100"]
    assert table[2][7] == "0,7000" and table[2][8] == "Open"
    every = client.get("/werkvoorraad.csv?oordeel=reject").text
    assert "Crebo wijkt af" in every and "CREBO_MISMATCH" in every
    book = load_workbook(io.BytesIO(client.get("/werkvoorraad.xlsx?zoek=amrani").content))
    sheet = book["Werkvoorraad"]
    assert [c.value for c in sheet[2]][:2] == ["R0000100", "Fatima el Amrani"]
    assert sheet.max_row == 2 and sheet.freeze_panes == "A2"


def test_audit_log_date_filter_and_csv(app: FastAPI) -> None:
    client = client_for(app)
    token = login(client, "anna")
    client.post(f"/registraties/{RID}/claim", data={"csrf_token": token})
    today = repository.now().astimezone(ZONE).date()
    yesterday, tomorrow = today - timedelta(days=1), today + timedelta(days=1)
    assert "0 regels" in client.get(f"/audit?van={tomorrow}").text
    assert "0 regels" in client.get(f"/audit?tot={yesterday}").text
    page = client.get(f"/audit?van={today}&tot={today}&actie=claim").text
    assert "1 regel " in page and f'value="{today}"' in page
    assert f'href="/audit.csv?actie=claim&amp;van={today}&amp;tot={today}"' in page
    export = client.get(f"/audit.csv?van={today}&actie=claim")
    table = list(csv.reader(io.StringIO(export.text.lstrip("\ufeff")), delimiter=";"))
    assert table[0][0] == "Tijdstip" and len(table) == 2
    assert table[1][1:4] == ["anna", "In behandeling genomen", RID]
    empty = client.get(f"/audit.csv?van={tomorrow}").text
    assert len(list(csv.reader(io.StringIO(empty)))) == 1
    assert client.get("/audit?van=gisteren").status_code == 422
    reviewer = client_for(app)
    login(reviewer)
    assert reviewer.get("/audit.csv").status_code == 403


def test_api_docs_are_served_without_a_cdn(app: FastAPI) -> None:
    client = client_for(app)
    login(client)
    page = client.get("/docs")
    assert page.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert "/static/swagger/swagger-ui-bundle.js" in sources
    assert not [s for s in sources if s.startswith(("http:", "https:", "//"))]
    assert "cdn" not in page.headers["content-security-policy"]
    assert "script-src 'self';" in page.headers["content-security-policy"]
    bundle = client.get("/static/swagger/swagger-ui-bundle.js")
    assert bundle.status_code == 200 and "SwaggerUIBundle" in bundle.text[:2000]
    assert client.get("/static/swagger/swagger-ui.css").status_code == 200


def test_verdict_and_decision_words_come_from_one_vocabulary(app: FastAPI) -> None:
    assert {v.value: word for v, word in VERDICT_WORDS.items()} == ui.VERDICTS
    assert ui.DECISIONS == DECISION_WORDS
    client = client_for(app)
    token = login(client)
    client.post("/registraties/R0000300/claim", data={"csrf_token": token})
    client.post(
        "/registraties/R0000300/besluit",
        data={"csrf_token": token, "besluit": "afgewezen", "reden": ""},
    )
    queue = client.get("/").text
    case_page = client.get(f"/registraties/{RID}").text
    for page in (queue, case_page):
        assert VERDICT_WORDS["reject"] in page  # type: ignore[index]
        assert not re.search(r"afkeur|goedkeuring", page, re.IGNORECASE)
    assert f"<strong>{DECISION_WORDS['afgewezen']}</strong>" in queue
    assert ROW.findall(client.get("/?staat=besloten").text) == ["R0000300"]
