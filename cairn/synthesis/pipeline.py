"""The orchestrator: one function from statements to a typed :class:`Result`."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from cairn.synthesis import cluster as cluster_mod
from cairn.synthesis import guided as guided_mod
from cairn.synthesis import label as label_mod
from cairn.synthesis import lang as lang_mod
from cairn.synthesis import noise as noise_mod
from cairn.synthesis import refine as refine_mod
from cairn.synthesis import stance as stance_mod
from cairn.synthesis.dedupe import group_duplicates
from cairn.synthesis.embed import Embedder, get_embedder, l2_normalise
from cairn.synthesis.split import split_statements
from cairn.synthesis.types import Options, Result, SetAside, Statement, Theme, ThemeSpec

ProgressFn = Callable[[str, float], None]

NON_ENGLISH_SWITCH = 0.3  # above this share keyphrases keep stop words of every language
NON_ENGLISH_WARN = 0.02
CONTEXTUAL_NON_ENGLISH_MAX = 0.1  # above this share ``auto`` keeps off English-only MiniLM
CONFIDENCE_TEMPERATURE = 0.05
QUOTE_CHARS = 400
LANGUAGE_SAMPLE = 50_000


@dataclass
class Stages:
    """Swappable stages; a caller (or a test) replaces any of them."""

    split: Callable[..., list[Statement]] = split_statements
    detect_language: Callable[[list[str]], list[str]] = lang_mod.detect_all
    stance: Callable[[list[str]], list[str]] = stance_mod.classify_all
    noise: Callable[[list[str]], list[str | None]] = noise_mod.reasons
    discover: Callable[..., cluster_mod.Clustering] = cluster_mod.discover
    place: Callable[..., guided_mod.Placement] = guided_mod.place
    extra: dict[str, object] = field(default_factory=dict)


def _confidences(x: np.ndarray, centroids: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Softmax share of the assigned theme among all themes (0 for unassigned)."""
    out = np.zeros(len(x), dtype=np.float64)
    if len(centroids) == 0:
        return out
    for s in range(0, len(x), 65536):
        sims = x[s : s + 65536] @ centroids.T
        z = (sims - sims.max(1, keepdims=True)) / CONFIDENCE_TEMPERATURE
        p = np.exp(z)
        p /= p.sum(1, keepdims=True)
        lab = labels[s : s + 65536]
        got = p[np.arange(len(lab)), np.maximum(lab, 0)]
        out[s : s + 65536] = np.where(lab >= 0, got, 0.0)
    return out


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:40] or "theme"


