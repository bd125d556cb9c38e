"""Tests of netwerkonderzoek.heartbeat's panel: indicators, control charts by spc, signals.

Expected values are hand-computed (in the comments) from the definitions of
the XmR chart (Wheeler & Chambers 1992: mean ± 2.66 × mean moving range),
the Western Electric rules (1956), Making Data Count (NHS England 2019) and
Anhøj's runs analysis (Anhøj & Olesen 2014).
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from netwerkonderzoek import load_config, load_network
from netwerkonderzoek.config import HeartbeatSettings, PhaseSpec
from netwerkonderzoek.heartbeat import (
    DIRECTION_COLOURS,
    INDICATOR_DIRECTIONS,
    heartbeat,
    heartbeat_indicators,
    heartbeat_signals,
    plot_heartbeat,
    signal_summary,
    spc,
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def tiny_data(tiny):
    config_dir, data_dir = tiny
    config = load_config("tiny", config_dir)
    return config, load_network(config, data_dir)


def test_tiny_indicators_by_hand(tiny_data):
    config, data = tiny_data
    table = heartbeat_indicators(data, config.wave_dates).set_index(["indicator", "period"])[
        "value"
    ]
    # wave 1 period: 2023-01 .. 2023-03; gemeente 12 h and corporatie 30.5 h in 2023-01
    assert table[("hours", 1)] == pytest.approx(42.5 / 3)
    # roster at 2023-03-01: 3 partners, 2 contributed
    assert table[("participation", 1)] == pytest.approx(2 / 3)
    # 'overleg' is a meeting: 12 h / 3 partners / 3 months
    assert table[("meeting_load", 1)] == pytest.approx(12 / 3 / 3)
    # wave 2 (2023-04 .. 2023-09): nobody contributed
    assert table[("hours", 2)] == 0.0
    assert table[("density", 2)] == pytest.approx(3 / 12)
    # trust wave 1: (10/3 + 3 + 4) / 3 = 31/9
    assert table[("trust", 1)] == pytest.approx(31 / 9)


def trust_network(rel, hours=None):
    """Partners a, b, c with ties a -> b (reliability ``rel[w]``) and b -> c (3) per wave.

    Trust of a wave = mean over the two ties of their mean trust ratings
    = ((rel + 3 + 3) / 3 + 3) / 2 (hand calculation from the PARTNER definition).
    One wave a month from 2023-01, fieldwork on the 28th; a and b put in hours
    every month (``hours``: a's and b's hours, month after month).
    """
    n = len(rel)
    partners = pd.DataFrame(
        {"partner_id": ["a", "b", "c"], "kind": ["care"] * 3, "joined": ["2020-01-01"] * 3}
    )
    ties = pd.DataFrame(
        {
            "wave": [w for w in range(1, n + 1) for _ in range(2)],
            "source": ["a", "b"] * n,
            "target": ["b", "c"] * n,
            "tie_type": ["information"] * 2 * n,
            "weight": [1.0] * 2 * n,
            "reliability": [x for r in rel for x in (r, 3)],
            "mission_support": [3] * 2 * n,
            "open_discussion": [3] * 2 * n,
        }
    )
    months = [str(m) for m in pd.period_range("2023-01", periods=n, freq="M")]
    hours = hours or [4, 8] * n
    contributions = pd.DataFrame(
        {
            "partner_id": ["a", "b"] * n,
            "period": [m for m in months for _ in range(2)],
            "activity": ["overleg", "uitvoering"] * n,
            "hours": hours,
        }
    )
    data = type("D", (), {"partners": partners, "ties": ties, "contributions": contributions})
    dates = {w: f"{m}-28" for w, m in enumerate(months, start=1)}
    return data, dates


def trust_of(rel):
    return ((rel + 6) / 3 + 3) / 2


def rows_of(panel, indicator):
    return panel[panel["indicator"] == indicator].set_index("period")


def test_panel_columns_and_the_directions_of_its_indicators():
    data, dates = trust_network([4] * 3)
    panel = heartbeat(data, dates)
    assert panel.columns.tolist() == [
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
    ]
    assert set(panel["rule_set"]) == {"mdc"} and set(panel["phase"]) == {1}
    assert INDICATOR_DIRECTIONS == {
        "participation": "increase",
        "density": "increase",
        "trust": "increase",
        "value": "increase",
        "hours": None,
        "meeting_load": None,
    }
    with pytest.raises(ValueError, match="'directions' parameter of heartbeat must name panel"):
        heartbeat(data, dates, directions={"overlast": "decrease"})
    with pytest.raises(ValueError, match="Got 'up' for 'trust' instead"):
        heartbeat(data, dates, directions={"trust": "up"})
    with pytest.raises(TypeError, match="'settings' parameter of heartbeat must be"):
        heartbeat(data, dates, settings="mdc")


def test_few_waves_get_no_limits_and_no_signals():
    # issue 15: six waves gave limits from the first three; a drop of trust in wave 6
    # was called a signal. Six values are fewer than min_points (8): no limits at all
    data, dates = trust_network([4, 4, 3, 4, 4, 1])
    events = pd.DataFrame({"date": ["2023-06-10"], "title": ["Subsidie stopt"]})
    panel = heartbeat(data, dates, events=events)
    assert panel[["centre", "lower", "upper"]].isna().all().all()
    assert set(panel["limits"]) == {"none"}
    assert not panel["baseline"].any()
    assert (panel["rule"] == "").all() and (panel["direction"] == "").all()
    assert heartbeat_signals(panel) == []
    trust = rows_of(panel, "trust")
    assert trust.loc[6, "value"] == pytest.approx(trust_of(1))
    # the change from wave 5 to 6: (1 - 4) / 3 / 2 = -0.5
    assert trust.loc[6, "change"] == pytest.approx(-0.5)
    assert np.isnan(trust.loc[1, "change"])
    assert trust.loc[1, "note"] == (
        "6 waves, fewer than the 8 values control limits need (heartbeat.min_points): no "
        "control limits and no signals; see the change from the previous period"
    )
    assert rows_of(panel, "value")["note"].iloc[0].startswith("0 known values in 6 waves")
    fig = plot_heartbeat(panel)
    trust_ax = next(ax for ax in fig.axes if ax.get_title() == "Vertrouwen")
    assert "-0,50" in [t.get_text() for t in trust_ax.texts]  # the change into wave 6
    assert not trust_ax.collections  # no band of limits
    assert len(trust_ax.lines) == 1  # the values only: no centre line, no limits
    # every indicator has no limits (value: 0 known values); said per axes
    assert trust_ax.get_xlabel() == "geen controlegrenzen"
    assert fig.get_supxlabel() == "regels: Making Data Count"
    # the same reason for every indicator: said once, under the figure, with the rules
    without_value = panel[panel["indicator"] != "value"]
    assert plot_heartbeat(without_value).get_supxlabel() == (
        "regels: Making Data Count; geen controlegrenzen: 6 metingen, minstens 8 nodig; "
        "getal bij een punt: verandering sinds de vorige meting"
    )
    assert plot_heartbeat(without_value, language="en").get_supxlabel() == (
        "rules: Making Data Count; no control limits: 6 waves, at least 8 needed; "
        "number at a point: change since the previous wave"
    )
    # the network's own minimum: with min_points 4 and a baseline of 6, six waves are enough
    own = heartbeat(data, dates, settings={"baseline": 6, "min_points": 4})
    assert set(rows_of(own, "trust")["limits"]) == {"frozen"}


def test_trial_limits_between_min_points_and_the_baseline():
    # ten waves: at least min_points (8), fewer than the baseline (12): trial limits from all
    data, dates = trust_network([4, 3] * 5)
    trust = rows_of(heartbeat(data, dates), "trust")
    assert set(trust["limits"]) == {"trial"} and trust["baseline"].all()
    assert trust["centre"].iloc[0] == pytest.approx((trust_of(4) + trust_of(3)) / 2)
    assert trust["note"].iloc[0] == (
        "trial limits from 10 waves (fewer than the baseline of 12): recomputed as periods come in"
    )
    fig = plot_heartbeat(heartbeat(data, dates))
    trust_ax = next(ax for ax in fig.axes if ax.get_title() == "Vertrouwen")
    assert trust_ax.get_xlabel() == "voorlopige controlegrenzen"
    assert trust_ax.lines[1].get_linestyle() == ":"  # trial limits dotted


def test_limits_by_hand_and_a_signal_below_in_dutch_and_english():
    # 12 baseline waves (reliability 4, 4, 4, 3 three times), then a drop to 1 in wave 13.
    # Baseline trust: nine waves 19/6, three waves 3 -> centre (9 * 19/6 + 3 * 3) / 12
    # = 3.125; moving ranges: five of 1/6, six of 0 -> mean moving range 5/66 = 0.07576;
    # lower limit 3.125 - 2.66 * 0.07576 = 3.125 - 0.2015 = 2.9235 (3 / 1.128 = 2.6596),
    # upper 3.3265 (above the highest trust? no: 4). Wave 13: (7/3 + 3) / 2 = 2.667 < 2.9235
    rel = [4, 4, 4, 3] * 3 + [1]
    data, dates = trust_network(rel)
    events = pd.DataFrame({"date": ["2024-01-10"], "title": ["Subsidie stopt"]})
    panel = heartbeat(data, dates, events=events)
    trust = rows_of(panel, "trust")
    assert trust.loc[1, "centre"] == pytest.approx(3.125)
    assert trust.loc[1, "lower"] == pytest.approx(3.125 - 3 * (5 / 66) / 1.128)
    assert trust.loc[1, "lower"] == pytest.approx(2.9235, abs=1e-3)
    assert trust.loc[1, "upper"] == pytest.approx(3.125 + 2.66 * 5 / 66, abs=1e-3)
    assert trust.loc[13, "value"] == pytest.approx(trust_of(1))
    assert set(trust["limits"]) == {"frozen"}  # 12 baseline values: the full baseline
    assert trust["baseline"].sum() == 12 and not trust.loc[13, "baseline"]
    assert trust.loc[13, "rule"] == "astronomical" and trust.loc[13, "direction"] == "concern"
    assert heartbeat_signals(panel) == [
        "vertrouwen daalde onder de controlegrens in meting 13 (buiten de grenzen; zorg) "
        "(na: Subsidie stopt, 2024-01-10)"
    ]
    english = heartbeat(data, dates, language="en")
    assert heartbeat_signals(english) == [
        "trust fell below the control limit in wave 13 (beyond a limit; concern)"
    ]
    # the PARTNER value ratings are missing: no values, so no limits
    value = rows_of(panel, "value")
    assert set(value["limits"]) == {"none"}
    fig = plot_heartbeat(panel)
    assert len([ax for ax in fig.axes if ax.get_title()]) == 6
    trust_ax = next(ax for ax in fig.axes if ax.get_title() == "Vertrouwen")
    marked = [line for line in trust_ax.lines if line.get_color() == DIRECTION_COLOURS["concern"]]
    assert [list(line.get_xdata()) for line in marked] == [[12]]  # wave 13, a concern
    monthly = heartbeat(data, dates, by="month")
    assert set(monthly["indicator"]) == {"participation", "hours", "meeting_load"}
    assert monthly["period"].tolist()[:2] == ["2023-01", "2023-02"]


@pytest.mark.parametrize(
    ("base", "after", "way", "side"),
    [([4, 3], 4, "improvement", "boven"), ([3, 4], 3, "concern", "onder")],
)
def test_a_planted_shift_is_an_mdc_shift_with_the_indicators_direction(base, after, way, side):
    # baseline: reliability 4, 3 six times -> trust 19/6, 3 alternating, centre 37/12 =
    # 3.0833, mean moving range 1/6, limits 3.0833 -/+ 2.66 / 6 = [2.640, 3.527]; then
    # seven waves at 19/6 (0.083 above the centre) or 3 (0.083 below): within 1 sigma
    # (0.148), so only the shift of 7 on one side fires (the last baseline wave lies on
    # the other side); trust should increase
    data, dates = trust_network(base * 6 + [after] * 7)
    trust = rows_of(heartbeat(data, dates), "trust")
    assert trust.loc[13:, "rule"].tolist() == ["shift"] * 7
    assert (trust.loc[:12, "rule"] == "").all()
    assert set(trust.loc[13:, "direction"]) == {way}
    word = {"improvement": "verbetering", "concern": "zorg"}[way]
    assert trust["signal"].tolist() == [""] * 18 + [
        f"vertrouwen lag 7 metingen op rij {side} de centrumlijn, van meting 13 t/m meting 19 "
        f"(verschuiving; {word})"
    ]


def test_hours_and_meeting_load_are_neutral_unless_told():
    # 12 months of a 4 + b 8 h (a's are meetings), then 7 months of a 6 + b 8: hours 12 -> 14
    # and meeting load 4/3 -> 2 per partner; the baseline does not vary (sigma 0), so every
    # month after it is beyond the limits and in a shift
    hours = [4, 8] * 12 + [6, 8] * 7
    data, dates = trust_network([4] * 19, hours=hours)
    monthly = heartbeat(data, dates, by="month", language="en")
    load = rows_of(monthly, "meeting_load")
    assert load["note"].iloc[0] == (
        "baseline values do not vary (σ = 0): limits equal the centre line"
    )
    # beyond every limit, so beyond two sigma too (two of three on one side)
    assert load.iloc[12:]["rule"].unique().tolist() == ["astronomical; two_in_three; shift"]
    assert set(load.iloc[12:]["direction"]) == {"neutral"}
    assert heartbeat_signals(monthly) == [
        "hours was above the centre line for 7 months in a row, from 2024-01 to 2024-07 "
        "(shift, beyond a limit, 2 of 3 beyond 2 sigma; neutral)",
        "meeting load was above the centre line for 7 months in a row, from 2024-01 to "
        "2024-07 (shift, beyond a limit, 2 of 3 beyond 2 sigma; neutral)",
    ]
    concern = heartbeat(data, dates, by="month", directions={"meeting_load": "decrease"})
    assert set(rows_of(concern, "meeting_load").iloc[12:]["direction"]) == {"concern"}
    assert set(rows_of(concern, "hours").iloc[12:]["direction"]) == {"neutral"}


def test_anhoej_rules_give_the_runs_signals():
    # baseline median of 19/6 and 3 six times each: 37/12; then eight waves above: 20
    # useful points, the longest run 8 > round(log2 20) + 3 = 7 (Schilling 2012)
    data, dates = trust_network([4, 3] * 6 + [4] * 8)
    settings = HeartbeatSettings(rules="anhoej")
    panel = heartbeat(data, dates, settings=settings)
    trust = rows_of(panel, "trust")
    assert set(trust["rule_set"]) == {"anhoej"}
    assert trust["centre"].iloc[0] == pytest.approx(37 / 12)
    assert trust[["lower", "upper"]].isna().all().all()  # a run chart: no sigma limits
    assert trust["note"].iloc[0] == "runs analysis around the median (Anhøj): no sigma limits"
    assert trust.loc[13:, "rule"].tolist() == ["long_run"] * 8
    assert heartbeat_signals(panel) == [
        "vertrouwen lag 8 metingen op rij boven de mediaan, van meting 13 t/m meting 20 "
        "(lange reeks aan één kant; verbetering)"
    ]
    assert plot_heartbeat(panel).get_supxlabel() == "regels: runs-analyse (Anhøj)"
    # six low, six high: runs of 6 (not above 7) but 1 crossing, fewer than the 5 %
    # quantile of Binomial(11, 0.5), 3 (Chen 2010): every point, without a direction
    few, few_dates = trust_network([3] * 6 + [4] * 6)
    trust = rows_of(heartbeat(few, few_dates, settings=settings, language="en"), "trust")
    assert set(trust["rule"]) == {"few_crossings"} and set(trust["direction"]) == {"neutral"}
    assert [s for s in trust["signal"] if s] == [
        "trust crossed the median seldom from wave 1 to wave 12: 1 crossing, fewer than the "
        "minimum of 3 for a random series (too few crossings; neutral)"
    ]
    calm, calm_dates = trust_network([4, 3] * 6)
    assert signal_summary(heartbeat(calm, calm_dates, settings=settings), "wave") == (
        "Per meting: geen signalen: geen ongewoon lange reeks aan één kant van de mediaan en "
        "niet ongewoon weinig kruisingen. Voor waarde zijn er te weinig punten voor "
        "controlegrenzen."
    )


def test_a_configured_phase_rebases_the_limits_at_its_date():
    # hours: 12 months of 10 / 12 alternating (a alone; b puts in 0), then 12 months of
    # 30 / 32. One phase: limits frozen from the first 12, 11 -/+ 2.66 * 2 = [5.68, 16.32],
    # so every month of the new level is beyond them. Two phases from 2024-01: centres 11
    # and 31, each mean moving range 2, limits 11 -/+ 5.32 and 31 -/+ 5.32, no signal
    a = [10, 12] * 6 + [30, 32] * 6
    hours = [h for x in a for h in (x, 0)]
    data, dates = trust_network([4] * 24, hours=hours)
    before = rows_of(heartbeat(data, dates, by="month"), "hours")
    assert before.loc["2024-01":, "rule"].str.contains("astronomical").all()
    settings = HeartbeatSettings(
        phases=[PhaseSpec(start="2024-01", reason="nieuwe werkwijze", indicators=None)]
    )
    monthly = heartbeat(data, dates, by="month", settings=settings)
    hours_rows = rows_of(monthly, "hours")
    assert hours_rows.loc[:"2023-12", "phase"].eq(1).all()
    assert hours_rows.loc["2024-01":, "phase"].eq(2).all()
    assert set(hours_rows.loc["2024-01":, "phase_reason"]) == {"nieuwe werkwijze"}
    assert hours_rows.groupby("phase")["centre"].first().tolist() == pytest.approx([11, 31])
    assert hours_rows.loc["2024-01", "upper"] == pytest.approx(31 + 3 * 2 / 1.128)
    assert hours_rows.groupby("phase")["baseline"].sum().tolist() == [12, 12]
    assert (hours_rows["signal"] == "").all()
    fig = plot_heartbeat(monthly)
    hours_ax = next(ax for ax in fig.axes if ax.get_title() == "Uren")
    assert [t.get_text() for t in hours_ax.texts] == ["fase 2: nieuwe werkwijze"]
    # a phase for other indicators leaves the panel alone; one before the series too
    elsewhere = HeartbeatSettings(
        phases=[
            PhaseSpec(start="2022-06", reason="vooraf"),
            PhaseSpec(start="2024-01", reason="alleen overlast", indicators=["overlast"]),
        ]
    )
    assert set(heartbeat(data, dates, by="month", settings=elsewhere)["phase"]) == {1}
    # by wave: the phase starts at the first wave whose fieldwork is in or after its month
    waves = rows_of(heartbeat(data, dates, settings=settings), "trust")
    assert waves.loc[12, "phase"] == 1 and waves.loc[13, "phase"] == 2  # 2024-01-28


def test_western_electric_rules_one_by_one():
    # baseline 10, 12 six times: centre 11, mean moving range 2, sigma 2 / 1.128 = 1.773;
    # a value at z sigma from the centre is 11 + z * 1.773
    sigma = 2 / 1.128

    def codes(*z):
        values = [10, 12] * 6 + [11 + x * sigma for x in z]
        months = pd.period_range("2023-01", periods=len(values), freq="M").astype(str)
        table = spc(pd.DataFrame({"period": months, "value": values}), rules="western_electric")
        return table["signals"].iloc[12:].tolist()

    assert codes(0, 0, 3.5) == ["", "", "we1"]  # beyond 3 sigma
    assert codes(-2.5, 0, -2.2) == ["", "", "we2"]  # 2 of 3 beyond 2 sigma, one side
    assert codes(1.5, 1.2, 0, 1.1, 1.4) == ["", "", "", "", "we3"]  # 4 of 5 beyond 1 sigma
    assert codes(*[-0.5] * 7) == [""] * 7  # the last baseline value (12) is above
    assert codes(*[-0.5] * 8) == [""] * 7 + ["we4"]  # eight in a row below
    data, dates = trust_network([4, 4, 4, 3] * 3 + [1])
    panel = heartbeat(data, dates, settings={"rules": "western_electric"}, language="en")
    assert heartbeat_signals(panel) == [
        "trust fell below the control limit in wave 13 (rule 1; concern)"
    ]


def test_limits_outside_the_natural_range_are_not_drawn():
    # 24 months: a puts in 10 hours every month, b every other month, c never (roster
    # of 3). Participation alternates 2/3, 1/3: centre 1/2, mean moving range 1/3,
    # limits 0.5 -/+ 2.66 / 3 = 0.5 -/+ 0.887: both outside [0, 1]. Hours alternate
    # 20, 10: centre 15, mean moving range 10, lower limit 15 - 26.6 < 0; upper 41.6 stays.
    n = 24
    hours = [h for m in range(n) for h in (10, 10 if m % 2 == 0 else 0)]
    data, dates = trust_network([4] * n, hours=hours)
    monthly = heartbeat(data, dates, by="month")
    share = rows_of(monthly, "participation")
    assert share["centre"].iloc[0] == pytest.approx(0.5)
    assert share[["lower", "upper"]].isna().all().all()
    assert share["note"].iloc[0] == (
        "lower limit -0.387 lies below 0, the lowest possible participation: no lower "
        "limit; upper limit 1.39 lies above 1, the highest possible participation: no upper "
        "limit"
    )
    assert set(share["limits"]) == {"frozen"} and share["baseline"].sum() == 12
    hours_rows = rows_of(monthly, "hours")
    assert hours_rows["lower"].isna().all()
    assert hours_rows["upper"].iloc[0] == pytest.approx(15 + 3 * 10 / 1.128)
    fig = plot_heartbeat(monthly)
    share_ax = next(ax for ax in fig.axes if ax.get_title() == "Deelname")
    assert not share_ax.collections  # no band: neither limit is possible


def test_panel_explains_missing_limits(tiny_data):
    config, data = tiny_data
    monthly = heartbeat(data, config.wave_dates, by="month")
    # one month of contributions only: no control limits, and the note says why
    assert len(monthly) == 3
    assert monthly["lower"].isna().all()
    assert (
        monthly["note"]
        == (
            "1 month, fewer than the 8 values control limits need (heartbeat.min_points): "
            "no control limits and no signals; see the change from the previous period"
        )
    ).all()
    with pytest.raises(ValueError, match="'by' parameter"):
        heartbeat(data, config.wave_dates, by="year")


def test_wijk_noord_monthly_panel():
    """The shipped example: 30 months (2022-07 to 2024-12), limits frozen from 12."""
    config = load_config("wijk-noord", ROOT / "config")
    data = load_network(config, ROOT / "data")
    monthly = heartbeat(
        data, config.wave_dates, by="month", settings=config.heartbeat, events=data.events
    )
    assert monthly.groupby("indicator").size().to_dict() == {
        "hours": 30,
        "meeting_load": 30,
        "participation": 30,
    }
    assert set(monthly["limits"]) == {"frozen"} and set(monthly["rule_set"]) == {"mdc"}
    assert monthly.groupby("indicator")["baseline"].sum().eq(12).all()
    hours = rows_of(monthly, "hours")
    # hand check of the hours limits from the first 12 months (heartbeat_indicators):
    # 204.6 212.8 383.3 369.0 353.1 277.6 320.6 380.4 373.5 379.2 379.5 348.0, sum 3981.6,
    # centre 331.8; moving ranges 8.2 170.5 14.3 15.9 75.5 43.0 59.8 6.9 5.7 0.3 31.5,
    # sum 431.6, mean 39.236; limits 331.8 -/+ 2.66 * 39.236 = 331.8 -/+ 104.37
    assert hours["centre"].iloc[0] == pytest.approx(331.8)
    assert hours["lower"].iloc[0] == pytest.approx(331.8 - 2.66 * 431.6 / 11, abs=0.05)
    assert hours["upper"].iloc[0] == pytest.approx(331.8 + 3 * (431.6 / 11) / 1.128)
    # participation is 1 every month: no spread, limits on the centre line, no signal
    share = rows_of(monthly, "participation")
    assert (share["value"] == 1).all() and (share["signal"] == "").all()
    assert heartbeat_signals(monthly) == [
        "uren lag onder de controlegrens van 2022-07 t/m 2022-08 (buiten de grenzen; "
        "neutraal) (na: Start Wijknetwerk Leefbaar Noord, 2022-07-05)",
        "vergaderdruk lag onder de controlegrens van 2022-07 t/m 2022-08 (buiten de grenzen; "
        "neutraal) (na: Start Wijknetwerk Leefbaar Noord, 2022-07-05)",
        "vergaderdruk lag onder de controlegrens van 2023-07 t/m 2023-08 (buiten de grenzen; "
        "neutraal)",
        "vergaderdruk lag in 2 van 3 maanden ver (meer dan 2σ) boven het gemiddelde, t/m "
        "2024-03 (2 van 3 voorbij 2 sigma; neutraal) (na: Huisbezoeken bij "
        "betalingsachterstand, 2024-01-20)",
        "vergaderdruk daalde onder de controlegrens in 2024-08 (buiten de grenzen; neutraal)",
    ]
    assert signal_summary(monthly, "month").splitlines()[0] == "Per maand: 5 signalen:"


@pytest.mark.parametrize("network_id", ["wijk-noord", "energie-regio", "ggz-netwerk"])
def test_example_networks_have_no_wave_limits(network_id):
    # 4 to 6 waves each: no limits, so no lower density limit below 0 and no signals
    config = load_config(network_id, ROOT / "config")
    data = load_network(config, ROOT / "data")
    panel = heartbeat(data, config.wave_dates, settings=config.heartbeat)
    assert set(panel["limits"]) == {"none"}
    assert heartbeat_signals(panel) == []
    monthly = heartbeat(data, config.wave_dates, by="month", settings=config.heartbeat)
    for indicator, rows in monthly.groupby("indicator"):
        lowest, highest = (0.0, 1.0) if indicator == "participation" else (0.0, np.inf)
        assert (rows["lower"].dropna() >= lowest).all()
        assert (rows["upper"].dropna() <= highest).all()
        assert rows["baseline"].sum() >= config.heartbeat.min_points


def test_signal_summary_never_reports_calm_without_limits():
    # issue 18: "Geen signalen" was printed for a series too short for limits,
    # directly above the signals of the monthly series
    short = pd.DataFrame({"indicator": ["trust", "hours"], "limits": ["none"] * 2, "signal": ""})
    assert "geen signalen" not in signal_summary(short).lower()
    assert signal_summary(short, "month", language="en") == (
        "Per month: too few points for control limits (at least 8 needed), so whether there "
        "are signals cannot be told."
    )
    assert "(minstens 5 nodig)" in signal_summary(short, settings={"min_points": 5})
    calm = pd.DataFrame(
        {"indicator": ["hours", "trust"], "limits": ["frozen", "none"], "signal": ["", ""]}
    )
    assert signal_summary(calm) == (
        "Per meting: geen signalen: alle waarden liggen binnen de controlegrenzen. Voor "
        "vertrouwen zijn er te weinig punten voor controlegrenzen."
    )
    loud = pd.DataFrame(
        {"indicator": ["hours"] * 2, "limits": ["trial"] * 2, "signal": ["a", "b"]}
    )
    assert signal_summary(loud, "month").splitlines() == [
        "Per maand: 2 signalen (voorlopige grenzen):",
        "- a",
        "- b",
    ]
    with pytest.raises(ValueError, match="'by' parameter of signal_summary"):
        signal_summary(loud, "week")
