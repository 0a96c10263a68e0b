"""Claims: who asserted, accused or denied what, and through whom it reached the article.

Rules over spaCy's parse of the body sentences. The French model often misparses news prose
(an inverted subject after a quote comes out as an object, a verb is tagged as an adjective,
a sentence boundary is drawn inside a quote), so every dependency rule has a cheap linear
fall-back over the tokens around the verb. The detection half (`reporting_frames`) needs no
people or sources; `sources.find_sources` reuses it to find who speaks in the text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Doc, Token

from newsgen.extract.context import Context, children, doc_text, doc_tokens, token_children, token_strings
from newsgen.records import Claim, Person, Source
from newsgen.resolve.names import fold, lone_word_match, same_person_names

# --- lexicons ---------------------------------------------------------------------------------

# Verbs of saying. They only yield a claim with a content: a "que" clause, a quote or clause
# before an inverted attribution, a colon, or (some of them) an infinitive. A nominal object
# ("a annoncé sa démission", "a rapporté la réunion") is not a claim.
STATEMENT_VERBS = frozenset({
    "affirmer", "déclarer", "dire", "indiquer", "souligner", "estimer", "annoncer", "rapporter",
    "expliquer", "ajouter", "préciser", "assurer", "confirmer", "réaffirmer", "rappeler", "noter",
    "observer", "relever", "prévenir", "avertir", "reconnaître", "admettre", "avouer", "répondre",
    "répliquer", "insister", "marteler", "juger", "considérer", "déplorer",
    "regretter", "promettre", "révéler", "signaler", "écrire", "raconter", "confier", "lancer",
    "poursuivre", "conclure", "commenter", "plaider", "soutenir", "prétendre", "arguer",
    "argumenter", "certifier", "garantir", "proclamer", "mentionner", "dévoiler", "témoigner",
    "résumer", "suggérer", "jurer", "répéter", "concéder", "constater", "analyser", "détailler",
    "soupirer", "ironiser", "tempérer", "nuancer", "glisser", "lâcher", "souffler", "tonner",
    "renchérir", "relater", "réitérer", "murmurer", "exclamer", "insurger", "indigner", "interroger",
    "savoir",  # only in "faire savoir que"
    "qualifier",  # only in "a qualifié X de « Y »"
})
# Verbs whose content is their complement ("a qualifié la visite d'« historique »").
COMPLEMENT_VERBS = frozenset({"qualifier"})
ACCUSATION_VERBS = frozenset({
    "accuser", "reprocher", "dénoncer", "incriminer", "imputer", "blâmer", "fustiger",
    "soupçonner", "critiquer", "condamner", "stigmatiser",
})
DENIAL_VERBS = frozenset({
    "nier", "démentir", "rejeter", "réfuter", "contester", "récuser", "dénier", "balayer",
})
# Denial verbs that also mean "vote down", "turn away": a denial only when what they reject is
# something said (or a que clause).
DENIAL_NEEDS_SAID = frozenset({"rejeter", "contester", "récuser", "balayer"})
SAID_NOUNS = frozenset({
    "accusation", "allégation", "information", "affirmation", "critique", "reproche", "rumeur",
    "responsabilité", "implication", "version", "thèse", "propos", "déclaration", "charge",
    "soupçon", "idée", "hypothèse", "assertion", "imputation", "reportage", "article", "rapport",
    "conclusion", "chiffre", "participation", "lien", "existence", "accusations", "qualification",
    "interprétation", "argument", "témoignage", "présentation", "caractérisation",
})
# Verbs whose infinitive complement is what is asserted ("affirme avoir reçu des menaces").
INFINITIVE_VERBS = frozenset({
    "affirmer", "assurer", "déclarer", "dire", "estimer", "reconnaître", "admettre", "prétendre",
    "soutenir", "jurer", "nier", "démentir", "contester", "annoncer", "avouer",
    "indiquer", "expliquer", "confirmer", "raconter", "certifier", "revendiquer",
})
CITE_VERB = "citer"
# "cité par X": X relayed what the subject said.
_PASSIVE_CITE = frozenset({"cité", "citée", "cités", "citées", "interrogé", "interrogée", "interrogés",
                           "interrogées", "contacté", "contactée", "contactés", "joint", "jointe",
                           "sollicité", "sollicitée", "interviewé", "interviewée"})

KINDS: dict[str, str] = {
    **{v: "statement" for v in STATEMENT_VERBS},
    **{v: "accusation" for v in ACCUSATION_VERBS},
    **{v: "denial" for v in DENIAL_VERBS},
    CITE_VERB: "statement",
    "faire état": "statement",  # "l'OSDH a fait état de dix morts"
}
# Conjugated -er forms the lemmatiser misses ("reproche" -> "reproch"): stem + ending.
_ER_ENDINGS = frozenset({
    "e", "es", "ent", "é", "ée", "és", "ées", "ant", "er", "ons", "ez", "ait", "aient", "ais", "a",
    "èrent", "era", "eront", "erait", "eraient", "ai", "ât", "iez",
})
_ER_STEMS = {v[:-2]: v for v in KINDS if v.endswith("er") and len(v) >= 5}

# Generic words in front of an organisation's own name: "l'agence de presse RIA" is RIA.
MEDIA_NOUNS = frozenset({
    "agence", "quotidien", "journal", "hebdomadaire", "mensuel", "chaîne", "télévision", "radio",
    "site", "magazine", "revue", "média", "station", "réseau",
})
DESCRIPTOR_NOUNS = MEDIA_NOUNS | frozenset({
    "ong", "organisation", "groupe", "société", "compagnie", "entreprise", "parti", "syndicat",
    "association", "fondation", "institut", "cabinet", "mouvement", "collectif",
})
# Heads of noun phrases that name an office held by a person ("le dirigeant nord-coréen").
ROLE_NOUNS = frozenset({
    "président", "présidente", "dirigeant", "dirigeante", "leader", "chef", "ministre", "premier",
    "secrétaire", "porte-parole", "ambassadeur", "ambassadrice", "général", "commandant", "maire",
    "gouverneur", "député", "députée", "sénateur", "sénatrice", "directeur", "directrice",
    "patron", "patronne", "procureur", "procureure", "roi", "reine", "prince", "monarque", "pape",
    "chancelier", "chancelière", "émir", "vice-président", "vice-présidente", "conseiller",
    "conseillère", "responsable", "négociateur", "diplomate", "envoyé", "envoyée", "émissaire",
    "représentant", "représentante", "juge", "avocat", "avocate", "officier", "amiral", "dictateur",
    "numéro", "homologue", "candidat", "candidate", "préfet", "préfète",
})
# Words that can speak without a name: accepted after "selon" when nothing better is known.
SPEAKER_NOUNS = ROLE_NOUNS | frozenset({
    "autorité", "autorités", "source", "sources", "expert", "experts", "témoin", "témoins",
    "analyste", "analystes", "observateur", "observateurs", "habitant", "habitants", "média",
    "médias", "presse", "enquêteur", "enquêteurs", "secours", "police", "gendarmerie", "justice",
    "parquet", "gouvernement", "armée", "ministère", "agence", "journal", "quotidien", "chaîne",
    "télévision", "radio", "responsables", "militaire", "militaires", "officiel", "officiels",
    "spécialiste", "spécialistes", "organisation", "ong", "onu", "commission", "conseil",
    "état-major", "service", "services", "opposition", "syndicat", "parti", "entourage", "proche",
    "proches", "famille", "Kremlin", "kremlin", "diplomatie", "chancellerie", "présidence",
    "hebdomadaire", "magazine", "site", "institut", "observatoire", "office", "bureau", "comité",
    "correspondant", "correspondante", "journaliste", "reporter",
})
# Documents: "selon un communiqué de l'armée" -> the army speaks; a document alone does not.
DOCUMENT_NOUNS = frozenset({
    "communiqué", "source", "rapport", "déclaration", "texte", "note", "lettre", "document", "bilan",
    "dépêche", "article", "enquête", "estimation", "chiffre", "information", "informations",
    "données", "sondage", "message", "publication", "compte", "comptage", "décompte", "étude",
})
_SUBJECT_PRONOUNS = frozenset({"il", "elle", "ils", "elles", "-il", "-elle", "-ils", "-elles", "lui", "eux",
                               "-t-il", "-t-elle", "celui-ci", "celle-ci", "ceux-ci", "celles-ci"})
_PLURAL_PRONOUNS = frozenset({"ils", "elles", "-ils", "-elles", "eux", "ceux-ci", "celles-ci"})
# "une dizaine de délégués": the group is named by the complement
_QUANTITY_NOUNS = frozenset({"dizaine", "douzaine", "vingtaine", "trentaine", "centaine", "millier", "groupe",
                             "plupart", "majorité", "partie", "nombre", "foule", "poignée", "collectif"})
_TIME_WORDS = frozenset({
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "hier", "aujourd'hui",
    "matin", "soir", "après-midi", "dernier", "dernière", "encore", "également", "aussi", "ensuite",
    "enfin", "déjà", "notamment", "récemment", "alors", "toutefois", "cependant", "pourtant",
})
_CLITICS = frozenset({"ne", "n'", "n’", "se", "s'", "s’", "lui", "leur", "l'", "l’", "le", "la", "les", "y",
                      "en", "me", "m'", "te", "t'", "nous", "vous"})
_QUE = frozenset({"que", "qu'", "qu’"})
# "alors que", "ainsi que", "tel que": "que" that does not open what is said
_QUE_LOCUTION = frozenset({
    "alors", "ainsi", "tel", "telle", "tels", "telles", "même", "bien", "parce", "tandis", "pendant",
    "avant", "après", "sans", "pour", "dès", "depuis", "afin", "sorte", "mesure", "tant", "sitôt",
    "aussitôt", "selon", "lors",
})
_SELON = frozenset({"selon"})
_COMPARATIVE = frozenset({"plus", "moins", "autant", "ailleurs", "autre", "autres", "mieux", "pire", "davantage",
                          "aussi", "tel", "telle", "tels", "telles", "même", "plutôt"})
_NP_KEEP = frozenset({"det", "amod", "nmod", "case", "flat", "flat:name", "flat:foreign", "fixed", "compound",
                      "nummod", "appos"})
_OPENERS = "«“\""
_CLOSERS = "»”\""
_QUOTE = re.compile(r"«[^«»\n]*»|“[^“”\n]*”|\"[^\"\n]*\"")
_PARTICIPLE_ENDINGS = ("é", "ée", "és", "ées", "u", "ue", "us", "ues", "i", "ie", "is", "ies")
# Forms of irregular verbs the tagger misses ("ce que Kiev dément" comes out as an adverb).
_IRREGULAR = {
    **{f: "démentir" for f in ("dément", "démentent", "démentait", "démentaient", "démenti", "démentie")},
    **{f: "dire" for f in ("dit", "disent", "disait", "disaient", "dira")},
    **{f: "reconnaître" for f in ("reconnaît", "reconnait", "reconnaissent", "reconnu", "reconnue")},
    **{f: "admettre" for f in ("admet", "admettent", "admis", "admise")},
    **{f: "soutenir" for f in ("soutient", "soutiennent", "soutenu", "soutenait")},
    **{f: "prévenir" for f in ("prévient", "préviennent", "prévenu", "prévenait")},
    **{f: "écrire" for f in ("écrit", "écrivent", "écrivait")},
    **{f: "promettre" for f in ("promet", "promettent", "promis")},
    **{f: "répondre" for f in ("répond", "répondent", "répondu", "répondait")},
    **{f: "conclure" for f in ("conclut", "concluent", "conclu")},
}
_NEGATION = frozenset({"pas", "jamais", "guère", "nullement", "point"})


# --- body sentences and quotes ----------------------------------------------------------------

@dataclass
class Unit:
    """A body sentence: token range [start, end) inside one paragraph, quotes kept whole."""

    start: int
    end: int
    char_start: int
    char_end: int
    quotes: list[tuple[int, int]] = field(default_factory=list)  # (open mark, after close mark)

    def has(self, tok: Token) -> bool:
        return self.start <= tok.i < self.end


def quote_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Balanced quotes in text[start:end], as (offset of opening mark, offset after closing mark)."""
    return [(m.start(), m.end()) for m in _QUOTE.finditer(text, start, end)]


