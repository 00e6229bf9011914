"""The layout zoo: test families frozen in the code, the generator's family choice kept apart
from the rest of the set, and eval's metrics per family and split."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.enums import DocType
from fixtures import families
from fixtures.families import TEST_FAMILIES, Split, load_families
from fixtures.generate import generate
from outputs.evaluate import by_group


def test_the_frozen_test_families_are_exactly_the_registered_test_families() -> None:
    registered = {f.name for f in load_families().values() if f.split is Split.TEST}
    assert registered == TEST_FAMILIES


def test_every_family_module_imports_no_reading_code() -> None:
    folder = Path(families.__file__).parent
    for path in folder.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for package in ("extractors", "checks", "reading", "pipeline", "outputs"):
            assert f"from {package}" not in text and f"import {package}" not in text, path.name


def test_by_group_scores_documents_per_family_and_split() -> None:
    truth = {
        "documents": {
            "a.pdf": {
                "doc_type": "loonstrook",
                "family": "x",
                "split": "test",
                "fields": {"werkgever": "Zorg BV", "loonstrook_maand": "2024-09"},
            },
            "b.pdf": {
                "doc_type": "diploma",
                "family": "y",
                "split": "dev",
                "fields": {"crebo": "25491"},
            },
            "c.pdf": {"doc_type": "diploma", "fields": {"crebo": "25491"}},
        }
    }
    documents = {
        "a.pdf": {"doc_type": "loonstrook", "fields": {"werkgever": {"value": "Zorg BV"}}},
        "b.pdf": {"doc_type": "onbekend", "fields": {"crebo": {"value": "25491"}}},
    }
    got = by_group(truth, documents)
    assert got["family.x.doc_type_accuracy"] == 1.0
    assert got["family.x.field_accuracy"] == 0.5
    assert got["family.x.field_accuracy.loonstrook_maand"] == 0.0
    assert got["split.dev.doc_type_accuracy"] == 0.0
    assert got["split.dev.field_accuracy.crebo"] == 1.0
    assert not [k for k in got if "legacy" in k]  # documents without a family are not grouped
    assert by_group({"documents": {"c.pdf": truth["documents"]["c.pdf"]}}, documents) == {}


@pytest.mark.slow
def test_families_change_only_the_layouts_of_the_documents_that_get_one(tmp_path: Path) -> None:
    if not any(f.split is Split.TEST for f in load_families().values()):
        pytest.skip("no test families registered")
    generate(7, 4, tmp_path / "legacy", jobs=1)
    generate(7, 4, tmp_path / "zoo", jobs=1, families="test")
    legacy = json.loads((tmp_path / "legacy" / "truth.json").read_text())
    zoo = json.loads((tmp_path / "zoo" / "truth.json").read_text())
    assert zoo["registrations"] == legacy["registrations"]  # same people, injections, codes
    test_types = {f.doc_type.value for f in load_families().values() if f.split is Split.TEST}
    with_family = 0
    for file, doc in zoo["documents"].items():
        if doc.get("family"):
            with_family += 1
            assert doc["split"] == "test" and doc["family"] in TEST_FAMILIES
            assert doc["doc_type"] in test_types
        else:
            assert doc == legacy["documents"][file]
    assert with_family > 0
    assert (tmp_path / "zoo" / "registrations.csv").read_bytes() == (
        tmp_path / "legacy" / "registrations.csv"
    ).read_bytes()
    assert DocType.ONBEKEND.value not in test_types
