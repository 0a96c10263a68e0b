"""French date expressions in news text, with values at the precision the text gives.

`find_dates(text, published)` is a pure function of the raw text: hand-written regexes over a small
French lexicon, no spaCy, so it runs in well under a millisecond per article and its offsets are
offsets into `text` exactly. `dateparser` was measured on French TimeBank and rejected: it finds
spans by tokens ("hier une", "sa" = samedi, "30,4 secondes" as a date), always answers at day
precision, and is an order of magnitude slower.

How values are chosen (the reasons, since news text rarely says everything):
- A value keeps the text's precision: `YYYY-MM-DD`, `YYYY-MM`, `YYYY`. Weeks and seasons get
  TimeML-like non-calendar values (`1999-W27`, `2003-W05-WE`, `2001-SU`); a season in general
  ("en été") is no date and is skipped, so `XXXX` only ever means "no publication date".
- Relative expressions ("hier", "mardi dernier", "il y a trois mois") need `published`; without it
  they are skipped, since no value can be given. A year-less day or month without `published`
  keeps `XXXX` for the year: nothing invents the current year.
- A year-less date takes the nearest plausible year around publication, biased to the past (news
  mostly reports what happened) unless the clause is in the future tense.
- A bare weekday is the most recent such day on or before publication (past tense, the common
  case): online and wire copy says "a annoncé jeudi" on the Thursday it happened, and "jeudi
  dernier" when it means the week before. In a future-tense clause, or after "à"/"pour"
  ("ajourné à lundi"), it is the next such day, publication day included. "ce mardi" is the
  nearest one, and that includes the day of publication.

- "le lendemain", "la veille", "l'année suivante" take the date mentioned just before them (as
  TimeML does) and are left out when there is none.
- Holidays ("à Noël", "le lundi de Pâques", "la Toussaint") and numeric dates (day first,
  "10/11/1993", or ISO) are dates like any other; everything inside a URL is ignored.

Candidates from all rules compete; the longest span wins, so "le 6 mai dernier" beats "mai".
Spans leave out the article ("13 septembre", not "le 13 septembre") but keep words that carry the
meaning: "en juin", "début octobre", "l'année 2001", "il y a trois mois", "ce dimanche".
"""
from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from newsgen.records import DateMention

__all__ = ["find_dates"]

# ---------------------------------------------------------------------------------------------
# Lexicon

MONTHS: dict[str, int] = {
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
    "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "décembre": 12, "decembre": 12,
    # abbreviations, only accepted after a day number (see _DAY_DATE)
    "janv": 1, "févr": 2, "fevr": 2, "fév": 2, "fev": 2, "avr": 4, "juil": 7, "sept": 9,
    "oct": 10, "nov": 11, "déc": 12, "dec": 12,
}
WEEKDAYS: dict[str, int] = {
    "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6,
}
NUMBER_WORDS: dict[str, int] = {
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
    "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14,
    "quinze": 15, "seize": 16, "vingt": 20, "vingts": 20, "trente": 30, "quarante": 40,
    "cinquante": 50, "soixante": 60, "cent": 100,
}
# Month names that are also ordinary words or names (the planet, a first name): bare, they need a cue.
AMBIGUOUS_MONTHS = {"mai", "mars"}

# Words after a number that make it a quantity, not a year ("2000 personnes", "98 %").
QUANTITY_WORDS = frozenset("""
    an ans année années jour jours mois semaine semaines heure heures h minute minutes min seconde
    secondes siècle siècles fois euro euros € franc francs f dollar dollars $ livres yens % pour
    personne personnes habitant habitants homme hommes femme femmes enfant enfants mort morts
    blessé blessés victime victimes soldat soldats policiers gendarmes manifestants salariés emplois
    postes élèves étudiants spectateurs visiteurs participants adhérents membres exemplaires
    logements maisons voitures véhicules km kilomètres m mètres m2 m² m3 cm mm kg g kilos tonnes t
    litres l hectares ha points voix pages mots lits places signatures cas unités entreprises sites
    kw mw watts volts chevaux cv pieds miles degrés ° mégawatts milliards millions milliers
""".split())
# Function words ending in -s/-x that may follow a year ("en 1998 les travaux", "mai 68 dans").
FUNCTION_WORDS_S = frozenset("""
    les des ses ces mes tes nos vos leurs plusieurs dans sous sans vers pas plus puis mais ils
    nous vous alors depuis lors après très jamais toujours aux ceux deux trois quelques certains
    tous divers moins dès ailleurs
""".split())

_APOS = "['’]"
_MONTH_FULL = r"janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre"
_MONTH_ABBR = r"(?:janv|f[ée]vr?|avr|juil|sept|oct|nov|d[ée]c)\."
_WEEKDAY = r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
_DAY_NUM = r"1er|1ᵉʳ|premier|[12]\d|3[01]|0?[1-9]"
_YEAR_AFTER = r"\d{4}|['’]?\d{2}"  # validated in code: a two-digit group may be a quantity
_NUM = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_NUMBER = rf"\d{{1,3}}|(?:{_NUM})(?:[-\s](?:et[-\s])?(?:{_NUM}))*"
_FLAGS = re.IGNORECASE

# ---------------------------------------------------------------------------------------------
# Patterns (one per rule; handlers below turn a match into candidates)

# "mercredi 3 avril", "13 septembre", "le 1er mai 1962", "10 novembre 93", "6 mai dernier"
_DAY_DATE = re.compile(
    rf"\b(?:(?P<wd>{_WEEKDAY})\s*,?\s+)?(?P<d>{_DAY_NUM})\s+(?P<m>{_MONTH_FULL}|{_MONTH_ABBR})(?!\w)"
    rf"(?:\s+(?P<y>{_YEAR_AFTER})\b)?(?:\s+(?P<rel>derniers?|dernières?|prochains?|prochaines?|passés?))?\b",
    _FLAGS)
