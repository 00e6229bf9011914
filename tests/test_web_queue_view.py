"""The queue as a reviewer reads it (issue 19, item 5): search by name, R-number and
organisation; sorting by column in a stable order (a touched case does not jump); the
participant and Dutch finding labels (the code as a tooltip); "Lage zekerheid" counting only
values actually read; the "waiting for upload" state; saved filters per reviewer."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from core.manifest import ManifestEntry
from core.report import ReportDocument, ReportField
from pipeline.assemble import assemble_report
from review import repository
from review.confidence import case_confidence
from review.importer import import_case
from store.review_tables import CaseRow
from tests import queuekit, rulekit, webkit
from tests.test_results_store import postgres_url  # noqa: F401 - session fixture
from tests.webkit import RID, client_for, login, make_app

store = webkit.store  # sqlite and postgresql
ROW = re.compile(r'<tr data-rid="([^"]+)"')


@pytest.fixture
def app(tmp_path: Path, store: dict[str, Any]) -> FastAPI:
    """On SQLite and on PostgreSQL (the participant is read from JSON, search is ILIKE)."""
    app = make_app(tmp_path, **store)  # R0001234, Jan de Vries, Zorggroep Noord: CREBO_MISMATCH
    queuekit.add_case(app, "R0000100", queuekit.low_read_value())
    queuekit.add_case(app, "R0000200", queuekit.only_absences_below())
    queuekit.add_case(app, "R0000300")
    return app


def rows(client: TestClient, query: str = "") -> list[str]:
    return ROW.findall(client.get(f"/?{query}").text)


def test_search_by_name_r_number_and_organisation(app: FastAPI) -> None:
    client = client_for(app)
    login(client)
    assert rows(client, "zoek=amrani") == ["R0000100"]
    assert rows(client, "zoek=FATIMA+EL") == ["R0000100"]  # case does not matter
    assert rows(client, "zoek=0000200") == ["R0000200"]
    assert rows(client, "zoek=zorg+zuid") == ["R0000100", "R0000300"]
    assert rows(client, "zoek=de+vries") == [RID]
    assert rows(client, "zoek=%25") == []  # a LIKE wildcard is searched for, not expanded
    assert rows(client, "zoek=zuid&oordeel=reject") == []


def test_low_confidence_means_a_value_read_below_the_threshold(app: FastAPI) -> None:
    """R0000100's payslip employer was read at 70%; R0000200 has only detectors that found
    nothing (no stamp at 79%, no signature at 60%): nothing read to doubt."""
    client = client_for(app)
    login(client)
    assert rows(client, "lage_zekerheid=1") == ["R0000100"]
    page = client.get("/").text
    assert re.search(r'class="num low">70%<', page)
    assert re.search(r'class="num">95%<', page)


def test_confidence_counts_readings_only() -> None:
    def document(pages: int = 1, **fields: tuple[object, float]) -> ReportDocument:
        return ReportDocument(
            document_id=None,
            file="x.pdf",
            slot="praktijkovereenkomst",
            doc_type="praktijkovereenkomst",
            doc_type_confidence=0.97,
            pages=pages,
            fields={k: ReportField(value=v, confidence=c) for k, (v, c) in fields.items()},
        )

    nothing = {"stamp_present": (False, 0.5), "signatures": ([], 0.5), "opleiding": (None, 0.1)}
    assert case_confidence([document(**nothing)]) == 0.97
    assert case_confidence([document(crebo=("25491", 0.62), **nothing)]) == 0.62
    assert case_confidence([document(signature_count=(2, 0.7))]) == 0.7
    assert case_confidence([document(pages=0, crebo=("25491", 0.1))]) == 1.0
    assert case_confidence([]) == 1.0


def test_participant_and_dutch_finding_labels(app: FastAPI) -> None:
    client = client_for(app)
    login(client)
    page = client.get("/").text
    assert "<td>Jan de Vries</td>" in page and "<td>Fatima el Amrani</td>" in page
    assert '<li title="CREBO_MISMATCH">Crebo wijkt af</li>' in page
    assert ">CREBO_MISMATCH<" not in page  # the code only as a tooltip
    assert '<option value="CREBO_MISMATCH" title="CREBO_MISMATCH">Crebo wijkt af</option>' in page
    assert rows(client, "code=CREBO_MISMATCH") == [RID]


def test_sorting_by_column_in_a_stable_order(app: FastAPI) -> None:
    client = client_for(app)
    token = login(client)
    everyone = ["R0000100", "R0000200", "R0000300", RID]
    assert rows(client) == everyone  # by registration number
    assert rows(client, "sorteer=deelnemer") == ["R0000300", "R0000100", RID, "R0000200"]
    assert rows(client, "sorteer=deelnemer&richting=af") == [
        "R0000200",
        RID,
        "R0000100",
        "R0000300",
    ]
    assert rows(client, "sorteer=oordeel")[0] == RID  # Afwijzen first
    assert rows(client, "sorteer=zekerheid")[0] == "R0000100"
    page = client.get("/?sorteer=deelnemer").text
    assert 'aria-sort="ascending"' in page and "sorteer=deelnemer&amp;richting=af" in page
    # a touched case stays where it was
    client.post(f"/registraties/{RID}/claim", data={"csrf_token": token})
    with Session(app.state.engine) as session:
        row = session.get(CaseRow, RID)
        assert row is not None
        case = repository.evaluate(session, row)
    key = next(k for k, f, _ in repository.findings_of(case) if f.code == "CREBO_MISMATCH")
    client.post(
        f"/registraties/{RID}/bevindingen/{key}",
        data={"csrf_token": token, "besluit": "overruled", "reden": "Crebo hernummerd"},
    )
    assert rows(client) == everyone
    assert rows(client, "sorteer=deelnemer") == ["R0000300", "R0000100", RID, "R0000200"]


def test_waiting_for_upload_is_a_state_of_its_own(app: FastAPI) -> None:
    client = client_for(app)
    token = login(client)
    client.post("/registraties/R0000100/claim", data={"csrf_token": token})
    message = "Upload de loonstrook van september 2024."
    client.post(
        "/registraties/R0000100/nieuwe-upload", data={"csrf_token": token, "bericht": message}
    )
    assert rows(client, "staat=wacht") == ["R0000100"]
    assert "R0000100" not in rows(client, "staat=open")
    page = client.get("/?staat=wacht").text
    assert '<span class="badge s-wacht">Wacht op upload</span>' in page
    # the employer uploads a payslip: the case is open again
    reg = rulekit.registration(
        registratie_id="R0000100", organisatie="Zorg Zuid", deelnemer="Fatima el Amrani"
    )
    slip = queuekit.with_page(rulekit.payslip())
    pairs = [
        (ManifestEntry(registratie_id="R0000100", slot=slip.slot, bestand=slip.file, line=2), slip)
    ]
    entry = assemble_report([reg], pairs).registrations[0]
    import_case(app.state.engine, reg, pairs, entry, "upload:Zorg Zuid", replace_slots=True)
    assert rows(client, "staat=wacht") == []
    assert "R0000100" in rows(client, "staat=open")


def test_saved_filters_are_per_reviewer(app: FastAPI) -> None:
    bram, anna = client_for(app), client_for(app)
    token, anna_token = login(bram), login(anna, "anna")
    bram.get("/?oordeel=reject&sorteer=deelnemer")
    saved = bram.post("/werkvoorraad/filters", data={"csrf_token": token, "naam": "Afwijzingen"})
    assert saved.status_code == 303
    assert saved.headers["location"] == "/?oordeel=reject&sorteer=deelnemer"
    page = bram.get("/").text
    assert '<a href="/?oordeel=reject&amp;sorteer=deelnemer">Afwijzingen</a>' in page
    assert "Afwijzingen" not in anna.get("/").text
    filter_id = re.search(r"/werkvoorraad/filters/(\d+)/verwijderen", page)
    assert filter_id
    remove = f"/werkvoorraad/filters/{filter_id.group(1)}/verwijderen"
    anna.post(remove, data={"csrf_token": anna_token})  # not hers: nothing happens
    assert "Afwijzingen" in bram.get("/").text
    bram.post(remove, data={"csrf_token": token})
    assert "Afwijzingen" not in bram.get("/").text
    bram.get("/")  # no filter: nothing to save
    empty = bram.post("/werkvoorraad/filters", data={"csrf_token": token, "naam": "Alles"})
    assert "Kies eerst een filter" in bram.get(empty.headers["location"]).text
