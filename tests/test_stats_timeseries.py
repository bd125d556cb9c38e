"""Tests of netwerkonderzoek.stats.timeseries: ITS and difference-in-differences."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from netwerkonderzoek import stats
from netwerkonderzoek.exceptions import NetwerkonderzoekWarning

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


def reml_profile(y, X, lags, rho):
    """Minus the REML profile log-likelihood of rho, written out with dense matrices.

    Source: the REML criterion of Harville (1977, JASA 72:320), profiled over
    sigma^2: (n - p) log(r' R^-1 r) + log|R| + log|X' R^-1 X|, up to constants.
    """
    n, p = X.shape
    R = rho**lags
    Ri = np.linalg.inv(R)
    beta = np.linalg.solve(X.T @ Ri @ X, X.T @ Ri @ y)
    r = y - X @ beta
    return 0.5 * (
        (n - p) * np.log(r @ Ri @ r) + np.linalg.slogdet(R)[1] + np.linalg.slogdet(X.T @ Ri @ X)[1]
    )


def test_its_is_gls_at_the_reml_autocorrelation():
    data = panel()
    its = stats.interrupted_time_series(data, indicator="x", event="2023-03-01", areas=["a", "b"])
    y = data[data.area.isin(["a", "b"])].groupby("period")["value"].mean().to_numpy()
    t = np.arange(36.0)
    post = (t >= 14).astype(float)
    X = np.column_stack([np.ones(36), t, post, post * (t - 14)])
    lags = np.abs(t[:, None] - t[None, :])
    table = its.set_index("term")
    rho = table["ar1_rho"].iloc[0]
    # Brute force over a fine grid of the dense REML criterion (independent of the
    # library's Prais-Winsten profile likelihood): the minimum is at the reported rho.
    grid = np.linspace(-0.95, 0.95, 1901)
    best = grid[np.argmin([reml_profile(y, X, lags, r) for r in grid])]
    assert rho == pytest.approx(best, abs=2e-3)
    # statsmodels directly: GLS with the AR(1) correlation matrix at that rho.
    ref = sm.GLS(y, X, sigma=rho**lags).fit()
    assert table["estimate"].to_numpy() == pytest.approx(ref.params, rel=1e-10)
    # The Kenward-Roger adjustment only adds variance; the df lie below n - p.
    assert np.all(table["se"].to_numpy() >= ref.bse * (1 - 1e-12))
    assert np.all((table["df"] > 1) & (table["df"] < 36 - 4 + 1e-9))
    assert table["statistic"].to_numpy() == pytest.approx(table["estimate"] / table["se"])
    assert table.loc["level_change", "n_pre"] == 14 and table.loc["level_change", "n_post"] == 22
    assert set(table["status"]) == {"ok"} and set(table["reason"]) == {""}
    assert table.loc["level_change", "inference"] == stats.timeseries.INFERENCE
    assert "post:(t - t0)" in table.loc["level_change", "formula"]
    assert "t0 = 14 (2023-03)" in table.loc["level_change", "formula"]
    # The fitted statsmodels model is reachable from every row.
    model = table.loc["level_change", "model"]
    assert model.params["level_change"] == pytest.approx(table.loc["level_change", "estimate"])
    # The planted level change of -1.5 lies in the interval.
    assert table.loc["level_change", "ci_low"] < -1.5 < table.loc["level_change", "ci_high"]


def test_interval_and_p_value_use_t_with_the_reported_df():
    its = stats.interrupted_time_series(panel(), indicator="x", event="2023-03", alpha=0.1)
    row = its.set_index("term").loc["slope_change"]
    # scipy reference: two-sided t test and the 90% interval with df = row["df"].
    from scipy import stats as st

    assert row["p_value"] == pytest.approx(2 * st.t.sf(abs(row["statistic"]), row["df"]))
    half = st.t.ppf(0.95, row["df"]) * row["se"]
    assert row["ci_high"] - row["estimate"] == pytest.approx(half)
    assert row["alpha"] == 0.1


def test_did_recovers_planted_change_and_parallel_pre_trend():
    data = panel(level=-1.5, slope=0.0, seed=3)
    did = stats.difference_in_differences(
        data, indicator="x", event="2023-03", treated=["a", "b"]
    ).set_index("term")
    assert did.loc["did", "comparison_areas"] == "c;d;e"  # default: every other area
    # Hand calculation: difference of treated and comparison means.
    means = data.assign(group=data.area.isin(["a", "b"])).groupby(["period", "group"])["value"]
    diff = (means.mean().unstack()[True] - means.mean().unstack()[False]).to_numpy()
    post = (np.arange(36) >= 14).astype(float)
    # statsmodels directly: d ~ 1 + post by GLS at the reported AR(1) autocorrelation.
    rho = did.loc["did", "ar1_rho"]
    lags = np.abs(np.subtract.outer(np.arange(36.0), np.arange(36.0)))
    ref = sm.GLS(diff, np.column_stack([np.ones(36), post]), sigma=rho**lags).fit()
    assert did.loc["did", "estimate"] == pytest.approx(ref.params[1], rel=1e-10)
    # Without autocorrelation it would be the mean after minus before; GLS stays close.
    plain = diff[14:].mean() - diff[:14].mean()
    assert abs(did.loc["did", "estimate"] - plain) < did.loc["did", "se"]
    assert did.loc["did", "ci_low"] < -1.5 < did.loc["did", "ci_high"]
    assert did.loc["pre_trend", "p_value"] > 0.05
    assert did.loc["did_level_change", "ci_low"] < -1.5 < did.loc["did_level_change", "ci_high"]
    assert did.loc["did", "formula"].startswith("d ~ 1 + post;")
    assert did.loc["did", "model"].params["did"] == pytest.approx(did.loc["did", "estimate"])


def test_bad_input():
    data = panel()
    with pytest.raises(KeyError, match="indicator 'y'"):
        stats.interrupted_time_series(data, indicator="y", event="2023-03")
    with pytest.raises(KeyError, match="area"):
        stats.interrupted_time_series(data, indicator="x", event="2023-03", areas=["zz"])
    with pytest.raises(ValueError, match="'event'"):
        stats.interrupted_time_series(data, indicator="x", event="maart 2023")
    with pytest.raises(ValueError, match="both treated and comparison"):
        stats.difference_in_differences(
            data, indicator="x", event="2023-03", treated=["a"], comparison=["a", "c"]
        )
    with pytest.raises(ValueError, match="no comparison"):
        stats.difference_in_differences(
            data, indicator="x", event="2023-03", treated=["a", "b", "c", "d", "e"]
        )


@pytest.mark.parametrize("alpha", [5, 0, 1.0, -0.1, "0.05", None, True])
def test_alpha_outside_the_unit_interval_is_refused(alpha):
    data = panel()
    message = r"The 'alpha' parameter of interrupted_time_series must be a float in the open"
    with pytest.raises(ValueError, match=message):
        stats.interrupted_time_series(data, indicator="x", event="2023-03", alpha=alpha)
    with pytest.raises(ValueError, match="'alpha' parameter of difference_in_differences"):
        stats.difference_in_differences(
            data, indicator="x", event="2023-03", treated=["a"], alpha=alpha
        )


def test_maxlags_is_refused_with_the_reason():
    with pytest.raises(ValueError, match="'maxlags' parameter of interrupted_time_series is no"):
        stats.interrupted_time_series(panel(), indicator="x", event="2023-03", maxlags=3)
    with pytest.raises(ValueError, match="Got 2 instead"):
        stats.difference_in_differences(
            panel(), indicator="x", event="2023-03", treated=["a"], maxlags=2
        )


@pytest.mark.parametrize(
    ("event", "reason"),
    [
        ("2022-02", "leaves 1 observed month(s) before and 35 from it; at least 6"),
        ("2021-06", "leaves 0 observed month(s) before and 36 from it"),
        ("2024-10", "leaves 33 observed month(s) before and 3 from it"),
    ],
)
def test_too_few_months_around_the_event_is_insufficient_data(event, reason):
    data = panel()
    its = stats.interrupted_time_series(data, indicator="x", event=event)
    did = stats.difference_in_differences(data, indicator="x", event=event, treated=["a"])
    for table in (its, did):
        assert set(table["status"]) == {"insufficient_data"}
        assert table["reason"].str.contains(reason, regex=False).all()
        assert table[["se", "df", "ci_low", "ci_high", "p_value"]].isna().all().all()
        item = stats.evidence_from_result(
            table, "cmo-09", term=table["term"].iloc[-1], direction="decrease"
        )
        assert item.direction == "insufficient_data" and item.strength == "weak"
        assert reason in item.note


def test_short_series_is_insufficient_data():
    # 11 months: one side has fewer than MIN_PER_SIDE = 6 months.
    data = panel()
    data = data[data["period"] < "2022-12"]
    its = stats.interrupted_time_series(data, indicator="x", event="2022-07")
    assert set(its["status"]) == {"insufficient_data"}
    assert its["reason"].iloc[0] == (
        "the event month 2022-07 leaves 6 observed month(s) before and 5 from it; at least 6 "
        "on each side are needed for a calibrated test with AR(1) errors"
    )
    # The descriptive OLS estimate is still given (the model is defined).
    assert its["estimate"].notna().all() and its["inference"].iloc[0].startswith("none")
    twelve = panel()[lambda d: d["period"] <= "2022-12"]
    ok = stats.interrupted_time_series(twelve, indicator="x", event="2022-07")
    assert set(ok["status"]) == {"ok"} and stats.timeseries.MIN_PERIODS == 12


def test_an_exact_fit_is_insufficient_data():
    # The old DiD doctest: treated minus comparison is exactly -1.5 after the event.
    t = np.arange(24)
    periods = PERIODS[:24]
    common = 10 + 0.2 * t + np.tile([0.5, -0.5], 12)
    data = pd.concat(
        [
            pd.DataFrame(
                {
                    "indicator_id": "x",
                    "period": periods,
                    "area": "a",
                    "value": common - 1.5 * (t >= 12),
                }
            ),
            pd.DataFrame({"indicator_id": "x", "period": periods, "area": "b", "value": common}),
        ]
    )
    did = stats.difference_in_differences(data, indicator="x", event="2023-01", treated=["a"])
    assert set(did["status"]) == {"insufficient_data"}
    assert did["reason"].str.startswith("the regression fits the series exactly").all()
    assert did.set_index("term").loc["did", "estimate"] == pytest.approx(-1.5)


def test_missing_values_warn_with_indicator_months_and_count():
    data = panel()
    data.loc[(data.area == "a") & data.period.isin(["2023-05", "2023-06"]), "value"] = np.nan
    with pytest.warns(
        NetwerkonderzoekWarning,
        match=r"indicator 'x': 2 area-month value\(s\) missing .* area\(s\) a, in 2 month\(s\): "
        r"2023-05, 2023-06",
    ):
        its = stats.interrupted_time_series(data, indicator="x", event="2023-03")
    # The months stay, as means of the other areas.
    assert its["n_periods"].iloc[0] == 36


def test_missing_months_warn_and_the_ar1_spaces_months_by_calendar():
    data = panel()
    gone = ["2022-06", "2023-08", "2023-09"]
    data = data[~data.period.isin(gone)]
    with pytest.warns(
        NetwerkonderzoekWarning,
        match=r"indicator 'x' has no value \(NaN or no row\) in 3 month\(s\) .*: 2022-06, 2023-08, 2023-09",
    ):
        its = stats.interrupted_time_series(data, indicator="x", event="2023-03", areas=["a"])
    table = its.set_index("term")
    assert table.loc["level_change", "n_periods"] == 33
    # Reference: GLS with rho^|s - t| over the calendar months that remain.
    t = np.array([i for i, p in enumerate(PERIODS) if p not in gone], dtype=float)
    y = data[data.area == "a"].sort_values("period")["value"].to_numpy()
    post = (t >= 14).astype(float)
    X = np.column_stack([np.ones_like(t), t, post, post * (t - 14)])
    rho = table["ar1_rho"].iloc[0]
    ref = sm.GLS(y, X, sigma=rho ** np.abs(np.subtract.outer(t, t))).fit()
    assert table["estimate"].to_numpy() == pytest.approx(ref.params, rel=1e-8)
    grid = np.linspace(-0.95, 0.95, 1901)
    lags = np.abs(np.subtract.outer(t, t))
    best = grid[np.argmin([reml_profile(y, X, lags, r) for r in grid])]
    assert rho == pytest.approx(best, abs=2e-3)


def test_did_warns_about_months_of_only_one_group():
    data = panel(treated=("a",), comparison=("c",))
    data = data[~((data.area == "c") & (data.period == "2024-02"))]
    with pytest.warns(NetwerkonderzoekWarning) as record:
        did = stats.difference_in_differences(data, indicator="x", event="2023-03", treated=["a"])
    messages = [str(w.message) for w in record]
    assert any("1 month(s) have values in only one" in m and "2024-02" in m for m in messages)
    assert did["n_periods"].iloc[0] == 35


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


def test_evidence_from_result_carries_the_inference():
    its = stats.interrupted_time_series(panel(), indicator="x", event="2023-03", areas=["a"])
    row = its.set_index("term").loc["level_change"]
    item = stats.evidence_from_result(
        its, "cmo-09", term="level_change", direction="decrease", alpha=0.01
    )
    assert (item.se, item.statistic, item.df) == (row["se"], row["statistic"], row["df"])
    assert item.design == "its" and item.n == 36 and item.alpha == 0.01
    assert item.formula == row["formula"] and item.inference == row["inference"]
    assert item.model is row["model"]
    assert item.strength == ("moderate" if item.direction != "inconclusive" else "weak")
    did = stats.difference_in_differences(panel(), indicator="x", event="2023-03", treated=["a"])
    assert stats.evidence_from_result(did, "c", term="did", direction="decrease").design == "did"
    with pytest.raises(ValueError, match="'alpha' parameter of evidence_from_result"):
        stats.evidence_from_result(
            its, "cmo-09", term="level_change", direction="decrease", alpha=5
        )
