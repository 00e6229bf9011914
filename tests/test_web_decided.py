"""The reviewer pages around a decided case and file names: a reviewer reopens a decided case
through its form (a reason required), and a file name stored before names were masked on entry
is shown with its BSN masked in the documents, findings and audit trail."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from core.enums import FindingCode, Slot
from core.model import Finding
from review import repository
from store.review_tables import CaseDocumentRow
from tests import rulekit
from tests.webkit import RID, case, client_for, flashes, login, make_app

RAW = "loonstrook 111222333.pdf"


def test_a_reviewer_reopens_a_decided_case(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    client = client_for(app)
    token = login(client)
    client.post(f"/registraties/{RID}/claim", data={"csrf_token": token})
    client.post(f"/registraties/{RID}/besluit", data={"csrf_token": token, "besluit": "afgewezen"})
    page = client.get(f"/registraties/{RID}").text
    assert case(app).decision == "afgewezen" and "Besluit intrekken en heropenen" in page

    url = f"/registraties/{RID}/heropenen"
    client.post(url, data={"csrf_token": token, "reden": " "})
    assert flashes(client.get(f"/registraties/{RID}").text) == [
        "Geef een reden op voor het heropenen."
    ]
    done = client.post(url, data={"csrf_token": token, "reden": "nieuwe loonstrook"})
    assert done.status_code == 303
    page = client.get(f"/registraties/{RID}").text
    assert flashes(page) == [
        "Het besluit is ingetrokken; de registratie is weer open en bij jou in behandeling."
    ]
    assert case(app).decision is None and "Besluit intrekken" not in page
    assert "Heropend" in page and "nieuwe loonstrook" in page  # in the audit trail
    client.post(url, data={"csrf_token": token, "reden": "nog eens"})
    assert flashes(client.get(f"/registraties/{RID}").text) == [
        f"Over registratie {RID} is nog geen besluit genomen."
    ]


def test_an_older_unmasked_file_name_is_shown_masked(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    finding = Finding.of(
        FindingCode.FILE_UNREADABLE,
        f"Het bestand {RAW} kon niet worden gelezen.",
        file=RAW,
        slot=Slot.PRESTATIEBEWIJS,
    )
    processed = rulekit.doc(Slot.PRESTATIEBEWIJS, None, findings=[finding])
    processed.file = RAW
    with Session(app.state.engine) as session, session.begin():
        row = CaseDocumentRow(
            registratie_id=RID,
            slot=Slot.PRESTATIEBEWIJS.value,
            file=RAW,
            line=9,
            document_id=None,
            processed=processed.model_dump(mode="json"),
            source="batch:oud",
            created_at=datetime.now(UTC),
            superseded=False,
        )
        session.add(row)
        session.flush()
        document = row.id
        after = {"documents": [RAW]}
        repository.audit(session, "systeem", "import", RID, target=f"oud: {RAW}", after=after)
    client = client_for(app)
    login(client)
    for url in (f"/registraties/{RID}", f"/registraties/{RID}/documenten/{document}"):
        page = client.get(url).text
        assert "111222333" not in page, url
        assert "loonstrook •••••••••.pdf" in page, url
