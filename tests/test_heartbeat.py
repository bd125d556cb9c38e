"""Tests of netwerkonderzoek.heartbeat: XmR limits, Western Electric rules, the panel."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

from netwerkonderzoek import load_config, load_network
from netwerkonderzoek.heartbeat import (
    FULL_BASELINE,
    MIN_BASELINE,
    heartbeat,
    heartbeat_indicators,
    heartbeat_signals,
    plot_heartbeat,
    western_electric,
    xmr_limits,
)
from netwerkonderzoek.network import NetworkDataError


def test_xmr_limits_by_hand():
    # baseline 10, 12, 11 four times: mean 11; moving ranges 2, 1, 1, ... (11 of them,
    # four 2s and seven 1s) -> mean 15 / 11; sigma (15 / 11) / 1.128; limits 11 -/+ 3 sigma
    # (Montgomery 2009, eq. 6.33: 3 / d2 = 2.66)
    mr = 15 / 11
    centre, lower, upper, sigma = xmr_limits([10, 12, 11] * 4 + [30], baseline=12)
    assert centre == pytest.approx(11)
    assert sigma == pytest.approx(mr / 1.128)
    assert lower == pytest.approx(11 - 3 * mr / 1.128)
    assert upper == pytest.approx(11 + 3 * mr / 1.128)
    assert 11 + 2.66 * mr == pytest.approx(upper, abs=0.01)
    # issue 15: limits from 2-3 baseline values were computed; at least 12 are needed
    # (Provost & Murray 2011, ch. 5)
    assert MIN_BASELINE == 12 and FULL_BASELINE == 20
    with pytest.raises(NetworkDataError, match=r"at least 12 baseline values .*; got 3"):
        xmr_limits([10, 12, 11, 30], baseline=3)
    with pytest.raises(NetworkDataError, match="got 11 "):
        xmr_limits([1.0] * 11 + [np.nan, 2.0], baseline=12)


def test_western_electric_rules_one_by_one():
    # rule 1: beyond 3 sigma
    assert western_electric([0, 0, 3.5], 0, 1) == [(2, 1, 1)]
    # rule 2: two of three beyond 2 sigma on one side (the second flagged)
    assert western_electric([-2.5, 0, -2.2], 0, 1) == [(2, 2, -1)]
    # rule 3: four of five beyond 1 sigma on one side
    assert western_electric([1.5, 1.2, 0, 1.1, 1.4], 0, 1) == [(4, 3, 1)]
    # rule 4: eight in a row on one side (within 1 sigma, so rules 2-3 cannot fire)
    assert western_electric([0.5] * 7, 0, 1) == []
    assert western_electric([-0.5] * 8, 0, 1) == [(7, 4, -1)]
    # only the chosen rules
    assert western_electric([-0.5] * 8, 0, 1, rules=(1, 2, 3)) == []
    with pytest.raises(ValueError, match="rule numbers 1-4"):
        western_electric([0], 0, 1, rules=(5,))


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
    One wave a month, fieldwork on the 28th; a and b put in hours every month.
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


def test_few_waves_get_no_limits_and_no_signals():
    # issue 15: six waves gave limits from the first three (and a lower density limit
    # below 0 in other networks); a drop of trust in wave 6 was called a signal
    data, dates = trust_network([4, 4, 3, 4, 4, 1])
    events = pd.DataFrame({"date": ["2023-06-10"], "title": ["Subsidie stopt"]})
    panel = heartbeat(data, dates, events=events)
    assert list(panel.columns[:6]) == ["period", "indicator", "value", "centre", "lower", "upper"]
    assert panel[["centre", "lower", "upper"]].isna().all().all()
    assert set(panel["limits"]) == {"none"}
    assert not panel["baseline"].any()
    assert heartbeat_signals(panel) == []
    trust = panel[panel["indicator"] == "trust"].set_index("period")
    assert trust.loc[6, "value"] == pytest.approx(trust_of(1))
    # the change from wave 5 to 6: (1 - 4) / 3 / 2 = -0.5
    assert trust.loc[6, "change"] == pytest.approx(-0.5)
    assert np.isnan(trust.loc[1, "change"])
    assert trust.loc[1, "note"].startswith(
        "6 waves, fewer than the 12 baseline values control limits need (Provost & Murray 2011)"
    )
    fig = plot_heartbeat(panel)
    trust_ax = next(ax for ax in fig.axes if ax.get_title() == "Vertrouwen")
    assert "-0,50" in [t.get_text() for t in trust_ax.texts]  # the change into wave 6
    assert not trust_ax.collections  # no band of limits
    assert len(trust_ax.lines) == 1  # the values only: no centre line, no limits
    # every indicator has no limits (value: 0 known values); said per axes
    assert trust_ax.get_xlabel() == "geen controlegrenzen"
    # the same reason for every indicator: said once, under the figure
    without_value = panel[panel["indicator"] != "value"]
    assert plot_heartbeat(without_value).get_supxlabel() == (
        "geen controlegrenzen: 6 metingen, minstens 12 nodig; "
        "getal bij een punt: verandering sinds de vorige meting"
    )
    assert plot_heartbeat(without_value, language="en").get_supxlabel() == (
        "no control limits: 6 waves, at least 12 needed; "
        "number at a point: change since the previous wave"
    )


def test_panel_signals_in_dutch_and_english():
    # 12 baseline waves (reliability 4, 4, 4, 3 three times), then a drop to 1 in wave 13.
    # Baseline trust: nine waves 19/6, three waves 3 -> centre 3.125; moving ranges:
    # five of 1/6, six of 0 -> mean 5/66; sigma (5/66) / 1.128; lower limit
    # 3.125 - 3 sigma = 2.924 > trust of wave 13, (7/3 + 3) / 2 = 2.667: rule 1
    rel = [4, 4, 4, 3] * 3 + [1]
    data, dates = trust_network(rel)
    events = pd.DataFrame({"date": ["2024-01-10"], "title": ["Subsidie stopt"]})
    panel = heartbeat(data, dates, events=events)
    trust = panel[panel["indicator"] == "trust"].set_index("period")
    assert trust.loc[1, "centre"] == pytest.approx(3.125)
    assert trust.loc[1, "lower"] == pytest.approx(3.125 - 3 * (5 / 66) / 1.128)
    assert trust.loc[13, "value"] == pytest.approx(trust_of(1))
    assert set(trust["limits"]) == {"trial"}  # 12 baseline values: fewer than 20
    assert trust["baseline"].sum() == 12
    assert trust.loc[1, "note"] == (
        "trial limits from 12 baseline values (fewer than 20, Provost & Murray 2011): "
        "recompute them as periods come in"
    )
    assert heartbeat_signals(panel) == [
        "vertrouwen daalde onder de controlegrens in meting 13 (na: Subsidie stopt, 2024-01-10)"
    ]
    english = heartbeat(data, dates, language="en")
    assert heartbeat_signals(english) == ["trust fell below the control limit in wave 13"]
    # the PARTNER value ratings are missing: no values, so no limits
    value = panel[panel["indicator"] == "value"]
    assert set(value["limits"]) == {"none"}
    assert value["note"].iloc[0].startswith("0 known values in a baseline of 12 waves")
    fig = plot_heartbeat(panel)
    assert len([ax for ax in fig.axes if ax.get_title()]) == 6
    trust_ax = next(ax for ax in fig.axes if ax.get_title() == "Vertrouwen")
    assert trust_ax.get_xlabel() == "voorlopige controlegrenzen"
    assert trust_ax.lines[1].get_linestyle() == ":"  # trial limits dotted
    monthly = heartbeat(data, dates, by="month")
    assert set(monthly["indicator"]) == {"participation", "hours", "meeting_load"}
    assert monthly["period"].tolist()[:2] == ["2023-01", "2023-02"]


def test_limits_outside_the_natural_range_are_not_drawn():
    # 24 months: a puts in 10 hours every month, b every other month, c never (roster
    # of 3). Participation alternates 2/3, 1/3: centre 1/2, mean moving range 1/3,
    # sigma (1/3) / 1.128, limits 0.5 -/+ 0.887: both outside [0, 1]. Hours alternate
    # 20, 10: centre 15,
    # sigma 10 / 1.128, lower limit 15 - 26.6 < 0; upper 41.6 stays.
    n = 24
    hours = [h for m in range(n) for h in (10, 10 if m % 2 == 0 else 0)]
    data, dates = trust_network([4] * n, hours=hours)
    monthly = heartbeat(data, dates, by="month")
    share = monthly[monthly["indicator"] == "participation"]
    assert share["centre"].iloc[0] == pytest.approx(0.5)
    assert share[["lower", "upper"]].isna().all().all()
    assert (
        "lower limit -0.387 lies below 0, the lowest possible participation"
        in (share["note"].iloc[0])
    )
    assert (
        "upper limit 1.39 lies above 1, the highest possible participation"
        in (share["note"].iloc[0])
    )
    assert set(share["limits"]) == {"trial"}
    hours_rows = monthly[monthly["indicator"] == "hours"]
    assert hours_rows["lower"].isna().all()
    assert hours_rows["upper"].iloc[0] == pytest.approx(15 + 3 * 10 / 1.128)
    fig = plot_heartbeat(monthly)
    share_ax = next(ax for ax in fig.axes if ax.get_title() == "Deelname")
    assert not share_ax.collections  # no band: neither limit is possible
    # 40 months: the first half is 20 baseline values, full limits without a note
    long, long_dates = trust_network([4] * 40, hours=[10, 10] * 40)
    full = heartbeat(long, long_dates, by="month")
    assert set(full["limits"]) == {"full"}
    assert full.groupby("indicator")["baseline"].sum().eq(20).all()


def test_panel_explains_missing_limits(tiny_data):
    config, data = tiny_data
    monthly = heartbeat(data, config.wave_dates, by="month")
    # one month of contributions only: no control limits, and the note says why
    assert len(monthly) == 3
    assert monthly["lower"].isna().all()
    assert (
        monthly["note"]
        == (
            "1 month, fewer than the 12 baseline values control limits need (Provost & "
            "Murray 2011): no control limits and no signals; see the change from the "
            "previous period"
        )
    ).all()
    with pytest.raises(ValueError, match="'by' parameter"):
        heartbeat(data, config.wave_dates, by="year")
    with pytest.raises(
        ValueError, match="'baseline' parameter of heartbeat must be at least 12, more than the 2"
    ):
        heartbeat(data, config.wave_dates, baseline=5)


@pytest.mark.parametrize("network_id", ["wijk-noord", "energie-regio", "ggz-netwerk"])
def test_example_networks_have_no_wave_limits(network_id):
    # 4 to 6 waves each: no limits, so no lower density limit below 0 and no signals
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    config = load_config(network_id, root / "config")
    data = load_network(config, root / "data")
    panel = heartbeat(data, config.wave_dates)
    assert set(panel["limits"]) == {"none"}
    assert heartbeat_signals(panel) == []
    monthly = heartbeat(data, config.wave_dates, by="month")
    for indicator, rows in monthly.groupby("indicator"):
        lowest, highest = (0.0, 1.0) if indicator == "participation" else (0.0, np.inf)
        assert (rows["lower"].dropna() >= lowest).all()
        assert (rows["upper"].dropna() <= highest).all()
        assert rows["baseline"].sum() >= 12


def test_signal_summary_never_reports_calm_without_limits():
    # issue 18: "Geen signalen" was printed for a series too short for limits,
    # directly above the signals of the monthly series
    from netwerkonderzoek.heartbeat import signal_summary

    short = pd.DataFrame({"indicator": ["trust", "hours"], "limits": ["none"] * 2, "signal": ""})
    assert "geen signalen" not in signal_summary(short).lower()
    assert signal_summary(short, "month", language="en") == (
        "Per month: too few points for control limits (at least 12 needed), so whether there "
        "are signals cannot be told."
    )
    calm = pd.DataFrame(
        {"indicator": ["hours", "trust"], "limits": ["full", "none"], "signal": ["", ""]}
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
