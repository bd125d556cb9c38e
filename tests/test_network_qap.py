"""Tests of netwerkonderzoek.network.qap: QAP / MRQAP regression as R sna's netlm/netlogit.

R is not installed here. The reference values come from

- statsmodels OLS / Logit on the vectorised off-diagonal cells: the
  estimates and t / z values that ``sna::netlm`` / ``sna::netlogit``
  compute (sna 2.7-2, R/models.R: ``qr.coef`` on the vectorised graphs;
  ``glm.fit(..., family=binomial())``);
- ``sna_reference`` below, a loop-by-loop transcription of sna's
  ``nullhyp="qapspp"`` (DSP) and ``nullhyp="qapy"`` branches (permute the
  residual of x_i on the other terms with ``rmperm``, refit, keep the t of
  the last coefficient; or permute y and refit), each fit by statsmodels.
  Given the same node permutations it must give the same permutation
  distributions and hence the same p-values (sna's ``pgreqabs``, ``pgreq``,
  ``pleeq``: shares of the reps, observed not counted);
- Monte Carlo under null models with network autocorrelation (Dekker,
  Krackhardt & Snijders 2007, https://doi.org/10.1007/s11336-007-9016-1).
"""

from __future__ import annotations

import warnings

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from netwerkonderzoek.network import edge_matrix, node_match_matrix, qap_regression
from netwerkonderzoek.network.qap import (
    _design,
    _matrices,
    _permuted_statistics,
    _residual_matrices,
)

COLUMNS = ["term", "estimate", "statistic", "p_value", "p_greater", "p_less", "permutations"]


def _data(n=10, seed=0, binary=False):
    rng = np.random.default_rng(seed)
    x1 = rng.normal(size=(n, n))
    x2 = (rng.random((n, n)) < 0.4).astype(float)
    x3 = rng.integers(0, 5, (n, n)).astype(float)
    y = 0.5 * x1 + 0.4 * x2 - 0.1 * x3 + rng.normal(size=(n, n))
    if binary:
        y = (y > 0.2).astype(float)
    return y, [x1, x2, x3]


def _vectorised(y, X):
    off = ~np.eye(y.shape[0], dtype=bool)
    return y[off], sm.add_constant(np.column_stack([M[off] for M in X]), has_constant="add")


def _sm_fit(kind, yv, Z):
    if kind == "linear":
        return sm.OLS(yv, Z).fit()
    return sm.Logit(yv, Z).fit(disp=0, method="newton", tol=1e-12, maxiter=100)


def sna_reference(y, X, kind, method, perms):
    """sna's netlm/netlogit QAP loops, transcribed, with statsmodels fits (slow)."""
    n = y.shape[0]
    off = ~np.eye(n, dtype=bool)
    yv, Z = _vectorised(y, X)
    observed = np.asarray(_sm_fit(kind, yv, Z).tvalues)
    dist = np.empty((len(perms), Z.shape[1]))
    if method == "y":
        for r, o in enumerate(perms):
            dist[r] = _sm_fit(kind, y[np.ix_(o, o)][off], Z).tvalues
    else:
        for i in range(Z.shape[1]):
            others = np.delete(Z, i, axis=1)
            xres = np.zeros((n, n))
            xres[off] = sm.OLS(Z[:, i], others).fit().resid
            for r, o in enumerate(perms):
                design = np.column_stack([others, xres[np.ix_(o, o)][off]])
                dist[r, i] = np.asarray(_sm_fit(kind, yv, design).tvalues)[-1]
    return observed, dist


def _vectorised_distribution(y, X, kind, method, perms):
    names, mats = _matrices(y, X, None)
    yv, Z, rows, cols = _design(mats, names, True, kind)
    n = y.shape[0]
    E = _residual_matrices(Z, rows, cols, n, ["(intercept)", *names])
    return _permuted_statistics(kind, method, yv, Z, E, rows, cols, n, perms)


# --- estimates: netlm / netlogit = OLS / logit on the vectorised cells -------------


