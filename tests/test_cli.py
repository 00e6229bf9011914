"""The command line per CONTRACT: `check` prints one registration entry as JSON; `batch`
fails with a one-line reason (non-zero) only when it cannot run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bewijscheck.cli import app

SAMPLE = Path(__file__).parent.parent / "fixtures" / "sample"


def manifest_row(registratie_id: str) -> dict[str, str]:
    """The sample's born-digital practice agreement of `registratie_id`, with its purpose."""
    for line in (SAMPLE / "samples.csv").read_text(encoding="utf-8").splitlines()[1:]:
        file, rid, slot, doc_type, kind, _layout, purpose = line.split(",", 6)
        if rid == registratie_id and slot == doc_type == "praktijkovereenkomst":
            assert kind == "born_digital", line
            return {"file": file, "id": rid, "purpose": purpose}
    raise AssertionError(f"no practice agreement of {registratie_id} in the sample")


# One agreement with two errors (the sample's purpose says which) and one clean one: the
# verdict follows from the findings, not just any verdict.
CASES = [
    ("R0210105", "reject", ["BPV_VOLUME_MISSING", "CREBO_MISMATCH"]),
    ("R0210701", "approve", []),
]


@pytest.mark.parametrize(("registratie_id", "verdict", "codes"), CASES)
def test_check_prints_the_registration_entry(
    registratie_id: str, verdict: str, codes: list[str]
) -> None:
    row = manifest_row(registratie_id)
    result = CliRunner().invoke(
        app,
        [
            "check", str(SAMPLE / row["file"]),
            "--registrations", str(SAMPLE / "registrations.csv"),
            "--id", row["id"], "--slot", "praktijkovereenkomst",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    entry = json.loads(result.output)
    assert entry["registratie_id"] == row["id"]
    # a single upload is no reason for DOCUMENT_MISSING on the other slots
    assert sorted(f["code"] for f in entry["findings"]) == codes, row["purpose"]
    assert {f["severity"] for f in entry["findings"]} <= {"error"}
    assert entry["verdict"] == verdict
    doc = entry["documents"][0]
    assert doc["doc_type"] == "praktijkovereenkomst" and doc["text_source"] == "text_layer"
    assert doc["fields"]["crebo"]["bbox"] and doc["fields"]["crebo"]["page"] == 1


def test_check_unknown_registration_is_a_one_line_error(tmp_path: Path) -> None:
    upload = tmp_path / "x.pdf"
    upload.write_bytes(b"%PDF-1.4\n%%EOF\n")
    result = CliRunner().invoke(
        app,
        ["check", str(upload), "--registrations", str(SAMPLE / "registrations.csv"),
         "--id", "R9999999", "--slot", "praktijkovereenkomst"],
    )  # fmt: skip
    assert result.exit_code == 3
    assert "R9999999 not found" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_batch_with_unreadable_csv_exits_non_zero_with_reason(tmp_path: Path) -> None:
    bad = tmp_path / "registrations.csv"
    bad.write_text("registratie_id,organisatie\nR1,x\n", encoding="utf-8")
    result = CliRunner().invoke(
        app,
        ["batch", "--registrations", str(bad), "--manifest", str(SAMPLE / "manifest.csv"),
         "--out", str(tmp_path / "out")],
    )  # fmt: skip
    assert result.exit_code == 3
    assert "missing column" in result.output


def test_batch_with_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["batch", "--registrations", str(tmp_path / "nope.csv"),
         "--manifest", str(SAMPLE / "manifest.csv"), "--out", str(tmp_path / "out")],
    )  # fmt: skip
    assert result.exit_code == 2
