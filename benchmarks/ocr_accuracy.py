"""OCR word accuracy on the fixture set: runs `extract_pages` on every scan and photo listed in
`text_truth.json` and prints word accuracy per capture kind and overall, plus wall time per
page, with the OCR words read in visual rows (`core.layout.page_lines`):
- `word_accuracy` (ISRI-style): printed words read correctly and in order, i.e. the longest
  common subsequence of normalised tokens / truth tokens; extra words OCR invents from
  signatures, logos or stamps do not count against it;
- `word_error_rate`: Levenshtein distance over the token sequences / truth tokens, where those
  inventions and reading-order differences do count.

    .venv/bin/python -m benchmarks.ocr_accuracy --fixtures fixtures/sample \
        [--min 0.95] [--max-wer 0.10]

`text_truth.json`: `{"docs/x.pdf": {"kind": "born_digital|scan|photo", "pages": ["…", …]}}`.
Exits 1 when overall accuracy is below `--min`, the overall word error rate above `--max-wer`,
or a capture kind asked for scored no words at all (a misspelt `--kinds`, or a set without
that kind, measures nothing and must not pass); 2 when the fixtures cannot be read."""

from __future__ import annotations

import argparse
import json
import logging
import math
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz.distance import LCSseq, Levenshtein

from core.enums import MediaType
from core.layout import page_lines
from core.settings import Settings
from reading.admission import sniff
from reading.text import extract_pages

log = logging.getLogger(__name__)

OCR_KINDS = ("scan", "photo")
_PUNCT = "\"'`.,;:!?()[]{}<>«»“”‘’„-–—/\\|*•·"


def tokens(text: str) -> list[str]:
    """Casefolded words with punctuation stripped from their ends; empty ones dropped."""
    out = []
    for raw in text.split():
        token = raw.casefold().strip(_PUNCT)
        if token:
            out.append(token)
    return out


def word_errors(truth: str, found: str) -> tuple[int, int, int]:
    """(truth words read in order, edit distance over tokens, number of truth tokens)."""
    want = tokens(truth)
    got = tokens(found)
    return LCSseq.similarity(want, got), Levenshtein.distance(want, got), len(want)


@dataclass
class Tally:
    correct: int = 0
    errors: int = 0
    words: int = 0
    pages: int = 0
    seconds: float = 0.0
    docs: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        self.correct += other.correct
        self.errors += other.errors
        self.words += other.words
        self.pages += other.pages
        self.seconds += other.seconds

    @property
    def accuracy(self) -> float:
        """NaN without words: nothing measured is no score, least of all a perfect one."""
        return self.correct / self.words if self.words else math.nan

    @property
    def error_rate(self) -> float:
        return self.errors / self.words if self.words else math.nan


def judge(
    per_kind: dict[str, Tally],
    kinds: tuple[str, ...],
    min_accuracy: float | None = None,
    max_wer: float | None = None,
) -> list[str]:
    """Why the run fails, one reason a line; empty when it passes."""
    problems = [
        f"no words scored for capture kind {kind!r}: text_truth.json has no readable document "
        f"of that kind (OCR kinds: {', '.join(OCR_KINDS)})"
        for kind in kinds
        if per_kind.get(kind, Tally()).words == 0
    ]
    overall = Tally()
    for tally in per_kind.values():
        overall.add(tally)
    if overall.words == 0:
        return problems or ["no words scored"]
    if min_accuracy is not None and overall.accuracy < min_accuracy:
        problems.append(f"word accuracy {overall.accuracy:.4f} is below --min {min_accuracy}")
    if max_wer is not None and overall.error_rate > max_wer:
        problems.append(f"word error rate {overall.error_rate:.4f} is above --max-wer {max_wer}")
    return problems


def score_document(path: Path, pages_truth: list[str], settings: Settings) -> Tally:
    data = path.read_bytes()
    media_type = sniff(data)
    if media_type is None:
        raise ValueError(f"{path} is neither PDF nor JPEG")
    started = time.perf_counter()
    pages = extract_pages(data, MediaType(media_type), settings=settings)
    tally = Tally(seconds=time.perf_counter() - started, pages=len(pages))
    # Reading order as a person reads the page: visual rows, so a label and its value in two
    # columns stay together (Tesseract reads such columns one after the other).
    texts = ["\n".join(line.text for line in page_lines(p)) for p in pages]
    for index, truth in enumerate(pages_truth):
        correct, errors, words = word_errors(truth, texts[index] if index < len(texts) else "")
        tally.correct += correct
        tally.errors += errors
        tally.words += words
    return tally


def run(fixtures: Path, kinds: tuple[str, ...], settings: Settings) -> dict[str, Tally]:
    truth = json.loads((fixtures / "text_truth.json").read_text(encoding="utf-8"))
    per_kind: dict[str, Tally] = {}
    for rel, entry in sorted(truth.items()):
        kind = entry.get("kind")
        if kind not in kinds:
            continue
        tally = score_document(fixtures / rel, list(entry["pages"]), settings)
        print(
            f"{rel}: {kind}, {tally.pages} page(s), accuracy {tally.accuracy:.4f}, "
            f"wer {tally.error_rate:.4f}, "
            f"{tally.seconds / max(tally.pages, 1):.2f} s/page"
        )
        per_kind.setdefault(kind, Tally()).add(tally)
    return per_kind


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixtures", type=Path, default=Path("fixtures/sample"))
    parser.add_argument("--min", type=float, default=None, help="fail below this accuracy")
    parser.add_argument(
        "--max-wer", type=float, default=None, help="fail above this word error rate"
    )
    parser.add_argument(
        "--kinds", default=",".join(OCR_KINDS), help="capture kinds to score, comma-separated"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    kinds = tuple(args.kinds.split(","))
    try:
        per_kind = run(args.fixtures, kinds, Settings())
    except (OSError, ValueError, KeyError) as exc:
        print(f"cannot read fixtures: {exc}", file=sys.stderr)
        return 2
    overall = Tally()
    for kind, tally in sorted(per_kind.items()):
        overall.add(tally)
        print(
            f"word_accuracy.{kind}: {tally.accuracy:.4f}  word_error_rate.{kind}: "
            f"{tally.error_rate:.4f}  ({tally.words} words, "
            f"{tally.pages} pages, {tally.seconds / max(tally.pages, 1):.2f} s/page)"
        )
    print(
        f"word_accuracy: {overall.accuracy:.4f}  word_error_rate: {overall.error_rate:.4f}  "
        f"({overall.words} words, {overall.pages} pages, "
        f"{overall.seconds / max(overall.pages, 1):.2f} s/page)"
    )
    problems = judge(per_kind, kinds, args.min, args.max_wer)
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
