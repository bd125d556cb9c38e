"""Conditional uniform graph (CUG) tests of a network measure, and of its change between waves.

Is the partner network more reciprocal, more transitive or more centralised
than chance would make it? :func:`cug_test` compares a measure of the
observed network with its distribution over uniform random networks of the
same size that keep part of its structure (R sna's ``cug.test``, Butts 2008):

``cmode="size"``
    every directed graph on the same partners equally likely: each possible
    tie present with probability 1/2 (sna ``cmode="size"``).
``cmode="edges"``
    every graph with the same number of ties equally likely (sna
    ``cmode="edges"``, ``rgnm``): tests beyond density.
``cmode="dyad_census"``
    every graph with the same numbers of mutual, asymmetric and null dyads
    equally likely (sna ``cmode="dyad.census"``, ``rguman(method="exact")``):
    tests beyond density and reciprocity. For an undirected graph it is
    ``"edges"``.

As in sna, ``p_greater`` is the share of the ``reps`` random networks whose
measure is at least the observed one, ``p_less`` the share at most it; the
observed network is not counted among them. Replicates where the measure is
undefined (NaN: reciprocity without ties, transitivity without two-paths)
are left out of the shares and counted in ``undefined``. Measures equal to
the observed one up to rounding (relative :math:`10^{-9}`) count on both sides.

Did the network change more than random turnover would give?
:func:`turnover_test` takes two waves on the same partners. Between them
:math:`k` ties were kept, :math:`d` dropped and :math:`a` added (the Hamming
distance is :math:`d + a`). Its null hypothesis: the same turnover, placed
at random — the second wave is the first with :math:`d` of its ties, drawn
uniformly, dropped and :math:`a` of its non-ties (ordered pairs without a
tie, no self-ties), drawn uniformly, added. The observed change of the
measure is compared with the changes of such random second waves. Both
waves keep their numbers of ties, so the change of *density* is the same in
every replicate (its p-values are 1): the test is for structure —
reciprocity, transitivity, centralization.

Measures (:data:`CUG_MEASURES`) are the package's own: density
(:func:`networkx.density`), reciprocity (:func:`networkx.overall_reciprocity`),
transitivity (:func:`~netwerkonderzoek.network.directed_transitivity`) and
Freeman centralization (:func:`~netwerkonderzoek.network.freeman_centralization`;
``"centralization"`` is degree centralization), or any function of a graph
returning a number.

References
----------
Butts, C. T. (2008). Social network analysis with sna. *Journal of
Statistical Software* 24(6). https://doi.org/10.18637/jss.v024.i06

Anderson, B. S., Butts, C., & Carley, K. (1999). The interaction of size and
density with graph-level indices. *Social Networks* 21(3), 239–267.
https://doi.org/10.1016/S0378-8733(99)00011-8

Examples
--------
>>> import networkx as nx
>>> from netwerkonderzoek.network import cug_test
>>> G = nx.DiGraph([("a", "b"), ("b", "a"), ("b", "c"), ("c", "b"), ("c", "d"), ("d", "c"),
...                 ("d", "e"), ("e", "a")])
>>> cug_test(G, "reciprocity", cmode="edges", reps=500, seed=1)[
...     ["measure", "observed", "null_mean", "p_greater"]].round(3)
       measure  observed  null_mean  p_greater
0  reciprocity      0.75      0.348      0.072
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._matrix import node_order
from .graphs import NetworkDataError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["CUG_MEASURES", "CUG_MODES", "cug_test", "dyad_census", "turnover_test"]

CUG_MODES = ("size", "edges", "dyad_census")
CUG_MEASURES = (
    "density",
    "reciprocity",
    "transitivity",
    "centralization",
    "indegree_centralization",
    "outdegree_centralization",
    "betweenness_centralization",
)
_TIE_TOL = 1e-9


def _reciprocity(G) -> float:
    import networkx as nx

    return nx.overall_reciprocity(G) if G.number_of_edges() else float("nan")


def _centralization(kind: str):
    def measure(G) -> float:
        from .centralization import freeman_centralization

        return freeman_centralization(G, kind, seed=0)

    return measure


def _measure(measure):
    """The function of a graph that ``measure`` names (or ``measure`` itself)."""
    import networkx as nx

    from .measures import directed_transitivity

    if callable(measure):
        return getattr(measure, "__name__", "measure"), measure
    functions = {
        "density": nx.density,
        "reciprocity": _reciprocity,
        "transitivity": directed_transitivity,
        "centralization": _centralization("degree"),
        "indegree_centralization": _centralization("indegree"),
        "outdegree_centralization": _centralization("outdegree"),
        "betweenness_centralization": _centralization("betweenness"),
    }
    if measure not in functions:
        raise ValueError(
            f"The 'measure' parameter must be one of {', '.join(CUG_MEASURES)} or a function "
            f"of a graph. Got {measure!r} instead."
        )
    return measure, functions[measure]


def _check_reps(reps) -> int:
    if int(reps) != reps or reps < 1:
        raise ValueError(f"The 'reps' parameter must be a positive integer. Got {reps!r} instead.")
    return int(reps)


def _pairs(n: int, directed: bool):
    """Candidate ties: ordered off-diagonal pairs (directed) or pairs i < j."""
    import numpy as np

    rows, cols = np.nonzero(~np.eye(n, dtype=bool))
    if not directed:
        keep = rows < cols
        rows, cols = rows[keep], cols[keep]
    return rows, cols


def _graph(nodes, directed, sources, targets, template):
    """A graph on ``nodes`` (with the node attributes of ``template``) and these ties."""
    import networkx as nx

    H = nx.DiGraph() if directed else nx.Graph()
    H.add_nodes_from(template.nodes(data=True))
    H.add_edges_from(zip((nodes[i] for i in sources), (nodes[j] for j in targets), strict=True))
    return H


def dyad_census(G) -> tuple[int, int, int]:
    """Numbers of mutual, asymmetric and null dyads of ``G`` (self-ties ignored).

    Examples
    --------
    >>> import networkx as nx
    >>> dyad_census(nx.DiGraph([("a", "b"), ("b", "a"), ("b", "c")]))
    (1, 1, 1)
    """
    from ._matrix import adjacency

    n = G.number_of_nodes()
    A = adjacency(G)
    if not G.is_directed():
        A = ((A + A.T) > 0).astype(float)
    mutual = int(A.multiply(A.T).sum()) // 2
    asymmetric = int(A.sum()) - 2 * mutual
    return mutual, asymmetric, n * (n - 1) // 2 - mutual - asymmetric


def _random_graphs(G, cmode: str, reps: int, rng):
    """``reps`` uniform random graphs on the partners of ``G``, conditioned as ``cmode``."""
    import numpy as np

    nodes = node_order(G)
    n, directed = len(nodes), G.is_directed()
    rows, cols = _pairs(n, directed)
    ties = G.number_of_edges() - sum(1 for _ in _self_loops(G))
    if cmode == "dyad_census" and directed:
        mutual, asymmetric, _ = dyad_census(G)
        lower, upper = _pairs(n, False)
        for _ in range(reps):
            order = rng.permutation(len(lower))
            both, one = order[:mutual], order[mutual : mutual + asymmetric]
            flip = rng.random(len(one)) < 0.5
            sources = np.concatenate(
                [lower[both], upper[both], np.where(flip, upper[one], lower[one])]
            )
            targets = np.concatenate(
                [upper[both], lower[both], np.where(flip, lower[one], upper[one])]
            )
            yield _graph(nodes, directed, sources, targets, G)
        return
    for _ in range(reps):
        if cmode == "size":
            chosen = np.flatnonzero(rng.random(len(rows)) < 0.5)
        else:  # edges, and the dyad census of an undirected graph
            chosen = rng.choice(len(rows), size=ties, replace=False)
        yield _graph(nodes, directed, rows[chosen], cols[chosen], G)


def _self_loops(G):
    return (u for u, v in G.edges if u == v)


def _shares(observed: float, values):
    """p_greater and p_less (observed not counted), over the defined replicates."""
    import numpy as np

    values = np.asarray(values, dtype=float)
    defined = values[~np.isnan(values)]
    if not len(defined) or observed != observed:
        return float("nan"), float("nan"), defined
    tol = _TIE_TOL * max(1.0, abs(observed))
    return (
        float(np.mean(defined >= observed - tol)),
        float(np.mean(defined <= observed + tol)),
        defined,
    )


def cug_test(
    G, measure="density", cmode: str = "size", reps: int = 1000, seed: int | None = None
) -> pd.DataFrame:
    """Conditional uniform graph test of a measure of ``G``, as R sna's ``cug.test``.

    Parameters
    ----------
    G : networkx.DiGraph or networkx.Graph
        The network; edge weights are ignored, self-ties are not candidates.
    measure : str or callable
        One of :data:`CUG_MEASURES`, or a function of a graph returning a float.
    cmode : {"size", "edges", "dyad_census"}
        What the random graphs keep of ``G`` (see the module docstring).
    reps : int
        Number of random graphs.
    seed : int, optional
        Seed of ``numpy.random.default_rng``.

    Returns
    -------
    DataFrame
        One row: ``measure``, ``cmode``, ``observed``, ``null_mean``,
        ``null_sd`` (of the measure over the random graphs), ``p_greater``
        (share ≥ observed, sna's ``Pr(X>=Obs)``), ``p_less`` (share ≤,
        ``Pr(X<=Obs)``), ``reps`` and ``undefined`` (replicates whose
        measure is NaN, left out of the shares).

    Raises
    ------
    ValueError
        For an unknown ``measure`` or ``cmode``, or ``reps`` below 1.
    NetworkDataError
        If ``G`` has fewer than 2 partners, or the measure needs more
        (centralization: 3).

    References
    ----------
    Butts (2008). https://doi.org/10.18637/jss.v024.i06

    Examples
    --------
    A star is far more centralised than graphs with its number of ties:

    >>> import networkx as nx
    >>> star = nx.DiGraph([(f"p{i}", "hub") for i in range(6)])
    >>> cug_test(star, "indegree_centralization", cmode="edges", reps=200, seed=0)[
    ...     ["observed", "p_greater", "p_less"]]
       observed  p_greater  p_less
    0       1.0        0.0     1.0
    """
    import numpy as np
    import pandas as pd

    from .graphs import check_graph

    name, function = _measure(measure)
    if cmode not in CUG_MODES:
        raise ValueError(
            f"The 'cmode' parameter of cug_test must be one of {', '.join(CUG_MODES)}. "
            f"Got {cmode!r} instead."
        )
    reps = _check_reps(reps)
    check_graph(G, 2, "a CUG test")
    observed = float(function(G))
    rng = np.random.default_rng(seed)
    values = [float(function(H)) for H in _random_graphs(G, cmode, reps, rng)]
    p_greater, p_less, defined = _shares(observed, values)
    row = {
        "measure": name,
        "cmode": cmode,
        "observed": observed,
        "null_mean": float(defined.mean()) if len(defined) else float("nan"),
        "null_sd": float(defined.std(ddof=1)) if len(defined) > 1 else float("nan"),
        "p_greater": p_greater,
        "p_less": p_less,
        "reps": reps,
        "undefined": reps - len(defined),
    }
    return pd.DataFrame([row])


def _same_roster(G1, G2, common: bool):
    """The two waves on one roster, or :class:`NetworkDataError` naming the differences."""
    only1 = sorted(map(str, set(G1) - set(G2)))
    only2 = sorted(map(str, set(G2) - set(G1)))
    if G1.is_directed() != G2.is_directed():
        raise NetworkDataError("turnover_test needs two directed or two undirected graphs")
    if not (only1 or only2):
        return G1, G2
    if common:
        shared = [v for v in G1 if v in G2]
        return G1.subgraph(shared).copy(), G2.subgraph(shared).copy()
    raise NetworkDataError(
        "turnover_test needs the same partners in both waves; only in the first: "
        f"{', '.join(only1) or 'none'}; only in the second: {', '.join(only2) or 'none'} "
        "(pass common_partners=True to test the partners present in both)"
    )


def _turnover_graphs(G1, G2, reps: int, rng):
    """Random second waves: G1 with as many of its ties dropped and non-ties added as G2."""
    import numpy as np

    nodes = node_order(G1)
    n, directed = len(nodes), G1.is_directed()
    rows, cols = _pairs(n, directed)
    position = {v: k for k, v in enumerate(nodes)}

    def tie_mask(G):
        mask = np.zeros((n, n), dtype=bool)
        for u, v in G.edges:
            if u != v:
                mask[position[u], position[v]] = True
                if not directed:
                    mask[position[v], position[u]] = True
        return mask[rows, cols]

    before, after = tie_mask(G1), tie_mask(G2)
    ties, non_ties = np.flatnonzero(before), np.flatnonzero(~before)
    kept, added = int(np.sum(before & after)), int(np.sum(after & ~before))
    counts = {"kept": kept, "dropped": int(np.sum(before & ~after)), "added": added}

    def draws():
        for _ in range(reps):
            chosen = np.concatenate(
                [
                    rng.choice(ties, size=kept, replace=False),
                    rng.choice(non_ties, size=added, replace=False),
                ]
            )
            yield _graph(nodes, directed, rows[chosen], cols[chosen], G1)

    return counts, draws()


def turnover_test(
    G1,
    G2,
    measure="reciprocity",
    reps: int = 1000,
    seed: int | None = None,
    *,
    common_partners: bool = False,
) -> pd.DataFrame:
    """Is the change of a measure between two waves more than random turnover gives?

    The null hypothesis keeps the numbers of ties kept, dropped and added
    between the waves and places the dropped ties uniformly among the first
    wave's ties and the added ones uniformly among its non-ties (see the
    module docstring).

    Parameters
    ----------
    G1, G2 : networkx.DiGraph or networkx.Graph
        The two waves (e.g. :func:`~netwerkonderzoek.network.build_graph` of
        one layer), on the same partners.
    measure : str or callable
        One of :data:`CUG_MEASURES` or a function of a graph.
    reps : int
        Number of random second waves.
    seed : int, optional
        Seed of ``numpy.random.default_rng``.
    common_partners : bool
        Test the partners present in both waves (their ties among each
        other) instead of refusing waves with different partners.

    Returns
    -------
    DataFrame
        One row: ``measure``, ``before``, ``after``, ``change`` (after −
        before), ``null_mean`` and ``null_sd`` of the change under random
        turnover, ``p_greater`` (share of random changes ≥ the observed),
        ``p_less`` (share ≤), ``p_value`` (two-sided, twice the smaller
        share, at most 1), ``reps``, ``undefined``, ``kept``, ``dropped``,
        ``added``.

    Raises
    ------
    NetworkDataError
        If the waves have different partners (and not ``common_partners``),
        or one is directed and the other not.
    ValueError
        For an unknown ``measure`` or ``reps`` below 1.

    Examples
    --------
    Wave 2 answers every tie of wave 1: reciprocity rises from 0 to 1, far
    more than the same number of new ties placed at random would give.

    >>> import networkx as nx
    >>> cycle = [(f"p{i}", f"p{(i + 1) % 8}") for i in range(8)]
    >>> G1 = nx.DiGraph(cycle)
    >>> G2 = nx.DiGraph(cycle + [(v, u) for u, v in cycle])
    >>> turnover_test(G1, G2, "reciprocity", reps=500, seed=1)[
    ...     ["before", "after", "kept", "dropped", "added", "p_greater"]]
       before  after  kept  dropped  added  p_greater
    0     0.0    1.0     8        0      8        0.0
    """
    import numpy as np
    import pandas as pd

    name, function = _measure(measure)
    reps = _check_reps(reps)
    G1, G2 = _same_roster(G1, G2, common_partners)
    before, after = float(function(G1)), float(function(G2))
    rng = np.random.default_rng(seed)
    counts, draws = _turnover_graphs(G1, G2, reps, rng)
    changes = [float(function(H)) - before for H in draws]
    p_greater, p_less, defined = _shares(after - before, changes)
    row = {
        "measure": name,
        "before": before,
        "after": after,
        "change": after - before,
        "null_mean": float(defined.mean()) if len(defined) else float("nan"),
        "null_sd": float(defined.std(ddof=1)) if len(defined) > 1 else float("nan"),
        "p_greater": p_greater,
        "p_less": p_less,
        "p_value": min(1.0, 2 * min(p_greater, p_less)) if p_greater == p_greater else p_greater,
        "reps": reps,
        "undefined": reps - len(defined),
        **counts,
    }
    return pd.DataFrame([row])
