"""Gould–Fernandez brokerage roles by partner kind, vectorised with scipy.sparse.

A partner *b* brokers when it lies on a two-path *a → b → c* (a ≠ c) while
*a → c* is absent. Gould & Fernandez (1989) type the brokerage by the groups
(here: partner kinds) of *a*, *b* and *c*:

==============================  ==============  =================================
role                            sna name        groups of a, b, c
==============================  ==============  =================================
coordinator                     ``w_I``         all three the same
itinerant (consultant)          ``w_O``         a and c the same, b different
representative                  ``b_IO``        a and b the same, c different
gatekeeper                      ``b_OI``        b and c the same, a different
liaison                         ``b_O``         all three different
==============================  ==============  =================================

Expected counts and variances under a random graph of the same density
:math:`d = m / (N (N - 1))` follow R's ``sna::brokerage`` (Butts 2008) for a
broker whose group has :math:`n_i` members (:math:`n_{-i}` the sizes of the
other groups):

.. math::

    E[w_I] &= d^2 (1-d) (n_i - 1)(n_i - 2) \\\\
    E[w_O] &= d^2 (1-d) \\textstyle\\sum n_{-i} (n_{-i} - 1) \\\\
    E[b_{IO}] = E[b_{OI}] &= d^2 (1-d) (N - n_i)(n_i - 1) \\\\
    E[b_O] &= d^2 (1-d) \\left[(\\textstyle\\sum n_{-i})^2 - \\textstyle\\sum n_{-i}^2\\right]

and :math:`z = (\\text{raw} - E) / \\sqrt{V}`. A z-score is NaN when the
expected count and its variance are both 0: the role is impossible for that
partner (e.g. a coordinator in a kind with fewer than three partners).

References
----------
Gould, R. V., & Fernandez, R. M. (1989). Structures of mediation: a formal
approach to brokerage in transaction networks. *Sociological Methodology*
19, 89–126. https://doi.org/10.2307/270949

Butts, C. T. (2008). Social network analysis with sna. *Journal of
Statistical Software* 24(6). https://doi.org/10.18637/jss.v024.i06
"""

from __future__ import annotations

from .graphs import NetworkDataError, check_graph

__all__ = ["BROKERAGE_ROLES", "brokerage", "brokerage_counts"]

BROKERAGE_ROLES = ("coordinator", "itinerant", "gatekeeper", "representative", "liaison")


def _colsum(M):
    import numpy as np

    return np.asarray(M.sum(axis=0)).ravel()


def _rowsum(M):
    import numpy as np

    return np.asarray(M.sum(axis=1)).ravel()


