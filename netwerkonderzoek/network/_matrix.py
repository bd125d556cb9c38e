"""Sparse adjacency matrices shared by the vectorised network measures (internal)."""

from __future__ import annotations

__all__ = ["adjacency", "node_order"]


def node_order(G) -> list:
    """Nodes in a fixed order (sorted as strings), so results are deterministic."""
    return sorted(G.nodes, key=str)


def adjacency(G, nodes=None, weight: str | None = None):
    """CSR adjacency matrix of ``G`` (binary unless ``weight``), diagonal removed.

    For an undirected graph the matrix is symmetric.
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
