"""Dyad matrices for network regression: an edge attribute, or a shared node attribute.

:func:`~netwerkonderzoek.network.qap_regression` regresses one matrix of
dyads on others. A graph gives its binary adjacency matrix; these helpers
give the other predictors the partner network offers: the value of an edge
attribute (trust, weight) per dyad with :func:`edge_matrix`, and whether the
two partners share a node attribute (same kind, same sector) with
:func:`node_match_matrix`. Rows and columns are in
:func:`~netwerkonderzoek.network._matrix.node_order` unless ``nodes`` is given.

Examples
--------
>>> import networkx as nx
>>> from netwerkonderzoek.network import node_match_matrix
>>> G = nx.DiGraph()
>>> G.add_nodes_from([("a", {"kind": "care"}), ("b", {"kind": "housing"}), ("c", {"kind": "care"})])
>>> node_match_matrix(G, "kind")[0]
array([0., 0., 1.])
"""

from __future__ import annotations

from ._matrix import node_order

__all__ = ["edge_matrix", "node_match_matrix"]


def edge_matrix(G, weight: str | None = None, nodes=None, fill: float = 0.0):
    """Dense adjacency matrix of ``G`` holding an edge attribute, diagonal 0.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
    weight : str, optional
        Edge attribute (``"trust"``, ``"weight"``); binary 0/1 when None.
        An edge whose attribute is missing (NaN) stays NaN.
    nodes : list, optional
        Row and column order; :func:`node_order` (sorted as strings) by default.
    fill : float
        Value of the cells without an edge.

    Returns
    -------
    numpy.ndarray
        ``n`` x ``n``; symmetric for an undirected graph.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("a", "b", {"trust": 3.5}), ("b", "c", {"trust": 2.0})])
    >>> edge_matrix(G, "trust")
    array([[0. , 3.5, 0. ],
           [0. , 0. , 2. ],
           [0. , 0. , 0. ]])
    """
    import networkx as nx
    import numpy as np

    nodes = node_order(G) if nodes is None else list(nodes)
    if weight is None:
        M = nx.to_numpy_array(G, nodelist=nodes, weight=None, nonedge=fill)
    else:
        M = np.full((len(nodes), len(nodes)), float(fill))
        position = {node: k for k, node in enumerate(nodes)}
        for u, v, value in G.edges(data=weight, default=np.nan):
            M[position[u], position[v]] = value
            if not G.is_directed():
                M[position[v], position[u]] = value
    np.fill_diagonal(M, 0.0)
    return M


def node_match_matrix(G, attribute: str, nodes=None):
    """1 where two partners share a node attribute (same kind), else 0; diagonal 0.

    A partner without the attribute (missing or NaN) gives NaN in its row
    and column, so :func:`qap_regression` refuses it rather than guess.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_nodes_from([("a", {"kind": "care"}), ("b", {"kind": "care"}), ("c", {"kind": "housing"})])
    >>> node_match_matrix(G, "kind")
    array([[0., 1., 0.],
           [1., 0., 0.],
           [0., 0., 0.]])
    """
    import numpy as np
    import pandas as pd

    nodes = node_order(G) if nodes is None else list(nodes)
    values = pd.Series([G.nodes[v].get(attribute) for v in nodes], dtype=object)
    codes, _ = pd.factorize(values, use_na_sentinel=True)
    M = (codes[:, None] == codes[None, :]).astype(float)
    missing = codes < 0
    M[missing, :] = np.nan
    M[:, missing] = np.nan
    np.fill_diagonal(M, 0.0)
    return M
