"""The network's heartbeat (hartslag): a compact panel of health indicators on control charts.

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

**Control charts.** Every indicator's series is put on a control chart by
:func:`~netwerkonderzoek.heartbeat.spc` and read with the rule set of the
network's ``heartbeat:`` settings (:class:`~netwerkonderzoek.config.HeartbeatSettings`):
``mdc`` (Making Data Count, the default), ``anhoej`` (runs analysis around the
median) or ``western_electric``, with the ``shift`` and ``trend`` lengths the
settings give. The rules, the calibration and the references are in
:mod:`~netwerkonderzoek.heartbeat.spc`; :func:`~netwerkonderzoek.heartbeat.spc_rules_text`
says them in one paragraph for the report. The chart is an XmR chart
(Wheeler & Chambers 1992): the centre line is the mean :math:`\\bar x` of the
first ``baseline`` (12) values of a phase, :math:`\\hat\\sigma = \\overline{MR} / d_2`
with :math:`d_2 = 1.128` and :math:`\\overline{MR}` the mean absolute
difference of consecutive baseline values, and the limits are
:math:`\\bar x \\pm 3 \\hat\\sigma = \\bar x \\pm 2.66\\,\\overline{MR}`, frozen
after the baseline (``anhoej``: the median of the baseline, without sigma
limits).

**No limits from too few points.** A phase with fewer values than
``baseline`` but at least ``min_points`` (8) has *trial* limits from all its
values, recomputed as periods come in (Provost & Murray 2011, ch. 5); with fewer than ``min_points`` it has
no limits and no signals, whatever the rule set (every wave series of the
example networks: 4 to 6 waves). The ``limits`` column says ``frozen``,
``trial`` or ``none`` and ``note`` why; :func:`plot_heartbeat` shows a series
without limits with the change from the previous period. Density and
participation are counts over the whole roster, not samples, so a wave's value
has no sampling interval to draw; the trust and value means come from ratings
clustered by rater, for which an interval that treats ties as independent
would be too narrow, so none is drawn.

**Phases.** Limits are computed anew only from a phase the settings name
(``heartbeat.phases``, each with a reason). A phase applies to a panel
indicator when it names no indicators (then it applies to all) or names that
indicator. It starts at the first period on or after its month (for waves:
the first wave whose fieldwork falls in or after that month); a phase that
would start at or before a series' first value, or after its last, is not
applied to that series, and of two phases that would start at the same
period the later one holds. The ``phase`` and ``phase_reason`` columns say
which phase a period is in.

**Direction** (:data:`INDICATOR_DIRECTIONS`). Participation, density, trust
and value should increase: a signal above the centre line (or a rising
trend) is an ``improvement``, one below a ``concern``. Hours and meeting load
have no direction of their own: more hours can be engagement or a burden, and
more meeting hours can be the coordination a network needs or a load on its
partners; whether they pay off shows in the value ratings. Their signals are
``neutral``; ``directions`` in :func:`heartbeat` sets another reading (for
instance ``{"meeting_load": "decrease"}`` to call a rising meeting load a
concern).

**Natural range.** Where an indicator has one (:data:`INDICATOR_RANGES`: a
share or a density lies in [0, 1], a PARTNER mean in [1, 4], hours are not
negative), a limit outside it is not drawn: it is NaN and the ``note`` says
so (a value can never cross it). When the baseline values do not vary
(σ = 0) the limits coincide with the centre line; the ``note`` says so.

**Signals.** The ``rule`` column holds the rule codes of
:func:`~netwerkonderzoek.heartbeat.spc` that flag a period and ``direction``
the direction of its signal. Every signal (one pattern: a run of periods
flagged by the same rule on the same side) gets one readable sentence in
``signal``, at its last period, naming the rule and the direction
("vertrouwen daalde onder de controlegrens in meting 13 (buiten de grenzen;
zorg)"), with the timeline events from the period before the signal began up
to its first period, oldest first, when ``events`` are given.

References
----------
Anhøj, J., & Olesen, A. V. (2014). Run charts revisited: a simulation study of
run chart rules for detection of non-random variation in health care
processes. *PLoS ONE* 9(11), e113825. https://doi.org/10.1371/journal.pone.0113825

NHS England (2019). *Making Data Count: Getting started*. NHS Improvement.

Western Electric Company (1956). *Statistical Quality Control Handbook*.
Indianapolis: Western Electric Co.

Wheeler, D. J., & Chambers, D. S. (1992). *Understanding Statistical Process
Control* (2nd ed.). Knoxville: SPC Press.

Provost, L. P., & Murray, S. K. (2011). *The Health Care Data Guide:
Learning from Data for Improvement*. Jossey-Bass.

Examples
--------
>>> from netwerkonderzoek.heartbeat import INDICATOR_DIRECTIONS
>>> [name for name, way in INDICATOR_DIRECTIONS.items() if way is None]
['hours', 'meeting_load']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from ..formatting import localise_ticks
from ..network.graphs import NetworkDataError

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pandas as pd

    from ..config import HeartbeatSettings

__all__ = [
    "HEARTBEAT_INDICATORS",
    "INDICATOR_DIRECTIONS",
    "INDICATOR_RANGES",
    "heartbeat",
    "heartbeat_indicators",
    "heartbeat_signals",
    "plot_heartbeat",
    "signal_summary",
]

HEARTBEAT_INDICATORS = ("participation", "density", "trust", "value", "hours", "meeting_load")

#: The values an indicator can take: (lowest, highest).
INDICATOR_RANGES: dict[str, tuple[float, float]] = {
    "participation": (0.0, 1.0),
    "density": (0.0, 1.0),
    "trust": (1.0, 4.0),
    "value": (1.0, 4.0),
    "hours": (0.0, float("inf")),
    "meeting_load": (0.0, float("inf")),
}
#: Which way each indicator should go (:func:`~netwerkonderzoek.heartbeat.spc`'s
#: ``direction``); None: no direction, its signals are neutral (see the module notes).
INDICATOR_DIRECTIONS: dict[str, str | None] = {
    "participation": "increase",
    "density": "increase",
    "trust": "increase",
    "value": "increase",
    "hours": None,
    "meeting_load": None,
}


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


def _period_dates(periods, by, wave_dates):
    import pandas as pd

    if by == "wave":
        return [pd.Timestamp(wave_dates[p]) for p in periods]
    return [pd.Period(p, freq="M").end_time.normalize() for p in periods]


def _period_months(periods, by: str, wave_dates) -> list[str]:
    """The month (YYYY-MM) of every period: a wave's fieldwork month, or the month itself."""
    import pandas as pd

    if by == "wave":
        return [pd.Timestamp(wave_dates[p]).strftime("%Y-%m") for p in periods]
    return [str(p) for p in periods]


