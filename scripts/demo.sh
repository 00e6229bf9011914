#!/usr/bin/env bash
# The main job on the embedded default: `bewijscheck batch` over the committed fixtures with
# local folder storage and a temporary Prefect server (SQLite), then `bewijscheck eval`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export OMP_THREAD_LIMIT=1
export PREFECT_HOME="${PREFECT_HOME:-$PWD/.bewijscheck/prefect}"
mkdir -p "$PREFECT_HOME"
OUT="${OUT:-out/demo}"
.venv/bin/bewijscheck batch \
  --registrations fixtures/sample/registrations.csv \
  --manifest fixtures/sample/manifest.csv \
  --out "$OUT" --data-dir .bewijscheck
.venv/bin/bewijscheck eval --truth fixtures/sample/truth.json --report "$OUT/report.json"
