"""Change over time: interrupted time series and difference-in-differences.

Both work on the canonical ``indicators`` table (monthly values per area)
around an event of the network's timeline, and return tidy tables; turn a
row into evidence for a configuration with :func:`evidence_from_result`.

- :func:`interrupted_time_series`: segmented regression of the monthly mean
  over the chosen areas,
  ``y_t = b0 + b1 t + b2 post_t + b3 (t - t0) post_t + e_t`` (Wagner et al.
  2002), ``t`` in calendar months since the first month.
- :func:`difference_in_differences`: the same regression on the monthly
  *difference* between treated and comparison areas (``pre_trend``,
  ``did_level_change``, ``did_slope_change``), and ``d_t = a + did post_t +
  e_t`` for ``did``, the average change of that difference after the event.

Inference
---------
The errors ``e_t`` are a stationary AR(1) process over calendar months
(``corr(e_s, e_t) = rho^|s - t|``, so a missing month is a gap of two, not a
neighbour). ``rho`` is estimated by restricted maximum likelihood (REML, the
profile likelihood of the whitened regression); the coefficients are the GLS
estimates at that ``rho`` (:class:`statsmodels.regression.linear_model.GLS`);
their covariance gets the first-order Kenward–Roger small-sample adjustment
for the uncertainty of ``(sigma^2, rho)`` (Kenward & Roger 1997, without the
second-derivative term, as SAS ``DDFM=KR(FIRSTORDER)``) and each ``t``
statistic is referred to a t distribution with Satterthwaite degrees of
freedom computed from the REML expected information (Satterthwaite 1946;
Giesbrecht & Burns 1985). This is the REML-with-Satterthwaite method that
Turner et al. (2021) found best calibrated among the usual ITS methods; the
Kenward–Roger adjustment removes its remaining over-rejection of the slope
terms on short autocorrelated series.

Newey–West (HAC) errors, used before, reject a true null of no change in
22–43 % of 30-month series (issue 15): they need hundreds of points.
Ordinary OLS errors are right only without autocorrelation.

Calibration and refusals
------------------------
:mod:`netwerkonderzoek.calibration.timeseries` measures the size of the
tests and the coverage of the intervals by simulation (iid and AR(1)
``rho = 0.5`` noise, 12 to 60 months, events early, mid-series and late);
``benchmarks/bench_calibration.py`` prints the table. With fewer than
:data:`MIN_PER_SIDE` = 6 observed months before the event month or from it
(so below :data:`MIN_PERIODS` = 12 months) the tests are not calibrated:
with 4 months before the event and AR(1) noise (``rho = 0.5``) the level
change test rejects a true null in 6–7 % of 12–24-month series, and with
fewer points the autocorrelation cannot be told apart from the trend. Such
rows have ``status`` ``insufficient_data``, the ``reason`` in words, and NaN
standard error, interval and p-value (``estimate`` is the descriptive OLS
estimate where it is defined).

References
----------
Turner, S. L., Forbes, A. B., Karahalios, A., Taljaard, M., & McKenzie,
J. E. (2021). Evaluation of statistical methods used in the analysis of
interrupted time series studies: a simulation study. *BMC Medical Research
Methodology*, 21, 181. https://doi.org/10.1186/s12874-021-01364-0

Kenward, M. G., & Roger, J. H. (1997). Small sample inference for fixed
effects from restricted maximum likelihood. *Biometrics*, 53(3), 983–997.
https://doi.org/10.2307/2533558

Satterthwaite, F. E. (1946). An approximate distribution of estimates of
variance components. *Biometrics Bulletin*, 2(6), 110–114.
https://doi.org/10.2307/3002019

Giesbrecht, F. G., & Burns, J. C. (1985). Two-stage analysis based on a
mixed model: large-sample asymptotic theory and small-sample simulation
results. *Biometrics*, 41(2), 477–486. https://doi.org/10.2307/2530872

Wagner, A. K., Soumerai, S. B., Zhang, F., & Ross-Degnan, D. (2002).
Segmented regression analysis of interrupted time series studies in
medication use research. *Journal of Clinical Pharmacy and Therapeutics*,
27(4), 299–309. https://doi.org/10.1046/j.1365-2710.2002.00430.x

Newey, W. K., & West, K. D. (1994). Automatic lag selection in covariance
matrix estimation. *Review of Economic Studies*, 61(4), 631–653.
https://doi.org/10.2307/2297912

Angrist, J. D., & Pischke, J.-S. (2009). *Mostly Harmless Econometrics*.
Princeton University Press. https://doi.org/10.1515/9781400829828
"""

