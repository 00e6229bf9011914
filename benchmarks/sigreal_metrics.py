"""Scores of a signature detector against labelled boxes (`benchmarks.signatures_real`):
greedy one-to-one matching by IoU, page-level "signed or not" counts, and the numbers of a
part (accuracy, precision, recall, F1, false signatures per unsigned page, stage times)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from benchmarks.sigreal_data import Box

MIN_IOU = 0.5


def iou(a: Box, b: Box) -> float:
    """Intersection over union of two (x0, y0, x1, y1) boxes; 0.0 for empty ones."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    inter = w * h
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def match(found: Sequence[Box], labelled: Sequence[Box], min_iou: float = MIN_IOU) -> int:
    """True positives: pairs (found, labelled) with IoU >= `min_iou`, taken greedily from the
    highest IoU down, each box in at most one pair."""
    pairs = sorted(
        ((iou(f, g), i, j) for i, f in enumerate(found) for j, g in enumerate(labelled)),
        reverse=True,
    )
    used_found: set[int] = set()
    used_labelled: set[int] = set()
    for value, i, j in pairs:
        if value < min_iou:
            break
        if i in used_found or j in used_labelled:
            continue
        used_found.add(i)
        used_labelled.add(j)
    return len(used_found)


@dataclass(frozen=True)
class PageResult:
    """What the detector found on one page, next to its labels, and the stage times."""

    stem: str
    found: tuple[Box, ...]
    labelled: tuple[Box, ...]
    ocr_seconds: float
    visual_seconds: float


def _ratio(num: float, den: float) -> float:
    return num / den if den else 0.0


@dataclass
class Scores:
    """Counts of a set of pages, and the rates made from them."""

    pages: int = 0
    unsigned: int = 0
    # page level: "signed" means at least one box
    tp_pages: int = 0
    fp_pages: int = 0
    fn_pages: int = 0
    tn_pages: int = 0
    # box level
    found: int = 0
    labelled: int = 0
    matched: int = 0
    false_on_unsigned: int = 0
    ocr_seconds: float = 0.0
    visual_seconds: float = 0.0

    def add(self, page: PageResult) -> None:
        self.pages += 1
        said, truth = bool(page.found), bool(page.labelled)
        self.tp_pages += said and truth
        self.fp_pages += said and not truth
        self.fn_pages += truth and not said
        self.tn_pages += not said and not truth
        self.unsigned += not truth
        self.found += len(page.found)
        self.labelled += len(page.labelled)
        self.matched += match(page.found, page.labelled)
        self.false_on_unsigned += 0 if truth else len(page.found)
        self.ocr_seconds += page.ocr_seconds
        self.visual_seconds += page.visual_seconds

    def numbers(self) -> dict[str, float]:
        box_p = _ratio(self.matched, self.found)
        box_r = _ratio(self.matched, self.labelled)
        return {
            "pages": self.pages,
            "unsigned_pages": self.unsigned,
            "page_accuracy": _ratio(self.tp_pages + self.tn_pages, self.pages),
            "page_precision": _ratio(self.tp_pages, self.tp_pages + self.fp_pages),
            "page_recall": _ratio(self.tp_pages, self.tp_pages + self.fn_pages),
            "boxes_found": self.found,
            "boxes_labelled": self.labelled,
            "boxes_matched": self.matched,
            "box_precision": box_p,
            "box_recall": box_r,
            "box_f1": _ratio(2 * box_p * box_r, box_p + box_r),
            "false_per_unsigned_page": _ratio(self.false_on_unsigned, self.unsigned),
            "ocr_s_per_page": _ratio(self.ocr_seconds, self.pages),
            "visual_s_per_page": _ratio(self.visual_seconds, self.pages),
            "visual_to_ocr": _ratio(self.visual_seconds, self.ocr_seconds),
        }


def score(results: Sequence[PageResult]) -> Scores:
    out = Scores()
    for page in results:
        out.add(page)
    return out


COLUMNS = (
    ("pages", "pages", "{:.0f}"),
    ("unsigned_pages", "unsig", "{:.0f}"),
    ("page_accuracy", "pg acc", "{:.3f}"),
    ("page_precision", "pg P", "{:.3f}"),
    ("page_recall", "pg R", "{:.3f}"),
    ("boxes_found", "found", "{:.0f}"),
    ("boxes_labelled", "label", "{:.0f}"),
    ("box_precision", "box P", "{:.3f}"),
    ("box_recall", "box R", "{:.3f}"),
    ("box_f1", "box F1", "{:.3f}"),
    ("false_per_unsigned_page", "FP/unsig", "{:.2f}"),
    ("ocr_s_per_page", "ocr s", "{:.2f}"),
    ("visual_s_per_page", "vis s", "{:.3f}"),
    ("visual_to_ocr", "vis/ocr", "{:.3f}"),
)


def table(rows: dict[str, dict[str, float]]) -> str:
    """A plain-text table, one row per part."""
    head = ["part", *(title for _, title, _ in COLUMNS)]
    body = [
        [name, *(fmt.format(nums[key]) for key, _, fmt in COLUMNS)] for name, nums in rows.items()
    ]
    widths = [max(len(r[i]) for r in [head, *body]) for i in range(len(head))]
    return "\n".join(
        "  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in [head, *body]
    )