def brokerage_counts(A, groups):
    """Raw role counts per node from a binary adjacency matrix (no diagonal).

    Parameters
    ----------
    A : scipy.sparse matrix, shape (n, n)
        Binary directed adjacency, ``A[i, j] = 1`` for a tie i → j.
    groups : array of int, shape (n,)
        Group code of each node.

    Returns
    -------
    dict of str to ndarray
        Counts per role (keys :data:`BROKERAGE_ROLES`) plus ``"total"``.

    Notes
    -----
    For broker *j* the open two-paths i → j → k with i, k drawn from group sets
    P, Q number ``in_P(j) * out_Q(j) - mutual(j, P∩Q) - closed(j, P, Q)``,
    with ``closed`` from the sparse products ``A ∘ (A Aᵀ)``; restricting i or
    k to the broker's own group or to each other's group gives the five roles
    without enumerating two-paths.

    Examples
    --------
    One two-path 0 → 1 → 2, broker 1 of the same kind as the sender 0 and
    another kind than the receiver 2: a representative.

    >>> import numpy as np, scipy.sparse as sp
    >>> A = sp.csr_array(np.array([[0, 1, 0], [0, 0, 1], [0, 0, 0]]))
    >>> counts = brokerage_counts(A, ["care", "care", "housing"])
    >>> counts["representative"].tolist(), counts["total"].tolist()
    ([0, 1, 0], [0, 1, 0])
    >>> brokerage_counts(A, ["care"] * 3)["coordinator"].tolist()  # all one kind
    [0, 1, 0]
    """
    import numpy as np
    import scipy.sparse as sp

    A = sp.csr_array(A, dtype=float)
    n = A.shape[0]
    groups = np.asarray(groups)
    codes, inverse = np.unique(groups, return_inverse=True)
    H = sp.csr_array(
        (np.ones(n), (np.arange(n), inverse)), shape=(n, len(codes)), dtype=float
    )  # node x group indicator
    AT = A.T.tocsr()
    rows, cols = A.nonzero()
    same = (inverse[rows] == inverse[cols]).astype(float)
    A_same = sp.csr_array((same, (rows, cols)), shape=A.shape)  # ties within a group
    A_same.eliminate_zeros()
    M = A.multiply(AT).tocsr()  # mutual ties
    M_same = M.multiply(A_same).tocsr()

    in_all, out_all = _colsum(A), _rowsum(A)
    in_same, out_same = _colsum(A_same), _rowsum(A_same)  # neighbours in own group
    in_group = (AT @ H).toarray()  # in-neighbours of j per group
    out_group = (A @ H).toarray()
    mutual, mutual_same = _rowsum(M), _rowsum(M_same)

    AAT = A @ AT  # (i, j): common out-neighbours k of i and j
    closed_all = _colsum(A.multiply(AAT))
    closed_i_same = _colsum(A_same.multiply(AAT))  # i in j's group
    closed_k_same = _colsum(A.multiply(A @ A_same.T))  # k in j's group
    closed_both = _colsum(A_same.multiply(A @ A_same.T))  # i and k in j's group
    closed_ik = _colsum(A.multiply(A_same @ AT))  # i and k in one group

    total = in_all * out_all - mutual - closed_all
    coordinator = in_same * out_same - mutual_same - closed_both
    from_own = in_same * out_all - mutual_same - closed_i_same  # i in j's group
    to_own = in_all * out_same - mutual_same - closed_k_same  # k in j's group
    same_ends = (in_group * out_group).sum(axis=1) - mutual - closed_ik  # i, k one group
    representative = from_own - coordinator
    gatekeeper = to_own - coordinator
    itinerant = same_ends - coordinator
    liaison = total - coordinator - representative - gatekeeper - itinerant
    out = {
        "coordinator": coordinator,
        "itinerant": itinerant,
        "gatekeeper": gatekeeper,
        "representative": representative,
        "liaison": liaison,
        "total": total,
    }
    return {k: np.rint(v).astype(int) for k, v in out.items()}


def _moments(N: float, sizes, d: float):
    """Expected counts and variances per group, as ``sna::brokerage``."""
    import numpy as np
    from scipy.special import comb

    sizes = np.asarray(sizes, dtype=float)
    p = d**2 * (1 - d)
    q = d**3 * (1 - d) ** 3
    expected, variance = [], []
    for i, ni in enumerate(sizes):
        rest = np.delete(sizes, i)
        e = {
            "coordinator": p * (ni - 1) * (ni - 2),
            "itinerant": p * np.sum(rest * (rest - 1)),
            "representative": p * (N - ni) * (ni - 1),
            "liaison": p * (np.sum(rest) ** 2 - np.sum(rest**2)),
            "total": p * (N - 1) * (N - 2),
        }
        e["gatekeeper"] = e["representative"]
        v = {
            "coordinator": e["coordinator"] * (1 - p) + 2 * (ni - 1) * (ni - 2) * (ni - 3) * q,
            "itinerant": e["itinerant"] * (1 - p) + 2 * np.sum(rest * (rest - 1) * (rest - 2)) * q,
            "representative": e["representative"] * (1 - p)
            + 2 * ((ni - 1) * comb(N - ni, 2) + (N - ni) * comb(ni - 1, 2)) * q,
            "liaison": e["liaison"] * (1 - p) + 4 * np.sum(rest * comb(N - rest - ni, 2) * q),
            "total": e["total"] * (1 - p) + 2 * (N - 1) * (N - 2) * (N - 3) * q,
        }
        v["gatekeeper"] = v["representative"]
        expected.append(e)
        variance.append(v)
    return expected, variance


