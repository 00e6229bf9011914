"""Reviewing through the web forms: a field correction posted on the document page re-runs
the rules (the verdict follows, the audit keeps both versions), a value of the wrong kind
shows the Dutch correction message, a finding is overruled only with a reason, and page
renders are served only for documents of a case."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.enums import FindingCode, Severity, Slot
from core.model import Finding
from review import repository
from review.cases import finding_key
from store.objects import render_key
from store.review_tables import AuditRow, CorrectionRow
from tests import rulekit
from tests.webkit import RID, case, client_for, document_id, flashes, login, make_app
from web.overlay import boxes


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    return make_app(tmp_path)


def claimed(app: FastAPI) -> tuple[TestClient, str]:
    client = client_for(app)
    token = login(client)
    assert client.post(f"/registraties/{RID}/claim", data={"csrf_token": token}).status_code == 303
    assert flashes(client.get(f"/registraties/{RID}").text) == [
        "Je hebt deze registratie in behandeling genomen."
    ]
    return client, token


def test_correcting_a_field_on_the_web_reruns_the_rules(app: FastAPI) -> None:
    client, token = claimed(app)
    assert case(app).verdict == "reject"
    pok = document_id(app, Slot.PRAKTIJKOVEREENKOMST)
    url = f"/registraties/{RID}/documenten/{pok}"
    response = client.post(
        f"{url}/velden/crebo",
        data={"csrf_token": token, "waarde": " 25491 ", "reden": "scan misgelezen"},
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"{url}?veld=crebo#kaart-crebo"
    assert case(app).verdict == "approve"
    page = client.get(url).text
    assert flashes(page) == ["Crebo aangepast. Oordeel na de regels: Goedkeuren."]
    assert "25480" in page and "25491" in page  # machine and corrected value side by side
    with Session(app.state.engine) as session:
        last = session.scalars(select(AuditRow).order_by(AuditRow.id.desc())).first()
    assert last is not None and (last.action, last.username) == ("correct_field", "bram")
    assert last.before == {"value": "25480", "verdict": "reject"}
    assert last.after == {"value": "25491", "verdict": "approve"}
    assert "scan misgelezen" in client.get(f"/registraties/{RID}").text  # in the audit trail

    undo = {"csrf_token": token, "herstel": "1", "reden": "toch goed gelezen"}
    client.post(f"{url}/velden/crebo", data=undo)
    assert case(app).verdict == "reject"


def test_a_value_of_the_wrong_kind_shows_the_correction_message(app: FastAPI) -> None:
    client, token = claimed(app)
    url = f"/registraties/{RID}/documenten/{document_id(app, Slot.PRAKTIJKOVEREENKOMST)}"
    client.post(f"{url}/velden/startdatum", data={"csrf_token": token, "waarde": "morgen"})
    assert flashes(client.get(url).text) == [
        "Startdatum: Vul een datum in, bijvoorbeeld 01-09-2025."
    ]
    assert client.post(f"{url}/velden/bestaat_niet", data={"csrf_token": token}).status_code == 404
    with Session(app.state.engine) as session:
        assert session.scalar(select(func.count()).select_from(CorrectionRow)) == 0


def test_actions_need_a_claim(app: FastAPI) -> None:
    client = client_for(app)
    token = login(client)
    url = f"/registraties/{RID}/documenten/{document_id(app, Slot.PRAKTIJKOVEREENKOMST)}"
    data = {"csrf_token": token, "waarde": "25491", "reden": "misgelezen"}
    client.post(f"{url}/velden/crebo", data=data)
    assert flashes(client.get(url).text) == [
        f"Crebo: Neem registratie {RID} eerst in behandeling (nu: niemand)."
    ]
    assert case(app).verdict == "reject"


def test_overruling_a_finding_needs_a_reason(app: FastAPI) -> None:
    client, token = claimed(app)
    with Session(app.state.engine) as session:
        effective = repository.evaluate(session, case(app))
    key = finding_key(effective.active[0])
    url = f"/registraties/{RID}/bevindingen/{key}"
    client.post(url, data={"csrf_token": token, "besluit": "overruled", "reden": " "})
    assert flashes(client.get(f"/registraties/{RID}").text) == ["Geef een reden op."]
    client.post(url, data={"csrf_token": token, "besluit": "overruled", "reden": "oud crebo"})
    page = client.get(f"/registraties/{RID}").text
    assert flashes(page) == ["Bevinding verworpen."]
    assert case(app).verdict == "approve"
    assert "Verworpen door bram" in page and "oud crebo" in page


def test_page_renders_only_for_documents_of_a_case(app: FastAPI) -> None:
    client = client_for(app)
    login(client)
    pok = rulekit.pok().document_id
    assert pok is not None
    app.state.storage.put(render_key(pok, 1), b"\xff\xd8jpeg")
    response = client.get(f"/documenten/{pok}/pagina/1.jpg")
    assert response.status_code == 200 and response.content == b"\xff\xd8jpeg"
    assert response.headers["content-type"] == "image/jpeg"
    assert client.get(f"/documenten/{pok}/pagina/2.jpg").status_code == 404
    other = "b" * 64
    app.state.storage.put(render_key(other, 1), b"\xff\xd8jpeg")
    assert client.get(f"/documenten/{other}/pagina/1.jpg").status_code == 404
    assert client.get("/documenten/..%2F..%2Fetc/pagina/1.jpg").status_code == 404


def test_boxes_cover_fields_each_signature_and_findings() -> None:
    doc = rulekit.pok()
    signatures = [
        {"rol": "werkgever", "page": 1, "bbox": [0.1, 0.8, 0.3, 0.85], "confidence": 0.9},
        {"rol": None, "page": 2, "bbox": [0.5, 0.8, 0.7, 0.85], "confidence": 0.7},
    ]
    doc.fields["signatures"] = rulekit.fv(signatures)
    doc.fields["logo_present"] = rulekit.fv(True)
    crebo = doc.fields["crebo"]
    finding = Finding.of(
        FindingCode.CREBO_MISMATCH,
        "Crebo wijkt af.",
        severity=Severity.ERROR,
        page=1,
        bbox=crebo.bbox,
    )
    drawn = boxes(doc, [("k", finding, False)])
    kinds = [b.kind for b in drawn]
    assert kinds.count("handtekening") == 2 and kinds.count("logo") == 1
    assert kinds.count("veld") == len(doc.fields) - 3  # not signature_count, signatures, logo
    assert kinds[-1] == "bevinding" and drawn[-1].target == "bevinding-k"
    first = drawn[kinds.index("handtekening")]
    assert (first.left, first.top, first.width, first.height) == (10.0, 80.0, 20.0, 5.0)
