"""Stance of a statement: positive sign, challenge, idea, question or other.

Rules over small lexicons (English and German), checked in a fixed order:
a question mark or an opening question word wins, then suggestion cues
("should", "could we", "it would help"), then the balance of positive and
challenge cues. A negation flips the cue that follows it within a few words
("no problems", "couldn't fault", "not helpful"), as VADER does; a negation
with no cue after it ("the doctor didn't listen") counts as a challenge.
Sides (for or against a statement's subject, for splitting themes) also
read money "better spent" elsewhere as against, and a statement opening on
its subject taken away ("without X, ...", "if we ended X, ...") as for X
when it names the harms that would follow.
Good enough to sort a report into what went well and what to do next; a
person reviews it (``evals/score_stance.py`` scores it against human codes).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from cairn.synthesis import parallel
from cairn.synthesis.types import Stance


def _lex(words: str) -> frozenset[str]:
    return frozenset(words.split())


_WORD = re.compile(r"[^\W\d_]+(?:'[a-z]+)?", re.UNICODE)
# Words and clause punctuation: a negation reaches no further than its clause
# ("Nothing, lovely people" is praise, not "nothing lovely").
_TOKEN = re.compile(r"[^\W\d_]+(?:'[a-z]+)?|[,;:.!?]", re.UNICODE)
# Arguing that something should not be is a challenge, not an idea.
_AGAINST = re.compile(
    r"\b(?:shouldn't|should not|shouldnt|must not|mustn't|ought not|needn't|need not|"
    r"should never|should no longer|sollte nicht|sollten nicht|darf nicht|dürfen nicht|"
    r"muss nicht|müssen nicht|sollte kein|sollten keine?)\b"
)

_QUESTION_OPENERS = _lex(
    "how why what when where who which whom whose is are can could would will do does did "
    "should shall may wie warum was wann wo wer welche welcher kann können könnte soll "
    "sollte gibt"
)
_IDEA_PHRASES = (
    "should",
    "could be",
    "could we",
    "could have",
    "would be good",
    "would be nice",
    "would be great",
    "would be better",
    "would help",
    "it would",
    "suggest",
    "recommend",
    "idea",
    "propose",
    "need to",
    "needs to",
    "we need",
    "need a ",
    "need an ",
    "need more",
    "needed",
    "would like",
    "would love",
    "want ",
    "must",
    "ought",
    "why not",
    "more ",
    "better ",
    "let's",
    "please",
    "wish",
    "sollte",
    "könnte",
    "wäre",
    "vorschlag",
    "müsste",
    "bitte",
    "wünsche",
    "sollten",
    "müssen",
    "brauchen",
    "braucht",
    "wir brauchen",
    "fordern",
    "vorschlagen",
    "wäre schön",
    "wäre gut",
    "mehr ",
    "besser",
)
_POSITIVE = _lex(
    "good great excellent helpful positive well brilliant fantastic thank thanks thankyou "
    "kind friendly caring professional lovely amazing happy pleased wonderful efficient "
    "supportive success successful worked works improved best outstanding exceptional "
    "appreciated appreciate reassuring clean quick prompt nice perfect love loved enjoyed "
    "polite attentive respectful compassionate comfortable easy welcoming superb fab "
    "grateful thankful impressed reassured satisfied better calm safe ok okay fine "
    "respect respected clear thorough praise "
    "equal equality fair fairness fairer freedom benefit benefits beneficial protects "
    "safety safer healthy healthier helps improves effective essential important necessary "
    "valuable useful opportunity opportunities independence stability stable security "
    "secure peace saves creativity individuality expression identity confidence discipline "
    "advantage advantages supports encourages enables benefits boosts strengthens "
    "humane compassion dignity justice rights "
    "help helping save saving ensure ensures ensured promote promotes promoting protect "
    "protecting inclusive deterrent deters prosperity prosperous wealth growth innovation "
    "progress productive autonomy liberty empower empowers empowerment crucial vital "
    "boon thrive thrives thriving cheaper affordable "
    "gut super toll prima danke hilfreich freundlich schön sicher angenehm zufrieden "
    "wunderbar hervorragend klasse gelungen praktisch bequem"
)
_CHALLENGE = _lex(
    "problem problems issue issues difficult difficulty hard lack lacking "
    "barrier barriers poor bad worse worst rude slow delay delays delayed late wait waiting "
    "waited unable struggle struggled struggling concern concerns concerned worried worry "
    "unfortunately however cost costs expensive unsafe dangerous broken missing lost "
    "confusing confused disappointed disappointing frustrating frustrated cold dirty noisy "
    "lonely isolated risk cancelled ignored unhelpful unprofessional uncomfortable pain "
    "painful awful terrible horrible appalling dismissive complaint complain shortage "
    "understaffed overworked fault faults wrong trouble fuss worrying suffer suffering"
    " gefährlich schlecht fehlt fehlen leider eng gefahr problem probleme unsicher "
    "kaputt mangel schwierig ärgerlich zugeparkt gefährdet gefährden unfall unfälle "
    "behindert chaotisch lücke lücken holprig marode unübersichtlich ärgern stau"
    # what arguments on a motion name as harms
    " bullying bullied discrimination discriminate discriminatory inequality unequal unfair "
    "unfairly crime crimes criminal violence violent harm harms harmful abuse abused abusive "
    "poverty inferior forced force forcing restrictive outdated suppress suppresses hardship "
    "hardships kill kills killing killed death deaths racism racist sexism sexist corruption "
    "corrupt addiction addictive obesity disease diseases war terrorism fraud exploitation "
    "exploit exploited threat threatens burden waste wasteful useless ineffective inefficient "
    "damage damages damaging destroy destroys destroyed hate hatred bias biased stress "
    "stressful anxiety depression debt pollution toxic cruel cruelty unhealthy injustice "
    "oppression oppressive manipulation stigma divisive misuse negative lose loses loss "
    "losing fail fails failure undermine undermines infringe infringes violate violates "
    "violation danger dangers risks risky abuses pressure conform stunt stunts illegal "
    "unnecessary expensive costly unemployment addicted"
    " trafficking immoral unethical unjust disaster chaos tyranny imbalance conflict "
    "mistrust fear distract distracts distraction disadvantage disadvantages drawback "
    "drawbacks obsolete hinder hinders impede impedes interfere interferes interfering "
    "deny denies denied overpopulation overpopulated overcrowding overcrowded congestion "
    "persecution demoralization disservice problematic fruitless disparity "
    "destruction devastation exclusion segregation distractions conflicts threats wars fears "
    "isolation isolate isolates isolating deprive deprives deprived deprivation strips "
    "redundant incompatible wasted wasting predators homelessness misery hypocritical"
)
# A verb that takes away what follows flips it: "reduces bullying", "prevents crime".
_REDUCERS = _lex(
    "reduce reduces reduced reducing decrease decreases decreased eliminate eliminates "
    "eliminated prevent prevents prevented preventing stop stops avoid avoids avoiding "
    "alleviate alleviates lessen lessens lower lowers fight fights tackle tackles combat "
    "combats minimise minimises minimize minimizes ease eases end ends removes remove "
    "free preclude precludes cut cuts less fewer mitigate mitigates mitigated deter deters "
    "deterred curb curbs curbed counter counters counteract counteracts relieve relieves "
    "verhindern verhindert reduziert vermeidet weniger"
)
# A negation flips the next cue within this many words ("never had a problem");
# alone it is a challenge ("the doctor didn't listen"), unless it is a pronoun
# ("nothing in my case"). Negated comparatives are praise: "could not be better".
_NEGATORS = _lex(
    "not no never nothing none nobody without cannot can't couldn't didn't don't doesn't "
    "wasn't weren't isn't aren't won't wouldn't hardly nicht kein keine keinen nie"
)
_NEGATION_REACH = 3
_UNFLIPPED = frozenset(["better", "enough"])
_QUIET_NEGATORS = frozenset(["nothing", "none", "nobody", "no", "without"])
# Answers such as "Nothing" or "No" say there is nothing to improve: not a challenge.
_NOTHING = frozenset(["nothing", "no", "none", "n/a", "na", "nil", "nothing really"])


# "Nothing could be better", "you cannot improve": praise, in any position.
_NO_BETTER = re.compile(
    r"\b(?:not|no|nothing|cannot|can't|couldn't|could not|don't|didn't|won't|wouldn't|never|"
    r"hardly|nicht|nichts|kein|keine)\b(?:(?!because\b|weil\b)[^,.;!?]){0,40}?\b(?:better|improve|improved|"
    r"improvement|fault|complain|moan|criticise|criticize|besser|verbessern)\b"
)
# "Don't know", "not sure": no side at all.
_NO_VIEW = re.compile(
    r"^\W*(?:i\s+)?(?:don't|do not|dont|am not|'m not)\s+(?:know|think so|sure)\W*$"
    r"|^\W*(?:not sure|no idea|weiß nicht|keine ahnung)\W*$"
)


def classify(text: str) -> Stance:
    return read(text)[0]


def read(text: str) -> tuple[Stance, int, int]:
    """Stance, side and proposal side of one text, sharing one lowering and tokenising.

    ``classify`` and ``side_and_proposal`` give the same as its parts.
    """
    stripped = text.strip()
    if not stripped:
        return "other", 0, 0
    # Stance shows in the opening; long texts are judged on their first part.
    lowered = stripped[:600].casefold().replace("’", "'")
    # Typed apostrophes vary ("can`t", "don´t"); the lexicons spell them "'".
    # (``in`` first: ``replace`` and ``translate`` cost more on every text.)
    if "`" in lowered or "´" in lowered:
        lowered = lowered.replace("`", "'").replace("´", "'")
    cache: list[tuple[int, int]] = []

    def polarity() -> tuple[int, int]:
        if not cache:
            cache.append(_polarity(_TOKEN.findall(lowered)))
        return cache[0]

    no_better = _NO_BETTER.search(lowered) is not None
    return (
        _stance(stripped, lowered, no_better, polarity),
        *_side(lowered, no_better, polarity),
    )


def _stance(
    stripped: str, lowered: str, no_better: bool, polarity: Callable[[], tuple[int, int]]
) -> Stance:
    if lowered.strip(" .!") in _NOTHING:
        return "other"
    if stripped.endswith("?"):
        return "question"
    if "?" in stripped:
        first = _WORD.search(lowered)
        if first and first.group(0) in _QUESTION_OPENERS:
            return "question"
    if _AGAINST.search(lowered):
        return "challenge"
    if no_better:
        return "positive"
    if any(p in lowered for p in _IDEA_PHRASES):
        return "idea"
    pos, neg = polarity()
    if pos == 0 and neg == 0:
        return "other"
    return "positive" if pos > neg else "challenge"


def _polarity(words: list[str]) -> tuple[int, int]:
    """Positive and challenge cue counts, negations flipping the cue they reach."""
    pos = neg = 0
    pending = 0  # words a negation still reaches
    loud = False  # whether that negation counts as a challenge if it reaches no cue
    prev = 0  # the cue of the word just before
    prev_word: str | int = 0
    for w in words:
        if w in ",;:.!?":
            prev = 0
            neg += pending > 0 and loud
            pending = 0
            continue
        if w in _NEGATORS or w in _REDUCERS:
            prev = 0
            neg += pending > 0 and loud
            pending = _NEGATION_REACH
            loud = w not in _QUIET_NEGATORS and w not in _REDUCERS
            continue
        cue = 1 if w in _POSITIVE else -1 if w in _CHALLENGE else 0
        if cue and pending:
            cue = cue if w in _UNFLIPPED else -cue
            pending = 0
        elif pending:
            pending -= 1
            neg += pending == 0 and loud
        # A harm word before a good one is one harm: "unfair advantage", "lack
        # safety", "false hope": the good word names what is harmed. (Not the
        # other way round: "protects vulnerable children".)
        if cue > 0 and prev_word == "cost":  # "cost effective", "cost efficient"
            neg -= 1
            pos += 1
            prev = prev_word = 0
            continue
        if cue > 0 and prev < 0:
            prev = 0
            continue
        prev, prev_word = cue, w
        pos += cue > 0
        neg += cue < 0
    return pos, neg + (pending > 0 and loud)


# --- sides: which way a statement leans on its subject, for splitting themes ---------
#
# A proposal leans by what it proposes: "X should be banned" is against X, "X
# should not be banned" and "people should be free to do X" are for it, "X
# shouldn't be mandatory" is against the mandate. Without a proposal the cues
# decide ("X is dangerous" against, "X is a great way to learn" for). Ideas
# about what is missing ("we need more staff", "should be quicker") lean
# against how things are, as reviewers read them.
_PROPOSAL = re.compile(
    r"\b(?:should|shouldn't|shouldnt|must|mustn't|ought to|ought not|need to|needs to|"
    r"has to|have to|need|needs|brauchen|braucht|sollte|sollten|muss|müssen|müsste|darf|dürfen)\b"
    r"(?P<neg>\s+(?:not|no|never|nicht|kein|keine|keinen|no longer|nicht mehr)\b)?"
    r"(?P<rest>(?:\s+\S+){0,6})"
)
_NEGATED_MODAL = re.compile(r"\b(?:shouldn't|shouldnt|mustn't|ought not|needn't)\b")
# A need denied is a proposal denied: "there is no need to subsidize it", "it
# doesn't need to be subsidized", "we can't afford to fund it", "why should we
# pay for it?" (a rhetorical why argues against).
_DENIED_BEFORE = re.compile(
    r"(?:\b(?:no|don't|dont|doesn't|doesnt|do not|does not|did not|didn't|not|never|hardly)"
    r"\s+(?:really\s+|even\s+|any\s+)?$)"
    # ("which is why it should be funded" gives the reason for a proposal)
    r"|(?:(?<!is )(?<!'s )\bwhy\s+(?:\w+\s+){0,3}$)"
    r"|(?:\b(?:don't|dont|do not|doesn't|does not|didn't|did not)\s+(?:think|believe|feel|agree)"
    r"\s+(?:that\s+)?(?:\w+\s+){0,2}$)"
    r"|(?:\b(?:can't|cannot|can not|couldn't)\s+afford\s+(?:to\s+)?$)"
)
_AFFORD = re.compile(r"\b(?:can't|cannot|can not|couldn't|could not)\s+afford\s+to\b")
_AGAINST_ACTIONS = _lex(
    "ban banned banning abolish abolished abolishing abandon abandoned abandoning prohibit "
    "prohibited prohibiting illegal outlaw outlawed criminal criminalised criminalized "
    "criminalise criminalize crime offence offense end ended ending stop stopped remove "
    "removed scrap scrapped eliminate eliminated restrict restricted limit limited cut "
    "cancel cancelled canceled forbidden forbid punished penalised penalized closed close "
    "shut discontinued discouraged replaced replace fined taxed "
    "avoid avoided reject rejected oppose opposed taken take dropped drop changed change "
    "redirected diverted "
    "reduced reduce regulated discourage fight fought resisted resist "
    "verboten verbieten abgeschafft abschaffen gestrichen streichen eingeschränkt "
    "einschränken abgeschaltet entfernt vermeiden vermieden reduziert reduzieren"
)
_FOR_ACTIONS = _lex(
    "allowed allow permitted permit able free right rights legal legalised legalized "
    "legalise legalize kept keep remain stay continue continued protected protect "
    "supported support subsidised subsidized subsidize subsidise funded fund encouraged "
    "encourage introduced introduce adopted adopt expanded expand mandatory compulsory "
    "required promoted promote respected respect choose decide "
    "help helped aid aided invest invested financed finance paid pay accepted accept "
    "embraced embrace maintained maintain preserved preserve implemented implement "
    "welcomed welcome increased increase extended extend enforced enforce "
    "erlaubt erlauben bleiben beibehalten gefördert fördern unterstützt unterstützen "
    "ausgebaut ausbauen eingeführt einführen erhalten"
)
_LACKING = _lex(
    "more better improve improved faster quicker sooner clearer easier cheaper fewer less "
    "mehr besser schneller sicherer breiter"
)
_NEG_WORDS = frozenset(["not", "never", "nicht", "no"])
# "Should stay illegal", "must remain banned": the state kept decides, not "stay".
_KEEPING = _lex("stay stays remain remains kept keep continue bleiben bleibt")
# "We cannot ban it", "no school should be funded": denied as a negated modal is.
_DENIED_MODAL = re.compile(r"\b(?:cannot|can't|can not|couldn't|could not)\s+(?:be\s+)?(?=\w)")
_NO_SUBJECT = re.compile(r"(?:^|[.!?;]\s*)no\s+(?:\w+\s+){1,3}$")


# "It is still needed", "no longer necessary": a need stated is a proposal too.
_NEEDED = re.compile(
    r"\b(?:is|are|was|were|be|remains?)\s+(?P<neg>not\s+|no\s+longer\s+|never\s+)?"
    r"(?:still\s+|really\s+|very\s+|so\s+|absolutely\s+)?"
    r"(?:needed|necessary|essential|vital|indispensable|required|unnecessary|unneeded)\b"
    r"|\b(?:ist|sind|wäre|wären|bleibt|bleiben)\s+(?P<nicht>nicht\s+|nicht\s+mehr\s+)?"
    r"(?:dringend\s+|unbedingt\s+|sehr\s+|wirklich\s+)?"
    r"(?:nötig|notwendig|erforderlich|wichtig|unnötig|überflüssig|unverzichtbar)\b"
)


# The money or effort "would be better spent" elsewhere, on "more important
# things": an argument against the subject, whatever good words follow.
_ELSEWHERE = re.compile(
    r"\b(?:better|best|more wisely)\s+(?:be\s+)?(?:spent|used|invested)\b"
    r"|\bmore\s+(?:important|pressing|urgent|worthy|worthwhile)\s+"
    r"(?:things|issues|causes|priorities|problems|matters|areas|needs)\b"
    r"|\bthings\s+that\s+(?:truly\s+|really\s+)?matter\b"
    r"|\bbesser\s+(?:investiert|ausgegeben|eingesetzt)\b"
    r"|\bwichtigere\s+(?:dinge|probleme|themen|aufgaben)\b"
)
# Words one of those phrases must hold: a cheap test before the search.
_ELSEWHERE_HINTS = ("spent", "used", "invested", "more ", "matter", "besser", "wichtigere")


# A statement opening on the subject taken away ("without X, ...", "if we
# ended X, ...", "if we didn't have X, ...") argues by what losing it would
# bring: the harms it then names speak for X, the goods against it.
_REMOVED = re.compile(
    r"\W*(?:without|ohne)\b"
    r"|\W*if\s+(?:we|you|they|people|there|society)\s+(?:don't|do\s+not|didn't|did\s+not|"
    r"no\s+longer|can't|cannot|could\s+not|couldn't)\s+(?:have|had|allow|keep|use|were|was)\b"
    r"|\W*if\s+(?:we|you|they|people|society|governments?)\s+(?:end|ended|ban|banned|abolish|"
    r"abolished|close|closed|remove|removed|lose|lost|scrap|scrapped|stop|stopped|"
    r"get\s+rid\s+of|got\s+rid\s+of|abandon|abandoned|eliminate|eliminated|fight|fought|"
    r"prohibit|prohibited|outlaw|outlawed)\b"
    r"|\W*if\s+(?:\w+\s+){1,5}(?:was|were|is|are|got|gets)\s+(?:abolished|abandoned|banned|"
    r"ended|removed|closed|scrapped|eliminated|prohibited|outlawed|taken\s+away)\b"
    r"|\W*if\s+(?:not|no)\b"
    r"|\W*wenn\s+(?:es\s+)?(?:kein|keine|keinen)\b"
)


def _proposal_side(lowered: str) -> int:
    """The side of the first proposal in the text, 0 when there is none or it names no action."""
    m = _PROPOSAL.search(lowered)
    if not m:
        denied = _DENIED_MODAL.search(lowered)
        if denied:
            words = _WORD.findall(lowered[denied.end() : denied.end() + 40])[:2]
            for w in words:
                # "We cannot ban it": for it; "they can't be trusted" says no side here.
                if w in _AGAINST_ACTIONS:
                    return 1
                if w in _FOR_ACTIONS and w not in _KEEPING:
                    return -1
        needed = _NEEDED.search(lowered)
        if needed:
            negated = bool(needed.group("neg") or needed.group("nicht"))
            denied = negated != needed.group(0).endswith(
                ("unnecessary", "unneeded", "unnötig", "überflüssig")
            )
            return -1 if denied else 1
        m = _AFFORD.search(lowered)
        if not m:
            return 0
        rest = lowered[m.end() : m.end() + 60]
        words = _WORD.findall(rest)[:4]
        for w in words:
            if w in _FOR_ACTIONS or w in _AGAINST_ACTIONS:
                # "We can't afford to fund it": against funding it.
                return 1 if w in _AGAINST_ACTIONS else -1
        return 0
    before = lowered[max(0, m.start() - 30) : m.start()]
    negated = (
        bool(m.group("neg"))
        or bool(_NEGATED_MODAL.match(lowered, m.start()))
        or bool(_DENIED_BEFORE.search(before))
        or bool(_NO_SUBJECT.search(lowered[max(0, m.start() - 40) : m.start()]))
    )
    # Words up to the clause's end: "should be funded, not cut" is decided by "funded".
    rest = re.split(r"[,;:.!?]", m.group("rest"), maxsplit=1)[0]
    words = _WORD.findall(rest)
    for i, w in enumerate(words):
        action = 1 if w in _FOR_ACTIONS else -1 if w in _AGAINST_ACTIONS else 0
        if w in _KEEPING and any(v in _AGAINST_ACTIONS for v in words[i + 1 : i + 3]):
            continue
        if action:
            # "We should subsidize not X", "should be not funded": a negation
            # beside the action word flips it as one before the modal does.
            near = words[max(0, i - 2) : i] + words[i + 1 : i + 2]
            flip = negated != any(n in _NEG_WORDS for n in near)
            return -action if flip else action
        if w in _LACKING and not negated:
            return -1
    return -1 if negated else 0


def side(text: str) -> int:
    """+1 for the statement's subject, -1 against it, 0 when it does not say."""
    return side_and_proposal(text)[0]


