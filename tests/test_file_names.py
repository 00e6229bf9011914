"""A BSN in a file name (core/file_names.py) is masked where names enter: in every way a BSN
is written, also touching letters; a number that fails the 11-test, or is longer, is kept; the
manifest's entries carry the masked name while the file is still found by its own, and a
pre-screen (`bewijscheck check`, the bucket intake) answers with the masked name."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.enums import Slot
from core.file_names import mask_bsn, mask_name_fields
from core.manifest import load_manifest
from core.settings import Settings
from pipeline.prescreen import prescreen_document
from tests import rulekit

M = "•" * 9


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("loonstrook 111222333.pdf", f"loonstrook {M}.pdf"),
        ("bsn111222333.pdf", f"bsn{M}.pdf"),
        ("R0210270_111222333_pok.pdf", f"R0210270_{M}_pok.pdf"),
        ("111.222.333.pdf", "•••.•••.•••.pdf"),
        ("111-222-333 loon.jpg", "•••-•••-••• loon.jpg"),
        ("111 222 333.pdf", "••• ••• •••.pdf"),
        ("1112.22.333.pdf", "••••.••.•••.pdf"),
        ("loonstrook 123456789.pdf", "loonstrook 123456789.pdf"),  # fails the 11-test
        ("order 1111222333.pdf", "order 1111222333.pdf"),  # ten digits: no BSN
        ("11122233.pdf", "11122233.pdf"),  # eight digits without a label
        ("", ""),
    ],
)
def test_a_bsn_in_a_name_is_masked(name: str, shown: str) -> None:
    assert mask_bsn(name) == shown


def test_only_names_and_messages_of_json_are_masked() -> None:
    document_id = "ab111222333" + "c" * 53
    data = {
        "file": "a 111222333.pdf",
        "document_id": document_id,
        "findings": [{"message": "Bestand a 111222333.pdf is leeg.", "found": "111222333"}],
    }
    assert mask_name_fields(data) == {
        "file": f"a {M}.pdf",
        "document_id": document_id,
        "findings": [{"message": f"Bestand a {M}.pdf is leeg.", "found": "111222333"}],
    }


def test_the_manifest_keeps_the_masked_name_and_finds_the_file(tmp_path: Path) -> None:
    (tmp_path / "loonstrook 111222333.pdf").write_bytes(b"%PDF-")
    (tmp_path / "m.csv").write_text(
        "registratie_id,slot,bestand\n"
        "R1,loonstrook_start,loonstrook 111222333.pdf\n"
        "R1,loonstrook_eind,weg 111222333.pdf\n",
        encoding="utf-8",
    )
    found, missing = load_manifest(tmp_path / "m.csv")[0]
    assert found.bestand == f"loonstrook {M}.pdf"
    assert found.path == (tmp_path / "loonstrook 111222333.pdf").resolve()
    assert missing.path is None and missing.problem is not None
    assert "111222333" not in missing.bestand + missing.problem


def test_a_prescreen_answers_with_the_masked_name(tmp_path: Path) -> None:
    entry = prescreen_document(
        b"geen pdf",
        "loonstrook 111222333.pdf",
        rulekit.registration(),
        Slot.LOONSTROOK_START,
        Settings(data_dir=tmp_path),
    )
    assert "111222333" not in entry.model_dump_json()
    assert entry.documents[0].file == f"loonstrook {M}.pdf"
