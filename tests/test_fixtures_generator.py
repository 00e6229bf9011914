"""Tests of the fixture generator: output shape, determinism and coverage of finding codes."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path
from typing import Any

import pytest

from core.enums import CaptureKind, DocType, FindingCode, Slot
from core.fields import carried_by
from fixtures.generate import generate
from fixtures.people import bsn_valid, make_bsn, masked_bsn
from fixtures.plan import ALL_CODES
from fixtures.truth import MANIFEST_HEADER, REG_HEADER, SAMPLES_HEADER


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("set7")
    generate(seed=7, n=14, out=out, jobs=2)
    return out


def _header(path: Path) -> list[str]:
    with open(path, encoding="utf-8") as fh:
        return next(csv.reader(fh))


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_csv_headers(generated: Path) -> None:
    assert _header(generated / "registrations.csv") == REG_HEADER
    assert _header(generated / "manifest.csv") == MANIFEST_HEADER
    assert _header(generated / "samples.csv") == SAMPLES_HEADER


def test_manifest_files_exist_and_are_in_truth(generated: Path) -> None:
    truth = json.loads((generated / "truth.json").read_text(encoding="utf-8"))
    rows = _rows(generated / "manifest.csv")
    assert rows
    for row in rows:
        assert (generated / row["bestand"]).is_file(), row
        assert Slot(row["slot"])
        assert row["bestand"] in truth["documents"]


def test_truth_shape(generated: Path) -> None:
    truth: dict[str, Any] = json.loads((generated / "truth.json").read_text(encoding="utf-8"))
    ids = {r["registratie_id"] for r in _rows(generated / "registrations.csv")}
    assert set(truth["registrations"]) == ids
    for entry in truth["registrations"].values():
        assert entry["codes"] == sorted(entry["codes"])
        assert all(FindingCode(c) for c in entry["codes"])
        assert entry["verdict"] in {"approve", "review", "reject"}
    for doc in truth["documents"].values():
        assert DocType(doc["doc_type"])
        assert CaptureKind(doc["kind"])
        assert isinstance(doc["fields"], dict)
        assert set(doc["fields"]) <= carried_by(DocType(doc["doc_type"]))  # canonical names
        for key in ("startdatum", "einddatum", "diploma_datum", "kvk_datum"):
            value = doc["fields"].get(key)
            assert value is None or (len(value) == 10 and value[4] == "-")
    text = json.loads((generated / "text_truth.json").read_text(encoding="utf-8"))
    for name, entry in text.items():
        assert name in truth["documents"]
        assert entry["pages"] and all(isinstance(p, str) and p for p in entry["pages"])


def test_every_code_covered_with_14_registrations(generated: Path) -> None:
    truth = json.loads((generated / "truth.json").read_text(encoding="utf-8"))
    seen = {c for e in truth["registrations"].values() for c in e["codes"]}
    assert set(ALL_CODES) <= seen
    assert any(not e["codes"] for e in truth["registrations"].values())


def test_every_doc_type_and_kind_present(generated: Path) -> None:
    samples = _rows(generated / "samples.csv")
    assert {s["kind"] for s in samples} == {k.value for k in CaptureKind}
    assert {s["doc_type"] for s in samples} == {t.value for t in DocType}


def _file_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.slow
def test_files_are_deterministic(tmp_path: Path) -> None:
    """The same seed writes the same bytes, file for file (also through the process pool);
    another seed writes other documents. Seed 1 with one registration holds a born-digital,
    a scanned and a photographed document."""
    generate(seed=1, n=1, out=tmp_path / "a", jobs=1)
    generate(seed=1, n=1, out=tmp_path / "b", jobs=2)
    generate(seed=2, n=1, out=tmp_path / "c", jobs=1)
    a, b, c = (_file_bytes(tmp_path / name) for name in "abc")
    kinds = {s["kind"] for s in _rows(tmp_path / "a" / "samples.csv")}
    assert kinds == {"born_digital", "scan", "photo"}
    assert sorted(a) == sorted(b) and len(a) > 5
    assert [name for name in sorted(a) if a[name] != b[name]] == []
    documents = {name: data for name, data in a.items() if name.startswith("docs/")}
    others = {data for name, data in c.items() if name.startswith("docs/")}
    assert documents and others and not set(documents.values()) & others


def test_bsn_generation() -> None:
    rng = random.Random(3)
    for _ in range(200):
        assert bsn_valid(make_bsn(rng))
        assert not bsn_valid(masked_bsn(rng))
    assert bsn_valid("111222333")
    assert not bsn_valid("123456789")


def test_a_document_naming_another_person_names_them_in_every_form() -> None:
    """PARTICIPANT_NOT_FOUND: a layout printing the surname first must show the other person
    too, not the registered participant."""
    from core.enums import Activity, Variant
    from fixtures.document_injections import participant
    from fixtures.scenarios import Builder

    b = Builder(7)
    reg = b.registration(Activity.A, Variant.V1)
    b.fill(reg)
    participant(b, reg)
    doc = next(d for d in reg.docs if d.data.get("deelnemer_shown") != reg.person.full)
    shown, surname_first = str(doc.data["deelnemer_shown"]), str(doc.data["surname_first"])
    assert surname_first != reg.person.surname_first
    assert surname_first.split(",")[0].strip() in shown