def synthesize(
    statements: Sequence[Statement],
    options: Options | None = None,
    *,
    themes: Sequence[ThemeSpec] | None = None,
    embedder: Embedder | None = None,
    stages: Stages | None = None,
    progress: ProgressFn | None = None,
) -> Result:
    """Turn statements into themes.

    Stages, in order (each swappable through ``stages`` or ``embedder``):

    1. split: long contributions become statements that keep ``contribution_id``;
    2. language: detect each statement's language; choose the embedder and warn
       when an English-only model meets other languages;
    3. dedupe: near-duplicates ("Nothing.", form letters) are grouped; later
       stages see each unique text once, weighted by its count;
    4. noise: greetings, thanks, logistics, junk and "nothing to add" are set
       aside in counted groups of their own (``Result.set_aside``);
       stance: positive / challenge / idea / question / other;
    5. embed: unique texts to L2-normalised vectors;
    6. cluster: discover themes (``themes`` not given) or place statements
       under the given themes and discover new ones from what fits none;
       refine: merge near-synonym themes, split themes that argue both ways;
    7. label: keyphrases, a claim-like label, headline, summary, quotes;
    8. assemble: assignments, confidences, counts by every attribute.

    The same statements and options give the same result, byte for byte.
    """
    opts = options or Options()
    st = stages or Stages()
    say = progress or (lambda stage, frac: None)
    warnings: list[str] = []

    say("split", 0.0)
    items = st.split(list(statements), opts.split_chars)
    texts = [s.text for s in items]
    ids = [s.id for s in items]
    if len(set(ids)) != len(ids):
        dup = next(i for i, c in Counter(ids).items() if c > 1)
        raise ValueError(f"statement ids must be unique; {dup!r} appears more than once")
    empty = [i for i, t in enumerate(texts) if not t.strip()]
    if empty:
        warnings.append(f"{len(empty)} empty statements were left unassigned")

    say("dedupe", 0.0)
    keep_idx = np.array([i for i, t in enumerate(texts) if t.strip()], dtype=np.int64)
    groups = group_duplicates([texts[i] for i in keep_idx], near=opts.dedupe)
    uniq = keep_idx[groups.unique]  # index into items of each unique text
    counts = groups.counts.astype(np.float64)
    inverse = groups.inverse()  # position in uniq for each kept item
    utexts = [texts[i] for i in uniq]

    say("language", 0.0)
    lang_sampled = len(utexts) > LANGUAGE_SAMPLE
    if lang_sampled:
        # Past this size a seeded sample tells the mix as well as every text would.
        pick = np.sort(np.random.default_rng(opts.seed).choice(len(utexts), LANGUAGE_SAMPLE, False))
        scale = float(counts.sum()) / float(counts[pick].sum())
        sampled = st.detect_language([utexts[i] for i in pick])
        languages = lang_mod.summarise(sampled, [int(c) for c in counts[pick]])
        languages = {k: int(round(v * scale)) for k, v in languages.items()}
    else:
        ulangs = st.detect_language(utexts)
        languages = lang_mod.summarise(ulangs, [int(c) for c in counts])
    non_en = lang_mod.non_english_share(languages)
    decided = sum(v for k, v in languages.items() if k != "und") or 1
    label_langs = tuple(
        sorted(k for k, v in languages.items() if k != "und" and v / decided >= NON_ENGLISH_WARN)
    ) or ("en",)

    say("noise", 0.0)
    # Greetings, thanks, logistics, junk and "nothing to add" are set aside
    # before clustering: counted in groups of their own, never forced into a theme.
    ureason = st.noise(utexts) if opts.set_aside_noise else [None] * len(utexts)
    active = np.array([u for u, r in enumerate(ureason) if r is None], dtype=np.int64)

    say("stance", 0.0)
    usides: list[int] | None = None
    uproposals: list[int] = []
    if st.stance is stance_mod.classify_all:
        # Sides come in the same pass over the texts: one lowering, one tokenising.
        ustances, usides, uproposals = stance_mod.read_all(utexts)
    else:
        ustances = st.stance(utexts)

    if embedder is None:
        embedder = get_embedder(
            opts.embedder,
            seed=opts.seed,
            english=non_en <= CONTEXTUAL_NON_ENGLISH_MAX,
            n_texts=len(active),
        )
    if non_en > NON_ENGLISH_WARN:
        other = ", ".join(f"{k}: {v}" for k, v in languages.items() if k not in ("en", "und"))
        note = getattr(embedder, "language_note", None)
        # The share is of statements whose language could be told; "und" ones
        # (too short to tell) are named so the figure is not read as of all.
        undetermined = languages.get("und", 0)
        basis = f" of the {decided:,} whose language could be told" if undetermined else ""
        if embedder.english_only:
            warnings.append(
                f"{non_en:.0%}{basis} look non-English ({other}); the embedder "
                f"{embedder.name!r} is English-only, so themes for those statements may be poor"
            )
        elif note:
            warnings.append(
                f"{non_en:.0%} of statements{basis} look non-English ({other}); the default "
                f"embedder's {note}"
            )

    say("embed", 0.0)
    specs = list(themes or [])
    theme_texts = [f"{t.label}: {t.description}".strip(": ") for t in specs]
    atexts = [utexts[u] for u in active]
    # Given themes are embedded in the same call: a fitted embedder (TF-IDF)
    # must put statements and theme descriptions in one space.
    if atexts or theme_texts:
        both = l2_normalise(embedder.encode(atexts + theme_texts, progress=say))
    else:
        both = np.zeros((0, 1), np.float32)
    x, tvecs = both[: len(atexts)], both[len(atexts) :]
    acounts = counts[active]

    say("cluster", 0.0)
    if specs:
        threshold = opts.guided_threshold or embedder.guided_threshold
        placed = st.place(
            x,
            acounts,
            tvecs,
            threshold,
            seed=opts.seed,
            min_size=opts.min_theme_size,
            max_themes=opts.max_themes,
        )
        alabels, centroids, n_given = placed.labels, placed.centroids, placed.n_given
    else:
        found = st.discover(
            x, acounts, seed=opts.seed, min_size=opts.min_theme_size, max_themes=opts.max_themes
        )
        alabels, centroids, n_given = found.labels, found.centroids, 0

    rng = np.random.default_rng(opts.seed)

    def _phrases(labels: np.ndarray, k: int) -> list[list[str]]:
        members = [np.where(labels == t)[0] for t in range(k)]
        sample = [
            m
            if len(m) <= label_mod.MAX_DOCS_PER_THEME
            else np.sort(rng.choice(m, label_mod.MAX_DOCS_PER_THEME, replace=False))
            for m in members
        ]
        return label_mod.keyphrases(
            [[atexts[i] for i in m] for m in sample],
            [acounts[m].tolist() for m in sample],
            n=opts.n_keyphrases,
            langs=label_langs,
        )

    sides: dict[int, str] = {}
    if opts.refine and len(centroids) > n_given:
        say("refine", 0.0)
        alabels, centroids = refine_mod.merge_near_synonyms(
            x, acounts, alabels, centroids, _phrases(alabels, len(centroids)), first=n_given
        )
        if usides is None:
            asides, aproposals = stance_mod.sides_all(atexts)
        else:
            asides = [usides[u] for u in active]
            aproposals = [uproposals[u] for u in active]
        on_subject = refine_mod.on_main_subject(atexts, label_mod.stop_words(label_langs))
        alabels, centroids, sides = refine_mod.refine_sides(
            x, acounts, alabels, centroids, asides, aproposals, n_given, on_subject
        )
    aconf = _confidences(x, centroids, alabels)

    say("label", 0.0)
    k = len(centroids)
    members = [np.where(alabels == t)[0] for t in range(k)]
    phrases = _phrases(alabels, k)
    stop = label_mod.stop_words(label_langs)

    # Order: given themes as given, then discovered ones by size (largest first).
    mass = np.array([acounts[m].sum() for m in members]) if k else np.zeros(0)
    discovered = sorted(
        range(n_given, k), key=lambda t: (-mass[t], members[t][0] if len(members[t]) else 0)
    )
    order = list(range(n_given)) + [t for t in discovered if mass[t] > 0]
    theme_ids: dict[int, str] = {}
    for pos, t in enumerate(order, 1):
        if t < n_given:
            spec = specs[t]
            theme_ids[t] = spec.id or _slug(spec.label)
        else:
            theme_ids[t] = f"t{pos}"
    if len(set(theme_ids.values())) != len(theme_ids):
        theme_ids = {t: f"{v}-{i}" for i, (t, v) in enumerate(theme_ids.items(), 1)}

    # Back from active unique texts to unique texts, then to every statement.
    ulabels = np.full(len(utexts), -1, dtype=np.int64)
    uconf = np.zeros(len(utexts), dtype=np.float64)
    if len(active):
        ulabels[active] = alabels
        uconf[active] = aconf
    item_theme = np.full(len(items), -1, dtype=np.int64)
    item_conf = np.zeros(len(items), dtype=np.float64)
    item_reason: list[str | None] = [None] * len(items)
    item_stance = ["other"] * len(items)
    if len(keep_idx):
        item_theme[keep_idx] = ulabels[inverse]
        item_conf[keep_idx] = uconf[inverse]
    for pos, i in enumerate(keep_idx):
        item_stance[i] = ustances[inverse[pos]]
        item_reason[i] = ureason[inverse[pos]]
    items_of_theme: dict[int, list[int]] = {t: [] for t in order}
    for i, t in enumerate(item_theme):
        if t >= 0 and t in items_of_theme:
            items_of_theme[int(t)].append(i)
    attr_keys = sorted({key for s in items for key in s.attributes})

    out_themes: list[Theme] = []
    for t in order:
        m = members[t]
        its = items_of_theme[t]
        if len(m):
            lengths = np.array([len(atexts[i].split()) for i in m])
            ranking = label_mod.mmr_ranking(
                x[m], centroids[t], lengths, max(opts.n_quotes, opts.n_summary, 4)
            )
            ranked = [int(uniq[active[m[r]]]) for r in ranking]
            central = m[np.lexsort((m, -(x[m] @ centroids[t])))][: label_mod.LABEL_CANDIDATES]
        else:
            ranked, central = [], np.zeros(0, dtype=np.int64)
        head_text = texts[ranked[0]] if ranked else ""
        headline = label_mod.trim(head_text, label_mod.HEADLINE_MAX_WORDS) if ranked else ""
        headline = headline[:1].upper() + headline[1:]
        summary, summary_ids = label_mod.summarise([(ids[i], texts[i]) for i in ranked], headline)
        quotes = [
            {"id": ids[i], "text": _clip(texts[i]), **items[i].attributes}
            for i in ranked[: opts.n_quotes]
        ]
        counts_by: dict[str, dict[str, int]] = {}
        for key in attr_keys:
            c = Counter(items[i].attributes.get(key) or "unknown" for i in its)
            counts_by[key] = dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0])))
        stance_counts = Counter(item_stance[i] for i in its)
        spec = specs[t] if t < n_given else None
        if spec:
            label = spec.label
        elif opts.labels == "keyphrases":
            label = label_mod.keyphrase_label(phrases[t], head_text)
        else:
            label = label_mod.make_label(
                phrases[t],
                head_text,
                [atexts[i] for i in central],
                [float(v) for v in x[central] @ centroids[t]],
                stop,
            )
        out_themes.append(
            Theme(
                id=theme_ids[t],
                label=label,
                keyphrases=phrases[t],
                headline=headline,
                summary=summary,
                quotes=quotes,
                size=len(its),
                counts=counts_by,
                statement_ids=[ids[i] for i in its],
                description=spec.description if spec else "",
                guided=spec is not None,
                stances=dict(sorted(stance_counts.items())),
                headline_id=ids[ranked[0]] if ranked else "",
                summary_ids=summary_ids,
                side=sides.get(t),
            )
        )

    assignments = {
        ids[i]: (theme_ids.get(int(t)) if t >= 0 else None) for i, t in enumerate(item_theme)
    }
    set_aside_ids: dict[str, list[int]] = {}
    for i, r in enumerate(item_reason):
        if r is not None:
            set_aside_ids.setdefault(r, []).append(i)
    set_aside = [
        SetAside(
            reason=r,
            label=noise_mod.GROUP_LABELS[r],
            size=len(set_aside_ids[r]),
            statement_ids=[ids[i] for i in set_aside_ids[r]],
            examples=list(dict.fromkeys(_clip(texts[i], 80) for i in set_aside_ids[r]))[:3],
        )
        for r in noise_mod.REASONS
        if r in set_aside_ids
    ]
    unassigned = [ids[i] for i, t in enumerate(item_theme) if t < 0]
    duplicates = []
    rep_members: dict[int, list[int]] = {}
    for pos, i in enumerate(keep_idx):
        rep_members.setdefault(int(inverse[pos]), []).append(int(i))
    for u, its in rep_members.items():
        if len(its) > 1:
            duplicates.append(
                {
                    "text": _clip(utexts[u]),
                    "count": len(its),
                    "statement_ids": [ids[i] for i in its],
                }
            )
    duplicates.sort(key=lambda d: (-d["count"], d["statement_ids"][0]))

    rank = {theme_ids[t]: pos for pos, t in enumerate(order)}
    votes: dict[str, Counter[str | None]] = {}
    for i, s in enumerate(items):
        votes.setdefault(s.contribution_id or s.id, Counter())[assignments[ids[i]]] += 1
    # Most pieces win; a tie goes to the theme listed first, a theme before none.
    contributions = {
        cid: min(v.items(), key=lambda kv: (-kv[1], rank.get(kv[0], len(rank))))[0]
        for cid, v in votes.items()
    }

    say("done", 1.0)
    return Result(
        themes=out_themes,
        assignments=assignments,
        confidences={ids[i]: round(float(item_conf[i]), 4) for i in range(len(items))},
        stances={ids[i]: item_stance[i] for i in range(len(items))},
        unassigned=unassigned,
        duplicates=duplicates,
        languages=languages,
        warnings=warnings,
        options={
            **opts.to_dict(),
            "embedder_used": embedder.name,
            "mode": "guided" if specs else "discover",
        },
        stats={
            "statements": len(items),
            "contributions": len({s.contribution_id for s in items}),
            "unique_texts": len(utexts),
            "themes": len(out_themes),
            "unassigned": len(unassigned),
            "set_aside": {g.reason: g.size for g in set_aside},
            "sides_split": sum(1 for v in sides.values()) // 2,
            "languages_estimated_from_sample": lang_sampled,
        },
        contributions=contributions,
        set_aside=set_aside,
        statements=list(items),
    )


def _clip(text: str, limit: int = QUOTE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
