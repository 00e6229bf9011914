"""The rule registry and what a rule sees.

A rule is a pure function `(ctx) -> list[Finding]`, registered with `@rule(code=...,
severity=..., types=..., reads=..., columns=..., applies=...)`: the rule declares its code, the
code's severity, the document types it looks at, the fields it reads on them (core.fields
FieldName) and the registration columns it uses. A declaration is checked when the rule loads:
a field that no document type of the rule carries (core/fields.py) is an error then, not a rule
that silently finds nothing. `finding()` makes a rule's findings with the declared severity.

`Context` holds one registration, its processed documents and the batch (all registrations, for
duplicates). Documents with a root-cause finding (ROOT_CAUSE_CODES, or a confidently wrong type
for their slot) are not *usable*: content rules never see them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from core.enums import (
    ROOT_CAUSE_CODES,
    SEVERITY_OUTSIDE_RULES,
    SLOT_ACCEPTS,
    Activity,
    DocType,
    FindingCode,
    Severity,
    Slot,
)
from core.errors import RuleDeclarationError
from core.fields import FieldName, carried_by
from core.model import FieldValue, Finding, ProcessedDocument
from core.registration import Registration
from core.report import FIELD_CONFIDENCE_THRESHOLD, TYPE_CONFIDENCE_THRESHOLD

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
    """A registered rule: its code and severity, the document types it looks at and the fields
    it reads on them, the registration columns it uses, when it applies, the check."""

    name: str
    code: FindingCode
    severity: Severity
    check: Check
    types: tuple[DocType, ...] = ()
    reads: tuple[FieldName, ...] = ()  # on every one of `types`
    reads_on: Mapping[DocType, tuple[FieldName, ...]] = field(default_factory=dict)
    columns: tuple[str, ...] = ()
    applies: Callable[[Context], bool] = _always

    def fields_read(self, doc_type: DocType) -> tuple[FieldName, ...]:
        """The fields the rule reads on a document of `doc_type`."""
        if doc_type not in self.types:
            return ()
        return (*self.reads, *self.reads_on.get(doc_type, ()))


RULES: dict[str, Rule] = {}


def declaration_errors(rule: Rule) -> list[str]:
    """What is wrong with a rule's declaration: fields that are no FieldName or that a type it
    looks at does not carry, registration columns that do not exist, a code raised outside
    the rules or already another rule's."""
    problems = []
    for name in (*rule.reads, *(n for names in rule.reads_on.values() for n in names)):
        if not isinstance(name, FieldName):
            problems.append(f"{name!r} is no field (core.fields.FieldName)")
    for doc_type in rule.reads_on:
        if doc_type not in rule.types:
            problems.append(f"reads_on {doc_type} is not one of the rule's types")
    for doc_type in rule.types:
        carried = carried_by(doc_type)
        missing = [n for n in rule.fields_read(doc_type) if n not in carried]
        problems += [f"{doc_type} carries no field '{n}'" for n in missing]
    problems += [
        f"{c!r} is no registration column"
        for c in rule.columns
        if c not in Registration.model_fields
    ]
    if rule.code in SEVERITY_OUTSIDE_RULES:
        problems.append(f"{rule.code} is raised outside the rules (core.enums)")
    problems += [
        f"{rule.code} is already the code of {other.name}"
        for other in RULES.values()
        if other.code is rule.code and other.name != rule.name
    ]
    return problems


def rule(
    *,
    code: FindingCode,
    severity: Severity,
    types: Iterable[DocType] = (),
    reads: tuple[FieldName, ...] = (),
    reads_on: Mapping[DocType, tuple[FieldName, ...]] | None = None,
    columns: tuple[str, ...] = (),
    applies: Callable[[Context], bool] = _always,
) -> Callable[[Check], Check]:
    """Register `check` as the rule for `code` (one function per code). Raises
    RuleDeclarationError when the declaration does not hold (see `declaration_errors`)."""

    def register(check: Check) -> Check:
        name = f"{check.__module__.rsplit('.', 1)[-1]}.{check.__name__}"
        declared = Rule(
            name=name,
            code=code,
            severity=severity,
            check=check,
            types=tuple(types),
            reads=tuple(reads),
            reads_on=dict(reads_on or {}),
            columns=tuple(columns),
            applies=applies,
        )
        problems = declaration_errors(declared)
        if problems:
            raise RuleDeclarationError(f"rule {name}: " + "; ".join(problems))
        RULES[name] = declared
        return check

    return register


def finding(code: FindingCode, message: str, **evidence: Any) -> Finding:
    """A finding of a rule's `code`, with the severity its rule declares."""
    severity = next((r.severity for r in RULES.values() if r.code is code), None)
    if severity is None:
        raise LookupError(f"no rule declares {code}")
    return Finding.of(code, message, severity=severity, **evidence)


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


def read_surely(fv: FieldValue | None) -> bool:
    """Whether a value was read well enough to contradict the registration. A mismatch needs
    one; a value read below the field threshold is no proof of anything, it sends the
    registration to review (core.report.is_uncertain) without a finding."""
    return fv is not None and fv.confidence >= FIELD_CONFIDENCE_THRESHOLD


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
