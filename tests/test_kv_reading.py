"""Candidate scoring on small hand-made pages, one per layout kind (label right, label above,
table, section, prose), with GLOSSARY's traps: birth and print dates, label words that are no
values, a field left blank, numbers of other kinds."""

from __future__ import annotations

import pytest

from core.enums import WordSource
from core.fields import FieldName
from core.geometry import BBox
from core.layout import DocumentText
from core.model import Document, FieldValue, Hints, Page, Word
from extractors.kv.read import read
from extractors.kv.select import kv_fields

CHAR_MM, HEIGHT_MM = 1.9, 3.5
POK = ("crebo", "opleiding", "startdatum", "einddatum", "bpv_omvang", "leerbedrijf",
       "onderwijsinstelling")  # fmt: skip


Item = tuple[float, float, str] | tuple[float, float, str, float]


def page(*items: Item, conf: float = 0.96, source: WordSource = WordSource.OCR) -> DocumentText:
    """A page of text pieces at (x mm, baseline y mm[, type size against the body's]); each
    piece is its own OCR line."""
    words = []
    for n, (x, y, text, *size) in enumerate(items):
        scale = size[0] if size else 1.0
        for token in text.split():
            w = len(token) * CHAR_MM * scale
            top = y - HEIGHT_MM * scale
            box = BBox(x0=x / 210, y0=top / 297, x1=(x + w) / 210, y1=y / 297)
            words.append(Word(text=token, bbox=box, confidence=conf, source=source,
                              line=n, block=n))  # fmt: skip
            x += w + CHAR_MM * scale
    return DocumentText.of(document(words, source))


def document(words: list[Word], source: WordSource = WordSource.OCR) -> Document:
    """A one-page A4 document of `words`."""
    pg = Page(number=1, width=595, height=842, source=source, words=words)
    return Document(document_id="0" * 64, file="t.pdf", media_type="application/pdf",
                    size_bytes=1, pages=[pg])  # fmt: skip


def best(text: DocumentText, fields: tuple[str, ...] = POK) -> dict[str, str]:
    return {name: cands[0].value for name, cands in read(text, fields).items()}


def test_label_right_of_value_and_in_its_own_cell() -> None:
    text = page(
        (20, 30, "Praktijkovereenkomst"),
        (20, 40, "Begindatum"), (80, 40, "1 september 2024"),
        (20, 46, "Einddatum: 31-08-2025"),
        (20, 52, "Naam leerbedrijf"), (80, 52, "Zorggroep Noord"),
        (20, 58, "Aantal uren"), (80, 58, "960 uur"),
    )  # fmt: skip
    got = best(text)
    assert got["startdatum"] == "2024-09-01"
    assert got["einddatum"] == "2025-08-31"
    assert got["leerbedrijf"] == "Zorggroep Noord"
    assert got["bpv_omvang"] == "960 uur"


def test_label_above_value_in_a_form_grid() -> None:
    text = page(
        (20, 40, "Ingangsdatum"), (80, 40, "Geplande einddatum"), (140, 40, "Omvang bpv (totaal)"),
        (20, 46, "02-09-2024"), (80, 46, "10-07-2025"), (140, 46, "24 weken (960 uur)"),
    )  # fmt: skip
    got = best(text)
    assert (got["startdatum"], got["einddatum"]) == ("2024-09-02", "2025-07-10")
    assert got["bpv_omvang"] == "24 weken (960 uur)"


def test_table_header_gives_the_column_its_meaning() -> None:
    text = page(
        (20, 40, "Opleiding"), (90, 40, "Crebo"), (120, 40, "Niveau"), (150, 40, "Startdatum"),
        (20, 46, "Verzorgende IG"), (90, 46, "25491"), (120, 46, "3"), (150, 46, "01-09-2024"),
    )  # fmt: skip
    got = best(text)
    assert got["opleiding"] == "Verzorgende IG"
    assert got["crebo"] == "25491"
    assert got["startdatum"] == "2024-09-01"


def test_sections_give_generic_labels_their_meaning() -> None:
    text = page(
        (20, 40, "Leerbedrijf"), (110, 40, "Onderwijsinstelling"),
        (20, 46, "Naam"), (50, 46, "Zorggroep Noord"), (110, 46, "Naam"), (140, 46, "ROC Oost"),
        (20, 52, "Adres"), (50, 52, "Markt 1"), (110, 52, "Adres"), (140, 52, "Laan 2"),
    )  # fmt: skip
    got = best(text)
    assert got["leerbedrijf"] == "Zorggroep Noord"
    assert got["onderwijsinstelling"] == "ROC Oost"


def test_prose_words_around_a_value() -> None:
    text = page(
        (20, 40, "De beroepspraktijkvorming begint op 1 september 2023 en eindigt op"),
        (20, 46, "10 juli 2024 en heeft een omvang van 800 uur."),
    )  # fmt: skip
    got = best(text)
    assert got["startdatum"] == "2023-09-01"
    assert got["bpv_omvang"] == "800 uur"


def test_birth_and_print_dates_are_never_a_fields_date() -> None:
    text = page(
        (20, 30, "Datum afdruk: 19-08-2024"),
        (20, 40, "Geboortedatum"), (80, 40, "04-06-1975"),
        (20, 46, "Naam"), (80, 46, "Jan de Vries"),
        (20, 52, "Datum"), (80, 52, "1 februari 2026"),
    )  # fmt: skip
    got = best(text, ("diploma_datum", "startdatum"))
    assert got == {"diploma_datum": "2026-02-01"}


def test_a_label_word_is_never_a_value() -> None:
    """An empty field followed by the next label row: no value, the label left blank."""
    text = page(
        (20, 40, "Naam leerbedrijf"),
        (20, 46, "Adres"), (80, 46, "Markt 1, Assen"),
        (20, 52, "Leerbedrijf-ID"), (80, 52, "1234567"),
    )  # fmt: skip
    fields = (FieldName.LEERBEDRIJF,)
    assert best(text).get("leerbedrijf") is None
    result = kv_fields(text, fields, Hints())
    assert "leerbedrijf" not in result.found
    assert result.absent["leerbedrijf"].value is None
    assert result.absent["leerbedrijf"].bbox is not None  # the blank label, with its box


@pytest.mark.parametrize(
    ("lines", "absent"),
    [
        ([(20, 40, "Omvang bpv"), (80, 40, "800 uur")], False),  # read: present
        ([(20, 40, "Er wordt 800 uur geleerd in de praktijk")], False),  # hours, role unclear
        ([(20, 40, "Startdatum"), (80, 40, "01-09-2024")], True),  # no hours anywhere
    ],
)
def test_a_kind_missing_everywhere_is_a_sure_absence(
    lines: list[tuple[float, float, str]], absent: bool
) -> None:
    text = page(*lines, source=WordSource.TEXT_LAYER)
    found = kv_fields(text, (FieldName.BPV_OMVANG,), Hints()).absent
    assert ("bpv_omvang" in found) is absent
    scanned = kv_fields(page(*lines), (FieldName.BPV_OMVANG,), Hints()).absent
    assert ("bpv_omvang" in scanned) is absent
    if absent:  # read by OCR: checked against the ink OCR left unread (unsure_blanks)
        assert found["bpv_omvang"].method is WordSource.TEXT_LAYER
        assert scanned["bpv_omvang"].method is WordSource.OCR


def test_a_poorly_read_page_proves_no_absence() -> None:
    text = page((20, 40, "Startdatum"), (80, 40, "01-09-2024"), conf=0.5)
    assert kv_fields(text, (FieldName.BPV_OMVANG,), Hints()).absent == {}


