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
    item = stats.test_configuration(units, make_theory(), "cmo-01")
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
    # statsmodels directly: the E + C + E:C parametrisation, HC2 errors;
    # the inside effect is b[e] + b[e:ctx], its variance via the contrast.
    frame = units.assign(ctx=inside.astype(float))
    ref = smf.ols("y ~ e * ctx", frame).fit(cov_type="HC2")
    contrast = ref.t_test("e + e:ctx = 0")
    assert item.estimate == pytest.approx(float(contrast.effect[0]), abs=1e-10)
    assert item.se == pytest.approx(float(contrast.sd[0, 0]), rel=1e-8)
    assert item.extra["se"] == item.se
    # Imbens & Kolesar (2016), binary regressor: HC2 is the Welch (Neyman) variance
    # s1^2/n1 + s0^2/n0, and the Bell-McCaffrey df are the Welch-Satterthwaite df
    # evaluated at equal variances (hand formula below).
    y1 = units.loc[inside & (units.e == 1), "y"]
    y0 = units.loc[inside & (units.e == 0), "y"]
    n1, n0 = len(y1), len(y0)
    assert item.se == pytest.approx(math.sqrt(y1.var() / n1 + y0.var() / n0), rel=1e-10)
    df = (1 / n1 + 1 / n0) ** 2 / (1 / (n1**2 * (n1 - 1)) + 1 / (n0**2 * (n0 - 1)))
    assert item.df == pytest.approx(df, rel=1e-10)
    q = scipy_stats.t.ppf(0.975, df)
    assert item.ci_low == pytest.approx(item.estimate - q * item.se, rel=1e-10)
    assert item.statistic == pytest.approx(item.estimate / item.se, rel=1e-12)
    assert item.p_value == pytest.approx(2 * scipy_stats.t.sf(abs(item.statistic), df), rel=1e-8)
    out = ref.t_test("e = 0")  # outside effect = b[e]
    assert item.se_out == pytest.approx(float(out.sd[0, 0]), rel=1e-8)
    assert item.n == len(units)
    assert item.n_exposed_in == int((inside & (units.e == 1)).sum())
    assert item.n_unexposed_out == int((~inside & (units.e == 0)).sum())
    assert item.direction == "supports"
    assert item.method == "ols"
    assert item.n_clusters == 0
    assert item.inference.startswith("HC2 heteroskedasticity-robust")
    assert "HC2" in item.note


def balanced_cluster_trial(clusters=7, treated=3, size=25, seed=3):
    """Cluster-level exposure, equal cluster sizes, everyone in the context."""
    rng = np.random.default_rng(seed)
    area = np.repeat(np.arange(clusters), size)
    e = (area < treated).astype(int)
    y = 0.5 * e + rng.normal(0, 0.6, clusters)[area] + rng.normal(0, 1, len(area))
    return pd.DataFrame({"area": [f"a{k}" for k in area], "c": 7.0, "e": e, "y": y})


def test_cluster_robust_is_cr2_with_bell_mccaffrey_df():
    units = balanced_cluster_trial()
    item = stats.test_configuration(units, make_theory(), "cmo-01")
    # Closed form (Bell & McCaffrey 2002; Imbens & Kolesar 2016): with cluster-level
    # exposure and equal cluster sizes, CR2 is Welch's variance of the cluster means and
    # the Bell-McCaffrey df are Welch-Satterthwaite at equal variances over G1, G0 clusters.
    means = units.groupby("area").agg(y=("y", "mean"), e=("e", "first"))
    m1, m0 = means.loc[means.e == 1, "y"], means.loc[means.e == 0, "y"]
    g1, g0 = len(m1), len(m0)
    assert item.estimate == pytest.approx(m1.mean() - m0.mean(), rel=1e-10)
    assert item.se == pytest.approx(math.sqrt(m1.var() / g1 + m0.var() / g0), rel=1e-10)
    df = (1 / g1 + 1 / g0) ** 2 / (1 / (g1**2 * (g1 - 1)) + 1 / (g0**2 * (g0 - 1)))
    assert item.df == pytest.approx(df, rel=1e-10)  # 4.45, not G - 1 = 6
    q = scipy_stats.t.ppf(0.975, df)
    assert item.ci_high == pytest.approx(item.estimate + q * item.se, rel=1e-10)
    assert item.n_clusters == 7 and item.extra["clusters"] == 7
    assert item.inference.startswith("CR2 cluster-robust by area (7 clusters")
    assert "Bell–McCaffrey df 4.5" in item.inference
    assert "7 clusters" in item.note


