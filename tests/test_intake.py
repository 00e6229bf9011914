"""Intake decides the type by content and turns every bad-input kind into the right finding."""

from __future__ import annotations

import pytest
from PIL import Image

from core.enums import FindingCode, MediaType
from core.errors import AdmissionError
from core.settings import Limits
from reading.admission import intake, sniff
from tests import factories

LIMITS = Limits()


def test_pdf_and_jpeg_accepted_by_content() -> None:
    pdf = intake(factories.text_pdf(pages=2), LIMITS)
    assert pdf.media_type is MediaType.PDF and pdf.page_count == 2
    assert len(pdf.document_id) == 64
    jpg = intake(factories.jpeg(), LIMITS)
    assert jpg.media_type is MediaType.JPEG and jpg.page_count == 1


def test_sniff_ignores_names_and_tolerates_junk_before_header() -> None:
    assert sniff(b"junk\n" + factories.text_pdf()) is MediaType.PDF
    assert sniff(factories.docx()) is None
    assert sniff(b"") is None


@pytest.mark.parametrize(
    ("make", "code", "words"),
    [
        (lambda: b"", FindingCode.FILE_UNREADABLE, "leeg"),
        (factories.truncated_pdf, FindingCode.FILE_UNREADABLE, "onvolledig"),
        (factories.encrypted_pdf, FindingCode.FILE_UNREADABLE, "wachtwoord"),
        (factories.corrupt_pdf, FindingCode.FILE_UNREADABLE, "beschadigd"),
        (factories.docx, FindingCode.FILE_TYPE_NOT_ALLOWED, "Word"),
        (factories.png, FindingCode.FILE_TYPE_NOT_ALLOWED, "PNG"),
        (
            lambda: b"Beste SSC,\nhierbij de loonstrook.",
            FindingCode.FILE_TYPE_NOT_ALLOWED,
            "tekstbestand",
        ),
        (factories.jpeg_bomb, FindingCode.FILE_UNREADABLE, "te groot"),
        (lambda: b"\xff\xd8\xff\xe0garbage", FindingCode.FILE_UNREADABLE, "beschadigd"),
    ],
)
def test_bad_input_gets_finding_with_dutch_message(make, code: FindingCode, words: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AdmissionError) as caught:
        intake(make(), LIMITS)
    assert caught.value.code == code
    assert words in caught.value.message
    assert "PDF" in caught.value.message or "upload" in caught.value.message.lower()


def test_limits_are_configurable() -> None:
    data = factories.text_pdf(pages=3)
    with pytest.raises(AdmissionError, match="pages, limit 2"):
        intake(data, Limits(max_pages=2))
    with pytest.raises(AdmissionError, match="limit 100"):
        intake(data, Limits(max_bytes=100))
    small_bomb = factories.jpeg(Image.new("L", (3000, 3000), 255))  # 9 MP, honestly stored
    assert intake(small_bomb, LIMITS).media_type is MediaType.JPEG
    with pytest.raises(AdmissionError, match="MP"):
        intake(small_bomb, Limits(max_megapixels=5))