def _period_word(by: str, count: int) -> str:
    if by == "wave":
        return "wave" if count == 1 else "waves"
    return "month" if count == 1 else "months"


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


def _settings(settings) -> HeartbeatSettings:
    """The heartbeat settings: the defaults when None, a mapping validated."""
    from ..config import HeartbeatSettings

    if settings is None:
        return HeartbeatSettings()
    if isinstance(settings, HeartbeatSettings):
        return settings
    if isinstance(settings, Mapping):
        return HeartbeatSettings.model_validate(dict(settings))
    raise TypeError(
        "The 'settings' parameter of heartbeat must be HeartbeatSettings (config.heartbeat), "
        f"a mapping or None. Got {type(settings).__name__} instead."
    )


def _directions(directions: Mapping[str, str | None] | None) -> dict[str, str | None]:
    """:data:`INDICATOR_DIRECTIONS` with the caller's changes, checked."""
    ways = dict(INDICATOR_DIRECTIONS)
    for indicator, way in (directions or {}).items():
        if indicator not in ways:
            raise ValueError(
                f"The 'directions' parameter of heartbeat must name panel indicators "
                f"({', '.join(HEARTBEAT_INDICATORS)}). Got {indicator!r} instead."
            )
        if way not in (None, "increase", "decrease"):
            raise ValueError(
                f"The 'directions' parameter of heartbeat must give 'increase', 'decrease' "
                f"or None. Got {way!r} for {indicator!r} instead."
            )
        ways[indicator] = way
    return ways


def _panel_phases(specs, indicator: str, months: list[str], known) -> list[tuple[int, str]]:
    """(first row, reason) of the configured phases that apply to one series."""
    starts: dict[int, str] = {}
    for spec in specs:
        if spec.indicators is not None and indicator not in spec.indicators:
            continue
        row = next((i for i, month in enumerate(months) if month >= spec.start), None)
        if row is None or not (known < row).any() or not (known >= row).any():
            continue  # the series lies wholly before or after the phase's start
        starts[row] = spec.reason  # of two phases from one period, the later holds
    return sorted(starts.items())


