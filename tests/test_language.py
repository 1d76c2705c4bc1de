"""Reports in French, Arabic, Russian and Ukrainian: language, place names, dates, drafts."""

from __future__ import annotations

import datetime as dt

import pytest

from geodata.extract.geoparse import Geoparser
from geodata.extract.language import arabic_forms, cyrillic_forms, foreign_dates, language_of, latin, skeleton
from geodata.extract.pipeline import default_parser, extract_article

D = dt.date


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Two rockets hit the base on Wednesday, the coalition said.", "en"),
        ("Deux roquettes ont frappé la base mercredi, a indiqué la coalition.", "fr"),
        ("Две ракеты попали в базу в среду, сообщила коалиция.", "ru"),
        ("Дві ракети влучили в базу в середу, повідомила коаліція.", "uk"),
        ("سقط صاروخان على القاعدة يوم الأربعاء، حسبما أفاد التحالف.", "ar"),
    ],
)
def test_the_language_of_a_report(text: str, language: str) -> None:
    assert language_of(text) == language


def test_inflected_names_have_their_dictionary_forms() -> None:
    assert "Краматорск" in cyrillic_forms("Краматорске")
    assert "Одесса" in cyrillic_forms("Одессе")
    assert "Сирия" in cyrillic_forms("Сирии")
    assert "الموصل" in arabic_forms("وبالموصل")
    assert "بغداد" in arabic_forms("وبغداد")


@pytest.fixture(scope="module")
def parser() -> Geoparser:
    return default_parser()


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (
            "Ракеты попали в лагерь к северу от Багдада, сообщили в Ираке.",
            [("Багдада", "Baghdad"), ("Ираке", "Iraq")],
        ),
        (
            "Ракети влучили в Краматорськ, повідомили в Україні.",
            [("Краматорськ", "Kramatorsk"), ("Україні", "Ukraine")],
        ),
        (
            "سقطت صواريخ على معسكر شمال بغداد في العراق وبالموصل.",
            [("بغداد", "Baghdad"), ("العراق", "Iraq"), ("وبالموصل", "Mosul")],
        ),
        (
            "Des roquettes ont frappé le camp de Taji, au nord de Bagdad, en Irak.",
            [("camp de Taji", "Camp Taji"), ("Bagdad", "Baghdad"), ("Irak", "Iraq")],
        ),
    ],
)
def test_place_names_in_other_languages_resolve(
    parser: Geoparser, text: str, found: list[tuple[str, str]]
) -> None:
    assert [(t.name, t.entry.name if t.entry else None) for t in parser.parse(text)] == found


def test_a_common_arabic_noun_that_is_a_town_elsewhere_is_no_place(parser: Geoparser) -> None:
    assert parser.parse("وصل الجنود إلى معسكر جديد.") == []  # "camp", not Mascara in Algeria


@pytest.mark.parametrize(
    ("text", "language", "first", "precision"),
    [
        ("Ракеты упали 27 декабря.", "ru", D(2019, 12, 27), "day"),
        ("Ракеты упали в среду.", "ru", D(2020, 3, 11), "day"),
        ("Les roquettes sont tombées mercredi.", "fr", D(2020, 3, 11), "day"),
        ("سقطت الصواريخ مساء الأربعاء.", "ar", D(2020, 3, 11), "day"),
        ("Ракети впали в четвер.", "uk", D(2020, 3, 12), "day"),  # publication's own weekday
    ],
)
def test_dates_in_words_of_other_languages(text: str, language: str, first: dt.date, precision: str) -> None:
    dates = foreign_dates(text, D(2020, 3, 12), language)
    assert [(d.first, d.precision) for d in dates] == [(first, precision)]
    assert text[dates[0].start : dates[0].end] == dates[0].text


def test_no_date_after_publication_and_no_bare_numbers() -> None:
    assert foreign_dates("Запущено 18 ракет калибра 107 мм.", D(2020, 3, 12), "ru") == []


@pytest.mark.parametrize(
    ("text", "published", "day", "place"),
    [
        (
            "BAGDAD, 12 mars (Levant Wire) - Deux Américains et un militaire britannique ont été tués "
            "lorsqu'une salve de roquettes s'est abattue mercredi soir sur le camp de Taji, au nord de "
            "Bagdad, a indiqué la coalition.",
            D(2020, 3, 12),
            D(2020, 3, 11),
            "camp de Taji",
        ),
        (
            "БАГДАД, 12 марта (Levant Wire) - Двое американцев и британский военнослужащий погибли в "
            "среду вечером, когда ракеты попали в базу к северу от Багдада, сообщила коалиция.",
            D(2020, 3, 12),
            D(2020, 3, 11),
            "Багдада",
        ),
        (
            "КРАМАТОРСЬК, 8 квітня (Levant Wire) - Ракетний удар по залізничному вокзалу Краматорська в "
            "п'ятницю вбив щонайменше 50 людей, повідомили українські посадовці.",
            D(2022, 4, 8),
            D(2022, 4, 8),
            "Краматорська",
        ),
        (
            "بغداد، 12 مارس (Levant Wire) - قُتل أمريكيان وجندي بريطاني مساء الأربعاء عندما سقطت "
            "رشقة من الصواريخ على قاعدة شمال بغداد، حسبما أفاد التحالف.",
            D(2020, 3, 12),
            D(2020, 3, 11),
            "بغداد",
        ),
    ],
)
def test_an_attack_reported_in_another_language_is_drafted(
    text: str, published: dt.date, day: dt.date, place: str
) -> None:
    drafts = extract_article(text, published=published)
    assert [(d.event.type, d.event.date.start, d.event.place.name) for d in drafts] == [
        ("attack", day, place)
    ]
    assert "Levant Wire" not in drafts[0].event.actors  # the dateline's agency is no actor


def test_names_from_other_scripts_in_latin_letters_and_their_consonants() -> None:
    assert [latin(n) for n in ("Таджи", "Таджі", "تاجي")] == ["Taji", "Taji", "Taji"]
    assert skeleton("Qayyarah") == skeleton(latin("Кайяра")) == skeleton(latin("قيارة")) == "kyr"


Q_WEST = "Qayyarah Airfield West"


@pytest.mark.parametrize(
    ("text", "name", "site"),
    [
        ("Ракеты попали в лагерь Таджи к северу от Багдада.", "лагерь Таджи", "Camp Taji"),
        ("Ракети влучили в табір Таджі на північ від Багдада.", "табір Таджі", "Camp Taji"),
        ("سقطت صواريخ على معسكر التاجي شمال بغداد.", "معسكر التاجي", "Camp Taji"),
        ("Коаліція передала свою частину аеродрому Кайяра-Вест.", "аеродрому Кайяра-Вест", Q_WEST),
        ("سلّم التحالف الجزء التابع له من مطار القيارة الغربي.", "مطار القيارة", Q_WEST),
        (
            "La coalition a remis l'aérodrome de Qayyarah Ouest aux forces.",
            "aérodrome de Qayyarah Ouest",
            Q_WEST,
        ),
    ],
)
def test_bases_named_in_other_languages_are_the_gazetteers_sites(
    parser: Geoparser, text: str, name: str, site: str
) -> None:
    found = {t.name: t.entry.name if t.entry else None for t in parser.parse(text)}
    assert found.get(name) == site, found
