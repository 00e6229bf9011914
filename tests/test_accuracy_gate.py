"""The accuracy gate (issue 15): a generated set with a fixed seed (every capture kind, every
finding code the generator provokes) goes through the real `bewijscheck batch` and
`bewijscheck eval`, as an operator runs them; a metric under its threshold fails the suite.

The thresholds sit just under the values measured on this set, between the measured value and
the value one more mistake gives (one more false finding, one more wrong verdict, document type
or field value, one missed finding), so that a regression of one finding or one verdict trips
them. Raise a threshold when the pipeline gets better; lower one only with a reason in the
commit. Marked `slow` and `gate`: `pytest -m gate` runs it alone, `-m "not slow"` leaves it out.
Everything it writes (the set, the data dir, report.json) stays in the test's tmp dir."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.rerun import bewijscheck_command

ROOT = Path(__file__).resolve().parent.parent
SEED = 1515  # not a seed the classifier (1000) or the extractors (99) were tuned on
REGISTRATIONS = 24  # CORE's 14 (every finding code once) and 10 drawn at random
DOCUMENTS = 97
KINDS = {"born_digital", "scan", "photo", "broken"}  # 39, 38, 18 and 2 documents
CODES = 31  # finding codes present in the set's truth (39 registration x code pairs)
RECALL_MIN = 0.99  # recall.<code> of every code present; measured 1.0 for all 31 (1-4 each)

# metric: (threshold, hits, total) — hits/total measured on 2026-12-06 with --workers 2. The
# known misses: one EDUCATION_MISMATCH too many (an opleiding "nog volgt." read from a
# born-digital bewijs van deelname of the B route; it also costs one verdict), one diploma scan
# classified onbekend, one photo payslip's month and one signature count on a scan.
GATE: dict[str, tuple[float, int, int]] = {
    "finding_precision": (0.96, 39, 40),  # 0.975; one more false finding 0.9512
    "finding_recall": (0.98, 39, 39),  # 1.0; one missed 0.9744
    "verdict_accuracy": (0.94, 23, 24),  # 0.9583; one more wrong 0.9167
    "doc_type_accuracy": (0.985, 96, 97),  # 0.9897; one more wrong 0.9794
    "field_accuracy.bestuurders": (0.95, 11, 11),
    "field_accuracy.bpv_omvang": (0.97, 18, 18),
    "field_accuracy.bsn_present": (0.985, 41, 41),
    "field_accuracy.crebo": (0.985, 35, 35),
    "field_accuracy.datum_in_dienst": (0.985, 42, 42),
    "field_accuracy.deelnemer": (0.994, 83, 83),
    "field_accuracy.diploma_datum": (0.97, 17, 17),
    "field_accuracy.einddatum": (0.97, 18, 18),
    "field_accuracy.handtekeningen": (0.9, 4, 4),
    "field_accuracy.kvk_datum": (0.95, 11, 11),
    "field_accuracy.leerbedrijf": (0.97, 18, 18),
    "field_accuracy.logo_present": (0.994, 94, 94),
    "field_accuracy.loonstrook_maand": (0.965, 40, 41),  # 0.9756
    "field_accuracy.onderwijsinstelling": (0.97, 18, 18),
    "field_accuracy.opleider": (0.9, 4, 4),
    "field_accuracy.opleiding": (0.96, 35, 36),  # 0.9722
    "field_accuracy.signature_count": (0.985, 93, 94),  # 0.9894
    "field_accuracy.stamp_present": (0.994, 94, 94),
    "field_accuracy.startdatum": (0.97, 19, 19),
    "field_accuracy.training_einddatum": (0.9, 4, 4),
    "field_accuracy.werkgever": (0.985, 41, 41),
}


def parse_metrics(text: str) -> dict[str, float | None]:
    """`bewijscheck eval`'s `name: value` lines; `n/a` is None."""
    metrics: dict[str, float | None] = {}
    for line in text.splitlines():
        name, sep, value = line.partition(":")
        if sep:
            value = value.strip()
            metrics[name.strip()] = None if value == "n/a" else float(value)
    return metrics


def shortfalls(metrics: dict[str, float | None]) -> list[str]:
    """Every metric under its threshold (or missing), one line each."""
    out = []
    for name, (threshold, _, _) in GATE.items():
        value = metrics.get(name)
        if value is None or value < threshold:
            out.append(f"{name}: {'n/a' if value is None else value} < {threshold}")
    for name, value in metrics.items():
        if name.startswith("recall.") and (value is None or value < RECALL_MIN):
            out.append(f"{name}: {'n/a' if value is None else value} < {RECALL_MIN}")
    return out


