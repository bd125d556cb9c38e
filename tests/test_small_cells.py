"""Small cells stay small across every table of a run (issue 16, point 4).

An attacker who holds all of a run's outputs tries to recover each hidden
count of persons: from the row's other cells and its ``n`` (a row's cells add
up to the units tested), from the whole-sample test minus the other
subgroups (differences between ``evidence.csv`` and ``cmo_for_whom.csv``),
from a verdict's copy of its deciding test, and from the counts printed in
notes. Recovered values feed the next round until nothing new is found. The
attack is shown to work on tables protected one at a time (the old way),
so it can fail.

Counts of coded observations are counts of fragments, not persons (issue
18), and are not suppressed.
"""

from __future__ import annotations

import re
import shutil
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
import yaml

from netwerkonderzoek import privacy, stats
from netwerkonderzoek.stats.evaluation import PERSON_COUNTS

from .conftest import ROOT
from .test_stats_configuration import make_theory, simulate

MIN_CELL = 5
# a count printed in a note ("3 exposed"), not a threshold ("fewer than 10 exposed")
COUNT_IN_NOTE = re.compile(r"(?<!fewer than )(?<!at least )\b(\d+) (?:exposed|unexposed|units?\b)")
CELLS = PERSON_COUNTS[1:]  # the four cells whose sum is n


def _frame(path_or_table):
    if isinstance(path_or_table, pd.DataFrame):
        return path_or_table.reset_index(drop=True)
    return pd.read_csv(path_or_table, keep_default_na=False, na_values=[""])


def recover(evidence, verdicts, for_whom) -> dict:
    """Every hidden person count an attacker can derive from the three tables."""
    tables = {
        "evidence": _frame(evidence),
        "verdicts": _frame(verdicts),
        "for_whom": _frame(for_whom),
    }
    known: dict[tuple[str, int, str], float] = {}
    hidden: set[tuple[str, int, str]] = set()
    for name, table in tables.items():
        for column in PERSON_COUNTS:
            if column not in table.columns:
                continue
            numbers = pd.to_numeric(table[column], errors="coerce").astype(float)
            for i, value in enumerate(numbers):
                if np.isnan(value):
                    hidden.add((name, i, column))
                else:
                    known[(name, i, column)] = float(value)

    def units_rows(name):
        table = tables[name]
        mask = (table["kind"] == "quantitative") & (table["source"] == "units")
        return [int(i) for i in np.flatnonzero(mask.to_numpy())]

    relations = []  # (cells, coefficients): sum(coef * value) == 0
    for name in ("evidence", "for_whom"):
        for i in units_rows(name):
            relations.append(
                ([(name, i, "n")] + [(name, i, c) for c in CELLS], [1, -1, -1, -1, -1])
            )
    ev, fw = tables["evidence"], tables["for_whom"]
    whole = [i for i in units_rows("evidence") if str(ev.at[i, "subgroup"]) in ("", "nan")]
    groups: dict[tuple[str, str], list[int]] = {}
    for i in units_rows("for_whom"):
        groups.setdefault(
            (fw.at[i, "cmo_id"], str(fw.at[i, "subgroup"]).split("=")[0]), []
        ).append(i)
    for (cmo_id, _), rows in groups.items():
        for total in [i for i in whole if ev.at[i, "cmo_id"] == cmo_id]:
            for column in PERSON_COUNTS:
                cells = [("evidence", total, column)] + [("for_whom", i, column) for i in rows]
                relations.append((cells, [1] + [-1] * len(rows)))
    vd = tables["verdicts"]
    for v in range(len(vd)):
        for i in whole:
            if ev.at[i, "cmo_id"] == vd.at[v, "cmo_id"]:
                for column in ("n", "n_exposed_in", "n_unexposed_in"):
                    relations.append(([("verdicts", v, column), ("evidence", i, column)], [1, -1]))
    found: dict[tuple[str, int, str], int] = {}
    # counts printed in the note of a row whose counts are hidden
    for name in ("evidence", "for_whom"):
        for i in units_rows(name):
            if any((name, i, c) in hidden for c in PERSON_COUNTS):
                numbers = COUNT_IN_NOTE.findall(str(tables[name].at[i, "note"]))
                if numbers:
                    found[(name, i, "note")] = [int(number) for number in numbers]
    changed = True
    while changed:
        changed = False
        for cells, coefs in relations:
            unknown = [k for k, c in enumerate(cells) if c in hidden and c not in known]
            if len(unknown) != 1 or any(c not in known and c not in hidden for c in cells):
                continue
            k = unknown[0]
            rest = sum(coefs[j] * known[c] for j, c in enumerate(cells) if j != k)
            value = -rest / coefs[k]
            known[cells[k]] = value
            found[cells[k]] = round(value)
            changed = True
    return found


