"""The dashboard's escaping helpers, without a browser: JSON inside a script, Markdown, tooltips.

The browser tests show hostile text as text end to end; these pin each helper on its own, so a
weakened one is caught even where the browser's payloads happen not to reach it.
"""

from __future__ import annotations

import json
import re

import folium
from hypothesis import given
from hypothesis import strategies as st

from dashboard.details import md_escape
from dashboard.layers import EventLayer, json_for_script

HOSTILE = [
    '</script><script>alert("x")</script>',
    "<!-- <img src=x onerror=alert(1)> -->",
    "a & b \u2028 c \u2029 d",
    '`${alert("t")}` \\ $',
    "[click](https://example.org) [js](javascript:alert(1)) ![img](x)",
    "*em* _em_ **strong** `code` # heading\n- item\n> quote | table | ~~strike~~",
    "$x^2$ :red[alert] :smile: <b>bold</b> &amp; \"quoted\" 'single' a=b.",
]
_TEXT = st.text(alphabet=st.sampled_from(list("aZ 1\n\\`*_{}[]()#+-.!|<>~$:=&\"'\u2028\u2029é")), max_size=40)


@given(st.one_of(st.sampled_from(HOSTILE), _TEXT))
def test_json_for_a_script_holds_no_markup_and_reads_back(text: str) -> None:
    value = {"title": text, "items": [text, 1.5, None]}
    out = json_for_script(value)
    assert not set(out) & {"<", ">", "&", "\u2028", "\u2029"}, out
    assert json.loads(out) == value


# What Streamlit's Markdown gives meaning to: CommonMark's punctuation that starts a link, an
# emphasis, code, a heading, a list, a quote, a table or HTML; "$" (LaTeX) and ":" (emoji and
# colours) of its own. Written here, not taken from the module under test.
_MARKDOWN_SPECIAL = frozenset("\\`*_{}[]()#+-.!|<>~$:=&\"'")


def _read_escapes(text: str) -> tuple[str, set[str]]:
    """The text a Markdown reader sees in ``text``, and the special characters left bare."""
    seen, bare, i = [], set(), 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            seen.append(text[i + 1])
            i += 2
            continue
        if text[i] in _MARKDOWN_SPECIAL:
            bare.add(text[i])
        seen.append(text[i])
        i += 1
    return "".join(seen), bare


@given(st.one_of(st.sampled_from(HOSTILE), _TEXT))
def test_markdown_escape_leaves_no_special_character_bare(text: str) -> None:
    literal, bare = _read_escapes(md_escape(text))
    assert not bare, (text, md_escape(text))
    assert literal == text.replace("\n", " ")  # one line: no headings or lists from line starts
    assert "\n" not in md_escape(text)


def test_markdown_escape_of_nothing_is_empty() -> None:
    assert md_escape(None) == "" and md_escape(3) == "3"


def test_every_catalogue_field_in_a_tooltip_goes_through_esc() -> None:
    # Leaflet sets a tooltip's content as HTML, so each field it shows must be escaped first.
    fmap = folium.Map(tiles=None)
    group = folium.FeatureGroup().add_to(fmap)
    EventLayer([]).add_to(group)
    html = fmap.get_root().render()
    start = html.index("bindTooltip(")
    call = html[start : html.index(");", start)]
    fields = re.findall(r"\be\.\w+", call)
    assert {"e.title", "e.date", "e.place", "e.id"} <= set(fields), call
    assert not re.findall(r"(?<!esc\()\be\.\w+", call), call