def test_cr1_with_g_minus_one_df_is_gone_with_few_clusters():
    # The defect: CR1 with t(G-1) called this 'refines' (p ~ 1e-31) with the outside
    # context in one district of 3 areas. Now the contrasts that rest on fewer than
    # three clusters are not tested.
    rng = np.random.default_rng(21)
    n = 900
    area = rng.integers(0, 3, n)
    e = rng.integers(0, 2, n)
    c = np.where(area == 2, 2.0, 8.0)  # outside the context: area a2 only
    y = 5 + 1.5 * e * (c < 6) + rng.normal(0, 0.5, 3)[area] + rng.normal(0, 1, n)
    units = pd.DataFrame({"area": [f"a{k}" for k in area], "c": c, "e": e, "y": y})
    item = stats.test_configuration(units, make_theory(), "cmo-01")
    assert item.direction == "insufficient_data"
    assert "2 cluster(s) of area" in item.note and "at least 3" in item.note
    # Six areas, the outside context in one: the inside contrast is tested, the outside
    # one is not, so no 'refines' however large the outside effect.
    area = rng.integers(0, 6, n)
    c = np.where(area == 5, 2.0, 8.0)
    y = 5 + 1.5 * e * (c < 6) + rng.normal(0, 0.5, 6)[area] + rng.normal(0, 1, n)
    units = pd.DataFrame({"area": [f"a{k}" for k in area], "c": c, "e": e, "y": y})
    item = stats.test_configuration(units, make_theory(), "cmo-01")
    assert item.direction == "inconclusive"
    assert "outside contrast not tested (1 cluster(s), at least 3 needed" in item.note
    assert math.isnan(item.p_value_out) and math.isnan(item.ci_low_out)
    assert item.estimate_out == pytest.approx(1.5, abs=0.3)  # still reported


def test_insufficient_when_bell_mccaffrey_df_are_too_small():
    # 3 clusters, one of them tiny: the df of the inside contrast fall below min_df = 2.
    units = balanced_cluster_trial(clusters=3, treated=1, size=40, seed=4)
    item = stats.test_configuration(units, make_theory(), "cmo-01", min_clusters=2)
    assert item.direction == "insufficient_data"
    assert "Bell–McCaffrey degrees of freedom" in item.note
    assert item.df < 2 and not math.isnan(item.estimate)
    assert math.isnan(item.p_value) and math.isnan(item.ci_low)


def test_refines_strength_comes_from_the_outside_test():
    units = simulate(inside=0.0, outside=1.0, seed=6)
    item = stats.test_configuration(units, make_theory(), "cmo-01")
    assert item.direction == "refines"
    assert item.p_value > 0.05 and item.p_value_out < 1e-6
    assert item.strength == "strong"  # from p_value_out; p_value alone would say 'weak'


