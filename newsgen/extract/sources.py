"""Sources: the agencies, media and organisations the article cites as origin of information.

A source is what speaks or relays in the text, not every organisation named: the subject of a
verb of saying ("KCNA a rapporté"), the inverted subject of an attribution ("a déclaré l'agence de
presse RIA"), the object of "selon", "citant", "cité par", or the agency of a dateline
("MOSCOU (Reuters) -"). People are not sources. An acronym written after its expansion
("l'Agence centrale de presse coréenne (KCNA)") names the source; the expansion is an alias.
"""
from __future__ import annotations

import re

from spacy.tokens import Token

from newsgen.extract.claims import (DESCRIPTOR_NOUNS, MEDIA_NOUNS, ROLE_NOUNS, Unit, body_units, np_text,
                                    np_tokens, reporting_agents)
from newsgen.extract.context import Context, children, doc_ents, doc_text, doc_tokens, token_strings
from newsgen.records import Source, Span
from newsgen.resolve.names import PARTICLES, fold, make_id

# Heads of noun phrases that name an organisation ("le ministère russe de la Défense").
ORG_NOUNS = frozenset({
    "agence", "ministère", "conseil", "commission", "gouvernement", "armée", "état-major", "journal",
    "quotidien", "hebdomadaire", "mensuel", "chaîne", "télévision", "radio", "site", "magazine",
    "revue", "média", "office", "bureau", "service", "services", "police", "gendarmerie", "parquet",
    "organisation", "ong", "institut", "observatoire", "fondation", "banque", "comité", "parti",
    "syndicat", "fédération", "association", "ambassade", "présidence", "chancellerie",
    "département", "secrétariat", "administration", "préfecture", "mairie", "haut-commissariat",
    "centre", "compagnie", "société", "groupe", "entreprise", "cabinet", "tribunal", "cour",
    "autorité", "garde", "marine", "aviation", "forces", "force", "coalition", "alliance", "union",
    "assemblée", "parlement", "sénat", "congrès",
})
# People who report for a medium: "le correspondant de l'AFP", "l'envoyé spécial de la BBC".
REPORTER_NOUNS = frozenset({"correspondant", "correspondante", "envoyé", "envoyée", "journaliste", "reporter",
                            "reporteur", "chroniqueur", "éditorialiste", "rédacteur", "rédactrice"})
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]{1,9}$")
_DATELINE = re.compile(
    r"^\s*[A-ZÀ-Ý][A-ZÀ-Ý'’ .-]{1,40}\s*\((?P<src>[A-Z][\w .&/-]{1,30}?)\)\s*[-–—]")


def _is_acronym(tok: Token) -> bool:
    return bool(_ACRONYM.match(tok.text)) and tok.ent_type_ != "PER"


def acronym_map(ctx: Context) -> dict[str, tuple[str, str]]:
    """folded expansion -> (acronym, expansion as written), for every "Expansion (ACR)" in the text."""
    doc = ctx.doc
    tokens = doc_tokens(doc)
    out: dict[str, tuple[str, str]] = {}
    for i, text in enumerate(token_strings(doc, "text")):
        if not _ACRONYM.match(text):
            continue  # the cheap half of `_is_acronym`: most words stop here
        tok = tokens[i]
        if not _is_acronym(tok) or tok.i < 2 or tok.i + 1 >= len(doc):
            continue
        if doc[tok.i - 1].text != "(" or doc[tok.i + 1].text != ")":
            continue
        expansion = ""
        for ent in doc_ents(doc):
            if ent.end == tok.i - 1 and ent.label_ in ("ORG", "MISC"):
                expansion = np_text(list(ent))
                break
        if not expansion and tok.dep_ == "appos" and tok.head.i < tok.i:
            head = tok.head
            span = [doc[i] for i in range(head.left_edge.i, tok.i - 1) if doc[i].i >= head.i - 6]
            expansion = np_text([t for t in span if t.i >= _np_start(head)])
        if expansion and fold(expansion) != fold(tok.text):
            out[fold(expansion)] = (tok.text, expansion)
    return out


def _np_start(head: Token) -> int:
    i = head.i
    while i - 1 >= 0 and head.doc[i - 1].pos_ in ("DET", "ADJ") and head.doc[i - 1].text not in ",(":
        i -= 1
    return i


