"""Tests of netwerkonderzoek.network.cug: CUG tests (R sna's cug.test) and the turnover test.

R is not installed here. The reference values are exact null distributions,
by enumerating every graph the conditioning allows on 3 or 4 partners (the
uniform distributions that sna's ``rgraph(tprob=0.5)``, ``rgnm`` and
``rguman(method="exact")`` sample from; sna 2.7-2, R/gtest.R), against which
the Monte Carlo p-values must lie within 4 binomial standard errors; and
invariants of the null models (every replicate keeps the size, the number of
ties, the dyad census, or the numbers of ties kept, dropped and added).
"""

from __future__ import annotations

from collections import Counter

import networkx as nx
import numpy as np
import pytest
from scipy import stats

from netwerkonderzoek.network import (
    NetworkDataError,
    cug_test,
    directed_transitivity,
    dyad_census,
    freeman_centralization,
    turnover_test,
)
from netwerkonderzoek.network.cug import _random_graphs, _turnover_graphs

NODES = ["a", "b", "c", "d"]
ARCS = [(u, v) for u in NODES for v in NODES if u != v]


def _observed():
    return nx.DiGraph([("a", "b"), ("b", "c"), ("a", "c"), ("c", "a"), ("d", "a")])


def _all_digraphs():
    """Adjacency matrices of all 4096 digraphs on the 4 partners (exact enumeration)."""
    bits = (np.arange(2 ** len(ARCS))[:, None] >> np.arange(len(ARCS))) & 1
    A = np.zeros((len(bits), 4, 4))
    for k, (u, v) in enumerate(ARCS):
        A[:, NODES.index(u), NODES.index(v)] = bits[:, k]
    return A


def _census(A):
    mutual = (A * A.transpose(0, 2, 1)).sum(axis=(1, 2)) / 2
    asymmetric = A.sum(axis=(1, 2)) - 2 * mutual
    return mutual, asymmetric


def _weak_transitivity(A):
    """sna's gtrans(measure="weak") by its definition, for a stack of matrices."""
    eye = np.eye(A.shape[1], dtype=bool)
    two_paths = np.einsum("gij,gjk->gik", A, A)
    closed = (two_paths * A).sum(axis=(1, 2))
    open_ = np.where(eye, 0.0, two_paths).sum(axis=(1, 2))
    return np.where(open_ > 0, closed / np.where(open_ > 0, open_, 1), np.nan)


@pytest.mark.parametrize(
    ("cmode", "keep"),
    [
        ("size", lambda A: np.ones(len(A), dtype=bool)),
        ("edges", lambda A: A.sum(axis=(1, 2)) == 5),
        ("dyad_census", lambda A: (_census(A)[0] == 1) & (_census(A)[1] == 3)),
    ],
)
def test_transitivity_p_values_match_the_exact_null_distribution(cmode, keep):
    # R: cug.test(g, gtrans, cmode=...) — gtrans(measure="weak") is
    # directed_transitivity; the exact shares come from all graphs of that kind.
    G = _observed()
    assert dyad_census(G) == (1, 3, 2)
    observed = directed_transitivity(G)
    own = nx.to_numpy_array(G, nodelist=NODES)[None]
    assert _weak_transitivity(own)[0] == pytest.approx(observed)
    A = _all_digraphs()
    values = _weak_transitivity(A[keep(A)])
    values = values[~np.isnan(values)]
    exact_greater = np.mean(values >= observed - 1e-12)
    exact_less = np.mean(values <= observed + 1e-12)
    reps = 3000
    result = cug_test(G, "transitivity", cmode=cmode, reps=reps, seed=5).iloc[0]
    assert result["observed"] == observed
    for estimate, exact in ((result["p_greater"], exact_greater), (result["p_less"], exact_less)):
        assert abs(estimate - exact) <= 4 * np.sqrt(exact * (1 - exact) / reps) + 1e-9
    assert abs(result["null_mean"] - values.mean()) <= 4 * values.std() / np.sqrt(reps)
    assert result["reps"] == reps


