"""Reading rules added after the layout zoo's eleventh round: items of one printed line set
apart by a separator, and a party named under its caption in the signature block."""

from __future__ import annotations

from core.fields import FieldName
from core.layout import DocumentText
from core.model import Hints
from extractors.doctypes.diploma import place_date
from extractors.fields import guided_company
from extractors.kv.read import read
from tests.test_kv_reading import best, document, page


def reread(text: DocumentText, token: str, confidence: float) -> DocumentText:
    """`text` with every word `token` read at `confidence`."""
    words = [w.model_copy(update={"confidence": confidence}) if w.text == token else w
             for line in text.lines for w in line.words]  # fmt: skip
    return DocumentText.of(document(words))


def test_place_and_date_before_a_separated_item_is_the_date_of_issue() -> None:
    """A diploma's footer "Holtheme, 05-08-2024 | diplomanr. 2024EX22": the separator ends the
    place-and-date item. Without a separator the words after the date are part of it, and the
    row is no place-and-date line (passing, failing and not applicable)."""
    for line in ("Holtheme, 05-08-2024 | diplomanr. 2024EX220309",
                 "Holtheme, 5 augustus 2024 · diplomanummer 2211"):  # fmt: skip
        text = page((20, 30, "Diploma"), (20, 260, line))
        assert best(text, ("diploma_datum",)) == {"diploma_datum": "2024-08-05"}
        found = place_date(text)
        assert found is not None and found.value == "2024-08-05"
    glued = page((20, 30, "Diploma"), (20, 260, "Holtheme, 05-08-2024 diplomanr. 2024EX22"))
    assert "diploma_datum" not in read(glued, ("diploma_datum",))
    assert place_date(glued) is None
    other = page((20, 30, "Diploma"), (20, 260, "Registratie DUO | diplomanr. 2024EX22"))
    assert place_date(other) is None


def _company(*rows: tuple[float, float, str]) -> str | None:
    found = guided_company(
        page((20, 20, "Praktijkovereenkomst"), *rows),
        (FieldName.LEERBEDRIJF,),
        Hints(organisation="Thuiszorg Meandergroep"),
        None,
    )
    return None if found is None else str(found.value)


def test_a_party_named_under_its_caption_in_the_signature_block() -> None:
    """Under "Ondertekening voor akkoord", "Het leerbedrijf" over "Thuiszorg Meandergroep" in
    its own column names the leerbedrijf; the same name under the student's caption, or with
    no caption over it (a stamp's text), is no proof of the role."""
    heading = (20, 200, "Ondertekening voor akkoord")
    assert _company(
        heading, (20, 215, "De student"), (110, 215, "Het leerbedrijf"),
        (20, 221, "Lenn van Nes"), (110, 221, "Thuiszorg Meandergroep"),
    ) == "Thuiszorg Meandergroep"  # fmt: skip
    assert _company(
        heading, (20, 215, "De student"), (110, 215, "Handtekening"),
        (20, 221, "Lenn van Nes"), (110, 221, "Thuiszorg Meandergroep"),
    ) is None  # fmt: skip
    assert _company(
        heading, (20, 209, "Leerbedrijf"), (20, 215, "Handtekening:"),
        (20, 221, "Thuiszorg Meandergroep"),
    ) is None  # fmt: skip


def test_a_heading_split_by_ocr_and_band_noise_between_headings() -> None:
    """A table of parties under a dark band: OCR split "Onderwijsinstelling" in two and read
    the band's edge as "ene" at 0.07. The split heading still opens the school's section, the
    noise is no cell, and "Naam" under each heading is that party's name. The same noise read
    surely ("ene" at 0.9) stays a cell, and the row is no heading row then (not applicable)."""
    from extractors.kv.labels import section_of

    assert section_of("Onder wijsinstelling") == "onderwijsinstelling"
    assert section_of("Leer bedrijf") == "leerbedrijf"
    assert section_of("Naam van") is None

    def doc(noise: float) -> DocumentText:
        text = page(
            (15, 60, "Deelnemer"), (75, 60, "Leerbedrijf"), (120, 60, "ene"),
            (140, 60, "Onder wijsinstelling"),
            (15, 66, "Naam"), (30, 66, "Mila de Gruijl"), (75, 66, "Naam"),
            (90, 66, "Woonzorg Waalboog"), (140, 66, "Naam"), (155, 66, "ROC Rivor"),
        )  # fmt: skip
        return reread(text, "ene", noise)

    fields = ("leerbedrijf", "onderwijsinstelling")
    assert best(doc(0.07), fields) == {"leerbedrijf": "Woonzorg Waalboog",
                                       "onderwijsinstelling": "ROC Rivor"}  # fmt: skip
    assert best(doc(0.9), fields).get("onderwijsinstelling") != "ROC Rivor"


