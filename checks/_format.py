"""How rules write dates, months, document types and slots in their Dutch messages."""

from __future__ import annotations

from datetime import date

from core.dutch import MONTHS
from core.enums import DocType, Slot
from core.model import ProcessedDocument


def nl(d: date) -> str:
    """A date as the portal shows it: DD-MM-YYYY."""
    return d.strftime("%d-%m-%Y")


def month_of(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def nl_month(month: str) -> str:
    """'2024-09' as 'september 2024' (returns the input when it is not a month)."""
    try:
        year, mon = month.split("-")[:2]
        return f"{MONTHS[int(mon) - 1]} {int(year)}"
    except (ValueError, IndexError):
        return month


TYPE_NAMES = {
    DocType.PRAKTIJKOVEREENKOMST: "praktijkovereenkomst",
    DocType.OPLEIDINGSOVEREENKOMST: "opleidingsovereenkomst",
    DocType.BEWIJS_VAN_INSCHRIJVING: "bewijs van inschrijving",
    DocType.LOONSTROOK: "loonstrook",
    DocType.DIPLOMA: "diploma",
    DocType.BEWIJS_VAN_DEELNAME: "bewijs van deelname",
    DocType.PRESTATIEVERKLARING: "prestatieverklaring",
    DocType.ARBEIDSOVEREENKOMST: "arbeidsovereenkomst",
    DocType.KVK_UITTREKSEL: "uittreksel KvK",
    DocType.ONBEKEND: "onbekend document",
}


def type_name(doc: ProcessedDocument) -> str:
    return TYPE_NAMES[doc.classified.doc_type] if doc.classified else "document"


# Names that take "het": het bewijs (van inschrijving, van deelname), het diploma, het
# uittreksel, het document, het prestatiebewijs; every other document and slot takes "de".
NEUTER = ("bewijs", "diploma", "uittreksel", "document", "onbekend document", "prestatiebewijs")


def the(name: str) -> str:
    """`name` with its definite article: "de loonstrook", "het bewijs van deelname"."""
    neuter = name.split(" ")[0] in NEUTER or name in NEUTER
    return f"{'het' if neuter else 'de'} {name}"


def the_doc(doc: ProcessedDocument) -> str:
    """The document's type with its article: "de praktijkovereenkomst", "het diploma"."""
    return the(type_name(doc))


SLOT_NAMES = {
    Slot.PRAKTIJKOVEREENKOMST: "praktijkovereenkomst (leerwerkovereenkomst)",
    Slot.OPLEIDINGSOVEREENKOMST: "studie- of opleidingsovereenkomst",
    Slot.BEWIJS_VAN_INSCHRIJVING: "bewijs van inschrijving",
    Slot.LOONSTROOK_START: "loonstrook start",
    Slot.LOONSTROOK_EIND: "loonstrook eind",
    Slot.PRESTATIEBEWIJS: "prestatiebewijs",
    Slot.PRESTATIEVERKLARING: "prestatieverklaring",
    Slot.KVK_UITTREKSEL: "uittreksel KvK",
}
