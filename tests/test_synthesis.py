"""Tests of the cross-network synthesis, the cross-network set and ``run --synthesis``."""

from __future__ import annotations

import json
import shutil
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from netwerkonderzoek import ConfigError, load_config, load_network, synthesis
from netwerkonderzoek.simulate import crossnet
from netwerkonderzoek.simulate.crossnet import PLANTED_FORMULA, simulate_crossnet, write_crossnet

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = synthesis.load_settings(ROOT / "config")


def parsimonious(seed: int, **kwargs) -> list[str]:
    cross = simulate_crossnet(seed, **kwargs)
    memberships = synthesis.calibrate_conditions(cross.networks, SETTINGS)
    return synthesis.synthesise(memberships, SETTINGS).solution("parsimonious")


# --------------------------------------------------------------------------
# recovery of the planted formula (the generator's ground truth)
# --------------------------------------------------------------------------
@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, crossnet.DEFAULT_SEED])
def test_parsimonious_solution_recovers_planted_formula(seed):
    # ground truth: simulate.crossnet plants MGR*TRUST + FUND*~HIST; qca sorts
    # terms by literal count, then condition order (MGR before FUND)
    assert parsimonious(seed) == ["MGR*TRUST + FUND*~HIST"]
    assert PLANTED_FORMULA == "MGR*TRUST + FUND*~HIST"


def test_recovery_rate_over_100_seeds():
    # 94 of seeds 0-99 at the default noise (figure in simulate.crossnet's docstring);
    # every seed gives a solution without an error or a warning, right or wrong
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        hits = sum(parsimonious(seed) == [PLANTED_FORMULA] for seed in range(100))
    assert hits >= 90  # 94 with numpy 2 and the shipped qca


def test_without_noise_every_seed_recovers():
    assert all(parsimonious(seed, noise=0.0) == [PLANTED_FORMULA] for seed in range(10))


def test_full_synthesis_on_shipped_data_recovers_formula():
    attributes = synthesis.attribute_table(ROOT / "config", ROOT / "data")
    assert len(attributes) == 27  # 3 example networks + 24 cross-network set
    result = synthesis.synthesise(synthesis.calibrate_conditions(attributes, SETTINGS), SETTINGS)
    assert result.solution("parsimonious") == [PLANTED_FORMULA]
    assert f"  parsimonious M1: {PLANTED_FORMULA} -> " in repr(result)
    assert "PRI" in result._repr_html_() and "coverage" in result._repr_html_()
    parsi = result.solutions[result.solutions["solution_type"] == "parsimonious"]
    term = parsi[parsi["term"] == "FUND*~HIST"].iloc[0]
    # the three example networks pool funding and are young: typical FUND*~HIST cases
    for network_id in ("energie-regio", "ggz-netwerk", "wijk-noord"):
        assert network_id in term["typical_cases"].split(",")
    assert set(result.solutions["solution_type"]) == set(synthesis.SOLUTION_TYPES)
    assert list(result.necessity["term"][:2]) == ["MGR", "~MGR"]


# --------------------------------------------------------------------------
# the cross-network set
# --------------------------------------------------------------------------
def test_shipped_cross_network_set_is_the_generators_output(tmp_path):
    write_crossnet(tmp_path, seed=crossnet.DEFAULT_SEED)
    for name in ("networks.csv", "ground_truth.json"):
        shipped = ROOT / "data" / "_synthese" / name
        assert shipped.read_bytes() == (tmp_path / "_synthese" / name).read_bytes(), name


def test_cross_network_set_has_the_attribute_columns():
    frame = synthesis.read_cross_network_set(ROOT / "data")
    assert list(frame.columns) == list(synthesis.ATTRIBUTE_COLUMNS)
    assert len(frame) == 24 and frame["network_id"].is_unique
    assert frame["pooled_share"].between(0, 1).all() and frame["trust"].between(1, 4).all()
    truth = synthesis.read_cross_network_truth(ROOT / "data")
    assert truth["formula"] == PLANTED_FORMULA and len(truth["networks"]) == 24


def test_cross_network_truth_follows_formula():
    cross = simulate_crossnet(7, noise=0.0)
    for row in cross.ground_truth["networks"]:
        c = row["latent"]
        assert row["success"] == int((c["MGR"] and c["TRUST"]) or (c["FUND"] and not c["HIST"]))
    # distinct latent configurations (design without replacement)
    configs = {tuple(r["latent"].values()) for r in cross.ground_truth["networks"]}
    assert len(configs) == 24


