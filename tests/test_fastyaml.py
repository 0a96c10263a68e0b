"""fastyaml.load gives what PyYAML's safe loader (libyaml's) gives: the same values, the same
errors."""
from __future__ import annotations

import datetime as dt

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgen import fastyaml

LIBYAML = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def pyyaml(text: str) -> object:
    return yaml.load(text, Loader=LIBYAML)

scalars = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["yes", "No", "on", "~", "null", "true", "1e3", "0x1F", "0o17", "1_000", ".inf",
                     "2024-09-14", "2024-09-14 10:00:00", "12:30", "<<", "=", "-", "", " lead", "a: b",
                     "# not a comment", "'quoted'", "[x]", "{y}", "Kim Jong-un", "é"]),
    st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False),
    st.dates(),
)
documents = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.text(max_size=10), inner, max_size=4),
), max_leaves=25)


@settings(max_examples=300, deadline=None)
@given(documents, st.booleans(), st.sampled_from([None, False, True]))
def test_same_values_as_safe_load(data: object, unicode: bool, flow: bool | None) -> None:
    text = yaml.safe_dump(data, allow_unicode=unicode, default_flow_style=flow, sort_keys=False)
    assert fastyaml.load(text) == pyyaml(text)


@pytest.mark.parametrize("text", [
    "",
    "# only a comment\n",
    "a: &x [1, 2]\nb: *x\n",  # an alias: PyYAML's object, shared
    "a: &x\n  k: v\nb:\n  <<: *x\n  l: w\n",  # merge key
    "1: one\n2.5: two\nnull: three\n",  # keys that are not strings
    "a: !!str 123\nb: !!int '7'\nc: !!float 1\nd: !!binary aGVsbG8=\n",
    "when: 2024-09-14\nat: 2024-09-14T10:00:00Z\nflag: yes\nnothing: ~\n",
    "a: 1\na: 2\n",  # the last one wins
    "- x\n- - y\n  - z\n- {k: [1, {m: n}]}\n",
    "slug: a0001\ntitle: 'Kim Jong-un : « non »'\npeople:\n- id: kim\n  mentions:\n  - {text: Kim, start: 1, end: 4}\n",
    # integers: decimal, octal (a leading zero in YAML 1.1), signs, underscores, hex, base 60
    "[0, 7, 012, 08, 00, -3, +5, 1_000, 0x1F, 0b101, '1:30', 1:30, 190:20:30, !!int 0012, 123456789012345678901]",
])
def test_same_values_on_unusual_documents(text: str) -> None:
    assert fastyaml.load(text) == pyyaml(text)


def test_shared_and_recursive_aliases_are_pyyaml_objects() -> None:
    shared = fastyaml.load("a: &x [1]\nb: *x\n")
    assert shared["a"] is shared["b"]
    loop = fastyaml.load("&x [1, *x]\n")
    assert loop[1] is loop


@pytest.mark.parametrize("text", [
    "a: [1, 2\n",  # unclosed
    "a: b\n c: d\n",  # bad indentation
    "a: !!python/object:os.system x\n",  # unsafe tag
    "a: !!timestamp not-a-date\n",
    "? [a, b]\n: c\nd: {[x]: y}\n",
])
def test_same_errors(text: str) -> None:
    with pytest.raises(Exception) as expected:  # not always a YAMLError: !!timestamp x is an AttributeError
        pyyaml(text)
    with pytest.raises(type(expected.value)) as got:
        fastyaml.load(text)
    assert str(got.value) == str(expected.value)


def test_dates_are_dates() -> None:
    assert fastyaml.load("d: 2024-09-14\n") == {"d": dt.date(2024, 9, 14)}
