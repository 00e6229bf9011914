#!/usr/bin/env bash
# The test command: set up, then ruff, mypy and pytest (the whole suite; `-m "not slow"` for
# the fast set). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export OMP_THREAD_LIMIT=1
export PREFECT_HOME="${PREFECT_HOME:-$PWD/.bewijscheck/prefect-test}"
mkdir -p "$PREFECT_HOME"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
.venv/bin/pytest -n 2 --dist loadgroup "$@"
