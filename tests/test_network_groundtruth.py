"""The network measures recover the simulator's planted truths in the example networks.

Source of every expected value: ``data/<network_id>/ground_truth.json`` under key
``network`` (written by netwerkonderzoek.simulate): the planted core partners,
the partner that becomes a broker in a later wave (between two named groups),
and the trust drop after a timeline event (wave, size, observed drop).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netwerkonderzoek import load_config, load_network
from netwerkonderzoek.heartbeat import heartbeat
from netwerkonderzoek.network import brokerage, build_graph, network_trust, partner_measures

ROOT = Path(__file__).resolve().parent.parent
NETWORKS = ("energie-regio", "wijk-noord", "ggz-netwerk")


def _load(network_id):
    folder = ROOT / "data" / network_id
    if not (folder / "ground_truth.json").is_file():
        pytest.skip(f"example data of {network_id} not generated yet (run `make simulate`)")
    config = load_config(network_id, ROOT / "config")
    data = load_network(config, ROOT / "data")
    truth = json.loads((folder / "ground_truth.json").read_text(encoding="utf-8"))["network"]
    return config, data, truth


@pytest.fixture(scope="module", params=NETWORKS)
def example(request):
    config, data, truth = _load(request.param)
    table = partner_measures(data.ties, data.partners, config.wave_dates, seed=config.study.seed)
    return config, data, truth, table


def test_planted_core_is_recovered(example):
    _, _, truth, table = example
    for wave, rows in table.groupby("wave"):
        rows = rows.set_index("partner_id")
        planted = [p for p in truth["core"] if p in rows.index]
        # every planted core partner is in the discrete core ...
        assert rows.loc[planted, "core"].all(), f"wave {wave}"
        # ... and among the most core partners by continuous coreness (top quarter)
        rank = rows["coreness"].rank(ascending=False, method="min")
        assert (rank[planted] <= max(7, len(rows) // 4)).all(), f"wave {wave}: {rank[planted]}"
        # the planted core is more core than the rest on average
        others = rows.drop(index=planted)["coreness"]
        assert rows.loc[planted, "coreness"].mean() > others.mean() + 0.2


def test_broker_emerges_in_its_wave(example):
    _, _, truth, table = example
    broker, wave = truth["broker"]["partner_id"], truth["broker"]["wave"]
    series = table[table["partner_id"] == broker].set_index("wave")["betweenness"]
    before = series[series.index < wave]
    assert len(before) >= 1
    # betweenness at least 2.5 times its highest value before the broker wave
    assert series[wave] >= 2.5 * before.max()
    ranks = (
        table[table["wave"] == wave]
        .set_index("partner_id")["betweenness"]
        .rank(ascending=False, method="min")
    )
    assert ranks[broker] <= 5


def test_broker_bridges_the_two_named_groups(example):
    config, data, truth, _ = example
    info = truth["broker"]
    broker, wave = info["partner_id"], info["wave"]
    group_a, group_b = (set(g) for g in info["groups"])

    def bridging_paths(w):
        G = build_graph(data.ties, data.partners, w, date=config.wave_dates[w])
        return sum(
            1
            for a in G.predecessors(broker)
            for c in G.successors(broker)
            if ((a in group_a and c in group_b) or (a in group_b and c in group_a))
            and not G.has_edge(a, c)
        )

    earlier = [w for w in config.wave_dates if w < wave]
    # open two-paths between the two groups through the broker: many more from its wave on
    assert bridging_paths(wave) > 3 * max(bridging_paths(w) for w in earlier) + 2
    # and Gould-Fernandez brokerage of the broker (all roles) rises well above expectation
    G = build_graph(data.ties, data.partners, wave, date=config.wave_dates[wave])
    roles = brokerage(G).loc[broker]
    assert roles["total"] > roles["total_expected"]


def test_trust_drop_after_event_is_recovered(example):
    config, data, truth, _ = example
    drop = truth["trust_drop"]
    trust = network_trust(data.ties).set_index("wave")["trust"]
    change = trust.diff()
    # the largest fall in network trust is in the planted wave, of the observed size
    assert change.idxmin() == drop["wave"]
    assert -change[drop["wave"]] == pytest.approx(drop["observed_drop"], abs=0.03)
    # the heartbeat shows it as the change into the planted wave. With 4 to 6 waves it
    # draws no control limits (at least 12 baseline values are needed, Provost & Murray
    # 2011), so it raises no signal: the former rule-1 signal came from limits of 2-3 waves
    panel = heartbeat(data, config.wave_dates, events=data.events)
    rows = panel[panel["indicator"] == "trust"].set_index("period")
    assert set(rows["limits"]) == {"none"}
    assert (rows["signal"] == "").all()
    assert rows["change"].idxmin() == drop["wave"]
    assert rows.loc[drop["wave"], "change"] < -drop["observed_drop"] / 2
    # the planted event lies between the previous wave and the drop
    when = {w: str(d) for w, d in config.wave_dates.items()}
    event = data.events[data.events["title"] == drop["event"]].iloc[0]
    assert when[drop["wave"] - 1] < str(event["date"])[:10] <= when[drop["wave"]]
