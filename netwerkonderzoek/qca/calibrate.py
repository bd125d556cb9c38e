"""Calibration: raw values into crisp or fuzzy set membership scores.

Three methods:

``"crisp"``
    One threshold gives 0/1; several thresholds give the multi-value
    categories 0, 1, 2, ... (a value equal to a threshold goes to the higher
    category, as R QCA's ``calibrate(type="crisp")``).
``"direct"``
    Ragin's (2008) direct method. Three anchors - full exclusion ``e``,
    crossover ``c`` and full inclusion ``i`` - are mapped to the log odds
    -3, 0 and +3; a value's deviation from the crossover is scaled by
    ``3 / (i - c)`` on the inclusion side and ``3 / (c - e)`` on the exclusion
    side, and the log odds are turned into membership by the logistic
    function. Full inclusion gets ``1 / (1 + exp(-3)) = 0.953``. When
    ``e > i`` the set is *decreasing* (a high raw value means little
    membership).
``"anchors"``
    The piecewise-linear anchors method: membership 0 at or beyond ``e``, 0.5
    at ``c``, 1 at or beyond ``i``, linear in between (R QCA's
    ``logistic=FALSE``). Increasing and decreasing like ``"direct"``.

A case with membership exactly 0.5 belongs neither to the set nor to its
negation and falls into no truth table row; :func:`crossover_cases` lists
such cases, and :func:`calibrate` warns when it produces them.

References
----------
Ragin, C. C. (2008). *Redesigning Social Inquiry: Fuzzy Sets and Beyond*,
chapter 5. University of Chicago Press. doi:10.7208/chicago/9780226702797.001.0001

Examples
--------
>>> from netwerkonderzoek.qca import calibrate
>>> calibrate([1, 5, 9], thresholds=(2, 5.5, 9), method="direct").round(3)
array([0.021, 0.394, 0.953])
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..exceptions import NetwerkonderzoekWarning
from ._common import QCAError

__all__ = ["calibrate", "crossover_cases"]

METHODS = ("direct", "anchors", "crisp")


def _anchors(thresholds: object) -> tuple[float, float, float]:
    if isinstance(thresholds, Mapping):
        missing = [k for k in ("e", "c", "i") if k not in thresholds]
        extra = [k for k in thresholds if k not in ("e", "c", "i")]
        if missing or extra:
            raise QCAError(
                "The 'thresholds' of a fuzzy calibration must have the keys 'e' (full "
                "exclusion), 'c' (crossover) and 'i' (full inclusion). Got keys "
                f"{list(thresholds)} instead."
            )
        values = [thresholds["e"], thresholds["c"], thresholds["i"]]
    else:
        values = list(np.atleast_1d(np.asarray(thresholds, dtype=object)))
        if len(values) != 3:
            raise QCAError(
                "The 'thresholds' of a fuzzy calibration must be three anchors (full "
                f"exclusion, crossover, full inclusion). Got {len(values)} value(s) instead."
            )
    try:
        e, c, i = (float(v) for v in values)
    except (TypeError, ValueError):
        raise QCAError(f"The anchors must be numbers. Got {values} instead.") from None
    if not all(np.isfinite([e, c, i])):
        raise QCAError(f"The anchors must be finite numbers. Got {[e, c, i]} instead.")
    if not (e < c < i or e > c > i):
        raise QCAError(
            "The anchors must be ordered: full exclusion < crossover < full inclusion "
            "(increasing set) or full exclusion > crossover > full inclusion (decreasing "
            f"set). Got e={e:g}, c={c:g}, i={i:g} instead."
        )
    return e, c, i


def calibrate(
    x: object,
    thresholds: object,
    method: str = "direct",
    *,
    log_odds: float = 3.0,
    warn_crossover: bool = True,
) -> np.ndarray | pd.Series | float:
    """Calibrate raw values into set membership scores.

    Parameters
    ----------
    x : array-like, pandas.Series or number
        Raw values. A Series keeps its index and name; NaN stays NaN.
    thresholds : mapping, sequence or number
        ``"direct"`` and ``"anchors"``: the three anchors full exclusion,
        crossover and full inclusion, as ``(e, c, i)`` or
        ``{"e": ..., "c": ..., "i": ...}``; ``e > i`` calibrates a
        decreasing set. ``"crisp"``: one threshold or several increasing
        thresholds.
    method : {"direct", "anchors", "crisp"}
        Calibration method, see the module documentation.
    log_odds : float, default 3.0
        Log odds at the full exclusion and inclusion anchors (direct method);
        3 gives Ragin's 0.953 at full inclusion.
    warn_crossover : bool, default True
        Warn when a fuzzy score is exactly 0.5.

    Returns
    -------
    numpy.ndarray, pandas.Series or float
        Membership scores in [0, 1] (crisp: 0, 1, 2, ... as floats), of the
        same shape as ``x``.

    Raises
    ------
    QCAError
        On an unknown method, unordered or badly shaped thresholds, or
        non-numeric values.

    Warns
    -----
    NetwerkonderzoekWarning
        When fuzzy scores of exactly 0.5 are produced (see
        :func:`crossover_cases`).

    Examples
    --------
    Direct method: full exclusion gets 0.047, full inclusion 0.953 (the
    crossover 0.5):

    >>> calibrate([2, 6.5, 8, 13], thresholds={"e": 2, "c": 5, "i": 8}).round(3)
    array([0.047, 0.818, 0.953, 1.   ])

    A decreasing set (more cabinets, less stability):

    >>> calibrate([2, 20], thresholds=(15, 10, 5)).round(3)
    array([0.992, 0.002])

    Anchors (piecewise-linear) and crisp:

    >>> calibrate([2, 3.5, 9], thresholds=(2, 5, 8), method="anchors")
    array([0.  , 0.25, 1.  ])
    >>> calibrate([10, 30, 50, 70], thresholds=[25, 60], method="crisp")
    array([0., 1., 1., 2.])
    """
    if method not in METHODS:
        raise QCAError(
            f"The 'method' parameter of calibrate must be one of {METHODS}. "
            f"Got {method!r} instead."
        )
    series = x if isinstance(x, pd.Series) else None
    scalar = np.ndim(x) == 0
    try:
        raw = np.asarray(series.to_numpy() if series is not None else x, dtype=float)
    except (TypeError, ValueError):
        name = f" '{series.name}'" if series is not None else ""
        raise QCAError(
            f"The values to calibrate{name} must be numeric; got values that are not."
        ) from None
    raw = np.atleast_1d(raw)

    if method == "crisp":
        cuts = np.atleast_1d(np.asarray(thresholds, dtype=float))
        if cuts.ndim != 1 or cuts.size == 0 or not np.isfinite(cuts).all():
            raise QCAError(
                f"Crisp calibration needs one or more finite thresholds. Got {thresholds!r}."
            )
        if np.any(np.diff(cuts) <= 0):
            raise QCAError(
                "The thresholds of a crisp calibration must be strictly increasing. "
                f"Got {list(cuts)} instead."
            )
        out = np.searchsorted(cuts, raw, side="right").astype(float)
        out[np.isnan(raw)] = np.nan
    else:
        if not np.isfinite(log_odds) or log_odds <= 0:
            raise QCAError(f"The 'log_odds' must be a positive number. Got {log_odds!r}.")
        e, c, i = _anchors(thresholds)
        # positive on the inclusion side of the crossover, for both directions
        toward_i = (raw - c) / (i - c)
        if method == "direct":
            scaled = np.where(toward_i >= 0, toward_i, (raw - c) / (c - e))
            with np.errstate(over="ignore"):
                out = 1.0 / (1.0 + np.exp(-log_odds * scaled))
        else:
            toward_e = (raw - c) / (e - c)
            out = np.where(toward_i >= 0, 0.5 + 0.5 * toward_i, 0.5 - 0.5 * toward_e)
            out = np.clip(out, 0.0, 1.0)
        out[np.isnan(raw)] = np.nan
        n_half = int(np.sum(out == 0.5))
        if n_half and warn_crossover:
            warnings.warn(
                f"{n_half} value(s) calibrated to exactly 0.5 (at the crossover "
                f"{c:g}); such cases belong to no truth table row. Move the crossover "
                "to a value no case has (see qca.crossover_cases).",
                NetwerkonderzoekWarning,
                stacklevel=2,
            )
    if series is not None:
        return pd.Series(out, index=series.index, name=series.name)
    if scalar:
        return float(out[0])
    return out.reshape(np.shape(x))


def crossover_cases(data: pd.DataFrame, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """List the cases with a membership score of exactly 0.5.

    Parameters
    ----------
    data : pandas.DataFrame
        Membership scores, one row per case (the index names the cases).
    columns : sequence of str, optional
        Columns to check; all numeric columns by default.

    Returns
    -------
    pandas.DataFrame
        Columns ``case`` and ``column``, one row per score at 0.5.

    Raises
    ------
    QCAError
        When a column is unknown.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"A": [0.2, 0.5], "B": [0.5, 0.9]}, index=["x", "y"])
    >>> crossover_cases(df)
      case column
    0    x      B
    1    y      A
    """
    if columns is None:
        columns = [c for c in data.columns if pd.api.types.is_numeric_dtype(data[c])]
    unknown = [c for c in columns if c not in data.columns]
    if unknown:
        raise QCAError(f"Unknown column(s) {unknown}; the data has {list(data.columns)}.")
    rows = [
        (case, column)
        for case, values in zip(data.index, data[list(columns)].to_numpy(dtype=float), strict=True)
        for column, value in zip(columns, values, strict=True)
        if value == 0.5
    ]
    return pd.DataFrame(rows, columns=["case", "column"])