def test_the_registered_date_wins_when_it_has_the_role() -> None:
    text = page(
        (20, 40, "Startdatum"), (80, 40, "01-09-2024"),
        (20, 46, "Van"), (80, 46, "02-09-2024"),
    )  # fmt: skip
    fields = (FieldName.STARTDATUM,)
    assert kv_fields(text, fields, Hints()).found["startdatum"].value == "2024-09-01"
    guided = Hints(dates=(("startdatum", "2024-09-02"),))
    assert kv_fields(text, fields, guided).found["startdatum"].value == "2024-09-02"
    elsewhere = Hints(dates=(("startdatum", "2030-01-01"),))  # not on the page: the read one
    assert kv_fields(text, fields, elsewhere).found["startdatum"].value == "2024-09-01"


def test_letterhead_names_the_trainer_but_not_the_addressee() -> None:
    text = page(
        (20, 20, "Zorgacademie Oost"),
        (20, 40, "Stichting Brabantzorg"),
        (20, 60, "De training werd afgesloten op 4 april 2025."),
    )  # fmt: skip
    fields = (FieldName.OPLEIDER, FieldName.TRAINING_EINDDATUM)
    found = kv_fields(text, fields, Hints(organisation="Stichting Brabantzorg")).found
    assert found["opleider"].value == "Zorgacademie Oost"
    assert found["training_einddatum"].value == "2025-04-04"
    addressed = page((20, 20, "Stichting Brabantzorg"), (20, 40, "Betreft prestatieverklaring"))
    assert (
        "opleider"
        not in kv_fields(addressed, fields, Hints(organisation="Stichting Brabantzorg")).found
    )


@pytest.mark.parametrize(
    ("rows", "month", "period"),
    [
        ([(20, 40, "Periode"), (60, 40, "2025 - 11 - maand"), (120, 40, "Verwerkt"),
          (150, 40, "24 november 2025")], "2025-11", None),
        ([(20, 40, "Loonperiode 10 (16-09-2024 t/m 13-10-2024)")], "2024-09",
         {"van": "2024-09-16", "tot": "2024-10-13"}),
        ([(20, 40, "Tijdvak"), (60, 40, "01-09-2024 t/m 30-09-2024")], "2024-09", None),
        ([(20, 40, "Salarisspecificatie september 2024")], "2024-09", None),
        ([(20, 40, "Verwerkt"), (60, 40, "24 november 2025")], None, None),
        # four-weekly (GLOSSARY): "Periode 11 - 2024" is the 11th period, not November ...
        ([(20, 40, "Salarisstrook Periode 11 - 2024 (4 weken)")], None, None),
        ([(20, 40, "Periode"), (60, 40, "11 - 2024"), (20, 50, "Tijdvak"), (60, 50, "4 weken")],
         None, None),
        # ... its dates say which month it covers; a monthly "Periode 11 - 2024" is November
        ([(20, 40, "Periode 11 - 2024 (4 weken)"), (20, 50, "Tijdvak"),
          (60, 50, "07-10-2024 t/m 03-11-2024")], "2024-10",
         {"van": "2024-10-07", "tot": "2024-11-03"}),
        ([(20, 40, "Periode"), (60, 40, "11 - 2024"), (20, 50, "Uren per week"), (60, 50, "32")],
         "2024-11", None),
        # "binnen vier weken" is a deadline, not the pay period
        ([(20, 40, "Periode 06 / 2024"),
          (20, 90, "Vragen? Neem binnen vier weken contact op met de salarisadministratie.")],
         "2024-06", None),
        # parts printed apart: a grid of key figures on a monthly payslip ...
        ([(20, 40, "Jaar"), (50, 40, "Periode"), (80, 40, "Tijdvak"),
          (20, 46, "2024"), (50, 46, "12"), (80, 46, "maand")], "2024-12", None),
        ([(20, 40, "Jaar"), (50, 40, "Periode"), (80, 40, "Tijdvak"),
          (20, 46, "2024"), (50, 46, "12"), (80, 46, "4 weken")], None, None),
        ([(20, 40, "Jaar"), (50, 40, "Periode"), (20, 46, "2024"), (50, 46, "12")], None, None),
        # ... the first and last day in cells of their own
        ([(20, 40, "Soortloner"), (60, 40, "4-weken"), (20, 46, "Van"), (40, 46, "10-10-'22"),
          (20, 52, "T/m"), (40, 52, "6-11-'22")], "2022-10",
         {"van": "2022-10-10", "tot": "2022-11-06"}),
        ([(20, 46, "Van"), (40, 46, "01-08-2024"), (20, 52, "T/m"), (40, 52, "31-07-2025")],
         None, None),  # a year: no pay period
        ([(20, 40, "Loontijdvak"), (60, 40, "18 t/m 24 september 2023")], "2023-09",
         {"van": "2023-09-18", "tot": "2023-09-24"}),
        # the one pay period printed, unlabelled under the title; two periods: neither
        ([(20, 30, "Loonstrook week 38 - 2023"), (20, 36, "18 t/m 24 september 2023"),
          (20, 50, "Betaaldatum"), (60, 50, "28-09-2023")], "2023-09",
         {"van": "2023-09-18", "tot": "2023-09-24"}),
        ([(20, 30, "Zorggroep Oost"), (20, 36, "04-09-2023 t/m 01-10-2023"),
          (20, 50, "07-08-2023 t/m 03-09-2023")], None, None),
        # a month and its year in cells of their own, compact and spaced forms ...
        ([(20, 40, "Maand"), (60, 40, "mei"), (20, 46, "Jaar"), (60, 46, "2024")], "2024-05",
         None),
        ([(20, 40, "Maand:"), (40, 40, "5"), (80, 40, "Jaar:"), (100, 40, "2024")], "2024-05",
         None),
        ([(20, 40, "Periode"), (60, 40, "mei"), (80, 40, "2024")], "2024-05", None),
        ([(20, 40, "Periode"), (60, 40, "202405")], "2024-05", None),
        ([(20, 40, "Periode"), (60, 40, "mei-24")], "2024-05", None),
        ([(20, 40, "Verloningsperiode"), (60, 40, "2024 - 05")], "2024-05", None),
        ([(20, 40, "Loonspecificatie"), (20, 48, "Periode"), (60, 48, "1 mei t/m 31 mei 2024")],
         "2024-05", None),
        ([(20, 40, "Periode"), (60, 40, "16 dec t/m 12 jan 2025")], "2024-12",
         {"van": "2024-12-16", "tot": "2025-01-12"}),
        # ... but amounts under "Maand" and "Jaar" columns, or a month's number with no year, are
        # no month; nor is "202405" on a payslip paid per four weeks
        ([(20, 40, "Maand"), (60, 40, "Jaar"), (20, 46, "1.234,56"), (60, 46, "14.567,00")],
         None, None),
        ([(20, 40, "Maand"), (60, 40, "5")], None, None),
        ([(20, 40, "Periode"), (60, 40, "202405"), (20, 46, "Tijdvak"), (60, 46, "4 weken")],
         None, None),
        # OCR runs cells together or misreads "t/m"; a month alone in a header band's cell
        ([(20, 40, "Jaar | 2023 Maand 8")], "2023-08", None),
        ([(20, 40, "Maand: mei Jaar: 2024")], "2024-05", None),
        ([(20, 40, "Pimsteeg 9 15-7-'24 Um 11-8-24")], "2024-07",
         {"van": "2024-07-15", "tot": "2024-08-11"}),
        ([(20, 40, "Van | 9-1-'23 ei Tot en met | 15-1-23")], "2023-01",
         {"van": "2023-01-09", "tot": "2023-01-15"}),
        ([(20, 20, "Woonzorg Het Baken"), (150, 20, "Salarisspecificatie"),
          (150, 27, "Januari 2025"), (20, 60, "Datum in dienst"), (60, 60, "24 nov. 2016")],
         "2025-01", None),
        # ... but two months alone, or dates joined by a word, give none
        ([(150, 27, "Januari 2025"), (20, 80, "Vakantiegeld"), (60, 80, "Mei 2024")], None, None),
        ([(20, 40, "01-09-2024 en 30-09-2024")], None, None),
        # a period whose last day was not read, or a month without days on a payslip paid
        # per four weeks (its booking month): no month
        ([(20, 40, "Periode"), (60, 40, "20-05-2024 - 1 2024")], None, None),
        ([(150, 27, "Oktober 2024"), (20, 40, "Periode 11 (4 weken)")], None, None),
    ],
)  # fmt: skip
def test_payslip_month_and_four_weekly_period(
    rows: list[tuple[float, float, str]], month: str | None, period: dict[str, str] | None
) -> None:
    fields = (FieldName.LOONSTROOK_MAAND, FieldName.LOONSTROOK_PERIODE)
    found = kv_fields(page(*rows), fields, Hints()).found
    assert (found["loonstrook_maand"].value if "loonstrook_maand" in found else None) == month
    got = found.get("loonstrook_periode")
    assert (got.value if got else None) == period


