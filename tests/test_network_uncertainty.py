"""Standard errors of network trust (clustered by rater) and of network measures (jackknife).

Sources of the expected values: hand calculations (in the comments); statsmodels'
OLS on a constant with ``cov_type="cluster"`` (the CR1 variance of Cameron &
Miller 2015, https://doi.org/10.3368/jhr.50.2.317); the ground truth of seeded
Monte Carlo designs (the true mean of the simulated ratings, the true sampling
SD of the density of a Bernoulli graph, p(1 - p) / (n(n - 1))).

Monte Carlo figures (these seeds; rerun the slow tests to reproduce):

- design like the example networks, 15-30 raters rating 3-12 ties each, rater
  effect plus tie-level error, 2000 data sets per row:

  ===============================  ========  =========
  ratings, ICC of the rater         CR1 t     naive iid
  ===============================  ========  =========
  normal, 0.1                      0.945     0.861
  normal, 0.3                      0.942     0.713
  1-4 scale (3 items), 0.1         0.950     0.886
  1-4 scale (3 items), 0.3         0.951     0.775
  ===============================  ========  =========

- fewer raters (2-12) rating 3-12, 1-20 or geometric(0.2) numbers of ties:
  the designs the coverage check keeps cover 0.941 (ICC 1, the worst case)
  and 0.942 (ICC 0.3), those it refuses 0.896 and 0.905;
- a target (reputation) effect as in the example networks' simulator, no
  rater effect: the rater-clustered interval covers 0.64 (a limitation);
- the node jackknife of density: mean SE / true SD 1.42 (n = 20, p = 0.2)
  and 1.42 (n = 30, p = 0.1) in a Bernoulli graph, where by hand
  E[SE^2] / Var = 2(n - 1) / (n - 2) (ratio of SDs 1.45 and 1.44); 1.04 when
  partners differ in activity (n = 30, random sender and receiver effects).
"""

from __future__ import annotations

import re

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from netwerkonderzoek import load_config, load_network
from netwerkonderzoek.network import (
    JACKKNIFE_MEASURES,
    MIN_COVERAGE,
    NetworkDataError,
    cluster_coverage,
    clustered_mean,
    jackknife_se,
    measure_uncertainty,
    network_measures,
    network_trust,
)

from .conftest import ROOT

TRUST_ITEMS = ("reliability", "mission_support", "open_discussion")
VALUE_ITEMS = ("power_influence", "involvement", "resource_contribution")


def _ratings(values, sources, targets=None) -> pd.DataFrame:
    """A ties table whose trust of each tie is ``values`` (all three trust items the same)."""
    targets = targets if targets is not None else [f"t{i}" for i in range(len(values))]
    ties = pd.DataFrame({"wave": 1, "source": sources, "target": targets})
    for item in TRUST_ITEMS:
        ties[item] = values
    for item in VALUE_ITEMS:
        ties[item] = 3
    return ties


# --- the clustered standard error of network trust ---------------------------------------


def test_clustered_se_by_hand():
    # a rates 4 and 4, b rates 2, c rates 3 and 2: mean 15 / 5 = 3; residual sums per
    # rater a: 1 + 1 = 2, b: -1, c: 0 - 1 = -1, so SE^2 = G/(G-1) * sum S_g^2 / N^2
    # = 3/2 * (4 + 1 + 1) / 25 = 0.36 and SE = 0.6; t(2, 0.975) = 4.302653, the interval
    # 3 -/+ 2.581592
    ties = _ratings([4, 4, 2, 3, 2], ["a", "a", "b", "c", "c"])
    row = network_trust(ties).iloc[0]
    assert row["trust"] == 3.0 and row["raters"] == 3
    assert row["trust_se"] == pytest.approx(0.6, abs=1e-12)
    assert row["trust_ci_low"] == pytest.approx(3 - 4.302653 * 0.6, abs=1e-6)
    assert row["trust_ci_high"] == pytest.approx(3 + 4.302653 * 0.6, abs=1e-6)
    # every value rating is 3: no spread, SE 0
    assert row["value_se"] == 0.0 and row["status"] == "ok" and row["note"] == ""
    # the naive iid SE differs: sd 1 (sum of squares 4 over 4) / sqrt(5) = 0.4472
    assert np.std([4, 4, 2, 3, 2], ddof=1) / np.sqrt(5) == pytest.approx(0.4472, abs=1e-4)


