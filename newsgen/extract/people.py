"""People: who the article names, one record per person, with the roles the text gives them.

spaCy's PER entities are where this starts, not what it returns. On news text, and worse on OCR,
they cut names at hyphens ("Kim Jong" for "Kim Jong-un"), swallow honorifics and whole lists
("MM. Bertoni, Micheli et Tissières" as one entity), tag agencies, places and capitalised common
words as people, and miss names that only a title announces ("le général Prim"). So:

1. candidates: name runs read from PER entities, after an honorific ("M.", "MM." + a list), after
   a title ("président Poutine", "le roi de Pologne Wadislas"), in a ranked results list
   ("3. Tchmil (Be)") and in lists whose other items are people ("Zariategui, Eflio et Vargas");
   a name run is read token by token (capitalised words, particles, hyphen continuations);
2. a verdict per candidate: dropped (acronym, initials, a title alone...), weak (a lone word after
   "à", tagged as a place elsewhere, tagged a common noun...: kept only if it names someone found
   otherwise) or kept;
3. grouping: spellings of one person meet through the keys of `newsgen.resolve.names`;
4. roles: appositions and titles around each mention, then role-only references ("le dirigeant
   nord-coréen") tied to the one named person whose role they echo.

Everything is a pass over the tokens or over the (few) mentions: no scan of the whole document
per mention.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Doc, Token

from newsgen.extract.context import Context, doc_ents, doc_tokens, span_text, token_strings
from newsgen.records import Person, Span
from newsgen.resolve.names import (
    PARTICLES,
    fold,
    is_initial,
    is_place_name,
    lone_word_match,
    make_id,
    name_parts,
    same_person_names,
    translit_key,
)

# Honorifics as written (case matters: "Me" is Maître, "me" a pronoun). Plural ones open a list.
_HONORIFIC = re.compile(r"^(?:M|MM|Mme|Mmes|Mlle|Mlles|Dr|Pr|Me|Mgr|Mr|Mrs|Ms)\.?$|^(?:[Mm]onsieur|[Mm]adame|"
                        r"[Mm]ademoiselle|[Mm]essieurs|[Mm]esdames)$")
_PLURAL_HONORIFIC = re.compile(r"^(?:MM|Mmes|Mlles|Dlles|[Mm]essieurs|[Mm]esdames)\.?$")
# Older abbreviations (Madame, Demoiselle, Veuve), honorifics only with a glued period:
# "Mad. Tissot" is Madame Tissot, "Mad Max" a film.
_DOTTED_HONORIFIC = frozenset({"Mad", "Dlle", "Dlles", "Vve"})

# Nouns for a function or a title: they announce a person ("le général Prim") or describe one
# ("X, secrétaire du Conseil"). Plurals and hyphenated compounds ("vice-président") are derived.
TITLE_WORDS = frozenset("""
    président présidente dirigeant dirigeante leader chef cheffe ministre secrétaire porte-parole
    roi reine empereur impératrice prince princesse tsar sultan émir cheikh shah pape cardinal
    archevêque évêque abbé curé pasteur rabbin imam ayatollah moine frère soeur sœur saint sainte
    duc duchesse comte comtesse marquis marquise baron baronne vicomte vicomtesse chevalier lord lady
    sir dame don dona majesté altesse excellence sainteté éminence
    général générale maréchal amiral colonel lieutenant capitaine commandant major sergent caporal
    adjudant brigadier soldat officier
    docteur professeur professeure maître juge procureur avocat avocate notaire commissaire inspecteur
    préfet maire adjoint député députée sénateur sénatrice conseiller conseillère gouverneur
    ambassadeur ambassadrice consul chancelier chancelière délégué déléguée envoyé envoyée émissaire
    directeur directrice administrateur administratrice patron patronne fondateur fondatrice pdg
    gérant gérante journaliste correspondant correspondante rédacteur rédactrice éditeur éditrice
    photographe écrivain écrivaine auteur autrice poète poétesse romancier romancière historien
    historienne philosophe acteur actrice comédien comédienne chanteur chanteuse musicien musicienne
    compositeur compositrice pianiste violoniste organiste peintre sculpteur architecte cinéaste
    réalisateur réalisatrice producteur productrice rappeur rappeuse artiste créateur créatrice
    couturier couturière styliste entraîneur sélectionneur joueur joueuse coureur coureuse cycliste
    skieur skieuse pilote boxeur nageur nageuse champion championne vainqueur gardien attaquant
    défenseur athlète opposant opposante militant militante activiste dissident dissidente candidat
    candidate élu élue homologue compatriote collègue successeur prédécesseur adversaire rival rivale
    médecin chirurgien chirurgienne infirmier infirmière ingénieur chercheur chercheuse scientifique
    économiste expert experte analyste instituteur institutrice enseignant enseignante étudiant
    étudiante élève libraire imprimeur marchand marchande négociant commerçant commerçante banquier
    banquière industriel propriétaire fermier agriculteur ouvrier ouvrière employé employée accusé
    accusée prévenu prévenue suspect suspecte victime témoin détenu détenue otage membre questeur
    trésorier trésorière fils fille épouse époux mari femme veuve veuf oncle tante neveu nièce cousin
    cousine héritier héritière beau-père belle-mère beau-frère belle-sœur dictateur dictatrice
    monarque souverain souveraine régent régente calife pacha bey citoyen citoyenne ressortissant
    ressortissante habitant habitante résident résidente responsable représentant représentante
    négociateur négociatrice diplomate oligarque magnat milliardaire
""".split())
# Titles of nobility take their name with "de": "le comte de Méran", "le prince de Bismarck".
_NOBLE = frozenset("duc duchesse comte comtesse marquis marquise baron baronne vicomte vicomtesse prince princesse"
                   .split())
_ORDINALS = frozenset({"premier", "première", "second", "seconde", "grand", "grande", "vice", "sous", "haut"})
# Endings of French nouns for people (rédacteur, organiste, historien, secrétaire, commandant...),
# trusted only on words the tagger reads as nouns.
_PERSON_SUFFIX = re.compile(r"(?:eur|euse|rice|iste|ien|ienne|aire|logue|ant|ante|ier)s?$")
# ... and the common nouns with those endings that are not people.
_NOT_PERSON_NOUNS = frozenset("""
    entretien soutien maintien quotidien lien bien chien rien janvier février quartier papier dossier
    calendrier courrier chantier métier sentier fichier atelier panier escalier premier dernier secteur
    moteur honneur coeur cœur malheur bonheur valeur couleur chaleur erreur hauteur largeur longueur
    profondeur vapeur faveur humeur rumeur terreur horreur douleur saveur odeur ordinateur extérieur
    intérieur supérieur inférieur meilleur commentaire salaire anniversaire dictionnaire inventaire
    formulaire questionnaire itinéraire horaire vocabulaire sanctuaire restaurant instant montant volant
    carburant diamant croissant versant liste piste dialogue catalogue prologue épilogue monologue
""".split())
_DETERMINERS = frozenset("le la l' l’ les un une des du au aux son sa ses ce cet cette ces leur leurs notre "
                         "nos votre vos mon ma mes".split())
_NOT_LEADING_PARTICLES = frozenset({"du", "des", "d'", "d’", "au", "aux"})
# After these a lone capitalised word is a place more often than a person ("à Zuoz", "contre Modène").
_PLACE_PREPOSITIONS = frozenset("à a en vers contre entre devant depuis pour via jusqu'à près".split())
# Nouns that name a thing with the proper name after them: "l'agence Anadolu", "rue Paul-Bert",
# "l'école Maurice-Henry", "le porte-avions Charles de Gaulle". The name is not a person there.
_NAMED_THINGS = frozenset("""
    rue avenue boulevard place quai allée impasse chemin route square pont cours esplanade école lycée
    collège université faculté institut hôpital clinique centre hôtel ex-hôtel stade salle gymnase aéroport
    gare porte-avions navire frégate croiseur paquebot vaisseau agence quotidien journal hebdomadaire mensuel
    chaîne radio télévision magazine revue site fondation prix musée église cathédrale basilique chapelle
    mosquée synagogue temple opération plan doctrine loi base camp station fort caserne résidence palais
    château parc jardin festival trophée coupe
    fonds programme mission complexe barrage centrale usine mine quartier village commune ville région province
    côté brasserie société entreprise restaurant café cinéma théâtre marque