def test_party_labels_over_signatures_name_who_signs() -> None:
    """Under "Ondertekening" a party's label stands over a person's name, not the party's."""
    text = page(
        (20, 30, "Leerbedrijf"),
        (20, 36, "Naam"), (60, 36, "Zorggroep Noord"),
        (20, 60, "Ondertekening"),
        (20, 66, "Student"), (80, 66, "Leerbedrijf"), (140, 66, "School"),
        (20, 72, "Jan de Vries"), (80, 72, "Piet Bakker"), (140, 72, "T. Mulder"),
    )  # fmt: skip
    got = read(text, ("leerbedrijf", "onderwijsinstelling"))
    assert [c.value for c in got["leerbedrijf"]] == ["Zorggroep Noord"]
    assert "onderwijsinstelling" not in got


def test_a_signing_table_or_a_margin_heading_opens_the_signing_part() -> None:
    """A party's label in a signing table ("Partij | Naam | Handtekening | Datum") or under a
    heading set in the margin beside the text names who signs."""
    party = (20, 30, "2. Zorggroep Noord, gevestigd te Zwolle, hierna te noemen het leerbedrijf;")
    table = page(
        party,
        (20, 60, "Partij"), (60, 60, "Naam"), (110, 60, "Handtekening"), (160, 60, "Datum"),
        (20, 66, "Leerbedrijf"), (60, 66, "Piet Bakker"), (160, 66, "10-08-2023"),
    )  # fmt: skip
    margin = page(
        party,
        (10, 60, "Ondertekening"), (60, 60, "Aldus overeengekomen te Zwolle op 10-08-2023."),
        (60, 70, "Leerbedrijf"), (110, 70, "Piet Bakker"),
    )  # fmt: skip
    for text in (table, margin):
        assert [c.value for c in read(text, ("leerbedrijf",))["leerbedrijf"]] == ["Zorggroep Noord"]
    # a form's own party row is still the party's
    form = page((20, 60, "Partij"), (60, 60, "Naam"), (20, 66, "Leerbedrijf"),
                (60, 66, "Zorggroep Noord"))  # fmt: skip
    assert best(form, ("leerbedrijf",)) == {"leerbedrijf": "Zorggroep Noord"}


def test_a_wrapped_sentence_keeps_its_value() -> None:
    text = page(
        (20, 40, "De beroepspraktijkvorming begint op 01.09.2023 en eindigt naar verwachting op"),
        (20, 46, "17.06.2024. Verlenging is alleen mogelijk met instemming van alle partijen."),
    )  # fmt: skip
    assert best(text, ("startdatum", "einddatum")) == {
        "startdatum": "2023-09-01",
        "einddatum": "2024-06-17",
    }


def test_side_by_side_sections_when_ocr_lost_the_first_columns_label() -> None:
    # a photo: "Naam" under "Onderwijsinstelling" not read, the one under "Leerbedrijf" was
    text = page(
        (12, 40, "Onderwijsinstelling"), (110, 40, "Leerbedrijf"),
        (36, 48, "ROC van Amsterdam"), (110, 48, "Naam"), (133, 48, "Zorggroep Sint Jacob"),
        (36, 54, "Marastraat 3"), (110, 54, "Vestigingsadres"), (133, 54, "Nathandreef 680"),
    )  # fmt: skip
    result = kv_fields(text, (FieldName.LEERBEDRIJF,), Hints())
    assert result.found["leerbedrijf"].value == "Zorggroep Sint Jacob"
    assert "leerbedrijf" not in result.absent


def test_party_captions_after_the_closing_formula_are_no_blank_fields() -> None:
    text = page(
        (12, 150, "Aldus opgemaakt in drievoud en ondertekend op 13-8-2024."),
        (12, 160, "Deelnemer"), (75, 160, "Leerbedrijf (praktijkopleider)"),
        (140, 160, "Onderwijsinstelling"),
        (14, 168, "mm"), (80, 168, "nn"),  # the signatures, read as letters
        (12, 176, "Loes ter Dijkstra"), (75, 176, "Wout van de Köster"),
        (140, 176, "de bpv-coördinator"),
    )  # fmt: skip
    result = kv_fields(text, (FieldName.ONDERWIJSINSTELLING, FieldName.LEERBEDRIJF), Hints())
    assert result.absent == {} and "onderwijsinstelling" not in result.found
    # without the closing formula the same captions over nothing are a form's blank boxes
    form = page(
        (12, 40, "Deelnemer"), (75, 40, "Leerbedrijf"), (140, 40, "Onderwijsinstelling"),
        (12, 70, "Handtekening"),
    )  # fmt: skip
    blank = kv_fields(form, (FieldName.ONDERWIJSINSTELLING,), Hints())
    assert "onderwijsinstelling" in blank.absent


def test_a_date_beside_its_label_is_no_header_whatever_stands_under_it() -> None:
    # a scanned payslip: the redaction bar under the date OCR'd as letters
    text = page(
        (20, 40, "Naam"), (50, 40, "James de Graaf"),
        (110, 40, "Datum in dienst"), (150, 40, "15-11-2015"),
        (150, 46, "HRREK REE R"),
    )  # fmt: skip
    found = kv_fields(text, (FieldName.DATUM_IN_DIENST,), Hints()).found
    assert found["datum_in_dienst"].value == "2015-11-15"
    header = page(
        (110, 40, "Datum in dienst"), (150, 40, "Functie"),
        (150, 46, "Verzorgende IG"),
    )  # fmt: skip
    result = kv_fields(header, (FieldName.DATUM_IN_DIENST,), Hints())
    assert "datum_in_dienst" not in result.found


def test_a_column_header_beside_a_label_is_not_its_value() -> None:
    text = page(
        (20, 40, "Opleider"), (105, 40, "Titel training"),
        (105, 46, "Werkbegeleider in de zorg"),
    )  # fmt: skip
    result = kv_fields(text, (FieldName.OPLEIDER,), Hints())
    assert "opleider" not in result.found  # "Titel training" heads the next column
    beside = page((20, 40, "Opleider"), (105, 40, "Zorgacademie Oost"))
    assert kv_fields(beside, (FieldName.OPLEIDER,), Hints()).found["opleider"].value == (
        "Zorgacademie Oost"
    )


def test_signing_rows_take_their_role_from_the_nearest_cue() -> None:
    from extractors.kv.signing import signature_rows

    text = page(
        (20, 20, "Prestatieverklaring"),
        (20, 30, "De training is gegeven van 2 september 2024 tot en met 4 oktober 2024."),
        (20, 40, "#"), (30, 40, "Cursist"), (90, 40, "Geb.datum"), (140, 40, "Getekend"),
        (20, 46, "1"), (30, 46, "Jan de Vries"), (90, 46, "12-03-1990"), (140, 46, "07-10-2024"),
        (20, 52, "2"), (30, 52, "Piet Bakker"), (90, 52, "01-01-1985"), (140, 52, "09-10-2024"),
        (20, 70, "Aftekening docent"),
        (20, 76, "Naam: Anna Smit"), (100, 76, "Datum: 11-10-2024"),
        (20, 90, "Datum afdruk: 12-10-2024"),
    )  # fmt: skip
    rows = signature_rows(text)
    assert rows is not None and rows.value == [
        {"rol": "deelnemer", "datum": "2024-10-07"},
        {"rol": "deelnemer", "datum": "2024-10-09"},
        {"rol": "docent", "datum": "2024-10-11"},
    ]
    unsigned = page((20, 40, "Cursist"), (60, 40, "Handtekening"), (20, 46, "Jan de Vries"))
    assert signature_rows(unsigned) is None


