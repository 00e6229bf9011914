"""List every field a report got wrong against ground truth, with what was read where.

.venv/bin/python -m benchmarks.field_errors --truth T.json --report R.json [--field crebo]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from outputs.evaluate import normalise


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--truth", type=Path, required=True)
    parser.add_argument("--report", type=Path, required=True)
    parser.add_argument("--field", action="append", default=[])
    parser.add_argument("--types", action="store_true", help="list wrong document types")
    args = parser.parse_args()
    truth = json.loads(args.truth.read_text(encoding="utf-8"))
    report = json.loads(args.report.read_text(encoding="utf-8"))
    docs = {d["file"]: d for r in report["registrations"] for d in r["documents"]}
    for file, expected in sorted(truth["documents"].items()):
        doc = docs.get(file, {})
        if args.types and expected.get("doc_type") and doc.get("doc_type") != expected["doc_type"]:
            print(f"{file} [{expected.get('kind')}]: type {expected['doc_type']} read as "
                  f"{doc.get('doc_type')} ({doc.get('doc_type_confidence')}) "
                  f"{doc.get('doc_type_evidence')}")  # fmt: skip
        for name, value in expected.get("fields", {}).items():
            if args.field and name not in args.field:
                continue
            got = (doc.get("fields") or {}).get(name) or {}
            if normalise(got.get("value")) != normalise(value):
                print(f"{file} [{expected.get('kind')}] {name}: want {value!r} got "
                      f"{got.get('value')!r} from {got.get('source_text')!r}")  # fmt: skip


if __name__ == "__main__":
    main()
