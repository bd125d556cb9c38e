"""The shipped example networks: do the tests recover the simulator's ground truth?

The ground truth is ``data/<network_id>/ground_truth.json`` written by
:mod:`netwerkonderzoek.simulate`; see ``benchmarks/bench_cmo_coverage.py``
for the same check over 200 seeds.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netwerkonderzoek import stats
from netwerkonderzoek.cmo import ledger, load_theory, verdicts
from netwerkonderzoek.tables import read_table

ROOT = Path(__file__).resolve().parent.parent
NETWORKS = ("energie-regio", "wijk-noord", "ggz-netwerk")


def shipped(network_id):
    folder = ROOT / "data" / network_id
    truth = json.loads((folder / "ground_truth.json").read_text(encoding="utf-8"))
    truth = truth.get("configurations", truth)
    units = read_table("units", folder / "units.csv")
    theory = load_theory(ROOT / "config" / "theories" / f"{network_id}.yaml", units)
    return theory, units, truth


@pytest.mark.parametrize("network_id", NETWORKS)
def test_verdicts_recover_ground_truth(network_id):
    theory, units, truth = shipped(network_id)
    table = verdicts(ledger(stats.test_theory(units, theory)), theory=theory).set_index("cmo_id")
    for config in theory:
        gt = truth[config.id]
        row = table.loc[config.id]
        if gt["holds_in"] == "context":
            assert row["verdict"] == "supported", config.id
        elif gt["holds_in"] == "outside":
            assert row["verdict"] == "refined", config.id
            assert row["refined_context"] == f"not ({gt['context']})"
        else:
            assert row["verdict"] != "supported", config.id
        assert row["verdict"] != "supported" or gt["holds"]


@pytest.mark.parametrize("network_id", NETWORKS)
def test_estimates_are_close_to_the_true_effects(network_id):
    theory, units, truth = shipped(network_id)
    for item in stats.test_theory(units, theory):
        gt = truth[item.cmo_id]
        # within 3 standard errors (a 95% interval misses 1 in 20; 3 SE 1 in 370)
        assert abs(item.estimate - gt["effect"]) < 3 * item.extra["se"], item.cmo_id
        assert (
            abs(item.estimate_out - gt["effect_outside"])
            < 3.5 * (item.ci_high_out - item.ci_low_out) / 3.92
        ), item.cmo_id


@pytest.mark.parametrize("network_id", NETWORKS)
def test_interrupted_time_series_recovers_planted_change(network_id):
    truth = json.loads((ROOT / "data" / network_id / "ground_truth.json").read_text())
    planted = truth["indicators"]
    indicators = read_table("indicators", ROOT / "data" / network_id / "indicators.csv")
    events = read_table("events", ROOT / "data" / network_id / "events.csv")
    start = stats.event_period(events, planted["event"])
    assert start == planted["start_period"]
    its = stats.interrupted_time_series(
        indicators, indicator=planted["indicator_id"], event=start, areas=planted["treated_areas"]
    ).set_index("term")
    row = its.loc["level_change"]
    assert row["ci_low"] < planted["level_change"] < row["ci_high"]
    assert row["p_value"] < 0.05
    did = stats.difference_in_differences(
        indicators,
        indicator=planted["indicator_id"],
        event=start,
        treated=planted["treated_areas"],
        comparison=planted["comparison_areas"],
    ).set_index("term")
    row = did.loc["did_level_change"]
    assert row["ci_low"] < planted["level_change"] < row["ci_high"]


@pytest.mark.parametrize("network_id", NETWORKS)
def test_qualitative_evidence_never_supports_a_configuration_that_holds_nowhere(network_id):
    theory, _, truth = shipped(network_id)
    observations = read_table("observations", ROOT / "data" / network_id / "observations.csv")
    for item in stats.qualitative_evidence(observations, theory):
        if truth[item.cmo_id]["holds_in"] == "context":
            assert item.direction == "supports", item.cmo_id
        else:
            assert item.direction != "supports", item.cmo_id
