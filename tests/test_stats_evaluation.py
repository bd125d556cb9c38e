"""The one evidence pipeline: a configuration has one verdict everywhere."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from netwerkonderzoek import cmo, figures, load_config, load_network, stats, story
from netwerkonderzoek.synthesis import compute_verdicts
from netwerkonderzoek.tables import NetworkData

from .conftest import EXAMPLE_RUNS, ROOT

THEORY = {
    "network_id": "x",
    "name": "x",
    "version": 1,
    "label": "initial",
    "date": "2024-01-01",
    "configurations": [
        {
            "id": "cmo-01",
            "statement": "s",
            "perspective": "societal",
            "form": "direct",
            "context": {"description": "hecht", "expression": "cohesion >= 6"},
            "mechanism": {"resource": "coach", "reasoning": "r", "exposure": "coach"},
            "outcome": {
                "description": "welzijn",
                "measure": "wellbeing",
                "direction": "increase",
                "scale": "continuous",
            },
        }
    ],
}


def _data(units: pd.DataFrame, observations: pd.DataFrame) -> NetworkData:
    empty = pd.DataFrame()
    return NetworkData("x", empty, empty, empty, empty, units, observations, empty)


def _no_effect_units(seed: int = 3, n: int = 600) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    units = pd.DataFrame(
        {
            "area": rng.integers(0, 30, n).astype(str),
            "wave": 1,
            "cohesion": rng.uniform(0, 10, n),
            "coach": rng.integers(0, 2, n),
        }
    )
    units["wellbeing"] = 5 + rng.normal(0, 1, n)  # the mechanism does nothing
    return units


def _supporting_stories(k: int = 30) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "observation_id": [f"o{i}" for i in range(k)],
            "date": "2024-03-01",
            "source_role": "resident",
            "codes": "cmo-01",
            "sentiment": 0.7,
            "text": "Het helpt.",
        }
    )


def test_the_test_decides_and_every_view_shows_its_verdict():
    """Issue 15, finding 4: notebook 06 once weighed the stories alone ('supported → keep')
    while the verdict table said 'inconclusive'. The stories are counted next to the test;
    the test decides, and the theory-change section shows the same verdict."""
    theory = cmo.ProgrammeTheory.from_dict(THEORY)
    result = stats.evaluate_theory(_data(_no_effect_units(), _supporting_stories()), theory)
    kinds = [item.kind for item in result.items_for("cmo-01")]
    assert kinds == ["quantitative", "qualitative"]
    assert result.items_for("cmo-01")[1].direction == "supports"
    test = result.items_for("cmo-01")[0]
    assert test.direction == "inconclusive"  # no effect in the data (seeded)
    verdict = result.verdict("cmo-01")
    assert verdict == "inconclusive"  # the stories do not override the test
    assert result.verdicts.loc[0, "basis"] == "quantitative test"
    changes = story.theory_changes(result.verdicts, theory, language="nl")
    assert changes.loc[changes["kind"] == "proposal", "field"].tolist() == [
        figures.label(verdict, "nl")
    ]


def test_evaluate_theory_refuses_a_bad_alpha_and_rule():
    theory = cmo.ProgrammeTheory.from_dict(THEORY)
    data = _data(_no_effect_units(), _supporting_stories())
    with pytest.raises(ValueError, match=r"'alpha' parameter of evaluate_theory .* Got 5"):
        stats.evaluate_theory(data, theory, alpha=5)
    with pytest.raises(ValueError, match=r"'rule' parameter .* Got 'majority'"):
        stats.evaluate_theory(data, theory, rule="majority")
    with pytest.raises(KeyError, match="no configuration 'cmo-99'"):
        stats.evaluate_theory(data, theory).verdict("cmo-99")


@pytest.mark.slow
@pytest.mark.parametrize("network_id", EXAMPLE_RUNS)
def test_one_verdict_in_every_output_of_a_run(example_runs, network_id):
    """The verdict table (02), the theory changes (06), the value matrix (04) and the
    synthesis all carry the pipeline's verdict of each configuration."""
    config = load_config(network_id, ROOT / "config")
    data = load_network(config, ROOT / "data")
    theory = cmo.load_theory(config.theory_path, data.units)
    expected = stats.evaluate_theory(data, theory, config=config).verdicts
    expected = expected.set_index("cmo_id")["verdict"]
    tables = example_runs[network_id] / "tables"
    run_verdicts = pd.read_csv(tables / "cmo_verdicts.csv").set_index("cmo_id")["verdict"]
    assert run_verdicts.to_dict() == expected.to_dict()
    changes = pd.read_csv(tables / "theory_changes.csv", keep_default_na=False)
    proposals = changes[changes["kind"] == "proposal"].set_index("cmo_id")["field"]
    labels = {cmo_id: figures.label(v, "nl") for cmo_id, v in expected.items()}  # runs in Dutch
    assert proposals.to_dict() == labels
    synthesis = compute_verdicts(data, config).set_index("cmo_id")["verdict"]
    assert synthesis.to_dict() == expected.to_dict()