def test_clustered_se_equals_statsmodels_cluster_ols():
    import statsmodels.api as sm

    rng = np.random.default_rng(20240)
    clusters = rng.integers(0, 9, size=60)
    y = 3 + 0.4 * rng.normal(size=9)[clusters] + rng.normal(0, 0.5, size=60)
    mean = clustered_mean(y, clusters)
    # statsmodels: OLS of y on a constant, cov_type="cluster" with groups, use_t=True. Its
    # correction G/(G-1) * (N-1)/(N-K) is G/(G-1) for K = 1, and its t has G - 1 df: the
    # same SE and interval
    fit = sm.OLS(y, np.ones_like(y)).fit(
        cov_type="cluster", cov_kwds={"groups": clusters}, use_t=True
    )
    assert mean.estimate == pytest.approx(fit.params[0], rel=1e-12)
    assert mean.se == pytest.approx(fit.bse[0], rel=1e-10)
    assert mean.df == fit.df_resid_inference == 8
    assert (mean.ci_low, mean.ci_high) == pytest.approx(tuple(fit.conf_int()[0]), rel=1e-10)


def test_network_trust_se_equals_statsmodels_on_an_example_network():
    import statsmodels.api as sm

    from netwerkonderzoek.network import tie_trust

    if not (ROOT / "data" / "wijk-noord" / "ties.csv").is_file():
        pytest.skip("example data not generated yet (run `make simulate`)")
    config = load_config("wijk-noord", ROOT / "config")
    ties = load_network(config, ROOT / "data").ties
    table = network_trust(ties).set_index("wave")
    for wave, group in tie_trust(ties).groupby("wave"):
        rated = group.dropna(subset=["trust"])
        fit = sm.OLS(rated["trust"].to_numpy(), np.ones(len(rated))).fit(
            cov_type="cluster", cov_kwds={"groups": pd.factorize(rated["source"])[0]}
        )
        assert table.loc[wave, "trust_se"] == pytest.approx(fit.bse[0], rel=1e-10)
        assert table.loc[wave, "raters"] == group["source"].nunique()
    assert set(table["status"]) == {"ok"}


def test_network_trust_keeps_its_columns_and_appends_the_new_ones():
    ties = _ratings([4, 4, 2, 3, 2], ["a", "a", "b", "c", "c"])
    assert network_trust(ties).columns.tolist() == [
        "wave",
        "trust",
        "value",
        "rated_ties",
        "trust_reciprocity",
        "trust_gap",
        "raters",
        "trust_se",
        "trust_ci_low",
        "trust_ci_high",
        "value_se",
        "value_ci_low",
        "value_ci_high",
        "status",
        "note",
    ]


def test_network_trust_says_insufficient_data_with_one_rater_or_a_lopsided_design():
    one = network_trust(_ratings([4, 2, 3], ["a", "a", "a"])).iloc[0]
    assert one["trust"] == 3.0 and np.isnan(one["trust_se"]) and np.isnan(one["value_ci_low"])
    assert one["status"] == "insufficient_data"
    assert one["note"] == (
        "trust and value: all values come from one rater: the spread between raters is unknown"
    )
    # rater a rates 20 ties, b and c one each: the worst-case coverage is 0.415 (exact)
    lopsided = network_trust(_ratings([3] * 20 + [2, 4], ["a"] * 20 + ["b", "c"])).iloc[0]
    assert lopsided["status"] == "insufficient_data" and np.isnan(lopsided["trust_se"])
    assert "cover in only 42% of samples" in lopsided["note"]
    assert cluster_coverage([20, 1, 1]) == pytest.approx(0.4154, abs=5e-4)


def test_clustered_mean_rejects_values_and_clusters_of_different_lengths():
    with pytest.raises(ValueError, match=r"Got 3 values and 2 cluster labels instead"):
        clustered_mean([1.0, 2.0, 3.0], ["a", "b"])


