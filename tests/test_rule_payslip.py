"""Payslip rules: the month of the start and end payslip, anonymisation and the employer."""

from __future__ import annotations

from datetime import date

import pytest

from core.enums import FindingCode, Slot
from core.model import ProcessedDocument
from core.registration import Registration
from tests import rulekit as k

F = FindingCode
START, END = Slot.LOONSTROOK_START, Slot.LOONSTROOK_EIND

CASES: list[tuple[str, F, Registration, ProcessedDocument, bool]] = [
    # PAYSLIP_MONTH_MISMATCH
    ("start month of the education", F.PAYSLIP_MONTH_MISMATCH, k.registration(),
     k.payslip(START, loonstrook_maand="2024-09"), False),
    ("start payslip a month late", F.PAYSLIP_MONTH_MISMATCH, k.registration(),
     k.payslip(START, loonstrook_maand="2024-10"), True),
    ("start: employed later than the start", F.PAYSLIP_MONTH_MISMATCH,
     k.registration(datum_in_dienst=date(2024, 11, 4)),
     k.payslip(START, loonstrook_maand="2024-11"), False),
    ("start: employed later, payslip of the start month", F.PAYSLIP_MONTH_MISMATCH,
     k.registration(datum_in_dienst=date(2024, 11, 4)),
     k.payslip(START, loonstrook_maand="2024-09"), True),
    ("end month of the registered end", F.PAYSLIP_MONTH_MISMATCH, k.registration(),
     k.payslip(END, loonstrook_maand="2025-07"), False),
    ("end payslip two months early", F.PAYSLIP_MONTH_MISMATCH, k.registration(),
     k.payslip(END, loonstrook_maand="2025-05"), True),
    ("month not read: n/a", F.PAYSLIP_MONTH_MISMATCH, k.registration(),
     k.payslip(END, loonstrook_maand=None), False),
    # four-weekly periods (CONTRACT): the required month overlapping the period is no mismatch
    ("four weeks mostly in october, starting in september", F.PAYSLIP_MONTH_MISMATCH,
     k.registration(), k.payslip(START, loonstrook_maand="2024-10",
                                 loonstrook_periode={"van": "2024-09-23", "tot": "2024-10-20"}),
     False),
    ("four weeks wholly in october", F.PAYSLIP_MONTH_MISMATCH, k.registration(),
     k.payslip(START, loonstrook_maand="2024-10",
               loonstrook_periode={"van": "2024-10-01", "tot": "2024-10-28"}), True),
    # PAYSLIP_NOT_ANONYMISED
    ("no bsn", F.PAYSLIP_NOT_ANONYMISED, k.registration(), k.payslip(START), False),
    ("bsn readable", F.PAYSLIP_NOT_ANONYMISED, k.registration(),
     k.payslip(START, bsn_present=True), True),
    ("bsn not checked: n/a", F.PAYSLIP_NOT_ANONYMISED, k.registration(),
     k.payslip(START, bsn_present=None), False),
    # PAYSLIP_EMPLOYER_MISMATCH
    ("employer without legal form", F.PAYSLIP_EMPLOYER_MISMATCH, k.registration(),
     k.payslip(START, werkgever="ZORGGROEP NOORD"), False),
    ("other employer", F.PAYSLIP_EMPLOYER_MISMATCH, k.registration(),
     k.payslip(START, werkgever="Thuiszorg Zuid B.V."), True),
    ("employer not read: n/a", F.PAYSLIP_EMPLOYER_MISMATCH, k.registration(),
     k.payslip(START, werkgever=None), False),
]  # fmt: skip


@pytest.mark.parametrize(
    ("label", "code", "reg", "slip", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_payslip_rules(
    label: str, code: F, reg: Registration, slip: ProcessedDocument, expected: bool
) -> None:
    assert (code in k.codes(reg, k.replace(k.a_documents(), slip))) is expected


def test_bsn_finding_never_shows_the_number() -> None:
    slip = k.payslip(START, bsn_present=True)
    slip.fields["bsn_present"].source_text = "BSN 111222333"
    [finding] = [
        f
        for f in k.findings(k.registration(), k.replace(k.a_documents(), slip))
        if f.code is F.PAYSLIP_NOT_ANONYMISED
    ]
    assert "111222333" not in finding.model_dump_json()
    assert finding.bbox is not None


def test_month_message_names_both_months() -> None:
    slip = k.payslip(START, loonstrook_maand="2024-10")
    [finding] = [
        f
        for f in k.findings(k.registration(), k.replace(k.a_documents(), slip))
        if f.code is F.PAYSLIP_MONTH_MISMATCH
    ]
    assert "oktober 2024" in finding.message and "september 2024" in finding.message
    assert (finding.expected, finding.found) == ("2024-09", "2024-10")


def test_a_bsn_guessed_by_ocr_is_no_proof_but_goes_to_review() -> None:
    from core.report import is_uncertain, report_document

    slip = k.payslip(START, bsn_present=True)
    slip.fields["bsn_present"].confidence = 0.17  # "*****9077" read as 8 digits at 0.18
    docs = k.replace(k.a_documents(), slip)
    assert F.PAYSLIP_NOT_ANONYMISED not in k.codes(k.registration(), docs)
    read = report_document(slip).model_copy(update={"pages": 1})
    assert is_uncertain(read)  # the verdict is review, not approve
    slip.fields["bsn_present"].confidence = 0.9
    assert F.PAYSLIP_NOT_ANONYMISED in k.codes(k.registration(), docs)
