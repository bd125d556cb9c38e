"""Tests for netwerkonderzoek.simulate (the example-network generator)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from netwerkonderzoek.config import load_config
from netwerkonderzoek.simulate import (
    DEFAULT_SEED,
    EXAMPLE_NETWORKS,
    simulate_network,
    write_examples,
    write_network,
)
from netwerkonderzoek.tables import PARTNER_KINDS, TABLE_NAMES, validate_network

ROOT = Path(__file__).resolve().parents[1]
CMO_KEYS = {
    "holds",
    "holds_in",
    "effect",
    "effect_outside",
    "outcome",
    "scale",
    "outcome_scale",
    "context",
}


@pytest.fixture(scope="module")
def examples(tmp_path_factory):
    """The example networks written once with the default seed."""
    root = tmp_path_factory.mktemp("examples")
    paths = write_examples(root / "config", root / "data")
    return root, paths


@pytest.fixture(scope="module")
def sims():
    return {n: simulate_network(n, DEFAULT_SEED) for n in EXAMPLE_NETWORKS}


def test_same_seed_same_tables():
    a = simulate_network("wijk-noord", seed=5)
    b = simulate_network("wijk-noord", seed=5)
    for name in TABLE_NAMES:
        pd.testing.assert_frame_equal(a.tables[name], b.tables[name])
    assert a.ground_truth == b.ground_truth
    assert a.config == b.config


def test_different_seed_different_data():
    a = simulate_network("wijk-noord", seed=5)
    b = simulate_network("wijk-noord", seed=6)
    assert not a.tables["units"].equals(b.tables["units"])
    assert not a.tables["ties"].equals(b.tables["ties"])
    assert b.config["study"]["seed"] == 6
    assert b.ground_truth["seed"] == 6


def test_networks_get_different_streams(sims):
    # Same base seed, different network index: the unit noise must differ.
    a = sims["energie-regio"].tables["units"]["income"].to_numpy()[:50]
    b = sims["ggz-netwerk"].tables["units"]["income"].to_numpy()[:50]
    assert not np.array_equal(a, b)


def test_writing_twice_is_byte_identical(tmp_path):
    sim = simulate_network("ggz-netwerk", seed=3)
    first = write_network(sim, tmp_path / "a" / "config", tmp_path / "a" / "data")
    second = write_network(
        simulate_network("ggz-netwerk", seed=3), tmp_path / "b" / "config", tmp_path / "b" / "data"
    )
    assert len(first) == 10
    for p, q in zip(first, second, strict=True):
        assert p.read_bytes() == q.read_bytes(), p.name
        assert b"\r\n" not in p.read_bytes()


def test_shipped_examples_match_the_simulator(examples):
    root, paths = examples
    assert len(paths) == 30
    for path in paths:
        rel = path.relative_to(root)
        shipped = ROOT / rel
        assert shipped.is_file(), f"{rel} is not shipped; run write_examples()"
        assert shipped.read_bytes() == path.read_bytes(), f"{rel} differs from write_examples()"


@pytest.mark.parametrize("network_id", EXAMPLE_NETWORKS)
def test_written_network_validates(examples, network_id):
    root, _ = examples
    config = load_config(network_id, root / "config")
    assert validate_network(config, root / "data") == []
    assert config.study.seed == DEFAULT_SEED


@pytest.mark.parametrize("network_id", EXAMPLE_NETWORKS)
def test_sizes_within_brief(sims, network_id):
    sim = sims[network_id]
    t = sim.tables
    assert 15 <= len(t["partners"]) <= 40
    assert set(t["partners"]["kind"]) <= set(PARTNER_KINDS)
    assert 4 <= len(sim.config["study"]["waves"]) <= 6
    assert 24 <= t["indicators"]["period"].nunique() <= 48
    assert 24 <= t["contributions"]["period"].nunique() <= 48
    assert 1200 <= len(t["units"]) <= 2500
    assert t["units"]["unit_id"].is_unique
    assert 20 <= t["units"]["area"].nunique() <= 40
    assert 200 <= len(t["observations"]) <= 400
    assert 10 <= len(t["events"]) <= 25
    specs = sim.config["indicators"]
    assert 4 <= len(specs) <= 8
    assert {s["perspective"] for s in specs} == {"societal", "network", "partner"}
    assert {s["form"] for s in specs} == {"direct", "indirect"}


@pytest.mark.parametrize("network_id", EXAMPLE_NETWORKS)
def test_theory_and_ground_truth_complete(sims, network_id):
    sim = sims[network_id]
    configurations = sim.theory["configurations"]
    assert 6 <= len(configurations) <= 10
    kinds = [sim.ground_truth[c["id"]]["holds_in"] for c in configurations]
    for kind in ("context", "outside", "nowhere"):
        assert kinds.count(kind) >= 2, kind
    assert any(c["outcome"]["scale"] == "binary" for c in configurations)
    units = sim.tables["units"]
    for c in configurations:
        truth = sim.ground_truth[c["id"]]
        assert CMO_KEYS <= set(truth)
        assert truth["holds"] == (truth["effect"] != 0)
        assert truth["context"] == c["context"]["expression"]
        assert {c["mechanism"]["exposure"], c["outcome"]["measure"]} <= set(units.columns)
        if truth["holds_in"] == "outside":
            assert truth["effect_outside"] != 0
        if truth["holds_in"] == "nowhere":
            assert truth["effect"] == truth["effect_outside"] == 0
    assert {"network", "value", "indicators", "seed"} <= set(sim.ground_truth)


@pytest.mark.parametrize("network_id", EXAMPLE_NETWORKS)
def test_planted_network_truths(sims, network_id):
    sim = sims[network_id]
    net, value = sim.ground_truth["network"], sim.ground_truth["value"]
    partners = set(sim.tables["partners"]["partner_id"])
    assert set(net["core"]) <= partners
    assert net["trust_drop"]["observed_drop"] > 0.3
    events = sim.tables["events"]
    assert net["trust_drop"]["event"] in set(events["title"])
    assert net["trust_drop"]["event_date"] < net["wave_dates"][net["trust_drop"]["wave"] - 1]
    ratings = list(value["observed_mean_value_rating"].values())
    assert ratings[-1] < ratings[0] - 0.5
    hours = list(value["observed_hours_per_year"].values())
    assert hours[-2] > hours[0]  # the last year may be partial
    # The broker ties both groups from its wave on, hardly before.
    ties = sim.tables["ties"]
    broker, k = net["broker"]["partner_id"], net["broker"]["wave"]
    group = set(net["broker"]["groups"][0]) | set(net["broker"]["groups"][1])
    info = ties[(ties["tie_type"] == "information") & (ties["source"] == broker)]
    before = info[info["wave"] == k - 1]["target"].isin(group).sum()
    after = info[info["wave"] == k]["target"].isin(group).sum()
    assert after >= before + 3


def test_indicator_change_is_planted(sims):
    sim = sims["wijk-noord"]
    truth = sim.ground_truth["indicators"]
    ind = sim.tables["indicators"]
    ind = ind[ind["indicator_id"] == truth["indicator_id"]]
    treated = ind["area"].isin(truth["treated_areas"])
    after = ind["period"] >= truth["start_period"]
    means = ind.groupby([treated, after])["value"].mean()
    # Difference in differences of means: at least the planted level change.
    did = (means[True, True] - means[True, False]) - (means[False, True] - means[False, False])
    assert did < truth["level_change"] * 0.8 < 0


@pytest.mark.parametrize(
    ("network_id", "cmo_id"), [("wijk-noord", "cmo-06"), ("ggz-netwerk", "cmo-03")]
)
def test_difference_in_means_recovers_planted_effect(sims, network_id, cmo_id):
    # Unconfounded configurations (no covariates): a plain difference in means
    # where the mechanism works estimates the ground-truth effect.
    sim = sims[network_id]
    truth = sim.ground_truth[cmo_id]
    assert truth["covariates"] == [] and truth["scale"] == "continuous"
    units = sim.tables["units"]
    inside = units.eval(truth["context"])
    where = inside if truth["holds_in"] == "context" else ~inside
    expected = truth["effect"] if truth["holds_in"] == "context" else truth["effect_outside"]
    d = units[where]
    x = truth["exposure"]
    estimate = (
        d.loc[d[x] == 1, truth["outcome"]].mean() - d.loc[d[x] == 0, truth["outcome"]].mean()
    )
    assert estimate == pytest.approx(expected, abs=0.25)
    assert abs(expected) > 0.5


def test_observations_are_coded_with_theory_ids(sims):
    sim = sims["energie-regio"]
    obs = sim.tables["observations"]
    ids = {c["id"] for c in sim.theory["configurations"]}
    codes = {c for text in obs["codes"] for c in text.split(";")}
    assert codes <= ids | {"societal", "network", "partner"}
    assert ids <= codes
    roles = obs["source_role"]
    assert obs.loc[roles.isin(["partner", "professional"]), "partner_id"].notna().all()
    assert obs.loc[roles == "resident", "partner_id"].isna().all()
    # Sentiment follows the truth: supported configurations read more positive.
    first = obs["codes"].str.split(";").str[0]
    holds = {c for c in ids if sim.ground_truth[c]["holds"]}
    nowhere = {c for c in ids if sim.ground_truth[c]["holds_in"] == "nowhere"}
    assert (
        obs[first.isin(holds)]["sentiment"].mean()
        > obs[first.isin(nowhere)]["sentiment"].mean() + 0.3
    )


def test_unknown_network_and_bad_seed():
    with pytest.raises(ValueError, match=r"'network_id' parameter .* Got 'x' instead"):
        simulate_network("x", seed=1)
    with pytest.raises(ValueError, match="'seed' parameter"):
        simulate_network("wijk-noord", seed=-1)


def test_seed_none_is_recorded():
    sim = simulate_network("wijk-noord")
    seed = sim.config["study"]["seed"]
    assert isinstance(seed, int) and seed >= 0
    again = simulate_network("wijk-noord", seed=seed)
    assert again.tables["units"].equals(sim.tables["units"])


def test_ground_truth_json_round_trips(examples):
    root, _ = examples
    truth = json.loads((root / "data" / "wijk-noord" / "ground_truth.json").read_text("utf-8"))
    assert truth["seed"] == DEFAULT_SEED
    assert truth["network"]["broker"]["partner_id"] == "buurtcooperatie-noord"


@pytest.mark.parametrize("network_id", EXAMPLE_NETWORKS)
def test_unit_ids_are_demo_key_pseudonyms_of_the_person_numbers(sims, network_id):
    from netwerkonderzoek.privacy import pseudonymise_value
    from netwerkonderzoek.simulate.persons import DEMO_KEY

    sim = sims[network_id]
    units = sim.tables["units"]
    assert len(sim.person_ids) == len(units) == len(set(sim.person_ids))
    assert units["unit_id"].tolist() == [pseudonymise_value(k, DEMO_KEY) for k in sim.person_ids]
    # sorted by key, as harmonising the raw export writes them
    assert units[["unit_id", "wave"]].equals(
        units[["unit_id", "wave"]].sort_values(["unit_id", "wave"], ignore_index=True)
    )