def test_a_letters_signers_side_by_side_and_the_teachers_sign_off() -> None:
    from extractors.kv.signing import signature_rows

    text = page(
        (20, 94, "Wij vragen de deelnemers hieronder voor akkoord te tekenen."),
        (20, 100, "Gezien en akkoord:"),
        (20, 120, "Piet Bakker"), (80, 120, "Jan de Vries"), (140, 120, "Anna Smit"),
        (20, 150, "Getekend op 29-5-2025"), (80, 150, "Getekend op 5-6-2025"),
        (140, 150, "Getekend op 28-5-2025"),
        (20, 190, "Rick Spruyt"),
        (20, 196, "hoofddocent, Instituut voor Zorgvaardigheden"),
        (20, 202, "Datum ondertekening: 15-6-2025"),
    )  # fmt: skip
    rows = signature_rows(text, "Jan de Vries")
    assert rows is not None
    # the date under the participant's own name; a "hoofddocent" signs as the teacher
    assert {"rol": "deelnemer", "datum": "2025-06-05"} in rows.value
    assert {"rol": "docent", "datum": "2025-06-15"} in rows.value
    assert {"rol": "deelnemer", "datum": "2025-06-15"} not in rows.value


def test_a_sessions_table_under_a_participant_cue_holds_no_signing_dates() -> None:
    from extractors.kv.signing import signature_rows

    text = page(
        (20, 20, "Werkgever deelnemer(s)"), (80, 20, "Kinderopvang Het Baken"),
        (20, 30, "Nr."), (35, 30, "Datum"), (70, 30, "Tijd"), (100, 30, "Onderwerp"),
        (180, 30, "Uren"),
        (20, 36, "1"), (35, 36, "1-11-2024"), (70, 36, "18.00"), (100, 36, "Kennismaking"),
        (180, 36, "4"),
        (20, 42, "2"), (35, 42, "8-11-2024"), (70, 42, "18.00"), (100, 42, "Theorie"),
        (180, 42, "4"),
        (20, 60, "Naam deelnemer"), (90, 60, "Handtekening"), (150, 60, "Datum"),
        (20, 66, "Bibi Gerrits"), (150, 66, "24-12-2024"),
        (20, 80, "Docent / trainer"),
        (20, 86, "Datum: 16-12-2024"),
        (20, 100, "Ingevulde verklaringen worden vijf jaar bewaard (opgemaakt 15-12-2024)."),
    )  # fmt: skip
    rows = signature_rows(text, "Bibi Gerrits")
    assert rows is not None and rows.value == [
        {"rol": "deelnemer", "datum": "2024-12-24"},
        {"rol": "docent", "datum": "2024-12-16"},
    ]
    # a header OCR garbled ends nothing: the rows under it keep the cue above
    garbled = page(
        (20, 20, "Cursist"), (20, 30, "Poor"), (60, 30, "Coxe"), (100, 30, "ise"),
        (20, 36, "Jan de Vries"), (150, 36, "24-12-2024"), conf=0.3,
    )  # fmt: skip
    assert signature_rows(garbled) is not None


def test_side_by_side_signing_blocks_give_each_date_its_blocks_role() -> None:
    from extractors.kv.signing import signature_rows

    text = page(
        (20, 40, "Deelnemer"), (110, 40, "Docent"),
        (20, 46, "Naud Schiffer (geb. 6-3-1993)"), (110, 46, "Ashley Haspengouw"),
        (20, 60, "Datum: 19-12-2024"), (65, 60, "Handtekening"),
        (110, 60, "Datum: 26-12-2024"), (155, 60, "Handtekening"),
    )  # fmt: skip
    rows = signature_rows(text)
    assert rows is not None and rows.value == [
        {"rol": "deelnemer", "datum": "2024-12-19"},
        {"rol": "docent", "datum": "2024-12-26"},
    ]
    two = page(
        (20, 40, "Deelnemer"), (110, 40, "Deelnemer"),
        (20, 60, "Datum: 17-03-2025"), (110, 60, "Datum: 21-03-2025"),
        (20, 80, "Docent"), (20, 86, "Datum: 28-03-2025"),
    )  # fmt: skip
    assert [(r["rol"], r["datum"]) for r in signature_rows(two).value] == [  # type: ignore[union-attr]
        ("deelnemer", "2025-03-17"), ("deelnemer", "2025-03-21"), ("docent", "2025-03-28"),
    ]  # fmt: skip
    on_behalf = page(
        (20, 40, "Handtekening deelnemer"), (110, 40, "namens Zorgacademie Oost"),
        (20, 60, "getekend op 12 januari 2025"), (110, 60, "getekend op 8 januari 2025"),
    )  # fmt: skip
    assert signature_rows(on_behalf).value == [  # type: ignore[union-attr]
        {"rol": "deelnemer", "datum": "2025-01-12"}, {"rol": "docent", "datum": "2025-01-08"},
    ]  # fmt: skip


def test_the_participants_own_row_is_theirs_when_its_header_was_lost() -> None:
    from extractors.kv.signing import signature_rows

    # a portal print: the teacher named in the header block, the participants' table header
    # (white on a dark band) not read, the teacher's block below
    text = page(
        (20, 20, "Docent"), (50, 20, "Anna Smit"), (120, 20, "Start"), (150, 20, "2-9-2024"),
        (20, 46, "1"), (30, 46, "Jan de Vries"), (90, 46, "12-03-1990"), (140, 46, "07-10-2024"),
        (20, 52, "2"), (30, 52, "Piet Bakker"), (90, 52, "01-01-1985"), (140, 52, "09-10-2024"),
        (20, 70, "Aftekening docent"),
        (20, 76, "Naam: Anna Smit"), (100, 76, "Datum: 11-10-2024"),
    )  # fmt: skip
    roles = [r["rol"] for r in signature_rows(text, "Jan de Vries").value]  # type: ignore[union-attr]
    assert roles == ["deelnemer", "docent", "docent", "docent"]  # Piet's row: no cue says otherwise
    # one row for both: "Deelnemer | Docent | Datum" over the names and the date
    both = page(
        (20, 40, "Deelnemer"), (70, 40, "Docent"), (140, 40, "Datum"),
        (20, 46, "Jan de Vries"), (70, 46, "Anna Smit"), (140, 46, "11-10-2024"),
    )  # fmt: skip
    rows = signature_rows(both, "Jan de Vries")
    assert rows is not None and [r["rol"] for r in rows.value] == ["deelnemer", "docent"]
    assert [r["rol"] for r in signature_rows(text).value] == ["docent"] * 3  # type: ignore[union-attr]
    # the teacher's own row naming the participant stays the teacher's
    confirm = page(
        (20, 40, "Cursist"), (20, 46, "Jan de Vries"), (140, 46, "07-10-2024"),
        (20, 60, "Docent verklaart dat Jan de Vries deelnam"), (140, 60, "11-10-2024"),
    )  # fmt: skip
    rows = signature_rows(confirm, "Jan de Vries")
    assert rows is not None and [r["rol"] for r in rows.value] == ["deelnemer", "docent"]