def measured() -> dict[str, float | None]:
    """The metrics as measured: GATE's ratios and every code's recall at 1.0."""
    metrics: dict[str, float | None] = {k: hits / total for k, (_, hits, total) in GATE.items()}
    metrics.update({f"recall.CODE{i}": 1.0 for i in range(CODES)})
    return metrics


def one_worse(name: str, hits: int, total: int) -> float:
    """The metric after one more mistake: a false finding adds to precision's total."""
    return hits / (total + 1) if name == "finding_precision" else (hits - 1) / total


def test_thresholds_sit_between_the_measured_value_and_one_more_mistake() -> None:
    for name, (threshold, hits, total) in GATE.items():
        assert one_worse(name, hits, total) < threshold <= hits / total, name


def test_gate_passes_the_measured_values_and_lists_every_metric_under_its_threshold() -> None:
    assert shortfalls(measured()) == []
    worse = measured()
    worse["finding_precision"] = 39 / 41  # one more false finding
    worse["verdict_accuracy"] = 22 / 24  # one more wrong verdict
    worse["recall.CODE3"] = 0.5  # one of two findings of a code missed
    worse["field_accuracy.crebo"] = None  # no crebo scored at all
    assert shortfalls(worse) == [
        "finding_precision: 0.9512195121951219 < 0.96",
        "verdict_accuracy: 0.9166666666666666 < 0.94",
        "field_accuracy.crebo: n/a < 0.985",
        "recall.CODE3: 0.5 < 0.99",
    ]
    del worse["doc_type_accuracy"]
    assert "doc_type_accuracy: n/a < 0.985" in shortfalls(worse)


def test_parse_metrics_reads_eval_lines() -> None:
    text = "documents: 97\ndoc_type_accuracy: 0.9897\nfield_accuracy.opleider: n/a\n"
    assert parse_metrics(text) == {
        "documents": 97.0,
        "doc_type_accuracy": 0.9897,
        "field_accuracy.opleider": None,
    }


def run(command: list[str], env: dict[str, str], what: str) -> str:
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, f"{what} exited {done.returncode}: {done.stderr[-2000:]}"
    return done.stdout


@pytest.mark.slow
@pytest.mark.gate
def test_accuracy_gate(prefect_harness: None, tmp_path: Path) -> None:
    from prefect.settings import PREFECT_API_URL

    sample, out = tmp_path / "set", tmp_path / "out"
    env = {
        **os.environ,
        "OMP_THREAD_LIMIT": "1",
        "PREFECT_HOME": str(tmp_path / "prefect"),
        "PREFECT_API_URL": str(PREFECT_API_URL.value()),  # the session's test server
        "BEWIJSCHECK_DATA_DIR": str(tmp_path / "data"),
        "BEWIJSCHECK_STORAGE": "local",
    }
    started = time.perf_counter()
    generate = [sys.executable, "-m", "fixtures.generate", "--seed", str(SEED)]
    run([*generate, "--registrations", str(REGISTRATIONS), "--out", str(sample)], env, "generate")
    with (sample / "samples.csv").open(newline="") as fh:
        kinds = {row["kind"] for row in csv.DictReader(fh)}
    assert kinds == KINDS, f"the set's capture kinds changed: {sorted(kinds)}"
    generated = time.perf_counter()
    cli = bewijscheck_command()
    csvs = ["--registrations", str(sample / "registrations.csv")]
    csvs += ["--manifest", str(sample / "manifest.csv")]
    run([*cli, "batch", *csvs, "--out", str(out), "--workers", "2"], env, "bewijscheck batch")
    checked = time.perf_counter()
    report = ["--truth", str(sample / "truth.json"), "--report", str(out / "report.json")]
    metrics = parse_metrics(run([*cli, "eval", *report], env, "bewijscheck eval"))
    print(
        f"accuracy gate: generate {generated - started:.0f} s, batch {checked - generated:.0f} s, "
        f"eval {time.perf_counter() - checked:.1f} s",
        file=sys.stderr,
    )

    codes = sum(1 for name in metrics if name.startswith("recall."))
    basis = (metrics.get("registrations"), metrics.get("documents"), codes)
    assert basis == (REGISTRATIONS, DOCUMENTS, CODES), (
        f"the generated set changed (registrations, documents, codes: {basis}): measure it again "
        "and set the thresholds anew"
    )
    problems = shortfalls(metrics)
    assert not problems, (
        f"accuracy gate (seed {SEED}, {REGISTRATIONS} registrations): "
        f"{len(problems)} metric(s) under the threshold\n  " + "\n  ".join(problems)
    )
