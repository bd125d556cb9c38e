"""Tests of netwerkonderzoek.qca calibration, parameters of fit and the XY plot."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from netwerkonderzoek import qca
from netwerkonderzoek.exceptions import NetwerkonderzoekError, NetwerkonderzoekWarning
from netwerkonderzoek.qca import QCAError

# -- calibration: direct method (Ragin 2008, ch. 5: log odds -3, 0, +3) ------
FULL_IN = 1 / (1 + math.exp(-3))  # hand: 0.95257
FULL_OUT = 1 / (1 + math.exp(3))  # hand: 0.04743


def test_direct_method_anchor_values():
    # hand: midway between crossover 5 and inclusion 8 -> log odds 1.5 -> 0.8176
    values = qca.calibrate([2, 6.5, 8], thresholds={"e": 2, "c": 5, "i": 8})
    np.testing.assert_allclose(values, [FULL_OUT, 1 / (1 + math.exp(-1.5)), FULL_IN])
    assert round(values[2], 3) == 0.953


def test_direct_method_asymmetric_anchors_scale_each_side():
    # hand: exclusion side scale 3/(5-1)=0.75, inclusion side 3/(6-5)=3
    values = qca.calibrate([3, 5.5], thresholds=(1, 5, 6))
    np.testing.assert_allclose(values, [1 / (1 + math.exp(1.5)), 1 / (1 + math.exp(-1.5))])


def test_direct_method_at_crossover_is_half_and_warns():
    with pytest.warns(NetwerkonderzoekWarning, match="exactly 0.5"):
        values = qca.calibrate([5.0, 7.0], thresholds=(2, 5, 8))
    assert values[0] == 0.5


def test_direct_method_decreasing_mirrors_increasing():
    up = qca.calibrate(np.array([1.0, 4.0, 9.0]), thresholds=(2, 5, 8))
    down = qca.calibrate(np.array([9.0, 6.0, 1.0]), thresholds=(8, 5, 2))
    np.testing.assert_allclose(up, down)
    assert down[0] < 0.05 and down[2] > 0.95


def test_calibrate_keeps_series_index_and_nan():
    raw = pd.Series([1.0, np.nan, 9.0], index=["a", "b", "c"], name="GNP")
    out = qca.calibrate(raw, thresholds=(2, 5, 8))
    assert isinstance(out, pd.Series)
    assert list(out.index) == ["a", "b", "c"] and out.name == "GNP"
    assert np.isnan(out["b"])


def test_calibrate_scalar_returns_float():
    assert qca.calibrate(8, thresholds=(2, 5, 8)) == pytest.approx(FULL_IN)


def test_anchors_method_is_piecewise_linear_and_clipped():
    # hand: 0 below e, 0.25 halfway e..c, 0.75 halfway c..i, 1 beyond i
    out = qca.calibrate([0, 3, 6, 7, 20], thresholds=(2, 4, 8), method="anchors")
    np.testing.assert_allclose(out, [0, 0.25, 0.75, 0.875, 1])
    down = qca.calibrate([0, 6], thresholds=(8, 4, 2), method="anchors")
    np.testing.assert_allclose(down, [1, 0.25])


def test_crisp_single_and_multi_value():
    np.testing.assert_array_equal(
        qca.calibrate([1, 5, 5.0001, 9], thresholds=5, method="crisp"), [0, 1, 1, 1]
    )
    np.testing.assert_array_equal(
        qca.calibrate([10, 25, 59, 60, 99], thresholds=[25, 60], method="crisp"),
        [0, 1, 1, 2, 2],
    )


@pytest.mark.parametrize(
    ("thresholds", "method", "match"),
    [
        ((5, 2, 8), "direct", "must be ordered"),
        ((2, 5, 5), "direct", "must be ordered"),
        ((2, 5), "direct", "three anchors"),
        ({"e": 1, "c": 2}, "direct", "keys"),
        ([5, 3], "crisp", "strictly increasing"),
        ((2, 5, 8), "logit", "'method'"),
    ],
)
def test_calibrate_rejects_bad_thresholds(thresholds, method, match):
    with pytest.raises(QCAError, match=match):
        qca.calibrate([1, 2, 3], thresholds=thresholds, method=method)


def test_calibrate_rejects_non_numeric_values():
    with pytest.raises(QCAError, match="numeric"):
        qca.calibrate(pd.Series(["laag", "hoog"], name="x"), thresholds=(1, 2, 3))


def test_qca_error_is_a_netwerkonderzoek_error():
    assert issubclass(QCAError, NetwerkonderzoekError)


def test_crossover_cases_lists_every_half_score():
    df = pd.DataFrame({"A": [0.5, 0.2, 0.5], "B": [0.1, 0.5, 0.9]}, index=["x", "y", "z"])
    found = qca.crossover_cases(df)
    assert set(map(tuple, found.to_numpy())) == {("x", "A"), ("z", "A"), ("y", "B")}
    with pytest.raises(QCAError, match="Unknown column"):
        qca.crossover_cases(df, columns=["C"])


# -- necessity and sufficiency, computed by hand ---------------------------
HAND = pd.DataFrame(
    {"A": [0.2, 0.8, 0.6, 1.0], "B": [0.9, 0.1, 0.3, 0.4], "Y": [0.3, 0.7, 0.9, 0.8]},
    index=["w", "x", "y", "z"],
)


def test_necessity_single_conditions_by_hand():
    table = qca.necessity(HAND, outcome="Y", conditions=["A"]).set_index("term")
    # hand: min(A,Y) = .2,.7,.6,.8 (2.3); sum Y 2.7; sum A 2.6
    # RoN = sum(1-A) / sum(1-min(A,Y)) = 1.4 / 1.7
    assert table.loc["A", "inclusion"] == pytest.approx(2.3 / 2.7)
    assert table.loc["A", "coverage"] == pytest.approx(2.3 / 2.6)
    assert table.loc["A", "RoN"] == pytest.approx(1.4 / 1.7)
    # hand: ~A = .8,.2,.4,0; min(~A,Y) = .3,.2,.4,0 (0.9); sum ~A 1.4
    assert table.loc["~A", "inclusion"] == pytest.approx(0.9 / 2.7)
    assert table.loc["~A", "coverage"] == pytest.approx(0.9 / 1.4)


def test_necessity_disjunctions_by_hand():
    table = qca.necessity(HAND, outcome="Y", disjunctions=2).set_index("term")
    assert "A + ~A" not in table.index  # two literals of one condition: skipped
    # hand: A + B = max = .9,.8,.6,1.0 ; min with Y = .3,.7,.6,.8 (2.4)
    assert table.loc["A + B", "inclusion"] == pytest.approx(2.4 / 2.7)
    assert table.loc["A + B", "coverage"] == pytest.approx(2.4 / 3.3)
    assert len(table) == 4 + 4  # A, ~A, B, ~B and the four cross pairs


def test_necessity_incl_cut_and_negated_outcome():
    kept = qca.necessity(HAND, outcome="Y", incl_cut=0.8)
    assert (kept["inclusion"] >= 0.8).all() and "A" in set(kept["term"])
    neg = qca.necessity(HAND, outcome="~Y", conditions=["A"]).set_index("term")
    # hand: ~Y = .7,.3,.1,.2 (1.3); min(A,~Y) = .2,.3,.1,.2 (0.8)
    assert neg.loc["A", "inclusion"] == pytest.approx(0.8 / 1.3)


def test_necessity_rejects_bad_disjunctions():
    with pytest.raises(QCAError, match="disjunctions"):
        qca.necessity(HAND, outcome="Y", disjunctions=3)


def test_fit_expression_by_hand():
    table = qca.fit_expression(HAND, "A + B", outcome="Y").set_index("term")
    # hand: A: incl 2.3/2.6; PRI: min(A,Y,~Y) = .2,.3,.1,.2 (0.8) -> 1.5/1.8
    assert table.loc["A", "inclusion"] == pytest.approx(2.3 / 2.6)
    assert table.loc["A", "PRI"] == pytest.approx(1.5 / 1.8)
    # hand: unique coverage of A = cov(A+B) - cov(B); min(B,Y) = .3,.1,.3,.4 (1.1)
    assert table.loc["A", "unique_coverage"] == pytest.approx(2.4 / 2.7 - 1.1 / 2.7)
    assert table.loc["A + B", "coverage"] == pytest.approx(2.4 / 2.7)


def test_membership_of_an_expression():
    out = qca.membership(HAND, "A*~B + B")
    # hand: A*~B = .1,.8,.6,.6 ; B = .9,.1,.3,.4 -> max
    np.testing.assert_allclose(out.to_numpy(), [0.9, 0.8, 0.6, 0.6])
    with pytest.raises(QCAError, match="Unknown condition 'C'"):
        qca.membership(HAND, "A*C")


# -- XY plot ---------------------------------------------------------------
def test_xy_plot_labels_dutch_and_english():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    x = pd.Series([0.2, 0.7, 0.9], name="A*B")
    ax = qca.plot_xy(x, [0.4, 0.8, 0.95])
    assert ax.get_xlabel() == "Oplossing: A*B" and ax.get_ylabel() == "Uitkomst"
    assert "inclusie 1.000" in ax.get_title()
    ax_en = qca.plot_xy([0.2, 0.7], [0.1, 0.8], language="en")
    # hand: inclusion = (.1 + .7) / .9
    assert ax_en.get_title() == f"inclusion {0.8 / 0.9:.3f}, coverage {0.8 / 0.9:.3f}"
    plt.close("all")


def test_xy_plot_rejects_bad_input():
    with pytest.raises(QCAError, match="language"):
        qca.plot_xy([0.1], [0.2], language="de")
    with pytest.raises(QCAError, match="outcome"):
        qca.plot_xy([0.1, 0.2])
    with pytest.raises(QCAError, match="equal length"):
        qca.plot_xy([0.1, 0.2], [0.3])
