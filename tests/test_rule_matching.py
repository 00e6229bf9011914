"""How the rules compare names (checks/_match.py): a person on a document against the registered
participant (initials, tussenvoegsels, order), an education's name, an employer's name. These
decide PARTICIPANT_NOT_FOUND, DUPLICATE_PARTICIPANT, SIGNATORY_NOT_ON_KVK, EDUCATION_MISMATCH
and PAYSLIP_EMPLOYER_MISMATCH, so they get their own table."""

from __future__ import annotations

import pytest

from checks._match import same_organisation, same_person, similar

PEOPLE: list[tuple[str, str, str, bool]] = [
    ("the same name", "Jan de Vries", "Jan de Vries", True),
    ("capitals", "Jan de Vries", "JAN DE VRIES", True),
    ("an initial", "Jan de Vries", "J. de Vries", True),
    ("surname first", "Jan de Vries", "Vries, Jan de", True),
    ("the surname alone", "Jan de Vries", "Vries", True),
    ("registered surname first", "Vries, Jan de", "J. de Vries", True),
    ("registered with an initial", "J. de Vries", "Jan de Vries", True),
    ("three initials run together", "Jan Pieter Maria de Vries", "JPM de Vries", True),
    ("a registered given name left out", "Jan Piet de Vries", "Jan de Vries", True),
    ("another given name", "Jan de Vries", "Jos de Vries", False),
    ("another initial", "Jan de Vries", "P. de Vries", False),
    ("another surname", "Jan de Vries", "Jan de Boer", False),
    ("another person", "Jan de Vries", "Piet Jansen", False),
    ("a given name the registration lacks", "Jan de Vries", "Jan Piet de Vries", False),
    ("a given name the registered initial lacks", "J. de Vries", "Jan Piet de Vries", False),
    ("registered name without a surname", "de", "Jan de Vries", False),
    # the first given name on the document must be the registered first one's
    ("a later given name alone", "Anna Maria de Vries", "Maria de Vries", False),
]  # fmt: skip


@pytest.mark.parametrize(
    ("label", "registered", "found", "same"), PEOPLE, ids=[p[0] for p in PEOPLE]
)
def test_same_person(label: str, registered: str, found: str, same: bool) -> None:
    assert same_person(registered, found) is same


@pytest.mark.parametrize(
    ("registered", "found", "same"),
    [
        ("Jan Piet de Vries", "J.P. de Vries", True),  # was refused: a wrong SIGNATORY_NOT_ON_KVK
        ("Peter Jan Bakker", "P.J. Bakker", True),
        ("Peter Jan Bakker", "PJ Bakker", True),
        ("Peter Jan Bakker", "P. Bakker", True),
        ("Peter Jan Bakker", "J.P. Bakker", False),  # initials in the other order
        ("Peter Jan Bakker", "P.K. Bakker", False),  # an initial the person does not have
        ("Peter Jan Bakker", "Peter J. Bakker", True),
    ],
)
def test_initials_of_several_given_names_in_their_order(
    registered: str, found: str, same: bool
) -> None:
    assert same_person(registered, found) is same


EDUCATIONS = [
    ("Verzorgende-IG", "Verzorgende IG niveau 3", True),
    ("Verzorgende-IG", "verzorgende ig", True),
    ("Verzorgende-IG", "Medewerker maatschappelijke zorg", False),
    ("Palliatieve zorg", "Dementiezorg", False),
]
ORGANISATIONS = [
    ("Zorggroep Noord B.V.", "ZORGGROEP NOORD", True),
    ("Stichting Zorggroep Noord", "Zorggroep Noord BV", True),
    ("Zorggroep Noord B.V.", "Thuiszorg Zuid B.V.", False),
    ("Stichting Zorggroep Noord", "Stichting Thuiszorg Zuid", False),
]


@pytest.mark.parametrize(("registered", "found", "same"), EDUCATIONS)
def test_similar_education(registered: str, found: str, same: bool) -> None:
    assert similar(registered, found) is same


@pytest.mark.parametrize(("registered", "found", "same"), ORGANISATIONS)
def test_same_organisation_ignores_legal_forms(registered: str, found: str, same: bool) -> None:
    assert same_organisation(registered, found) is same