def test_cluster_coverage_is_exact():
    # equal clusters: (ybar - mu) / SE is exactly t(G - 1)
    assert cluster_coverage([4, 4, 4, 4]) == 0.95
    assert np.isnan(cluster_coverage([7]))
    with pytest.raises(ValueError, match="must be positive"):
        cluster_coverage([3, 0])
    # against a seeded Monte Carlo of the worst case it computes (all variance between
    # clusters): 40 000 draws, Monte Carlo SE <= 0.0025
    rng = np.random.default_rng(7)
    for sizes in ([2, 8], [3, 12, 7, 1], [1, 1, 1, 2, 9, 15]):
        y, g = _simulate(np.array(sizes), icc=1.0, reps=40_000, rng=rng)
        hits = _cr1_hits(y, g, len(sizes), 0.0)
        assert cluster_coverage(sizes) == pytest.approx(hits.mean(), abs=0.01), sizes


# --- Monte Carlo calibration ---------------------------------------------------------------


def _simulate(sizes, icc, reps, rng, *, scale=False):
    """``reps`` data sets of ratings for one design: rater effect plus tie-level error.

    Continuous: ``u_g + e_i`` with variances ``icc`` and ``1 - icc`` (true mean 0).
    ``scale=True``: PARTNER-like trust, the mean of three 1-4 items
    ``clip(rint(3 + 0.6 (u_g + e_i) + N(0, 0.45)), 1, 4)``.
    """
    g = np.repeat(np.arange(len(sizes)), sizes)
    u = rng.normal(0.0, np.sqrt(icc), size=(reps, len(sizes)))[:, g]
    y = u + rng.normal(0.0, np.sqrt(1 - icc), size=(reps, len(g)))
    if scale:
        latent = 3.0 + 0.6 * y
        items = np.rint(latent[..., None] + rng.normal(0.0, 0.45, size=(*y.shape, 3)))
        y = np.clip(items, 1, 4).mean(axis=-1)
    return y, g


# true mean of one 1-4 item: 1 + P(Y > 1.5) + P(Y > 2.5) + P(Y > 3.5), Y ~ N(3, 0.6^2 + 0.45^2)
SCALE_MEAN = 1 + sum(stats.norm.sf(c, 3.0, np.hypot(0.6, 0.45)) for c in (1.5, 2.5, 3.5))


def _cr1_hits(y, g, G, true):
    """Whether each data set's CR1 t(G-1) interval covers ``true`` (vectorised)."""
    N = y.shape[1]
    sums = (y - y.mean(axis=1, keepdims=True)) @ np.eye(G)[g]
    se = np.sqrt(G / (G - 1) * (sums**2).sum(axis=1) / N**2)
    return np.abs(y.mean(axis=1) - true) <= stats.t.ppf(0.975, G - 1) * se


def _iid_hits(y, true):
    """Whether each data set's naive iid t interval covers ``true``."""
    N = y.shape[1]
    se = y.std(axis=1, ddof=1) / np.sqrt(N)
    return np.abs(y.mean(axis=1) - true) <= stats.t.ppf(0.975, N - 1) * se


def example_like_coverage(icc, scale, seed=2024, designs=200, reps=10):
    """CR1 and iid coverage with 15-30 raters rating 3-12 ties each; share the check keeps."""
    rng = np.random.default_rng(seed)
    cr1, iid, kept = [], [], []
    for _ in range(designs):
        sizes = rng.integers(3, 13, size=rng.integers(15, 31))
        y, g = _simulate(sizes, icc, reps, rng, scale=scale)
        true = SCALE_MEAN if scale else 0.0
        cr1.append(_cr1_hits(y, g, len(sizes), true))
        iid.append(_iid_hits(y, true))
        kept.append(clustered_mean(y[0], g).status == "ok")
    return np.concatenate(cr1).mean(), np.concatenate(iid).mean(), np.mean(kept)


@pytest.mark.slow
@pytest.mark.parametrize(("icc", "scale"), [(0.1, False), (0.3, False), (0.1, True), (0.3, True)])
def test_clustered_interval_covers_in_a_design_like_the_example_networks(icc, scale):
    cr1, iid, kept = example_like_coverage(icc, scale)
    # 2000 data sets: Monte Carlo SE of a coverage near 0.95 is 0.005
    assert 0.935 <= cr1 <= 0.965
    # ignoring the clustering undercovers in the same design (0.71-0.89)
    assert iid < 0.90 and cr1 - iid > 0.05
    assert kept == 1.0  # the coverage check keeps every such design