@pytest.mark.parametrize("kind", ["linear", "logistic"])
def test_estimates_and_statistics_equal_statsmodels(kind):
    # R: netlm(y, list(x1, x2, x3), nullhyp="qapspp", reps=1000)$coefficients
    #    netlogit(y, list(x1, x2, x3), nullhyp="qapspp", reps=1000)$coefficients
    y, X = _data(12, seed=1, binary=kind == "logistic")
    table = qap_regression(y, X, kind=kind, permutations=50, seed=1)
    fit = _sm_fit(kind, *_vectorised(y, X))
    assert list(table.columns) == COLUMNS
    assert list(table["term"]) == ["(intercept)", "x1", "x2", "x3"]
    np.testing.assert_allclose(table["estimate"], fit.params, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(table["statistic"], fit.tvalues, rtol=1e-7)
    assert (table["permutations"] == 50).all()


def test_undirected_uses_the_cells_below_the_diagonal():
    # R: netlm(y, list(x1), mode="graph", nullhyp="qapspp")
    rng = np.random.default_rng(4)
    a, b = rng.normal(size=(9, 9)), rng.normal(size=(9, 9))
    x = a + a.T
    y = 0.3 * x + b + b.T
    table = qap_regression(y, [x], directed=False, permutations=20, seed=0)
    lower = np.tril_indices(9, -1)
    fit = sm.OLS(y[lower], sm.add_constant(x[lower])).fit()
    np.testing.assert_allclose(table["estimate"], fit.params, rtol=1e-10)
    np.testing.assert_allclose(table["statistic"], fit.tvalues, rtol=1e-8)


def test_graphs_give_the_same_result_as_their_matrices():
    rng = np.random.default_rng(2)
    nodes = list("abcdefgh")
    Y = nx.gnp_random_graph(8, 0.4, seed=1, directed=True)
    Y = nx.relabel_nodes(Y, dict(enumerate(nodes)))
    Xg = nx.relabel_nodes(
        nx.gnp_random_graph(8, 0.5, seed=2, directed=True), dict(enumerate(nodes))
    )
    trust = rng.integers(0, 5, (8, 8)).astype(float)
    from_graphs = qap_regression(
        Y, {"tie": Xg, "trust": trust}, kind="logistic", seed=3, permutations=100
    )
    ymat, xmat = nx.to_numpy_array(Y, nodelist=nodes), nx.to_numpy_array(Xg, nodelist=nodes)
    from_arrays = qap_regression(
        ymat, {"tie": xmat, "trust": trust}, kind="logistic", seed=3, permutations=100
    )
    pd.testing.assert_frame_equal(from_graphs, from_arrays)
    assert list(from_graphs["term"]) == ["(intercept)", "tie", "trust"]


# --- permutation distributions: the vectorised code = sna's loops ---------------------


@pytest.mark.parametrize(
    ("kind", "method"),
    [("linear", "dsp"), ("linear", "y"), ("logistic", "dsp"), ("logistic", "y")],
)
def test_permutation_distribution_equals_sna_loops(kind, method):
    y, X = _data(8, seed=5, binary=kind == "logistic")
    perms = np.random.default_rng(7).permuted(np.tile(np.arange(8), (60, 1)), axis=1)
    observed, reference = sna_reference(y, X, kind, method, perms)
    ours = _vectorised_distribution(y, X, kind, method, perms)
    np.testing.assert_allclose(ours, reference, rtol=1e-6, atol=1e-7)
    # and so the p-values, computed as sna does from its distribution
    table = qap_regression(y, X, kind=kind, method=method, permutations=60, seed=7)
    np.testing.assert_allclose(
        table["p_value"], (np.abs(reference) >= np.abs(observed)).mean(axis=0)
    )
    np.testing.assert_allclose(table["p_greater"], (reference >= observed).mean(axis=0))
    np.testing.assert_allclose(table["p_less"], (reference <= observed).mean(axis=0))


def test_p_values_agree_across_seeds_within_monte_carlo_error():
    # Two independent runs estimate one exact QAP p-value: they differ by
    # at most 4 binomial standard errors of the difference.
    y, X = _data(15, seed=9)
    a = qap_regression(y, X, permutations=2000, seed=1)
    b = qap_regression(y, X, permutations=2000, seed=2)
    p = (a["p_value"] + b["p_value"]) / 2
    se = np.sqrt(2 * p * (1 - p) / 2000) + 1e-12
    assert (np.abs(a["p_value"] - b["p_value"]) <= 4 * se + 1e-3).all()
    assert not a["p_value"].equals(b["p_value"]) or (p == 0).all()


def test_same_seed_same_p_values_and_identity_counts_as_extreme():
    y, X = _data(4, seed=3)
    a = qap_regression(y, X[:1], permutations=300, seed=11)
    b = qap_regression(y, X[:1], permutations=300, seed=11)
    pd.testing.assert_frame_equal(a, b)
    # 4 nodes: 24 permutations, the identity among them; the observed statistic
    # recurs, so p_greater + p_less >= 1 (ties are counted on both sides)
    assert ((a["p_greater"] + a["p_less"]) >= 1.0).all()


# --- helpers ------------------------------------------------------------------


def test_edge_matrix_and_node_match_matrix():
    G = nx.DiGraph()
    G.add_nodes_from([("a", {"kind": "care"}), ("b", {"kind": "care"}), ("c", {"kind": None})])
    G.add_edge("a", "b", trust=3.0)
    G.add_edge("b", "c", trust=float("nan"))
    T = edge_matrix(G, "trust")
    assert T[0, 1] == 3.0 and np.isnan(T[1, 2]) and T[1, 0] == 0.0
    np.testing.assert_array_equal(edge_matrix(G), [[0, 1, 0], [0, 0, 1], [0, 0, 0]])
    S = node_match_matrix(G, "kind")
    assert S[0, 1] == S[1, 0] == 1.0
    assert np.isnan(S[2, 0]) and np.isnan(S[0, 2]) and S[2, 2] == 0.0
    U = edge_matrix(nx.Graph([("a", "b", {"w": 2.0})]), "w")
    np.testing.assert_array_equal(U, [[0, 2], [2, 0]])


# --- bad input ------------------------------------------------------------------


def test_errors_name_what_was_received():
    y, X = _data(6)
    with pytest.raises(ValueError, match=r"'kind' parameter .* Got 'probit'"):
        qap_regression(y, X, kind="probit")
    with pytest.raises(ValueError, match=r"'method' parameter .* Got 'qapx'"):
        qap_regression(y, X, method="qapx")
    with pytest.raises(ValueError, match=r"'permutations' .* Got 0"):
        qap_regression(y, X, permutations=0)
    with pytest.raises(ValueError, match=r"one order .* y 6, x1 5"):
        qap_regression(y, [np.ones((5, 5))])
    with pytest.raises(ValueError, match=r"square .* Got shape \(6, 5\)"):
        qap_regression(y, [np.ones((6, 5))])
    bad = X[0].copy()
    bad[0, 1] = np.nan
    with pytest.raises(ValueError, match="'x1' has 1 missing"):
        qap_regression(y, [bad])
    with pytest.raises(ValueError, match=r"terms \(intercept\), x1, x2 are linearly dependent"):
        qap_regression(y, [X[0], 2 * X[0] + 1])
    with pytest.raises(ValueError, match="binary y"):
        qap_regression(y, X, kind="logistic")
    with pytest.raises(ValueError, match="no ties"):
        qap_regression(np.zeros((6, 6)), X, kind="logistic")
    with pytest.raises(ValueError, match="at least one predictor"):
        qap_regression(y, [])
    with pytest.raises(ValueError, match=r"symmetric .* 'y' is not"):
        qap_regression(y, [X[0] + X[0].T], directed=False)
    with pytest.raises(ValueError, match="nodes are in some graphs but not in all: z"):
        qap_regression(
            nx.DiGraph([("a", "b"), ("b", "c")]), [nx.DiGraph([("a", "b"), ("c", "z")])]
        )
    with pytest.raises(ValueError, match=r"names.* 3 predictors. Got 1"):
        qap_regression(y, X, names=["trust"])


def test_separation_warns():
    x = np.arange(36, dtype=float).reshape(6, 6)
    y = (x > 17).astype(float)
    from netwerkonderzoek.exceptions import NetwerkonderzoekWarning

    with pytest.warns(NetwerkonderzoekWarning, match="did not converge"):
        qap_regression(y, [x], kind="logistic", permutations=10, seed=0)


# --- calibration: Monte Carlo under null models with network autocorrelation -------------


def _autocorrelated(rng, n, noise=0.5):
    """A matrix with row and column (sender and receiver) effects plus noise."""
    return rng.normal(size=(n, 1)) + rng.normal(size=(1, n)) + noise * rng.normal(size=(n, n))


def _naive_p(y, X, term):
    return float(_sm_fit("linear", *_vectorised(y, X)).pvalues[term])


def _rejections(generate, term, reps, seed, n=20, permutations=300):
    """Shares of p < 0.05 over ``reps`` data sets: DSP, y-permutation, naive OLS."""
    rng = np.random.default_rng(seed)
    p = np.empty((reps, 3))
    for r in range(reps):
        y, X = generate(rng, n)
        p[r, 0] = qap_regression(y, X, permutations=permutations, seed=r)["p_value"][term]
        p[r, 1] = qap_regression(y, X, method="y", permutations=permutations, seed=r)["p_value"][
            term
        ]
        p[r, 2] = _naive_p(y, X, term)
    return p, (p < 0.05).mean(axis=0)


@pytest.mark.slow
def test_dsp_size_is_nominal_where_naive_ols_is_anti_conservative():
    # Null: y and x independent, both with row and column effects (network
    # autocorrelation; Krackhardt 1988). 400 data sets of 20 partners, 300
    # permutations each. Figures (seed 2024): DSP 0.065, y-permutation 0.073,
    # naive OLS 0.51; DSP deciles 0.07 / 0.48 / 0.88 at 0.1 / 0.5 / 0.9. DSP and y-permutation (exact for one predictor) must be
    # within 2.6 binomial SE (2.8 points) of 5 %; naive OLS far above.
    def generate(rng, n):
        return _autocorrelated(rng, n), [_autocorrelated(rng, n)]

    p, rate = _rejections(generate, 1, reps=400, seed=2024)
    se = np.sqrt(0.05 * 0.95 / 400)
    assert abs(rate[0] - 0.05) < 2.6 * se
    assert abs(rate[1] - 0.05) < 2.6 * se
    assert rate[2] > 0.3
    # uniform: the DSP p-values' deciles are near 0.1, ..., 0.9
    deciles = np.quantile(p[:, 0], np.linspace(0.1, 0.9, 9))
    assert np.max(np.abs(deciles - np.linspace(0.1, 0.9, 9))) < 0.06


@pytest.mark.slow
def test_y_permutation_is_off_with_correlated_predictors_and_dsp_is_not():
    # Dekker et al. (2007): y-permutation tests "y unrelated to all of X", not
    # "beta_2 = 0 given x_1". Here y = 3 x1 + autocorrelated error, x1 without
    # row/column effects, x2 = 0.5 x1 + an autocorrelated part, beta_2 = 0.
    # Permuting y moves x1's big iid share into the permuted errors, so the
    # permutation distribution of t_2 is too narrow: y-permutation rejects far
    # too often (seed 7, 400 data sets: 0.35), DSP keeps the size (0.063),
    # naive OLS 0.55. With the roles swapped (x1 autocorrelated, iid error)
    # y-permutation never rejects (0.000; seed 8) and DSP stays near 5 % (0.035;
    # naive OLS, right here, 0.048).
    def liberal(rng, n):
        x1 = rng.normal(size=(n, n))
        x2 = 0.5 * x1 + _autocorrelated(rng, n)
        return 3 * x1 + _autocorrelated(rng, n, 0.3), [x1, x2]

    def conservative(rng, n):
        x1 = _autocorrelated(rng, n)
        x2 = 0.7 * x1 + 0.7 * _autocorrelated(rng, n)
        return 3 * x1 + rng.normal(size=(n, n)), [x1, x2]

    se = np.sqrt(0.05 * 0.95 / 400)
    _, rate = _rejections(liberal, 2, reps=400, seed=7)
    assert abs(rate[0] - 0.05) < 2.6 * se
    assert rate[1] > 0.15
    assert rate[2] > 0.3
    _, rate = _rejections(conservative, 2, reps=400, seed=8)
    assert abs(rate[0] - 0.05) < 2.6 * se
    assert rate[1] < 0.01


@pytest.mark.slow
def test_logistic_dsp_size_is_nominal():
    # Null for netlogit: a tie y_ij = [sender + receiver effects + noise > 1],
    # independent of an autocorrelated trust matrix x, with a second, iid
    # predictor. 300 data sets of 15 partners, 200 permutations: the DSP
    # rejection rate at 5 % within 2.6 binomial SE (3.3 points); the naive
    # logit's far above. Figures (seed 11): DSP 0.047, naive logit 0.31.
    rng = np.random.default_rng(11)
    reps, n = 300, 15
    p, naive = [], []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for r in range(reps):
            x = _autocorrelated(rng, n)
            y = (_autocorrelated(rng, n) > 1.0).astype(float)
            z = rng.normal(size=(n, n))
            table = qap_regression(y, [x, z], kind="logistic", permutations=200, seed=r)
            p.append(table["p_value"][1])
            naive.append(_sm_fit("logistic", *_vectorised(y, [x, z])).pvalues[1])
    se = np.sqrt(0.05 * 0.95 / reps)
    assert abs(np.mean(np.asarray(p) < 0.05) - 0.05) < 2.6 * se
    assert np.mean(np.asarray(naive) < 0.05) > 0.2
