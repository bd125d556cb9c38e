"""Communities per wave (Louvain modularity, seeded) and their stability between waves.

Communities are found by maximising modularity (Newman 2006) with the
Louvain method (Blondel et al. 2008) on the undirected, weighted combined
graph; the random order of the method comes only from ``seed``. Stability
between two waves compares the partitions of the partners present in both
with the adjusted Rand index (Hubert & Arabie 1985) and normalised mutual
information (arithmetic-mean normalisation, Danon et al. 2005; as
scikit-learn's default).

.. math::

    \\mathrm{ARI} = \\frac{\\sum_{ij} \\binom{n_{ij}}{2} - \\left[\\sum_i \\binom{a_i}{2}
    \\sum_j \\binom{b_j}{2}\\right] / \\binom{n}{2}}
    {\\tfrac12 \\left[\\sum_i \\binom{a_i}{2} + \\sum_j \\binom{b_j}{2}\\right]
    - \\left[\\sum_i \\binom{a_i}{2} \\sum_j \\binom{b_j}{2}\\right] / \\binom{n}{2}},
    \\qquad
    \\mathrm{NMI} = \\frac{I(A; B)}{\\tfrac12 [H(A) + H(B)]}

References
----------
Blondel, V. D., Guillaume, J.-L., Lambiotte, R., & Lefebvre, E. (2008). Fast
unfolding of communities in large networks. *J. Stat. Mech.* P10008.
https://doi.org/10.1088/1742-5468/2008/10/P10008

Hubert, L., & Arabie, P. (1985). Comparing partitions. *Journal of
Classification* 2, 193–218. https://doi.org/10.1007/BF01908075

Danon, L., Díaz-Guilera, A., Duch, J., & Arenas, A. (2005). Comparing
community structure identification. *J. Stat. Mech.* P09008.
https://doi.org/10.1088/1742-5468/2005/09/P09008

Examples
--------
>>> from netwerkonderzoek.network import adjusted_rand_index
>>> round(adjusted_rand_index([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]), 4)
0.2424
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from .graphs import NetworkDataError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "adjusted_rand_index",
    "communities",
    "community_stability",
    "normalized_mutual_information",
    "wave_communities",
]


def _contingency(a, b):
    import numpy as np

    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape:
        raise ValueError(
            f"the two partitions must label the same items; got {a.size} and {b.size} labels"
        )
    _, ia = np.unique(a, return_inverse=True)
    _, ib = np.unique(b, return_inverse=True)
    table = np.zeros((ia.max() + 1, ib.max() + 1))
    np.add.at(table, (ia, ib), 1)
    return table


def adjusted_rand_index(a, b) -> float:
    """Adjusted Rand index of two labelings of the same items (1 = identical).

    Examples
    --------
    >>> round(adjusted_rand_index([0, 0, 1, 2], [0, 0, 1, 1]), 4)  # scikit-learn's user guide: 0.57
    0.5714
    >>> adjusted_rand_index(["x", "x", "y"], [1, 1, 2])
    1.0
    """
    table = _contingency(a, b)
    n = table.sum()

    def pairs(x):
        return (x * (x - 1) / 2).sum()

    index = pairs(table)
    rows, cols = pairs(table.sum(axis=1)), pairs(table.sum(axis=0))
    expected = rows * cols / (n * (n - 1) / 2) if n > 1 else 0.0
    maximum = (rows + cols) / 2
    if maximum == expected:  # both labelings trivial (one cluster or all singletons)
        return 1.0
    return float((index - expected) / (maximum - expected))


def normalized_mutual_information(a, b) -> float:
    """Normalised mutual information, arithmetic-mean normalisation (1 = identical).

    Examples
    --------
    >>> round(normalized_mutual_information([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]), 4)
    0.5158
    """
    import numpy as np

    table = _contingency(a, b)
    n = table.sum()
    p = table / n
    pa, pb = p.sum(axis=1), p.sum(axis=0)
    nz = p > 0
    mi = float(np.sum(p[nz] * np.log(p[nz] / np.outer(pa, pb)[nz])))
    ha = -float(np.sum(pa * np.log(pa)))
    hb = -float(np.sum(pb * np.log(pb)))
    if ha == 0 and hb == 0:
        return 1.0
    return mi / ((ha + hb) / 2)


def communities(G, *, seed: int | None = None, resolution: float = 1.0) -> dict:
    """Community of every partner: Louvain modularity on the undirected weighted graph.

    Communities are numbered 1, 2, ... from large to small (ties broken by
    the smallest partner id), so the numbering is stable for a given seed.

    Returns
    -------
    dict
        Partner id to community number; ``communities(G)`` of a graph
        without ties puts every partner alone.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.barbell_graph(4, 0)
    >>> labels = communities(G, seed=1)
    >>> sorted({labels[i] for i in range(4)}), sorted({labels[i] for i in range(4, 8)})
    ([1], [2])
    """
    import networkx as nx

    U = G.to_undirected() if G.is_directed() else G
    if U.number_of_nodes() == 0:
        raise NetworkDataError("communities of an empty network are undefined")
    found = nx.community.louvain_communities(U, weight="weight", resolution=resolution, seed=seed)
    ordered = sorted(found, key=lambda c: (-len(c), min(map(str, c))))
    return {v: i for i, group in enumerate(ordered, start=1) for v in group}


def wave_communities(graphs: dict, *, seed: int | None = None) -> pd.DataFrame:
    """Communities per wave, tidy: ``wave``, ``partner_id``, ``community``.

    Parameters
    ----------
    graphs : dict
        Wave to graph, e.g. from :func:`~netwerkonderzoek.network.wave_graphs`.

    Examples
    --------
    >>> import networkx as nx
    >>> graphs = {1: nx.Graph([("a", "b"), ("c", "d")]), 2: nx.Graph([("a", "c"), ("b", "d")])}
    >>> labels = wave_communities(graphs, seed=1)
    >>> labels[labels["wave"] == 1]
       wave partner_id  community
    0     1          a          1
    1     1          b          1
    2     1          c          2
    3     1          d          2
    >>> labels.loc[labels["wave"] == 2, "community"].tolist()  # a, b, c, d: {a, c} and {b, d}
    [1, 2, 1, 2]
    """
    import pandas as pd

    rows = [
        {"wave": wave, "partner_id": v, "community": c}
        for wave, G in sorted(graphs.items())
        for v, c in sorted(communities(G, seed=seed).items(), key=lambda x: str(x[0]))
    ]
    return pd.DataFrame(rows)


def community_stability(labels: pd.DataFrame) -> pd.DataFrame:
    """How much the communities of consecutive waves agree.

    Parameters
    ----------
    labels : DataFrame
        ``wave``, ``partner_id``, ``community`` (from :func:`wave_communities`).

    Returns
    -------
    DataFrame
        ``from_wave``, ``to_wave``, ``partners`` (present in both),
        ``adjusted_rand``, ``nmi``.

    Examples
    --------
    >>> import pandas as pd
    >>> labels = pd.DataFrame({"wave": [1] * 4 + [2] * 4, "partner_id": list("abcd") * 2,
    ...                        "community": [1, 1, 2, 2, 2, 2, 1, 1]})
    >>> community_stability(labels)[["from_wave", "to_wave", "adjusted_rand", "nmi"]]
       from_wave  to_wave  adjusted_rand  nmi
    0          1        2            1.0  1.0
    """
    import pandas as pd

    waves = sorted(labels["wave"].unique())
    rows = []
    for before, after in itertools.pairwise(waves):
        a = labels[labels["wave"] == before].set_index("partner_id")["community"]
        b = labels[labels["wave"] == after].set_index("partner_id")["community"]
        common = sorted(set(a.index) & set(b.index), key=str)
        if len(common) < 2:
            raise NetworkDataError(
                f"waves {before} and {after} share {len(common)} partner(s); comparing their "
                "communities needs at least 2"
            )
        rows.append(
            {
                "from_wave": int(before),
                "to_wave": int(after),
                "partners": len(common),
                "adjusted_rand": adjusted_rand_index(a[common], b[common]),
                "nmi": normalized_mutual_information(a[common], b[common]),
            }
        )
    return pd.DataFrame(rows)