""".split())
# After these a capitalised word is a credit, not a person in the story.
_CREDIT_WORDS = frozenset("photo photos ©".split())
# Words a lowercase hyphen continuation of a name can never be: "Touchera-t-on", "Moscovici-qui".
_NOT_NAME_ENDINGS = frozenset("t on il ils elle elles je tu nous vous ce ci là qui que le la les lui y en".split())
_RELATIVE_COPULA = frozenset("est était fut sera serait reste restait devient devenait demeure".split())
_ROLE_ARTICLES = frozenset("le la l' l’ les un une son sa ses leur notre".split())
# Inside a role phrase: the prepositions that chain complements ("ministre de la Défense").
_ROLE_ADP = frozenset("de d' d’ du des en au aux à pour".split())
_CLOSERS = frozenset(",.;:)(»\"”|—–")
# Leaders and their near synonyms: a role-only reference may swap one for another.
_HEAD_FAMILIES = (
    frozenset({"président", "présidente", "dirigeant", "dirigeante", "leader", "chef", "dictateur", "numéro"}),
    frozenset({"ministre", "chef"}),
)
_ROLE_MODIFIERS = frozenset({"ancien", "ancienne", "nouveau", "nouvelle", "actuel", "actuelle", "futur", "future"})
_RANK = re.compile(r"(?:(?<=\s)|^)\d{1,3}\s?\.\s+(?=[A-ZÀ-Þ])")
_WORDY = re.compile(r"^[^\W\d_]+(?:[-'’][^\W\d_]*)*$")
_NO_NAME = re.compile(r"\d|://|www\.|@")
_LETTERS = re.compile(r"[^\W\d_]")
_HYPHENS = frozenset({"-", "‐"})
# Marks OCR leaves between the words of a name; never written inside a name.
_SPECKS = frozenset({"^", "*", "¦", "\"", "»", "«", "_"})
_INNER_SPECK = re.compile(r"(?<=\w)\s*[\^*¦\"»«_]+\s+(?=\w)")
# Given names shortened with a period, as lists of names and older papers write them: "Aug. Leuba",
# "Ch. Dubois", "Alph. Martin". spaCy splits the period off, so the name run would stop there.
_GIVEN_ABBREVIATIONS = frozenset("""
    ad alb alex alf alph ant arm aug bapt ch chs chr cl const edm edw ed em emm ern eug fr fréd
    gab geo gust guill hri hipp jacq jh jos jul lud mich nic ph phil rob séb th théod vict wm
""".split())
_MAX_NAME_TOKENS = 6
_MAX_ROLE_TOKENS = 9
_MAX_LIST_GAP = 14


@dataclass
class _Mention:
    start: int  # first token of the name proper
    end: int  # one past its last token
    honorific: int | None = None  # token index of "M.", "Mme"... before the name
    support: bool = False  # announced by an honorific, a title, a list or a results table
    misc: bool = False  # read from a MISC entity: a name only if it joins someone found otherwise
    roles: list[str] = field(default_factory=list)
    role_spans: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class _Cluster:
    name: str
    mentions: list[_Mention] = field(default_factory=list)


# ---- token tests -------------------------------------------------------------------------------


def _newline_before(doc: Doc, i: int) -> bool:
    """A line break between token i - 1 and token i (text copied from the web keeps them)."""
    tokens = doc_tokens(doc)
    return i > 0 and ("\n" in tokens[i - 1].whitespace_ or "\n" in tokens[i - 1].text or tokens[i].is_space)


def _is_honorific(tok: Token) -> bool:
    return _HONORIFIC.match(tok.text) is not None or _dotted_honorific(tok.doc, tok.i)


def _dotted_honorific(doc: Doc, i: int) -> bool:
    """'Mad' '.' (Madame): an old abbreviation, an honorific only with its glued period."""
    tokens = doc_tokens(doc)
    return tokens[i].text in _DOTTED_HONORIFIC and i + 1 < len(doc) and tokens[i + 1].text == "." \
        and not tokens[i].whitespace_


@lru_cache(maxsize=16384)
def _is_title(word: str) -> bool:
    """'président', 'vice-président', 'lieutenant-général', 'généraux': a function or title noun."""
    low = word.lower().replace("œ", "oe")
    if low in TITLE_WORDS:
        return True
    if low.endswith(("s", "x")) and (low[:-1] in TITLE_WORDS or low.endswith("aux") and low[:-3] + "al" in TITLE_WORDS):
        return True
    parts = [p for p in low.split("-") if p]
    return len(parts) > 1 and all(p in TITLE_WORDS or p in _ORDINALS for p in parts)


def _long_s_title(word: str) -> bool:
    """'ambaffadeur', 'préfident': a title word in old print whose long s the OCR read as an f.

    Trusted to describe a named person (a role), not to announce a name: old print capitalises
    nationalities ("les miniftres Français")."""
    return "f" in word and _is_title(word.replace("f", "s"))


def _person_noun(tok: Token) -> bool:
    """A word for a person: a known title, or a noun with an agent ending ('pronostiqueur').

    A title word used as an adjective after a noun ('Conseil général', 'directeur adjoint') is not one.
    """
    tokens = doc_tokens(tok.doc)
    if tok.pos_ == "ADJ" and tok.i > 0 and tokens[tok.i - 1].pos_ in {"NOUN", "PROPN"}:
        return False
    return _is_title(tok.text) or _long_s_title(tok.lower_) \
        or (tok.pos_ == "NOUN" and tok.text[:1].islower() and len(tok.text) > 4
            and _PERSON_SUFFIX.search(tok.lower_) is not None and tok.lower_.rstrip("sx") not in _NOT_PERSON_NOUNS)


def _wordy(tok: Token) -> bool:
    """A word, hyphenated or elided ones included ('nord-coréen', "d'"), not punctuation or a number."""
    return _WORDY.match(tok.text) is not None


def _cap_word(tok: Token) -> bool:
    """A capitalised word that can be part of a name: 'Choïgou', 'KCNA', 'F.', not '«' or '1918'."""
    return _cap_text(tok.text)


@lru_cache(maxsize=65536)
def _cap_text(text: str) -> bool:
    """`_cap_word` of a token's text (asked of the same few words over and over)."""
    text = text.lstrip("_")
    if not text or _NO_NAME.search(text):
        return False
    first = _LETTERS.search(text)
    return first is not None and first.start() == 0 and text[0].isupper()


def _is_acronym(tok: Token) -> bool:
    text = tok.text.rstrip(".")
    return 2 <= len(text) <= 6 and text.isupper() and text.isalpha()


def _is_particle(doc: Doc, i: int) -> bool:
    """'de', 'van', "d'" or a glued "L'" inside a name, when a capitalised word follows on the same line."""
    tokens = doc_tokens(doc)
    tok = tokens[i]
    low = tok.lower_.rstrip("'’")
    glued = tok.text.endswith(("'", "’")) and not tok.whitespace_
    if low not in PARTICLES and not glued:
        return False
    if tok.text[0].isupper() and not glued and low not in {"le", "la", "van", "von", "de", "di", "da", "del", "du"}:
        return False
    if tok.text in {"le", "la", "les"} and (i == 0 or tokens[i - 1].lower_ not in {"de", "d'", "d’"}):
        return False  # "le Quotidien du Peuple": an article; "Jean de la Fontaine" keeps its "la"
    j = i + 1
    if j + 1 < len(doc) and tokens[j].text.islower() and tokens[j].lower_ in PARTICLES:  # "von der Leyen"
        j += 1
    return j < len(doc) and _cap_word(tokens[j]) and not _newline_before(doc, j) and not _is_honorific(tokens[j])


def _name_syllable(doc: Doc, k: int) -> bool:
    """A short capitalised word that French lists as a stop word but that is a syllable of an Asian
    name: "Tran Hong Ha", "Choe Son-hui", "Son Heung-min". Mid-sentence, French writes such words
    capitalised only inside a name."""
    tokens = doc_tokens(doc)
    tok = tokens[k]
    text = tok.text
    return tok.is_stop and text[0].isupper() and text[1:].islower() and tok.lower_ in _NAME_SYLLABLES


# French stop words that are also syllables of Vietnamese, Korean or Chinese names
# ("Ho Chi Minh", "Ai Weiwei", "Vu Duc Dam", "Ton Duc Thang", "Ma Zhaoxu").
_NAME_SYLLABLES = frozenset("ai ha hi ho hue hui ma na sa son ta ton tu un vu".split())


