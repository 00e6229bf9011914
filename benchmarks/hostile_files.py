"""What hostile PDFs and JPEGs cost (issue 17, items 1 and 2):

1. intake time against file size for a `%stream` flood (stream starts without an end between
   the last object and the cross-reference table), from 16 KB to 25 MB; beside it the
   regex intake used before (`stream\\r?\\n.*?endstream`, quadratic), timed only up to a size
   where it still ends;
2. wall time and peak memory of each hostile file of tests/hostile.py processed whole
   (intake, render, OCR, rules) in a forked child, through `python -m tests.hostile measure`
   in this checkout or in another one given with `--before` (e.g. a worktree of an old commit,
   to show what the same files cost there).

    .venv/bin/python -m benchmarks.hostile_files [--before /path/to/old/checkout]
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from pathlib import Path
from typing import Any

from core.settings import Limits
from reading.admission import active_content, intake
from tests import hostile

ROOT = Path(__file__).resolve().parent.parent
SIZES_KB = (16, 32, 64, 125, 1024, 4096, 25 * 1024 - 8)
OLD_UP_TO_KB = 125
_OLD_STREAM = re.compile(rb"stream\r?\n.*?endstream", re.DOTALL)


def flood_table() -> None:
    print("stream flood: size | intake now (s) | structure scan before (s)")
    for kb in SIZES_KB:
        data = hostile.stream_flood_pdf(kb * 1024)
        started = time.perf_counter()
        intake(data, Limits())
        now = time.perf_counter() - started
        before = "-"
        if kb <= OLD_UP_TO_KB:
            started = time.perf_counter()
            _OLD_STREAM.sub(b"stream endstream", data)
            before = f"{time.perf_counter() - started:.3f}"
        scan = time.perf_counter()
        active_content(data)
        scan = time.perf_counter() - scan
        print(f"{len(data) / 1024:10.0f} KB | {now:.3f} (scan {scan:.3f}) | {before}")


def _said(line: dict[str, Any]) -> object:
    return line.get("codes", line.get("error"))


def render_table(before: Path | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for item in hostile.corpus():
            (folder / f"{item.kind}-{item.name}").write_bytes(item.data)
        now = hostile.measured(folder, ROOT, timeout=1800)
        old = hostile.measured(folder, before, timeout=1800) if before else {}
    print("\nhostile file | now: s, peak MB, finding | before: s, peak MB, finding")
    for name, line in sorted(now.items()):
        row = f"{name} | {line['seconds']:.2f} s, {line['max_rss_mb']:.0f} MB, {_said(line)}"
        if name in old:
            was = old[name]
            row += f" | {was['seconds']:.2f} s, {was['max_rss_mb']:.0f} MB, {_said(was)}"
        print(row)
    worst = max(now.values(), key=lambda u: u["max_rss_mb"])
    slowest = max(now.values(), key=lambda u: u["seconds"])
    print(f"now: slowest {slowest['seconds']:.2f} s, most memory {worst['max_rss_mb']:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, help="another checkout to measure the files in")
    parser.add_argument("--skip-flood", action="store_true")
    args = parser.parse_args()
    if not args.skip_flood:
        flood_table()
    render_table(args.before)


if __name__ == "__main__":
    main()