def test_the_registered_company_counts_only_in_its_role() -> None:
    from extractors.fields import guided_company

    fields = (FieldName.LEERBEDRIJF,)
    hints = Hints(organisation="Zorggroep Noorderlicht")
    in_block = page((20, 30, "Gegevens leerbedrijf"), (20, 36, "Zorggroep Noorderlicht"))
    found = guided_company(in_block, fields, hints, None)
    assert found is not None and found.value == "Zorggroep Noorderlicht"
    stamped = page(
        (20, 30, "Ondertekening"), (20, 36, "Handtekening leerbedrijf"),
        (20, 46, "ZORGGROEP NOORDERLICHT"),
    )  # fmt: skip
    assert guided_company(stamped, fields, hints, None) is None  # a stamp by the signatures
    nowhere = page((20, 30, "Zorggroep Noorderlicht is een mooie organisatie"))
    assert guided_company(nowhere, fields, hints, None) is None  # no role before it
    blank = kv_fields(page((20, 30, "Naam leerbedrijf"), (20, 36, "Adres")), fields, hints)
    assert guided_company(in_block, fields, hints, blank.absent["leerbedrijf"]) is None


def test_a_schools_letterhead_names_it_unless_its_field_is_blank() -> None:
    fields = (FieldName.ONDERWIJSINSTELLING,)
    head = (20, 20, "ROC Midden Nederland")
    printed = page(head, (20, 50, "Praktijkovereenkomst"), (20, 60, "Leerbedrijf: Zorg BV"))
    found = kv_fields(printed, fields, Hints(organisation="Zorg BV")).found
    assert found["onderwijsinstelling"].value == "ROC Midden Nederland"
    blank = page(head, (20, 50, "Onderwijsinstelling"), (20, 56, "Adres"), (60, 56, "Laan 1"))
    result = kv_fields(blank, fields, Hints())
    assert "onderwijsinstelling" not in result.found and "onderwijsinstelling" in result.absent
    employer = page((20, 20, "Zorggroep Noord"), (20, 50, "Praktijkovereenkomst"))
    assert kv_fields(employer, fields, Hints(organisation="Zorggroep Noord")).found == {}
    heading = page((20, 20, "Gegevens scholing"), (20, 50, "Praktijkovereenkomst"))
    assert kv_fields(heading, fields, Hints()).found == {}  # a part's heading, no name


def test_parties_introduced_in_clauses_hierna_te_noemen() -> None:
    """A contract names its parties in numbered clauses; the "hierna te noemen" that closes a
    clause (on the same row or a row or two below) says which party its opening name is."""
    text = page(
        (20, 40, "De ondergetekenden:"),
        (20, 46, "1. Janne de Wit, geboren op 26-06-2001, studentnummer 583073, hierna te"),
        (20, 52, "noemen: de student;"),
        (20, 58, "2. Stichting Maasduinen, gevestigd aan de Giovannisingel 10 te Graauw,"),
        (20, 64, "ingeschreven onder KvK-nummer 52658197, hierna te noemen: het leerbedrijf;"),
        (20, 70, "3. Noorderpoort, gevestigd te Groningen, in dezen vertegenwoordigd door het"),
        (20, 76, "College van Bestuur, hierna: de school;"),
        (20, 82, "komen het volgende overeen."),
    )  # fmt: skip
    got = best(text)
    assert got["leerbedrijf"] == "Stichting Maasduinen"
    assert got["onderwijsinstelling"] == "Noorderpoort"


def test_hierna_without_a_clause_opening_names_nobody() -> None:
    text = page(
        (20, 40, "Het leerbedrijf begeleidt de student in de praktijk en rapporteert aan de"),
        (20, 46, "opleiding, hierna te noemen: de school, over de voortgang van de student."),
    )  # fmt: skip
    assert "onderwijsinstelling" not in best(text)


def test_small_labels_over_values_in_a_two_column_grid() -> None:
    """A form grid sets its labels small over larger values: a label's right-hand neighbour in
    the same small type heads the next column (even a header no lexicon knows), and a label
    that runs on in words ("Startdatum duale periode") has its value under it."""
    text = page(
        (20, 40, "Onderwijsinstelling", 0.75), (110, 40, "Coördinator duaal", 0.75),
        (20, 46, "Hogeschool Rotterdam"), (110, 46, "dr. E. Brouwer"),
        (20, 54, "Opleiding", 0.75), (110, 54, "Startdatum duale periode", 0.75),
        (20, 60, "Verpleegkunde (duaal)"), (110, 60, "24-9-'23"),
    )  # fmt: skip
    got = best(text)
    assert got["onderwijsinstelling"] == "Hogeschool Rotterdam"
    assert got["startdatum"] == "2023-09-24"
    same = page(  # label and value rows in one type: the right-hand cell is the value
        (20, 40, "Onderwijsinstelling"), (110, 40, "Hogeschool Rotterdam"),
        (20, 46, "Vestiging Zuid"), (110, 46, "Kralingse Zoom 91"),
    )  # fmt: skip
    assert best(same)["onderwijsinstelling"] == "Hogeschool Rotterdam"


def test_a_column_of_dates_is_a_list_and_place_and_date_is_the_date() -> None:
    """GLOSSARY's "Datum examen" heads a results table's column, one date per exam part: no
    one date of the document; "Plaats en datum" over "Schijndel, 2 juli 2024" is."""
    text = page(
        (20, 40, "Plaats en datum"), (20, 46, "Schijndel, 2 juli 2024"),
        (20, 80, "Onderdeel"), (90, 80, "Resultaat"), (130, 80, "Datum examen"),
        (20, 86, "Kerntaak 1"), (90, 86, "voldoende"), (130, 86, "26 november 2023"),
        (20, 92, "Kerntaak 2"), (90, 92, "8"), (130, 92, "25 januari 2024"),
        (20, 98, "Nederlands"), (90, 98, "6"), (130, 98, "2 februari 2024"),
    )  # fmt: skip
    got = read(text, ("diploma_datum",))["diploma_datum"]
    assert {c.value for c in got} == {"2024-07-02"}
    one_row = page((20, 80, "Datum examen"), (20, 86, "26 november 2023"))
    assert best(one_row, ("diploma_datum",))["diploma_datum"] == "2023-11-26"


def test_an_address_block_is_no_letterhead_and_a_docent_names_the_trainer() -> None:
    text = page(
        (20, 20, "Aan de directie van"),
        (20, 26, "Zorgcentrum Zuiderhout"),
        (20, 50, "Hierbij verklaar ik, J. van Dam, als docent verbonden aan Zorgacademie Oost,"),
        (20, 56, "dat de volgende medewerkers de training hebben gevolgd."),
    )  # fmt: skip
    assert best(text, ("opleider",)) == {"opleider": "Zorgacademie Oost"}


@pytest.mark.parametrize(
    "row",
    [
        "Dienstverband vanaf:24-07-2023",
        "In dienst per 24-07-2023",
        "Werkzaam sinds 24-07-2023",
        "Indienst 24 juli 2023",
        "Start dienstverband 24-7-'23",
        "Datum in dienst24-07-2023",  # OCR glued the value to its label
        "Dat. in dienst 24 juli 2023",  # "datum" abbreviated
    ],
)
def test_employment_start_labels(row: str) -> None:
    assert best(page((20, 40, row)), ("datum_in_dienst",)) == {"datum_in_dienst": "2023-07-24"}


def test_a_place_label_before_the_date_of_issue() -> None:
    text = page((20, 200, "Afgegeven te:"), (20, 206, "Wormer, 22 augustus 2024"))
    assert best(text, ("diploma_datum",)) == {"diploma_datum": "2024-08-22"}


