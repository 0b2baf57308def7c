import numpy as np
import pytest

from cairn.synthesis import Options, Statement, embed, parallel, synthesize
from cairn.synthesis.embed import HybridEmbedder, auto_meaning_model, get_embedder


class FakeMiniLM:
    """Stands in for the full MiniLM so the suite needs no PyTorch."""

    name = "minilm"
    english_only = True
    guided_threshold = 0.3

    def __init__(self) -> None:
        self.calls: list[int] = []

    def encode(self, texts: list[str], progress: object = None) -> np.ndarray:
        self.calls.append(len(texts))
        rng = np.random.default_rng(len(texts))
        return rng.normal(size=(len(texts), 8)).astype(np.float32)


@pytest.fixture
def contextual(monkeypatch: pytest.MonkeyPatch) -> FakeMiniLM:
    fake = FakeMiniLM()
    monkeypatch.setattr(embed, "contextual_available", lambda: True)
    monkeypatch.setattr(embed, "_cuda_available", lambda: False)
    monkeypatch.setattr(embed, "SentenceTransformerEmbedder", lambda: fake)
    return fake


def test_auto_uses_the_static_model_without_the_full_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(embed, "contextual_available", lambda: False)
    assert auto_meaning_model(100, english=True) == "static"
    assert get_embedder("auto", n_texts=100).name.startswith("hybrid(static:")


def test_auto_takes_full_minilm_for_small_english_input(contextual: FakeMiniLM) -> None:
    emb = get_embedder("auto", n_texts=1_000, english=True)
    assert isinstance(emb, HybridEmbedder) and emb.static is contextual
    assert emb.name == "hybrid(minilm+tfidf-char)"


def test_auto_keeps_to_the_static_model_for_other_languages_and_big_cpu_input(
    contextual: FakeMiniLM, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert auto_meaning_model(1_000, english=False) == "static"
    too_many = embed.AUTO_CONTEXTUAL_MAX_CPU + 1
    assert auto_meaning_model(too_many, english=True) == "static"
    monkeypatch.setattr(embed, "_cuda_available", lambda: True)
    assert auto_meaning_model(too_many, english=True) == "minilm"


def test_hybrid_stays_static_even_when_the_full_extra_is_there(contextual: FakeMiniLM) -> None:
    assert get_embedder("hybrid", n_texts=10).name.startswith("hybrid(static:")


def test_synthesis_records_which_embedder_auto_chose(contextual: FakeMiniLM) -> None:
    words = ["bus", "food bank", "library", "phone line", "clinic", "park"]
    english = [
        Statement(f"{w}-{n}", f"The {w} near us {n}") for w in words for n in ("is late", "helps")
    ]
    r = synthesize(english, Options(min_theme_size=2))
    assert r.options["embedder_used"] == "hybrid(minilm+tfidf-char)"
    assert contextual.calls == [r.stats["unique_texts"]]

    german = [
        Statement(str(i), f"Die Ampel an der Kreuzung {i} ist zu kurz grün") for i in range(12)
    ]
    r = synthesize(german, Options(min_theme_size=2))
    assert r.options["embedder_used"].startswith("hybrid(static:")


def test_large_tfidf_transforms_in_parallel_give_the_same_rows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [f"statement {i} about buses, food {i % 7} and libraries" for i in range(300)]
    vec = TfidfVectorizer(ngram_range=(1, 2)).fit(texts)
    monkeypatch.setattr(parallel, "PARALLEL_MIN", 100)
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    together = embed.parallel_transform(vec, texts)
    assert (together != vec.transform(texts)).nnz == 0


def test_word_wise_character_ngrams_equal_scikit_learns() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [
        f"Statement {i}:  the BUS  is late\tagain\nand again, Ärger über Öffis {i % 7} a I"
        for i in range(200)
    ] + ["", "   ", "x", "Übermäßig   LANGE Wörter ohne Ende", "naïve café ünïcödé wordnotinfit"]
    for sublinear in (True, False):
        vec = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=(3, 4),
            sublinear_tf=sublinear,
            min_df=2,
            dtype=np.float32,
        ).fit(texts[:150])
        fast = embed.char_wb_transform(vec, texts)
        slow = vec.transform(texts)
        assert fast.shape == slow.shape
        assert np.allclose(fast.toarray(), slow.toarray(), atol=1e-6)
        assert (fast != 0).sum() == (slow != 0).sum()


