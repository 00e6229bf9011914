"""Object keys of the incoming bucket: `<registratie_id>/<slot>/<filename>`, e.g.
`R0210073/praktijkovereenkomst/pok.pdf` (slots: `core.enums.Slot`). A key that does not follow
the convention is refused with a Dutch message that says how to upload the file again."""

from __future__ import annotations

from typing import NamedTuple

from core.enums import Slot
from core.errors import BadKey

MAX_NAME_BYTES = 200
_EXAMPLE = "R0210073/praktijkovereenkomst/praktijkovereenkomst.pdf"


class Upload(NamedTuple):
    registratie_id: str
    slot: Slot
    filename: str


def parse_key(key: str) -> Upload:
    """Registration, slot and file name from a key, or BadKey with a Dutch message."""
    parts = key.split("/")
    if len(parts) != 3 or any(p.strip() in ("", ".", "..") for p in parts):
        raise BadKey(
            f"Het bestand '{key}' staat niet op de goede plek. Zet elk bestand in de map "
            f"<registratienummer>/<vakje>/, bijvoorbeeld {_EXAMPLE}, en upload het opnieuw."
        )
    registratie_id, slot, filename = parts
    try:
        chosen = Slot(slot)
    except ValueError:
        raise BadKey(
            f"'{slot}' is geen uploadvakje. Kies een van: {', '.join(s.value for s in Slot)}; "
            f"upload het bestand opnieuw als {registratie_id}/<vakje>/{filename}."
        ) from None
    if len(filename.encode()) > MAX_NAME_BYTES or "\x00" in filename:
        raise BadKey(
            f"De bestandsnaam is langer dan {MAX_NAME_BYTES} tekens of bevat een ongeldig teken. "
            "Geef het bestand een kortere, gewone naam en upload het opnieuw."
        )
    return Upload(registratie_id, chosen, filename)


def upload_of(key: str) -> Upload | None:
    """What the key says, when it follows the convention."""
    try:
        return parse_key(key)
    except BadKey:
        return None