# The first days of "les 6 et 13 avril", "du 3 au 6 juin": each leading day is its own date.
_DAY_LIST = re.compile(
    rf"\b(?:(?P<wd>{_WEEKDAY})\s+)?(?P<d>{_DAY_NUM})(?=(?P<rest>(?:\s*(?:,|et|ou|au|à|-|–)\s*(?:le\s+)?"
    rf"(?:(?:{_WEEKDAY})\s+)?(?:{_DAY_NUM})){{1,6}}\s+(?:{_MONTH_FULL})\b))",  # bounded: stays linear
    _FLAGS)
# "mardi 6" (a programme listing): the month is the one around publication with that weekday.
_WEEKDAY_DAY = re.compile(rf"\b(?P<wd>{_WEEKDAY})\s+(?P<d>{_DAY_NUM})\b(?!\s*(?:h\b|heures?\b|[,.]\d|%|\d))",
                          _FLAGS)
# "en juin", "début octobre", "mi-juin", "octobre 98", "juin prochain", "au mois d'août 2001"
_MONTH = re.compile(
    rf"(?P<mod>\b(?:en|début|fin|courant)\s+|\bmi-\s*|\b(?:au\s+|le\s+)?mois\s+d(?:e\s+|{_APOS}))?"
    rf"\b(?P<m>{_MONTH_FULL})\b(?!-(?!(?:{_MONTH_FULL})\b))(?:\s+(?P<y>{_YEAR_AFTER})\b)?"
    rf"(?:\s+(?P<rel>derniers?|dernières?|prochains?|prochaines?|passés?))?\b",
    _FLAGS)
# "1998", "en 1995", "l'année 2001", "fin 2001", "mi-2002", "2002/2003"
_YEAR = re.compile(
    rf"(?P<pre>\b(?:l{_APOS}ann[ée]e|l{_APOS}an|en|début|fin|courant)\s+|\bmi-)?"
    r"(?<![\d.,])\b(?P<y>1\d{3}|20\d{2})\b(?![.,]\d|\s?\d{3}\b)",
    _FLAGS)
# "hier", "avant-hier", "demain", "aujourd'hui vendredi", "ce matin"
_DEICTIC = re.compile(
    rf"\b(?:(?P<w>avant[-\s]hier|après[-\s]demain|hier|demain|aujourd{_APOS}hui)(?:\s+(?P<wd>{_WEEKDAY})\b)?"
    r"|(?P<now>ce\s+matin|ce\s+midi|ce\s+soir|cet\s+après-midi))\b",
    _FLAGS)
# "mardi", "ce dimanche", "vendredi dernier", "mercredi prochain"
_WEEKDAY_ALONE = re.compile(
    rf"\b(?:(?P<ce>ce|cette)\s+(?:même\s+)?)?(?P<wd>{_WEEKDAY})\b(?!-)"
    r"(?:\s+(?P<rel>dernier|prochain|passé)\b)?",
    _FLAGS)
# "il y a trois mois", "il y a deux ans", "dans quinze jours"
_AGO = re.compile(
    rf"\b(?P<dir>il\s+y\s+a|voici|voilà|dans)\s+(?:(?:environ|près\s+de|presque|plus\s+de|moins\s+de|quelque)\s+)?"
    rf"(?P<n>{_NUMBER})\s+(?P<u>jours?|semaines?|mois|ans|an|années?)\b",
    _FLAGS)
# "l'année dernière", "l'an prochain", "cette année", "la nouvelle année", "le mois dernier"
_REL_PERIOD = re.compile(
    rf"\b(?:l{_APOS}ann[ée]e\s+(?P<yrel>dernière|passée|prochaine|en\s+cours)"
    r"|l['’]an\s+(?P<anrel>dernier|passé|prochain)"
    r"|(?P<this_year>cette\s+ann[ée]e)(?!-)"
    r"|(?P<new_year>la\s+nouvelle\s+ann[ée]e)"
    r"|le\s+mois\s+(?P<mrel>dernier|passé|prochain)"
    r"|(?P<this_month>ce\s+mois(?:-ci)?)(?!-)"
    r"|la\s+semaine\s+(?P<wrel>dernière|passée|prochaine)"
    r"|(?P<this_week>cette\s+semaine)"
    r"|(?P<weekend>ce\s+week-?end)"
    r"|le\s+week-?end\s+(?P<werel>dernier|passé|prochain))\b",
    _FLAGS)
# "en été", "cet hiver", "l'été 2001", "au printemps dernier"
_SEASON = re.compile(
    rf"(?P<pre>\b(?:en|cet|ce|au)\s+|\bl{_APOS})(?P<s>été|hiver|automne|printemps)\b"
    r"(?:\s+(?P<y>\d{4})\b|\s+(?P<rel>dernier|prochain|passé)\b)?",
    _FLAGS)

# "le lendemain", "la veille", "l'année suivante": resolved against the date mentioned just before
_ANAPHORIC = re.compile(
    r"\b(?:(?P<lendemain>le\s+lendemain)|(?P<surlendemain>le\s+surlendemain)|(?P<veille>la\s+veille)"
    r"|(?P<avant_veille>l['’]avant-veille)|(?P<meme>le\s+jour\s+même|ce\s+jour-là)"
    r"|l['’]ann[ée]e\s+(?P<year>suivante|précédente)|le\s+mois\s+(?P<month>suivant|précédent))\b"
    r"(?!\s+(?:de|du|des|d['’])\b)",  # "la veille du scrutin" hangs on an event, not on a date
    _FLAGS)

