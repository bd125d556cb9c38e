"""Partner business cases: what each partner puts in against what it gets, and the flag rule.

See :mod:`netwerkonderzoek.value` for the rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..figures import check_language

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pandas as pd

    from ..config import NetworkConfig
from .definition import survey_periods
from .matrix import indicator_change

__all__ = [
    "BUSINESS_CASE_COLUMNS",
    "FLAG_RULE",
    "FlagRule",
    "business_case",
    "business_case_summary",
]


BUSINESS_CASE_COLUMNS = (
    "partner_id",
    "name",
    "kind",
    "wave",
    "period",
    "months",
    "hours",
    "costs_eur",
    "hours_per_month",
    "costs_per_month",
    "partner_value",
    "raters",
    "appreciation",
    "n_ratings",
    "indicator_change",
    "hours_growth",
    "value_slope",
    "appreciation_slope",
    "flag",
)


@dataclass(frozen=True)
class FlagRule:
    """Thresholds of the business-case flag (see the module documentation)."""

    hours_growth: float = 0.10
    value_slope: float = -0.10
    appreciation_slope: float = -0.25
    min_waves: int = 3


FLAG_RULE = FlagRule()


def _slope(x, y) -> float:
    """Least-squares slope of ``y`` on ``x`` over the known ``y``; NaN without two distinct ``x``."""
    import numpy as np

    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    keep = ~np.isnan(y)
    x, y = x[keep], y[keep]
    if len(x) < 2 or np.ptp(x) == 0:
        return float("nan")
    return float(np.polyfit(x, y, 1)[0])


def _month_ordinals(periods: pd.Series) -> tuple[np.ndarray, pd.PeriodIndex]:
    """``YYYY-MM`` values as month ordinals (NaT for missing), and their distinct months.

    Each distinct string is parsed once: ``pd.PeriodIndex`` parses string by string,
    which is most of the work for a table of a few thousand rows.
    """
    import pandas as pd

    codes, labels = pd.factorize(periods.astype(str), use_na_sentinel=False)
    months = pd.PeriodIndex(labels, freq="M")
    return months.asi8[codes], months


def _roster_bounds(partners: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Per partner, the month ordinals ``[first, stop)`` it is on the roster.

    Month *m* counts if ``m >= joined`` month and (``left`` is missing or
    ``left > m.start_time``). Month starts increase with *m*, so the second
    condition holds for the months before ``P`` (the month of ``left``) and for
    ``P`` itself when ``left`` is later than its start. A missing ``joined``
    (NaT) admits no month.
    """
    import numpy as np
    import pandas as pd

    never = np.iinfo(np.int64).max
    first = np.full(len(partners), never, dtype=np.int64)
    stop = np.full(len(partners), never, dtype=np.int64)
    lefts = partners["left"].tolist() if "left" in partners.columns else [None] * len(partners)
    for k, (joined, left) in enumerate(zip(partners["joined"].tolist(), lefts, strict=True)):
        joined = pd.Period(pd.Timestamp(joined), freq="M")
        if not pd.isna(joined):
            first[k] = joined.ordinal
        if not pd.isna(left):
            left = pd.Timestamp(left)
            month = pd.Period(left, freq="M")
            stop[k] = month.ordinal + (left > month.start_time)
    return first, stop


@dataclass(frozen=True)
class _Layout:
    """Who and when of a business case: the sorted partner rows, their ids and the waves.

    Whole-table work is done per distinct partner (k, in ``ids``) and wave (w),
    then spread over the rows (``row_code``): partners sorted by id, then waves
    in config order.
    """

    partners: pd.DataFrame
    pids: list
    ids: list
    code: dict
    row_code: np.ndarray
    waves: list
    periods: list[str]
    months: list[np.ndarray]

    @property
    def shape(self) -> tuple[int, int]:
        """(distinct partners, waves): the shape of the per-partner tables."""
        return (len(self.ids), len(self.waves))


def _layout(partners: pd.DataFrame, config: NetworkConfig, first) -> _Layout:
    """The partner codes, the waves and each wave's month ordinals (from ``first`` on)."""
    import numpy as np

    from ..network.graphs import wave_months as network_wave_months

    pids = partners["partner_id"].tolist()
    ids = list(dict.fromkeys(pids))
    code = {pid: k for k, pid in enumerate(ids)}
    row_code = np.array([code[pid] for pid in pids], dtype=np.intp)
    waves = config.study.waves
    periods = [f"{wave.date:%Y-%m}" for wave in waves]
    wave_months = network_wave_months(config.wave_dates, first)
    months = [np.array([m.ordinal for m in wave_months[w.wave]], dtype=np.int64) for w in waves]
    return _Layout(partners, pids, ids, code, row_code, waves, periods, months)


