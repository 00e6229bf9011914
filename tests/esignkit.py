"""Build PDFs for the integrity tests: a reportlab page, signed in the test with a self-made
key and self-signed certificate (pyHanko), and incremental updates after signing that change
page content or only add an annotation."""

from __future__ import annotations

import datetime as dt
import io

from asn1crypto import keys as akeys
from asn1crypto import x509 as ax509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

SIGNER = "J. de Vries"


def page_pdf(*lines: str) -> bytes:
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("Helvetica", 11)
    for i, line in enumerate(lines or ("Praktijkovereenkomst",)):
        c.drawString(60, 780 - 16 * i, line)
    c.save()
    return buf.getvalue()


def self_signed(name: str = SIGNER) -> signers.SimpleSigner:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    acert = ax509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    akey = akeys.PrivateKeyInfo.load(
        key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return signers.SimpleSigner(
        signing_cert=acert,
        signing_key=akey,
        cert_registry=SimpleCertificateStore.from_certs([acert]),
    )


def signed(pdf: bytes, name: str = SIGNER) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(field_name="Handtekening1")
    out = signers.sign_pdf(writer, meta, signer=self_signed(name))
    return bytes(out.getvalue())


def _first_page(writer: IncrementalPdfFileWriter) -> generic.DictionaryObject:
    return writer.root["/Pages"]["/Kids"][0].get_object()


def with_content_change(pdf: bytes, text: str = "Gewijzigd") -> bytes:
    """An incremental update adding a content stream to page 1."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    page = _first_page(writer)
    stream = generic.StreamObject(
        stream_data=f"BT /F1 10 Tf 60 40 Td ({text}) Tj ET".encode("latin-1")
    )
    ref = writer.add_object(stream)
    page[generic.NameObject("/Contents")] = generic.ArrayObject([page.raw_get("/Contents"), ref])
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def with_annotation(pdf: bytes) -> bytes:
    """An incremental update that only adds a comment (text) annotation to page 1."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    page = _first_page(writer)
    annot = generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/Annot"),
            generic.NameObject("/Subtype"): generic.NameObject("/Text"),
            generic.NameObject("/Rect"): generic.ArrayObject(
                [generic.FloatObject(v) for v in (20, 20, 40, 40)]
            ),
            generic.NameObject("/Contents"): generic.TextStringObject("gezien"),
        }
    )
    ref = writer.add_object(annot)
    raw = page.raw_get("/Annots") if "/Annots" in page else None
    if isinstance(raw, generic.IndirectObject):
        array = raw.get_object()
        assert isinstance(array, generic.ArrayObject)
        array.append(ref)
        writer.update_container(array)
    else:
        page[generic.NameObject("/Annots")] = generic.ArrayObject([*(raw or []), ref])
        writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