def body_units(ctx: Context) -> list[Unit]:
    """Sentences of the body paragraphs, clipped to their paragraph.

    spaCy draws boundaries inside quotes and across paragraph breaks; we clip to paragraphs and
    glue back any sentence that starts inside a quote or with the attribution that closes one.
    Found once per doc (claims, sources and the resolver all read them); Units are never changed.
    """
    doc: Doc = ctx.doc
    cached = doc.user_data.get("newsgen_units")
    if cached is not None:
        return list(cached)
    toks = doc_tokens(doc)
    units: list[Unit] = []
    for para in ctx.layout.paragraphs:
        span = doc.char_span(para.start, para.end, alignment_mode="expand")
        if span is None:
            continue
        quotes = quote_spans(ctx.analysed, para.start, para.end)
        groups: list[list[Token]] = []
        for tok in toks[span.start:span.end]:
            if tok.is_space or not (para.start <= tok.idx < para.end):
                continue
            if not groups or (tok.is_sent_start and _may_start(tok, quotes)):
                groups.append([tok])
            else:
                groups[-1].append(tok)
        for g in groups:
            a, b = g[0], g[-1]
            units.append(Unit(a.i, b.i + 1, a.idx, b.idx + len(b.text),
                              [q for q in quotes if a.idx <= q[0] < b.idx + len(b.text)]))
    doc.user_data["newsgen_units"] = tuple(units)
    return units


def _may_start(tok: Token, quotes: list[tuple[int, int]]) -> bool:
    """Whether a spaCy sentence start is a real one (not inside a quote, not an attribution)."""
    if any(q0 < tok.idx < q1 - 1 for q0, q1 in quotes):
        return False
    if tok.text[:1] in ",;:)»”" or tok.text[:1].islower():
        return False
    toks = doc_tokens(tok.doc)
    k = tok.i - 1
    while k >= 0 and toks[k].is_space:
        k -= 1
    if k >= 0 and "\n" not in doc_text(tok.doc)[toks[k].idx:tok.idx] and toks[k].text[-1:] not in ".!?…:;»”\"|)":
        return False  # "Xinhua a cité | Wang Yi affirmant ...": no sentence ends without punctuation
    return True


def _in_quote(pos: int, unit: Unit) -> tuple[int, int] | None:
    for q in unit.quotes:
        if q[0] < pos < q[1] - 1:
            return q
    return None


# --- token helpers ----------------------------------------------------------------------------

def trigger(tok: Token) -> str | None:
    """The reporting-verb lemma this token is a form of, if any."""
    return _trigger_table(tok.doc)[tok.i]


def _trigger_table(doc: Doc) -> list[str | None]:
    """`trigger` of every token, worked out once per doc: frames, agents, contents and the resolver
    all ask about the same tokens, many times over."""
    table = doc.user_data.get("newsgen_triggers")
    if table is None:
        toks = doc_tokens(doc)
        pos, lowers, lemmas = token_strings(doc, "pos_"), token_strings(doc, "lower_"), token_strings(doc, "lemma_")
        table = doc.user_data["newsgen_triggers"] = [
            _trigger(toks[i], toks) if pos[i] not in _NOT_TRIGGER_POS and _may_trigger(lowers[i], lemmas[i]) else None
            for i in range(len(toks))]
    return table


def _may_trigger(lower: str, lemma: str) -> bool:
    """Whether `_trigger` can say anything of a word: a known lemma or form (most words are not)."""
    return lower == "état" or lemma.lower() in KINDS or lower in _IRREGULAR or _er_lemma(lower) is not None


_NOT_TRIGGER_POS = frozenset({"DET", "ADP", "PUNCT", "PRON", "CCONJ", "SCONJ", "NUM", "SPACE", "SYM"})


def _trigger(tok: Token, doc: list[Token]) -> str | None:
    """What `trigger` says of a token (`doc` is the doc's token list)."""
    pos = tok.pos_
    if pos in _NOT_TRIGGER_POS:
        return None
    if tok.lower_ == "état" and 0 < tok.i < len(doc) - 1 and doc[tok.i - 1].lemma_ == "faire" \
            and doc[tok.i + 1].lower_ in ("de", "d'", "d’", "du", "des"):
        return "faire état"
    lemma = tok.lemma_.lower()
    if lemma not in KINDS:
        lemma = _IRREGULAR.get(tok.lower_) or _er_lemma(tok.lower_)
        if lemma is None:
            return None
    if pos in ("VERB", "AUX"):
        return lemma
    # A verb the tagger missed: not after a determiner ("l'annonce", "le reproche").
    prev = doc[tok.i - 1] if tok.i > 0 else None
    if prev is not None and prev.pos_ in ("DET", "ADP"):
        return None
    if pos in ("ADJ", "NOUN", "ADV", "PROPN") and prev is not None \
            and prev.pos_ in ("AUX", "PRON", "NOUN", "PROPN"):
        return lemma
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    if pos in ("ADJ", "NOUN") and prev is not None and nxt is not None:
        # "« ... », analyse le propriétaire": a verb of an attribution right after the closing quote
        if prev.text == "," and tok.i >= 2 and doc[tok.i - 2].text in "»”\"" \
                and (nxt.pos_ in ("DET", "PROPN") or nxt.text.startswith("-")):
            return lemma
        # "le président de l'Assemblée juge que ...": a present tense read as a noun before its clause
        if prev.pos_ == "ADJ" and nxt.lower_ in ("que", "qu'", "qu’") and tok.text[:1].islower():
            return lemma
        # "Le ministre, Paul Ardent, juge que ...": the same after a name set between commas
        if prev.text == "," and tok.i >= 2 and doc[tok.i - 2].pos_ == "PROPN" \
                and nxt.lower_ in ("que", "qu'", "qu’") and tok.text[:1].islower():
            return lemma
    return None


@lru_cache(maxsize=65536)
def _er_lemma(form: str) -> str | None:
    for cut in range(len(form) - 1, 2, -1):
        stem = form[:cut]
        if stem in _ER_STEMS and form[cut:] in _ER_ENDINGS:
            return _ER_STEMS[stem]
    return None


def _children(tok: Token, unit: Unit, *deps: str) -> list[Token]:
    doc = tok.doc
    tokens, dep = doc_tokens(doc), token_strings(doc, "dep_")
    return [tokens[j] for j in token_children(doc)[tok.i]
            if unit.start <= j < unit.end and (not deps or dep[j] in deps)]


_ASIDE_NOUNS = frozenset({"part", "côté", "avis", "sens", "point", "tour"})


def _aside_start(tokens: list[Token], k: int, unit: Unit) -> int | None:
    """Where "pour sa part", "de son côté", "à son tour" starts, if token k ends one right after an
    auxiliary ("a pour sa part estimé"); `tokens` is the doc's token list."""
    if tokens[k].lower_ not in _ASIDE_NOUNS:
        return None
    j = k - 1
    if j >= unit.start and tokens[j].pos_ == "DET":
        j -= 1
    if j >= unit.start and tokens[j].lower_ in ("pour", "de", "à", "selon") and j - 1 >= unit.start \
            and tokens[j - 1].pos_ in ("AUX", "VERB") and tokens[j - 1].lemma_ in ("avoir", "être"):
        return j
    return None


def _group_start(verb: Token, unit: Unit) -> int:
    """First token of the verbal group: auxiliaries, clitics, negation and adverbs before the verb."""
    i = verb.i
    tokens = doc_tokens(verb.doc)
    while i - 1 >= unit.start:
        t = tokens[i - 1]
        aside = _aside_start(tokens, i - 1, unit)
        if aside is not None:  # "a pour sa part estimé", "a de son côté affirmé"
            i = aside
            continue
        if t.pos_ == "AUX" or t.dep_.startswith("aux") and t.lemma_ in ("avoir", "être") \
                or t.lower_ in _CLITICS or t.text.startswith("-") \
                or (t.pos_ == "ADV" and (t.lower_ not in _TIME_WORDS  # "a aussi indiqué": inside the group
                                         or i - 2 >= unit.start and tokens[i - 2].pos_ == "AUX")) \
                or (t.lemma_ == "faire" and verb.lower_ in ("savoir", "état")):  # "a fait savoir", "fait état"
            i -= 1
            continue
        break
    return i


def _after_group(verb: Token, unit: Unit) -> int:
    """First token after the verb, past "-t-il", adverbs and time words."""
    tokens = doc_tokens(verb.doc)
    i = verb.i + 1
    while i < unit.end:
        t = tokens[i]
        if t.text.startswith("-") or t.pos_ == "ADV" and t.lower_ not in _QUE or t.lower_ in _TIME_WORDS:
            i += 1
            continue
        break
    return i


def _negated(verb: Token, unit: Unit) -> bool:
    tokens = doc_tokens(verb.doc)
    lo = _group_start(verb, unit)
    window = [tokens[i].lower_ for i in range(lo, min(verb.i + 2, unit.end))]
    return ("ne" in window or "n'" in window or "n’" in window) and any(w in _NEGATION for w in window)


def _passive(verb: Token, unit: Unit) -> bool:
    return "Pass" in verb.morph.get("Voice") or bool(_children(verb, unit, "aux:pass"))


def _inverted_pronoun(verb: Token, unit: Unit) -> Token | None:
    """"-t-il", "-elle" after the verb or its auxiliary."""
    tokens = doc_tokens(verb.doc)
    for i in range(_group_start(verb, unit), min(verb.i + 3, unit.end)):
        if tokens[i].text.startswith("-") and tokens[i].lower_.lstrip("-t") in ("il", "elle", "ils", "elles", "on"):
            return tokens[i]
        if tokens[i].lower_ in ("-t",) and i + 1 < unit.end:
            return tokens[i + 1]
    return None


def np_head(tok: Token, unit: Unit, limit: int | None = None) -> Token:
    """Climb from a token to the head of the noun phrase it sits in."""
    t = tok
    for _ in range(8):
        h = t.head
        if h is t or not unit.has(h) or (limit is not None and h.i >= limit):
            break
        if t.dep_ in ("flat", "flat:name", "fixed", "amod", "det", "case", "nummod", "compound") or (
                t.dep_ in ("nmod", "appos") and h.pos_ in ("NOUN", "PROPN") and h.i < t.i):
            t = h
            continue
        break
    return t


def np_tokens(head: Token, unit: Unit, full: bool = False) -> list[Token]:
    """The noun phrase of a head: modifiers and complements, not clauses nor comma-set appositions
    (unless `full`, which keeps appositions so a name after a title is found).

    Remembered per doc: speakers, sources and the resolver ask for the same phrases again."""
    doc = head.doc
    memo = doc.user_data.setdefault("newsgen_np", {})
    key = (head.i, unit.start, unit.end, full)
    found = memo.get(key)
    if found is None:
        found = memo[key] = tuple(_np_tokens(head, unit, full))
    return list(found)


