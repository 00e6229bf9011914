"""The rule registry and what a rule sees.

A rule is a pure function `(ctx) -> list[Finding]`, registered with `@rule(code=..., reads=...,
applies=...)`. `Context` holds one registration, its processed documents and the batch (all
registrations, for duplicates). Documents with a root-cause finding (ROOT_CAUSE_CODES, or a
confidently wrong type for their slot) are not *usable*: content rules never see them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from core.enums import ROOT_CAUSE_CODES, SLOT_ACCEPTS, Activity, DocType, FindingCode, Slot
from core.model import FieldValue, Finding, ProcessedDocument
from core.registration import Registration
from core.report import TYPE_CONFIDENCE_THRESHOLD

CDE = frozenset({Activity.C, Activity.D, Activity.E})
AB = frozenset({Activity.A, Activity.B})
# At C, D and E the performance declaration is the only valid evidence (webinar: "De
# prestatieverklaring is het enige juiste document bij C"), whichever slot it was put in.
_CDE_ACCEPTS = {
    Slot.PRESTATIEBEWIJS: frozenset({DocType.PRESTATIEVERKLARING}),
    Slot.PRESTATIEVERKLARING: frozenset({DocType.PRESTATIEVERKLARING}),
}


@dataclass(frozen=True)
class Batch:
    """Everything the run sees at once: all registrations (for duplicates across them)."""

    registrations: tuple[Registration, ...] = ()

    @classmethod
    def of(cls, registrations: Iterable[Registration]) -> Batch:
        return cls(tuple(registrations))


@dataclass(frozen=True)
class Context:
    """One registration with its documents, as the rules see it."""

    registration: Registration
    documents: tuple[ProcessedDocument, ...]
    batch: Batch = field(default_factory=Batch)
    # A pre-screen of one upload: completeness and duplicates cannot be judged there.
    single_upload: bool = False

    @property
    def activity(self) -> Activity:
        return self.registration.activiteit

    def accepts(self, slot: Slot) -> frozenset[DocType]:
        if self.activity in CDE and slot in _CDE_ACCEPTS:
            return _CDE_ACCEPTS[slot]
        return SLOT_ACCEPTS[slot]

    def is_wrong_type(self, doc: ProcessedDocument) -> bool:
        """A confident, known type that the slot does not accept."""
        c = doc.classified
        return (
            c is not None
            and c.doc_type is not DocType.ONBEKEND
            and c.confidence >= TYPE_CONFIDENCE_THRESHOLD
            and c.doc_type not in self.accepts(doc.slot)
        )

    def has_root_cause(self, doc: ProcessedDocument) -> bool:
        """An intake root cause (file refused or unreadable) or a wrong type."""
        return any(f.code in ROOT_CAUSE_CODES for f in doc.findings) or self.is_wrong_type(doc)

    def doc_type(self, doc: ProcessedDocument) -> DocType | None:
        """The type content rules may rely on: classified, and one the slot accepts."""
        if doc.classified is None or self.has_root_cause(doc):
            return None
        found = doc.classified.doc_type
        return found if found in self.accepts(doc.slot) else None

    def usable(
        self, *types: DocType, slots: Sequence[Slot] | None = None
    ) -> list[ProcessedDocument]:
        """Documents without a root cause, of one of `types` (any when none given), in `slots`."""
        out = []
        for doc in self.documents:
            found = self.doc_type(doc)
            if found is None or (types and found not in types):
                continue
            if slots is not None and doc.slot not in slots:
                continue
            out.append(doc)
        return out

    def in_slot(self, slot: Slot) -> list[ProcessedDocument]:
        return [d for d in self.documents if d.slot is slot]


Check = Callable[[Context], list[Finding]]


def _always(ctx: Context) -> bool:
    return True


@dataclass(frozen=True)
class Rule:
    """A registered rule: its code, the fields/types it reads, when it applies, the check."""

    name: str
    code: FindingCode
    reads: tuple[DocType | str, ...]
    applies: Callable[[Context], bool]
    check: Check


RULES: dict[str, Rule] = {}


def rule(
    *,
    code: FindingCode,
    reads: tuple[DocType | str, ...] = (),
    applies: Callable[[Context], bool] = _always,
) -> Callable[[Check], Check]:
    """Register `check` as the rule for `code` (one function per code)."""

    def register(check: Check) -> Check:
        name = f"{check.__module__.rsplit('.', 1)[-1]}.{check.__name__}"
        RULES[name] = Rule(name, code, tuple(reads), applies, check)
        return check

    return register


# -- helpers for rules ---------------------------------------------------------------------
def evidence(
    doc: ProcessedDocument,
    fv: FieldValue | None = None,
    *,
    expected: Any = None,
    found: Any = None,
) -> dict[str, Any]:
    """The evidence keywords of a finding about `doc` (and the field value it read)."""
    return {
        "document_id": doc.document_id,
        "page": fv.page if fv else None,
        "bbox": fv.bbox if fv else None,
        "slot": doc.slot,
        "file": doc.file,
        "expected": None if expected is None else str(expected),
        "found": None if found is None else str(found),
    }


def as_date(fv: FieldValue | None) -> date | None:
    """A field's 'YYYY-MM-DD' value as a date; None when absent or malformed."""
    if fv is None:
        return None
    if isinstance(fv.value, date):
        return fv.value
    try:
        return date.fromisoformat(str(fv.value)[:10])
    except ValueError:
        return None
