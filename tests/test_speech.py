"""Reported speech: who said it, what was said, and which date tells when it was said."""

from __future__ import annotations

import pytest

from geodata.extract.governance import Anchor, attach_dates
from geodata.extract.speech import same_speaker, speaker_key, speech_frames


@pytest.mark.parametrize(
    ("sentence", "speaker", "said"),
    [
        # the speaker first, a date between them and the verb
        ("The army on Thursday said it was moving troops north.", "The army", "it was moving troops north."),
        # the attribution last, with an apposition
        (
            '"We will rebuild the bridge," Colonel Ahmed Saleh, a spokesman for the army, said at the site.',
            "Colonel Ahmed Saleh, a spokesman for the army",
            '"We will rebuild the bridge',
        ),
        (
            '"The talks failed," said Foreign Minister Jane Doe, speaking in Geneva.',
            "Foreign Minister Jane Doe",
            "",
        ),
        (
            "Two shells hit the depot, according to the regional governor.",
            "the regional governor",
            "Two shells",
        ),
        # adverbials before the speaker are when and where, not who
        (
            "On Tuesday, the militia, the largest of them, said it would disarm.",
            "the militia",
            "it would disarm.",
        ),
        ("In London, Prime Minister John Roe said the deal was done.", "Prime Minister John Roe", "the deal"),
        ("In a post on Friday he said the station was closed.", "he", "the station was closed."),
    ],
)
def test_speaker_and_what_was_said(sentence: str, speaker: str, said: str) -> None:
    (frame,) = speech_frames(sentence)
    assert frame.speaker == speaker
    assert sentence[frame.content[0] : frame.content[1]].strip().startswith(said.strip())


def test_a_participle_shares_the_speaker_and_makes_it_strong() -> None:
    sentence = "The ministry said on Monday the talks were over, warning that the rebels would pay dearly."
    (frame,) = speech_frames(sentence)
    assert frame.speaker == "The ministry" and frame.strong


@pytest.mark.parametrize(
    "sentence",
    [
        "The government condemned what it called a terrorist attack.",  # only "condemned" speaks
        "Jets struck the site, in what officials called the largest raid so far.",
        "The names were withheld until the families had been told.",
    ],
)
def test_naming_and_passive_telling_are_not_speech(sentence: str) -> None:
    assert [f.speaker for f in speech_frames(sentence)] in ([], ["The government"])


def test_unnamed_sources_are_anonymous_and_spokesmen_are_not() -> None:
    (officials,) = speech_frames("Rockets hit the base, US officials said.")
    (spokesman,) = speech_frames("There was no justification, a Houthi spokesman said on Friday.")
    assert officials.anonymous and officials.inverted
    assert not spokesman.anonymous


def test_speakers_are_the_same_when_one_names_no_more_than_the_other() -> None:
    urban = speaker_key("Capt Bill Urban, spokesman for the US Central Command")
    assert same_speaker(speaker_key("Capt Urban"), urban)
    assert not same_speaker(
        speaker_key("Russia's defence ministry"), speaker_key("Britain's defence ministry")
    )
    assert speaker_key("he") == frozenset() and not same_speaker(frozenset(), urban)


def test_a_date_next_to_the_reporting_verb_dates_the_saying() -> None:
    sentence = "Capt Urban said on Thursday that the attacks, which killed two soldiers, violate sovereignty."
    (frame,) = speech_frames(sentence)
    thursday = sentence.index("on Thursday")
    attacks = sentence.index("attacks")
    anchors = [Anchor(attacks, attacks + 7, False, weak=True), Anchor(frame.verb[0], frame.verb[1], True)]
    assert attach_dates(sentence, [(thursday, thursday + 11)], anchors, [frame], [1]) == [1]


def test_a_date_before_a_closing_attribution_dates_the_event() -> None:
    sentence = "Rockets slammed into the camp on Wednesday evening, the coalition said."
    (frame,) = speech_frames(sentence)
    at = sentence.index("on Wednesday")
    anchors = [Anchor(8, 15, False), Anchor(frame.verb[0], frame.verb[1], True)]
    assert attach_dates(sentence, [(at, at + 12)], anchors, [frame], [1]) == [0]
