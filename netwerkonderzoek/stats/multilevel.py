"""Units nested in areas: mixed models and small-sample cluster-robust inference.

:func:`random_intercept_fit` fits a linear mixed model with a random
intercept per area (statsmodels :class:`~statsmodels.regression.mixed_linear_model.MixedLM`,
REML) and returns the fixed effects with their covariance.
:func:`netwerkonderzoek.stats.test_configuration` uses it for
``method="mixed"``.

:func:`cr2` is the bias-reduced linearisation ("CR2") cluster-robust
covariance of Bell & McCaffrey (2002), and :meth:`ClusterRobust.se_df` the
Bell–McCaffrey degrees of freedom of a contrast in the form of Imbens &
Kolesár (2016), with the working model of independent errors (of the
transformed model, for GLS and IRLS fits; Pustejovsky & Tipton 2018). With
few clusters, or with a contrast that rests on few of them, these degrees of
freedom are small and the ``t`` reference widens the interval accordingly;
CR1 with ``G - 1`` degrees of freedom over-rejects there (Cameron, Gelbach &
Miller 2008). statsmodels has no CR2 and no Bell–McCaffrey degrees of
freedom, hence this implementation; it is checked against closed forms
(Welch's test on cluster means, statsmodels' HC2) in the tests and for size
and coverage by :mod:`netwerkonderzoek.calibration.units`.

References
----------
Snijders, T. A. B., & Bosker, R. J. (2012). *Multilevel Analysis* (2nd ed.).
London: Sage.

Bell, R. M., & McCaffrey, D. F. (2002). Bias reduction in standard errors
for linear regression with multi-stage samples. *Survey Methodology*, 28(2),
169–181.

Imbens, G. W., & Kolesár, M. (2016). Robust standard errors in small samples:
some practical advice. *Review of Economics and Statistics*, 98(4), 701–712.
https://doi.org/10.1162/REST_a_00552

Pustejovsky, J. E., & Tipton, E. (2018). Small-sample methods for
cluster-robust variance estimation and hypothesis testing in fixed effects
models. *Journal of Business & Economic Statistics*, 36(4), 672–683.
https://doi.org/10.1080/07350015.2016.1247004

Cameron, A. C., Gelbach, J. B., & Miller, D. L. (2008). Bootstrap-based
improvements for inference with clustered errors. *Review of Economics and
Statistics*, 90(3), 414–427. https://doi.org/10.1162/rest.90.3.414

Lindstrom, M. J., & Bates, D. M. (1988). Newton–Raphson and EM algorithms
for linear mixed-effects models for repeated-measures data. *Journal of the
American Statistical Association*, 83(404), 1014–1022.
https://doi.org/10.1080/01621459.1988.10478693
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pandas as pd

__all__ = ["ClusterRobust", "FixedEffects", "cr2", "random_intercept_fit"]


@dataclass(frozen=True)
class FixedEffects:
    """Fixed effects of a fitted model: estimates, covariance and inference df.

    ``df`` is None for normal (z) inference.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(1)
    >>> g = np.repeat(np.arange(20), 30)
    >>> x = rng.normal(size=600)
    >>> y = 1 + 0.5 * x + rng.normal(0, 1, 20)[g] + rng.normal(size=600)
    >>> fit = random_intercept_fit(y, pd.DataFrame({"const": 1.0, "x": x}), g)
    >>> fit.df is None, fit.n_groups, fit.converged, list(fit.cov.columns)
    (True, 20, True, ['const', 'x'])
    >>> bool(fit.variance_between > 0 and fit.variance_within > 0)
    True
    """

    params: pd.Series
    cov: pd.DataFrame
    df: float | None
    n_groups: int
    converged: bool
    variance_between: float = float("nan")
    variance_within: float = float("nan")
    result: Any = field(default=None, compare=False, repr=False)


def random_intercept_fit(y: np.ndarray, X: pd.DataFrame, groups: np.ndarray) -> FixedEffects:
    """Fit ``y = X b + u[group] + e`` with ``u ~ N(0, s2_u)`` by REML.

    Parameters
    ----------
    y : array
        Outcome.
    X : DataFrame
        Fixed-effect design (including a constant column).
    groups : array
        Area (cluster) label per row.

    Returns
    -------
    FixedEffects
        Estimates and model-based covariance of the fixed effects; inference
        is normal (statsmodels' default for MixedLM).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(1)
    >>> g = np.repeat(np.arange(20), 30)
    >>> x = rng.normal(size=600)
    >>> y = 1 + 0.5 * x + rng.normal(0, 1, 20)[g] + rng.normal(size=600)
    >>> fit = random_intercept_fit(y, pd.DataFrame({"const": 1.0, "x": x}), g)
    >>> round(float(fit.params["x"]), 2)
    0.56
    """
    import warnings

    import numpy as np
    import pandas as pd
    from statsmodels.regression.mixed_linear_model import MixedLM
    from statsmodels.tools.sm_exceptions import ConvergenceWarning, SingularMatrixWarning

    model = MixedLM(np.asarray(y, dtype=float), X, groups=np.asarray(groups))
    with warnings.catch_warnings():
        # Boundary fits (zero area variance) are legitimate; convergence is reported.
        warnings.filterwarnings("ignore", category=ConvergenceWarning)
        warnings.filterwarnings("ignore", category=SingularMatrixWarning)
        result = model.fit(reml=True)
    names = list(X.columns)
    params = pd.Series(np.asarray(result.fe_params), index=names)
    k = len(names)
    cov = pd.DataFrame(np.asarray(result.cov_params())[:k, :k], index=names, columns=names)
    return FixedEffects(
        params=params,
        cov=cov,
        df=None,
        n_groups=len(np.unique(groups)),
        converged=bool(result.converged),
        variance_between=float(np.asarray(result.cov_re)[0, 0]),
        variance_within=float(result.scale),
        result=result,
    )


@dataclass(frozen=True)
class ClusterRobust:
    """CR2 cluster-robust covariance with what Bell–McCaffrey degrees of freedom need.

    Returned by :func:`cr2`; :meth:`se_df` gives the standard error and the
    Bell–McCaffrey / Imbens–Kolesár degrees of freedom of a linear
    combination ``c' b`` of the coefficients.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.column_stack([np.ones(40), np.repeat([0.0, 1.0], 20)])
    >>> y = np.random.default_rng(0).normal(size=40)
    >>> robust = cr2(X, y - X @ np.linalg.lstsq(X, y, rcond=None)[0], np.repeat(np.arange(8), 5))
    >>> robust.n_clusters, robust.cov.shape
    (8, (2, 2))
    """

    cov: np.ndarray
    n_clusters: int
    _bread: np.ndarray
    _pieces: tuple  # per cluster (X~_g, U_g, f_g, e~_g); HC2: one (X~, diag A, e~)

    def se_df(self, contrast: np.ndarray) -> tuple[float, float]:
        """Standard error and Bell–McCaffrey degrees of freedom of ``contrast' b``.

        Examples
        --------
        Without clusters (HC2), for a difference in means: Welch's standard
        error, and the Welch–Satterthwaite df at equal variances (Imbens &
        Kolesár 2016).

        >>> import numpy as np
        >>> rng = np.random.default_rng(2)
        >>> t = np.repeat([0.0, 1.0], [30, 20])
        >>> y = 1 + 0.5 * t + rng.normal(size=50)
        >>> X = np.column_stack([np.ones(50), t])
        >>> b = np.linalg.lstsq(X, y, rcond=None)[0]
        >>> se, df = cr2(X, y - X @ b).se_df(np.array([0.0, 1.0]))
        >>> n1, n0 = 20, 30
        >>> welch = np.sqrt(y[t == 1].var(ddof=1) / n1 + y[t == 0].var(ddof=1) / n0)
        >>> satterthwaite = (1 / n1 + 1 / n0) ** 2 / (1 / (n1**2 * (n1 - 1)) + 1 / (n0**2 * (n0 - 1)))
        >>> bool(np.isclose(se, welch)), bool(np.isclose(df, satterthwaite))
        (True, True)
        """
        import numpy as np

        contrast = np.asarray(contrast, dtype=float)
        m = self._bread @ contrast
        if self._pieces and self._pieces[0][2] is None:  # HC2: every row alone
            xt, a, et = self._pieces[0][0], self._pieces[0][1], self._pieces[0][3]
            b = a * (xt @ m)
            v = float(((b * et) ** 2).sum())
            d_arr, W = b**2, xt * b[:, None]
        else:
            d, rows, v = [], [], 0.0
            for xg, ug, fg, eg in self._pieces:
                z = xg @ m
                b = z + ug @ (fg * (ug.T @ z))
                v += float(b @ eg) ** 2
                d.append(float(b @ b))
                rows.append(xg.T @ b)
            d_arr, W = np.asarray(d), np.asarray(rows)
        q_arr = np.einsum("gi,ij,gj->g", W, self._bread, W)
        S = W.T @ W
        MS = self._bread @ S
        trace = float(d_arr.sum() - q_arr.sum())
        trace_sq = float((d_arr**2).sum() - 2 * (d_arr * q_arr).sum() + np.trace(MS @ MS))
        df = trace**2 / trace_sq if trace_sq > 0 else float("nan")
        return float(np.sqrt(max(v, 0.0))), float(df)


def _adjustment(xg: np.ndarray, root: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``A_g = (I - H_gg)^(-1/2)`` as ``I + U diag(f) U'`` (H_gg has rank <= p).

    With ``X_g M^(1/2) = U S V'``, ``H_gg = U S^2 U'`` and
    ``(I - H_gg)^(-1/2) = I + U ((1 - S^2)^(-1/2) - 1) U'``; a direction with
    ``1 - s^2 = 0`` (a cluster that alone determines a coefficient) gets the
    pseudo-inverse, as in clubSandwich.
    """
    import numpy as np

    u, sv, _ = np.linalg.svd(xg @ root, full_matrices=False)
    rest = 1.0 - sv**2
    f = np.where(rest > 1e-10, 1.0 / np.sqrt(np.clip(rest, 1e-10, None)) - 1.0, -1.0)
    return u, f


def cr2(
    X: np.ndarray,
    residuals: np.ndarray,
    groups: np.ndarray | None = None,
    weights: np.ndarray | None = None,
) -> ClusterRobust:
    """CR2 ("bias-reduced linearisation") cluster-robust covariance.

    ``V = M (sum_g X~_g' A_g e~_g e~_g' A_g X~_g) M`` with
    ``A_g = (I - H~_gg)^(-1/2)``, ``M = (X~'X~)^-1``, ``X~ = sqrt(w) X`` and
    ``e~ = e / sqrt(w)`` for IRLS weights ``w`` (``w = 1`` for OLS; for a
    logit ``w = p(1-p)`` and ``e = y - p``, as clubSandwich does for GLMs).
    Without ``groups`` every row is its own cluster (HC2).

    Parameters
    ----------
    X : array (n, p)
        Design matrix.
    residuals : array (n,)
        Response residuals ``y - fitted``.
    groups : array (n,), optional
        Cluster label per row.
    weights : array (n,), optional
        IRLS weights of a GLM.

    Returns
    -------
    ClusterRobust

    References
    ----------
    Bell, R. M., & McCaffrey, D. F. (2002). Bias reduction in standard errors
    for linear regression with multi-stage samples. *Survey Methodology*,
    28(2), 169–181.

    Imbens, G. W., & Kolesár, M. (2016). Robust standard errors in small
    samples: some practical advice. *Review of Economics and Statistics*,
    98(4), 701–712. https://doi.org/10.1162/REST_a_00552

    Pustejovsky, J. E., & Tipton, E. (2018). Small-sample methods for
    cluster-robust variance estimation and hypothesis testing in fixed
    effects models. *Journal of Business & Economic Statistics*, 36(4),
    672–683. https://doi.org/10.1080/07350015.2016.1247004

    Examples
    --------
    Cluster-level treatment, equal cluster sizes: CR2 with Bell–McCaffrey
    degrees of freedom is Welch's two-sample t-test on the cluster means.

    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> g = np.repeat(np.arange(6), 20)
    >>> t = (g < 3).astype(float)
    >>> y = rng.normal(0, 1, 6)[g] + rng.normal(size=120)
    >>> X = np.column_stack([np.ones(120), t])
    >>> b = np.linalg.lstsq(X, y, rcond=None)[0]
    >>> se, df = cr2(X, y - X @ b, g).se_df(np.array([0.0, 1.0]))
    >>> means = np.array([y[g == k].mean() for k in range(6)])
    >>> welch = np.sqrt(means[:3].var(ddof=1) / 3 + means[3:].var(ddof=1) / 3)
    >>> bool(np.isclose(se, welch))
    True
    """
    import numpy as np

    X = np.asarray(X, dtype=float)
    e = np.asarray(residuals, dtype=float)
    w = np.ones(len(e)) if weights is None else np.asarray(weights, dtype=float)
    root = np.sqrt(w)
    Xt = X * root[:, None]
    et = e / root
    bread = np.linalg.pinv(Xt.T @ Xt)
    pieces: list[tuple] = []
    if groups is None:
        h = np.einsum("ij,jk,ik->i", Xt, bread, Xt)
        a = 1.0 / np.sqrt(np.clip(1.0 - h, 1e-12, None))
        a = np.where(1.0 - h > 1e-10, a, 0.0)
        scores = Xt * (a * et)[:, None]
        meat = scores.T @ scores
        pieces = [(Xt, a, None, et)]
        n_clusters = len(e)
    else:
        labels, codes = np.unique(np.asarray(groups), return_inverse=True)
        order = np.argsort(codes, kind="stable")
        bounds = np.searchsorted(codes[order], np.arange(len(labels) + 1))
        values, vectors = np.linalg.eigh(bread)
        root = (vectors * np.sqrt(np.clip(values, 0.0, None))) @ vectors.T
        meat = np.zeros((X.shape[1], X.shape[1]))
        for k in range(len(labels)):
            idx = order[bounds[k] : bounds[k + 1]]
            xg, eg = Xt[idx], et[idx]
            ug, fg = _adjustment(xg, root)
            s = xg.T @ (eg + ug @ (fg * (ug.T @ eg)))
            meat += np.outer(s, s)
            pieces.append((xg, ug, fg, eg))
        n_clusters = len(labels)
    cov = bread @ meat @ bread
    return ClusterRobust(cov=cov, n_clusters=n_clusters, _bread=bread, _pieces=tuple(pieces))
