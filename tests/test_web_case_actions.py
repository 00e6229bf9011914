"""The case and document pages' actions without JavaScript (issue 19, items 2, 7 and 8): each
returns to the page it came from at the part acted on, with its message there; a refused
correction keeps what was typed; a correction needs a reason; a finding shows its review state
and only the buttons that change it; the final decision releases the case, which is read-only
until reopened (audited); the claim button is not offered on a case another reviewer holds;
the audit log names a corrected document by its file."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.enums import FindingCode, Slot
from review import repository
from review.cases import finding_key
from store.review_tables import AuditRow, CaseRow, CorrectionRow
from tests.webkit import RID, case, client_for, document_id, login, make_app

CASE = f"/registraties/{RID}"


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    return make_app(tmp_path)


def claimed(app: FastAPI, user: str = "bram") -> tuple[TestClient, str]:
    client = client_for(app)
    token = login(client, user)
    assert client.post(f"{CASE}/claim", data={"csrf_token": token}).status_code == 303
    return client, token


def crebo_key(app: FastAPI) -> str:
    with Session(app.state.engine) as session:
        effective = repository.evaluate(session, case(app))
    return next(finding_key(f) for f in effective.active if f.code is FindingCode.CREBO_MISMATCH)


def part(html: str, element_id: str) -> str:
    """The element with this id up to the next element id of the same kind (a rough cut)."""
    start = html.index(f'id="{element_id}"')
    return html[start : start + 6000]


def test_an_action_returns_to_its_page_at_the_part_acted_on(app: FastAPI) -> None:
    client, token = claimed(app)
    key = crebo_key(app)
    pok = f"{CASE}/documenten/{document_id(app, Slot.PRAKTIJKOVEREENKOMST)}"
    data = {"csrf_token": token, "besluit": "confirmed", "reden": "klopt", "terug": pok}
    response = client.post(f"{CASE}/bevindingen/{key}", data=data)
    assert response.headers["location"] == f"{pok}#bevinding-{key}"  # not the case page
    page = client.get(pok).text
    note = re.search(r'data-note="bevinding-(\w+)">([^<]*)<', page)
    assert note is not None and note.groups() == (key, "Bevinding bevestigd.")
    assert page.index(f'id="bevinding-{key}"') < note.start()  # beside the finding, not on top
    assert '<p class="flash flash-ok" role="status">' not in page
    for elsewhere in ("https://elders.example/", "/audit", f"{CASE}/../../audit", f"{CASE}x"):
        data = {"csrf_token": token, "besluit": "confirmed", "reden": "klopt", "terug": elsewhere}
        location = client.post(f"{CASE}/bevindingen/{key}", data=data).headers["location"]
        assert location == f"{CASE}#bevinding-{key}", elsewhere


def test_a_refused_correction_keeps_what_was_typed(app: FastAPI) -> None:
    client, token = claimed(app)
    url = f"{CASE}/documenten/{document_id(app, Slot.PRAKTIJKOVEREENKOMST)}"
    data = {"csrf_token": token, "waarde": "morgen", "reden": "scan scheef"}
    response = client.post(f"{url}/velden/startdatum", data=data)
    assert response.headers["location"] == f"{url}?veld=startdatum#kaart-startdatum"
    card = part(client.get(f"{url}?veld=startdatum").text, "kaart-startdatum")
    assert 'value="morgen"' in card and 'value="scan scheef"' in card
    assert "Startdatum: Vul een datum in, bijvoorbeeld 01-09-2025." in card
    assert 'value="morgen"' not in client.get(url).text  # only once, on the next page


def test_a_correction_needs_a_reason(app: FastAPI) -> None:
    client, token = claimed(app)
    url = f"{CASE}/documenten/{document_id(app, Slot.PRAKTIJKOVEREENKOMST)}"
    client.post(f"{url}/velden/crebo", data={"csrf_token": token, "waarde": "25491"})
    assert "Crebo: Geef een reden op." in client.get(f"{url}?veld=crebo").text
    with Session(app.state.engine) as session:
        assert session.scalar(select(func.count()).select_from(CorrectionRow)) == 0
    page = part(client.get(f"{url}?veld=crebo").text, "kaart-crebo")
    assert '<select name="reden_keuze"' in page and '<input name="reden"' in page


def test_the_audit_log_names_the_corrected_file(app: FastAPI) -> None:
    client, token = claimed(app)
    url = f"{CASE}/documenten/{document_id(app, Slot.PRAKTIJKOVEREENKOMST)}"
    data = {"csrf_token": token, "waarde": "25491", "reden": "misgelezen"}
    client.post(f"{url}/velden/crebo", data=data)
    with Session(app.state.engine) as session:
        last = session.scalars(select(AuditRow).order_by(AuditRow.id.desc())).first()
    assert last is not None and last.target == "docs/praktijkovereenkomst.pdf / Crebo"


def test_a_finding_shows_its_state_and_the_buttons_that_change_it(app: FastAPI) -> None:
    client, token = claimed(app)
    key = crebo_key(app)

    def finding() -> str:
        return part(client.get(CASE).text, f"bevinding-{key}")

    assert ">Open<" in finding() and "Bevestigen" in finding() and "Verwerpen" in finding()
    client.post(
        f"{CASE}/bevindingen/{key}",
        data={"csrf_token": token, "besluit": "confirmed", "reden": "klopt"},
    )
    shown = finding()
    assert ">Bevestigd<" in shown and ">Verwerpen<" in shown and ">Bevestigen<" not in shown
    client.post(
        f"{CASE}/bevindingen/{key}",
        data={"csrf_token": token, "besluit": "overruled", "reden": "oud"},
    )
    shown = finding()
    assert ">Verworpen<" in shown and "Toch laten meetellen" in shown and ">Verwerpen<" not in shown


def test_the_decision_releases_the_case_read_only_until_reopened(app: FastAPI) -> None:
    client, token = claimed(app)
    data = {"csrf_token": token, "besluit": "afgewezen", "reden": "crebo klopt niet"}
    assert client.post(f"{CASE}/besluit", data=data).headers["location"] == f"{CASE}#besluit"
    row = case(app)
    assert row.decision == "afgewezen" and row.claimed_by is None
    page = client.get(CASE).text
    assert "Besluit: <strong>Afgewezen</strong> door bram" in page  # shown, not a reset dropdown
    assert 'name="besluit"' not in page and "/bevindingen/" not in page and "/claim" not in page
    pok = document_id(app, Slot.PRAKTIJKOVEREENKOMST)
    assert "/velden/" not in client.get(f"{CASE}/documenten/{pok}").text
    repository.claim(app.state.engine, RID, "bram")  # even holding it: read-only
    with pytest.raises(repository.ReviewError, match="al besloten"):
        repository.correct_field(app.state.engine, RID, pok, "crebo", "25491", "bram", "x")
    repository.release(app.state.engine, RID, "bram")

    other = client_for(app)
    other_token = login(other, "anna")
    other.post(f"{CASE}/heropenen", data={"csrf_token": other_token, "reden": "nieuwe POK"})
    row = case(app)
    assert row.decision is None and row.claimed_by == "anna"
    with Session(app.state.engine) as session:
        last = session.scalars(select(AuditRow).order_by(AuditRow.id.desc())).first()
    assert last is not None and (last.action, last.reason) == ("reopen", "nieuwe POK")
    assert last.before == {"decision": "afgewezen", "verdict": "reject", "claimed_by": None}
    assert last.after == {"decision": None, "verdict": "reject", "claimed_by": "anna"}


def test_no_claim_button_on_a_case_another_reviewer_holds(app: FastAPI) -> None:
    claimed(app, "anna")
    client = client_for(app)
    login(client, "bram")
    page = client.get(CASE).text
    assert "In behandeling bij <strong>anna</strong>" in page
    assert f'action="{CASE}/claim"' not in page
    with Session(app.state.engine) as session, session.begin():
        row = session.get(CaseRow, RID)
        assert row is not None and row.claimed_at is not None
        row.claimed_at -= repository.CLAIM_LEASE + timedelta(minutes=1)
    page = client.get(CASE).text
    assert f'action="{CASE}/claim"' in page and "Overnemen" in page
    assert "langer dan 4 uur niet aangeraakt" in page


def test_the_reupload_message_starts_from_the_findings(app: FastAPI) -> None:
    client, _ = claimed(app)
    page = client.get(CASE).text
    draft = re.search(r'<textarea name="bericht"[^>]*>([^<]*)</textarea>', page)
    assert draft is not None and "Crebonummer 25480 op de praktijkovereenkomst" in draft.group(1)
    documents = part(page, "documenten")
    documents = documents[: documents.index("</table>")]
    assert "batch:test" not in re.sub(r'title="[^"]*"', "", documents)  # the source in words
    assert "Batchcontrole" in documents