def test_calibration_anchors_match_generator_thresholds():
    for spec in SETTINGS.sets:
        if spec.method == "direct":
            attribute, e, c, i, *_ = crossnet.THRESHOLDS[spec.name]
            assert (spec.attribute, spec.anchors.e, spec.anchors.c, spec.anchors.i) == (
                attribute,
                e,
                c,
                i,
            )
    assert SETTINGS.condition_names == list(crossnet.CONDITIONS)
    assert SETTINGS.outcome.name == crossnet.OUTCOME


def test_no_case_at_a_crossover():
    for seed in range(20):
        frame = simulate_crossnet(seed).networks
        for name, (attribute, _, c, *_rest) in crossnet.THRESHOLDS.items():
            assert not (frame[attribute] == c).any(), (seed, name)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"n_networks": 40}, "n_networks"),
        ({"noise": -1.0}, "noise"),
        ({"formula": "MGR*BOGUS"}, "BOGUS"),
    ],
)
def test_simulate_crossnet_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        simulate_crossnet(1, **kwargs)


# --------------------------------------------------------------------------
# raw attributes from canonical tables
# --------------------------------------------------------------------------
def test_network_attributes_of_tiny_network(tiny):
    config_dir, data_dir = tiny
    config = load_config("tiny", config_dir)
    row = synthesis.network_attributes(load_network(config, data_dir), config).iloc[0]
    # hand calculation from tests/conftest.py TINY_TABLES:
    # last wave (2): gemeente, corporatie, welzijn, bewoners each have 1 tie partner;
    # tie broken by hours: corporatie 30.5 h > gemeente 12 h
    assert row["lead_partner"] == "corporatie"
    assert row["lead_kind"] == "housing" and row["lead_municipality"] == 0
    assert row["manager_hours"] == 0.0  # corporatie books no network hours (1 month)
    assert row["pooled_share"] == 1.0  # 1200 of 1200 EUR on joint (societal) work
    # trust wave 2: gemeente->corporatie (3+4+3)/3, bewoners->welzijn (3+3+2)/3; mean 3
    assert row["trust"] == pytest.approx(3.0)
    # 2020-01-01 to 2023-12-31: 1460 days
    assert row["history_years"] == pytest.approx(1460 / 365.25)
    assert row["main_indicator"] == "overlast"
    assert np.isnan(row["improvement_pct"])  # 2 months of data < 2 x 6


def test_improvement_of_main_indicator(tiny):
    config_dir, data_dir = tiny
    months = [f"2023-{m:02d}" for m in range(1, 13)]
    values = [10.0] * 6 + [8.0] * 6
    text = "network_id,indicator_id,period,area,value,unit\n" + "".join(
        f"tiny,overlast,{p},noord,{v},meldingen\n" for p, v in zip(months, values, strict=True)
    )
    (data_dir / "tiny" / "indicators.csv").write_text(text, encoding="utf-8")
    config = load_config("tiny", config_dir)
    row = synthesis.network_attributes(load_network(config, data_dir), config).iloc[0]
    # decrease indicator: 10 -> 8 is a 20 % improvement
    assert row["improvement_pct"] == pytest.approx(20.0)


def test_attribute_table_without_cross_network_set(tiny):
    config_dir, data_dir = tiny
    frame = synthesis.attribute_table(config_dir, data_dir, cross_network_set=False)
    assert frame["network_id"].tolist() == ["tiny"]
    with pytest.raises(FileNotFoundError, match="_synthese"):
        synthesis.attribute_table(config_dir, data_dir)


# --------------------------------------------------------------------------
# settings and calibration
# --------------------------------------------------------------------------
def write_settings(tmp_path: Path, text: str) -> Path:
    (tmp_path / "synthesis.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def bad_settings(tmp_path, old: str, new: str) -> Path:
    text = (ROOT / "config" / "synthesis.yaml").read_text(encoding="utf-8")
    assert old in text
    return write_settings(tmp_path, text.replace(old, new, 1))


@pytest.mark.parametrize(
    "old, new, key",
    [
        ("anchors: {e: 8, c: 20, i: 40}", "anchors: {e: 8, c: 50, i: 40}", "conditions.0.anchors"),
        ("method: crisp", "method: fuzzy", "conditions.3.method"),
        ("incl_cut: 0.8", "incl_cut: 1.5", "incl_cut"),
        ("n_cut: 1", "n_cutoff: 1", "n_cutoff"),
        ("  - name: FUND", "  - name: fund", "conditions.1.name"),
    ],
)
def test_settings_errors_name_file_and_key(tmp_path, old, new, key):
    folder = bad_settings(tmp_path, old, new)
    with pytest.raises(ConfigError) as info:
        synthesis.load_settings(folder)
    assert info.value.key == key
    assert str(folder / "synthesis.yaml") in str(info.value)


def test_settings_direct_without_anchors_and_unknown_directional(tmp_path):
    folder = bad_settings(tmp_path, "    anchors: {e: 2, c: 5, i: 10}\n", "")
    with pytest.raises(ConfigError, match="needs 'anchors'"):
        synthesis.load_settings(folder)
    folder = bad_settings(tmp_path, 'MUNI: "-"', "CITY: 1")
    with pytest.raises(ConfigError, match="CITY"):
        synthesis.load_settings(folder)


def test_settings_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="file not found"):
        synthesis.load_settings(tmp_path)


