"""Core–periphery structure: Borgatti–Everett continuous and discrete models.

Borgatti & Everett (1999) call a network core–periphery shaped when its
ties follow an ideal pattern: core partners tie to each other, peripheral
partners do not. Ties are read undirected here (a tie either way counts).

*Continuous model* — each partner gets a coreness :math:`c_i \\ge 0` and the
pattern is :math:`\\delta_{ij} = c_i c_j`. We fit it by minimum residuals,
minimising :math:`\\sum_{i \\ne j} (a_{ij} - c_i c_j)^2` with the fixed-point
update :math:`c_i \\leftarrow \\sum_{j \\ne i} a_{ij} c_j / \\sum_{j \\ne i} c_j^2`
(Boyd, Fitzgerald & Beck 2006), and rescale so the most central partner has
coreness 1. The fit is the Pearson correlation between
:math:`a_{ij}` and :math:`c_i c_j` over all pairs.

*Discrete model* — a partition into core and periphery; the ideal pattern
has :math:`\\delta_{ij} = 1` inside the core, 0 inside the periphery, and
core–periphery pairs are ignored (B&E's model with the off-diagonal blocks
missing). The fit is the correlation (phi coefficient) between
:math:`a_{ij}` and :math:`\\delta_{ij}` over the core–core and
periphery–periphery pairs. We search the partitions that take the *k* most
central partners by coreness as the core (every *k* at once from cumulative
sums of the sorted adjacency matrix), then improve the best one by moving
single partners between core and periphery while the fit rises.

References
----------
Borgatti, S. P., & Everett, M. G. (1999). Models of core/periphery
structures. *Social Networks* 21(4), 375–395.
https://doi.org/10.1016/S0378-8733(99)00019-2

Boyd, J. P., Fitzgerald, W. J., & Beck, R. J. (2006). Computing
core/periphery structures and permutation tests for social relations data.
*Social Networks* 28(2), 165–178. https://doi.org/10.1016/j.socnet.2005.06.003

Examples
--------
Four partners in a clique, each with two peripheral partners of its own — the
ideal pattern, so the discrete fit is 1:

>>> import networkx as nx
>>> from netwerkonderzoek.network import core_periphery
>>> G = nx.complete_graph(4)
>>> G.add_edges_from((i, f"p{i}{k}") for i in range(4) for k in range(2))
>>> cp = core_periphery(G)
>>> sorted(cp.index[cp["core"]]), round(cp.attrs["fit_discrete"], 6)
([0, 1, 2, 3], 1.0)
"""

from __future__ import annotations

from .graphs import check_graph

__all__ = ["continuous_coreness", "core_periphery", "discrete_core"]


def _symmetric(G):
    from ._matrix import adjacency

    A = adjacency(G)
    return ((A + A.T) > 0).astype(float).tocsr()


def continuous_coreness(A, *, max_iter: int = 1000, tol: float = 1e-10):
    """Minimum-residual coreness of a symmetric binary matrix, rescaled to max 1.

    Returns
    -------
    (ndarray, float)
        Coreness per node and the correlation fit over the pairs i ≠ j.

    Examples
    --------
    >>> import numpy as np, scipy.sparse as sp
    >>> A = sp.csr_array(np.array([[0, 1, 1], [1, 0, 0], [1, 0, 0]], dtype=float))
    >>> c, fit = continuous_coreness(A)
    >>> float(c[0]), bool(c[1] < 1)
    (1.0, True)
    """
    import numpy as np

    n = A.shape[0]
    degree = np.asarray(A.sum(axis=1)).ravel()
    if degree.sum() == 0:
        return np.zeros(n), float("nan")
    c = degree / np.sqrt(degree @ degree) * np.sqrt(degree.mean())
    for _ in range(max_iter):
        denom = np.maximum(c @ c - c**2, 1e-300)
        new = (A @ c) / denom
        if np.max(np.abs(new - c)) <= tol * max(1.0, np.max(np.abs(new))):
            c = new
            break
        c = new
    c = np.maximum(c, 0) / np.max(c)
    fit = _pattern_correlation(A, c)
    return c, fit


def _pattern_correlation(A, c) -> float:
    """Pearson correlation of a_ij and c_i c_j over i != j, without an n x n matrix."""
    import numpy as np

    n = A.shape[0]
    cells = n * (n - 1)
    s1 = np.sum(c) ** 2 - np.sum(c**2)  # sum of c_i c_j, i != j
    s2 = np.sum(c**2) ** 2 - np.sum(c**4)  # sum of (c_i c_j)^2
    rows, cols = A.nonzero()
    sa = float(len(rows))  # binary: sum a = sum a^2
    sac = float(np.sum(c[rows] * c[cols]))
    cov = sac / cells - (sa / cells) * (s1 / cells)
    var_a = sa / cells - (sa / cells) ** 2
    var_c = s2 / cells - (s1 / cells) ** 2
    if var_a <= 0 or var_c <= 0:
        return float("nan")
    return float(cov / np.sqrt(var_a * var_c))


def _phi(k, e_cc, e_pp, n):
    """Correlation of data and the core/periphery pattern for core size ``k``."""
    import numpy as np

    cc = k * (k - 1.0)  # ordered core-core pairs: pattern 1
    pp = (n - k) * (n - k - 1.0)  # periphery-periphery: pattern 0
    n11, n01 = e_cc, e_pp  # ties in core / periphery (ordered pairs)
    n10, n00 = cc - e_cc, pp - e_pp
    num = n11 * n00 - n10 * n01
    den = np.sqrt(cc * pp * (n11 + n01) * (n10 + n00))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / den, -np.inf)


