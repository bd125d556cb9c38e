"""Tests of netwerkonderzoek.stats.timeseries: ITS and difference-in-differences."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from netwerkonderzoek import stats

PERIODS = [f"{y}-{m:02d}" for y in (2022, 2023, 2024) for m in range(1, 13)]


def panel(level=-1.5, slope=-0.05, seed=0, treated=("a", "b"), comparison=("c", "d", "e")):
    rng = np.random.default_rng(seed)
    t = np.arange(len(PERIODS))
    t0 = 14  # 2023-03
    rows = []
    common = 6 + 0.03 * t + rng.normal(0, 0.2, len(t))
    for area in (*treated, *comparison):
        effect = (level + slope * (t - t0)) * (t >= t0) if area in treated else 0.0
        value = common + rng.normal(0, 0.5) + effect + rng.normal(0, 0.3, len(t))
        rows.append(
            pd.DataFrame({"indicator_id": "x", "period": PERIODS, "area": area, "value": value})
        )
    return pd.concat(rows, ignore_index=True)


def test_its_matches_statsmodels_segmented_regression_with_hac():
    data = panel()
    its = stats.interrupted_time_series(data, indicator="x", event="2023-03-01", areas=["a", "b"])
    y = data[data.area.isin(["a", "b"])].groupby("period")["value"].mean().to_numpy()
    t = np.arange(36.0)
    post = (t >= 14).astype(float)
    X = np.column_stack([np.ones(36), t, post, post * (t - 14)])
    # statsmodels directly: OLS with Newey-West errors, 3 lags (floor(4 (36/100)^(2/9)) = 3)
    ref = sm.OLS(y, X).fit(
        cov_type="HAC", cov_kwds={"maxlags": 3, "use_correction": True}, use_t=True
    )
    table = its.set_index("term")
    assert table["estimate"].to_numpy() == pytest.approx(ref.params, rel=1e-10)
    assert table["se"].to_numpy() == pytest.approx(ref.bse, rel=1e-10)
    assert table["p_value"].to_numpy() == pytest.approx(ref.pvalues, rel=1e-8)
    assert table.loc["level_change", "n_pre"] == 14 and table.loc["level_change", "n_post"] == 22
    assert table.loc["level_change", "maxlags"] == 3
    # The planted level change of -1.5 lies in the interval.
    assert table.loc["level_change", "ci_low"] < -1.5 < table.loc["level_change", "ci_high"]


def test_did_recovers_planted_change_and_parallel_pre_trend():
    data = panel(level=-1.5, slope=0.0, seed=3)
    did = stats.difference_in_differences(
        data, indicator="x", event="2023-03", treated=["a", "b"]
    ).set_index("term")
    assert did.loc["did", "comparison_areas"] == "c;d;e"  # default: every other area
    # Hand calculation: difference of treated and comparison means, mean after minus before.
    means = data.assign(group=data.area.isin(["a", "b"])).groupby(["period", "group"])["value"]
    diff = means.mean().unstack()[True] - means.mean().unstack()[False]
    expected = diff.iloc[14:].mean() - diff.iloc[:14].mean()
    assert did.loc["did", "estimate"] == pytest.approx(expected, rel=1e-10)
    assert did.loc["did", "ci_low"] < -1.5 < did.loc["did", "ci_high"]
    assert did.loc["pre_trend", "p_value"] > 0.05
    assert did.loc["did_level_change", "ci_low"] < -1.5 < did.loc["did_level_change", "ci_high"]


def test_bad_input():
    data = panel()
    with pytest.raises(KeyError, match="indicator 'y'"):
        stats.interrupted_time_series(data, indicator="y", event="2023-03")
    with pytest.raises(KeyError, match="area"):
        stats.interrupted_time_series(data, indicator="x", event="2023-03", areas=["zz"])
    with pytest.raises(ValueError, match="'event'"):
        stats.interrupted_time_series(data, indicator="x", event="maart 2023")
    with pytest.raises(ValueError, match="at least 3"):
        stats.interrupted_time_series(data, indicator="x", event="2022-02")
    with pytest.raises(ValueError, match="both treated and comparison"):
        stats.difference_in_differences(
            data, indicator="x", event="2023-03", treated=["a"], comparison=["a", "c"]
        )
    with pytest.raises(ValueError, match="no comparison"):
        stats.difference_in_differences(
            data, indicator="x", event="2023-03", treated=["a", "b", "c", "d", "e"]
        )


def test_event_period_and_evidence_from_result():
    events = pd.DataFrame({"date": ["2023-03-01"], "title": ["Start wijkteam"]})
    assert stats.event_period(events, "Start wijkteam") == "2023-03"
    with pytest.raises(KeyError, match="Start wijkteam"):
        stats.event_period(events, "Iets anders")
    its = stats.interrupted_time_series(panel(), indicator="x", event="2023-03", areas=["a"])
    item = stats.evidence_from_result(its, "cmo-09", term="level_change", direction="decrease")
    assert item.direction == "supports"
    assert item.method == "its" and item.source == "indicators: x"
    wrong = stats.evidence_from_result(its, "cmo-09", term="level_change", direction="increase")
    assert wrong.direction == "contradicts"
