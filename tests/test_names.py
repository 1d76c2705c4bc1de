"""Name keys: the same place under different spellings gets the same key."""

from __future__ import annotations

import pytest

from geodata.gazetteer.names import exact_key, has_facility_word, keys, loose_key, skeleton_key


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Ain Al Assad", "Ain al-Asad"),
        ("Erbil", "Irbil"),
        ("Arbil", "Erbil"),
        ("Al-Qa'im", "Al Qaim"),
        ("Qaim", "Kaim"),
    ],
)
def test_skeletons_meet(a: str, b: str) -> None:
    assert skeleton_key(a) == skeleton_key(b)


def test_exact_key_folds_case_accents_and_apostrophes() -> None:
    assert exact_key("  São  Paulo ") == "sao paulo"
    assert exact_key("Al Qā’im") == exact_key("al-qaim") == "al qaim"


def test_loose_key_drops_articles_and_generic_words() -> None:
    assert loose_key("Al Asad Airbase") == "asad"
    assert loose_key("Camp Taji") == "taji"
    assert loose_key("Anbar Governorate") == "anbar"
    assert loose_key("Base") == "base"  # nothing else left: keep it


def test_non_latin_names_keep_one_key() -> None:
    assert keys("الموصل") == ("الموصل",) * 3


def test_vowel_only_words_survive() -> None:
    assert skeleton_key("Ai") == "ai"


def test_facility_words() -> None:
    assert has_facility_word("Ain Al Assad base") and not has_facility_word("Erbil")
