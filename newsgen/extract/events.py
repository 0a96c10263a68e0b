"""Events: the article's main event (what, when, where, who) and the events it refers to.

News text names its event with a trigger word ("visite", "s'est rendu", "sommet", "a rencontré")
and ties a date, a place and people to it in the same clause. The main event is the strongest
trigger of the lede (first sentences of the body): a summit or a visit outranks a meeting it
contains, which outranks a statement ("a déclaré" is in every article). Its date is the date
tied to that trigger, not the publication date; its place is the place tied to it ("visite à
Pyongyang"); its participants are the people of the lede who are not merely reporting it.

Other triggers of the article are evidence of the main event when they can be the same thing
("la rencontre s'est déroulée...", "la visite de M. Shoigu intervient..."), and referenced
events when something sets them apart: a date of their own ("en juin", "il y a trois mois"), a
kind the main event cannot be, or a temporal anchor ("lors du sommet", "sa précédente visite").
Mentions of one referenced event merge. Statements are never referenced events: every quote
would be one.

Everything here is a pure function of the Context and the other extractors' records. The parse
is noisy, so syntax ranks candidates and never vetoes them alone: a date or place right beside
the trigger counts even when the parser hung it elsewhere.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from newsgen.extract.context import Context, children, doc_tokens, token_strings
from newsgen.records import DateMention, Entity, Event, Person, Span
from newsgen.resolve.names import fold, make_id

# ---------------------------------------------------------------------------------------------
# Lexicon

# Nouns naming an event, by lemma or lowercased form (the lemmatiser is unsure of rarer nouns).
NOUN_TRIGGERS: dict[str, str] = {
    "visite": "visit", "voyage": "visit", "tournée": "visit", "déplacement": "visit", "séjour": "visit",
    "rencontre": "meeting", "réunion": "meeting", "entretien": "meeting", "entrevue": "meeting",
    "entretiens": "meeting", "tête-à-tête": "meeting",
    "sommet": "summit",
    "conférence": "conference", "forum": "conference", "congrès": "conference",
    "déclaration": "statement", "discours": "statement", "allocution": "statement",
    "accusation": "accusation", "accusations": "accusation",
    "accord": "agreement", "traité": "agreement", "mémorandum": "agreement",
    "négociation": "negotiation", "négociations": "negotiation", "pourparlers": "negotiation",
    "attaque": "attack", "attentat": "attack", "frappe": "attack", "frappes": "attack",
    "bombardement": "attack", "offensive": "attack", "assaut": "attack", "explosion": "attack",
    "assassinat": "attack",
    "élection": "election", "élections": "election", "scrutin": "election", "présidentielle": "election",
    "législatives": "election", "référendum": "election",
    "procès": "trial", "verdict": "trial", "condamnation": "trial",
    "manifestation": "protest", "grève": "protest", "rassemblement": "protest", "mobilisation": "protest",
    "séisme": "disaster", "tremblement": "disaster", "inondation": "disaster", "inondations": "disaster",
    "incendie": "disaster", "ouragan": "disaster", "cyclone": "disaster", "typhon": "disaster",
    "éruption": "disaster", "naufrage": "disaster",
    "exercice": "exercise", "exercices": "exercise", "manœuvres": "exercise", "manoeuvres": "exercise",
    "tir": "launch", "tirs": "launch", "lancement": "launch",
    "arrestation": "arrest", "interpellation": "arrest",
    "démission": "resignation", "nomination": "appointment", "décès": "death",
    "funérailles": "funeral", "obsèques": "funeral",
    "investiture": "inauguration", "cérémonie": "ceremony", "commémoration": "ceremony",
}
# Verbs naming an event, by lemma. Reflexive ones ("se rendre") need their "se".
VERB_TRIGGERS: dict[str, str] = {
    "visiter": "visit", "rendre": "visit", "accueillir": "visit", "arriver": "visit",
    "rencontrer": "meeting", "réunir": "meeting", "entretenir": "meeting", "recevoir": "meeting",
    "déclarer": "statement", "annoncer": "statement", "affirmer": "statement",
    "accuser": "accusation", "dénoncer": "accusation",
    "signer": "agreement", "conclure": "agreement", "ratifier": "agreement",
    "négocier": "negotiation",
    "attaquer": "attack", "bombarder": "attack",
    "élire": "election", "réélire": "election",
    "juger": "trial", "condamner": "trial", "inculper": "trial", "comparaître": "trial",
    "manifester": "protest", "défiler": "protest",
    "arrêter": "arrest", "interpeller": "arrest",
    "démissionner": "resignation", "nommer": "appointment", "décéder": "death",
}
REFLEXIVE = {"rendre", "entretenir"}
# Verbs that name an event only with a person, place or organisation as argument
# ("a reçu son homologue", not "a reçu une lettre"; "est arrivé à Pékin", not "est arrivé à temps").
NEEDS_ARGUMENT = {"recevoir", "accueillir", "arriver", "conclure", "réunir", "arrêter", "nommer", "juger",
                  "manifester"}
# Nouns that are events only with a qualifier nearby ("exercices militaires", "tir de missile").
NEEDS_QUALIFIER: dict[str, set[str]] = {
    "exercice": {"militaire", "militaires", "naval", "navals", "aérien", "conjoint", "conjoints"},
    "exercices": {"militaire", "militaires", "naval", "navals", "aérien", "conjoint", "conjoints"},
    "tir": {"missile", "missiles", "balistique", "roquette", "roquettes", "obus"},
    "tirs": {"missile", "missiles", "balistique", "roquette", "roquettes", "obus", "artillerie"},
    "lancement": {"missile", "satellite", "fusée", "roquette"},
    "tremblement": {"terre"},
}
# What a noun means as a title when the kind's noun would say less ("Tremblement de terre").
NOUN_TITLES = {"tremblement": "Tremblement de terre", "tir": "Tir de missile", "tirs": "Tirs de missiles"}
# Verbs whose event an editor names by another noun than the kind's.
VERB_TITLES = {"condamner": "Condamnation", "juger": "Procès", "comparaître": "Procès", "élire": "Élection",
               "réélire": "Réélection", "arrêter": "Arrestation", "interpeller": "Arrestation",
               "nommer": "Nomination", "manifester": "Manifestation", "défiler": "Manifestation",
               "bombarder": "Bombardement", "démissionner": "Démission", "décéder": "Mort"}

# How strongly a kind names what an article is about, when several are in the lede.
PRIORITY: dict[str, int] = {
    "summit": 9, "visit": 8, "attack": 8, "disaster": 8, "election": 8, "trial": 8,
    "conference": 7, "meeting": 7, "protest": 7, "launch": 7, "call": 7, "exercise": 6,
    "agreement": 6, "negotiation": 6, "arrest": 6, "resignation": 6, "appointment": 5, "death": 6,
    "funeral": 6, "inauguration": 6, "ceremony": 5, "accusation": 4, "statement": 3, "event": 0,
}
# Kinds one event can be told as: a visit is told as the meetings it consists of, a summit as
# the meeting or the agreement signed there.
SAME_EVENT: set[frozenset[str]] = {
    frozenset(p) for p in (("visit", "meeting"), ("summit", "visit"), ("visit", "call"), ("summit", "meeting"),
                           ("summit", "conference"), ("meeting", "call"), ("meeting", "negotiation"),
                           ("conference", "meeting"), ("trial", "arrest"), ("visit", "agreement"),
                           ("summit", "agreement"), ("meeting", "agreement"), ("visit", "ceremony"),
                           ("summit", "ceremony"), ("agreement", "ceremony"), ("protest", "arrest"))
}
# Kinds that last several days: their mentions a few days apart are still one event.
MULTI_DAY = {"visit", "summit", "conference", "trial", "negotiation", "exercise", "protest", "election"}
# Referenced events need something to stand on: these kinds only with a date of their own.
NOT_REFERENCED = {"statement", "accusation", "event"}
UNDATED_REFERENCE_OK = {"summit", "visit", "election", "attack", "trial", "disaster", "conference",
                        "agreement", "negotiation", "meeting"}

# The noun that titles an event of each kind.
TITLE_NOUN: dict[str, str] = {
    "visit": "Visite", "meeting": "Rencontre", "summit": "Sommet", "conference": "Conférence",
    "call": "Entretien téléphonique", "statement": "Déclaration", "accusation": "Accusations",
    "agreement": "Accord", "negotiation": "Négociations", "attack": "Attaque", "disaster": "Catastrophe",
    "election": "Élection", "trial": "Procès", "protest": "Manifestation", "exercise": "Exercices militaires",
    "launch": "Tir de missile", "arrest": "Arrestation", "resignation": "Démission",
    "appointment": "Nomination", "death": "Mort", "funeral": "Funérailles", "inauguration": "Investiture",
    "ceremony": "Cérémonie", "event": "Événement",
}
# How the title joins people: "entre A et B" for kinds done together, "de A" for kinds one does,
# nothing for kinds that happen at a place.
BETWEEN = {"meeting", "summit", "call", "agreement", "negotiation", "conference"}
AT_PLACE = {"attack", "disaster", "election", "protest", "exercise", "launch", "ceremony"}
# Kinds whose trigger noun titles better than the kind's noun ("Séisme", "Grève", "Verdict").
OWN_NOUN = {"attack", "disaster", "election", "protest", "ceremony", "launch", "trial", "funeral"}

SPEECH_VERBS = {"déclarer", "affirmer", "indiquer", "souligner", "estimer", "assurer", "annoncer", "rapporter",
                "citer", "préciser", "ajouter", "expliquer", "confirmer", "dire", "écrire", "rappeler",
                "raconter", "commenter", "noter", "observer", "relever", "confier", "juger"}
TEMPORAL_ANCHORS = {"lors", "pendant", "durant", "depuis", "après", "avant", "cours", "occasion", "issue",
                    "marge", "lendemain", "veille", "suite"}
# ("première visite" is as often this one, "la première visite d'un ministre depuis dix ans", so not here)
PAST_MARKERS = {"précédent", "précédente", "dernier", "dernière", "ancien", "ancienne"}
PLACE_PREPS = {"à", "en", "au", "aux", "dans", "vers", "sur", "devant"}
_REFLEXIVE_PRONOUNS = {"se", "s'", "s’", "me", "m'", "m’", "te", "t'", "t’", "nous", "vous"}
_POSSESSIVES = {"sa", "son", "ses", "leur", "leurs"}

_CALENDAR = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
_DATELINE = re.compile(r"^\s*(?P<place>[A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜ][A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜ'’ -]{2,40}?)\s*(?:\([^)]*\))?\s*[,–—-]")
# How far back a lede date may lie and still be the news of the day (beyond: a reminder).
RECENT_DAYS = 31


# ---------------------------------------------------------------------------------------------
# Working records


@dataclass
class Sentence:
    """A body sentence (spaCy's, cut at line breaks), with its index among body sentences."""

    index: int
    tokens: list[Token]
    start: int
    end: int
    paragraph: int


@dataclass
class Mention:
    """One trigger in one sentence, with what hangs on it."""

    token: Token
    kind: str
    sentence: Sentence
    noun: str | None = None  # how an editor would title it, when the trigger says more than the kind
    dates: list[DateMention] = field(default_factory=list)  # tied dates, best first
    anchored: bool = False  # "lors du sommet", "après la visite": told as a reference point
    past: bool = False  # "le précédent sommet", "sa dernière visite"
    shift: int = 0  # "au lendemain du sommet, ... mercredi": the event is the day before the date
    margin: bool = False  # "en marge du sommet": the frame of the news, not the news

    @property
    def date(self) -> str | None:
        """The tied date, moved by "lendemain"/"veille" when it dates the clause, not the trigger."""
        if not self.dates:
            return None
        value = self.dates[0].value
        if self.shift and len(value) == 10:
            return (dt.date.fromisoformat(value) + dt.timedelta(days=self.shift)).isoformat()
        return value


@dataclass
class Place:
    name: str
    phrase: str  # as a title says it: "à Pyongyang", "en Turquie", "dans la province de Van"


# ---------------------------------------------------------------------------------------------
# Entry points


def main_date(dates: list[DateMention], published: str | None, events: Sequence[Event] = ()) -> str | None:
    """The date of the main event; else the first day date that can be news; else publication.

    The main event's date is chosen where the event is found (see `find_events`); the rest is the
    fallback for an article that names no event. Without any date in the text and no publication
    date it is None: nothing invents the current year.
    """
    for e in events:
        if e.main and e.date:
            return e.date
    usable = [d for d in dates if _calendar(d.value)]
    days = [d for d in usable if len(d.value) == 10]
    for d in [d for d in days if _recent(d.value, published)] or days:
        return d.value
    return published


def find_events(ctx: Context, dates: list[DateMention] | str | None, people: list[Person], places: list[Entity],
                organisations: Sequence[Entity] = (), date: str | None = None) -> list[Event]:
    """The main event (first, main=True) and the events the article refers to.

    `date` is a date the user stated for the article (sidecar `date:`): it wins for the main event.
    The older call `find_events(ctx, date, people, places)` still works while the pipeline moves
    to this one (the dates are then found again here).
    """
    if dates is None or isinstance(dates, str):
        from newsgen.extract.dates import find_dates

        dates = find_dates(ctx.analysed, ctx.published)
    published = ctx.published.isoformat() if ctx.published else None
    sentences = body_sentences(ctx)
    if not sentences:
        return []
    usable = [d for d in dates if _calendar(d.value) and not ctx.in_caption(d.start)]
    mentions = [m for s in sentences for m in _triggers(s, usable)]
    lede = [s for s in sentences if s.index < 2 or (s.paragraph == 0 and s.index < 4)]
    index = _Index(ctx.doc, people, organisations, places)

    main = _choose_main(mentions, lede, published) or _choose_main(mentions, sentences[:6], published)
    if main is None:
        event = _fallback_event(ctx, lede, usable, places, index, published, date)
        return [event] if event else []

    same = [m for m in mentions if m is not main and _corefers(m, main)]
    event = Event(id="", name="", kind=main.kind, main=True)
    told = [main, *[m for m in same if m.sentence.index <= lede[-1].index]]
    event.participants = _participants(main, told[1:], index, main=True)
    place = next((p for m in told if (p := _place(m, index))), None)
    dateline = _dateline_place(ctx, places)
    if dateline and (place is None or place.name[:1].islower()):
        place = dateline  # "SANTIAGO, 28 janvier -" says more than "au palais de La Moneda"
    event.place = place.name if place else None
    event.date = date or next((m.date for m in told if m.date), None) or _lede_date(lede, usable, published) \
        or main_date(usable, published)
    event.evidence = _evidence(ctx, [main, *same])
    event.name = _title(main, event, place, index)
    event.id = make_id(f"{event.name} {event.date or ''}")
    others = [m for m in mentions if m is not main and not any(m is s for s in same)]
    return [event, *_referenced(ctx, others, event, index)]


# ---------------------------------------------------------------------------------------------
# Sentences and triggers


# A sentence ends at . ! ? … (and closing quotes) before a capital, unless the dot ends a title or
# an initial ("M. Shoigu", "J.-C. Juncker"). spaCy's parser splits wire copy at odd places (after
# a dateline, inside a name), so sentences are cut here and the parse is only read inside them.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[»”\"')]*\s+(?=[«“\"(]?\s*[A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜ0-9])")
_ABBREVIATION = re.compile(r"(?:\b(?:M|MM|Mme|Mmes|Mlle|Dr|Pr|Me|Mgr|St|Ste|av|apr|J\.-C|etc|cf|p|n°|No|vol|éd)"
                           r"|\b[A-Z]|\b[A-Z]\.-[A-Z])\.$")


def body_sentences(ctx: Context) -> list[Sentence]:
    """Sentences of the body paragraphs only (not captions, origin or furniture)."""
    out: list[Sentence] = []
    doc = ctx.doc
    toks = doc_tokens(doc)
    for p_index, para in enumerate(ctx.layout.paragraphs):
        cuts = [para.start]
        for m in _SENTENCE_END.finditer(para.text):
            if not _ABBREVIATION.search(para.text[:m.start()]):
                cuts.append(para.start + m.end())
        cuts.append(para.end)
        for start, end in zip(cuts, cuts[1:]):
            span = doc.char_span(start, end, alignment_mode="contract")
            words = [t for t in toks[span.start:span.end] if not t.is_space] if span is not None else []
            if words:
                out.append(Sentence(len(out), words, words[0].idx, words[-1].idx + len(words[-1].text), p_index))
    return out


def _trigger_kind(tok: Token) -> tuple[str, str | None] | None:
    """The kind of event a token names and, when it says more than the kind, its title noun."""
    lemma, low = tok.lemma_.lower(), tok.lower_
    if low not in NOUN_TRIGGERS and lemma not in NOUN_TRIGGERS and lemma not in VERB_TRIGGERS:
        return None  # most words: no lexicon entry, nothing more to read
    doc = doc_tokens(tok.doc)
    after = [t.lower_ for t in doc[tok.i + 1: tok.i + 4]]
    if tok.pos_ in ("NOUN", "PROPN") and tok.ent_type_ not in ("PER", "LOC", "ORG"):
        key = low if low in NOUN_TRIGGERS else lemma if lemma in NOUN_TRIGGERS else None
        if key is None:
            return None
        before = doc[tok.i - 1].lower_ if tok.i > 0 else ""
        if key == "accord" and before in ("d'", "d’"):
            return None  # "être d'accord"
        if key == "congrès" and tok.text[0].isupper():
            return None  # "le Congrès": the assembly
        if key == "sommet" and (after[:2] in (["de", "l'"], ["de", "l’"], ["de", "la"]) and
                                any(w in ("état", "hiérarchie", "pyramide", "montagne") for w in after)):
            return None  # "au sommet de l'État"
        if key in NEEDS_QUALIFIER:
            near = set(after) | {t.lemma_.lower() for t in doc[tok.i + 1: tok.i + 4]}
            if not near & NEEDS_QUALIFIER[key]:
                return None
        kind = NOUN_TRIGGERS[key]
        if key in ("entretien", "entretiens") and "téléphonique" in after[:2]:
            kind = "call"
        if key in ("entretien", "entretiens") and any(w.startswith("accord") for w in after):
            kind = "statement"  # "un entretien accordé à une radio": an interview
        if key == "conférence" and "presse" in after[:2]:
            kind = "statement"
        return kind, NOUN_TITLES.get(key) or _noun_phrase(tok)
    if tok.pos_ == "VERB" and lemma in VERB_TRIGGERS:
        if lemma in REFLEXIVE and not _reflexive(tok):
            return None
        if lemma == "rendre" and any(t.lower_ in ("compte", "hommage", "visite", "urnes", "justice", "coup")
                                     for t in doc[tok.i + 1: tok.i + 4]):
            return None  # "se rendre compte", "se rendent aux urnes": not a trip
        if lemma in NEEDS_ARGUMENT and not _has_argument(tok):
            return None
        kind = VERB_TRIGGERS[lemma]
        if lemma == "entretenir" and any(t.lemma_.lower() in ("téléphone", "téléphonique") for t in tok.subtree):
            kind = "call"
        return kind, VERB_TITLES.get(lemma)
    return None


def _reflexive(tok: Token) -> bool:
    if any(c.lower_ in _REFLEXIVE_PRONOUNS and c.pos_ == "PRON" for c in children(tok)):
        return True
    return any(t.lower_ in ("se", "s'", "s’") for t in doc_tokens(tok.doc)[max(0, tok.i - 3): tok.i])


def _has_argument(tok: Token) -> bool:
    """A person, place or organisation among the verb's close dependents."""
    for child in children(tok):
        if child.dep_.startswith(("nsubj", "obj", "obl", "iobj")):
            if any(t.ent_type_ in ("PER", "LOC", "ORG") for t in child.subtree if abs(t.i - child.i) < 8):
                return True
    return False


def _noun_phrase(tok: Token) -> str:
    """The trigger with the adjectives that qualify it: "Élection présidentielle", "Exercices militaires"."""
    words = [tok.text]
    for t in doc_tokens(tok.doc)[tok.i + 1: tok.i + 3]:
        if t.pos_ == "ADJ" and t.head.i == tok.i and t.lower_ not in PAST_MARKERS:
            words.append(t.text)
        else:
            break
    text = " ".join(words)
    return text[:1].upper() + text[1:]


_LEXICON_LEMMAS = frozenset(NOUN_TRIGGERS) | frozenset(VERB_TRIGGERS)


def _lexicon_hits(doc: Doc) -> frozenset[int]:
    """Tokens whose form or lemma is in a trigger lexicon, found once per doc: the only ones
    `_trigger_kind` can name."""
    hits = doc.user_data.get("newsgen_event_hits")
    if hits is None:
        lemmas = [lemma.lower() for lemma in token_strings(doc, "lemma_")]
        hits = frozenset([i for i, low in enumerate(token_strings(doc, "lower_"))
                          if low in NOUN_TRIGGERS or lemmas[i] in _LEXICON_LEMMAS])
        doc.user_data["newsgen_event_hits"] = hits
    return hits


def _triggers(sentence: Sentence, dates: list[DateMention]) -> list[Mention]:
    out = []
    first = sentence.tokens[0].i
    doc = sentence.tokens[0].doc
    hits, tokens = _lexicon_hits(doc), doc_tokens(doc)
    for tok in sentence.tokens:
        if tok.i not in hits:
            continue
        found = _trigger_kind(tok)
        if found is None:
            continue
        m = Mention(tok, found[0], sentence, noun=found[1])
        m.dates = _tied_dates(tok, sentence, dates)
        before = [t.lower_ for t in tokens[max(first, tok.i - 4): tok.i]]
        m.anchored = any(w in TEMPORAL_ANCHORS for w in before)
        m.margin = "marge" in before
        m.past = any(t.lower_ in PAST_MARKERS for t in tokens[max(first, tok.i - 2): tok.i + 3] if t.pos_ == "ADJ")
        if m.dates and ("lendemain" in before or "veille" in before):
            own = _subtree_ids(tok)
            if not any(t.i in own or 0 < t.i - tok.i <= 3 for t in _tokens_of(tok.doc, m.dates[0].start, m.dates[0].end)):
                m.shift = -1 if "lendemain" in before else 1
        out.append(m)
    return out


def _clause_head(tok: Token) -> Token:
    """The verb governing a token (its clause), else the sentence root."""
    cur, steps = tok, 0
    while cur.head.i != cur.i and steps < 12:
        cur, steps = cur.head, steps + 1
        if cur.pos_ == "VERB":
            return cur
    return cur


def _subtree_ids(tok: Token) -> set[int]:
    return {t.i for t in tok.subtree}


def _tokens_of(doc: Doc, start: int, end: int) -> list[Token]:
    span = doc.char_span(start, end, alignment_mode="expand")
    return list(span) if span is not None else []


def _tied_dates(trigger: Token, sentence: Sentence, dates: list[DateMention]) -> list[DateMention]:
    """Dates of the trigger's sentence that belong to it, best first: inside its phrase or right
    after it ("sommet il y a trois mois", "visite qu'il a effectuée le 12"), then in its clause,
    then right beside it."""
    own = trigger.i if trigger.pos_ == "VERB" else _clause_head(trigger).i
    inside = _subtree_ids(trigger) if trigger.pos_ != "VERB" else set()
    scored = []
    for d in dates:
        if not (sentence.start <= d.start < sentence.end):
            continue
        toks = _tokens_of(trigger.doc, d.start, d.end)
        if not toks:
            continue
        gap = min(abs(t.i - trigger.i) for t in toks)
        if any(t.i in inside for t in toks) or 0 < toks[0].i - trigger.i <= 3:
            rank = 0
        elif any(_clause_head(t).i == own or t.head.i == trigger.i for t in toks):
            rank = 1
        elif gap <= 4:
            rank = 2
        else:
            continue
        scored.append((rank, gap, -len(d.value), d.start, d))
    return [d for *_, d in sorted(scored, key=lambda x: x[:4])]


# ---------------------------------------------------------------------------------------------
# The main event


def _choose_main(mentions: list[Mention], region: list[Sentence], published: str | None) -> Mention | None:
    """The strongest trigger of a region: kind, first sentence, and a recent date of its own."""
    if not region:
        return None
    best, best_score = None, -1e9
    ids = {s.index for s in region}
    for m in mentions:
        if m.sentence.index not in ids:
            continue
        score = float(PRIORITY.get(m.kind, 0))
        score += 2.0 if m.sentence.index == region[0].index else 0.0
        if m.date:
            score += 1.0 if _recent(m.date, published) else -6.0
        if m.past:
            score -= 4.0
        if m.margin:
            score -= 2.5  # "en marge du sommet": the news is what happened beside it
        score -= 0.01 * (m.token.i - m.sentence.tokens[0].i)  # first told, first meant
        if score > best_score:
            best, best_score = m, score
    return best


def _corefers(m: Mention, main: Mention) -> bool:
    """Can this mention be the main event told again? Same (or a containing) kind, no other date."""
    if m.kind != main.kind and frozenset((m.kind, main.kind)) not in SAME_EVENT:
        return False
    if m.past:
        return False
    if m.date and main.date:
        return _near(m.date, main.date, 3 if main.kind in MULTI_DAY else 0)
    return not (m.date and m.sentence.index > 3)


def _lede_date(lede: list[Sentence], dates: list[DateMention], published: str | None) -> str | None:
    """A day date of the lede that can be today's news; else any date of the lede."""
    inside = [d for d in dates if any(s.start <= d.start < s.end for s in lede)]
    for pick in ([d for d in inside if len(d.value) == 10 and _recent(d.value, published)],
                 [d for d in inside if len(d.value) == 10], inside):
        if pick:
            return pick[0].value
    return None


def _fallback_event(ctx: Context, lede: list[Sentence], dates: list[DateMention], places: list[Entity],
                    index: _Index, published: str | None, date: str | None) -> Event | None:
    """No trigger: the people and place of the lede, "a meeting" only when two people meet there."""
    people = _unique(p.name for s in lede for t in s.tokens if (p := index.person.get(t.i)))
    place = _dateline_place(ctx, places)
    if place is None:
        place = next((pl for s in lede for t in s.tokens if t.i in index.place and (pl := _place_at(t, index))), None)
    if not people and place is None:
        return None
    kind = "meeting" if len(people) > 1 else "event"
    event = Event(id="", name="", kind=kind, date=date or _lede_date(lede, dates, published) or main_date(dates, published),
                  place=place.name if place else None, participants=people, main=True)
    event.evidence = [Span(ctx.text[lede[0].start:lede[0].end], lede[0].start, lede[0].end)]
    event.name = _compose(TITLE_NOUN[kind], kind, people, place)
    event.id = make_id(f"{event.name} {event.date or ''}")
    return event


# ---------------------------------------------------------------------------------------------
# People, organisations, places


class _Index:
    """Token index -> the person, organisation or place record a mention of it belongs to."""

    def __init__(self, doc: Doc, people: Sequence[Person], orgs: Sequence[Entity], places: Sequence[Entity]):
        self.doc = doc
        self.person: dict[int, Person] = {}
        self.org: dict[int, Entity] = {}
        self.place: dict[int, Entity] = {}
        for table, records in ((self.person, people), (self.org, orgs), (self.place, places)):
            for r in records:
                for m in r.mentions:
                    for t in _tokens_of(doc, m.start, m.end):
                        table.setdefault(t.i, r)  # type: ignore[arg-type]


def _reports_only(tok: Token, trigger: Token) -> bool:
    """Someone who only reports the event: "selon X", "a indiqué X", "X a déclaré que la rencontre...",
    "KCNA a rapporté la réunion". Not "X a déclaré lors de la rencontre" nor "X a annoncé sa visite"."""
    cur, steps = tok, 0
    while steps < 6:
        if any(c.lower_ == "selon" for c in children(cur)) or (cur.i > 0 and cur.doc[cur.i - 1].lower_ == "selon"):
            return True
        if cur.dep_.startswith("nsubj") or cur.dep_ == "obj":
            verb = cur.head
            if verb.i == trigger.i or verb.lemma_.lower() not in SPEECH_VERBS | {"rapporter", "publier", "citer"}:
                return False
            if cur.dep_ == "obj":
                return True
            holder = next((c for c in children(verb) if trigger.i in _subtree_ids(c)), None)
            if holder is None:
                return True  # the event is told elsewhere in the sentence: X only speaks
            owned = any(c.lower_ in _POSSESSIVES for c in children(trigger))
            return holder.dep_ in ("ccomp", "obj", "xcomp", "parataxis", "csubj") and not owned
        if cur.head.i == cur.i:
            return False
        cur, steps = cur.head, steps + 1
    return False


def _participants(trigger: Mention, others: Sequence[Mention], index: _Index, main: bool) -> list[str]:
    """People who take part, agent first; organisations that are the trigger's own arguments
    ("sommet de l'OTAN", "l'ONU a réuni"), when named as such (not a lowercase "ministre des ..."). The main event takes the people of its sentence; the
    others (and referenced events) only those of the trigger's clause."""
    found: list[tuple[int, int, str]] = []
    for m in [trigger, *[o for o in others if o.sentence.index != trigger.sentence.index]]:
        if main:  # the people of the lede sentences that tell the main event
            tokens = m.sentence.tokens
        else:
            anchor = m.token if m.token.pos_ == "VERB" else _clause_head(m.token)
            scope = _subtree_ids(anchor) if anchor.pos_ == "VERB" else {t.i for t in m.sentence.tokens}
            tokens = [t for t in m.sentence.tokens if t.i in scope]
        for t in tokens:
            p = index.person.get(t.i)
            if p is not None and not _reports_only(t, m.token):
                agent = trigger.kind in BETWEEN or _is_agent(t, m.token)  # "entre A et B": in the text's order
                found.append((0 if agent else 1, t.i, p.name))
            o = index.org.get(t.i)
            if o is not None and o.name[:1].isupper() and t.head.i in (m.token.i, m.token.head.i) and t.dep_ in (
                    "nmod", "nsubj", "obj", "obl:agent", "obl:arg") and not _reports_only(t, m.token):
                found.append((2, t.i, o.name))
    found.sort()
    return _unique(name for _, _, name in found)


def _is_agent(person: Token, trigger: Token) -> bool:
    """Does the person do the trigger: "visite de X", "X s'est rendu", "X a été accueilli"?"""
    cur, steps = person, 0
    while cur.head.i != cur.i and steps < 5:
        if cur.head.i == trigger.i:
            if trigger.pos_ == "VERB":
                if trigger.lemma_.lower() in ("accueillir", "recevoir"):
                    return cur.dep_ in ("obj", "nsubj:pass")
                return cur.dep_.startswith("nsubj")
            return cur.dep_ == "nmod" and any(c.lower_ in ("de", "du", "des", "d'", "d’") for c in children(cur))
        if cur.dep_ not in ("appos", "flat:name", "conj", "nmod", "amod"):
            break
        cur, steps = cur.head, steps + 1
    if trigger.pos_ == "NOUN" and any(c.lower_ in _POSSESSIVES for c in children(trigger)):
        verb = _clause_head(trigger)  # "sa visite": the subject of the verb that governs it
        return any(person.i in _subtree_ids(c) for c in children(verb) if c.dep_.startswith("nsubj"))
    return False


def _place(m: Mention, index: _Index) -> Place | None:
    """The place of an event: tied to the trigger ("visite à Pyongyang"), else in its clause with
    a place preposition, else anywhere in the sentence; a city ("à X") before a region or a hall."""
    tok = m.token
    clause = tok.i if tok.pos_ == "VERB" else _clause_head(tok).i
    candidates: list[tuple[int, int, int, Token]] = []
    for t in m.sentence.tokens:
        if t.i not in index.place or (t.i - 1 in index.place and index.place[t.i - 1] is index.place[t.i]):
            continue  # one candidate per mention: its first token
        root = _entity_root(t)
        prep = _own_preposition(root)
        ancestors = [a.i for a in list(root.ancestors)[:4]]
        if prep is None and _in_subject(root):
            continue  # "Moscou a annoncé", "la Russie et la Corée du Nord ont signé": actors, not places
        if tok.i in ancestors[:2] and (prep in PLACE_PREPS or (prep == "de" and ancestors[0] == tok.i)):
            rank = 0
        elif clause in ancestors[:3] and prep in PLACE_PREPS:
            rank = 1
        elif prep in PLACE_PREPS:
            rank = 2
        elif prep is None:
            rank = 3
        else:
            rank = 4  # "le président de la Confédération", "l'est de la Turquie"
        candidates.append((rank, 0 if prep == "à" else 1, abs(t.i - tok.i), t))
    if not candidates:
        return None
    return _place_at(min(candidates, key=lambda c: c[:3])[3], index)


def _place_at(t: Token, index: _Index) -> Place | None:
    entity = index.place.get(t.i)
    if entity is None:
        return None
    name = _display_name(entity)
    root = _entity_root(t)
    prep = _own_preposition(root)
    det = next((c.lower_ for c in children(root) if c.dep_ == "det" and c.i < root.i), None)
    if prep == "à" and det:  # "à l'Élysée", "au Kremlin", "aux Nations unies"
        phrase = {"le": "au ", "les": "aux "}.get(det, f"à {det}" + ("" if det.endswith(("'", "’")) else " ")) + name
    elif prep in ("à", "en", "au", "aux"):
        phrase = f"{prep} {name}"
    elif name[:1].islower():
        phrase = f"dans {det if det and det.endswith(('’', chr(39))) else (det + ' ' if det else 'la ')}{name}"
        phrase = phrase.replace("' ", "'")
    else:
        phrase = {"la": "en", "l'": "en", "l’": "en", "le": "au", "les": "aux"}.get(det or "", "à") + f" {name}"
    return Place(name, phrase)


def _entity_root(t: Token) -> Token:
    """The head token of the entity mention that starts at t."""
    span = [t]
    j = t.i + 1
    while j < len(t.doc) and t.doc[j].ent_iob_ == "I":
        span.append(t.doc[j])
        j += 1
    ids = {x.i for x in span}
    for x in span:
        if x.head.i not in ids or x.head.i == x.i:
            return x
    return t


def _own_preposition(root: Token) -> str | None:
    """The preposition in front of a place: its own "case" dependent, or the word just before it
    (or before its determiner)."""
    for c in children(root):
        if c.dep_ == "case" and c.i < root.i:
            return c.lower_
    j = root.i - 1
    while j >= 0 and root.doc[j].pos_ == "DET":
        j -= 1
    if j >= 0 and root.doc[j].pos_ == "ADP":
        return root.doc[j].lower_
    return None


def _in_subject(t: Token) -> bool:
    cur, steps = t, 0
    while steps < 3:
        if cur.dep_.startswith("nsubj"):
            return True
        if cur.dep_ not in ("conj", "appos", "flat:name") or cur.head.i == cur.i:
            return False
        cur, steps = cur.head, steps + 1
    return False


def _display_name(entity: Entity) -> str:
    """The entity's name as prose writes it ("Bruxelles", not a dateline's "BRUXELLES")."""
    if not entity.name.isupper():
        return entity.name
    for m in entity.mentions:
        if not m.text.isupper():
            return m.text
    return _title_case(entity.name)


def _title_case(text: str) -> str:
    return "-".join(" ".join(w.capitalize() for w in part.split(" ")) for part in text.lower().split("-"))


def _dateline_place(ctx: Context, places: list[Entity]) -> Place | None:
    """The place of a wire dateline: "PYONGYANG, 13 sept (AFP) -"."""
    if not ctx.layout.paragraphs:
        return None
    m = _DATELINE.match(ctx.layout.paragraphs[0].text)
    if not m:
        return None
    raw = m.group("place").strip(" -'’")
    if len(raw) < 3:
        return None
    key = fold(raw)
    name = next((_display_name(p) for p in places if fold(p.name) == key), _title_case(raw))
    return Place(name, f"à {name}")


def _agents(m: Mention, index: _Index) -> list[str]:
    """Countries or organisations named right before a trigger verb as its doers, as prose names
    them ("L'Ouzbékistan et le Kazakhstan ont signé" -> "l'Ouzbékistan", "le Kazakhstan"): a
    title's wording when no person does it. Read off the words, since the parse of such subjects
    is often wrong."""
    verb = m.token
    if verb.pos_ != "VERB":
        return []
    doc, first = verb.doc, m.sentence.tokens[0].i
    j = verb.i - 1
    while j >= first and (doc[j].pos_ in ("AUX", "ADV") or doc[j].lower_ in _REFLEXIVE_PRONOUNS):
        j -= 1
    out: list[str] = []
    while j >= first:
        entity = index.place.get(j) or index.org.get(j)
        if entity is None:
            break
        k = j
        while k - 1 >= first and (index.place.get(k - 1) or index.org.get(k - 1)) is entity:
            k -= 1
        det = doc[k - 1] if k - 1 >= first and doc[k - 1].pos_ == "DET" else None
        if det is None:
            break  # a dateline's "TACHKENT", not a country doing something
        sep = "" if det.text.endswith(("'", "’")) else " "
        out.insert(0, det.text.lower() + sep + _display_name(entity))
        j = det.i - 1
        if j >= first and doc[j].lower_ in ("et", ","):
            j -= 1
        else:
            break
    return out


# ---------------------------------------------------------------------------------------------
# Referenced events


def _referenced(ctx: Context, mentions: list[Mention], main: Event, index: _Index) -> list[Event]:
    """Events the article refers to: set apart by a date, a kind, or an anchor; one per event."""
    kept: list[Mention] = []
    for m in mentions:
        if m.kind in NOT_REFERENCED:
            continue
        if not m.date and not ((m.anchored or m.past) and m.kind in UNDATED_REFERENCE_OK):
            continue
        if not m.date and (m.kind == main.kind or frozenset((m.kind, main.kind)) in SAME_EVENT) and not m.past:
            continue  # "lors de la rencontre": the main event's own part
        kept.append(m)
    # In one sentence, triggers sharing a date are one event told by its parts ("les accords
    # conclus lors du sommet il y a trois mois"): keep the kind that names it best.
    by_key: dict[tuple[int, str | None], Mention] = {}
    for m in kept:
        key = (m.sentence.index, m.date)
        other = by_key.get(key)
        if other is None or PRIORITY.get(m.kind, 0) > PRIORITY.get(other.kind, 0):
            by_key[key] = m
    groups: list[list[Mention]] = []
    for m in sorted(by_key.values(), key=lambda m: m.token.i):
        for g in groups:
            dated = [x.date for x in g if x.date]
            if g[0].kind == m.kind and (m.date is None or all(_compatible(m.date, d) for d in dated)):
                g.append(m)
                break
        else:
            groups.append([m])

    events = []
    for g in groups:
        head = max(g, key=lambda m: len(m.date or ""))
        participants = _unique(p for m in g for p in _participants(m, [], index, main=False))
        place = next((p for m in g if (p := _place_near(m, index))), None)
        date = head.date
        if not participants and place is None:
            continue  # "un tremblement de terre en 2011": nothing to tell it from another
        if date and main.date and _compatible(date, main.date) and head.kind == main.kind:
            continue
        e = Event(id="", name="", kind=head.kind, date=date, place=place.name if place else None,
                  participants=participants, main=False, evidence=_evidence(ctx, g))
        e.name = _title(head, e, place, index)
        e.id = make_id(f"{e.name} {e.date or ''}")
        events.append(e)
    return events


def _place_near(m: Mention, index: _Index) -> Place | None:
    """A referenced event's place only when it hangs on the trigger itself ("sommet de Genève")."""
    for t in m.sentence.tokens:
        root = _entity_root(t)
        ancestors = [a.i for a in list(root.ancestors)[:2]]
        prep = _own_preposition(root)
        if t.i in index.place and m.token.i in ancestors and (
                prep in PLACE_PREPS or (prep == "de" and ancestors[0] == m.token.i)):
            return _place_at(t, index)
    return None


# ---------------------------------------------------------------------------------------------
# Titles, evidence, dates


def _title(m: Mention, e: Event, place: Place | None, index: _Index) -> str:
    noun = m.noun if (m.noun and (m.kind in OWN_NOUN or m.token.pos_ == "VERB")) else TITLE_NOUN.get(m.kind, "Événement")
    if m.kind in BETWEEN:  # "L'Ouzbékistan et le Kazakhstan ont signé": the countries title it
        agents = _agents(m, index)
        if len(agents) >= 2:
            return _compose(noun, m.kind, agents, place, between_only=True)
    return _compose(noun, m.kind, e.participants, place)


def _compose(noun: str, kind: str, participants: Sequence[str], place: Place | None,
             between_only: bool = False) -> str:
    """A news editor's title: "Visite de X à Y", "Sommet entre X et Y", "Séisme en Turquie"."""
    people = [p for p in participants if p]
    title = noun
    if kind in AT_PLACE:
        pass  # "Séisme en Turquie", "Élections législatives": a place, not people, names them
    elif (kind in BETWEEN or between_only) and len(people) >= 2:
        title += " entre " + _enumerate(people[:3])
    elif people:
        title += " " + _of(people[0])
    if place:
        title += " " + place.phrase
    return title


def _of(name: str) -> str:
    return ("d'" if name[:1].lower() in "aeiouyàâéèêëîïôöûüh" else "de ") + name


def _enumerate(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " et " + names[-1]


def _evidence(ctx: Context, mentions: Iterable[Mention]) -> list[Span]:
    spans: dict[int, Span] = {}
    for m in mentions:
        s = m.sentence
        spans.setdefault(s.start, Span(ctx.text[s.start:s.end], s.start, s.end))
    return [spans[k] for k in sorted(spans)]


def _calendar(value: str | None) -> bool:
    return bool(value) and _CALENDAR.fullmatch(value or "") is not None


def _compatible(a: str, b: str) -> bool:
    """Two dates that can be the same day: equal, or one is the other at lower precision."""
    return a.startswith(b) or b.startswith(a)


def _near(a: str, b: str, days: int) -> bool:
    if len(a) == len(b) == 10:
        return abs((dt.date.fromisoformat(a) - dt.date.fromisoformat(b)).days) <= days
    return _compatible(a, b)


def _recent(value: str, published: str | None) -> bool:
    """Can a date be the day's news: not long before publication (any date when that is unknown)?"""
    if not published or not _calendar(value):
        return True
    try:
        pub = dt.date.fromisoformat(published[:10])
    except ValueError:
        return True
    if len(value) == 10:
        return (pub - dt.date.fromisoformat(value)).days <= RECENT_DAYS
    if len(value) == 7:
        return int(value[:4]) * 12 + int(value[5:7]) >= pub.year * 12 + pub.month - (1 if pub.day <= 7 else 0)
    return int(value) >= pub.year


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))