def test_cluster_column_must_exist_and_none_means_no_clustering():
    units = simulate(seed=18)
    with pytest.raises(ValueError) as info:
        stats.test_configuration(units, make_theory(), "cmo-01", cluster="aera")
    message = str(info.value)
    assert "The 'cluster' parameter of test_configuration" in message
    assert "'aera'" in message and "area, wave, c, e, x, y" in message
    auto = stats.test_configuration(units, make_theory(), "cmo-01")
    assert auto.n_clusters == 30 and "CR2" in auto.inference
    assert stats.test_configuration(units, make_theory(), "cmo-01", cluster="area") == auto
    plain = stats.test_configuration(units, make_theory(), "cmo-01", cluster=None)
    assert plain.n_clusters == 0 and plain.inference.startswith("HC2")
    units["district"] = units["area"].str[:2]
    other = stats.test_configuration(units, make_theory(), "cmo-01", cluster="district")
    assert other.n_clusters == units["district"].nunique()


@pytest.mark.parametrize("alpha", [5, 0, 1, -0.1, True, "0.05"])
def test_alpha_outside_zero_one_is_an_error(alpha):
    units = simulate(seed=19)
    theory = make_theory()
    for call, name in (
        (
            lambda: stats.test_configuration(units, theory, "cmo-01", alpha=alpha),
            "test_configuration",
        ),
        (lambda: stats.test_theory(units, theory, alpha=alpha), "test_theory"),
        (lambda: stats.for_whom(theory, "cmo-01", units, by="wave", alpha=alpha), "for_whom"),
    ):
        with pytest.raises(ValueError, match=f"The 'alpha' parameter of {name} must be"):
            call()


def test_text_literal_on_a_numeric_column_is_an_error():
    units = simulate(seed=20).assign(social_housing=lambda d: (d.c > 5).astype(int))
    theory = make_theory(expression="social_housing == '1'")
    with pytest.raises(TheoryError) as info:
        stats.test_configuration(units, theory, "cmo-01")
    assert (info.value.cmo_id, info.value.field) == ("cmo-01", "context.expression")
    message = str(info.value)
    assert "'social_housing'" in message and "'1'" in message and "int64" in message


def test_evidence_item_reports_model_formula_and_inference():
    units = simulate(seed=13, waves=3)
    item = stats.test_configuration(units, make_theory(covariates=["x"]), "cmo-01")
    assert item.formula == (
        "y ~ const + exposed_in_context + exposed_outside_context + in_context + x "
        "+ wave_2 + wave_3"
    )
    assert item.design == "cross_section"
    assert list(item.model.params.index) == item.extra["terms"]
    assert item.model.params["exposed_in_context"] == item.estimate
    assert item.model.bse["exposed_in_context"] == pytest.approx(item.se, rel=1e-10)
    assert item.statistic == pytest.approx(item.estimate / item.se)
    assert item.se_out == item.extra["se_out"] and item.se_out > 0
    row = item.to_dict()
    assert row["df"] == item.df and row["n_clusters"] == 30 and "model" not in row


def test_binary_saturated_estimate_is_the_difference_in_proportions():
    units = simulate(binary=True, inside=0.8, seed=4)
    item = stats.test_configuration(units, make_theory(scale="binary"), "cmo-01")
    inside = units["c"] >= 6
    # Hand calculation: a saturated logit reproduces the cell proportions exactly.
    expected = (
        units.loc[inside & (units.e == 1), "y"].mean()
        - units.loc[inside & (units.e == 0), "y"].mean()
    )
    assert item.method == "logit"
    assert item.estimate == pytest.approx(expected, abs=1e-6)
    assert -1 < item.ci_low < item.estimate < item.ci_high < 1