def test_a_place_over_its_date_in_a_signature_block() -> None:
    """A diploma's "Hengelo," over "12 juli 2024" in the signature column gives the date of
    issue; a place over a row that is more than a date, or a date in another column, does not."""
    from extractors.doctypes.diploma import place_date

    def signed(*rows: Item) -> str | None:
        found = place_date(page((20, 30, "Diploma"), (20, 80, "Verzorgende-IG"), *rows))
        return None if found is None else str(found.value)

    assert signed((20, 200, "Hengelo,"), (110, 200, "Voorzitter"), (20, 206, "12 juli 2024")) == (
        "2024-07-12"
    )
    more = "12 juli 2024 namens de examencommissie"
    assert signed((20, 200, "Hengelo,"), (20, 206, more)) is None
    assert signed((20, 200, "Hengelo,"), (110, 206, "12 juli 2024")) is None
    assert signed((20, 200, "Hengelo, 12 juli 2024")) == "2024-07-12"


@pytest.mark.parametrize(
    ("sentence", "education"),
    [
        ("de opleiding Medewerker Maatschappelijke Zorg heeft afgerond",
         "Medewerker Maatschappelijke Zorg"),
        ("de opleiding Verzorgende-IG met goed gevolg heeft doorlopen", "Verzorgende-IG"),
        ("Opleiding: Helpende Zorg en Welzijn", "Helpende Zorg en Welzijn"),
        ("Zij volgt de hbo-bacheloropleiding Verpleegkunde (duaal) (code 34560)",
         "Verpleegkunde (duaal)"),
    ],
)  # fmt: skip
def test_a_sentences_verb_ends_a_name(sentence: str, education: str) -> None:
    assert best(page((20, 60, sentence)), ("opleiding",)) == {"opleiding": education}


def test_a_sentences_subject_is_no_name() -> None:
    """Under an article's heading "Artikel 1 Opleiding" a sentence opens: "De student" is its
    subject, no education; "De Wielewaal" keeps its capital and is a name."""
    text = page((20, 40, "Artikel 1 Opleiding"), (20, 46, "De student is ingeschreven bij ons"))
    assert best(text, ("opleiding",)) == {}
    named = page((20, 40, "Leerbedrijf"), (60, 40, "De Wielewaal"))
    assert best(named, ("leerbedrijf",)) == {"leerbedrijf": "De Wielewaal"}


@pytest.mark.parametrize(
    ("value", "school"),
    [
        ("Het bevoegd gezag van het Deltion College", "Deltion College"),
        ("De examencommissie van ROC Midden Nederland", "ROC Midden Nederland"),
        ("ROC Midden Nederland", "ROC Midden Nederland"),
    ],
)
def test_who_acts_for_a_school_is_not_its_name(value: str, school: str) -> None:
    text = page((20, 50, "Onderwijsinstelling"), (70, 50, value))
    assert best(text, ("onderwijsinstelling",)) == {"onderwijsinstelling": school}


def test_a_header_rows_label_takes_the_value_in_its_own_column() -> None:
    """A payslip's table: "Geboortedatum | Indiensttreding" over two dates (GLOSSARY: the
    birth date beside the name is no field's date); OCR lost the label's capital."""
    from extractors.doctypes.common import iso_dates
    from extractors.parsers.labels import at_start, labelled

    text = page(
        (20, 40, "Medewerker"), (90, 40, "Geboortedatum"), (150, 40, "indiensttreding"),
        (20, 46, "Vierdag, Fatima"), (90, 46, "11.03.1973"), (150, 46, "14.12.2007"),
    )  # fmt: skip
    assert best(text, ("datum_in_dienst",)) == {"datum_in_dienst": "2007-12-14"}
    hits = labelled(text, at_start("indiensttreding"), iso_dates)
    assert [h.value for h in hits] == ["2007-12-14"]
    wrapped = page(
        (20, 40, "3.4 Schade aan derden valt onder de aansprakelijkheidsverzekering van het"),
        (20, 46, "leerbedrijf."),
        (20, 52, "3.5 Wijzigingen worden vastgelegd in een aangepast bpv-blad."),
    )  # a sentence's last word alone on its row is no label
    assert best(wrapped, ("leerbedrijf",)) == {}
    short = page((20, 40, "uren"), (20, 46, "32 uur"))
    assert best(short, ("bpv_omvang",)) == {}  # a short lower-case word is no label
    assert best(page((20, 40, "Uren"), (20, 46, "32 uur")), ("bpv_omvang",)) == {
        "bpv_omvang": "32 uur"
    }


def test_a_header_beside_a_label_that_is_no_label_of_ours() -> None:
    """ "Omvang bpv | Dagen" over "1500 klokuren | ma/di/do": nothing of its kind beside the
    label, so its value is the one under it; beside it when it stands there."""
    text = page(
        (20, 40, "Begindatum bpv"), (70, 40, "Omvang bpv"), (110, 40, "Dagen"),
        (20, 46, "18 oktober 2022"), (70, 46, "1500 klokuren"), (110, 46, "ma/di/do"),
    )  # fmt: skip
    assert best(text, ("bpv_omvang", "startdatum")) == {
        "bpv_omvang": "1500 klokuren",
        "startdatum": "2022-10-18",
    }
    total = page((20, 40, "Startdatum bpv"), (70, 40, "Totaal aantal bpv-uren"),
                 (20, 46, "27.07.2022"), (70, 46, "1200 klokuren"))  # fmt: skip
    assert best(total, ("bpv_omvang",)) == {"bpv_omvang": "1200 klokuren"}
    beside = page((20, 40, "Omvang bpv"), (70, 40, "800 uur"), (20, 46, "Dagen"))
    assert best(beside, ("bpv_omvang",)) == {"bpv_omvang": "800 uur"}


def test_a_clause_number_in_a_cell_of_its_own() -> None:
    """A hanging indent: "1." in its own cell, the party's name opening the next cell, the
    "hierna te noemen" on the clause's second row; the letterhead's department loses."""
    text = page(
        (20, 12, "Bureau Beroepspraktijkvorming"),
        (20, 40, "DE ONDERGETEKENDEN:"),
        (20, 50, "1."), (30, 50, "Noorderpoort, gevestigd te Luinjeberd, vertegenwoordigd door"),
        (30, 56, "C.E. de Wit, hierna te noemen: de onderwijsinstelling;"),
        (20, 64, "2."), (30, 64, "Zorggroep Brabantzorg, gevestigd te Tirns,"),
        (30, 70, "hierna te noemen: het leerbedrijf;"),
    )  # fmt: skip
    assert best(text, ("onderwijsinstelling", "leerbedrijf")) == {
        "onderwijsinstelling": "Noorderpoort",
        "leerbedrijf": "Zorggroep Brabantzorg",
    }


def test_a_weak_label_run_on_in_lower_case_is_a_label() -> None:
    """ "Datum opmaak bpv-blad" under "Onderwijsinstelling" is the next row's label, not the
    school; a capitalised name after a weak label word is a value ("Van Dijk Zorg")."""
    text = page(
        (20, 40, "Onderwijsinstelling", 0.8), (80, 40, "Rijn IJssel"),
        (20, 46, "Datum opmaak bpv-blad"), (80, 46, "13-08-2024", 1.3),
    )  # fmt: skip
    assert best(text, ("onderwijsinstelling",)) == {"onderwijsinstelling": "Rijn IJssel"}
    name = page((20, 40, "Leerbedrijf"), (20, 46, "Van Dijk Zorg"))
    assert best(name, ("leerbedrijf",)) == {"leerbedrijf": "Van Dijk Zorg"}
    course = page((20, 40, "Naam training"), (20, 46, "Training omgaan met agressie"))
    assert best(course, ("opleiding",)) == {"opleiding": "Training omgaan met agressie"}


def test_a_date_of_issue_in_words() -> None:
    """Diplomas write their date in words: "achttien oktober tweeduizendvijfentwintig"."""
    text = page(
        (20, 40, "DIPLOMA"),
        (20, 120, "Aldus uitgereikt te Wagenborgen, achttien oktober tweeduizendvijfentwintig"),
    )
    assert best(text, ("diploma_datum",)) == {"diploma_datum": "2025-10-18"}
    spaced = page((20, 40, "Datum uitreiking"), (70, 40, "tweeëntwintig juni tweeduizend vier"))
    assert best(spaced, ("diploma_datum",)) == {"diploma_datum": "2004-06-22"}