def _full_name_follows(doc: Doc, j: int) -> bool:
    """Two capitalised non-particle words from token j on the same line: a given name and a surname."""
    tokens = doc_tokens(doc)
    k = j
    while k < len(doc) and k - j < 2 and _cap_word(tokens[k]) and not _is_particle(doc, k) \
            and not _is_title(tokens[k].text) \
            and not _newline_before(doc, k) and not tokens[k].text.isupper():
        k += 1
    return k - j >= 2


def _starts_name(doc: Doc, i: int) -> bool:
    tokens = doc_tokens(doc)
    tok = tokens[i]
    if _is_honorific(tok) or tok.is_space:
        return False
    if _is_particle(doc, i):  # "de Gaulle", "van Petegem"; "du Conseil", "des Alpes" are not names
        if i + 1 < len(doc) and is_place_name(tokens[i + 1].text):
            return False  # "des institutions juives de France Roger Cukierman": a complement, then the name
        if tok.text in {"de", "d'", "d’", "du", "des"} and _full_name_follows(doc, i + 1):
            return False  # "la sœur de Kim Jong Un": "de" is the preposition; "de Gaulle" alone is a name
        return tok.lower_ not in _NOT_LEADING_PARTICLES
    if tok.is_stop and tok.ent_type_ == "PER" and i + 1 < len(doc) and tokens[i + 1].ent_iob_ == "I" \
            and _name_syllable(doc, i) and not _newline_before(doc, i + 1) \
            and (tokens[i + 1].text in _HYPHENS or _cap_word(tokens[i + 1]) and not _is_title(tokens[i + 1].text)):
        return True  # "Son Heung-min", "Ma Zhaoxu" tagged as a person
    if i > 0 and tokens[i - 1].lower_ in {"de", "d'", "d’", "du", "des"} and is_place_name(tok.text):
        return False  # "... de France Roger Cukierman": the place completes what comes before
    return _cap_word(tok) and not tok.is_stop and not _is_title(tok.text)


def _given_abbreviation(doc: Doc, k: int) -> bool:
    """Tokens k, k + 1 are a shortened given name and its period ("Aug" "."), a surname right after."""
    tokens = doc_tokens(doc)
    tok = tokens[k]
    if k + 2 >= len(doc) or tok.lower_ not in _GIVEN_ABBREVIATIONS or not tok.text[0].isupper() \
            or tokens[k + 1].text != "." or tok.whitespace_ or not tokens[k + 1].whitespace_:
        return False
    nxt = tokens[k + 2]
    return _cap_word(nxt) and not nxt.is_stop and not _is_title(nxt.text) and not _is_honorific(nxt) \
        and not _newline_before(doc, k + 2)


def _inner_speck(doc: Doc, k: int) -> bool:
    """Token k is an OCR speck inside a name the tagger read whole: 'Hippolyte ^ Castille', 'Isidore" Christinat'."""
    tokens = doc_tokens(doc)
    tok = tokens[k]
    return tok.text in _SPECKS and tok.ent_iob_ == "I" and tok.ent_type_ == "PER" and k + 1 < len(doc) \
        and tokens[k + 1].ent_iob_ == "I" and _cap_word(tokens[k - 1]) and _cap_word(tokens[k + 1]) \
        and not _newline_before(doc, k + 1)


def _hyphen_piece(doc: Doc, k: int, first: int) -> bool:
    """Token k + 1 continues the name through the hyphen at k: 'Kim Jong' '-' 'un', 'Olivier' '-' 'Clottu'."""
    tokens = doc_tokens(doc)
    if k + 1 >= len(doc) or tokens[k - 1].whitespace_ or tokens[k].whitespace_:
        return False
    nxt = tokens[k + 1]
    if not nxt.is_alpha:
        return False
    if nxt.text[0].isupper():
        return True
    # a lowercase piece only ends a name that has a given name already, and is short: "Jong-un", "Yo-jong"
    return k - 1 > first and len(nxt.text) <= 5 and nxt.lower_ not in _NOT_NAME_ENDINGS


def _read_name(doc: Doc, i: int, stop: int | None = None) -> int:
    """The end (exclusive) of the name run starting at token i; i itself if no name starts there.

    A run is capitalised words, particles followed by one, initials, and hyphen continuations
    glued to the previous word; it never crosses a line break or an honorific, and an ALL-CAPS
    word followed by a Titlecase one ends it ("BECK Heinrich Sutermeister" is two runs).
    `stop` bounds the run (the end of an entity) except for hyphen continuations.
    """
    tokens = doc_tokens(doc)
    n = len(doc)
    end = k = i
    while k < n and k - i < _MAX_NAME_TOKENS:
        tok = tokens[k]
        if k > i and _newline_before(doc, k):
            break
        if k > i and tok.text in _HYPHENS and _hyphen_piece(doc, k, i):
            k += 2
            end = k
            continue
        if stop is not None and k >= stop or _is_honorific(tok):
            break
        if _is_particle(doc, k):
            k += 1
            continue
        if k == i and _given_abbreviation(doc, k):
            k += 2
            continue
        if k > i and _inner_speck(doc, k):
            k += 1
            continue
        if _cap_word(tok) and (not tok.is_stop or _name_syllable(doc, k) and (k > i or tok.ent_type_ == "PER")) \
                and (k == i or not _is_title(tok.text)):
            if k > i and tokens[k - 1].is_alpha and tokens[k - 1].text.isupper() and len(tokens[k - 1].text) > 1 \
                    and not tok.text.isupper():
                break
            if k > i and tok.text.isupper() and not tokens[k - 1].text.isupper() and k + 2 < n \
                    and tokens[k + 1].text == "," and tokens[k + 2].like_num:
                break  # a dateline starts: "... Kellogg PARIS, 15 (Havas)"
            k += 1
            end = k
            continue
        break
    return end


# ---- candidates --------------------------------------------------------------------------------


def _from_entities(doc: Doc) -> list[_Mention]:
    """Name runs inside spaCy's PER entities, split where an entity holds a list or an honorific.

    MISC entities are read too (the tagger files many foreign names there: "Recep Tayyip Erdoğan"),
    but only to complete someone found otherwise.
    """
    tokens = doc_tokens(doc)
    found: list[_Mention] = []
    n = len(doc)
    for ent in doc_ents(doc):
        if ent.label_ not in {"PER", "MISC"}:
            continue
        # past the entity's end, only untagged capitalised words ("Carlo Florindo" + "Semini")
        stop = ent.end
        while stop < n and stop - ent.end < 2 and tokens[stop].ent_iob_ == "O" and _cap_word(tokens[stop]) \
                and (not tokens[stop].is_stop or _name_syllable(doc, stop)) and not _newline_before(doc, stop):
            stop += 1
        k = ent.start
        while k < ent.end:
            # "consul de Russie" tagged PER: a particle after a lowercase word opens no name
            inner_particle = k > ent.start and tokens[k - 1].text[:1].islower() and _is_particle(doc, k)
            end = _read_name(doc, k, stop) if _starts_name(doc, k) and not inner_particle else k
            if end > k:
                found.append(_Mention(k, end, misc=ent.label_ == "MISC"))
                k = end
            else:
                k += 1
    return found


def _after_honorifics(doc: Doc) -> list[_Mention]:
    """'M. Shoigu', 'Mme Pelletier', 'M. le ministre Bally', and every name of 'MM. A, B et C'."""
    tokens, texts = doc_tokens(doc), token_strings(doc, "text")
    found: list[_Mention] = []
    n = len(doc)
    for i, text in enumerate(texts):
        dotted = text in _DOTTED_HONORIFIC and _dotted_honorific(doc, i)
        if _HONORIFIC.match(text) is None and not dotted:  # `_is_honorific`, on the text read once
            continue
        j = i + 2 if dotted else i + 1
        if j >= n:
            continue
        tok = tokens[i]
        if tokens[j].text in {",", "»", ";", "'"} and not tok.whitespace_ and j + 1 < n:  # OCR: "M, Kellogg"
            j += 1
        if tokens[j].lower_ in {"le", "la", "l'", "l’"}:  # "M. le curé Ogier": the role is read later
            k = j + 1
            while k < n and k - j <= 3 and tokens[k].text[:1].islower() and tokens[k].is_alpha:
                k += 1
            if k > j + 1 and k < n and _starts_name(doc, k):
                j = k
        # after an honorific a title word is a surname: "M. Marchand", "Mme Chevalier"
        surname_title = _cap_word(tokens[j]) and _is_title(tokens[j].text) and not tokens[j].is_stop
        if _newline_before(doc, j) or not (_starts_name(doc, j) or surname_title):
            continue
        end = _read_name(doc, j)
        if end == j:
            continue
        found.append(_Mention(j, end, honorific=i, support=True))
        if _PLURAL_HONORIFIC.match(tok.text):
            items, _ = _list_items(doc, end, n)
            found += [_Mention(s, e, honorific=i, support=True) for s, e, _ in items]
    return found