def test_static_model_word_by_word_equals_model2vec() -> None:
    static = embed.StaticEmbedder()
    if not static.available():
        pytest.skip("the shipped static model is not there")
    model = static._load()
    texts = [f"The BUS to Ärzte-Zentrum {i} is late,\tagain!" for i in range(50)]
    texts += ["", "   ", "naïve CAFÉ 東京", "x " * 700, "odd\u00a0space"]
    fast = embed.l2_normalise(embed.static_wordwise(model, texts))
    slow = embed.l2_normalise(model.encode(texts, show_progress_bar=False))
    assert np.allclose(fast, slow, atol=1e-5)


def test_the_full_minilm_embedder_keeps_each_vector_with_its_text() -> None:
    # The real class is otherwise replaced by FakeMiniLM, which once hid an encode that
    # asked the model for model2vec's attributes and failed on every call. The model here
    # is a stand-in whose vector spells out its text, so a row out of place shows.
    torch = pytest.importorskip("torch")

    class ShapeOfText(torch.nn.Module):
        device = torch.device("cpu")

        def get_embedding_dimension(self) -> int:
            return 3

        def preprocess(self, texts: list[str]) -> dict:
            return {"shape": torch.tensor([[len(t), t.count("o"), 1.0] for t in texts])}

        def forward(self, features: dict) -> dict:
            return {"sentence_embedding": features["shape"] * 2}

    emb = embed.SentenceTransformerEmbedder(batch_size=4)
    emb._model = ShapeOfText()
    texts = [("o" * (i % 7)) + "x" * (i % 5) for i in range(23)]
    seen: list[float] = []
    vectors = emb.encode(texts, progress=lambda stage, frac: seen.append(frac))
    expected = np.array([[len(t), t.count("o"), 1.0] for t in texts], dtype=np.float32)
    expected /= np.linalg.norm(expected, axis=1, keepdims=True)
    assert np.allclose(vectors, expected, atol=1e-6)
    assert seen[-1] == 1.0 and emb.encode([]).shape == (0, 3)


def test_hybrid_side_by_side_on_an_accelerator_gives_the_same_vectors(
    contextual: FakeMiniLM,
) -> None:
    texts = [f"the bus to {place} is late" for place in ("town", "school", "clinic", "park")]
    sequential = HybridEmbedder(static=contextual).encode(texts)
    contextual.on_accelerator = True
    side_by_side = HybridEmbedder(static=contextual).encode(texts)
    assert np.array_equal(sequential, side_by_side)


def test_batches_tokenised_ahead_equal_the_models_own_preprocessing() -> None:
    # The fast path builds features from the Rust tokenizer's ids on threads; they must be
    # the tensors the model's own preprocess() would give, batch by batch and in order.
    torch = pytest.importorskip("torch")
    from tokenizers import Tokenizer, models, pre_tokenizers

    words = ["[PAD]", "[UNK]", "the", "bus", "is", "late", "again", "clinic", "helps"]
    rust = Tokenizer(models.WordLevel({w: i for i, w in enumerate(words)}, unk_token="[UNK]"))
    rust.pre_tokenizer = pre_tokenizers.Whitespace()

    class Slow:
        backend_tokenizer = rust
        pad_token, pad_token_id = "[PAD]", 0

        def __call__(self, texts: list[str]) -> dict:
            ids = [rust.encode(t).ids[:4] for t in texts]
            width = max(len(i) for i in ids)
            rows = [i + [0] * (width - len(i)) for i in ids]
            mask = [[1] * len(i) + [0] * (width - len(i)) for i in ids]
            return {
                "input_ids": torch.tensor(rows),
                "attention_mask": torch.tensor(mask),
                "token_type_ids": torch.zeros((len(ids), width), dtype=torch.int64),
                "modality": "text",
            }

    class Model:
        tokenizer = Slow()
        max_seq_length = 4

        def preprocess(self, texts: list[str]) -> dict:
            return self.tokenizer(texts)

    texts = ["the bus is late again and again", "clinic helps", "the clinic", "bus", "late"] * 7
    batches = [texts[i : i + 3] for i in range(0, len(texts), 3)]
    ahead = list(embed._tokenised_ahead(Model(), batches))
    assert len(ahead) == len(batches)
    for batch, got in zip(batches, ahead, strict=True):
        want = Model().preprocess(batch)
        assert got.keys() == want.keys() and got["modality"] == "text"
        for key in ("input_ids", "attention_mask", "token_type_ids"):
            assert torch.equal(got[key], want[key]), key
