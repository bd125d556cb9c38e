"""Tests of netwerkonderzoek.stats.configuration: effects, intervals, decision rule, bad input.

Reference values are computed by hand (cell means and proportions with
numpy) or by calling statsmodels directly (named in each test).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf
from scipy import stats as scipy_stats

from netwerkonderzoek import stats
from netwerkonderzoek.cmo import ProgrammeTheory
from netwerkonderzoek.exceptions import TheoryError


def make_theory(expression="c >= 6", scale="continuous", direction="increase", covariates=()):
    return ProgrammeTheory.from_dict(
        {
            "network_id": "test",
            "name": "Test",
            "version": 1,
            "label": "initial",
            "date": "2024-01-01",
            "configurations": [
                {
                    "id": "cmo-01",
                    "statement": "s",
                    "perspective": "societal",
                    "form": "direct",
                    "context": {"description": "c", "expression": expression},
                    "mechanism": {"resource": "r", "reasoning": "r", "exposure": "e"},
                    "outcome": {
                        "description": "o",
                        "measure": "y",
                        "direction": direction,
                        "scale": scale,
                    },
                    "covariates": list(covariates),
                }
            ],
        }
    )


def simulate(n=1200, inside=1.0, outside=0.0, binary=False, areas=30, seed=1, waves=1):
    rng = np.random.default_rng(seed)
    area = rng.integers(0, areas, n)
    c = rng.uniform(0, 10, n)
    e = rng.integers(0, 2, n)
    x = rng.normal(0, 1, n)
    context = c >= 6
    lin = 0.3 * x + rng.normal(0, 0.3, areas)[area] + e * np.where(context, inside, outside)
    if binary:
        y = (rng.random(n) < 1 / (1 + np.exp(-(lin - 0.2)))).astype(int)
    else:
        y = 5 + lin + rng.normal(0, 1, n)
    return pd.DataFrame(
        {
            "area": [f"a{k}" for k in area],
            "wave": rng.integers(1, waves + 1, n),
            "c": c,
            "e": e,
            "x": x,
            "y": y,
        }
    )


def test_not_collected_by_pytest():
    assert stats.test_configuration.__test__ is False
    assert stats.test_theory.__test__ is False


def test_continuous_estimate_is_the_difference_in_means_inside():
    units = simulate(seed=2).drop(columns="area")
    item = stats.test_configuration(make_theory(), "cmo-01", units)
    inside = units["c"] >= 6
    # Hand calculation: with no covariates the model is saturated in exposure × context,
    # so the inside effect is mean(y | e=1, in) - mean(y | e=0, in).
    expected = (
        units.loc[inside & (units.e == 1), "y"].mean()
        - units.loc[inside & (units.e == 0), "y"].mean()
    )
    assert item.estimate == pytest.approx(expected, abs=1e-10)
    expected_out = (
        units.loc[~inside & (units.e == 1), "y"].mean()
        - units.loc[~inside & (units.e == 0), "y"].mean()
    )
    assert item.estimate_out == pytest.approx(expected_out, abs=1e-10)
    # statsmodels directly: the E + C + E:C parametrisation, HC1 errors;
    # the inside effect is b[e] + b[e:ctx], its variance via the contrast.
    frame = units.assign(ctx=inside.astype(float))
    ref = smf.ols("y ~ e * ctx", frame).fit(cov_type="HC1", use_t=True)  # t(n - k)
    contrast = ref.t_test("e + e:ctx = 0")
    assert item.estimate == pytest.approx(float(contrast.effect[0]), abs=1e-10)
    assert item.extra["se"] == pytest.approx(float(contrast.sd[0, 0]), rel=1e-8)
    low, high = ref.conf_int().loc["e"]  # outside effect = b[e]
    assert item.ci_low_out == pytest.approx(low, rel=1e-6)
    assert item.ci_high_out == pytest.approx(high, rel=1e-6)
    assert item.n == len(units)
    assert item.n_exposed_in == int((inside & (units.e == 1)).sum())
    assert item.n_unexposed_out == int((~inside & (units.e == 0)).sum())
    assert item.direction == "supports"
    assert item.method == "ols"
    assert "HC1" in item.note


def test_cluster_robust_interval_uses_t_with_clusters_minus_one_df():
    units = simulate(seed=3, areas=25)
    item = stats.test_configuration(make_theory(covariates=["x"]), "cmo-01", units)
    frame = units.assign(
        ein=units.e * (units.c >= 6), eout=units.e * (units.c < 6), ctx=(units.c >= 6) * 1.0
    )
    groups = pd.factorize(frame["area"])[0]
    # statsmodels directly: OLS with CR1 cluster-robust covariance by area.
    ref = smf.ols("y ~ ein + eout + ctx + x", frame).fit(
        cov_type="cluster", cov_kwds={"groups": groups}
    )
    assert item.estimate == pytest.approx(ref.params["ein"], rel=1e-10)
    se = ref.bse["ein"]
    assert item.extra["se"] == pytest.approx(se, rel=1e-8)
    q = scipy_stats.t.ppf(0.975, 24)  # G - 1 = 24 degrees of freedom
    assert item.ci_low == pytest.approx(ref.params["ein"] - q * se, rel=1e-8)
    assert item.ci_high == pytest.approx(ref.params["ein"] + q * se, rel=1e-8)
    expected_p = 2 * scipy_stats.t.sf(abs(ref.params["ein"] / se), 24)
    assert item.p_value == pytest.approx(expected_p, rel=1e-6)
    assert item.extra["clusters"] == 25
    assert "25 clusters" in item.note


def test_binary_saturated_estimate_is_the_difference_in_proportions():
    units = simulate(binary=True, inside=0.8, seed=4)
    item = stats.test_configuration(make_theory(scale="binary"), "cmo-01", units)
    inside = units["c"] >= 6
    # Hand calculation: a saturated logit reproduces the cell proportions exactly.
    expected = (
        units.loc[inside & (units.e == 1), "y"].mean()
        - units.loc[inside & (units.e == 0), "y"].mean()
    )
    assert item.method == "logit"
    assert item.estimate == pytest.approx(expected, abs=1e-6)
    assert -1 < item.ci_low < item.estimate < item.ci_high < 1


def test_binary_ame_and_delta_method_match_statsmodels_get_margeff():
    units = simulate(binary=True, inside=0.8, seed=5)
    # Everyone is in the context: the model is y ~ const + e + x and the AME of e over
    # all units is what statsmodels' get_margeff(at="overall", dummy=True) reports.
    theory = make_theory(expression="c > -1", scale="binary", covariates=["x"])
    item = stats.test_configuration(theory, "cmo-01", units, cluster=None)
    X = sm.add_constant(units[["e", "x"]].astype(float))
    ref = sm.Logit(units["y"], X).fit(disp=0, cov_type="HC1")
    margeff = ref.get_margeff(at="overall", dummy=True)
    assert item.estimate == pytest.approx(margeff.margeff[0], rel=1e-6)
    assert item.extra["se"] == pytest.approx(margeff.margeff_se[0], rel=1e-5)
    # ... and with cluster-robust covariance by area
    item = stats.test_configuration(theory, "cmo-01", units)
    groups = pd.factorize(units["area"])[0]
    ref = sm.Logit(units["y"], X).fit(disp=0, cov_type="cluster", cov_kwds={"groups": groups})
    margeff = ref.get_margeff(at="overall", dummy=True)
    assert item.extra["se"] == pytest.approx(margeff.margeff_se[0], rel=1e-5)
    assert math.isnan(item.estimate_out)  # nobody outside the context


def test_refines_when_it_works_only_outside():
    units = simulate(inside=0.0, outside=1.0, seed=6)
    item = stats.test_configuration(make_theory(), "cmo-01", units)
    assert item.p_value > 0.05
    assert item.p_value_out < 0.05
    assert item.direction == "refines"
    assert item.refined_context == "not (c >= 6)"


def test_contradicts_when_significant_in_the_wrong_direction():
    units = simulate(inside=-1.0, seed=7)
    item = stats.test_configuration(make_theory(), "cmo-01", units)
    assert item.direction == "contradicts"
    # the same data support a configuration expecting a decrease
    assert (
        stats.test_configuration(make_theory(direction="decrease"), "cmo-01", units).direction
        == "supports"
    )


def test_inconclusive_without_effect():
    units = simulate(inside=0.0, outside=0.0, seed=8)
    item = stats.test_configuration(make_theory(), "cmo-01", units)
    assert item.p_value > 0.05 and item.p_value_out > 0.05
    assert item.direction == "inconclusive"


def test_insufficient_data_when_a_cell_is_small():
    units = simulate(seed=9)
    inside_exposed = (units.c >= 6) & (units.e == 1)
    keep = ~inside_exposed | (inside_exposed.cumsum() <= 9)  # 9 exposed units inside
    item = stats.test_configuration(make_theory(), "cmo-01", units[keep])
    assert item.direction == "insufficient_data"
    assert item.n_exposed_in == 9
    assert math.isnan(item.estimate)
    assert "9 exposed" in item.note and "at least 10" in item.note
    # a lower minimum makes the test possible
    assert (
        stats.test_configuration(make_theory(), "cmo-01", units[keep], min_cell=5).direction
        != "insufficient_data"
    )


def test_no_refines_when_outside_cells_are_too_small():
    units = simulate(inside=0.0, outside=1.5, seed=10)
    outside_exposed = (units.c < 6) & (units.e == 1)
    keep = ~outside_exposed | (outside_exposed.cumsum() <= 8)
    item = stats.test_configuration(make_theory(), "cmo-01", units[keep])
    assert item.n_exposed_out == 8
    assert item.direction == "inconclusive"


def test_missing_column_constant_outcome_unknown_id_and_method():
    units = simulate(seed=11)
    with pytest.raises(TheoryError) as info:
        stats.test_configuration(make_theory(), "cmo-01", units.drop(columns="e"))
    assert (info.value.cmo_id, info.value.field) == ("cmo-01", "mechanism.exposure")
    assert "'e'" in str(info.value)
    with pytest.raises(TheoryError) as info:
        stats.test_configuration(make_theory(), "cmo-01", units.assign(y=3.0))
    assert info.value.field == "outcome.measure"
    assert "constant" in str(info.value)
    with pytest.raises(TheoryError, match="cmo-09"):
        stats.test_configuration(make_theory(), "cmo-09", units)
    with pytest.raises(ValueError, match="'method'"):
        stats.test_configuration(make_theory(), "cmo-01", units, method="bayes")
    with pytest.raises(ValueError, match="binary"):
        stats.test_configuration(make_theory(), "cmo-01", units, method="logit")


def test_missing_values_are_dropped_and_reported():
    units = simulate(seed=12)
    units.loc[:49, "y"] = np.nan
    units.loc[50:59, "c"] = np.nan
    item = stats.test_configuration(make_theory(), "cmo-01", units)
    assert item.n == len(units) - 60
    assert "60 units dropped" in item.note


def test_wave_dummies_and_collinear_covariates():
    units = simulate(seed=13, waves=3)
    units["x2"] = 2 * units["x"]  # collinear with x
    item = stats.test_configuration(make_theory(covariates=["x", "x2"]), "cmo-01", units)
    assert "wave_2" in item.extra["terms"] and "wave_3" in item.extra["terms"]
    assert "x2" not in item.extra["terms"]
    assert "dropped constant or collinear terms x2" in item.note
    plain = stats.test_configuration(
        make_theory(covariates=["x"]), "cmo-01", units, adjust_wave=False
    )
    assert "wave_2" not in plain.extra["terms"]


def test_separation_falls_back_to_linear_probability_model():
    units = simulate(binary=True, seed=14)
    units.loc[(units.c >= 6) & (units.e == 1), "y"] = 1  # everyone exposed inside: y = 1
    item = stats.test_configuration(make_theory(scale="binary"), "cmo-01", units)
    assert item.method == "lpm"
    assert "separation" in item.note
    inside = units.c >= 6
    expected = 1 - units.loc[inside & (units.e == 0), "y"].mean()
    assert item.estimate == pytest.approx(expected, abs=1e-10)  # saturated LPM: hand calculation


def test_mixed_model_matches_statsmodels_mixedlm():
    units = simulate(seed=15)
    item = stats.test_configuration(make_theory(covariates=["x"]), "cmo-01", units, method="mixed")
    frame = units.assign(
        ein=units.e * (units.c >= 6), eout=units.e * (units.c < 6), ctx=(units.c >= 6) * 1.0
    )
    # statsmodels directly: random intercept per area, REML.
    ref = smf.mixedlm("y ~ ein + eout + ctx + x", frame, groups=frame["area"]).fit(reml=True)
    assert item.method == "mixed"
    assert item.estimate == pytest.approx(ref.fe_params["ein"], rel=1e-4)
    assert item.extra["se"] == pytest.approx(ref.bse_fe["ein"], rel=1e-3)
    q = scipy_stats.norm.ppf(0.975)
    assert item.ci_high - item.ci_low == pytest.approx(2 * q * ref.bse_fe["ein"], rel=1e-3)
    assert item.direction == "supports"
    with pytest.raises(ValueError, match="area"):
        stats.test_configuration(
            make_theory(), "cmo-01", units.drop(columns="area"), method="mixed"
        )


def test_for_whom_splits_by_subgroup():
    units = simulate(n=2000, seed=16)
    units["female"] = np.random.default_rng(0).integers(0, 2, len(units))
    items = stats.for_whom(make_theory(), "cmo-01", units, by="female")
    assert [i.subgroup for i in items] == ["female=0", "female=1"]
    alone = stats.test_configuration(make_theory(), "cmo-01", units[units.female == 1])
    assert items[1].estimate == pytest.approx(alone.estimate)
    assert items[0].n + items[1].n == len(units)
    with pytest.raises(TheoryError, match="gender"):
        stats.for_whom(make_theory(), "cmo-01", units, by="gender")


def test_test_theory_checks_columns_first():
    units = simulate(seed=17)
    items = stats.test_theory(make_theory(), units)
    assert [i.cmo_id for i in items] == ["cmo-01"]
    with pytest.raises(TheoryError, match="'x'"):
        stats.test_theory(make_theory(covariates=["x"]), units.drop(columns="x"))