# "10/11/1993", "3.4.2002", "10/11/93" (French day-month order) and ISO "2024-05-03"
_NUMERIC = re.compile(
    r"(?<![\d/.-])(?:(?P<d>[0-3]?\d)(?P<sep>[/.])(?P<m>[01]?\d)(?P=sep)(?P<y>\d{4}|\d{2}(?![.]\d))"
    r"|(?P<iy>\d{4})-(?P<im>[01]\d)-(?P<id>[0-3]\d))(?![\d/-]|\.\d)")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)

# "à Noël", "le lundi de Pâques", "la Toussaint", "le jour de l'an": a cue keeps "le Père Noël" out.
_HOLIDAY = re.compile(
    rf"(?P<pre>\b(?:(?:à|pour|depuis|avant|après|dès|d{_APOS}ici|jusqu{_APOS}à)\s+|(?:le\s+jour|la\s+veille|"
    rf"le\s+soir|la\s+nuit|le\s+réveillon|le\s+lundi|le\s+dimanche|le\s+week-?end)\s+de\s+))?"
    rf"(?P<h>\bNoël|\bPâques|\bla\s+Toussaint|\ble\s+Nouvel\s+An|\ble\s+jour\s+de\s+l{_APOS}an|"
    rf"\bla\s+Saint-Sylvestre|\bla\s+Pentecôte)\b(?:\s+(?P<y>\d{{4}})\b)?",
    _FLAGS)

# Context tests (each searched on the few characters before or around a match)
# words after which a bare month is a date: "depuis janvier", "la rentrée de septembre"
_CUE_BEFORE_MONTH = re.compile(
    rf"(?:\b(?:de|du|depuis|dès|avant|après|pour|vers|entre|jusqu{_APOS}en|jusqu{_APOS}à|jusqu{_APOS}au|"
    rf"d{_APOS}ici)\s+|\bd{_APOS})$",
    _FLAGS)
# a month right before: "juillet et août", "juillet-août"
_LIST_BEFORE_MONTH = re.compile(
    rf"\b(?:{_MONTH_FULL})(?:\b[^.;:]{{0,12}}\b(?:et|ou|à|au)\s+|\s*[-–/]\s*)$", _FLAGS)
_SENTENCE_START = re.compile(r"(?:^|[.!?:;»\n]|[.!?]\s*[»\"])\s*$")
# words after which a four-digit number is a year even outside 1900-2059: "en 1847", "de 1190"
_YEAR_CUE = re.compile(
    rf"(?:\b(?:en|depuis|dès|de|du|des|l{_APOS}an|l{_APOS}année|année|saison|fin|début|courant|avant|après|"
    rf"vers|entre|jusqu{_APOS}en|jusqu{_APOS}à|printemps|été|automne|hiver|et|à|au|{_MONTH_FULL})\s+"
    rf"|\bmi-|\d{{4}}\s*[-/–]\s*)$",
    _FLAGS)
# words after which a number is a count or a code: "plus de 2000", "article 1382", "l'A 1998"
_QUANTITY_BEFORE = re.compile(
    r"(?:\b(?:environ|plus\s+de|moins\s+de|près\s+de|quelque|au\s+moins|n°|no|numéro|page|p\.|article|"
    r"art\.|code|tél\.?|route|rn|rd|a|années|mille)\s*|[^\W\d][-–]|\d[\s.,]?)$",
    re.IGNORECASE)
_NON_DATE_WEEKDAY_AFTER = re.compile(r"\s+(?:gras|saint|noir)\b", re.IGNORECASE)
_HABITUAL_BEFORE = re.compile(
    r"\b(?:le|les|du|au|chaque|tous\s+les|toutes\s+les|un|une|des|ce\s+même|certains)\s+$", re.IGNORECASE)
# tense markers for _tense: future forms and auxiliaries; past auxiliaries, imperfect, passé composé
_FUTURE = re.compile(
    r"\b(?:sera|seront|serons|aura|auront|fera|feront|ira|iront|pourra|pourront|devra|devront|va|vont|"
    r"doit|doivent|prévue?s?|programmée?s?|prochaine?s?|demain|"
    r"[^\W\d_]{2,}(?:era|eront|ira|iront|dra|dront))\b")
_PAST = re.compile(
    r"\b(?:a|ont|avait|avaient|eut|eurent|fut|furent|était|étaient|hier|dernière?s?|"
    r"[a-zéèêàâîôûç]{2,}(?:ait|aient|èrent)|"
    r"(?:s['’]est|se\s+sont|est|sont)\s+(?!prévu|attendu|programmé)"
    r"[a-zéèêàâîôûç]+(?:é|ée|és|ées|is|us))\b")
_SENTENCE_END = re.compile(r"[.!?\n]")
_DIGIT_BEFORE = re.compile(r"\d[\s.,]?$")
# what may come before the first day of a list: "les 6 et 13 avril", "du 3 au 5 mai", "6, 7 et 8 juin"
_LIST_CUE = re.compile(
    r"(?:\b(?:les|du|des|entre\s+le|entre|le|dès\s+le|depuis\s+le)\s+|\d\s*,\s*|\d\s+(?:et|ou)\s+)$",
    re.IGNORECASE)
# A preposition that points a bare weekday forward or back: "ajourné à lundi", "depuis vendredi".
_TOWARD_FUTURE = re.compile(rf"\b(?:à|â|pour|jusqu{_APOS}à|d{_APOS}ici|avant)\s+$", re.IGNORECASE)
_TOWARD_PAST = re.compile(r"\bdepuis\s+$", re.IGNORECASE)
# The same for a date or a month, which outweighs the verb: "depuis janvier, les prix montent".
_SINCE = re.compile(r"\bdepuis\s+(?:le\s+|la\s+|l['’]|début\s+|fin\s+)?$", re.IGNORECASE)
_UNTIL = re.compile(rf"\b(?:d{_APOS}ici|jusqu{_APOS}(?:en|à|au))\s+(?:le\s+|la\s+|l{_APOS}|début\s+|fin\s+)?$",
                    re.IGNORECASE)


