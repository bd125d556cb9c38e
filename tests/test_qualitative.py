"""Tests for netwerkonderzoek.qualitative (codes, quotes, MSC, qualitative evidence)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from netwerkonderzoek import cmo, load_config, load_network, qualitative, stats
from netwerkonderzoek.simulate import EXAMPLE_NETWORKS

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def obs() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "observation_id": [f"o{i}" for i in range(1, 7)],
            "date": [
                "2024-01-05",
                "2024-02-10",
                "2024-04-01",
                "2024-04-20",
                "2024-05-01",
                "2024-07-01",
            ],
            "source_role": ["resident", "partner", "resident", "partner", "funder", "resident"],
            "codes": [
                "cmo-01;societal",
                "cmo-01;network",
                "cmo-02",
                "cmo-01",
                "",
                "cmo-02;societal",
            ],
            "sentiment": [0.6, -0.5, 0.1, 0.3, 0.0, -0.9],
            "text": list("abcdef"),
            "msc_domain": ["bewoners", "", "bewoners", "samenwerking", None, "bewoners"],
            "msc_selected": [1, 0, 0, 1, 0, 0],
        }
    )


def test_code_counts_by_role_and_quarter(obs):
    counts = qualitative.code_counts(obs).set_index(["code", "source_role", "period"])["n"]
    # cmo-01: o1 (resident, Q1), o2 (partner, Q1), o4 (partner, Q2)
    assert counts[("cmo-01", "resident", "2024Q1")] == 1
    assert counts[("cmo-01", "partner", "2024Q1")] == 1
    assert counts[("cmo-01", "partner", "2024Q2")] == 1
    assert counts.sum() == 8  # 8 code assignments; the empty code of o5 is dropped


def test_cooccurrence_hand_count(obs):
    matrix = qualitative.cooccurrence(obs)
    assert matrix.loc["cmo-01", "cmo-01"] == 3
    assert matrix.loc["cmo-01", "societal"] == matrix.loc["societal", "cmo-01"] == 1
    assert matrix.loc["cmo-02", "societal"] == 1
    assert matrix.loc["cmo-01", "cmo-02"] == 0


def test_representative_quotes_are_reproducible(obs):
    a = qualitative.representative_quotes(obs, per_code=1, seed=3)
    b = qualitative.representative_quotes(obs, per_code=1, seed=3)
    pd.testing.assert_frame_equal(a, b)
    assert list(a["code"]) == ["cmo-01", "cmo-02", "network", "societal"]
    # cmo-01 sentiments 0.6, -0.5, 0.3: median 0.3; the 3 closest are all three, so
    # the pick must be one of them
    assert a.loc[a["code"] == "cmo-01", "observation_id"].item() in {"o1", "o2", "o4"}
    picks = {
        qualitative.representative_quotes(obs, per_code=1, codes=["cmo-01"], seed=s)[
            "observation_id"
        ].item()
        for s in range(20)
    }
    assert len(picks) > 1  # the seed matters
    with pytest.raises(ValueError, match="per_code"):
        qualitative.representative_quotes(obs, per_code=0)


def test_msc_views(obs):
    stories = qualitative.msc_stories(obs)
    assert len(stories) == 4 and stories["selected"].sum() == 2
    summary = qualitative.msc_summary(obs).set_index(["msc_domain", "period"])
    assert summary.loc[("bewoners", "2024Q1"), "selected"] == 1
    assert summary.loc[("bewoners", "2024Q2"), "stories"] == 1
    assert summary.loc[("samenwerking", "2024Q2"), "selected"] == 1
    assert qualitative.msc_stories(obs.drop(columns=["msc_domain"])).empty


def test_qualitative_evidence_lives_in_one_module():
    """``qualitative.py`` once had its own evidence rule (sentiment 0.2 supported there,
    neutral in ``stats.qualitative``): one rule, ``stats.classify_sentiment``, is left."""
    assert not hasattr(qualitative, "evidence_items")
    assert not hasattr(qualitative, "qualitative_verdicts")
    # the edge of the band is neutral, on both sides
    assert stats.classify_sentiment([0.2, -0.2, 0.2000001]).tolist() == [0, 0, 1]


@pytest.mark.parametrize("network_id", EXAMPLE_NETWORKS)
def test_qualitative_evidence_follows_the_ground_truth(network_id):
    config = load_config(network_id, ROOT / "config")
    data = load_network(config, ROOT / "data")
    theory = cmo.load_theory(config.theory_path)
    truth = json.loads((ROOT / "data" / network_id / "ground_truth.json").read_text())
    items = {i.cmo_id: i for i in stats.qualitative_evidence(data.observations, theory)}
    verdicts = cmo.verdicts(cmo.ledger(items.values()), "balance", theory=theory)
    verdicts = verdicts.set_index("cmo_id")
    for cmo_id in theory.ids:
        holds_in = truth[cmo_id]["holds_in"]
        verdict = verdicts.loc[cmo_id, "verdict"]
        # observation mix (simulate, step 8): context 75% supporting -> supported;
        # nowhere 55% contradicting vs 15% supporting -> never supported
        if holds_in == "context":
            assert verdict == "supported", cmo_id
        if holds_in == "nowhere":
            assert verdict != "supported", cmo_id


def test_plots(obs):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ax = qualitative.plot_code_counts(obs, language="en")
    assert {t.get_text() for t in ax.get_legend().get_texts()} == {"Resident", "Partner"}
    fig = qualitative.plot_msc(obs, language="en")
    assert [ax.get_ylabel() for ax in fig.axes] == ["Residents", "Collaboration"]
    # into the caller's own axes, in the house style, returning them
    fig, (left, right) = plt.subplots(1, 2)
    assert qualitative.plot_code_counts(obs, right, language="en") is right
    assert right.get_title().startswith("Observations per code") and not left.get_title()
    assert right.spines["top"].get_visible() is False  # the house style's open frame
    plt.close("all")


def test_msc_stories_of_a_network_without_stories_select_rows():
    # found by a new user: observations from a coded-interview export have no
    # msc columns; notebook 06 failed with "None of [Index([...])] are in the [columns]"
    obs = pd.DataFrame(
        {"observation_id": ["o1"], "date": ["2024-03-01"], "codes": ["cmo-01"], "text": ["t"]}
    )
    stories = qualitative.msc_stories(obs)
    chosen = stories[stories["selected"]][["msc_domain", "period", "source_role", "text"]]
    assert chosen.empty and list(chosen.columns) == ["msc_domain", "period", "source_role", "text"]
