"""Tests of netwerkonderzoek.stats.qualitative: counts, quotes, qualitative evidence."""

from __future__ import annotations

import pandas as pd
import pytest

from netwerkonderzoek import stats
from netwerkonderzoek.cmo import ProgrammeTheory

OBS = pd.DataFrame(
    {
        "observation_id": [f"o{i}" for i in range(1, 9)],
        "date": "2023-01-01",
        "source_role": [
            "resident",
            "resident",
            "partner",
            "partner",
            "resident",
            "professional",
            "resident",
            "partner",
        ],
        "codes": [
            "cmo-01;societal",
            "cmo-01",
            "cmo-01 ; network",
            "cmo-02",
            "cmo-02",
            "cmo-01",
            "societal",
            "cmo-01;cmo-02",
        ],
        "sentiment": [0.6, -0.5, 0.1, -0.7, -0.3, 0.25, 0.9, 0.5],
        "text": [f"tekst {i}" for i in range(1, 9)],
    }
)


def test_counts_by_hand():
    # cmo-01: o1 +0.6 (res, sup), o2 -0.5 (res, con), o3 0.1 (partner, neutral),
    #         o6 0.25 (professional, sup), o8 0.5 (partner, sup)
    counts = stats.observation_counts(OBS, by=None).set_index("cmo_id")
    assert counts.loc[
        "cmo-01", ["n", "n_supporting", "n_contradicting", "n_neutral"]
    ].tolist() == [5, 3, 1, 1]
    assert counts.loc["cmo-01", "mean_sentiment"] == pytest.approx(
        (0.6 - 0.5 + 0.1 + 0.25 + 0.5) / 5
    )
    # cmo-02: o4 -0.7, o5 -0.3, o8 0.5
    assert counts.loc["cmo-02", ["n_supporting", "n_contradicting"]].tolist() == [1, 2]
    by_role = stats.observation_counts(OBS).set_index(["cmo_id", "source_role"])
    assert by_role.loc[("cmo-01", "partner"), "n_neutral"] == 1
    assert by_role.loc[("cmo-01", "resident"), "n"] == 2
    # pure sign (neutral band 0): o3 at 0.1 becomes supporting
    signs = stats.observation_counts(OBS, by=None, neutral=0).set_index("cmo_id")
    assert signs.loc["cmo-01", "n_supporting"] == 4


def test_quotes_are_reproducible():
    first = stats.example_quotes(OBS, "cmo-01", n=2, seed=3)
    assert len(first) == 2
    assert first.equals(stats.example_quotes(OBS, "cmo-01", n=2, seed=3))
    draws = {
        tuple(stats.example_quotes(OBS, "cmo-01", n=2, seed=s)["observation_id"])
        for s in range(20)
    }
    assert len(draws) > 1  # the seed matters
    only = stats.example_quotes(OBS, "cmo-01", n=5, direction="contradicts")
    assert only["observation_id"].tolist() == ["o2"]
    with pytest.raises(ValueError, match="'direction'"):
        stats.example_quotes(OBS, "cmo-01", direction="positive")


def test_qualitative_evidence_rule():
    theory = ProgrammeTheory.from_dict(
        {
            "network_id": "x",
            "name": "x",
            "version": 1,
            "label": "initial",
            "date": "2024-01-01",
            "configurations": [
                {
                    "id": cid,
                    "statement": "s",
                    "perspective": "societal",
                    "form": "direct",
                    "context": {"description": "c", "expression": "a > 1"},
                    "mechanism": {"resource": "r", "reasoning": "r", "exposure": "e"},
                    "outcome": {
                        "description": "o",
                        "measure": "y",
                        "direction": "increase",
                        "scale": "continuous",
                    },
                }
                for cid in ("cmo-01", "cmo-02", "cmo-03")
            ],
        }
    )
    items = {i.cmo_id: i for i in stats.qualitative_evidence(OBS, theory, min_observations=3)}
    assert items["cmo-01"].direction == "supports"  # 3 >= 2 x 1
    assert items["cmo-02"].direction == "contradicts"  # 2 contradicting >= 2 x 1 supporting
    items = {
        i.cmo_id: i for i in stats.qualitative_evidence(OBS, theory, min_observations=3, ratio=3)
    }
    assert items["cmo-02"].direction == "inconclusive"  # 2 < 3 x 1
    assert items["cmo-01"].direction == "supports"  # 3 >= 3 x 1
    assert items["cmo-03"].direction == "insufficient_data"  # no observations
    assert items["cmo-01"].note.startswith("3 supporting, 1 contradicting, 1 neutral")
    by_role = stats.qualitative_evidence(OBS, theory, by="source_role", min_observations=1)
    sources = [i.source for i in by_role if i.cmo_id == "cmo-01"]
    assert sources == [
        "observations: partner",
        "observations: professional",
        "observations: resident",
    ]


