"""Name normalisation: the keys under which spellings of one name meet.

"Sergueï Choïgou", "Sergei Choigou" and "M. Shoigu" must land on comparable keys; two
different people who share a surname must not. Keys are accent-, case- and punctuation-free.
Everything here is a pure function of strings, so the people extractor and the registry agree.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from slugify import slugify
from unidecode import unidecode

HONORIFICS = {
    "m", "mm", "mme", "mmes", "mlle", "mlles", "dr", "pr", "me", "mgr", "mr", "mrs", "ms", "sir",
    "monsieur", "madame", "mademoiselle", "messieurs", "mesdames", "docteur", "professeur", "maitre",
}
# Lowercase words that sit inside a name without being a given name or the surname proper.
PARTICLES = frozenset({
    "de", "d", "du", "des", "van", "von", "der", "den", "ten", "ter", "da", "di", "del", "della", "dos",
    "das", "le", "la", "y", "zu", "af", "al", "el", "ben", "bin", "ibn",
})
# Countries, capitals and cities that news copy names on their own, often for their government
# ("Washington accuse Pyongyang", "Pékin a démenti"): a lone word among them is a place, not a
# person. Places that are also common given names (Florence, Sofia, Victoria...) are left out.
_PLACES = """
afghanistan|afrique du sud|albanie|algerie|allemagne|andorre|angola|arabie saoudite|argentine|armenie|australie
autriche|azerbaidjan|bahamas|bahrein|bangladesh|belgique|benin|bhoutan|bielorussie|belarus|birmanie|myanmar|bolivie
bosnie|bosnie-herzegovine|botswana|bresil|brunei|bulgarie|burkina faso|burundi|cambodge|cameroun|canada|cap-vert
centrafrique|chili|chine|chypre|colombie|comores|congo|coree|coree du nord|coree du sud|costa rica|cote d ivoire
croatie|cuba|danemark|djibouti|egypte|emirats arabes unis|equateur|erythree|espagne|estonie|etats-unis|etats unis
ethiopie|fidji|finlande|france|gabon|gambie|georgie|ghana|grece|guatemala|guinee|guyana|haiti|honduras|hongrie|inde
indonesie|irak|iraq|iran|irlande|islande|israel|italie|jamaique|japon|jordanie|kazakhstan|kenya|kirghizistan|kosovo
koweit|laos|lesotho|lettonie|liban|liberia|libye|liechtenstein|lituanie|luxembourg|macedoine|madagascar|malaisie
malawi|maldives|mali|malte|maroc|mauritanie|mexique|moldavie|monaco|mongolie|montenegro|mozambique|namibie|nepal
nicaragua|niger|nigeria|norvege|nouvelle-zelande|oman|ouganda|ouzbekistan|pakistan|palestine|panama|paraguay|pays-bas
perou|philippines|pologne|portugal|qatar|roumanie|royaume-uni|russie|rwanda|salvador|senegal|serbie|seychelles
singapour|slovaquie|slovenie|somalie|soudan|sri lanka|suede|suisse|syrie|tadjikistan|taiwan|tanzanie|tchad|tchequie
thailande|togo|tunisie|turkmenistan|turquie|ukraine|uruguay|vatican|venezuela|vietnam|viet nam|yemen|zambie|zimbabwe
europe|afrique|asie|amerique|oceanie|crimee|gaza|cisjordanie|donbass|kurdistan|tibet|xinjiang|hong kong|macao
ecosse|angleterre|catalogne|corse|bretagne|alsace|sibérie|siberie|caucase|balkans|sahel|golan|kachemire|cachemire
kaboul|pretoria|tirana|alger|berlin|luanda|riyad|buenos aires|erevan|canberra|vienne|bakou|dacca|dhaka|bruxelles|minsk
naypyidaw|rangoun|sarajevo|brasilia|ouagadougou|phnom penh|yaounde|ottawa|pekin|beijing|shanghai|nicosie|bogota
kinshasa|brazzaville|seoul|pyongyang|abidjan|zagreb|la havane|copenhague|le caire|abou dhabi|dubai|quito|madrid
tallinn|washington|new york|addis-abeba|helsinki|paris|libreville|tbilissi|accra|athenes|conakry|port-au-prince
budapest|new delhi|delhi|bombay|jakarta|bagdad|teheran|dublin|reykjavik|jerusalem|tel-aviv|tel aviv|rome|tokyo|amman
astana|nairobi|bichkek|pristina|vientiane|riga|beyrouth|monrovia|tripoli|vilnius|skopje|antananarivo|kuala lumpur
bamako|la valette|rabat|nouakchott|mexico|chisinau|oulan-bator|podgorica|maputo|windhoek|katmandou|managua|niamey
abuja|lagos|oslo|wellington|mascate|kampala|tachkent|islamabad|ramallah|lima|manille|varsovie|lisbonne|doha|bucarest
moscou|kigali|dakar|belgrade|freetown|bratislava|ljubljana|mogadiscio|khartoum|colombo|stockholm|berne|geneve|damas
douchanbe|taipei|dodoma|n djamena|prague|bangkok|lome|tunis|achgabat|ankara|istanbul|kiev|kyiv|kharkiv|odessa
marioupol|montevideo|caracas|hanoi|ho chi minh-ville|saigon|sanaa|lusaka|harare|londres|strasbourg|amsterdam|la haye
munich|francfort|hambourg|milan|naples|barcelone|marseille|lyon|toulouse|bordeaux|lille|nantes|kaliningrad
saint-petersbourg|vladivostok|sotchi|osaka|hiroshima|busan|canton|shenzhen|wuhan|los angeles|chicago|san francisco
miami|houston|rafah|khan younes|zaporijjia|kherson|donetsk|louhansk|bakhmout|koursk|belgorod|sebastopol|alep|homs
idleb|mossoul|bassora|kandahar|karachi|lahore|bombay|calcutta|bangalore|chennai|dacca|katmandou|ulaanbaatar|hanoï
matignon|elysee|kremlin|pentagone
"""
PLACE_NAMES = frozenset(w.strip() for w in _PLACES.replace("\n", "|").split("|") if w.strip())
_WORD = re.compile(r"[a-z0-9]+")
_INITIAL = re.compile(r"^[A-ZÀ-Þ]\.?(?:-?[A-ZÀ-Þ]\.?)?$")
_REGNAL = re.compile(r"^(?:[ivx]{1,5}|\d{1,2}(?:er|e)?|er)$")

# Transliteration folding, applied in order to one folded word. French and English renderings
# of Russian, Arabic or Korean names differ in a few regular ways (ch/sh, ou/u, ï/i, final e):
# these rules map them together without trying to be a general phonetic algorithm.
_TRANSLIT: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(a), b)
    for a, b in (
        (r"t?sch", "sh"), (r"tch", "ch"), (r"ch", "sh"), (r"d?zh|dj", "j"), (r"kh", "h"), (r"ph", "f"),
        (r"th", "t"), (r"ck|q", "k"), (r"c(?=[eiy])", "s"), (r"c", "k"), (r"ou|oo", "u"), (r"w", "v"),
        (r"y", "i"), (r"ee", "i"), (r"gu(?=[eiy])", "g"), (r"(?<=...)e$", ""), (r"(.)\1+", r"\1"),
    )
)


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lowercase ASCII with words separated by single spaces.

    Cached: an archive asks for the same few thousand names hundreds of thousands of times
    (resolution, grouping and the site's collections each compare every mention)."""
    return " ".join(_WORD.findall(unidecode(text or "").lower()))