from __future__ import annotations

import math
import numbers
import re
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..cmo.evidence import EvidenceItem
from ..exceptions import NetwerkonderzoekWarning

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pandas as pd

__all__ = [
    "INFERENCE",
    "MIN_PERIODS",
    "MIN_PER_SIDE",
    "RESULT_COLUMNS",
    "difference_in_differences",
    "event_period",
    "evidence_from_result",
    "interrupted_time_series",
    "newey_west_lags",
]

#: Columns of an ITS or DiD table. ``model`` holds the fitted statsmodels
#: results of the row's regression (the GLS fit at the REML ``ar1_rho``; OLS
#: or None for an ``insufficient_data`` row); drop it before writing a CSV.
RESULT_COLUMNS = (
    "analysis",
    "indicator_id",
    "term",
    "estimate",
    "se",
    "statistic",
    "df",
    "ci_low",
    "ci_high",
    "p_value",
    "alpha",
    "status",
    "reason",
    "n_periods",
    "n_pre",
    "n_post",
    "ar1_rho",
    "event_period",
    "areas",
    "comparison_areas",
    "formula",
    "inference",
    "model",
)

#: Fewest observed months before, and from, the event month (see the module notes).
MIN_PER_SIDE = 6
#: The shortest series with a calibrated test (``2 * MIN_PER_SIDE`` months).
MIN_PERIODS = 2 * MIN_PER_SIDE
#: The inference method, in words, as it appears in the ``inference`` column.
INFERENCE = (
    "GLS with AR(1) errors over calendar months, autocorrelation by REML; "
    "Kenward-Roger (first-order) standard errors, t test with Satterthwaite df"
)
_NO_INFERENCE = "none (insufficient data); estimate by OLS"
_RHO_BOUND = 0.99
_TERMS = ("baseline_level", "pre_slope", "level_change", "slope_change")
_PERIOD = re.compile(r"^(\d{4})-(\d{2})(-\d{2})?$")


def newey_west_lags(n: int) -> int:
    """Newey–West (1994) rule of thumb for the HAC lag length: floor(4 (n/100)^(2/9)).

    No longer used by :func:`interrupted_time_series` or
    :func:`difference_in_differences` (Newey–West errors are not calibrated
    on series of a few dozen months, see the module notes); kept for callers
    that compute HAC errors themselves.

    Examples
    --------
    >>> newey_west_lags(36), newey_west_lags(100)
    (3, 4)
    """
    return math.floor(4 * (n / 100) ** (2 / 9))


def _period(value: str) -> str:
    match = _PERIOD.match(str(value))
    if not match:
        raise ValueError(
            f"The 'event' parameter must be a date YYYY-MM-DD or a month YYYY-MM. Got {value!r} instead."
        )
    return f"{match.group(1)}-{match.group(2)}"


def _month_number(period: str) -> int:
    return int(period[:4]) * 12 + int(period[5:7]) - 1


def _month_name(number: int) -> str:
    return f"{number // 12:04d}-{number % 12 + 1:02d}"


def _check_alpha(alpha: Any, function: str) -> float:
    if isinstance(alpha, bool) or not isinstance(alpha, numbers.Real) or not 0 < alpha < 1:
        raise ValueError(
            f"The 'alpha' parameter of {function} must be a float in the open interval "
            f"(0, 1). Got {alpha!r} instead."
        )
    return float(alpha)


def _check_maxlags(maxlags: Any, function: str) -> None:
    if maxlags is not None:
        raise ValueError(
            f"The 'maxlags' parameter of {function} is no longer used: the Newey-West errors "
            "it configured were not calibrated on short series (issue 15); the inference is "
            f"now {INFERENCE}. Leave it out (None). Got {maxlags!r} instead."
        )