def brokerage(G, attribute: str = "kind"):
    """Gould–Fernandez brokerage roles of every partner, with expected counts and z-scores.

    Counts, for each partner *b*, the open two-paths a → b → c (a ≠ c, a → c
    absent) by the groups of a, b and c given by the node attribute
    ``attribute`` (see the module docstring for the five roles), and compares
    them with their expectation under a random graph of equal density, as
    R's ``sna::brokerage(g, cl)`` does (Gould & Fernandez 1989).

    Parameters
    ----------
    G : networkx.DiGraph
        Directed network (an undirected graph is read as ties both ways);
        weights are ignored, self-ties are not counted.
    attribute : str
        Node attribute holding the group (partner kind by default).

    Returns
    -------
    DataFrame
        Indexed by ``partner_id``: ``group``, the raw counts ``coordinator``,
        ``itinerant``, ``gatekeeper``, ``representative``, ``liaison`` and
        ``total``, their expectations ``<role>_expected`` and z-scores
        ``<role>_z``. ``attrs["density"]`` holds *d*.

    Raises
    ------
    NetworkDataError
        If ``G`` has fewer than 3 partners, or a partner lacks ``attribute``.

    References
    ----------
    Gould & Fernandez (1989), https://doi.org/10.2307/270949; Butts (2008),
    https://doi.org/10.18637/jss.v024.i06

    Examples
    --------
    A municipality links two care providers (a, c) that do not talk directly:
    an itinerant (consultant) broker, twice (a → m → c and c → m → a).

    >>> import networkx as nx
    >>> G = nx.DiGraph([("a", "m"), ("m", "a"), ("m", "c"), ("c", "m")])
    >>> nx.set_node_attributes(G, {"a": "care", "c": "care", "m": "municipality"}, "kind")
    >>> table = brokerage(G)
    >>> table.loc["m", ["coordinator", "itinerant", "gatekeeper", "representative", "liaison"]].tolist()
    [0, 2, 0, 0, 0]
    """
    import numpy as np
    import pandas as pd

    from ._matrix import adjacency, node_order

    check_graph(G, 3, "brokerage")
    nodes = node_order(G)
    missing = [str(v) for v in nodes if G.nodes[v].get(attribute) is None]
    if missing:
        raise NetworkDataError(
            f"brokerage needs the node attribute {attribute!r}; it is missing for "
            f"{', '.join(missing)}"
        )
    A = adjacency(G)
    if not G.is_directed():
        A = ((A + A.T) > 0).astype(float)
    groups = np.array([str(G.nodes[v][attribute]) for v in nodes])
    raw = brokerage_counts(A, groups)
    N = float(len(nodes))
    d = A.nnz / (N * (N - 1))
    labels, inverse = np.unique(groups, return_inverse=True)
    sizes = np.bincount(inverse)
    expected, variance = _moments(N, sizes, d)
    table = pd.DataFrame(index=pd.Index(nodes, name="partner_id"))
    table["group"] = groups
    roles = (*BROKERAGE_ROLES, "total")
    for role in roles:
        table[role] = raw[role]
    for role in roles:
        e = np.array([expected[g][role] for g in inverse])
        v = np.array([variance[g][role] for g in inverse])
        table[f"{role}_expected"] = e
        with np.errstate(divide="ignore", invalid="ignore"):
            z = (raw[role] - e) / np.sqrt(v)
        table[f"{role}_z"] = np.where(v > 0, z, np.nan)
    table.attrs["density"] = d
    table.attrs["groups"] = dict(zip(labels.tolist(), sizes.tolist(), strict=True))
    return table
