"""Network-level and partner-level measures per wave, as tidy tables.

:func:`network_measures` gives one row per wave and layer (size, ties,
density, reciprocity, transitivity, components, isolates, average degree,
Freeman centralization, multiplexity, trust and value);
:func:`partner_measures` one row per wave and partner (degrees, betweenness,
eigenvector centrality, Burt's constraint, trust and value received,
Gould–Fernandez brokerage roles, core–periphery). A ``note`` column says why
a value is missing (NaN) where a measure is undefined for that wave or layer.

References
----------
Wasserman, S., & Faust, K. (1994). *Social Network Analysis: Methods and
Applications*. Cambridge University Press.
https://doi.org/10.1017/CBO9780511815478

Burt, R. S. (2004). Structural holes and good ideas. *American Journal of
Sociology* 110(2), 349–399. https://doi.org/10.1086/421787

Bonacich, P. (1972). Factoring and weighting approaches to status scores and
clique identification. *Journal of Mathematical Sociology* 2(1), 113–120.
https://doi.org/10.1080/0022250X.1972.9989806

Examples
--------
>>> import pandas as pd
>>> from netwerkonderzoek.network import network_measures
>>> partners = pd.DataFrame({"partner_id": ["a", "b", "c"], "kind": ["care"] * 3})
>>> ties = pd.DataFrame({"wave": [1, 1], "source": ["a", "b"], "target": ["b", "a"],
...                      "tie_type": ["information"] * 2, "weight": [1.0, 1.0]})
>>> network_measures(ties, partners, layers=("all",))[["wave", "ties", "density"]]
   wave  ties   density
0     1     2  0.333333
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..vocabulary import TRUST_RATINGS, VALUE_RATINGS
from .graphs import LAYERS, check_graph, network_waves

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "burt_constraint",
    "directed_transitivity",
    "eigenvector_scores",
    "layer_overlap",
    "multiplexity",
    "network_measures",
    "partner_measures",
]


def directed_transitivity(G) -> float:
    """Share of two-paths i → j → k (i ≠ k) that are closed by a tie i → k.

    .. math:: T = \\frac{\\sum_{i,j,k} a_{ij} a_{jk} a_{ik}}{\\sum_{i,j,k \\ne i} a_{ij} a_{jk}}

    R's ``sna::gtrans(g, measure="weak")`` (Wasserman & Faust 1994, p. 243);
    for an undirected graph it equals networkx's :func:`~networkx.transitivity`.
    NaN when there is no two-path.

    Examples
    --------
    >>> import networkx as nx
    >>> directed_transitivity(nx.DiGraph([("a", "b"), ("b", "c"), ("a", "c")]))
    1.0
    >>> directed_transitivity(nx.DiGraph([("a", "b"), ("b", "c")]))
    0.0
    """
    import numpy as np

    from ._matrix import adjacency

    if G.number_of_edges() == 0:
        return float("nan")
    A = adjacency(G)
    if not G.is_directed():
        A = ((A + A.T) > 0).astype(float)
    in_deg = np.asarray(A.sum(axis=0)).ravel()
    out_deg = np.asarray(A.sum(axis=1)).ravel()
    mutual = A.multiply(A.T).sum()
    two_paths = float(in_deg @ out_deg - mutual)
    closed = float(A.multiply(A @ A).sum())
    return closed / two_paths if two_paths > 0 else float("nan")


def burt_constraint(G, weight: str | None = "weight") -> dict:
    """Burt's constraint of every node, vectorised.

    .. math::

        c_i = \\sum_{j \\in N(i)} \\Big(p_{ij} + \\sum_{q \\ne i, j} p_{iq} p_{qj}\\Big)^2,
        \\qquad p_{ij} = \\frac{a_{ij} + a_{ji}}{\\sum_k (a_{ik} + a_{ki})}

    as :func:`networkx.constraint` (Burt 2004), NaN for an isolate.

    Examples
    --------
    >>> import networkx as nx
    >>> {k: round(v, 4) for k, v in burt_constraint(nx.star_graph(2)).items()}
    {0: 0.5, 1: 1.0, 2: 1.0}
    """
    import numpy as np
    import scipy.sparse as sp

    from ._matrix import adjacency, node_order

    nodes = node_order(G)
    A = adjacency(G, nodes, weight=weight)
    Z = (A + A.T).tocsr() if G.is_directed() else A
    totals = np.asarray(Z.sum(axis=1)).ravel()
    with np.errstate(divide="ignore"):
        inverse = np.where(totals > 0, 1.0 / totals, 0.0)
    P = sp.diags_array(inverse) @ Z
    indirect = (P @ P).tocsr()
    rows, cols = Z.nonzero()
    keep = rows != cols
    rows, cols = rows[keep], cols[keep]
    terms = (np.asarray(P[rows, cols]).ravel() + np.asarray(indirect[rows, cols]).ravel()) ** 2
    values = np.bincount(rows, weights=terms, minlength=len(nodes))
    values[totals == 0] = np.nan
    return dict(zip(nodes, values.tolist(), strict=True))


def eigenvector_scores(G, nodes=None):
    """Eigenvector centrality of the symmetrised weighted graph (Bonacich 1972).

    .. math:: \\lambda x_i = \\sum_j w_{ij} x_j, \\qquad w_{ij} = a_{ij} + a_{ji}

    the leading eigenvector of the symmetric weight matrix, in absolute value,
    scaled to unit length (as :func:`networkx.eigenvector_centrality_numpy`).
    In a disconnected graph the partners outside the component with the
    largest eigenvalue get 0. NaN for every partner when there are no ties.

    Examples
    --------
    >>> import networkx as nx
    >>> eigenvector_scores(nx.star_graph(2)).round(4).tolist()
    [0.7071, 0.5, 0.5]
    """
    import numpy as np
    import scipy.sparse.linalg as sla

    from ._matrix import adjacency, node_order

    nodes = node_order(G) if nodes is None else nodes
    A = adjacency(G, nodes, weight="weight")
    W = (A + A.T) if G.is_directed() else A
    n = len(nodes)
    if W.nnz == 0:
        return np.full(n, np.nan)
    if n <= 300:
        _, vectors = np.linalg.eigh(W.toarray())
        vector = vectors[:, -1]
    else:
        _, vectors = sla.eigsh(W.astype(float), k=1, which="LA", v0=np.ones(n))
        vector = vectors[:, 0]
    vector = np.abs(vector)
    vector[vector < 1e-12] = 0.0
    return vector / np.linalg.norm(vector)


def multiplexity(G_all) -> float:
    """Share of tied (ordered) pairs that are tied in more than one layer.

    .. math:: M = \\frac{|\\{(i, j) : \\text{tied in} \\ge 2 \\text{ layers}\\}|}{|\\{(i, j) : \\text{tied}\\}|}

    Needs the combined graph of :func:`~netwerkonderzoek.network.build_graph`
    (edge attribute ``layers``); NaN without ties (Verbrugge 1979,
    https://doi.org/10.2307/2577728).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_edge("a", "b", layers=("information", "joint_delivery"))
    >>> G.add_edge("b", "a", layers=("information",))
    >>> multiplexity(G)
    0.5
    """
    layers = [len(set(d.get("layers", ()))) for _, _, d in G_all.edges(data=True)]
    if not layers:
        return float("nan")
    return sum(n > 1 for n in layers) / len(layers)


def layer_overlap(ties: pd.DataFrame, wave: int | None = None) -> pd.DataFrame:
    """Jaccard overlap of the tie sets of every two layers, per wave.

    .. math:: J(L_1, L_2) = |L_1 \\cap L_2| / |L_1 \\cup L_2|

    over ordered (source, target) pairs; NaN when both layers are empty.

    Examples
    --------
    >>> import pandas as pd
    >>> ties = pd.DataFrame({"wave": [1, 1, 1], "source": ["a", "a", "b"],
    ...     "target": ["b", "b", "a"], "tie_type": ["information", "joint_delivery", "information"]})
    >>> overlap = layer_overlap(ties)
    >>> overlap.loc[(overlap.layer_a == "information") & (overlap.layer_b == "joint_delivery"),
    ...             "jaccard"].item()
    0.5
    """
    import itertools

    import pandas as pd

    from ..tables import TIE_TYPES

    rows = []
    waves = sorted(ties["wave"].unique()) if wave is None else [wave]
    for w in waves:
        in_wave = ties[ties["wave"] == w]
        sets = {
            layer: set(zip(group["source"], group["target"], strict=True))
            for layer, group in in_wave.groupby("tie_type")
        }
        for a, b in itertools.combinations(TIE_TYPES, 2):
            sa, sb = sets.get(a, set()), sets.get(b, set())
            union = len(sa | sb)
            rows.append(
                {
                    "wave": int(w),
                    "layer_a": a,
                    "layer_b": b,
                    "jaccard": len(sa & sb) / union if union else float("nan"),
                }
            )
    return pd.DataFrame(rows)


def _layer_multiplexity(G_all, layer: str) -> float:
    """Share of this layer's ties that also occur in another layer."""
    counts = [
        len(set(d["layers"])) > 1 for _, _, d in G_all.edges(data=True) if layer in d["layers"]
    ]
    return sum(counts) / len(counts) if counts else float("nan")


def mean_rating(ties, columns) -> float:
    """The mean over ties of each tie's mean rating on ``columns`` (NaN without ratings).

    Examples
    --------
    >>> import pandas as pd
    >>> ties = pd.DataFrame({"reliability": [4, None], "open_discussion": [2, 5]})
    >>> mean_rating(ties, ["reliability", "open_discussion"])
    4.0
    """
    present = [c for c in columns if c in ties]
    if not present or ties.empty:
        return float("nan")
    values = ties[present].astype(float).mean(axis=1, skipna=True).dropna()
    return float(values.mean()) if len(values) else float("nan")


def _graph_row(G, G_all, layer, wave_ties, seed) -> dict:
    import networkx as nx

    from .centralization import betweenness_scores, freeman_centralization

    n, m = G.number_of_nodes(), G.number_of_edges()
    notes = []
    row: dict[str, object] = {
        "wave": G.graph["wave"],
        "layer": layer,
        "partners": n,
        "ties": m,
        "density": nx.density(G),
        "reciprocity": nx.overall_reciprocity(G) if m else float("nan"),
        "transitivity": directed_transitivity(G),
    }
    if not m:
        notes.append("no ties in this layer: reciprocity and transitivity undefined")
    elif row["transitivity"] != row["transitivity"]:
        notes.append("no two-paths: transitivity undefined")
    degrees = [d for _, d in G.degree()]
    row["components"] = nx.number_weakly_connected_components(G)
    row["isolates"] = sum(d == 0 for d in degrees) / n
    row["average_degree"] = m / n  # mean out-degree = mean in-degree
    if n >= 3:
        row["degree_centralization"] = freeman_centralization(G, "degree")
        row["indegree_centralization"] = freeman_centralization(G, "indegree")
        row["outdegree_centralization"] = freeman_centralization(G, "outdegree")
        scores, sampled = betweenness_scores(G, seed=seed)
        values = list(scores.values())
        from .centralization import star_maximum

        row["betweenness_centralization"] = sum(max(values) - v for v in values) / star_maximum(
            n, "betweenness", True
        )
        row["betweenness_sampled"] = sampled
    else:
        for key in ("degree", "indegree", "outdegree", "betweenness"):
            row[f"{key}_centralization"] = float("nan")
        row["betweenness_sampled"] = False
        notes.append("fewer than 3 partners: centralization undefined")
    row["multiplexity"] = (
        multiplexity(G_all) if layer == "all" else _layer_multiplexity(G_all, layer)
    )
    selected = wave_ties if layer == "all" else wave_ties[wave_ties["tie_type"] == layer]
    row["trust"] = mean_rating(selected, TRUST_RATINGS)
    row["value"] = mean_rating(selected, VALUE_RATINGS)
    if m and row["trust"] != row["trust"]:
        notes.append("no rated ties: trust and value unknown")
    row["note"] = "; ".join(notes)
    return row


def network_measures(
    ties: pd.DataFrame,
    partners: pd.DataFrame,
    wave_dates: dict[int, object] | None = None,
    layers: tuple[str, ...] = LAYERS,
    *,
    seed: int | None = None,
) -> pd.DataFrame:
    """Network-level measures per wave and layer, as a tidy table.

    Columns (Wasserman & Faust 1994 unless named otherwise):

    - ``wave``, ``layer``, ``partners`` (*n*, active partners), ``ties`` (*m*, directed);
    - ``density`` :math:`m / (n(n-1))` (eq. 4.3); ``reciprocity`` share of ties
      that are reciprocated; ``transitivity`` closed share of two-paths
      (:func:`directed_transitivity`);
    - ``components`` weakly connected components; ``isolates`` share of partners
      without ties; ``average_degree`` :math:`m / n`;
    - ``degree_centralization`` (in + out), ``indegree_centralization``,
      ``outdegree_centralization``, ``betweenness_centralization``: Freeman
      centralization against the directed star
      (:func:`~netwerkonderzoek.network.freeman_centralization`);
      ``betweenness_sampled`` says whether betweenness was estimated from a
      seeded sample of sources (graphs above ``BETWEENNESS_EXACT_MAX`` partners);
    - ``multiplexity``: for ``all`` the share of tied pairs tied in more than one
      layer (:func:`multiplexity`), for a layer the share of its ties that also
      occur in another layer;
    - ``trust``, ``value``: mean PARTNER trust and value over the rated ties (1–4);
    - ``note``: why a value is missing, empty when none is.

    Parameters
    ----------
    ties, partners : DataFrame
        Canonical tables.
    wave_dates : dict, optional
        Fieldwork date per wave (``config.wave_dates``), to count only the
        partners active on that date. Required when the partners' ``joined``
        / ``left`` dates change the membership
        (:func:`~netwerkonderzoek.network.membership_changes`): without it,
        partners that had not joined yet or had left would count as
        isolates and lower the density.
    layers : tuple of str
        Layers to report; ``"all"`` is the combined graph.
    seed : int, optional
        Seed for sampled betweenness on large graphs.

    Raises
    ------
    NetworkDataError
        For an empty wave, self-ties, ties to unknown or inactive partners, a
        wave with fewer than two partners, or missing ``wave_dates`` while the
        partners' joined/left dates change the membership.

    Examples
    --------
    Four ties among three partners: density 4 / (3 · 2); a ↔ b is the one
    mutual pair (2 of 4 ties reciprocated); of the three two-paths
    a → b → c, b → c → a and c → a → b only b → c → a is closed by b → a.

    >>> import pandas as pd
    >>> partners = pd.DataFrame({"partner_id": list("abc"), "kind": ["care"] * 3})
    >>> ties = pd.DataFrame({"wave": [1] * 4, "source": ["a", "b", "b", "c"],
    ...     "target": ["b", "a", "c", "a"], "weight": [1.0] * 4,
    ...     "tie_type": ["information", "information", "joint_delivery", "information"]})
    >>> table = network_measures(ties, partners, layers=("all", "joint_delivery"))
    >>> table[["layer", "ties", "density", "reciprocity", "transitivity"]].round(4)
                layer  ties  density  reciprocity  transitivity
    0             all     4   0.6667          0.5        0.3333
    1  joint_delivery     1   0.1667          0.0           NaN
    >>> table.loc[1, "note"]
    'no two-paths: transitivity undefined; no rated ties: trust and value unknown'
    """
    import pandas as pd

    from .graphs import check_layer, layer_graphs

    dates = wave_dates or {}
    # the combined graph and every valid layer's graph of a wave in one pass;
    # an unknown layer raises where the loop reaches it
    wanted = tuple(dict.fromkeys(("all", *(layer for layer in layers if layer in LAYERS))))
    rows = []
    for wave in network_waves(ties, wave_dates):
        graphs = layer_graphs(ties, partners, wave, wanted, date=dates.get(wave))
        G_all = graphs["all"]
        check_graph(G_all, 2, "network measures")
        wave_ties = ties[ties["wave"] == wave]
        for layer in layers:
            check_layer(layer)
            rows.append(_graph_row(graphs[layer], G_all, layer, wave_ties, seed))
    return pd.DataFrame(rows)


def partner_measures(
    ties: pd.DataFrame,
    partners: pd.DataFrame,
    wave_dates: dict[int, object] | None = None,
    *,
    attribute: str = "kind",
    seed: int | None = None,
) -> pd.DataFrame:
    """Partner-level measures per wave (combined graph), as a tidy table.

    Columns: ``wave``, ``partner_id``, ``kind``; ``in_degree``, ``out_degree``,
    ``degree`` (in + out) and ``in_strength``/``out_strength`` (summed weights);
    ``betweenness`` (normalised by :math:`(n-1)(n-2)`, Brandes 2001,
    https://doi.org/10.1080/0022250X.2001.9990249) with ``betweenness_sampled``;
    ``eigenvector`` (of the symmetrised weighted graph, Bonacich 1972);
    ``constraint`` (Burt 2004, NaN for an isolate); ``trust``, ``value``,
    ``raters``, ``trust_given`` (:func:`~netwerkonderzoek.network.partner_trust`,
    NaN when nobody rated the partner); the Gould–Fernandez role counts
    ``coordinator``, ``itinerant``, ``gatekeeper``, ``representative``,
    ``liaison`` with ``<role>_expected`` and ``<role>_z``
    (:func:`~netwerkonderzoek.network.brokerage`, by ``attribute``); ``core``
    and ``coreness`` (:func:`~netwerkonderzoek.network.core_periphery`; NaN
    with fewer than 4 partners).

    Raises
    ------
    NetworkDataError
        As :func:`network_measures`; brokerage needs 3 partners.

    Examples
    --------
    >>> import pandas as pd
    >>> partners = pd.DataFrame({"partner_id": list("abcd"), "kind": ["care", "care", "housing", "welfare"]})
    >>> ties = pd.DataFrame({"wave": [1] * 3, "source": ["a", "b", "c"], "target": ["b", "c", "d"],
    ...                      "tie_type": ["information"] * 3, "weight": [1.0] * 3})
    >>> pm = partner_measures(ties, partners)
    >>> pm[["partner_id", "in_degree", "out_degree", "representative", "liaison"]]
      partner_id  in_degree  out_degree  representative  liaison
    0          a          0           1               0        0
    1          b          1           1               1        0
    2          c          1           1               0        1
    3          d          1           0               0        0
    """
    import numpy as np
    import pandas as pd

    from .brokerage import BROKERAGE_ROLES, brokerage
    from .centralization import betweenness_scores
    from .coreperiphery import core_periphery
    from .graphs import build_graph
    from .trust import partner_trust

    dates = wave_dates or {}
    has_ratings = any(c in ties for c in (*TRUST_RATINGS, *VALUE_RATINGS))
    trust = partner_trust(ties) if has_ratings else None
    frames = []
    for wave in network_waves(ties, wave_dates):
        G = build_graph(ties, partners, wave, date=dates.get(wave))
        check_graph(G, 3, "partner measures (brokerage)")
        nodes = sorted(G.nodes, key=str)
        n = len(nodes)
        table = pd.DataFrame({"wave": wave, "partner_id": nodes})
        table[attribute] = [G.nodes[v].get(attribute) for v in nodes]
        table["in_degree"] = [G.in_degree(v) for v in nodes]
        table["out_degree"] = [G.out_degree(v) for v in nodes]
        table["degree"] = table["in_degree"] + table["out_degree"]
        table["in_strength"] = [G.in_degree(v, weight="weight") for v in nodes]
        table["out_strength"] = [G.out_degree(v, weight="weight") for v in nodes]
        between, sampled = betweenness_scores(G, normalized=True, seed=seed)
        table["betweenness"] = [between[v] for v in nodes]
        table["betweenness_sampled"] = sampled
        table["eigenvector"] = eigenvector_scores(G, nodes)
        constraint = burt_constraint(G)
        table["constraint"] = [constraint[v] for v in nodes]
        if trust is not None:
            wave_trust = trust[trust["wave"] == wave].drop(columns="wave")
            table = table.merge(wave_trust, on="partner_id", how="left")
            table["raters"] = table["raters"].fillna(0).astype(int)
        else:
            for column, empty in (("trust", np.nan), ("value", np.nan), ("raters", 0)):
                table[column] = empty
            table["trust_given"] = np.nan
        roles = brokerage(G, attribute)
        columns = [
            *BROKERAGE_ROLES,
            *(f"{r}_expected" for r in BROKERAGE_ROLES),
            *(f"{r}_z" for r in BROKERAGE_ROLES),
        ]
        table = table.merge(roles[columns], left_on="partner_id", right_index=True, how="left")
        if n >= 4:
            cp = core_periphery(G)
            table = table.merge(cp, left_on="partner_id", right_index=True, how="left")
        else:
            table["core"] = pd.NA
            table["coreness"] = np.nan
        frames.append(table)
    return pd.concat(frames, ignore_index=True)
