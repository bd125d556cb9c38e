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
  proportions, with a delta-method standard error (the same estimate as
  statsmodels' ``get_margeff(at="overall", dummy=True)``). If a cell has a
  constant outcome (separation), a linear probability model is used instead
  and the item's note says so.
- ``method="mixed"``: a linear mixed model with a random intercept per area
  (REML, :func:`netwerkonderzoek.stats.multilevel.random_intercept_fit`);
  for binary outcomes this is a linear probability model, whose coefficient is
  again a difference in proportions.

Designs
-------
The configuration's ``design`` block (:class:`~netwerkonderzoek.cmo.model.Design`):

``cross_section`` (default)
    Every row is an observation, exposed or not, as above.
``prepost``
    A baseline measurement (intake, T0) before anyone was exposed and one or
    more follow-ups. A baseline row is never counted as exposed, whatever
    the exposure column says there. ``estimator: ancova`` regresses the
    follow-up outcome on the terms above plus the unit's baseline outcome
    (``baseline_<measure>``) and follow-up wave dummies; ``fixed_effects``
    uses every measurement with unit fixed effects (absorbed by demeaning),
    measurement dummies, ``post_in_context`` and exposure × follow-up inside
    and outside the context. Cell sizes count follow-up rows; ``n`` counts
    the rows of the regression (every measurement, for fixed effects).
    Without area clustering the units are the clusters when they have
    several rows.
``its`` / ``did``
    Area-level configurations tested on an indicator series:
    :func:`test_configuration` raises :class:`~netwerkonderzoek.exceptions.TheoryError`
    (use :func:`~netwerkonderzoek.stats.interrupted_time_series` /
    :func:`~netwerkonderzoek.stats.difference_in_differences`), and
    :func:`test_theory` skips them.

Inference with few clusters
---------------------------
Units in one area share unmeasured circumstances, so standard errors are
cluster-robust by area (``cluster="auto"``: the ``area`` column when there is
one; ``cluster=None`` asks for no clustering). With a handful of areas the
usual CR1 errors with ``t(G - 1)`` over-reject badly (Cameron, Gelbach &
Miller 2008), the more so for a contrast that only a few areas identify:
a configuration was once called *refined* with p = 1e-31 where the outside
context was one district of 3 areas. The remedy used here is **CR2**, the
bias-reduced linearisation of Bell & McCaffrey (2002), with the
**Bell–McCaffrey degrees of freedom** of the tested contrast in the form of
Imbens & Kolesár (2016) (doi:10.1162/REST_a_00552), which shrink towards 1
when a contrast rests on few or unequal clusters; for the logit it is
computed on the IRLS-weighted model, for the mixed model on the regression
transformed by the fitted working covariance (Pustejovsky & Tipton 2018,
doi:10.1080/07350015.2016.1247004), for fixed effects on the demeaned
regression. Without clusters the same estimator is HC2 with Bell–McCaffrey
df (Welch's test for a difference in means). statsmodels offers neither,
so :func:`netwerkonderzoek.stats.multilevel.cr2` implements it; its size and
coverage are measured by :mod:`netwerkonderzoek.calibration.units`.

Where even this is not valid the test gives no verdict: a contrast needs at
least ``min_clusters`` (3) clusters with units in its part of the context
(counted separately inside and outside), and Bell–McCaffrey df of at least
``min_df`` (2); ``method="mixed"`` needs at least :data:`MIXED_MIN_CLUSTERS`
(10) areas, because with 6 areas its tests rejected a true null about 10% of
the time in the calibration (the area variance is then poorly estimated). Below that, the calibration found the test far too
conservative (df < 1.5: size about 0.02 at nominal 0.05) or, for a contrast
inside one cluster, meaningless; Tipton (2015, doi:10.1037/met0000011)
advises caution whenever these df are small, so they are reported with
every item.

Decision rule (the ``direction`` of the returned item)
------------------------------------------------------
With ``alpha`` (default 0.05, two-sided) and ``min_cell`` (default 10):

1. ``insufficient_data`` if the exposed or the unexposed cell inside the
   context has fewer than ``min_cell`` units, if the inside contrast rests on
   fewer than ``min_clusters`` clusters or its Bell–McCaffrey df are below
   ``min_df``: no verdict rather than a misleading one (the note says why).
2. ``supports`` if the inside-context effect is significant (p < alpha) in the
   expected direction of the outcome.
3. ``contradicts`` if it is significant in the opposite direction.
4. ``refines`` if the inside-context effect is not significant, the outside
   contrast is itself testable (both outside cells have at least
   ``min_cell`` units, at least ``min_clusters`` clusters, df at least
   ``min_df``; otherwise its p-value and interval are NaN and the note says
   why), and the outside effect is significant in the expected direction;
   ``refined_context`` is then the complement ``not (<expression>)``: the
   context where it does work. Its ``strength`` comes from the outside
   test's p-value.
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
Bell, R. M., & McCaffrey, D. F. (2002). Bias reduction in standard errors for
linear regression with multi-stage samples. *Survey Methodology*, 28(2),
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

Tipton, E. (2015). Small sample adjustments for robust variance estimation
with meta-regression. *Psychological Methods*, 20(3), 375–393.
https://doi.org/10.1037/met0000011

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
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..cmo.evidence import EvidenceItem
from ..cmo.io import check_configuration_columns
from ..cmo.model import CMOConfiguration, ProgrammeTheory
from ..exceptions import TheoryError

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pandas as pd

__all__ = ["METHODS", "MIXED_MIN_CLUSTERS", "for_whom", "test_configuration", "test_theory"]

METHODS = ("auto", "ols", "logit", "lpm", "mixed")
#: Least number of areas for ``method="mixed"`` (calibration: size 0.10 at 6 areas).
MIXED_MIN_CLUSTERS = 10
_IN, _OUT, _CTX = "exposed_in_context", "exposed_outside_context", "in_context"
_POST_CTX = "post_in_context"


@dataclass
class _Contrast:
    estimate: float
    se: float
    df: float


@dataclass
class _Fit:
    method: str
    inside: _Contrast
    outside: _Contrast | None
    model: Any = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Data:
    """The analysis rows of one configuration test, ready for the regression."""

    y: np.ndarray
    exposed: np.ndarray
    context: np.ndarray  # inside the context, per analysis row
    X: pd.DataFrame
    groups: np.ndarray | None
    counted: np.ndarray  # rows that count in the cells (follow-up rows in a pre/post design)
    absorb: str = ""  # name of absorbed fixed effects (``unit_id``), if any
    note: str = ""


def _strength(p: float, alpha: float) -> str:
    if p < min(alpha / 50, 0.001):
        return "strong"
    if p < alpha:
        return "moderate"
    return "weak"


def _check_alpha(alpha: Any, function: str) -> None:
    if (
        isinstance(alpha, bool)
        or not isinstance(alpha, (int, float))
        or not (0 < float(alpha) < 1)
    ):
        raise ValueError(
            f"The 'alpha' parameter of {function} must be a float in the open interval "
            f"(0, 1). Got {alpha!r} instead."
        )


def _resolve_cluster(cluster: str | None, units: pd.DataFrame, function: str) -> str | None:
    if cluster is None:
        return None
    if cluster == "auto":
        return "area" if "area" in units.columns else None
    if not isinstance(cluster, str) or cluster not in units.columns:
        raise ValueError(
            f"The 'cluster' parameter of {function} must be a column of the units table, "
            f"'auto' (the 'area' column when there is one) or None (no clustering). "
            f"Got {cluster!r} instead; columns: {', '.join(map(str, units.columns))}."
        )
    return cluster


def _drop_dependent(X: pd.DataFrame, protected: Iterable[str]) -> tuple[pd.DataFrame, list[str]]:
    """Drop columns that are constant or linearly dependent on earlier ones."""
    import numpy as np

    values = X.to_numpy(dtype=float)
    keep: list[int] = []
    dropped: list[str] = []
    protected = set(protected)
    for j, name in enumerate(X.columns):
        column = values[:, j]
        constant = name != "const" and np.ptp(column) == 0
        if constant or np.linalg.matrix_rank(values[:, [*keep, j]]) < len(keep) + 1:
            if name in protected:
                raise _Unidentified(name)
            dropped.append(name)
            continue
        keep.append(j)
    return X.iloc[:, keep], dropped


class _Unidentified(Exception):
    """A tested term is constant or collinear: the contrast is not identified."""


def _demean(values: np.ndarray, codes: np.ndarray) -> np.ndarray:
    import numpy as np

    counts = np.bincount(codes)
    if values.ndim == 1:
        return values - (np.bincount(codes, weights=values) / counts)[codes]
    sums = np.zeros((len(counts), values.shape[1]))
    np.add.at(sums, codes, values)
    return values - (sums / counts[:, None])[codes]


# -- analysis rows ---------------------------------------------------------------


@dataclass
class _Columns:
    """The columns a configuration test uses, per row of the units table."""

    units: pd.DataFrame
    frame: pd.DataFrame  # outcome, exposure and covariates as numbers
    measure: str
    covariates: list[str]
    cluster: str | None
    wave_column: str
    use_wave: bool
    complete: np.ndarray  # rows with every value the test needs
    exposed: np.ndarray
    context: np.ndarray
    y: np.ndarray

    def covariate(self, name: str, rows: np.ndarray) -> np.ndarray:
        """Covariate ``name`` on the analysis rows ``rows``."""
        return self.frame[name].to_numpy(dtype=float)[rows]

    def clusters(self, rows: np.ndarray) -> np.ndarray | None:
        """The cluster label of each analysis row, or None without clustering."""
        return self.units[self.cluster].to_numpy()[rows] if self.cluster is not None else None


@dataclass
class _Marks:
    """The measurements of a pre/post design: which row is a baseline, of which unit."""

    marks: pd.Series  # the measurement column
    baseline: np.ndarray
    unit_ids: np.ndarray
    levels: list  # follow-up measurements (with complete data), sorted


def _prepare(
    config: CMOConfiguration,
    units: pd.DataFrame,
    cluster: str | None,
    adjust_wave: bool,
) -> tuple[_Data, int]:
    """The regression of one configuration, by design; returns it and the rows dropped."""
    columns = _columns(config, units, cluster, adjust_wave)
    if config.design.kind != "prepost":
        return _cross_section(columns), int((~columns.complete).sum())
    marks = _prepost_marks(config, columns)  # narrows columns.complete
    n_dropped = int((~columns.complete).sum())
    if config.design.estimator == "ancova":
        return _ancova(columns, marks), n_dropped
    return _fixed_effects(config, columns, marks), n_dropped


def _columns(
    config: CMOConfiguration, units: pd.DataFrame, cluster: str | None, adjust_wave: bool
) -> _Columns:
    """The outcome, exposure, context and covariates as numbers, and the complete rows."""
    import pandas as pd

    design = config.design
    measure, exposure_column = config.outcome.measure, config.mechanism.exposure
    covariates = list(config.covariates)
    expression = config.context.parsed
    needed = [measure, exposure_column, *covariates]
    frame = pd.DataFrame(
        {name: pd.to_numeric(units[name], errors="coerce") for name in needed},
        index=units.index,
    )
    prepost = design.kind == "prepost"
    wave_column = design.measurement if prepost else "wave"
    use_wave = (
        wave_column in units.columns
        and units[wave_column].nunique() > 1
        and (adjust_wave or prepost)
    )
    complete = frame.notna().all(axis=1).to_numpy() & ~expression.missing(units)
    if cluster is not None:
        complete &= units[cluster].notna().to_numpy()
    if use_wave:
        complete &= units[wave_column].notna().to_numpy()
    return _Columns(
        units=units,
        frame=frame,
        measure=measure,
        covariates=covariates,
        cluster=cluster,
        wave_column=wave_column,
        use_wave=use_wave,
        complete=complete,
        exposed=frame[exposure_column].to_numpy(dtype=float),
        context=expression.evaluate(units),
        y=frame[measure].to_numpy(dtype=float),
    )


def _exposure_terms(exposed: np.ndarray, context: np.ndarray) -> pd.DataFrame:
    """Constant, exposure inside and outside the context, and the context itself if it varies."""
    import pandas as pd

    X = pd.DataFrame({"const": 1.0, _IN: exposed * context}, index=range(len(exposed)))
    X[_OUT] = exposed * ~context
    if context.any() and (~context).any():
        X[_CTX] = context.astype(float)
    return X


def _add_dummies(X: pd.DataFrame, values: np.ndarray, levels: Iterable, prefix: str) -> None:
    """Add a 0/1 column ``<prefix>_<level>`` to ``X`` for each of ``levels``."""
    for level in levels:
        X[f"{prefix}_{level}"] = (values == level).astype(float)


def _cross_section(columns: _Columns) -> _Data:
    """Every complete row an observation, exposed or not; wave dummies if asked for."""
    import numpy as np
    import pandas as pd

    rows = columns.complete
    counted = np.ones(int(rows.sum()), dtype=bool)
    exposed = columns.exposed[rows]
    context = columns.context[rows]
    X = _exposure_terms(exposed, context)
    for name in columns.covariates:
        X[name] = columns.covariate(name, rows)
    if columns.use_wave:
        waves = columns.units[columns.wave_column].to_numpy()[rows]
        _add_dummies(X, waves, sorted(pd.unique(waves))[1:], "wave")
    groups = columns.clusters(rows)
    return _Data(columns.y[rows], exposed, context, X, groups, counted, note="")


def _prepost_marks(config: CMOConfiguration, columns: _Columns) -> _Marks:
    """Baseline and follow-up rows of a pre/post design; a baseline row is never exposed."""
    import numpy as np
    import pandas as pd

    design = config.design
    units = columns.units
    marks = units[columns.wave_column]
    columns.complete &= marks.notna().to_numpy() & units[design.unit_id].notna().to_numpy()
    baseline = marks.isin(list(design.baseline)).to_numpy()
    columns.exposed = np.where(baseline, 0.0, columns.exposed)
    levels = sorted(pd.unique(marks[~baseline & columns.complete].dropna()), key=str)
    return _Marks(marks, baseline, units[design.unit_id].to_numpy(), levels)


def _ancova(columns: _Columns, marks: _Marks) -> _Data:
    """Follow-up rows with the unit's baseline outcome as a term, and follow-up dummies."""
    import numpy as np
    import pandas as pd

    note = ""
    complete, baseline, unit_ids = columns.complete, marks.baseline, marks.unit_ids
    base_rows = complete & baseline
    base_y = pd.Series(columns.y[base_rows], index=unit_ids[base_rows]).groupby(level=0).mean()
    follow = complete & ~baseline
    y0 = pd.Series(unit_ids).map(base_y).to_numpy(dtype=float)
    without = follow & np.isnan(y0)
    if without.any():
        note += f"{int(without.sum())} follow-up rows without a baseline outcome dropped; "
    rows = follow & ~np.isnan(y0)
    exposed, context = columns.exposed[rows], columns.context[rows]
    X = _exposure_terms(exposed, context)
    X[f"baseline_{columns.measure}"] = y0[rows]
    for name in columns.covariates:
        X[name] = columns.covariate(name, rows)
    _add_dummies(X, marks.marks.to_numpy()[rows], marks.levels[1:], columns.wave_column)
    if columns.cluster is not None:
        groups = columns.clusters(rows)
    elif pd.Series(unit_ids[rows]).duplicated().any():
        groups = unit_ids[rows]  # several follow-ups per unit: cluster by unit
    else:
        groups = None
    counted = np.ones(int(rows.sum()), dtype=bool)
    return _Data(columns.y[rows], exposed, context, X, groups, counted, note=note)


def _fixed_effects(config: CMOConfiguration, columns: _Columns, marks: _Marks) -> _Data:
    """Every measurement, unit fixed effects (absorbed by demeaning), exposure x follow-up."""
    import numpy as np
    import pandas as pd

    note = ""
    rows = columns.complete
    exposed, context = columns.exposed[rows], columns.context[rows]
    post = ~marks.baseline[rows]
    X = pd.DataFrame({_IN: exposed * context}, index=range(len(exposed)))
    X[_OUT] = exposed * ~context
    if context.any() and (~context).any():
        X[_POST_CTX] = (post & context).astype(float)
    for name in columns.covariates:
        X[name] = columns.covariate(name, rows)
    _add_dummies(X, marks.marks.to_numpy()[rows], marks.levels, columns.wave_column)
    unit_ids = marks.unit_ids[rows]
    codes = pd.factorize(unit_ids)[0]
    single = np.bincount(codes) == 1
    if single.any():
        note += f"{int(single.sum())} units with one measurement do not contribute; "
    Xd = pd.DataFrame(_demean(X.to_numpy(dtype=float), codes), columns=X.columns)
    yd = _demean(columns.y[rows], codes)
    groups = columns.clusters(rows) if columns.cluster is not None else unit_ids
    return _Data(yd, exposed, context, Xd, groups, post, absorb=config.design.unit_id, note=note)


# -- fits ----------------------------------------------------------------------------


def _contrasts(estimates, cr, X: pd.DataFrame, vectors: dict[str, np.ndarray]):
    out = {}
    for key, vector in vectors.items():
        se, df = cr.se_df(vector)
        out[key] = _Contrast(float(estimates[key]), se, df)
    return out


def _unit_vector(X: pd.DataFrame, name: str) -> np.ndarray:
    import numpy as np

    vector = np.zeros(X.shape[1])
    vector[list(X.columns).index(name)] = 1.0
    return vector


def _use_cov(result, cov: np.ndarray) -> None:
    """Make a statsmodels result report the CR2 covariance (bse, cov_params)."""
    inner = getattr(result, "_results", result)
    inner.cov_params_default = cov
    inner.cov_type = "CR2"
    inner._cache.pop("bse", None)


def _fit_linear(y, X: pd.DataFrame, groups, outside: bool, method: str) -> _Fit:
    import statsmodels.api as sm

    from .multilevel import cr2

    result = sm.OLS(y, X).fit()
    cr = cr2(X.to_numpy(dtype=float), result.resid, groups)
    _use_cov(result, cr.cov)
    names = [_IN, _OUT] if outside else [_IN]
    found = _contrasts(result.params, cr, X, {n: _unit_vector(X, n) for n in names})
    return _Fit(method, found[_IN], found.get(_OUT), model=result)


def _ame(params: np.ndarray, X: pd.DataFrame, rows: np.ndarray, column: str):
    """Average marginal effect of switching ``column`` 0 → 1 over ``rows`` and its gradient."""
    import numpy as np
    from scipy.special import expit

    base = X.to_numpy(dtype=float)[rows]
    j = list(X.columns).index(column)
    x1, x0 = base.copy(), base.copy()
    x1[:, j], x0[:, j] = 1.0, 0.0
    p1, p0 = expit(x1 @ params), expit(x0 @ params)
    gradient = ((p1 * (1 - p1))[:, None] * x1 - (p0 * (1 - p0))[:, None] * x0).mean(axis=0)
    return float(np.mean(p1 - p0)), gradient


def _fit_logit(y, X: pd.DataFrame, groups, outside: bool, context: np.ndarray) -> _Fit:
    import warnings

    import numpy as np
    import statsmodels.api as sm
    from statsmodels.tools.sm_exceptions import (
        ConvergenceWarning,
        HessianInversionWarning,
        PerfectSeparationWarning,
    )

    from .multilevel import cr2

    with warnings.catch_warnings():
        for category in (ConvergenceWarning, HessianInversionWarning, PerfectSeparationWarning):
            warnings.filterwarnings("error", category=category)
        result = sm.Logit(y, X).fit(disp=0, maxiter=100)
    params = np.asarray(result.params)
    p = np.asarray(result.predict())
    cr = cr2(X.to_numpy(dtype=float), y - p, groups, weights=p * (1 - p))
    _use_cov(result, cr.cov)
    effect, gradient = _ame(params, X, context, _IN)
    se, df = cr.se_df(gradient)
    inside = _Contrast(effect, se, df)
    out = None
    if outside:
        effect, gradient = _ame(params, X, ~context, _OUT)
        se, df = cr.se_df(gradient)
        out = _Contrast(effect, se, df)
    return _Fit("logit", inside, out, model=result)


def _fit_mixed(y, X: pd.DataFrame, groups, outside: bool, scale: str) -> _Fit:
    import numpy as np
    import pandas as pd

    from .multilevel import cr2, random_intercept_fit

    fit = random_intercept_fit(y, X, groups)
    # GLS with the fitted working covariance = OLS after quasi-demeaning by area;
    # CR2 on that regression (Pustejovsky & Tipton 2018) with Bell-McCaffrey df.
    codes = pd.factorize(groups)[0]
    sizes = np.bincount(codes)
    tau2, sigma2 = max(fit.variance_between, 0.0), fit.variance_within
    theta = 1.0 - np.sqrt(sigma2 / (sigma2 + sizes * tau2))
    Xv = X.to_numpy(dtype=float)
    means_x = np.zeros((len(sizes), Xv.shape[1]))
    np.add.at(means_x, codes, Xv)
    means_x /= sizes[:, None]
    means_y = np.bincount(codes, weights=y) / sizes
    Xs = Xv - theta[codes][:, None] * means_x[codes]
    ys = y - theta[codes] * means_y[codes]
    params = np.asarray(fit.params)
    cr = cr2(Xs, ys - Xs @ params, groups)
    names = [_IN, _OUT] if outside else [_IN]
    found = _contrasts(fit.params, cr, X, {n: _unit_vector(X, n) for n in names})
    note = "" if fit.converged else "mixed model did not converge; "
    if scale == "binary":
        note += "linear probability mixed model; "
    extra = {"se_model": math.sqrt(float(fit.cov.loc[_IN, _IN]))}
    return _Fit("mixed", found[_IN], found.get(_OUT), model=fit.result, note=note, extra=extra)


def _inference(contrast: _Contrast | None, alpha: float):
    """Interval, p-value and statistic of a contrast with a t(df) (normal if df is inf)."""
    from scipy import special

    if contrast is None or not (math.isfinite(contrast.se) and contrast.se > 0):
        return math.nan, math.nan, math.nan, math.nan
    statistic = contrast.estimate / contrast.se
    if math.isfinite(contrast.df):
        q = float(special.stdtrit(contrast.df, 1 - alpha / 2))
        p = float(2 * special.stdtr(contrast.df, -abs(statistic)))
    else:
        q = float(special.ndtri(1 - alpha / 2))
        p = float(2 * special.ndtr(-abs(statistic)))
    return contrast.estimate - q * contrast.se, contrast.estimate + q * contrast.se, p, statistic


def _n_clusters(codes: np.ndarray | None, mask: np.ndarray) -> int:
    import numpy as np

    if codes is None:
        return int(mask.sum())
    return int(np.unique(codes[mask]).size)


# -- the steps of a configuration test -------------------------------------------------


@dataclass
class _Run:
    """What the steps of one configuration test share: options, data, counts, note so far."""

    config: CMOConfiguration
    method: str
    cluster: str | None
    alpha: float
    min_cell: int
    min_clusters: int
    min_df: float
    data: _Data
    cells: dict[str, int]
    n_groups: int
    clusters_in: int
    clusters_out: int
    common: dict[str, Any]  # the fields every item of this test has
    note: str = ""

    @property
    def clustered(self) -> bool:
        """Whether the standard errors are cluster-robust (CR2) rather than HC2."""
        return self.data.groups is not None

    @property
    def cluster_name(self) -> str:
        """The column whose values are the clusters, as notes name it."""
        return self.cluster if self.cluster is not None else self.config.design.unit_id

    def insufficient(self, reason: str, **values: Any) -> EvidenceItem:
        """An ``insufficient_data`` item: no verdict, and the note says why."""
        values.setdefault("method", self.method)
        return EvidenceItem(
            direction="insufficient_data",
            strength="weak",
            note=f"{self.note}{reason}",
            extra={
                "clusters": self.n_groups,
                "clusters_in": self.clusters_in,
                "clusters_out": self.clusters_out,
            },
            **values,
            **self.common,
        )


class _NotFitted(Exception):
    """The model could not be fitted; the message says why."""


def _check_options(method: str, alpha: float) -> None:
    """Refuse an unknown ``method`` and an ``alpha`` outside (0, 1)."""
    if method not in METHODS:
        raise ValueError(
            f"The 'method' parameter of test_configuration must be one of "
            f"{', '.join(METHODS)}. Got {method!r} instead."
        )
    _check_alpha(alpha, "test_configuration")


def _unit_configuration(theory: ProgrammeTheory, cmo_id: str) -> CMOConfiguration:
    """The configuration ``cmo_id`` of ``theory``, which must be tested on the units table."""
    try:
        config = theory[cmo_id]
    except KeyError:
        raise TheoryError(
            f"no configuration with this id in the theory; known: {', '.join(theory.ids)}",
            path=theory.path,
            cmo_id=cmo_id,
        ) from None
    if config.design.on_indicators:
        raise TheoryError(
            f"this configuration has design '{config.design.kind}': it is tested on the "
            f"indicator '{config.design.indicator}', not on the units table; use "
            "stats.interrupted_time_series or stats.difference_in_differences "
            "(the evidence pipeline does so)",
            path=theory.path,
            cmo_id=cmo_id,
            field="design.kind",
        )
    return config


def _resolve_method(
    method: str, config: CMOConfiguration, cmo_id: str, cluster: str | None
) -> str:
    """The estimator ``method`` stands for, given the outcome's scale, clusters and design."""
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
    if method == "mixed" and cluster is None:
        raise ValueError(
            "The 'method' parameter 'mixed' needs an area (cluster) column; "
            "the units table has none (or cluster=None was given)."
        )
    if method == "mixed" and config.design.kind == "prepost":
        if config.design.estimator == "fixed_effects":
            raise ValueError(
                "The 'method' parameter 'mixed' cannot be combined with a fixed-effects "
                f"pre/post design ({cmo_id}); use method='auto'."
            )
    return method


def _check_outcome_varies(
    data: _Data,
    units: pd.DataFrame,
    config: CMOConfiguration,
    theory: ProgrammeTheory,
    cmo_id: str,
) -> None:
    """Refuse an outcome that is constant over the rows with complete data."""
    import numpy as np

    n = len(data.y)
    raw_y = data.y if not data.absorb else units[config.outcome.measure].to_numpy()
    if n and np.nanmax(raw_y) == np.nanmin(raw_y):
        raise TheoryError(
            f"outcome column '{config.outcome.measure}' is constant ({raw_y[0]:g}) in all "
            f"{n} units with complete data; there is no difference to estimate",
            path=theory.path,
            cmo_id=cmo_id,
            field="outcome.measure",
        )


def _cell_sizes(data: _Data) -> dict[str, int]:
    """Counted rows exposed and unexposed, inside and outside the context."""
    exposed, context, counted = data.exposed, data.context, data.counted
    return {
        "n_exposed_in": int(((exposed == 1) & context & counted).sum()),
        "n_unexposed_in": int(((exposed == 0) & context & counted).sum()),
        "n_exposed_out": int(((exposed == 1) & ~context & counted).sum()),
        "n_unexposed_out": int(((exposed == 0) & ~context & counted).sum()),
    }


def _cluster_counts(data: _Data) -> tuple[int, int, int]:
    """Clusters in all, with counted rows inside and outside the context (0s unclustered)."""
    import numpy as np
    import pandas as pd

    if data.groups is None:
        return 0, 0, 0
    codes = pd.factorize(data.groups)[0]
    counted = data.counted
    return (
        _n_clusters(codes, np.ones(len(data.y), dtype=bool)),
        _n_clusters(codes, data.context & counted),
        _n_clusters(codes, ~data.context & counted),
    )


def _dropped_note(n_dropped: int, min_cell: int) -> str:
    """The note on rows dropped for missing values, never a count below ``min_cell``."""
    # The counts are in the n_* columns, where the small-cell protection of the run finds them.
    if n_dropped >= min_cell:
        return f"{n_dropped} units dropped for missing values; "
    if n_dropped:
        return f"fewer than {min_cell} units dropped for missing values; "
    return ""


def _start_run(
    config: CMOConfiguration,
    theory: ProgrammeTheory,
    cmo_id: str,
    data: _Data,
    n_dropped: int,
    *,
    subgroup: str,
    **options: Any,
) -> _Run:
    """The shared state of the test: cell sizes, cluster counts, common fields, first note."""
    cells = _cell_sizes(data)
    n_groups, clusters_in, clusters_out = _cluster_counts(data)
    common: dict[str, Any] = {
        "cmo_id": cmo_id,
        "kind": "quantitative",
        "source": "units",
        # the theory file by its folder and name: no path of the user's machine
        "origin": f"{theory.path.parent.name}/{theory.path.name}" if theory.path else "units",
        "n": len(data.y),
        "scale": config.outcome.scale,
        "alpha": options["alpha"],
        "subgroup": subgroup,
        "n_clusters": n_groups,
        "design": config.design.kind,
        **cells,
    }
    note = _dropped_note(n_dropped, options["min_cell"]) + data.note
    return _Run(
        config=config,
        data=data,
        cells=cells,
        n_groups=n_groups,
        clusters_in=clusters_in,
        clusters_out=clusters_out,
        common=common,
        note=note,
        **options,
    )


def _untestable(run: _Run) -> str:
    """Why the inside contrast cannot be tested at all ('' if it can be fitted)."""
    if min(run.cells["n_exposed_in"], run.cells["n_unexposed_in"]) < run.min_cell:
        return (
            f"too few units inside the context: fewer than {run.min_cell} exposed or "
            f"unexposed, at least {run.min_cell} needed in each"
        )
    if run.method == "mixed" and run.n_groups < MIXED_MIN_CLUSTERS:
        return (
            f"the mixed model needs at least {MIXED_MIN_CLUSTERS} areas for calibrated "
            f"inference, the data have {run.n_groups}; use method='ols' (CR2)"
        )
    if run.clustered and run.clusters_in < run.min_clusters:
        return (
            f"the inside contrast rests on {run.clusters_in} cluster(s) of {run.cluster_name}, "
            f"at least {run.min_clusters} needed for cluster-robust inference"
        )
    return ""


def _terms(run: _Run) -> tuple[pd.DataFrame, bool]:
    """The regression's terms (dependent ones dropped) and whether there is an outside contrast.

    Raises :class:`_Unidentified` if a tested term is constant or collinear.
    """
    outside = run.cells["n_exposed_out"] > 0 and run.cells["n_unexposed_out"] > 0
    X = run.data.X
    if not outside and _OUT in X.columns:
        X = X.drop(columns=_OUT)
    X, dropped_columns = _drop_dependent(X, protected=[_IN, _OUT] if outside else [_IN])
    if dropped_columns:
        run.note += f"dropped constant or collinear terms {', '.join(dropped_columns)}; "
    return X, outside


def _fit_binary(data: _Data, X: pd.DataFrame, outside: bool) -> _Fit:
    """Logit with average marginal effects; the LPM if a cell's outcome is constant."""
    import numpy as np

    y, exposed, context = data.y, data.exposed, data.context
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
    fit: _Fit | None = None
    if not any(np.ptp(values) == 0 for values in present):
        try:
            fit = _fit_logit(y, X, data.groups, outside, context)
        except (Warning, np.linalg.LinAlgError, ValueError):
            fit = None
    if fit is None:
        fit = _fit_linear(y, X, data.groups, outside, "lpm")
        fit.note = "outcome constant in a cell (separation): linear probability model; "
    return fit


def _fit_by_method(run: _Run, X: pd.DataFrame, outside: bool) -> _Fit:
    """Fit the regression with the run's method; :class:`_NotFitted` if the mixed model fails."""
    import numpy as np

    y, groups, scale = run.data.y, run.data.groups, run.config.outcome.scale
    if run.method == "logit":
        return _fit_binary(run.data, X, outside)
    if run.method == "mixed":
        try:
            return _fit_mixed(y, X, groups, outside, scale)
        except (np.linalg.LinAlgError, ValueError) as exc:
            raise _NotFitted(f"the mixed model could not be fitted ({exc})") from exc
    return _fit_linear(y, X, groups, outside, "lpm" if scale == "binary" else "ols")


def _formula(run: _Run, X: pd.DataFrame, fit: _Fit) -> str:
    """The model written out: outcome, terms, absorbed fixed effects, random intercept."""
    formula = f"{run.config.outcome.measure} ~ " + " + ".join(X.columns)
    if run.data.absorb:
        formula += f" | {run.data.absorb}"
    if fit.method == "mixed":
        formula += f" + (1 | {run.cluster})"
    return formula


def _inference_text(run: _Run, fit: _Fit) -> str:
    """How the standard error and p-value were computed, in words."""
    kind = "CR2 cluster-robust" if run.clustered else "HC2 heteroskedasticity-robust"
    where = (
        f" by {run.cluster_name} ({run.n_groups} clusters; {run.clusters_in} inside, "
        f"{run.clusters_out} outside the context)"
        if run.clustered
        else ""
    )
    df = fit.inside.df
    inference = f"{kind}{where}, t with Bell–McCaffrey df {df:.1f}"
    if fit.method == "mixed":
        inference = (
            f"random intercept per {run.cluster} (REML); {kind} on the model's working "
            f"covariance{where}, t with Bell–McCaffrey df {df:.1f}"
        )
    if run.data.absorb:
        inference = f"unit fixed effects ({run.data.absorb}); {inference}"
    return inference


def _fitted_values(run: _Run, X: pd.DataFrame, fit: _Fit) -> tuple[dict[str, Any], dict[str, Any]]:
    """The item's fields from the fit (estimate, se, df, formula ...) and its ``extra``."""
    inside = fit.inside
    values: dict[str, Any] = {
        "estimate": inside.estimate,
        "se": inside.se,
        "df": inside.df,
        "formula": _formula(run, X, fit),
        "inference": _inference_text(run, fit),
        "model": fit.model,
        "method": fit.method,
    }
    extra = {
        "se": inside.se,
        "df": inside.df,
        "clusters": run.n_groups,
        "clusters_in": run.clusters_in,
        "clusters_out": run.clusters_out,
        "terms": list(X.columns),
        **fit.extra,
    }
    return values, extra


def _too_few_df(run: _Run, contrast: _Contrast) -> str:
    """Why the inside contrast has too few Bell–McCaffrey df ('' if it has enough)."""
    if math.isfinite(contrast.df) and contrast.df >= run.min_df:
        return ""
    return (
        f"the Bell–McCaffrey degrees of freedom of the inside contrast are "
        f"{contrast.df:.2f}, fewer than {run.min_df:g}: too few effective clusters for "
        "cluster-robust inference"
    )


def _outside_test(
    run: _Run, fit: _Fit, extra: dict[str, Any]
) -> tuple[dict[str, float], float, bool]:
    """The outside contrast's fields, p-value and whether it was tested (the note says why not)."""
    out_values: dict[str, float] = {}
    p_out = math.nan
    outside = fit.outside
    if outside is None:
        return out_values, p_out, False
    extra["se_out"], extra["df_out"] = outside.se, outside.df
    out_values = {"estimate_out": outside.estimate, "se_out": outside.se}
    reasons = []
    if min(run.cells["n_exposed_out"], run.cells["n_unexposed_out"]) < run.min_cell:
        reasons.append(f"fewer than {run.min_cell} exposed or unexposed units")
    if run.clustered and run.clusters_out < run.min_clusters:
        reasons.append(f"{run.clusters_out} cluster(s), at least {run.min_clusters} needed")
    if not (math.isfinite(outside.df) and outside.df >= run.min_df):
        reasons.append(f"Bell–McCaffrey df {outside.df:.2f} < {run.min_df:g}")
    if reasons:
        run.note += f"outside contrast not tested ({'; '.join(reasons)}); "
        return out_values, p_out, False
    low_out, high_out, p_out, _ = _inference(outside, run.alpha)
    out_values.update(ci_low_out=low_out, ci_high_out=high_out)
    return out_values, p_out, True


def _direction(
    run: _Run,
    estimate: float,
    p_value: float,
    out_values: dict[str, float],
    p_out: float,
    outside_testable: bool,
) -> tuple[str, str]:
    """The decision rule of the module documentation: direction and refined context."""
    import numpy as np

    sign = run.config.outcome.sign
    if math.isnan(p_value):
        return "inconclusive", ""
    if p_value < run.alpha:
        return ("supports" if np.sign(estimate) == sign else "contradicts"), ""
    if outside_testable and p_out < run.alpha and np.sign(out_values["estimate_out"]) == sign:
        return "refines", run.config.context.complement
    return "inconclusive", ""


def _evidence(run: _Run, X: pd.DataFrame, fit: _Fit) -> EvidenceItem:
    """The evidence item of a fitted test: inference inside and outside, and the verdict."""
    values, extra = _fitted_values(run, X, fit)
    run.note += fit.note
    reason = _too_few_df(run, fit.inside)
    if reason:
        return run.insufficient(reason, **values)
    ci_low, ci_high, p_value, statistic = _inference(fit.inside, run.alpha)
    out_values, p_out, outside_testable = _outside_test(run, fit, extra)
    direction, refined_context = _direction(
        run, fit.inside.estimate, p_value, out_values, p_out, outside_testable
    )
    adjusted = [c for c in X.columns if c not in ("const", _IN, _OUT, _CTX)]
    run.note += (
        f"{fit.method}; {values['inference']}; adjusted for "
        f"{', '.join(adjusted) if adjusted else 'nothing'}"
    )
    deciding = p_out if direction == "refines" else p_value
    return EvidenceItem(
        direction=direction,
        strength=_strength(deciding, run.alpha) if direction != "inconclusive" else "weak",
        note=run.note,
        ci_low=ci_low,
        ci_high=ci_high,
        p_value=p_value,
        statistic=statistic,
        p_value_out=p_out,
        refined_context=refined_context,
        extra=extra,
        **values,
        **out_values,
        **run.common,
    )


def test_configuration(
    units: pd.DataFrame,
    theory: ProgrammeTheory,
    cmo_id: str,
    *,
    method: str = "auto",
    alpha: float = 0.05,
    min_cell: int = 10,
    cluster: str | None = "auto",
    adjust_wave: bool = True,
    subgroup: str = "",
    min_clusters: int = 3,
    min_df: float = 2.0,
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
        of the intervals, in (0, 1).
    min_cell : int
        Least number of units in each of the exposed and unexposed cells
        inside the context (and outside, for ``refines``).
    cluster : str or None
        Column of the clusters for robust errors (and the mixed model's
        groups). ``"auto"`` (default): the ``area`` column when the units
        table has one, no clustering otherwise. ``None``: no clustering, on
        request (HC2; in a fixed-effects pre/post design the units are still
        the clusters). A name that is not a column is an error.
    adjust_wave : bool
        Add survey-wave dummies when there is more than one wave.
    subgroup : str
        Label for a subgroup analysis (set by :func:`for_whom`).
    min_clusters : int
        Least number of clusters with units inside the context (for the
        inside contrast) or outside it (for the outside contrast).
    min_df : float
        Least Bell–McCaffrey degrees of freedom of a tested contrast.

    Returns
    -------
    EvidenceItem
        Kind ``quantitative``, source ``units``; ``estimate`` is the effect of
        the mechanism inside the context on the outcome's own scale (difference
        in means or in proportions) with ``se``, ``ci_low``/``ci_high``,
        ``statistic`` (t), ``df`` and ``p_value``; ``estimate_out``,
        ``se_out`` etc. the effect outside; cell sizes; ``n_clusters``,
        ``design``, ``formula``, ``inference`` and the fitted ``model``;
        ``direction`` by the rule in the module documentation.

    Raises
    ------
    TheoryError
        If ``cmo_id`` is not in the theory, a column is missing from
        ``units``, the exposure is not 0/1, the outcome is constant, a
        context literal does not match its column's type (the message names
        the configuration, field and column), or the configuration has an
        ``its``/``did`` design (tested on indicators, not units).
    ValueError
        If ``method`` is unknown or does not fit the outcome's scale, ``alpha``
        is not in (0, 1), or ``cluster`` is not a column.

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
    >>> item = stats.test_configuration(units, theory, "cmo-01")
    >>> item.direction, round(item.estimate, 2), item.n, item.n_clusters
    ('supports', 0.99, 800, 20)
    >>> item.formula
    'wellbeing ~ const + exposed_in_context + exposed_outside_context + in_context'
    >>> item.inference  # doctest: +ELLIPSIS
    'CR2 cluster-robust by area (20 clusters; 20 inside, 20 outside the context), t with Bell–McCaffrey df 1...'
    """
    _check_options(method, alpha)
    config = _unit_configuration(theory, cmo_id)
    check_configuration_columns(config, units, path=theory.path)
    cluster = _resolve_cluster(cluster, units, "test_configuration")
    method = _resolve_method(method, config, cmo_id, cluster)
    data, n_dropped = _prepare(config, units, cluster, adjust_wave)
    _check_outcome_varies(data, units, config, theory, cmo_id)
    run = _start_run(
        config,
        theory,
        cmo_id,
        data,
        n_dropped,
        subgroup=subgroup,
        method=method,
        cluster=cluster,
        alpha=alpha,
        min_cell=min_cell,
        min_clusters=min_clusters,
        min_df=min_df,
    )
    reason = _untestable(run)
    if reason:
        return run.insufficient(reason)
    try:
        X, outside = _terms(run)
    except _Unidentified as exc:
        return run.insufficient(f"the term {exc} is constant or collinear: no contrast to test")
    try:
        fit = _fit_by_method(run, X, outside)
    except _NotFitted as exc:
        return run.insufficient(str(exc))
    return _evidence(run, X, fit)


test_configuration.__test__ = False  # not a pytest test, despite its name


def test_theory(units: pd.DataFrame, theory: ProgrammeTheory, **kwargs: Any) -> list[EvidenceItem]:
    """Test every configuration of ``theory`` on ``units``; one item each, in theory order.

    Configurations with an ``its`` or ``did`` design are tested on
    indicators, not units: they are skipped here (no item), and the evidence
    pipeline tests them with :func:`~netwerkonderzoek.stats.interrupted_time_series`
    or :func:`~netwerkonderzoek.stats.difference_in_differences`.
    Keyword arguments go to :func:`test_configuration`.

    Raises
    ------
    ValueError
        If ``alpha`` is not in (0, 1).
    TheoryError
        If a column a configuration uses is missing or unfit (checked first).

    Examples
    --------
    >>> from netwerkonderzoek.cmo import load_theory
    >>> from netwerkonderzoek.tables import read_table
    >>> units = read_table("units", "data/wijk-noord/units.csv")
    >>> theory = load_theory("config/theories/wijk-noord.yaml", units)
    >>> items = test_theory(units, theory)
    >>> [(item.cmo_id, item.direction) for item in items[:3]]
    [('cmo-01', 'supports'), ('cmo-02', 'refines'), ('cmo-03', 'inconclusive')]
    >>> items[1].refined_context
    'not (age >= 65)'
    """
    _check_alpha(kwargs.get("alpha", 0.05), "test_theory")
    theory.check_columns(units)
    return [
        test_configuration(units, theory, c.id, **kwargs)
        for c in theory
        if not c.design.on_indicators
    ]


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
        One per level (sorted), each with ``subgroup="<by>=<level>"``. If
        any level has fewer than ``min_cell`` units (default 10), a single
        ``insufficient_data`` item with ``subgroup="<by>"`` instead: it names
        neither the small level nor any count, and the other levels are
        withheld with it, since the whole-sample totals minus the levels
        shown would give the small one back.
        Subgroups are smaller: expect more ``insufficient_data`` and
        ``inconclusive`` items; compare the intervals, not the verdicts.
        Each subgroup is tested on its own (its own clusters and degrees of
        freedom); no correction is made for testing several subgroups.

    Raises
    ------
    TheoryError
        If ``by`` is not a column of ``units``.
    ValueError
        If ``alpha`` is not in (0, 1).

    Examples
    --------
    >>> from netwerkonderzoek.cmo import load_theory
    >>> from netwerkonderzoek.tables import read_table
    >>> units = read_table("units", "data/wijk-noord/units.csv")
    >>> theory = load_theory("config/theories/wijk-noord.yaml", units)
    >>> items = for_whom(theory, "cmo-01", units, by="female")
    >>> [(item.subgroup, item.direction, item.n) for item in items]
    [('female=0', 'supports', 1102), ('female=1', 'supports', 1098)]

    With a subgroup below ``min_cell`` every level is withheld:

    >>> [item] = for_whom(theory, "cmo-01", units, by="female", min_cell=1100)
    >>> item.direction, item.subgroup
    ('insufficient_data', 'female')
    >>> item.note
    "subgroup analysis by 'female' withheld: a subgroup has fewer than 1100 units"
    """
    import pandas as pd

    _check_alpha(kwargs.get("alpha", 0.05), "for_whom")
    if by not in units.columns:
        raise TheoryError(
            f"subgroup column '{by}' is not in the units table",
            path=theory.path,
            cmo_id=cmo_id,
            field="by",
        )
    levels = sorted(pd.unique(units[by].dropna()), key=lambda v: (str(type(v)), v))
    min_cell = kwargs.get("min_cell", 10)
    sizes = units[by].value_counts()
    if any(int(sizes[level]) < min_cell for level in levels):
        config = theory[cmo_id]
        return [
            EvidenceItem(
                cmo_id=cmo_id,
                kind="quantitative",
                direction="insufficient_data",
                source="units",
                strength="weak",
                origin=(
                    f"{theory.path.parent.name}/{theory.path.name}" if theory.path else "units"
                ),
                note=(
                    f"subgroup analysis by '{by}' withheld: a subgroup has fewer than "
                    f"{min_cell} units"
                ),
                subgroup=by,
                design=config.design.kind,
                method=kwargs.get("method", "auto"),
            )
        ]
    items = []
    for level in levels:
        shown = int(level) if isinstance(level, float) and float(level).is_integer() else level
        subset = units[units[by] == level]
        items.append(
            test_configuration(subset, theory, cmo_id, subgroup=f"{by}={shown}", **kwargs)
        )
    return items