def _small_subgroup_units(seed=5):
    units = simulate(n=1600, inside=1.0, seed=seed)
    units["female"] = np.random.default_rng(seed).integers(0, 2, len(units))
    inside_exposed = (units["c"] >= 6) & (units["e"] == 1) & (units["female"] == 1)
    # keep three exposed women inside the context: a small cell in a large subgroup
    drop = units.index[inside_exposed][3:]
    units.loc[drop, "e"] = 0
    return units


def _data(units):
    observations = pd.DataFrame(
        columns=["observation_id", "date", "source_role", "codes", "sentiment"]
    )
    return SimpleNamespace(units=units, observations=observations)


def test_subgroup_cell_cannot_be_recovered_from_the_other_tables():
    theory = make_theory()
    units = _small_subgroup_units()
    evaluation = stats.evaluate_theory(_data(units), theory, subgroups=["female"])
    published = evaluation.published(MIN_CELL)
    women = published["for_whom"][published["for_whom"]["subgroup"] == "female=1"].iloc[0]
    assert women["direction"] == "insufficient_data"
    assert pd.isna(women["n_exposed_in"])  # the 3
    assert (
        "3" not in COUNT_IN_NOTE.sub("", women["note"]).split()
        and "3 exposed" not in women["note"]
    )
    # the attacker gets nothing back from the protected tables
    assert recover(published["evidence"], published["verdicts"], published["for_whom"]) == {}
    # ... but recovers the 3 once the cell that secondary suppression hid
    # beside it is shown again (the attack can fail)
    weak = published["for_whom"].copy()
    men = int(np.flatnonzero(weak["subgroup"] == "female=0")[0])
    assert pd.isna(weak.at[men, "n_exposed_in"])
    weak.loc[men, "n_exposed_in"] = evaluation.subgroup_ledger.at[men, "n_exposed_in"]
    row = int(np.flatnonzero(weak["subgroup"] == "female=1")[0])
    found = recover(published["evidence"], published["verdicts"], weak)
    assert found[("for_whom", row, "n_exposed_in")] == 3
    # and a note that prints the count gives it away
    noted = published["for_whom"].copy()
    noted.loc[row, "note"] = "too few units inside the context: 3 exposed and 200 unexposed"
    assert recover(published["evidence"], published["verdicts"], noted)[
        ("for_whom", row, "note")
    ] == [3, 200]


def test_a_subgroup_of_three_persons_is_withheld_without_naming_it():
    theory = make_theory()
    units = simulate(n=1200, seed=8)
    units["group"] = "a"
    units.loc[units.index[:3], "group"] = "rare-b"
    items = stats.for_whom(theory, "cmo-01", units, by="group")
    assert len(items) == 1
    (item,) = items
    assert item.direction == "insufficient_data"
    assert item.subgroup == "group"
    assert "rare-b" not in item.note and "3" not in item.note
    assert item.note == "subgroup analysis by 'group' withheld: a subgroup has fewer than 10 units"
    assert item.n == 0 and item.n_exposed_in == 0