def source_name(head: Token, unit: Unit, acronyms: dict[str, tuple[str, str]]) -> tuple[str, list[str]] | None:
    """(name, aliases) of the organisation a speaking noun phrase names, or None if it names none."""
    lemma = head.lemma_.lower()
    if head.pos_ not in ("NOUN", "PROPN", "X") or head.ent_type_ == "PER" and not _is_acronym(head):
        return None
    if head.ent_type_ == "LOC" and lemma not in ORG_NOUNS:
        return None  # a country or a city speaking ("Moscou a démenti") is no source
    if lemma in REPORTER_NOUNS and head.text[:1].islower():
        # "selon le correspondant de VNA à Pékin": the medium he works for is the source
        for c in children(head):
            if c.dep_ == "nmod" and c.i > head.i and unit.has(c) and (c.ent_type_ == "ORG" or _is_acronym(c)
                                                                       or c.lemma_.lower() in MEDIA_NOUNS):
                if _is_acronym(c):  # "VNA", "AFP" (the tagger may call it a place)
                    return c.text, []
                return source_name(c, unit, acronyms)
        return None
    if lemma in ROLE_NOUNS or head.lower_ in ROLE_NOUNS:
        return None
    core = np_tokens(head, unit)
    full = np_tokens(head, unit, full=True)
    named = [t for t in core if t.ent_type_ == "PER" and not _is_acronym(t)]
    if named and not _medium_name(head, named):
        return None
    text = np_text(core)
    if not text:
        return None
    # "Agence centrale de presse coréenne (KCNA)": the acronym names it
    doc = head.doc
    after = core[-1].i + 1
    if after + 2 < len(doc) and doc[after].text == "(" and _is_acronym(doc[after + 1]) and doc[after + 2].text == ")":
        proper = _proper_part(head, core)
        return doc[after + 1].text, [text] + ([proper] if proper and fold(proper) != fold(text) else [])
    for i, t in enumerate(full):
        if _is_acronym(t) and i > 0 and full[i - 1].text == "(":
            expansion = np_text(full[: i - 1])
            return t.text, [expansion] if expansion else []
    bare = text.replace("(", "").replace(")", "").strip()
    if fold(bare) in acronyms:
        return acronyms[fold(bare)][0], [bare]
    # the head itself must be the organisation: "le dîner annuel du CRIF" is not the CRIF
    org_like = (head.ent_type_ == "ORG" or _is_acronym(head) or lemma in ORG_NOUNS and _qualified(head, core)
                or head.ent_type_ == "MISC" and sum(t.ent_type_ == "MISC" for t in core) >= 2)
    if not org_like:
        return None
    if lemma in DESCRIPTOR_NOUNS and (head.text[:1].islower() or _is_acronym(head)):
        # "l'agence de presse RIA" -> RIA; "le quotidien Le Monde" -> Le Monde
        name = _proper_part(head, core)
        if name:
            return name, [text] if fold(text) != fold(name) else []
        # "l'agence de presse officielle iranienne Irna": the parse left the name out
        k = core[-1].i + 1
        while k < unit.end and doc[k].pos_ == "PROPN":
            k += 1
        if k > core[-1].i + 1:
            return doc[core[-1].i + 1: k].text, [text]
    if fold(text) in ORG_NOUNS:
        return None
    return text, []


def _medium_name(head: Token, named: list[Token]) -> bool:
    """"l'agence Anadolu", "la chaîne Al-Jazeera": the tagger's person is the medium's own name
    (not "le journal de Jean Dupont", a person's)."""
    if head.lemma_.lower() not in MEDIA_NOUNS or not head.text[:1].islower():
        return False
    doc = head.doc
    # every word from the medium noun to the tagged name is part of a name ("Folha de S. Paulo")
    return all(t.i > head.i and all(x.text[:1].isupper() or x.lower_ in PARTICLES or x.text in "-."
                                    for x in doc[head.i + 1:t.i] if not (x.pos_ == "ADJ" and x.i == head.i + 1))
               and doc[head.i + 1].lower_ not in _OF for t in named)


_OF = frozenset({"de", "d'", "d’", "du", "des", "par", "à", "au", "aux", "pour"})


def _proper_part(head: Token, core: list[Token]) -> str:
    """The capitalised name after a descriptor: "agence de presse RIA" -> "RIA"."""
    if not (head.text[:1].islower() or _is_acronym(head)):
        return ""
    proper = [t for t in core if t.i > head.i and t.text[:1].isupper()]
    if not proper:
        return ""
    doc = head.doc
    return doc_text(doc)[proper[0].idx: core[-1].idx + len(core[-1].text)].strip()


def _qualified(head: Token, core: list[Token]) -> bool:
    """"le ministère russe de la Défense", "l'armée israélienne": not a bare "le gouvernement"."""
    return any(t.i != head.i and t.pos_ not in ("DET", "ADP") and (t.pos_ in ("ADJ", "PROPN") or t.text[:1].isupper())
               for t in core)


def find_sources(ctx: Context) -> list[Source]:
    """The organisations that speak or relay in the body, one record each, with all mentions."""
    acronyms = acronym_map(ctx)
    found: dict[str, Source] = {}
    expansions = {acr: written for acr, written in acronyms.values()}
    for tok, unit in reporting_agents(ctx):
        named = source_name(tok, unit, acronyms)
        if named:
            name, aliases = named
            if name in expansions:
                # "Selon l'OSDH" after "l'Observatoire syrien des droits de l'homme (OSDH)"
                aliases = aliases + [expansions[name]]
            _add(found, name, aliases)
    for para in ctx.layout.paragraphs:
        m = _DATELINE.match(ctx.analysed, para.start, para.end)
        if m:
            _add(found, m["src"].strip(), [])
    sources = list({id(s): s for s in found.values()}.values())
    for src in sources:
        src.mentions = _mentions(ctx.analysed, [src.name, *src.aliases])
    return sources


def _add(found: dict[str, Source], name: str, aliases: list[str]) -> None:
    keys = [fold(n) for n in [name, *aliases] if fold(n)]
    src = next((found[k] for k in keys if k in found), None)
    if src is None:
        for s in found.values():
            if any(fold(a) in keys for a in s.aliases):
                src = s
                break
    if src is None:
        src = found[fold(name)] = Source(id=make_id(name), name=name)
    for n in [name, *aliases]:
        if fold(n) != fold(src.name) and all(fold(n) != fold(a) for a in src.aliases):
            src.aliases.append(n)
        found.setdefault(fold(n), src)


def _mentions(text: str, names: list[str]) -> list[Span]:
    spans: dict[int, Span] = {}
    for n in sorted(set(names), key=len, reverse=True):
        for m in re.finditer(r"(?<!\w)" + re.escape(n) + r"(?!\w)", text):
            if not any(s.start <= m.start() < s.end for s in spans.values()):
                spans[m.start()] = Span(m.group(), m.start(), m.end())
    return [spans[k] for k in sorted(spans)]


__all__ = ["find_sources", "source_name", "acronym_map", "body_units"]