def _chart(values: np.ndarray, months: list[str], indicator: str, settings, direction):
    """:func:`~.spc.spc` of one panel series: per period its phase, limits and signals.

    Returns the panel columns, the spc table of the known values and their rows.
    """
    import numpy as np
    import pandas as pd

    from .spc import Phase, spc

    n = len(values)
    known = np.flatnonzero(~np.isnan(values))
    starts = _panel_phases(settings.phases, indicator, months, known)
    phase, reason = np.ones(n, dtype=int), np.full(n, "", dtype=object)
    for k, (row, why) in enumerate(starts, start=2):
        phase[row:], reason[row:] = k, why
    frame = pd.DataFrame(
        {
            "centre": np.nan,
            "lower": np.nan,
            "upper": np.nan,
            "limits": None,
            "baseline": False,
            "rule_set": settings.rules,
            "phase": phase,
            "phase_reason": reason,
            "rule": "",
            "direction": "",
        },
        index=range(n),
    )
    if not len(known):
        frame["limits"] = "none"
        return frame, None, known
    periods = pd.period_range("2000-01", periods=n, freq="M").astype(str)  # spc needs months
    table = spc(
        pd.DataFrame({"period": periods[known], "value": values[known]}),
        rules=settings.rules,
        baseline=settings.baseline,
        min_points=settings.min_points,
        phases=[Phase(periods[row], why) for row, why in starts],
        direction=direction,
        shift=settings.shift,
        trend=settings.trend,
    )
    for column, source in (("rule", "signals"), ("direction", "direction")):
        frame.loc[known, column] = table[source].to_numpy()
    limits = ["centre", "lower", "upper", "limits"]
    frame.loc[known, limits] = table[limits].to_numpy()
    # a period without a value has its phase's limits
    frame[limits] = frame.groupby("phase")[limits].transform(lambda s: s.ffill().bfill())
    frame["limits"] = frame["limits"].fillna("none")
    for k in np.unique(phase):
        mine = known[phase[known] == k]
        status = frame.at[mine[0], "limits"] if len(mine) else "none"
        if status != "none":
            frame.loc[mine[: settings.baseline] if status == "frozen" else mine, "baseline"] = True
    return frame, table, known


def _phase_notes(frame: pd.DataFrame, values, indicator: str, by: str, settings) -> list[str]:
    """Per period the note of its phase; cuts limits outside the natural range (in place)."""
    import numpy as np

    notes = [""] * len(frame)
    several = frame["phase"].nunique() > 1
    for k, rows in frame.groupby("phase").groups.items():
        rows = np.asarray(rows)
        count = int(np.isfinite(values[rows]).sum())
        where = f" in phase {k}" if several else ""
        if count == len(rows):
            what = f"{count} {_period_word(by, count)}{where}"
        else:
            what = f"{count} known values in {len(rows)} {_period_word(by, len(rows))}{where}"
        status = frame.at[rows[0], "limits"]
        parts = []
        if status == "none":
            parts.append(
                f"{what}, fewer than the {settings.min_points} values control limits need "
                "(heartbeat.min_points): no control limits and no signals; see the change "
                "from the previous period"
            )
        elif status == "trial":
            parts.append(
                f"trial limits from {what} (fewer than the baseline of {settings.baseline}): "
                "recomputed as periods come in"
            )
        if status != "none" and settings.rules == "anhoej":
            parts.append("runs analysis around the median (Anhøj): no sigma limits")
        elif status != "none":
            centre, lower, upper = (
                float(frame.at[rows[0], c]) for c in ("centre", "lower", "upper")
            )
            if upper == centre:
                parts.append("baseline values do not vary (σ = 0): limits equal the centre line")
            lower, upper, cut = _in_range(indicator, lower, upper)
            frame.loc[rows, "lower"], frame.loc[rows, "upper"] = lower, upper
            parts.extend(cut)
        for row in rows:
            notes[row] = "; ".join(parts)
    return notes


