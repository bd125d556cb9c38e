"""Change over time: interrupted time series and difference-in-differences.

Both work on the canonical ``indicators`` table (monthly values per area)
around an event of the network's timeline, and return tidy tables; turn a
row into evidence for a configuration with :func:`evidence_from_result`.

- :func:`interrupted_time_series`: segmented regression of the monthly mean
  over the chosen areas,
  ``y_t = b0 + b1 t + b2 post_t + b3 (t - t0) post_t``, with Newey–West
  (HAC) standard errors for autocorrelated months (Wagner et al. 2002).
- :func:`difference_in_differences`: the same segmented regression on the
  monthly *difference* between treated and comparison areas; ``did`` is the
  average change of that difference after the event (the two-way fixed
  effects estimate for a balanced panel), ``pre_trend`` tests parallel
  trends before it.

References
----------
Wagner, A. K., Soumerai, S. B., Zhang, F., & Ross-Degnan, D. (2002).
Segmented regression analysis of interrupted time series studies in
medication use research. *Journal of Clinical Pharmacy and Therapeutics*,
27(4), 299–309. https://doi.org/10.1046/j.1365-2710.2002.00430.x

Newey, W. K., & West, K. D. (1987). A simple, positive semi-definite,
heteroskedasticity and autocorrelation consistent covariance matrix.
*Econometrica*, 55(3), 703–708. https://doi.org/10.2307/1913610

Newey, W. K., & West, K. D. (1994). Automatic lag selection in covariance
matrix estimation. *Review of Economic Studies*, 61(4), 631–653.
https://doi.org/10.2307/2297912

Angrist, J. D., & Pischke, J.-S. (2009). *Mostly Harmless Econometrics*.
Princeton University Press. https://doi.org/10.1515/9781400829828
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..cmo.evidence import EvidenceItem

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "RESULT_COLUMNS",
    "difference_in_differences",
    "event_period",
    "evidence_from_result",
    "interrupted_time_series",
    "newey_west_lags",
]

RESULT_COLUMNS = (
    "analysis",
    "indicator_id",
    "term",
    "estimate",
    "se",
    "ci_low",
    "ci_high",
    "p_value",
    "n_periods",
    "n_pre",
    "n_post",
    "maxlags",
    "event_period",
    "areas",
    "comparison_areas",
)

_PERIOD = re.compile(r"^(\d{4})-(\d{2})(-\d{2})?$")


def newey_west_lags(n: int) -> int:
    """Newey–West (1994) rule of thumb for the HAC lag length: floor(4 (n/100)^(2/9)).

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


def event_period(events: pd.DataFrame, title: str) -> str:
    """The month (``YYYY-MM``) of the timeline event titled ``title``.

    Raises
    ------
    KeyError
        If no event has that title (the message lists the titles).
    """
    rows = events[events["title"] == title]
    if rows.empty:
        raise KeyError(
            f"no event titled {title!r} in the timeline; events: {', '.join(events['title'])}"
        )
    return _period(str(rows["date"].iloc[0])[:10])


def _series(data: pd.DataFrame, indicator: str, areas: Sequence[str] | None) -> pd.Series:
    rows = data[data["indicator_id"] == indicator]
    if rows.empty:
        known = ", ".join(sorted(data["indicator_id"].unique()))
        raise KeyError(f"indicator {indicator!r} is not in the indicators table; known: {known}")
    if areas is not None:
        unknown = sorted(set(areas) - set(rows["area"]))
        if unknown:
            raise KeyError(f"area(s) {', '.join(unknown)} have no values of {indicator!r}")
        rows = rows[rows["area"].isin(list(areas))]
    return rows.groupby("period")["value"].mean().sort_index()


