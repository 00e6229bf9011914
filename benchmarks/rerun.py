"""Re-run benchmark: `bewijscheck batch` twice over the same set in one fresh data dir. The
second run should take a small fraction of the first (target < 10 %) and call Tesseract not
once: every document comes from the result cache.

OCR calls are counted by a `tesseract` shim put first on PATH for the command (it logs each
call, then runs the real Tesseract), so the count does not trust bewijscheck's own word.

    .venv/bin/python -m fixtures.generate --seed 4245 --registrations 14 --out /tmp/set4245
    .venv/bin/python -m benchmarks.rerun /tmp/set4245
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SHIM = """#!/bin/sh
case "$1" in
  --version|--list-langs) ;;
  *) echo call >> "{log}" ;;
esac
exec "{real}" "$@"
"""


def ocr_counter(folder: Path) -> tuple[dict[str, str], Path]:
    """Environment with a counting `tesseract` first on PATH, and the file it counts into
    (one line per OCR call, from any process of the run)."""
    real = shutil.which("tesseract")
    if real is None:
        raise SystemExit("tesseract is not installed")
    folder.mkdir(parents=True, exist_ok=True)
    calls = folder / "ocr-calls.log"
    calls.touch()
    shim = folder / "tesseract"
    shim.write_text(SHIM.format(log=calls, real=real))
    shim.chmod(0o755)
    env = {"PATH": f"{folder}{os.pathsep}{os.environ.get('PATH', '')}"}
    return env, calls


def count_calls(calls: Path) -> int:
    return len(calls.read_text().splitlines())


def bewijscheck_command() -> list[str]:
    script = Path(sys.executable).with_name("bewijscheck")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from bewijscheck.cli import app; app()"]


def run_batch(sample: Path, out: Path, env: dict[str, str], *extra: str) -> float:
    """One `bewijscheck batch` over `sample`; returns its wall time in seconds."""
    command = [
        *bewijscheck_command(),
        "batch",
        "--registrations",
        str(sample / "registrations.csv"),
        "--manifest",
        str(sample / "manifest.csv"),
        "--out",
        str(out),
        *extra,
    ]
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sample", type=Path, help="folder with registrations.csv, manifest.csv")
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bewijscheck-rerun-") as tmp:
        work = Path(tmp)
        shim_env, calls = ocr_counter(work / "bin")
        env = {
            **os.environ,
            **shim_env,
            "OMP_THREAD_LIMIT": "1",
            "BEWIJSCHECK_DATA_DIR": str(work / "data"),
            "BEWIJSCHECK_STORAGE": "local",
            "PREFECT_HOME": str(work / "prefect"),
        }
        extra = ["--workers", str(args.workers)] if args.workers else []
        digest = _code_digest()
        documents = len((args.sample / "manifest.csv").read_text().splitlines()) - 1
        first = run_batch(args.sample, work / "out1", env, *extra)
        first_calls = count_calls(calls)
        second = run_batch(args.sample, work / "out2", env, *extra)
        second_calls = count_calls(calls) - first_calls
        same = _without_time(work / "out1") == _without_time(work / "out2")
        if _code_digest() != digest:
            raise SystemExit("the stages' source changed during the benchmark; run it again")
    print(f"documents:            {documents}")
    print(f"first run:            {first:.1f} s ({first_calls} OCR calls)")
    print(f"second run:           {second:.1f} s")
    print(f"ratio:                {second / first:.1%} (target < 10 %)")
    print(f"OCR calls, 2nd run:   {second_calls} (target 0)")
    print(f"identical report:     {same}")


def _code_digest() -> str:
    """The stages' source digest, as a fresh process computes it (part of the cache key)."""
    code = "from pipeline.cache import code_digest; print(code_digest())"
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()


def _without_time(out: Path) -> str:
    import json

    report = json.loads((out / "report.json").read_text())
    report.pop("generated_at", None)
    return json.dumps(report, sort_keys=True)


if __name__ == "__main__":
    main()
