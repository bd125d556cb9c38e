"""The network's heartbeat (hartslag): a compact panel of health indicators with control limits.

Per survey wave (or per month) the panel holds:

==================  =====================================================  ==========
indicator           definition                                             periods
==================  =====================================================  ==========
``participation``   share of the partners on the roster that put in        wave, month
                    hours in the period (contributions table)
``density``         density of the combined tie graph, m / (n (n-1))       wave
``trust``           mean PARTNER trust over the rated ties (1–4)           wave
``value``           mean PARTNER value over the rated ties (1–4)           wave
``hours``           hours contributed by all partners, per month           wave, month
``meeting_load``    meeting hours per partner on the roster, per month     wave, month
==================  =====================================================  ==========

A wave's period runs from the month after the previous wave's fieldwork month
up to and including its own (the first wave: from the first contribution).

**Control limits** come from the network's own history, as an XmR
(individuals and moving range) chart (Wheeler & Chambers 1992; Montgomery
2009, §6.4): over the ``baseline`` periods (default: the first half, at least
:data:`MIN_BASELINE`) the centre line is the mean :math:`\\bar x`, the spread
:math:`\\hat\\sigma = \\overline{MR} / d_2` with :math:`d_2 = 1.128` and
:math:`\\overline{MR}` the mean absolute difference of consecutive baseline
values, and the limits are :math:`\\bar x \\pm 3 \\hat\\sigma`
(:math:`= \\bar x \\pm 2.66\\,\\overline{MR}`). Every period is checked
against the Western Electric rules (Western Electric 1956):

1. one value beyond a control limit (3σ);
2. two of three consecutive values more than 2σ from the centre, on the same side;
3. four of five consecutive values more than 1σ from the centre, on the same side;
4. eight consecutive values on the same side of the centre line.

**No limits from too few points.** :math:`\\hat\\sigma` from a short
baseline is itself very uncertain (the average moving range of *b* values has
only about :math:`0.62 (b - 1)` degrees of freedom, Wheeler 1995), so limits
from the first two of four waves say little and flag at random. Following
Provost & Murray (2011, ch. 5), limits need at least :data:`MIN_BASELINE` (12)
baseline values, and limits from fewer than :data:`FULL_BASELINE` (20) are
*trial* limits, to be recomputed as periods come in. Below 12 (every wave
series of the example networks: 4 to 6 waves) the panel has no limits and no
signals; the ``limits`` column says ``none`` and ``note`` why, and
:func:`plot_heartbeat` shows the values with the change from the previous
period instead. Density and participation are counts over the whole roster,
not samples, so a wave's value has no sampling interval to draw; the trust
and value means come from ratings clustered by rater, for which an interval
that treats ties as independent would be too narrow, so none is drawn.

**Natural range.** Where an indicator has one (:data:`INDICATOR_RANGES`: a
share or a density lies in [0, 1], a PARTNER mean in [1, 4], hours are not
negative), a limit outside it is not drawn: it is NaN and the ``note`` says
so (a value can never cross it).

A flagged period gets a readable ``signal`` ("vertrouwen daalde onder de
controlegrens in meting 3"), with the timeline events since the
previous period (all of them, oldest first) when ``events`` are given. When the baseline values do not
vary (σ = 0) the limits coincide with the centre line; the ``note`` column
says so.

References
----------
Western Electric Company (1956). *Statistical Quality Control Handbook*.
Indianapolis: Western Electric Co.

Wheeler, D. J., & Chambers, D. S. (1992). *Understanding Statistical Process
Control* (2nd ed.). Knoxville: SPC Press.

Montgomery, D. C. (2009). *Introduction to Statistical Quality Control*
(6th ed.). Wiley. ISBN 978-0-470-16992-6.

Provost, L. P., & Murray, S. K. (2011). *The Health Care Data Guide:
Learning from Data for Improvement*. Jossey-Bass.

Wheeler, D. J. (1995). *Advanced Topics in Statistical Process Control*.
Knoxville: SPC Press.

Examples
--------
>>> from netwerkonderzoek.heartbeat import xmr_limits
>>> values = [3.0, 3.2, 3.1, 3.0] * 3  # mean 3.075, mean moving range 1.2 / 11
>>> [round(x, 4) for x in xmr_limits(values, baseline=12)]
[3.075, 2.7849, 3.3651, 0.0967]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from ..formatting import localise_ticks
from ..network.graphs import NetworkDataError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "D2",
    "FULL_BASELINE",
    "HEARTBEAT_INDICATORS",
    "INDICATOR_RANGES",
    "MIN_BASELINE",
    "heartbeat",
    "heartbeat_indicators",
    "heartbeat_signals",
    "plot_heartbeat",
    "signal_summary",
    "western_electric",
    "xmr_limits",
]

D2 = 1.128  # bias correction of the moving range of two values (Montgomery 2009, App. VI)
HEARTBEAT_INDICATORS = ("participation", "density", "trust", "value", "hours", "meeting_load")

#: Fewest baseline values control limits are computed from (Provost & Murray 2011, ch. 5).
MIN_BASELINE = 12
#: Limits from fewer baseline values than this are trial limits (Provost & Murray 2011, ch. 5).
FULL_BASELINE = 20
#: The values an indicator can take: (lowest, highest).
INDICATOR_RANGES: dict[str, tuple[float, float]] = {
    "participation": (0.0, 1.0),
    "density": (0.0, 1.0),
    "trust": (1.0, 4.0),
    "value": (1.0, 4.0),
    "hours": (0.0, float("inf")),
    "meeting_load": (0.0, float("inf")),
}


def xmr_limits(values: Sequence[float], baseline: int) -> tuple[float, float, float, float]:
    """Centre line, lower and upper control limit and sigma of an XmR chart.

    .. math::

        \\bar x = \\frac1b \\sum_{t \\le b} x_t, \\quad
        \\hat\\sigma = \\frac{1}{d_2 (b - 1)} \\sum_{2 \\le t \\le b} |x_t - x_{t-1}|, \\quad
        \\text{limits} = \\bar x \\pm 3 \\hat\\sigma

    over the first ``baseline`` values (missing values skipped).

    Raises
    ------
    NetworkDataError
        If the baseline holds fewer than :data:`MIN_BASELINE` (12) values:
        limits from fewer are too uncertain to use (see the module notes).

    Examples
    --------
    Twelve values alternating 10 and 12: by hand, centre 11, every moving
    range 2, so sigma = 2 / 1.128 = 1.773 and the limits are 11 ± 5.319.

    >>> [round(v, 4) for v in xmr_limits([10, 12] * 6, baseline=12)]
    [11.0, 5.6809, 16.3191, 1.773]
    >>> xmr_limits([10, 12] * 3, baseline=6)
    Traceback (most recent call last):
    ...
    netwerkonderzoek.network.graphs.NetworkDataError: control limits need at least 12 baseline values (Provost & Murray 2011); got 6 (baseline of 6 periods)
    """
    import numpy as np

    base = np.asarray(values[:baseline], dtype=float)
    base = base[~np.isnan(base)]
    if len(base) < MIN_BASELINE:
        raise NetworkDataError(
            f"control limits need at least {MIN_BASELINE} baseline values "
            f"(Provost & Murray 2011); got {len(base)} (baseline of {baseline} periods)"
        )
    centre = float(base.mean())
    sigma = float(np.abs(np.diff(base)).mean() / D2)
    if sigma < 1e-12 * max(1.0, abs(centre)):
        sigma = 0.0
    return centre, centre - 3 * sigma, centre + 3 * sigma, sigma


def western_electric(
    values: Sequence[float], centre: float, sigma: float, rules: Iterable[int] = (1, 2, 3, 4)
) -> list[tuple[int, int, int]]:
    """Periods that break a Western Electric rule.

    Returns
    -------
    list of (index, rule, side)
        One entry per flagged period (the last period of the run), the lowest
        rule number that flags it, and ``side`` -1 (below) or +1 (above).

    Examples
    --------
    >>> western_electric([0, 0.1, -0.1, 0.2, -4], centre=0, sigma=1)
    [(4, 1, -1)]
    >>> western_electric([0.5] * 8, centre=0, sigma=1)  # eight on one side (and 4 of 5 beyond 1σ? no)
    [(7, 4, 1)]
    >>> western_electric([0, 2.5, 0, 2.5], centre=0, sigma=1)  # 2 of 3 beyond 2σ
    [(3, 2, 1)]
    """
    import numpy as np

    x = np.asarray(values, dtype=float)
    rules = set(rules)
    unknown = rules - {1, 2, 3, 4}
    if unknown:
        raise ValueError(
            f"The 'rules' parameter of western_electric must hold rule numbers 1-4. Got {sorted(unknown)} instead."
        )
    with np.errstate(invalid="ignore", divide="ignore"):
        if sigma > 0:
            z = (x - centre) / sigma
        else:  # no spread: any real departure from the centre is beyond every limit
            departs = np.abs(x - centre) > 1e-9 * max(1.0, abs(centre))
            z = np.where(departs, np.sign(x - centre) * np.inf, 0.0)
    z = np.where(np.isnan(x), np.nan, np.nan_to_num(z, nan=0.0, posinf=np.inf, neginf=-np.inf))
    flagged = []
    for t in range(len(x)):
        if np.isnan(z[t]):
            continue
        side = 1 if z[t] > 0 else -1
        found = None
        if 1 in rules and abs(z[t]) > 3:
            found = 1
        elif 2 in rules and t >= 2 and abs(z[t]) > 2:
            window = z[t - 2 : t + 1]
            if np.sum(window * side > 2) >= 2:
                found = 2
        if found is None and 3 in rules and t >= 4 and abs(z[t]) > 1:
            window = z[t - 4 : t + 1]
            if np.sum(window * side > 1) >= 4:
                found = 3
        if found is None and 4 in rules and t >= 7 and z[t] != 0:
            window = z[t - 7 : t + 1]
            if np.all(window * side > 0):
                found = 4
        if found is not None:
            flagged.append((t, found, side))
    return flagged


def _months(periods: pd.Series):
    import pandas as pd

    return pd.PeriodIndex(periods.astype(str), freq="M")


def heartbeat_indicators(
    data,
    wave_dates: dict | None = None,
    *,
    by: str = "wave",
    meeting_activities: Iterable[str] | None = None,
) -> pd.DataFrame:
    """The heartbeat indicators per period, tidy: ``period``, ``indicator``, ``value``.

    Parameters
    ----------
    data : NetworkData
        A loaded network (needs ``partners``, ``ties``, ``contributions``).
    wave_dates : dict
        Fieldwork date per wave (``config.wave_dates``); required for
        ``by="wave"``.
    by : {"wave", "month"}
        Periods: survey waves (all six indicators) or months (participation,
        hours and meeting load).
    meeting_activities : iterable of str, optional
        Activities that are meetings (default: names containing one of
        :data:`~netwerkonderzoek.network.MEETING_WORDS`).

    Examples
    --------
    Wave 2 (fieldwork in March) covers February and March: a, b and c all put
    in hours (participation 1), 11 hours in two months (5.5 a month), of
    which 5 in meetings (5 / 3 partners / 2 months); two ties of the six
    possible (a → b kept, c → a new), so density 2 / 6.

    >>> from types import SimpleNamespace
    >>> import pandas as pd
    >>> partners = pd.DataFrame({"partner_id": ["a", "b", "c"], "kind": ["care"] * 3,
    ...                          "joined": ["2020-01-01"] * 3, "left": [None] * 3})
    >>> ties = pd.DataFrame({"wave": [1, 1, 2, 2], "source": ["a", "b", "a", "c"],
    ...     "target": ["b", "c", "b", "a"], "tie_type": ["information"] * 4, "weight": [1.0] * 4,
    ...     "reliability": [4, 2, 3, 3]})
    >>> contributions = pd.DataFrame({"partner_id": ["a", "b", "a", "b", "c"],
    ...     "period": ["2023-01", "2023-01", "2023-02", "2023-03", "2023-03"],
    ...     "activity": ["overleg", "uitvoering", "overleg", "uitvoering", "overleg"],
    ...     "hours": [4.0, 8.0, 2.0, 6.0, 3.0]})
    >>> data = SimpleNamespace(partners=partners, ties=ties, contributions=contributions)
    >>> table = heartbeat_indicators(data, {1: "2023-01-15", 2: "2023-03-15"})
    >>> table[table["period"] == 2].round(4)
        period      indicator   value
    1        2  participation  1.0000
    3        2        density  0.3333
    5        2          trust  3.0000
    7        2          value     NaN
    9        2          hours  5.5000
    11       2   meeting_load  0.8333
    """
    import pandas as pd

    from ..network.graphs import active_partners, build_graph, network_waves, wave_months
    from ..network.load import meeting_mask
    from ..network.measures import mean_rating
    from ..vocabulary import TRUST_RATINGS, VALUE_RATINGS

    if by not in ("wave", "month"):
        raise ValueError(
            f"The 'by' parameter of heartbeat must be 'wave' or 'month'. Got {by!r} instead."
        )
    contributions = data.contributions.copy()
    contributions["month"] = _months(contributions["period"])
    contributions["meeting"] = meeting_mask(contributions, meeting_activities)
    rows = []

    def add(period, indicator, value):
        rows.append({"period": period, "indicator": indicator, "value": float(value)})

    def effort(period, months, date):
        roster = set(active_partners(data.partners, date)["partner_id"])
        if not roster:
            raise NetworkDataError(f"period {period}: no partner is on the roster on {date}")
        part = contributions[contributions["month"].isin(months)]
        active = set(part.loc[part["hours"] > 0, "partner_id"]) & roster
        add(period, "participation", len(active) / len(roster))
        add(period, "hours", part["hours"].sum() / max(len(months), 1))
        meeting = part.loc[part["meeting"], "hours"].sum()
        add(period, "meeting_load", meeting / len(roster) / max(len(months), 1))

    if by == "month":
        if contributions.empty:
            raise NetworkDataError("the contributions table is empty: no month to report")
        span = pd.period_range(
            contributions["month"].min(), contributions["month"].max(), freq="M"
        )
        for month in span:
            effort(str(month), [month], month.end_time.normalize())
        return pd.DataFrame(rows)

    if not wave_dates:
        raise ValueError("The 'wave_dates' parameter of heartbeat is required when by='wave'.")
    waves = network_waves(data.ties, wave_dates)
    first = contributions["month"].min() if not contributions.empty else None
    covered = wave_months({wave: wave_dates[wave] for wave in waves}, first)
    for wave in waves:
        date = pd.Timestamp(wave_dates[wave])
        effort(wave, covered[wave], date)
        G = build_graph(data.ties, data.partners, wave, date=date)
        n = G.number_of_nodes()
        add(wave, "density", G.number_of_edges() / (n * (n - 1)) if n > 1 else float("nan"))
        in_wave = data.ties[data.ties["wave"] == wave]
        add(wave, "trust", mean_rating(in_wave, TRUST_RATINGS))
        add(wave, "value", mean_rating(in_wave, VALUE_RATINGS))
    order = {name: i for i, name in enumerate(HEARTBEAT_INDICATORS)}
    table = pd.DataFrame(rows)
    table["_order"] = table["indicator"].map(order)
    return (
        table.sort_values(["_order", "period"], kind="mergesort")
        .drop(columns="_order")
        .reset_index(drop=True)
    )


def _period_text(period, by: str, language: str) -> str:
    if by == "wave":
        return f"{'meting' if language == 'nl' else 'wave'} {period}"
    return str(period)


_TEXT = {
    ("nl", 1, -1): "{ind} daalde onder de controlegrens in {p}",
    ("nl", 1, 1): "{ind} steeg boven de controlegrens in {p}",
    ("nl", 2, -1): "{ind} lag in 2 van 3 perioden ver (meer dan 2σ) onder het gemiddelde, t/m {p}",
    ("nl", 2, 1): "{ind} lag in 2 van 3 perioden ver (meer dan 2σ) boven het gemiddelde, t/m {p}",
    ("nl", 3, -1): "{ind} lag in 4 van 5 perioden (meer dan 1σ) onder het gemiddelde, t/m {p}",
    ("nl", 3, 1): "{ind} lag in 4 van 5 perioden (meer dan 1σ) boven het gemiddelde, t/m {p}",
    ("nl", 4, -1): "{ind} lag 8 perioden op rij onder het gemiddelde, t/m {p}",
    ("nl", 4, 1): "{ind} lag 8 perioden op rij boven het gemiddelde, t/m {p}",
    ("en", 1, -1): "{ind} fell below the control limit in {p}",
    ("en", 1, 1): "{ind} rose above the control limit in {p}",
    ("en", 2, -1): "{ind} was far (over 2σ) below the mean in 2 of 3 periods, up to {p}",
    ("en", 2, 1): "{ind} was far (over 2σ) above the mean in 2 of 3 periods, up to {p}",
    ("en", 3, -1): "{ind} was below the mean (over 1σ) in 4 of 5 periods, up to {p}",
    ("en", 3, 1): "{ind} was above the mean (over 1σ) in 4 of 5 periods, up to {p}",
    ("en", 4, -1): "{ind} was below the mean for 8 periods in a row, up to {p}",
    ("en", 4, 1): "{ind} was above the mean for 8 periods in a row, up to {p}",
}


def _period_dates(periods, by, wave_dates):
    import pandas as pd

    if by == "wave":
        return [pd.Timestamp(wave_dates[p]) for p in periods]
    return [pd.Period(p, freq="M").end_time.normalize() for p in periods]


def _period_word(by: str, count: int) -> str:
    if by == "wave":
        return "wave" if count == 1 else "waves"
    return "month" if count == 1 else "months"


def _limits_note(known: int, periods: int, base: int, by: str) -> tuple[str, str]:
    """``limits`` status (none, trial, full) and the note that explains it."""
    if known < MIN_BASELINE:
        if periods < MIN_BASELINE:
            why = f"{periods} {_period_word(by, periods)}"
        else:
            why = f"{known} known values in a baseline of {base} {_period_word(by, base)}"
        return "none", (
            f"{why}, fewer than the {MIN_BASELINE} baseline values control limits need "
            "(Provost & Murray 2011): no control limits and no signals; see the change "
            "from the previous period"
        )
    if known < FULL_BASELINE:
        return "trial", (
            f"trial limits from {known} baseline values (fewer than {FULL_BASELINE}, "
            "Provost & Murray 2011): recompute them as periods come in"
        )
    return "full", ""


def _in_range(indicator: str, lower: float, upper: float) -> tuple[float, float, list[str]]:
    """The limits with those outside the indicator's natural range set to NaN, and why."""
    lowest, highest = INDICATOR_RANGES.get(indicator, (-float("inf"), float("inf")))
    notes = []
    if lower < lowest:
        notes.append(
            f"lower limit {lower:.3g} lies below {lowest:g}, the lowest possible "
            f"{indicator}: no lower limit"
        )
        lower = float("nan")
    if upper > highest:
        notes.append(
            f"upper limit {upper:.3g} lies above {highest:g}, the highest possible "
            f"{indicator}: no upper limit"
        )
        upper = float("nan")
    return lower, upper, notes