def event_period(events: pd.DataFrame, title: str) -> str:
    """The month (``YYYY-MM``) of the timeline event titled ``title``.

    Raises
    ------
    KeyError
        If no event has that title (the message lists the titles).

    Examples
    --------
    >>> import pandas as pd
    >>> events = pd.DataFrame({"date": ["2023-03-01"], "title": ["Start wijkteam"]})
    >>> event_period(events, "Start wijkteam")
    '2023-03'
    """
    rows = events[events["title"] == title]
    if rows.empty:
        raise KeyError(
            f"no event titled {title!r} in the timeline; events: {', '.join(events['title'])}"
        )
    return _period(str(rows["date"].iloc[0])[:10])


def _listed(months: Sequence[str], limit: int = 12) -> str:
    shown = ", ".join(months[:limit])
    return shown + (f", ... ({len(months) - limit} more)" if len(months) > limit else "")


def _series(data: pd.DataFrame, indicator: str, areas: Sequence[str] | None) -> pd.Series:
    """Monthly mean of ``indicator`` over ``areas``, indexed by ``YYYY-MM``.

    Warns (:class:`~netwerkonderzoek.exceptions.NetwerkonderzoekWarning`)
    about area-months without a value (NaN or no row) and about calendar
    months missing from the series; they are left out, never filled.
    """
    rows = data[data["indicator_id"] == indicator]
    if rows.empty:
        known = ", ".join(sorted(data["indicator_id"].unique()))
        raise KeyError(f"indicator {indicator!r} is not in the indicators table; known: {known}")
    if areas is not None:
        unknown = sorted(set(areas) - set(rows["area"]))
        if unknown:
            raise KeyError(f"area(s) {', '.join(unknown)} have no values of {indicator!r}")
        rows = rows[rows["area"].isin(list(areas))]
    rows = rows.assign(period=rows["period"].astype(str).str[:7])
    table = rows.pivot_table(
        index="period", columns="area", values="value", aggfunc="mean", dropna=False
    )
    numbers = [_month_number(p) for p in table.index]
    span = range(min(numbers), max(numbers) + 1)
    table = table.reindex([_month_name(m) for m in span])
    missing = table.isna()
    gap = missing.all(axis=1)
    partial = missing[~gap]
    if partial.to_numpy().any():
        cells = int(partial.to_numpy().sum())
        months = [str(p) for p in partial.index[partial.any(axis=1)]]
        where = ", ".join(str(a) for a in partial.columns[partial.any(axis=0)])
        warnings.warn(
            f"indicator {indicator!r}: {cells} area-month value(s) missing (NaN or no row) "
            f"in area(s) {where}, in {len(months)} month(s): {_listed(months)}; "
            "those months are the means of the other areas",
            NetwerkonderzoekWarning,
            stacklevel=3,
        )
    y = table.mean(axis=1, skipna=True)
    gaps = [str(p) for p in y.index[gap.to_numpy()]]
    if gaps:
        warnings.warn(
            f"indicator {indicator!r} has no value (NaN or no row) in {len(gaps)} month(s) "
            f"between {y.index[0]} and {y.index[-1]}: {_listed(gaps)}; they are left out and "
            "the AR(1) model spaces the remaining months by calendar month",
            NetwerkonderzoekWarning,
            stacklevel=3,
        )
    return y.dropna()


def _whiten(v: np.ndarray, months: np.ndarray, rho: float) -> tuple[np.ndarray, float]:
    """Prais–Winsten transform for AR(1) errors at integer times ``months``.

    Returns the whitened array and ``log det`` of the correlation matrix.
    """
    import numpy as np

    r = rho ** np.diff(months)
    s = np.sqrt(1.0 - r**2)
    if v.ndim == 2:
        r, s = r[:, None], s[:, None]
    out = np.empty_like(v, dtype=float)
    out[0] = v[0]
    out[1:] = (v[1:] - r * v[:-1]) / s
    return out, 2.0 * float(np.sum(np.log(s)))


