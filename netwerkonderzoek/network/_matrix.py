"""Sparse adjacency matrices shared by the vectorised network measures (internal)."""

from __future__ import annotations

__all__ = ["adjacency", "node_order"]


def node_order(G) -> list:
    """Nodes in a fixed order (sorted as strings), so results are deterministic.

    Examples
    --------
    >>> import networkx as nx
    >>> node_order(nx.DiGraph([("b", "a"), ("a", "c")]))
    ['a', 'b', 'c']
    >>> node_order(nx.Graph([(2, "x"), (10, "a")]))  # as strings: "10" < "2" < "a"
    [10, 2, 'a', 'x']
    """
    return sorted(G.nodes, key=str)


def adjacency(G, nodes=None, weight: str | None = None):
    """CSR adjacency matrix of ``G`` (binary unless ``weight``), diagonal removed.

    For an undirected graph the matrix is symmetric.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("b", "a", {"weight": 2.0}), ("a", "c", {"weight": 1.0})])
    >>> adjacency(G).toarray()  # rows and columns in node_order: a, b, c
    array([[0., 0., 1.],
           [1., 0., 0.],
           [0., 0., 0.]])
    >>> adjacency(G, weight="weight").toarray()[1]
    array([2., 0., 0.])
    """
    import networkx as nx
    import numpy as np

    nodes = node_order(G) if nodes is None else nodes
    A = nx.to_scipy_sparse_array(G, nodelist=nodes, weight=weight, format="csr", dtype=float)
    A.setdiag(0)
    A.eliminate_zeros()
    if weight is None:
        A.data = np.ones_like(A.data)
    return A
