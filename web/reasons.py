"""Preset reasons for the reviewer's corrections and finding decisions.

A reason stays required, but most are one of a few: a preset picked with the arrow keys saves
typing it each time (the keyboard-only task went from 59 keys to under 40). A free text beside
it adds to the preset or stands alone; an unknown preset is refused rather than stored."""

from __future__ import annotations

from core.errors import ReviewError

CORRECTION_REASONS = (
    "Staat zo op de pagina",
    "Niet gevonden door de lezer",
    "Verkeerd gelezen door de lezer",
    "Staat op een andere pagina",
)
FINDING_REASONS = (
    "Gecontroleerd op de pagina",
    "Verkeerd gelezen door de lezer",
    "Opleiding hernummerd (opvolgende crebo)",
    "Valt binnen de regeling",
    "Aangeleverd buiten het portaal",
)
TYPE_REASONS = (
    "Type herkend op de pagina",
    "Verkeerd herkend door de lezer",
)


def reason(choice: str, text: str, presets: tuple[str, ...]) -> str:
    """The reason to store: the preset, the free text, or both as "preset: text"."""
    choice, text = choice.strip(), text.strip()
    if choice and choice not in presets:
        raise ReviewError("Kies een reden uit de lijst of typ er zelf een.")
    return f"{choice}: {text}" if choice and text else choice or text
