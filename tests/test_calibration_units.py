"""Size and coverage of the unit-data configuration tests (netwerkonderzoek.calibration.units).

Reference values: the nominal level 0.05 and the nominal coverage 0.95 of
the 95% intervals; the tolerance is 3 binomial standard errors of the
replications that gave a verdict (``binomial_se``), so a correct method fails
a check about 1 time in 370. ``benchmarks/bench_calibration.py 1000 --only units``
prints the full table.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from netwerkonderzoek.calibration import CALIBRATION_COLUMNS, binomial_se
from netwerkonderzoek.calibration import units as calibration


def test_simulated_designs_have_their_stated_structure():
    rng = np.random.default_rng(0)
    design = calibration.DESIGNS["6 areas, unbalanced, context between"]
    units, truth = calibration.simulate_units(design, rng, effect=True)
    # the generator's ground truth: context is an area attribute, half the areas hold it
    per_area = units.groupby("area")["c"].nunique()
    assert (per_area == 1).all()
    assert (units.groupby("area")["c"].first() >= 6).sum() == 3
    assert units.groupby("area").size().nunique() > 1  # unbalanced
    assert truth == {"exposed_in_context": 0.5, "exposed_outside_context": 0.25}
    null, truth = calibration.simulate_units(design, rng, effect=False, kind="binary")
    assert set(null["y"].unique()) <= {0, 1} and truth["exposed_in_context"] == 0.0
    _, truth = calibration.simulate_units(design, rng, effect=True, kind="binary")
    assert 0 < truth["exposed_in_context"] < 1
    design = calibration.DESIGNS["12 areas, balanced, context within"]
    prepost, _ = calibration.simulate_units(design, rng, effect=True, kind="prepost")
    waves = prepost.sort_values("wave").groupby("unit_id")["wave"].agg(lambda w: tuple(w))
    assert set(waves) == {(0, 1)}
    assert len(prepost) == 2 * 12 * 40


def test_run_returns_the_calibration_columns_and_checks_names():
    table = calibration.run(
        reps=3, seed=5, methods=("ols",), designs=("3 areas, unbalanced, context between",)
    )
    assert tuple(table.columns) == CALIBRATION_COLUMNS
    # 3 areas, context in 2 of them: both contrasts rest on fewer than 3 areas
    assert not table["accepted"].any()
    assert (table["n_insufficient"] == 3).all()
    assert table["size"].isna().all()
    again = calibration.run(
        reps=3, seed=5, methods=("ols",), designs=("3 areas, unbalanced, context between",)
    )
    pd.testing.assert_frame_equal(table, again)
    with pytest.raises(ValueError, match="The 'methods' parameter of run"):
        calibration.run(reps=1, methods=("gee",))
    with pytest.raises(ValueError, match="The 'designs' parameter of run"):
        calibration.run(reps=1, designs=("2 areas",))


def check_calibrated(table: pd.DataFrame) -> None:
    for _, row in table.iterrows():
        label = f"{row['method']} {row['term']} in {row['design']}"
        assert row["accepted"], label
        n_null = row["reps"] - row["n_insufficient"]
        assert abs(row["size"] - 0.05) <= 3 * binomial_se(0.05, n_null), label
        assert not math.isnan(row["coverage"]), label
        assert abs(row["coverage"] - 0.95) <= 3 * binomial_se(0.95, n_null), label


CHECKED = [
    ("ols", "6 areas, balanced, context within"),
    ("ols", "12 areas, unbalanced, context between"),
    ("logit", "12 areas, balanced, context within"),
    ("for_whom", "12 areas, balanced, context within"),
    ("prepost_ancova", "12 areas, unbalanced, context between"),
    ("prepost_fe", "6 areas, balanced, context within"),
]


@pytest.fixture(scope="module")
def checked_table():
    # 150 seeded replications per design, spread over the machine's processes
    return calibration.run(reps=150, seed=2026, pairs=CHECKED)


@pytest.mark.slow
@pytest.mark.parametrize(("method", "design"), CHECKED)
def test_size_and_coverage(checked_table, method, design):
    rows = checked_table[(checked_table.method == method) & (checked_table.design == design)]
    assert len(rows) == 2  # inside and outside, or the two subgroups
    check_calibrated(rows)


@pytest.mark.slow
def test_size_and_coverage_of_the_mixed_model():
    # 300 x MIXED_SHARE = 75 replications: the REML fit costs ten OLS fits
    table = calibration.run(
        reps=300, seed=2027, methods=("mixed",), designs=("12 areas, balanced, context within",)
    )
    assert (table["reps"] == 75).all()
    check_calibrated(table)


@pytest.mark.slow
def test_three_areas_are_refused():
    # 3 balanced areas: the Bell-McCaffrey df of every contrast are below 2 in most
    # replications, so the method refuses the design rather than give a verdict.
    table = calibration.run(
        reps=40,
        seed=3,
        methods=("ols",),
        designs=("3 areas, balanced, context within",),
        workers=1,
    )
    assert not table["accepted"].any()
    assert (table["n_insufficient"] > 20).all()
