"""Archive-wide identity: editable registries of people and sources.

`registry/people.yaml` and `registry/sources.yaml` list every person and source of the archive
with a canonical name, a stable id and the spellings that mean them. Every article's people and
sources are resolved through them when the site is built, so a person keeps one id and one page
whatever the spelling, and a correction made once (merge two people: move one's aliases under
the other) applies everywhere. Names the registry does not know yet are added to it as new
entries, which a person may then rename, merge or describe; existing entries are never changed.
"""
from __future__ import annotations

import operator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from newsgen import fastyaml
from newsgen.files import write_text_atomic
from newsgen.records import Article, Claim
from newsgen.resolve.evolve import evolve
from newsgen.resolve.names import fold, make_id, name_tokens

HEADER = {
    "people": "# People of the archive: one entry per person. Edit freely: rename (name), add spellings\n"
              "# (aliases), merge two people (move the aliases of one under the other and delete it).\n"
              "# The id is the page URL: change it and the page moves.\n",
    "sources": "# Sources of the archive (agencies, media, organisations quoted): one entry each.\n"
               "# Edit freely as for people.yaml.\n",
}


class RegistryError(Exception):
    pass


@dataclass
class Entry:
    id: str
    name: str
    aliases: list[str] = field(default_factory=list)
    description: str | None = None

    def spellings(self) -> list[str]:
        return [self.name, *self.aliases]


def person_key(name: str) -> str:
    return " ".join(name_tokens(name))


def source_key(name: str) -> str:
    return fold(name)


@dataclass
class Registry:
    kind: str  # "people" | "sources"
    entries: list[Entry] = field(default_factory=list)
    added: list[Entry] = field(default_factory=list)

    def __post_init__(self) -> None:
        # Replaced at every change: equal tokens mean the same registry in the same state, so
        # the same names find the same entries (resolve_articles reuses lookups by it).
        self.state = object()
        self._index: dict[str, Entry] = {}
        self._by_surname: dict[str, list[Entry]] = {}
        # `added` by identity: `entry in self.added` compares field by field, 4.9 million
        # comparisons when a first build adds every person of 10,000 articles
        self._added_ids: set[int] = {id(e) for e in self.added}
        for e in self.entries:
            self._add_index(e)

    def key(self, name: str) -> str:
        return person_key(name) if self.kind == "people" else source_key(name)

    def _add_index(self, entry: Entry) -> None:
        for s in entry.spellings():
            k = self.key(s)
            if k:
                self._index.setdefault(k, entry)
                if self.kind == "people":
                    bucket = self._by_surname.setdefault(k.split()[-1], [])
                    if entry not in bucket:
                        bucket.append(entry)

    def find(self, spellings: list[str]) -> Entry | None:
        """The entry for any of these spellings; for people, a lone surname matches one full name."""
        for s in spellings:
            hit = self._index.get(self.key(s))
            if hit:
                return hit
        if self.kind != "people":
            return None
        for s in spellings:
            toks = self.key(s).split()
            if not toks:
                continue
            candidates = [e for e in self._by_surname.get(toks[-1], []) if _compatible(toks, e)]
            if len(candidates) == 1:
                return candidates[0]
        return None

    def resolve(self, name: str, aliases: list[str]) -> Entry:
        """The entry for a name, adding a new one when the registry does not know it."""
        entry = self.find([name, *aliases])
        if entry is None:
            entry = Entry(id=self._free_id(make_id(name)), name=name, aliases=[a for a in aliases if a != name])
            self.entries.append(entry)
            self.added.append(entry)
            self._added_ids.add(id(entry))
            self._add_index(entry)
            self.state = object()
        elif id(entry) in self._added_ids:
            for s in [name, *aliases]:
                if s not in entry.spellings():
                    entry.aliases.append(s)
                    self._add_index(entry)
                    self.state = object()
        return entry

    def _free_id(self, base: str) -> str:
        ids = {e.id for e in self.entries}
        if base not in ids:
            return base
        n = 2
        while f"{base}-{n}" in ids:
            n += 1
        return f"{base}-{n}"


def _compatible(tokens: list[str], entry: Entry) -> bool:
    """A spelling fits an entry when first names, where both have them, agree (initials allowed)."""
    for s in entry.spellings():
        other = person_key(s).split()
        if not other or other[-1] != tokens[-1]:
            continue
        a, b = tokens[:-1], other[:-1]
        if not a or not b or a[0] == b[0] or (len(a[0]) == 1 and b[0].startswith(a[0])) or (
                len(b[0]) == 1 and a[0].startswith(b[0])):
            return True
    return False


def load_registry(path: Path, kind: str) -> Registry:
    """The registry in `path`: the one this process last read from it when the file holds the
    same text and resolving has not changed that one since (a server rebuilding after an edit
    reads it again at every build), so that `resolve_articles` can reuse its lookups."""
    text = path.read_text(encoding="utf-8") if path.exists() else None
    key = (str(path.resolve()), kind)
    last = _LOADED.get(key)
    if last is not None and last[0] == text and last[1].state is last[2]:
        return last[1]
    registry = Registry(kind) if text is None else _parse_registry(path, kind, text)
    _LOADED[key] = (text, registry, registry.state)
    return registry


# (file, kind) -> the text last read (None: no file), its registry, and that registry's state then
_LOADED: dict[tuple[str, str], tuple[str | None, Registry, object]] = {}