def test_binary_ame_matches_statsmodels_get_margeff_and_hand_cr2():
    units = simulate(binary=True, inside=0.8, seed=5)
    # Everyone is in the context: the model is y ~ const + e + x and the AME of e over
    # all units is what statsmodels' get_margeff(at="overall", dummy=True) reports.
    theory = make_theory(expression="c > -1", scale="binary", covariates=["x"])
    item = stats.test_configuration(units, theory, "cmo-01")
    X = sm.add_constant(units[["e", "x"]].astype(float))
    ref = sm.Logit(units["y"], X).fit(disp=0)
    margeff = ref.get_margeff(at="overall", dummy=True)
    assert item.estimate == pytest.approx(margeff.margeff[0], rel=1e-6)
    assert item.n_clusters == 30 and "CR2" in item.inference
    assert math.isnan(item.estimate_out)  # nobody outside the context
    # Saturated logit, no clustering: the delta-method AME with HC2 (CR2 with IRLS
    # weights) is the HC2 standard error of a difference in proportions, by hand
    # sqrt(p1 (1 - p1) / (n1 - 1) + p0 (1 - p0) / (n0 - 1)).
    units = simulate(binary=True, inside=0.8, seed=4)
    item = stats.test_configuration(units, make_theory(scale="binary"), "cmo-01", cluster=None)
    inside = units.c >= 6
    y1, y0 = units.y[inside & (units.e == 1)], units.y[inside & (units.e == 0)]
    p1, p0 = y1.mean(), y0.mean()
    hand = math.sqrt(p1 * (1 - p1) / (len(y1) - 1) + p0 * (1 - p0) / (len(y0) - 1))
    assert item.method == "logit"
    assert item.se == pytest.approx(hand, rel=1e-8)
    assert item.df > 100


def test_refines_when_it_works_only_outside():
    units = simulate(inside=0.0, outside=1.0, seed=6)
    item = stats.test_configuration(units, make_theory(), "cmo-01")
    assert item.p_value > 0.05
    assert item.p_value_out < 0.05
    assert item.direction == "refines"
    assert item.refined_context == "not (c >= 6)"


def test_contradicts_when_significant_in_the_wrong_direction():
    units = simulate(inside=-1.0, seed=7)
    item = stats.test_configuration(units, make_theory(), "cmo-01")
    assert item.direction == "contradicts"
    # the same data support a configuration expecting a decrease
    assert (
        stats.test_configuration(units, make_theory(direction="decrease"), "cmo-01").direction
        == "supports"
    )


def test_inconclusive_without_effect():
    units = simulate(inside=0.0, outside=0.0, seed=8)
    item = stats.test_configuration(units, make_theory(), "cmo-01")
    assert item.p_value > 0.05 and item.p_value_out > 0.05
    assert item.direction == "inconclusive"


def test_insufficient_data_when_a_cell_is_small():
    units = simulate(seed=9)
    inside_exposed = (units.c >= 6) & (units.e == 1)
    keep = ~inside_exposed | (inside_exposed.cumsum() <= 9)  # 9 exposed units inside
    item = stats.test_configuration(units[keep], make_theory(), "cmo-01")
    assert item.direction == "insufficient_data"
    assert item.n_exposed_in == 9
    assert math.isnan(item.estimate)
    # the count is in n_exposed_in (protected with the run's tables), not in the note
    assert "fewer than 10 exposed or unexposed" in item.note and "9" not in item.note
    # a lower minimum makes the test possible
    assert (
        stats.test_configuration(units[keep], make_theory(), "cmo-01", min_cell=5).direction
        != "insufficient_data"
    )


def test_no_refines_when_outside_cells_are_too_small():
    units = simulate(inside=0.0, outside=1.5, seed=10)
    outside_exposed = (units.c < 6) & (units.e == 1)
    keep = ~outside_exposed | (outside_exposed.cumsum() <= 8)
    item = stats.test_configuration(units[keep], make_theory(), "cmo-01")
    assert item.n_exposed_out == 8
    assert item.direction == "inconclusive"


def test_missing_column_constant_outcome_unknown_id_and_method():
    units = simulate(seed=11)
    with pytest.raises(TheoryError) as info:
        stats.test_configuration(units.drop(columns="e"), make_theory(), "cmo-01")
    assert (info.value.cmo_id, info.value.field) == ("cmo-01", "mechanism.exposure")
    assert "'e'" in str(info.value)
    with pytest.raises(TheoryError) as info:
        stats.test_configuration(units.assign(y=3.0), make_theory(), "cmo-01")
    assert info.value.field == "outcome.measure"
    assert "constant" in str(info.value)
    with pytest.raises(TheoryError, match="cmo-09"):
        stats.test_configuration(units, make_theory(), "cmo-09")
    with pytest.raises(ValueError, match="'method'"):
        stats.test_configuration(units, make_theory(), "cmo-01", method="bayes")
    with pytest.raises(ValueError, match="binary"):
        stats.test_configuration(units, make_theory(), "cmo-01", method="logit")


