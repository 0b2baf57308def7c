"""Stance of a statement: positive sign, challenge, idea, question or other.

Rules over small lexicons (English and German), checked in a fixed order:
a question mark or an opening question word wins, then suggestion cues
("should", "could we", "it would help"), then the balance of positive and
challenge cues. A negation flips the cue that follows it within a few words
("no problems", "couldn't fault", "not helpful"), as VADER does; a negation
with no cue after it ("the doctor didn't listen") counts as a challenge.
Good enough to sort a report into what went well and what to do next; a
person reviews it (``evals/score_stance.py`` scores it against human codes).
"""

from __future__ import annotations

import re

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
)
# A verb that takes away what follows flips it: "reduces bullying", "prevents crime".
_REDUCERS = _lex(
    "reduce reduces reduced reducing decrease decreases decreased eliminate eliminates "
    "eliminated prevent prevents prevented preventing stop stops avoid avoids avoiding "
    "alleviate alleviates lessen lessens lower lowers fight fights tackle tackles combat "
    "combats minimise minimises minimize minimizes ease eases end ends removes remove "
    "free preclude precludes cut cuts verhindern verhindert reduziert vermeidet"
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
_QUIET_NEGATORS = frozenset(["nothing", "none", "nobody", "no"])
# Answers such as "Nothing" or "No" say there is nothing to improve: not a challenge.
_NOTHING = frozenset(["nothing", "no", "none", "n/a", "na", "nil", "nothing really"])


# "Nothing could be better", "you cannot improve": praise, in any position.
_NO_BETTER = re.compile(
    r"\b(?:not|no|nothing|cannot|can't|couldn't|could not|don't|didn't|won't|wouldn't|never|"
    r"hardly|nicht|nichts|kein|keine)\b[^,.;!?]{0,40}?\b(?:better|improve|improved|"
    r"improvement|fault|complain|moan|criticise|criticize|besser|verbessern)\b"
)
# "Don't know", "not sure": no side at all.
_NO_VIEW = re.compile(
    r"^\W*(?:i\s+)?(?:don't|do not|dont|am not|'m not)\s+(?:know|think so|sure)\W*$"
    r"|^\W*(?:not sure|no idea|weiß nicht|keine ahnung)\W*$"
)


def classify(text: str) -> Stance:
    stripped = text.strip()
    if not stripped:
        return "other"
    # Stance shows in the opening; long texts are judged on their first part.
    lowered = stripped[:600].casefold().replace("’", "'")
    words = _WORD.findall(lowered)
    if lowered.strip(" .!") in _NOTHING:
        return "other"
    if stripped.endswith("?") or (words and words[0] in _QUESTION_OPENERS and "?" in stripped):
        return "question"
    if _AGAINST.search(lowered):
        return "challenge"
    if _NO_BETTER.search(lowered):
        return "positive"
    if any(p in lowered for p in _IDEA_PHRASES):
        return "idea"
    pos, neg = _polarity(_TOKEN.findall(lowered))
    if pos == 0 and neg == 0:
        return "other"
    return "positive" if pos > neg else "challenge"


def _polarity(words: list[str]) -> tuple[int, int]:
    """Positive and challenge cue counts, negations flipping the cue they reach."""
    pos = neg = 0
    pending = 0  # words a negation still reaches
    loud = False  # whether that negation counts as a challenge if it reaches no cue
    for w in words:
        if w in ",;:.!?":
            neg += pending > 0 and loud
            pending = 0
            continue
        if w in _NEGATORS or w in _REDUCERS:
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
    r"(?P<rest>(?:\s+\S+){0,5})"
)
_NEGATED_MODAL = re.compile(r"\b(?:shouldn't|shouldnt|mustn't|ought not|needn't)\b")
_AGAINST_ACTIONS = _lex(
    "ban banned banning abolish abolished abolishing abandon abandoned abandoning prohibit "
    "prohibited prohibiting illegal outlaw outlawed criminal criminalised criminalized "
    "criminalise criminalize crime offence offense end ended ending stop stopped remove "
    "removed scrap scrapped eliminate eliminated restrict restricted limit limited cut "
    "cancel cancelled canceled forbidden forbid punished penalised penalized closed close "
    "shut discontinued discouraged replaced replace fined taxed "
    "verboten verbieten abgeschafft abschaffen gestrichen streichen eingeschränkt "
    "einschränken abgeschaltet entfernt"
)
_FOR_ACTIONS = _lex(
    "allowed allow permitted permit able free right rights legal legalised legalized "
    "legalise legalize kept keep remain stay continue continued protected protect "
    "supported support subsidised subsidized subsidize subsidise funded fund encouraged "
    "encourage introduced introduce adopted adopt expanded expand mandatory compulsory "
    "required promoted promote respected respect choose decide "
    "erlaubt erlauben bleiben beibehalten gefördert fördern unterstützt"
)
_LACKING = _lex(
    "more better improve improved faster quicker sooner clearer easier cheaper fewer less "
    "mehr besser schneller sicherer breiter"
)


def side(text: str) -> int:
    """+1 for the statement's subject, -1 against it, 0 when it does not say."""
    lowered = text[:600].casefold().replace("’", "'")
    if _NO_VIEW.match(lowered):
        return 0
    if _NO_BETTER.search(lowered):
        return 1
    m = _PROPOSAL.search(lowered)
    if m:
        negated = bool(m.group("neg")) or bool(_NEGATED_MODAL.match(lowered, m.start()))
        words = _WORD.findall(m.group("rest"))
        for w in words:
            if w in _AGAINST_ACTIONS:
                return 1 if negated else -1
            if w in _FOR_ACTIONS:
                return -1 if negated else 1
            if w in _LACKING and not negated:
                return -1
        if negated:
            return -1
    pos, neg = _polarity(_TOKEN.findall(lowered))
    return (pos > neg) - (neg > pos)


def _sides_chunk(texts: list[str]) -> list[int]:
    return [side(t) for t in texts]


def sides_all(texts: list[str]) -> list[int]:
    chunks = parallel.map_chunks(_sides_chunk, texts)
    if chunks is None:
        return _sides_chunk(texts)
    return [s for chunk in chunks for s in chunk]


def _classify_chunk(texts: list[str]) -> list[Stance]:
    return [classify(t) for t in texts]


def classify_all(texts: list[str]) -> list[Stance]:
    chunks = parallel.map_chunks(_classify_chunk, texts)
    if chunks is None:
        return _classify_chunk(texts)
    return [s for chunk in chunks for s in chunk]
