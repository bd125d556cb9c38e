"""Freeman centralization of degree and betweenness, normalised by the star graph.

Freeman (1979) defines the centralization of a graph for a centrality ``C``
as the summed difference between the most central node and every node,
divided by the largest such sum any graph of the same size can reach — the
star graph:

.. math::

    C_X = \\frac{\\sum_i \\left[C(v^*) - C(v_i)\\right]}
               {\\max_{G' : |G'| = n} \\sum_i \\left[C'(v'^*) - C'(v'_i)\\right]}

networkx has no centralization; this module computes it as R's
``sna::centralization(g, FUN, normalize=TRUE)`` does on the binary graph
(Butts 2008), with these theoretical maxima (``sna::degree`` and
``sna::betweenness`` with ``tmaxdev=TRUE``, no loops):

=================  ===========================  ==========================
measure            directed graph               undirected graph
=================  ===========================  ==========================
indegree           :math:`(n-1)^2`              :math:`(n-1)(n-2)`
outdegree          :math:`(n-1)^2`              :math:`(n-1)(n-2)`
degree (in + out)  :math:`2(n-1)(n-2)`          :math:`(n-1)(n-2)`
betweenness        :math:`(n-1)^2(n-2)`         :math:`(n-1)^2(n-2)/2`
=================  ===========================  ==========================

Betweenness is raw (unnormalised): the number of shortest paths between
ordered pairs (directed) or unordered pairs (undirected) a node lies on.

References
----------
Freeman, L. C. (1979). Centrality in social networks: conceptual
clarification. *Social Networks* 1(3), 215–239.
https://doi.org/10.1016/0378-8733(78)90021-7

Butts, C. T. (2008). Social network analysis with sna. *Journal of
Statistical Software* 24(6). https://doi.org/10.18637/jss.v024.i06

Examples
--------
>>> import networkx as nx
>>> from netwerkonderzoek.network import freeman_centralization
>>> freeman_centralization(nx.star_graph(4), "degree")
1.0
>>> round(freeman_centralization(nx.path_graph(5), "betweenness"), 4)
0.4167
"""

from __future__ import annotations

from .graphs import NetworkDataError, check_graph

__all__ = [
    "BETWEENNESS_EXACT_MAX",
    "CENTRALIZATION_MEASURES",
    "betweenness_scores",
    "freeman_centralization",
    "star_maximum",
]

CENTRALIZATION_MEASURES = ("degree", "indegree", "outdegree", "betweenness")

# Above this many partners betweenness is estimated from a seeded sample of
# BETWEENNESS_SAMPLE source nodes (Brandes & Pich 2007) instead of all nodes.
BETWEENNESS_EXACT_MAX = 500
BETWEENNESS_SAMPLE = 256


def star_maximum(n: int, measure: str, directed: bool) -> float:
    """Largest summed deviation of ``measure`` over graphs of ``n`` nodes (the star).

    Examples
    --------
    >>> star_maximum(5, "degree", directed=True), star_maximum(5, "degree", directed=False)
    (24.0, 12.0)
    >>> star_maximum(5, "betweenness", directed=True)
    48.0
    """
    _check_measure(measure)
    if measure == "betweenness":
        value = (n - 1) ** 2 * (n - 2)
        return float(value if directed else value / 2)
    if not directed:
        return float((n - 1) * (n - 2))
    if measure == "degree":
        return float(2 * (n - 1) * (n - 2))
    return float((n - 1) ** 2)


def _check_measure(measure: str) -> None:
    if measure not in CENTRALIZATION_MEASURES:
        raise ValueError(
            "The 'measure' parameter of freeman_centralization must be one of "
            f"{', '.join(CENTRALIZATION_MEASURES)}. Got {measure!r} instead."
        )


