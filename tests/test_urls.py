"""Relative links: the fast path must agree with posixpath.relpath on every site path."""
from __future__ import annotations

import posixpath

from hypothesis import given
from hypothesis import strategies as st

from newsgen.site.urls import relurl

segment = st.sampled_from(["people", "x", "articles", "foo", "index.html", "page", "2", "feed.xml", "é-ü"])
site_path = st.lists(segment, min_size=1, max_size=5).map("/".join)


@given(site_path, site_path)
def test_relative_link_is_relpath_from_the_pages_folder(target: str, page: str) -> None:
    expected = posixpath.relpath(target, posixpath.dirname(page) or ".")
    assert relurl(target, page) == expected


def test_links_between_folder_pages() -> None:
    assert relurl("articles/foo/", "people/x/index.html") == "../../articles/foo/index.html"
    assert relurl("people/", "people/x/index.html") == "../index.html"
    assert relurl("", "index.html") == "index.html"
    assert relurl("people/x/#claim-2", "people/x/index.html") == "#claim-2"
    assert relurl("https://example.org/a", "people/x/index.html") == "https://example.org/a"
