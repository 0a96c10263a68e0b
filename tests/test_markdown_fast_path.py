"""The plain-text fast path of render_markdown gives exactly what Markdown + nh3 give."""
from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from newsgen.site.markdown import _full_html, plain_html, render_markdown

# News prose: French letters, punctuation, digits, spaces (plain and no-break) and line breaks,
# plus a few syntax characters so that both paths and the border between them are exercised.
PROSE = "abcdefghijklmnopqrstuvwxyzéèêàâçôûùïÉÀÇ" + "ABCXYZ0123456789" + " " * 8 + "\n\xa0"
PUNCTUATION = "«»’\"'.,;:?!()-–—…/%+="
RARE = "*_`[]<>&#|~\\\t"
prose = st.text(alphabet=st.sampled_from(PROSE + PUNCTUATION), max_size=120)
mixed = st.text(alphabet=st.sampled_from(PROSE + PUNCTUATION + RARE), max_size=120)


def check(text: str) -> bool:
    """Whether the fast path applied; when it did, its HTML must be the full path's."""
    fast = plain_html(text)
    if fast is not None:
        assert fast == _full_html(text), repr(text)
    assert str(render_markdown(text)) == (fast if fast is not None else _full_html(text))
    return fast is not None


@settings(max_examples=1500, deadline=None)
@given(prose)
@example("« Nous n’avons rien dit », a-t-il déclaré ; l’AFP (Paris) cite 3,5 %.")
@example("Le 1er janvier 2024.\nDeuxième ligne ! Et \"guillemets\" et 'apostrophes'.")
@example("prix\xa0: 12\xa0€")
def test_fast_path_matches_markdown_on_prose(text: str) -> None:
    check(text)


@settings(max_examples=500, deadline=None)
@given(mixed)
def test_fast_path_matches_markdown_with_syntax_around(text: str) -> None:
    check(text)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=60))
def test_fast_path_matches_markdown_on_any_text(text: str) -> None:
    check(text)


def test_fast_path_applies_to_plain_prose() -> None:
    assert plain_html("Il a dit « oui » à l’AFP.") == "<p>Il a dit « oui » à l’AFP.</p>"
    assert plain_html("12\xa0%\nsuite") == "<p>12&nbsp;%\nsuite</p>"
    assert plain_html('"Non", dit-il (lundi) !') == '<p>"Non", dit-il (lundi) !</p>'


def test_syntax_takes_the_full_path() -> None:
    for text in ["*gras*", "un_mot", "`code`", "[lien](http://x)", "<b>x</b>", "A & B", "# Titre",
                 "a|b", "- item", "+ item", "1. un", "ligne\n---", "ligne\n===", "    code",
                 "fin  \nligne", "a\n\nb", " espace", "espace ", "", "\\*", "a\tb"]:
        assert plain_html(text) is None, text
    assert str(render_markdown("*x* & <script>y</script>")) == "<p><em>x</em> &amp; </p>"
