"""`bewijscheck eval` scores honestly: missing documents and fields count as wrong."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bewijscheck.cli import app
from outputs.evaluate import format_metrics, score

TRUTH = {
    "documents": {
        "docs/a.pdf": {
            "doc_type": "praktijkovereenkomst",
            "kind": "scan",
            "fields": {"crebo": "25491", "signature_count": 3, "deelnemer": "Jan de Vries"},
        },
        "docs/b.pdf": {"doc_type": "loonstrook", "kind": "born_digital", "fields": {}},
        "docs/missing.pdf": {"doc_type": "diploma", "fields": {"crebo": "25491"}},
    },
    "registrations": {
        "R1": {"codes": ["CREBO_MISMATCH"]},
        "R2": {"codes": []},
        "R3": {"codes": ["EDUCATION_MISMATCH"]},
    },
}


def doc(file: str, doc_type: str, **fields: object) -> dict[str, object]:
    return {
        "file": file,
        "doc_type": doc_type,
        "fields": {k: {"value": v, "confidence": 1.0} for k, v in fields.items()},
    }


REPORT = {
    "registrations": [
        {
            "registratie_id": "R1",
            "verdict": "reject",
            "findings": [{"code": "CREBO_MISMATCH"}, {"code": "SIGNATURES_MISSING"}],
            "documents": [
                doc("docs/a.pdf", "praktijkovereenkomst", crebo="25491", signature_count=2,
                    deelnemer="JAN DE  VRIES"),
            ],
        },
        {"registratie_id": "R2", "verdict": "approve", "findings": [],
         "documents": [doc("docs/b.pdf", "diploma")]},
        {"registratie_id": "R3", "verdict": "approve", "findings": [], "documents": []},
    ]
}  # fmt: skip


def test_metrics_count_misses_as_wrong() -> None:
    m = score(TRUTH, REPORT)
    assert m["doc_type_accuracy"] == pytest.approx(1 / 3, abs=1e-4)
    assert m["field_accuracy.crebo"] == 0.5  # missing document counts as wrong
    assert m["field_accuracy.crebo.scan"] == 1.0
    assert m["field_accuracy.signature_count"] == 0.0
    assert m["field_accuracy.deelnemer"] == 1.0  # case and spacing do not matter
    assert m["finding_precision"] == 0.5
    assert m["finding_recall"] == 0.5
    assert m["verdict_accuracy"] == pytest.approx(2 / 3, abs=1e-4)
    assert m["recall.EDUCATION_MISMATCH"] == 0.0


def test_empty_report_scores_zero_not_crash() -> None:
    m = score(TRUTH, {"registrations": []})
    assert m["doc_type_accuracy"] == 0.0
    assert m["finding_precision"] is None
    assert "finding_precision: n/a" in format_metrics(m)


def test_eval_cli_prints_name_value_lines(tmp_path: Path) -> None:
    truth = tmp_path / "truth.json"
    report = tmp_path / "report.json"
    truth.write_text(json.dumps(TRUTH))
    report.write_text(json.dumps(REPORT))
    result = CliRunner().invoke(app, ["eval", "--truth", str(truth), "--report", str(report)])
    assert result.exit_code == 0, result.output
    lines = dict(line.split(": ", 1) for line in result.output.strip().splitlines())
    for name in ("doc_type_accuracy", "finding_precision", "finding_recall", "verdict_accuracy"):
        assert name in lines
    assert lines["field_accuracy.crebo"] == "0.5"


def test_eval_cli_bad_json_is_one_line_error(tmp_path: Path) -> None:
    truth = tmp_path / "truth.json"
    truth.write_text("{not json")
    result = CliRunner().invoke(app, ["eval", "--truth", str(truth), "--report", str(truth)])
    assert result.exit_code == 3
    assert "not valid JSON" in result.output
