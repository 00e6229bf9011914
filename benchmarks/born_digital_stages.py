"""The document stages' time per born-digital document, before and after, in one run; and the
check that both checkouts give the same answers.

Every document of the given kinds (by default `born_digital`, from `samples.csv`) of each set
goes through `pipeline.process.process_document` (with the registration's hints and a render
saver over a temporary local store, as in a batch) in a fresh interpreter with the checkout
first on `sys.path`: this checkout and, with `--before CHECKOUT`, another, one pass after the
other. With `--rounds R` the passes alternate R times and each document counts its fastest
round per stage (a busy machine can slow one pass the other did not meet). The first document
is processed once before timing: the classifier and imports load once per process, not per
document. Prints seconds per stage per document and documents/s (one core: the passes run one
document at a time), and, with `--before`, the documents whose answers differ (fields with
confidences rounded to 1e-6, the type, the page types, the findings, the words, the renders).

    PYTHONPATH=$PWD OMP_THREAD_LIMIT=1 .venv/bin/python -m benchmarks.born_digital_stages \
        --set DIR [--set DIR] [--kind born_digital] [--before CHECKOUT] [--rounds R] [--limit N]"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
from pathlib import Path

# Run in a fresh interpreter with a checkout first on sys.path: argv[1] is a JSON list of
# [set folder, file] pairs; prints one JSON object per document: its stage seconds and a
# canonical form of its answers.
WORKER = """
import hashlib, json, sys, tempfile, time
from pathlib import Path
from core.registration import load_registrations
from core.manifest import load_manifest
from core.settings import Settings
from pipeline.documents import render_saver
from pipeline.process import process_document
from store.objects import LocalStorage

def rounded(value):
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [rounded(v) for v in value]
    return value

def answers(result, storage):
    doc = result.document
    pages = [] if doc is None else [
        [p.source.value, p.width, p.height, p.rotation, p.dpi,
         hashlib.sha256(json.dumps([w.model_dump(mode="json") for w in p.words]).encode())
         .hexdigest()[:16],
         p.render_ref and hashlib.sha256(storage.get(p.render_ref)).hexdigest()[:16]]
        for p in doc.pages
    ]
    dump = lambda m: None if m is None else m.model_dump(mode="json")
    return rounded({
        "fields": {k: v.model_dump(mode="json") for k, v in sorted(result.fields.items())},
        "classified": dump(result.classified),
        "page_types": [dump(t) for t in result.page_types],
        "findings": [f.model_dump(mode="json") for f in result.findings],
        "pages": pages,
    })

settings = Settings()
jobs = json.loads(sys.argv[1])
hints, slots = {}, {}
for folder in dict.fromkeys(f for f, _ in jobs):
    regs, _ = load_registrations(Path(folder) / "registrations.csv")
    entries, _ = load_manifest(Path(folder) / "manifest.csv")
    by_id = {r.registratie_id: r.hints() for r in regs}
    for e in entries:
        hints[(folder, e.bestand)] = by_id.get(e.registratie_id)
        slots[(folder, e.bestand)] = e.slot
with tempfile.TemporaryDirectory() as tmp:
    storage = LocalStorage(Path(tmp))
    def run(folder, name):
        data = (Path(folder) / name).read_bytes()
        doc_id = hashlib.sha256(data).hexdigest()
        started = time.perf_counter()
        result = process_document(
            data, file=name, slot=slots[(folder, name)], settings=settings,
            save_render=render_saver(storage, doc_id), hints=hints[(folder, name)],
        )
        return result, time.perf_counter() - started
    if jobs:
        run(*jobs[0])  # warm up
    for folder, name in jobs:
        result, total = run(folder, name)
        print(json.dumps({"doc": f"{folder}/{name}", "seconds": result.seconds,
                          "total": total, "answers": answers(result, storage)}))