def test_a_birth_date_opening_the_next_row_is_no_date_of_issue() -> None:
    """ "… verklaart dat James Olthof, geboren op" / "06-08-1996, sinds 20 aug. 2024 staat
    ingeschreven …": the wrapped "op" is the birth label's. A sentence wrapped after "heeft op"
    gives the date; no "op" before the row, no date (passing, failing, not applicable)."""

    def issued(tail: str, head: str) -> dict[str, str]:
        text = page((20, 30, "Bewijs van deelname"), (20, 60, tail), (20, 66, head))
        return best(text, ("diploma_datum",))

    born = issued("Ondergetekende verklaart dat James Olthof, geboren op",
                  "06-08-1996, sinds 20 aug. 2024 staat ingeschreven")  # fmt: skip
    assert born == {}
    passed = issued("verklaart dat James Olthof het examen heeft op",
                    "12 juli 2024 met goed gevolg afgelegd")  # fmt: skip
    assert passed == {"diploma_datum": "2024-07-12"}
    assert issued("verklaart dat James Olthof is ingeschreven", "sinds 2024 actief") == {}


def test_a_header_run_into_one_cell_is_cut_at_the_value_columns() -> None:
    """ "Niv. Leerweg Ingangsdatum Einddatum" read as one cell over "— | duaal | 5 sept. 2024 |
    7 nov. 2025": each header word starting at a value's column heads that column. A heading
    whose words start nowhere near the values' columns stays one cell."""
    from extractors.kv.cells import Grid

    header = page(
        (20, 60, "Opleiding"), (75, 60, "Croho"),
        (93, 60, "Niv. Leerweg Ingangsdatum Einddatum"), (168, 60, "Status"),
        (20, 66, "Verpleegkunde"), (75, 66, "34560"), (93, 66, "—"), (102.5, 66, "duaal"),
        (117.7, 66, "05-09-2024"), (142.4, 66, "07-11-2025"), (168, 66, "actief"),
    )  # fmt: skip
    assert [c.text for c in Grid.of(header).rows[0]] == [
        "Opleiding", "Croho", "Niv.", "Leerweg", "Ingangsdatum", "Einddatum", "Status"]  # fmt: skip
    got = best(header, ("startdatum", "einddatum"))
    assert got == {"startdatum": "2024-09-05", "einddatum": "2025-11-07"}
    heading = page((20, 60, "Opleiding en beroepspraktijkvorming"),
                   (20, 66, "Kwalificatie"), (60, 66, "Crebo"), (90, 66, "Niveau"))  # fmt: skip
    assert [c.text for c in Grid.of(heading).rows[0]] == ["Opleiding en beroepspraktijkvorming"]


def test_a_dash_proves_a_blank_only_as_surely_as_it_was_read() -> None:
    """ "Naam opleider | —" is the field printed blank, its evidence the label and the dash; a
    "_" OCR made of a band's edge at 0.3 proves nothing (the blank is unsure: review)."""
    from extractors.kv.select import kv_fields

    def blank(conf: float) -> float | None:
        text = page((20, 40, "Prestatieverklaring"), (20, 60, "Naam opleider"), (80, 60, "—"))
        found = kv_fields(reread(text, "—", conf), (FieldName.OPLEIDER,), Hints())
        absent = found.absent.get("opleider")
        return None if absent is None else absent.confidence

    sure, unsure = blank(0.95), blank(0.3)
    assert sure is not None and sure >= 0.8
    assert unsure is not None and unsure < 0.5


def _absent(text: DocumentText, field: FieldName) -> bool:
    from extractors.kv.select import kv_fields

    found = kv_fields(text, (field,), Hints())
    blank = found.absent.get(field)
    return blank is not None and blank.bbox is not None and blank.confidence >= 0.5


def test_words_beside_a_label_are_no_blank_unless_they_head_a_table() -> None:
    """A scanned list "Naam opleider | Instituut voor Zorgvaardigheden" over the course's name
    on a row of its own: the words beside the label may be its value, so it is not printed
    blank (passing: not found at worst, review). In a table's header row "Omvang bpv | Dagen
    | …" with nothing under "Omvang bpv" the field was left blank (failing); a label with
    nothing beside or under it in a list is blank too."""
    listed = page(
        (20, 40, "Gegevens scholing"),
        (14, 50, "Naam opleider"), (70, 50, "Instituut voor Zorgvaardigheden"),
        (70, 56, "Begeleiden van cliënten met dementie"),
        (14, 62, "Cursus"), (70, 62, "ZW-23-161"),
    )  # fmt: skip
    assert not _absent(listed, FieldName.OPLEIDER)
    table = page(
        (14, 50, "Begindatum bpv"), (55, 50, "Einddatum bpv"), (100, 50, "Omvang bpv"),
        (140, 50, "Dagen"), (170, 50, "Contract"),
        (14, 56, "21-08-2023"), (55, 56, "21-06-2024"), (140, 56, "ma/di/do"),
        (170, 56, "ja"),
    )  # fmt: skip
    assert _absent(table, FieldName.BPV_OMVANG)


