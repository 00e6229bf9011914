"""Quarter-turn detection, the page classifier against Tesseract's OSD, in one run: the first
N photos of a generated set, each turned 0/90/180/270, asked of both (one thread each).

    PYTHONPATH=$PWD OMP_THREAD_LIMIT=1 .venv/bin/python -m benchmarks.orientation --set DIR [-n 6]

Prints per method how many turns were right, how many gave no answer, and seconds per page."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from core.settings import Settings
from reading.orientation import osd_orientation, turn
from reading.orientation_model import quarter_turn
from reading.render import load_jpeg


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, required=True)
    parser.add_argument("-n", type=int, default=6)
    args = parser.parse_args()
    limits = Settings().limits
    photos = sorted((args.set / "docs").glob("*.jpg"))[: args.n]
    methods = {
        "classifier": quarter_turn,
        "osd": lambda gray: osd_orientation(gray, timeout_s=60),
    }
    right = dict.fromkeys(methods, 0)
    unanswered = dict.fromkeys(methods, 0)
    seconds = dict.fromkeys(methods, 0.0)
    total = 0
    for photo in photos:
        gray = load_jpeg(photo.read_bytes(), limits)
        for turned in (0, 90, 180, 270):
            page, want = turn(gray, turned), (360 - turned) % 360
            total += 1
            for name, method in methods.items():
                started = time.perf_counter()
                answer = method(page)
                seconds[name] += time.perf_counter() - started
                right[name] += answer == want
                unanswered[name] += answer is None
    print(f"{len(photos)} photos x 4 turns = {total} pages")
    for name in methods:
        print(f"{name:<11} right {right[name]:>3}/{total}  no answer {unanswered[name]:>3}  "
              f"{seconds[name] / max(total, 1):.3f} s/page")  # fmt: skip


if __name__ == "__main__":
    main()
