"""Tests of netwerkonderzoek.network.siena: RSiena input files and RSiena's descriptives.

R is not installed here. The files are read back the way RSiena reads them
(RSiena 1.6.6: ``as.matrix(read.table(f))`` for the matrices, whitespace-
separated numbers and ``NA``; sienautils.r ``sienaCompositionChangeFromFile``:
one line per actor, leading blanks stripped, split on " +", ``as.numeric``),
and the composition times are checked with the rules of sienaDataCreate.r
(all times in [1, M], an even number per actor, the actor active at wave t
for ``ceiling(start) <= t <= trunc(end)``). Reference counts are by hand.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest

from netwerkonderzoek.network import (
    NetworkDataError,
    build_graph,
    siena_descriptives,
    siena_files,
    tie_change,
)

DATES = {1: "2023-01-01", 2: "2023-07-01", 3: "2024-01-01"}


def _partners(changing: bool = True) -> pd.DataFrame:
    joined = ["2022-01-01"] * 5
    left = [None] * 5
    if changing:
        joined[3] = "2023-03-01"  # d joins between waves 1 and 2: 59 of 181 days
        left[4] = "2023-10-01"  # e leaves between waves 2 and 3: 92 of 184 days
    return pd.DataFrame(
        {
            "partner_id": list("abcde"),
            "kind": ["care", "housing", "care", "welfare", "care"],
            "core": [True, True, False, False, True],
            "staff": [10.0, np.nan, 3.0, 4.5, 2.0],
            "joined": joined,
            "left": left,
        }
    )


def _ties() -> pd.DataFrame:
    rows = [
        (1, "a", "b", "joint_delivery"),
        (1, "b", "c", "joint_delivery"),
        (1, "c", "a", "joint_delivery"),
        (1, "e", "a", "joint_delivery"),
        (1, "a", "c", "information"),
        (2, "a", "b", "joint_delivery"),
        (2, "d", "a", "joint_delivery"),
        (2, "e", "b", "joint_delivery"),
        (2, "c", "b", "information"),
        (3, "a", "b", "joint_delivery"),
        (3, "b", "a", "joint_delivery"),
        (3, "d", "c", "joint_delivery"),
        (3, "c", "d", "information"),
    ]
    frame = pd.DataFrame(rows, columns=["wave", "source", "target", "tie_type"])
    frame["weight"] = 1.0
    return frame


def _read_table(path) -> np.ndarray:
    """R's as.matrix(read.table(path)) for numbers and NA."""
    rows = [line.split() for line in path.read_text().splitlines() if line.strip()]
    assert len({len(r) for r in rows}) == 1
    return np.array([[np.nan if v == "NA" else float(v) for v in r] for r in rows])


def _read_composition(path) -> list[list[float]]:
    """RSiena's sienaCompositionChangeFromFile parsing."""
    return [
        [float(v) for v in re.split(" +", re.sub("^ +", "", line)) if v]
        for line in path.read_text().splitlines()
    ]


def _active(intervals, waves):
    """sienaDataCreate.r's activeStart: ceiling(start):trunc(end) per interval."""
    active = [False] * waves
    for start, end in zip(intervals[::2], intervals[1::2], strict=True):
        for t in range(math.ceil(start), math.trunc(end) + 1):
            active[t - 1] = True
    return active


def test_files_with_composition_change(tmp_path):
    partners, ties = _partners(), _ties()
    manifest = siena_files(ties, partners, DATES, "joint_delivery", tmp_path)
    names = [p.rsplit("/", 1)[-1] for p in manifest["file"]]
    assert names == [
        "joint_delivery_w1.dat",
        "joint_delivery_w2.dat",
        "joint_delivery_w3.dat",
        "composition.dat",
        "cov_kind.dat",
        "cov_kind_codes.txt",
        "actors.txt",
        "read_siena.R",
    ]
    assert list(manifest["wave"][:3]) == [1, 2, 3] and manifest["wave"][3:].isna().all()
    assert (tmp_path / "actors.txt").read_text().split() == list("abcde")
    w1 = _read_table(tmp_path / "joint_delivery_w1.dat")
    # wave 1: d not yet a member -> row and column NA; ties a>b, b>c, c>a, e>a
    expected = np.zeros((5, 5))
    expected[0, 1] = expected[1, 2] = expected[2, 0] = expected[4, 0] = 1
    expected[3, :] = expected[:, 3] = np.nan
    expected[3, 3] = 0
    np.testing.assert_array_equal(w1, expected)
    w3 = _read_table(tmp_path / "joint_delivery_w3.dat")
    assert np.isnan(w3[4, :4]).all() and np.isnan(w3[:4, 4]).all()  # e has left
    assert w3[3, 2] == 1 and w3[2, 3] == 0  # c > d is information, not joint delivery
    # every wave matrix equals the layer's graph among the members
    for k, wave in enumerate((1, 2, 3)):
        G = build_graph(ties, partners, wave, layer="joint_delivery", date=DATES[wave])
        W = _read_table(tmp_path / f"joint_delivery_w{wave}.dat")
        members = [i for i, p in enumerate("abcde") if p in G]
        for i in members:
            for j in members:
                assert W[i, j] == float(G.has_edge("abcde"[i], "abcde"[j])), (k, i, j)