def _np_tokens(head: Token, unit: Unit, full: bool) -> list[Token]:
    doc = head.doc
    tokens, kids, deps, table = doc_tokens(doc), token_children(doc), token_strings(doc, "dep_"), _trigger_table(doc)
    keep = {head.i}
    stack = [head.i]
    while stack:
        t = stack.pop()
        for c in kids[t]:
            if not (unit.start <= c < unit.end) or c in keep:
                continue
            dep = deps[c]
            # "le porte-parole du Kremlin, Dmitri Peskov": an apposed name the parser calls conj
            named_conj = full and dep == "conj" and tokens[c].ent_type_ == "PER" and tokens[t].pos_ == "NOUN" \
                and _comma_between(tokens[t], tokens[c])
            if (dep not in _NP_KEEP and not named_conj) or table[c] is not None:
                continue
            if dep == "case" and c > t:
                continue
            if not full and dep in ("appos", "nmod") and c > t and _comma_between(tokens[t], tokens[c]):
                continue
            if dep == "nmod" and c > t and (tokens[c].lemma_ in _TIME_WORDS or _circumstance(tokens[c])):
                continue
            keep.add(c)
            stack.append(c)
    lo, hi = min(keep), max(keep)
    # "l'agence Tass citant ...": the parse left the medium's own name out of the phrase
    if head.lemma_.lower() in DESCRIPTOR_NOUNS and head.text[:1].islower() and hi == head.i:
        while hi + 1 < unit.end and tokens[hi + 1].text[:1].isupper() and tokens[hi + 1].is_alpha:
            hi += 1
    # words glued by a hyphen the tokenizer split ("état-major", "Al-Jazeera") stay together
    glued = False
    while hi + 2 < unit.end and tokens[hi + 1].text == "-" and not tokens[hi].whitespace_ \
            and not tokens[hi + 1].whitespace_ \
            and tokens[hi + 2].is_alpha:
        hi += 2
        glued = True
    while glued and hi + 1 < unit.end and tokens[hi + 1].pos_ == "ADJ" and tokens[hi + 1].text[:1].islower() \
            and tokens[hi + 1].head.i in range(lo, hi + 1):
        hi += 1  # "l'état-major interarmées sud-coréen": the parse hung the adjectives on the split word
    if full and hi + 1 < unit.end and tokens[hi + 1].text == ")" and "(" in [tokens[i].text for i in range(lo, hi + 1)]:
        hi += 1
    if full and hi + 2 < unit.end and tokens[hi + 1].text == "," and tokens[hi + 2].ent_iob_ == "B" \
            and tokens[hi + 2].ent_type_ == "PER" and (head.lemma_.lower() in ROLE_NOUNS or head.lower_ in ROLE_NOUNS):
        # "..., a indiqué la secrétaire à l'Intérieur, Gale Norton": the name closes the phrase
        hi += 2
        while hi + 1 < unit.end and tokens[hi + 1].ent_iob_ == "I":
            hi += 1
    toks = [tokens[i] for i in range(lo, hi + 1)]
    # a clause hanging inside the span ends it ("le ministre, qui ...")
    cut = [i for i, t in enumerate(toks) if t.i > head.i and (t.text in (",", ";", ":") and not full
                                                              or t.lower_ in _QUE)]
    if cut:
        toks = toks[:cut[0]]
    while toks and (toks[-1].pos_ == "PUNCT" and toks[-1].text not in ")" or toks[-1].is_space):
        toks.pop()
    return toks


_CIRCUMSTANCE_CASES = frozenset({"devant", "dans", "lors", "pendant", "après", "avant", "depuis", "sur", "sous",
                                 "vers", "contre", "avec", "par", "selon", "durant", "malgré", "face"})


def _circumstance(tok: Token) -> bool:
    """"devant ses partisans", "dans un communiqué": a circumstance, not part of a name."""
    if tok.ent_type_ in ("ORG", "MISC") or tok.text[:1].isupper():
        return False
    return any(c.dep_ == "case" and c.lower_ in _CIRCUMSTANCE_CASES for c in children(tok))


def _comma_between(a: Token, b: Token) -> bool:
    tokens = doc_tokens(a.doc)
    return any(tokens[i].text == "," for i in range(min(a.i, b.i) + 1, max(a.i, b.i)))


def np_text(toks: list[Token]) -> str:
    """A noun phrase as a name: no leading article, preposition or quote mark, no trailing punctuation."""
    while toks and (toks[0].pos_ in ("DET", "ADP") or toks[0].lower_ in ("l'", "l’", "d'", "d’")
                    or toks[0].text in _OPENERS + _CLOSERS):
        toks = toks[1:]
    while toks and (toks[-1].pos_ == "PUNCT" and toks[-1].text != ")" or toks[-1].text in _OPENERS + _CLOSERS):
        toks = toks[:-1]
    if not toks:
        return ""
    opened = [i for i, t in enumerate(toks) if t.text == "("]
    if opened and not any(t.text == ")" for t in toks[opened[-1]:]):
        return np_text(toks[:opened[-1]])
    doc = toks[0].doc
    return doc_text(doc)[toks[0].idx: toks[-1].idx + len(toks[-1].text)].strip()


# --- frames: what is said, by which noun phrase, through which --------------------------------

@dataclass
class Frame:
    """A detected act of saying, before the speaker is resolved to a person or a source."""

    verb: str
    kind: str
    content: tuple[int, int]  # character offsets of what is said
    speaker: Token | None
    unit: Unit
    via: Token | None = None
    anchor: int = 0  # token index of the verb
    selon: bool = False
    incise: bool = False
    anaphoric: bool = False  # "ce que le mouvement a démenti": says no to the claim before


def reporting_frames(ctx: Context, units: list[Unit] | None = None) -> list[Frame]:
    """Every act of saying in the body, with the noun phrases that speak and relay it.

    Sources and claims both read them: the body's frames are found once per doc.
    """
    if units is None:
        cached = ctx.doc.user_data.get("newsgen_frames")
        if cached is not None:
            return list(cached)
    frames: list[Frame] = []
    for unit in units if units is not None else body_units(ctx):
        frames.extend(_unit_frames(ctx.doc, unit))
    if units is None:
        ctx.doc.user_data["newsgen_frames"] = tuple(frames)
    return frames


def reporting_agents(ctx: Context) -> list[tuple[Token, Unit]]:
    """Noun phrases in a speaking or relaying position, with or without a content.

    For sources: "KCNA a rapporté la réunion" makes KCNA a source even though no claim is read.
    """
    out: list[tuple[Token, Unit]] = []
    units = body_units(ctx)
    for f in reporting_frames(ctx):
        for t in (f.speaker, f.via):
            if t is not None:
                out.append((t, f.unit))
    tokens, table = doc_tokens(ctx.doc), _trigger_table(ctx.doc)
    for unit in units:
        for i in range(unit.start, unit.end):
            lemma = table[i]
            if lemma in ("rapporter", "citer", "annoncer", "indiquer", "révéler", "faire état"):
                tok = tokens[i]
                if _in_quote(tok.idx, unit) or _passive(tok, unit):
                    continue
                s, v = _subject(tok, unit)
                for t in (s, v):
                    if t is not None:
                        out.append((t, unit))
                if lemma == CITE_VERB:
                    out.extend((o, unit) for o in _children(tok, unit, "obj") if o.pos_ in ("NOUN", "PROPN"))
    return out


def _unit_frames(doc: Doc, unit: Unit) -> list[Frame]:
    frames: list[Frame] = []
    consumed: set[int] = set()
    tokens, table = doc_tokens(doc), _trigger_table(doc)
    for i in range(unit.start, unit.end):
        lemma = table[i]  # only the verbs of saying are looked at
        if lemma is None or i in consumed:
            continue
        tok = tokens[i]
        if lemma == "savoir" and not (tok.i > unit.start and tokens[tok.i - 1].lemma_ == "faire"):
            continue
        if lemma == "dire" and tok.i > unit.start and tokens[tok.i - 1].lower_ in ("-", "à", "se", "s'", "s’"):
            continue  # "c'est-à-dire", "se dire"
        if "Inf" in tok.morph.get("VerbForm") and lemma != "savoir" and not _after_modal(tok, unit):
            continue  # "propre à assurer": an infinitive speaks only after "a tenu à", "veut", "fait"
        if _adjectival(tok, unit):
            continue  # "les Nations dites unies"
        q = _in_quote(tok.idx, unit)
        if q is not None and not _mid_quote_incise(tok, unit):
            continue
        if _negated(tok, unit) or _first_person(tok, unit):
            continue
        if lemma == CITE_VERB:
            f = _citation_frame(tok, unit, consumed)
        else:
            f = _frame(tok, lemma, unit)
        if f is not None and frames and not f.incise and _comma_participle(tok, unit):
            # "le Kremlin a démenti que ..., indiquant que ...": the same speaker goes on
            f.speaker, f.via = frames[-1].speaker, frames[-1].via
        if f is not None:
            if f.anaphoric and frames:
                f.content = frames[-1].content
            frames.append(f)
    frames.extend(_selon_frames(doc, unit, frames))
    return _fold_relays(frames)


def _past_participle(tok: Token) -> bool:
    low = tok.lower_
    return low.endswith(("é", "ée", "és", "ées")) or (low.endswith(_PARTICIPLE_ENDINGS)
                                                       and "Part" in tok.morph.get("VerbForm")
                                                       and "Pres" not in tok.morph.get("Tense"))


_MODALS = frozenset({"tenir", "vouloir", "pouvoir", "devoir", "aller", "venir", "hésiter", "faire", "sembler"})


def _first_person(verb: Token, unit: Unit) -> bool:
    """"Rappelons que", "nous estimons que": the writer speaks, not someone the article cites."""
    group = [verb] + [c for c in _children(verb, unit, "aux", "aux:tense", "aux:pass")]
    return any("1" in t.morph.get("Person") or "Imp" in t.morph.get("Mood") for t in group) \
        and _in_quote(verb.idx, unit) is None


def _after_modal(verb: Token, unit: Unit) -> bool:
    """"a tenu à souligner", "veut rappeler", "fait observer": an infinitive that still speaks."""
    tokens = doc_tokens(verb.doc)
    if verb.dep_ == "xcomp" and verb.head.lemma_ in _MODALS:
        return True
    before = [tokens[i] for i in range(max(unit.start, verb.i - 2), verb.i)]
    if before and before[-1].lemma_ in _MODALS:
        return True
    return len(before) == 2 and before[1].lower_ in ("à", "de", "d'", "d’") and before[0].lemma_ in _MODALS


def _adjectival(verb: Token, unit: Unit) -> bool:
    """A past participle right after a noun, with no auxiliary: an adjective ("les Nations dites unies")."""
    tokens = doc_tokens(verb.doc)
    return (_past_participle(verb) or verb.lower_ in ("dite", "dites")) and verb.i > unit.start \
        and tokens[verb.i - 1].pos_ in ("NOUN", "PROPN") and _inverted_pronoun(verb, unit) is None \
        and not _children(verb, unit, "aux", "aux:tense")  # "a pour sa part rapporté que"


