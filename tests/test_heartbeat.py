"""Tests of netwerkonderzoek.heartbeat: XmR limits, Western Electric rules, the panel."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

from netwerkonderzoek import load_config, load_network
from netwerkonderzoek.heartbeat import (
    heartbeat,
    heartbeat_indicators,
    heartbeat_signals,
    plot_heartbeat,
    western_electric,
    xmr_limits,
)
from netwerkonderzoek.network import NetworkDataError


def test_xmr_limits_by_hand():
    # baseline 10, 12, 11: mean 11; moving ranges 2, 1 -> mean 1.5; sigma 1.5 / 1.128;
    # limits 11 -/+ 2.66 * 1.5 (Montgomery 2009, eq. 6.33: 3 / d2 = 2.66)
    centre, lower, upper, sigma = xmr_limits([10, 12, 11, 30], baseline=3)
    assert centre == pytest.approx(11)
    assert sigma == pytest.approx(1.5 / 1.128)
    assert lower == pytest.approx(11 - 3 * 1.5 / 1.128)
    assert upper == pytest.approx(11 + 3 * 1.5 / 1.128)
    assert 11 + 2.66 * 1.5 == pytest.approx(upper, abs=0.01)
    with pytest.raises(NetworkDataError, match="at least 2 baseline values; got 1"):
        xmr_limits([1.0, np.nan, 2.0], baseline=2)


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


def test_panel_signals_in_dutch_and_english():
    partners = pd.DataFrame(
        {"partner_id": ["a", "b", "c"], "kind": ["care"] * 3, "joined": ["2020-01-01"] * 3}
    )
    rel = [4, 4, 3, 4, 4, 1]  # a -> b reliability per wave; b -> c stays 3
    ties = pd.DataFrame(
        {
            "wave": [w for w in range(1, 7) for _ in range(2)],
            "source": ["a", "b"] * 6,
            "target": ["b", "c"] * 6,
            "tie_type": ["information"] * 12,
            "weight": [1.0] * 12,
            "reliability": [x for r in rel for x in (r, 3)],
            "mission_support": [3] * 12,
            "open_discussion": [3] * 12,
        }
    )
    months = [f"2023-{m:02d}" for m in range(1, 7)]
    contributions = pd.DataFrame(
        {
            "partner_id": ["a", "b"] * 6,
            "period": [m for m in months for _ in range(2)],
            "activity": ["overleg", "uitvoering"] * 6,
            "hours": [4, 8, 5, 9, 4, 8, 5, 8, 4, 7, 5, 8],
        }
    )
    events = pd.DataFrame({"date": ["2023-06-10"], "title": ["Subsidie stopt"]})
    data = type("D", (), {"partners": partners, "ties": ties, "contributions": contributions})
    dates = {w: f"2023-{w:02d}-28" for w in range(1, 7)}
    panel = heartbeat(data, dates, events=events)
    assert list(panel.columns[:6]) == ["period", "indicator", "value", "centre", "lower", "upper"]
    # trust per wave: mean of (rel + 6) / 3 and 3; baseline waves 1-3: 10/3, 10/3, 3 ...
    trust = panel[panel["indicator"] == "trust"].set_index("period")
    assert trust.loc[6, "value"] == pytest.approx(((1 + 6) / 3 + 3) / 2)
    assert heartbeat_signals(panel) == [
        "vertrouwen daalde onder de controlegrens in meting 6 (na: Subsidie stopt, 2023-06-10)"
    ]
    english = heartbeat(data, dates, language="en")
    assert heartbeat_signals(english) == ["trust fell below the control limit in wave 6"]
    fig = plot_heartbeat(panel)
    assert len([ax for ax in fig.axes if ax.get_title()]) == 6
    monthly = heartbeat(data, dates, by="month")
    assert set(monthly["indicator"]) == {"participation", "hours", "meeting_load"}
    assert monthly["period"].tolist()[:2] == ["2023-01", "2023-02"]


def test_panel_explains_missing_limits(tiny_data):
    config, data = tiny_data
    monthly = heartbeat(data, config.wave_dates, by="month")
    # one month of contributions only: no control limits, and the note says why
    assert len(monthly) == 3
    assert monthly["lower"].isna().all()
    assert (monthly["note"] == "fewer than 2 baseline values: no control limits").all()
    with pytest.raises(ValueError, match="'by' parameter"):
        heartbeat(data, config.wave_dates, by="year")
    with pytest.raises(ValueError, match="'baseline' parameter of heartbeat must be from 2 to 2"):
        heartbeat(data, config.wave_dates, baseline=5)
