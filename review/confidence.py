"""How sure the machine was of what a reviewer would have to check on the page: the lowest
confidence over the documents' types and the values it actually read. This is what the queue's
"Lage zekerheid" filter means.

Not counted: a value the reader did not find (None, empty) and a detector that found nothing
(no stamp, no logo, no signature: False, 0 or an empty list). Their confidence is the
detector's fixed prior for "absent" (0.8 for the visual detectors), not how well something
was read, and there is nothing on the page to check against; counting them put every case
with a payslip (which has no stamp) at or just below the threshold, so the filter matched
nearly every case. A missing value has its own findings (FIELD_NOT_FOUND, *_MISSING)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from core.report import ReportDocument


def is_reading(value: Any) -> bool:
    """Whether `value` is something read from the document (not "nothing found")."""
    if value is None or value is False:
        return False
    if isinstance(value, int) and not isinstance(value, bool) and value == 0:
        return False  # a count of nothing (signature_count 0)
    if isinstance(value, str | list | dict | tuple | set):
        return len(value) > 0 and not (isinstance(value, str) and not value.strip())
    return True


def case_confidence(documents: Iterable[ReportDocument]) -> float:
    """The lowest confidence over the readable documents' types and the values read on them;
    1.0 when there is nothing read (e.g. no documents)."""
    confidences: list[float] = []
    for document in documents:
        if not document.pages:  # unreadable: its own finding, nothing to check on a page
            continue
        confidences.append(document.doc_type_confidence or 0.0)
        confidences += [f.confidence for f in document.fields.values() if is_reading(f.value)]
    return round(min(confidences, default=1.0), 4)