def _may_be_incise(verb: Token, unit: Unit) -> bool:
    """An attribution after its content has no subject before it and is a conjugated verb
    ("Le chef de la diplomatie, Antony Blinken, a dénoncé ..." is not one)."""
    if "Inf" in verb.morph.get("VerbForm") or verb.lower_.endswith("ant"):
        return False  # "..., estimant le coût à 100.000 €": a participle, not an attribution
    tokens = doc_tokens(verb.doc)
    lo = _group_start(verb, unit)
    if _past_participle(verb) and not any(tokens[i].pos_ == "AUX" for i in range(lo, verb.i)) \
            and _inverted_pronoun(verb, unit) is None:
        return False  # "Il a, en outre, jugé ...": the auxiliary stands before the comma
    # a subject inside the quote just closed is a misparse ("« Les Hollandais ... », confie X")
    # nor one with a preposition ("Moscou a de son côté affirmé ..., a annoncé X": "côté" is no subject)
    return not any(c.i < verb.i and not c.text.startswith("-") and _in_quote(c.idx, unit) is None
                   and not _has_case(c, unit) for c in _children(verb, unit, "nsubj", "nsubj:pass"))


def _comma_participle(verb: Token, unit: Unit) -> bool:
    tokens = doc_tokens(verb.doc)
    return "Part" in verb.morph.get("VerbForm") and "Pres" in verb.morph.get("Tense") \
        and verb.i - 1 >= unit.start and tokens[verb.i - 1].text == ","


def _mid_quote_incise(verb: Token, unit: Unit) -> bool:
    """« Nous ne céderons pas, a-t-il ajouté, car ... »: an attribution inside the quote marks."""
    tokens = doc_tokens(verb.doc)
    lo = _group_start(verb, unit)
    if lo - 1 < unit.start or tokens[lo - 1].text != ",":
        return False
    for i in range(verb.i + 1, min(verb.i + 9, unit.end)):
        if tokens[i].text in (",", "»", "”", "\""):
            return True
        if tokens[i].text in (".", ";", "«"):
            return False
    return False


def _frame(verb: Token, lemma: str, unit: Unit) -> Frame | None:
    kind = KINDS[lemma]
    doc = verb.doc
    tokens = doc_tokens(doc)
    lo = _group_start(verb, unit)
    prev = tokens[lo - 1] if lo - 1 >= unit.start else None
    passive = _passive(verb, unit)
    if passive and kind != "statement":
        return None

    que = _que_content(verb, unit)
    # Inverted attribution: "..., a déclaré l'agence", "« ... », a-t-il dit".
    if que is None and prev is not None and (prev.text == "," or prev.text in _CLOSERS) \
            and _may_be_incise(verb, unit):
        speaker = _inverted_subject(verb, unit)
        content = _before_incise(verb, lo, unit)
        if speaker is not None and content is not None:
            via = _relay_of(verb, unit)
            speaker, via2 = _cited(speaker, verb, unit)
            quoted = _in_quote(verb.idx, unit) or any(content == _inner(q) for q in unit.quotes)
            act = None if quoted else _saying_clause(doc, lo, unit)
            if act is not None:
                # "X a réaffirmé son opposition ..., a rapporté l'agence": X's act, the agency relays
                inner, subject = act
                if KINDS[trigger(inner)] == "accusation":
                    return None  # "X a critiqué cette décision, a rapporté ...": nothing alleged
                said = _content(doc, inner.i, lo - 1, unit)
                if said is not None:
                    return Frame(trigger(inner), "statement", said, subject, unit, via=speaker, anchor=inner.i)
            return Frame(lemma, kind, content, speaker, unit, via=via2 or via, anchor=verb.i, incise=True)

    content = que
    if content is None and lemma == "faire état":
        content = _content(doc, verb.i + 2, unit.end - 1, unit)
    if content is None:
        content = _colon_content(verb, unit)
    if content is None and lemma in INFINITIVE_VERBS:
        content = _infinitive_content(verb, unit)
    if content is None and kind == "accusation" and not _sentencing(verb, lemma, unit):
        content = _complement_content(verb, unit)
        if content is not None and _bare_object(verb.doc, content):
            return None  # "a critiqué cette décision": a target, nothing alleged
    if content is None and lemma in COMPLEMENT_VERBS and _qualifies(verb, unit):
        content = _complement_content(verb, unit)
    anaphoric = False
    if content is None and kind == "denial":
        content = _relative_denial(verb, unit)
        anaphoric = content is not None
        if content is None:
            content = _denial_object(verb, lemma, unit)
    if content is None:
        return None
    if passive:
        agents = _children(verb, unit, "obl:agent")
        if not agents:
            return None
        speaker, via = agents[0], None
    else:
        speaker, via = _subject(verb, unit)
    if speaker is None:
        return None
    return Frame(lemma, kind, content, speaker, unit, via=via or _relay_of(verb, unit), anchor=verb.i,
                 anaphoric=anaphoric)


def _saying_clause(doc: Doc, lo: int, unit: Unit) -> tuple[Token, Token] | None:
    """The verb of saying (and its subject) heading the clause before an inverted attribution,
    when that verb yields no claim of its own: "X a réaffirmé son opposition ..., a rapporté
    l'agence" (a "que" clause would make its own claim, which the attribution then relays).
    Statement and accusation verbs only: "X a rejeté le projet" is a vote, not a denial."""
    tokens = doc_tokens(doc)
    for t in tokens[unit.start:lo - 1]:
        lemma = trigger(t)
        if lemma is None or KINDS[lemma] == "denial" or lemma in (CITE_VERB, "faire état", "savoir"):
            continue
        if "Fin" not in t.morph.get("VerbForm") and not _past_participle(t) or _in_relative(t, unit) \
                or _in_quote(t.idx, unit) or _negated(t, unit) or _first_person(t, unit):
            continue
        if _passive(t, unit):
            continue
        subject, _ = _subject(t, unit)
        if subject is None or not (unit.start <= subject.i < t.i) or _in_quote(subject.idx, unit):
            continue
        if _frame(t, lemma, unit) is not None:
            return None  # "X a affirmé que ..., a rapporté l'agence": X's own claim, relayed
        return t, subject
    return None


def _qualifies(verb: Token, unit: Unit) -> bool:
    """"a qualifié la visite d'« historique »": an object then "de" and what it is called."""
    tokens = doc_tokens(verb.doc)
    if "Inf" in verb.morph.get("VerbForm") or _passive(verb, unit) or _adjectival(verb, unit):
        return False
    objs = [o for o in _children(verb, unit, "obj") if o.i > verb.i]
    if not objs or min(x.i for x in objs[0].subtree) != _after_group(verb, unit):
        return False  # "le mot qui qualifie le mieux l'état d'esprit": no object right after the verb
    end = max(x.i for x in objs[0].subtree if unit.has(x))
    window = [tokens[i].lower_ for i in range(verb.i + 1, min(end + 3, unit.end))]
    return any(w in ("de", "d", "d'", "d’") for w in window)


def _sentencing(verb: Token, lemma: str, unit: Unit) -> bool:
    """"le tribunal a condamné Bernard à 5.000 F d'amende" is a sentence, not a denunciation."""
    if lemma != "condamner":
        return False
    objs = _children(verb, unit, "obj")
    obliques = _children(verb, unit, "obl", "obl:arg", "obl:mod")
    return any(o.pos_ in ("PROPN", "PRON") or o.ent_type_ == "PER" for o in objs) or any(
        x.dep_ == "case" and x.lower_ in ("à", "au", "aux") for c in obliques for x in children(c))


def _cited_objects(verb: Token, unit: Unit) -> list[Token]:
    """Who "citer" cites: its object, or the name the parse hung on it some other way ("a cité Wang Yi")."""
    objs = _children(verb, unit, "obj")
    if objs:
        return objs
    return [c for c in _children(verb, unit, "flat:name", "flat", "appos", "nmod", "iobj")
            if c.i > verb.i and c.pos_ == "PROPN" and c.i == _after_group(verb, unit)]


def _citation_frame(verb: Token, unit: Unit, consumed: set[int]) -> Frame | None:
    """"KCNA a cité le dirigeant affirmant que ...": the cited one speaks, the citer relays."""
    objs = [o for o in _cited_objects(verb, unit) if o.pos_ in ("NOUN", "PROPN", "PRON")]
    if not objs:
        return None
    obj = objs[0]
    for p in _children(verb, unit, "advcl", "xcomp", "conj") + _children(obj, unit, "acl", "acl:relcl"):
        lemma = trigger(p)
        if lemma is None or lemma == CITE_VERB or p.i < obj.i:
            continue
        content = _que_content(p, unit) or (_infinitive_content(p, unit) if lemma in INFINITIVE_VERBS else None)
        if content is None and KINDS[lemma] == "accusation":
            content = _complement_content(p, unit)
            if content is not None and _bare_object(p.doc, content):
                content = None
        if content is None:
            continue
        consumed.add(p.i)
        citer, via = _subject(verb, unit)
        return Frame(lemma, KINDS[lemma], content, obj, unit, via=citer, anchor=p.i)
    return None


def _content(doc: Doc, a: int, b: int, unit: Unit) -> tuple[int, int] | None:
    """Tokens a..b (inclusive) as character offsets, cut before an attribution or "selon"
    that follows inside them, trimmed of punctuation."""
    tokens = doc_tokens(doc)
    a, b = max(a, unit.start), min(b, unit.end - 1)
    for i in range(a + 1, b + 1):
        t = tokens[i]
        if t.text == ";" or (t.text == "," and i + 2 <= b and tokens[i + 1].lower_ == "ce"
                             and tokens[i + 2].lower_ in ("que", "qui", "qu'", "qu’")):
            b = i - 1
            break
        if t.text == "," and i + 1 <= b:
            nxt = tokens[i + 1]
            if nxt.lower_ in _SELON or (nxt.lower_ in ("d'", "d’") and i + 2 <= b
                                        and tokens[i + 2].lower_ == "après"):
                b = i - 1
                break
            if trigger(nxt) and "Part" in nxt.morph.get("VerbForm") and "Pres" in nxt.morph.get("Tense"):
                b = i - 1  # ", affirmant que ...": a claim of its own
                break
            j = i + 1
            while j <= b and (tokens[j].pos_ == "AUX" or tokens[j].text.startswith("-")):
                j += 1
            if j <= b and trigger(tokens[j]) and _inverted_subject(tokens[j], unit) is not None \
                    and not _in_quote(tokens[j].idx, unit):
                b = i - 1
                break
    while a <= b and (tokens[a].pos_ == "PUNCT" and tokens[a].text not in _OPENERS or tokens[a].is_space):
        a += 1
    while b >= a and (tokens[b].pos_ == "PUNCT" and tokens[b].text not in _CLOSERS and tokens[b].text != ")"
                      or tokens[b].is_space):
        b -= 1
    if a > b:
        return None
    start, end = tokens[a].idx, tokens[b].idx + len(tokens[b].text)
    for q0, q1 in unit.quotes:
        if q0 < end < q1 and start <= q0:
            end = q1  # "une «alliance brun-vert-rouge»": a quote is not cut in the middle
        if q0 < start < q1 and end >= q1 and not doc_text(doc)[q0 + 1:start].strip():
            start = q0  # "a dénoncé « l'ingérence » de Tokyo": keep the opening mark
    return start, end