def _spent(
    contributions: pd.DataFrame, contribution_month: np.ndarray, layout: _Layout
) -> tuple[np.ndarray, np.ndarray]:
    """Hours and costs per distinct partner and wave: sums over the wave's months."""
    import numpy as np

    # Per partner and month on a (partner x wave month) grid, zero where nothing was
    # spent. Summed row by row, as 1-D arrays: numpy's 2-D row sums may add in
    # another order than the pairwise sum of pandas' Series.sum.
    spent = (
        contributions[["partner_id", "hours", "costs_eur"]]
        .assign(month=contribution_month)
        .groupby(["partner_id", "month"])[["hours", "costs_eur"]]
        .sum()
    )
    calendar = np.unique(np.concatenate(layout.months))
    levels, level_codes = spent.index.levels, spent.index.codes
    who = np.array([layout.code.get(pid, -1) for pid in levels[0]], dtype=np.intp)
    who = who[level_codes[0]]
    month = levels[1].to_numpy(dtype=np.int64)[level_codes[1]]
    when = np.searchsorted(calendar, month)
    hit = (who >= 0) & (when < len(calendar))
    hit[hit] = calendar[when[hit]] == month[hit]
    grids = []
    for column in ("hours", "costs_eur"):
        grid = np.zeros((len(layout.ids), len(calendar)))
        grid[who[hit], when[hit]] = spent[column].to_numpy(dtype=float)[hit]
        grids.append(grid)
    hours, costs = np.zeros(layout.shape), np.zeros(layout.shape)
    for w, wave_month in enumerate(layout.months):
        cols = np.searchsorted(calendar, wave_month)
        hours[:, w] = [row.sum() for row in grids[0][:, cols]]
        costs[:, w] = [row.sum() for row in grids[1][:, cols]]
    return hours, costs


def _months_on_roster(layout: _Layout) -> np.ndarray:
    """Per partner row and wave, the wave's months the partner was on the roster."""
    import numpy as np

    # per partner row: a repeated id may have other dates
    start, stop = _roster_bounds(layout.partners)
    return np.stack(
        [((m >= start[:, None]) & (m < stop[:, None])).sum(axis=1) for m in layout.months],
        axis=1,
    ).astype(np.int64)


def _value_received(ties: pd.DataFrame, layout: _Layout) -> tuple[np.ndarray, np.ndarray]:
    """Per distinct partner and wave, the value its partners say it brings, and their count."""
    import numpy as np

    from ..network.trust import partner_trust

    received = partner_trust(ties)
    gets = {
        (wave, pid): (mean, count)
        for wave, pid, mean, count in zip(
            received["wave"].tolist(),
            received["partner_id"].tolist(),
            received["value"].tolist(),
            received["raters"].tolist(),
            strict=True,
        )
    }
    value, raters = np.full(layout.shape, np.nan), np.zeros(layout.shape, dtype=np.int64)
    for k, pid in enumerate(layout.ids):
        for w, wave in enumerate(layout.waves):
            got = gets.get((wave.wave, pid))
            if got is not None:
                value[k, w], raters[k, w] = got
    return value, raters


def _own_appreciation(
    appreciation: pd.DataFrame | None, layout: _Layout
) -> tuple[np.ndarray, np.ndarray]:
    """Per distinct partner and wave, the mean of its own partner-value ratings, and how many."""
    import numpy as np
    import pandas as pd

    own = pd.DataFrame(columns=["period", "partner_id", "rating"])
    if appreciation is not None and len(appreciation):
        own = appreciation[
            (appreciation["stakeholder_group"] == "partners")
            & (appreciation["perspective"] == "partner")
            & appreciation["partner_id"].notna()
        ]
    own_month, _ = _month_ordinals(own["period"])
    own_code = np.array(
        [layout.code.get(pid, -1) for pid in own["partner_id"].tolist()], dtype=np.intp
    )
    own_rating = own["rating"].to_numpy(dtype=float)
    own_mean = np.full(layout.shape, np.nan)
    n_ratings = np.zeros(layout.shape, dtype=np.int64)
    for w, wave_month in enumerate(layout.months):
        rows = np.flatnonzero(np.isin(own_month, wave_month) & (own_code >= 0))
        rows = rows[np.argsort(own_code[rows], kind="stable")]  # table order per partner
        rated_by = own_code[rows]
        n_ratings[:, w] = np.bincount(rated_by, minlength=len(layout.ids))
        starts = np.flatnonzero(np.diff(rated_by, prepend=-1))
        for k, ratings in zip(
            rated_by[starts], np.split(own_rating[rows], starts)[1:], strict=True
        ):
            rated = ratings[~np.isnan(ratings)]
            if len(rated):
                own_mean[k, w] = rated.mean()
    return own_mean, n_ratings