def _reml(rho: float, y: np.ndarray, X: np.ndarray, months: np.ndarray) -> float:
    """Minus the REML profile log-likelihood of ``rho`` (constants dropped)."""
    import numpy as np

    ys, logdet = _whiten(y, months, rho)
    Xs, _ = _whiten(X, months, rho)
    q, r = np.linalg.qr(Xs)
    resid = ys - q @ (q.T @ ys)
    n, p = X.shape
    return 0.5 * (
        (n - p) * math.log(float(resid @ resid))
        + logdet
        + 2.0 * float(np.sum(np.log(np.abs(np.diag(r)))))
    )


def _gls_ar1(
    y: np.ndarray, X: np.ndarray, months: np.ndarray, alpha: float, names: Sequence[str]
) -> dict:
    """GLS with REML AR(1) errors, Kenward–Roger (first-order) se, Satterthwaite df."""
    import numpy as np
    import pandas as pd
    import statsmodels.api as sm
    from scipy import optimize
    from scipy import stats as st

    p = X.shape[1]
    fit = optimize.minimize_scalar(
        _reml,
        bounds=(-_RHO_BOUND, _RHO_BOUND),
        args=(y, X, months),
        method="bounded",
        options={"xatol": 1e-6},
    )
    rho = float(fit.x)
    lag = np.abs(months[:, None] - months[None, :]).astype(float)
    R = rho**lag
    dR = np.where(lag > 0, lag * rho ** np.maximum(lag - 1, 0), 0.0)
    model = sm.GLS(y, pd.DataFrame(X, columns=list(names)), sigma=R).fit()
    Ri = np.linalg.inv(R)
    C = np.linalg.inv(X.T @ Ri @ X)
    scale = float(model.scale)  # REML sigma^2 at rho: whitened RSS / (n - p)
    Phi = scale * C
    Si = Ri / scale
    SX = Si @ X
    P = Si - SX @ Phi @ SX.T
    dS = (R, scale * dR)  # derivatives of Sigma = sigma^2 R(rho) by sigma^2 and rho
    info = np.array([[0.5 * np.trace(P @ a @ P @ b) for b in dS] for a in dS])
    W = np.linalg.inv(info)
    Pm = [-(SX.T @ a @ SX) for a in dS]
    Q = [[SX.T @ a @ Si @ b @ SX for b in dS] for a in dS]
    Lam = sum(W[i, j] * (Q[i][j] - Pm[i] @ Phi @ Pm[j]) for i in range(2) for j in range(2))
    adjusted = Phi + 2.0 * Phi @ Lam @ Phi
    grads = (C, scale * C @ X.T @ Ri @ dR @ Ri @ X @ C)  # d Phi / d sigma^2, d rho
    params = np.asarray(model.params, dtype=float)
    se = np.sqrt(np.diag(adjusted))
    df = np.empty(p)
    for j in range(p):
        g = np.array([grads[0][j, j], grads[1][j, j]])
        df[j] = 2.0 * Phi[j, j] ** 2 / float(g @ W @ g)
    statistic = params / se
    crit = st.t.ppf(1 - alpha / 2, df)
    return {
        "estimate": params,
        "se": se,
        "statistic": statistic,
        "df": df,
        "ci_low": params - crit * se,
        "ci_high": params + crit * se,
        "p_value": 2.0 * st.t.sf(np.abs(statistic), df),
        "ar1_rho": rho,
        "model": model,
    }


def _design(months: np.ndarray, start: int) -> tuple[np.ndarray, dict]:
    """Segmented-regression design matrix and the design's counts."""
    import numpy as np

    t = (months - months[0]).astype(float)
    t0 = float(start - months[0])
    post = (t >= t0).astype(float)
    X = np.column_stack([np.ones_like(t), t, post, post * (t - t0)])
    n_pre, n_post = int((post == 0).sum()), int(post.sum())
    return X, {"n_periods": len(t), "n_pre": n_pre, "n_post": n_post, "t0": t0}


def _insufficient(counts: dict, start: int) -> str:
    """Why the design has no calibrated test ('' if it has one)."""
    n_pre, n_post = counts["n_pre"], counts["n_post"]
    if n_pre < MIN_PER_SIDE or n_post < MIN_PER_SIDE:
        return (
            f"the event month {_month_name(start)} leaves {n_pre} observed month(s) before and "
            f"{n_post} from it; at least {MIN_PER_SIDE} on each side are needed for a "
            "calibrated test with AR(1) errors"
        )
    return ""