def _que_content(verb: Token, unit: Unit) -> tuple[int, int] | None:
    """The clause after "que": "a affirmé que les deux parties avaient discuté ..."."""
    doc = verb.doc
    tokens = doc_tokens(doc)
    i = _after_group(verb, unit)
    # "a indiqué à la presse que", "a déclaré au cours d'une réunion qui s'est tenue à Jérusalem que":
    # skip a stretch before "que" that holds no verb of the main clause
    for j in range(i, min(i + 16, unit.end)):
        t = tokens[j]
        if j > i and ("Fin" in t.morph.get("VerbForm") or "Inf" in t.morph.get("VerbForm")) \
                and not _in_relative(t, unit):
            return None
        if t.lower_ in _COMPARATIVE or t.lower_ in ("ne", "n'", "n’"):
            return None  # "plus ... que", "ailleurs que", "ne ... que": a comparison or a restriction
        if t.lower_ in _QUE and (t.dep_ == "fixed" or tokens[j - 1].lower_ in _QUE_LOCUTION):
            return None
        if t.lower_ in _QUE and j - i > 5 and not (t.dep_ == "mark" and verb in t.head.ancestors) \
                and not _dative_before(doc, i, j):
            return None  # far from the verb, only a "que" the parse hangs under it opens what is said
        if t.lower_ in _QUE:
            head = t.head
            end = unit.end - 1
            if head is not t and unit.has(head) and head.i > t.i:
                end = max(x.i for x in head.subtree if unit.has(x))
                end = max(end, _conj_end(head, unit))
                right = _right_tokens(verb, unit)
                if right:
                    end = max(end, right[-1].i)
            return _content(doc, j + 1, end, unit)
        if t.text in (".", ";", ":", "«") or t.lower_ in _SELON or trigger(t):
            return None
    return None


def _dative_before(doc: Doc, i: int, j: int) -> bool:
    """doc[i:j] is only "à la chaîne Al-Mayadeen": whom it was said to, before the "que"."""
    tokens = doc_tokens(doc)
    return j - i <= 10 and tokens[i].lower_ in ("à", "au", "aux") and all(
        t.pos_ in ("DET", "NOUN", "PROPN", "ADJ") or t.text in ("-", "'") for t in tokens[i + 1:j])


def _conj_end(head: Token, unit: Unit) -> int:
    """A clause coordinated after the que clause ("que X et que Y") ends the content."""
    ends = [head.i]
    for c in children(head.head) if head.head is not head else []:
        if c.dep_ == "conj" and c.i > head.i and unit.has(c) and any(x.lower_ in _QUE for x in children(c)):
            ends.append(max(x.i for x in c.subtree if unit.has(x)))
    return max(ends)


def _colon_content(verb: Token, unit: Unit) -> tuple[int, int] | None:
    doc = verb.doc
    tokens = doc_tokens(doc)
    i = _after_group(verb, unit)
    if i < unit.end and tokens[i].text == ":":
        return _content(doc, i + 1, unit.end - 1, unit)
    return None


def _infinitive_content(verb: Token, unit: Unit) -> tuple[int, int] | None:
    doc = verb.doc
    tokens = doc_tokens(doc)
    for c in _children(verb, unit, "xcomp", "ccomp", "obj", "advmod"):
        if c.i > verb.i and "Inf" in c.morph.get("VerbForm") or (c.dep_ == "xcomp" and c.pos_ == "VERB"):
            first = min(x.i for x in c.subtree if unit.has(x))
            if c.i <= verb.i or first - verb.i > 4:
                continue
            if tokens[first].lower_ in ("de", "d'", "d’", "à"):
                first += 1
            last = max(x.i for x in c.subtree if unit.has(x))
            return _content(doc, first, last, unit)
    # "a nié avoir ..." where "avoir" is the first word after the verb
    i = _after_group(verb, unit)
    if i < unit.end and tokens[i].lower_ in ("avoir", "être") and i + 1 < unit.end:
        return _content(doc, i, unit.end - 1, unit)
    return None


def _right_tokens(verb: Token, unit: Unit) -> list[Token]:
    skip = {"nsubj", "nsubj:pass", "conj", "cc", "parataxis", "punct", "aux", "aux:tense", "aux:pass",
            "advmod", "expl:comp", "expl:subj", "expl:pass"}
    toks: list[Token] = []
    for c in children(verb):
        if c.i > verb.i and unit.has(c) and c.dep_ not in skip and c.lower_ not in _TIME_WORDS:
            toks.extend(x for x in c.subtree if unit.has(x))
    return sorted(toks, key=lambda t: t.i)


def _complement_content(verb: Token, unit: Unit) -> tuple[int, int] | None:
    """What an accusation alleges: "accusent la Corée du Nord de fournir des munitions ..."."""
    toks = _right_tokens(verb, unit)
    if not toks:
        # The parse missed the verb: take the rest of the clause.
        i = _after_group(verb, unit)
        if i >= unit.end - 1:
            return None
        return _content(verb.doc, i, unit.end - 1, unit)
    return _content(verb.doc, toks[0].i, toks[-1].i, unit)


def _bare_object(doc: Doc, content: tuple[int, int]) -> bool:
    """An accusation whose whole content (character offsets) is one bare noun or name ("cette
    décision", "le gouvernement", "Moscou"): no quote, no verb, no adjective or complement that
    says what is held against it."""
    span = doc.char_span(content[0], content[1], alignment_mode="expand")
    toks = list(span) if span is not None else []
    if not toks or any(t.text in "«»“”\"" for t in toks):
        return False
    words = [t for t in toks if t.pos_ not in ("DET", "PUNCT")]
    if any(t.pos_ in ("VERB", "AUX") for t in words):
        return False
    if len(words) == 1:
        return words[0].pos_ in ("NOUN", "PROPN", "PRON")
    # a name in several words: "Viktor Orban"
    return all(t.pos_ == "PROPN" for t in words)


def _denial_object(verb: Token, lemma: str, unit: Unit) -> tuple[int, int] | None:
    """"ont nié ces allégations": the denial text keeps its verb."""
    doc = verb.doc
    for o in _children(verb, unit, "obj"):
        if o.i < verb.i or o.pos_ not in ("NOUN", "PROPN", "PRON"):
            continue
        if lemma in DENIAL_NEEDS_SAID and o.lemma_.lower() not in SAID_NOUNS and o.lower_ not in SAID_NOUNS:
            return None
        last = max(x.i for x in o.subtree if unit.has(x))
        return _content(doc, verb.i, last, unit)
    return None


def _relative_denial(verb: Token, unit: Unit) -> tuple[int, int] | None:
    """", ce que le mouvement a démenti": the clause before is what is denied."""
    doc = verb.doc
    tokens = doc_tokens(doc)
    for i in range(_group_start(verb, unit) - 1, max(unit.start, verb.i - 12), -1):
        if tokens[i].lower_ in _QUE and i - 2 >= unit.start and tokens[i - 1].lower_ == "ce" \
                and tokens[i - 2].text == ",":
            return _content(doc, unit.start, i - 3, unit)
    return None


def _before_incise(verb: Token, lo: int, unit: Unit) -> tuple[int, int] | None:
    """What an inverted attribution attributes: the quote just closed, else the clause before."""
    doc = verb.doc
    tokens = doc_tokens(doc)
    q = _in_quote(verb.idx, unit)
    if q is not None:
        return _inner(q)
    comma = lo - 1
    i = comma
    while i >= unit.start and tokens[i].text in (",",):
        i -= 1
    if i >= unit.start and tokens[i].text in _CLOSERS:
        for q in unit.quotes:
            # the quote is the whole clause: « ... », a-t-il dit
            before = doc_text(doc)[unit.char_start:q[0]].rstrip()
            if q[1] == tokens[i].idx + 1 and (not before.strip(" -–—") or before[-1] in ".!?:;…"):
                return _inner(q)
    if i < unit.start:
        return None
    if not any(t.pos_ in ("VERB", "AUX") and not _in_relative(t, unit) for t in tokens[unit.start:i + 1]):
        return None  # "Le chef de la diplomatie, X, a dénoncé ...": an apposition, not a clause
    return _content(doc, unit.start, i, unit)


def _in_relative(tok: Token, unit: Unit) -> bool:
    """Inside a relative or participial clause hung on a noun ("X, qui s'occupait de ...")."""
    t = tok
    for _ in range(8):
        if t.dep_ in ("acl:relcl", "acl"):
            return True
        if t.head is t or not unit.has(t.head):
            return False
        t = t.head
    return False


def _inner(q: tuple[int, int]) -> tuple[int, int]:
    return q[0] + 1, q[1] - 1


def _inverted_subject(verb: Token, unit: Unit) -> Token | None:
    """The subject after the verb: "a déclaré l'agence de presse RIA", "a-t-il ajouté"."""
    pron = _inverted_pronoun(verb, unit)
    if pron is not None:
        return pron
    tokens = doc_tokens(verb.doc)
    i = _after_group(verb, unit)
    if i < unit.end and ("Inf" in tokens[i].morph.get("VerbForm") or tokens[i].lower_ in _QUE or tokens[i].text == ":"):
        return None  # "a déclaré être parti": a complement, not an inverted subject
    for c in _children(verb, unit, "nsubj", "obj", "nsubj:pass", "appos", "dep", "obl:arg"):
        if verb.i < c.i <= i + 3 and c.pos_ in ("NOUN", "PROPN") and not _has_case(c, unit):
            return c
    # "a déclaré à l'AFP le maire de Lyon": skip a dative before the subject
    if i < unit.end and tokens[i].lower_ in ("à", "au", "aux"):
        j = i + 1
        while j < unit.end and tokens[j].pos_ in ("DET", "PROPN", "NOUN", "ADJ") and tokens[j].pos_ != "DET" or \
                (j < unit.end and tokens[j].pos_ == "DET" and j == i + 1):
            j += 1
        i = j
    if i < unit.end and tokens[i].pos_ in ("DET", "PROPN", "NOUN") and tokens[i].lower_ not in _QUE:
        k = i
        while k + 1 < unit.end and tokens[k].pos_ == "DET":
            k += 1
        if tokens[k].pos_ in ("NOUN", "PROPN"):
            head = np_head(tokens[k], unit)
            # "«...», analyse le propriétaire" with the verb read as a noun: the phrase starts after it
            return head if head.i > verb.i else tokens[k]
    return None


def _has_case(tok: Token, unit: Unit) -> bool:
    return any(c.dep_ == "case" and c.i < tok.i for c in _children(tok, unit))