# ---------------------------------------------------------------------------------------------
# Public API


def find_dates(text: str, published: dt.date | None) -> list[DateMention]:
    """Every date expression in `text`, in order, with a value resolved against `published`.

    Overlapping candidates are settled longest-first, so each stretch of text yields one mention.
    """
    if isinstance(published, dt.datetime):
        published = published.date()
    urls = [(u.start(), u.end()) for u in _URL.finditer(text)]
    lowered = text.lower() if not _FOLD_UNSAFE.search(text) else None
    cands: list[_Cand] = []
    for pattern, handler in _RULES:
        if not _may_match(pattern, text, lowered):
            continue
        for m in pattern.finditer(text):
            cands.extend(c for c in handler(m, text, published)
                         if not any(a < c.end and c.start < b for a, b in urls))
    chosen: list[_Cand] = []  # kept sorted by start; its spans never overlap
    for c in sorted(cands, key=lambda c: (c.start - c.end, c.start)):
        i = bisect.bisect_left(chosen, c.start, key=lambda k: k.start)
        if (i == 0 or chosen[i - 1].end <= c.start) and (i == len(chosen) or c.end <= chosen[i].start):
            chosen.insert(i, c)
    chosen = _resolve_anaphora(chosen)
    return [DateMention(text=text[c.start:c.end], value=c.value, start=c.start, end=c.end) for c in chosen]


# ---------------------------------------------------------------------------------------------
# Value helpers


@dataclass(frozen=True)
class _Cand:
    start: int
    end: int
    value: str


def _day_value(year: int | None, month: int, day: int) -> str:
    return f"{year:04d}-{month:02d}-{day:02d}" if year is not None else f"XXXX-{month:02d}-{day:02d}"


def _month_value(year: int | None, month: int) -> str:
    return f"{year:04d}-{month:02d}" if year is not None else f"XXXX-{month:02d}"


def _week_value(day: dt.date) -> str:
    y, w, _ = day.isocalendar()
    return f"{y}-W{w:02d}"


def _valid_day(year: int | None, month: int, day: int) -> bool:
    try:
        dt.date(year if year is not None else 2000, month, day)  # 2000: a leap year accepts 29 Feb
    except ValueError:
        return False
    return True


def _add_months(year: int, month: int, k: int) -> tuple[int, int]:
    i = year * 12 + month - 1 + k
    return i // 12, i % 12 + 1


def _parse_number(s: str) -> int | None:
    """'3', 'trois', 'dix-huit', 'vingt et un', 'quatre-vingt-dix' -> int."""
    s = s.lower().strip()
    if s.isdigit():
        return int(s)
    toks = [t for t in re.split(r"[-\s]+", s) if t and t != "et"]
    total, i = 0, 0
    while i < len(toks):
        if toks[i] == "quatre" and i + 1 < len(toks) and toks[i + 1] in ("vingt", "vingts"):
            total, i = total + 80, i + 2
            continue
        if toks[i] not in NUMBER_WORDS:
            return None
        total, i = total + NUMBER_WORDS[toks[i]], i + 1
    return total or None


def _day_number(s: str) -> int:
    s = s.lower()
    return 1 if s.startswith(("1er", "1ᵉ", "premier")) else int(s)


def _expand_year(token: str, published: dt.date | None) -> int:
    """'1998' -> 1998; '98' -> 1998, '05' -> 2005: the century that does not put the year more
    than ten years after publication (a fixed 2020 reference without one, so output is stable)."""
    token = token.lstrip("'’")
    if len(token) == 4:
        return int(token)
    ref = published.year if published else 2020
    century = ref // 100 * 100
    y = century + int(token)
    return y if y <= ref + 10 else y - 100


def _tense(text: str, start: int, end: int) -> str | None:
    """'future' or 'past' from the nearest tense marker in the same sentence, else None.

    A cheap stand-in for parsing: news reports in the past unless a future form is right there.
    """
    lo = max(0, start - 120)
    left = text[lo:start]
    cut = [m.end() for m in _SENTENCE_END.finditer(left)]
    if cut:
        left, lo = left[cut[-1]:], lo + cut[-1]
    right = text[end:end + 120]
    m = _SENTENCE_END.search(right)
    if m:
        right = right[:m.start()]
    best: tuple[int, str] | None = None
    for kind, pat in (("future", _FUTURE), ("past", _PAST)):
        for mm in pat.finditer(left):
            d = len(left) - mm.end()
            if best is None or d < best[0]:
                best = (d, kind)
        for mm in pat.finditer(right):
            d = mm.start()
            if best is None or d < best[0]:
                best = (d, kind)
    return best[1] if best else None


def _tense_or_cue(text: str, start: int, end: int) -> str | None:
    """The tense of the clause, unless a preposition just before settles the direction."""
    before = text[max(0, start - 20):start]
    if _SINCE.search(before):
        return "past"
    if _UNTIL.search(before):
        return "future"
    return _tense(text, start, end)


def _biased(distance_days: float, future: bool, tense: str | None) -> float:
    """Distance with a penalty on the side the tense makes unlikely: 4x against the tense it
    contradicts, 1.5x against the future when there is no tense (news mostly looks back)."""
    if tense is None:
        return distance_days * 1.5 if future else distance_days
    return distance_days * 4 if future == (tense == "past") else distance_days


def _pick_date(published: dt.date, month: int, day: int, tense: str | None,
               rel: str | None = None, weekday: int | None = None) -> dt.date | None:
    """The year for a year-less day: 'dernier'/'prochain' fix the side, a weekday must agree,
    else the nearest candidate around publication (past preferred unless the tense is future)."""
    cands = []
    for y in (published.year - 1, published.year, published.year + 1):
        if _valid_day(y, month, day):
            cands.append(dt.date(y, month, day))
    if rel == "last":
        cands = [c for c in cands if c < published]
    elif rel == "next":
        cands = [c for c in cands if c > published]
    if weekday is not None and any(c.weekday() == weekday for c in cands):
        cands = [c for c in cands if c.weekday() == weekday]
    if not cands:
        return None
    return min(cands, key=lambda c: _biased(abs((c - published).days), c > published, tense))


