"""The event types' colours: readable under their white icons, and apart for colour-blind readers."""

from __future__ import annotations

import itertools
import math

import pytest

from geodata.taxonomy import EVENT_TYPES

#: Machado, Oliveira and Fernandes (2009), "A physiologically-based model for simulation of color
#: vision deficiency", severity 1.0, on linear RGB.
SIMULATIONS = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
    "typical vision": ((1, 0, 0), (0, 1, 0), (0, 0, 1)),
}
#: CIELAB distance two types' colours keep at least (tab10's red and green: 7 for deuteranopia).
MIN_DISTANCE = 12.0


def linear(colour: str) -> tuple[float, ...]:
    channels = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return tuple(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)


def luminance(colour: str) -> float:
    r, g, b = linear(colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def lab(rgb: tuple[float, ...]) -> tuple[float, float, float]:
    r, g, b = (min(max(v, 0.0), 1.0) for v in rgb)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def seen(colour: str, matrix: tuple[tuple[float, ...], ...]) -> tuple[float, float, float]:
    rgb = linear(colour)
    return lab(tuple(sum(m * c for m, c in zip(row, rgb, strict=True)) for row in matrix))


def test_every_white_icon_stands_out_from_its_marker() -> None:
    for kind in EVENT_TYPES.values():
        contrast = 1.05 / (luminance(kind.colour) + 0.05)
        assert contrast >= 3.0, (kind.key, kind.colour, round(contrast, 2))


@pytest.mark.parametrize("vision", SIMULATIONS)
def test_every_two_types_stay_apart_for_colour_blind_readers(vision: str) -> None:
    for a, b in itertools.combinations(EVENT_TYPES.values(), 2):
        distance = math.dist(seen(a.colour, SIMULATIONS[vision]), seen(b.colour, SIMULATIONS[vision]))
        assert distance >= MIN_DISTANCE, (a.key, b.key, round(distance, 1))


def test_the_simulation_tells_the_old_red_and_green_apart_only_for_typical_vision() -> None:
    red, green = "#d62728", "#2ca02c"  # tab10's attack and base handover, before
    apart = {v: math.dist(seen(red, m), seen(green, m)) for v, m in SIMULATIONS.items()}
    assert apart["deuteranopia"] < MIN_DISTANCE < apart["typical vision"]


def test_types_have_their_own_icons() -> None:
    icons = [kind.icon for kind in EVENT_TYPES.values()]
    assert len(set(icons)) == len(icons)