def _subject(verb: Token, unit: Unit, depth: int = 0) -> tuple[Token | None, Token | None]:
    """(speaker, relay) of a verb whose subject stands before it, or that it shares."""
    tokens = doc_tokens(verb.doc)
    subj = [c for c in _children(verb, unit, "nsubj", "nsubj:pass") if not c.text.startswith("-t")
            and not (_has_case(c, unit) and c.pos_ == "NOUN")]  # "a pour sa part estimé": "part" is no subject
    if not subj:
        # the parse hung the subject on the auxiliary ("X a pour sa part estimé" with "a" read as a verb)
        subj = [c for a in _children(verb, unit, "aux", "aux:tense") for c in _children(a, unit, "nsubj")
                if c.i < a.i and not (_has_case(c, unit) and c.pos_ == "NOUN")]
    if not subj and not _passive(verb, unit):
        # "Il a aussi indiqué que ...": a personal subject the parse calls expletive
        subj = [c for c in _children(verb, unit, "expl:subj") if c.i < verb.i and c.lower_ in ("il", "elle")]
    if subj:
        # "tous ces facteurs, on les accuse": the subject closest before the verb is the one
        before = [c for c in subj if c.i < verb.i]
        s = before[-1] if before else subj[0]
        if s.lower_ == "qui" and verb.dep_ == "acl:relcl" and unit.has(verb.head):
            s = verb.head
        return _cited(s, verb, unit)
    head = verb.head
    if verb.i - 1 >= unit.start and tokens[verb.i - 1].lower_ == "en" and "Part" in verb.morph.get("VerbForm"):
        # "en dénonçant ...": the gerund shares the subject of the clause's verb
        for a in verb.ancestors:
            if not unit.has(a):
                break
            if a.pos_ in ("VERB", "AUX"):
                found = [c for c in _children(a, unit, "nsubj") if not c.text.startswith("-t")]
                if found:
                    return _cited(found[0], a, unit)
    if depth < 3 and head is not verb and unit.has(head) and verb.dep_ in ("advcl", "acl", "conj", "xcomp"):
        if head.pos_ in ("NOUN", "PROPN") and verb.dep_ == "acl":
            if _past_participle(verb):
                return None, None  # "un citoyen soupçonné de ...": he is not the one who speaks
            return _cited(head, verb, unit)
        if trigger(head) == CITE_VERB:
            objs = [o for o in _cited_objects(head, unit) if o.i < verb.i]
            if objs:
                citer, _ = _subject(head, unit, depth + 1)
                return objs[0], citer
        if head.pos_ in ("VERB", "AUX", "ADJ", "NOUN"):
            return _subject(head, unit, depth + 1)
    pron = _inverted_pronoun(verb, unit)
    if pron is not None:
        return pron, None
    # Linear fall-back: the noun phrase just before the verbal group.
    lo = _group_start(verb, unit)
    if lo - 1 >= unit.start:
        t = tokens[lo - 1]
        if t.pos_ == "PRON" and t.lower_ not in _SUBJECT_PRONOUNS:
            return None, None  # "on les accuse", "cela montre": no one to name
        if t.pos_ in ("NOUN", "PROPN") or (t.pos_ == "PRON" and t.lower_ in _SUBJECT_PRONOUNS):
            return _cited(np_head(t, unit, limit=verb.i), verb, unit)
        if t.pos_ == "ADJ" and t.dep_ == "amod":
            # "le président socialiste de l'Assemblée nationale juge que": the phrase the adjective closes
            head = np_head(t, unit, limit=verb.i)
            if head.pos_ in ("NOUN", "PROPN"):
                return _cited(head, verb, unit)
        if t.text == ")" :
            k = lo - 2
            while k >= unit.start and tokens[k].text != "(":
                k -= 1
            if k - 1 >= unit.start and tokens[k - 1].pos_ in ("NOUN", "PROPN", "ADJ"):
                return _cited(np_head(tokens[k - 1], unit, limit=verb.i), verb, unit)
        # "Daniel Lanquetin, maire, en préambule à cette présentation, rappela que": with no other
        # verb before it, the sentence's first noun phrase is the subject
        before = _outside_asides(tokens[unit.start:lo])
        if not any(x.pos_ in ("VERB", "AUX") or x.text in _OPENERS for x in before):
            first = next((x for x in before if x.pos_ in ("NOUN", "PROPN")), None)
            if first is not None and (first.i == unit.start or tokens[first.i - 1].pos_ == "DET"):
                return _cited(np_head(first, unit, limit=lo), verb, unit)
    return None, None


def _outside_asides(toks: list[Token]) -> list[Token]:
    """Tokens not inside a comma-enclosed aside ("Le député, qui s'exprimait devant la presse,")."""
    commas = [t.i for t in toks if t.text == ","]
    inside: set[int] = set()
    for a, b in zip(commas[::2], commas[1::2]):
        inside.update(range(a, b + 1))
    return [t for t in toks if t.i not in inside]


def _cited(speaker: Token, verb: Token, unit: Unit) -> tuple[Token, Token | None]:
    """Turn "X citant Y" into (Y, via X) and "X, cité par Y" into (X, via Y)."""
    doc = speaker.doc
    tokens = doc_tokens(doc)
    for holder in (speaker, verb):
        for c in _children(holder, unit, "acl", "advcl", "conj", "xcomp"):
            if c.lemma_ == CITE_VERB and "Part" in c.morph.get("VerbForm") and "Pres" in c.morph.get("Tense"):
                objs = [o for o in _children(c, unit, "obj", "nmod", "obl:arg") if o.i > c.i]
                if objs:
                    return objs[0], speaker
    # "citant X" / "cité par X" right after the speaker's phrase, whatever the parse says
    ends = {t[-1].i + 1 for t in (np_tokens(speaker, unit), np_tokens(speaker, unit, full=True)) if t}
    for j in sorted(ends):
        while j < unit.end and tokens[j].text == ",":
            j += 1
        if j < unit.end and tokens[j].lower_ == "citant":
            other = _next_noun(doc, j + 1, unit)
            if other is not None:
                return other, speaker
        if j + 1 < unit.end and tokens[j].lower_ == "qui" and trigger(tokens[j + 1]) == CITE_VERB:
            other = _next_noun(doc, j + 2, unit)  # "la chaîne CNN, qui cite des responsables américains"
            if other is not None:
                return other, speaker
        if j + 1 < unit.end and tokens[j].lower_ in _PASSIVE_CITE and tokens[j + 1].lower_ == "par":
            other = _next_noun(doc, j + 2, unit)
            if other is not None:
                return speaker, other
    if speaker.dep_ == "obj" and speaker.head is not verb and trigger(speaker.head) == CITE_VERB:
        citer, _ = _subject(speaker.head, unit, 3)
        return speaker, citer
    # "Xinhua a cité Wang Yi affirmant que ...", whatever the parse says
    k = min([speaker.i] + [t.i for t in np_tokens(speaker, unit)]) - 1
    while k >= unit.start and tokens[k].pos_ == "PROPN" and tokens[k].ent_iob_ != "O" or k >= unit.start and \
            tokens[k].pos_ == "PROPN" and tokens[k].dep_.startswith("flat"):
        k -= 1
    if k > unit.start and tokens[k].lower_ != "citant" and trigger(tokens[k]) == CITE_VERB \
            and not _passive(tokens[k], unit) and tokens[k - 1].pos_ == "AUX":
        citer, _ = _subject(tokens[k], unit, 3)
        if citer is not None and citer.i < k:
            return speaker, citer
    return speaker, None


def _next_noun(doc: Doc, k: int, unit: Unit) -> Token | None:
    """The head of the noun phrase starting at token k (past its determiners)."""
    tokens = doc_tokens(doc)
    while k < unit.end and tokens[k].pos_ == "DET":
        k += 1
    if k < unit.end and tokens[k].pos_ in ("NOUN", "PROPN", "X"):
        return np_head(tokens[k], unit)
    return None


def _relay_of(verb: Token, unit: Unit) -> Token | None:
    """"a déclaré à l'AFP", "Interrogé par l'AFP, le maire a expliqué": the medium spoken to."""
    for c in _children(verb, unit, "obl:arg", "obl", "obl:mod", "iobj"):
        if any(x.dep_ == "case" and x.lower_ in ("à", "au") for x in children(c)) and c.pos_ in ("PROPN", "NOUN") \
                and (c.ent_type_ == "ORG" or re.fullmatch(r"[A-Z][A-Z0-9]{1,9}", c.text) or _named_medium(c, unit)):
            return c
    for c in _children(verb, unit, "obl", "obl:mod"):
        # "a averti dans un communiqué diffusé par KCNA que ...": the medium that carried the text
        if c.lemma_.lower() in DOCUMENT_NOUNS:
            for a in _children(c, unit, "acl"):
                if a.lower_.startswith(("diffus", "publi", "relay", "rapport", "transmis", "cit")):
                    for ag in _children(a, unit, "obl:agent"):
                        return ag
    for c in _children(verb, unit, "advcl", "acl"):
        if c.lower_ in _PASSIVE_CITE:
            for a in _children(c, unit, "obl:agent", "obl", "obl:arg"):
                if any(x.dep_ == "case" and x.lower_ == "par" for x in children(a)):
                    return a
    return None


def _named_medium(tok: Token, unit: Unit) -> bool:
    """"la chaîne Al-Jazeera", "le quotidien Haaretz": a medium noun with its own name after it."""
    tokens = doc_tokens(tok.doc)
    return tok.lemma_.lower() in MEDIA_NOUNS and tok.text[:1].islower() and tok.i + 1 < unit.end \
        and tokens[tok.i + 1].text[:1].isupper() and tokens[tok.i + 1].is_alpha


_SELON_WORDS = _SELON | {"d'", "d’", "d'après"}


def _selon_frames(doc: Doc, unit: Unit, frames: list[Frame]) -> list[Frame]:
    """"Selon RIA, la rencontre s'est déroulée ...": RIA speaks; with another verb of saying in the
    sentence, RIA only relays it."""
    out: list[Frame] = []
    tokens, lowers = doc_tokens(doc), token_strings(doc, "lower_")
    for i in range(unit.start, unit.end):
        if lowers[i] not in _SELON_WORDS:
            continue  # nothing else opens the phrase
        tok = tokens[i]
        is_selon = tok.lower_ in _SELON
        is_dapres = tok.lower_ in ("d'", "d’") and tok.i + 1 < unit.end and tokens[tok.i + 1].lower_ == "après"
        if tok.lower_ == "d'après":
            is_dapres = True
        if not (is_selon or is_dapres) or _in_quote(tok.idx, unit):
            continue
        k = tok.i + (2 if is_dapres and tok.lower_ != "d'après" else 1)
        while k < unit.end and tokens[k].pos_ == "DET":
            k += 1
        if k >= unit.end:
            continue
        first = tokens[k]
        if first.lower_ in ("lequel", "laquelle", "lesquels", "lesquelles", "que", "qu'") or first.pos_ not in (
                "NOUN", "PROPN", "PRON", "ADJ"):
            continue
        head = first if first.pos_ == "PRON" else np_head(first, unit)
        if head.i < tok.i:
            head = first
        speaker, via = _cited(head, head, unit)
        if speaker.pos_ == "NOUN" and speaker.lemma_.lower() in DOCUMENT_NOUNS:
            # "selon un communiqué du ministère": the ministry speaks; a bare document nobody
            owner = _document_owner(speaker, unit)
            if owner is None:
                continue
            speaker = owner
        # the extent of the "selon ..." phrase: its noun phrase and what hangs on it
        phrase_end = max([x.i for x in head.subtree if unit.has(x) and x.i >= tok.i] + [head.i])
        if via is not None:
            phrase_end = max([phrase_end] + [x.i for x in via.subtree if unit.has(x)])
        # "Selon l'agence Yonhap, citant des sources militaires, ...": the phrase runs past the cited one
        first = head.i
        if via is not None and speaker.i > head.i:
            first = max([speaker.i] + [t.i for t in np_tokens(speaker, unit)])
            phrase_end = max(phrase_end, first)
        comma = next((i for i in range(first, phrase_end + 1) if tokens[i].text == ","), None)
        if via is not None and comma is not None and comma + 1 < unit.end and tokens[comma + 1].lower_ == "qui":
            # "D'après la chaîne CNN, qui cite des responsables, ...": the relative belongs to the phrase
            comma = next((i for i in range(max(first, speaker.i), unit.end) if tokens[i].text == ","), None)
            phrase_end = max(phrase_end, comma - 1 if comma is not None else phrase_end)
        if comma is not None and tok.i <= unit.start + 1:
            phrase_end = comma - 1  # "D'après une information de X, M. Y a déclaré": the phrase ends at the comma
            k = comma + 1
            while k < unit.end and tokens[k].ent_type_ == "PER" \
                    and (tokens[k].text[:1].isupper() or tokens[k].text in "-'"):
                k += 1
            if k > comma + 1 and k < unit.end and tokens[k].text == ",":
                phrase_end = k - 1  # "Selon le porte-parole du Kremlin, Dmitri Peskov, ...": the name is the phrase's
        inner = [f for f in frames if f.unit is unit]
        if inner:
            relay = speaker if via is None else via
            if relay.pos_ != "PRON" and relay.lemma_.lower() not in ROLE_NOUNS:
                for f in inner:
                    if f.via is None:
                        f.via = relay
            continue
        if phrase_end + 1 < unit.end - 1 and tok.i <= unit.start + 1:
            content = _content(doc, phrase_end + 1, unit.end - 1, unit)
        elif tok.i > unit.start:
            # "..., selon X." says what comes before; "..., puisque, selon X, Y." says Y
            after = phrase_end + 1
            trailing = all(tokens[i].pos_ == "PUNCT" or tokens[i].is_space for i in range(after, unit.end))
            content = _content(doc, unit.start, tok.i - 1, unit) if trailing else \
                _content(doc, after, unit.end - 1, unit)
        else:
            content = None
        if content is None:
            continue
        out.append(Frame("selon", "statement", content, speaker, unit, via=via, anchor=tok.i, selon=True))
    return out


