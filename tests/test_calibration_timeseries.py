"""Monte Carlo checks of the ITS and DiD tests (netwerkonderzoek.calibration.timeseries).

The reference values are the simulation's ground truth: under no effect a
5% test rejects 5% of the series and a 95% interval covers the true value
in 95%; tolerances are 3 binomial standard errors of the replications.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from netwerkonderzoek import stats
from netwerkonderzoek.calibration import CALIBRATION_COLUMNS, binomial_se
from netwerkonderzoek.calibration import timeseries as calibration

PERIODS = [f"{2022 + m // 12}-{m % 12 + 1:02d}" for m in range(30)]


def within(share: float, target: float, reps: int) -> bool:
    return abs(share - target) < 3 * binomial_se(target, reps)


@pytest.mark.slow
def test_issue_15_no_false_changes_on_30_months_of_noise():
    # Issue 15: pure noise, 30 months, one area, event after month 8. With
    # Newey-West errors the level change was "significant" in 22% of series,
    # the slope change in 26%, the pre-slope in 27%; DiD (one treated, one
    # control area) 15%. Through the public functions, 200 seeded series.
    reps, rng = 200, np.random.default_rng(15)
    rejections = {"pre_slope": 0, "level_change": 0, "slope_change": 0, "did": 0}
    for _ in range(reps):
        a, b = rng.standard_normal(30), rng.standard_normal(30)
        data = pd.concat(
            [
                pd.DataFrame({"indicator_id": "x", "period": PERIODS, "area": "a", "value": a}),
                pd.DataFrame({"indicator_id": "x", "period": PERIODS, "area": "b", "value": b}),
            ]
        )
        its = stats.interrupted_time_series(data, indicator="x", event="2022-09", areas=["a"])
        did = stats.difference_in_differences(data, indicator="x", event="2022-09", treated=["a"])
        p = pd.concat([its, did]).set_index("term")["p_value"]
        for term in rejections:
            rejections[term] += int(p[term] < 0.05)
    for term, count in rejections.items():
        assert count / reps < 0.05 + 3 * binomial_se(0.05, reps), term


@pytest.mark.parametrize(
    ("method", "n", "n_pre", "missing", "rho"),
    [
        ("its", 30, 8, (), 0.5),
        ("its", 12, 6, (), 0.5),
        ("its", 60, 30, (), 0.0),
        ("its", 30, 15, (5, 16, 17), 0.5),
        ("did", 30, 8, (), 0.5),
        ("did", 16, 10, (), 0.0),
    ],
)
def test_size_and_coverage(method, n, n_pre, missing, rho):
    reps = 300
    null = calibration.simulate_design(
        method, n, n_pre, missing, rho, reps, effect=False, seed=[n, n_pre, 1]
    )
    alt = calibration.simulate_design(
        method, n, n_pre, missing, rho, reps, effect=True, seed=[n, n_pre, 2]
    )
    assert null["accepted"] == alt["accepted"] == reps
    terms = [k.removeprefix("reject_") for k in null if k.startswith("reject_")]
    for term in terms:
        assert within(null[f"reject_{term}"] / reps, 0.05, reps), term
        assert within(alt[f"cover_{term}"] / reps, 0.95, reps), term


@pytest.mark.parametrize(("n", "n_pre"), [(11, 6), (30, 5), (20, 4)])
def test_designs_without_a_calibrated_test_are_refused(n, n_pre):
    for method in ("its", "did"):
        out = calibration.simulate_design(method, n, n_pre, (), 0.5, 10, effect=False, seed=0)
        assert out["refused"] == 10 and out["accepted"] == 0


def test_power_of_a_two_sd_level_change_is_near_its_information_bound():
    # 30 months, event mid-series, iid noise: the known-sigma OLS bound is 0.779
    # (calibration.power_bound); estimating sigma and rho costs some of it.
    reps = 300
    alt = calibration.simulate_design("its", 30, 15, (), 0.0, reps, effect=True, seed=3)
    power = alt["reject_level_change"] / reps
    bound = calibration.power_bound(30, 15)
    assert bound == pytest.approx(0.779, abs=1e-3)
    assert bound - 0.15 < power < bound + 3 * binomial_se(bound, reps)


def test_run_returns_the_calibration_columns_reproducibly():
    table = calibration.run(reps=4, seed=7)
    assert tuple(table.columns) == CALIBRATION_COLUMNS
    refused = table[~table["accepted"]]
    assert set(refused["design"].str.split(",").str[0]) == {"11 months", "30 months", "20 months"}
    assert (refused["n_insufficient"] == 4).all()
    pd.testing.assert_frame_equal(table, calibration.run(reps=4, seed=7))