def name_tokens(name: str) -> list[str]:
    """Folded tokens of a personal name, honorifics dropped from the front."""
    return list(_name_tokens(name))


@lru_cache(maxsize=65536)
def _name_tokens(name: str) -> tuple[str, ...]:
    toks = fold(name).split()
    while toks and toks[0] in HONORIFICS:
        toks = toks[1:]
    return tuple(toks)


def strip_honorific(name: str) -> str:
    """'M. Shoigu' -> 'Shoigu'; keeps the original spelling of the rest."""
    return re.sub(
        r"^(?:(?:M|MM|Mme|Mmes|Mlle|Dr|Pr|Me|Mgr|Mr|Mrs|Ms)\.?|Monsieur|Madame|Mademoiselle|Messieurs|Mesdames"
        r"|Sir|Docteur|Professeur|Maître)(?:\s+|\.(?=\S))",
        "",
        name.strip(),
    ).strip()


SLUG_LENGTH = 80  # the longest id or slug the site publishes as it is (site.urls.safe_slug)


def make_id(name: str) -> str:
    """A stable URL slug for a name."""
    return slugify(unidecode(name), max_length=SLUG_LENGTH) or "sans-nom"


@lru_cache(maxsize=8192)
def translit_key(word: str) -> str:
    """A spelling-tolerant key for one name word: 'Choïgou' and 'Shoigu' both give 'shoigu'."""
    key = "".join(_WORD.findall(unidecode(word or "").lower()))
    for pattern, repl in _TRANSLIT:
        key = pattern.sub(repl, key)
    return key


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Levenshtein distance, giving up (returning limit + 1) once it is sure to exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > limit:
            return limit + 1
        prev = cur
    return prev[-1]