def test_random_graphs_are_uniform_over_what_they_keep():
    # Three partners: 20 graphs with 3 of the 6 arcs; 12 with one mutual and one
    # asymmetric dyad; 64 of any size. Chi-square test of equal frequencies.
    G = nx.DiGraph([("a", "b"), ("b", "a"), ("b", "c")])
    rng = np.random.default_rng(0)
    for cmode, count in (("edges", 20), ("dyad_census", 12), ("size", 64)):
        seen = Counter(frozenset(H.edges) for H in _random_graphs(G, cmode, 200 * count, rng))
        assert len(seen) == count
        assert stats.chisquare(list(seen.values())).pvalue > 0.001


def test_every_replicate_keeps_its_condition():
    G = nx.gnp_random_graph(12, 0.3, seed=3, directed=True)
    census = dyad_census(G)
    rng = np.random.default_rng(1)
    assert all(
        H.number_of_edges() == G.number_of_edges() for H in _random_graphs(G, "edges", 50, rng)
    )
    assert all(dyad_census(H) == census for H in _random_graphs(G, "dyad_census", 50, rng))
    assert all(set(H) == set(G) for H in _random_graphs(G, "size", 5, rng))
    # so density is fixed given the ties, and reciprocity given the dyad census
    density = cug_test(G, "density", cmode="edges", reps=50, seed=2).iloc[0]
    assert density["p_greater"] == density["p_less"] == 1.0
    assert density["null_sd"] == pytest.approx(0.0, abs=1e-12)
    recip = cug_test(G, "reciprocity", cmode="dyad_census", reps=50, seed=2).iloc[0]
    assert recip["p_greater"] == recip["p_less"] == 1.0


def test_measures_are_the_package_measures_and_size_mode_has_density_one_half():
    G = _observed()
    table = cug_test(G, "centralization", cmode="size", reps=2000, seed=4)
    assert table.loc[0, "observed"] == freeman_centralization(G, "degree")
    size = cug_test(G, "density", cmode="size", reps=2000, seed=4).iloc[0]
    assert size["observed"] == nx.density(G)
    # each of the 12 arcs present with probability 1/2: density mean 0.5, sd sqrt(1/48)
    assert abs(size["null_mean"] - 0.5) < 4 * np.sqrt(1 / 48 / 2000)
    assert abs(size["null_sd"] - np.sqrt(1 / 48)) < 0.01
    own = cug_test(G, lambda H: H.number_of_edges(), cmode="edges", reps=10, seed=0)
    assert own.loc[0, "p_greater"] == 1.0
    assert list(table.columns) == [
        "measure",
        "cmode",
        "observed",
        "null_mean",
        "null_sd",
        "p_greater",
        "p_less",
        "reps",
        "undefined",
    ]


def test_undefined_replicates_are_counted_not_compared():
    # two ties on 5 partners: most random graphs with 2 ties have no two-path
    G = nx.DiGraph([("a", "b"), ("b", "c")])
    G.add_nodes_from("de")
    row = cug_test(G, "transitivity", cmode="edges", reps=200, seed=0).iloc[0]
    assert row["undefined"] > 100
    assert row["p_greater"] == 1.0  # observed 0: every defined replicate >= 0


def test_undirected_graphs():
    G = nx.cycle_graph(6)
    row = cug_test(G, "density", cmode="dyad_census", reps=20, seed=0).iloc[0]
    assert row["null_sd"] == pytest.approx(
        0.0, abs=1e-12
    )  # for a graph, the dyad census is the number of edges
    rng = np.random.default_rng(0)
    assert all(
        not H.is_directed() and H.number_of_edges() == 6
        for H in _random_graphs(G, "edges", 20, rng)
    )


def test_same_seed_same_result():
    G = _observed()
    a = cug_test(G, "reciprocity", cmode="edges", reps=100, seed=9)
    b = cug_test(G, "reciprocity", cmode="edges", reps=100, seed=9)
    assert a.equals(b)