SIZES = {
    "3-12": lambda rng, G: rng.integers(3, 13, size=G),
    "1-20": lambda rng, G: rng.integers(1, 21, size=G),
    "geometric": lambda rng, G: rng.geometric(0.2, size=G),
}


def small_design_coverage(icc, seed=99, designs=25, reps=200):
    """Coverage of the designs the check keeps and of those it refuses, 2-12 raters."""
    rng = np.random.default_rng(seed)
    kept, refused = [], []
    for G in (2, 3, 4, 6, 8, 12):
        for draw in SIZES.values():
            for _ in range(designs):
                sizes = draw(rng, G)
                ok = cluster_coverage(sizes) >= MIN_COVERAGE
                y, g = _simulate(sizes, icc, reps, rng)
                (kept if ok else refused).append(_cr1_hits(y, g, G, 0.0))
    return np.concatenate(kept).mean(), np.concatenate(refused).mean(), len(kept) * reps


@pytest.mark.slow
@pytest.mark.parametrize("icc", [1.0, 0.3])
def test_coverage_check_keeps_designs_that_cover_and_refuses_those_that_do_not(icc):
    kept, refused, n = small_design_coverage(icc)
    assert n > 10_000  # Monte Carlo SE of the kept coverage below 0.0025
    assert kept >= 0.935
    assert refused < 0.925


@pytest.mark.slow
def test_clustering_by_rater_misses_correlation_among_ratings_a_partner_receives():
    # the example networks' simulator: a target reputation r_j ~ N(0, 0.25), a dyad term
    # N(0, 0.35) and noise; no rater effect. 25 partners rating 8-16 others each. The
    # rater-clustered interval (documented limitation) covers the mean 3 far too rarely.
    rng = np.random.default_rng(5)
    hits = []
    for _ in range(1000):
        n = 25
        reputation = rng.normal(0.0, 0.25, size=n)
        sources, targets = [], []
        for i in range(n):
            others = np.delete(np.arange(n), i)
            chosen = rng.choice(others, size=rng.integers(8, 17), replace=False)
            sources += [i] * len(chosen)
            targets += list(chosen)
        targets = np.array(targets)
        y = 3 + reputation[targets] + rng.normal(0.0, np.hypot(0.35, 0.2), size=len(targets))
        mean = clustered_mean(y, sources)
        hits.append(mean.ci_low <= 3.0 <= mean.ci_high)
    assert np.mean(hits) < 0.85  # 0.64 with this seed


# --- the node jackknife ---------------------------------------------------------------------


def _four():
    partners = pd.DataFrame({"partner_id": list("abcd"), "kind": ["care"] * 4})
    ties = pd.DataFrame(
        {
            "wave": [1] * 4,
            "source": ["a", "b", "b", "c"],
            "target": ["b", "a", "c", "d"],
            "tie_type": ["information"] * 4,
            "weight": [1.0] * 4,
        }
    )
    return ties, partners


def test_jackknife_se_by_hand():
    # a <-> b, b -> c, c -> d; n = 4. Without a, b, c, d: density 2/6, 1/6, 2/6, 3/6
    # (mean 1/3): SE^2 = 3/4 * (0 + 1/36 + 0 + 1/36) = 1/24. Reciprocity without them:
    # 0, 0, 1, 2/3 (mean 5/12): SE^2 = 3/4 * (25 + 25 + 49 + 9) / 144 = 0.5625
    ties, partners = _four()
    table = measure_uncertainty(ties, partners, layers=("all",), measures=JACKKNIFE_MEASURES)
    table = table.set_index("measure")
    assert table.loc["density", "se"] == pytest.approx(np.sqrt(1 / 24), abs=1e-12)
    assert table.loc["reciprocity", "se"] == pytest.approx(0.75, abs=1e-12)
    assert table.loc["density", "estimate"] == pytest.approx(1 / 3)
    # without b there is no two-path: no SE for transitivity, and the note says why
    assert np.isnan(table.loc["transitivity", "se"])
    assert table.loc["transitivity", "note"] == (
        "transitivity is undefined without partner b: no jackknife standard error"
    )
    # centralization needs 3 partners: the 3-partner subgraphs have it
    assert table.loc["degree_centralization", "se"] > 0
    G = nx.DiGraph([("a", "b"), ("b", "a"), ("b", "c"), ("c", "d")])
    assert jackknife_se(G, "density") == table.loc["density", "se"]


