"""Score a report against ground truth (CONTRACT, "Ground truth"): document types, fields,
findings over registration x code pairs, and verdicts. Reports honestly whatever the pipeline
does so far: a document or field the report lacks counts as wrong."""

from __future__ import annotations

import json
import unicodedata
from collections import defaultdict
from pathlib import Path
from typing import Any

from checks.registry import severity_of
from core.enums import FindingCode, Severity, Verdict
from core.errors import InputError


def load_json(path: Path, what: str) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read {what} {path}: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{what} {path} is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise InputError(f"{what} {path} must be a JSON object")
    return data


def normalise(value: Any) -> Any:
    """Compare values the way a reviewer would: case, accents and spacing do not matter."""
    if isinstance(value, bool | int | float) or value is None:
        return value
    if isinstance(value, list):
        return [normalise(v) for v in value]
    if isinstance(value, dict):
        return {k: normalise(v) for k, v in sorted(value.items())}
    text = unicodedata.normalize("NFKD", str(value))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.casefold().split())


def truth_verdict(entry: dict[str, Any]) -> Verdict:
    if "verdict" in entry:
        return Verdict(entry["verdict"])
    severities = {severity_of(FindingCode(c)) for c in entry.get("codes", [])}
    if Severity.ERROR in severities:
        return Verdict.REJECT
    if Severity.WARNING in severities:
        return Verdict.REVIEW
    return Verdict.APPROVE


def _ratio(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


def score(truth: dict[str, Any], report: dict[str, Any]) -> dict[str, float | int | None]:
    """All metrics as an ordered name -> value mapping."""
    documents: dict[str, dict[str, Any]] = {}
    predicted: dict[str, set[str]] = {}
    verdicts: dict[str, str] = {}
    for reg in report.get("registrations", []):
        rid = reg.get("registratie_id")
        predicted[rid] = {f.get("code") for f in reg.get("findings", [])}
        verdicts[rid] = reg.get("verdict")
        for doc in reg.get("documents", []):
            documents[doc.get("file")] = doc

    metrics: dict[str, float | int | None] = {}
    type_hits = type_total = 0
    field_hits: dict[str, int] = defaultdict(int)
    field_total: dict[str, int] = defaultdict(int)
    for file, expected in truth.get("documents", {}).items():
        doc = documents.get(file, {})
        kind = expected.get("kind")
        if expected.get("doc_type"):
            type_total += 1
            type_hits += doc.get("doc_type") == expected["doc_type"]
        for name, value in expected.get("fields", {}).items():
            got = (doc.get("fields") or {}).get(name, {}).get("value")
            hit = normalise(got) == normalise(value)
            for key in (name, f"{name}.{kind}") if kind else (name,):
                field_total[key] += 1
                field_hits[key] += hit
    metrics["documents"] = type_total
    metrics["doc_type_accuracy"] = _ratio(type_hits, type_total)
    for key in sorted(field_total):
        metrics[f"field_accuracy.{key}"] = _ratio(field_hits[key], field_total[key])
    metrics.update(by_group(truth, documents))

    true_pairs: set[tuple[str, str]] = set()
    pred_pairs: set[tuple[str, str]] = set()
    verdict_hits = 0
    truth_regs = truth.get("registrations", {})
    for rid, expected in truth_regs.items():
        true_pairs |= {(rid, c) for c in expected.get("codes", [])}
        pred_pairs |= {(rid, c) for c in predicted.get(rid, set())}
        verdict_hits += verdicts.get(rid) == truth_verdict(expected).value
    tp = len(true_pairs & pred_pairs)
    metrics["registrations"] = len(truth_regs)
    metrics["finding_precision"] = _ratio(tp, len(pred_pairs))
    metrics["finding_recall"] = _ratio(tp, len(true_pairs))
    metrics["verdict_accuracy"] = _ratio(verdict_hits, len(truth_regs))
    for code in sorted({c for _, c in true_pairs}):
        expected_pairs = {p for p in true_pairs if p[1] == code}
        metrics[f"recall.{code}"] = _ratio(len(expected_pairs & pred_pairs), len(expected_pairs))
    return metrics


def by_group(
    truth: dict[str, Any], documents: dict[str, dict[str, Any]]
) -> dict[str, float | int | None]:
    """Document metrics per layout family and per split (dev/test) of the zoo, where the truth
    names them (`fixtures.generate --families`): `family.<name>.…` and `split.<split>.…`."""
    hits: dict[str, int] = defaultdict(int)
    total: dict[str, int] = defaultdict(int)
    for file, expected in truth.get("documents", {}).items():
        groups = [f"family.{expected['family']}"] if expected.get("family") else []
        groups += [f"split.{expected['split']}"] if expected.get("split") else []
        doc = documents.get(file, {})
        for group in groups:
            if expected.get("doc_type"):
                total[f"{group}.doc_type_accuracy"] += 1
                hits[f"{group}.doc_type_accuracy"] += doc.get("doc_type") == expected["doc_type"]
            for name, value in expected.get("fields", {}).items():
                got = (doc.get("fields") or {}).get(name, {}).get("value")
                hit = normalise(got) == normalise(value)
                for key in (f"{group}.field_accuracy", f"{group}.field_accuracy.{name}"):
                    total[key] += 1
                    hits[key] += hit
    return {key: _ratio(hits[key], total[key]) for key in sorted(total)}


def format_metrics(metrics: dict[str, float | int | None]) -> str:
    """One metric a line, `name: value` (`n/a` where nothing could be scored)."""
    return "\n".join(f"{k}: {'n/a' if v is None else v}" for k, v in metrics.items())
