"""The performance declaration (prestatieverklaring) at each of C, D and E: letterhead, trainer's
name, signatures, and signing not too early or too late after the end of the training. The
training's end is the one printed on the declaration when it shows one, else the registered end
(RULES.md "Performance declaration": participants within 2 weeks, the teacher within 4 weeks
after the end; before the end is too early). Each code: passes, fails, not applicable.

The registration ends on 13-12-2024; the declarations below mostly print their own end,
29-11-2024, so that the registered end gives the wrong answer. Worked out by hand: 29-11-2024
plus 14 days is 13-12-2024 (the participant's last day), plus 28 days 27-12-2024 (the
teacher's); 14-12-2024 and 28-12-2024 are a day late."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from core.enums import DocType, FindingCode, Slot
from core.model import Finding
from tests import rulekit as k

F = FindingCode
OWN_END = "2024-11-29"  # on the declaration; the registration ends 2024-12-13
NO_MARKS = {"logo_present": False, "stamp_present": False}
# a declaration behind a root cause (unreadable): content rules do not look at it
UNREADABLE = {"findings": [Finding.of(FindingCode.DOC_UNREADABLE, "onleesbaar")]}


def signed(deelnemer: str | None, docent: str | None) -> list[dict[str, str]]:
    rows = [("deelnemer", deelnemer), ("docent", docent)]
    return [{"rol": rol, "datum": d} for rol, d in rows if d is not None]


def own(deelnemer: str, docent: str) -> dict[str, Any]:
    """A declaration printing its own end, signed on these dates."""
    return {"training_einddatum": OWN_END, "handtekeningen": signed(deelnemer, docent)}


# code, label, registration changes, declaration changes, whether the code is found
Case = tuple[F, str, dict[str, Any], dict[str, Any], bool]
CASES: list[Case] = [
    (F.LETTERHEAD_MISSING, "external with logo", {}, {}, False),
    (F.LETTERHEAD_MISSING, "external with stamp only", {},
     {"logo_present": False, "stamp_present": True}, False),
    (F.LETTERHEAD_MISSING, "external without logo or stamp", {}, NO_MARKS, True),
    (F.LETTERHEAD_MISSING, "external, only 'no logo' read", {},
     {"logo_present": False, "stamp_present": None}, True),
    (F.LETTERHEAD_MISSING, "internal n/a", {"extern": False}, NO_MARKS, False),
    (F.LETTERHEAD_MISSING, "extern not filled in n/a", {"extern": None}, NO_MARKS, False),
    (F.LETTERHEAD_MISSING, "marks not extracted n/a", {},
     {"logo_present": None, "stamp_present": None}, False),
    (F.TRAINER_NAME_MISSING, "trainer named", {}, {}, False),
    (F.TRAINER_NAME_MISSING, "trainer missing", {}, {"opleider": k.ABSENT}, True),
    (F.TRAINER_NAME_MISSING, "trainer blank", {}, {"opleider": "  "}, True),
    (F.TRAINER_NAME_MISSING, "unreadable declaration n/a", {},
     {"opleider": None, **UNREADABLE}, False),
    (F.SIGNATURES_MISSING, "both signed", {}, {}, False),
    (F.SIGNATURES_MISSING, "teacher did not sign", {},
     {"handtekeningen": signed("2024-12-16", None)}, True),
    (F.SIGNATURES_MISSING, "participant did not sign", {},
     {"handtekeningen": signed(None, "2024-12-16")}, True),
    (F.SIGNATURES_MISSING, "no signature seen: not found, not missing", {},
     {"handtekeningen": None, "signature_count": 0}, False),
    (F.FIELD_NOT_FOUND, "no signature seen", {},
     {"handtekeningen": None, "signature_count": 0}, True),
    (F.FIELD_NOT_FOUND, "trainer not found", {}, {"opleider": None}, True),
    (F.FIELD_NOT_FOUND, "trainer and signatures read", {}, {}, False),
    (F.FIELD_NOT_FOUND, "unreadable declaration n/a", {}, {"opleider": None, **UNREADABLE}, False),
    (F.TRAINER_NAME_MISSING, "trainer not found: no rejection", {}, {"opleider": None}, False),
    (F.SIGNATURES_MISSING, "two signatures counted", {},
     {"handtekeningen": None, "signature_count": 2}, False),
    (F.SIGNATURES_MISSING, "signatures not extracted n/a", {}, {"handtekeningen": None}, False),
    (F.SIGNED_TOO_EARLY, "after its own end, before the registered end", {},
     own("2024-12-02", "2024-12-02"), False),
    (F.SIGNED_TOO_EARLY, "on its own end", {}, own(OWN_END, OWN_END), False),
    (F.SIGNED_TOO_EARLY, "participant a day before its own end", {},
     own("2024-11-28", OWN_END), True),
    (F.SIGNED_TOO_EARLY, "teacher a day before its own end", {},
     own(OWN_END, "2024-11-28"), True),
    (F.SIGNED_TOO_EARLY, "own end after the registered end, signed between", {},
     {"training_einddatum": "2024-12-20", "handtekeningen": signed("2024-12-16", "2024-12-20")},
     True),
    (F.SIGNED_TOO_EARLY, "no end printed: a day before the registered end", {},
     {"training_einddatum": None, "handtekeningen": signed("2024-12-12", "2024-12-13")}, True),
    (F.SIGNED_TOO_EARLY, "no dated signatures n/a", {},
     {"handtekeningen": None, "signature_count": 2}, False),
    (F.SIGNED_TOO_EARLY, "unreadable dates n/a", {},
     {"handtekeningen": signed("onleesbaar", "2024-1")}, False),
    (F.SIGNED_TOO_LATE, "participant on day 14, teacher on day 28", {},
     own("2024-12-13", "2024-12-27"), False),
    (F.SIGNED_TOO_LATE, "participant on day 15 of its own end", {},
     own("2024-12-14", "2024-12-14"), True),
    (F.SIGNED_TOO_LATE, "teacher on day 29 of its own end", {},
     own("2024-12-13", "2024-12-28"), True),
    (F.SIGNED_TOO_LATE, "no end printed: participant on day 15 of the registered end", {},
     {"training_einddatum": None, "handtekeningen": signed("2024-12-28", "2024-12-28")}, True),
    (F.SIGNED_TOO_LATE, "no dated signatures n/a", {},
     {"handtekeningen": None, "signature_count": 2}, False),
    (F.SIGNED_TOO_LATE, "another role's date n/a", {},
     {"handtekeningen": [*signed("2024-12-16", "2024-12-16"),
                         {"rol": "getuige", "datum": "2025-06-01"}]}, False),
]  # fmt: skip


def cases() -> Iterator[tuple[str, F, str, dict[str, Any], dict[str, Any], bool]]:
    for act in k.CDE_ACTIVITIES:
        for code, label, reg, changes, expected in CASES:
            yield f"{act}: {code.value}: {label}", code, act, reg, changes, expected


ALL = list(cases())


@pytest.mark.parametrize(
    ("label", "code", "activity", "reg", "changes", "expected"), ALL, ids=[c[0] for c in ALL]
)
def test_declaration_rules(
    label: str,
    code: F,
    activity: str,
    reg: dict[str, Any],
    changes: dict[str, Any],
    expected: bool,
) -> None:
    registration = k.for_activity(activity, **reg)
    docs = k.replace(k.documents(activity), k.declaration(**changes))
    assert (code in k.codes(registration, docs)) is expected


def test_every_code_passes_fails_and_is_not_applicable() -> None:
    for code in {c[0] for c in CASES}:
        seen = {(c[4], "n/a" in c[1]) for c in CASES if c[0] is code}
        assert {(True, False), (False, False), (False, True)} <= seen, code


def _one(code: F, changes: dict[str, Any], activity: str = "D", **reg: Any) -> Finding:
    docs = k.replace(k.documents(activity), k.declaration(**changes))
    [found] = [f for f in k.findings(k.for_activity(activity, **reg), docs) if f.code is code]
    return found


def test_trainer_finding_expects_the_registered_trainer() -> None:
    assert _one(F.TRAINER_NAME_MISSING, {"opleider": k.ABSENT}).expected == "Zorgacademie Noord"
    unnamed = _one(F.TRAINER_NAME_MISSING, {"opleider": k.ABSENT}, "C", opleider=None)
    assert unnamed.expected == "naam opleider"


@pytest.mark.parametrize(
    ("changes", "names", "found"),
    [
        ({"handtekeningen": signed("2024-12-16", None)}, "de docent", "deelnemer"),
        ({"handtekeningen": signed(None, "2024-12-16")}, "de deelnemer", "docent"),
        ({"handtekeningen": None, "signature_count": 1}, "de deelnemer of de docent",
         "1 handtekening"),
    ],
)  # fmt: skip
def test_missing_signature_names_who(changes: dict[str, Any], names: str, found: str) -> None:
    missing = _one(F.SIGNATURES_MISSING, changes, "E")
    assert f"ontbreekt de handtekening van {names}." in missing.message
    assert (missing.expected, missing.found) == ("deelnemer, docent", found)
    assert missing.page == 1 and missing.bbox is not None  # where the rows or the count are


def test_the_earliest_early_and_the_most_overdue_late_signature_are_reported() -> None:
    early = _one(F.SIGNED_TOO_EARLY, own("2024-11-25", "2024-11-20"))
    assert early.found == "2024-11-20" and "De docent" in early.message
    # participant on day 31 (17 days over), teacher on day 32 (4 days over)
    late = _one(F.SIGNED_TOO_LATE, own("2024-12-30", "2024-12-31"))
    assert (late.expected, late.found) == ("<= 2024-12-13", "2024-12-30")
    assert "De deelnemer" in late.message and "14 dagen" in late.message


def test_late_signature_is_measured_from_the_printed_end() -> None:
    late = _one(F.SIGNED_TOO_LATE, own("2024-12-13", "2024-12-28"))
    assert (late.expected, late.found) == ("<= 2024-12-27", "2024-12-28")
    assert "De docent" in late.message and "29-11-2024" in late.message
    assert "28 dagen" in late.message and "4 weken" in late.message


def test_early_signature_names_the_printed_end() -> None:
    early = _one(F.SIGNED_TOO_EARLY, own("2024-11-28", OWN_END), "E")
    assert (early.expected, early.found) == (">= 2024-11-29", "2024-11-28")
    assert "De deelnemer" in early.message and "29-11-2024" in early.message


def test_declaration_in_the_prestatiebewijs_slot_is_checked_too() -> None:
    """At C, D and E the declaration is valid in either slot (it is the only valid evidence)."""
    for act in k.CDE_ACTIVITIES:
        moved = k.declaration(slot=Slot.PRESTATIEBEWIJS, **NO_MARKS)
        docs = [d for d in k.documents(act) if d.classified is not None
                and d.classified.doc_type is not DocType.PRESTATIEVERKLARING]  # fmt: skip
        assert k.codes(k.for_activity(act), [*docs, moved]) == {F.LETTERHEAD_MISSING}, act