def _title_phrase_end(doc: Doc, i: int) -> tuple[int, bool]:
    """Past the words that complete a title: 'en chef', 'nord-coréen', 'de Pologne', 'des affaires étrangères'.

    Stops before a complement that is itself a person ("le fils de Jean Dupont"). Also says whether
    the title ends on a common noun complement ("le patron du groupe"), after which a capitalised
    word names that noun ("Bâtir-Ouest") unless the tagger calls it a person.
    """
    tokens = doc_tokens(doc)
    n = len(doc)
    j = i + 1
    common_complement = False
    while j < n and j - i <= 6 and not _newline_before(doc, j):
        tok = tokens[j]
        low = tok.lower_
        if tok.text[:1].islower() and (tok.pos_ == "ADJ" or _is_title(tok.text) or low == "chef"):
            common_complement = common_complement and tok.pos_ == "ADJ"
            j += 1
        elif low == "en" and j + 1 < n and tokens[j + 1].lower_ == "chef":  # "général en chef"
            j += 2
        elif low == "et" and j + 2 < n and tokens[j + 1].lower_ in _ROLE_ADP and tokens[j - 1].text[:1].islower():
            j += 1  # "ministre de l'emploi et des affaires sociales"
        elif _is_acronym(tok) and tok.ent_type_ != "PER" and j + 1 < n and not tokens[j + 1].text.isupper():
            j += 1  # "le député LFI François Ruffin"
        elif low in _ROLE_ADP and j + 1 < n:
            k = j + 1
            if tokens[k].lower_ in {"la", "l'", "l’", "les"}:
                k += 1
            if k >= n or not _wordy(tokens[k]) or tokens[k].ent_type_ == "PER" or _is_honorific(tokens[k]):
                break
            j = k + 1
            common_complement = tokens[k].text[:1].islower() and not _is_title(tokens[k].text)
            if tokens[k].ent_iob_ == "B":  # a named complement is read whole: "le maire de New York Eric Adams"
                while j < n and tokens[j].ent_iob_ == "I":
                    j += 1
        else:
            break
    if j + 2 < n and tokens[j].text == "(" and _is_acronym(tokens[j + 1]) and tokens[j + 2].text == ")":
        j += 3  # "le directeur de l'Organisation mondiale de la santé (OMS), ..."
    return j, common_complement


def _after_titles(doc: Doc) -> list[_Mention]:
    """'président Poutine', 'le roi de Pologne Wadislas', 'le comte de Méran', 'Sa Majesté Georges V'."""
    tokens, texts = doc_tokens(doc), token_strings(doc, "text")
    found: list[_Mention] = []
    n = len(doc)
    for i, text in enumerate(texts):
        if not _is_title(text):
            continue  # most words: nothing more to read
        tok = tokens[i]
        if not tok.is_alpha and "-" not in text \
                or text[0].isupper() and tok.ent_type_ in {"LOC", "ORG"}:  # "Président Wilson" the liner
            continue
        if tok.pos_ == "VERB" and "Part" in tok.morph.get("VerbForm") \
                or i > 0 and tokens[i - 1].pos_ == "AUX" and tokens[i - 1].lemma_ in {"avoir", "être"}:
            continue  # a participle, not a title: "a accusé Washington", "a été élu"
        j, common_complement = _title_phrase_end(doc, i)
        if j < n and not _newline_before(doc, j) and _starts_name(doc, j) \
                and not (common_complement and tokens[j].ent_type_ != "PER"):
            # the title vouches for the name even where the tagger saw a place or an organisation
            # ("le colonel Gerbufch", "la ministre de l'Écologie Aigerim Nurlanova")
            end = _read_name(doc, j)
            if end > j:
                found.append(_Mention(j, end, support=True))
                continue
        apposed = _apposed_name(doc, i, j)
        if apposed is not None:
            found.append(apposed)
            continue
        if tok.lower_ in _NOBLE and i + 1 < n and tokens[i + 1].lower_ in {"de", "d'", "d’"} \
                and _is_particle(doc, i + 1):
            end = _read_name(doc, i + 1)
            if end > i + 2:
                found.append(_Mention(i + 1, end, support=True))
    return found


def _apposed_name(doc: Doc, i: int, j: int) -> _Mention | None:
    """'Le secrétaire général du Parti communiste du Vietnam, Nguyen Phu Trong, a rencontré ...': a full
    name set off by commas right after a title phrase (doc[i:j]) that opens with an article."""
    tokens = doc_tokens(doc)
    n = len(doc)
    if i == 0 or tokens[i - 1].lower_ not in _ROLE_ARTICLES or not tokens[i].text[:1].islower() \
            or j + 1 >= n or tokens[j].text != "," or _newline_before(doc, j + 1) or not _starts_name(doc, j + 1):
        return None
    end = _read_name(doc, j + 1)
    words = [t for t in tokens[j + 1:end] if _cap_word(t) and t.text not in _HYPHENS]
    if len(words) < 2 or is_place_name(span_text(doc, j + 1, end)) or any(_is_acronym(t) for t in words):
        return None
    if end < n and tokens[end].text not in {",", ")", ".", ";"} and tokens[end].pos_ not in {"AUX", "VERB"}:
        return None
    return _Mention(j + 1, end, support=True)


def _before_appositions(doc: Doc) -> list[_Mention]:
    """'lancée par Worth, un créateur anglais, ...': a name the tagger missed, vouched for by the
    title phrase set off right after it (an article, at most two adjectives, a title noun)."""
    tokens, texts = doc_tokens(doc), token_strings(doc, "text")
    found: list[_Mention] = []
    n = len(doc)
    for c, text in enumerate(texts):
        if text != "," or c == 0 or c + 2 >= n or tokens[c + 1].lower_ not in _ROLE_ARTICLES \
                or not _cap_word(tokens[c - 1]):
            continue
        k = c + 2
        while k < n and k - c < 4 and tokens[k].pos_ == "ADJ" and tokens[k].text[:1].islower() \
                and not _is_title(tokens[k].text):
            k += 1  # "le célèbre", "un jeune"
        if k >= n or not tokens[k].text[:1].islower() or not _is_title(tokens[k].text):
            continue
        j, _ = _title_phrase_end(doc, k)
        if j < n and (_starts_name(doc, j) or _is_honorific(tokens[j])):
            continue  # "Selon NHK, le ministre Sato a ...": the title announces the next name
        s = c - 1
        while s > 0 and c - s < _MAX_NAME_TOKENS and not _newline_before(doc, s) \
                and (_cap_word(tokens[s - 1]) or _is_particle(doc, s - 1) or tokens[s - 1].text in _HYPHENS):
            s -= 1
        while s < c and not _starts_name(doc, s):
            s += 1
        if s == c or _read_name(doc, s) != c or tokens[s].is_sent_start and s + 1 == c \
                or any(t.ent_type_ in {"LOC", "ORG"} or t.pos_ not in {"PROPN", "X"} and _cap_word(t)
                       or _is_acronym(t) for t in tokens[s:c]) \
                or s > 0 and tokens[s - 1].lower_ in _PLACE_PREPOSITIONS | _DETERMINERS | {"selon"}:
            continue
        found.append(_Mention(s, c, support=True))
    return found