def _partner_indicator_change(
    indicators: pd.DataFrame, config: NetworkConfig, layout: _Layout
) -> np.ndarray:
    """Per distinct partner and wave, the mean change of the partner's own indicators."""
    import numpy as np

    change = indicator_change(indicators, config, survey_periods(config))
    change = change[(change["perspective"] == "partner") & (change["partner_id"] != "")]
    deltas: dict[tuple, list] = {}
    for pid, period, delta in zip(
        change["partner_id"].to_numpy(dtype=object),
        change["period"].astype(str).to_numpy(dtype=object),
        change["change"].to_numpy(dtype=float),
        strict=True,
    ):
        deltas.setdefault((pid, period), []).append(delta)
    indicator = np.full(layout.shape, np.nan)
    for k, pid in enumerate(layout.ids):
        for w, period in enumerate(layout.periods):
            known = np.array(deltas.get((pid, period), []), dtype=float)
            known = known[~np.isnan(known)]
            if len(known):
                indicator[k, w] = known.mean()
    return indicator


def _trend(x: np.ndarray, y: np.ndarray, min_waves: int) -> float:
    """The slope of ``y`` on ``x``, NaN with fewer than ``min_waves`` known values."""
    import numpy as np

    return _slope(x, y) if np.count_nonzero(~np.isnan(y)) >= min_waves else np.nan


def _flag(growth: float, v_slope: float, a_slope: float, rule: FlagRule) -> bool:
    """The flag rule: hours grow while every known value slope falls, one far enough."""
    import numpy as np

    slopes = [s for s in (v_slope, a_slope) if not np.isnan(s)]
    falls = (
        bool(slopes)
        and all(s < 0 for s in slopes)
        and (
            (not np.isnan(v_slope) and v_slope <= rule.value_slope)
            or (not np.isnan(a_slope) and a_slope <= rule.appreciation_slope)
        )
    )
    grows = not np.isnan(growth) and growth >= rule.hours_growth
    return grows and falls


def _trends(
    layout: _Layout,
    wave_numbers: np.ndarray,
    hours_per_month: np.ndarray,
    value: np.ndarray,
    own_mean: np.ndarray,
    rule: FlagRule,
) -> tuple[np.ndarray, np.ndarray]:
    """Per partner row: hours growth, value and appreciation slopes (columns), and the flag."""
    import numpy as np

    # per partner id, over its rows (adjacent: partners are sorted)
    ids, waves = layout.ids, layout.waves
    bounds = np.concatenate([[0], np.cumsum(np.bincount(layout.row_code, minlength=len(ids)))])
    bounds *= len(waves)
    stats = np.full((len(ids), 3), np.nan)
    flags = np.zeros(len(ids), dtype=bool)
    for k in range(len(ids)):
        block = slice(bounds[k], bounds[k + 1])
        x = wave_numbers[block]
        per_month = hours_per_month[block]
        enough = np.count_nonzero(~np.isnan(per_month)) >= rule.min_waves
        growth = (
            _slope(x, per_month) / np.nanmean(per_month)
            if enough and np.nanmean(per_month) > 0
            else np.nan
        )
        v_slope = _trend(x, value[block], rule.min_waves)
        a_slope = _trend(x, own_mean[block], rule.min_waves)
        stats[k] = growth, v_slope, a_slope
        flags[k] = _flag(growth, v_slope, a_slope, rule)
    return stats[layout.row_code], flags[layout.row_code]


def _per_month(totals: np.ndarray, months: np.ndarray) -> np.ndarray:
    """``totals / months``, NaN where the partner was on the roster in no month."""
    import numpy as np

    out = np.full(len(months), np.nan)
    np.divide(totals, months, out=out, where=months > 0)
    return out