# --- turnover ---------------------------------------------------------------------


def test_turnover_null_keeps_kept_dropped_and_added():
    G1 = nx.gnp_random_graph(10, 0.3, seed=1, directed=True)
    G2 = nx.gnp_random_graph(10, 0.3, seed=2, directed=True)
    rng = np.random.default_rng(0)
    counts, draws = _turnover_graphs(G1, G2, 100, rng)
    e1, e2 = set(G1.edges), set(G2.edges)
    assert counts == {"kept": len(e1 & e2), "dropped": len(e1 - e2), "added": len(e2 - e1)}
    for H in draws:
        eh = set(H.edges)
        assert (len(e1 & eh), len(e1 - eh), len(eh - e1)) == tuple(counts.values())
    # density cannot change differently: its test is void
    row = turnover_test(G1, G2, "density", reps=50, seed=0).iloc[0]
    assert row["p_greater"] == row["p_less"] == row["p_value"] == 1.0


def test_turnover_detects_reciprocation_and_not_random_change():
    cycle = [(f"p{i}", f"p{(i + 1) % 10}") for i in range(10)]
    G1 = nx.DiGraph(cycle)
    G2 = nx.DiGraph(cycle[:8] + [(v, u) for u, v in cycle])  # 2 dropped, 10 reciprocations
    row = turnover_test(G1, G2, "reciprocity", reps=500, seed=3).iloc[0]
    assert (row["kept"], row["dropped"], row["added"]) == (8, 2, 10)
    assert row["after"] == pytest.approx(16 / 18) and row["before"] == 0.0
    assert row["p_greater"] < 0.01 and row["p_value"] < 0.02
    # exact check of the null mean: among 90 - 10 = 80 non-ties, 10 drawn; each
    # reverse of a kept tie is drawn with probability 10/80, and a drawn reverse
    # makes 2 reciprocated ties; plus pairs among the added ties (small).
    assert 0.0 < row["null_mean"] < 0.4
    # a second wave drawn under the null itself is not significant, mostly
    rng = np.random.default_rng(4)
    _, draws = _turnover_graphs(G1, G2, 40, rng)
    p = [
        turnover_test(G1, H, "transitivity", reps=100, seed=k).loc[0, "p_value"]
        for k, H in enumerate(draws)
    ]
    assert np.mean(np.asarray(p) < 0.05) <= 0.15


def test_turnover_rosters():
    G1 = nx.DiGraph([("a", "b"), ("b", "c")])
    G2 = nx.DiGraph([("a", "b"), ("b", "d")])
    with pytest.raises(NetworkDataError, match="only in the first: c; only in the second: d"):
        turnover_test(G1, G2)
    row = turnover_test(G1, G2, "density", reps=10, seed=0, common_partners=True).iloc[0]
    assert (row["kept"], row["dropped"], row["added"]) == (1, 0, 0)
    with pytest.raises(NetworkDataError, match="two directed or two undirected"):
        turnover_test(G1, nx.Graph(G1))


def test_errors_name_what_was_received():
    G = _observed()
    with pytest.raises(ValueError, match=r"'measure' parameter .* Got 'modularity'"):
        cug_test(G, "modularity")
    with pytest.raises(ValueError, match=r"'cmode' parameter .* Got 'dyad.census'"):
        cug_test(G, "density", cmode="dyad.census")
    with pytest.raises(ValueError, match=r"'reps' parameter .* Got 0"):
        cug_test(G, "density", reps=0)
    small = nx.DiGraph([("a", "b")])
    with pytest.raises(NetworkDataError, match="centralization needs at least 3"):
        cug_test(small, "centralization", reps=5)
    solo = nx.DiGraph()
    solo.add_node("x")
    with pytest.raises(NetworkDataError, match="a CUG test needs at least 2"):
        cug_test(solo, "density")
