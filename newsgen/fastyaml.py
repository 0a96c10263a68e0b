"""`safe_load` for the archive's big YAML files (10,000 front matters, the registries), faster.

libyaml parses; PyYAML then builds the Python values one node at a time through a generic
constructor (a third of the time of loading a front matter). The documents newsgen writes are
plain maps, lists and strings, which `load` builds directly; any other node (numbers, dates,
booleans, null) goes to PyYAML's own constructor, and a document with anything unusual (merge
keys, non-string keys, explicit tags) is built by PyYAML entirely. Same values, same errors.
"""
from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

_BASE: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when installed
_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_INT = "tag:yaml.org,2002:int"
# A decimal PyYAML reads as int() would: no sign, underscore or leading zero (octal in YAML 1.1)
_DECIMAL = re.compile("0|[1-9][0-9]*").fullmatch


class Loader(_BASE):  # type: ignore[misc, valid-type]
    """The safe loader, remembering the implicit type of short plain scalars ("fr", "statement",
    "true", ids and names): resolving one takes a few regular expressions, for each occurrence."""

    _tags: dict[tuple[str, tuple[bool, bool]], str] = {}

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is not ScalarNode or len(value) > 40:
            return super().resolve(kind, value, implicit)
        key = (value, implicit)
        tag = self._tags.get(key)
        if tag is None:
            if len(self._tags) > 100_000:  # a bound for long-running processes
                self._tags.clear()
            tag = self._tags[key] = super().resolve(kind, value, implicit)
        return tag


class _Unusual(Exception):
    """A node `_build` leaves to PyYAML's constructor, with the whole document."""


def load(text: str) -> Any:
    """What `yaml.safe_load(text)` returns (None for an empty document)."""
    loader = Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        try:
            return _build(node, loader, set())
        except _Unusual:
            return loader.construct_document(node)
    finally:
        loader.dispose()


def _build(node: Any, loader: Any, seen: set[int]) -> Any:
    tag = node.tag
    cls = type(node)
    if cls is ScalarNode:
        if tag == _STR:
            return node.value
        if tag == _INT and _DECIMAL(node.value):
            return int(node.value)  # offsets, 50 a front matter: PyYAML's way costs 4 calls each
        if tag.startswith("tag:yaml.org,2002:") and tag in loader.yaml_constructors:
            return loader.construct_object(node, deep=True)  # int, bool, null, float, timestamp
        raise _Unusual
    if id(node) in seen:
        raise _Unusual  # an alias (*name) of a list or map: PyYAML shares one object, even in a cycle
    seen.add(id(node))
    if cls is SequenceNode and tag == _SEQ:
        return [_build(item, loader, seen) for item in node.value]
    if cls is MappingNode and tag == _MAP:
        out = {}
        for key, value in node.value:
            if type(key) is not ScalarNode or key.tag != _STR:
                raise _Unusual  # merge keys (<<), numbers or lists as keys: PyYAML's rules
            out[key.value] = _build(value, loader, seen)
        return out
    raise _Unusual