def business_case(
    data,
    config: NetworkConfig,
    appreciation: pd.DataFrame | None = None,
    *,
    rule: FlagRule = FLAG_RULE,
) -> pd.DataFrame:
    """Per partner and wave: what it puts in against what it gets (see module docs).

    Parameters
    ----------
    data : NetworkData
        Needs ``partners``, ``contributions``, ``ties`` and ``indicators``.
    config : NetworkConfig
        Waves and the value definition.
    appreciation : DataFrame, optional
        Canonical ``appreciation`` table; a partner's own appreciation is the
        mean of its ratings (group partners) of the partner-value cells in
        the wave's period.
    rule : FlagRule
        Thresholds of the flag.

    Returns
    -------
    DataFrame
        Columns :data:`BUSINESS_CASE_COLUMNS`, one row per partner and wave
        (``period`` = the wave's fieldwork month). ``hours``/``costs_eur`` are
        totals in the wave's period, ``*_per_month`` per month the partner was
        on the roster. ``hours_growth``, ``value_slope``,
        ``appreciation_slope`` and ``flag`` are per partner (repeated).

    Examples
    --------
    Each wave covers one month here. Partner a puts in more hours every wave
    (10, 12, 15) while b rates the value a brings lower (4, 3, 2): a is
    flagged. b's hours fall and a rates b higher: no flag.

    >>> import pandas as pd
    >>> from types import SimpleNamespace
    >>> from netwerkonderzoek.config import NetworkConfig
    >>> config = NetworkConfig.model_validate({"network_id": "x", "name": "X",
    ...     "mission": "m", "task": "t", "study": {"start": "2024-01", "end": "2024-12",
    ...     "waves": [{"wave": w, "date": f"2024-0{w}-15"} for w in (1, 2, 3)]},
    ...     "indicators": [{"id": "i", "label_nl": "I", "label_en": "I", "unit": "n",
    ...                     "perspective": "societal", "form": "direct",
    ...                     "direction": "decrease"}]})
    >>> partners = pd.DataFrame({"partner_id": ["a", "b"], "name": ["A", "B"],
    ...     "kind": "welfare", "joined": pd.Timestamp("2023-01-01"), "left": pd.NaT})
    >>> contributions = pd.DataFrame({"partner_id": ["a"] * 3 + ["b"] * 3,
    ...     "period": ["2024-01", "2024-02", "2024-03"] * 2,
    ...     "hours": [10.0, 12, 15, 6, 5, 4], "costs_eur": 0.0})
    >>> ties = pd.DataFrame({"wave": [1, 2, 3] * 2, "source": ["b"] * 3 + ["a"] * 3,
    ...     "target": ["a"] * 3 + ["b"] * 3, "tie_type": "information", "weight": 1.0,
    ...     "reliability": 3, "mission_support": 3, "open_discussion": 3,
    ...     "power_influence": [4, 3, 2, 2, 3, 3], "involvement": [4, 3, 2, 2, 3, 3],
    ...     "resource_contribution": [4, 3, 2, 2, 3, 3]})
    >>> data = SimpleNamespace(partners=partners, contributions=contributions, ties=ties,
    ...     indicators=pd.DataFrame(columns=["indicator_id", "period", "area", "value"]))
    >>> case = business_case(data, config)
    >>> case[["partner_id", "wave", "hours_per_month", "partner_value", "flag"]]
      partner_id  wave  hours_per_month  partner_value   flag
    0          a     1             10.0            4.0   True
    1          a     2             12.0            3.0   True
    2          a     3             15.0            2.0   True
    3          b     1              6.0            2.0  False
    4          b     2              5.0            3.0  False
    5          b     3              4.0            3.0  False

    a's hours grow by 2.5 per wave on a mean of 37/3 (+20 %), its value falls by 1:

    >>> first = case.drop_duplicates("partner_id")[["partner_id", "hours_growth", "value_slope"]]
    >>> print(first.round(3).to_string(index=False))
    partner_id  hours_growth  value_slope
             a         0.203         -1.0
             b        -0.200          0.5
    """
    import numpy as np
    import pandas as pd

    partners = data.partners.sort_values("partner_id")
    contributions = data.contributions
    contribution_month, distinct = _month_ordinals(contributions["period"])
    layout = _layout(partners, config, distinct.min() if len(contributions) else None)
    hours, costs = _spent(contributions, contribution_month, layout)
    months = _months_on_roster(layout).ravel()
    value, raters = _value_received(data.ties, layout)
    own_mean, n_ratings = _own_appreciation(appreciation, layout)
    indicator = _partner_indicator_change(data.indicators, config, layout)

    # Spread the per-partner tables over the rows (partner rows, then waves).
    rows, waves = layout.row_code, layout.waves
    hours, costs = hours[rows].ravel(), costs[rows].ravel()
    hours_per_month, costs_per_month = _per_month(hours, months), _per_month(costs, months)
    value, own_mean = value[rows].ravel(), own_mean[rows].ravel()
    wave_numbers = np.tile(np.array([w.wave for w in waves], dtype=np.int64), len(layout.pids))
    stats, flags = _trends(layout, wave_numbers, hours_per_month, value, own_mean, rule)

    def repeat(values) -> list:
        return [v for v in values for _ in waves]

    return pd.DataFrame(
        {
            "partner_id": repeat(layout.pids),
            "name": repeat(partners["name"].tolist()),
            "kind": repeat(partners["kind"].tolist()),
            "wave": wave_numbers,
            "period": layout.periods * len(layout.pids),
            "months": months,
            "hours": hours,
            "costs_eur": costs,
            "hours_per_month": hours_per_month,
            "costs_per_month": costs_per_month,
            "partner_value": value,
            "raters": raters[rows].ravel(),
            "appreciation": own_mean,
            "n_ratings": n_ratings[rows].ravel(),
            "indicator_change": indicator[rows].ravel(),
            "hours_growth": np.repeat(stats[:, 0], len(waves)),
            "value_slope": np.repeat(stats[:, 1], len(waves)),
            "appreciation_slope": np.repeat(stats[:, 2], len(waves)),
            "flag": np.repeat(flags, len(waves)),
        },
        columns=list(BUSINESS_CASE_COLUMNS),
    )


