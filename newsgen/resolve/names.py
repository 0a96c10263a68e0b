"""Name normalisation: the keys under which spellings of one name meet.

"Sergueï Choïgou", "Sergei Choigou" and "M. Choïgou" must land on comparable keys; two
different people who share a surname must not. Keys are accent-, case- and punctuation-free.
"""
from __future__ import annotations

import re

from slugify import slugify
from unidecode import unidecode

HONORIFICS = {
    "m", "mm", "mme", "mmes", "mlle", "mlles", "dr", "pr", "me", "mgr", "mr", "mrs", "ms", "sir",
    "monsieur", "madame", "mademoiselle", "messieurs", "mesdames", "docteur", "professeur", "maitre",
}
_WORD = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    """Lowercase ASCII with words separated by single spaces."""
    return " ".join(_WORD.findall(unidecode(text or "").lower()))


def name_tokens(name: str) -> list[str]:
    """Folded tokens of a personal name, honorifics dropped from the front."""
    toks = fold(name).split()
    while toks and toks[0] in HONORIFICS:
        toks = toks[1:]
    return toks


def strip_honorific(name: str) -> str:
    """'M. Shoigu' -> 'Shoigu'; keeps the original spelling of the rest."""
    return re.sub(
        r"^(?:(?:M|MM|Mme|Mmes|Mlle|Dr|Pr|Me|Mgr|Mr|Mrs|Ms)\.?|Monsieur|Madame|Mademoiselle|Messieurs|Mesdames"
        r"|Sir|Docteur|Professeur|Maître)(?:\s+|\.(?=\S))",
        "",
        name.strip(),
    ).strip()


def make_id(name: str) -> str:
    """A stable URL slug for a name."""
    return slugify(unidecode(name), max_length=80) or "sans-nom"
