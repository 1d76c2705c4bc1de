"""YAML reading: YAML 1.2 booleans, line numbers, duplicates, anchors, hostile input."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.hostile_yaml import alias_bomb, front_matter_bomb
from geodata.errors import GeodataError
from geodata.extract.article import parse_article
from geodata.io.yamlio import LineDict, LineList, decode_text, dump_yaml, load_yaml, short_repr


def test_values_and_lines() -> None:
    data, problems = load_yaml("- id: a\n  n: 3\n  f: 1.5\n  d: 2020-03-30\n  no: NO\n  x: ~\n", path=None)
    assert problems == []
    item = data[0]
    assert isinstance(item, LineDict)
    assert item == {"id": "a", "n": 3, "f": 1.5, "d": dt.date(2020, 3, 30), "no": "NO", "x": None}
    assert item.lines == {"id": 1, "n": 2, "f": 3, "d": 4, "no": 5, "x": 6}


def test_yes_no_on_off_stay_text() -> None:
    data, _ = load_yaml("[yes, no, on, off, true, false]", path=None)
    assert data == ["yes", "no", "on", "off", True, False]


def test_impossible_date_stays_text() -> None:
    data, _ = load_yaml("d: 2020-02-30", path=None)
    assert data == {"d": "2020-02-30"}


def test_duplicate_keys_are_problems() -> None:
    _, problems = load_yaml("a: 1\nb: 2\na: 3\n", path="x.yaml")
    assert [(p.line, "duplicate key 'a'" in p.message) for p in problems] == [(3, True)]


def test_syntax_error_has_line_and_column() -> None:
    data, problems = load_yaml("a: [1, 2\nb: 3\n", path="x.yaml")
    assert data is None
    assert problems[0].line == 2 and problems[0].column is not None
    assert problems[0].format().startswith("x.yaml:2:")


def test_deep_nesting_is_refused_without_crashing() -> None:
    data, problems = load_yaml("[" * 200_000 + "]" * 200_000, path=None)
    assert data is None and "nested deeper" in problems[0].message


def test_not_utf8_names_the_line() -> None:
    text, problems = decode_text(b"ok\nstill ok\n\xff bad\n", path="x.yaml")
    assert text is None and problems[0].line == 3


def test_bom_is_accepted() -> None:
    text, problems = decode_text("\ufeffa: 1".encode(), path=None)
    assert (text, problems) == ("a: 1", [])


def test_dump_round_trips() -> None:
    data = [{"id": "a", "date": dt.date(2020, 3, 30), "text": "two\nlines", "country": "NO"}]
    loaded, problems = load_yaml(dump_yaml(data), path=None)
    assert problems == [] and loaded == data


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(exclude_categories=()), max_size=300))  # surrogates too
def test_any_text_gives_data_or_problems_never_an_exception(text: str) -> None:
    data, problems = load_yaml(text, path=None)
    assert data is None or not problems or all(p.message for p in problems)


# --- hostile input: alias amplification, huge numbers, control characters ---------------------


def test_alias_bomb_is_refused_at_the_alias_that_passes_the_budget() -> None:
    # 10**10 values in 558 bytes; the eighth *a4 on line 7 takes it past a million
    _, problems = load_yaml(alias_bomb(), path="bomb.yaml")
    assert [(p.line, p.column) for p in problems] == [(7, 43)]
    assert "alias *a4 stands for 111,111 values" in problems[0].message
    assert problems[0].format().startswith("bomb.yaml:7:43: YAML error:")


def test_alias_bomb_in_front_matter_is_refused() -> None:
    # the alias is on the article's line 7 (the front matter starts after the opening ---)
    with pytest.raises(GeodataError, match=r"article\.md:7:45: YAML error: alias \*a4 stands for"):
        parse_article(front_matter_bomb(levels=6), name="article.md")


def test_aliases_within_the_budget_are_shared_not_copied() -> None:
    text = "s: &s {publisher: P}\nrefs: [" + ", ".join(["*s"] * 5_000) + "]\n"
    data, problems = load_yaml(text, path=None)
    assert problems == []
    assert len(data["refs"]) == 5_000 and data["refs"][-1] is data["s"]


def test_a_small_file_may_repeat_up_to_the_floor() -> None:
    # 123,459 values expanded from 57 written: under EXPANSION_FLOOR, so accepted
    data, problems = load_yaml(alias_bomb(levels=5, width=10, key="k"), path=None)
    assert problems == [] and len(data["k"]) == 5


def test_the_budget_grows_with_the_document() -> None:
    # 1.4 million values: with 16 written around each alias of 81 it is accepted, alone it is not
    shared = "s: &s {" + ", ".join(f"k{i}: {i}" for i in range(40)) + "}\n"
    ordinary = shared + "".join(
        f"k{i}: {{x: *s, y: 1, z: 2, w: 3, v: 4, u: 5, t: 6}}\n" for i in range(15_000)
    )
    assert load_yaml(ordinary, path=None)[1] == []
    packed = shared + "l: [" + ", ".join(["*s"] * 15_000) + "]\n"
    _, problems = load_yaml(packed, path=None)
    assert [p.line for p in problems] == [2] and "alias *s stands for 81 values" in problems[0].message


def test_an_alias_inside_its_own_anchor_is_refused() -> None:
    _, problems = load_yaml("- &e\n  id: x\n  again: *e\n", path=None)
    assert [(p.line, p.column) for p in problems] == [(3, 10)]
    assert "alias *e is inside the value it names" in problems[0].message


def test_short_repr_looks_at_a_few_items_only() -> None:
    looked = []

    class Leaf:
        def __repr__(self) -> str:
            looked.append(1)
            return "leaf"

    value = LineList([Leaf()] * 10)
    for _ in range(8):
        value = LineList([LineDict({"k": value, "j": value})] * 10)  # 20**8 leaves if expanded
    text = short_repr(value)
    assert len(text) <= 80 and text.startswith("[{")
    assert len(looked) == 0  # the leaves lie deeper than it looks


def test_short_repr_of_a_number_too_long_to_print() -> None:
    assert short_repr(10**5000) == "<an integer of about 5,000 digits>"


def test_integer_of_5000_digits_is_a_problem_with_line_and_column() -> None:
    _, problems = load_yaml("a: 1\nb: " + "7" * 5_000 + "\n", path="x.yaml")
    assert [(p.line, p.column) for p in problems] == [(2, 4)]
    assert "a number of 5,000 digits" in problems[0].message and "quote it" in problems[0].message


def test_mantissa_without_digits_stays_text() -> None:
    data, problems = load_yaml("[.e5, -.E1, 1.e2, ._5]", path=None)
    assert problems == [] and data == [".e5", "-.E1", 100.0, 0.5]


@pytest.mark.parametrize(
    ("text", "line", "column", "code"),
    [
        ("a: b\x00c", 1, 5, "U+0000"),
        ("a: 1\nb: x\x07y\n", 2, 5, "U+0007"),
        ("a: 1\r\nb: 2\r\nc: é\x1b\n", 3, 5, "U+001B"),
        ("a: 1\n# \ufffe\n", 2, 3, "U+FFFE, not a character"),
        ("a: 1\nb: x\ud800\n", 2, 5, "U+D800, a lone surrogate"),
    ],
)
def test_control_character_names_line_and_column(text: str, line: int, column: int, code: str) -> None:
    _, problems = load_yaml(text, path="x.yaml")
    assert [(p.line, p.column) for p in problems] == [(line, column)]
    assert code in problems[0].message and "remove it" in problems[0].message


# --- writing: every string reads back as it was ----------------------------------------------

AWKWARD = [
    "a\x85b",
    "a\u2028b",
    "para\u2029graph",
    "cr\ronly",
    "crlf\r\nend",
    "trailing \nspaces  \n",
    "\n",
    "  leading\nindent",
    "tab\there",
    "\ufeffbom",
    "nul\x00",
    "1e5",
    "1_000",
    ".e5",
    "2020-1-5",
    "NULL",
    "7" * 5_000,
    "end\n\n\n",
    "- item",
    "x\x85",
    "\x85",
]


@pytest.mark.parametrize("text", AWKWARD, ids=[repr(t[:16]) for t in AWKWARD])
def test_awkward_strings_round_trip(text: str) -> None:
    for data in ([text], {text: text}, text):
        loaded, problems = load_yaml(dump_yaml(data), path=None)
        assert problems == [] and loaded == data


_ANY_CHAR = st.one_of(
    st.characters(codec="utf-8"), st.sampled_from("\x85\u2028\u2029\r\n\t \ufeff\x00\x7f#:-")
)


@settings(max_examples=400, deadline=None)
@given(st.text(_ANY_CHAR, max_size=60))
def test_any_string_round_trips(text: str) -> None:
    loaded, problems = load_yaml(dump_yaml([{"k": text, text: [text]}]), path=None)
    assert problems == [] and loaded == [{"k": text, text: [text]}]
