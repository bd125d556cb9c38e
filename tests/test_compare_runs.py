"""An interim and a later evaluation of wijk-noord: the planted changes, and nothing else.

The simulator writes the network as known at the end of September 2023
(``simulate --until 2023-09``: two survey waves, two unit waves); the study
runs; the simulator then writes the whole study period (to 2024-12) into the
same folders and the study runs again, as an evaluator would half a year
later. The second run compares itself with the first. Every change it reports
must be one the generative model planted (data/wijk-noord/ground_truth.json,
netwerkonderzoek/simulate/wijk_noord.py), and every planted change that the
later data can show must be reported.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from netwerkonderzoek.cli import main
from netwerkonderzoek.runner import run_network, verify_run
from netwerkonderzoek.runner.manifest import PROJECT_DIR, read_manifest
from netwerkonderzoek.simulate.examples import get_spec

pytestmark = pytest.mark.slow

INTERIM = "2023-09"


@pytest.fixture(scope="module")
def evaluations(tmp_path_factory):
    root = tmp_path_factory.mktemp("evaluations")
    folders = {"config_dir": root / "config", "data_dir": root / "data"}
    where = ["--config-dir", str(folders["config_dir"]), "--data-dir", str(folders["data_dir"])]
    runs = []
    for until in (["--until", INTERIM], []):
        assert main(["simulate", *until, *where]) == 0
        result = run_network(
            "wijk-noord",
            **folders,
            output_dir=root / "output",
            notebook_dir=PROJECT_DIR / "notebooks",
        )
        assert result.ok, result.error
        runs.append(result)
    truth = json.loads((folders["data_dir"] / "wijk-noord" / "ground_truth.json").read_text())
    changes = pd.read_csv(runs[1].path / "tables" / "changes_since_previous.csv")
    return runs[0], runs[1], changes, truth


def _rows(changes: pd.DataFrame, aspect: str) -> pd.DataFrame:
    return changes[changes["aspect"] == aspect]


def test_the_later_run_records_what_it_compared_with(evaluations):
    first, second, _, _ = evaluations
    assert read_manifest(first.path / "manifest.json")["compared_with"] is None
    manifest = read_manifest(second.path / "manifest.json")
    assert manifest["compared_with"] == first.run_id
    assert manifest["parameters"]["previous_run"] == first.run_id
    # the first evaluation has no comparison: no table, no report section
    assert not (first.path / "tables" / "changes_since_previous.csv").exists()
    heading = "Wat is er veranderd sinds de vorige evaluatie?"
    assert heading not in first.report.read_text(encoding="utf-8")
    report = second.report.read_text(encoding="utf-8")
    assert heading in report
    assert "CMO-04: van onbeslist naar bevestigd" in report


def test_the_verdict_that_needed_more_exposed_units_is_the_only_verdict_change(evaluations):
    _, _, changes, truth = evaluations
    verdicts = _rows(changes, "verdict")
    # CMO-04 holds in the generative model; with the units of the first unit wave
    # only (734 units, 113 exposed in context) the test could not tell
    assert truth["cmo-04"]["holds_in"] != "none"
    assert verdicts[["item", "before", "after", "change"]].values.tolist() == [
        ["cmo-04", "inconclusive", "supported", "changed"]
    ]
    assert "data" in verdicts["why"].iloc[0].split(";")


def test_the_nuisance_reports_signal_after_the_planted_event(evaluations):
    _, _, changes, truth = evaluations
    signals = _rows(changes, "signal")
    planted = truth["indicators"]
    nuisance = signals[signals["item"] == planted["indicator_id"]]
    assert len(nuisance) and set(nuisance["change"]) == {"new"}
    starts = nuisance["after"].str.split("/").str[0]
    assert (starts > planted["start_period"]).all() and starts.min() == "2023-10"
    assert nuisance["why"].str.endswith("direction=improvement").all()  # fewer reports


def test_every_other_new_indicator_signal_is_a_planted_trend_in_its_good_direction(evaluations):
    _, _, changes, _ = evaluations
    spec = {indicator.id: indicator for indicator in get_spec("wijk-noord").indicators}
    signals = _rows(changes, "signal")
    charts = signals[~signals["item"].str.startswith("heartbeat")]
    for row in charts.itertuples():
        indicator = spec[row.item]
        trend = indicator.trend if indicator.direction == "increase" else -indicator.trend
        event = row.item == "overlastmeldingen"
        assert event or trend > 0, row
        assert row.change in ("new", "ended"), row
        if row.change == "new":
            assert row.why.endswith("direction=improvement"), row
    # the panels: only hours and meeting load, neutral (the planted growth of hours)
    panels = signals[signals["item"].str.startswith("heartbeat")]
    assert set(panels["item"].str.split("/").str[1]) <= {"hours", "meeting_load"}
    assert panels["why"].str.endswith("direction=neutral").all()


def test_partners_business_cases_and_trust_are_the_planted_ones(evaluations):
    _, _, changes, truth = evaluations
    assert _rows(changes, "partner")[["item", "change"]].values.tolist() == [
        ["sportvereniging-noord", "joined"],
        ["winkelcentrum-noord", "left"],
    ]
    cases = _rows(changes, "business_case")
    assert cases[["item", "change"]].values.tolist() == [[truth["value"]["partner_id"], "flagged"]]
    trust = _rows(changes, "trust_value")
    # trust fell at wave 3 (the budget cut) and stays lower at wave 4
    assert truth["network"]["trust_drop"]["later_waves_size"] > 0
    assert trust[["item", "change"]].values.tolist() == [["trust", "decreased"]]
    # nothing else moved beyond its uncertainty
    assert set(changes["aspect"]) <= {
        "inputs",
        "verdict",
        "signal",
        "trust_value",
        "partner",
        "business_case",
    }


def test_the_inputs_say_the_data_grew(evaluations):
    _, _, changes, _ = evaluations
    inputs = _rows(changes, "inputs").set_index("item")
    # inputs outside the project are recorded by their absolute path
    ties = inputs.loc[next(i for i in inputs.index if i.endswith("/data/wijk-noord/ties.csv"))]
    assert ties["change"] == "changed" and int(ties["after"]) > int(ties["before"])
    assert "theory" not in inputs.index and "code" not in inputs.index


def test_the_compare_command_gives_the_same_table(evaluations, tmp_path, capsys):
    first, second, changes, _ = evaluations
    target = tmp_path / "changes.csv"
    assert main(["compare", str(first.path), str(second.path), "--to", str(target)]) == 0
    assert "Wat is er veranderd" not in capsys.readouterr().err
    assert pd.read_csv(target).equals(changes)


def test_a_run_that_compared_itself_verifies(evaluations):
    _, second, _, _ = evaluations
    result = verify_run(second.path)
    assert result.ok, (result.error, result.different, result.missing, result.extra)