def _fit(
    y: np.ndarray,
    X: np.ndarray,
    months: np.ndarray,
    alpha: float,
    reason: str,
    names: Sequence[str],
) -> dict:
    """The row values of a regression: calibrated inference, or OLS estimates and NaN."""
    import numpy as np
    import pandas as pd
    import statsmodels.api as sm

    if not reason:
        resid = y - X @ np.linalg.lstsq(X, y, rcond=None)[0]
        if float(resid @ resid) <= 1e-20 * float(np.sum((y - y.mean()) ** 2)):
            reason = (
                "the regression fits the series exactly (no residual variation), so there is "
                "no error variance to test against"
            )
    if not reason:
        values = _gls_ar1(y, X, months, alpha, names)
        return {**values, "status": "ok", "reason": "", "inference": INFERENCE}
    p = X.shape[1]
    nan = np.full(p, np.nan)
    estimate, model = nan, None
    if len(y) > p and np.linalg.matrix_rank(X) == p:
        model = sm.OLS(y, pd.DataFrame(X, columns=list(names))).fit()
        estimate = np.asarray(model.params, dtype=float)
    return {
        "estimate": estimate,
        "se": nan,
        "statistic": nan,
        "df": nan,
        "ci_low": nan,
        "ci_high": nan,
        "p_value": nan,
        "ar1_rho": math.nan,
        "model": model,
        "status": "insufficient_data",
        "reason": reason,
        "inference": _NO_INFERENCE,
    }


def segmented_arrays(
    months: np.ndarray, y: np.ndarray, start: int, alpha: float
) -> tuple[dict, dict]:
    """ITS core on arrays (used by the calibration): row values and design counts.

    ``months`` are month numbers (year * 12 + month - 1), ``start`` the
    number of the first month after the event; the row values hold one
    entry per term: ``baseline_level``, ``pre_slope``, ``level_change`` and
    ``slope_change``.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(3)
    >>> months = np.arange(2022 * 12, 2022 * 12 + 36)  # 2022-01 to 2024-12
    >>> start = 2023 * 12 + 6  # the event: 2023-07
    >>> y = 10 + 0.1 * (months - months[0]) + 3.0 * (months >= start) + rng.normal(0, 0.5, 36)
    >>> values, counts = segmented_arrays(months, y, start, 0.05)
    >>> counts["n_pre"], counts["n_post"], values["status"]
    (18, 18, 'ok')
    >>> bool(values["ci_low"][2] < 3.0 < values["ci_high"][2])  # level change
    True
    >>> segmented_arrays(months[:20], y[:20], start, 0.05)[0]["status"]
    'insufficient_data'
    """
    X, counts = _design(months, start)
    reason = _insufficient(counts, start)
    return _fit(y, X, months, alpha, reason, _TERMS), counts


def did_arrays(months: np.ndarray, d: np.ndarray, start: int, alpha: float) -> tuple[dict, dict]:
    """DiD core on arrays: the ``did`` model ``d ~ 1 + post`` and the design counts.

    ``d`` is the treated minus the comparison series per month; the row
    values hold the terms ``baseline_level`` and ``did``.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(4)
    >>> months = np.arange(2022 * 12, 2022 * 12 + 36)
    >>> start = 2023 * 12 + 6
    >>> d = 2.0 - 1.5 * (months >= start) + rng.normal(0, 0.5, 36)
    >>> values, counts = did_arrays(months, d, start, 0.05)
    >>> values["status"], counts["n_post"]
    ('ok', 18)
    >>> bool(values["ci_low"][1] < -1.5 < values["ci_high"][1])
    True
    """
    X, counts = _design(months, start)
    reason = _insufficient(counts, start)
    return _fit(d, X[:, :3:2], months, alpha, reason, ("baseline_level", "did")), counts


def _months(y: pd.Series):
    import numpy as np

    return np.array([_month_number(str(p)) for p in y.index], dtype=int)


def _rows(values: dict, terms: Sequence[str], index: Sequence[int], formula: str) -> list[dict]:
    rows = []
    for term, j in zip(terms, index, strict=True):
        row = {"term": term}
        for key in ("estimate", "se", "statistic", "df", "ci_low", "ci_high", "p_value"):
            row[key] = float(values[key][j])
        for key in ("status", "reason", "ar1_rho", "inference", "model"):
            row[key] = values[key]
        row["formula"] = formula
        rows.append(row)
    return rows