def _in_ranked_lists(ctx: Context) -> list[_Mention]:
    """Names in a results list: '1. Olano (Esp) 47'07"', '12. Camenzind.', '81. M. Zberg à 5'27"'.

    Only read when the text holds at least three such numbered items, so an ordinary numbered
    paragraph does not produce people.
    """
    doc = ctx.doc
    tokens = doc_tokens(doc)
    items: list[_Mention] = []
    for m in _RANK.finditer(ctx.analysed):
        span = doc.char_span(m.end(), m.end() + 1, alignment_mode="expand")
        if span is None:
            continue
        j = span.start
        if j + 1 < len(doc) and (_is_honorific(tokens[j]) or is_initial(tokens[j].text)) and _cap_word(tokens[j + 1]):
            j += 1  # "M. Zberg" is Markus here, not Monsieur
        if not _starts_name(doc, j) and not (_cap_word(tokens[j]) and _is_title(tokens[j].text)):
            continue
        end = _read_name(doc, j + 1) if _is_title(tokens[j].text) else _read_name(doc, j)
        end = max(end, j + 1)
        if end >= len(doc):
            continue
        nxt = tokens[end]
        if nxt.text in {"(", ".", ","} or (nxt.lower_ in {"à", "a", "m."} and end + 1 < len(doc)):
            items.append(_Mention(j, end, support=True))
    return items if len(items) >= 3 else []


def _skip_parenthesis(doc: Doc, k: int, limit: int) -> int:
    """Past a short '(Genève)' after a list item, and past OCR specks glued to it ("JatOn' (Morges)")."""
    tokens = doc_tokens(doc)
    while 0 < k < limit and tokens[k].text in {"'", "’", "*", "»", "\""} and not tokens[k - 1].whitespace_:
        k += 1
    if k < limit and tokens[k].text in {"(", "{"}:
        for e in range(k + 1, min(k + 6, limit)):
            if tokens[e].text == ")":
                return e + 1
    return k


def _list_items(doc: Doc, k: int, limit: int) -> tuple[list[tuple[int, int, bool]], int]:
    """The items of a list continuing at token k: ', Rochaix', ', Sigg (Genève)', 'et Vargas'.

    Returns (start, end, introduced by "et") per item and where reading stopped.
    """
    tokens = doc_tokens(doc)
    items: list[tuple[int, int, bool]] = []
    k = _skip_parenthesis(doc, k, limit)
    while k < limit and (tokens[k].text == "," or tokens[k].text == "et"):
        by_et = tokens[k].text == "et" or k + 1 < limit and tokens[k + 1].text == "et"
        k += 2 if tokens[k].text == "," and by_et else 1
        end = _read_name(doc, k) if k < limit and _starts_name(doc, k) else k
        if end == k or end > limit:
            k -= 2 if by_et and tokens[k - 2].text == "," else 1
            break
        items.append((k, end, by_et))
        k = _skip_parenthesis(doc, end, limit)
    return items, k


def _complete_lists(doc: Doc, anchors: list[_Mention]) -> list[_Mention]:
    """'tels que Zariategui, Eflio, Torre, Madrazo et Vargas': when people stand on both sides of a
    stretch of list items, the items are people too, even where the tagger missed them; after the
    last person found, items count only up to a closing 'et X' and if none is tagged a place."""
    tokens = doc_tokens(doc)
    found: list[_Mention] = []
    n = len(doc)
    anchors = sorted(anchors, key=lambda m: m.start)
    for a, b in zip(anchors, anchors[1:] + [None]):
        if b is not None and b.start - a.end <= _MAX_LIST_GAP:
            items, k = _list_items(doc, a.end, b.start)
            if k == b.start or k + 1 == b.start and tokens[k].text == ",":
                found += [_Mention(s, e, support=True) for s, e, _ in items]
            continue
        items, k = _list_items(doc, a.end, min(n, a.end + 4 * _MAX_LIST_GAP))
        while items and not items[-1][2]:
            items.pop()
        if items and not any(t.ent_type_ in {"LOC", "ORG"} for s, e, _ in items for t in tokens[s:e]):
            found += [_Mention(s, e, support=True) for s, e, _ in items]
    return found


def _merge_candidates(cands: list[_Mention]) -> list[_Mention]:
    """One mention per stretch of text: overlapping candidates pool their evidence."""
    out: list[_Mention] = []
    for m in sorted(cands, key=lambda c: (c.start, -c.end)):
        if out and m.start < out[-1].end:
            keep = out[-1]
            keep.honorific = keep.honorific if keep.honorific is not None else m.honorific
            keep.support = keep.support or m.support
            keep.misc = keep.misc and m.misc
            continue
        out.append(m)
    return out


# ---- verdicts ----------------------------------------------------------------------------------


def _name_text(doc: Doc, m: _Mention) -> str:
    """The name as written, on one line, without OCR specks glued to it ("_Hôfw", "Choi'")."""
    return _INNER_SPECK.sub(" ", " ".join(span_text(doc, m.start, m.end).split())).strip("_ '’*\"")


def _core_words(doc: Doc, m: _Mention) -> list[Token]:
    tokens = doc_tokens(doc)
    return [t for t in tokens[m.start:m.end] if t.text not in _HYPHENS and t.lower_.rstrip("'’") not in PARTICLES
            and not t.text.startswith("-") and not (t.i > m.start and tokens[t.i - 1].text in _HYPHENS)]


def _entity_labels(doc: Doc) -> dict[str, str]:
    """The label spaCy gives each folded entity text most often: 'nelfon' -> PER even if once LOC."""
    votes: dict[str, Counter[str]] = {}
    for ent in doc_ents(doc):
        votes.setdefault(fold(ent.text), Counter())[ent.label_] += 1
    return {text: c.most_common(1)[0][0] if c["PER"] < max(c.values()) else "PER" for text, c in votes.items()}


def _after_named_thing(doc: Doc, start: int) -> bool:
    """The name closes a thing's name: "l'agence Anadolu", "le quotidien Folha de S. Paulo", "rue Paul Bert"."""
    tokens = doc_tokens(doc)
    k = start - 1
    while k >= 0 and start - k <= 4 \
            and (_cap_word(tokens[k]) and not _is_title(tokens[k].text) or _is_particle(doc, k)):
        k -= 1
    # the thing's name right after its noun starts with a capital ("aux côtés d'Alain Krivine" is a person)
    return k >= 0 and tokens[k].lower_ in _NAMED_THINGS and (k + 1 == start or _cap_word(tokens[k + 1]))


def _judge(doc: Doc, m: _Mention, labels: dict[str, str], weak_ends: set[int]) -> str:
    """'drop', 'weak' (keep only if it joins someone found otherwise) or 'keep'.

    `weak_ends` holds the last token of each weak mention so far, so that the items of a list
    opened by a doubtful word stay doubtful ("à Moldava, Bazias, Kovi").
    """
    tokens = doc_tokens(doc)
    core = _core_words(doc, m)
    text = _name_text(doc, m)
    if not core or _NO_NAME.search(text):
        return "drop"
    if all(is_initial(t.text) or len(_LETTERS.findall(t.text)) < 2 for t in core):
        return "drop"
    supported = m.support or m.honorific is not None
    if not supported and all(_is_title(t.text) or t.lower_ in _ORDINALS or t.is_stop for t in core):
        return "drop"  # "Lord", "Premier Consul"; but "M. Marchand" is a name
    prev = tokens[m.start - 1] if m.start > 0 else None
    if prev is not None and prev.lower_ in _CREDIT_WORDS:
        return "drop"
    if prev is not None and re.search(r"-(?:Le|La|De|Du|Van|Von)$", prev.text):
        return "drop"  # "la manifestation anti-Le Pen": the tail of a name cut by a prefix
    if not supported and prev is not None and prev.lower_ in _DETERMINERS:
        return "drop"  # "l'Irgun", "la Presse", "le H. C. Chaux-de-Fonds": names of people take no article
    elsewhere = labels.get(fold(text)) or labels.get(fold(" ".join(t.text for t in core)))
    if m.misc and not supported:
        return "weak"
    if not supported and (is_place_name(text) or _after_named_thing(doc, m.start)):
        return "weak"  # "que Washington restait attaché", "a rapporté l'agence Anadolu", "rue Paul-Bert"
    if len(core) > 1:
        return "weak" if not supported and elsewhere in {"LOC", "ORG"} else "keep"
    word = core[0]
    if supported:
        return "keep" if len(_LETTERS.findall(word.text)) >= 2 else "drop"
    if word.text.isupper() and len(word.text) > 1:
        return "drop"  # an acronym: KCNA, RIA, OTAN
    if len(_LETTERS.findall(word.text)) <= 2:
        return "weak"  # "Xi" after "Xi Jinping", else a scrap of OCR
    nxt = tokens[m.end] if m.end < len(doc) else None
    if elsewhere in {"LOC", "ORG"} or (prev is not None and prev.lower_ in _PLACE_PREPOSITIONS):
        return "weak"
    if prev is not None and prev.text in {"(", "{"} and nxt is not None and nxt.text == ")":
        return "weak"  # "(Genève)", "(Esp)"
    if nxt is not None and nxt.text == "," and m.end + 1 < len(doc) and tokens[m.end + 1].like_num:
        return "weak"  # a dateline: "Rorschach, 15 septembre"
    if prev is not None and prev.lower_ in {",", "et"} and m.start - 2 in weak_ends:
        return "weak"  # the next item of a list of places or things
    if word.pos_ not in {"PROPN", "X"}:
        return "weak"  # the tagger reads a common word: "Chose remarquable", "— Repos."
    return "keep"