def test_calibrate_conditions_values_and_missing_column():
    raw = pd.DataFrame(
        {
            "network_id": ["a", "b"],
            "manager_hours": [40.0, 8.0],
            "pooled_share": [0.7001, 0.5],
            "trust": [3.5, 2.5],
            "lead_municipality": [1, 0],
            "history_years": [10.0, 2.0],
            "improvement_pct": [15.0, 0.0],
        }
    )
    m = synthesis.calibrate_conditions(raw, SETTINGS)
    # direct method: full inclusion 1 / (1 + exp(-3)) = 0.9526, full exclusion 0.0474
    assert m.loc["a", "MGR"] == pytest.approx(0.952574, abs=1e-6)
    assert m.loc["b", "TRUST"] == pytest.approx(0.047426, abs=1e-6)
    assert m["MUNI"].tolist() == [1.0, 0.0]
    assert list(m.columns) == [*SETTINGS.condition_names, "SUCCESS"]
    with pytest.raises(KeyError, match="trust"):
        synthesis.calibrate_conditions(raw.drop(columns="trust"), SETTINGS)


def test_synthesise_warns_and_excludes_incomplete_cases():
    cross = simulate_crossnet(1)
    frame = cross.networks.copy()
    frame.loc[0, "trust"] = np.nan
    memberships = synthesis.calibrate_conditions(frame, SETTINGS)
    with pytest.warns(synthesis.analysis.NetwerkonderzoekWarning, match="xn-01"):
        result = synthesis.synthesise(memberships, SETTINGS)
    assert result.excluded == ["xn-01"] and len(result.memberships) == 23


def test_xy_plot_labels_cases():
    cross = simulate_crossnet(1)
    result = synthesis.synthesise(
        synthesis.calibrate_conditions(cross.networks, SETTINGS), SETTINGS
    )
    ax = synthesis.plot_solution(result, label=["xn-01"], language="en")
    assert [t.get_text() for t in ax.texts] == ["xn-01"]
    assert ax.get_xlabel() == f"Solution: {PLANTED_FORMULA}"
    with pytest.raises(KeyError, match="unknown solution type"):
        synthesis.plot_solution(result, "complex")


# --------------------------------------------------------------------------
# pooling CMO verdicts
# --------------------------------------------------------------------------
def fake_run(runs_dir: Path, network_id: str, status: str, verdicts: str | None) -> None:
    run = runs_dir / network_id / "20240101T000000Z"
    (run / "tables").mkdir(parents=True)
    (run / "manifest.json").write_text(
        json.dumps({"run_id": run.name, "status": status}), encoding="utf-8"
    )
    if verdicts is not None:
        (run / "tables" / "cmo_verdicts.csv").write_text(verdicts, encoding="utf-8")
    (runs_dir / network_id / "latest").symlink_to(run.name, target_is_directory=True)


VERDICTS = """cmo_id,verdict,estimate,ci_low,ci_high,p_value,n,refined_context
cmo-01,supported,0.7,0.5,0.9,0.001,2200,
cmo-02,refined,0.03,-0.3,0.4,0.8,2200,not (age >= 65)
cmo-03,inconclusive,0.0,-0.1,0.1,0.9,2200,
"""


def test_latest_verdicts_reads_complete_runs_only(tmp_path):
    fake_run(tmp_path, "wijk-noord", "complete", VERDICTS)
    table, source = synthesis.latest_verdicts(tmp_path, "wijk-noord")
    assert source == "run 20240101T000000Z" and len(table) == 3
    fake_run(tmp_path, "ggz-netwerk", "failed", VERDICTS)
    assert synthesis.latest_verdicts(tmp_path, "ggz-netwerk") == (None, "no complete run")
    assert synthesis.latest_verdicts(tmp_path, "energie-regio")[0] is None