def test_composition_times_follow_rsiena_rules(tmp_path):
    siena_files(_ties(), _partners(), DATES, "joint_delivery", tmp_path)
    intervals = _read_composition(tmp_path / "composition.dat")
    # d joined 2023-03-01: 59 of the 181 days from wave 1 to 2 -> 1 + 0.326;
    # e left 2023-10-01: 92 of the 184 days from wave 2 to 3 -> 2 + 0.5
    assert intervals == [[1, 3], [1, 3], [1, 3], [1.326, 3], [1, 2.5]]
    presence = [[True] * 3, [True] * 3, [True] * 3, [False, True, True], [True, True, False]]
    for line, present in zip(intervals, presence, strict=True):
        assert len(line) % 2 == 0 and all(1 <= t <= 3 for t in line)
        assert _active(line, 3) == present


def test_joining_on_the_wave_date_and_leaving_the_day_after(tmp_path):
    partners = _partners()
    partners.loc[3, "joined"] = "2023-07-01"  # on wave 2's date: member at wave 2
    partners.loc[4, "left"] = "2023-07-02"  # the day after wave 2
    siena_files(_ties(), partners, DATES, "joint_delivery", tmp_path)
    intervals = _read_composition(tmp_path / "composition.dat")
    assert intervals[3] == [2, 3]
    assert intervals[4][0] == 1 and 2 < intervals[4][1] < 3
    assert _active(intervals[3], 3) == [False, True, True]
    assert _active(intervals[4], 3) == [True, True, False]


def test_r_script_reads_every_file(tmp_path):
    siena_files(
        _ties(), _partners(), DATES, "joint_delivery", tmp_path, covariates=("kind", "core")
    )
    script = (tmp_path / "read_siena.R").read_text()
    for line in (
        "library(RSiena)",
        'w1 <- as.matrix(read.table("joint_delivery_w1.dat"))',
        'w3 <- as.matrix(read.table("joint_delivery_w3.dat"))',
        "network <- sienaDependent(array(c(w1, w2, w3), dim = c(5, 5, 3)))",
        'cov_kind <- coCovar(as.matrix(read.table("cov_kind.dat"))[, 1])',
        'cov_core <- coCovar(as.matrix(read.table("cov_core.dat"))[, 1])',
        'changes <- sienaCompositionChangeFromFile("composition.dat", option = 1)',
        "data <- sienaDataCreate(network, cov_kind, cov_core, changes)",
        'print01Report(data, modelname = "joint_delivery")',
    ):
        assert line in script.splitlines()


def test_structural_zeros_and_constant_composition(tmp_path):
    out = tmp_path / "structural"
    siena_files(_ties(), _partners(), DATES, "joint_delivery", out, composition="structural")
    w1 = _read_table(out / "joint_delivery_w1.dat")
    assert (w1[3, [0, 1, 2, 4]] == 10).all() and (w1[[0, 1, 2, 4], 3] == 10).all()
    assert w1[3, 3] == 0
    assert not (out / "composition.dat").exists()
    assert "structural zero" in (out / "read_siena.R").read_text()
    steady = tmp_path / "steady"
    manifest = siena_files(_ties(), _partners(False), None, "joint_delivery", steady)
    assert "composition" not in set(manifest["content"])
    assert "sienaCompositionChange" not in (steady / "read_siena.R").read_text()
    assert not np.isnan(_read_table(steady / "joint_delivery_w1.dat")).any()


def test_covariates(tmp_path):
    table = pd.DataFrame({"partner_id": list("edcba"), "coreness": [0.1, 0.2, 0.3, 0.4, 0.5]})
    siena_files(_ties(), _partners(), DATES, "all", tmp_path, covariates=("kind", "core", "staff"))
    assert (tmp_path / "cov_kind.dat").read_text().split() == ["1", "2", "1", "3", "1"]
    assert (tmp_path / "cov_kind_codes.txt").read_text() == "1 care\n2 housing\n3 welfare\n"
    assert (tmp_path / "cov_core.dat").read_text().split() == ["1", "1", "0", "0", "1"]
    assert (tmp_path / "cov_staff.dat").read_text().split() == ["10", "NA", "3", "4.5", "2"]
    assert (tmp_path / "all_w2.dat").exists()
    other = tmp_path / "table"
    siena_files(_ties(), _partners(), DATES, "joint_delivery", other, covariates=table)
    # reordered to actors.txt's order a..e
    assert (other / "cov_coreness.dat").read_text().split() == ["0.5", "0.4", "0.3", "0.2", "0.1"]