def side_and_proposal(text: str) -> tuple[int, int]:
    """The statement's side, and the side of its explicit proposal (0 when it makes none).

    A proposal ("we should not subsidize X") is the surest cue there is; the
    refine step seeds its side prototypes from those alone.
    """
    return read(text)[1:]


def _side(
    lowered: str, no_better: bool, polarity: Callable[[], tuple[int, int]]
) -> tuple[int, int]:
    if _NO_VIEW.match(lowered):
        return 0, 0
    if no_better:
        return 1, 0
    proposed = _proposal_side(lowered)
    if proposed:
        return proposed, proposed
    if any(h in lowered for h in _ELSEWHERE_HINTS) and _ELSEWHERE.search(lowered):
        return -1, 0
    pos, neg = polarity()
    if _REMOVED.match(lowered):
        # "Without X, ... would collapse": the harm named is of losing X.
        pos, neg = neg, pos
    return (pos > neg) - (neg > pos), 0


def _sides_chunk(texts: list[str]) -> list[tuple[int, int]]:
    return [side_and_proposal(t) for t in texts]


def sides_all(texts: list[str]) -> tuple[list[int], list[int]]:
    """Sides and proposal sides of every text (``side_and_proposal``), over every core."""
    chunks = parallel.map_chunks(_sides_chunk, texts)
    pairs = _sides_chunk(texts) if chunks is None else [p for chunk in chunks for p in chunk]
    return [a for a, _ in pairs], [b for _, b in pairs]


def _classify_chunk(texts: list[str]) -> list[Stance]:
    return [classify(t) for t in texts]


def classify_all(texts: list[str]) -> list[Stance]:
    chunks = parallel.map_chunks(_classify_chunk, texts)
    if chunks is None:
        return _classify_chunk(texts)
    return [s for chunk in chunks for s in chunk]


def _read_chunk(texts: list[str]) -> list[tuple[Stance, int, int]]:
    return [read(t) for t in texts]


def read_all(texts: list[str]) -> tuple[list[Stance], list[int], list[int]]:
    """Stances, sides and proposal sides of every text in one pass, over every core."""
    chunks = parallel.map_chunks(_read_chunk, texts)
    rows = _read_chunk(texts) if chunks is None else [r for chunk in chunks for r in chunk]
    return [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]
