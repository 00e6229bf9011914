"""Every finding code has a short Dutch label; an unknown code is shown as it is."""

from core.enums import FindingCode
from core.finding_labels import FINDING_LABELS, finding_label


def test_every_code_has_a_label() -> None:
    assert set(FINDING_LABELS) == set(FindingCode)
    assert all(label and label != code.value for code, label in FINDING_LABELS.items())
    assert len(set(FINDING_LABELS.values())) == len(FINDING_LABELS)  # no two codes alike


def test_label_of_a_code_and_of_an_unknown_one() -> None:
    assert finding_label("CREBO_MISMATCH") == "Crebo wijkt af"
    assert finding_label("SOMETHING_OLD") == "SOMETHING_OLD"