def test_a_label_ocr_split_in_two() -> None:
    """OCR splits a long label word ("Onder wijsinstelling", "Indiensttred ing"); joined it
    is the label. Two words that join into no label stay a value."""
    text = page(
        (20, 40, "Onder wijsinstelling"), (80, 40, "Noorderpoort"),
        (20, 46, "Indiensttred ing"), (80, 46, "20 feb. 2023"),
    )  # fmt: skip
    assert best(text, ("onderwijsinstelling", "datum_in_dienst")) == {
        "onderwijsinstelling": "Noorderpoort",
        "datum_in_dienst": "2023-02-20",
    }
    value = page((20, 40, "Leerbedrijf"), (80, 40, "Zorg groep Oost"))
    assert best(value, ("leerbedrijf",)) == {"leerbedrijf": "Zorg groep Oost"}


def test_a_known_qualification_is_a_whole_word_and_the_registered_one_comes_first() -> None:
    """ "Timmerman" is a qualification and "Timmermans" a surname: a letter about Emma
    Timmermans names no carpentry course; the registered education is looked for first."""
    from extractors.parsers.qualifications import find_known

    text = page(
        (20, 40, "Betreft: verklaring studievoortgang Emma Timmermans"),
        (20, 60, "bacheloropleiding Verpleegkunde (duaal) (opleidingscode 34560)"),
    )
    found = find_known(text, ("Verpleegkunde (duaal)",))
    assert found is not None and "Verpleegkunde" in found[0].text[found[1] : found[2]]
    assert find_known(page((20, 40, "verklaring studievoortgang Emma Timmermans"))) is None
    carpenter = find_known(page((20, 40, "de opleiding Timmerman (crebo 25120)")))
    assert carpenter is not None


def test_specks_between_section_titles() -> None:
    """OCR's specks between titles side by side ("Deelnemer | 7 | Leerbedrijf | _ |
    Onderwijsinstelling") leave the row a row of section titles over generic labels."""
    text = page(
        (12, 40, "Deelnemer"), (44, 40, "7"), (75, 40, "Leerbedrijf"), (132, 40, "_"),
        (140, 40, "Onderwijsinstelling"),
        (12, 46, "Naam"), (25, 46, "Casper Zijlmans"), (75, 46, "Naam"),
        (88, 46, "Meandergroep"), (140, 46, "Naam"), (153, 46, "Hogeschool Rotterdam"),
    )  # fmt: skip
    assert best(text, ("onderwijsinstelling", "leerbedrijf")) == {
        "onderwijsinstelling": "Hogeschool Rotterdam",
        "leerbedrijf": "Meandergroep",
    }


@pytest.mark.parametrize("filled", ["Gezien", "Voor akkoord", "n.v.t.", "Zie bijlage"])
def test_a_stamps_or_forms_word_names_nobody(filled: str) -> None:
    """A stamp "LEERBEDRIJF / Gezien" or a field filled with "n.v.t." names no company."""
    text = page((120, 200, "LEERBEDRIJF"), (120, 206, filled))
    assert best(text, ("leerbedrijf",)) == {}


def test_a_session_table_row_marked_as_the_last() -> None:
    """A training's sessions, the last row marked "(laatste lesdag)": its date is the end;
    a signing date after "binnen twee weken na de laatste lesdag" is not."""
    text = page(
        (20, 40, "Bijeenkomst"), (50, 40, "Datum"), (90, 40, "Onderwerp"),
        (20, 46, "1"), (50, 46, "27 dec. 2024"), (90, 46, "Introductie"),
        (20, 52, "2"), (50, 52, "31 jan. 2025"), (90, 52, "Theorie"),
        (20, 58, "3"), (50, 58, "16 feb. 2025"), (90, 58, "Afsluiting en toets (laatste lesdag)"),
    )  # fmt: skip
    assert best(text, ("training_einddatum",)) == {"training_einddatum": "2025-02-16"}
    signing = page((20, 40, "Tekenen binnen twee weken na de laatste lesdag"),
                   (120, 40, "17 feb. 2025"))  # fmt: skip
    assert best(signing, ("training_einddatum",)) == {}


def test_a_label_after_an_inline_separator() -> None:
    """A footer: "Diplomanummer 25-34084-5 - datum uitreiking zaterdag 27 december 2025"; a
    name after a separator is not split off ("Zorggroep Noord - locatie Oost")."""
    footer = page(
        (20, 280, "Diplomanummer 25-34084-5 - datum uitreiking zaterdag 27 december 2025")
    )
    assert best(footer, ("diploma_datum",)) == {"diploma_datum": "2025-12-27"}
    name = page((20, 40, "Leerbedrijf"), (60, 40, "Zorggroep Noord - leerbedrijf Oost"))
    assert best(name, ("leerbedrijf",)) == {"leerbedrijf": "Zorggroep Noord - leerbedrijf Oost"}


def test_another_fields_label_and_value_is_no_trainer() -> None:
    """Under a blank "Opleider" the next row is "Cursus Basiscursus palliatieve zorg": the
    course's label and name, no trainer (a type reader's value of that row does not stand)."""
    from extractors.fields import plausible

    def value(text: str) -> FieldValue:
        return FieldValue(value=text, confidence=0.9, extractor="tests")

    assert not plausible("opleider", value("Cursus Basiscursus palliatieve zorg"))
    assert plausible("opleider", value("Zorgacademie Oost"))
    assert plausible("opleiding", value("Cursus Basiscursus palliatieve zorg"))


def test_a_weak_label_left_blank_over_other_fields_labels() -> None:
    """ "Opleider" alone over "Cursus | Basiscursus …" is a form's row left blank; over its own
    generic labels ("Naam | …") it is a heading, and no absence."""
    blank = page(
        (20, 40, "Opleider"),
        (20, 46, "Cursus"), (60, 46, "Basiscursus palliatieve zorg"),
        (20, 52, "Cursuscode"), (60, 52, "ZW-25-199"),
    )  # fmt: skip
    assert "opleider" in kv_fields(blank, (FieldName.OPLEIDER,), Hints()).absent
    heading = page((20, 40, "Opleider"), (20, 46, "Naam"), (60, 46, "Zorgacademie Oost"))
    result = kv_fields(heading, (FieldName.OPLEIDER,), Hints())
    assert "opleider" not in result.absent
    assert result.found["opleider"].value == "Zorgacademie Oost"


@pytest.mark.parametrize(
    ("cell", "name"),
    [
        ("Academie voor Palliatieve Zorg, Lanstraat 287, 6613TZ Zuidoostbeemster",
         "Academie voor Palliatieve Zorg"),
        ("Zorggroep Noord, 1234 AB Utrecht", "Zorggroep Noord"),
        ("Zorggroep Noord", "Zorggroep Noord"),
    ],
)  # fmt: skip
def test_an_organisations_name_ends_where_its_address_begins(cell: str, name: str) -> None:
    from extractors.kv.values import names

    assert names(cell)[0][0] == name


def test_a_session_tables_date_column_ends_the_training_on_its_last_date() -> None:
    fields = (FieldName.TRAINING_EINDDATUM,)
    text = page(
        (20, 40, "Nr."), (35, 40, "Lesdatum"), (70, 40, "Onderdeel"),
        (20, 46, "1"), (35, 46, "25.12.2024"), (70, 46, "Startbijeenkomst"),
        (20, 52, "2"), (35, 52, "26.12.2024"), (70, 52, "Afsluiting en toetsing"),
        (20, 58, "Totaal"),
    )  # fmt: skip
    assert kv_fields(text, fields, Hints()).found["training_einddatum"].value == "2024-12-26"
    # a column of exam dates is a list, no one date of it is the field's
    exams = page(
        (20, 40, "Onderdeel"), (80, 40, "Datum examen"),
        (20, 46, "Rekenen"), (80, 46, "12-03-2024"),
        (20, 52, "Taal"), (80, 52, "19-03-2024"),
        (20, 58, "Beroep"), (80, 58, "26-03-2024"),
    )  # fmt: skip
    assert "diploma_datum" not in kv_fields(exams, (FieldName.DIPLOMA_DATUM,), Hints()).found


