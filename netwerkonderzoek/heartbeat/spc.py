r"""Statistical process control of an indicator series as public services practise it.

:func:`spc` puts one monthly series (an indicator of the value definition, or
any tidy ``period``/``value`` table) on a control chart and reads it with a
named rule set, as NHS England's *Making Data Count* and the R packages
NHSRplotthedots and qicharts2 do. Every point gets its phase, centre line,
limits, the signals it is part of and the direction of each signal.

Charts
------
``xmr``
    Individuals: centre :math:`\bar x`, :math:`\hat\sigma = \overline{MR} / 1.128`,
    limits :math:`\bar x \pm 3 \hat\sigma = \bar x \pm 2.66\,\overline{MR}`
    (Wheeler & Chambers 1992).
``p`` (Laney p′) and ``u`` (Laney u′)
    For shares and rates with a denominator (``value`` is the count,
    ``denominator`` the number at risk or exposure). With
    :math:`\bar p = \sum x / \sum n`, :math:`\sigma_i = \sqrt{\bar p (1 - \bar p) / n_i}`
    (u′: :math:`\sqrt{\bar u / n_i}`) and the between-period spread
    :math:`\sigma_z = \overline{MR}(z) / 1.128` of
    :math:`z_i = (p_i - \bar p) / \sigma_i`, the limits are
    :math:`\bar p \pm 3\,\sigma_i \sigma_z`: they vary with the denominator and
    do not flag every period of a large denominator (Laney 2002). A share's
    limits stay within [0, 1], a rate's above 0.

Rule sets (``rules``)
---------------------
``mdc`` (Making Data Count; NHSRplotthedots)
    ``astronomical``: a point beyond a limit. ``two_in_three``: two of three
    consecutive points beyond two sigma, all three on the same side of the
    centre (the points beyond two sigma are flagged). ``shift``: ``shift``
    (default 7) consecutive points on one side of the centre; a point on the
    centre ends a run. ``trend``: ``trend`` (default 7) consecutive points
    each higher (or each lower) than the one before; an equal value ends it.
    Every point of a shift or trend is flagged.
``anhoej`` (Anhøj & Olesen 2014; qicharts2)
    A run chart around the median, for short or non-normal series, without
    sigma limits. Points on the median are not *useful* and not counted.
    ``long_run``: the longest run of useful points on one side exceeds
    ``round(log2(n_useful)) + 3`` (Schilling 2012; the points of that run are
    flagged); ``few_crossings``: the number of median crossings is below the 5 %
    quantile of Binomial(n_useful − 1, 0.5) (Chen 2010; every point of the
    phase is flagged, without a side). See :func:`runs_analysis`.
``western_electric``
    Rules 1-4 of the Western Electric handbook (1956): ``we1`` a point beyond
    a limit (3 sigma); ``we2`` two of three consecutive points beyond two
    sigma on the same side; ``we3`` four of five beyond one sigma on the same
    side; ``we4`` eight in a row on one side of the centre. The last point of
    the pattern is flagged, with the lowest rule number that flags it.

Direction
    A signal above the centre (or a rising trend) is an ``improvement`` for an
    indicator expected to increase and a ``concern`` for one expected to
    decrease; the reverse below. Without a direction it is ``neutral``.
    ``few_crossings`` has no side: a point in it takes the direction of its
    other signals, else ``neutral``; a point in signals of both directions
    is ``neutral``.

Baseline and phases
    Limits are frozen from the first ``baseline`` (default 12) points of a
    phase. A phase with fewer points (at least ``min_points``, default 8) gets
    *trial* limits from all its points, marked ``trial`` in the ``limits``
    column; with fewer than ``min_points`` it has no limits and no signals
    (``none``), whatever the rule set. A phase starts only at a month the
    caller names, with a reason (a new policy, a new way of working: typically
    a timeline event); nothing is rebased automatically on a signal.

Calibration (``tests/test_spc.py``; 1,000 simulated series each)
    Of 24 in-control normal months (limits frozen from the first 12), at
    least one signal shows in 29 % of series with ``mdc``, 30 % with
    ``western_electric`` and 7 % with ``anhoej`` (3.1 % with the median of
    all 24, which is also the exact probability); a shift of 2 sigma in the
    last 8 months is found in 96 %, 97 % and 52 %. Several rules together
    flag a stable process often: a single signal is a reason to look, not a
    verdict. The trial threshold of 8 points is this package's choice (with
    fewer, a limit says little); both thresholds are parameters.

Target (assurance, as NHSRplotthedots)
    With a ``target`` and a direction, each phase's last limits say whether
    the process will ``consistent_pass`` (the whole band on the right side of
    the target), ``consistent_fail`` (the whole band on the wrong side) or is
    ``inconsistent`` (the target inside the band); without limits
    ``insufficient_data``.

References
----------
Anhøj, J., & Olesen, A. V. (2014). Run charts revisited: a simulation study of
run chart rules for detection of non-random variation in health care
processes. *PLoS ONE* 9(11), e113825. https://doi.org/10.1371/journal.pone.0113825

Chen, Z. (2010). A note on the runs test. *Model Assisted Statistics and
Applications* 5, 73-77.

Laney, D. B. (2002). Improved control charts for attributes. *Quality
Engineering* 14(4), 531-537. https://doi.org/10.1081/QEN-120003555

NHS England (2019). *Making Data Count: Getting started*. NHS Improvement.

Schilling, M. F. (2012). The surprising predictability of long runs.
*Mathematics Magazine* 85(2), 141-149.

Wheeler, D. J., & Chambers, D. S. (1992). *Understanding Statistical Process
Control* (2nd ed.). SPC Press.

Examples
--------
Twelve stable months, then seven above the centre line: a shift, an
improvement for an indicator that should increase.

>>> import pandas as pd
>>> values = [10, 12, 11, 13, 10, 12, 11, 12, 10, 13, 11, 12] + [14] * 7
>>> series = pd.DataFrame({"period": pd.period_range("2024-01", periods=19, freq="M")
...                                  .astype(str), "value": values})
>>> table = spc(series, direction="increase")
>>> table.loc[12:, ["period", "signals", "direction"]].head(2)
     period signals    direction
12  2025-01   shift  improvement
13  2025-02   shift  improvement
>>> table["limits"].unique().tolist(), round(float(table["centre"].iloc[0]), 3)
(['frozen'], 11.417)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "CHARTS",
    "D2",
    "DIRECTION_COLOURS",
    "MIN_POINTS",
    "RULE_SETS",
    "SPC_BASELINE",
    "Phase",
    "indicator_spc",
    "plot_indicator_spc",
    "plot_spc",
    "runs_analysis",
    "signal_label",
    "spc",
    "spc_rules_text",
    "spc_summary",
]

#: Bias correction of the moving range of two values (Montgomery 2009, App. VI).
D2 = 1.128
#: The rule sets :func:`spc` reads a chart with.
RULE_SETS = ("mdc", "anhoej", "western_electric")
#: The charts :func:`spc` draws: individuals, Laney p′ and Laney u′.
CHARTS = ("xmr", "p", "u")
#: Points of a phase its limits are frozen from.
SPC_BASELINE = 12
#: Fewest points of a phase with (trial) limits; below it, no limits and no signals.
MIN_POINTS = 8

_SIGNAL_ORDER = (
    "astronomical",
    "two_in_three",
    "shift",
    "trend",
    "long_run",
    "few_crossings",
    "we1",
    "we2",
    "we3",
    "we4",
)


@dataclass(frozen=True)
class Phase:
    """A recalculation of the limits from month ``start`` on, and why.

    Examples
    --------
    >>> Phase("2024-07", "nieuwe werkwijze wijkteams")
    Phase(start='2024-07', reason='nieuwe werkwijze wijkteams')
    """

    start: str
    reason: str


def runs_analysis(values: Sequence[float], centre: float | None = None) -> dict:
    """Anhøj's runs analysis of a series around its median (or ``centre``).

    Points on the centre line and missing values are not *useful* and are not
    counted. A run is a sequence of useful points on the same side; the
    number of crossings is the number of runs minus one.

    Parameters
    ----------
    values : sequence of float
    centre : float, optional
        The centre line; the median of the values by default.

    Returns
    -------
    dict
        ``centre``, ``n_useful``, ``longest_run``, ``longest_run_max``
        (``round(log2(n_useful)) + 3``), ``crossings``, ``crossings_min``
        (the 5 % quantile of Binomial(n_useful − 1, 0.5), as R's ``qbinom``),
        ``signal`` (a run longer than the maximum or fewer crossings than the
        minimum). With no useful point the counts are None and ``signal`` is
        False.

    Examples
    --------
    qicharts2's documented example size: with 24 useful points the longest run
    may be 8 and there must be at least 8 crossings.

    >>> import numpy as np
    >>> x = np.tile([1.0, -1.0], 12)  # alternating: 23 crossings
    >>> result = runs_analysis(x, centre=0.0)
    >>> {k: result[k] for k in ("n_useful", "longest_run", "longest_run_max",
    ...                         "crossings", "crossings_min", "signal")}
    {'n_useful': 24, 'longest_run': 1, 'longest_run_max': 8, 'crossings': 23, 'crossings_min': 8, 'signal': False}
    >>> runs_analysis([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])["signal"]  # 6 below, 6 above
    True
    """
    from scipy.stats import binom

    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    centre = float(np.median(x)) if centre is None and len(x) else centre
    if centre is None:
        centre = math.nan
    sides = np.sign(x - centre)
    sides = sides[sides != 0]
    n = len(sides)
    if n == 0:
        return {
            "centre": centre,
            "n_useful": 0,
            "longest_run": None,
            "longest_run_max": None,
            "crossings": None,
            "crossings_min": None,
            "signal": False,
        }
    lengths = _run_lengths(sides)
    longest = int(lengths.max())
    crossings = len(lengths) - 1
    longest_max = round(math.log2(n)) + 3
    crossings_min = int(binom.ppf(0.05, n - 1, 0.5)) if n > 1 else 0
    return {
        "centre": centre,
        "n_useful": n,
        "longest_run": longest,
        "longest_run_max": longest_max,
        "crossings": crossings,
        "crossings_min": crossings_min,
        "signal": bool(longest > longest_max or crossings < crossings_min),
    }


def _run_lengths(sides: np.ndarray) -> np.ndarray:
    """Lengths of the runs of equal values (R's ``rle(x)$lengths``)."""
    change = np.flatnonzero(np.diff(sides) != 0)
    edges = np.concatenate(([0], change + 1, [len(sides)]))
    return np.diff(edges)


def _check_length(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 2:
        raise ValueError(
            f"The '{name}' parameter of spc must be a whole number of at least 2 points. "
            f"Got {value!r} instead."
        )
    return int(value)


def _series(data: pd.DataFrame, indicator: str | None, area: str | None, chart: str):
    """The monthly series: ``period``, the plotted statistic and its parts."""
    name = f"indicator {indicator!r}" if indicator is not None else "the series"
    frame = data
    if indicator is not None:
        if "indicator_id" not in frame.columns:
            raise ValueError(
                f"spc got indicator={indicator!r} but the table has no 'indicator_id' column"
            )
        frame = frame[frame["indicator_id"] == indicator]
        if frame.empty:
            known = sorted(data["indicator_id"].dropna().unique())
            raise ValueError(
                f"indicator {indicator!r} is not in the table; expected one of {known}"
            )
    if area is not None:
        if "area" not in frame.columns or not (frame["area"] == area).any():
            raise ValueError(f"area {area!r} has no rows for {name}")
        frame = frame[frame["area"] == area]
    needed = ["period", "value"] + (["denominator"] if chart != "xmr" else [])
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise ValueError(
            f"spc with chart={chart!r} needs the columns {needed}; {name} lacks {missing}"
        )
    periods = frame["period"].astype(str)
    bad = ~periods.str.fullmatch(r"\d{4}-(0[1-9]|1[0-2])")
    if bad.any():
        raise ValueError(
            f"{name}: period {periods[bad].iloc[0]!r} is not a month; expected YYYY-MM"
        )
    frame = frame.assign(period=periods)
    if chart == "xmr":
        grouped = frame.groupby("period", sort=True)["value"].mean()  # over areas
        out = pd.DataFrame({"period": grouped.index, "value": grouped.to_numpy(dtype=float)})
    else:
        sums = frame.groupby("period", sort=True)[["value", "denominator"]].sum(min_count=1)
        if (sums["denominator"] <= 0).any() or (sums["value"] < 0).any():
            period = sums.index[(sums["denominator"] <= 0) | (sums["value"] < 0)][0]
            raise ValueError(
                f"{name}, period {period}: a {chart} chart needs a count >= 0 and a "
                f"denominator > 0; got {sums.loc[period, 'value']!r} and "
                f"{sums.loc[period, 'denominator']!r}"
            )
        if chart == "p" and (sums["value"] > sums["denominator"]).any():
            period = sums.index[sums["value"] > sums["denominator"]][0]
            raise ValueError(
                f"{name}, period {period}: a p chart counts a share, so the count "
                f"({sums.loc[period, 'value']!r}) cannot exceed the denominator "
                f"({sums.loc[period, 'denominator']!r})"
            )
        out = pd.DataFrame(
            {
                "period": sums.index,
                "count": sums["value"].to_numpy(dtype=float),
                "denominator": sums["denominator"].to_numpy(dtype=float),
            }
        )
        out["value"] = out["count"] / out["denominator"]
    return out.reset_index(drop=True), name


def _phase_index(periods: pd.Series, phases: Sequence[Phase], name: str) -> np.ndarray:
    """Phase number (1, 2, ...) of every period; checks the phase starts."""
    index = np.ones(len(periods), dtype=int)
    first, last = periods.iloc[0], periods.iloc[-1]
    previous = first
    for k, phase in enumerate(phases, start=2):
        if not isinstance(phase, Phase):
            raise TypeError(
                f"The 'phases' parameter of spc must hold Phase(start, reason) items. "
                f"Got {phase!r} instead."
            )
        if not str(phase.reason).strip():
            raise ValueError(f"phase {k} (from {phase.start}) needs a reason for the new limits")
        if not (first < phase.start <= last):
            raise ValueError(
                f"phase {k} starts in {phase.start}, outside {name}'s months after its "
                f"first: {first} to {last}"
            )
        if phase.start <= previous and k > 2:
            raise ValueError(
                f"phase {k} starts in {phase.start}, not after phase {k - 1} ({previous}); "
                f"expected the phases in date order"
            )
        index[(periods >= phase.start).to_numpy()] = k
        previous = phase.start
    return index


def _limits(values: np.ndarray, chart: str, base: np.ndarray, parts: dict):
    """Centre and sigma of every point of a phase from its baseline points ``base``."""
    n = len(values)
    if chart == "xmr":
        b = values[base]
        b = b[~np.isnan(b)]
        centre = float(b.mean())
        sigma = float(np.abs(np.diff(b)).mean() / D2)
        if sigma < 1e-12 * max(1.0, abs(centre)):
            sigma = 0.0
        return np.full(n, centre), np.full(n, sigma)
    count, denominator = parts["count"], parts["denominator"]
    bar = float(count[base].sum() / denominator[base].sum())
    if chart == "p":
        spread = np.sqrt(bar * (1 - bar) / denominator)
    else:
        spread = np.sqrt(bar / denominator)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (values[base] - bar) / spread[base]
    z = z[np.isfinite(z)]
    sigma_z = float(np.abs(np.diff(z)).mean() / D2) if len(z) > 1 else math.nan
    return np.full(n, bar), spread * sigma_z


def _mdc(z: np.ndarray, y: np.ndarray, shift: int, trend: int) -> dict[str, np.ndarray]:
    """Per rule of Making Data Count: the side (+1, -1) of every flagged point, else 0."""
    n = len(z)
    side = np.sign(np.nan_to_num(z, nan=0.0))
    out = {
        name: np.zeros(n, dtype=int) for name in ("astronomical", "two_in_three", "shift", "trend")
    }
    out["astronomical"] = np.where(np.abs(z) > 3, side, 0).astype(int)
    beyond2 = np.abs(np.nan_to_num(z)) > 2
    for t in range(n - 2):
        window = slice(t, t + 3)
        s = side[window]
        if abs(s.sum()) == 3 and beyond2[window].sum() >= 2:
            flagged = np.arange(t, t + 3)[beyond2[window]]
            out["two_in_three"][flagged] = int(s[0])
    for t in range(n - shift + 1):
        s = side[t : t + shift]
        if s[0] != 0 and np.all(s == s[0]):
            out["shift"][t : t + shift] = int(s[0])
    steps = np.sign(np.diff(y))
    for t in range(n - trend + 1):
        d = steps[t : t + trend - 1]
        if not np.isnan(d).any() and d[0] != 0 and np.all(d == d[0]):
            out["trend"][t : t + trend] = int(d[0])
    return out


def _anhoej(y: np.ndarray, centre: float) -> tuple[dict[str, np.ndarray], dict]:
    """Anhøj's rules on one phase: the flagged points and the runs analysis."""
    n = len(y)
    result = runs_analysis(y, centre=centre)
    out = {"long_run": np.zeros(n, dtype=int), "few_crossings": np.zeros(n, dtype=int)}
    if result["n_useful"] == 0:
        return out, result
    useful = np.flatnonzero(~np.isnan(y) & (np.sign(y - centre) != 0))
    sides = np.sign(y[useful] - centre)
    lengths = _run_lengths(sides)
    if result["longest_run"] > result["longest_run_max"]:
        ends = np.cumsum(lengths)
        for run, end in zip(lengths, ends, strict=True):
            if run > result["longest_run_max"]:
                members = useful[end - run : end]
                out["long_run"][members[0] : members[-1] + 1] = int(sides[end - 1])
    if result["crossings"] < result["crossings_min"]:
        out["few_crossings"][:] = 2  # flagged, without a side
    return out, result


def _western(z: np.ndarray) -> dict[str, np.ndarray]:
    """Per Western Electric rule: the side (+1, -1) of every flagged point, else 0.

    ``z`` is in units of sigma from the centre (infinite beyond every limit);
    a flagged point is the last of its pattern, under the lowest rule number
    that flags it.
    """
    n = len(z)
    out = {f"we{k}": np.zeros(n, dtype=int) for k in (1, 2, 3, 4)}
    z = np.where(np.isnan(z), np.nan, np.nan_to_num(z, nan=0.0, posinf=np.inf, neginf=-np.inf))
    for t in range(n):
        if np.isnan(z[t]):
            continue
        side = 1 if z[t] > 0 else -1
        found = None
        if abs(z[t]) > 3:
            found = 1
        elif t >= 2 and abs(z[t]) > 2 and np.sum(z[t - 2 : t + 1] * side > 2) >= 2:
            found = 2
        if found is None and t >= 4 and abs(z[t]) > 1:
            if np.sum(z[t - 4 : t + 1] * side > 1) >= 4:
                found = 3
        if found is None and t >= 7 and z[t] != 0 and np.all(z[t - 7 : t + 1] * side > 0):
            found = 4
        if found is not None:
            out[f"we{found}"][t] = side
    return out


def _direction(side: int, direction: str | None) -> str:
    if side == 2 or direction is None:
        return "neutral"
    up = side > 0
    return "improvement" if up == (direction == "increase") else "concern"


def _assurance(target, direction, lower: float, upper: float) -> str | None:
    if target is None:
        return None
    if math.isnan(lower) or math.isnan(upper):
        return "insufficient_data"
    if target > upper:
        return "consistent_fail" if direction == "increase" else "consistent_pass"
    if target < lower:
        return "consistent_pass" if direction == "increase" else "consistent_fail"
    return "inconsistent"


def spc(
    data: pd.DataFrame,
    *,
    indicator: str | None = None,
    area: str | None = None,
    chart: str = "xmr",
    rules: str = "mdc",
    baseline: int = SPC_BASELINE,
    min_points: int = MIN_POINTS,
    phases: Sequence[Phase] = (),
    target: float | None = None,
    direction: str | None = None,
    shift: int = 7,
    trend: int = 7,
) -> pd.DataFrame:
    """A control chart of one monthly series, read with a named rule set.

    Parameters
    ----------
    data : DataFrame
        ``period`` (YYYY-MM) and ``value``; for a ``p`` or ``u`` chart also
        ``denominator`` (``value`` is then the count). The canonical
        ``indicators`` table works as it is: pass ``indicator``; several areas
        in a month are averaged (``xmr``) or their counts summed (``p``,
        ``u``), unless ``area`` picks one.
    indicator : str, optional
        Keep the rows of this ``indicator_id``.
    area : str, optional
        Keep the rows of this area.
    chart : {"xmr", "p", "u"}
    rules : {"mdc", "anhoej", "western_electric"}
    baseline : int
        Points of a phase its limits are frozen from (default 12).
    min_points : int
        Fewest points of a phase with trial limits (default 8); below it no
        limits and no signals.
    phases : sequence of Phase
        Months from which the limits are computed anew, each with its reason.
    target : float, optional
        The value the network aims for; needs ``direction``.
    direction : {"increase", "decrease"}, optional
        Which way is better (the value definition's ``direction``).
    shift, trend : int
        Points in a shift and in a trend (Making Data Count: 7 each).

    Returns
    -------
    DataFrame
        One row per month: ``period``, ``value`` (the charted statistic: the
        value, or the share or rate for ``p``/``u``, with ``count`` and
        ``denominator``), ``phase`` (1, 2, ...), ``phase_start``,
        ``phase_reason``, ``centre``, ``lower``, ``upper`` (NaN where there are
        no limits, or outside a share's or rate's range), ``limits``
        (``frozen``, ``trial``, ``none``), ``rules``, ``signals`` (the rule
        codes of the signals the point is part of, ``"; "``-separated, empty
        when none), ``direction`` (``improvement``, ``concern``, ``neutral``,
        empty without signal), ``target`` and ``assurance`` (per phase). With
        ``rules="anhoej"`` also the phase's runs analysis: ``longest_run``,
        ``longest_run_max``, ``crossings``, ``crossings_min``.

    Raises
    ------
    ValueError
        For an unknown chart or rule set, a rule length below 2, a phase that
        starts outside the series, a target without a direction, or a table
        without the columns the chart needs.

    Examples
    --------
    A p′ chart of a monthly share with varying denominators (a hand check
    of Laney's limits is in tests/test_spc.py):

    >>> import pandas as pd
    >>> months = pd.period_range("2024-01", periods=12, freq="M").astype(str)
    >>> shares = pd.DataFrame({"period": months, "value": [30, 33, 28, 35, 31, 29,
    ...     34, 30, 32, 27, 33, 31], "denominator": [100, 110, 95, 120, 100, 98,
    ...     115, 101, 105, 90, 112, 104]})
    >>> table = spc(shares, chart="p", direction="increase", target=0.4)
    >>> round(float(table["centre"].iloc[0]), 4)  # 373 of 1250
    0.2984
    >>> table["assurance"].iloc[-1]  # the target 0.4 lies above every limit
    'consistent_fail'
    >>> spc(shares, chart="p", target=0.4)
    Traceback (most recent call last):
    ...
    ValueError: a target (0.4) needs the indicator's direction (increase or decrease) to say whether it is met
    """
    _check_choices(chart, rules, direction, target)
    shift, trend = _check_length("shift", shift), _check_length("trend", trend)
    baseline = _check_length("baseline", baseline)
    min_points = _check_length("min_points", min_points)
    if min_points > baseline:
        raise ValueError(
            f"min_points ({min_points}) cannot exceed baseline ({baseline}): trial limits "
            f"are for phases shorter than the baseline"
        )
    series, name = _series(data, indicator, area, chart)
    series = series.dropna(subset=["value"]).reset_index(drop=True)
    if series.empty:
        raise ValueError(f"{name} has no values to chart")
    phase_of = _phase_index(series["period"], list(phases), name)
    chart_state = _Chart.empty(len(series), rules)
    for k in np.unique(phase_of):
        rows = np.flatnonzero(phase_of == k)
        if len(rows) >= min_points:
            chart_state.read_phase(series, rows, chart, rules, baseline, shift, trend)
    return _chart_table(
        series, chart_state, phase_of, phases, chart, rules, target, direction, indicator
    )


def _check_choices(chart: str, rules: str, direction: str | None, target) -> None:
    """The named choices of :func:`spc`, and a target only with a direction."""
    if chart not in CHARTS:
        raise ValueError(
            f"The 'chart' parameter of spc must be one of {', '.join(CHARTS)}. "
            f"Got {chart!r} instead."
        )
    if rules not in RULE_SETS:
        raise ValueError(
            f"The 'rules' parameter of spc must be one of {', '.join(RULE_SETS)}. "
            f"Got {rules!r} instead."
        )
    if direction not in (None, "increase", "decrease"):
        raise ValueError(
            f"The 'direction' parameter of spc must be 'increase', 'decrease' or None. "
            f"Got {direction!r} instead."
        )
    if target is not None and direction is None:
        raise ValueError(
            f"a target ({target!r}) needs the indicator's direction (increase or decrease) "
            f"to say whether it is met"
        )


@dataclass
class _Chart:
    """Per point of a series: centre, sigma, limits status, rule flags, runs analysis."""

    centre: np.ndarray
    sigma: np.ndarray
    status: np.ndarray
    flags: dict[str, np.ndarray]
    runs: dict[str, np.ndarray]

    @classmethod
    def empty(cls, n: int, rules: str) -> _Chart:
        runs = {}
        if rules == "anhoej":
            keys = ("longest_run", "longest_run_max", "crossings", "crossings_min")
            runs = {k: np.full(n, np.nan) for k in keys}
        return cls(
            np.full(n, np.nan),
            np.full(n, np.nan),
            np.full(n, "none", dtype=object),
            {code: np.zeros(n, dtype=int) for code in _SIGNAL_ORDER},
            runs,
        )

    def read_phase(self, series, rows, chart, rules, baseline, shift, trend) -> None:
        """Limits of one phase from its baseline, and the signals of its points."""
        y = series["value"].to_numpy(dtype=float)[rows]
        frozen = len(rows) >= baseline
        base = np.arange(baseline if frozen else len(rows))
        self.status[rows] = "frozen" if frozen else "trial"
        if rules == "anhoej":
            median = float(np.median(y[base]))
            self.centre[rows] = median
            found, result = _anhoej(y, median)
            for key in self.runs:
                self.runs[key][rows] = np.nan if result[key] is None else result[key]
        else:
            parts = {
                c: series[c].to_numpy(dtype=float)[rows]
                for c in ("count", "denominator")
                if c in series
            }
            c, s = _limits(y, chart, base, parts)
            self.centre[rows], self.sigma[rows] = c, s
            # in units of sigma; without spread, any real departure is beyond every limit
            departs = np.abs(y - c) > 1e-9 * np.maximum(1.0, np.abs(c))
            with np.errstate(invalid="ignore", divide="ignore"):
                z = np.where(s > 0, (y - c) / s, np.where(departs, np.sign(y - c) * np.inf, 0.0))
            found = _mdc(z, y, shift, trend) if rules == "mdc" else _western(z)
        for code, sides in found.items():
            self.flags[code][rows] = sides


def _chart_table(series, state, phase_of, phases, chart, rules, target, direction, indicator):
    """The output table of :func:`spc`: limits in range, signals, directions, assurance."""
    centre, sigma = state.centre, state.sigma
    lower, upper = centre - 3 * sigma, centre + 3 * sigma
    if chart in ("p", "u"):
        lower = np.where(lower < 0, np.nan, lower)
    if chart == "p":
        upper = np.where(upper > 1, np.nan, upper)
    signals, directions = [], []
    for t in range(len(series)):
        codes = [code for code in _SIGNAL_ORDER if state.flags[code][t] != 0]
        signals.append("; ".join(codes))
        sided = {
            _direction(state.flags[code][t], direction)
            for code in codes
            if state.flags[code][t] != 2
        }
        directions.append("" if not codes else sided.pop() if len(sided) == 1 else "neutral")
    starts = {1: series["period"].iloc[0], **{k: p.start for k, p in enumerate(phases, start=2)}}
    reasons = {1: "", **{k: p.reason for k, p in enumerate(phases, start=2)}}
    out = series.assign(
        phase=phase_of,
        phase_start=[starts[k] for k in phase_of],
        phase_reason=[reasons[k] for k in phase_of],
        centre=centre,
        lower=lower,
        upper=upper,
        limits=state.status,
        rules=rules,
        signals=signals,
        direction=directions,
        **state.runs,
    )
    ends = out.groupby("phase").tail(1)
    verdicts = {
        k: _assurance(
            target,
            direction,
            math.nan if rules == "anhoej" else float(centre[row] - 3 * sigma[row]),
            math.nan if rules == "anhoej" else float(centre[row] + 3 * sigma[row]),
        )  # a run chart has no limits to judge a target by
        for k, row in zip(ends["phase"], ends.index, strict=True)
    }
    out["target"] = np.nan if target is None else float(target)
    out["assurance"] = [verdicts[k] for k in phase_of] if target is not None else None
    if indicator is not None:
        out.insert(0, "indicator_id", indicator)
    return out


_RULE_NAMES = {
    "mdc": ("Making Data Count", "Making Data Count"),
    "anhoej": ("runs-analyse (Anhøj)", "runs analysis (Anhøj)"),
    "western_electric": ("Western Electric-regels", "Western Electric rules"),
}
_PLOT_WORDS = {
    "nl": {
        "centre": "centrumlijn",
        "median": "mediaan",
        "limits": "controlegrenzen",
        "trial": "voorlopige grenzen",
        "target": "doel",
        "improvement": "signaal: verbetering",
        "concern": "signaal: zorg",
        "neutral": "signaal",
        "rules": "regels",
        "phase": "fase",
        "no_limits": "te weinig punten voor grenzen",
        "charts": "Regelkaarten van de indicatoren",
    },
    "en": {
        "centre": "centre line",
        "median": "median",
        "limits": "control limits",
        "trial": "trial limits",
        "target": "target",
        "improvement": "signal: improvement",
        "concern": "signal: concern",
        "neutral": "signal",
        "rules": "rules",
        "phase": "phase",
        "no_limits": "too few points for limits",
        "charts": "Control charts of the indicators",
    },
}
#: Colours of the signal directions (Okabe-Ito: blue, orange, reddish purple).
DIRECTION_COLOURS = {"improvement": "#0072B2", "concern": "#D55E00", "neutral": "#CC79A7"}


TARGET_COLOUR = "#009E73"


def _legend_handles(table: pd.DataFrame, language: str) -> list:
    """Legend entries for what a chart of ``table`` shows, in ``language``."""
    from matplotlib.lines import Line2D

    words = _PLOT_WORDS[language]
    limits = set(table["limits"])
    rules = str(table["rules"].iloc[0]) if len(table) else "mdc"
    grey = {"color": "#444444", "linewidth": 0.8}
    handles = []
    if limits - {"none"}:
        centre = words["median"] if rules == "anhoej" else words["centre"]
        handles.append(Line2D([], [], linestyle="--", label=centre, **grey))
    if rules != "anhoej":
        if "frozen" in limits:
            handles.append(Line2D([], [], linestyle="-", label=words["limits"], **grey))
        if "trial" in limits:
            handles.append(Line2D([], [], linestyle=":", label=words["trial"], **grey))
    for name, colour_ in DIRECTION_COLOURS.items():
        if (table["direction"] == name).any():
            handles.append(
                Line2D([], [], marker="o", linestyle="", color=colour_, label=words[name])
            )
    if "target" in table and table["target"].notna().any():
        handles.append(Line2D([], [], color=TARGET_COLOUR, label=words["target"]))
    return handles


def plot_spc(
    table: pd.DataFrame,
    ax=None,
    *,
    title: str | None = None,
    language: str = "nl",
    legend: bool = True,
    max_ticks: int = 8,
):
    """The control chart of :func:`spc`: values, centre, limits, phases, signals, target.

    Values are a grey line with points; each phase has its own centre line
    (dashed; the median for ``anhoej``) and limits (solid, dotted when trial),
    and a new phase is marked by a vertical line with its reason. Points in a
    signal are coloured by its direction (:data:`DIRECTION_COLOURS`), the
    target is a green line, and the x-axis label names the rule set. Every text is in ``language``; numbers on the axes in its format.

    Parameters
    ----------
    table : DataFrame
        From :func:`spc`.
    ax : matplotlib Axes, optional
        Drawn into (given the house style); a new figure when omitted.
    title : str, optional
        The chart's title (the indicator's label); the indicator id by default.
    language : {"nl", "en"}
    legend : bool
        Draw the legend inside the axes (:func:`plot_indicator_spc` draws one
        for all panels instead).
    max_ticks : int
        Most months labelled on the x-axis.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> values = [10, 12, 11, 13, 10, 12, 11, 12, 10, 13, 11, 12] + [14] * 8
    >>> months = pd.period_range("2024-01", periods=20, freq="M").astype(str)
    >>> table = spc(pd.DataFrame({"period": months, "value": values}),
    ...             direction="increase", phases=[Phase("2025-01", "nieuwe aanpak")])
    >>> ax = plot_spc(table, title="Bewonersinitiatieven", language="en")
    >>> ax.get_title(), [t.get_text() for t in ax.texts], ax.get_xlabel()
    ('Bewonersinitiatieven', ['phase 2: nieuwe aanpak'], 'rules: Making Data Count')
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['centre line', 'control limits', 'trial limits']
    >>> plt.close("all")
    """
    import datetime as dt

    from ..figures import check_language, house_style, legend_inside, new_figure, style_axes
    from ..formatting import format_date, localise_ticks

    check_language(language)
    words = _PLOT_WORDS[language]
    if ax is None:
        _, ax = new_figure("full")
    else:
        style_axes(ax)
    x = np.arange(len(table))
    y = table["value"].to_numpy(dtype=float)
    rules = str(table["rules"].iloc[0]) if len(table) else "mdc"
    with house_style():
        ax.plot(x, y, color="#888888", linewidth=1, marker="o", markersize=3, zorder=2)
        for _, rows in table.groupby("phase", sort=True):
            idx = rows.index.to_numpy()
            xs = x[idx]
            limits = rows["limits"].iloc[0]
            if limits == "none":
                continue
            ax.plot(xs, rows["centre"], color="#444444", linestyle="--", linewidth=0.8)
            dotted = limits == "trial"
            for column in ("lower", "upper"):
                ax.plot(
                    xs,
                    rows[column],
                    color="#444444",
                    linestyle=":" if dotted else "-",
                    linewidth=0.8,
                    drawstyle="steps-mid",
                )
        for k, rows in table.groupby("phase", sort=True):
            if k == 1:
                continue
            start = x[rows.index[0]] - 0.5
            ax.axvline(start, color="#999999", linewidth=0.8)
            ax.text(
                start + 0.2,
                0.98,
                f"{words['phase']} {k}: {rows['phase_reason'].iloc[0]}",
                transform=ax.get_xaxis_transform(),
                va="top",
                fontsize=6,
                color="#555555",
            )
        for name, colour_ in DIRECTION_COLOURS.items():
            mask = (table["direction"] == name).to_numpy()
            if mask.any():
                ax.scatter(x[mask], y[mask], color=colour_, s=14, zorder=3)
        target = table["target"].dropna() if "target" in table else pd.Series(dtype=float)
        if len(target):
            ax.axhline(float(target.iloc[0]), color=TARGET_COLOUR, linewidth=1)
        note = f"{words['rules']}: {_RULE_NAMES[rules][language == 'en']}"
        if (table["limits"] == "none").all():
            note += f" — {words['no_limits']}"
        ax.set_xlabel(note, fontsize=6, color="#555555")
        step = max(1, math.ceil(len(x) / max_ticks))
        months = [
            format_date(dt.date.fromisoformat(f"{period}-01"), language, "MMM yyyy")
            for period in table["period"].iloc[::step]
        ]
        ax.set_xticks(x[::step], months, rotation=0)
        ax.set_title(
            title
            if title is not None
            else str(table["indicator_id"].iloc[0])
            if "indicator_id" in table and len(table)
            else ""
        )
        handles = _legend_handles(table, language)
        if handles and legend:
            legend_inside(ax, handles)
    localise_ticks(ax, language)
    return ax


def _with_denominator(rows: pd.DataFrame, indicators: pd.DataFrame, spec) -> pd.DataFrame:
    """The count rows of a p or u indicator with the denominator of each month and area."""
    base = indicators.loc[
        indicators["indicator_id"] == spec.denominator, ["period", "area", "value"]
    ].rename(columns={"value": "denominator"})
    merged = rows.merge(base, on=["period", "area"], how="left", validate="one_to_one")
    missing = merged[merged["denominator"].isna()]
    if len(missing):
        first = missing.iloc[0]
        raise ValueError(
            f"indicator {spec.id!r} (a {spec.chart} chart): {len(missing)} month(s) and "
            f"area(s) have no denominator {spec.denominator!r} in the indicators table, "
            f"first {first['period']} in {first['area']!r}"
        )
    return merged


def indicator_spc(indicators: pd.DataFrame, config) -> pd.DataFrame:
    """The control chart of every indicator of the value definition, read as the config says.

    Each indicator gets :func:`spc` with its own ``direction``, ``target``
    and ``chart`` and the network's ``heartbeat`` settings (rule set, shift
    and trend lengths, baseline, trial minimum, and the phases that apply to
    it). An indicator with ``chart: p`` or ``u`` holds counts; its
    ``denominator`` indicator holds the number at risk or the exposure of the
    same month and area, and the counts and denominators of the areas are
    summed per month. For ``xmr`` the areas in a month are averaged.

    Parameters
    ----------
    indicators : DataFrame
        The canonical ``indicators`` table.
    config : NetworkConfig

    Returns
    -------
    DataFrame
        The :func:`spc` tables of the indicators (in the value definition's
        order) one below the other, with ``indicator_id``. Indicators without
        rows are left out.

    Raises
    ------
    ValueError
        If a p or u indicator has a month and area without its denominator
        (``netwerkonderzoek validate`` reports it before a run).

    Examples
    --------
    >>> import pandas as pd
    >>> from netwerkonderzoek.config import NetworkConfig
    >>> config = NetworkConfig.model_validate({"network_id": "x", "name": "X",
    ...     "mission": "m", "task": "t", "study": {"start": "2024-01", "end": "2025-12",
    ...     "waves": [{"wave": 1, "date": "2024-06-01"}]},
    ...     "indicators": [{"id": "a", "label_nl": "A", "label_en": "A", "unit": "n",
    ...                     "perspective": "societal", "form": "direct",
    ...                     "direction": "decrease", "target": 5.0}],
    ...     "heartbeat": {"phases": [{"start": "2025-01", "reason": "nieuw beleid"}]}})
    >>> months = pd.period_range("2024-01", periods=24, freq="M").astype(str)
    >>> rows = pd.DataFrame({"indicator_id": "a", "area": "z", "period": months,
    ...                      "value": [10.0, 12.0] * 6 + [6.0, 7.0] * 6})
    >>> table = indicator_spc(rows, config)
    >>> table.groupby("phase")["centre"].first().tolist()
    [11.0, 6.5]
    >>> table.groupby("phase")["assurance"].first().tolist()
    ['consistent_fail', 'inconsistent']
    """
    settings = config.heartbeat
    frames = []
    for spec in config.indicators:
        rows = indicators[indicators["indicator_id"] == spec.id]
        if rows.empty:
            continue
        if spec.chart != "xmr":
            rows = _with_denominator(rows, indicators, spec)
        phases = [
            Phase(p.start, p.reason)
            for p in settings.phases
            if p.indicators is None or spec.id in p.indicators
        ]
        frames.append(
            spc(
                rows,
                indicator=spec.id,
                chart=spec.chart,
                rules=settings.rules,
                baseline=settings.baseline,
                min_points=settings.min_points,
                phases=phases,
                target=spec.target,
                direction=spec.direction,
                shift=settings.shift,
                trend=settings.trend,
            )
        )
    if not frames:
        return pd.DataFrame(columns=["indicator_id", "period", "value", "signals", "direction"])
    return pd.concat(frames, ignore_index=True)


_SUMMARY_WORDS = {
    "nl": {
        "indicator": "Indicator",
        "limits": "Grenzen",
        "signals": "Maanden met een signaal",
        "last": "Laatste signaal",
        "assurance": "Doel",
        "frozen": "vast",
        "trial": "voorlopig",
        "none": "geen (te weinig punten)",
        "improvement": "verbetering",
        "concern": "zorg",
        "neutral": "neutraal",
        "consistent_pass": "wordt steeds gehaald",
        "consistent_fail": "wordt steeds gemist",
        "inconsistent": "nu eens wel, dan weer niet",
        "insufficient_data": "te weinig gegevens",
        "no_target": "geen doel",
        "phase": "fase",
    },
    "en": {
        "indicator": "Indicator",
        "limits": "Limits",
        "signals": "Months with a signal",
        "last": "Latest signal",
        "assurance": "Target",
        "frozen": "frozen",
        "trial": "trial",
        "none": "none (too few points)",
        "improvement": "improvement",
        "concern": "concern",
        "neutral": "neutral",
        "consistent_pass": "consistently met",
        "consistent_fail": "consistently missed",
        "inconsistent": "sometimes met, sometimes not",
        "insufficient_data": "insufficient data",
        "no_target": "no target",
        "phase": "phase",
    },
}
_SIGNAL_WORDS = {
    "astronomical": ("buiten de grenzen", "beyond a limit"),
    "two_in_three": ("2 van 3 voorbij 2 sigma", "2 of 3 beyond 2 sigma"),
    "shift": ("verschuiving", "shift"),
    "trend": ("trend", "trend"),
    "long_run": ("lange reeks aan één kant", "long run on one side"),
    "few_crossings": ("te weinig kruisingen", "too few crossings"),
    "we1": ("regel 1", "rule 1"),
    "we2": ("regel 2", "rule 2"),
    "we3": ("regel 3", "rule 3"),
    "we4": ("regel 4", "rule 4"),
}


def signal_label(code: str, language: str = "nl") -> str:
    """The readable name of a signal code of :func:`spc` (``shift``: *verschuiving*).

    Raises
    ------
    KeyError
        If ``code`` is not a signal of any rule set (the known codes are named).

    Examples
    --------
    >>> signal_label("two_in_three"), signal_label("long_run", "en")
    ('2 van 3 voorbij 2 sigma', 'long run on one side')
    """
    from ..figures import check_language

    check_language(language)
    if code not in _SIGNAL_WORDS:
        raise KeyError(f"unknown signal {code!r}; known: {', '.join(_SIGNAL_ORDER)}")
    return _SIGNAL_WORDS[code][language == "en"]


def spc_summary(table: pd.DataFrame, config, *, language: str = "nl") -> pd.DataFrame:
    """Per indicator, what its control chart says now: limits, signals, target.

    Read from the last phase of each indicator: the kind of limits, the
    number of months in a signal, the latest signal (month, rules and
    direction) and the assurance against the target. Headers and text are
    in ``language`` (a table for :func:`netwerkonderzoek.story.present` with
    ``labelled=True``).

    Examples
    --------
    >>> import pandas as pd
    >>> from netwerkonderzoek.config import NetworkConfig
    >>> config = NetworkConfig.model_validate({"network_id": "x", "name": "X",
    ...     "mission": "m", "task": "t", "study": {"start": "2024-01", "end": "2025-12",
    ...     "waves": [{"wave": 1, "date": "2024-06-01"}]},
    ...     "indicators": [{"id": "a", "label_nl": "Meldingen", "label_en": "Reports",
    ...                     "unit": "n", "perspective": "societal", "form": "direct",
    ...                     "direction": "decrease"}]})
    >>> months = pd.period_range("2024-01", periods=19, freq="M").astype(str)
    >>> rows = pd.DataFrame({"indicator_id": "a", "area": "z", "period": months,
    ...     "value": [10, 12, 11, 13, 10, 12, 11, 12, 10, 13, 11, 12] + [9] * 7})
    >>> spc_summary(indicator_spc(rows, config), config, language="en").iloc[0].astype(str).tolist()
    ['Reports', 'frozen', '7', 'Jul 2025: shift (improvement)', 'no target']
    """
    import datetime as dt

    from ..figures import check_language
    from ..formatting import format_date

    check_language(language)
    words = _SUMMARY_WORDS[language]
    labels = {spec.id: getattr(spec, f"label_{language}") for spec in config.indicators}
    rows = []
    for indicator, chart in table.groupby("indicator_id", sort=False):
        last = chart[chart["phase"] == chart["phase"].max()]
        flagged = last[last["signals"] != ""]
        latest = ""
        if len(flagged):
            point = flagged.iloc[-1]
            codes = ", ".join(
                _SIGNAL_WORDS[c][language == "en"] for c in str(point["signals"]).split("; ")
            )
            month = format_date(
                dt.date.fromisoformat(f"{point['period']}-01"), language, "MMM yyyy"
            )
            latest = f"{month}: {codes} ({words[point['direction']]})"
        assurance = last["assurance"].iloc[-1] if "assurance" in last else None
        rows.append(
            {
                words["indicator"]: labels.get(indicator, indicator),
                words["limits"]: words[str(last["limits"].iloc[-1])],
                words["signals"]: len(flagged),
                words["last"]: latest,
                words["assurance"]: words[assurance] if assurance else words["no_target"],
            }
        )
    return pd.DataFrame(
        rows, columns=[words[k] for k in ("indicator", "limits", "signals", "last", "assurance")]
    )


def spc_rules_text(settings=None, *, language: str = "nl") -> str:
    """One paragraph that explains how the control charts are read, in ``language``.

    Parameters
    ----------
    settings : HeartbeatSettings, optional
        The network's ``heartbeat`` settings; the defaults when omitted.
    language : {"nl", "en"}

    Examples
    --------
    >>> print(spc_rules_text(language="en")[:120])
    Each indicator's control chart is read with the rules of Making Data Count (NHS England): a signal is a month beyond a c
    """
    from ..config import HeartbeatSettings
    from ..figures import check_language

    check_language(language)
    s = settings or HeartbeatSettings()
    if language == "nl":
        rules = {
            "mdc": (
                "met de regels van Making Data Count (NHS England): een signaal is een maand "
                "buiten een controlegrens, twee van drie maanden op rij voorbij twee sigma aan "
                f"dezelfde kant, {s.shift} maanden op rij aan één kant van de centrumlijn "
                f"(verschuiving) of {s.trend} maanden op rij die steeds stijgen of dalen (trend)"
            ),
            "anhoej": (
                "met de runs-analyse van Anhøj rond de mediaan, zonder sigma-grenzen: een "
                "signaal is een ongewoon lange reeks maanden aan één kant van de mediaan, of "
                "ongewoon weinig kruisingen van de mediaan"
            ),
            "western_electric": (
                "met de regels van Western Electric: een maand buiten een grens, twee van drie "
                "voorbij twee sigma, vier van vijf voorbij één sigma, of acht op rij aan één kant"
            ),
        }[s.rules]
        return (
            f"Elke indicator staat op een regelkaart en wordt gelezen {rules}. De grenzen "
            f"komen uit de eerste {s.baseline} maanden van een fase en liggen daarna vast; "
            f"een fase met minder maanden (vanaf {s.min_points}) heeft voorlopige grenzen, "
            "met nog minder zijn er geen grenzen en geen signalen. Een nieuwe fase begint "
            "alleen op een maand die het netwerk vooraf noemt, met een reden (nieuw beleid, "
            "een nieuwe werkwijze). Een signaal is een verbetering of een zorg volgens de "
            "richting die de waardedefinitie voor de indicator verwacht. Meerdere regels "
            "samen geven ook bij een stabiel proces geregeld een signaal: het is een reden "
            "om te kijken, geen oordeel."
        )
    rules = {
        "mdc": (
            "with the rules of Making Data Count (NHS England): a signal is a month beyond a "
            "control limit, two of three months in a row beyond two sigma on the same side, "
            f"{s.shift} months in a row on one side of the centre line (a shift) or {s.trend} "
            "months in a row each rising or each falling (a trend)"
        ),
        "anhoej": (
            "with Anhøj's runs analysis around the median, without sigma limits: a signal is "
            "an unusually long run of months on one side of the median, or unusually few "
            "crossings of it"
        ),
        "western_electric": (
            "with the Western Electric rules: a month beyond a limit, two of three beyond two "
            "sigma, four of five beyond one sigma, or eight in a row on one side"
        ),
    }[s.rules]
    return (
        f"Each indicator's control chart is read {rules}. The limits come from the first "
        f"{s.baseline} months of a phase and are frozen after that; a phase with fewer "
        f"months (from {s.min_points}) has trial limits, with fewer still there are no limits "
        "and no signals. A new phase starts only at a month the network names beforehand, "
        "with a reason (a new policy, a new way of working). A signal is an improvement or a "
        "concern by the direction the value definition expects of the indicator. Several "
        "rules together also flag a stable process now and then: a signal is a reason to "
        "look, not a verdict."
    )


def plot_indicator_spc(table: pd.DataFrame, config, *, language: str = "nl", ncols: int = 2):
    """The control charts of :func:`indicator_spc`, one panel per indicator.

    Returns
    -------
    matplotlib.figure.Figure
        One axes per indicator (titled with its label in ``language``), in
        the value definition's order; panels beyond the last are switched off.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> from netwerkonderzoek.config import NetworkConfig
    >>> config = NetworkConfig.model_validate({"network_id": "x", "name": "X",
    ...     "mission": "m", "task": "t", "study": {"start": "2024-01", "end": "2025-12",
    ...     "waves": [{"wave": 1, "date": "2024-06-01"}]},
    ...     "indicators": [{"id": i, "label_nl": i.upper(), "label_en": i.upper(),
    ...                     "unit": "n", "perspective": "societal", "form": "direct",
    ...                     "direction": "decrease"} for i in ("a", "b", "c")]})
    >>> months = pd.period_range("2024-01", periods=12, freq="M").astype(str)
    >>> rows = pd.concat([pd.DataFrame({"indicator_id": i, "area": "z", "period": months,
    ...     "value": [10.0, 12.0] * 6}) for i in ("a", "b", "c")])
    >>> fig = plot_indicator_spc(indicator_spc(rows, config), config)
    >>> [(ax.get_title(), ax.axison) for ax in fig.axes], fig.get_suptitle()
    ([('A', True), ('B', True), ('C', True), ('', False)], 'Regelkaarten van de indicatoren')
    >>> [t.get_text() for t in fig.legends[0].get_texts()]
    ['centrumlijn', 'controlegrenzen']
    >>> plt.close("all")
    """
    from ..figures import check_language, new_figure

    check_language(language)
    labels = {spec.id: getattr(spec, f"label_{language}") for spec in config.indicators}
    ids = list(dict.fromkeys(table["indicator_id"])) if len(table) else []
    nrows = max(1, math.ceil(len(ids) / ncols))
    fig, axes = new_figure(
        "full-tall" if nrows > 2 else "full",
        nrows=nrows,
        ncols=ncols,
        squeeze=False,
        layout="constrained",
    )
    for index, ax in enumerate(axes.flat):
        if index >= len(ids):
            ax.set_axis_off()
            continue
        chart = table[table["indicator_id"] == ids[index]].reset_index(drop=True)
        plot_spc(
            chart,
            ax=ax,
            title=labels.get(ids[index], ids[index]),
            language=language,
            legend=False,
            max_ticks=4,
        )
    handles = _legend_handles(table, language) if len(table) else []
    if handles:  # one legend for every panel, below them (its own row of the layout)
        fig.legend(
            handles=handles, loc="outside lower center", ncols=min(len(handles), 4), fontsize=7
        )
    fig.suptitle(_PLOT_WORDS[language]["charts"])
    return fig