def test_unknown_measure_is_named_with_the_known_ones():
    ties, partners = _four()
    expected = (
        "The 'measures' parameter must name measures from density, reciprocity, "
        "transitivity, degree_centralization, indegree_centralization, "
        "outdegree_centralization, betweenness_centralization. Got 'closeness' instead."
    )
    with pytest.raises(ValueError, match=f"^{re.escape(expected)}$"):
        measure_uncertainty(ties, partners, measures=("density", "closeness"))
    with pytest.raises(ValueError, match="Got 'trust' instead"):
        measure_uncertainty(ties, partners, layers=("trust",))


def test_estimates_and_membership_are_those_of_network_measures(tiny):
    config = load_config("tiny", tiny[0])
    data = load_network(config, tiny[1])
    table = measure_uncertainty(
        data.ties, data.partners, config.wave_dates, measures=JACKKNIFE_MEASURES
    )
    measures = network_measures(data.ties, data.partners, config.wave_dates)
    expected = measures.set_index(["wave", "layer"])
    wide = table.pivot(index=["wave", "layer"], columns="measure", values="estimate")
    wide = wide.reindex(expected.index)
    pd.testing.assert_frame_equal(
        wide[list(JACKKNIFE_MEASURES)], expected[list(JACKKNIFE_MEASURES)], check_names=False
    )
    partners = table.groupby(["wave", "layer"])["partners"].first()
    assert partners.tolist() == expected["partners"].tolist()
    # the residents' council joins between the waves: the jackknife needs the dates
    with pytest.raises(NetworkDataError, match="has no fieldwork date"):
        measure_uncertainty(data.ties, data.partners)


def _bernoulli(rng, n, p):
    A = (rng.random((n, n)) < p).astype(int)
    np.fill_diagonal(A, 0)
    return nx.from_numpy_array(A, create_using=nx.DiGraph)


def jackknife_ratio_bernoulli(n, p, seed=31, reps=200):
    """Mean jackknife SE of density / its true SD in a Bernoulli graph."""
    rng = np.random.default_rng(seed)
    ses = [jackknife_se(_bernoulli(rng, n, p), "density") for _ in range(reps)]
    return np.mean(ses) / np.sqrt(p * (1 - p) / (n * (n - 1)))


def jackknife_ratio_heterogeneous(n=30, seed=32, reps=300):
    """Mean jackknife SE of density / its SD over graphs with random sender/receiver effects."""
    rng = np.random.default_rng(seed)
    densities, ses = [], []
    for _ in range(reps):
        sender, receiver = rng.normal(0.0, 0.8, size=(2, n))
        logit = -1.0 + sender[:, None] + receiver[None, :]
        A = (rng.random((n, n)) < 1 / (1 + np.exp(-logit))).astype(int)
        np.fill_diagonal(A, 0)
        G = nx.from_numpy_array(A, create_using=nx.DiGraph)
        densities.append(nx.density(G))
        ses.append(jackknife_se(G, "density"))
    return np.mean(ses) / np.std(densities, ddof=1)


@pytest.mark.slow
@pytest.mark.parametrize(("n", "p"), [(20, 0.2), (30, 0.1)])
def test_jackknife_se_of_density_in_a_bernoulli_graph(n, p):
    # by hand: deleting node i removes its d_i = in + out ties, and
    # E sum (d_i - dbar)^2 = 2 (n-1)(n-2) p(1-p), so E[SE^2] = 2 p(1-p) / (n(n-2)) against
    # Var = p(1-p) / (n(n-1)): the jackknife is conservative by sqrt(2(n-1)/(n-2)) ~ 1.44
    ratio = jackknife_ratio_bernoulli(n, p)
    assert ratio == pytest.approx(np.sqrt(2 * (n - 1) / (n - 2)), abs=0.06)


@pytest.mark.slow
def test_jackknife_se_of_density_is_about_right_when_partners_differ():
    # nodes drawn from a population of partners with their own activity (the model the
    # jackknife resamples): about right to slightly conservative (Lin, Lunde & Sarkar 2020)
    assert 0.95 <= jackknife_ratio_heterogeneous() <= 1.25
