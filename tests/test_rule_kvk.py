"""Project-document rules (V4): the KvK extract's date and the registered signatory."""

from __future__ import annotations

import pytest

from core.enums import FindingCode
from core.model import ProcessedDocument
from core.registration import Registration
from tests import rulekit as k

F = FindingCode
SIGNER = k.registration(tekenbevoegde="Peter Bakker")

CASES: list[tuple[str, F, Registration, ProcessedDocument, bool]] = [
    ("extract of 2024", F.KVK_EXTRACT_TOO_OLD, SIGNER, k.kvk(kvk_datum="2024-01-01"), False),
    ("extract of 2023", F.KVK_EXTRACT_TOO_OLD, SIGNER, k.kvk(kvk_datum="2023-12-31"), True),
    ("date not read n/a", F.KVK_EXTRACT_TOO_OLD, SIGNER, k.kvk(kvk_datum=None), False),
    ("signatory among the directors", F.SIGNATORY_NOT_ON_KVK, SIGNER,
     k.kvk(bestuurders=["Bakker, Peter", "A. Smit"]), False),
    ("signatory not on the extract", F.SIGNATORY_NOT_ON_KVK, SIGNER,
     k.kvk(bestuurders=["A. Smit"]), True),
    ("no signatory registered n/a", F.SIGNATORY_NOT_ON_KVK, k.registration(),
     k.kvk(bestuurders=["A. Smit"]), False),
    ("directors not read n/a", F.SIGNATORY_NOT_ON_KVK, SIGNER, k.kvk(bestuurders=None), False),
    ("no directors on the extract", F.SIGNATORY_NOT_ON_KVK, SIGNER, k.kvk(bestuurders=[]), True),
]  # fmt: skip


@pytest.mark.parametrize(
    ("label", "code", "reg", "new", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_kvk_rules(
    label: str, code: F, reg: Registration, new: ProcessedDocument, expected: bool
) -> None:
    assert (code in k.codes(reg, [*k.a_documents(), new])) is expected


def test_signatory_finding_lists_the_directors_found() -> None:
    for directors, shown in ((["A. Smit", "B. de Groot"], "A. Smit, B. de Groot"),
                             ([], "geen bestuurders")):  # fmt: skip
        docs = [*k.a_documents(), k.kvk(bestuurders=directors)]
        [found] = [f for f in k.findings(SIGNER, docs) if f.code is F.SIGNATORY_NOT_ON_KVK]
        assert (found.expected, found.found) == ("Peter Bakker", shown)
        assert f"(gevonden: {shown})" in found.message
