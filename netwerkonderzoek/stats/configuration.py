"""Test a CMO configuration against unit data: does the mechanism work in its context?

:func:`test_configuration` estimates the effect of a configuration's
mechanism (exposure 0/1) on its outcome *inside* the stated context and
*outside* it, in one regression with a mechanism × context interaction::

    y ~ const + exposed·[in context] + exposed·[outside] + [in context]
        + covariates + wave dummies

so that the coefficient of ``exposed·[in context]`` is the effect inside the
context and that of ``exposed·[outside]`` the effect outside (the usual
``E + C + E:C`` parametrisation, re-expressed so that both effects are single
coefficients). Covariates are those the configuration lists; survey-wave
dummies are added when the units come from more than one wave (exposure to a
programme that rolls out is more likely in later waves, so time is a
potential confounder).

- Continuous outcomes: ordinary least squares. The estimate is a
  covariate-adjusted difference in means on the outcome's own scale.
- Binary outcomes: logistic regression. The estimate is the average marginal
  effect of exposure over the units in the context, i.e. the mean over those
  units of ``P(y=1 | exposed) - P(y=1 | unexposed)``, a difference in
  proportions, with a delta-method standard error (gradient computed here;
  identical to statsmodels' ``get_margeff(at="overall", dummy=True)``). If a
  cell has a constant outcome (separation), a linear probability model is
  used instead and the item's note says so.
- ``method="mixed"``: a linear mixed model with a random intercept per area
  (REML, :func:`netwerkonderzoek.stats.multilevel.random_intercept_fit`);
  for binary outcomes this is a linear probability model, whose coefficient is
  again a difference in proportions.

Standard errors are cluster-robust by area (CR1, Liang & Zeger 1986) with
``t`` inference on ``G - 1`` degrees of freedom (``G`` areas; Cameron &
Miller 2015), because units in one area share unmeasured circumstances.
Without an area column: heteroskedasticity-robust HC1.

Decision rule (the ``direction`` of the returned item)
------------------------------------------------------
With ``alpha`` (default 0.05, two-sided) and ``min_cell`` (default 10):

1. ``insufficient_data`` if the exposed or the unexposed cell inside the
   context has fewer than ``min_cell`` units: no verdict rather than a
   misleading one.
2. ``supports`` if the inside-context effect is significant (p < alpha) in the
   expected direction of the outcome.
3. ``contradicts`` if it is significant in the opposite direction.
4. ``refines`` if the inside-context effect is not significant, both outside
   cells have at least ``min_cell`` units, and the outside effect is
   significant in the expected direction; ``refined_context`` is then the
   complement ``not (<expression>)``: the context where it does work.
5. ``inconclusive`` otherwise.

Error rates: a configuration that does not work in its context is called
``supported`` only if a two-sided test at ``alpha`` errs in the expected
direction, with probability about ``alpha / 2`` (0.025). Step 4 needs the
inside test *not* significant *and* the outside test significant, so a
configuration that works nowhere is ``refined`` with probability at most
about ``alpha / 2`` as well. With 8 configurations per network the chance of
at least one false ``supported`` is about 1 - 0.975^k for k non-holding
configurations; no further multiplicity correction is applied, because each
verdict is a claim about its own configuration (report the number of tests).

References
----------
Liang, K.-Y., & Zeger, S. L. (1986). Longitudinal data analysis using
generalized linear models. *Biometrika*, 73(1), 13–22.
https://doi.org/10.1093/biomet/73.1.13

Cameron, A. C., & Miller, D. L. (2015). A practitioner's guide to
cluster-robust inference. *Journal of Human Resources*, 50(2), 317–372.
https://doi.org/10.3368/jhr.50.2.317

Williams, R. (2012). Using the margins command to estimate and interpret
adjusted predictions and marginal effects. *The Stata Journal*, 12(2),
308–331. https://doi.org/10.1177/1536867X1201200209

Pawson, R., & Tilley, N. (1997). *Realistic Evaluation*. London: Sage.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..cmo.evidence import EvidenceItem
from ..cmo.io import check_configuration_columns
from ..cmo.model import CMOConfiguration, ProgrammeTheory
from ..exceptions import TheoryError

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pandas as pd

__all__ = ["METHODS", "for_whom", "test_configuration", "test_theory"]

METHODS = ("auto", "ols", "logit", "lpm", "mixed")
_IN, _OUT, _CTX = "exposed_in_context", "exposed_outside_context", "in_context"


@dataclass
class _Fit:
    method: str
    inside: tuple[float, float]
    outside: tuple[float, float] | None
    df: float | None
    note: str = ""


def _expected_sign(config: CMOConfiguration) -> int:
    return config.outcome.sign


def _strength(p: float, alpha: float) -> str:
    if p < min(alpha / 50, 0.001):
        return "strong"
    if p < alpha:
        return "moderate"
    return "weak"


def _drop_dependent(X: pd.DataFrame, protected: Iterable[str]) -> tuple[pd.DataFrame, list[str]]:
    """Drop columns that are constant or linearly dependent on earlier ones."""
    import numpy as np

    keep: list[str] = []
    dropped: list[str] = []
    protected = set(protected)
    for name in X.columns:
        trial = [*keep, name]
        values = X[trial].to_numpy(dtype=float)
        if name != "const" and np.ptp(X[name].to_numpy(dtype=float)) == 0:
            if name in protected:  # pragma: no cover - protected columns vary by construction
                raise ValueError(f"column {name} is constant")
            dropped.append(name)
            continue
        if np.linalg.matrix_rank(values) < len(trial):
            if name in protected:  # pragma: no cover
                raise ValueError(f"column {name} is collinear")
            dropped.append(name)
            continue
        keep.append(name)
    return X[keep], dropped


def _covariance_kwargs(groups: np.ndarray | None) -> dict[str, Any]:
    if groups is None:
        return {"cov_type": "HC1"}
    return {"cov_type": "cluster", "cov_kwds": {"groups": groups}}


def _fit_linear(y, X, groups, outside: bool, method: str) -> _Fit:
    import numpy as np
    import statsmodels.api as sm

    result = sm.OLS(y, X).fit(**_covariance_kwargs(groups))
    cov = result.cov_params()
    df = (len(np.unique(groups)) - 1) if groups is not None else float(result.df_resid)
    inside = (float(result.params[_IN]), math.sqrt(float(cov.loc[_IN, _IN])))
    out = (float(result.params[_OUT]), math.sqrt(float(cov.loc[_OUT, _OUT]))) if outside else None
    return _Fit(method, inside, out, df)


def _ame(params: np.ndarray, cov: np.ndarray, X: pd.DataFrame, rows: np.ndarray, column: str):
    """Average marginal effect of switching ``column`` 0 → 1 over ``rows``, delta-method SE."""
    import numpy as np
    from scipy.special import expit

    base = X.to_numpy(dtype=float)[rows]
    j = list(X.columns).index(column)
    x1, x0 = base.copy(), base.copy()
    x1[:, j], x0[:, j] = 1.0, 0.0
    p1, p0 = expit(x1 @ params), expit(x0 @ params)
    effect = float(np.mean(p1 - p0))
    gradient = ((p1 * (1 - p1))[:, None] * x1 - (p0 * (1 - p0))[:, None] * x0).mean(axis=0)
    return effect, math.sqrt(float(gradient @ cov @ gradient))


def _fit_logit(y, X, groups, outside: bool, context: np.ndarray) -> _Fit:
    import warnings

    import numpy as np
    import statsmodels.api as sm
    from statsmodels.tools.sm_exceptions import (
        ConvergenceWarning,
        HessianInversionWarning,
        PerfectSeparationWarning,
    )

    with warnings.catch_warnings():
        for category in (ConvergenceWarning, HessianInversionWarning, PerfectSeparationWarning):
            warnings.filterwarnings("error", category=category)
        result = sm.Logit(y, X).fit(disp=0, maxiter=100, **_covariance_kwargs(groups))
    params = np.asarray(result.params)
    cov = np.asarray(result.cov_params())
    df = (len(np.unique(groups)) - 1) if groups is not None else None
    inside = _ame(params, cov, X, context, _IN)
    out = _ame(params, cov, X, ~context, _OUT) if outside else None
    return _Fit("logit", inside, out, df)


def _fit_mixed(y, X, groups, outside: bool, scale: str) -> _Fit:
    from .multilevel import random_intercept_fit

    if groups is None:
        raise ValueError(
            "The 'method' parameter 'mixed' needs an area (cluster) column; "
            "the units table has none."
        )
    fit = random_intercept_fit(y, X, groups)
    inside = (float(fit.params[_IN]), math.sqrt(float(fit.cov.loc[_IN, _IN])))
    out = (float(fit.params[_OUT]), math.sqrt(float(fit.cov.loc[_OUT, _OUT]))) if outside else None
    note = "" if fit.converged else "mixed model did not converge; "
    if scale == "binary":
        note += "linear probability mixed model; "
    return _Fit("mixed", inside, out, None, note)


def _inference(estimate: float, se: float, df: float | None, alpha: float):
    from scipy import stats

    if not (math.isfinite(se) and se > 0):
        return math.nan, math.nan, math.nan
    dist = stats.t(df) if df is not None else stats.norm()
    q = float(dist.ppf(1 - alpha / 2))
    p = float(2 * dist.sf(abs(estimate / se)))
    return estimate - q * se, estimate + q * se, p


def test_configuration(
    theory: ProgrammeTheory,
    cmo_id: str,
    units: pd.DataFrame,
    *,
    method: str = "auto",
    alpha: float = 0.05,
    min_cell: int = 10,
    cluster: str | None = "area",
    adjust_wave: bool = True,
    subgroup: str = "",
) -> EvidenceItem:
    """Test one CMO configuration against the units table.

    Parameters
    ----------
    theory : ProgrammeTheory
    cmo_id : str
        The configuration to test.
    units : DataFrame
        The canonical ``units`` table (one row per unit and wave).
    method : {"auto", "ols", "logit", "lpm", "mixed"}
        ``auto``: logistic regression for binary outcomes, OLS otherwise;
        ``lpm``: linear probability model (OLS) for a binary outcome;
        ``mixed``: linear mixed model with a random intercept per area.
    alpha : float
        Two-sided significance level of the decision rule and 1 - confidence
        of the intervals.
    min_cell : int
        Least number of units in each of the exposed and unexposed cells
        inside the context (and outside, for ``refines``).
    cluster : str or None
        Column of the clusters for robust errors (and the mixed model's groups).
    adjust_wave : bool
        Add survey-wave dummies when there is more than one wave.
    subgroup : str
        Label for a subgroup analysis (set by :func:`for_whom`).

    Returns
    -------
    EvidenceItem
        Kind ``quantitative``, source ``units``; ``estimate`` is the effect of
        the mechanism inside the context on the outcome's own scale (difference
        in means or in proportions) with ``ci_low``/``ci_high`` and
        ``p_value``; ``estimate_out`` etc. the effect outside; cell sizes;
        ``direction`` by the rule in the module documentation.

    Raises
    ------
    TheoryError
        If ``cmo_id`` is not in the theory, a column is missing from
        ``units``, the exposure is not 0/1, or the outcome is constant (the
        message names the configuration, field and column).
    ValueError
        If ``method`` is unknown or does not fit the outcome's scale.

    Examples
    --------
    A continuous outcome where the mechanism adds 1.0 inside the context:

    >>> import numpy as np, pandas as pd
    >>> from netwerkonderzoek.cmo import ProgrammeTheory
    >>> from netwerkonderzoek import stats
    >>> rng = np.random.default_rng(5)
    >>> n = 800
    >>> units = pd.DataFrame({"area": rng.integers(0, 20, n).astype(str),
    ...                       "wave": 1, "cohesion": rng.uniform(0, 10, n),
    ...                       "coach": rng.integers(0, 2, n)})
    >>> units["wellbeing"] = 5 + 1.0 * units.coach * (units.cohesion >= 6) + rng.normal(0, 1, n)
    >>> theory = ProgrammeTheory.from_dict({
    ...     "network_id": "x", "name": "x", "version": 1, "label": "initial",
    ...     "date": "2024-01-01", "configurations": [{
    ...         "id": "cmo-01", "statement": "s", "perspective": "societal", "form": "direct",
    ...         "context": {"description": "hecht", "expression": "cohesion >= 6"},
    ...         "mechanism": {"resource": "coach", "reasoning": "r", "exposure": "coach"},
    ...         "outcome": {"description": "welzijn", "measure": "wellbeing",
    ...                     "direction": "increase", "scale": "continuous"}}]})
    >>> item = stats.test_configuration(theory, "cmo-01", units)
    >>> item.direction, round(item.estimate, 2), item.n
    ('supports', 0.99, 800)
    """
    import numpy as np
    import pandas as pd

    if method not in METHODS:
        raise ValueError(
            f"The 'method' parameter of test_configuration must be one of "
            f"{', '.join(METHODS)}. Got {method!r} instead."
        )
    try:
        config = theory[cmo_id]
    except KeyError:
        raise TheoryError(
            f"no configuration with this id in the theory; known: {', '.join(theory.ids)}",
            path=theory.path,
            cmo_id=cmo_id,
        ) from None
    check_configuration_columns(config, units, path=theory.path)
    scale = config.outcome.scale
    if method == "logit" and scale != "binary":
        raise ValueError(
            f"The 'method' parameter 'logit' needs a binary outcome; "
            f"'{config.outcome.measure}' of {cmo_id} has scale {scale!r}."
        )
    if method == "auto":
        method = "logit" if scale == "binary" else "ols"
    if method == "lpm":
        method = "ols"
    expression = config.context.parsed
    covariates = list(config.covariates)
    use_cluster = cluster is not None and cluster in units.columns
    use_wave = adjust_wave and "wave" in units.columns and units["wave"].nunique() > 1
    needed = [config.outcome.measure, config.mechanism.exposure, *covariates]
    frame = pd.DataFrame(
        {name: pd.to_numeric(units[name], errors="coerce") for name in needed},
        index=units.index,
    )
    complete = frame.notna().all(axis=1).to_numpy() & ~expression.missing(units)
    if use_cluster:
        complete &= units[cluster].notna().to_numpy()
    if use_wave:
        complete &= units["wave"].notna().to_numpy()
    n_dropped = int((~complete).sum())
    y = frame[config.outcome.measure].to_numpy(dtype=float)[complete]
    exposed = frame[config.mechanism.exposure].to_numpy(dtype=float)[complete]
    context = expression.evaluate(units)[complete]
    n = int(complete.sum())
    if n and np.ptp(y) == 0:
        raise TheoryError(
            f"outcome column '{config.outcome.measure}' is constant ({y[0]:g}) in all {n} "
            "units with complete data; there is no difference to estimate",
            path=theory.path,
            cmo_id=cmo_id,
            field="outcome.measure",
        )
    cells = {
        "n_exposed_in": int(((exposed == 1) & context).sum()),
        "n_unexposed_in": int(((exposed == 0) & context).sum()),
        "n_exposed_out": int(((exposed == 1) & ~context).sum()),
        "n_unexposed_out": int(((exposed == 0) & ~context).sum()),
    }
    groups = units[cluster].to_numpy()[complete] if use_cluster else None
    n_groups = len(pd.unique(groups)) if groups is not None else 0
    if groups is not None and n_groups < 2:
        groups = None
    common: dict[str, Any] = {
        "cmo_id": cmo_id,
        "kind": "quantitative",
        "source": "units",
        "origin": str(theory.path) if theory.path else "units",
        "n": n,
        "scale": scale,
        "alpha": alpha,
        "subgroup": subgroup,
        **cells,
    }
    dropped_note = f"{n_dropped} units dropped for missing values; " if n_dropped else ""
    if min(cells["n_exposed_in"], cells["n_unexposed_in"]) < min_cell:
        return EvidenceItem(
            direction="insufficient_data",
            method=method,
            strength="weak",
            note=(
                f"{dropped_note}too few units inside the context: "
                f"{cells['n_exposed_in']} exposed and {cells['n_unexposed_in']} unexposed, "
                f"at least {min_cell} needed in each"
            ),
            **common,
        )
    outside = cells["n_exposed_out"] > 0 and cells["n_unexposed_out"] > 0
    X = pd.DataFrame({"const": 1.0, _IN: exposed * context}, index=range(n))
    if outside:
        X[_OUT] = exposed * ~context
    if context.any() and (~context).any():
        X[_CTX] = context.astype(float)
    for name in covariates:
        X[name] = frame[name].to_numpy(dtype=float)[complete]
    if use_wave:
        waves = units["wave"].to_numpy()[complete]
        for level in sorted(pd.unique(waves))[1:]:
            X[f"wave_{level}"] = (waves == level).astype(float)
    X, dropped_columns = _drop_dependent(X, protected=[_IN, _OUT] if outside else [_IN])
    note = dropped_note
    if dropped_columns:
        note += f"dropped constant or collinear terms {', '.join(dropped_columns)}; "
    fit: _Fit
    if method == "logit":
        present = [
            y[mask]
            for mask in (
                (exposed == 1) & context,
                (exposed == 0) & context,
                (exposed == 1) & ~context,
                (exposed == 0) & ~context,
            )
            if mask.any()
        ]
        separated = any(np.ptp(values) == 0 for values in present)
        fit = None  # type: ignore[assignment]
        if not separated:
            try:
                fit = _fit_logit(y, X, groups, outside, context)
            except (Warning, np.linalg.LinAlgError, ValueError):
                fit = None  # type: ignore[assignment]
        if fit is None:
            fit = _fit_linear(y, X, groups, outside, "lpm")
            fit.note = "outcome constant in a cell (separation): linear probability model; "
    elif method == "mixed":
        fit = _fit_mixed(y, X, groups, outside, scale)
    else:
        fit = _fit_linear(y, X, groups, outside, "lpm" if scale == "binary" else "ols")
    estimate, se = fit.inside
    ci_low, ci_high, p_value = _inference(estimate, se, fit.df, alpha)
    out_values = {"estimate_out": math.nan, "ci_low_out": math.nan, "ci_high_out": math.nan}
    p_out = math.nan
    if fit.outside is not None:
        est_out, se_out = fit.outside
        low_out, high_out, p_out = _inference(est_out, se_out, fit.df, alpha)
        out_values = {"estimate_out": est_out, "ci_low_out": low_out, "ci_high_out": high_out}
    sign = _expected_sign(config)
    refined_context = ""
    outside_testable = min(cells["n_exposed_out"], cells["n_unexposed_out"]) >= min_cell
    if math.isnan(p_value):
        direction = "inconclusive"
    elif p_value < alpha:
        direction = "supports" if np.sign(estimate) == sign else "contradicts"
    elif (
        outside_testable
        and fit.outside is not None
        and p_out < alpha
        and np.sign(out_values["estimate_out"]) == sign
    ):
        direction = "refines"
        refined_context = config.context.complement
    else:
        direction = "inconclusive"
    inference = (
        f"cluster-robust by {cluster} ({n_groups} clusters, t with {n_groups - 1} df)"
        if groups is not None and fit.method != "mixed"
        else f"random intercept per {cluster} ({n_groups} areas)"
        if fit.method == "mixed"
        else "heteroskedasticity-robust (HC1)"
    )
    adjusted = [c for c in X.columns if c not in ("const", _IN, _OUT, _CTX)]
    note += (
        f"{fit.note}{fit.method}; {inference}; adjusted for "
        f"{', '.join(adjusted) if adjusted else 'nothing'}"
    )
    return EvidenceItem(
        direction=direction,
        strength=_strength(p_value, alpha) if direction != "inconclusive" else "weak",
        note=note,
        estimate=estimate,
        ci_low=ci_low,
        ci_high=ci_high,
        p_value=p_value,
        p_value_out=p_out,
        refined_context=refined_context,
        method=fit.method,
        extra={"se": se, "df": fit.df, "clusters": n_groups, "terms": list(X.columns)},
        **out_values,
        **common,
    )


test_configuration.__test__ = False  # not a pytest test, despite its name


def test_theory(theory: ProgrammeTheory, units: pd.DataFrame, **kwargs: Any) -> list[EvidenceItem]:
    """Test every configuration of ``theory``; one item each, in theory order.

    Keyword arguments go to :func:`test_configuration`.
    """
    theory.check_columns(units)
    return [test_configuration(theory, c.id, units, **kwargs) for c in theory]


test_theory.__test__ = False  # not a pytest test, despite its name


def for_whom(
    theory: ProgrammeTheory, cmo_id: str, units: pd.DataFrame, by: str, **kwargs: Any
) -> list[EvidenceItem]:
    """Test a configuration separately within each level of ``by`` ("for whom").

    Parameters
    ----------
    theory, cmo_id, units
        As for :func:`test_configuration`.
    by : str
        A subgroup column of ``units`` (``female``, ``wave``...).
    **kwargs
        Passed to :func:`test_configuration`.

    Returns
    -------
    list of EvidenceItem
        One per level (sorted), each with ``subgroup="<by>=<level>"``.
        Subgroups are smaller: expect more ``insufficient_data`` and
        ``inconclusive`` items; compare the intervals, not the verdicts.

    Raises
    ------
    TheoryError
        If ``by`` is not a column of ``units``.
    """
    import pandas as pd

    if by not in units.columns:
        raise TheoryError(
            f"subgroup column '{by}' is not in the units table",
            path=theory.path,
            cmo_id=cmo_id,
            field="by",
        )
    items = []
    for level in sorted(pd.unique(units[by].dropna()), key=lambda v: (str(type(v)), v)):
        shown = int(level) if isinstance(level, float) and float(level).is_integer() else level
        subset = units[units[by] == level]
        items.append(
            test_configuration(theory, cmo_id, subset, subgroup=f"{by}={shown}", **kwargs)
        )
    return items