def _table(rows: list[dict], counts: dict, **columns) -> pd.DataFrame:
    import pandas as pd

    table = pd.DataFrame(rows)
    for key in ("n_periods", "n_pre", "n_post"):
        table[key] = counts[key]
    for key, value in columns.items():
        table[key] = value
    return table[list(RESULT_COLUMNS)]


def interrupted_time_series(
    data: pd.DataFrame,
    *,
    indicator: str,
    event: str,
    areas: Sequence[str] | None = None,
    maxlags: int | None = None,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Segmented regression of an indicator around an event (interrupted time series).

    Parameters
    ----------
    data : DataFrame
        The ``indicators`` table (``indicator_id``, ``period``, ``area``, ``value``).
    indicator : str
        The indicator to analyse.
    event : str
        Date (``YYYY-MM-DD``) or month of the event; its month is the first
        "after" month. See :func:`event_period`.
    areas : sequence of str, optional
        Areas whose monthly mean is analysed (default: all).
    maxlags : None
        No longer used (it set the Newey–West lag length); giving a value
        raises ``ValueError``. Kept so that the error can say why.
    alpha : float
        1 - confidence of the intervals, in (0, 1).

    Returns
    -------
    DataFrame
        Rows ``baseline_level``, ``pre_slope``, ``level_change`` (the jump at
        the event) and ``slope_change`` (change in monthly trend), columns
        :data:`RESULT_COLUMNS`; the inference is described in the module
        notes and in the ``inference`` column. ``status`` is ``ok``, or
        ``insufficient_data`` with the ``reason`` when the series is too
        short around the event for a calibrated test (then ``se``, ``df``,
        the interval and ``p_value`` are NaN). ``model`` holds the fitted
        statsmodels results (its ``bse`` are the unadjusted GLS errors; the
        table's ``se`` are the Kenward–Roger ones).

    Raises
    ------
    KeyError
        Unknown indicator, or an area without values of it.
    ValueError
        A malformed ``event``, ``alpha`` outside (0, 1), or ``maxlags`` given.

    Warns
    -----
    NetwerkonderzoekWarning
        When area-months have no value (NaN or no row) or calendar months
        are missing from the series; they are left out, never filled.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> periods = [f"2022-{m:02d}" for m in range(1, 13)] + [f"2023-{m:02d}" for m in range(1, 13)]
    >>> t = np.arange(24)
    >>> noise = np.random.default_rng(0).normal(0, 0.05, 24)
    >>> value = 10 + 0.1 * t + 2.0 * (t >= 12) + noise
    >>> data = pd.DataFrame({"indicator_id": "x", "period": periods, "area": "a", "value": value})
    >>> its = interrupted_time_series(data, indicator="x", event="2023-01-15")
    >>> row = its.set_index("term").loc["level_change"]
    >>> bool(row["ci_low"] < 2.0 < row["ci_high"]), row["status"], bool(row["p_value"] < 0.05)
    (True, 'ok', True)
    >>> short = interrupted_time_series(data, indicator="x", event="2023-11")
    >>> short["status"].iloc[0], short["reason"].iloc[0]
    ('insufficient_data', 'the event month 2023-11 leaves 22 observed month(s) before and 2 from it; at least 6 on each side are needed for a calibrated test with AR(1) errors')
    """
    alpha = _check_alpha(alpha, "interrupted_time_series")
    _check_maxlags(maxlags, "interrupted_time_series")
    start = _period(event)
    y = _series(data, indicator, areas)
    months = _months(y)
    values, counts = segmented_arrays(months, y.to_numpy(dtype=float), _month_number(start), alpha)
    where = ";".join(areas) if areas is not None else "all"
    formula = (
        f"y ~ 1 + t + post + post:(t - t0); y = monthly mean of {indicator} over {where}, "
        f"t = months since {y.index[0]}, t0 = {counts['t0']:g} ({start}), post = t >= t0; "
        "AR(1) errors"
    )
    rows = _rows(values, _TERMS, range(4), formula)
    return _table(
        rows,
        counts,
        analysis="its",
        indicator_id=indicator,
        alpha=alpha,
        event_period=start,
        areas=where,
        comparison_areas="",
    )


def difference_in_differences(
    data: pd.DataFrame,
    *,
    indicator: str,
    event: str,
    treated: Sequence[str],
    comparison: Sequence[str] | None = None,
    maxlags: int | None = None,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Difference-in-differences of an indicator between treated and comparison areas.

    The monthly difference ``d_t = mean(treated) - mean(comparison)`` is
    regressed on a constant and ``post_t`` (row ``did``: the average change
    of the difference after the event; without autocorrelation it is the
    mean difference after minus before, the two-way fixed effects estimate
    for a balanced panel), and in a segmented form (rows
    ``did_level_change``, ``did_slope_change``, and ``pre_trend``: the
    monthly trend of the difference before the event, ≈ 0 under parallel
    trends). Both with AR(1) errors and the inference of
    :func:`interrupted_time_series`.

    Parameters
    ----------
    data : DataFrame
        The ``indicators`` table.
    indicator, event, maxlags, alpha
        As for :func:`interrupted_time_series`.
    treated : sequence of str
        Areas where the intervention started at the event.
    comparison : sequence of str, optional
        Comparison areas (default: every other area).

    Returns
    -------
    DataFrame
        Rows ``did``, ``pre_trend``, ``did_level_change``,
        ``did_slope_change``; columns :data:`RESULT_COLUMNS` (``status`` and
        ``reason`` as for :func:`interrupted_time_series`).

    Raises
    ------
    ValueError
        If there are no comparison areas or an area is both treated and
        comparison, and as for :func:`interrupted_time_series`.

    Warns
    -----
    NetwerkonderzoekWarning
        As for :func:`interrupted_time_series`, and for months with values
        in only one of the two groups (left out of the difference).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> periods = [f"2022-{m:02d}" for m in range(1, 13)] + [f"2023-{m:02d}" for m in range(1, 13)]
    >>> t = np.arange(24)
    >>> common = 10 + 0.2 * t + np.tile([0.5, -0.5], 12)
    >>> noise = np.random.default_rng(1).normal(0, 0.1, 24)
    >>> data = pd.concat([
    ...     pd.DataFrame({"indicator_id": "x", "period": periods, "area": "a",
    ...                   "value": common - 1.5 * (t >= 12) + noise}),
    ...     pd.DataFrame({"indicator_id": "x", "period": periods, "area": "b", "value": common})])
    >>> did = difference_in_differences(data, indicator="x", event="2023-01", treated=["a"])
    >>> float(did.set_index("term").loc["did", "estimate"].round(1))
    -1.5
    """
    alpha = _check_alpha(alpha, "difference_in_differences")
    _check_maxlags(maxlags, "difference_in_differences")
    start = _period(event)
    rows = data[data["indicator_id"] == indicator]
    treated = list(treated)
    comparison = (
        sorted(set(rows["area"]) - set(treated)) if comparison is None else list(comparison)
    )
    if not comparison:
        raise ValueError(f"no comparison areas for {indicator!r}: every area is treated")
    overlap = sorted(set(treated) & set(comparison))
    if overlap:
        raise ValueError(f"area(s) {', '.join(overlap)} are both treated and comparison")
    a = _series(data, indicator, treated)
    b = _series(data, indicator, comparison)
    diff = a - b
    alone = [str(p) for p in diff.index[diff.isna()]]
    if alone:
        warnings.warn(
            f"indicator {indicator!r}: {len(alone)} month(s) have values in only one of the "
            f"treated and comparison groups and are left out of the difference: {_listed(alone)}",
            NetwerkonderzoekWarning,
            stacklevel=2,
        )
    diff = diff.dropna()
    months = _months(diff)
    d = diff.to_numpy(dtype=float)
    start_number = _month_number(start)
    segmented, counts = segmented_arrays(months, d, start_number, alpha)
    simple, _ = did_arrays(months, d, start_number, alpha)
    head = (
        f"d = mean of {indicator} over {';'.join(treated)} minus over {';'.join(comparison)}, "
        f"t = months since {diff.index[0]}, t0 = {counts['t0']:g} ({start}), post = t >= t0; "
        "AR(1) errors"
    )
    rows = _rows(simple, ("did",), (1,), f"d ~ 1 + post; {head}")
    rows += _rows(
        segmented,
        ("pre_trend", "did_level_change", "did_slope_change"),
        (1, 2, 3),
        f"d ~ 1 + t + post + post:(t - t0); {head}",
    )
    return _table(
        rows,
        counts,
        analysis="did",
        indicator_id=indicator,
        alpha=alpha,
        event_period=start,
        areas=";".join(treated),
        comparison_areas=";".join(comparison),
    )


def evidence_from_result(
    table: pd.DataFrame,
    cmo_id: str,
    *,
    term: str,
    direction: str,
    alpha: float = 0.05,
    source: str | None = None,
) -> EvidenceItem:
    """Turn one row of an ITS or DiD table into an evidence item.

    ``supports`` if the term is significant (p < alpha) in the expected
    ``direction`` (``increase``/``decrease``), ``contradicts`` if significant
    the other way, else ``inconclusive`` (strength ``moderate`` when
    significant, ``weak`` otherwise). A row with ``status``
    ``insufficient_data`` gives direction ``insufficient_data``, strength
    ``weak`` and the row's ``reason`` in ``note``. The item carries the
    row's ``se``, ``statistic``, ``df``, ``formula``, ``inference`` and
    fitted ``model``, ``design`` ``its`` or ``did`` and ``n`` the number of
    months.

    Raises
    ------
    ValueError
        ``direction`` not ``increase``/``decrease``, or ``alpha`` outside (0, 1).
    KeyError
        ``term`` not in the table.

    Examples
    --------
    >>> import pandas as pd
    >>> row = pd.DataFrame({"analysis": ["did"], "indicator_id": ["overlast"], "term": ["did"],
    ...     "estimate": [-1.4], "ci_low": [-2.0], "ci_high": [-0.8], "p_value": [0.001],
    ...     "n_periods": [36], "event_period": ["2023-03"]})
    >>> evidence_from_result(row, "cmo-09", term="did", direction="decrease").direction
    'supports'
    >>> row["status"], row["reason"] = "insufficient_data", "too few months"
    >>> item = evidence_from_result(row, "cmo-09", term="did", direction="decrease")
    >>> item.direction, item.note
    ('insufficient_data', 'did did from 2023-03: too few months')
    """
    if direction not in ("increase", "decrease"):
        raise ValueError(
            f"The 'direction' parameter must be 'increase' or 'decrease'. Got {direction!r} instead."
        )
    alpha = _check_alpha(alpha, "evidence_from_result")
    rows = table[table["term"] == term]
    if rows.empty:
        raise KeyError(f"term {term!r} is not in the table; terms: {', '.join(table['term'])}")
    row = rows.iloc[0]

    def get(key: str, default: Any = math.nan) -> Any:
        value = row.get(key, default)
        return default if value is None else value

    note = f"{row['analysis']} {term} from {row['event_period']}"
    p = float(get("p_value"))
    if get("status", "ok") == "insufficient_data":
        verdict, strength = "insufficient_data", "weak"
        note = f"{note}: {get('reason', '')}"
    elif p < alpha:
        sign = 1 if direction == "increase" else -1
        verdict = "supports" if (row["estimate"] > 0) == (sign > 0) else "contradicts"
        strength = "moderate"
    else:
        verdict, strength = "inconclusive", "weak"
    return EvidenceItem(
        cmo_id=cmo_id,
        kind="quantitative",
        direction=verdict,
        source=source or f"indicators: {row['indicator_id']}",
        strength=strength,
        note=note,
        estimate=float(row["estimate"]),
        ci_low=float(get("ci_low")),
        ci_high=float(get("ci_high")),
        p_value=p,
        se=float(get("se")),
        statistic=float(get("statistic")),
        df=float(get("df")),
        design=str(row["analysis"]),
        formula=str(get("formula", "")),
        inference=str(get("inference", "")),
        model=get("model", None),
        n=int(row["n_periods"]),
        method=str(row["analysis"]),
        alpha=alpha,
    )
