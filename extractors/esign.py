"""Electronic signatures: the PDF signature fields of a file (validated with pyHanko) and the
text traces that e-signing services leave on the page ("Digitaal ondertekend door …",
"Envelope ID: …").

Trust model. We check *integrity* and *traceability to a named signer*, not a qualified trust
list: the rules allow electronic signatures "als te herleiden is wie getekend heeft", and the
e-signing services employers use (DocuSign, Signhost, Validsign, Zoho Sign, self-made
certificates of a school) are mostly not on the EU trusted list. So a self-signed or untrusted
certificate is *not* invalid by itself; a signature is invalid when its CMS blob does not parse,
its hash does not match the signed byte range, or the page content was changed by an
incremental update after signing. Adding annotations or form fields after signing is fine.
pyHanko's own difference policy does not yet accept added comment annotations (it reports them
as "other" changes), so when it objects we compare the pages' content streams of the signed
revision with the final file ourselves and only call it a modification when those differ.

Never raises on a hostile PDF. Names of signers are never logged: pyHanko's own loggers quote
certificate subjects, so `quiet_signature_loggers` caps them at CRITICAL, called by the process
initialiser (`pipeline.bootstrap.init_process`) and again before pyHanko is first used here, so
that a process that skipped the initialiser (a test, a library caller) cannot leak them."""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.model import Page

log = logging.getLogger(__name__)
# Their warnings carry certificate subjects (signers' names) and full tracebacks.
QUIET_LOGGERS = ("pyhanko", "pyhanko_certvalidator")

# pyHanko's modification levels we accept: none, LTA/DSS updates, form filling, annotations.
_ACCEPTED_LEVELS = frozenset({"NONE", "LTA_UPDATES", "FORM_FILLING", "ANNOTATIONS"})


@dataclass(frozen=True)
class PdfSignature:
    """One signed /Sig field. `valid` is our verdict (integrity, not trust)."""

    field: str
    signer: str | None  # certificate subject CN (or /Name when there is no certificate)
    signing_time: datetime | None
    intact: bool  # CMS parses and the digest matches the signed byte range
    covers_whole_file: bool
    modified_after_signing: bool  # page content changed by a later incremental update
    trusted: bool  # chains to a trust root we know (informational only)
    reason: str | None = None  # Dutch, when not valid

    @property
    def valid(self) -> bool:
        return self.intact and not self.modified_after_signing

    def as_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "signer": self.signer,
            "signing_time": self.signing_time.isoformat() if self.signing_time else None,
            "intact": self.intact,
            "covers_whole_file": self.covers_whole_file,
            "modified_after_signing": self.modified_after_signing,
            "trusted": self.trusted,
            "valid": self.valid,
            "reason": self.reason,
        }


BROKEN = "de handtekening bevat geen geldige ondertekeningsgegevens"
HASH = "de inhoud komt niet overeen met wat er is ondertekend"
CHANGED = "het document is na ondertekening gewijzigd"


def has_signature_fields(data: bytes) -> bool:
    """Cheap pre-test: a signature dictionary's /ByteRange is always in the plain file."""
    return b"/ByteRange" in data


def _signed_prefix(byte_range: Any) -> int | None:
    try:
        values = [int(v) for v in byte_range]
        return values[2] + values[3]
    except Exception:
        return None


def page_contents(data: bytes) -> list[bytes] | None:
    """Every page's decoded content stream(s), or None when pypdf cannot read the file."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        out = []
        for page in reader.pages:
            contents = page.get_contents()
            out.append(contents.get_data() if contents is not None else b"")
        return out
    except Exception:
        return None


def content_changed(before: bytes, after: bytes) -> bool | None:
    """Whether a page present in revision `before` has other content in `after` (pages added at
    the end do not count); None when either revision cannot be read."""
    old, new = page_contents(before), page_contents(after)
    if old is None or new is None or len(new) < len(old):
        return None if old is None or new is None else True
    return any(a != b for a, b in zip(old, new, strict=False))


def _cn(cert: Any) -> str | None:
    try:
        native = cert.subject.native
        return str(native.get("common_name") or "") or None
    except Exception:
        return None


def _fallback(data: bytes, name: str, sig: Any, reason: str) -> PdfSignature:
    """A signature pyHanko could not model (e.g. a /Contents that is no CMS at all)."""
    signer = None
    signing_time = None
    end = None
    try:
        signer = str(sig.get("/Name")) if sig.get("/Name") else None
        end = _signed_prefix(sig.get("/ByteRange"))
    except Exception:
        pass
    covers = end is not None and end >= len(data.rstrip())
    changed = False
    if end is not None and not covers:
        changed = bool(content_changed(data[:end], data))
    if changed:
        reason = f"{reason} en {CHANGED}"
    return PdfSignature(name, signer, signing_time, False, covers, changed, False, reason)


def _validate_one(data: bytes, emb: Any, context: Any) -> PdfSignature:
    from pyhanko.sign.validation import validate_pdf_signature

    name = str(getattr(emb, "field_name", "") or "handtekening")
    status = validate_pdf_signature(emb, context)
    intact = bool(status.intact and status.valid)
    coverage = getattr(status.coverage, "name", "")
    covers = coverage == "ENTIRE_FILE"
    level = getattr(status.modification_level, "name", None)
    changed = False
    if not covers and level not in _ACCEPTED_LEVELS:
        end = _signed_prefix(emb.sig_object.get("/ByteRange"))
        verdict = content_changed(data[:end], data) if end else None
        changed = verdict is not False  # unreadable revision: trust pyHanko's objection
    reason = None if intact else HASH
    if intact and changed:
        reason = CHANGED
    return PdfSignature(
        field=name,
        signer=_cn(status.signing_cert),
        signing_time=status.signer_reported_dt,
        intact=intact,
        covers_whole_file=covers,
        modified_after_signing=changed,
        trusted=bool(status.trusted),
        reason=reason,
    )


def quiet_signature_loggers() -> None:
    """Cap pyHanko's loggers at CRITICAL (see the module docstring); cheap, safe to repeat."""
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL)