def test_missing_values_are_dropped_and_reported():
    units = simulate(seed=12)
    units.loc[:49, "y"] = np.nan
    units.loc[50:59, "c"] = np.nan
    item = stats.test_configuration(units, make_theory(), "cmo-01")
    assert item.n == len(units) - 60
    assert "60 units dropped" in item.note


def test_wave_dummies_and_collinear_covariates():
    units = simulate(seed=13, waves=3)
    units["x2"] = 2 * units["x"]  # collinear with x
    item = stats.test_configuration(units, make_theory(covariates=["x", "x2"]), "cmo-01")
    assert "wave_2" in item.extra["terms"] and "wave_3" in item.extra["terms"]
    assert "x2" not in item.extra["terms"]
    assert "dropped constant or collinear terms x2" in item.note
    plain = stats.test_configuration(
        units, make_theory(covariates=["x"]), "cmo-01", adjust_wave=False
    )
    assert "wave_2" not in plain.extra["terms"]


def test_separation_falls_back_to_linear_probability_model():
    units = simulate(binary=True, seed=14)
    units.loc[(units.c >= 6) & (units.e == 1), "y"] = 1  # everyone exposed inside: y = 1
    item = stats.test_configuration(units, make_theory(scale="binary"), "cmo-01")
    assert item.method == "lpm"
    assert "separation" in item.note
    inside = units.c >= 6
    expected = 1 - units.loc[inside & (units.e == 0), "y"].mean()
    assert item.estimate == pytest.approx(expected, abs=1e-10)  # saturated LPM: hand calculation


def test_mixed_model_matches_statsmodels_mixedlm():
    units = simulate(seed=15)
    item = stats.test_configuration(units, make_theory(covariates=["x"]), "cmo-01", method="mixed")
    frame = units.assign(
        ein=units.e * (units.c >= 6), eout=units.e * (units.c < 6), ctx=(units.c >= 6) * 1.0
    )
    # statsmodels directly: random intercept per area, REML.
    ref = smf.mixedlm("y ~ ein + eout + ctx + x", frame, groups=frame["area"]).fit(reml=True)
    assert item.method == "mixed"
    assert item.estimate == pytest.approx(ref.fe_params["ein"], rel=1e-4)
    assert item.extra["se_model"] == pytest.approx(ref.bse_fe["ein"], rel=1e-3)
    # GLS = OLS after quasi-demeaning each area by theta_g = 1 - sqrt(s2 / (s2 + n_g t2));
    # the item's se is CR2 on that regression (Pustejovsky & Tipton 2018), close to the
    # model-based se when the model is right (30 areas).
    tau2, sigma2 = float(ref.cov_re.iloc[0, 0]), float(ref.scale)
    size = frame.groupby("area")["y"].transform("size")
    theta = 1 - np.sqrt(sigma2 / (sigma2 + size * tau2))
    cols = ["y", "ein", "eout", "ctx", "x"]
    star = frame[cols] - theta.to_numpy()[:, None] * frame.groupby("area")[cols].transform("mean")
    star["const"] = 1 - theta
    gls = sm.OLS(star["y"], star[["const", "ein", "eout", "ctx", "x"]]).fit()
    assert gls.params["ein"] == pytest.approx(ref.fe_params["ein"], rel=1e-4)
    assert item.se == pytest.approx(ref.bse_fe["ein"], rel=0.25)
    q = scipy_stats.t.ppf(0.975, item.df)
    assert item.ci_high - item.ci_low == pytest.approx(2 * q * item.se, rel=1e-10)
    assert item.formula.endswith("+ x + (1 | area)")
    assert item.inference.startswith("random intercept per area (REML); CR2")
    assert item.direction == "supports"
    with pytest.raises(ValueError, match="area"):
        stats.test_configuration(
            units.drop(columns="area"), make_theory(), "cmo-01", method="mixed"
        )
    # fewer than 10 areas: no verdict (calibration.units: size 0.10 at 6 areas)
    few = stats.test_configuration(simulate(areas=6), make_theory(), "cmo-01", method="mixed")
    assert few.direction == "insufficient_data"
    assert "at least 10 areas" in few.note and "the data have 6" in few.note