def business_case_summary(case: pd.DataFrame, language: str = "nl") -> pd.DataFrame:
    """One row per partner: totals, slopes, the flag and a reason in words.

    Flagged partners come first, then by partner id.

    Parameters
    ----------
    case : DataFrame
        :func:`business_case`.
    language : {"nl", "en"}
        Language of ``reason``.

    Returns
    -------
    DataFrame
        ``partner_id``, ``name``, ``kind``, ``hours`` and ``costs_eur`` (sums
        over the waves), ``hours_growth``, ``value_slope``,
        ``appreciation_slope``, ``last_partner_value``, ``last_appreciation``
        (the last wave with a value), ``flag`` and ``reason`` (empty when not
        flagged).

    Examples
    --------
    Two partners over two waves; b's flag (set by hand here) comes first,
    with its hours growth in words:

    >>> import pandas as pd
    >>> case = pd.DataFrame({"partner_id": ["a", "a", "b", "b"], "name": ["A", "A", "B", "B"],
    ...     "kind": "care", "hours": [4.0, 6.0, 10.0, 14.0], "costs_eur": 0.0,
    ...     "hours_growth": [0.4, 0.4, 0.35, 0.35], "value_slope": [0.5, 0.5, -0.5, -0.5],
    ...     "appreciation_slope": float("nan"), "partner_value": [2.0, 2.5, 3.0, None],
    ...     "appreciation": float("nan"), "flag": [False, False, True, True]})
    >>> summary = business_case_summary(case, language="en")
    >>> summary[["partner_id", "hours", "last_partner_value", "flag"]]
      partner_id  hours  last_partner_value   flag
    0          b   24.0                 3.0   True
    1          a   10.0                 2.5  False
    >>> summary.loc[0, "reason"]
    'investment grows (+35% hours per wave) while perceived value falls'
    >>> business_case_summary(case).loc[0, "reason"]
    'inzet groeit (+35% uren per meting) terwijl de ervaren waarde daalt'
    """
    import numpy as np
    import pandas as pd

    check_language(language)
    rows = []
    for pid, group in case.groupby("partner_id", sort=True):
        first = group.iloc[0]
        growth = first["hours_growth"]
        if bool(first["flag"]):
            pct = f"{100 * growth:+.0f}%"
            reason = (
                f"inzet groeit ({pct} uren per meting) terwijl de ervaren waarde daalt"
                if language == "nl"
                else f"investment grows ({pct} hours per wave) while perceived value falls"
            )
        else:
            reason = ""
        rows.append(
            {
                "partner_id": pid,
                "name": first["name"],
                "kind": first["kind"],
                "hours": float(group["hours"].sum()),
                "costs_eur": float(group["costs_eur"].sum()),
                "hours_growth": growth,
                "value_slope": first["value_slope"],
                "appreciation_slope": first["appreciation_slope"],
                "last_partner_value": group["partner_value"].dropna().iloc[-1]
                if group["partner_value"].notna().any()
                else np.nan,
                "last_appreciation": group["appreciation"].dropna().iloc[-1]
                if group["appreciation"].notna().any()
                else np.nan,
                "flag": bool(first["flag"]),
                "reason": reason,
            }
        )
    out = pd.DataFrame(rows)
    return out.sort_values(["flag", "partner_id"], ascending=[False, True]).reset_index(drop=True)