def similar_words(a: str, b: str) -> bool:
    """Two name words that are spellings of one another: same key, or (long words) one edit apart.

    The one-edit allowance (on the keys or on the plain spellings) covers OCR and transliteration
    slips ("Borstel"/"Borstet", "Miiller"/"Mtiller") and is kept to words of six letters or more
    with the same first letter, where collisions are rare.
    """
    ka, kb = translit_key(a), translit_key(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    fa, fb = fold(a).replace(" ", ""), fold(b).replace(" ", "")
    return any(min(len(x), len(y)) >= 6 and x[0] == y[0] and edit_distance(x, y, 1) <= 1
               for x, y in ((ka, kb), (fa, fb)))


def is_initial(word: str) -> bool:
    """'F', 'F.' or 'J.-P.': a given name reduced to its letters."""
    return _INITIAL.match(word.strip()) is not None


@dataclass(frozen=True)
class NameParts:
    """A personal name split for comparison: folded given names and surname, regnal number aside."""

    given: tuple[str, ...]
    surname: str
    others: tuple[str, ...]  # every non-particle word, surname included, for lone-word matching
    regnal: str = ""


@lru_cache(maxsize=8192)
def name_parts(name: str) -> NameParts:
    """'Valéry Giscard d'Estaing' -> given (valery, giscard), surname estaing; 'Frédéric III' keeps iii aside.

    The surname is the last word; particles (de, van, ...) belong to neither part.
    """
    toks = name_tokens(name)
    regnal = ""
    if len(toks) >= 2 and _REGNAL.match(toks[-1]):
        regnal = toks.pop()
        if toks and _REGNAL.match(toks[-1]) and toks[-1].isdigit():  # "François 1 er"
            regnal = toks.pop() + regnal
    words = [t for t in toks if t not in PARTICLES] or toks
    if not words:
        return NameParts((), "", (), regnal)
    return NameParts(tuple(words[:-1]), words[-1], tuple(words), regnal)


def given_compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Given names that can belong to one person: either missing, equal, or an initial of the other."""
    if not a or not b:
        return True
    x, y = a[0], b[0]
    if len(x) == 1 or len(y) == 1:
        return x[0] == y[0]
    return similar_words(x, y)


def same_person_names(a: str, b: str) -> bool:
    """Two full spellings of one person: similar surnames and compatible given names.

    'Jacques Chirac' / 'Claude Chirac' are two people; 'Sergueï Choïgou' / 'Sergei Shoigu' one.
    """
    pa, pb = name_parts(a), name_parts(b)
    if not pa.surname or not pb.surname or (pa.regnal and pb.regnal and pa.regnal != pb.regnal):
        return False  # "Louis XIV" and "Louis XVI" are two kings
    return similar_words(pa.surname, pb.surname) and given_compatible(pa.given, pb.given)


def lone_word_match(word: str, name: str, given_ok: bool = False) -> int:
    """How a one-word mention fits a fuller name: 2 = its surname, 1 = another of its words, 0 = not.

    'Shoigu' (or 'de Shoigu') is the surname of 'Sergueï Choïgou' (2); 'Kim' or 'Giscard' are
    other words of 'Kim Jong-un' or 'Valéry Giscard d'Estaing' (1), which a lone mention also uses.
    """
    if fold(word) == fold(name):
        return 2
    own = name_parts(word)
    if len(own.others) != 1:
        return 0
    parts = name_parts(name)
    if parts.surname and similar_words(own.surname, parts.surname):
        return 2
    # another word counts if it sits inside the name ("Lula" of "Luiz Inácio Lula da Silva", "Giscard")
    # or leads a name written family name first ("Xi Jinping", "Kim Jong-un"); a lone given name
    # counts only when the caller allows it: "Cindy" for "Cindy Sander", not "le pape François"
    # for "François Hollande"
    key = translit_key(own.surname)
    raw = name.split()
    words = [w for w in raw if fold(w) not in PARTICLES]
    inner = {translit_key(w) for w in words[1:-1]}
    lead = words[0] if len(words) > 1 else ""
    compound = len(raw) > 2 and fold(raw[1]) in PARTICLES  # "Couve de Murville", "Drouyn de Lhuys"
    # East Asian names put the family name first and the given name in short syllables:
    # "Yoon Suk Yeol", "Kim Jong Un", "Wang Yi" (a Western "Jean-Pierre Raffarin" has no such tail)
    syllables = len(words) > 1 and all(len(fold(w)) <= 4 for w in words[1:]) and len(fold(lead)) <= 5
    family_first = given_ok or compound or syllables or len(fold(lead)) <= 3 \
        or re.search(r"\w-[a-z]", name) is not None
    return 1 if key in inner or (family_first and translit_key(lead) == key) else 0


def is_place_name(text: str) -> bool:
    """'Washington', 'Pékin', 'Corée du Nord', 'États-Unis': a country, capital or city of the news."""
    key = " ".join(_WORD.findall(unidecode(text or "").lower()))
    return key in _PLACE_KEYS


_PLACE_KEYS = frozenset(" ".join(_WORD.findall(p)) for p in PLACE_NAMES)
