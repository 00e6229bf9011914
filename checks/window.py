"""START_BEFORE_WINDOW / END_AFTER_WINDOW: the registered dates must lie in the variant's
window (webinar slide "Veel gemaakte fouten"; latest end differs for A/B and C/D/E)."""

from __future__ import annotations

from datetime import date

from checks._format import nl
from checks.base import AB, Context, finding, rule
from core.enums import FindingCode, Severity, Variant
from core.model import Finding

EARLIEST = {
    Variant.V1: date(2022, 8, 22),
    Variant.V2: date(2022, 9, 30),
    Variant.V3: date(2023, 8, 21),
    Variant.V4: date(2024, 8, 19),
}
LATEST_AB = {
    Variant.V1: date(2024, 8, 31),
    Variant.V2: date(2024, 8, 31),
    Variant.V3: date(2024, 8, 31),
    Variant.V4: date(2025, 12, 31),
}
LATEST_CDE = {
    Variant.V1: date(2023, 8, 31),
    Variant.V2: date(2023, 8, 31),
    Variant.V3: date(2024, 8, 31),
    Variant.V4: date(2025, 12, 31),
}

START = (
    "De startdatum {found} ligt vóór de vroegste startdatum van variant {var} ({expected}). "
    "Controleer de startdatum in de registratie; een opleiding die eerder is gestart, valt "
    "niet onder deze variant."
)
END = (
    "De einddatum {found} ligt na de laatste einddatum van variant {var} voor activiteit "
    "{act} ({expected}). Vul als einddatum uiterlijk {expected} in (de laatste subsidiabele "
    "dag) en upload de bijbehorende loonstrook eind."
)


def latest_end(ctx: Context) -> date:
    table = LATEST_AB if ctx.activity in AB else LATEST_CDE
    return table[ctx.registration.variant]


@rule(
    code=FindingCode.START_BEFORE_WINDOW,
    severity=Severity.ERROR,
    columns=("startdatum", "variant"),
)
def start_before_window(ctx: Context) -> list[Finding]:
    reg = ctx.registration
    earliest = EARLIEST[reg.variant]
    if reg.startdatum >= earliest:
        return []
    message = START.format(found=nl(reg.startdatum), var=reg.variant.value, expected=nl(earliest))
    return [
        finding(
            FindingCode.START_BEFORE_WINDOW,
            message,
            expected=earliest.isoformat(),
            found=reg.startdatum.isoformat(),
        )
    ]


@rule(
    code=FindingCode.END_AFTER_WINDOW,
    severity=Severity.ERROR,
    columns=("einddatum", "variant", "activiteit"),
)
def end_after_window(ctx: Context) -> list[Finding]:
    reg = ctx.registration
    latest = latest_end(ctx)
    if reg.einddatum <= latest:
        return []
    message = END.format(
        found=nl(reg.einddatum), var=reg.variant.value, act=reg.activiteit.value,
        expected=nl(latest),
    )  # fmt: skip
    return [
        finding(
            FindingCode.END_AFTER_WINDOW,
            message,
            expected=latest.isoformat(),
            found=reg.einddatum.isoformat(),
        )
    ]
