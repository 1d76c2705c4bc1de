"""Which language a report is in, and its place names where English capitals do not show them.

Reports in English, French, Arabic, Russian and Ukrainian are drafted. The language is told by
script and a few of its most common words: five languages in different scripts or with very
different function words need no statistical model (and a language-identification package
would bring a model file for a hundred languages the drafting cannot read anyway).

Names in Arabic script have no capitals and take prefixes ("بالموصل", in Mosul; "وبغداد",
and Baghdad); Russian and Ukrainian names take case endings ("в Краматорске", "у
Краматорську"). :class:`ForeignNames` finds such names by trying the forms a name can have
against the gazetteer's names (GeoNames' alternate names, CLDR's country names).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Iterator
from functools import lru_cache

from geodata.extract.dates import DateMention

LANGUAGES = ("en", "fr", "ar", "ru", "uk")
_ARABIC = re.compile(r"[\u0600-\u06FF]")
_NOT_LETTERS = re.compile(r"[\W\d_]+")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_UKRAINIAN = re.compile(r"[іїєґІЇЄҐ]")
_RUSSIAN = re.compile(r"[ыэъёЫЭЪЁ]")
_FRENCH_WORDS = re.compile(
    r"\b(?:le|la|les|des|du|une|un|est|à|au|aux|été|qui|dans|sur|par|avec|ont|et|en|selon)\b", re.I
)
_ENGLISH_WORDS = re.compile(r"\b(?:the|of|and|to|in|was|were|is|that|with|on|by|said)\b", re.I)


def language_of(text: str) -> str:
    """The language of ``text``: one of :data:`LANGUAGES` (English when unsure)."""
    sample = text[:5_000]
    letters = len(_NOT_LETTERS.sub("", sample)) or 1
    if len(_ARABIC.findall(sample)) > letters / 3:
        return "ar"
    if len(_CYRILLIC.findall(sample)) > letters / 3:
        return "uk" if len(_UKRAINIAN.findall(sample)) > len(_RUSSIAN.findall(sample)) else "ru"
    french = len(_FRENCH_WORDS.findall(sample))
    if french >= 2 and french > 2 * len(_ENGLISH_WORDS.findall(sample)):
        return "fr"
    return "en"


_CYRILLIC_WORD = re.compile(r"[А-ЯЁІЇЄҐ][а-яёіїєґʼ’'-]*[а-яёіїєґ]|[А-ЯЁІЇЄҐ]{2,}")
_CYRILLIC_NEXT = re.compile(r"[ \t]+([А-ЯЁІЇЄҐа-яёіїєґ][а-яёіїєґʼ’'-]*[а-яёіїєґ])")
_ARABIC_WORD = re.compile(r"[\u0621-\u064A\u0671-\u06D3]+")
_ARABIC_NEXT = re.compile(r"[ \t]+([\u0621-\u064A\u0671-\u06D3]+)")
#: Arabic common nouns that are also the names of towns elsewhere ("معسكر", camp, is Mascara in
#: Algeria): never a place alone.
_ARABIC_COMMON = frozenset(
    """معسكر قاعدة مدينة محافظة منطقة قرية ولاية جنوب شمال شرق غرب وسط أنه بأنه إنه أنها بأنها إنها
    أن إن التي الذي الذين على في من إلى عن مع بعد قبل كما لكن حيث منذ خلال بين عند ثم هذا هذه
    الأحد الاثنين الثلاثاء الأربعاء الخميس الجمعة السبت يناير فبراير مارس أبريل مايو يونيو يوليو
    أغسطس سبتمبر أكتوبر نوفمبر ديسمبر كانون شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين كورونا""".split()
)
#: Case endings of Russian and Ukrainian nouns, longest first; a stem may need a nominative
#: ending back ("Одессе" is "Одесса", "Сирии" "Сирия").
_ENDINGS = ("ами", "ями", "ого", "ому", "ах", "ях", "ом", "ем", "ой", "ей", "ою", "ею", "ії", "ію", "ої",
            "е", "у", "ю", "а", "я", "ы", "и", "і", "ї")  # fmt: skip
_NOMINATIVE = ("", "а", "я", "ь", "ия", "ія", "й")
#: Arabic prefixes: and, then in/with, for, as; before a name that may have its article.
_CONJUNCTIONS = ("و", "ف")
_PREPOSITIONS = ("ب", "ل", "ك")
MAX_WORDS = 3


def cyrillic_forms(name: str) -> Iterator[str]:
    """The nominative forms a Russian or Ukrainian name may be written in ``name`` as: itself,
    and its last word without a case ending and with each nominative ending."""
    yield name
    head, _, last = name.rpartition(" ")
    for ending in _ENDINGS:
        if last.endswith(ending) and len(last) - len(ending) >= 3:
            stem = last[: -len(ending)]
            for nominative in _NOMINATIVE:
                yield f"{head} {stem}{nominative}".strip()


def arabic_forms(name: str) -> Iterator[str]:
    """``name`` without the prefixes Arabic joins to a word ("وبالموصل" is "الموصل")."""
    yield name
    rest = name
    if rest[:1] in _CONJUNCTIONS and len(rest) > 4:
        rest = rest[1:]
        yield rest
    if rest[:1] in _PREPOSITIONS and len(rest) > 4:
        rest = rest[1:]
        yield rest
        if rest.startswith("ل") and not rest.startswith("ال"):  # "لل" is "ل" + "ال"
            yield "ا" + rest


#: A facility named the French way round ("camp de Taji", "base aérienne d'Aïn al-Asad"), and the
#: English word a gazetteer's site name uses for it ("Taji camp", "Camp Taji").
_FRENCH_FACILITY = re.compile(
    r"\b(?P<kind>camp|base aérienne|base|aéroport|aérodrome)\s+(?:de\s+|d['’]|du\s+)"
    r"(?P<name>(?-i:[A-ZÀ-Ý][\w'’-]+(?:\s+(?:al-|el-)?[A-ZÀ-Ý][\w'’-]+){0,2}))",
    re.IGNORECASE,
)
_FACILITY_WORDS = {"camp": "camp", "base aérienne": "air base", "base": "base", "aéroport": "airport",
                   "aérodrome": "airfield"}  # fmt: skip


#: Compass words in French names, as English gazetteer names have them ("Qayyarah Ouest").
_COMPASS_WORDS = {"ouest": "West", "est": "East", "nord": "North", "sud": "South"}
_COMPASS = re.compile(r"(?<=\s)(?:Ouest|Est|Nord|Sud)\b")


def french_facilities(text: str, known: Callable[[str, bool], bool]) -> list[tuple[int, int, str]]:
    """``(start, end, name)`` of facilities named the French way round, where the gazetteer
    knows the name with the English word after or before it."""
    out = []
    for m in _FRENCH_FACILITY.finditer(text):
        word = _FACILITY_WORDS[m.group("kind").lower()]
        name = _COMPASS.sub(lambda c: _COMPASS_WORDS[c.group().lower()], m.group("name"))
        for form in (f"{name} {word}", f"{word.title()} {name}"):
            if known(form, False):
                out.append((m.start(), m.end(), form))
                break
    return out


#: Kind words of facilities in Russian, Ukrainian and Arabic (any case ending), in English.
_FACILITY_KINDS = {
    **dict.fromkeys(("лагерь", "лагеря", "лагере", "лагерю", "табір", "табору", "таборі"), "camp"),
    **dict.fromkeys(("база", "базы", "базе", "базу", "бази", "базі"), "base"),
    **dict.fromkeys(
        ("авиабаза", "авиабазы", "авиабазе", "авиабазу", "авіабаза", "авіабази", "авіабазі"), "air base"
    ),
    **dict.fromkeys(("аэродром", "аэродрома", "аэродроме", "аеродром", "аеродрому", "аеродромі"), "airfield"),
    "معسكر": "camp",
    "قاعدة": "base",
    "مطار": "airport",
}
_FACILITY = re.compile(
    r"(?<!\w)(?P<kind>" + "|".join(sorted(_FACILITY_KINDS, key=len, reverse=True)) + r")\s+"
    r"(?P<name>[А-ЯЁІЇЄҐ][а-яёіїєґʼ’'-]+|[\u0621-\u064A]+)",
    re.IGNORECASE,
)
#: Letters in the Latin spelling news in English gives names from Russian, Ukrainian and Arabic
#: ("Таджи", "التاجي": Taji). Short vowels Arabic does not write stay unwritten.
_LATIN = {
    **dict(zip("абвгдезийклмнопрстуфыэіґ", "abvgdeziyklmnoprstufyeig", strict=True)),
    "ё": "yo", "ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ь": "",
    "ю": "yu", "я": "ya", "ї": "yi", "є": "ye", "'": "", "ʼ": "", "’": "",
    **dict(zip("ابتجحدرزسصضطظفقكلمنهوىأإآ", "abtjhdrzssdtzfqklmnhwaaia", strict=True)),
    "ث": "th", "خ": "kh", "ذ": "dh", "ش": "sh", "غ": "gh", "ع": "", "ء": "", "ئ": "", "ؤ": "", "ة": "a",
    "ي": "y",
}  # fmt: skip


def skeleton(word: str) -> str:
    """A name's consonants, as spellings from other scripts share them: q as k, no vowels, no
    final h, no doubled letters ("Qayyarah", "Kayyara", "Qyara": kyr)."""
    plain = word.lower().replace("q", "k").removesuffix("h")
    consonants = re.sub(r"[aeiou'’-]", "", plain)
    return re.sub(r"(.)\1+", r"\1", consonants)


def latin(name: str) -> str:
    """``name`` in Latin letters, as English news spells names from Russian, Ukrainian or
    Arabic: "дж" is j, a final "и"/"ي" is i ("Таджи", "تاجي": Taji)."""
    lowered = name.lower().replace("дж", "j")
    letters = "".join(_LATIN.get(c, c) for c in lowered)
    if lowered.endswith(("и", "і", "ي")):
        letters = letters[:-1] + "i"
    return letters[:1].upper() + letters[1:]


class ForeignNames:
    """Place names in Arabic or Cyrillic script, found by ``known`` (whether a name, alone if
    ``single``, is one recognition takes): the longest run of up to :data:`MAX_WORDS` words
    that is a known name in one of its forms wins."""

    def __init__(
        self, known: Callable[[str, bool], bool], sites: Callable[[], dict[str, list[str]]] | None = None
    ) -> None:
        self._known = known
        self._sites = sites  # site names by the skeleton of their first word (see skeleton())
        self._base = lru_cache(maxsize=65_536)(self._uncached_base)

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """``(start, end, name)`` of each place name: the span as written and the form the
        gazetteer knows."""
        out: list[tuple[int, int, str]] = []
        for word, following in ((_CYRILLIC_WORD, _CYRILLIC_NEXT), (_ARABIC_WORD, _ARABIC_NEXT)):
            position = 0
            while (m := word.search(text, position)) is not None:
                ends = [m.end()]
                while len(ends) < MAX_WORDS and (n := following.match(text, ends[-1])) is not None:
                    ends.append(n.end())
                for end in reversed(ends):
                    base = self._base(text[m.start() : end], end == ends[0])
                    if base is not None:
                        out.append((m.start(), end, base))
                        position = end
                        break
                else:
                    position = m.end()
        return sorted(out)

    def _uncached_base(self, written: str, single: bool) -> str | None:
        arabic = bool(_ARABIC.match(written))
        forms = list(arabic_forms(written) if arabic else cyrillic_forms(written))
        if single and any(form in _ARABIC_COMMON for form in forms):
            return None
        return next((form for form in forms if self._known(form, single)), None)

    def facilities(self, text: str) -> list[tuple[int, int, str]]:
        """``(start, end, name)`` of facilities named in Cyrillic or Arabic by a kind word and a
        name ("лагерь Таджи", "معسكر التاجي"), where the gazetteer knows the name in Latin
        letters (:func:`latin`) with the English kind word ("Taji camp", "Camp Taji")."""
        out = []
        for m in _FACILITY.finditer(text):
            kind = _FACILITY_KINDS[m.group("kind").lower()]
            name = latin(re.sub(r"^ال", "", m.group("name")))
            forms = [f"{name} {kind}", f"{kind.title()} {name}"]
            # Spelt another way in English ("Кайяра", "القيارة": Qayyarah): the one site whose
            # name's first word has the same consonants.
            alike = self._sites().get(skeleton(name.split("-")[0]), []) if self._sites else []
            forms += alike[:1] if len(alike) == 1 else []
            found = next((form for form in forms if self._known(form, False)), None)
            if found is not None:
                out.append((m.start(), m.end(), found))
        return out


def foreign_dates(text: str, published: dt.date, language: str) -> list[DateMention]:
    """Date expressions of a text in ``language`` other than English, by dateparser (its search
    over the text, then each expression parsed alone for how precise it is), resolved against
    the publication day; none after it. Expressions without a letter (bare numbers) are not
    taken: they are calibres, counts and times far more often than dates."""
    from dateparser.date import DateDataParser
    from dateparser.search import search_dates

    settings = {"RELATIVE_BASE": dt.datetime.combine(published, dt.time()), "PREFER_DATES_FROM": "past"}
    try:
        found = search_dates(text, languages=[language], settings=settings) or []
    except (ValueError, OverflowError, RecursionError):
        return []
    parser = DateDataParser(languages=[language], settings=settings)
    out = _relative_dates(text, published)
    taken = [(d.start, d.end) for d in out]
    position = 0
    for written, _ in found:
        start = text.find(written, position)
        if start < 0 or not any(c.isalpha() for c in written):
            continue
        position = start + len(written)
        if any(s < position and start < e for s, e in taken):
            continue
        data = parser.get_date_data(written)
        if data.date_obj is None:
            continue
        first = data.date_obj.date()
        if data.period == "day" and (published - first).days == 7 and not any(c.isdigit() for c in written):
            first = published  # a weekday is the last one on or before publication: its own day too
        span = _PERIODS.get(data.period or "day")
        if span is None or first > published:
            continue
        precision, last = span(first)
        out.append(DateMention(start, position, written, first, min(last, published), precision, 0.7))
    return sorted(out, key=lambda d: d.start)


#: Relative dates in French, Russian, Ukrainian and Arabic, as the English rules' kinds (which
#: resolve them: "last week" is the Monday-to-Sunday week before the publication's).
_RELATIVE = {
    "last_week": r"la semaine (?:dernière|passée)|на прошлой неделе|минулого тижня|на минулому тижні|"
    r"الأسبوع الماضي",
    "this_week": r"cette semaine|на этой неделе|цього тижня|на цьому тижні|هذا الأسبوع",
    "yesterday": r"hier|вчера|вчора|أمس",
    "today": r"aujourd'hui|сегодня|сьогодні|اليوم",
    "last_month": r"le mois dernier|в прошлом месяце|минулого місяця|الشهر الماضي",
    "last_year": r"l'année dernière|l'an dernier|в прошлом году|минулого року|العام الماضي",
}
_RELATIVE_PATTERN = re.compile(
    "|".join(rf"(?P<{kind}>(?<!\w)(?:{words})(?!\w))" for kind, words in _RELATIVE.items()), re.IGNORECASE
)


def _relative_dates(text: str, published: dt.date) -> list[DateMention]:
    from geodata.extract.dates import resolve

    out = []
    for m in _RELATIVE_PATTERN.finditer(text):
        kind = m.lastgroup or ""
        resolved = resolve(kind, {}, published)
        if resolved is not None:
            first, last, precision, confidence = resolved
            out.append(
                DateMention(m.start(), m.end(), m.group(), first, min(last, published), precision, confidence)
            )
    return out


_PERIODS: dict[str, Callable[[dt.date], tuple[str, dt.date]]] = {
    "day": lambda d: ("day", d),
    "week": lambda d: ("week", d + dt.timedelta(days=6)),
    "month": lambda d: ("month", d.replace(day=calendar.monthrange(d.year, d.month)[1])),
    "year": lambda d: ("year", d.replace(month=12, day=31)),
}
