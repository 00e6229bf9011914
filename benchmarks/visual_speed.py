"""Time per page of the visual extractors (signatures, logos, stamps) next to the text stage
(text layer or render + OCR) on the fixture set, per capture kind. Each document is extracted
once with `VisualCollector` as the page hook; the visual time is measured inside the hook and
the text time is the rest. Also prints the peak resident memory of the run.

A document that fails is counted and listed with the reason (its exception), never dropped
from the count silently: the documents of kind `broken` (corrupt, empty, encrypted, not a PDF)
are expected to fail and are listed apart; any other failure makes the run exit 1, unless
`--allow-failures`.

    .venv/bin/python -m benchmarks.visual_speed --fixtures fixtures/sample [--limit 20]"""

from __future__ import annotations

import argparse
import json
import logging
import resource
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from core.enums import MediaType
from core.settings import Settings
from extractors.visual.collect import VisualCollector
from reading.admission import sniff
from reading.text import extract_pages

log = logging.getLogger(__name__)

BROKEN = "broken"  # the capture kind of the fixtures that are meant not to open


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


@dataclass(frozen=True)
class Failure:
    file: str
    kind: str
    reason: str  # the exception's type and message; names no document text

    @property
    def expected(self) -> bool:
        return self.kind == BROKEN


@dataclass
class Run:
    per_kind: dict[str, Timing] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)

    def report(self, allow_failures: bool = False) -> tuple[list[str], int]:
        """The lines on the failures and the exit status: 1 when a document that should
        open failed, unless allowed."""
        expected = [f for f in self.failures if f.expected]
        unexpected = [f for f in self.failures if not f.expected]
        lines = [
            f"failed: {len(unexpected)} document(s), {len(expected)} more of kind {BROKEN} "
            "(expected to fail); not in the times above"
        ]
        lines += [
            f"  {f.file} ({f.kind}{', expected' if f.expected else ''}): {f.reason}"
            for f in [*unexpected, *expected]
        ]
        return lines, 1 if unexpected and not allow_failures else 0


def time_all(
    fixtures: Path,
    documents: dict[str, dict[str, object]],
    limit: int = 0,
    timer: Callable[[Path], Timing] | None = None,
) -> Run:
    """Time every document (up to `limit` pages per kind); failures counted, not dropped."""
    settings = Settings()
    timer = timer or (lambda path: time_document(path, settings))
    run = Run()
    for rel, entry in sorted(documents.items()):
        kind = str(entry.get("kind", "?"))
        if limit and run.per_kind.get(kind, Timing()).pages >= limit:
            continue
        try:
            timing = timer(fixtures / rel)
        except Exception as exc:  # counted and shown below, whatever it is
            run.failures.append(Failure(rel, kind, f"{type(exc).__name__}: {exc}"[:200]))
            continue
        run.per_kind.setdefault(kind, Timing()).add(timing)
    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixtures", type=Path, default=Path("fixtures/sample"))
    parser.add_argument("--limit", type=int, default=0, help="documents per kind (0: all)")
    parser.add_argument(
        "--allow-failures",
        action="store_true",
        help="exit 0 even when documents other than the broken fixtures fail",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    try:
        truth = json.loads((args.fixtures / "truth.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"cannot read fixtures: {exc}", file=sys.stderr)
        return 2
    run = time_all(args.fixtures, truth["documents"], args.limit)
    overall = Timing()
    for kind, timing in sorted(run.per_kind.items()):
        overall.add(timing)
        print(timing.line(kind))
    print(overall.line("all"))
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak_rss: {peak_mib:.0f} MiB")
    lines, status = run.report(args.allow_failures)
    print("\n".join(lines))
    if status:
        print("documents failed that should open; --allow-failures to accept", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
