"""Answers of the upload API (`web.api`) with their OpenAPI examples. The upload answer is the
CONTRACT report entry that `bewijscheck check` prints, plus a status."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from core.enums import Slot, Verdict
from core.model import Finding
from core.report import ReportDocument, ReportRegistration

_FINDING: dict[str, Any] = {
    "code": "SIGNATURES_MISSING",
    "severity": "error",
    "message": "De praktijkovereenkomst is niet door alle drie de partijen ondertekend. "
    "Upload een versie met de handtekeningen van deelnemer, leerbedrijf en school.",
    "document_id": "3f1c0d9e5b7a4c2e8f6d1a0b9c8e7f6a5d4c3b2a1908f7e6d5c4b3a29180f7e6",
    "page": 2,
    "bbox": [0.08, 0.71, 0.92, 0.88],
    "expected": "3",
    "found": "2",
    "slot": "praktijkovereenkomst",
    "file": "pok.pdf",
}
_DOCUMENT: dict[str, Any] = {
    "document_id": _FINDING["document_id"],
    "file": "pok.pdf",
    "slot": "praktijkovereenkomst",
    "doc_type": "praktijkovereenkomst",
    "doc_type_confidence": 0.97,
    "doc_type_evidence": ["praktijkovereenkomst", "beroepspraktijkvorming"],
    "page_types": ["praktijkovereenkomst", "praktijkovereenkomst"],
    "pages": 2,
    "text_source": "text_layer",
    "ocr_confidence": None,
    "fields": {
        "crebo": {
            "value": "25486",
            "page": 1,
            "bbox": [0.12, 0.34, 0.2, 0.36],
            "confidence": 0.95,
            "source_text": "Crebo: 25486",
            "extractor": "crebo",
            "method": "text_layer",
        }
    },
}


class UploadStatus(StrEnum):
    CHECKED = "gecontroleerd"  # checked now and recorded in the case
    UNCHANGED = "al_ontvangen"  # same file already in this slot: the earlier result


class UploadAnswer(ReportRegistration):
    """The pre-screen of this one upload (CONTRACT report entry; completeness of the other
    slots is not judged), and whether it was checked now or had been received before."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "status": "gecontroleerd",
                    "registratie_id": "R0210270",
                    "verdict": "reject",
                    "findings": [_FINDING],
                    "documents": [_DOCUMENT],
                }
            ]
        }
    )

    status: UploadStatus = Field(
        description="gecontroleerd: nu gecontroleerd en vastgelegd; al_ontvangen: hetzelfde "
        "bestand stond al in dit vakje, dit is de eerdere uitkomst"
    )


class RegistrationState(BaseModel):
    """The registration as it stands now: every current document, after the SSC's review."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "registratie_id": "R0210270",
                    "verdict": "reject",
                    "findings": [_FINDING],
                    "documents": [_DOCUMENT],
                    "decision": None,
                    "reupload_message": "Upload de praktijkovereenkomst met alle drie de "
                    "handtekeningen.",
                    "updated_at": "2025-03-14T09:12:45Z",
                }
            ]
        }
    )

    registratie_id: str
    verdict: Verdict = Field(description="approve, review of reject, na beoordeling door het SSC")
    findings: list[Finding] = Field(
        description="bevindingen die meetellen (door het SSC verworpen bevindingen niet)"
    )
    documents: list[ReportDocument] = Field(description="de huidige documenten per vakje")
    to_review: list[Finding] = Field(
        default_factory=list,
        description="wat niet gelezen is en door het SSC wordt bekeken (geen afwijking)",
    )
    decision: str | None = Field(
        default=None, description="besluit van het SSC: goedgekeurd, afgewezen of nog geen"
    )
    reupload_message: str | None = Field(
        default=None, description="bericht van het SSC wanneer een document opnieuw moet"
    )
    updated_at: datetime


class ApiError(BaseModel):
    """An error with its reason in Dutch."""

    detail: str = Field(examples=["Registratie niet gevonden."])


# -- OpenAPI: error answers and the multipart body --------------------------------------

ERRORS: dict[int | str, dict[str, Any]] = {
    401: {
        "model": ApiError,
        "description": "Geen token, een onbekend token of een ingetrokken token.",
        "headers": {"WWW-Authenticate": {"schema": {"type": "string"}, "example": "Bearer"}},
    },
    404: {
        "model": ApiError,
        "description": "De registratie bestaat niet of hoort niet bij de organisatie van het "
        "token (beide krijgen hetzelfde antwoord).",
    },
}
UPLOAD_ERRORS: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    409: {
        "model": ApiError,
        "description": "Over de registratie is al een besluit genomen: er kunnen geen "
        "documenten meer bij. Het bestand is niet bewaard; het SSC kan de registratie "
        "heropenen.",
    },
    413: {"model": ApiError, "description": "Het bestand is groter dan toegestaan."},
    422: {
        "model": ApiError,
        "description": "Het formulier mist slot of bestand, of het vakje bestaat niet.",
    },
    503: {
        "model": ApiError,
        "description": "De opslag is tijdelijk niet bereikbaar; probeer "
        "het later opnieuw (het bestand is niet vastgelegd).",
    },
}
UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["slot", "bestand"],
                    "properties": {
                        "slot": {
                            "type": "string",
                            "enum": [s.value for s in Slot],
                            "description": "Het vakje waarin het document is geüpload.",
                        },
                        "bestand": {
                            "type": "string",
                            "format": "binary",
                            "description": "Het document: PDF of JPG. Het type wordt aan de "
                            "inhoud bepaald, niet aan de naam.",
                        },
                    },
                }
            }
        },
    }
}
