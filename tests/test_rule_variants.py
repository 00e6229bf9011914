"""The variant windows for every variant (V1–V4) and every activity (A–E), and what follows
from them: START_BEFORE_WINDOW and END_AFTER_WINDOW on each side of each limit, the end payslip
when the registered end lies after the window, and duplicates across variants.

Every date here is worked out by hand from RULES.md "Variant windows" (the webinar slide "Veel
gemaakte fouten": V1 22-8-2022, V2 30-9-2022, V3 21-8-2023, V4 19-8-2024; A and B end by
31-8-2024, C by 31-8-2023 for V1 and V2, all activities by 31-8-2024 in V3 and 31-12-2025 in
V4), never read from checks/window.py: a wrong limit there must fail a case here. The window
rules apply to every registration; they have no 'not applicable' case."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from core.enums import FindingCode, Slot
from core.registration import Registration
from tests import rulekit as k

F = FindingCode
END_SLIP = Slot.LOONSTROOK_EIND

# variant: (earliest start, the day before it,
#           latest end at A/B, the day after it, latest end at C/D/E, the day after it)
WINDOWS = {
    "V1": (date(2022, 8, 22), date(2022, 8, 21),
           date(2024, 8, 31), date(2024, 9, 1), date(2023, 8, 31), date(2023, 9, 1)),
    "V2": (date(2022, 9, 30), date(2022, 9, 29),
           date(2024, 8, 31), date(2024, 9, 1), date(2023, 8, 31), date(2023, 9, 1)),
    "V3": (date(2023, 8, 21), date(2023, 8, 20),
           date(2024, 8, 31), date(2024, 9, 1), date(2024, 8, 31), date(2024, 9, 1)),
    "V4": (date(2024, 8, 19), date(2024, 8, 18),
           date(2025, 12, 31), date(2026, 1, 1), date(2025, 12, 31), date(2026, 1, 1)),
}  # fmt: skip


def in_variant(variant: str, activity: str, start: date, end: date) -> Registration:
    """`activity` in `variant` from `start` to `end`, employed two weeks before the start."""
    return k.for_activity(
        activity,
        variant=variant,
        startdatum=start,
        einddatum=end,
        datum_in_dienst=start - timedelta(days=14),
    )


def limits(variant: str, activity: str) -> tuple[date, date, date, date]:
    """(first start, day before, last end, day after) of `variant` for `activity`."""
    first, early, last_ab, late_ab, last_cde, late_cde = WINDOWS[variant]
    if activity in k.AB_ACTIVITIES:
        return first, early, last_ab, late_ab
    return first, early, last_cde, late_cde


def window_cases() -> Iterator[tuple[str, Registration, set[F]]]:
    for variant in WINDOWS:
        for act in k.ACTIVITIES:
            first, early, last, late = limits(variant, act)
            yield f"{variant} {act} whole window", in_variant(variant, act, first, last), set()
            yield (f"{variant} {act} start {early}", in_variant(variant, act, early, last),
                   {F.START_BEFORE_WINDOW})  # fmt: skip
            yield (f"{variant} {act} end {late}", in_variant(variant, act, first, late),
                   {F.END_AFTER_WINDOW})  # fmt: skip


WINDOW_CASES = list(window_cases())


@pytest.mark.parametrize(
    ("label", "reg", "expected"), WINDOW_CASES, ids=[c[0] for c in WINDOW_CASES]
)
def test_variant_window(label: str, reg: Registration, expected: set[F]) -> None:
    """Documents that follow the registration: only the window rules can find anything."""
    assert k.codes(reg, k.documents_for(reg)) == expected


def test_every_variant_and_activity_is_covered() -> None:
    covered = {(r.variant.value, r.activiteit.value) for _, r, _ in WINDOW_CASES}
    assert covered == {(v, a) for v in k.VARIANTS for a in k.ACTIVITIES}


def test_window_messages_name_the_variant_the_limit_and_the_activity() -> None:
    late = in_variant("V2", "D", date(2022, 9, 30), date(2023, 9, 1))
    [end] = k.findings(late, k.documents_for(late))
    assert (end.expected, end.found) == ("2023-08-31", "2023-09-01")
    assert "variant V2" in end.message and "activiteit D" in end.message
    assert "31-08-2023" in end.message
    early = in_variant("V3", "B", date(2023, 8, 20), date(2024, 8, 31))
    [start] = k.findings(early, k.documents_for(early))
    assert (start.expected, start.found) == ("2023-08-21", "2023-08-20")
    assert "variant V3" in start.message and "21-08-2023" in start.message


# The end payslip: the month of the registered end, or of the window's last day when the
# registered end lies after the window (RULES.md "Payslips"; CONTRACT). Per variant and group:
# (registered end after the window, its month, the window's last month, a month between).
AFTER = {
    ("V1", "AB"): (date(2024, 11, 30), "2024-11", "2024-08", "2024-10"),
    ("V1", "CDE"): (date(2023, 11, 30), "2023-11", "2023-08", "2023-10"),
    ("V2", "AB"): (date(2024, 11, 30), "2024-11", "2024-08", "2024-10"),
    ("V2", "CDE"): (date(2023, 11, 30), "2023-11", "2023-08", "2023-10"),
    ("V3", "AB"): (date(2024, 11, 30), "2024-11", "2024-08", "2024-10"),
    ("V3", "CDE"): (date(2024, 11, 30), "2024-11", "2024-08", "2024-10"),
    ("V4", "AB"): (date(2026, 3, 31), "2026-03", "2025-12", "2026-02"),
    ("V4", "CDE"): (date(2026, 3, 31), "2026-03", "2025-12", "2026-02"),
}
LATE, WRONG = {F.END_AFTER_WINDOW}, {F.END_AFTER_WINDOW, F.PAYSLIP_MONTH_MISMATCH}


def payslip_cases() -> Iterator[tuple[str, Registration, str, set[F]]]:
    for (variant, group), (end, end_month, window_month, between) in AFTER.items():
        for act in k.AB_ACTIVITIES if group == "AB" else k.CDE_ACTIVITIES:
            reg = in_variant(variant, act, WINDOWS[variant][0], end)
            yield f"{variant} {act} ends {end}: slip of {end_month}", reg, end_month, LATE
            yield f"{variant} {act} ends {end}: slip of {window_month}", reg, window_month, LATE
            yield f"{variant} {act} ends {end}: slip of {between}", reg, between, WRONG
    # C, D and E end a year earlier than A and B in V1 and V2: A/B's last month is no excuse
    for variant in ("V1", "V2"):
        for act in k.CDE_ACTIVITIES:
            reg = in_variant(variant, act, WINDOWS[variant][0], date(2024, 11, 30))
            yield f"{variant} {act} ends 2024-11-30: slip of 2023-08", reg, "2023-08", LATE
            yield f"{variant} {act} ends 2024-11-30: A/B's 2024-08", reg, "2024-08", WRONG
    # inside the window only the registered end's month counts, not the window's last
    for act, variant, end, window_month in (("A", "V3", date(2024, 6, 30), "2024-08"),
                                           ("C", "V4", date(2025, 6, 30), "2025-12")):  # fmt: skip
        reg = in_variant(variant, act, WINDOWS[variant][0], end)
        yield (
            f"{variant} {act} ends {end}: slip of {window_month}",
            reg,
            window_month,
            {F.PAYSLIP_MONTH_MISMATCH},
        )


PAYSLIP_CASES = list(payslip_cases())


@pytest.mark.parametrize(
    ("label", "reg", "month", "expected"), PAYSLIP_CASES, ids=[c[0] for c in PAYSLIP_CASES]
)
def test_end_payslip_when_the_registration_ends_after_the_window(
    label: str, reg: Registration, month: str, expected: set[F]
) -> None:
    slip = k.payslip(END_SLIP, loonstrook_maand=month, datum_in_dienst=None)
    assert k.codes(reg, k.replace(k.documents_for(reg), slip)) == expected


def test_end_payslip_message_asks_for_the_registered_end_month() -> None:
    reg = in_variant("V2", "A", date(2022, 9, 30), date(2024, 11, 30))
    slip = k.payslip(END_SLIP, loonstrook_maand="2024-10")
    [month] = [
        f
        for f in k.findings(reg, k.replace(k.documents_for(reg), slip))
        if f.code is F.PAYSLIP_MONTH_MISMATCH
    ]
    assert (month.expected, month.found) == ("2024-11", "2024-10")
    assert "november 2024" in month.message and "oktober 2024" in month.message


@pytest.mark.parametrize("earlier", ["V1", "V2", "V3"])
@pytest.mark.parametrize("activity", k.ACTIVITIES)
def test_a_participant_of_v1_to_v3_may_not_return_in_v4(earlier: str, activity: str) -> None:
    """RULES.md top reason 5: not again for the same education in V4 (crebo at A and B, the
    training's name at C, D and E); another education is fine; a pre-screen cannot tell."""
    first, _, last, _ = limits(earlier, activity)
    old = in_variant(earlier, activity, first, last).model_copy(
        update={"registratie_id": "R0000999", "deelnemer": "J. de Vries"}
    )
    new = in_variant("V4", activity, date(2024, 9, 2), date(2025, 6, 30))
    docs = k.documents_for(new)
    assert F.DUPLICATE_PARTICIPANT in k.codes(new, docs, [old, new])
    assert F.DUPLICATE_PARTICIPANT in k.codes(old, k.documents_for(old), [old, new])
    changed = {"opleiding": "Dementiezorg", "crebo": "25498" if old.crebo else None}
    other = old.model_copy(update=changed)
    assert F.DUPLICATE_PARTICIPANT not in k.codes(new, docs, [other, new])
    assert F.DUPLICATE_PARTICIPANT not in k.codes(new, docs, [old, new], single_upload=True)
