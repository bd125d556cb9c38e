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
    """
    import numpy as np
    import pandas as pd

    from ..network.graphs import wave_months as network_wave_months
    from ..network.trust import partner_trust

    # Whole-table work per distinct partner (k, in ``ids``) and wave (w), then spread
    # over the rows: partners sorted by id, then waves in config order.
    partners = data.partners.sort_values("partner_id")
    pids = partners["partner_id"].tolist()
    ids = list(dict.fromkeys(pids))
    code = {pid: k for k, pid in enumerate(ids)}
    row_code = np.array([code[pid] for pid in pids], dtype=np.intp)
    waves = config.study.waves
    periods = [f"{wave.date:%Y-%m}" for wave in waves]
    shape = (len(ids), len(waves))

    contributions = data.contributions
    contribution_month, distinct = _month_ordinals(contributions["period"])
    first = distinct.min() if len(contributions) else None
    wave_months = network_wave_months(config.wave_dates, first)
    months = [np.array([m.ordinal for m in wave_months[w.wave]], dtype=np.int64) for w in waves]

    # Hours and costs: per partner and month on a (partner x wave month) grid, zero
    # where nothing was spent. Summed row by row, as 1-D arrays: numpy's 2-D row sums
    # may add in another order than the pairwise sum of pandas' Series.sum.
    spent = (
        contributions[["partner_id", "hours", "costs_eur"]]
        .assign(month=contribution_month)
        .groupby(["partner_id", "month"])[["hours", "costs_eur"]]
        .sum()
    )
    calendar = np.unique(np.concatenate(months))
    levels, level_codes = spent.index.levels, spent.index.codes
    who = np.array([code.get(pid, -1) for pid in levels[0]], dtype=np.intp)[level_codes[0]]
    month = levels[1].to_numpy(dtype=np.int64)[level_codes[1]]
    when = np.searchsorted(calendar, month)
    hit = (who >= 0) & (when < len(calendar))
    hit[hit] = calendar[when[hit]] == month[hit]
    grids = []
    for column in ("hours", "costs_eur"):
        grid = np.zeros((len(ids), len(calendar)))
        grid[who[hit], when[hit]] = spent[column].to_numpy(dtype=float)[hit]
        grids.append(grid)
    hours, costs = np.zeros(shape), np.zeros(shape)
    for w, wave_month in enumerate(months):
        cols = np.searchsorted(calendar, wave_month)
        hours[:, w] = [row.sum() for row in grids[0][:, cols]]
        costs[:, w] = [row.sum() for row in grids[1][:, cols]]

    # Months on the roster, per partner row (a repeated id may have other dates).
    start, stop = _roster_bounds(partners)
    on_roster = np.stack(
        [((m >= start[:, None]) & (m < stop[:, None])).sum(axis=1) for m in months], axis=1
    ).astype(np.int64)

    received = partner_trust(data.ties)
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
    value, raters = np.full(shape, np.nan), np.zeros(shape, dtype=np.int64)
    for k, pid in enumerate(ids):
        for w, wave in enumerate(waves):
            got = gets.get((wave.wave, pid))
            if got is not None:
                value[k, w], raters[k, w] = got

    own = pd.DataFrame(columns=["period", "partner_id", "rating"])
    if appreciation is not None and len(appreciation):
        own = appreciation[
            (appreciation["stakeholder_group"] == "partners")
            & (appreciation["perspective"] == "partner")
            & appreciation["partner_id"].notna()
        ]
    own_month, _ = _month_ordinals(own["period"])
    own_code = np.array([code.get(pid, -1) for pid in own["partner_id"].tolist()], dtype=np.intp)
    own_rating = own["rating"].to_numpy(dtype=float)
    own_mean, n_ratings = np.full(shape, np.nan), np.zeros(shape, dtype=np.int64)
    for w, wave_month in enumerate(months):
        rows = np.flatnonzero(np.isin(own_month, wave_month) & (own_code >= 0))
        rows = rows[np.argsort(own_code[rows], kind="stable")]  # table order per partner
        rated_by = own_code[rows]
        n_ratings[:, w] = np.bincount(rated_by, minlength=len(ids))
        starts = np.flatnonzero(np.diff(rated_by, prepend=-1))
        for k, ratings in zip(
            rated_by[starts], np.split(own_rating[rows], starts)[1:], strict=True
        ):
            rated = ratings[~np.isnan(ratings)]
            if len(rated):
                own_mean[k, w] = rated.mean()

    change = indicator_change(data.indicators, config, survey_periods(config))
    change = change[(change["perspective"] == "partner") & (change["partner_id"] != "")]
    deltas: dict[tuple, list] = {}
    for pid, period, delta in zip(
        change["partner_id"].to_numpy(dtype=object),
        change["period"].astype(str).to_numpy(dtype=object),
        change["change"].to_numpy(dtype=float),
        strict=True,
    ):
        deltas.setdefault((pid, period), []).append(delta)
    indicator = np.full(shape, np.nan)
    for k, pid in enumerate(ids):
        for w, period in enumerate(periods):
            known = np.array(deltas.get((pid, period), []), dtype=float)
            known = known[~np.isnan(known)]
            if len(known):
                indicator[k, w] = known.mean()

    n = on_roster.ravel()
    hours, costs = hours[row_code].ravel(), costs[row_code].ravel()
    hours_per_month, costs_per_month = np.full(len(n), np.nan), np.full(len(n), np.nan)
    np.divide(hours, n, out=hours_per_month, where=n > 0)
    np.divide(costs, n, out=costs_per_month, where=n > 0)
    value, own_mean = value[row_code].ravel(), own_mean[row_code].ravel()
    wave_numbers = np.tile(np.array([wave.wave for wave in waves], dtype=np.int64), len(pids))

    # Slopes and flag per partner id, over its rows (adjacent: partners are sorted).
    bounds = np.concatenate([[0], np.cumsum(np.bincount(row_code, minlength=len(ids)))])
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
        v_slope = (
            _slope(x, value[block])
            if np.count_nonzero(~np.isnan(value[block])) >= rule.min_waves
            else np.nan
        )
        a_slope = (
            _slope(x, own_mean[block])
            if np.count_nonzero(~np.isnan(own_mean[block])) >= rule.min_waves
            else np.nan
        )
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
        stats[k] = growth, v_slope, a_slope
        flags[k] = grows and falls
    stats, flags = stats[row_code], flags[row_code]

    def repeat(values) -> list:
        return [v for v in values for _ in waves]

    return pd.DataFrame(
        {
            "partner_id": repeat(pids),
            "name": repeat(partners["name"].tolist()),
            "kind": repeat(partners["kind"].tolist()),
            "wave": wave_numbers,
            "period": periods * len(pids),
            "months": n,
            "hours": hours,
            "costs_eur": costs,
            "hours_per_month": hours_per_month,
            "costs_per_month": costs_per_month,
            "partner_value": value,
            "raters": raters[row_code].ravel(),
            "appreciation": own_mean,
            "n_ratings": n_ratings[row_code].ravel(),
            "indicator_change": indicator[row_code].ravel(),
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