def _fold_relays(frames: list[Frame]) -> list[Frame]:
    """"La Commission a annoncé que ..., a rapporté l'agence Reuters": one claim, via Reuters."""
    out: list[Frame] = []
    for f in frames:
        # "« ... », a déclaré X, a rapporté l'agence": the second attribution relays the first too
        inside = [g for g in frames if g is not f and f.incise and (not g.incise or g.anchor < f.anchor)
                  and f.content[0] <= g.content[0] and g.content[1] <= f.content[1]]
        if inside:
            for g in inside:
                if g.via is None:
                    g.via = f.speaker
            continue
        out.append(f)
    return out


# --- resolution: noun phrases to people, sources, names ---------------------------------------

@dataclass
class Who:
    name: str
    id: str | None = None
    aliases: list[str] = field(default_factory=list)
    person: bool = False
    source: bool = False
    gender: str | None = None  # "Masc" | "Fem" when the text shows it, for "il" / "elle"


def _gender(tok: Token) -> str | None:
    """The grammatical gender a subject shows: its article, a title, or an agreeing participle."""
    doc = tok.doc
    tokens = doc_tokens(doc)
    if tok.pos_ == "PRON" or tok.text.startswith("-"):
        low = tok.lower_.lstrip("-")
        if low == "t" and tok.i + 1 < len(doc):
            low = tokens[tok.i + 1].lower_.lstrip("-")
        return "Fem" if low.startswith("elle") or low == "celle-ci" else "Masc" if low in (
            "il", "ils", "lui", "eux", "celui-ci") else None
    for c in children(tok):
        if c.dep_ == "det" and c.morph.get("Gender") and c.lower_ not in ("l'", "l’", "les", "des"):
            return c.morph.get("Gender")[0]
    if tok.i > 0 and tokens[tok.i - 1].text in ("M.", "Monsieur", "MM."):
        return "Masc"
    if tok.i > 0 and tokens[tok.i - 1].text in ("Mme", "Madame", "Mlle", "Mmes"):
        return "Fem"
    if tok.pos_ == "NOUN" and tok.morph.get("Gender"):
        return tok.morph.get("Gender")[0]
    head = tok.head
    if tok.dep_ in ("nsubj", "nsubj:pass") and "Part" in head.morph.get("VerbForm") and head.morph.get("Gender") \
            and any(c.lemma_ == "être" for c in children(head) if c.dep_.startswith("aux")):
        return head.morph.get("Gender")[0]
    return None


def _following_gender(i: int, doc: Doc) -> str | None:
    """Gender of the participle agreeing with a subject in "X s'est précipitée"."""
    tokens = doc_tokens(doc)
    seen_etre = False
    for t in tokens[i:i + 5]:
        if t.lemma_ == "être":
            seen_etre = True
        elif t.pos_ == "VERB":
            if seen_etre and "Part" in t.morph.get("VerbForm") and t.morph.get("Gender"):
                return t.morph.get("Gender")[0]
            return None
    return None


def _stem(word: str) -> str:
    """Crude French stem so that "nord-coréenne", "nord-coréens" and "nord-coréen" meet."""
    w = word
    if len(w) > 4 and w.endswith("s"):
        w = w[:-1]
    if len(w) > 4 and w.endswith("nne"):
        w = w[:-2]
    elif len(w) > 4 and w.endswith("e"):
        w = w[:-1]
    if len(w) > 4 and w.endswith("s"):  # "chinoise" and "chinois" meet at "chinoi"
        w = w[:-1]
    return w


_STOP = frozenset({"de", "du", "des", "la", "le", "les", "l", "d", "et", "en", "a", "au", "aux", "un", "une"})


def _words(text: str) -> set[str]:
    """Stemmed content words; a hyphenated word stays one ("nord-coréen" shares nothing with "sud-coréen")."""
    out = set()
    for w in re.split(r"[\s'’]+", text or ""):
        w = fold(w).replace(" ", "")
        if w and w not in _STOP:
            out.add(_stem(w))
    return out


_ROLE_BREAK = frozenset({"de", "du", "des", "d", "à", "au", "aux", "pour", "chargé", "chargée", "en"})


# Titles written two ways: "chef de la diplomatie" / "ministre des Affaires étrangères".
_TITLE_SYNONYMS = {
    _stem("chef"): {
        _stem("diplomatie"): (_stem("ministre"), _words("étrangères")),
        _stem("gouvernement"): (_stem("ministre"), _words("premier")),
        _stem("etat"): (_stem("president"), set()),
    },
}


def _role_heads(role: str) -> set[str]:
    """The words of a title before its first complement: "premier ministre hongrois" ->
    {premier, ministre, hongrois}; "ministre de l'Intérieur" -> {ministre}."""
    out = set()
    for w in re.split(r"[\s'’]+", role or ""):
        f = fold(w).replace(" ", "")
        if f in _ROLE_BREAK:
            break
        if f and f not in _STOP:
            out.add(_stem(f))
    return out