def discrete_core(A, order):
    """Best core/periphery partition with the core a prefix of ``order``, then refined.

    Parameters
    ----------
    A : scipy.sparse matrix
        Symmetric binary adjacency, no diagonal.
    order : array of int
        Nodes from most to least central.

    Returns
    -------
    (ndarray of bool, float)
        Core membership per node and the fit (phi correlation).

    Examples
    --------
    A triangle 0–1–2 with one peripheral partner each (3, 4, 5): the ideal
    pattern, found from the order by degree.

    >>> import networkx as nx
    >>> G = nx.complete_graph(3)
    >>> G.add_edges_from([(0, 3), (1, 4), (2, 5)])
    >>> A = nx.to_scipy_sparse_array(G, nodelist=range(6), format="csr", dtype=float)
    >>> core, fit = discrete_core(A, [0, 1, 2, 3, 4, 5])
    >>> core.tolist(), fit
    ([True, True, True, False, False, False], 1.0)
    """
    import numpy as np
    import scipy.sparse as sp

    n = A.shape[0]
    P = A[order][:, order]
    lower = _row(sp.tril(P, k=-1))  # ties of node r to earlier (more central) nodes
    upper = _row(sp.triu(P, k=1))  # ties to later nodes
    ks = np.arange(n + 1, dtype=float)
    e_cc = 2 * np.concatenate([[0.0], np.cumsum(lower)])  # ordered pairs within prefix k
    e_pp = 2 * np.concatenate([np.cumsum(upper[::-1])[::-1], [0.0]])  # within suffix
    fits = _phi(ks, e_cc, e_pp, float(n))
    fits[:2] = -np.inf  # a core needs at least two partners
    fits[n - 1 :] = -np.inf  # and a periphery at least two
    if not np.isfinite(fits).any():
        return np.zeros(n, dtype=bool), float("nan")
    k = int(np.argmax(fits))
    core = np.zeros(n, dtype=bool)
    core[np.asarray(order)[:k]] = True
    return _refine(A, core)


def _row(M):
    import numpy as np

    return np.asarray(M.sum(axis=1)).ravel()


def _refine(A, core, max_moves: int | None = None):
    """Move single partners between core and periphery while the fit improves."""
    import numpy as np

    n = A.shape[0]
    total = float(A.nnz)
    max_moves = 2 * n if max_moves is None else max_moves
    x = core.astype(float)
    to_core = A @ x
    degree = _row(A)
    k = x.sum()
    e_cc = float(x @ to_core)
    e_pp = total - 2 * float(x @ degree) + e_cc  # ties in neither endpoint in core
    best = float(_phi(k, e_cc, e_pp, n))
    for _ in range(max_moves):
        # the effect of moving every node at once, vectorised
        sign = np.where(core, -1.0, 1.0)  # core -> periphery: -1
        new_k = k + sign
        new_cc = e_cc + sign * 2 * to_core
        to_periphery = degree - to_core
        new_pp = e_pp - sign * 2 * to_periphery
        fits = _phi(new_k, new_cc, new_pp, float(n))
        fits[(new_k < 2) | (new_k > n - 2)] = -np.inf
        i = int(np.argmax(fits))
        if not fits[i] > best + 1e-12:
            break
        best = float(fits[i])
        k, e_cc, e_pp = new_k[i], new_cc[i], new_pp[i]
        core[i] = not core[i]
        column = A[:, [i]].toarray().ravel()
        to_core = to_core + sign[i] * column
    return core, best


def core_periphery(G):
    """Core membership and coreness of every partner (Borgatti & Everett 1999).

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        The network; ties are read undirected and unweighted.

    Returns
    -------
    DataFrame
        Indexed by ``partner_id``: ``coreness`` (continuous model, 0–1, the most
        central partner 1) and ``core`` (bool, discrete model).
        ``attrs["fit_continuous"]`` and ``attrs["fit_discrete"]`` hold the
        correlation of the data with each ideal pattern (1 = a perfect
        core–periphery structure).

    Raises
    ------
    NetworkDataError
        If ``G`` has fewer than 4 partners (a core and a periphery of two each).

    References
    ----------
    Borgatti & Everett (1999), https://doi.org/10.1016/S0378-8733(99)00019-2;
    Boyd, Fitzgerald & Beck (2006), https://doi.org/10.1016/j.socnet.2005.06.003

    Examples
    --------
    >>> import networkx as nx
    >>> cp = core_periphery(nx.star_graph(4))
    >>> float(cp.loc[0, "coreness"]), bool(cp.loc[1, "coreness"] < 0.5)
    (1.0, True)
    """
    import numpy as np
    import pandas as pd

    from ._matrix import node_order

    check_graph(G, 4, "core–periphery analysis")
    nodes = node_order(G)
    A = _symmetric(G)
    coreness, fit_c = continuous_coreness(A)
    degree = _row(A)
    order = np.lexsort((np.arange(len(nodes)), -degree, -coreness))
    core, fit_d = discrete_core(A, order)
    table = pd.DataFrame(
        {"core": core, "coreness": coreness}, index=pd.Index(nodes, name="partner_id")
    )
    table.attrs["fit_continuous"] = fit_c
    table.attrs["fit_discrete"] = fit_d
    return table