def _pick_month(published: dt.date, month: int, tense: str | None, rel: str | None = None) -> int:
    """The year for a year-less month, by the same rule as _pick_date, counted in months."""
    here = published.year * 12 + published.month - 1
    cands = [(y, y * 12 + month - 1) for y in (published.year - 1, published.year, published.year + 1)]
    if rel == "last":
        cands = [c for c in cands if c[1] < here]
    elif rel == "next":
        cands = [c for c in cands if c[1] > here]
    return min(cands, key=lambda c: _biased(abs(c[1] - here) * 30.4, c[1] > here, tense))[0]


def _rel(word: str | None) -> str | None:
    if not word:
        return None
    w = word.lower()
    if w.startswith(("dernier", "dernière", "passé", "passée")):
        return "last"
    if w.startswith("prochain"):
        return "next"
    return None


def _weekday_near(published: dt.date, weekday: int, direction: str | None) -> dt.date:
    """The given weekday: 'last'/'next' strictly before/after publication, 'past'/'future' on or
    before/after it, None the nearest one (within three days)."""
    back = (published.weekday() - weekday) % 7
    ahead = (weekday - published.weekday()) % 7
    if direction == "last":
        return published - dt.timedelta(days=back or 7)
    if direction == "next":
        return published + dt.timedelta(days=ahead or 7)
    if direction == "future":
        return published + dt.timedelta(days=ahead)
    if direction == "past":
        return published - dt.timedelta(days=back)
    return published - dt.timedelta(days=back) if back <= ahead else published + dt.timedelta(days=ahead)


def _quantity_follows(text: str, pos: int) -> bool:
    """True when the number ending at `pos` reads as a quantity: '98 %', '2000 personnes', '12 blessés'."""
    m = re.match(r"\s*([^\s,.;:!?()«»\"]+)", text[pos:pos + 40])
    if not m:
        return False
    word = m.group(1).lower().rstrip("'’")
    if word in QUANTITY_WORDS or word[0].isdigit():
        return True
    return word.isalpha() and word.islower() and word[-1] in "sx" and word not in FUNCTION_WORDS_S


def _bad_two_digit_year(text: str, y_end: int) -> bool:
    """A two-digit group after a month is a year ('octobre 98') unless it reads as a quantity or a time."""
    return _quantity_follows(text, y_end) or bool(re.match(r"\s*(?:h\b|heures?\b|[,.:]\d)", text[y_end:]))


# ---------------------------------------------------------------------------------------------
# Rule handlers: (match, text, published) -> candidates

Handler = Callable[[re.Match[str], str, "dt.date | None"], Iterable[_Cand]]


def _on_day_date(m: re.Match[str], text: str, pub: dt.date | None) -> list[_Cand]:
    """'13 septembre', 'mercredi 3 avril', '10 novembre 93', '6 mai dernier'."""
    if _DIGIT_BEFORE.search(text, max(0, m.start() - 3), m.start()):
        return []  # "1 013 mai": the digits belong to a bigger number
    day, month = _day_number(m.group("d")), MONTHS[m.group("m").lower().rstrip(".")]
    end, rel_word, ytok = m.end(), m.group("rel"), m.group("y")
    year: int | None = None
    if ytok and len(ytok.lstrip("'’")) == 2 and _bad_two_digit_year(text, m.end("y")):
        ytok, rel_word, end = None, None, m.end("m")  # "3 mai 12 blessés": drop the quantity
    if ytok:
        year = _expand_year(ytok, pub)
    if not _valid_day(year, month, day):
        return []
    if year is None and pub is not None:
        wd = WEEKDAYS[m.group("wd").lower()] if m.group("wd") else None
        picked = _pick_date(pub, month, day, _tense_or_cue(text, m.start(), end), _rel(rel_word), wd)
        if picked is None:
            return []
        year = picked.year
    return [_Cand(m.start(), end, _day_value(year, month, day))]


def _on_day_list(m: re.Match[str], text: str, pub: dt.date | None) -> list[_Cand]:
    """The leading days of 'les 6 et 13 avril prochains': month, year and 'prochains' come from the tail."""
    if _DIGIT_BEFORE.search(text, max(0, m.start() - 3), m.start()):
        return []
    if not m.group("wd") and not _LIST_CUE.search(text, max(0, m.start() - 12), m.start()):
        return []  # "TSR 1, jeudi 17 avril": a bare number before a date is not a list of days
    tail = _DAY_DATE.search(text, m.end(), m.end() + len(m.group("rest")) + 40)  # "13 avril prochains"
    tail_cands = _on_day_date(tail, text, pub) if tail else []
    if not tail_cands:
        return []
    value = tail_cands[0].value
    day = _day_number(m.group("d"))
    y, mo = value[:4], int(value[5:7])
    year = None if y == "XXXX" else int(y)
    if not _valid_day(year, mo, day):
        return []
    return [_Cand(m.start(), m.end(), _day_value(year, mo, day))]


def _on_weekday_day(m: re.Match[str], text: str, pub: dt.date | None) -> list[_Cand]:
    """'mardi 6' without a month: the date near publication that is a Tuesday the 6th."""
    if pub is None:
        return []
    wd, day = WEEKDAYS[m.group("wd").lower()], _day_number(m.group("d"))
    tense = _tense(text, m.start(), m.end())
    cands = [pub + dt.timedelta(days=k) for k in range(-45, 46)]
    cands = [c for c in cands if c.day == day and c.weekday() == wd]
    if not cands:
        return []
    best = min(cands, key=lambda c: _biased(abs((c - pub).days), c > pub, tense))
    return [_Cand(m.start(), m.end(), best.isoformat())]