class Resolver:
    """Names for the noun phrases that speak: people (by mention, name or role), sources, or the
    phrase itself."""

    def __init__(self, ctx: Context, people: list[Person], sources: list[Source]):
        self.doc = ctx.doc
        self.people = people
        self.sources = sources
        self.person_spans = sorted(((m.start, m.end, p) for p in people for m in p.mentions), key=lambda x: x[0])
        self.source_spans = [(m.start, m.end, s) for s in sources for m in s.mentions]
        self.source_keys = {fold(n): s for s in sources for n in [s.name, *s.aliases] if fold(n)}
        self.history: list[tuple[int, Who]] = []  # (offset, who) of people and titles in subject position
        self.plurals: list[tuple[int, Who]] = []  # (offset, who) of plural subjects, for "ont-ils dit"
        self.descriptors = {id(p): set().union(*[_words(r) for r in p.roles]) if p.roles else set()
                            for p in people}
        # the title nouns themselves ("ministre" of "premier ministre hongrois"), before any complement
        self.heads = {id(p): set().union(*[_role_heads(r) for r in p.roles]) if p.roles else set()
                      for p in people}
        self._collect(ctx)

    def _collect(self, ctx: Context) -> None:
        """Person subjects (for pronouns) and the titles written next to each person's name."""
        tokens = doc_tokens(self.doc)
        for start, end, p in self.person_spans:
            span = self.doc.char_span(start, end, alignment_mode="expand")
            if span is None:
                continue
            t = span.root
            for _ in range(6):
                h = t.head
                if h is t:
                    break
                if start <= h.idx < end or t.dep_ in ("appos", "flat:name") or (
                        t.dep_ == "conj" and h.pos_ == "NOUN" and _comma_between(h, t)):
                    if not (start <= h.idx < end) and h.pos_ == "NOUN":
                        self.descriptors[id(p)] |= self._role_words(h)
                        self.heads[id(p)].add(_stem(fold(h.lemma_)))
                    t = h
                    continue
                break
            for c in children(span.root):
                if c.dep_ == "appos" and c.pos_ == "NOUN":
                    self.descriptors[id(p)] |= self._role_words(c)
                    self.heads[id(p)].add(_stem(fold(c.lemma_)))
            if t.dep_ in ("nsubj", "nsubj:pass"):
                self.history.append((start, Who(p.name, p.id, person=True, gender=_gender(t))))
            elif span.end < len(self.doc) and (tokens[span.end].pos_ in ("AUX", "VERB")
                                               or tokens[span.end].lower_ in _CLITICS):
                # the parse missed it, but a verb follows the name: "Juliette Carpezat s'est précipitée"
                gender = _following_gender(span.end, self.doc)
                self.history.append((start, Who(p.name, p.id, person=True, gender=gender)))
        # "Le président a été interrogé. Il a répondu ...": a title in subject position counts too
        deps = token_strings(self.doc, "dep_")
        for unit in body_units(ctx):
            for i in range(unit.start, unit.end):
                if deps[i] not in ("nsubj", "nsubj:pass"):
                    continue  # both rules below read subjects only
                t = tokens[i]
                if t.dep_ in ("nsubj", "nsubj:pass") and t.pos_ == "NOUN" and (
                        t.lemma_.lower() in ROLE_NOUNS or t.lower_ in ROLE_NOUNS):
                    who = self.who(t, unit)
                    if who is not None:
                        who.gender = _gender(t)
                        self.history.append((t.idx, who))
                if t.dep_ in ("nsubj", "nsubj:pass") and t.pos_ in ("NOUN", "PROPN"):
                    group = t
                    if t.lemma_.lower() in _QUANTITY_NOUNS:
                        group = next((c for c in _children(t, unit, "nmod") if c.i > t.i), t)
                    if "Plur" in group.morph.get("Number") or _children(t, unit, "conj"):
                        who = self.who(group, unit)
                        if who is not None:
                            who.gender = _gender(group)
                            self.plurals.append((t.idx, who))
        self.history.sort(key=lambda x: x[0])

    def _role_words(self, head: Token) -> set[str]:
        words = {_stem(fold(head.lemma_))}
        for c in children(head):
            if c.dep_ in ("amod", "nmod") and c.i > head.i and c.ent_type_ != "PER":
                words |= _words(c.text if c.dep_ == "amod" else c.lemma_)
                for g in children(c):
                    if g.dep_ == "amod":
                        words |= _words(g.text)
        return words

    def note(self, offset: int, who: Who, tok: Token) -> None:
        """Remember a person who spoke, for a later "il a ajouté" (a bare name counts as one)."""
        if who.person or (not who.source and tok.pos_ == "PROPN" and tok.ent_type_ in ("PER", "MISC")):
            self.history.append((offset, Who(who.name, who.id, person=True, gender=who.gender or _gender(tok))))
            self.history.sort(key=lambda x: x[0])

    def last_plural(self, offset: int, gender: str | None = None) -> Who | None:
        """The plural subject most recently before an offset ("ils" never means one person)."""
        best = None
        for pos, who in self.plurals:
            if pos < offset and not (gender == "Masc" and who.gender == "Fem"):
                best = who
        return best

    def last_person(self, offset: int, gender: str | None = None) -> Who | None:
        """The person (or title) most recently in subject position before an offset, of the
        pronoun's gender when both are known."""
        best = None
        for pos, who in self.history:
            if pos < offset and not (gender and who.gender and gender != who.gender):
                best = who
        if best is None:
            for start, _end, p in self.person_spans:
                if start < offset:
                    best = Who(p.name, p.id, person=True)
        return best

    def who(self, tok: Token, unit: Unit, coordinated: bool = True) -> Who | None:
        """Who a speaking token names; `coordinated` also gathers "X et Y" into one speaker with aliases."""
        if tok.text.startswith("-") or tok.pos_ == "PRON" and tok.ent_type_ == "":
            low = tok.lower_
            if low == "-t" and tok.i + 1 < len(tok.doc):
                low = doc_tokens(tok.doc)[tok.i + 1].lower_
            if low in _PLURAL_PRONOUNS:
                who = self.last_plural(tok.idx, _gender(tok))
                return Who(who.name, who.id, list(who.aliases), person=who.person) if who else None
            if low in _SUBJECT_PRONOUNS:
                who = self.last_person(tok.idx, _gender(tok))
                return Who(who.name, who.id, person=who.person, gender=who.gender) if who else None
            return None
        core = np_tokens(tok, unit)
        full = np_tokens(tok, unit, full=True)
        if not core:
            return None
        found = self._from_span(tok, core, full)
        if found is None or not coordinated:
            return found
        for c in _children(tok, unit, "conj"):
            if c.i > tok.i and c.pos_ in ("NOUN", "PROPN"):
                other = self.who(c, unit, coordinated=False)
                if other and other.name != found.name and other.name not in found.aliases:
                    found.aliases.append(other.name)
        first = self._left_conjunct(core, unit)
        if first is not None:
            # "Moscou et Minsk ont nié" parsed with Minsk alone as subject: Moscou speaks first
            first.aliases = [found.name] + [a for a in found.aliases if a != first.name]
            return first
        return found

    def _left_conjunct(self, core: list[Token], unit: Unit) -> Who | None:
        tokens = doc_tokens(core[0].doc)
        i = core[0].i
        if i - 2 < unit.start or tokens[i - 1].lower_ != "et":
            return None
        left = tokens[i - 2]
        if left.pos_ not in ("PROPN", "NOUN") or left.ent_type_ not in ("LOC", "ORG", "PER", "MISC"):
            return None
        head = np_head(left, unit, limit=i - 1)
        start = min(t.i for t in np_tokens(head, unit))
        if start != unit.start and tokens[start - 1].text not in (",", ":") and tokens[start - 1].lower_ not in _QUE:
            return None
        return self.who(head, unit, coordinated=False)

    def _from_span(self, head: Token, core: list[Token], full: list[Token]) -> Who | None:
        c0, c1 = core[0].idx, core[-1].idx + len(core[-1].text)
        f0, f1 = full[0].idx, full[-1].idx + len(full[-1].text)
        # the head itself names a source ("l'agence de presse RIA", "KCNA")
        for s0, s1, s in self.source_spans:
            if s0 <= head.idx < s1:
                return Who(s.name, s.id, source=True)
        person = self._person_in(head, full) or self._apposed_to(core)
        if person is not None:
            return Who(person.name, person.id, person=True)
        for s0, s1, s in self.source_spans:
            if s0 < c1 and c0 < s1:
                return Who(s.name, s.id, source=True)
        text = np_text(core)
        if not text:
            return None
        key = fold(text)
        if key in self.source_keys:
            s = self.source_keys[key]
            return Who(s.name, s.id, source=True)
        indefinite = any(t.dep_ == "det" and t.lower_ in ("un", "une", "des", "d'", "d’") for t in children(head))
        if (head.lemma_.lower() in ROLE_NOUNS or head.lower_ in ROLE_NOUNS) and not indefinite:
            # "le dirigeant nord-coréen" is someone named; "un diplomate européen" is someone new
            p = self._by_role(head, core)
            if p is not None:
                return Who(p.name, p.id, person=True)
        if head.pos_ not in ("NOUN", "PROPN", "X") and head.ent_type_ == "":
            return None
        if len(core) > 10:
            text = np_text([t for t in core if t.i <= head.i or t.dep_ == "amod" and t.head == head])
        if (head.pos_ in ("PROPN", "NOUN", "X") or head.ent_type_ == "PER") and head.text[:1].isupper() \
                and len(core) <= 4:
            # a name the people extractor saw elsewhere in full: "Yi" of "Wang Yi"
            named = [p for p in self.people if lone_word_match(text, p.name) == 2
                     or len(text.split()) > 1 and same_person_names(text, p.name)]
            if len(named) == 1:
                return Who(named[0].name, named[0].id, person=True)
        return Who(text)

    def _apposed_to(self, core: list[Token]) -> Person | None:
        """"Kim Yo-jong, la sœur du dirigeant, a qualifié ...": a phrase set between commas right
        after a person's name describes that person."""
        doc = self.doc
        tokens = doc_tokens(doc)
        a, b = core[0].i, core[-1].i
        while a - 1 >= 0 and tokens[a - 1].pos_ == "DET":
            a -= 1
        if a < 2 or tokens[a - 1].text != "," or b + 1 >= len(doc) or tokens[b + 1].text != ",":
            return None
        comma = tokens[a - 1].idx
        for s0, s1, p in self.person_spans:
            if s1 <= comma and not doc_text(doc)[s1:comma].strip():
                return p
        return None

    def _person_in(self, head: Token, full: list[Token]) -> Person | None:
        """The person a phrase names: its head or an apposed name before a complement's name
        ("L'avocate de Bernard, Alexandra Michel" is Alexandra Michel)."""
        f0, f1 = full[0].idx, full[-1].idx + len(full[-1].text)
        best: tuple[int, Person] | None = None
        for s0, s1, p in self.person_spans:
            if not (s0 < f1 and f0 < s1):
                continue
            tok = next((t for t in full if s0 <= t.idx < s1), None)
            if tok is None:
                continue
            rank = 1
            if s0 <= head.idx < s1:
                rank = 3
            elif tok.head == head and tok.dep_ in ("appos", "conj", "flat:name") or any(
                    t.head == head and t.dep_ in ("appos", "conj") and s0 <= t.idx < s1 for t in full):
                rank = 2
            if best is None or rank > best[0]:
                best = (rank, p)
        return best[1] if best else None

    def _by_role(self, head: Token, core: list[Token]) -> Person | None:
        """"le dirigeant nord-coréen" -> the person titled with the same noun and a shared
        qualifier ("le président hongrois" is not "le Premier ministre hongrois"); when several
        people fit equally, no one."""
        words = _words(" ".join(t.text for t in core if t.pos_ != "DET"))
        head_word = _stem(fold(head.lemma_))
        qualifiers = words - {head_word}
        alt = None
        if head_word in _TITLE_SYNONYMS:
            # "le chef de la diplomatie chinoise" is "le ministre chinois des Affaires étrangères"
            for word, (title, needed) in _TITLE_SYNONYMS[head_word].items():
                if word in qualifiers:
                    alt, qualifiers = (title, needed), qualifiers - {word}
                    break
        cands: list[tuple[int, int, Person]] = []
        for p in self.people:
            desc = self.descriptors.get(id(p), set())
            heads = self.heads.get(id(p), set())
            if head_word not in heads and not (alt and alt[0] in heads and alt[1] <= desc):
                continue
            shared = qualifiers & desc
            if qualifiers and not shared:
                continue
            score = len(shared)
            last = max((m.start for m in p.mentions if m.start < head.idx), default=-1)
            if last < 0:
                last = -min((m.start for m in p.mentions), default=10 ** 9)
            cands.append((score, last, p))
        if not cands:
            return None
        top = max(c[0] for c in cands)
        best = [c for c in cands if c[0] == top]
        if len(best) > 1 and top > 0:
            return None  # "le ministre français" with two French ministers named: ambiguous
        return max(best, key=lambda c: c[1])[2]


# --- claims -----------------------------------------------------------------------------------

def _acceptable_selon(who: Who, tok: Token) -> bool:
    """"selon les chiffres", "selon la loi" are no speakers; people, sources, names and a few
    nouns that speak ("les autorités", "des sources militaires") are."""
    if who.person or who.source or tok.pos_ == "PRON" or tok.text.startswith("-"):
        return True
    if tok.pos_ == "PROPN" or tok.ent_type_ in ("ORG", "PER", "LOC", "MISC") or tok.text.isupper():
        return True
    return tok.lemma_.lower() in SPEAKER_NOUNS or tok.lower_ in SPEAKER_NOUNS


def _document_owner(tok: Token, unit: Unit) -> Token | None:
    """"selon un communiqué du ministère" -> "ministère"; "des sources militaires" speak themselves."""
    if tok.lemma_.lower() == "source":
        return tok
    for c in _children(tok, unit, "nmod", "obl:agent", "acl"):
        if c.i > tok.i:
            if c.pos_ in ("NOUN", "PROPN") and c.dep_ == "nmod" and c.lemma_.lower() not in DOCUMENT_NOUNS:
                return c
            for a in _children(c, unit, "obl:agent"):
                return a
    return None


def find_claims(ctx: Context, people: list[Person], sources: list[Source]) -> list[Claim]:
    """Who asserted, accused or denied what in the body paragraphs, in text order."""
    resolver = Resolver(ctx, people, sources)
    claims: list[Claim] = []
    frames = sorted(reporting_frames(ctx), key=lambda f: (f.unit.start, f.anchor))
    for f in frames:
        tok = f.speaker
        if tok is None:
            continue
        who = resolver.who(tok, f.unit)
        if who is None or (f.selon and not _acceptable_selon(who, tok)):
            continue
        via = resolver.who(f.via, f.unit) if f.via is not None and f.via.pos_ != "PRON" else None
        if via is not None and (via.person or fold(via.name) == fold(who.name)):
            via = None
        resolver.note(tok.idx, who, tok)
        start, end = f.content
        text = ctx.text[start:end]
        quote = _is_quote(text, start, f.unit)
        if quote and text[:1] in _OPENERS and text[-1:] in _CLOSERS:
            start, end, text = start + 1, end - 1, text[1:-1]
        lead = len(text) - len(text.lstrip())
        trail = len(text) - len(text.rstrip())
        start, end = start + lead, end - trail
        text = ctx.text[start:end]
        if not text:
            continue
        claims.append(Claim(
            speaker=who.name, text=text, start=start, end=end, kind=f.kind, quote=quote,
            via=via.name if via else None, speaker_id=who.id if (who.person or who.source) else None,
            speaker_aliases=list(who.aliases), verb=f.verb,
            sentence_start=f.unit.char_start, sentence_end=f.unit.char_end,
        ))
    return _dedupe(claims)


def _is_quote(text: str, start: int, unit: Unit) -> bool:
    """Whether the content is one direct quote (not a phrase with a quoted fragment)."""
    end = start + len(text)
    for q0, q1 in unit.quotes:
        if q0 <= start + 1 and end - 1 <= q1 and (q1 - q0) >= 0.9 * len(text):
            return True
    return False


def _dedupe(claims: list[Claim]) -> list[Claim]:
    """One claim per speaker and stretch of text."""
    out: list[Claim] = []
    for c in claims:
        dup = None
        for o in out:
            overlap = min(o.end, c.end) - max(o.start, c.start)
            if overlap > 0.8 * min(o.end - o.start, c.end - c.start) and fold(o.speaker) == fold(c.speaker):
                dup = o
                break
        if dup is None:
            out.append(c)
        elif dup.via is None and c.via is not None:
            dup.via = c.via
    return out