# ---- grouping ----------------------------------------------------------------------------------


def _richness(doc: Doc, m: _Mention) -> tuple[int, int]:
    core = _core_words(doc, m)
    return (sum(not is_initial(t.text) for t in core), len(core))


def _group(doc: Doc, mentions: list[_Mention], verdicts: dict[int, str]) -> list[_Cluster]:
    """One cluster per person. Full names first (richest spellings lead), then lone words join the
    single full name they fit; a lone word that fits several joins the one named most often (then
    first), as a bare surname in news copy means the article's main bearer of it."""
    clusters: list[_Cluster] = []
    rich = {id(m): _richness(doc, m) for m in mentions}
    full = [m for m in mentions if rich[id(m)][1] >= 2 and rich[id(m)][0] >= 1]
    full_ids = {id(m) for m in full}
    weak_full: list[_Mention] = []
    for m in sorted(full, key=lambda c: (-rich[id(c)][0], c.start)):
        text = _name_text(doc, m)
        hits = [c for c in clusters if same_person_names(c.name, text)]
        exact = [c for c in hits if name_parts(c.name).given == name_parts(text).given]
        target = (exact or hits or [None])[0]
        if target is None:
            if verdicts[id(m)] == "weak":
                weak_full.append(m)
                continue
            target = _Cluster(name=text)
            clusters.append(target)
        target.mentions.append(m)
    singles: list[_Cluster] = []
    for m in sorted((m for m in mentions if id(m) not in full_ids), key=lambda c: c.start):
        word = _name_text(doc, m)
        bare = not m.support and m.honorific is None  # "Cindy" alone may be Cindy Sander; "le pape François" not
        scored = [(lone_word_match(word, c.name, given_ok=bare), c) for c in clusters + singles]
        best = max((s for s, _ in scored), default=0)
        cands = [c for s, c in scored if s == best and s > 0]
        if len(cands) > 1:  # "Macron" after "Emmanuel Macron" and "Brigitte Macron": the one named most
            cands = [min(cands, key=lambda c: (-len(c.mentions), min(x.start for x in c.mentions)))]
        if not cands:
            if verdicts[id(m)] == "weak":
                continue
            cands = [_Cluster(name=word)]
            singles.append(cands[0])
        cands[0].mentions.append(m)
    for m in weak_full:  # "Recep Tayyip Erdoğan" (MISC) completes the "Erdogan" found alone
        text = _name_text(doc, m)
        target = next((c for c in singles if lone_word_match(c.name, text) == 2), None)
        if target is not None:
            target.mentions.append(m)
            target.name = text
    out = clusters + singles
    out.sort(key=lambda c: min(x.start for x in c.mentions))
    return out


def _rescue_surnames(doc: Doc, clusters: list[_Cluster], taken: set[int]) -> None:
    """'Netanyahu a appelé...' tagged as a place after 'Benyamin Netanyahou': a mention of him.

    A lone capitalised word whose key is the surname of exactly one person with a full name joins
    that person, unless an article or a place preposition before it says it is a thing or a place.
    """
    tokens = doc_tokens(doc)
    owners: dict[str, list[_Cluster]] = {}
    for c in clusters:
        parts = name_parts(c.name)
        if parts.given:
            owners.setdefault(translit_key(parts.surname), []).append(c)
    if not owners:
        return
    one_word_ents = {e.start for e in doc_ents(doc) if len(e) == 1}
    for i, text in enumerate(token_strings(doc, "text")):
        if i in taken or not _cap_text(text):
            continue  # `_cap_word` on the text read once: most words stop here
        tok = tokens[i]
        if tok.is_stop or _is_acronym(tok) or len(tok.text) < 3:
            continue
        if tok.ent_type_ == "PER" or tok.ent_iob_ == "I" or tok.ent_iob_ == "B" and tok.i not in one_word_ents:
            continue  # PER words were judged already; a word inside a longer entity is part of a name
        hits = owners.get(translit_key(tok.text), [])
        prev = tokens[tok.i - 1].lower_ if tok.i > 0 else ""
        if len(hits) != 1 or prev in _DETERMINERS or prev in _PLACE_PREPOSITIONS:
            continue
        hits[0].mentions.append(_Mention(tok.i, tok.i + 1))
        taken.add(tok.i)


# ---- roles -------------------------------------------------------------------------------------


def _clean_role(doc: Doc, a: int, b: int) -> str | None:
    """The role phrase doc[a:b] as text: trimmed, lowercase-initial, no trailing punctuation."""
    tokens = doc_tokens(doc)
    while a < b and (tokens[a].is_punct or tokens[a].lower_ in _ROLE_ARTICLES or tokens[a].lower_ in _ROLE_ADP):
        a += 1
    while b > a and (tokens[b - 1].is_punct or tokens[b - 1].text in _ROLE_ADP or tokens[b - 1].text in _ROLE_ARTICLES
                     or tokens[b - 1].lower_ == "et"):
        if tokens[b - 1].text == ")" and any(t.text == "(" for t in tokens[a:b - 1]):
            break  # "... de l'énergie atomique (AIEA)" keeps its parenthesis
        b -= 1
    if b <= a:
        return None
    text = " ".join(span_text(doc, a, b).split()).strip(" ,;:")
    if not text or not _LETTERS.match(text):
        return None
    if text[0].isupper() and not text[:2].isupper():
        text = text[0].lower() + text[1:]
    return text


def _role_participle(tok: Token) -> bool:
    """A participle that qualifies a title: "sortant", "sortante", "élu", "désignée" (the tagger often
    reads it as a finite verb)."""
    return tok.pos_ == "VERB" and tok.text.islower() and len(tok.text) >= 5 and tok.lower_.endswith(
        ("ant", "ante", "ants", "antes", "é", "ée", "és", "ées"))


def _in_name(tok: Token) -> bool:
    """A capitalised word of a PER entity: another person, where a role phrase must stop."""
    return tok.ent_type_ == "PER" and tok.text[:1].isupper() and not _is_title(tok.text) \
        and not is_place_name(tok.text)


def _np_internal(doc: Doc, k: int) -> bool:
    """Can token k sit inside a role noun phrase read leftwards from a name?"""
    tokens = doc_tokens(doc)
    tok = tokens[k]
    if tok.text in _HYPHENS:
        return True
    if not _wordy(tok) or tok.is_space:
        return False
    left = tokens[k - 1] if k > 0 else None
    if tok.lower_ in _ROLE_ADP:  # "ministre de la Défense": a preposition between a noun and its complement
        if left is None or not _wordy(left):
            return False
        if left.pos_ in {"NOUN", "ADJ"} or _person_noun(left) or _role_participle(left):
            return True
        if left.lower_ == "et" and k >= 2 and tokens[k - 2].pos_ in {"NOUN", "ADJ"} \
                and tokens[k - 2].text[:1].islower():
            return True  # "ministre de la culture et des affaires sociales"
        # "championne de France de ski": a proper noun that is itself a complement
        return left.text[:1].isupper() and k >= 2 and tokens[k - 2].lower_ in _ROLE_ADP | {"la", "l'", "l’", "les"}
    if tok.pos_ == "DET" or tok.lower_ in _DETERMINERS:
        return left is not None and left.lower_ in _ROLE_ADP and k >= 2 and (
            tokens[k - 2].pos_ in {"NOUN", "ADJ", "PROPN"} or _role_participle(tokens[k - 2]))
    if tok.lower_ == "et":
        return left is not None and left.text[:1].islower() and left.pos_ in {"NOUN", "ADJ"}
    if _role_participle(tok) and left is not None and _person_noun(left):
        return True  # "le commissaire sortant au budget", "le président élu"
    if tok.pos_ in {"VERB", "AUX", "PRON", "SCONJ", "ADV", "NUM", "INTJ", "CCONJ"}:
        return _person_noun(tok)
    return tok.pos_ in {"NOUN", "ADJ", "PROPN", "X"} or _person_noun(tok)