def test_a_table_row_whose_name_column_is_empty_is_printed_blank() -> None:
    """ "Rol | Naam | Adres / gegevens | Kenmerk", then "Leerbedrijf | (empty) | Collinweg 4 |
    Leerbedrijf-ID …": the address is no name, the company's name was left out. With the name
    in its column it is read (passing)."""

    def parties(name: str | None) -> DocumentText:
        cells = [(14, 50, "Rol"), (50, 50, "Naam"), (110, 50, "Adres / gegevens"),
                 (160, 50, "Kenmerk"),
                 (14, 56, "Deelnemer"), (50, 56, "Mirte Verbeek"), (110, 56, "Geboren 07-06-1990"),
                 (160, 56, "Studentnr. 743684"),
                 (14, 62, "Leerbedrijf"), (110, 62, "Collinweg 4"),
                 (160, 62, "Leerbedrijf-ID 70778335")]  # fmt: skip
        if name:
            cells.append((50, 62, name))
        return page(*cells)

    assert _absent(parties(None), FieldName.LEERBEDRIJF)
    assert best(parties(None), ("leerbedrijf",)).get("leerbedrijf") != "Collinweg 4"
    named = parties("Zorggroep Noord")
    assert best(named, ("leerbedrijf",)) == {"leerbedrijf": "Zorggroep Noord"}


def test_a_table_rule_read_as_a_bar_is_no_blank_and_a_value_is_never_cut() -> None:
    """ "Onderwijsinstelling | | | ROC Rivor" over "BRIN 30BZ" starting under "ROC": the bar is
    a table's rule, not the field printed blank; "| ROC Rivor" run together is no header to
    cut at the column below (it holds no two labels)."""
    from extractors.kv.cells import Grid

    def table(bar: float, value: float) -> DocumentText:
        return page(
            (14, 60, "Rol"), (value, 60, "Naam"), (110, 60, "Adres"),
            (14, 66, "Onderwijsinstelling"), (bar, 66, "|"), (value, 66, "ROC Rivor"),
            (110, 66, "Ibrahimsingel 4"), (value, 72, "BRIN 30BZ"), (110, 72, "3436 JB Valburg"),
        )  # fmt: skip

    apart = table(bar=55, value=62)  # the bar a cell of its own: a rule, dropped
    assert [c.text for c in Grid.of(apart).rows[1]] == [
        "Onderwijsinstelling", "ROC Rivor", "Ibrahimsingel 4"]  # fmt: skip
    together = table(bar=56, value=58)  # "| ROC Rivor" one cell: never cut
    assert [c.text for c in Grid.of(together).rows[1]] == [
        "Onderwijsinstelling", "| ROC Rivor", "Ibrahimsingel 4"]  # fmt: skip
    for text in (apart, together):
        assert best(text, ("onderwijsinstelling",)) == {"onderwijsinstelling": "ROC Rivor"}


def test_a_form_of_labels_above_values_has_no_table_columns_to_skip() -> None:
    """A form with labels above values: the row "Naam deelnemer | Geboortedatum | Studentnummer
    | Leerweg" is no header of the company's row under the next heading, and "Naam leerbedrijf
    | Leerbedrijf-ID (SBB)" is a row of labels, not a party's row with its name column empty."""
    form = page(
        (14, 40, "A Deelnemer"),
        (14, 46, "Naam deelnemer"), (95, 46, "Geboortedatum"), (130, 46, "Studentnummer"),
        (162, 46, "Leerweg"),
        (14, 52, "Aiden Corstiaens"), (95, 52, "30-01-1985"), (130, 52, "309613"),
        (162, 52, "BBL"),
        (14, 60, "B Erkend leerbedrijf (werkgever)"),
        (14, 66, "Naam leerbedrijf"), (130, 66, "Leerbedrijf-ID (SBB)"),
        (14, 72, "Kinderopvang Maasduinen"), (130, 72, "41231231"),
    )  # fmt: skip
    assert not _absent(form, FieldName.LEERBEDRIJF)
    assert best(form, ("leerbedrijf",)) == {"leerbedrijf": "Kinderopvang Maasduinen"}


def test_a_trainers_own_letter_names_the_trainer_and_an_enrolment_that_began() -> None:
    """ "Hierbij verklaar ik, Elena van Northeim, eigenaar van Careplus Trainingen, dat …" and
    the sign-off "docent/trainer, Careplus Trainingen" name the trainer; "De inschrijving is
    ingegaan op 9 sept. 2024." is the enrolment's start. A sentence without such words names
    no trainer (not applicable)."""
    said = "Hierbij verklaar ik, E. van Northeim, eigenaar van Careplus Trainingen, dat"
    letter = page((20, 40, "Prestatieverklaring"), (20, 60, said))
    assert best(letter, ("opleider",)) == {"opleider": "Careplus Trainingen"}
    sign_off = "docent/trainer, Careplus Trainingen"
    signed = page((20, 40, "Prestatieverklaring"), (20, 220, sign_off))
    assert best(signed, ("opleider",)) == {"opleider": "Careplus Trainingen"}
    plain = page((20, 40, "Prestatieverklaring"), (20, 60, "De medewerkers hebben gevolgd."))
    assert best(plain, ("opleider",)) == {}
    enrolled = page((20, 40, "Verklaring van inschrijving"),
                    (20, 60, "De inschrijving is ingegaan op 9 sept. 2024."))  # fmt: skip
    assert best(enrolled, ("startdatum",)) == {"startdatum": "2024-09-09"}