def _on_month(m: re.Match[str], text: str, pub: dt.date | None) -> list[_Cand]:
    """'en juin', 'juin 2023', 'octobre 98', 'septembre dernier', 'début octobre', 'mi-juin'."""
    word = m.group("m")
    month = MONTHS[word.lower()]
    start, end = m.start(), m.end()
    mod, ytok, rel_word = m.group("mod"), m.group("y"), m.group("rel")
    before = text[max(0, m.start() - 40):m.start()]
    if not mod and re.search(r"\d-?\s*$|\w-$", before) and not _LIST_BEFORE_MONTH.search(before):
        return []  # "8-Mai", "3 mai" rejected by the day rule: not a month on its own
    year: int | None = None
    if ytok:
        if len(ytok.lstrip("'’")) == 2 and _bad_two_digit_year(text, m.end("y")):
            ytok, rel_word, end = None, None, m.end("m")
        else:
            year = _expand_year(ytok, pub)
            end = m.end("y")  # an explicit year wins over a trailing "dernier"
    if not ytok and not rel_word:
        end = m.end("m")
        bare = not mod
        if bare:
            cue = _CUE_BEFORE_MONTH.search(before) or _LIST_BEFORE_MONTH.search(before)
            if word[0].isupper() and not _SENTENCE_START.search(before):
                return []  # French writes months in lower case: "le général Juin", "la révolution d'Octobre"
            if (word.lower() in AMBIGUOUS_MONTHS or word[0].isupper()) and not cue:
                return []  # "mai", "mars" are words too; "Juin a dit" starts a sentence with a name
    if year is None:
        if pub is None:
            if rel_word:
                return []
            return [_Cand(start, end, _month_value(None, month))]
        year = _pick_month(pub, month, _tense_or_cue(text, start, end), _rel(rel_word))
    return [_Cand(start, end, _month_value(year, month))]


def _on_year(m: re.Match[str], text: str, pub: dt.date | None) -> list[_Cand]:
    """'1998', 'en 1995', "l'année 2001", 'fin 2001', '2002/2003'; not '2000 personnes', not '1 998'."""
    year = int(m.group("y"))
    pre = m.group("pre")
    before = text[max(0, m.start("y") - 30):m.start("y")]
    in_range = bool(re.search(r"\d{4}\s*[-/–]\s*$", before))  # the "2024" of "2023-2024"
    if not pre and not in_range and _QUANTITY_BEFORE.search(before):
        return []  # "plus de 2000", "n° 1998", "rue du 8-Mai-1945"
    if re.match(r"-[^\W\d]", text[m.end():]) or _quantity_follows(text, m.end()):
        return []
    strong = bool(pre) or bool(_YEAR_CUE.search(before))
    upper = (pub.year if pub else 2030) + 30
    if not strong and not (1900 <= year <= upper):
        return []
    if strong and not (1000 <= year <= upper):
        return []
    return [_Cand(m.start(), m.end(), f"{year:04d}")]


def _on_anaphoric(m: re.Match[str], text: str, pub: dt.date | None) -> list[_Cand]:
    """A placeholder value ('@day+1', '@year-1') that _resolve_anaphora fills from the previous mention."""
    g = m.groupdict()
    if g["year"] or g["month"]:
        unit, word = ("year", g["year"]) if g["year"] else ("month", g["month"])
        op = f"@{unit}{'+1' if word.lower().startswith('suiv') else '-1'}"
    else:
        shift = {"lendemain": 1, "surlendemain": 2, "veille": -1, "avant_veille": -2, "meme": 0}
        op = next(f"@day{shift[k]:+d}" for k in shift if g[k])
    return [_Cand(m.start(), m.end(), op)]