def heartbeat(
    data,
    wave_dates: dict | None = None,
    *,
    by: str = "wave",
    settings: HeartbeatSettings | Mapping | None = None,
    directions: Mapping[str, str | None] | None = None,
    language: str = "nl",
    events: pd.DataFrame | None = None,
    meeting_activities: Iterable[str] | None = None,
) -> pd.DataFrame:
    """The heartbeat panel: indicators per period on control charts, with their signals.

    Each indicator's series goes through :func:`~netwerkonderzoek.heartbeat.spc`
    with the rule set, shift and trend lengths, baseline, trial minimum and
    phases of ``settings`` (see the module notes), and the indicator's
    direction (:data:`INDICATOR_DIRECTIONS`).

    Parameters
    ----------
    data : NetworkData
        A loaded network.
    wave_dates : dict
        Fieldwork date per wave (``config.wave_dates``).
    by : {"wave", "month"}
        Periods of the panel (see :func:`heartbeat_indicators`).
    settings : HeartbeatSettings or mapping, optional
        The network's ``heartbeat:`` settings (``config.heartbeat``); the
        defaults (``mdc``, shift and trend 7, baseline 12, min_points 8, no
        phases) when omitted. Phases apply as the module notes say.
    directions : mapping, optional
        Changes to :data:`INDICATOR_DIRECTIONS`: indicator to ``"increase"``,
        ``"decrease"`` or None (neutral).
    language : {"nl", "en"}
        Language of the signal texts.
    events : DataFrame, optional
        Timeline (``date``, ``title``); a signal names the events from the
        period before it began up to its first period.
    meeting_activities : iterable of str, optional
        Activities that are meetings (see :func:`heartbeat_indicators`).

    Returns
    -------
    DataFrame
        ``period``, ``indicator``, ``value``, ``centre``, ``lower``, ``upper``
        (NaN without limits, for ``anhoej``, or where a limit lies outside the
        natural range), ``limits`` (``frozen``, ``trial`` or ``none``),
        ``change`` (from the previous period), ``baseline`` (bool: a value the
        limits come from), ``rule_set``, ``phase`` (1, 2, ...),
        ``phase_reason`` (empty in phase 1), ``rule`` (the spc rule codes that
        flag the period, ``"; "``-separated, empty when none), ``direction``
        (``improvement``, ``concern`` or ``neutral``; empty without signal),
        ``signal`` (a sentence at the last period of each signal, empty
        elsewhere) and ``note`` (why limits are missing, trial or cut off).

    Raises
    ------
    NetworkDataError
        For an empty roster, wave or contributions table.
    ValueError
        For an unknown ``by``, or ``directions`` with an unknown indicator or
        direction.

    Examples
    --------
    Four waves: too few for limits (at least 8), so no signals; the change
    from the previous wave is what there is to see.

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
    >>> trust[["period", "value", "change", "lower", "limits", "rule_set"]].round(3)
       period  value  change  lower limits rule_set
    0       1  3.333     NaN    NaN   none      mdc
    1       2  3.167  -0.167    NaN   none      mdc
    2       3  3.333   0.167    NaN   none      mdc
    3       4  2.333  -1.000    NaN   none      mdc
    >>> trust["note"].iloc[0]
    '4 waves, fewer than the 8 values control limits need (heartbeat.min_points): no control limits and no signals; see the change from the previous period'
    >>> heartbeat_signals(panel)  # four waves: no limits, so no signals
    []
    """
    import pandas as pd

    from ..figures import check_language

    check_language(language)
    settings = _settings(settings)
    ways = _directions(directions)
    table = heartbeat_indicators(data, wave_dates, by=by, meeting_activities=meeting_activities)
    frames = []
    for indicator, group in table.groupby("indicator", sort=False):
        group = group.reset_index(drop=True)
        values = group["value"].to_numpy(dtype=float)
        months = _period_months(group["period"].tolist(), by, wave_dates)
        chart, spc_table, known = _chart(values, months, indicator, settings, ways[indicator])
        frame = pd.concat([group, chart], axis=1)
        frame["change"] = group["value"].diff()
        frame["note"] = _phase_notes(frame, values, indicator, by, settings)
        frame["signal"] = _signal_texts(
            frame, spc_table, known, indicator, ways[indicator], by, wave_dates, events, language
        )
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)[list(_COLUMNS)]


_COLUMNS = (
    "period",
    "indicator",
    "value",
    "centre",
    "lower",
    "upper",
    "limits",
    "change",
    "baseline",
    "rule_set",
    "phase",
    "phase_reason",
    "rule",
    "direction",
    "signal",
    "note",
)