def test_insufficient_note_prints_no_small_count():
    theory = make_theory(covariates=["x"])
    units = simulate(n=400, seed=2)
    exposed_inside = units.index[(units["c"] >= 6) & (units["e"] == 1)]
    units = units.drop(exposed_inside[4:])  # four exposed units inside the context
    units.loc[units.index[-2:], "x"] = np.nan  # and two dropped for a missing covariate
    item = stats.test_configuration(units, theory, "cmo-01", cluster=None)
    assert item.direction == "insufficient_data"
    assert 0 < item.n_exposed_in < 10
    assert item.note == (
        "fewer than 10 units dropped for missing values; too few units inside the context: "
        "fewer than 10 exposed or unexposed, at least 10 needed in each"
    )


def test_suppress_linked_protects_copies_and_totals():
    total = pd.DataFrame({"n": [40, 7]})
    copy = pd.DataFrame({"n": [40]})
    parts = pd.DataFrame({"n": [37, 3]})
    out = privacy.suppress_linked(
        {"total": total, "copy": copy, "parts": parts},
        {"total": ["n"], "copy": ["n"], "parts": ["n"]},
        [
            [("total", 0, "n"), ("parts", 0, "n"), ("parts", 1, "n")],
            [("total", 0, "n"), ("copy", 0, "n")],
        ],
    )
    assert out["parts"]["n"].isna().all()  # 3 and, secondarily, 37
    assert out["total"]["n"].tolist() == [40, 7]  # the total reveals nothing by itself
    assert out["copy"]["suppressed"].tolist() == [""]
    with pytest.raises(KeyError, match=r"cell .* is not a count cell"):
        privacy.suppress_linked({"t": total}, {"t": ["n"]}, [[("t", 5, "n")]])


@pytest.mark.slow
def test_no_hidden_cell_is_recovered_from_a_runs_outputs(tmp_path):
    """A copy of wijk-noord with three exposed women inside cmo-01's context."""
    from netwerkonderzoek.runner import run_network

    project = tmp_path / "project"
    (project / "config" / "networks").mkdir(parents=True)
    config = yaml.safe_load((ROOT / "config" / "networks" / "wijk-noord.yaml").read_text())
    config.pop("sources", None)
    (project / "config" / "networks" / "wijk-noord.yaml").write_text(
        yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    shutil.copytree(ROOT / "config" / "theories", project / "config" / "theories")
    shutil.copy(ROOT / "config" / "demo.key", project / "config")
    shutil.copytree(ROOT / "data" / "wijk-noord", project / "data" / "wijk-noord")
    data = project / "data" / "wijk-noord"
    shutil.rmtree(data / "provenance", ignore_errors=True)
    shutil.rmtree(data / "harmonisation", ignore_errors=True)
    units = pd.read_csv(data / "units.csv", dtype={"unit_id": str})
    women_inside = (
        (units["social_cohesion"] >= 6) & (units["buurtcoach"] == 1) & (units["female"] == 1)
    )
    units.loc[units.index[women_inside][3:], "buurtcoach"] = 0
    units.to_csv(data / "units.csv", index=False)
    result = run_network(
        "wijk-noord",
        config_dir=project / "config",
        data_dir=project / "data",
        output_dir=project / "output",
        notebook_dir=ROOT / "notebooks",
        force=True,
    )
    assert result.status == "complete", result
    tables = result.path / "tables"
    for_whom = _frame(tables / "cmo_for_whom.csv")
    women = for_whom[(for_whom["cmo_id"] == "cmo-01") & (for_whom["subgroup"] == "female=1")]
    assert len(women) == 1 and pd.isna(women["n_exposed_in"].iloc[0])  # the run hid the 3
    found = recover(
        tables / "evidence.csv", tables / "cmo_verdicts.csv", tables / "cmo_for_whom.csv"
    )
    assert found == {}, f"hidden counts recovered from the run's tables: {found}"
    # the report shows the cells as x and prints no small count beside 'blootgesteld'
    report = (result.path / "report.html").read_text(encoding="utf-8")
    assert not re.search(r"\b3 (?:exposed|unexposed|blootgesteld)", report)
