"""DOCUMENT_MISSING: every required slot of the activity holds a file (CONTRACT, "Required
slots"). A slot whose file was refused or unreadable already has its root-cause finding and
counts as filled. Not judged in a single-upload pre-screen."""

from __future__ import annotations

from checks._format import SLOT_NAMES, the
from checks.base import AB, CDE, Context, finding, rule
from core.enums import FindingCode, Severity, Slot
from core.model import Finding

AB_SLOTS = (Slot.PRAKTIJKOVEREENKOMST, Slot.LOONSTROOK_START, Slot.LOONSTROOK_EIND,
            Slot.PRESTATIEBEWIJS)  # fmt: skip
CDE_SLOTS = (Slot.PRESTATIEVERKLARING, Slot.LOONSTROOK_START)
B_ROUTE = (Slot.OPLEIDINGSOVEREENKOMST, Slot.BEWIJS_VAN_INSCHRIJVING)

MESSAGE = "Het vakje {slot} is leeg. Upload {the_slot} (PDF of JPG) bij deze registratie."
B_MESSAGE = (
    "Het vakje praktijkovereenkomst is leeg. Upload de praktijkovereenkomst, of (bij HBO "
    "zonder praktijkovereenkomst) een studie- of opleidingsovereenkomst samen met een bewijs "
    "van inschrijving van de school."
)


def _filled(ctx: Context, slot: Slot) -> bool:
    if ctx.in_slot(slot):
        return True
    # at C, D, E a declaration put in the prestatiebewijs slot still counts (base._CDE_ACCEPTS)
    return (
        slot is Slot.PRESTATIEVERKLARING
        and ctx.activity in CDE
        and bool(ctx.in_slot(Slot.PRESTATIEBEWIJS))
    )


def missing_slots(ctx: Context) -> list[Slot]:
    """Required slots without a file, with B's alternative route for the agreement."""
    required = AB_SLOTS if ctx.activity in AB else CDE_SLOTS
    missing = [s for s in required if not _filled(ctx, s)]
    if ctx.activity.value == "B" and Slot.PRAKTIJKOVEREENKOMST in missing:
        route = [s for s in B_ROUTE if not _filled(ctx, s)]
        if len(route) < len(B_ROUTE):  # the B route was started: ask for its other half
            missing = [s for s in missing if s is not Slot.PRAKTIJKOVEREENKOMST] + route
    return missing


@rule(
    code=FindingCode.DOCUMENT_MISSING,
    severity=Severity.ERROR,
    columns=("activiteit",),
    applies=lambda ctx: not ctx.single_upload,
)
def document_missing(ctx: Context) -> list[Finding]:
    out = []
    for slot in missing_slots(ctx):
        b_pok = ctx.activity.value == "B" and slot is Slot.PRAKTIJKOVEREENKOMST
        message = (
            B_MESSAGE
            if b_pok
            else MESSAGE.format(slot=SLOT_NAMES[slot], the_slot=the(SLOT_NAMES[slot]))
        )
        out.append(finding(FindingCode.DOCUMENT_MISSING, message, slot=slot, expected=slot.value))
    return out
