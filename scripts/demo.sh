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
echo
echo "Review the results in the web app (the cases are in .bewijscheck/bewijscheck.db):"
echo "  .venv/bin/bewijscheck web add-user admin --role admin"
echo "  .venv/bin/bewijscheck serve   # then open http://127.0.0.1:8000"
