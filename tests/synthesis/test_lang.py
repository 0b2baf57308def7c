import pytest

from cairn.synthesis.lang import detect, non_english_share, summarise


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The bus to the centre is not running in the evening", "en"),
        ("Der Radweg an der Straße ist viel zu schmal und nicht sicher", "de"),
        ("Les transports ne sont pas accessibles pour les personnes âgées", "fr"),
        ("我们需要更多的公共交通", "zh"),
        ("12345 !!!", "und"),
    ],
)
def test_detect_names_the_language(text: str, code: str) -> None:
    assert detect(text) == code


def test_non_english_share_ignores_undetermined_texts() -> None:
    counts = summarise(["en", "en", "de", "und", "und"])
    assert counts == {"en": 2, "und": 2, "de": 1}
    assert non_english_share(counts) == pytest.approx(1 / 3)
