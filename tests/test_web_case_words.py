"""What the case page says in words (issue 19, item 8): finding messages give a neuter
document its article ("het bewijs van deelname", "het diploma", "het prestatiebewijs"), a
registration's months read as its dates (MM-YYYY), a document's source is named in words,
not by its batch's run id, and the re-upload message is drafted from the active findings."""

from __future__ import annotations

import pytest

from checks._format import the
from core.enums import DocType, FindingCode, Severity, Slot
from core.model import Finding
from tests import rulekit
from web.pages_case import reupload_draft, source_label
from web.ui import show


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("bewijs van deelname", "het bewijs van deelname"),
        ("bewijs van inschrijving", "het bewijs van inschrijving"),
        ("diploma", "het diploma"),
        ("uittreksel KvK", "het uittreksel KvK"),
        ("prestatiebewijs", "het prestatiebewijs"),
        ("document", "het document"),
        ("praktijkovereenkomst", "de praktijkovereenkomst"),
        ("loonstrook start", "de loonstrook start"),
    ],
)
def test_a_name_gets_its_article(name: str, expected: str) -> None:
    assert the(name) == expected


def test_finding_messages_say_het_bewijs_van_deelname() -> None:
    reg = rulekit.registration()
    other = rulekit.diploma(doc_type=DocType.BEWIJS_VAN_DEELNAME, deelnemer="Piet Jansen")
    messages = [
        f.message for f in rulekit.findings(reg, rulekit.replace(rulekit.a_documents(), other))
    ]
    named = [m for m in messages if "Piet Jansen" in m]
    assert named == [
        "Het bewijs van deelname staat op naam van Piet Jansen, niet van de geregistreerde "
        f"deelnemer {reg.deelnemer}. Upload het bewijs van deelname van {reg.deelnemer}."
    ]
    crebo = rulekit.diploma(crebo="12345")
    text = " ".join(
        f.message for f in rulekit.findings(reg, rulekit.replace(rulekit.a_documents(), crebo))
    )
    assert "op het diploma" in text and "Upload het diploma" in text
    assert "de diploma" not in text.lower() and "de bewijs" not in text.lower()


def test_an_empty_slot_asks_for_it_with_its_article() -> None:
    reg = rulekit.registration()
    docs = [d for d in rulekit.a_documents() if d.slot is not Slot.PRESTATIEBEWIJS]
    missing = [
        f.message for f in rulekit.findings(reg, docs) if f.code is FindingCode.DOCUMENT_MISSING
    ]
    assert missing == [
        "Het vakje prestatiebewijs is leeg. Upload het prestatiebewijs (PDF of JPG) bij deze "
        "registratie."
    ]


def test_months_read_as_the_dates() -> None:
    assert show("2024-05") == "05-2024"
    assert show("2024-05-01") == "01-05-2024"
    assert show("25480") == "25480" and show("2024-13") == "2024-13"


def test_a_source_is_named_in_words() -> None:
    assert source_label("batch:0f6c2a9e-5b1d-4c1e-9a51-3e2f") == "Batchcontrole"
    assert source_label("upload:Zorggroep Noord") == "Upload via het portaal (Zorggroep Noord)"


def test_the_reupload_message_is_drafted_from_the_active_findings() -> None:
    def of(text: str) -> Finding:
        return Finding.of(FindingCode.CREBO_MISMATCH, text, severity=Severity.ERROR)

    draft = reupload_draft(
        [("a", of("Upload de loonstrook van juli 2024."), False), ("b", of("Weg."), True)]
    )
    assert draft == "Upload de loonstrook van juli 2024."
    masked = reupload_draft([("c", of("Het bestand loonstrook 111222333.pdf is leeg."), False)])
    assert "111222333" not in masked