def _resolve_anaphora(mentions: list[_Cand]) -> list[_Cand]:
    """Fill '@...' placeholders from the nearest earlier mention precise enough; drop the rest.

    "Le 3 mai ... le lendemain" is 4 May: TimeML anchors such words to the date just told.
    """
    out: list[_Cand] = []
    last: str | None = None  # the last calendar value seen, at whatever precision
    for c in mentions:
        value: str | None = c.value
        if c.value.startswith("@"):
            value = _shift_value(last, c.value[1:]) if last else None
            if value is None:
                continue
        if re.fullmatch(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", value):
            last = value
        out.append(_Cand(c.start, c.end, value))
    return out


def _shift_value(anchor: str, op: str) -> str | None:
    """'2002-05-03' + 'day+1' -> '2002-05-04'; '2002-05' + 'year-1' -> '2001'; None if too coarse."""
    unit, k = op[:-2], int(op[-2:])
    parts = [int(p) for p in anchor.split("-")]
    if unit == "year":
        return f"{parts[0] + k:04d}"
    if unit == "month":
        return _month_value(*_add_months(parts[0], parts[1], k)) if len(parts) >= 2 else None
    if len(parts) < 3:
        return None
    return (dt.date(*parts) + dt.timedelta(days=k)).isoformat()


def _on_numeric(m: re.Match[str], text: str, pub: dt.date | None) -> list[_Cand]:
    """'10/11/1993' (day first, as French writes it), '10/11/93', ISO '2024-05-03'."""
    if m.group("iy"):
        y, mo, d = int(m.group("iy")), int(m.group("im")), int(m.group("id"))
    else:
        y, mo, d = _expand_year(m.group("y"), pub), int(m.group("m")), int(m.group("d"))
    if not 1 <= mo <= 12 or not _valid_day(y, mo, d):
        return []
    return [_Cand(m.start(), m.end(), _day_value(y, mo, d))]


# Fixed holidays as (month, day); movable ones as days after Easter Sunday.
_FIXED_HOLIDAYS = {"noël": (12, 25), "toussaint": (11, 1), "nouvel an": (1, 1), "jour de l'an": (1, 1),
                   "saint-sylvestre": (12, 31)}
_EASTER_OFFSETS = {"pâques": 0, "pentecôte": 49}


def _easter(year: int) -> dt.date:
    """Gregorian Easter Sunday (the anonymous algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _on_holiday(m: re.Match[str], text: str, pub: dt.date | None) -> list[_Cand]:
    """'à Noël', 'le lundi de Pâques', 'la Toussaint', 'le jour de l'an 2000', 'la veille de Noël'."""
    name = re.sub(r"\s+", " ", m.group("h").lower().replace("’", "'"))
    name = re.sub(r"^(?:la|le) ", "", name)
    pre = re.sub(r"\s+", " ", (m.group("pre") or "").lower())
    if not re.search(r"[A-ZÉ]", m.group("h")):
        return []  # "noël" in lower case is the carol, not the day
    if name in ("noël", "pâques") and not pre:
        return []  # "le Père Noël", "l'île de Pâques"
    shift = -1 if pre.startswith("la veille") else (1 if pre.startswith("le lundi") else 0)
    if pre.startswith(("le lundi", "le dimanche")) and name not in _EASTER_OFFSETS:
        return []

    def day_in(year: int) -> dt.date:
        if name in _FIXED_HOLIDAYS:
            base = dt.date(year, *_FIXED_HOLIDAYS[name])
        else:
            base = _easter(year) + dt.timedelta(days=_EASTER_OFFSETS[name])
        return base + dt.timedelta(days=shift)

    if m.group("y"):
        return [_Cand(m.start(), m.end(), day_in(int(m.group("y"))).isoformat())]
    if pub is None:
        if name not in _FIXED_HOLIDAYS:
            return []
        d = day_in(2001)  # any year: only month and day are kept
        return [_Cand(m.start(), m.end("h"), _day_value(None, d.month, d.day))]
    tense = _tense(text, m.start(), m.end())
    best = min((day_in(y) for y in (pub.year - 1, pub.year, pub.year + 1)),
               key=lambda c: _biased(abs((c - pub).days), c > pub, tense))
    return [_Cand(m.start(), m.end("h"), best.isoformat())]


def _on_deictic(m: re.Match[str], text: str, pub: dt.date | None) -> list[_Cand]:
    """'hier', 'avant-hier', 'demain', "aujourd'hui vendredi", 'ce matin'."""
    if pub is None:
        return []
    w = (m.group("w") or "").lower().replace(" ", "-")
    offset = {"avant-hier": -2, "hier": -1, "demain": 1, "après-demain": 2}.get(w, 0)
    return [_Cand(m.start(), m.end(), (pub + dt.timedelta(days=offset)).isoformat())]


def _on_weekday(m: re.Match[str], text: str, pub: dt.date | None) -> list[_Cand]:
    """'mardi' (the last one before publication, or the next one when the clause is future),
    'ce dimanche' (nearest), 'vendredi dernier', 'mercredi prochain'."""
    if pub is None:
        return []
    wd = WEEKDAYS[m.group("wd").lower()]
    rel, ce = _rel(m.group("rel")), m.group("ce")
    if not rel and not ce:
        if _HABITUAL_BEFORE.search(text[max(0, m.start() - 20):m.start()]):
            return []  # "le mercredi", "tous les jeudis", "du lundi au vendredi": habits, not dates
        if _NON_DATE_WEEKDAY_AFTER.match(text, m.end()):
            return []  # "mardi gras", "vendredi saint"
    before = text[max(0, m.start() - 12):m.start()]
    if rel:
        day = _weekday_near(pub, wd, rel)
    elif ce:
        day = _weekday_near(pub, wd, _tense(text, m.start(), m.end()))
    elif _TOWARD_FUTURE.search(before):
        day = _weekday_near(pub, wd, "future")
    elif _TOWARD_PAST.search(before):
        day = _weekday_near(pub, wd, "last")
    else:
        future = _tense(text, m.start(), m.end()) == "future"
        day = _weekday_near(pub, wd, "future" if future else "past")
    return [_Cand(m.start(), m.end(), day.isoformat())]


def _on_ago(m: re.Match[str], text: str, pub: dt.date | None) -> list[_Cand]:
    """'il y a trois mois' -> month, 'il y a deux jours' -> day, 'dans deux ans' -> year."""
    if pub is None:
        return []
    n = _parse_number(m.group("n"))
    if n is None or n > 500:
        return []
    sign = 1 if m.group("dir").lower() == "dans" else -1
    unit = m.group("u").lower()
    if re.match(r"\s+(?:de\s+|d['’])(?!cela|ça)", text[m.end():m.end() + 12]):
        return []  # "il y a deux jours de fête": a quantity, not a date
    if unit.startswith("jour"):
        value = (pub + dt.timedelta(days=sign * n)).isoformat()
    elif unit.startswith("semaine"):
        value = _week_value(pub + dt.timedelta(weeks=sign * n))
    elif unit == "mois":
        value = _month_value(*_add_months(pub.year, pub.month, sign * n))
    else:
        value = f"{pub.year + sign * n:04d}"
    return [_Cand(m.start(), m.end(), value)]


def _on_rel_period(m: re.Match[str], text: str, pub: dt.date | None) -> list[_Cand]:
    """"l'année dernière", "l'an prochain", 'cette année', 'le mois dernier', 'cette semaine'."""
    if pub is None:
        return []
    g = m.groupdict()
    if g["yrel"] or g["anrel"]:
        r = (g["yrel"] or g["anrel"]).lower()
        k = 0 if r.startswith("en") else (1 if r.startswith("prochain") else -1)
        value = f"{pub.year + k:04d}"
    elif g["this_year"]:
        value = f"{pub.year:04d}"
    elif g["new_year"]:
        value = f"{pub.year + (1 if pub.month >= 11 else 0):04d}"  # said in December of the year to come
    elif g["mrel"]:
        value = _month_value(*_add_months(pub.year, pub.month, 1 if g["mrel"].lower() == "prochain" else -1))
    elif g["this_month"]:
        value = _month_value(pub.year, pub.month)
    elif g["wrel"]:
        value = _week_value(pub + dt.timedelta(weeks=1 if g["wrel"].lower() == "prochaine" else -1))
    elif g["this_week"]:
        value = _week_value(pub)
    else:
        value = _week_value(_weekend(pub, (g["werel"] or "").lower(), _tense(text, m.start(), m.end()))) + "-WE"
    return [_Cand(m.start(), m.end(), value)]


def _weekend(pub: dt.date, rel: str, tense: str | None) -> dt.date:
    """The Saturday of 'ce week-end' (the one just past when the clause is past or early in the week),
    'le week-end dernier' or 'le week-end prochain'."""
    in_weekend = pub.weekday() >= 5
    last_sat = pub - dt.timedelta(days=(pub.weekday() - 5) % 7)
    next_sat = last_sat if in_weekend else last_sat + dt.timedelta(days=7)
    if rel == "prochain":
        return next_sat + dt.timedelta(days=7) if in_weekend else next_sat
    if rel:  # dernier, passé
        return last_sat - dt.timedelta(days=7) if in_weekend else last_sat
    if in_weekend or tense == "past" or (tense is None and pub.weekday() <= 1):
        return last_sat
    return next_sat


_SEASON_CODE = {"printemps": ("SP", 3), "été": ("SU", 6), "automne": ("FA", 9), "hiver": ("WI", 12)}


def _on_season(m: re.Match[str], text: str, pub: dt.date | None) -> list[_Cand]:
    """"l'été 2001" -> 2001-SU, 'cet hiver' -> the publication year's winter; 'en été' (any summer) is skipped."""
    code, first = _SEASON_CODE[m.group("s").lower()]
    pre = m.group("pre").strip().lower()
    if m.group("y"):
        return [_Cand(m.start(), m.end(), f"{m.group('y')}-{code}")]
    rel = _rel(m.group("rel"))
    if not (rel or pre in ("cet", "ce")):
        return []  # "la demande augmente en été": a season in general, no date
    if pub is None:
        return [_Cand(m.start(), m.end(), f"XXXX-{code}")]
    if rel == "next":
        year = pub.year if first > pub.month else pub.year + 1
    elif rel == "last":
        year = pub.year if first + 3 <= pub.month else pub.year - 1
    else:
        year = pub.year
    return [_Cand(m.start(), m.end(), f"{year:04d}-{code}")]


# What every match of a rule contains, checked before its regex runs: scanning the text with the
# rules' regexes is most of the time spent here, and most articles name no weekday, season or
# holiday. Words are lowercase (searched in the lowercased text); a regex is searched as is.
_WEEKDAY_WORDS = tuple(WEEKDAYS)
_NEEDS: dict[re.Pattern[str], tuple[str, ...] | re.Pattern[str]] = {
    _WEEKDAY_DAY: _WEEKDAY_WORDS,
    _NUMERIC: re.compile(r"\d[/.]\d|\d-[01]\d-"),
    _YEAR: re.compile(r"[12]\d{3}"),
    _DEICTIC: ("hier", "demain", "aujourd", "matin", "midi", "soir"),
    _WEEKDAY_ALONE: _WEEKDAY_WORDS,
    _REL_PERIOD: ("ann", "l'an", "l’an", "mois", "semaine", "week"),
    _SEASON: ("été", "hiver", "automne", "printemps"),
    _HOLIDAY: ("noël", "pâques", "toussaint", "nouvel", "l'an", "l’an", "sylvestre", "pentecôte"),
    _ANAPHORIC: ("lendemain", "veille", "même", "jour-là", "suivant", "précédent"),
}
# Characters that IGNORECASE matches with a different letter than their lowercase form ("ſ" is
# "s", "ı" is "i"; "İ" lowercases to two characters): in a text holding one, every rule runs.
_FOLD_UNSAFE = re.compile(
    "[\xb5\u0130\u0131\u017f\u0345\u0390\u03b0\u03b2\u03b5\u03b8\u03b9\u03ba\u03bc\u03c0\u03c1\u03c2"
    "\u03c3\u03c6\u03d0\u03d1\u03d5\u03d6\u03f0\u03f1\u03f5\u0432\u0434\u043e\u0441\u0442\u044a\u0463"
    "\u1c80-\u1c88\u1e61\u1e9b\u1fbe\u1fd3\u1fe3\ua64b\ufb05\ufb06]")


def _may_match(pattern: re.Pattern[str], text: str, lowered: str | None) -> bool:
    """False only when the text lacks something every match of `pattern` holds."""
    needs = _NEEDS.get(pattern)
    if needs is None:
        return True
    if isinstance(needs, re.Pattern):
        return needs.search(text) is not None
    return lowered is None or any(word in lowered for word in needs)


_RULES: list[tuple[re.Pattern[str], Handler]] = [
    (_DAY_DATE, _on_day_date),
    (_NUMERIC, _on_numeric),
    (_DAY_LIST, _on_day_list),
    (_WEEKDAY_DAY, _on_weekday_day),
    (_MONTH, _on_month),
    (_YEAR, _on_year),
    (_DEICTIC, _on_deictic),
    (_WEEKDAY_ALONE, _on_weekday),
    (_AGO, _on_ago),
    (_REL_PERIOD, _on_rel_period),
    (_SEASON, _on_season),
    (_HOLIDAY, _on_holiday),
    (_ANAPHORIC, _on_anaphoric),
]
