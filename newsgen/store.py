"""The archive on disk: one `articles/SLUG.md` per article, YAML front matter + Markdown body.

Human edits win. For every machine-written article the store remembers, in
`articles/.machine/SLUG.yaml`, the value of each field as the machine last wrote it. When the
loader re-extracts, a field whose value in the file still equals that memory is refreshed; a field
that differs was changed by a person and is kept as they left it. An article with no memory (written
by hand, or the memory deleted) is never rewritten.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from newsgen import fastyaml
from newsgen.files import write_text_atomic
from newsgen.records import Article, Paragraph
from newsgen.resolve.names import SLUG_LENGTH, make_id

MACHINE_DIR = ".machine"
# libyaml's writer for the machine's memory files, which nobody reads: 3x faster than PyYAML's
# own, which stays for articles/*.md (it writes emoji as they are, not as \U escapes).
_MACHINE_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_MISSING = object()
_FENCE = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*\r?\n?", re.DOTALL | re.MULTILINE)


def is_file_slug(slug: str) -> bool:
    """Whether `slug` can name a file of `articles/` as it is: one path segment, not hidden,
    no control characters, short enough for any filesystem (with `.md`)."""
    return (bool(slug) and not slug.startswith(".") and len(slug.encode("utf-8")) <= 200
            and not any(c in "/\\" or not c.isprintable() for c in slug))


def file_slug(slug: str, title: str) -> str:
    """`slug` when it can name a file, else a slug made of it (of the title when it has no
    letter or digit: a sidecar's `slug: /` must never write outside `articles/`)."""
    if is_file_slug(slug):
        return slug
    return make_id(slug) if any(c.isalnum() for c in slug) else make_id(title)


def _suffixed(slug: str, suffix: str) -> str:
    """`slug-suffix`, the slug shortened so the whole stays within SLUG_LENGTH: the site would
    cut a longer one back onto its twin's slug and publish it somewhere else."""
    return f"{slug[:SLUG_LENGTH - len(suffix) - 1].rstrip('-')}-{suffix}"


class StoreError(Exception):
    """An article file that cannot be read; the message names the file and line."""


# ---------------------------------------------------------------- record <-> text

def _prune(value: Any) -> Any:
    """Drop empty values so the front matter stays readable; from_dict restores the defaults."""
    if isinstance(value, dict):
        return {k: _prune(v) for k, v in value.items() if v not in (None, [], {})}
    if isinstance(value, list):
        return [_prune(v) for v in value]
    return value


def to_front_matter(article: Article) -> dict[str, Any]:
    """The record as the plain data of the front matter: the body goes below it, as Markdown."""
    data = _prune(article.to_dict())
    data.pop("body", None)
    if article.body:
        data["body_offsets"] = [[p.start, p.end] for p in article.body]
    return data


def dumps(article: Article) -> str:
    front = yaml.safe_dump(to_front_matter(article), allow_unicode=True, sort_keys=False, width=100)
    body = "\n\n".join(p.text for p in article.body)
    return f"---\n{front}---\n\n{body}\n"


def split_front_matter(text: str, path: Path | str = "<text>") -> tuple[dict[str, Any], str]:
    m = _FENCE.match(text)
    if not m:
        return {}, text
    try:
        data = fastyaml.load(m.group(1)) or {}
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = f":{mark.line + 2}" if mark else ""
        raise StoreError(f"{path}{line}: front matter is not valid YAML ({getattr(err, 'problem', err)})") from None
    if not isinstance(data, dict):
        raise StoreError(f"{path}:2: front matter must be 'key: value' lines")
    return data, text[m.end():]


def paragraphs_of(body: str, offsets: list[Any] | None) -> list[Paragraph]:
    """Body paragraphs (blank-line separated) with their source offsets where still known."""
    texts = [p.strip() for p in re.split(r"\n\s*\n", body.strip()) if p.strip()]
    offsets = offsets or []
    out = []
    for i, t in enumerate(texts):
        ok = i < len(offsets) and isinstance(offsets[i], list) and len(offsets[i]) == 2
        start, end = (int(offsets[i][0]), int(offsets[i][1])) if ok else (0, 0)
        out.append(Paragraph(text=t, start=start, end=end))
    return out


def loads(text: str, path: Path | str = "<text>") -> Article:
    data, body = split_front_matter(text, path)
    data = dict(data)
    offsets = data.pop("body_offsets", None)
    data.setdefault("slug", Path(str(path)).stem)
    data.setdefault("title", data["slug"])
    try:
        article = Article.from_dict(data)
    except (TypeError, ValueError) as err:
        raise StoreError(f"{path}: front matter does not fit an article record ({err})") from None
    article.body = paragraphs_of(body, offsets)
    for key in ("published", "date"):  # YAML reads 2024-09-14 as a date; the record keeps text
        value = getattr(article, key)
        if value is not None and not isinstance(value, str):
            setattr(article, key, str(value))
    return article


def load(path: Path) -> Article:
    """One article file as a record; every problem is a StoreError naming the file."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise StoreError(f"{path}: cannot read ({err})") from None
    return loads(text, path)


# ---------------------------------------------------------------- the archive folder

@dataclass
class WriteResult:
    path: Path
    written: bool
    kept_fields: list[str]  # fields a person had edited, left as they were


class Store:
    """The `articles/` folder."""

    def __init__(self, root: Path):
        self.root = root
        self._stems: set[str] | None = None  # names of the article files, once listed

    def memory_path(self, slug: str) -> Path:
        return self.root / MACHINE_DIR / f"{slug}.yaml"

    def paths(self) -> list[Path]:
        """The record files, by name (sorting the paths themselves compares them part by part in
        Python: a tenth of a second at 10,000 records, for the same order)."""
        return sorted((p for p in self.root.glob("*.md") if not p.name.startswith(".")), key=lambda p: p.name)

    def load(self, path: Path) -> Article:
        return load(path)

    def slugs_by_source(self) -> dict[str, str]:
        """Which article file each seed already has, so its URL never changes."""
        out = {}
        for path in self.paths():
            try:
                data, _ = split_front_matter(path.read_text(encoding="utf-8-sig"), path)
            except (StoreError, OSError, UnicodeDecodeError):
                continue
            if data.get("source_file"):
                out[str(data["source_file"])] = path.stem
        return out

    def choose_slug(self, article: Article, taken: dict[str, str]) -> str:
        """The article's slug: its old one if the seed was stored before, else a free one."""
        source = article.source_file or ""
        if source in taken:
            return taken[source]
        if self._stems is None:  # listed once per store, not once per article
            self._stems = {p.stem for p in self.paths()}
        used = self._stems  # every stored file's name, plus the slugs chosen in this build
        base = slug = file_slug(article.slug, article.title)
        digest = hashlib.sha1(source.encode()).hexdigest()[:6]
        if slug in used:
            slug = _suffixed(base, digest)
        n = 2
        while slug in used:  # same title and same hash prefix: rare, but never overwrite
            slug, n = _suffixed(base, f"{digest}-{n}"), n + 1
        self._stems.add(slug)
        return slug

    def save(self, article: Article, input_hash: str | None = None) -> WriteResult:
        """Write a machine-extracted article, keeping every field a person edited."""
        if not is_file_slug(article.slug):  # choose_slug gives one that is
            raise ValueError(f"slug {article.slug!r} cannot name a file of {self.root}")
        path = self.root / f"{article.slug}.md"
        new = to_front_matter(article)
        new_body = "\n\n".join(p.text for p in article.body)
        kept: list[str] = []
        if path.exists():
            memory_file = self.memory_path(article.slug)
            if not memory_file.exists():
                return WriteResult(path, False, ["*"])  # written or adopted by a person
            current, current_body = split_front_matter(path.read_text(encoding="utf-8-sig"), path)
            memory = fastyaml.load(memory_file.read_text(encoding="utf-8")) or {}
            remembered = memory.get("front") or {}
            merged: dict[str, Any] = {}
            for key in dict.fromkeys([*new, *current, *remembered]):
                mine = current.get(key, _MISSING)
                if mine != remembered.get(key, _MISSING):  # changed, added or deleted by a person
                    kept.append(key)
                    if mine is not _MISSING:
                        merged[key] = mine
                elif key in new:
                    merged[key] = new[key]
            if current_body.strip() != (memory.get("body") or "").strip():
                new_body = current_body.strip()
                merged["body_offsets"] = current.get("body_offsets")
                kept.append("body")
            front = merged
        else:
            front = new
        text = "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=100) + "---\n\n" + new_body + "\n"
        changed = not path.exists() or path.read_text(encoding="utf-8-sig") != text
        if changed:
            write_text_atomic(path, text)
        mem = yaml.dump({"source_file": article.source_file, "input_hash": input_hash, "front": new,
                         "body": "\n\n".join(p.text for p in article.body)},
                        Dumper=_MACHINE_DUMPER, allow_unicode=True, sort_keys=False, width=100)
        write_text_atomic(self.memory_path(article.slug), mem)
        return WriteResult(path, changed, kept)