def _segmented(y: pd.Series, start: str, alpha: float, maxlags: int | None):
    import numpy as np
    import pandas as pd
    import statsmodels.api as sm

    periods = list(y.index)
    months = np.array([int(p[:4]) * 12 + int(p[5:7]) for p in periods])
    t = (months - months[0]).astype(float)
    t0 = float(int(start[:4]) * 12 + int(start[5:7]) - months[0])
    post = (t >= t0).astype(float)
    n_pre, n_post = int((post == 0).sum()), int(post.sum())
    if n_pre < 3 or n_post < 3:
        raise ValueError(
            f"the event month {start} leaves {n_pre} months before and {n_post} after it; "
            "at least 3 on each side are needed"
        )
    X = pd.DataFrame(
        {
            "baseline_level": 1.0,
            "pre_slope": t,
            "level_change": post,
            "slope_change": post * (t - t0),
        }
    )
    lags = newey_west_lags(len(y)) if maxlags is None else int(maxlags)
    result = sm.OLS(y.to_numpy(dtype=float), X).fit(
        cov_type="HAC", cov_kwds={"maxlags": lags, "use_correction": True}, use_t=True
    )
    ci = np.asarray(result.conf_int(alpha=alpha))
    table = pd.DataFrame(
        {
            "term": list(X.columns),
            "estimate": np.asarray(result.params),
            "se": np.asarray(result.bse),
            "ci_low": ci[:, 0],
            "ci_high": ci[:, 1],
            "p_value": np.asarray(result.pvalues),
        }
    )
    table["n_periods"], table["n_pre"], table["n_post"] = len(y), n_pre, n_post
    table["maxlags"] = lags
    return table, result, X


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
    maxlags : int, optional
        HAC lag length (default :func:`newey_west_lags`).
    alpha : float
        1 - confidence of the intervals.

    Returns
    -------
    DataFrame
        Rows ``baseline_level``, ``pre_slope``, ``level_change`` (the jump at
        the event) and ``slope_change`` (change in monthly trend), columns
        :data:`RESULT_COLUMNS`.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> periods = [f"2022-{m:02d}" for m in range(1, 13)] + [f"2023-{m:02d}" for m in range(1, 13)]
    >>> t = np.arange(24)
    >>> noise = np.random.default_rng(0).normal(0, 0.05, 24)
    >>> value = 10 + 0.1 * t + 2.0 * (t >= 12) + noise
    >>> data = pd.DataFrame({"indicator_id": "x", "period": periods, "area": "a", "value": value})
    >>> its = interrupted_time_series(data, indicator="x", event="2023-01-15")
    >>> float(its.set_index("term").loc["level_change", "estimate"].round(1))
    2.0
    """
    start = _period(event)
    y = _series(data, indicator, areas)
    table, _, _ = _segmented(y, start, alpha, maxlags)
    table.insert(0, "analysis", "its")
    table.insert(1, "indicator_id", indicator)
    table["event_period"] = start
    table["areas"] = ";".join(areas) if areas is not None else "all"
    table["comparison_areas"] = ""
    return table[list(RESULT_COLUMNS)]


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
    of the difference after the event, the DiD estimate), and in a segmented
    form (rows ``did_level_change``, ``did_slope_change``, and ``pre_trend``:
    the monthly trend of the difference before the event, ≈ 0 under
    parallel trends). Newey–West standard errors throughout.

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
        Columns :data:`RESULT_COLUMNS`.

    Raises
    ------
    ValueError
        If there are no comparison areas or an area is both treated and comparison.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> periods = [f"2022-{m:02d}" for m in range(1, 13)] + [f"2023-{m:02d}" for m in range(1, 13)]
    >>> t = np.arange(24)
    >>> common = 10 + 0.2 * t + np.tile([0.5, -0.5], 12)
    >>> data = pd.concat([
    ...     pd.DataFrame({"indicator_id": "x", "period": periods, "area": "a",
    ...                   "value": common - 1.5 * (t >= 12)}),
    ...     pd.DataFrame({"indicator_id": "x", "period": periods, "area": "b", "value": common})])
    >>> did = difference_in_differences(data, indicator="x", event="2023-01", treated=["a"])
    >>> float(did.set_index("term").loc["did", "estimate"].round(2))
    -1.5
    """
    import numpy as np
    import pandas as pd
    import statsmodels.api as sm

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
    diff = (a - b).dropna()
    segmented, _, X = _segmented(diff, start, alpha, maxlags)
    lags = int(segmented["maxlags"].iloc[0])
    simple = sm.OLS(diff.to_numpy(dtype=float), X[["baseline_level", "level_change"]]).fit(
        cov_type="HAC", cov_kwds={"maxlags": lags, "use_correction": True}, use_t=True
    )
    ci = np.asarray(simple.conf_int(alpha=alpha))
    did_row = {
        "term": "did",
        "estimate": float(simple.params.iloc[1]),
        "se": float(simple.bse.iloc[1]),
        "ci_low": ci[1, 0],
        "ci_high": ci[1, 1],
        "p_value": float(simple.pvalues.iloc[1]),
    }
    segmented = segmented[segmented["term"] != "baseline_level"].copy()
    segmented["term"] = segmented["term"].map(
        {
            "pre_slope": "pre_trend",
            "level_change": "did_level_change",
            "slope_change": "did_slope_change",
        }
    )
    table = pd.concat([pd.DataFrame([did_row]), segmented], ignore_index=True)
    for column in ("n_periods", "n_pre", "n_post", "maxlags"):
        table[column] = int(segmented[column].iloc[0])
    table.insert(0, "analysis", "did")
    table.insert(1, "indicator_id", indicator)
    table["event_period"] = start
    table["areas"] = ";".join(treated)
    table["comparison_areas"] = ";".join(comparison)
    return table[list(RESULT_COLUMNS)]


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
    the other way, else ``inconclusive``.

    Examples
    --------
    >>> import pandas as pd
    >>> row = pd.DataFrame({"analysis": ["did"], "indicator_id": ["overlast"], "term": ["did"],
    ...     "estimate": [-1.4], "ci_low": [-2.0], "ci_high": [-0.8], "p_value": [0.001],
    ...     "n_periods": [36], "event_period": ["2023-03"]})
    >>> evidence_from_result(row, "cmo-09", term="did", direction="decrease").direction
    'supports'
    """
    if direction not in ("increase", "decrease"):
        raise ValueError(
            f"The 'direction' parameter must be 'increase' or 'decrease'. Got {direction!r} instead."
        )
    rows = table[table["term"] == term]
    if rows.empty:
        raise KeyError(f"term {term!r} is not in the table; terms: {', '.join(table['term'])}")
    row = rows.iloc[0]
    sign = 1 if direction == "increase" else -1
    p = float(row["p_value"])
    if p < alpha:
        verdict = "supports" if (row["estimate"] > 0) == (sign > 0) else "contradicts"
    else:
        verdict = "inconclusive"
    return EvidenceItem(
        cmo_id=cmo_id,
        kind="quantitative",
        direction=verdict,
        source=source or f"indicators: {row['indicator_id']}",
        strength="moderate" if verdict != "inconclusive" else "weak",
        note=f"{row['analysis']} {term} from {row['event_period']}",
        estimate=float(row["estimate"]),
        ci_low=float(row["ci_low"]),
        ci_high=float(row["ci_high"]),
        p_value=p,
        n=int(row["n_periods"]),
        method=str(row["analysis"]),
        alpha=alpha,
    )