def pdf_signatures(data: bytes) -> list[PdfSignature]:
    """Every filled signature field of a PDF, validated; [] for unsigned or unreadable files."""
    if not has_signature_fields(data):
        return []
    quiet_signature_loggers()
    try:
        from pyhanko.pdf_utils.reader import PdfFileReader
        from pyhanko.sign.fields import enumerate_sig_fields
        from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
        from pyhanko_certvalidator import ValidationContext

        reader = PdfFileReader(io.BytesIO(data), strict=False)
        fields = list(enumerate_sig_fields(reader, filled_status=True))
    except Exception as exc:
        log.info("signature fields unreadable (%s)", type(exc).__name__)
        return []
    # No trust roots and no fetching: trust is informational (see the module docstring).
    context = ValidationContext(trust_roots=[], allow_fetching=False)
    out: list[PdfSignature] = []
    for name, sig_ref, field_ref in fields:
        try:
            sig = sig_ref.get_object()
            if str(sig.get("/Type", "/Sig")) not in ("/Sig", "/DocTimeStamp"):
                continue
        except Exception:
            continue
        if str(sig.get("/Type", "/Sig")) == "/DocTimeStamp":
            continue  # a document timestamp names no signer
        try:
            emb = EmbeddedPdfSignature(reader, field_ref, name)
        except Exception as exc:
            log.info("signature %s does not parse (%s)", name, type(exc).__name__)
            out.append(_fallback(data, name, sig, BROKEN))
            continue
        try:
            out.append(_validate_one(data, emb, context))
        except Exception as exc:
            log.info("signature %s failed validation (%s)", name, type(exc).__name__)
            out.append(_fallback(data, name, sig, BROKEN))
    return out


# -- text traces of e-signing services ------------------------------------------------------
_NAME = r"([A-Z][\w.'\-]*(?:\s+(?:(?:van|der|den|het|ter|ten|de|te)\b|[A-Z][\w.'\-]*)){0,5})"
TRACE_PATTERNS = [
    # case-insensitive lead-in only: the name must start with capitals ("door J. de Vries op …")
    re.compile(r"(?i:(?:digitaal|elektronisch)\s+(?:ondertekend|getekend)\s+door)[:\s]+" + _NAME),
    re.compile(r"(?i:(?:digitally|electronically)\s+signed\s+by)[:\s]+" + _NAME),
    re.compile(r"(?:elektronisch|digitaal)\s+ondertekend\b", re.I),
    re.compile(r"\b(?:docusign\s+)?envelope[\s-]*id\s*[:#]\s*[0-9A-F-]{8,}", re.I),
    re.compile(r"\btransactie[\s-]*id\s*[:#]\s*\S{6,}", re.I),
    re.compile(r"\b(?:signhost|validsign|zoho\s+sign)\b.{0,40}?\b(?:id|ondertekend)\b", re.I),
]
ROLES = {
    "deelnemer": ("deelnemer", "student", "leerling", "werknemer", "cursist"),
    "leerbedrijf": ("leerbedrijf", "werkgever", "bpv-bedrijf", "praktijkopleider"),
    "onderwijsinstelling": ("onderwijsinstelling", "school", "roc", "hogeschool"),
    "docent": ("docent", "trainer", "opleider"),
}
_ROLE_WINDOW = 2  # lines above (and the line itself) searched for a party label


def _role(lines: list[str], index: int) -> str | None:
    for back in range(_ROLE_WINDOW + 1):
        if index - back < 0:
            break
        text = lines[index - back].lower()
        for role, labels in ROLES.items():
            if any(re.search(rf"\b{re.escape(label)}\b", text) for label in labels):
                return role
    return None


def _line_words(page: Page) -> list[list[Any]]:
    grouped: dict[tuple[int, int], list[Any]] = {}
    for word in page.words:
        grouped.setdefault((word.block, word.line), []).append(word)
    return [grouped[k] for k in sorted(grouped)]


def signature_traces(pages: list[Page]) -> list[dict[str, Any]]:
    """Traces of e-signing in the text: {"signer", "rol", "page", "bbox"} per trace line (the
    signer None when only an envelope id or 'Elektronisch ondertekend' is seen)."""
    found: list[dict[str, Any]] = []
    for page in pages:
        lines = _line_words(page)
        texts = [" ".join(w.text for w in ws) for ws in lines]
        for index, (words, text) in enumerate(zip(lines, texts, strict=True)):
            for pattern in TRACE_PATTERNS:
                match = pattern.search(text)
                if match is None:
                    continue
                signer = match.group(1).strip() if match.groups() else None
                x0 = min(w.bbox.x0 for w in words)
                y0 = min(w.bbox.y0 for w in words)
                x1 = max(w.bbox.x1 for w in words)
                y1 = max(w.bbox.y1 for w in words)
                found.append(
                    {
                        "signer": signer,
                        "rol": _role(texts, index),
                        "page": page.number,
                        "bbox": [round(v, 4) for v in (x0, y0, x1, y1)],
                    }
                )
                break
    return found