def _role_start(doc: Doc, a: int, b: int, closest: bool = False) -> int | None:
    """Where the role begins in doc[a:b]: at a person noun, with the adjectives just before it
    ('l'arrivée du général' -> 'général', 'le célèbre marchand d'animaux' -> 'célèbre marchand ...').

    The first person noun, or with `closest` the last one: a name juxtaposed to 'la sœur du dirigeant
    nord-coréen' is the leader's, while after a comma it would be the sister's.
    """
    tokens = doc_tokens(doc)
    found = None
    for p in range(a, b):
        tok = tokens[p]
        capital_ok = tok.is_sent_start or (p > 0 and tokens[p - 1].lower_ in _ROLE_ARTICLES)
        if _person_noun(tok) and (tok.text[:1].islower() or capital_ok and _is_title(tok.text)):
            while p > a and tokens[p - 1].pos_ == "ADJ" and (tokens[p - 1].text[:1].islower()
                                                          or tokens[p - 1].lower_ in _ORDINALS):
                p -= 1
            while closest and p >= a + 2 and tokens[p - 1].lower_ == "et" and _person_noun(tokens[p - 2]):
                p -= 2  # "le producteur et musicien suisse David Wehren"
            if found is not None and closest and "Plur" in tok.morph.get("Number"):
                continue  # "le président de l'Association des maires de France X": one person, not "maires"
            found = p
            if not closest:
                break
        elif tok.lower_ in _ROLE_ADP and found is None and not closest:
            return None  # the phrase is about a thing ("la mort de ..."); juxtaposed, the last title counts

    return found


def _left_role(doc: Doc, m: _Mention) -> tuple[str, int, int] | None:
    """'le président nord-coréen Kim Jong-un', 'le secrétaire du Conseil de sécurité russe, Sergueï Choïgou'."""
    tokens = doc_tokens(doc)
    i = m.start - 1
    if i >= 0 and _is_honorific(tokens[i]) or m.honorific == i - 1:  # "M. Shoigu", "M, Kellogg"
        i = m.honorific - 1 if m.honorific is not None else i - 1
    apposed = i >= 0 and tokens[i].text in {",", ":"}
    if apposed:
        i -= 1
    last = i
    if apposed and i > 2 and tokens[i].text == ")":
        # "le directeur général de l'Agence internationale de l'énergie atomique (AIEA), Rafael Grossi"
        j = next((j for j in range(i - 1, max(i - 6, 0), -1) if tokens[j].text in {"(", ")"}), None)
        if j is not None and tokens[j].text == "(" and j - 1 >= 0 and not _newline_before(doc, j):
            i = j - 1
    if apposed and i > 1 and _in_name(tokens[i]):
        # "l'ancien directeur de cabinet de Jacques Delors, Pascal Lamy": the role ends on a person's name
        s = i
        while s > 0 and (_in_name(tokens[s - 1]) or tokens[s - 1].text in _HYPHENS) and i - s < _MAX_NAME_TOKENS:
            s -= 1
        if s > 1 and tokens[s - 1].lower_ in {"de", "d'", "d’", "du"}:
            i = s - 2
    if i < 0 or not _wordy(tokens[i]) or tokens[i].lower_ in _ROLE_ADP | _DETERMINERS | {"et", "ou"} \
            or tokens[i].pos_ not in {"NOUN", "ADJ", "PROPN", "X"} and not _person_noun(tokens[i]) \
            or _in_name(tokens[i]):
        return None
    a = i
    if not apposed and _person_noun(tokens[i]) and _is_title(tokens[i].text):
        # "l'auguste père de Dona Maria": the title next to the name is the role
        while a > 0 and (_is_title(tokens[a - 1].text) or tokens[a - 1].text in _HYPHENS
                         or tokens[a - 1].lower_ in _ORDINALS
                         or tokens[a - 1].pos_ == "ADJ" and tokens[a - 1].text[:1].islower()):
            a -= 1
    else:
        skipped = 0
        while a > 0 and i - a < _MAX_ROLE_TOKENS + skipped and not _newline_before(doc, a):
            if apposed and _in_name(tokens[a - 1]):
                # "l'ancien directeur de cabinet de Jacques Delors, Pascal Lamy": a person in the complement
                s = a - 1
                while s > 0 and (_in_name(tokens[s - 1]) or tokens[s - 1].text in _HYPHENS) \
                        and a - s < _MAX_NAME_TOKENS:
                    s -= 1
                if s > 0 and tokens[s - 1].lower_ in {"de", "d'", "d’", "du"}:
                    skipped += a - s
                    a = s
                    continue
                break
            if not _np_internal(doc, a - 1) or _in_name(tokens[a - 1]):
                break
            a -= 1
    p = _role_start(doc, a, i + 1, closest=not apposed)
    if p is None or apposed and p > 0 and tokens[p - 1].text in {",", ";"}:
        return None  # "Louis Thorens, vice-président, Numa Matthey": the role is Thorens's
    if p > 0 and not tokens[p].is_sent_start and tokens[p - 1].lower_ not in _DETERMINERS | _ROLE_ADP | {"et", "ou"}:
        return None  # a role phrase opens with an article: not "Réunis le 20 février à Mendoza, X"
    role = _clean_role(doc, p, last + 1)
    return (role, p, last + 1) if role else None


def _right_role(doc: Doc, m: _Mention) -> tuple[str, int, int] | None:
    """'Jules Capré, le fameux pronostiqueur du temps', 'Numa Matthey, secrétaire',
    'M. Shoigu, qui est également un ancien ministre russe de la Défense'."""
    tokens = doc_tokens(doc)
    n = len(doc)
    k = m.end
    if k >= n or tokens[k].text != ",":
        return None
    k += 1
    if k + 2 < n and tokens[k].like_num and tokens[k + 1].lower_ == "ans" and tokens[k + 2].text == ",":  # ", 46 ans,"
        k += 3
    relative = False
    if k < n and tokens[k].lower_ == "qui":
        relative = True
        k += 1
        if k + 1 < n and tokens[k].lower_ in {"a", "avait"} and tokens[k + 1].lower_ == "été":
            k += 2
        elif k < n and tokens[k].lower_ in _RELATIVE_COPULA:
            k += 1
        else:
            return None
        while k < n and tokens[k].pos_ == "ADV" and tokens[k].lower_ not in _ROLE_ARTICLES:
            k += 1
    article = k < n and tokens[k].lower_ in _ROLE_ARTICLES
    if article:
        k += 1
    a = k
    if a >= n or not (tokens[a].text[:1].islower() or tokens[a].lower_ in _ORDINALS) or not _wordy(tokens[a]) \
            or tokens[a].pos_ not in {"ADJ", "NOUN", "PROPN", "X"} and not _person_noun(tokens[a]):
        return None
    b = a + 1
    while b < n and b - a < _MAX_ROLE_TOKENS and not _newline_before(doc, b):
        tok = tokens[b]
        if tok.text in _CLOSERS or tok.is_space:
            break
        if tok.lower_ in _ROLE_ADP:
            if b + 1 < n and tokens[b + 1].text not in _CLOSERS:
                b += 1
                continue
            break
        if tok.pos_ == "DET" and tokens[b - 1].lower_ in _ROLE_ADP:
            b += 1
            continue
        if tok.lower_ == "et" and b + 1 < n and tokens[b + 1].text[:1].islower() \
                and tokens[b + 1].pos_ in {"NOUN", "ADJ"}:
            b += 1
            continue
        if _in_name(tok) and tokens[b - 1].lower_ in {"de", "d'", "d’"} and any(_person_noun(t) for t in tokens[a:b]):
            end = _read_name(doc, b)  # "Kim Yo Jong, la sœur de Kim Jong Un, ..."
            if end > b and (end >= n or tokens[end].text in _CLOSERS):
                b = end
            break
        if _in_name(tok) or _is_honorific(tok):
            break
        after_preposition = tokens[b - 1].lower_ in _ROLE_ADP | _HYPHENS or (
            tokens[b - 1].pos_ == "DET" and tokens[b - 2].lower_ in _ROLE_ADP)
        if tok.text[:1].isupper() and not after_preposition \
                and not (tokens[b - 1].text[:1].isupper() and tokens[b - 1].is_alpha):
            break  # "X, cardinal Mercier": a capitalised word outside a complement starts something else
        if tok.pos_ in {"NOUN", "ADJ", "PROPN", "X"} or tok.text in _HYPHENS or tok.text.startswith("-") \
                or tok.text[:1].isupper() or _is_title(tok.text) \
                or _role_participle(tok) and _person_noun(tokens[b - 1]):  # "commissaire sortant aux transports"
            b += 1
            continue
        break
    if b < n and (_in_name(tokens[b]) or _is_honorific(tokens[b])):
        return None  # "Flavio Cotti, le président français Jacques Chirac": the title is Chirac's
    if b - a == 1 and not article and not relative and b < n and tokens[b].lower_ in {"que", "qu'", "qu’"}:
        return None  # "Le ministre, Paul Ardent, juge que ...": a verb, not a title
    closed = b >= n or tokens[b].text in _CLOSERS or tokens[b].lower_ in {"et", "ou"} or _newline_before(doc, b)
    p = _role_start(doc, a, b)
    if p is None:
        # not a known person noun: trust only a short closed apposition, one word ("X, radical,")
        # or headed by a noun ("X, sertisseur de boîtes,")
        if relative or not closed or b - a > 3 or (b - a > 1 and tokens[a].pos_ != "NOUN"):
            return None
        p = a
    elif p != a and tokens[a].pos_ != "ADJ":
        return None
    role = _clean_role(doc, p, b)
    return (role, p, b) if role else None


