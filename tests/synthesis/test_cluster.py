import numpy as np

from cairn.synthesis.cluster import cut_tree, discover, ward_tree
from cairn.synthesis.embed import l2_normalise


def _blobs(seed: int = 0, per: int = 40, k: int = 4, dims: int = 16) -> tuple[np.ndarray, list]:
    rng = np.random.default_rng(seed)
    centres = np.eye(dims)[:k] * 3
    x = np.vstack([c + rng.normal(scale=0.4, size=(per, dims)) for c in centres])
    return l2_normalise(x), [i for i in range(k) for _ in range(per)]


def test_discover_finds_separated_groups_without_being_told_how_many() -> None:
    x, gold = _blobs()
    found = discover(x, seed=0)
    assert len(found.centroids) >= 4
    # every found theme is pure: it never mixes two true groups
    for t in range(len(found.centroids)):
        members = {gold[i] for i in np.where(found.labels == t)[0]}
        assert len(members) <= 1


def test_discover_is_deterministic_for_a_seed() -> None:
    x, _ = _blobs()
    a, b = discover(x, seed=3), discover(x, seed=3)
    assert np.array_equal(a.labels, b.labels)
    assert np.array_equal(a.centroids, b.centroids)


def test_weights_count_duplicates() -> None:
    x, _ = _blobs(per=5, k=2)
    w = np.ones(len(x))
    w[0] = 100  # one answer given by a hundred people
    found = discover(x, w, seed=0, min_size=2)
    assert found.labels.shape == (10,)


def test_ward_cut_gives_the_number_of_clusters_asked_for() -> None:
    x, _ = _blobs(per=3, k=3)
    merges = ward_tree(x, np.ones(len(x)))
    assert len(set(cut_tree(merges, len(x), 3).tolist())) == 3


def test_tiny_inputs_make_one_theme() -> None:
    x, _ = _blobs(per=1, k=2)
    found = discover(x)
    assert found.labels.tolist() == [0, 0]


def test_large_inputs_use_micro_clusters() -> None:
    x, _ = _blobs(per=6000, k=4, dims=8)  # 24,000 points: mini-batch path
    found = discover(x, seed=0, max_themes=10)
    assert 2 <= len(found.centroids) <= 10


def test_neighbour_smoothing_pulls_points_towards_their_group() -> None:
    from cairn.synthesis.cluster import smooth_neighbours

    x, gold = _blobs(per=20, k=3)
    s = smooth_neighbours(x, k=5)
    assert s.shape == x.shape and s.dtype == x.dtype
    assert np.allclose(np.linalg.norm(s, axis=1), 1.0, atol=1e-5)
    g = np.array(gold)

    def spread(v: np.ndarray) -> float:
        # mean cosine of each point to its own group's centre
        cs = [v[g == t].mean(0) for t in range(3)]
        return float(np.mean([v[i] @ cs[g[i]] / np.linalg.norm(cs[g[i]]) for i in range(len(v))]))

    assert spread(s) > spread(x)


def test_neighbour_smoothing_leaves_one_point_alone() -> None:
    from cairn.synthesis.cluster import smooth_neighbours

    x = l2_normalise(np.ones((1, 4)))
    assert np.array_equal(smooth_neighbours(x), x)