def betweenness_scores(G, *, normalized: bool = False, seed: int | None = None):
    """Betweenness of every node, sampled above :data:`BETWEENNESS_EXACT_MAX` nodes.

    Unweighted shortest paths (Brandes 2001). With more than
    ``BETWEENNESS_EXACT_MAX`` nodes, ``BETWEENNESS_SAMPLE`` source nodes are
    drawn with ``seed`` (networkx ``k=``) and the result is scaled to the whole
    graph; the second value returned says whether it was sampled.

    Returns
    -------
    (dict, bool)
        Betweenness per node and whether it was estimated from a sample.

    Examples
    --------
    >>> import networkx as nx
    >>> scores, sampled = betweenness_scores(nx.path_graph(3))
    >>> scores[1], sampled
    (1.0, False)
    """
    import networkx as nx

    n = G.number_of_nodes()
    if n > BETWEENNESS_EXACT_MAX:
        k = min(BETWEENNESS_SAMPLE, n)
        return nx.betweenness_centrality(G, k=k, normalized=normalized, seed=seed), True
    return nx.betweenness_centrality(G, normalized=normalized), False


def freeman_centralization(G, measure: str = "degree", *, seed: int | None = None) -> float:
    """Freeman centralization of ``G`` for a centrality measure, in [0, 1].

    .. math::

        C_X = \\frac{\\sum_i [C(v^*) - C(v_i)]}{\\max \\sum_i [C(v^*) - C(v_i)]}

    with the maximum reached by the star graph of the same size and direction
    (see the module docstring for the maxima); computed on the binary graph as
    ``sna::centralization(g, degree, cmode=...)`` or
    ``sna::centralization(g, betweenness)`` (Freeman 1979; Butts 2008).

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        The network; edge weights are ignored.
    measure : {"degree", "indegree", "outdegree", "betweenness"}
        For a directed graph ``"degree"`` is in-degree plus out-degree
        (``cmode="freeman"``); for an undirected graph all degree measures
        are the degree.
    seed : int, optional
        Seed for sampled betweenness on large graphs (see
        :func:`betweenness_scores`).

    Returns
    -------
    float
        0 when all nodes are equally central, 1 for the star.

    Raises
    ------
    NetworkDataError
        If ``G`` has fewer than 3 nodes (the star maximum is 0).

    References
    ----------
    Freeman, L. C. (1979). https://doi.org/10.1016/0378-8733(78)90021-7

    Examples
    --------
    >>> import networkx as nx
    >>> out_star = nx.DiGraph([("hub", x) for x in "abcd"])
    >>> # in-degrees 0, 1, 1, 1, 1: (1 - 0) / (n - 1)^2 = 1 / 16
    >>> freeman_centralization(out_star, "outdegree"), freeman_centralization(out_star, "indegree")
    (1.0, 0.0625)
    >>> freeman_centralization(out_star, "degree")  # sum of differences 4 * 3 = 12 of 2 * 4 * 3
    0.5
    """
    import numpy as np

    _check_measure(measure)
    check_graph(G, 3, "centralization")
    n = G.number_of_nodes()
    directed = G.is_directed()
    if measure == "betweenness":
        scores, _ = betweenness_scores(G, normalized=False, seed=seed)
        values = np.array(list(scores.values()), dtype=float)
    elif directed and measure == "indegree":
        values = np.array([d for _, d in G.in_degree()], dtype=float)
    elif directed and measure == "outdegree":
        values = np.array([d for _, d in G.out_degree()], dtype=float)
    else:
        # total degree; self-loops are not counted (sna's diag=FALSE)
        values = np.array([d for _, d in G.degree()], dtype=float)
        values -= np.array([2 * G.has_edge(v, v) for v in G.nodes], dtype=float)
    maximum = star_maximum(n, measure, directed)
    if maximum <= 0:  # pragma: no cover - n >= 3 guarantees a positive maximum
        raise NetworkDataError(f"centralization is undefined for {n} partners")
    return float(np.sum(values.max() - values) / maximum)