_COMPLEMENT_SPLIT = re.compile(r"[\s'’]+")
_COMPLEMENT_STOP = frozenset({"de", "du", "des", "d", "l", "la", "le", "les", "et", "a", "au", "aux", "pour"})


def _head_family(word: str) -> frozenset[str]:
    low = word.lower()
    for fam in _HEAD_FAMILIES:
        if low in fam:
            return fam
    return frozenset({low})


def _role_only_references(doc: Doc, clusters: list[_Cluster], taken: set[int]) -> None:
    """'le dirigeant nord-coréen' after 'le président nord-coréen Kim Jong-un': a mention of him.

    Conservative: a definite article, a title of the same family as one of the person's role
    heads, and a shared qualifying adjective ("nord-coréen"), or the very same role phrase of two
    words or more; the reference is tied only when exactly one person fits.
    """
    tokens = doc_tokens(doc)
    known: list[tuple[_Cluster, frozenset[str], frozenset[str], str]] = []
    for c in clusters:
        for m in c.mentions:
            for role in m.roles:
                words = role.split()
                head = 1 if len(words) > 1 and words[0].lower() in _ROLE_MODIFIERS else 0
                quals = frozenset(fold(w) for x in words[head + 1:] for w in _COMPLEMENT_SPLIT.split(x)
                                  if w and fold(w) not in _COMPLEMENT_STOP)
                known.append((c, _head_family(words[head]), quals, fold(role)))
    if not known:
        return
    n = len(doc)
    texts, lowers = token_strings(doc, "text"), token_strings(doc, "lower_")
    for i, text in enumerate(texts):
        if i in taken or i == 0 or lowers[i - 1] not in {"le", "la", "l'", "l’"} or not text[:1].islower() \
                or not _is_title(text):
            continue
        tok = tokens[i]
        j = i + 1
        while j < n and j - i <= 2 and tokens[j].pos_ == "ADJ" and tokens[j].text[:1].islower():
            j += 1
        adjectives = frozenset(fold(t.text) for t in tokens[i + 1:j])
        # "le président socialiste de l'Assemblée nationale": a complement whose noun the role shares
        complement, k = None, j
        if j + 1 < n and tokens[j].lower_ in {"de", "du", "des", "d'", "d’"}:
            k = j + 1
            while k < n and tokens[k].pos_ == "DET":
                k += 1
            if k < n and tokens[k].pos_ in {"NOUN", "PROPN"}:
                complement = fold(tokens[k].text)
                k += 1
                while k < n and k - j <= 5 and tokens[k].pos_ == "ADJ" and tokens[k].text[:1].islower():
                    k += 1
            else:
                k = j
        if complement is not None:
            j = k
        if j < n and (_starts_name(doc, j) or _is_honorific(tokens[j]) or tokens[j].text == ","):
            continue  # a title before a name, or an apposition: read with the name
        phrase = fold(span_text(doc, i, j))
        fam = _head_family(tok.text)
        fits = {id(c): c for c, hfam, quals, role in known
                if (role == phrase and j - i >= 2) or (fam & hfam and adjectives & quals and complement is None)
                or (fam & hfam and complement is not None and complement in quals)}
        if len(fits) != 1:
            continue
        cluster = next(iter(fits.values()))
        cluster.mentions.append(_Mention(i, j, support=True, roles=[" ".join(span_text(doc, i, j).split())]))
        taken.update(range(i, j))


# ---- records -----------------------------------------------------------------------------------


def _regnal_alias(name: str) -> str | None:
    """'Frédéric III' is also called 'Frédéric'."""
    parts = name_parts(name)
    if not parts.regnal:
        return None
    words = name.split()
    while words and fold(words[-1]) and fold(words[-1]) in parts.regnal:
        words.pop()
    return " ".join(words) or None


def _to_person(ctx: Context, c: _Cluster, named: list[_Mention]) -> Person:
    doc = ctx.doc
    tokens = doc_tokens(doc)
    best = max(named, key=lambda m: (_richness(doc, m), len(_name_text(doc, m)), -m.start))
    name = _name_text(doc, best)
    aliases: list[str] = []
    for m in sorted(named, key=lambda x: x.start):
        text = _name_text(doc, m)
        if text != name and text not in aliases:
            aliases.append(text)
    regnal = _regnal_alias(name)
    if regnal and regnal not in aliases:
        aliases.append(regnal)
    roles: list[str] = []
    seen: set[str] = set()
    spans: list[Span] = []
    for m in sorted(c.mentions, key=lambda x: x.start):
        for role in m.roles:
            if fold(role) not in seen:
                seen.add(fold(role))
                roles.append(role)
        first = m.honorific if m.honorific is not None and m.honorific >= m.start - 2 else m.start
        start, end = tokens[first].idx, tokens[m.end - 1].idx + len(tokens[m.end - 1].text)
        spans.append(Span(ctx.text[start:end], start, end))
    return Person(id=make_id(name), name=name, aliases=aliases, roles=roles, mentions=spans)


def find_people(ctx: Context) -> list[Person]:
    """One Person per person the article names, with every mention and the roles it gives them."""
    doc = ctx.doc
    labels = _entity_labels(doc)
    mentions = _merge_candidates(_from_entities(doc) + _after_honorifics(doc) + _after_titles(doc)
                                 + _before_appositions(doc) + _in_ranked_lists(ctx))
    weak_ends: set[int] = set()
    verdicts: dict[int, str] = {}
    for m in mentions:
        verdicts[id(m)] = _judge(doc, m, labels, weak_ends)
        if verdicts[id(m)] == "weak":
            weak_ends.add(m.end - 1)
    anchors = [m for m in mentions if verdicts[id(m)] == "keep"]
    extra = _merge_candidates(mentions + _complete_lists(doc, anchors))
    for m in extra:
        if id(m) not in verdicts:
            verdicts[id(m)] = _judge(doc, m, labels, weak_ends)
    mentions = [m for m in extra if verdicts[id(m)] != "drop"]
    clusters = _group(doc, mentions, verdicts)
    taken = {i for m in extra for i in range(m.honorific if m.honorific is not None else m.start, m.end)}
    _rescue_surnames(doc, clusters, taken)
    for c in clusters:
        for m in c.mentions:
            for finder in (_left_role, _right_role):
                found = finder(doc, m)
                if found and fold(found[0]) not in {fold(r) for r in m.roles}:
                    m.roles.append(found[0])
                    m.role_spans.append((found[1], found[2]))
            for a, b in m.role_spans:
                taken.update(range(a, b))
    named = {id(c): list(c.mentions) for c in clusters}
    _role_only_references(doc, clusters, taken)
    return [_to_person(ctx, c, named[id(c)]) for c in clusters]