"""


def documents(folder: Path, kinds: set[str], limit: int) -> list[list[str]]:
    """[set, file] of the set's listed documents of `kinds` ("all": every one)."""
    with (folder / "samples.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    chosen = [r["file"] for r in rows if "all" in kinds or r["kind"] in kinds]
    return [[str(folder.resolve()), name] for name in chosen if (folder / name).is_file()][:limit]


def run_pass(checkout: Path, jobs: list[list[str]]) -> dict[str, dict]:
    """One checkout's results per document, in a fresh interpreter."""
    env = dict(os.environ, PYTHONPATH=str(checkout.resolve()))
    done = subprocess.run(
        [sys.executable, "-c", WORKER, json.dumps(jobs)],
        cwd=checkout, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        sys.stderr.write(done.stderr[-3000:])
        raise SystemExit(f"the pass of {checkout} failed")
    rows = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    return {row["doc"]: row for row in rows}


def fastest(passes: list[dict[str, dict]]) -> dict[str, dict[str, float]]:
    """Per document, the fastest seconds of each stage (and in total) over the passes."""
    out: dict[str, dict[str, float]] = {}
    for doc in passes[0]:
        stages = {s for p in passes for s in p[doc]["seconds"]}
        best = {s: min(p[doc]["seconds"].get(s, 0.0) for p in passes) for s in stages}
        best["total"] = min(p[doc]["total"] for p in passes)
        out[doc] = best
    return out


def table(label: str, best: dict[str, dict[str, float]]) -> dict[str, float]:
    """Mean seconds per document per stage; prints them with documents/s."""
    stages = sorted({s for d in best.values() for s in d if s != "total"})
    count = max(1, len(best))
    means = {s: sum(d.get(s, 0.0) for d in best.values()) / count for s in stages}
    summed = sum(means.values())
    total = sum(d["total"] for d in best.values()) / count
    cells = "  ".join(f"{s} {means[s]:.4f}" for s in stages)
    print(f"{label:7s} {len(best)} docs, s/doc: {cells}")
    rate, whole = 1 / summed if summed else 0.0, 1 / total if total else 0.0
    print(f"{'':7s} stages {summed:.4f} s/doc = {rate:.1f} docs/s; "
          f"process_document {total:.4f} s/doc = {whole:.1f} docs/s")  # fmt: skip
    return means


def differences(after: dict[str, dict], before: dict[str, dict]) -> list[str]:
    """The documents (and parts) whose answers differ between the checkouts."""
    out = []
    for doc, row in after.items():
        old = before[doc]["answers"]
        for part, value in row["answers"].items():
            if part == "fields":
                for name in sorted(set(value) | set(old["fields"])):
                    if value.get(name) != old["fields"].get(name):
                        out.append(f"{doc}: field {name}")
            elif value != old.get(part):
                out.append(f"{doc}: {part}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, action="append", required=True, help="a set folder")
    parser.add_argument("--kind", action="append", help="kinds of samples.csv (or 'all')")
    parser.add_argument("--before", type=Path, default=None, help="another checkout")
    parser.add_argument("--rounds", type=int, default=1, help="passes each, fastest counts")
    parser.add_argument("--limit", type=int, default=10**9, help="documents per set")
    args = parser.parse_args(argv)

    kinds = set(args.kind or ["born_digital"])
    jobs = [job for folder in args.set for job in documents(folder, kinds, args.limit)]
    afters, befores = [], []
    for _ in range(max(1, args.rounds)):
        afters.append(run_pass(Path.cwd(), jobs))
        if args.before:
            befores.append(run_pass(args.before, jobs))
    print(f"{len(jobs)} documents ({', '.join(sorted(kinds))}), {len(afters)} rounds")
    after = table("after", fastest(afters))
    if not befores:
        return 0
    before = table("before", fastest(befores))
    print("stage     after/before")
    for stage in sorted(set(after) | set(before)):
        old = before.get(stage, 0.0)
        print(f"{stage:9s} {after.get(stage, 0.0) / old if old else 0:.2f}")
    diffs = [d for a, b in zip(afters, befores, strict=True) for d in differences(a, b)]
    diffs += [d for a in afters[1:] for d in differences(a, afters[0])]
    print(f"answers compared: {len(jobs)} documents x {len(afters)} rounds; "
          f"differences: {len(set(diffs))}")  # fmt: skip
    for line in sorted(set(diffs)):
        print("  " + line)
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
