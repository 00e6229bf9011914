#!/usr/bin/env bash
# Performance benchmark (issue #8): bewijscheck batch against the tesseract command and
# OCRmyPDF on one generated set; prints the table and whether each target is met. Installs
# what it needs first (the `bench` extra; Ghostscript, qpdf and pngquant for OCRmyPDF).
# Arguments go to `python -m benchmarks.performance` (default: --seed 5100 --registrations 30).
set -euo pipefail
cd "$(dirname "$0")/.."
EXTRAS=dev,bench bash scripts/setup.sh
if ! .venv/bin/python -c "import ocrmypdf, psutil" 2>/dev/null; then
  PIP_NO_BINARY=tesserocr .venv/bin/python -m pip install -q -e '.[dev,bench]'
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
missing=()
for pkg in ghostscript qpdf pngquant; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi
export OMP_THREAD_LIMIT=1
if [ "$#" -eq 0 ]; then set -- --seed 5100 --registrations 30; fi
exec .venv/bin/python -m benchmarks.performance "$@"
