"""Standard errors for network tables: clustered means and the node jackknife.

Two kinds of uncertainty, for comparing evaluation rounds of a network:

- **Means of ratings clustered by rater** (:func:`clustered_mean`). The
  ratings one partner gives are correlated (a lenient partner rates every
  partner high), so the standard error of a mean over rated ties is the
  cluster-robust (CR1) one with the rater as cluster (Cameron & Miller 2015,
  eq. 11 with the correction :math:`G/(G-1)`; the regression of the ratings
  on a constant with ``cov_type="cluster"`` in statsmodels gives the same),
  and its interval uses *t* with :math:`G - 1` degrees of freedom:

  .. math::

      \\widehat{V} = \\frac{G}{G-1} \\frac{1}{N^2} \\sum_{g=1}^{G}
      \\Big(\\sum_{i \\in g} (y_i - \\bar y)\\Big)^2, \\qquad
      \\bar y \\pm t_{0.975,\\, G-1} \\sqrt{\\widehat V}

  With few raters, or raters who rate very different numbers of ties, this
  interval is too short. :func:`cluster_coverage` computes, from the numbers
  of ties per rater alone, the interval's exact coverage in the worst case
  (all variation between raters, normal rater effects), as the probability
  that a quadratic form in normal variables is at most zero (Imhof 1961).
  Where it is below :data:`MIN_COVERAGE` (0.93) the standard error and the
  interval are NaN and the status is ``insufficient_data``. Monte Carlo
  (``tests/test_network_uncertainty.py``): with 15–30 raters rating 3–12
  ties each the interval covers 94–95 % (the naive iid interval 71–89 %);
  of designs with 2–12 raters the ones the check keeps cover 94 %, the ones
  it refuses 90 %. The raters are the clusters: correlation among the
  ratings one partner *receives* (its reputation, as in the example
  networks' simulator) is not in the standard error; with such an effect
  and no rater effect the interval covers only 64 %.

- **Network measures** (:func:`measure_uncertainty`, :func:`jackknife_se`):
  the delete-one-node jackknife of Snijders & Borgatti (1999). With
  :math:`\\hat\\theta_{(i)}` the measure of the network without partner *i*
  and :math:`\\bar\\theta_{(\\cdot)}` their mean,

  .. math::

      \\widehat{\\mathrm{SE}}^2 = \\frac{n-1}{n} \\sum_{i=1}^{n}
      \\big(\\hat\\theta_{(i)} - \\bar\\theta_{(\\cdot)}\\big)^2

  It treats the partners as drawn from a population of possible partners and
  is conservative in expectation (an Efron–Stein inequality, Lin, Lunde &
  Sarkar 2020). When partners differ in how active they are it is about
  right; when every tie is an independent coin flip with one probability
  (Bernoulli graph) the density's jackknife SE is about
  :math:`\\sqrt{2(n-1)/(n-2)} \\approx 1.44` times its true sampling SD (by
  hand; the Monte Carlo agrees).

References
----------
Cameron, A. C., & Miller, D. L. (2015). A practitioner's guide to
cluster-robust inference. *Journal of Human Resources* 50(2), 317–372.
https://doi.org/10.3368/jhr.50.2.317

Imhof, J. P. (1961). Computing the distribution of quadratic forms in normal
variables. *Biometrika* 48(3/4), 419–426.
https://doi.org/10.1093/biomet/48.3-4.419

Snijders, T. A. B., & Borgatti, S. P. (1999). Non-parametric standard errors
and tests for network statistics. *Connections* 22(2), 61–70.
https://www.insna.org/connections (no DOI)

Lin, Q., Lunde, R., & Sarkar, P. (2020). On the theoretical properties of
the network jackknife. *Proceedings of the 37th International Conference on
Machine Learning*, PMLR 119, 6105–6115.
https://doi.org/10.48550/arXiv.2004.08935

Examples
--------
>>> import networkx as nx
>>> from netwerkonderzoek.network import jackknife_se
>>> round(jackknife_se(nx.DiGraph([("a", "b"), ("b", "a"), ("b", "c"), ("c", "d")])), 4)
0.2041
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .graphs import LAYERS, check_graph, network_waves

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Callable

    import pandas as pd

__all__ = [
    "DEFAULT_UNCERTAINTY_MEASURES",
    "JACKKNIFE_MEASURES",
    "MIN_COVERAGE",
    "ClusteredMean",
    "cluster_coverage",
    "clustered_mean",
    "jackknife_se",
    "measure_uncertainty",
]

#: Below this exact worst-case coverage of the 95 % interval (for the
#: observed numbers of ties per rater) :func:`clustered_mean` gives no
#: standard error: ``insufficient_data``.
MIN_COVERAGE = 0.93

#: Measures :func:`measure_uncertainty` and :func:`jackknife_se` know, named
#: as the columns of :func:`~netwerkonderzoek.network.network_measures`.
JACKKNIFE_MEASURES = (
    "density",
    "reciprocity",
    "transitivity",
    "degree_centralization",
    "indegree_centralization",
    "outdegree_centralization",
    "betweenness_centralization",
)

DEFAULT_UNCERTAINTY_MEASURES = ("density", "reciprocity", "transitivity", "degree_centralization")


@dataclass(frozen=True)
class ClusteredMean:
    """A mean with its cluster-robust (CR1) standard error and *t* interval.

    Attributes
    ----------
    estimate : float
        The mean of the values (NaN without values).
    se, ci_low, ci_high : float
        CR1 standard error and interval; NaN when ``status`` is
        ``insufficient_data``.
    df : int
        Degrees of freedom of the interval, ``clusters - 1``.
    clusters, observations : int
        Number of clusters (*G*) and of values (*N*).
    coverage : float
        Worst-case exact coverage of the interval for these cluster sizes
        (:func:`cluster_coverage`); NaN with fewer than two clusters.
    status : str
        ``"ok"`` or ``"insufficient_data"``.
    note : str
        Why there is no standard error; empty when there is one.
    """

    estimate: float
    se: float
    ci_low: float
    ci_high: float
    df: int
    clusters: int
    observations: int
    coverage: float
    status: str
    note: str


def _below_zero(lam) -> float:
    """P(sum_j lam_j X_j <= 0) for independent chi-square(1) X_j (Imhof 1961)."""
    import numpy as np
    from scipy import integrate

    lam = np.asarray(lam, dtype=float)
    scale = np.abs(lam).max()
    lam = lam[np.abs(lam) > 1e-12 * scale] / scale
    if (lam >= 0).all():
        return 0.0
    if (lam <= 0).all():
        return 1.0

    def integrand(u: float) -> float:
        theta = 0.5 * np.arctan(lam * u).sum()
        return np.sin(theta) * np.exp(-0.25 * np.log1p((lam * u) ** 2).sum()) / u

    value, _ = integrate.quad(integrand, 0.0, np.inf, limit=400)
    return float(min(max(0.5 - value / np.pi, 0.0), 1.0))


def cluster_coverage(sizes, *, level: float = 0.95) -> float:
    """Exact worst-case coverage of the CR1 *t* interval of a mean, from cluster sizes.

    With values :math:`y_i = \\mu + u_{g(i)}`, :math:`u_g \\sim N(0, 1)` (all
    variation between clusters, where unequal cluster sizes hurt most), the
    interval :math:`\\bar y \\pm t_{G-1} \\widehat{\\mathrm{SE}}_{CR1}` covers
    :math:`\\mu` when :math:`u^\\top Q u \\le 0` with

    .. math::

        Q = n n^\\top - t_{G-1}^2 \\tfrac{G}{G-1} P^\\top D^2 P, \\qquad
        P = I - \\mathbf{1} w^\\top,\\; D = \\mathrm{diag}(n),\\; w = n / N

    (*n* the cluster sizes); its probability follows from the eigenvalues of
    *Q* (Imhof 1961). It depends on the sizes only. In every design we
    checked, the coverage rises with the share of within-cluster (tie-level)
    variation, so this is the worst case under normal errors (the Monte
    Carlo in the tests agrees). Equal sizes give exactly ``level``.

    Parameters
    ----------
    sizes : array-like of int
        Number of values in each cluster (ties rated by each rater).
    level : float
        Nominal level of the interval.

    Returns
    -------
    float
        The coverage; NaN with fewer than two clusters.

    Raises
    ------
    ValueError
        If a size is not positive or ``level`` is not between 0 and 1.

    References
    ----------
    Imhof, J. P. (1961). https://doi.org/10.1093/biomet/48.3-4.419

    Examples
    --------
    Equal clusters: the *t* interval is exact. One rater rating 20 ties next
    to two rating one each: the interval covers in only 42 % of samples.

    >>> round(cluster_coverage([5, 5, 5]), 4)
    0.95
    >>> round(cluster_coverage([1, 1, 20]), 2)
    0.42
    """
    import numpy as np
    from scipy import stats

    n = np.asarray(sizes, dtype=float).ravel()
    if not 0 < level < 1:
        raise ValueError(f"The 'level' parameter must be between 0 and 1. Got {level!r} instead.")
    if (n <= 0).any():
        raise ValueError(f"Cluster sizes must be positive. Got {n.min():g} among them instead.")
    G = len(n)
    if G < 2:
        return float("nan")
    if np.all(n == n[0]):
        return float(level)
    k = stats.t.ppf(0.5 + level / 2, G - 1)
    w = n / n.sum()
    P = np.eye(G) - np.outer(np.ones(G), w)
    Q = np.outer(n, n) - k**2 * G / (G - 1) * (P.T * n**2) @ P
    return _below_zero(np.linalg.eigvalsh(Q))


def _insufficient(estimate, G, N, coverage, note) -> ClusteredMean:
    nan = float("nan")
    return ClusteredMean(
        estimate, nan, nan, nan, max(G - 1, 0), G, N, coverage, "insufficient_data", note
    )


def clustered_mean(
    values,
    clusters,
    *,
    level: float = 0.95,
    min_coverage: float = MIN_COVERAGE,
    unit: str = "cluster",
) -> ClusteredMean:
    """Mean with its cluster-robust (CR1) standard error and :math:`t(G-1)` interval.

    .. math::

        \\widehat{\\mathrm{SE}}^2 = \\frac{G}{G-1} \\frac{1}{N^2}
        \\sum_g \\Big(\\sum_{i \\in g} (y_i - \\bar y)\\Big)^2

    the CR1 variance of Cameron & Miller (2015), equal to statsmodels'
    ``OLS(y, 1).fit(cov_type="cluster", cov_kwds={"groups": g})`` (its
    factor :math:`(N-1)/(N-K)` is 1 for a constant). Missing values are left
    out with their cluster labels.

    Parameters
    ----------
    values : array-like of float
        The observations (ratings of ties).
    clusters : array-like
        The cluster of each value (the rater), same length.
    level : float
        Level of the interval.
    min_coverage : float
        Give no standard error when :func:`cluster_coverage` of the cluster
        sizes is below this.
    unit : str
        What a cluster is, for the note (``"rater"``).

    Returns
    -------
    ClusteredMean
        ``status`` ``insufficient_data`` (NaN ``se``, ``ci_low``, ``ci_high``)
        without values, with one cluster, or below ``min_coverage``.

    Raises
    ------
    ValueError
        If ``values`` and ``clusters`` differ in length.

    References
    ----------
    Cameron, A. C., & Miller, D. L. (2015). https://doi.org/10.3368/jhr.50.2.317

    Examples
    --------
    Rater a gives 4 and 4, b gives 2, c gives 3 and 2: the mean is 3. By
    hand, the residual sums per rater are 2, -1 and -1, so
    SE² = 3/2 · (4 + 1 + 1) / 5² = 0.36 and SE = 0.6; t(2) = 4.3027.

    >>> m = clustered_mean([4, 4, 2, 3, 2], ["a", "a", "b", "c", "c"])
    >>> m.estimate, round(m.se, 4), m.df, round(m.ci_low, 4), round(m.ci_high, 4)
    (3.0, 0.6, 2, 0.4184, 5.5816)
    >>> m.status, round(m.coverage, 3)
    ('ok', 0.942)

    One rater with 20 values and two with one each: no honest interval.

    >>> m = clustered_mean([3.0] * 20 + [2.0, 4.0], ["a"] * 20 + ["b", "c"], unit="rater")
    >>> m.status, m.se
    ('insufficient_data', nan)
    >>> m.note
    'the 95% interval from 3 raters with 1 to 20 values each would cover in only 42% of samples when raters differ (at least 93% needed)'
    """
    import numpy as np
    import pandas as pd

    y = np.asarray(values, dtype=float).ravel()
    labels = np.asarray(clusters, dtype=object).ravel()
    if len(y) != len(labels):
        raise ValueError(
            f"values and clusters must have the same length. Got {len(y)} values and "
            f"{len(labels)} cluster labels instead."
        )
    keep = ~np.isnan(y)
    y, labels = y[keep], labels[keep]
    N = len(y)
    codes, uniques = pd.factorize(pd.Series(labels, dtype=object), sort=True)
    G = len(uniques)
    if N == 0:
        return _insufficient(float("nan"), 0, 0, float("nan"), f"no values from any {unit}")
    estimate = float(y.mean())
    if G < 2:
        note = f"all values come from one {unit}: the spread between {unit}s is unknown"
        return _insufficient(estimate, G, N, float("nan"), note)
    sizes = np.bincount(codes, minlength=G)
    coverage = cluster_coverage(sizes, level=level)
    if coverage < min_coverage:
        note = (
            f"the {level:.0%} interval from {G} {unit}s with {sizes.min()} to {sizes.max()} "
            f"values each would cover in only {coverage:.0%} of samples when {unit}s differ "
            f"(at least {min_coverage:.0%} needed)"
        )
        return _insufficient(estimate, G, N, coverage, note)
    from scipy import stats

    sums = np.bincount(codes, weights=y - estimate, minlength=G)
    se = float(np.sqrt(G / (G - 1) * np.sum(sums**2) / N**2))
    half = float(stats.t.ppf(0.5 + level / 2, G - 1)) * se
    low, high = estimate - half, estimate + half
    return ClusteredMean(estimate, se, low, high, G - 1, G, N, coverage, "ok", "")


def _measure_functions(names, seed) -> dict[str, Callable]:
    """The measure of each name, as network_measures computes it (NaN where undefined)."""
    import networkx as nx

    from .centralization import freeman_centralization
    from .measures import directed_transitivity

    def centralization(kind):
        def measure(G):
            if G.number_of_nodes() < 3:
                return float("nan")
            return freeman_centralization(G, kind, seed=seed)

        return measure

    known = {
        "density": lambda G: nx.density(G) if G.number_of_nodes() >= 2 else float("nan"),
        "reciprocity": lambda G: (
            nx.overall_reciprocity(G) if G.number_of_edges() else float("nan")
        ),
        "transitivity": directed_transitivity,
        **{
            f"{kind}_centralization": centralization(kind)
            for kind in ("degree", "indegree", "outdegree", "betweenness")
        },
    }
    unknown = [name for name in names if name not in known]
    if unknown:
        raise ValueError(
            f"The 'measures' parameter must name measures from {', '.join(JACKKNIFE_MEASURES)}. "
            f"Got {', '.join(map(repr, unknown))} instead."
        )
    return {name: known[name] for name in names}


def _jackknife(G, functions: dict) -> dict[str, tuple[float, float, str]]:
    """Estimate, node-jackknife SE and a note per measure; one subgraph per left-out node."""
    import numpy as np

    from ._matrix import node_order

    nodes = node_order(G)
    n = len(nodes)
    estimates = {name: float(f(G)) for name, f in functions.items()}
    replicates = {name: np.empty(n) for name in functions}
    for i, node in enumerate(nodes):
        H = G.copy()
        H.remove_node(node)
        for name, f in functions.items():
            replicates[name][i] = f(H) if estimates[name] == estimates[name] else np.nan
    out = {}
    for name, theta in replicates.items():
        if estimates[name] != estimates[name]:
            out[name] = (estimates[name], float("nan"), f"{name} is undefined for this network")
        elif np.isnan(theta).any():
            left = nodes[int(np.flatnonzero(np.isnan(theta))[0])]
            note = f"{name} is undefined without partner {left}: no jackknife standard error"
            out[name] = (estimates[name], float("nan"), note)
        else:
            se = float(np.sqrt((n - 1) / n * np.sum((theta - theta.mean()) ** 2)))
            out[name] = (estimates[name], se, "")
    return out


def jackknife_se(G, measure: str | Callable = "density", *, seed: int | None = None) -> float:
    """Delete-one-node jackknife standard error of a network measure.

    .. math::

        \\widehat{\\mathrm{SE}}^2 = \\frac{n-1}{n} \\sum_{i=1}^{n}
        \\big(\\hat\\theta_{(i)} - \\bar\\theta_{(\\cdot)}\\big)^2

    with :math:`\\hat\\theta_{(i)}` the measure of ``G`` without node *i*
    (Snijders & Borgatti 1999).

    Parameters
    ----------
    G : networkx.DiGraph
        The network.
    measure : str or callable
        One of :data:`JACKKNIFE_MEASURES`, computed as in
        :func:`~netwerkonderzoek.network.network_measures`, or a function of a
        graph returning a float.
    seed : int, optional
        Seed for sampled betweenness on large graphs.

    Returns
    -------
    float
        NaN when the measure is undefined for ``G`` or for ``G`` without one
        of its nodes.

    Raises
    ------
    ValueError
        If ``measure`` is an unknown name.
    NetworkDataError
        If ``G`` has fewer than 2 nodes.

    References
    ----------
    Snijders, T. A. B., & Borgatti, S. P. (1999). *Connections* 22(2), 61–70.

    Examples
    --------
    a ↔ b, b → c, c → d: density 4/12. Without a, b, c or d the density is
    2/6, 1/6, 2/6, 3/6 (mean 1/3), so by hand
    SE² = 3/4 · (0 + 1/36 + 0 + 1/36) = 1/24 and SE = 0.2041.

    >>> import networkx as nx
    >>> G = nx.DiGraph([("a", "b"), ("b", "a"), ("b", "c"), ("c", "d")])
    >>> round(jackknife_se(G, "density"), 4)
    0.2041
    >>> round(jackknife_se(G, nx.number_of_edges), 4)  # any function of a graph: 2, 1, 2, 3 ties
    1.2247
    >>> jackknife_se(G, "closeness")
    Traceback (most recent call last):
    ...
    ValueError: The 'measures' parameter must name measures from density, reciprocity, transitivity, degree_centralization, indegree_centralization, outdegree_centralization, betweenness_centralization. Got 'closeness' instead.
    """
    check_graph(G, 2, "the jackknife")
    if callable(measure):
        functions = {"measure": measure}
    else:
        functions = _measure_functions([measure], seed)
    [(_, se, _)] = _jackknife(G, functions).values()
    return se


def measure_uncertainty(
    ties: pd.DataFrame,
    partners: pd.DataFrame,
    wave_dates: dict[int, object] | None = None,
    layers: tuple[str, ...] = LAYERS,
    measures: tuple[str, ...] = DEFAULT_UNCERTAINTY_MEASURES,
    *,
    seed: int | None = None,
) -> pd.DataFrame:
    """Node-jackknife standard errors of network measures per wave and layer, tidy.

    The graphs and their partners are those of
    :func:`~netwerkonderzoek.network.network_measures` (the partners active
    on each wave's fieldwork date), and so are the estimates; each standard
    error is :func:`jackknife_se`'s (Snijders & Borgatti 1999).

    Parameters
    ----------
    ties, partners : DataFrame
        Canonical tables.
    wave_dates : dict, optional
        Fieldwork date per wave, as for
        :func:`~netwerkonderzoek.network.network_measures`.
    layers : tuple of str
        Layers to report; ``"all"`` is the combined graph.
    measures : tuple of str
        Names from :data:`JACKKNIFE_MEASURES`.
    seed : int, optional
        Seed for sampled betweenness on large graphs.

    Returns
    -------
    DataFrame
        One row per wave, layer and measure: ``wave``, ``layer``, ``measure``,
        ``partners`` (*n*), ``estimate`` (as in ``network_measures``),
        ``se`` (jackknife) and ``note`` (why ``se`` is NaN; empty otherwise).

    Raises
    ------
    ValueError
        For an unknown layer or measure name.
    NetworkDataError
        As :func:`~netwerkonderzoek.network.network_measures`.

    References
    ----------
    Snijders, T. A. B., & Borgatti, S. P. (1999). *Connections* 22(2), 61–70.

    Examples
    --------
    >>> import pandas as pd
    >>> partners = pd.DataFrame({"partner_id": list("abcd"), "kind": ["care"] * 4})
    >>> ties = pd.DataFrame({"wave": [1] * 4, "source": ["a", "b", "b", "c"],
    ...     "target": ["b", "a", "c", "d"], "tie_type": ["information"] * 4, "weight": [1.0] * 4})

    a ↔ b, b → c, c → d (the graph of :func:`jackknife_se`): density 4/12
    with SE 0.2041; without b there is no two-path left, so the jackknife of
    transitivity is undefined.

    >>> table = measure_uncertainty(ties, partners, layers=("all",),
    ...                             measures=("density", "transitivity"))
    >>> table.drop(columns="note").round(4)
       wave layer       measure  partners  estimate      se
    0     1   all       density         4    0.3333  0.2041
    1     1   all  transitivity         4    0.0000     NaN
    >>> table.loc[1, "note"]
    'transitivity is undefined without partner b: no jackknife standard error'
    """
    import pandas as pd

    from .graphs import check_layer, layer_graphs

    for layer in layers:
        check_layer(layer)
    functions = _measure_functions(list(measures), seed)
    dates = wave_dates or {}
    wanted = tuple(dict.fromkeys(("all", *layers)))
    rows = []
    for wave in network_waves(ties, wave_dates):
        graphs = layer_graphs(ties, partners, wave, wanted, date=dates.get(wave))
        check_graph(graphs["all"], 2, "network measures")
        for layer in layers:
            G = graphs[layer]
            for name, (estimate, se, note) in _jackknife(G, functions).items():
                row = {"wave": int(wave), "layer": layer, "measure": name}
                row |= {"partners": G.number_of_nodes(), "estimate": estimate, "se": se}
                rows.append(row | {"note": note})
    columns = ["wave", "layer", "measure", "partners", "estimate", "se", "note"]
    return pd.DataFrame(rows, columns=columns)