def _theory(ids=("cmo-01", "cmo-02")) -> ProgrammeTheory:
    return ProgrammeTheory.from_dict(
        {
            "network_id": "x",
            "name": "x",
            "version": 1,
            "label": "initial",
            "date": "2024-01-01",
            "configurations": [
                {
                    "id": cid,
                    "statement": "s",
                    "perspective": "societal",
                    "form": "direct",
                    "context": {"description": "c", "expression": "a > 1"},
                    "mechanism": {"resource": "r", "reasoning": "r", "exposure": "e"},
                    "outcome": {
                        "description": "o",
                        "measure": "y",
                        "direction": "increase",
                        "scale": "continuous",
                    },
                }
                for cid in ids
            ],
        }
    )


# Coded interviews (harmonise.qda): the stance says the direction, sentiment is empty.
STANCED = pd.DataFrame(
    {
        "observation_id": [f"s{i}" for i in range(1, 8)],
        "date": "2024-01-01",
        "source_role": "resident",
        "codes": ["cmo-01"] * 3 + ["cmo-01;cmo-02"] * 3 + ["cmo-01"],
        "sentiment": [None, None, None, None, None, None, 0.8],
        "stance": [
            "cmo-01:supports",
            "cmo-01:supports",
            "cmo-01:refines",
            "cmo-01:refines;cmo-02:contradicts",
            "cmo-01:refines;cmo-02:contradicts",
            "cmo-01:contradicts;cmo-02:neutral",
            None,  # no stance: its sentiment 0.8 supports, as before
        ],
        "text": [f"t{i}" for i in range(1, 8)],
    }
)


def test_stance_decides_and_refines_is_its_own_count():
    counts = stats.observation_counts(STANCED, by=None).set_index("cmo_id")
    columns = ["n", "n_supporting", "n_contradicting", "n_neutral", "n_refining"]
    # hand count of STANCED: cmo-01 s1, s2, s7 support; s6 contradicts; s3-s5 refine
    assert counts.loc["cmo-01", columns].tolist() == [7, 3, 1, 0, 3]
    assert counts.loc["cmo-02", columns].tolist() == [3, 0, 2, 1, 0]
    items = {
        i.cmo_id: i for i in stats.qualitative_evidence(STANCED, _theory(), min_observations=3)
    }
    # refining observations move no direction: 3 supporting >= 2 x 1 contradicting
    assert items["cmo-01"].direction == "supports"
    assert items["cmo-01"].note == (
        "3 supporting, 1 contradicting, 0 neutral, 3 refining "
        "(stance from the code book; elsewhere sentiment band ±0.2)"
    )
    assert items["cmo-02"].direction == "insufficient_data"  # 2 directional < 3
    refines = stats.example_quotes(STANCED, "cmo-01", n=5, direction="refines")
    assert refines["observation_id"].tolist() == ["s3", "s4", "s5"]


def test_without_stance_the_note_is_unchanged():
    items = stats.qualitative_evidence(OBS, _theory(), min_observations=3)
    assert items[0].note == "3 supporting, 1 contradicting, 1 neutral (sentiment band ±0.2)"


def test_bad_stance_entry_is_refused():
    bad = STANCED.assign(stance="cmo-01:great")
    with pytest.raises(ValueError, match="stance entry 'cmo-01:great' is not id:direction"):
        stats.observation_counts(bad)
