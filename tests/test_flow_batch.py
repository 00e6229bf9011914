"""The batch flow end to end under Prefect: every bad-input kind gets its finding while the
other documents are still processed, and the report has CONTRACT's shape."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.enums import FindingCode, Slot
from core.manifest import ManifestEntry
from core.settings import Settings
from flows.batch import batch_check
from pipeline.documents import check_entry
from review.repository import documents as review_documents
from store.db import make_engine
from store.objects import LocalStorage
from store.review_tables import CaseRow
from tests import factories

HEADER = (
    "registratie_id,organisatie,deelnemer,geboortedatum,activiteit,variant,doelgroep,"
    "opleiding,crebo,startdatum,einddatum,datum_in_dienst,extern,opleider"
)


def reg(rid: str) -> str:
    return (
        f"{rid},Zorggroep Noord,Jan de Vries,12-03-1990,A,V4,nieuwe_instroom,"
        "Verzorgende-IG,25491,01-09-2024,31-12-2025,15-08-2024,,"
    )


@pytest.fixture
def batch_dir(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    files = {
        "good.pdf": factories.text_pdf(),
        "word.pdf": factories.docx(),
        "cut.pdf": factories.truncated_pdf(),
        "locked.pdf": factories.encrypted_pdf(),
        "empty.jpg": b"",
    }
    for name, data in files.items():
        (docs / name).write_bytes(data)
    (tmp_path / "registrations.csv").write_text(
        "\n".join([HEADER, reg("R0000001"), reg("R0000002"), reg("BAD")]) + "\n"
    )
    rows = [
        "R0000001,praktijkovereenkomst,docs/good.pdf",
        "R0000001,loonstrook_start,docs/word.pdf",
        "R0000001,loonstrook_eind,docs/cut.pdf",
        "R0000002,prestatiebewijs,docs/locked.pdf",
        "R0000002,kvk_uittreksel,docs/empty.jpg",
        "R0000002,loonstrook_start,../../etc/passwd",
        "R0000002,loonstrook_eind,docs/nowhere.pdf",
        "R0000009,praktijkovereenkomst,docs/good.pdf",
    ]
    (tmp_path / "manifest.csv").write_text("registratie_id,slot,bestand\n" + "\n".join(rows))
    return tmp_path


def codes_by_file(report: dict) -> dict[str, list[str]]:  # type: ignore[type-arg]
    out: dict[str, list[str]] = {}
    for entry in report["registrations"]:
        for finding in [*entry["findings"], *entry["to_review"]]:
            if finding["file"] is not None:  # registration-level rule findings have no file
                out.setdefault(finding["file"], []).append(finding["code"])
    return out


def test_batch_flow_reports_every_bad_input_and_checks_the_rest(
    prefect_harness: None, batch_dir: Path, tmp_path: Path
) -> None:
    settings = Settings(data_dir=tmp_path / "data", workers=2)
    report = batch_check(batch_dir / "registrations.csv", batch_dir / "manifest.csv", settings)
    data = json.loads(report.to_json())
    assert [r["registratie_id"] for r in data["registrations"]] == ["R0000001", "R0000002"]
    codes = codes_by_file(data)
    assert codes == {
        "docs/word.pdf": ["FILE_TYPE_NOT_ALLOWED"],
        "docs/cut.pdf": ["FILE_UNREADABLE"],
        "docs/locked.pdf": ["FILE_UNREADABLE"],
        "docs/empty.jpg": ["FILE_UNREADABLE"],
        "../../etc/passwd": ["FILE_UNREADABLE"],
        "docs/nowhere.pdf": ["FILE_UNREADABLE"],
        # the one readable file is an unsigned practice agreement (the visual extractor
        # counts its signatures: none of the three)
        "docs/good.pdf": ["FIELD_NOT_FOUND"],  # no signatures seen: a reviewer looks
    }
    # not read is no finding about the upload: it is a point to review, and the verdict is review
    assert all(f["code"] != "FIELD_NOT_FOUND" for r in data["registrations"] for f in r["findings"])
    # the rules ran too: empty required slots, and the same participant registered twice
    for entry in data["registrations"]:
        rule_codes = {f["code"] for f in entry["findings"] if f["file"] is None}
        assert rule_codes == {"DOCUMENT_MISSING", "DUPLICATE_PARTICIPANT"}
    missing = {f["slot"] for f in data["registrations"][0]["findings"] if f["file"] is None}
    assert "prestatiebewijs" in missing
    good = data["registrations"][0]["documents"][0]
    assert good["file"] == "docs/good.pdf"
    assert good["pages"] == 1 and good["text_source"] == "text_layer"
    assert len(good["document_id"]) == 64
    assert all(r["verdict"] == "reject" for r in data["registrations"])
    problems = {(p["line"], p["registratie_id"]) for p in data["input_problems"]}
    assert (4, "BAD") in problems and (9, "R0000009") in problems
    # the original is stored by its hash, the bad files too (nothing lost)
    storage = tmp_path / "data" / "storage" / "originals"
    assert len(list(storage.rglob("*"))) >= 5
    # every registration was handed to the review app, with its documents (without words)
    engine = make_engine(settings.database_dsn())
    with Session(engine) as session:
        cases = {c.registratie_id: c for c in session.scalars(select(CaseRow))}
        assert set(cases) == {"R0000001", "R0000002"}
        assert all(c.machine_verdict == c.verdict == "reject" for c in cases.values())
        docs = review_documents(session, "R0000001")
        assert [d.entry.bestand for d in docs] == ["docs/good.pdf", "docs/word.pdf", "docs/cut.pdf"]
        good_doc = docs[0].processed.document
        assert good_doc is not None and good_doc.pages and not good_doc.pages[0].words
    engine.dispose()


def test_check_entry_stores_original_and_renders(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(factories.image_pdf())
    entry = ManifestEntry(
        registratie_id="R1", slot=Slot.PRAKTIJKOVEREENKOMST, bestand="scan.pdf", line=2, path=path
    )
    storage = LocalStorage(tmp_path / "store")
    processed = check_entry(entry, Settings(), storage)
    assert processed.document is not None
    page = processed.document.pages[0]
    assert page.source == "ocr"
    assert page.render_ref and storage.exists(page.render_ref)
    assert "Verzorgende-IG" in processed.document.text
    assert FindingCode.DOC_UNREADABLE not in {f.code for f in processed.findings}


def test_run_batch_reports_progress_and_stays_picklable(
    prefect_harness: None, batch_dir: Path, tmp_path: Path
) -> None:
    import threading

    from flows.batch import run_batch

    calls: list[tuple[int, int]] = []
    lock = threading.RLock()  # like rich's progress bar: must never be pickled into workers

    def on_progress(done: int, total: int) -> None:
        with lock:
            calls.append((done, total))

    settings = Settings(data_dir=tmp_path / "data", workers=2)
    report = run_batch(
        batch_dir / "registrations.csv", batch_dir / "manifest.csv", settings, on_progress
    )
    assert calls[-1] == (8, 8) and len(calls) == 8
    codes = {f.code for r in report.registrations for f in r.findings}
    assert FindingCode.CHECK_FAILED not in codes