def _parse_registry(path: Path, kind: str, text: str) -> Registry:
    try:
        data = fastyaml.load(text) or []
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise RegistryError(f"{path}{f':{mark.line + 1}' if mark else ''}: not valid YAML; fix it (it was not used)") from None
    if not isinstance(data, list):
        raise RegistryError(f"{path}:1: expected a list of entries (- id: ..., name: ...)")
    entries = []
    for i, item in enumerate(data):
        if not isinstance(item, dict) or not item.get("name"):
            raise RegistryError(f"{path}: entry {i + 1} needs at least a name")
        aliases = item.get("aliases") or []
        if not isinstance(aliases, list):
            aliases = [aliases]
        entries.append(Entry(id=str(item.get("id") or make_id(str(item["name"]))), name=str(item["name"]),
                             aliases=[str(a) for a in aliases], description=item.get("description")))
    return Registry(kind, entries)


def save_registry(registry: Registry, path: Path) -> None:
    """Append the entries this build added; the user's part of the file is left byte for byte."""
    if not registry.added:
        return
    data = [{k: v for k, v in (("id", e.id), ("name", e.name), ("aliases", e.aliases),
                               ("description", e.description)) if v} for e in registry.added]
    chunk = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    old = path.read_text(encoding="utf-8") if path.exists() else HEADER.get(registry.kind, "")
    if old and not old.endswith("\n"):
        old += "\n"
    write_text_atomic(path, old + chunk)
    registry.added = []
    registry._added_ids.clear()


def resolve_article(article: Article, people: Registry, sources: Registry) -> Article:
    """The article with people and sources named and identified as the registries say.

    Records the registries leave as they are stay the same objects (the article itself when
    nothing changes, as for most articles once their people are in the registry): no copy, and
    what later passes work out from a record can be reused by identity (newsgen.reuse).
    """
    return _resolved(article, *_lookups(article, people, sources))


def resolve_articles(articles: list[Article], people: Registry, sources: Registry) -> list[Article]:
    """`resolve_article` for each article, in order (the registries learn new names as they go).

    An article that finds entries with the same values as in the last run of this process gives
    the same object as then, even when resolving changed it (newsgen.reuse). When it meets the
    registries in the same state as then (the same objects, unchanged since: see load_registry),
    its names find the same entries, so it is not looked up again: 50,000 lookups at 10,000
    articles, a third of a second of a server's rebuild after an edit.
    """
    global _LAST_RUN
    last, now = _LAST_RUN, {}
    out = []
    for article in articles:
        state = (people.state, sources.state)
        hit = last.get(id(article))
        if hit is not None and hit[0] is article and hit[1] == state:
            now[id(article)] = hit
            out.append(hit[3])
            continue
        found = _lookups(article, people, sources)
        key = tuple((e.id, e.name, tuple(e.aliases)) for e in (*found[0], *found[1]))
        if hit is not None and hit[0] is article and hit[2] == key:
            resolved = hit[3]
        else:
            resolved = _resolved(article, *found)
        # a lookup that changed a registry is not known to find the same from the same state
        unchanged = state == (people.state, sources.state)
        now[id(article)] = (article, state if unchanged else None, key, resolved)
        out.append(resolved)
    _LAST_RUN = now
    return out


# The last run, per article (by id; the article is kept, so its id is not reused): the article,
# the registries' states it was looked up in (None when its lookup changed them), what it found
# (values) and the article resolved.
_LAST_RUN: dict[int, tuple[Article, tuple[object, object] | None, tuple[object, ...], Article]] = {}


def _lookups(article: Article, people: Registry, sources: Registry) -> tuple[list[Entry], list[Entry]]:
    """The registry entry of each person and source of the article (new names are added)."""
    return ([people.resolve(p.name, p.aliases) for p in article.people],
            [sources.resolve(s.name, s.aliases) for s in article.sources])


def _resolved(article: Article, people: list[Entry], sources: list[Entry]) -> Article:
    """The article as its people's and sources' entries name them (read, never changed here)."""
    renamed: dict[str, Entry] = {}
    new_people = []
    for p, entry in zip(article.people, people):
        renamed[p.name] = entry
        renamed[p.id] = entry
        aliases = [s for s in dict.fromkeys([p.name, *p.aliases, *entry.aliases]) if s != entry.name]
        new_people.append(p if (p.id, p.name, p.aliases) == (entry.id, entry.name, aliases)
                          else evolve(p, id=entry.id, name=entry.name, aliases=aliases))
    new_sources = []
    for s, entry in zip(article.sources, sources):
        renamed[s.name] = entry
        aliases = [a for a in dict.fromkeys([s.name, *s.aliases, *entry.aliases]) if a != entry.name]
        new_sources.append(s if (s.id, s.name, s.aliases) == (entry.id, entry.name, aliases)
                           else evolve(s, id=entry.id, name=entry.name, aliases=aliases))
    claims = [_rename_claim(c, renamed) for c in article.claims]
    events = []
    for e in article.events:
        participants = [renamed[n].name if n in renamed else n for n in e.participants]
        events.append(e if participants == e.participants else evolve(e, participants=participants))
    if all(map(_same, (new_people, new_sources, claims, events),
               (article.people, article.sources, article.claims, article.events))):
        return article
    return evolve(article, people=new_people, sources=new_sources, claims=claims, events=events)


def _same(new: list[object], old: list[object]) -> bool:
    """Whether two lists hold the same objects (not equal ones: `is`, item by item)."""
    return len(new) == len(old) and all(map(operator.is_, new, old))


def _rename_claim(claim: Claim, renamed: dict[str, Entry]) -> Claim:
    speaker = renamed.get(claim.speaker_id or "") or renamed.get(claim.speaker)
    via = renamed.get(claim.via or "")
    values = (speaker.name if speaker else claim.speaker, speaker.id if speaker else claim.speaker_id,
              via.name if via else claim.via)
    if values == (claim.speaker, claim.speaker_id, claim.via):
        return claim
    return evolve(claim, speaker=values[0], speaker_id=values[1], via=values[2])
