"""How the batch splits its documents over tasks: each file's expected work is guessed from
what is cheap to know before reading it (its type, page count and bytes per page), and the
documents are grouped by that work, the heaviest first, shrinking to single documents at the
end (guided self-scheduling), so that workers finish together and a born-digital document
does not pay a whole Prefect task's bookkeeping of its own.

Only the scheduling follows these guesses; a wrong guess costs time, never a result."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pypdfium2 as pdfium

from core.manifest import ManifestEntry

# Bytes per page from which a PDF counts as a scan, every page through OCR (a 300 dpi A4 scan
# page in JPEG takes 40 KB and more; the born-digital fixtures 2-30 KB a page). Below it a PDF
# most likely has a text layer: TEXT_PAGE_WORK a page. Real born-digital PDFs with embedded
# fonts and images often count as scans: their groups are then as small as a scan's, as
# before this guess.
SCAN_PAGE_BYTES = 30_000
# The work of a page read from its text layer, in OCR'd pages (measured: ~0.15 s against
# ~1 s for a page through Tesseract).
TEXT_PAGE_WORK = 0.1
# The least work a group is given (in OCR'd pages) while enough is left: balancing the last
# tasks more finely than this costs more in Prefect's bookkeeping per task (~0.1-0.2 s) than
# it saves; a single heavier document still makes a group of its own.
MIN_TASK_WORK = 0.5
# How many light documents one task may take, in multiples of `size` (the OCR'd pages a task
# takes): bounded, so that one task never holds up a large share of a batch.
MAX_LIGHT_FACTOR = 10


def expected_work(path: Path | None) -> float:
    """The file's expected work in OCR'd pages: a JPEG is one page through OCR, a PDF its
    pages, each 1 (a scan's bytes per page) or `TEXT_PAGE_WORK` (fewer: likely a text
    layer); unreadable and missing files count as light (they are refused fast)."""
    if path is None:
        return TEXT_PAGE_WORK
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(4)
    except OSError:
        return TEXT_PAGE_WORK
    if head[:3] == b"\xff\xd8\xff":
        return 1.0
    if head != b"%PDF":
        return TEXT_PAGE_WORK
    try:
        pdf = pdfium.PdfDocument(str(path))
    except (pdfium.PdfiumError, OSError):
        return TEXT_PAGE_WORK
    try:
        pages = max(len(pdf), 1)
    finally:
        pdf.close()
    return pages * (1.0 if size / pages >= SCAN_PAGE_BYTES else TEXT_PAGE_WORK)


def groups(
    entries: Sequence[ManifestEntry], pending: list[int], size: int, workers: int
) -> list[list[int]]:
    """The pending documents (indexes into `entries`) in groups, the heaviest first. A group
    holds at most `size` OCR'd pages of expected work (a single heavier document alone) and
    at most a quarter of the work left per worker (but `MIN_TASK_WORK`), so the last groups
    are single scans or a few born-digital documents; light documents fill a group up to
    `size` x `MAX_LIGHT_FACTOR` of them. `size` 1: every document a task of its own. One
    worker has no one to finish with: its groups stay `size` to the end (every group costs
    Prefect's bookkeeping, ~0.1 s)."""
    work = {i: expected_work(entries[i].path) for i in set(pending)}
    ordered = sorted(pending, key=lambda i: work[i], reverse=True)
    left = sum(work[i] for i in ordered)
    most = size * MAX_LIGHT_FACTOR if size > 1 else 1
    out: list[list[int]] = []
    start = 0
    while start < len(ordered):
        budget = (
            float(size) if workers <= 1 else min(size, max(left / (4 * workers), MIN_TASK_WORK))
        )
        group = [ordered[start]]
        load = work[ordered[start]]
        while (
            start + len(group) < len(ordered)
            and len(group) < most
            and load + work[ordered[start + len(group)]] <= budget + 1e-9
        ):
            load += work[ordered[start + len(group)]]
            group.append(ordered[start + len(group)])
        out.append(group)
        start += len(group)
        left -= load
    return out
