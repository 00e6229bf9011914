"""DUPLICATE_PARTICIPANT: the same participant (name and birth date) for the same education
(crebo; for trainings without crebo the education's name) in another registration of the
batch. Both registrations get it; across variants too (a V1–V3 participant may not be
registered again for the same education in V4). Not judged in a single-upload pre-screen."""

from __future__ import annotations

from checks._match import same_person, words
from checks.base import Context, finding, rule
from core.enums import FindingCode, Severity
from core.model import Finding
from core.registration import Registration

MESSAGE = (
    "Deze deelnemer staat met dezelfde geboortedatum en dezelfde opleiding ook in registratie "
    "{others}. Een deelnemer mag maar één keer worden opgevoerd voor dezelfde opleiding (ook "
    "niet opnieuw in variant 4 na variant 1, 2 of 3). Trek een van de registraties in."
)


def same_education(a: Registration, b: Registration) -> bool:
    if a.crebo or b.crebo:
        return a.crebo == b.crebo
    return bool(a.opleiding and b.opleiding) and words(a.opleiding or "") == words(
        b.opleiding or ""
    )


def is_duplicate(a: Registration, b: Registration) -> bool:
    return (
        a.registratie_id != b.registratie_id
        and a.geboortedatum is not None
        and a.geboortedatum == b.geboortedatum
        and same_education(a, b)
        and (same_person(a.deelnemer, b.deelnemer) or same_person(b.deelnemer, a.deelnemer))
    )


@rule(
    code=FindingCode.DUPLICATE_PARTICIPANT,
    severity=Severity.ERROR,
    columns=("deelnemer", "geboortedatum", "crebo", "opleiding"),
    applies=lambda ctx: not ctx.single_upload and ctx.registration.geboortedatum is not None,
)
def duplicate_participant(ctx: Context) -> list[Finding]:
    reg = ctx.registration
    others = [o.registratie_id for o in ctx.batch.registrations if is_duplicate(reg, o)]
    if not others:
        return []
    message = MESSAGE.format(others=", ".join(others))
    return [
        finding(
            FindingCode.DUPLICATE_PARTICIPANT,
            message,
            expected="één registratie",
            found=", ".join([reg.registratie_id, *others]),
        )
    ]
