import pytest

from cairn.synthesis.stance import classify


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("How do we reach people who are not online?", "question"),
        ("We should set up a phone tree for members without internet", "idea"),
        ("It would be good to meet in person again", "idea"),
        ("The volunteers were brilliant and so helpful", "positive"),
        ("Many people cannot afford broadband and feel isolated", "challenge"),
        ("Nothing.", "other"),
        ("", "other"),
        ("Der Radweg ist zu eng und gefährlich", "challenge"),
        ("Hier sollte eine Ampel hin", "idea"),
        # negations flip the cue they reach
        ("Never had a problem with the staff", "positive"),
        ("I couldn't fault the care I received", "positive"),
        ("The receptionist was not helpful at all", "challenge"),
        ("The care could not have been better", "positive"),
        ("The doctor didn't listen to me", "challenge"),
        ("Nothing in my case, thank you", "positive"),
        ("There\u2019s nothing I can think of", "other"),
    ],
)
def test_stance_of_typical_statements(text: str, expected: str) -> None:
    assert classify(text) == expected


def test_many_statements_are_classified_in_parallel_in_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from cairn.synthesis import parallel
    from cairn.synthesis.stance import classify_all

    texts = ["Never had a problem", "Why is the bus late?", "We should meet in person"] * 50
    one_by_one = [classify(t) for t in texts]
    monkeypatch.setattr(parallel, "PARALLEL_MIN", 100)
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    assert classify_all(texts) == one_by_one


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        ("Nothing, lovely people", "positive"),
        ("Vaccination shouldn't be mandatory because it is dangerous", "challenge"),
        ("Child vaccination should not be mandatory", "challenge"),
        ("We need a plan for cats", "idea"),
        ("Der Radweg ist gefährlich", "challenge"),
        ("Die neue Fahrradstraße ist super", "positive"),
        ("Es sollte mehr Radwege geben", "idea"),
        ("Das ist nicht gut", "challenge"),
        ("Die Ampel sollte nicht abgeschaltet werden", "challenge"),
    ],
)
def test_reviewers_cases(text: str, stance: str) -> None:
    assert classify(text) == stance


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a proposal leans by what it proposes, not by the word "should"
        ("Homeschooling should be banned because parents are not teachers", -1),
        ("Homeschooling should not be banned, it is a great way to learn", 1),
        ("People should be free to choose how they die", 1),
        ("Child vaccination shouldn't be mandatory", -1),
        ("Child vaccination should be mandatory", 1),
        ("We need more staff on the ward", -1),
        # a verb that takes a harm away flips it
        ("School uniforms reduce bullying", 1),
        ("School uniforms cause bullying", -1),
        ("I don't think you could do anything better", 1),
        ("I don't know", 0),
        ("The meeting is on Tuesday", 0),
        # a negation beside the action word, or before the need, denies the proposal
        ("We should subsidize not vocational education because it is unfair", -1),
        ("There is no need to subsidize journalism", -1),
        ("Vocational education does not need to be subsidized", -1),
        ("Journalism doesn't need extra funding, it makes enough money", -1),
        ("We can't afford to subsidize journalism", -1),
        ("Why should we subsidize journalism when hospitals are short of money?", -1),
        # "which is why" gives the reason for a proposal, it does not ask
        ("It helps the poorest most, which is why it should be subsidized", 1),
        ("It helps the poorest most, that's why we should fund it", 1),
        ("There is no reason why we should ban it", 1),
        ("No school should be funded by taxpayers", -1),
        # the state kept decides, not "stay"; a denied ban is for the thing
        ("Sex selection should stay illegal", -1),
        ("Cannabis should remain legal", 1),
        ("We cannot prohibit women in combat, they are as able as men", 1),
        # the proposal's own clause decides, not what follows the comma
        ("Journalism should be funded, not cut", 1),
        # a need stated or denied is a proposal
        ("Affirmative action is still needed to correct discrimination", 1),
        ("Affirmative action is no longer necessary in modern society", -1),
        ("I don't think we should abandon marriage", 1),
        # two opposite cues side by side are one harm; "less" flips what follows
        ("Subsidizing it gives an unfair advantage to a few", -1),
        ("School uniforms can be less comfortable than regular clothes", -1),
        ("Cameras mean less crime", 1),
        ("It is the most cost effective way", 1),
        ("New towns alleviate the overpopulation of cities", 1),
        # a typed apostrophe is an apostrophe: "can`t see any problem" is for it
        ("If parents agree, I can`t see any problem with it", 1),
        ("Child acting is fine, I don´t see any problem", 1),
        # "mitigates", "deters", "curbs" take a harm away as "reduces" does
        ("Affirmative action mitigates racism", 1),
        ("Capital punishment deters crime", 1),
        # harms the lexicon once missed
        ("Homeschooling leads to isolation", -1),
        ("It deprives children of a normal childhood", -1),
        # money "better spent" elsewhere, "more important things": against it
        ("There are more important things to spend public funds on, like health care", -1),
        ("The money would be better spent on schools and hospitals", -1),
        ("Das Geld wäre in Schulen besser investiert", -1),
        # opening on the subject taken away: the harms that follow speak for it
        ("Without child actors, many films simply couldn't be made", 1),
        ("If we end affirmative action, discrimination will return", 1),
        ("If guns were banned, violent crime would rise", 1),
        ("Ohne Radwege ist die Straße gefährlich", 1),
        # "without" alone names no harm: "learn without shootings" is praise
        ("Home schooling is a safe place to learn without school shootings", 1),
        # a negation reaches no "better" past "because"
        ("We should not adopt austerity because the better path is to invest in people", -1),
        # German
        ("Der Radweg sollte nicht entfernt werden", 1),
        ("Die Parkplätze sollten abgeschafft werden", -1),
        ("Wir müssen den Radverkehr fördern", 1),
        ("Sichere Radwege sind dringend notwendig", 1),
        ("Ein Tempolimit ist nicht nötig", -1),
        ("Die Parkplätze am Markt sind überflüssig", -1),
    ],
)
def test_side_of_a_statement(text: str, expected: int) -> None:
    from cairn.synthesis.stance import side

    assert side(text) == expected


def test_nothing_could_be_better_is_praise() -> None:
    assert classify("I don't think you could do anything better") == "positive"


def test_side_and_proposal_tell_a_proposal_from_a_cue() -> None:
    from cairn.synthesis.stance import side_and_proposal, sides_all

    assert side_and_proposal("We should not subsidize journalism") == (-1, -1)
    assert side_and_proposal("Journalism is a dangerous job") == (-1, 0)
    assert sides_all(["We should ban it", "It is great", "The meeting is on Tuesday"]) == (
        [-1, 1, 0],
        [-1, 0, 0],
    )
