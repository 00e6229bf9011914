"""Time per page of the visual extractors (signatures, logos, stamps) next to the text stage
(text layer or render + OCR) on the fixture set, per capture kind. Each document is extracted
once with `VisualCollector` as the page hook; the visual time is measured inside the hook and
the text time is the rest. Also prints the peak resident memory of the run.

    .venv/bin/python -m benchmarks.visual_speed --fixtures fixtures/sample [--limit 20]"""

from __future__ import annotations

import argparse
import json
import logging
import resource
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from core.enums import MediaType
from core.settings import Settings
from extractors.visual.collect import VisualCollector
from reading.admission import sniff
from reading.text import extract_pages

log = logging.getLogger(__name__)


@dataclass
class Timing:
    pages: int = 0
    text: float = 0.0
    visual: float = 0.0

    def add(self, other: Timing) -> None:
        self.pages += other.pages
        self.text += other.text
        self.visual += other.visual

    def line(self, name: str) -> str:
        per = max(self.pages, 1)
        share = self.visual / max(self.text, 1e-9)
        return (
            f"{name}: {self.pages} pages, text {1000 * self.text / per:.0f} ms/page, "
            f"visual {1000 * self.visual / per:.0f} ms/page ({100 * share:.1f} % of text)"
        )


def time_document(path: Path, settings: Settings) -> Timing:
    data = path.read_bytes()
    media_type = sniff(data)
    if media_type is None:
        raise ValueError(f"{path} is neither PDF nor JPEG")
    collector = VisualCollector()
    started = time.perf_counter()
    pages = extract_pages(data, MediaType(media_type), settings=settings, on_page=collector)
    total = time.perf_counter() - started
    return Timing(pages=len(pages), text=total - collector.seconds, visual=collector.seconds)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixtures", type=Path, default=Path("fixtures/sample"))
    parser.add_argument("--limit", type=int, default=0, help="documents per kind (0: all)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    try:
        truth = json.loads((args.fixtures / "truth.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"cannot read fixtures: {exc}", file=sys.stderr)
        return 2
    per_kind: dict[str, Timing] = {}
    for rel, entry in sorted(truth["documents"].items()):
        kind = str(entry.get("kind", "?"))
        if args.limit and per_kind.get(kind, Timing()).pages >= args.limit:
            continue
        try:
            timing = time_document(args.fixtures / rel, Settings())
        except Exception as exc:  # broken fixtures (corrupt PDFs) are part of the set
            log.info("%s skipped: %s", rel, exc)
            continue
        per_kind.setdefault(kind, Timing()).add(timing)
    overall = Timing()
    for kind, timing in sorted(per_kind.items()):
        overall.add(timing)
        print(timing.line(kind))
    print(overall.line("all"))
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak_rss: {peak_mib:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
