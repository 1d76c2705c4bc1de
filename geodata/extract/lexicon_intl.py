"""The drafting words in French, Russian, Ukrainian and Arabic, joined to the English ones of
:mod:`geodata.extract.lexicon` (each fragment is an alternation, searched case-insensitively).

Words of these languages do not occur in English prose, so one lexicon serves every report; a
French word that is also English ("missiles", "bases") is in the English lists already. Russian
and Ukrainian words are stems (case and gender endings vary); an Arabic word may carry a joined
conjunction, preposition or article ("والصواريخ", and the rockets), which :data:`AR` allows.
Written for this project from the languages' ordinary news vocabulary.
"""

from __future__ import annotations

#: What may be joined to the front of an Arabic word: and/so, then in/for/as, then the article.
AR = r"(?:[وف])?(?:[بلك])?(?:ال)?"


def _ar(*words: str) -> str:
    """Arabic words with their joined prefixes, and any short-vowel or shadda marks written on
    their letters ("سلّم" is "سلم")."""
    return "|".join(AR + "".join(c + _MARKS for c in w) for w in words)


_MARKS = "[\u064b-\u0652]*"


WEAPON = "|".join(
    [
        r"roquettes?|obus|bombes?|mortiers?|projectiles?",
        r"ракет\w*|снаряд\w*|беспилотник\w*|безпілотник\w*|дрон\w*|бомб\w*|мін[аи]|мин[аы]|катюш\w*",
        _ar("صاروخ", "صواريخ", "قذائف", "قذيفة", "مسيرة", "مسيّرة", "مسيرات", "قنابل", "كاتيوشا"),
    ]
)
IMPACT = "|".join(
    [
        r"frapp\w+|tomb[ée]\w*|abattu\w*|visé\w*|pilonn\w+|explos[ée]\w*|atteint\w*|tiré\w*|lancé\w*",
        r"попал\w*|попада\w*|поразил\w*|упал\w*|разорвал\w*|выпущен\w*|запущен\w*|ударил\w*",
        r"влучил\w*|влучан\w*|поцілил\w*|впал\w*|випущен\w*|запущен\w*|вдарил\w*",
        _ar(
            "سقط",
            "سقطت",
            "أصاب",
            "أصابت",
            "ضرب",
            "ضربت",
            "استهدف",
            "استهدفت",
            "أطلق",
            "أطلقت",
            "انفجر",
            "قصف",
        ),
    ]
)
#: Verbs and participles of an attack's harm: "killed", "wounded", "shelled".
HARM = "|".join(
    [
        r"tués?|tuées?|blessés?|blessées?|bombardé\w*|attaqué\w*|pilonné\w*",
        r"погиб\w*|убит\w*|ранен\w*|атакован\w*|обстрелян\w*|обстрел\w*",
        r"загину\w*|загибел\w*|вбит\w*|убит\w*|поранен\w*|атакован\w*|обстріл\w*",
        _ar("قتل", "قُتل", "مقتل", "أصيب", "أصيبوا", "جرح", "هاجم", "هاجمت"),
    ]
)
#: Nouns that are an attack: "attack", "strike", "shelling".
ATTACK_NOUNS = "|".join(
    [
        r"attaques?|frappes?|bombardements?|salves?|embuscades?|tirs?",
        r"атак\w*|удар\w*|нападени\w*|бомбардировк\w*|залп\w*",
        r"напад\w*|бомбардуван\w*",
        _ar("هجوم", "هجمات", "الهجوم", "غارة", "غارات", "ضربة", "ضربات", "قصف"),
    ]
)
AIR_DEFENCE = "|".join(
    [
        r"défenses? (?:anti-?)?aériennes?|défense antiaérienne|batteries? patriot",
        r"ПВО|противовоздушн\w*|зенитн\w*|ППО|протиповітрян\w*|зенітн\w*|п[эа]триот\w*",
        _ar("باتريوت", "دفاع الجوي", "دفاعات جوية", "الدفاعات الجوية", "منظومة الدفاع"),
    ]
)
DEPLOY = "|".join(
    [
        r"déploy\w*|déploi\w*|livr[ée]\w*|installé\w*|achemin\w*|envoy[ée]\w*|assembl[ée]\w*",
        r"развёрнут\w*|развернут\w*|размещ\w*|доставлен\w*|установлен\w*|прибыл\w*|переброшен\w*",
        r"розгорнут\w*|розміщ\w*|доставлен\w*|встановлен\w*|прибул\w*|перекинут\w*",
        _ar("نشر", "نُشرت", "وصلت", "وصل", "تسليم", "نصب", "تركيب"),
    ]
)
BASE = "|".join(
    [
        r"aérodromes?",
        r"баз\w*|лагер\w*|аэродром\w*|табор\w*|аеродром\w*",
        _ar("قاعدة", "قواعد", "معسكر", "مطار"),
    ]
)
TROOPS = "|".join(
    [
        r"troupes|soldats|militaires|instructeurs|formateurs",
        r"войск\w*|военнослужащ\w*|солдат\w*|военн\w*|контингент\w*|инструктор\w*",
        r"військ\w*|військовослужбовц\w*|інструктор\w*",
        _ar("قوات", "جنود", "عسكريين", "مدربين"),
    ]
)
MOVE = "|".join(
    [
        r"retiré\w*|retirer|retirent|retirai\w*|retirera\w*|se retire\w*|retrait|redéploy\w*|rapatri\w+|"
        r"transfér\w+|"
        r"quitt[ée]\w*|quitter|quittent",
        r"вывод\w*|выв[её]д\w*|вывест\w*|отвед\w*|передислоц\w*|переброс\w*",
        r"вивед\w*|відвед\w*|передислок\w*|перекида\w*",
        _ar("انسحب", "انسحبت", "انسحاب", "سحب", "تسحب", "ستسحب", "يسحب", "سيسحب", "نقل", "إعادة انتشار"),
    ]
)
#: Handing a base over, leaving it: "remis", "передали", "سلمت".
HANDOVER = "|".join(
    [
        r"remis\w*|rétrocéd\w+|rétrocession|passation|cédé\w*|évacué\w*|abandonné\w*|quitté\w*",
        r"передал\w*|передан\w*|передач\w*|покинул\w*|оставил\w*",
        r"передал\w*|передан\w*|передач\w*|переда\w*|залишил\w*|покинул\w*",
        _ar("سلم", "سلمت", "سلّمت", "تسليم", "غادر", "غادرت", "أخلى", "أخلت", "إخلاء"),
    ]
)
#: Leaving a place named right after ("ont quitté Al-Qaïm", "покинули Эль-Каим").
LEFT = r"quitté|quittent|quitteront|покинул\w*|оставил\w*|залишил\w*|покинули"
#: Reporting verbs: judging (condemned, warned), formal (announced), plain (said).
SPEECH_JUDGE = "|".join(
    [
        r"a condamné|ont condamné|a dénoncé|a accusé|ont accusé|a averti|a menacé|a démenti|a nié|a qualifié",
        r"осудил\w*|обвинил\w*|предупредил\w*|пригрозил\w*|опроверг\w*|отверг\w*|назвал\w*",
        r"засудил\w*|засудив|звинуват\w*|попередил\w*|попередив|пригрозил\w*|спростува\w*|заперечи\w*|назвав",
        _ar("ندد", "أدان", "اتهم", "اتهمت", "حذر", "حذّر", "توعد", "نفى", "نفت"),
    ]
)
SPEECH_FORMAL = "|".join(
    [
        r"a annoncé|ont annoncé|a confirmé|communiqué",
        r"объявил\w*|подтвердил\w*|заявлени\w*|оголосил\w*|оголосив|підтвердил\w*|підтвердив|заяв[аі]|"
        r"заявил\w*|заявив",
        _ar("أعلن", "أعلنت", "أكد", "أكدت", "بيان"),
    ]
)
SPEECH_PLAIN = "|".join(
    [
        r"a déclaré|ont déclaré|a dit|ont dit|a affirmé|ont affirmé|a indiqué|ont indiqué|a précisé|selon|"
        r"a écrit|ont écrit|a-t-il précisé|a-t-elle précisé|a-t-il déclaré|a-t-elle déclaré|indique",
        r"сообщил\w*|сказал\w*|по словам|по данным|повідомил\w*|повідоми\w*|сказав|"
        r"сказала|за словами|за даними|написал\w*|написав|написала",
        _ar("قال", "قالت", "صرح", "أفاد", "أفادت", "بحسب", "وفقا", "وفقاً", "كتب"),
    ]
)
