import json

import numpy as np
import pytest

from cairn.synthesis import Options, Statement, ThemeSpec, synthesize
from cairn.synthesis.embed import Embedder, StaticEmbedder

CONTRACT_THEME_KEYS = {
    "id", "label", "keyphrases", "headline", "summary", "quotes", "size", "counts",
    "statement_ids",
}  # fmt: skip


def test_empty_input_gives_an_empty_result(fast: Options) -> None:
    d = synthesize([], fast).to_dict()
    assert d["themes"] == [] and d["assignments"] == {} and d["stances"] == {}


def test_one_statement_makes_one_theme(fast: Options) -> None:
    r = synthesize([Statement("1", "The bus is always late")], fast)
    assert len(r.themes) == 1
    assert r.assignments == {"1": r.themes[0].id}


def test_all_duplicates_are_one_counted_theme(fast: Options) -> None:
    r = synthesize([Statement(str(i), "The bus is late.") for i in range(1, 8)], fast)
    assert len(r.themes) == 1 and r.themes[0].size == 7
    assert r.duplicates[0]["count"] == 7
    assert len(r.themes[0].quotes) == 1  # counted, not repeated


def test_result_follows_the_output_contract(voices: list[Statement], fast: Options) -> None:
    d = json.loads(json.dumps(synthesize(voices, fast).to_dict()))
    assert {"themes", "assignments", "stances", "options"} <= d.keys()
    for theme in d["themes"]:
        assert theme.keys() >= CONTRACT_THEME_KEYS
    assert set(d["assignments"]) == {s.id for s in voices}
    assert set(d["stances"].values()) <= {"positive", "challenge", "idea", "question", "other"}
    placed = [sid for t in d["themes"] for sid in t["statement_ids"]]
    assert sorted(placed + d["unassigned"]) == sorted(s.id for s in voices)


def test_counts_cover_every_attribute(voices: list[Statement], fast: Options) -> None:
    r = synthesize(voices, fast)
    for t in r.themes:
        assert set(t.counts) == {"channel", "sector"}
        assert sum(t.counts["channel"].values()) == t.size


def test_three_topics_come_out_as_separate_themes(voices: list[Statement], fast: Options) -> None:
    r = synthesize(voices, fast)
    topic_of = {s.id: i // 6 for i, s in enumerate(voices)}
    for t in r.themes:
        topics = [topic_of[sid] for sid in t.statement_ids]
        majority = max(set(topics), key=topics.count)
        assert topics.count(majority) / len(topics) >= 0.6


def test_same_input_and_options_give_identical_json(voices: list[Statement], fast: Options) -> None:
    a = json.dumps(synthesize(voices, fast).to_dict(), sort_keys=True)
    b = json.dumps(synthesize(list(voices), fast).to_dict(), sort_keys=True)
    assert a == b


def test_a_two_megabyte_text_is_split_not_dropped(fast: Options) -> None:
    big = "The hall was cold and the heating broke again. " * 45_000
    r = synthesize([Statement("big", big), Statement("small", "Heating was fine")], fast)
    pieces = [sid for sid in r.assignments if sid.startswith("big#")]
    assert len(pieces) > 100
    assert r.stats["contributions"] == 2


def test_mixed_languages_are_detected_and_reported(fast: Options) -> None:
    english = [
        Statement(f"e{i}", f"The bus route number {i} is not safe at night") for i in range(6)
    ]
    german = [
        Statement(f"g{i}", f"Der Radweg an der Straße {i} ist nicht sicher und viel zu eng")
        for i in range(6)
    ]
    r = synthesize(english + german, Options(min_theme_size=2))
    assert r.languages.get("de") == 6
    assert any("English" in w for w in r.warnings)


def test_english_only_embedder_warns_on_german_input() -> None:
    german = [
        Statement(str(i), f"Die Ampel an der Kreuzung {i} ist für Radfahrer zu kurz grün")
        for i in range(8)
    ]

    class EnglishOnly:
        name = "fake-english"
        english_only = True
        guided_threshold = 0.2

        def encode(self, texts: list[str], progress: object = None) -> np.ndarray:
            return np.eye(len(texts), 4, dtype=np.float32) + 0.1

    fake: Embedder = EnglishOnly()
    r = synthesize(german, Options(), embedder=fake)
    assert any("English-only" in w for w in r.warnings)


def test_guided_mode_places_statements_under_given_themes(
    voices: list[Statement], fast: Options
) -> None:
    themes = [
        ThemeSpec("Transport", "bus buses timetable fares car hospital transport", id="transport"),
        ThemeSpec("Food", "food bank parcels volunteers kitchen meals", id="food"),
    ]
    r = synthesize(voices, fast, themes=themes)
    assert [t.id for t in r.themes[:2]] == ["transport", "food"]
    assert r.assignments["s1"] == "transport"
    assert r.assignments["s13"] == "food"
    digital_homes = {r.assignments[f"s{i}"] for i in range(7, 13)}
    assert not digital_homes & {"transport", "food"} or len(r.themes) > 2
    assert r.options["mode"] == "guided"


def test_duplicate_ids_are_refused(fast: Options) -> None:
    with pytest.raises(ValueError, match="unique"):
        synthesize([Statement("1", "a"), Statement("1", "b")], fast)


def test_shipped_static_model_embeds_without_torch() -> None:
    emb = StaticEmbedder()
    if not emb.available():
        pytest.skip("static model not built")
    x = emb.encode(["the bus is late", "buses are late", "lovely volunteers"])
    assert x.shape[0] == 3
    assert float(x[0] @ x[1]) > float(x[0] @ x[2])


def test_languages_of_large_inputs_are_estimated_from_a_sample(
    voices: list[Statement], fast: Options, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cairn.synthesis import pipeline

    monkeypatch.setattr(pipeline, "LANGUAGE_SAMPLE", 10)
    r = synthesize(voices, fast)
    assert r.stats["languages_estimated_from_sample"] is True
    assert sum(r.languages.values()) == pytest.approx(len(voices), abs=2)


def test_a_split_contribution_answers_under_its_own_id(fast: Options) -> None:
    letter = " ".join(
        ["The bus only runs twice a day and the last one leaves before six."] * 30
        + ["Food parcels helped my neighbour through the winter."] * 5
    )
    short = [Statement(f"s{i}", f"Buses to the hospital are late, route {i}") for i in range(6)]
    r = synthesize([Statement("letter-1", letter), *short], fast)
    assert any(sid.startswith("letter-1#") for sid in r.assignments)
    assert set(r.contributions) == {"letter-1", *(s.id for s in short)}
    pieces = [t for sid, t in r.assignments.items() if sid.startswith("letter-1#")]
    assert r.contributions["letter-1"] == max(set(pieces), key=pieces.count)
    assert r.to_dict()["contributions"] == r.contributions