#: Which rule's sentence tells a signal that several rules flag over the same periods.
_PRIORITY = (
    "shift",
    "long_run",
    "we4",
    "trend",
    "astronomical",
    "we1",
    "two_in_three",
    "we2",
    "we3",
    "few_crossings",
)
_KIND = {
    "astronomical": "limit",
    "we1": "limit",
    "two_in_three": "two",
    "we2": "two",
    "we3": "four",
    "shift": "run",
    "we4": "run",
    "long_run": "run",
    "trend": "trend",
    "few_crossings": "crossings",
}
_LINE = {"shift": "centre", "we4": "mean", "long_run": "median"}
#: Most rows between two flagged periods of one pattern (2 of 3, 4 of 5: not every one).
_GAP = {"two_in_three": 2, "we2": 2, "we3": 2}
_SIGNAL_TEXT = {
    "nl": {
        "limit1": "{ind} {moved} {side} de controlegrens in {a}",
        "limit": "{ind} lag {side} de controlegrens van {a} t/m {b}",
        "two": "{ind} lag in 2 van 3 {units} ver (meer dan 2σ) {side} het gemiddelde, t/m {b}",
        "four": "{ind} lag in 4 van 5 {units} (meer dan 1σ) {side} het gemiddelde, t/m {b}",
        "run": "{ind} lag {n} {units} op rij {side} {line}, van {a} t/m {b}",
        "trend": "{ind} {moved} {n} {units} op rij, van {a} t/m {b}",
        "crossings": "{ind} kruiste de mediaan weinig vaak van {a} t/m {b}",
        "counts": ": {c} {crossings}, minder dan het minimum van {m} voor een toevallige reeks",
        "crossing": ("kruising", "kruisingen"),
        "below": "onder",
        "above": "boven",
        "fell": "daalde",
        "rose": "steeg",
        "centre": "de centrumlijn",
        "mean": "het gemiddelde",
        "median": "de mediaan",
        "wave": "metingen",
        "month": "maanden",
        "after": "na",
        "improvement": "verbetering",
        "concern": "zorg",
        "neutral": "neutraal",
    },
    "en": {
        "limit1": "{ind} {moved} {side} the control limit in {a}",
        "limit": "{ind} was {side} the control limit from {a} to {b}",
        "two": "{ind} was far (over 2σ) {side} the mean in 2 of 3 {units}, up to {b}",
        "four": "{ind} was {side} the mean (over 1σ) in 4 of 5 {units}, up to {b}",
        "run": "{ind} was {side} {line} for {n} {units} in a row, from {a} to {b}",
        "trend": "{ind} {moved} for {n} {units} in a row, from {a} to {b}",
        "crossings": "{ind} crossed the median seldom from {a} to {b}",
        "counts": ": {c} {crossings}, fewer than the minimum of {m} for a random series",
        "crossing": ("crossing", "crossings"),
        "below": "below",
        "above": "above",
        "fell": "fell",
        "rose": "rose",
        "centre": "the centre line",
        "mean": "the mean",
        "median": "the median",
        "wave": "waves",
        "month": "months",
        "after": "after",
        "improvement": "improvement",
        "concern": "concern",
        "neutral": "neutral",
    },
}


def _runs_of(rows: list[int], gap: int, keys) -> list[list[int]]:
    """``rows`` (sorted) cut into runs: at most ``gap`` apart and with equal ``keys[row]``."""
    runs: list[list[int]] = []
    for t in rows:
        if runs and t - runs[-1][-1] <= gap and keys[t] == keys[runs[-1][-1]]:
            runs[-1].append(t)
        else:
            runs.append([t])
    return runs


def _trend_events(rows: list[int], y, phase) -> list[dict]:
    """The monotone stretches of the trend-flagged points (a turning point ends one)."""
    import numpy as np

    events = []
    for run in _runs_of(rows, 1, phase):
        current = None
        for t in run[1:]:
            step = int(np.sign(y[t] - y[t - 1]))
            if current is not None and step == current["side"]:
                current["last"] = t
                continue
            current = None
            if step != 0:
                current = {"codes": ["trend"], "side": step, "first": t - 1, "last": t}
                events.append(current)
    return events


def _signal_events(table: pd.DataFrame) -> list[dict]:
    """The signals of one spc table: rule codes, side (+1, -1; 2 without) and rows."""
    import numpy as np

    y = table["value"].to_numpy(dtype=float)
    centre = table["centre"].to_numpy(dtype=float)
    phase = table["phase"].to_numpy()
    flagged = [set(s.split("; ")) if s else set() for s in table["signals"]]
    events = []
    for code in _PRIORITY:
        rows = [t for t, codes in enumerate(flagged) if code in codes]
        if code == "trend":
            events.extend(_trend_events(rows, y, phase))
            continue
        # few_crossings has no side: it flags the whole phase
        sides = np.full(len(y), 2) if code == "few_crossings" else np.where(y > centre, 1, -1)
        for run in _runs_of(rows, _GAP.get(code, 1), list(zip(phase, sides, strict=True))):
            first = run[0] - 7 if code == "we4" else run[0]  # eight in a row: from the first
            events.append(
                {"codes": [code], "side": int(sides[run[0]]), "first": first, "last": run[-1]}
            )
    merged: dict[tuple, dict] = {}
    for event in events:  # one sentence for the rules that flag the same periods
        key = (event["first"], event["last"], event["side"])
        if key in merged:
            merged[key]["codes"].append(event["codes"][0])
        else:
            merged[key] = event
    return sorted(merged.values(), key=lambda e: (e["last"], e["first"]))


