"""The readers written for the first two fixture layouts stand only where their value is what
it claims to be: never a month (they took an anciënniteitsdatum for it), never a label word
("Praktijkopleider", "Adres") or a number for a name, never a volume without a number."""

from __future__ import annotations

import pytest

from core.fields import FieldName
from core.model import FieldValue
from extractors.fields import plausible

F = FieldName


def _value(value: str) -> FieldValue:
    return FieldValue(value=value, confidence=0.9, extractor="extractors.payslip")


@pytest.mark.parametrize(
    ("name", "value", "kept"),
    [
        (F.LOONSTROOK_MAAND, "2024-07", False),  # the layout-general reader alone reads it
        (F.WERKGEVER, "Zorggroep Oosterlicht", True),
        (F.WERKGEVER, "1518", False),  # Nmbrs' employer number
        (F.WERKGEVER, "Adres", False),
        (F.OPLEIDING, "Praktijkopleider", False),
        (F.LEERBEDRIJF, "School", False),
        (F.BPV_OMVANG, "duaal (voltijds werken en leren) 1500 uur", True),
        (F.BPV_OMVANG, "Bpv-begeleider J. Verbeek Dagen per week 2", False),
        (F.BPV_OMVANG, "gemiddeld per week", False),
        (F.STARTDATUM, "2024-09-01", True),  # dates are not filtered
    ],
)
def test_a_type_readers_value_stands_only_whenplausible(
    name: FieldName, value: str, kept: bool
) -> None:
    assert plausible(name, _value(value)) is kept
