"""What changed since the previous evaluation (netwerkonderzoek.runner.compare).

Two small run folders are written by hand, so every change and every
non-change below is known without running a study; the comparison of real
runs (an interim and a later evaluation of wijk-noord) is in
tests/test_compare_runs.py.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest
from scipy import stats

from netwerkonderzoek.cli import main
from netwerkonderzoek.exceptions import RunError
from netwerkonderzoek.runner import compare_network, compare_runs, complete_runs
from netwerkonderzoek.runner.compare import CHANGE_COLUMNS, check_run

VERDICTS = {
    "cmo_id": ["cmo-01", "cmo-02", "cmo-03", "cmo-04"],
    "verdict": ["insufficient_data", "supported", "refined", "inconclusive"],
    "n": [400, 400, 400, 400],
    "n_exposed_in": [12, 80, 60, 50],
    "n_unexposed_in": [30, 90, 70, 60],
    "refined_context": [None, None, "not (age >= 65)", None],
    "n_items": [2, 2, 2, 2],
    "n_supports": [1, 2, 0, 1],
    "n_contradicts": [0, 0, 0, 0],
    "n_refines": [0, 0, 1, 0],
    "n_inconclusive": [1, 0, 1, 1],
}


def _spc(periods: list[str], flags: dict[str, str], direction: str = "concern") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator_id": "overlast",
            "period": periods,
            "value": 1.0,
            "signals": [flags.get(p, "") for p in periods],
            "direction": [direction if p in flags else "" for p in periods],
        }
    )


def _months(first: int, last: int, year: int = 2023) -> list[str]:
    return [f"{year}-{m:02d}" for m in range(first, last + 1)]


def _write_run(
    network_dir: Path,
    run_id: str,
    tables: dict[str, pd.DataFrame],
    *,
    status: str = "complete",
    scope: str = "full",
    network_id: str = "wijk-noord",
    **manifest,
) -> Path:
    run = network_dir / run_id
    (run / "tables").mkdir(parents=True)
    for name, frame in tables.items():
        frame.to_csv(run / "tables" / f"{name}.csv", index=False)
    record = {
        "run_id": run_id,
        "network_id": network_id,
        "status": status,
        "scope": scope,
        "started": f"{run_id[:4]}-{run_id[4:6]}-{run_id[6:8]}T09:00:00+00:00",
        "parameters": {"language": "nl"},
        "inputs": {},
        **manifest,
    }
    (run / "manifest.json").write_text(json.dumps(record), encoding="utf-8")
    return run


def _base_tables() -> dict[str, pd.DataFrame]:
    return {
        "cmo_verdicts": pd.DataFrame(VERDICTS),
        "indicator_spc": _spc(_months(1, 12), {"2023-11": "shift", "2023-12": "shift"}),
        "value_definition": pd.DataFrame({"indicator_id": ["overlast"], "label": ["Overlast"]}),
        "network_trust": pd.DataFrame(
            {"wave": [1, 2], "trust": [3.0, 3.0], "value": [2.8, 2.8]}
            | {"trust_se": [0.05, 0.05], "value_se": [0.05, 0.05]}
        ),
        "partner_measures": pd.DataFrame(
            {"wave": [1, 1, 2, 2], "partner_id": ["a", "b", "a", "b"]}
        ),
        "partner_business_case_summary": pd.DataFrame(
            {
                "partner_id": ["a", "b"],
                "name": ["Stichting A", "Stichting B"],
                "flag": [False, True],
                "reason": ["", "inzet groeit terwijl de waarde daalt"],
            }
        ),
    }


@pytest.fixture
def runs(tmp_path):
    """An earlier run and a later one with known changes (see the test below)."""
    network = tmp_path / "output" / "wijk-noord"
    before = _write_run(
        network,
        "20240101T090000Z",
        _base_tables(),
        inputs={"data/wijk-noord/ties.csv": "sha256:aa", "data/wijk-noord/events.csv": "sha256:e"},
        input_rows={"data/wijk-noord/ties.csv": 245},
        theory={"version": 1, "label": "initial", "sha256": "t1"},
        library="sha256:1111",
    )
    later = _base_tables()
    verdicts = later["cmo_verdicts"]
    verdicts.loc[0, ["verdict", "n", "n_exposed_in"]] = ["supported", 900, 40]  # more data
    verdicts.loc[1, ["verdict", "n_items", "n_contradicts"]] = ["inconclusive", 3, 1]  # evidence
    verdicts.loc[2, "refined_context"] = "not (age >= 75)"  # refined otherwise, same counts
    # the shift of Nov-Dec goes on into Jan and ends; a new astronomical point in Apr
    later["indicator_spc"] = _spc(
        _months(1, 12) + _months(1, 6, 2024),
        {
            "2023-11": "shift",
            "2023-12": "shift",
            "2024-01": "shift",
            "2024-04": "astronomical",
        },
    )
    # wave 3: trust fell by 0.2 (z = -0.2 / hypot(0.05, 0.05) = -2.83), value by 0.05 (z = -0.71)
    later["network_trust"] = pd.DataFrame(
        {
            "wave": [1, 2, 3],
            "trust": [3.0, 3.0, 2.8],
            "value": [2.8, 2.8, 2.75],
            "trust_se": [0.05, 0.05, 0.05],
            "value_se": [0.05, 0.05, 0.05],
        }
    )
    later["partner_measures"] = pd.DataFrame(
        {"wave": [1, 1, 2, 2, 3, 3], "partner_id": ["a", "b", "a", "b", "a", "c"]}
    )
    later["partner_business_case_summary"] = pd.DataFrame(
        {
            "partner_id": ["a", "c"],
            "name": ["Stichting A", "Buurtcoöperatie C"],
            "flag": [True, False],
            "reason": ["inzet groeit terwijl de waarde daalt", ""],
        }
    )
    after = _write_run(
        network,
        "20240701T090000Z",
        later,
        inputs={"data/wijk-noord/ties.csv": "sha256:bb", "data/wijk-noord/units.csv": "sha256:u"},
        input_rows={"data/wijk-noord/ties.csv": 410, "data/wijk-noord/units.csv": 900},
        theory={"version": 1, "label": "initial", "sha256": "t1"},
        library="sha256:1111",
    )
    return before, after


def _by(changes: pd.DataFrame, aspect: str) -> list[tuple]:
    rows = changes[changes["aspect"] == aspect]
    return list(rows[["item", "change", "why"]].itertuples(index=False, name=None))


def test_every_planted_change_is_reported_and_nothing_else(runs):
    before, after = runs
    comparison = compare_runs(before, after)
    changes = comparison.changes
    assert tuple(changes.columns) == CHANGE_COLUMNS
    assert _by(changes, "inputs") == [
        ("data/wijk-noord/events.csv", "removed", ""),
        ("data/wijk-noord/ties.csv", "changed", ""),
        ("data/wijk-noord/units.csv", "added", ""),
    ]
    assert _by(changes, "verdict") == [
        ("cmo-01", "changed", "data"),
        ("cmo-02", "changed", "evidence"),
        ("cmo-03", "refined", "method"),
    ]
    # the ongoing shift that went on is neither new nor ended until it stops; it stopped
    # in 2024-01, before the later run's last month: ended. The astronomical point is new.
    assert _by(changes, "signal") == [  # in the order they began
        ("overlast", "ended", "rule=shift; direction=concern"),
        ("overlast", "new", "rule=astronomical; direction=concern"),
    ]
    trust = changes[changes["aspect"] == "trust_value"]
    assert trust[["item", "change"]].values.tolist() == [["trust", "decreased"]]
    # z = -0.2 / hypot(0.05, 0.05) = -2.83, p = 2 Φ(-2.83) = 0.0047; value: z = -0.71, p = 0.48;
    # Holm over the two: 2 × 0.00468 = 0.0094 < 0.05 for trust, value not reported
    z = -0.2 / math.hypot(0.05, 0.05)
    p = 2 * stats.norm.sf(abs(z))
    assert trust["why"].iloc[0] == f"z={z:.2f}; p={p:.2g}; holm_p={2 * p:.2g}"
    assert trust["why"].iloc[0] == "z=-2.83; p=0.0047; holm_p=0.0094"
    assert _by(changes, "partner") == [("c", "joined", ""), ("b", "left", "")]
    assert _by(changes, "business_case") == [
        ("a", "flagged", "inzet groeit terwijl de waarde daalt")
    ]
    assert set(changes["aspect"]) == {
        "inputs",
        "verdict",
        "signal",
        "trust_value",
        "partner",
        "business_case",
    }


def test_the_sentences_say_what_changed_and_why_in_dutch_and_english(runs):
    before, after = runs
    text = compare_runs(before, after).changes.set_index("item")["description"]
    assert text["cmo-01"] == (
        "CMO-01: van te weinig gegevens naar bevestigd (meer of andere gegevens: n 400 → 900, "
        "blootgesteld 12 → 40)."
    )
    assert text["cmo-02"] == (
        "CMO-02: van bevestigd naar onbeslist (ander bewijs: bewijsstukken 2 → 3, "
        "weersprekend 0 → 1)."
    )
    assert text["data/wijk-noord/ties.csv"] == (
        "Invoerbestand gewijzigd: data/wijk-noord/ties.csv (245 → 410 rijen)."
    )
    assert text["trust"] == (
        "Vertrouwen: van 3,00 naar 2,80 (meting 2 → meting 3); groter dan de onzekerheid "
        "(z = -2,8; p = 0,009 na Holm-correctie)."
    )
    assert text["c"] == "Buurtcoöperatie C is toegetreden (tussen meting 2 en meting 3)."
    english = compare_runs(before, after, language="en")
    assert english.changes.set_index("item")["description"]["cmo-02"] == (
        "CMO-02: from supported to inconclusive (other evidence: items 2 → 3, "
        "contradicting 0 → 1)."
    )
    groups = dict(english.groups())
    assert groups["Comparison"][0] == (
        "This evaluation is compared with the previous evaluation of 1 January 2024 "
        "(run 20240101T090000Z)."
    )


def test_the_same_tables_give_no_change(tmp_path):
    network = tmp_path / "wijk-noord"
    before = _write_run(network, "20240101T090000Z", _base_tables())
    after = _write_run(network, "20240701T090000Z", _base_tables())
    comparison = compare_runs(before, after)
    assert comparison.changes.empty
    assert comparison.groups()[0][1][1] == "Geen veranderingen sinds de vorige evaluatie."


def test_a_changed_value_of_the_same_wave_is_a_revision_not_a_test(tmp_path):
    network = tmp_path / "wijk-noord"
    tables = _base_tables()
    before = _write_run(network, "20240101T090000Z", tables)
    tables["network_trust"].loc[1, "trust"] = 3.01  # within any uncertainty, but revised
    after = _write_run(network, "20240701T090000Z", tables)
    assert _by(compare_runs(before, after).changes, "trust_value") == [("trust", "revised", "")]


def test_without_standard_errors_nothing_is_tested_and_one_row_says_so(tmp_path):
    network = tmp_path / "wijk-noord"
    tables = _base_tables()
    tables["network_trust"] = tables["network_trust"].drop(columns=["trust_se", "value_se"])
    before = _write_run(network, "20240101T090000Z", tables)
    tables["network_trust"] = pd.DataFrame({"wave": [3], "trust": [1.0], "value": [1.0]})
    after = _write_run(network, "20240701T090000Z", tables)
    assert _by(compare_runs(before, after).changes, "trust_value") == [
        ("*", "not_assessed", "no standard errors")
    ]


def test_a_new_theory_version_is_named_as_the_reason(tmp_path):
    network = tmp_path / "wijk-noord"
    tables = _base_tables()
    before = _write_run(network, "20240101T090000Z", tables, theory={"version": 1})
    tables["cmo_verdicts"].loc[3, "verdict"] = "supported"
    after = _write_run(network, "20240701T090000Z", tables, theory={"version": 2, "label": "v2"})
    changes = compare_runs(before, after).changes
    assert _by(changes, "verdict") == [("cmo-04", "changed", "theory")]
    assert _by(changes, "inputs") == [("theory", "changed", "")]


def test_value_cells_report_new_ratings_and_disagreement(tmp_path):
    def matrix(period, status, appreciation, n, disagree):
        return pd.DataFrame(
            {
                "period": period,
                "perspective": "societal",
                "form": "direct",
                "row_type": "appreciation",
                "stakeholder_group": ["residents", "partners"],
                "appreciation": appreciation,
                "n_ratings": n,
                "appreciation_sd": [1.0, 1.0],
                "appreciation_status": status,
                "disagree": disagree,
                "suppressed": None,
            }
        )

    network = tmp_path / "wijk-noord"
    tables = _base_tables()
    tables["value_matrix"] = matrix("2024-01", ["no data", "rated"], [None, 7.0], [0, 25], False)
    before = _write_run(network, "20240101T090000Z", tables)
    # partners: 7.0 -> 6.9 with se 1/5 each: z = -0.35, not reported
    tables["value_matrix"] = matrix("2024-06", ["rated", "rated"], [4.5, 6.9], [30, 25], True)
    after = _write_run(network, "20240701T090000Z", tables)
    changes = compare_runs(before, after).changes
    assert _by(changes, "value_cell") == [
        ("societal/direct/residents", "status", ""),
        ("societal/direct", "disagreement", ""),
    ]
    assert changes["description"].tolist()[-2:] == [
        "Maatschappelijke waarde, direct, bewoners: geen waarderingen → gewaardeerd.",
        "Maatschappelijke waarde, direct: de groepen verschillen nu in hun waardering.",
    ]


# --- what cannot be compared ---------------------------------------------------------


def test_runs_of_two_networks_are_refused(tmp_path):
    a = _write_run(tmp_path / "wijk-noord", "20240101T090000Z", _base_tables())
    b = _write_run(
        tmp_path / "ggz-netwerk", "20240701T090000Z", _base_tables(), network_id="ggz-netwerk"
    )
    with pytest.raises(RunError) as error:
        compare_runs(a, b)
    assert str(error.value) == (
        f"cannot compare runs of two networks: {a} is a run of wijk-noord, {b} of ggz-netwerk"
    )


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("failed", "the run did not complete (status 'failed'); only complete runs can be compared"),
        ("running", "the run did not complete (status 'running'); only complete runs can be compared"),
        ("partial", "a partial run (made with --only): it lacks the other notebooks' tables; compare full runs"),
        ("no manifest", "no readable manifest.json; expected a run folder made by 'netwerkonderzoek run'"),
        ("no tables", "no tables/ folder; the run folder is incomplete"),
        ("missing", "no such run folder"),
        ("synthesis", "a cross-network synthesis run; compare runs of one network"),
    ],
)  # fmt: skip
def test_an_incomplete_run_folder_gets_a_specific_error(tmp_path, kind, message):
    good = _write_run(tmp_path / "wijk-noord", "20240101T090000Z", _base_tables())
    network = tmp_path / "wijk-noord"
    if kind in ("failed", "running"):
        bad = _write_run(network, "20240701T090000Z", _base_tables(), status=kind)
    elif kind == "partial":
        bad = _write_run(network, "20240701T090000Z", _base_tables(), scope="partial")
    elif kind == "synthesis":
        bad = _write_run(network, "20240701T090000Z", _base_tables(), kind="synthesis")
    else:
        bad = _write_run(network, "20240701T090000Z", _base_tables())
        if kind == "no manifest":
            (bad / "manifest.json").unlink()
        elif kind == "no tables":
            for path in (bad / "tables").iterdir():
                path.unlink()
            (bad / "tables").rmdir()
        else:
            bad = network / "20990101T000000Z"
    with pytest.raises(RunError) as error:
        compare_runs(good, bad)
    assert str(error.value) == f"{bad}: {message}"


def test_the_earlier_run_comes_first_and_a_run_is_not_compared_with_itself(tmp_path):
    a = _write_run(tmp_path / "wijk-noord", "20240101T090000Z", _base_tables())
    b = _write_run(tmp_path / "wijk-noord", "20240701T090000Z", _base_tables())
    with pytest.raises(RunError, match=r"started after .*; give the earlier run first"):
        compare_runs(b, a)
    with pytest.raises(RunError, match="a run cannot be compared with itself"):
        compare_runs(a, a)
    assert check_run(a)["run_id"] == "20240101T090000Z"


def test_compare_network_takes_the_latest_two_complete_full_runs(tmp_path):
    network = tmp_path / "wijk-noord"
    _write_run(network, "20240101T090000Z", _base_tables())
    middle = _write_run(network, "20240301T090000Z", _base_tables())
    _write_run(network, "20240401T090000Z", _base_tables(), scope="partial")
    last = _write_run(network, "20240501T090000Z", _base_tables())
    _write_run(network, "20240601T090000Z", _base_tables(), status="failed")
    assert [p.name for p in complete_runs(network)] == [
        "20240101T090000Z",
        "20240301T090000Z",
        "20240501T090000Z",
    ]
    comparison = compare_network("wijk-noord", tmp_path)
    assert (comparison.before, comparison.after) == (middle, last)


# --- the command ---------------------------------------------------------------------------


def test_compare_prints_the_changes_and_writes_them(runs, capsys):
    before, after = runs
    assert main(["compare", str(before), str(after)]) == 0
    out = capsys.readouterr().out
    assert "Oordelen over de configuraties\n- CMO-01: van te weinig gegevens naar bevestigd" in out
    written = after.parent / "comparisons" / "20240101T090000Z--20240701T090000Z.csv"
    assert f"written: {written}" in out
    table = pd.read_csv(written)
    assert list(table.columns) == list(CHANGE_COLUMNS) and len(table) == 12
    # the network form: the latest two complete runs, in the language asked
    target = after.parent / "latest-two.csv"
    output = str(after.parent.parent)
    args = ["compare", "wijk-noord", "--output-dir", output, "--language", "en", "--to"]
    assert main([*args, str(target)]) == 0
    assert "Verdicts on the configurations" in capsys.readouterr().out
    codes = ["aspect", "item", "before", "after", "change", "why"]  # not the words
    assert pd.read_csv(target)[codes].equals(table[codes])


def test_compare_refuses_what_it_cannot_compare_with_exit_code_2(tmp_path, capsys):
    assert main(["compare", "wijk-noord", "--output-dir", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (
        f"error: wijk-noord has 0 complete full runs under {tmp_path}; compare needs two "
        "(run 'netwerkonderzoek run wijk-noord' first)\n"
    )
    one = _write_run(tmp_path / "wijk-noord", "20240101T090000Z", _base_tables())
    assert main(["compare", str(one)]) == 2
    assert "one run folder given; give two run folders (earlier first)" in capsys.readouterr().err


# --- calibration -----------------------------------------------------------------------------


def _matrix(period: str, ratings: dict) -> pd.DataFrame:
    rows = []
    for (perspective, form, group), values in ratings.items():
        rows.append(
            {
                "period": period,
                "perspective": perspective,
                "form": form,
                "row_type": "appreciation",
                "stakeholder_group": group,
                "appreciation": values.mean(),
                "n_ratings": len(values),
                "appreciation_sd": values.std(ddof=1),
                "appreciation_status": "rated",
                "disagree": False,
                "suppressed": None,
            }
        )
    return pd.DataFrame(rows)


@pytest.mark.slow
def test_value_cell_changes_keep_the_family_wise_error_rate_and_find_a_real_change(tmp_path):
    """Monte Carlo: 18 groups (6 cells x residents 30, partners 23, funders 6 raters, as
    wijk-noord), the same mean in both runs. Holm over Welch tests keeps the chance of any
    false change at most 5 %; unadjusted, about 1 - 0.95^18 = 60 % of comparisons would
    report one. A real drop of 1.25 standard deviations among 30 residents (z about 4.8
    before the correction) is found in nearly every comparison."""
    import numpy as np

    rng = np.random.default_rng(20)
    cells = [(p, f) for p in ("societal", "network", "partner") for f in ("direct", "indirect")]
    sizes = {"residents": 30, "partners": 23, "funders": 6}
    network = tmp_path / "wijk-noord"
    before = _write_run(network, "20240101T090000Z", {})
    after = _write_run(network, "20240701T090000Z", {})

    def draw(shift: float = 0.0):
        return {
            (p, f, g): rng.normal(
                7 - (shift if (p, f, g) == cells[0] + ("residents",) else 0), 1, n
            )
            for p, f in cells
            for g, n in sizes.items()
        }

    false, found = 0, 0
    reps = 150
    for _ in range(reps):
        _matrix("2024-01", draw()).to_csv(before / "tables" / "value_matrix.csv", index=False)
        _matrix("2024-06", draw()).to_csv(after / "tables" / "value_matrix.csv", index=False)
        false += bool(len(compare_runs(before, after).changes))
        _matrix("2024-06", draw(1.25)).to_csv(after / "tables" / "value_matrix.csv", index=False)
        moved = compare_runs(before, after).changes
        found += "societal/direct/residents" in set(moved["item"])
    # 150 replications: the standard error of a 5 % rate is 1.8 percentage points
    assert false / reps <= 0.09
    assert found / reps >= 0.9