def _event_text(event, ind, periods, runs, by, direction, language) -> str:
    """The sentence of one signal: what happened, when, the rules and the direction."""
    from .spc import _SIGNAL_WORDS, _direction

    words = _SIGNAL_TEXT[language]
    code, side = event["codes"][0], event["side"]
    kind = _KIND[code]
    if kind == "limit" and event["first"] == event["last"]:
        kind = "limit1"
    text = words[kind].format(
        ind=ind,
        a=_period_text(periods[event["first"]], by, language),
        b=_period_text(periods[event["last"]], by, language),
        n=event["last"] - event["first"] + 1,
        units=words[by],
        side=words["above" if side > 0 else "below"],
        moved=words["rose" if side > 0 else "fell"],
        line=words[_LINE.get(code, "centre")],
    )
    if kind == "crossings" and runs is not None:
        c, m = int(runs[0]), int(runs[1])
        text += words["counts"].format(c=c, m=m, crossings=words["crossing"][c != 1])
    names = ", ".join(_SIGNAL_WORDS[c][language == "en"] for c in event["codes"])
    return f"{text} ({names}; {words[_direction(side, direction)]})"


def _signal_texts(frame, table, known, indicator, direction, by, wave_dates, events, language):
    """Per period of one series the sentences of the signals that end there."""
    import pandas as pd

    from ..figures import label

    texts = [""] * len(frame)
    if table is None:
        return texts
    periods = frame["period"].to_numpy()[known]
    dates = _period_dates(frame["period"].tolist(), by, wave_dates)
    ind = label(indicator, language).lower()
    for event in _signal_events(table):
        runs = None
        if "crossings" in table:
            runs = table.loc[event["last"], ["crossings", "crossings_min"]].to_numpy()
        text = _event_text(event, ind, periods, runs, by, direction, language)
        start = int(known[event["first"]])  # row of the panel the signal began in
        if events is not None and len(events):
            since = dates[start - 1] if start > 0 else pd.Timestamp.min
            when = pd.to_datetime(events["date"])
            recent = events[(when > since) & (when <= dates[start])]
            if len(recent):
                recent = recent.assign(_d=pd.to_datetime(recent["date"])).sort_values("_d")
                listed = "; ".join(
                    f"{title}, {day.date()}"
                    for title, day in zip(recent["title"], recent["_d"], strict=True)
                )
                text += f" ({_SIGNAL_TEXT[language]['after']}: {listed})"
        row = int(known[event["last"]])
        texts[row] = f"{texts[row]}; {text}" if texts[row] else text
    return texts


def heartbeat_signals(panel: pd.DataFrame) -> list[str]:
    """The signal texts of a heartbeat panel, in panel order (empty list when calm).

    Examples
    --------
    Fourteen months; a's hours alternate 10 and 12 and then drop to 2. The
    monthly total over the twelve baseline months has centre 15 and limits
    15 ± 3 · 2 / 1.128 = [9.68, 20.32], frozen; the last month (6 hours)
    falls below. Hours have no direction: the signal is neutral.

    >>> from types import SimpleNamespace
    >>> import pandas as pd
    >>> partners = pd.DataFrame({"partner_id": ["a", "b"], "kind": ["care"] * 2,
    ...                          "joined": ["2020-01-01"] * 2, "left": [None] * 2})
    >>> months = [str(m) for m in pd.period_range("2022-01", "2023-02", freq="M")]
    >>> contributions = pd.DataFrame({"partner_id": ["a"] * 14 + ["b"] * 14, "period": months * 2,
    ...     "activity": ["uitvoering"] * 28, "hours": [10.0, 12.0] * 6 + [11.0, 2.0] + [4.0] * 14})
    >>> data = SimpleNamespace(partners=partners, contributions=contributions)
    >>> heartbeat_signals(heartbeat(data, by="month", language="en"))
    ['hours fell below the control limit in 2023-02 (beyond a limit; neutral)']
    """
    return [s for s in panel["signal"].tolist() if s]


_SUMMARY_TEXT = {
    "nl": {
        "wave": "Per meting",
        "month": "Per maand",
        "none": "te weinig punten voor controlegrenzen (minstens {minimum} nodig), dus of "
        "er signalen zijn is niet te zeggen.",
        "calm": "geen signalen: alle waarden liggen binnen de controlegrenzen{trial}.",
        "calm_runs": "geen signalen: geen ongewoon lange reeks aan één kant van de mediaan en "
        "niet ongewoon weinig kruisingen{trial}.",
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
        "calm_runs": "no signals: no unusually long run on one side of the median and not "
        "unusually few crossings{trial}.",
        "trial": " (trial limits)",
        "some": "{n} {signals}{trial}:",
        "signal": ("signal", "signals"),
        "part": " For {names} there are too few points for control limits.",
    },
}


