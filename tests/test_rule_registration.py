"""Registration-level rules: variant windows, target group and duplicates in the batch."""

from __future__ import annotations

from datetime import date

import pytest

from core.enums import FindingCode
from core.registration import Registration
from tests import rulekit as k

F = FindingCode

CASES: list[tuple[str, F, Registration, bool]] = [
    # START_BEFORE_WINDOW
    ("start on the first day", F.START_BEFORE_WINDOW,
     k.registration(startdatum=date(2024, 8, 19)), False),
    ("start a day early", F.START_BEFORE_WINDOW,
     k.registration(startdatum=date(2024, 8, 18)), True),
    ("V1 start in 2022", F.START_BEFORE_WINDOW,
     k.registration(variant="V1", startdatum=date(2022, 9, 1), einddatum=date(2024, 8, 31)),
     False),
    # END_AFTER_WINDOW
    ("V4 end 31-12-2025", F.END_AFTER_WINDOW, k.registration(einddatum=date(2025, 12, 31)), False),
    ("V4 end 2026", F.END_AFTER_WINDOW, k.registration(einddatum=date(2026, 7, 31)), True),
    ("V1 A may end 31-08-2024", F.END_AFTER_WINDOW,
     k.registration(variant="V1", startdatum=date(2022, 9, 1), einddatum=date(2024, 8, 31)),
     False),
    ("V1 C must end by 31-08-2023", F.END_AFTER_WINDOW,
     k.c_registration(variant="V1", startdatum=date(2022, 9, 1), einddatum=date(2024, 8, 31)),
     True),
    # TARGET_GROUP_MISMATCH
    ("nieuwe instroom employed 2 weeks", F.TARGET_GROUP_MISMATCH, k.registration(), False),
    ("nieuwe instroom employed 6 years", F.TARGET_GROUP_MISMATCH,
     k.registration(datum_in_dienst=date(2018, 1, 1)), True),
    ("opscholing employed 6 years", F.TARGET_GROUP_MISMATCH,
     k.registration(doelgroep="opscholing", datum_in_dienst=date(2018, 1, 1)), False),
    ("opscholing employed 1 year", F.TARGET_GROUP_MISMATCH,
     k.registration(doelgroep="opscholing", datum_in_dienst=date(2023, 9, 1)), True),
    ("opscholing exactly two years", F.TARGET_GROUP_MISMATCH,
     k.registration(doelgroep="opscholing", datum_in_dienst=date(2022, 9, 1)), False),
    ("praktijkopleider n/a", F.TARGET_GROUP_MISMATCH,
     k.registration(doelgroep="praktijkopleider", datum_in_dienst=date(2024, 8, 1)), False),
    ("behoud n/a", F.TARGET_GROUP_MISMATCH,
     k.c_registration(doelgroep="behoud", datum_in_dienst=date(2024, 8, 1)), False),
]  # fmt: skip


@pytest.mark.parametrize(("label", "code", "reg", "expected"), CASES, ids=[c[0] for c in CASES])
def test_registration_rules(label: str, code: F, reg: Registration, expected: bool) -> None:
    docs = k.a_documents() if reg.activiteit.value in "AB" else k.c_documents()
    assert (code in k.codes(reg, docs)) is expected


def test_target_group_reads_the_payslip_when_the_registration_has_no_date() -> None:
    reg = k.registration(datum_in_dienst=None)
    long = k.replace(k.a_documents(), k.payslip(datum_in_dienst="2015-01-01"))
    assert F.TARGET_GROUP_MISMATCH in k.codes(reg, long)
    assert F.TARGET_GROUP_MISMATCH not in k.codes(reg, k.a_documents())
    no_date = k.replace(k.a_documents(), k.payslip(datum_in_dienst=None))
    no_date = k.replace(no_date, k.payslip(k.Slot.LOONSTROOK_EIND, datum_in_dienst=None))
    assert F.TARGET_GROUP_MISMATCH not in k.codes(reg, no_date)


FIRST = k.registration()
AGAIN_V3 = k.registration(
    registratie_id="R0000999",
    variant="V3",
    deelnemer="J. de Vries",
    startdatum=date(2023, 9, 1),
    einddatum=date(2024, 8, 31),
)

DUPLICATES: list[tuple[str, list[Registration], bool]] = [
    ("same person, birth date and crebo (V3 then V4)", [FIRST, AGAIN_V3], True),
    ("other crebo", [FIRST, AGAIN_V3.model_copy(update={"crebo": "25498"})], False),
    ("other birth date",
     [FIRST, AGAIN_V3.model_copy(update={"geboortedatum": date(1991, 3, 12)})], False),
    ("other person", [FIRST, AGAIN_V3.model_copy(update={"deelnemer": "Piet Jansen"})], False),
    ("alone in the batch", [FIRST], False),
    # one of the two names fits the other (a second given name): either way round counts
    ("a second given name on one of them",
     [FIRST, AGAIN_V3.model_copy(update={"deelnemer": "Jan Piet de Vries"})], True),
    # a crebo on one only: an MBO education and a training of the same name are not the same
    ("crebo on one of them only", [FIRST, AGAIN_V3.model_copy(update={"crebo": None})], False),
]  # fmt: skip


@pytest.mark.parametrize(("label", "batch", "expected"), DUPLICATES, ids=[d[0] for d in DUPLICATES])
def test_duplicate_participant(label: str, batch: list[Registration], expected: bool) -> None:
    for reg in batch:
        found = F.DUPLICATE_PARTICIPANT in k.codes(reg, k.a_documents(), batch)
        assert found is expected, reg.registratie_id


def test_duplicate_names_the_other_registration_and_is_skipped_in_a_prescreen() -> None:
    [finding] = [
        f
        for f in k.findings(FIRST, k.a_documents(), [FIRST, AGAIN_V3])
        if f.code is F.DUPLICATE_PARTICIPANT
    ]
    assert "R0000999" in finding.message
    skipped = k.codes(FIRST, k.a_documents(), [FIRST, AGAIN_V3], single_upload=True)
    assert F.DUPLICATE_PARTICIPANT not in skipped


def test_duplicate_without_crebo_compares_the_training() -> None:
    a = k.c_registration()
    b = k.c_registration(registratie_id="R0000777")
    other = k.c_registration(registratie_id="R0000778", opleiding="Dementiezorg")
    assert F.DUPLICATE_PARTICIPANT in k.codes(a, k.c_documents(), [a, b])
    assert F.DUPLICATE_PARTICIPANT not in k.codes(a, k.c_documents(), [a, other])
