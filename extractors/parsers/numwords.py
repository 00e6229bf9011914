"""Dutch numbers written in words, as diplomas write their dates ("achttien oktober
tweeduizendvijfentwintig"): 1-99 and the years 1900-2099."""

from __future__ import annotations

UNITS = ("een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen")
TEENS = ("tien", "elf", "twaalf", "dertien", "veertien", "vijftien", "zestien", "zeventien",
         "achttien", "negentien")  # fmt: skip
TENS = ("twintig", "dertig", "veertig", "vijftig", "zestig", "zeventig", "tachtig", "negentig")
CENTURIES = {"negentienhonderd": 1900, "tweeduizend": 2000}


def in_words(n: int) -> str:
    """1-99 in words: "een", "achttien", "tweeëntwintig" (a diaeresis after "twee" and "drie")."""
    if not 0 < n < 100:
        raise ValueError(f"{n} is not within 1-99")
    if n < 10:
        return UNITS[n - 1]
    if n < 20:
        return TEENS[n - 10]
    tens, unit = divmod(n, 10)
    if unit == 0:
        return TENS[tens - 2]
    unit_word = UNITS[unit - 1]
    join = "ën" if unit_word.endswith("e") else "en"
    return f"{unit_word}{join}{TENS[tens - 2]}"


def year_in_words(year: int) -> str:
    """1900-2099 in words: "tweeduizendvijfentwintig", "negentienhonderdnegenennegentig"."""
    for word, base in CENTURIES.items():
        if base <= year < base + 100:
            return word + (in_words(year - base) if year > base else "")
    raise ValueError(f"{year} is not within 1900-2099")


def _spellings(word: str) -> list[str]:
    return [word, word.replace("ë", "e")] if "ë" in word else [word]


WORDS: dict[str, int] = {s: n for n in range(1, 100) for s in _spellings(in_words(n))}
YEARS: dict[str, int] = {
    s: y
    for base in CENTURIES.values()
    for y in range(base, base + 100)
    for s in _spellings(year_in_words(y))
}


def number(word: str) -> int | None:
    """1-99 or a year written in words (spaces ignored, OCR may drop the diaeresis), else None."""
    key = word.lower().replace(" ", "")
    return WORDS.get(key) or YEARS.get(key)