def heartbeat(
    data,
    wave_dates: dict | None = None,
    *,
    by: str = "wave",
    baseline: int | None = None,
    rules: Iterable[int] = (1, 2, 3, 4),
    language: str = "nl",
    events: pd.DataFrame | None = None,
    meeting_activities: Iterable[str] | None = None,
) -> pd.DataFrame:
    """The heartbeat panel: indicators per period with XmR control limits and signals.

    Control limits need at least :data:`MIN_BASELINE` (12) known baseline
    values; below that an indicator has none (and no signals), and its
    ``note`` says why. Limits from fewer than :data:`FULL_BASELINE` (20) are
    trial limits. A limit outside the indicator's natural range
    (:data:`INDICATOR_RANGES`) is NaN. See the module notes for the reasons.

    Parameters
    ----------
    data : NetworkData
        A loaded network.
    wave_dates : dict
        Fieldwork date per wave (``config.wave_dates``).
    by : {"wave", "month"}
        Periods of the panel (see :func:`heartbeat_indicators`).
    baseline : int, optional
        Number of first periods the limits are computed from, from
        :data:`MIN_BASELINE` to the number of periods; default the first half,
        at least :data:`MIN_BASELINE` (all periods when there are fewer than
        twice that).
    rules : iterable of int
        Western Electric rules to apply (1–4).
    language : {"nl", "en"}
        Language of the signal texts.
    events : DataFrame, optional
        Timeline (``date``, ``title``); a signal names the events since the
        previous period.

    Returns
    -------
    DataFrame
        ``period``, ``indicator``, ``value``, ``centre``, ``lower``, ``upper``
        (NaN without limits, or where a limit lies outside the natural
        range), ``limits`` (``none``, ``trial`` or ``full``), ``change`` (from
        the previous period), ``baseline`` (bool: period used for the
        limits), ``rule`` (0 when no rule is broken), ``signal`` (text, empty
        when none) and ``note`` (why limits are missing, trial or cut off).

    Raises
    ------
    NetworkDataError
        For an empty roster, wave or contributions table.
    ValueError
        If ``baseline`` is given but is not from :data:`MIN_BASELINE` to the
        number of periods.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> import pandas as pd
    >>> partners = pd.DataFrame({"partner_id": ["a", "b", "c"], "kind": ["care"] * 3,
    ...     "joined": ["2020-01-01"] * 3, "left": [None] * 3})
    >>> ties = pd.DataFrame({"wave": [1, 2, 3, 4] * 2, "source": ["a"] * 4 + ["b"] * 4,
    ...     "target": ["b"] * 4 + ["c"] * 4, "tie_type": ["information"] * 8, "weight": [1.0] * 8,
    ...     "reliability": [4, 4, 4, 1, 4, 3, 4, 1], "mission_support": [3] * 8,
    ...     "open_discussion": [3] * 8})
    >>> contributions = pd.DataFrame({"partner_id": ["a", "b", "c"] * 4,
    ...     "period": [f"2023-0{m}" for m in (1, 2, 3, 4) for _ in range(3)],
    ...     "activity": ["overleg", "uitvoering", "overleg"] * 4,
    ...     "hours": [4.0, 8.0, 2.0, 5.0, 7.0, 3.0, 4.0, 8.0, 2.5, 4.5, 7.5, 2.5]})
    >>> data = SimpleNamespace(partners=partners, ties=ties, contributions=contributions)
    >>> dates = {1: "2023-01-15", 2: "2023-02-15", 3: "2023-03-15", 4: "2023-04-15"}
    >>> panel = heartbeat(data, dates)
    >>> trust = panel[panel["indicator"] == "trust"].reset_index(drop=True)
    >>> trust[["period", "value", "change", "lower", "limits"]].round(3)
       period  value  change  lower limits
    0       1  3.333     NaN    NaN   none
    1       2  3.167  -0.167    NaN   none
    2       3  3.333   0.167    NaN   none
    3       4  2.333  -1.000    NaN   none
    >>> trust["note"].iloc[0]
    '4 waves, fewer than the 12 baseline values control limits need (Provost & Murray 2011): no control limits and no signals; see the change from the previous period'
    >>> heartbeat_signals(panel)  # four waves: no limits, so no signals
    []
    """
    import numpy as np
    import pandas as pd

    from ..figures import check_language, label

    check_language(language)
    table = heartbeat_indicators(data, wave_dates, by=by, meeting_activities=meeting_activities)
    frames = []
    for indicator, group in table.groupby("indicator", sort=False):
        group = group.reset_index(drop=True)
        n = len(group)
        if baseline is None:
            base = min(max(MIN_BASELINE, n // 2), n)
        else:
            base = int(baseline)
            if not MIN_BASELINE <= base <= n:
                allowed = (
                    f"from {MIN_BASELINE} to {n} (the number of periods)"
                    if n >= MIN_BASELINE
                    else f"at least {MIN_BASELINE}, more than the {n} periods there are"
                )
                raise ValueError(
                    f"The 'baseline' parameter of heartbeat must be {allowed}: control limits "
                    f"need at least {MIN_BASELINE} baseline values (Provost & Murray 2011). "
                    f"Got {baseline!r} instead."
                )
        group["change"] = group["value"].diff()
        group["rule"] = 0
        group["signal"] = ""
        known = int(group["value"].iloc[:base].notna().sum())
        status, note = _limits_note(known, n, base, by)
        group["limits"] = status
        if status == "none":
            group["baseline"] = False
            group["centre"] = group["lower"] = group["upper"] = np.nan
            group["note"] = note
            frames.append(group)
            continue
        group["baseline"] = np.arange(n) < base
        centre, lower, upper, sigma = xmr_limits(group["value"].tolist(), base)
        lower, upper, cut = _in_range(indicator, lower, upper)
        group["centre"], group["lower"], group["upper"] = centre, lower, upper
        notes = [note] if note else []
        if sigma == 0:
            notes.append("baseline values do not vary (σ = 0): limits equal the centre line")
        group["note"] = "; ".join(notes + cut)
        dates = _period_dates(group["period"].tolist(), by, wave_dates)
        for t, rule, side in western_electric(group["value"].tolist(), centre, sigma, rules):
            text = _TEXT[(language, rule, side)].format(
                ind=label(indicator, language).lower(),
                p=_period_text(group.at[t, "period"], by, language),
            )
            if events is not None and len(events):
                since = dates[t - 1] if t > 0 else pd.Timestamp.min
                when = pd.to_datetime(events["date"])
                recent = events[(when > since) & (when <= dates[t])]
                if len(recent):
                    recent = recent.assign(_d=pd.to_datetime(recent["date"])).sort_values("_d")
                    word = "na" if language == "nl" else "after"
                    listed = "; ".join(
                        f"{title}, {day.date()}"
                        for title, day in zip(recent["title"], recent["_d"], strict=True)
                    )
                    text += f" ({word}: {listed})"
            group.at[t, "rule"] = rule
            group.at[t, "signal"] = text
        frames.append(group)
    columns = [
        "period",
        "indicator",
        "value",
        "centre",
        "lower",
        "upper",
        "limits",
        "change",
        "baseline",
        "rule",
        "signal",
        "note",
    ]
    return pd.concat(frames, ignore_index=True)[columns]


def heartbeat_signals(panel: pd.DataFrame) -> list[str]:
    """The signal texts of a heartbeat panel, in panel order (empty list when calm).

    Examples
    --------
    Fourteen months; a's hours alternate 10 and 12 and then drop to 2. The
    monthly total over the twelve baseline months has centre 15 and trial
    limits 15 ± 3 · 2 / 1.128 = [9.68, 20.32]; the last month (6 hours)
    falls below.

    >>> from types import SimpleNamespace
    >>> import pandas as pd
    >>> partners = pd.DataFrame({"partner_id": ["a", "b"], "kind": ["care"] * 2,
    ...                          "joined": ["2020-01-01"] * 2, "left": [None] * 2})
    >>> months = [str(m) for m in pd.period_range("2022-01", "2023-02", freq="M")]
    >>> contributions = pd.DataFrame({"partner_id": ["a"] * 14 + ["b"] * 14, "period": months * 2,
    ...     "activity": ["uitvoering"] * 28, "hours": [10.0, 12.0] * 6 + [11.0, 2.0] + [4.0] * 14})
    >>> data = SimpleNamespace(partners=partners, contributions=contributions)
    >>> heartbeat_signals(heartbeat(data, by="month", language="en"))
    ['hours fell below the control limit in 2023-02']
    """
    return [s for s in panel["signal"].tolist() if s]


_SUMMARY_TEXT = {
    "nl": {
        "wave": "Per meting",
        "month": "Per maand",
        "none": "te weinig punten voor controlegrenzen (minstens {minimum} nodig), dus of "
        "er signalen zijn is niet te zeggen.",
        "calm": "geen signalen: alle waarden liggen binnen de controlegrenzen{trial}.",
        "trial": " (voorlopige grenzen)",
        "some": "{n} {signals}{trial}:",
        "signal": ("signaal", "signalen"),
        "part": " Voor {names} zijn er te weinig punten voor controlegrenzen.",
    },
    "en": {
        "wave": "Per wave",
        "month": "Per month",
        "none": "too few points for control limits (at least {minimum} needed), so whether "
        "there are signals cannot be told.",
        "calm": "no signals: every value lies within the control limits{trial}.",
        "trial": " (trial limits)",
        "some": "{n} {signals}{trial}:",
        "signal": ("signal", "signals"),
        "part": " For {names} there are too few points for control limits.",
    },
}


def signal_summary(panel: pd.DataFrame, by: str = "wave", *, language: str = "nl") -> str:
    """What the heartbeat's signals say, in one honest paragraph.

    "No signals" is only said where there are control limits to be outside
    of: a series too short for limits cannot show a signal, and the text
    says so instead of reporting calm (issue 18: "Geen signalen" printed
    above three signals of the monthly series).

    Parameters
    ----------
    panel : DataFrame
        From :func:`heartbeat` (``limits`` and ``signal`` columns).
    by : {"wave", "month"}
        The series' period, named at the start of the text.
    language : {"nl", "en"}

    Returns
    -------
    str
        One line, followed by one ``- signal`` line per signal.

    Examples
    --------
    >>> import pandas as pd
    >>> panel = pd.DataFrame({"indicator": ["trust"] * 2, "limits": ["none"] * 2,
    ...                       "signal": ["", ""]})
    >>> signal_summary(panel)
    'Per meting: te weinig punten voor controlegrenzen (minstens 12 nodig), dus of er signalen zijn is niet te zeggen.'
    """
    from ..figures import check_language, label

    check_language(language)
    if by not in ("wave", "month"):
        raise ValueError(
            f"The 'by' parameter of signal_summary must be 'wave' or 'month'. Got {by!r} instead."
        )
    text = _SUMMARY_TEXT[language]
    head = text[by] + ": "
    limited = panel[panel["limits"] != "none"]
    if limited.empty:
        return head + text["none"].format(minimum=MIN_BASELINE)
    trial = text["trial"] if (limited["limits"] == "trial").all() else ""
    without = sorted(set(panel["indicator"]) - set(limited["indicator"]))
    part = (
        text["part"].format(names=", ".join(label(i, language).lower() for i in without))
        if without
        else ""
    )
    signals = heartbeat_signals(panel)
    if not signals:
        return head + text["calm"].format(trial=trial) + part
    word = text["signal"][0 if len(signals) == 1 else 1]
    lines = [head + text["some"].format(n=len(signals), signals=word, trial=trial) + part]
    return "\n".join(lines + [f"- {s}" for s in signals])


#: Text of the heartbeat figure, by language.
_PLOT_TEXT = {
    "nl": {
        "none": "geen controlegrenzen: {n} {periods}, minstens {minimum} nodig",
        "change": "getal bij een punt: verandering sinds de vorige {period}",
        "trial": "voorlopige controlegrenzen uit {n} punten (minder dan {full})",
        "none_short": "geen controlegrenzen",
        "trial_short": "voorlopige controlegrenzen",
        "wave": ("meting", "metingen"),
        "month": ("maand", "maanden"),
    },
    "en": {
        "none": "no control limits: {n} {periods}, at least {minimum} needed",
        "change": "number at a point: change since the previous {period}",
        "trial": "trial control limits from {n} points (fewer than {full})",
        "none_short": "no control limits",
        "trial_short": "trial control limits",
        "wave": ("wave", "waves"),
        "month": ("month", "months"),
    },
}
_CHANGE_DECIMALS = {"hours": 0, "meeting_load": 1}


def _change_text(change: float, indicator: str, language: str) -> str:
    from ..formatting import format_number

    return format_number(change, _CHANGE_DECIMALS.get(indicator, 2), language, sign=True)


def plot_heartbeat(panel: pd.DataFrame, axes=None, *, language: str = "nl"):
    """Small multiples of the heartbeat: one run chart per indicator with its limits.

    Values are drawn as a line with points. Where the panel has control
    limits, the centre line is dashed and each limit a line (trial limits
    dotted), shaded between them where both exist; a
    limit outside the natural range is not drawn (see :func:`heartbeat`);
    periods with a signal are red, and the baseline periods are marked with
    a grey bar along the bottom. Where it has none (fewer than
    :data:`MIN_BASELINE` baseline values, e.g. four waves) no limit is drawn
    and every point is labelled with its change from the previous period. A
    caption under the figure says why there are no (or only trial) limits
    when all indicators share the reason; otherwise each x-axis label says
    it for its indicator.

    Parameters
    ----------
    panel : DataFrame
        From :func:`heartbeat`.
    axes : array of matplotlib Axes, optional
        One axes per indicator; a new figure when omitted.
    language : {"nl", "en"}

    Returns
    -------
    matplotlib Figure

    Examples
    --------
    The monthly panel of :func:`heartbeat_signals`: three indicators, trial
    limits (12 baseline months) said once under the figure.

    >>> from types import SimpleNamespace
    >>> import pandas as pd
    >>> partners = pd.DataFrame({"partner_id": ["a", "b"], "kind": ["care"] * 2,
    ...                          "joined": ["2020-01-01"] * 2, "left": [None] * 2})
    >>> months = [str(m) for m in pd.period_range("2022-01", "2023-02", freq="M")]
    >>> contributions = pd.DataFrame({"partner_id": ["a"] * 14 + ["b"] * 14, "period": months * 2,
    ...     "activity": ["uitvoering"] * 28, "hours": [10.0, 12.0] * 6 + [11.0, 2.0] + [4.0] * 14})
    >>> data = SimpleNamespace(partners=partners, contributions=contributions)
    >>> fig = plot_heartbeat(heartbeat(data, by="month", language="en"), language="en")
    >>> [ax.get_title() for ax in fig.axes[:3]], fig.get_suptitle()
    (['Participation', 'Hours', 'Meeting load'], 'Heartbeat of the network')
    >>> fig.get_supxlabel()
    'trial control limits from 12 points (fewer than 20)'
    """
    import math

    import matplotlib.pyplot as plt
    import numpy as np

    from ..figures import check_language, house_style, label

    check_language(language)
    words = _PLOT_TEXT[language]
    indicators = list(dict.fromkeys(panel["indicator"]))
    if axes is None:
        ncols = 3 if len(indicators) > 4 else 2 if len(indicators) > 1 else 1
        nrows = math.ceil(len(indicators) / ncols)
        with house_style():
            fig, grid = plt.subplots(nrows, ncols, figsize=(6.7, 1.9 * nrows + 0.5), squeeze=False)
        axes = grid.ravel()
    else:
        axes = np.ravel(axes)
        fig = axes[0].figure
    if len(axes) < len(indicators):
        raise ValueError(
            f"The 'axes' parameter of plot_heartbeat needs {len(indicators)} axes. Got {len(axes)} instead."
        )
    notes: dict[str, tuple[str, str]] = {}  # indicator -> (status, full text)
    for ax, indicator in zip(axes, indicators, strict=False):
        rows = panel[panel["indicator"] == indicator]
        x = np.arange(len(rows))
        status = rows["limits"].iloc[0] if "limits" in rows and len(rows) else "full"
        values = rows["value"].to_numpy(dtype=float)
        ax.plot(x, values, marker="o", markersize=3, color="#333333", linewidth=1)
        if status == "none":
            by = "month" if isinstance(rows["period"].iloc[0], str) else "wave"
            n = int(np.isfinite(values).sum())  # the known values
            lines = [words["none"].format(n=n, periods=words[by][n != 1], minimum=MIN_BASELINE)]
            change = (
                rows["change"].to_numpy(dtype=float)
                if "change" in rows
                else np.diff(values, prepend=np.nan)
            )
            if len(rows) <= 2 * MIN_BASELINE:
                lines.append(words["change"].format(period=words[by][0]))
                for xi, yi, ci in zip(x, values, change, strict=True):
                    text = _change_text(ci, indicator, language) if ci == ci else ""
                    if yi == yi and text.strip("+-0,.") != "":  # unchanged: no label
                        ax.annotate(
                            text,
                            (xi, yi),
                            textcoords="offset points",
                            xytext=(0, 5),
                            ha="center",
                            fontsize=6,
                            color="#0072B2",
                        )
            ax.margins(y=0.2)
            notes[indicator] = ("none", "; ".join(lines))
        else:
            lower = rows["lower"].to_numpy(dtype=float)
            upper = rows["upper"].to_numpy(dtype=float)
            style = ":" if status == "trial" else "-"
            if np.isfinite(lower).any() and np.isfinite(upper).any():
                ax.fill_between(x, lower, upper, color="#0072B2", alpha=0.12, linewidth=0)
            for limit in (lower, upper):
                if np.isfinite(limit).any():
                    ax.plot(x, limit, linestyle=style, color="#0072B2", linewidth=0.8)
            ax.plot(x, rows["centre"], linestyle="--", color="#0072B2", linewidth=0.8)
            flagged = rows["signal"].to_numpy() != ""
            ax.plot(x[flagged], values[flagged], "o", color="#D55E00", markersize=5)
            base = rows["baseline"].to_numpy(dtype=bool)
            if base.any():
                ax.axvspan(
                    -0.4, x[base].max() + 0.4, ymax=0.04, color="#999999", alpha=0.6, linewidth=0
                )
            if status == "trial":
                notes[indicator] = (
                    "trial",
                    words["trial"].format(n=int(base.sum()), full=FULL_BASELINE),
                )
        ticks = [str(p) for p in rows["period"]]
        step = max(1, len(ticks) // 8)
        ax.set_xticks(x[::step], ticks[::step])
        ax.set_title(label(indicator, language))
    for ax in axes[len(indicators) :]:
        ax.set_axis_off()
    texts = set(notes.values())
    if len(texts) == 1 and len(notes) == len(indicators):
        # every indicator the same: say it once, under the figure
        fig.supxlabel(texts.pop()[1], fontsize=7, color="#555555")
    else:
        for ax, indicator in zip(axes, indicators, strict=False):
            if indicator in notes:
                status = notes[indicator][0]
                ax.set_xlabel(words[f"{status}_short"], fontsize=6, color="#555555")
    fig.suptitle(label("heartbeat", language))
    fig.set_layout_engine("tight")  # laid out when drawn: once per save_figure
    localise_ticks(fig, language)
    return fig
