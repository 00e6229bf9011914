"""Preset reasons (issue 19, keyboard-only task): a correction, a finding decision and a type
correction take a preset reason, a free text, or both; neither or an unknown preset is refused
and nothing is stored; the pages offer the presets."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.enums import Slot
from core.errors import ReviewError
from store.review_tables import AuditRow, FindingDecisionRow
from tests.test_web_case_actions import CASE, claimed, crebo_key, part
from tests.webkit import document_id, make_app
from web.reasons import CORRECTION_REASONS, FINDING_REASONS, reason

PRESET = CORRECTION_REASONS[0]


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    return make_app(tmp_path)


def test_reason_takes_a_preset_a_text_or_both() -> None:
    assert reason(PRESET, "", CORRECTION_REASONS) == PRESET
    assert reason("", " eigen tekst ", CORRECTION_REASONS) == "eigen tekst"
    assert reason(PRESET, "rechtsboven", CORRECTION_REASONS) == f"{PRESET}: rechtsboven"
    assert reason("", " ", CORRECTION_REASONS) == ""  # left to the repository to refuse
    with pytest.raises(ReviewError, match="Kies een reden uit de lijst"):
        reason("Zomaar iets", "", CORRECTION_REASONS)


def corrections(app: FastAPI) -> list[str]:
    with Session(app.state.engine) as session:
        rows = session.scalars(select(AuditRow).where(AuditRow.action == "correct_field"))
        return [row.reason for row in rows]


def test_a_correction_with_a_preset_reason_alone_is_stored(app: FastAPI) -> None:
    client, token = claimed(app)
    url = f"{CASE}/documenten/{document_id(app, Slot.PRAKTIJKOVEREENKOMST)}"
    page = part(client.get(f"{url}?veld=crebo").text, "kaart-crebo")
    assert all(f"<option>{preset}</option>" in page for preset in CORRECTION_REASONS)

    data = {"csrf_token": token, "waarde": "25491", "reden_keuze": "Onbekend"}
    client.post(f"{url}/velden/crebo", data=data)
    assert "Kies een reden uit de lijst" in client.get(f"{url}?veld=crebo").text
    assert corrections(app) == []

    data = {"csrf_token": token, "waarde": "25491", "reden_keuze": PRESET}
    client.post(f"{url}/velden/crebo", data=data)
    data = {"csrf_token": token, "waarde": "25480", "reden_keuze": PRESET, "reden": "bovenaan"}
    client.post(f"{url}/velden/crebo", data=data)
    assert corrections(app) == [PRESET, f"{PRESET}: bovenaan"]


def test_a_finding_decision_with_a_preset_reason(app: FastAPI) -> None:
    client, token = claimed(app)
    key = crebo_key(app)
    shown = part(client.get(CASE).text, f"bevinding-{key}")
    assert all(f"<option>{preset}</option>" in shown for preset in FINDING_REASONS)
    data = {"csrf_token": token, "besluit": "overruled", "reden_keuze": FINDING_REASONS[2]}
    client.post(f"{CASE}/bevindingen/{key}", data=data)
    with Session(app.state.engine) as session:
        stored = session.scalars(select(FindingDecisionRow.reason)).all()
    assert stored == [FINDING_REASONS[2]]
    client.post(f"{CASE}/bevindingen/{key}", data={**data, "reden_keuze": "Omdat het kan"})
    with Session(app.state.engine) as session:
        assert len(session.scalars(select(FindingDecisionRow)).all()) == 1
