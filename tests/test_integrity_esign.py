"""PDF signatures: a self-signed signature validates (intact, whole file, signer named); page
content changed after signing, or a fake non-CMS /Contents, makes it invalid; an annotation
added after signing does not."""

from __future__ import annotations

from core.enums import WordSource
from core.geometry import BBox
from core.model import Page, Word
from extractors.esign import pdf_signatures, signature_traces
from fixtures import broken
from tests import esignkit as kit


def test_self_signed_signature_validates() -> None:
    [sig] = pdf_signatures(kit.signed(kit.page_pdf()))
    assert sig.intact and sig.covers_whole_file and not sig.modified_after_signing
    assert sig.valid and not sig.trusted  # untrusted is not invalid (integrity, not trust)
    assert sig.signer == kit.SIGNER
    assert sig.signing_time is not None


def test_content_changed_after_signing_is_invalid() -> None:
    [sig] = pdf_signatures(kit.with_content_change(kit.signed(kit.page_pdf())))
    assert sig.intact and not sig.covers_whole_file
    assert sig.modified_after_signing and not sig.valid
    assert sig.reason is not None and "na ondertekening gewijzigd" in sig.reason


def test_annotation_after_signing_is_fine() -> None:
    [sig] = pdf_signatures(kit.with_annotation(kit.signed(kit.page_pdf())))
    assert not sig.covers_whole_file
    assert sig.valid and not sig.modified_after_signing


def test_fixture_fake_signature_is_invalid() -> None:
    data = broken.signed_then_modified(kit.page_pdf(), "Piet Jansen", 7)
    [sig] = pdf_signatures(data)
    assert not sig.intact and not sig.valid and sig.modified_after_signing
    assert sig.signer == "Piet Jansen"


def test_unsigned_and_hostile_files_give_no_signatures() -> None:
    assert pdf_signatures(kit.page_pdf()) == []
    assert pdf_signatures(b"%PDF-1.7\n/ByteRange [0 1 2 3] garbage") == []
    assert pdf_signatures(kit.signed(kit.page_pdf())[:-400]) in ([], pdf_signatures(b""))


def _page(*lines: str) -> Page:
    words = []
    for n, line in enumerate(lines):
        for i, text in enumerate(line.split()):
            box = BBox(x0=0.1 + 0.05 * i, y0=0.1 + 0.03 * n, x1=0.14 + 0.05 * i, y1=0.12 + 0.03 * n)
            words.append(
                Word(text=text, bbox=box, confidence=1.0, source=WordSource.TEXT_LAYER, line=n)
            )
    return Page(number=1, width=595, height=842, source=WordSource.TEXT_LAYER, words=words)


def test_text_trace_names_the_signer_and_role() -> None:
    page = _page("Namens het leerbedrijf", "Digitaal ondertekend door J. de Vries", "Datum")
    [trace] = signature_traces([page])
    assert trace["signer"] == "J. de Vries"
    assert trace["rol"] == "leerbedrijf"
    assert trace["page"] == 1 and len(trace["bbox"]) == 4


def test_envelope_id_is_a_trace_without_signer() -> None:
    page = _page("Envelope ID: 3F2A9C1E-55B1-4C2D-9E7A-0B1C2D3E4F50")
    [trace] = signature_traces([page])
    assert trace["signer"] is None


def test_plain_text_has_no_traces() -> None:
    assert signature_traces([_page("Handtekening werkgever", "Datum 01-09-2024")]) == []
