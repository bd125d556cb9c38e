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
    changes = story.theory_changes(theory, result.verdicts, language="nl")
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
    synthesis = compute_verdicts(config, data).set_index("cmo_id")["verdict"]
    assert synthesis.to_dict() == expected.to_dict()
