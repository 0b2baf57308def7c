"""Shared fixtures: small statement sets in named voices, and the fast TF-IDF path."""

from __future__ import annotations

import pytest

from cairn.synthesis.types import Options, Statement

TRANSPORT = [
    "The bus to the community centre only runs twice a day",
    "No buses in the evening so I cannot get to meetings",
    "Bus fares are too expensive for people on benefits",
    "Transport to the hospital is a problem without a car",
    "The bus timetable changed and nobody told us",
    "Getting a bus home after the event is impossible",
]
DIGITAL = [
    "Many older members cannot use Zoom or video calls",
    "Internet access at home is too expensive for some families",
    "Not everyone has a smartphone or a laptop for online meetings",
    "Video calls are hard for people with hearing loss",
    "Some groups stopped meeting because they could not get online",
    "Broadband in the villages is slow and drops out on video calls",
]
FOOD = [
    "The food bank needs more volunteers on Saturdays",
    "Food parcels should include fresh fruit and vegetables",
    "The community kitchen cooked hot meals for isolated people",
    "Food bank referrals doubled since the spring",
    "Volunteers delivered food parcels to people shielding at home",
    "Hot meals from the kitchen were a lifeline for many",
]


@pytest.fixture
def fast() -> Options:
    return Options(embedder="tfidf", min_theme_size=2)


@pytest.fixture
def voices() -> list[Statement]:
    """Eighteen statements on three clear topics, by channel and sector."""
    channels = ["online", "letter", "phone"]
    sectors = ["community", "public", "private"]
    out = []
    for i, text in enumerate(TRANSPORT + DIGITAL + FOOD):
        out.append(
            Statement(
                id=f"s{i + 1}",
                text=text,
                attributes={"channel": channels[i % 3], "sector": sectors[(i // 3) % 3]},
            )
        )
    return out
