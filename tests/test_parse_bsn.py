"""BSN detection: the 11-test, the label window, and look-alike numbers that must stay silent."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.parsers.bsn import bsn_present, find_bsns

VALID = "123456782"  # passes the 11-test
VALID_8 = "12345672"  # 012345672 passes the 11-test
INVALID = "123456789"

SEPARATED = {
    "plain": lambda d: d,
    "dots 4-2-3": lambda d: f"{d[:4]}.{d[4:6]}.{d[6:]}",
    "spaces": lambda d: f"{d[:3]} {d[3:6]} {d[6:]}",
    "dashes": lambda d: f"{d[:3]}-{d[3:6]}-{d[6:]}",
    "dots 3-3-3": lambda d: f"{d[:3]}.{d[3:6]}.{d[6:]}",
}
LABELS = [
    "BSN",
    "BSN:",
    "Burgerservicenummer:",
    "BSN-nummer",
    "Sofinummer",
    "sofi-nr.",
    "Sofi nummer",
    "BSN/sofinr",
]


@pytest.mark.parametrize("label", LABELS)
@pytest.mark.parametrize("style", list(SEPARATED))
def test_labelled_bsn_in_every_style(label: str, style: str) -> None:
    written = SEPARATED[style](VALID)
    text = f"Loonstrook september 2024\n{label} {written}\nLoonheffing"
    match = bsn_present(text)
    assert match is not None
    assert (match.digits, match.text, match.labelled) == (VALID, written, True)
    assert text[match.start : match.end] == written


@pytest.mark.parametrize(
    "text",
    [
        f"BSN\n{VALID}",  # table header on the line above
        f"{VALID}\nBurgerservicenummer",  # caption on the line below
        f"Burgerservicenummer ......................................... {VALID}",
        f"Naam: J. de Vries   BSN: {VALID}   Geboortedatum: 12-03-1990",
    ],
)
def test_label_window(text: str) -> None:
    assert bsn_present(text) is not None


def test_eight_digits_only_under_a_label() -> None:
    match = bsn_present(f"BSN {VALID_8}")
    assert match is not None and match.digits == "0" + VALID_8
    assert find_bsns(f"KvK {VALID_8}") == []
    assert find_bsns(VALID_8) == []


def test_invalid_checksum_is_not_a_bsn() -> None:
    assert find_bsns(f"BSN {INVALID}") == []


@pytest.mark.parametrize(
    "text",
    [
        VALID,  # no label
        f"BSN\nadres\n{VALID}",  # label two lines away
        f"Personeelsnummer {VALID}",
        f"Werknemersnummer: {VALID}\nBSN: *********",
        f"BSN: *********  Personeelsnr: {VALID}",
        f"BSN: *********\nPersoneelsnummer: {VALID}",
        f"BSN: {'x' * 60} {VALID}",  # too far on the same line
        f"Sofie de Vries {VALID}",  # a name, not the sofi label
        "BSN NL91ABNA0417164300",
        "IBAN NL91 ABNA 0417 1643 00",
        "BSN 0612345678",
        "BSN: +31612345678",
        "BSN 06-12345678",
        "BSN 06 123 456 789",
        f"BSN NL{VALID}B01",  # VAT number
        f"BSN {VALID}L01",  # loonheffingennummer
        "BSN *********",
        "BSN XXX-XX-1234",
        "BSN 123.45.***",
        "BSN 1234*****",
        f"BSN {VALID}*",
        "BSN 2.345,67",
        "BSN 123456,78",
        f"BSN {VALID},00",
        "BSN 01-09-2024",
        "BSN 9712 CP",
    ],
)
def test_no_bsn_present(text: str) -> None:
    assert bsn_present(text) is None


def test_unlabelled_valid_number_is_reported_but_not_present() -> None:
    [match] = find_bsns(f"Personeelsnummer {VALID}")
    assert not match.labelled
    assert bsn_present(f"Personeelsnummer {VALID}") is None


def check_digit(body: str) -> int:
    """The last digit that makes `body` + digit pass the 11-test (10 means: no such digit)."""
    return sum((9 - i) * int(ch) for i, ch in enumerate(body)) % 11


VALID_BSNS = (
    st.text(alphabet="0123456789", min_size=8, max_size=8)
    .map(lambda body: (body, check_digit(body)))
    .filter(lambda pair: pair[1] < 10 and int(pair[0]) > 0)
    .map(lambda pair: pair[0] + str(pair[1]))
)


@settings(max_examples=200, deadline=None)
@given(VALID_BSNS, st.sampled_from(list(SEPARATED)), st.sampled_from(LABELS))
def test_random_valid_bsn_is_found_under_a_label(digits: str, style: str, label: str) -> None:
    match = bsn_present(f"Werknemer J. de Vries\n{label} {SEPARATED[style](digits)}\nPeriode 9")
    assert match is not None and match.digits == digits


@settings(max_examples=200, deadline=None)
@given(
    VALID_BSNS,
    st.sampled_from(list(SEPARATED)),
    st.sampled_from(["Nummer", "Personeelsnummer", "Registratie", "Totaal"]),
)
def test_random_valid_bsn_without_label_is_not_present(digits: str, style: str, word: str) -> None:
    assert bsn_present(f"Werknemer J. de Vries\n{word} {SEPARATED[style](digits)}\nEinde") is None
