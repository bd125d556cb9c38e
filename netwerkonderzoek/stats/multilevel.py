"""Multilevel (mixed) linear models: units nested in areas.

:func:`random_intercept_fit` fits a linear mixed model with a random
intercept per area (statsmodels :class:`~statsmodels.regression.mixed_linear_model.MixedLM`,
REML) and returns the fixed effects with their covariance.
:func:`netwerkonderzoek.stats.test_configuration` uses it for
``method="mixed"``.

References
----------
Snijders, T. A. B., & Bosker, R. J. (2012). *Multilevel Analysis* (2nd ed.).
London: Sage.

Lindstrom, M. J., & Bates, D. M. (1988). Newton–Raphson and EM algorithms
for linear mixed-effects models for repeated-measures data. *Journal of the
American Statistical Association*, 83(404), 1014–1022.
https://doi.org/10.1080/01621459.1988.10478693
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pandas as pd

__all__ = ["FixedEffects", "random_intercept_fit"]


@dataclass(frozen=True)
class FixedEffects:
    """Fixed effects of a fitted model: estimates, covariance and inference df.

    ``df`` is None for normal (z) inference.
    """

    params: pd.Series
    cov: pd.DataFrame
    df: float | None
    n_groups: int
    converged: bool
    variance_between: float = float("nan")
    variance_within: float = float("nan")


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
    )