def test_for_whom_splits_by_subgroup():
    units = simulate(n=2000, seed=16)
    units["female"] = np.random.default_rng(0).integers(0, 2, len(units))
    items = stats.for_whom(make_theory(), "cmo-01", units, by="female")
    assert [i.subgroup for i in items] == ["female=0", "female=1"]
    alone = stats.test_configuration(units[units.female == 1], make_theory(), "cmo-01")
    assert items[1].estimate == pytest.approx(alone.estimate)
    assert items[0].n + items[1].n == len(units)
    with pytest.raises(TheoryError, match="gender"):
        stats.for_whom(make_theory(), "cmo-01", units, by="gender")


def test_test_theory_checks_columns_first():
    units = simulate(seed=17)
    items = stats.test_theory(units, make_theory())
    assert [i.cmo_id for i in items] == ["cmo-01"]
    with pytest.raises(TheoryError, match="'x'"):
        stats.test_theory(units.drop(columns="x"), make_theory(covariates=["x"]))


# -- pre/post designs --------------------------------------------------------------


def make_prepost_theory(estimator="ancova", baseline="T0"):
    theory = make_theory()
    design = {"kind": "prepost", "measurement": "wave", "baseline": baseline}
    design["estimator"] = estimator
    data = theory.to_dict()
    data["configurations"][0]["design"] = design
    return ProgrammeTheory.from_dict(data)


def simulate_prepost(n=800, effect=1.0, areas=20, seed=30):
    """T0 intake before anyone is exposed, T1 follow-up; truth: +effect at T1 in context.

    Exposure is assigned after the intake (at random) and, as in partners' files, the
    unit's exposure flag stands on both of its rows.
    """
    rng = np.random.default_rng(seed)
    area = rng.integers(0, areas, n)
    c = rng.uniform(0, 10, n)
    e = rng.integers(0, 2, n)
    person = rng.normal(0, 1, n) + rng.normal(0, 0.3, areas)[area]
    y0 = 5 + person + rng.normal(0, 0.7, n)
    y1 = 5.3 + person + effect * e * (c >= 6) + rng.normal(0, 0.7, n)
    base = {"unit_id": np.arange(n), "area": [f"a{k}" for k in area], "c": c, "e": e}
    return pd.concat(
        [
            pd.DataFrame({**base, "wave": "T0", "y": y0}),
            pd.DataFrame({**base, "wave": "T1", "y": y1}),
        ],
        ignore_index=True,
    )


