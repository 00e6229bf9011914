"""Date and month parsing: every supported form, digit-boundary safety, round-trip properties."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.parsers.dates import (
    SUPPORTED_FORMS,
    SUPPORTED_MONTH_FORMS,
    find_dates,
    find_months,
    format_date,
    format_month,
    parse_date,
)

SEPT_1 = date(2024, 9, 1)


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("1 september 2024", "d month yyyy"),
        ("01 september 2024", "dd month yyyy"),
        ("1 sept. 2024", "d mon. yyyy"),
        ("1 sep 2024", "d mon yyyy"),
        ("1 Sept 2024", "d mon yyyy"),
        ("1 SEPTEMBER 2024", "d month yyyy"),
        ("1-9-2024", "d-m-yyyy"),
        ("01-09-2024", "dd-mm-yyyy"),
        ("01/09/2024", "dd/mm/yyyy"),
        ("01.09.2024", "dd.mm.yyyy"),
        ("1-9-'24", "d-m-'yy"),
        ("1-9-24", "d-m-yy"),
        ("01.09.24", "dd.mm.yy"),
        ("2024-09-01", "yyyy-mm-dd"),
        ("1 september '24", "d month 'yy"),
        ("zondag 1 september 2024", "weekday d month yyyy"),
        ("1 september2024", "d month yyyy"),
        ("01 - 09 - 2024", "dd-mm-yyyy"),
        ("O1-09-2024", "dd-mm-yyyy"),
    ],
)
def test_each_written_form_is_found(text: str, form: str) -> None:
    [match] = find_dates(f"Startdatum: {text} t/m")
    assert match.value == SEPT_1
    assert match.text == text
    assert match.form == form
    assert parse_date(text) == SEPT_1


def test_weekday_prefix_is_part_of_the_match() -> None:
    [match] = find_dates("Datum: maandag 2 september 2024.")
    assert (match.value, match.text) == (date(2024, 9, 2), "maandag 2 september 2024")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 jan 2024", date(2024, 1, 1)),
        ("2 feb. 2024", date(2024, 2, 2)),
        ("3 mrt 2024", date(2024, 3, 3)),
        ("3 maart 2024", date(2024, 3, 3)),
        ("3 mar 2024", date(2024, 3, 3)),
        ("4 apr 2024", date(2024, 4, 4)),
        ("5 mei 2024", date(2024, 5, 5)),
        ("5 may 2024", date(2024, 5, 5)),
        ("6 jun 2024", date(2024, 6, 6)),
        ("7 jul 2024", date(2024, 7, 7)),
        ("8 aug 2024", date(2024, 8, 8)),
        ("9 okt 2024", date(2024, 10, 9)),
        ("9 oct 2024", date(2024, 10, 9)),
        ("10 nov 2024", date(2024, 11, 10)),
        ("11 dec 2024", date(2024, 12, 11)),
        ("1-1-49", date(2049, 1, 1)),
        ("1-1-50", date(1950, 1, 1)),
        ("31-12-'99", date(1999, 12, 31)),
        ("29-02-2024", date(2024, 2, 29)),
    ],
)
def test_month_names_and_two_digit_years(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "31-02-2024",  # not a calendar date
        "29-02-2023",
        "1234567-12-2024",  # leading part of a longer digit run
        "NL91ABNA0417164300",  # IBAN
        "06-12345678",  # phone
        "06-12-34-56-78",  # phone written in pairs
        "9712 CP Groningen",  # postcode
        "€ 1.234,56",  # amount
        "artikel 7.2.24",  # section number, not dd.mm.yy
        "1 septembers 2024",
        "12345-09-2024",
        "01-09-20245",
    ],
)
def test_no_date_is_found(text: str) -> None:
    assert find_dates(text) == []


def test_slash_joined_reference_gives_only_the_real_date() -> None:
    # paperless-ngx once read 1911 out of this; the digit run must never be split.
    [match] = find_dates("80101911/26.06.2025")
    assert match.value == date(2025, 6, 26)
    assert match.text == "26.06.2025"


def test_spans_point_into_a_multi_line_page() -> None:
    text = "Praktijkovereenkomst\nStartdatum: 01-09-2024\nEinddatum: 31 augustus 2025\n"
    matches = find_dates(text)
    assert [m.value for m in matches] == [date(2024, 9, 1), date(2025, 8, 31)]
    for m in matches:
        assert text[m.start : m.end] == m.text


def test_date_never_spans_a_line_break() -> None:
    assert find_dates("1\nseptember 2024") == []


def test_parse_date_needs_the_whole_string() -> None:
    assert parse_date(" 01-09-2024. ") == SEPT_1
    assert parse_date("Startdatum 01-09-2024") is None
    assert parse_date("01-09-2024 en 02-09-2024") is None
    assert parse_date("") is None


def test_format_date_rejects_an_unknown_form() -> None:
    with pytest.raises(ValueError, match="unknown date form"):
        format_date(SEPT_1, "mm/dd/yyyy")


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Loonstrook september 2024", "2024-09"),
        ("Periode: sept. 2024", "2024-09"),
        ("sep '24", "2024-09"),
        ("09-2024", "2024-09"),
        ("09/2024", "2024-09"),
        ("09.2024", "2024-09"),
        ("2024-09", "2024-09"),
        ("Periode: 9 2024", "2024-09"),
        ("Tijdvak 202409", "2024-09"),
    ],
)
def test_month_forms(text: str, iso: str) -> None:
    [match] = find_months(text)
    assert match.iso == iso
    assert text[match.start : match.end] == match.text


@pytest.mark.parametrize(
    "text",
    [
        "1 september 2024",  # part of a full date
        "01-09-2024",
        "2024-09-01",
        "1234567-12-2024",
        "9 2024",  # bare numbers only after a periode label
        "13-2024",
        "€ 1.2024",
    ],
)
def test_no_month_is_found(text: str) -> None:
    assert find_months(text) == []


DATES = st.dates(min_value=date(1950, 1, 1), max_value=date(2049, 12, 31))


@settings(max_examples=200, deadline=None)
@given(
    value=DATES,
    form=st.sampled_from(SUPPORTED_FORMS),
    prefix=st.sampled_from(["", "Startdatum: ", "d.d. ", "Ingang (", "Groningen, "]),
    suffix=st.sampled_from(["", " t/m", ".", ")", ", te ", "\nEinde"]),
)
def test_every_form_round_trips(value: date, form: str, prefix: str, suffix: str) -> None:
    written = format_date(value, form)
    [match] = find_dates(prefix + written + suffix)
    assert match.value == value
    assert match.start == len(prefix)
    assert match.text == written
    assert parse_date(written) == value


@settings(max_examples=200, deadline=None)
@given(
    year=st.integers(1950, 2049),
    month=st.integers(1, 12),
    form=st.sampled_from(SUPPORTED_MONTH_FORMS),
    prefix=st.sampled_from(["", "Loonstrook ", "Maand: "]),
)
def test_every_month_form_round_trips(year: int, month: int, form: str, prefix: str) -> None:
    [match] = find_months(prefix + format_month(year, month, form) + " salaris")
    assert (match.year, match.month) == (year, month)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789-./ ,", max_size=30))
def test_digit_noise_never_crashes_and_spans_are_consistent(text: str) -> None:
    for match in find_dates(text):
        assert text[match.start : match.end] == match.text
        assert not text[match.end : match.end + 1].isdigit()
        assert not text[max(0, match.start - 1) : match.start].isdigit()