def signal_summary(
    panel: pd.DataFrame,
    by: str = "wave",
    *,
    language: str = "nl",
    settings: HeartbeatSettings | Mapping | None = None,
) -> str:
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
    settings : HeartbeatSettings or mapping, optional
        The settings the panel was made with (for the fewest points limits
        need, ``min_points``); the defaults when omitted.

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
    'Per meting: te weinig punten voor controlegrenzen (minstens 8 nodig), dus of er signalen zijn is niet te zeggen.'
    """
    from ..figures import check_language, label

    check_language(language)
    if by not in ("wave", "month"):
        raise ValueError(
            f"The 'by' parameter of signal_summary must be 'wave' or 'month'. Got {by!r} instead."
        )
    settings = _settings(settings)
    text = _SUMMARY_TEXT[language]
    head = text[by] + ": "
    limited = panel[panel["limits"] != "none"]
    if limited.empty:
        return head + text["none"].format(minimum=settings.min_points)
    trial = text["trial"] if (limited["limits"] == "trial").all() else ""
    without = sorted(set(panel["indicator"]) - set(limited["indicator"]))
    part = (
        text["part"].format(names=", ".join(label(i, language).lower() for i in without))
        if without
        else ""
    )
    signals = heartbeat_signals(panel)
    if not signals:  # a run chart (anhoej) has a median and no limits to lie within
        runs = "rule_set" in limited and (limited["rule_set"] == "anhoej").all()
        return head + text["calm_runs" if runs else "calm"].format(trial=trial) + part
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
_LIMIT_COLOUR = "#444444"


def _change_text(change: float, indicator: str, language: str) -> str:
    from ..formatting import format_number

    return format_number(change, _CHANGE_DECIMALS.get(indicator, 2), language, sign=True)


def _label_changes(ax, x, values, change, indicator: str, language: str) -> None:
    """Every point labelled with its change from the previous period (unchanged: none)."""
    for xi, yi, ci in zip(x, values, change, strict=True):
        text = _change_text(ci, indicator, language) if ci == ci else ""
        if yi == yi and text.strip("+-0,.") != "":
            ax.annotate(
                text,
                (xi, yi),
                textcoords="offset points",
                xytext=(0, 5),
                ha="center",
                fontsize=6,
                color="#0072B2",
            )


def _draw_limits(ax, rows: pd.DataFrame, x, language: str) -> None:
    """Per phase its centre line, limits (dotted: trial), band and baseline; phase starts."""
    import numpy as np

    from .spc import _PLOT_WORDS

    phases = rows["phase"].to_numpy() if "phase" in rows else np.ones(len(rows), dtype=int)
    for k in np.unique(phases):
        mine = phases == k
        xs, part = x[mine], rows[mine]
        status = part["limits"].iloc[0]
        if k > 1:
            ax.axvline(xs[0] - 0.5, color="#999999", linewidth=0.8)
            reason = part["phase_reason"].iloc[0] if "phase_reason" in part else ""
            ax.text(
                xs[0] - 0.3,
                0.98,
                f"{_PLOT_WORDS[language]['phase']} {k}: {reason}",
                transform=ax.get_xaxis_transform(),
                va="top",
                fontsize=6,
                color="#555555",
            )
        if status == "none":
            continue
        lower = part["lower"].to_numpy(dtype=float)
        upper = part["upper"].to_numpy(dtype=float)
        if np.isfinite(lower).any() and np.isfinite(upper).any():
            ax.fill_between(xs, lower, upper, color="#999999", alpha=0.15, linewidth=0)
        for limit in (lower, upper):
            if np.isfinite(limit).any():
                style = ":" if status == "trial" else "-"
                ax.plot(xs, limit, linestyle=style, color=_LIMIT_COLOUR, linewidth=0.8)
        ax.plot(xs, part["centre"], linestyle="--", color=_LIMIT_COLOUR, linewidth=0.8)
        base = part["baseline"].to_numpy(dtype=bool)
        if base.any():
            left, right = xs[base].min() - 0.4, xs[base].max() + 0.4
            ax.axvspan(left, right, ymax=0.04, color="#999999", alpha=0.6, linewidth=0)


def _draw_signals(ax, rows: pd.DataFrame, x, values) -> None:
    """The periods in a signal, coloured by its direction."""
    from .spc import DIRECTION_COLOURS

    if "direction" in rows:
        directions = rows["direction"].fillna("").to_numpy()
    else:  # a panel without directions: every signal neutral
        directions = (rows["signal"].to_numpy() != "") * "neutral"
    for name, colour in DIRECTION_COLOURS.items():
        mask = directions == name
        if mask.any():
            ax.plot(x[mask], values[mask], "o", color=colour, markersize=5)


def plot_heartbeat(
    panel: pd.DataFrame,
    axes=None,
    *,
    language: str = "nl",
    settings: HeartbeatSettings | Mapping | None = None,
):
    """Small multiples of the heartbeat: one control chart per indicator.

    Values are drawn as a line with points. Where the panel has control
    limits, each phase has its centre line (dashed) and limits (dotted when
    trial), shaded between them where both exist; a limit outside the
    natural range is not drawn (see :func:`heartbeat`), a new phase is marked
    by a vertical line with its reason, periods in a signal are coloured by
    its direction (:data:`~netwerkonderzoek.heartbeat.DIRECTION_COLOURS`) and
    the baseline periods are marked with a grey bar along the bottom. Where
    an indicator has none (fewer than ``min_points`` values, e.g. four waves)
    no limit is drawn and every point is labelled with its change from the
    previous period. The caption under the figure names the rule set, and
    says why there are no (or only trial) limits when all indicators share
    the reason; otherwise each x-axis label says it for its indicator.

    Parameters
    ----------
    panel : DataFrame
        From :func:`heartbeat`.
    axes : array of matplotlib Axes, optional
        One axes per indicator; a new figure when omitted.
    language : {"nl", "en"}
    settings : HeartbeatSettings or mapping, optional
        The settings the panel was made with (``min_points`` and
        ``baseline`` for the caption; the rule set when the panel has no
        ``rule_set`` column); the defaults when omitted.

    Returns
    -------
    matplotlib Figure

    Examples
    --------
    The monthly panel of :func:`heartbeat_signals`: three indicators, limits
    frozen from 12 months, the rule set named under the figure.

    >>> import matplotlib.pyplot as plt
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
    'rules: Making Data Count'
    >>> plt.close("all")
    """
    import math

    import matplotlib.pyplot as plt
    import numpy as np

    from ..figures import check_language, house_style, label
    from .spc import _PLOT_WORDS, _RULE_NAMES

    check_language(language)
    settings = _settings(settings)
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
        values = rows["value"].to_numpy(dtype=float)
        ax.plot(x, values, marker="o", markersize=3, color="#333333", linewidth=1)
        statuses = set(rows["limits"]) if "limits" in rows else {"frozen"}
        if statuses == {"none"}:
            by = "month" if isinstance(rows["period"].iloc[0], str) else "wave"
            n = int(np.isfinite(values).sum())  # the known values
            lines = [
                words["none"].format(n=n, periods=words[by][n != 1], minimum=settings.min_points)
            ]
            if len(rows) <= 2 * settings.baseline:
                lines.append(words["change"].format(period=words[by][0]))
                change = rows["change"] if "change" in rows else np.diff(values, prepend=np.nan)
                _label_changes(ax, x, values, np.asarray(change, dtype=float), indicator, language)
            ax.margins(y=0.2)
            notes[indicator] = ("none", "; ".join(lines))
        else:
            _draw_limits(ax, rows, x, language)
            _draw_signals(ax, rows, x, values)
            if statuses == {"trial"}:
                n = int(rows["baseline"].sum())
                notes[indicator] = ("trial", words["trial"].format(n=n, full=settings.baseline))
        ticks = [str(p) for p in rows["period"]]
        step = max(1, len(ticks) // 8)
        ax.set_xticks(x[::step], ticks[::step])
        ax.set_title(label(indicator, language))
    for ax in axes[len(indicators) :]:
        ax.set_axis_off()
    rules = (
        str(panel["rule_set"].iloc[0]) if "rule_set" in panel and len(panel) else settings.rules
    )
    caption = f"{_PLOT_WORDS[language]['rules']}: {_RULE_NAMES[rules][language == 'en']}"
    texts = set(notes.values())
    if len(texts) == 1 and len(notes) == len(indicators):
        # every indicator the same: say it once, under the figure
        caption += "; " + texts.pop()[1]
    else:
        for ax, indicator in zip(axes, indicators, strict=False):
            if indicator in notes:
                status = notes[indicator][0]
                ax.set_xlabel(words[f"{status}_short"], fontsize=6, color="#555555")
    fig.supxlabel(caption, fontsize=7, color="#555555")
    fig.suptitle(label("heartbeat", language))
    fig.set_layout_engine("tight")  # laid out when drawn: once per save_figure
    localise_ticks(fig, language)
    return fig
