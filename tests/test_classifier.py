"""The document-type classifier separates the hard pairs and explains itself."""

from __future__ import annotations

import pytest

from core.enums import DocType
from extractors.classify.classifier import classify, classify_pages, classify_text, load_model
from tests.helpers_text import document_of

EMPLOYMENT_BBL = """Zorgcentrum De Linde
Arbeidsovereenkomst BBL-leerling
De ondergetekenden: Zorgcentrum De Linde, hierna te noemen de werkgever, en Tyler Molenaar,
hierna te noemen de werknemer, komen het volgende overeen.
Artikel 1. Functie. De werknemer treedt in dienst in de functie van leerling Verzorgende IG in
het kader van de beroepsbegeleidende leerweg (BBL), opleiding Verzorgende IG, crebo 25491.
Artikel 2. Duur. De arbeidsovereenkomst gaat in op 1 september 2024.
Artikel 5. Proeftijd. Er geldt een proeftijd van een maand. Salaris volgens cao VVT."""

PRACTICE = """Noorderpoort
Praktijkovereenkomst (BPV-overeenkomst)
Overeenkomst beroepspraktijkvorming beroepsbegeleidende leerweg
Deelnemer Naam Jan de Vries Geboortedatum 12-03-1990
Leerbedrijf Naam leerbedrijf Zorggroep Noorderlicht Praktijkopleider P. Bakker
Onderwijsinstelling Noorderpoort
Opleiding Verzorgende IG Crebo 25491 Niveau 3 Leerweg BBL
Beroepspraktijkvorming Startdatum BPV 1 september 2024 Einddatum BPV 31 augustus 2026
Omvang BPV 800 uur"""

DIPLOMA = """DIPLOMA middelbaar beroepsonderwijs
Het bevoegd gezag van ROC Rivor verklaart dat Jan de Vries geboren op 5 april 1993
heeft voldaan aan de eisen voor het diploma van de kwalificatie Verzorgende IG
Crebo 25491, niveau 3. Uitgereikt op 6 augustus 2024. Voorzitter examencommissie"""

PARTICIPATION = """Deltion College
Verklaring van deelname
Hierbij verklaren wij dat Jan de Vries sinds 1 september 2023 deelneemt aan de opleiding
Verzorgende IG (crebo 25491) en deze opleiding nog volgt. Status actief"""

ATTENDANCE = """Presentielijst
Training dementiezorg
Naam Handtekening aanwezig
Jan de Vries
Piet Jansen"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (EMPLOYMENT_BBL, DocType.ARBEIDSOVEREENKOMST),
        (PRACTICE, DocType.PRAKTIJKOVEREENKOMST),
        (DIPLOMA, DocType.DIPLOMA),
        (PARTICIPATION, DocType.BEWIJS_VAN_DEELNAME),
        (ATTENDANCE, DocType.ONBEKEND),
    ],
)
def test_hard_pairs(text: str, expected: DocType) -> None:
    result = classify_text(text, load_model())
    assert result.doc_type is expected
    if expected is not DocType.ONBEKEND:
        assert result.confidence >= 0.6
        assert result.evidence, "the report must say which words decided"


def test_employment_contract_never_a_practice_agreement_even_keywords_only() -> None:
    assert classify_text(EMPLOYMENT_BBL, None).doc_type is not DocType.PRAKTIJKOVEREENKOMST


def test_empty_text_is_unknown() -> None:
    assert classify_text("", load_model()).doc_type is DocType.ONBEKEND


def test_bundle_gets_a_type_per_page() -> None:
    payslip = [
        "Loonstrook Zorggroep Noorderlicht",
        "Periode: september 2024",
        "Werknemer Jan de Vries Personeelsnummer 12345",
        "Salaris 2.345,67 Pensioenpremie PFZW -120,00",
        "Loonheffing -410,00 Netto te betalen 1.815,67",
    ]
    bundle = document_of(PRACTICE.splitlines(), payslip)
    pages = classify_pages(bundle)
    assert [p.doc_type for p in pages] == [DocType.PRAKTIJKOVEREENKOMST, DocType.LOONSTROOK]
    assert classify(bundle).doc_type is DocType.PRAKTIJKOVEREENKOMST


def test_loaded_model_tokenizes_as_the_tokenizer_saved_with_it() -> None:
    """`load_model` skips reading the saved tokenizer (spaCy's Dutch default, built anyway):
    the one it uses must be byte for byte the saved one, or the model sees other tokens."""
    import spacy

    from extractors.classify.classifier import MODEL_DIR, load_model

    model = load_model()
    assert model is not None and model.pipe_names == ["textcat"]
    saved = spacy.load(MODEL_DIR).tokenizer  # read from the model's folder
    # (the vocab left out: it grows with every text the cached model has seen)
    assert model.tokenizer.to_bytes(exclude=["vocab"]) == saved.to_bytes(exclude=["vocab"])
    text = "o.a. bijv. de BBL-opleiding t/m 1-9-2025"
    assert [t.text for t in model(text)] == [t.text for t in saved(text)]


class FakeModel:
    """A text classifier that is always as sure as it is told."""

    def __init__(self, **cats: float) -> None:
        self.cats = cats

    def __call__(self, text: str) -> FakeModel:
        return self


PAYSLIP_LINES = (
    "Zorggroep Oost\nPersoonlijk en vertrouwelijk\nJ. Jansen\nSchoolstraat 1\n1234 AB Breda\n"
    "Personeelsnummer 35399\nUurloon 27,34\nLoonheffing - 44,75\n"
    "Functie Leerling verpleegkunde (duaal)"
)  # one payslip keyword, tied with a dual study's


def test_a_sure_model_and_the_keywords_agreeing_decide_together() -> None:
    """A keyword's weight after the softmax is small (one payslip word, tied: ~0.16): a sure
    model and that keyword stayed under the threshold; their share of the keyword evidence
    counts now."""
    sure = classify_text(PAYSLIP_LINES, FakeModel(loonstrook=0.99))
    assert sure.doc_type is DocType.LOONSTROOK and sure.confidence >= 0.6
    # the model alone, against the keywords, does not decide
    alone = classify_text(PAYSLIP_LINES, FakeModel(diploma=0.99))
    assert alone.doc_type is DocType.ONBEKEND
    # keywords pointing elsewhere more strongly: no agreement, no decision
    contract = PAYSLIP_LINES + "\nZie uw arbeidsovereenkomst"
    assert classify_text(contract, FakeModel(loonstrook=0.99)).doc_type is DocType.ONBEKEND
