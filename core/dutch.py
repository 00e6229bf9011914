"""Dutch words shared by the readers, the rules and the fixture generator: one home for the
month names, so a date written by one is read by the others. Abbreviations and variants stay
with their user (the parser reads more spellings than the generator writes)."""

from __future__ import annotations

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")  # fmt: skip

# Legal forms left out when organisation names are compared ("Zorggroep Noord B.V.").
LEGAL_FORMS = frozenset({"bv", "nv", "vof", "stichting", "st", "vereniging", "cv", "holding"})
