"""The taxonomy of event types: label, colour, icon, and the nearest ACLED and CAMEO codes.

The colours are for colour-blind readers: Okabe and Ito's palette ("Color Universal Design",
2008) without its light colours, with grey, black and a violet, so that every marker's white icon
stands out at 3:1 or more (WCAG 2.1, 1.4.11) and every two types stay apart when protanopia,
deuteranopia or tritanopia is simulated (tests/test_taxonomy.py); each type also has its own
icon, so no type is told by colour alone.

The crosswalk lets a catalogue be compared with ACLED (codebook 2024, "Event Types and
Sub-Event Types") and with CAMEO-coded feeds such as GDELT (CAMEO manual 1.1b3, Schrodt 2012).
The codes are the *nearest* category, not an equivalence: ACLED codes no statements, for
instance, so statements map to "Strategic developments / Other".
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EventType:
    """One kind of event and how it is drawn and cross-referenced."""

    key: str
    label: str
    colour: str  # the marker's fill, under a white icon
    icon: str  # a Font Awesome 6 solid icon name
    acled_event_type: str
    acled_sub_event_type: str
    cameo_code: str
    cameo_label: str
    description: str


_TYPES = (
    EventType(
        key="air_defence_deployment",
        label="Air-defence deployment",
        colour="#0072B2",
        icon="shield-halved",
        acled_event_type="Strategic developments",
        acled_sub_event_type="Change to group/activity",
        cameo_code="154",
        cameo_label="Mobilize or increase armed forces",
        description="Air-defence systems delivered, installed or brought into service.",
    ),
    EventType(
        key="base_handover",
        label="Base handover / withdrawal",
        colour="#009E73",
        icon="flag",
        acled_event_type="Strategic developments",
        acled_sub_event_type="Non-violent transfer of territory",
        cameo_code="087",
        cameo_label="De-escalate military engagement",
        description="A force leaves a base or hands it over to another force.",
    ),
    EventType(
        key="attack",
        label="Attack",
        colour="#D55E00",
        icon="burst",
        acled_event_type="Explosions/Remote violence",
        acled_sub_event_type="Shelling/artillery/missile attack",
        cameo_code="194",
        cameo_label="Fight with artillery and tanks",
        description="An armed attack, such as rockets or mortars fired at a base.",
    ),
    EventType(
        key="statement",
        label="Statement",
        colour="#666666",
        icon="comment",
        acled_event_type="Strategic developments",
        acled_sub_event_type="Other",
        cameo_code="010",
        cameo_label="Make statement, not specified below",
        description="An official statement, briefing or claim.",
    ),
    EventType(
        key="warning",
        label="Warning / threat",
        colour="#9911EE",
        icon="triangle-exclamation",
        acled_event_type="Strategic developments",
        acled_sub_event_type="Other",
        cameo_code="130",
        cameo_label="Threaten, not specified below",
        description="A public warning or threat of consequences.",
    ),
    EventType(
        key="troop_movement",
        label="Troop movement",
        colour="#CC79A7",
        icon="truck",
        acled_event_type="Strategic developments",
        acled_sub_event_type="Change to group/activity",
        cameo_code="150",
        cameo_label="Demonstrate military or police power, not specified below",
        description="Forces moved, repositioned or consolidated.",
    ),
    EventType(
        key="other",
        label="Other",
        colour="#000000",
        icon="circle-info",
        acled_event_type="Strategic developments",
        acled_sub_event_type="Other",
        cameo_code="010",
        cameo_label="Make statement, not specified below",
        description="Anything the other types do not cover.",
    ),
)

EVENT_TYPES: dict[str, EventType] = {t.key: t for t in _TYPES}


def event_type(key: str) -> EventType:
    """The :class:`EventType` for ``key``; ``KeyError`` names the known keys."""
    try:
        return EVENT_TYPES[key]
    except KeyError:
        raise KeyError(f"unknown event type {key!r}; known: {', '.join(EVENT_TYPES)}") from None