def test_a_dash_in_the_values_place_is_a_field_printed_blank() -> None:
    text = page(
        (20, 20, "Zorgacademie Oost"),
        (20, 40, "Naam opleider"), (70, 40, "—"),
        (20, 46, "Adres opleider"), (70, 46, "—"),
    )  # fmt: skip
    result = kv_fields(text, (FieldName.OPLEIDER,), Hints())
    assert "opleider" in result.absent and "opleider" not in result.found
    named = page((20, 40, "Naam opleider"), (70, 40, "Zorgacademie Oost"))
    assert kv_fields(named, (FieldName.OPLEIDER,), Hints()).found["opleider"].value == (
        "Zorgacademie Oost"
    )


def test_a_dense_prints_label_running_on_after_the_value_before_it() -> None:
    # narrow label/value columns: the text layer joins a value to the next column's label
    text = page(
        (15, 40, "Naam"), (50, 40, "Hanna Amalrada Datum in dienst"),
        (120, 40, "28-03-2023 Tijdvak"), (185, 40, "maand"),
        (15, 46, "Personeelsnummer"), (60, 46, "80811 Contracturen p/w"),
        (125, 46, "32,00 Periode"), (190, 46, "11"),
    )  # fmt: skip
    fields = (FieldName.DATUM_IN_DIENST, FieldName.LOONSTROOK_MAAND)
    found = kv_fields(text, fields, Hints()).found
    assert found["datum_in_dienst"].value == "2023-03-28"
    assert "loonstrook_maand" not in found  # "Periode 11": one word running on is no label


def test_a_sections_bare_number_before_its_title() -> None:
    text = page(
        (15, 40, "3 Leerbedrijf"),
        (15, 46, "Naam"), (50, 46, "Zorgcentrum Sint Jacob"), (110, 46, "Leerbedrijf-ID"),
        (140, 46, "142434755"),
        (15, 56, "4 Onderwijsinstelling"),
        (15, 62, "Naam"), (50, 62, "Albeda"), (110, 62, "BRIN"), (140, 62, "18GD"),
    )  # fmt: skip
    found = kv_fields(text, (FieldName.LEERBEDRIJF, FieldName.ONDERWIJSINSTELLING), Hints()).found
    assert found["leerbedrijf"].value == "Zorgcentrum Sint Jacob"
    assert found["onderwijsinstelling"].value == "Albeda"


def test_the_exams_date_is_the_diplomas_only_where_no_date_of_issue_is_printed() -> None:
    fields = (FieldName.DIPLOMA_DATUM,)
    both = page(
        (20, 60, "Datum examen: 3 mei 2026"),
        (20, 250, "ROC Rijn IJssel"), (100, 250, "Datum van uitreiking: 9 juni 2026"),
    )  # fmt: skip
    assert kv_fields(both, fields, Hints()).found["diploma_datum"].value == "2026-06-09"
    alone = page((20, 60, "Datum examen: 3 mei 2026"))
    assert kv_fields(alone, fields, Hints()).found["diploma_datum"].value == "2026-05-03"


def test_words_after_a_weak_date_label_name_another_date() -> None:
    fields = (FieldName.DIPLOMA_DATUM,)
    text = page(
        (20, 40, "Studentnummer"), (60, 40, "396934"), (120, 40, "Datum intakegesprek:"),
        (20, 46, "Inschrijfdatum"), (60, 46, "26-09-2022"), (120, 46, "17-08-2022"),
        (20, 90, "Naar verwachting wordt de opleiding op 24-08-2024 afgerond."),
        (20, 120, "Dwingeloo, 23-08-2024"),
    )  # fmt: skip
    # not the intake's date under "Datum intakegesprek", nor the date the sentence expects
    assert kv_fields(text, fields, Hints()).found["diploma_datum"].value == "2024-08-23"
    plain = page((20, 40, "Datum"), (60, 40, "17-08-2022"))
    assert kv_fields(plain, fields, Hints()).found["diploma_datum"].value == "2022-08-17"
    bilingual = page((20, 40, "Datum / Date"), (20, 46, "02.11.2025"))
    assert kv_fields(bilingual, fields, Hints()).found["diploma_datum"].value == "2025-11-02"
    # other weak labels run on by words stay theirs ("Omvang werkplekleren")
    volume = page(
        (20, 40, "Variant"), (100, 40, "Omvang werkplekleren"),
        (20, 46, "duaal (voltijds werken en leren)"), (100, 46, "1500 uur"),
    )  # fmt: skip
    found = kv_fields(volume, (FieldName.BPV_OMVANG,), Hints()).found
    assert found["bpv_omvang"].value == "1500 uur"


def test_a_sentence_whose_cue_follows_the_date() -> None:
    text = page(
        (20, 40, "De training ging van start op 18-2-2025; de"),
        (20, 46, "training die op 18-3-2025 werd afgerond, is met een positieve beoordeling"),
    )  # fmt: skip
    found = kv_fields(text, (FieldName.TRAINING_EINDDATUM,), Hints()).found
    assert found["training_einddatum"].value == "2025-03-18"


def test_a_one_word_letterhead_counts_where_the_sender_signs_with_it_again() -> None:
    fields = (FieldName.ONDERWIJSINSTELLING,)
    rows = [
        (30, 20, "Alfa-college"),
        (170, 20, "T 010 3114685"),
        (20, 40, "Thuiszorg Meandergroep"),
        (20, 46, "t.a.v. Nathan Belpere"),
        (20, 60, "Hierbij bevestigen wij de afspraken over de beroepspraktijkvorming."),
    ]
    closing = [(20, 200, "Met vriendelijke groet,"), (20, 206, "namens Alfa-college"),
               (20, 280, "Alfa-college · Jasonpad 029, 3471AB Ee")]  # fmt: skip
    found = kv_fields(page(*rows, *closing), fields, Hints()).found
    assert found["onderwijsinstelling"].value == "Alfa-college"
    assert "onderwijsinstelling" not in kv_fields(page(*rows), fields, Hints()).found


def test_more_ways_a_declaration_names_its_provider() -> None:
    for label in ("Uitvoerende partij", "Scholingspartner", "Leverancier (opleider):"):
        text = page((20, 40, label), (70, 40, "Careplus Trainingen"))
        found = kv_fields(text, (FieldName.OPLEIDER,), Hints()).found
        assert found["opleider"].value == "Careplus Trainingen", label
    section = page(
        (20, 40, "1. Gegevens opleidingsaanbieder"), (20, 46, "Naam"), (70, 46, "Leerhuis Welzijn"),
    )  # fmt: skip
    assert kv_fields(section, (FieldName.OPLEIDER,), Hints()).found["opleider"].value == (
        "Leerhuis Welzijn"
    )


def test_values_run_into_one_cell_under_a_header_row_go_by_column() -> None:
    # a scan's table row read as one cell under "Begin bpv | Einde bpv | Aantal uren"
    text = page(
        (20, 40, "Opleiding"), (86, 40, "Crebo"), (103, 40, "Begin bpv"), (132, 40, "Einde bpv"),
        (162, 40, "Aantal uren"),
        (20, 46, "Verzorgende IG"), (86, 46, "25491"),
        (103, 46, "17-09-2024 21-12-2025 600 uur"),
    )  # fmt: skip
    found = kv_fields(text, (FieldName.STARTDATUM, FieldName.EINDDATUM), Hints()).found
    assert found["startdatum"].value == "2024-09-17"
    assert found["einddatum"].value == "2025-12-21"
