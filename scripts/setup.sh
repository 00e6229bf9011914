#!/usr/bin/env bash
# Install everything bewijscheck needs on a fresh Debian machine: Tesseract with Dutch data
# (apt), then a virtualenv in .venv with the project and its dev tools. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# Tesseract for OCR; Chromium and LibreOffice Calc for the report tests (HTML renders without
# console errors, the workbook converts to PDF); PostgreSQL for the results-store tests (each
# session starts its own throwaway server; the system's cluster is not used).
# libtesseract-dev and the build tools: tesserocr is compiled against the system's Tesseract,
# so the in-process engine reads exactly as the `tesseract` command does.
apt_packages=(tesseract-ocr tesseract-ocr-nld tesseract-ocr-eng chromium libreoffice-calc-nogui
  postgresql libtesseract-dev libleptonica-dev pkg-config g++)
missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.bewijscheck-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  # never tesserocr's wheel: it bundles another Tesseract version
  PIP_NO_BINARY=tesserocr .venv/bin/python -m pip install -q -e ".[${EXTRAS:-dev}]"
  touch "$stamp"
fi
# Our own modules' bytecode, written once here: with PYTHONDONTWRITEBYTECODE set (as on the CI
# machines) every process would otherwise compile them again as it imports them.
.venv/bin/python -m compileall -q -j 0 bewijscheck benchmarks checks core extractors fixtures flows \
  migrations outputs pipeline reading review store tests web >/dev/null || true