def test_pool_cmo_results_from_a_run(tmp_path):
    fake_run(tmp_path, "wijk-noord", "complete", VERDICTS)
    pooled = synthesis.pool_cmo_results(
        ROOT / "config", ROOT / "data", tmp_path, networks=["wijk-noord"], compute=False
    )
    assert list(pooled.columns) == list(synthesis.POOLED_COLUMNS)
    rows = pooled.set_index("cmo_id")
    # supported: the stated context of config/theories/wijk-noord.yaml; refined: the new one
    assert rows.loc["cmo-01", "holds_in"] == "Buurten met veel sociale samenhang"
    assert rows.loc["cmo-02", "holds_in"] == "not (age >= 65)"
    assert rows.loc["cmo-03", "holds_in"] == ""
    assert set(pooled["source"]) == {"run 20240101T000000Z"}
    matrix = synthesis.pooled_matrix(pooled)
    assert matrix.loc["cmo-02", "wijk-noord"] == "refined"


def test_pool_cmo_results_without_runs(tmp_path):
    pooled = synthesis.pool_cmo_results(
        ROOT / "config", ROOT / "data", None, networks=["wijk-noord"], compute=False
    )
    assert pooled[["network_id", "verdict", "source"]].values.tolist() == [
        ["wijk-noord", "not available", "runs not read"]
    ]
    assert synthesis.pooled_matrix(pooled).empty


@pytest.mark.slow
def test_pool_cmo_results_computes_when_no_run(tmp_path):
    pooled = synthesis.pool_cmo_results(
        ROOT / "config", ROOT / "data", tmp_path, networks=["wijk-noord"]
    )
    assert len(pooled) == 8 and set(pooled["source"]) == {"computed"}
    # ground truth (data/wijk-noord/ground_truth.json): cmo-01 holds in its stated context
    truth = json.loads((ROOT / "data" / "wijk-noord" / "ground_truth.json").read_text())
    assert truth["cmo-01"]["holds_in"] == "context"
    assert pooled.set_index("cmo_id").loc["cmo-01", "verdict"] == "supported"


# --------------------------------------------------------------------------
# netwerkonderzoek run --synthesis
# --------------------------------------------------------------------------
@pytest.mark.slow
def test_run_synthesis_cli_writes_a_complete_run(tmp_path, capsys):
    from netwerkonderzoek.cli import main
    from netwerkonderzoek.runner import verify_run

    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    shutil.copy(ROOT / "notebooks" / "05_synthese.ipynb", notebooks)
    out = tmp_path / "out"
    code = main(
        [
            "run",
            "--synthesis",
            "--config-dir",
            str(ROOT / "config"),
            "--data-dir",
            str(ROOT / "data"),
            "--output-dir",
            str(out),
            "--notebook-dir",
            str(notebooks),
        ]
    )
    assert code == 0, capsys.readouterr().err
    run = (out / "_synthese" / "latest").resolve()
    for rel in (
        "tables/synthesis_conditions.csv",
        "tables/synthesis_truth_table.csv",
        "tables/synthesis_solutions.csv",
        "tables/cmo_pooled.csv",
        "figures/synthesis_xy.svg",
        "figures/synthesis_xy.png",
        "notebooks/05_synthese.ipynb",
        "report.html",
    ):
        assert (run / rel).is_file(), rel
    manifest = json.loads((run / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["kind"] == "synthesis"
    assert manifest["network_id"] == "_synthese"
    assert "network_id" not in manifest["parameters"]
    assert manifest["networks"] == ["energie-regio", "ggz-netwerk", "wijk-noord"]
    assert "config/synthesis.yaml" in manifest["inputs"]
    assert "data/_synthese/networks.csv" in manifest["inputs"]
    solutions = pd.read_csv(run / "tables" / "synthesis_solutions.csv")
    parsi = solutions[(solutions["solution_type"] == "parsimonious")]
    assert parsi["solution"].unique().tolist() == [PLANTED_FORMULA]
    assert verify_run(run).ok


def test_run_synthesis_refuses_network_id(tmp_path):
    from netwerkonderzoek import RunError
    from netwerkonderzoek.runner import run_synthesis

    with pytest.raises(RunError, match="network_id"):
        run_synthesis(
            config_dir=ROOT / "config",
            data_dir=ROOT / "data",
            output_dir=tmp_path,
            notebook_dir=ROOT / "notebooks",
            parameters={"network_id": "wijk-noord"},
        )
    with pytest.raises(RunError, match="synthesis notebook not found"):
        run_synthesis(config_dir=ROOT / "config", output_dir=tmp_path, notebook_dir=tmp_path)
