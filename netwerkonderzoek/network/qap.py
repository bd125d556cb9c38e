"""QAP and MRQAP regression of one partner network on others, as R sna's netlm/netlogit.

Does trust between two partners predict a joint-delivery tie, controlling for
being of the same kind and for sharing clients? :func:`qap_regression`
regresses the dyads of one network (the off-diagonal cells of its adjacency
matrix, ``y``) on the dyads of others (``X``): ordinary least squares
(``kind="linear"``, as ``sna::netlm``) or logistic maximum likelihood
(``kind="logistic"``, as ``sna::netlogit``), with an intercept first. The
estimates are those of OLS or a logit on the vectorised cells; only the
inference differs. Dyads are not independent — a partner that names many
others, or is named by many, makes its row or column of ``y`` and ``X``
correlated — so the classical standard errors are too small (network
autocorrelation). The p-values come from the quadratic assignment procedure
(QAP): the rows and columns of a matrix are permuted together, which keeps
all its row and column dependence and breaks only its link with the others.

``method="dsp"`` (default): double semi-partialling (Dekker, Krackhardt &
Snijders 2007; sna's ``nullhyp="qapspp"``). For each term :math:`x_i`
(the intercept included), :math:`x_i` is regressed on the other terms; its
residual matrix :math:`e_i` is permuted, and :math:`y` is regressed on the
other terms and the permuted :math:`e_i`; the statistic is the *t* value
(logistic: *z* value) of that last coefficient. ``method="y"``
(``nullhyp="qapy"``): :math:`y` is permuted and regressed on all terms.
With several correlated predictors y-permutation can be too liberal or too
conservative; DSP keeps its size (Dekker et al. 2007, and the Monte Carlo in
``tests/test_network_qap.py``).

P-values, as sna computes ``pleeq``, ``pgreq`` and ``pgreqabs``: over the
``permutations`` permuted statistics :math:`t^*_r` (the observed one *not*
counted among them),

.. math::

    p = \\frac{\\#\\{r : |t^*_r| \\ge |t|\\}}{R}, \\quad
    p_{>} = \\frac{\\#\\{r : t^*_r \\ge t\\}}{R}, \\quad
    p_{<} = \\frac{\\#\\{r : t^*_r \\le t\\}}{R}

so a p-value can be 0 (read it as below :math:`1/R`). A permuted statistic
equal to the observed one up to rounding (relative :math:`10^{-7}`; this
happens on tiny graphs, where the identity permutation recurs) counts as at
least as extreme, as it does in exact arithmetic.

The diagonal (self-ties) is left out; networks are directed unless
``directed=False``, which uses the cells below the diagonal of symmetric
matrices. Inputs are square matrices or graphs on one node set (a graph
becomes its binary adjacency matrix in :func:`node_order`; use
:func:`edge_matrix` for an edge attribute such as trust and
:func:`node_match_matrix` for "same kind").

References
----------
Dekker, D., Krackhardt, D., & Snijders, T. A. B. (2007). Sensitivity of
MRQAP tests to collinearity and autocorrelation conditions. *Psychometrika*
72(4), 563–581. https://doi.org/10.1007/s11336-007-9016-1

Krackhardt, D. (1988). Predicting with networks: nonparametric multiple
regression analysis of dyadic data. *Social Networks* 10(4), 359–381.
https://doi.org/10.1016/0378-8733(88)90004-4

Butts, C. T. (2008). Social network analysis with sna. *Journal of
Statistical Software* 24(6). https://doi.org/10.18637/jss.v024.i06

Examples
--------
Does trust predict joint delivery, controlling for being of the same kind?
Ten partners of two kinds, who trust their own kind a little more:

>>> import numpy as np
>>> from netwerkonderzoek.network import qap_regression
>>> rng = np.random.default_rng(5)
>>> kind = np.repeat([0, 1], 5)
>>> same_kind = (kind[:, None] == kind[None, :]).astype(float)
>>> trust = rng.integers(1, 5, (10, 10)) + same_kind
>>> joint = (trust + rng.normal(0, 1, (10, 10)) > 4.5).astype(float)
>>> table = qap_regression(joint, {"trust": trust, "same_kind": same_kind},
...                        kind="logistic", permutations=500, seed=1)
>>> table[["term", "estimate", "p_value"]].round(3)
          term  estimate  p_value
0  (intercept)    -5.818     0.00
1        trust     1.029     0.00
2    same_kind     0.096     0.92
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

from ..exceptions import NetwerkonderzoekWarning
from ._matrix import node_order
from ._qapfit import logit, logit_start, ols_all_t, ols_last_t, ols_t
from .dyads import edge_matrix

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["QAP_KINDS", "QAP_METHODS", "qap_regression"]

QAP_KINDS = ("linear", "logistic")
QAP_METHODS = ("dsp", "y")

# permuted cells held in memory at once (rows x dyads), about 16 MB of floats
_CHUNK_CELLS = 2_000_000
# equal statistics up to this relative rounding count as "at least as extreme"
_TIE_TOL = 1e-7


def _is_graph(obj) -> bool:
    return hasattr(obj, "nodes") and hasattr(obj, "edges") and hasattr(obj, "is_directed")


def _matrices(y, X, names) -> tuple[list[str], list]:
    """The term names and the square float matrices of ``y`` and the predictors."""
    import numpy as np

    if isinstance(X, dict):
        names = [str(k) for k in X] if names is None else list(names)
        X = list(X.values())
    elif _is_graph(X) or (hasattr(X, "ndim") and np.ndim(X) == 2):
        X = [X]
    else:
        X = list(X)
    if not X:
        raise ValueError(
            "The 'X' parameter of qap_regression must hold at least one predictor. Got none."
        )
    names = [f"x{k}" for k in range(1, len(X) + 1)] if names is None else list(names)
    if len(names) != len(X):
        raise ValueError(
            f"The 'names' parameter of qap_regression must name each of the {len(X)} "
            f"predictors. Got {len(names)} names instead."
        )
    graphs = [g for g in [y, *X] if _is_graph(g)]
    nodes = node_order(graphs[0]) if graphs else None
    for g in graphs[1:]:
        if set(g.nodes) != set(nodes):
            extra = sorted(map(str, set(g.nodes) ^ set(nodes)))
            raise ValueError(
                "qap_regression needs graphs on one node set; these nodes are in some "
                f"graphs but not in all: {', '.join(extra[:10])}"
            )
    out = []
    for label, obj in zip(["y", *names], [y, *X], strict=True):
        M = edge_matrix(obj, nodes=nodes) if _is_graph(obj) else np.asarray(obj, dtype=float)
        if M.ndim != 2 or M.shape[0] != M.shape[1]:
            raise ValueError(
                f"qap_regression: '{label}' must be a square adjacency matrix or a graph. "
                f"Got shape {M.shape} instead."
            )
        out.append(M)
    shapes = {M.shape for M in out}
    if len(shapes) > 1:
        got = ", ".join(f"{lab} {M.shape[0]}" for lab, M in zip(["y", *names], out, strict=True))
        raise ValueError(f"qap_regression needs matrices of one order (partners); got {got}")
    return names, out


def _cells(n: int, directed: bool):
    import numpy as np

    rows, cols = np.nonzero(~np.eye(n, dtype=bool))
    if not directed:
        keep = rows > cols
        rows, cols = rows[keep], cols[keep]
    return rows, cols


def _design(mats, names, directed, kind):
    """Vectorised y, the design matrix Z (intercept first) and the cell index."""
    import numpy as np

    n = mats[0].shape[0]
    rows, cols = _cells(n, directed)
    for label, M in zip(["y", *names], mats, strict=True):
        if not directed and not np.allclose(M, M.T, equal_nan=True):
            raise ValueError(
                f"qap_regression with directed=False needs symmetric matrices; '{label}' is not"
            )
        bad = int(np.isnan(M[rows, cols]).sum())
        if bad:
            raise ValueError(
                f"qap_regression: '{label}' has {bad} missing (NaN) dyads; QAP needs complete "
                "matrices: fill them (e.g. 0 for no tie) or leave the partners out"
            )
    y = mats[0][rows, cols]
    if kind == "logistic" and not np.isin(y, (0.0, 1.0)).all():
        raise ValueError(
            "qap_regression(kind='logistic') needs a binary y (0/1). Got other values."
        )
    Z = np.column_stack([np.ones(len(y)), *[M[rows, cols] for M in mats[1:]]])
    if len(y) <= Z.shape[1]:
        raise ValueError(
            f"qap_regression: {len(y)} dyads for {Z.shape[1]} terms; it needs more dyads than "
            "terms (more partners)"
        )
    return y, Z, rows, cols


def _flat_matrix(values, rows, cols, n):
    """An ``n * n`` flattened matrix holding ``values`` in the cells (and mirrored).

    For the directed cell set every off-diagonal cell is listed, so writing
    the mirror first and the cells last leaves each cell its own value; for
    the undirected set (below the diagonal) the mirror fills the upper half.
    """
    import numpy as np

    M = np.zeros(n * n)
    M[cols * n + rows] = values
    M[rows * n + cols] = values
    return M


def _residual_matrices(Z, rows, cols, n, terms):
    """Per term, its residuals on the other terms as a flattened matrix (sna's ``xres``)."""
    import numpy as np

    E = np.zeros((Z.shape[1], n * n))
    dependent = []
    for i in range(Z.shape[1]):
        others = np.delete(Z, i, axis=1)
        coef, *_ = np.linalg.lstsq(others, Z[:, i], rcond=None)
        e = Z[:, i] - others @ coef
        if np.sum(e**2) <= 1e-10 * max(1.0, float(np.sum(Z[:, i] ** 2))):
            dependent.append(terms[i])
        E[i] = _flat_matrix(e, rows, cols, n)
    if dependent:
        raise ValueError(
            f"qap_regression: the terms {', '.join(dependent)} are linearly dependent over "
            "the dyads (a predictor that is constant, or a combination of others); leave "
            "one out"
        )
    return E


def _observed(kind, y, Z):
    """Estimates and statistics of the fit on the observed networks."""
    import numpy as np

    if kind == "linear":
        return ols_t(Z, y)
    if np.all(y == y[0]):
        raise ValueError(
            f"qap_regression(kind='logistic'): y has {'no' if y[0] == 0 else 'only'} ties; "
            "a logit needs ties and non-ties"
        )
    beta, _, converged = logit(Z, None, y, logit_start(y, Z.shape[1]))
    beta, z, _ = logit(Z, None, y, beta[0])  # one more step: the information at the estimate
    if not converged[0]:
        warnings.warn(
            "qap_regression: the logistic fit did not converge in 25 steps (perfect "
            "separation?); the estimates may be infinite",
            NetwerkonderzoekWarning,
            stacklevel=3,
        )
    return beta[0], z[0]


def _permuted_statistics(kind, method, y, Z, E, rows, cols, n, perms):
    """Permutation distribution of each term's statistic (permutations x terms).

    ``E`` holds the terms' residual matrices (:func:`_residual_matrices`);
    the same node permutations serve every term.
    """
    import numpy as np

    k = Z.shape[1]
    dist = np.empty((len(perms), k))
    chunk = max(1, _CHUNK_CELLS // len(y))
    if method == "dsp":
        reduced = [np.delete(Z, i, axis=1) for i in range(k)]
        starts = []
        if kind == "logistic":  # warm start: the fit without the term, its coefficient 0
            for i, A in enumerate(reduced):
                b, _, _ = logit(A, None, y, logit_start(y, k - 1) if i else 0.0)
                starts.append(np.append(b[0], 0.0))
    else:
        Ymat = _flat_matrix(y, rows, cols, n)
    for lo in range(0, len(perms), chunk):
        P = perms[lo : lo + chunk]
        flat = P[:, rows] * n + P[:, cols]
        block = slice(lo, lo + len(P))
        if method == "y":
            Yp = Ymat[flat]
            if kind == "linear":
                dist[block] = ols_all_t(Z, Yp)
            else:
                dist[block] = logit(Z, None, Yp, logit_start(y, k))[1]
            continue
        for i in range(k):
            W = E[i][flat]
            if kind == "linear":
                dist[block, i] = ols_last_t(reduced[i], W, y)
            else:
                dist[block, i] = logit(reduced[i], W, y, starts[i])[1][:, -1]
    return dist


def _shares(observed, dist):
    """sna's pgreqabs, pgreq and pleeq: shares of permuted statistics (observed not counted)."""
    import numpy as np

    tol = _TIE_TOL * np.maximum(1.0, np.abs(observed))
    p_abs = np.mean(np.abs(dist) >= np.abs(observed) - tol, axis=0)
    p_greater = np.mean(dist >= observed - tol, axis=0)
    p_less = np.mean(dist <= observed + tol, axis=0)
    return p_abs, p_greater, p_less


def qap_regression(
    y,
    X,
    kind: str = "linear",
    method: str = "dsp",
    permutations: int = 1000,
    seed: int | None = None,
    *,
    names=None,
    directed: bool = True,
) -> pd.DataFrame:
    """QAP / MRQAP regression of network ``y`` on networks ``X``, with QAP p-values.

    The estimates are OLS (``kind="linear"``, sna's ``netlm``) or logistic
    maximum likelihood (``kind="logistic"``, sna's ``netlogit``) on the
    off-diagonal cells, with an intercept; the p-values come from
    ``permutations`` node permutations (see the module docstring for the
    null hypotheses and the counting).

    Parameters
    ----------
    y : array_like or networkx graph
        The dependent network: an ``n`` x ``n`` matrix, or a graph (its
        binary adjacency matrix in :func:`node_order`). Binary for
        ``kind="logistic"``.
    X : list or dict of array_like or graphs
        The predictors, each ``n`` x ``n`` on the same node order (graphs
        must have the nodes of ``y``; matrices are taken to be in
        :func:`node_order` of the graphs). A dict names them; a single
        matrix or graph is one predictor.
    kind : {"linear", "logistic"}
    method : {"dsp", "y"}
        ``"dsp"``: Dekker et al.'s double semi-partialling (sna
        ``nullhyp="qapspp"``); ``"y"``: permute ``y`` (``nullhyp="qapy"``).
    permutations : int
        Number of random node permutations (sna's ``reps``).
    seed : int, optional
        Seed of ``numpy.random.default_rng``; the same seed gives the same
        p-values.
    names : list of str, optional
        Names of the predictors; default their dict keys, else ``x1``, ``x2``, …
    directed : bool
        False for undirected networks: the cells below the diagonal of
        symmetric matrices, as sna's ``mode="graph"``.

    Returns
    -------
    DataFrame
        One row per term, ``(intercept)`` first, then the predictors in the
        order given: ``term``, ``estimate``, ``statistic`` (t, or z for the
        logit, of the observed fit), ``p_value`` (two-sided, share of
        permuted \\|statistic\\| ≥ \\|observed\\|; sna's ``Pr(>=|b|)``),
        ``p_greater`` (share ≥, ``Pr(>=b)``), ``p_less`` (share ≤,
        ``Pr(<=b)``) and ``permutations``.

    Raises
    ------
    ValueError
        For an unknown ``kind`` or ``method``, ``permutations`` below 1,
        matrices that are not square or not of one order, graphs on different
        node sets, missing (NaN) dyads, a non-binary ``y`` for the logit, a
        term that is constant or collinear with the others, or too few dyads.

    References
    ----------
    Dekker, Krackhardt & Snijders (2007). https://doi.org/10.1007/s11336-007-9016-1

    Examples
    --------
    A valued tie on trust, controlling for sharing clients (linear, DSP):

    >>> import numpy as np
    >>> rng = np.random.default_rng(3)
    >>> trust = rng.integers(0, 5, (12, 12)).astype(float)
    >>> shared = (rng.random((12, 12)) < 0.3).astype(float)
    >>> tie = 0.2 * trust + rng.normal(0, 1, (12, 12))
    >>> table = qap_regression(tie, {"trust": trust, "shared_clients": shared}, seed=1)
    >>> table[["term", "estimate", "statistic", "p_value"]].round(3)
                 term  estimate  statistic  p_value
    0     (intercept)    -0.109     -0.704    0.468
    1           trust     0.251      4.220    0.000
    2  shared_clients     0.085      0.436    0.693
    """
    import numpy as np
    import pandas as pd

    if kind not in QAP_KINDS:
        raise ValueError(
            f"The 'kind' parameter of qap_regression must be one of {', '.join(QAP_KINDS)}. "
            f"Got {kind!r} instead."
        )
    if method not in QAP_METHODS:
        raise ValueError(
            f"The 'method' parameter of qap_regression must be one of {', '.join(QAP_METHODS)}. "
            f"Got {method!r} instead."
        )
    if int(permutations) != permutations or permutations < 1:
        raise ValueError(
            "The 'permutations' parameter of qap_regression must be a positive integer. "
            f"Got {permutations!r} instead."
        )
    names, mats = _matrices(y, X, names)
    terms = ["(intercept)", *names]
    yv, Z, rows, cols = _design(mats, names, directed, kind)
    n = mats[0].shape[0]
    E = _residual_matrices(Z, rows, cols, n, terms)  # refuses collinear terms before fitting
    estimate, statistic = _observed(kind, yv, Z)
    rng = np.random.default_rng(seed)
    perms = rng.permuted(np.tile(np.arange(n), (int(permutations), 1)), axis=1)
    dist = _permuted_statistics(kind, method, yv, Z, E, rows, cols, n, perms)
    p_value, p_greater, p_less = _shares(statistic, dist)
    return pd.DataFrame(
        {
            "term": terms,
            "estimate": estimate,
            "statistic": statistic,
            "p_value": p_value,
            "p_greater": p_greater,
            "p_less": p_less,
            "permutations": int(permutations),
        }
    )