def _indicator_data(effect: float, seed: int = 4) -> NetworkData:
    """36 months of an indicator in two areas; in 'noord' it drops by ``effect`` from 2023-07."""
    rng = np.random.default_rng(seed)
    periods = [f"{2022 + m // 12}-{m % 12 + 1:02d}" for m in range(36)]
    rows = []
    for area in ("noord", "zuid"):
        for m, period in enumerate(periods):
            drop = effect if area == "noord" and m >= 18 else 0.0
            value = 20 + 0.05 * m - drop + rng.normal(0, 1)
            rows.append(
                {"indicator_id": "overlast", "period": period, "area": area, "value": value}
            )
    indicators = pd.DataFrame(rows)
    events = pd.DataFrame({"date": ["2023-07-01"], "title": ["Start wijkteam"]})
    empty = pd.DataFrame()
    observations = pd.DataFrame(columns=["observation_id", "codes", "sentiment", "source_role"])
    return NetworkData("x", empty, empty, empty, indicators, empty, observations, events)


def _area_theory(design: dict) -> cmo.ProgrammeTheory:
    theory = {**THEORY, "configurations": [dict(THEORY["configurations"][0])]}
    configuration = theory["configurations"][0]
    configuration["outcome"] = {
        "description": "overlast",
        "measure": "wellbeing",
        "direction": "decrease",
        "scale": "continuous",
    }
    configuration["design"] = design
    return cmo.ProgrammeTheory.from_dict(theory)


@pytest.mark.parametrize(
    ("design", "method"),
    [
        (
            {
                "kind": "its",
                "indicator": "overlast",
                "event": "Start wijkteam",
                "areas": ["noord"],
            },
            "its",
        ),
        (
            {"kind": "did", "indicator": "overlast", "event": "2023-07-01", "treated": ["noord"]},
            "did",
        ),
    ],
)
def test_area_level_configurations_are_tested_on_their_indicator(design, method):
    """Issue 15: a configuration states its design; the evidence says which was used."""
    theory = _area_theory(design)
    strong = stats.evaluate_theory(_indicator_data(effect=3.0), theory)
    (item,) = [i for i in strong.items if i.kind == "quantitative"]
    assert (item.design, item.method) == (method, method)
    assert item.direction == "supports"  # a drop of 3 noise SDs, the expected direction
    assert item.estimate == pytest.approx(-3.0, abs=1.0)
    assert item.inference and item.formula and item.df > 0 and item.model is not None
    assert strong.verdict("cmo-01") == "supported"
    null = stats.evaluate_theory(_indicator_data(effect=0.0), theory)
    assert null.verdict("cmo-01") in ("inconclusive", "contradicted")


def test_a_did_design_without_treated_areas_is_a_theory_error():
    from netwerkonderzoek.exceptions import TheoryError

    theory = _area_theory({"kind": "did", "indicator": "overlast", "event": "2023-07-01"})
    with pytest.raises(TheoryError, match=r"needs its treated areas"):
        stats.evaluate_theory(_indicator_data(effect=3.0), theory)
