"""Crebo numbers: labels, OCR noise after a label, and every kind of look-alike number."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.parsers.crebo import find_crebos


@pytest.mark.parametrize(
    "text",
    [
        "Crebo 25491",
        "Crebo: 25491",
        "crebonummer: 25491",
        "Crebonummer 25491",
        "crebo-nr. 25491",
        "CREBO NR: 25491",
        "Kwalificatie: 25491",
        "Kwalificatiedossier 25491",
        "Opleidingscode: 25491",
        "Opleiding: Verzorgende-IG niveau 3 (crebo 25491)",
        "Kwalificatie: Verzorgende IG, 25491",
        "Verzorgende IG (25491)",
        "Crebonummer\n25491",
    ],
)
def test_labelled_crebo(text: str) -> None:
    [match] = find_crebos(text)
    assert (match.value, match.labelled) == ("25491", True)
    assert text[match.start : match.end] == match.text


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("crebonummer: 25 491", "25 491"),
        ("Crebo: 2549l", "2549l"),
        ("Crebo: 2549I", "2549I"),
        ("Crebo: 254 91", "254 91"),
        ("Crebo: 2O491", "2O491"),
    ],
)
def test_ocr_noise_directly_after_a_label(text: str, written: str) -> None:
    [match] = find_crebos(text)
    assert match.labelled
    assert match.text == written
    assert match.value == written.replace(" ", "").replace("l", "1").replace("I", "1").replace(
        "O", "0"
    )


def test_space_inside_is_refused_without_a_label() -> None:
    assert find_crebos("Nummer 25 491") == []
    assert find_crebos("Opleiding 2549l") == []


def test_unlabelled_five_digit_number_is_flagged() -> None:
    [match] = find_crebos("Verzorgende IG, 25491 BBL")
    assert (match.value, match.labelled) == ("25491", False)


def test_labelled_and_unlabelled_on_one_page() -> None:
    text = "Praktijkovereenkomst 10234\nCrebo: 25491\nPostcode 9712 CP"
    assert [(c.value, c.labelled) for c in find_crebos(text)] == [
        ("10234", False),
        ("25491", True),
    ]


def test_dossier_and_qualification_both_found() -> None:
    found = find_crebos("Kwalificatiedossier 23187, kwalificatie 25491")
    assert [(c.value, c.labelled) for c in found] == [("23187", True), ("25491", True)]


@pytest.mark.parametrize(
    "text",
    [
        "9712 CP Groningen",
        "Tel: 050-5951234",
        "Tel 050 - 59512",
        "+31 6 12345678",
        "06 12345 678",
        "NL91 ABNA 0417 1643 00",
        "NL91ABNA0417164300",
        "Bedrag 25.491,00",
        "€ 25491",
        "€25491",
        "25491 EUR",
        "25491,00",
        "25491,-",
        "01-09-2024",
        "KvK 12345678",
        "BSN 123456782",
        "Personeelsnummer: 25491",
        "Registratienummer 25491",
        "Postbus 12345",
        "Uw kenmerk 25491",
        "Factuurnummer 25491",
        "123456",
        "Crebo: 1234567",
        "Crebo: 254910",
        "Crebo 06-12345",
        "Nummer 35491",  # unlabelled and not starting with 1, 2 or 9
        "ABC25491",
        "25491AB",
    ],
)
def test_look_alikes_are_refused(text: str) -> None:
    assert find_crebos(text) == []


@settings(max_examples=200, deadline=None)
@given(st.integers(10000, 99999), st.sampled_from(["Crebo: ", "crebonummer ", "Crebo-nr. "]))
def test_any_crebo_after_a_label_is_labelled(number: int, label: str) -> None:
    text = f"Opleiding Verzorgende IG\n{label}{number}\nNiveau 3"
    [match] = find_crebos(text)
    assert (match.value, match.labelled) == (str(number), True)
    assert text[match.start : match.end] == str(number)


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet="0123456789", min_size=1, max_size=14).filter(lambda s: len(s) != 5),
    st.sampled_from(["", "Crebo: ", "Kwalificatie ", "Nummer "]),
)
def test_digit_runs_of_other_lengths_never_yield_a_crebo(digits: str, prefix: str) -> None:
    assert find_crebos(f"{prefix}{digits} ") == []
