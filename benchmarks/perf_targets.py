"""The targets of issue #8 as `benchmarks.performance` judges them: on gross (wall) times, the
batch's fixed cost included, because the `tesseract` and OCRmyPDF rows it is compared with keep
theirs (process start, model load) too. The net figure (wall minus the fixed cost of an empty
batch) is printed beside the gross one, never judged. Pure functions: tests/test_benchmarks.py
checks them without running anything."""

from __future__ import annotations

import math
from dataclasses import dataclass


def net(wall: float, fixed: float) -> float:
    """Wall time without the batch's fixed cost; NaN when nothing is left of it."""
    rest = wall - fixed
    return rest if rest > 0 else math.nan


def ratio(top: float, bottom: float) -> float:
    return top / bottom if bottom > 0 and not math.isnan(bottom) else math.nan


@dataclass(frozen=True)
class Target:
    """One target: judged on `gross`, `net` shown beside it."""

    label: str
    gross: float
    net: float
    limit: float
    at_most: bool  # met when gross <= limit; else when gross >= limit

    @property
    def met(self) -> bool:
        if math.isnan(self.gross):
            return False
        return self.gross <= self.limit if self.at_most else self.gross >= self.limit

    def line(self) -> str:
        sign = "≤" if self.at_most else "≥"
        state = "met" if self.met else "NOT met"
        return (
            f"{self.label}: {self.gross:.2f} (target {sign} {self.limit:g}): {state}; "
            f"{self.net:.2f} net of the fixed cost, not judged"
        )


def slower_than(label: str, ours: float, theirs: float, fixed: float, limit: float) -> Target:
    """Our wall time over theirs, e.g. bewijscheck / tesseract over the same scans."""
    return Target(label, ratio(ours, theirs), ratio(net(ours, fixed), theirs), limit, True)


def per_core(
    label: str, documents: int, wall: float, fixed: float, workers: int, limit: float = 20.0
) -> Target:
    """Documents per second per worker, end to end (issue #8: ≥ 20; issue #20: ≥ 10 end to
    end over 500 documents, ≥ 20 in the stages)."""
    gross = ratio(documents, wall * workers)
    return Target(label, gross, ratio(documents, net(wall, fixed) * workers), limit, False)


def speedup(label: str, one: float, two: float, fixed: float, limit: float = 1.8) -> Target:
    """Throughput of 2 workers over 1 on the same subset (issue #8: ≥ 1.8; #20: ≥ 1.75)."""
    ratio_net = ratio(net(one, fixed), net(two, fixed))
    return Target(label, ratio(one, two), ratio_net, limit, False)