# --- descriptives ------------------------------------------------------------------


def test_descriptives_by_hand():
    table = siena_descriptives(_ties(), _partners(), DATES, "joint_delivery")
    assert list(table.columns) == [
        "from_wave",
        "to_wave",
        "partners",
        "ties_00",
        "ties_01",
        "ties_10",
        "ties_11",
        "hamming",
        "jaccard",
        "missing",
        "warning",
    ]
    first, second = table.iloc[0], table.iloc[1]
    # waves 1 -> 2 among a, b, c, e (d absent at wave 1): 12 ordered pairs.
    # wave 1: a>b, b>c, c>a, e>a; wave 2: a>b, e>b  -> kept 1, dropped 3, new 1
    assert (first["partners"], first["ties_11"], first["ties_10"], first["ties_01"]) == (
        4,
        1,
        3,
        1,
    )
    assert first["ties_00"] == 12 - 5 and first["hamming"] == 4
    assert first["jaccard"] == pytest.approx(1 / 5)
    assert first["missing"] == 20 - 12
    assert first["warning"].startswith("low Jaccard: 0.20 < 0.3 between waves 1 and 2")
    # waves 2 -> 3 among a, b, c, d: wave 2 a>b, d>a; wave 3 a>b, b>a, d>c
    assert (second["ties_11"], second["ties_10"], second["ties_01"]) == (1, 1, 2)
    assert second["jaccard"] == pytest.approx(1 / 4)


def test_descriptives_equal_tie_change_for_the_combined_graph():
    ties = _ties()
    ties = pd.concat([ties, ties.assign(wave=ties["wave"] + 10)], ignore_index=True)
    ties = ties[ties["wave"].isin([1, 2, 3, 11])]
    partners = _partners(False)
    ours = siena_descriptives(ties, partners, layer="all")
    theirs = tie_change(ties, partners)
    np.testing.assert_allclose(ours["jaccard"], theirs["jaccard"])
    assert list(ours["ties_11"]) == list(theirs["kept"])
    assert list(ours["ties_01"]) == list(theirs["gained"])
    assert list(ours["ties_10"]) == list(theirs["lost"])
    # the warning column flags exactly the pairs below 0.3
    assert (ours["warning"] == "").tolist() == (ours["jaccard"] >= 0.3).tolist()


def test_stable_waves_have_no_warning():
    ties = _ties()
    same = pd.concat([ties[ties["wave"] == 1], ties[ties["wave"] == 1].assign(wave=2)])
    row = siena_descriptives(same, _partners(False)).iloc[0]
    assert row["jaccard"] == 1.0 and row["hamming"] == 0 and row["warning"] == ""


# --- bad input ------------------------------------------------------------------------


def test_errors(tmp_path):
    ties, partners = _ties(), _partners()
    with pytest.raises(ValueError, match=r"'layer' parameter must be one of .* Got 'trust'"):
        siena_files(ties, partners, DATES, "trust", tmp_path)
    with pytest.raises(NetworkDataError, match=r"'shared_resources' has no ties in any wave"):
        siena_descriptives(ties, partners, DATES, "shared_resources")
    with pytest.raises(NetworkDataError, match="at least 2 waves; the data hold wave 1 only"):
        siena_descriptives(ties[ties["wave"] == 1], partners, {1: DATES[1]})
    stranger = pd.concat(
        [
            ties,
            pd.DataFrame(
                [
                    {
                        "wave": 2,
                        "source": "x",
                        "target": "a",
                        "tie_type": "joint_delivery",
                        "weight": 1.0,
                    }
                ]
            ),
        ]
    )
    with pytest.raises(NetworkDataError, match="not in the partners table: x"):
        siena_files(stranger, partners, DATES, "joint_delivery", tmp_path)
    with pytest.raises(NetworkDataError, match="has no fieldwork date"):
        siena_files(ties, partners, None, "joint_delivery", tmp_path)
    with pytest.raises(ValueError, match=r"'composition' parameter .* Got 'zeros'"):
        siena_files(ties, partners, DATES, composition="zeros", folder=tmp_path)
    with pytest.raises(ValueError, match="lacks: sector"):
        siena_files(ties, partners, DATES, folder=tmp_path, covariates=("kind", "sector"))
    with pytest.raises(ValueError, match="needs a partner_id column"):
        siena_files(ties, partners, DATES, folder=tmp_path, covariates=pd.DataFrame({"x": [1]}))