def test_prepost_ancova_and_fixed_effects_recover_the_follow_up_effect():
    units = simulate_prepost(n=300, areas=12)
    follow = units[units.wave == "T1"].reset_index(drop=True)
    ancova = stats.test_configuration(units, make_prepost_theory("ancova"), "cmo-01")
    fixed = stats.test_configuration(units, make_prepost_theory("fixed_effects"), "cmo-01")
    # the generator's ground truth: +1.0 at follow-up inside the context
    for item in (ancova, fixed):
        assert item.design == "prepost"
        assert item.ci_low < 1.0 < item.ci_high, item.method
        assert item.direction == "supports"
        assert (
            item.n_exposed_in + item.n_unexposed_in + item.n_exposed_out + item.n_unexposed_out
            == 300
        )
    # statsmodels directly: the ANCOVA regression on follow-up rows with the T0 outcome
    frame = follow.assign(
        y0=units.loc[units.wave == "T0", "y"].to_numpy(),
        ein=follow.e * (follow.c >= 6),
        eout=follow.e * (follow.c < 6),
        ctx=(follow.c >= 6) * 1.0,
    )
    ref = smf.ols("y ~ ein + eout + ctx + y0", frame).fit()
    assert ancova.estimate == pytest.approx(ref.params["ein"], rel=1e-10)
    assert ancova.formula == (
        "y ~ const + exposed_in_context + exposed_outside_context + in_context + baseline_y"
    )
    assert ancova.n == 300 and ancova.n_clusters == 12
    # ... and the fixed-effects regression with unit dummies, exposure x follow-up
    long = units.assign(
        post=(units.wave == "T1") * 1.0,
        ein=(units.wave == "T1") * units.e * (units.c >= 6),
        eout=(units.wave == "T1") * units.e * (units.c < 6),
        pctx=(units.wave == "T1") * (units.c >= 6),
    )
    ref = smf.ols("y ~ ein + eout + pctx + post + C(unit_id)", long).fit()
    assert fixed.estimate == pytest.approx(ref.params["ein"], rel=1e-8)
    assert fixed.formula.endswith("| unit_id")
    assert fixed.inference.startswith("unit fixed effects (unit_id); CR2")
    assert fixed.n == 600


def test_pooled_cross_section_is_wrong_on_prepost_data():
    # The defect: pooling T0 and T1 counts the intake rows of later-exposed units as
    # exposed, which halves the effect (ground truth 1.0 at follow-up only).
    units = simulate_prepost()
    pooled = stats.test_configuration(units, make_theory(), "cmo-01")
    assert pooled.ci_high < 1.0
    assert pooled.estimate < 0.7  # about half the effect, plus noise
    assert (
        pooled.n_exposed_in
        == 2 * stats.test_configuration(units, make_prepost_theory(), "cmo-01").n_exposed_in
    )


def test_prepost_baseline_is_never_exposed_and_numeric_waves_work():
    units = simulate_prepost(seed=31).assign(wave=lambda d: np.where(d.wave == "T0", 1, 2))
    item = stats.test_configuration(units, make_prepost_theory(baseline=1), "cmo-01")
    # exposure at baseline says 1 for the later exposed; changing it changes nothing
    flipped = units.assign(e=np.where(units.wave == 1, 1 - units.e, units.e))
    again = stats.test_configuration(flipped, make_prepost_theory(baseline=1), "cmo-01")
    assert again.estimate == pytest.approx(item.estimate, rel=1e-12)
    fixed = stats.test_configuration(flipped, make_prepost_theory("fixed_effects", 1), "cmo-01")
    assert fixed.ci_low < 1.0 < fixed.ci_high
    # a unit without an intake is dropped from the ANCOVA and counted
    short = units[~((units.wave == 1) & (units.unit_id < 5))]
    item = stats.test_configuration(short, make_prepost_theory(baseline=1), "cmo-01")
    assert item.n == 795 and "5 follow-up rows without a baseline outcome dropped" in item.note


def test_indicator_designs_are_not_tested_on_units():
    data = make_theory().to_dict()
    data["configurations"].append(
        {
            **data["configurations"][0],
            "id": "cmo-02",
            "design": {"kind": "its", "indicator": "overlast", "event": "2023-01"},
        }
    )
    theory = ProgrammeTheory.from_dict(data)
    units = simulate(seed=32)
    with pytest.raises(TheoryError) as info:
        stats.test_configuration(units, theory, "cmo-02")
    assert info.value.field == "design.kind"
    assert "indicator 'overlast'" in str(info.value)
    assert "interrupted_time_series" in str(info.value)
    assert [item.cmo_id for item in stats.test_theory(units, theory)] == ["cmo-01"]
