"""Tests of netwerkonderzoek.qca truth tables and minimisation.

Reference values: the Lipset data (Rihoux & Ragin 2009; R package QCA,
datasets LC and LF) with the published R QCA solutions, in
``tests/data/qca-lipset/README.md``; hand calculations where named.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from netwerkonderzoek import qca
from netwerkonderzoek.exceptions import NetwerkonderzoekWarning
from netwerkonderzoek.qca import QCAError

DATA = Path(__file__).parent / "data" / "qca-lipset"
ALL_PRESENT = dict.fromkeys(["DEV", "URB", "LIT", "IND", "STB"], 1)


@pytest.fixture(scope="module")
def lc() -> pd.DataFrame:
    return pd.read_csv(DATA / "LC.csv", index_col="case")


@pytest.fixture(scope="module")
def lf() -> pd.DataFrame:
    return pd.read_csv(DATA / "LF.csv", index_col="case")


def solution_fit(result, solution):
    row = result.fit[(result.fit["solution"] == solution) & (result.fit["level"] == "solution")]
    return round(float(row["inclusion"].iloc[0]), 3), round(float(row["coverage"].iloc[0]), 3)


# -- truth tables ------------------------------------------------------------
def test_lipset_crisp_truth_table(lc):
    tt = qca.truth_table(lc, outcome="SURV")
    # R QCA: truthTable(LC, "SURV") rows and cases
    assert list(tt.table.index) == [1, 2, 5, 6, 22, 23, 24, 31, 32]
    assert tt.table.loc[32, "cases"] == "BE,CZ,NL,UK" and tt.table.loc[32, "n"] == 4
    assert tt.table.loc[22, "OUT"] == "1" and tt.table.loc[23, "OUT"] == "0"
    assert tt.diversity == pytest.approx(9 / 32)
    assert tt.conditions == ("DEV", "URB", "LIT", "IND", "STB")
    assert len(tt.remainders) == 32 - 9


def test_lipset_fuzzy_truth_table_inclusion_and_pri(lf):
    tt = qca.truth_table(lf, outcome="SURV", incl_cut=0.8)
    # R QCA: truthTable(LF, "SURV", incl.cut = 0.8)
    table = tt.table.round(3)
    assert tuple(table.loc[32, ["incl", "PRI"]]) == (0.904, 0.886)
    assert tuple(table.loc[22, ["incl", "PRI"]]) == (0.804, 0.719)
    assert tuple(table.loc[24, ["incl", "PRI"]]) == (0.709, 0.634)
    assert list(tt.table.query("OUT == '1'").index) == [22, 32]


def test_two_inclusion_cut_offs_mark_contradictions(lf):
    tt = qca.truth_table(lf, outcome="SURV", incl_cut=[0.8, 0.7])
    assert tt.table.loc[24, "OUT"] == "C"  # incl 0.709 between 0.7 and 0.8
    assert 24 - 1 in tt.negative_rows and 24 - 1 not in tt.positive_rows


def test_n_cut_makes_rare_rows_remainders(lc):
    tt = qca.truth_table(lc, outcome="SURV", n_cut=2)
    assert (tt.table.loc[[6, 23, 31], "OUT"] == "?").all()
    assert {6, 23, 31} <= set(tt.remainders.index)


def test_pri_cut(lf):
    tt = qca.truth_table(lf, outcome="SURV", incl_cut=0.7, pri_cut=0.75)
    assert list(tt.table.query("OUT == '1'").index) == [32]  # PRI 0.719, 0.634 fail


def test_fuzzy_case_row_membership_by_hand():
    data = pd.DataFrame({"A": [0.7, 0.2], "B": [0.4, 0.9], "Y": [0.8, 0.1]}, index=["p", "q"])
    tt = qca.truth_table(data, outcome="Y", incl_cut=0.5)
    # hand: p is in row A*~B (0.7 > .5, 0.4 < .5) = row 3 with membership min(.7, .6) = .6
    # incl of row 3: members min(A, 1-B) = .6, .1 ; min with Y = .6, .1 -> 0.7 / 0.7
    assert tt.table.loc[3, "cases"] == "p"
    assert tt.table.loc[3, "incl"] == pytest.approx(1.0)
    # row 2 (~A*B): members .3, .8 ; min with Y .3, .1 -> 0.4 / 1.1
    assert tt.table.loc[2, "incl"] == pytest.approx(0.4 / 1.1)


def test_case_at_crossover_belongs_to_no_row():
    data = pd.DataFrame(
        {"A": [0.5, 0.9, 0.1, 0.8], "Y": [1, 1, 0, 1]}, index=["half", "b", "c", "d"]
    )
    with pytest.warns(NetwerkonderzoekWarning, match=r"\['half'\]"):
        tt = qca.truth_table(data, outcome="Y")
    assert "half" not in ",".join(tt.table["cases"])
    assert tt.table["n"].sum() == 3


def test_limited_diversity_warns_and_is_reported():
    rng = np.random.default_rng(3)
    data = pd.DataFrame(rng.integers(0, 2, size=(6, 5)), columns=list("ABCDE"))
    data.iloc[0, :] = 0
    data.iloc[1, :] = 1
    data["Y"] = [0, 1, 0, 1, 1, 0]
    with pytest.warns(NetwerkonderzoekWarning, match="Limited diversity"):
        tt = qca.truth_table(data, outcome="Y")
    assert tt.diversity == pytest.approx(len(tt.table) / 32)
    assert tt.diversity <= 6 / 32


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda d: d.assign(DEV=d["DEV"] * 2), r"'DEV' has membership scores outside \[0, 1\]"),
        (lambda d: d.assign(URB=0.0), "Condition 'URB' has no variation"),
        (lambda d: d.assign(LIT="hoog"), "'LIT' is not numeric"),
        (lambda d: d.assign(IND=np.nan), "'IND' has 18 missing"),
        (lambda d: d.assign(SURV=d["SURV"] + 1), "'SURV' has membership scores outside"),
    ],
)
def test_truth_table_bad_data(lc, change, match):
    with pytest.raises(QCAError, match=match):
        qca.truth_table(change(lc.copy()), outcome="SURV")


def test_truth_table_bad_arguments(lc):
    with pytest.raises(QCAError, match=r"Unknown condition column\(s\) \['GDP'\]"):
        qca.truth_table(lc, outcome="SURV", conditions=["DEV", "GDP"])
    with pytest.raises(QCAError, match=r"Unknown outcome column\(s\) \['SURVIVAL'\]"):
        qca.truth_table(lc, outcome="SURVIVAL")
    with pytest.raises(QCAError, match="cannot also be a condition"):
        qca.truth_table(lc, outcome="SURV", conditions=["DEV", "SURV"])
    with pytest.raises(QCAError, match="incl_cut"):
        qca.truth_table(lc, outcome="SURV", incl_cut=[0.7, 0.8])
    with pytest.raises(QCAError, match="n_cut"):
        qca.truth_table(lc, outcome="SURV", n_cut=0)
    with pytest.raises(QCAError, match="DataFrame"):
        qca.truth_table(lc.to_numpy(), outcome="SURV")


def test_truth_table_html(lc):
    html = qca.truth_table(lc, outcome="SURV")._repr_html_()
    assert "<table" in html and "SURV" in html and "28.1%" in html


# -- the published Lipset solutions (R QCA; Rihoux & Ragin 2009) -----------
@pytest.mark.parametrize(
    ("name", "cut", "solution", "expected", "fit"),
    [
        ("LC", 1, "conservative", "DEV*~URB*LIT*STB + DEV*LIT*IND*STB", None),
        ("LC", 1, "parsimonious", "DEV*STB", None),
        ("LC", 1, "intermediate", "DEV*LIT*STB", None),
        (
            "LF",
            0.8,
            "conservative",
            "DEV*URB*LIT*IND*STB + DEV*~URB*LIT*~IND*STB",
            (0.870, 0.658),
        ),
        ("LF", 0.8, "parsimonious", "DEV*~IND + URB*STB", (0.850, 0.714)),
        ("LF", 0.8, "intermediate", "DEV*URB*LIT*STB + DEV*LIT*~IND*STB", (0.866, 0.660)),
        ("LF", 0.7, "conservative", "DEV*~URB*LIT*STB + DEV*LIT*IND*STB", None),
        ("LF", 0.7, "parsimonious", "DEV*STB", None),
        ("LF", 0.7, "intermediate", "DEV*LIT*STB", None),
    ],
)
def test_lipset_published_solutions(lc, lf, name, cut, solution, expected, fit):
    data = lc if name == "LC" else lf
    tt = qca.truth_table(data, outcome="SURV", incl_cut=cut, n_cut=1)
    directional = ALL_PRESENT if solution == "intermediate" else None
    result = qca.minimize(tt, solution=solution, directional=directional)
    assert result.solutions == [expected]
    if fit is not None:
        assert solution_fit(result, expected) == fit


def test_lipset_simplifying_assumptions_and_easy_counterfactuals(lc):
    tt = qca.truth_table(lc, outcome="SURV")
    pars = qca.minimize(tt, solution="parsimonious")
    # hand: DEV*STB covers rows 18 + 8*URB + 4*LIT + 2*IND; 22, 24, 32 are observed
    assert list(pars.simplifying_assumptions["row"]) == [18, 20, 26, 28, 30]
    assert pars.easy_counterfactuals.empty
    inter = qca.minimize(tt, solution="intermediate", directional=ALL_PRESENT)
    # hand: DEV*LIT*STB covers 22, 24, 30, 32; only 30 (DEV*URB*LIT*~IND*STB) is a remainder
    assert list(inter.easy_counterfactuals["row"]) == [30]
    assert inter.directional == ALL_PRESENT
    cons = qca.minimize(tt, solution="conservative")
    assert cons.simplifying_assumptions.empty


def test_lipset_term_fit_and_unique_coverage(lc):
    result = qca.minimize(qca.truth_table(lc, outcome="SURV"), solution="conservative")
    terms = result.fit[result.fit["level"] == "term"].set_index("term")
    # hand: 8 surviving cases; DEV*~URB*LIT*STB covers FI, IE, FR, SE (4/8),
    # DEV*LIT*IND*STB covers FR, SE, BE, CZ, NL, UK (6/8); unique 2/8 and 4/8
    assert terms.loc["DEV*~URB*LIT*STB", "coverage"] == pytest.approx(0.5)
    assert terms.loc["DEV*LIT*IND*STB", "unique_coverage"] == pytest.approx(0.5)
    assert terms.loc["DEV*~URB*LIT*STB", "unique_coverage"] == pytest.approx(0.25)


def test_negated_outcome(lc):
    tt = qca.truth_table(lc, outcome="~SURV")
    assert tt.outcome == "~SURV"
    # hand: ~SURV rows 1, 2, 5, 6 = ~DEV*~URB*~IND ; rows 23, 31 = DEV*LIT*IND*~STB
    cons = qca.minimize(tt, solution="conservative")
    assert cons.solutions == ["~DEV*~URB*~IND + DEV*LIT*IND*~STB"]
    # hand: ~DEV and ~STB each avoid the surviving rows 22, 24, 32
    pars = qca.minimize(tt, solution="parsimonious")
    assert pars.solutions == ["~DEV + ~STB"]
    assert pars.outcome_membership().loc["GR"] == 1.0
    inter = qca.minimize(tt, "intermediate", directional=dict.fromkeys(ALL_PRESENT, 0))
    assert inter.solutions == ["~STB + ~DEV*~URB*~IND"]


def test_tied_minimal_covers_are_all_returned():
    # hand: f(A,B,C) = m(0,1,2,5,6,7), zeros at 3 and 4: the cyclic chart with
    # six prime implicants and exactly two minimal covers of three terms
    rows = [0, 1, 2, 3, 4, 5, 6, 7]
    bits = [[(r >> 2) & 1, (r >> 1) & 1, r & 1] for r in rows]
    data = pd.DataFrame(bits, columns=["A", "B", "C"])
    data["Y"] = [1, 1, 1, 0, 0, 1, 1, 1]
    result = qca.minimize(qca.truth_table(data, outcome="Y"), solution="conservative")
    assert sorted(result.solutions) == ["A*B + ~A*~C + ~B*C", "A*C + ~A*~B + B*~C"]
    assert len(result.prime_implicants) == 6
    assert result.essential == []
    assert set(result.fit["solution"]) == set(result.solutions)


def test_minimize_errors(lc, lf):
    tt = qca.truth_table(lc, outcome="SURV")
    with pytest.raises(QCAError, match="needs directional"):
        qca.minimize(tt, solution="intermediate")
    with pytest.raises(QCAError, match=r"unknown condition\(s\) \['GDP'\]"):
        qca.minimize(tt, solution="intermediate", directional={"GDP": 1})
    with pytest.raises(QCAError, match="'DEV' must be 1"):
        qca.minimize(tt, solution="intermediate", directional={"DEV": "yes"})
    with pytest.raises(QCAError, match="only used by solution='intermediate'"):
        qca.minimize(tt, solution="parsimonious", directional={"DEV": 1})
    with pytest.raises(QCAError, match="'solution'"):
        qca.minimize(tt, solution="complex")
    with pytest.raises(QCAError, match="TruthTable"):
        qca.minimize(lc)
    empty = qca.truth_table(lf, outcome="SURV", incl_cut=0.95)
    with pytest.raises(QCAError, match="No positive rows for outcome 'SURV'"):
        qca.minimize(empty)


def test_result_membership_html_and_plot(lf):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    result = qca.minimize(qca.truth_table(lf, outcome="SURV", incl_cut=0.8))
    member = result.membership()
    # hand: BE: max(min(.99, 1-1), min(.89, .98)) = 0.89
    assert member.loc["BE"] == pytest.approx(0.89)
    assert "<ol>" in result._repr_html_() and "DEV*~IND + URB*STB" in repr(result)
    ax = qca.plot_xy(result)
    assert ax.get_xlabel() == "Oplossing: DEV*~IND + URB*STB"
    assert ax.get_title() == "inclusie 0.850, dekking 0.714"
    plt.close("all")


# -- exactness at 12 conditions ---------------------------------------------
def test_twelve_conditions_structured_outcome_is_recovered():
    rng = np.random.default_rng(20240501)
    x = rng.integers(0, 2, size=(200, 12))
    data = pd.DataFrame(x, columns=[f"C{j}" for j in range(12)])
    data["Y"] = (x[:, 0] & x[:, 1]) | (x[:, 2] & (1 - x[:, 3]))  # generator's truth
    with pytest.warns(NetwerkonderzoekWarning, match="Limited diversity"):
        tt = qca.truth_table(data, outcome="Y")
    assert tt.remainder_mask().sum() > 3800
    result = qca.minimize(tt, solution="parsimonious")
    assert result.solutions == ["C0*C1 + C2*~C3"]
    fit = result.fit.query("level == 'solution'")
    assert fit["inclusion"].iloc[0] == 1.0 and fit["coverage"].iloc[0] == 1.0


# -- property: solutions are exact minimal covers by prime implicants --------
def _covers(term, row, k):
    return all(d == 2 or d == (row >> (k - 1 - j)) & 1 for j, d in enumerate(term))


@st.composite
def crisp_tables(draw):
    k = draw(st.integers(2, 5))
    rows = draw(st.lists(st.integers(0, 2**k - 1), min_size=2, max_size=2**k, unique=True))
    outs = draw(st.lists(st.integers(0, 1), min_size=len(rows), max_size=len(rows)))
    return k, rows, outs


@settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(crisp_tables(), st.sampled_from(["conservative", "parsimonious"]))
def test_solutions_are_minimal_prime_implicant_covers(table, solution):
    k, rows, outs = table
    bits = [[(r >> (k - 1 - j)) & 1 for j in range(k)] for r in rows]
    data = pd.DataFrame(bits, columns=[f"X{j}" for j in range(k)])
    data["Y"] = outs
    # invalid input for QCA (conditions without variation, nothing to explain)
    assume(all(data[c].nunique() == 2 for c in data.columns[:k]) and sum(outs) > 0)
    positive = {r for r, o in zip(rows, outs, strict=True) if o}
    negative = {r for r, o in zip(rows, outs, strict=True) if not o}
    forbidden = negative if solution == "parsimonious" else set(range(2**k)) - positive
    assume(forbidden)  # else the solution is the tautology (raises)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NetwerkonderzoekWarning)
        tt = qca.truth_table(data, outcome="Y")
    result = qca.minimize(tt, solution=solution)

    # brute force: every term, its implicant status, the prime implicants
    terms = list(itertools.product([0, 1, 2], repeat=k))

    def implicant(t):
        covered = {r for r in range(2**k) if _covers(t, r, k)}
        return not covered & forbidden and bool(covered & positive)

    def prime(t):
        return implicant(t) and not any(
            implicant((*t[:j], 2, *t[j + 1 :])) for j in range(k) if t[j] != 2
        )

    primes = [t for t in terms if prime(t)]
    names = [f"X{j}" for j in range(k)]
    as_string = {qca_term(t, names): t for t in primes}
    size = None
    for sol in result.solutions:
        chosen = [as_string[s] for s in sol.split(" + ")]  # KeyError: not a prime
        assert all(any(_covers(t, r, k) for t in chosen) for r in positive)
        assert not any(_covers(t, r, k) for t in chosen for r in forbidden)
        size = len(chosen) if size is None else size
        assert len(chosen) == size

    # brute force: no smaller cover, and every cover of that size is returned
    def is_cover(combo):
        return all(any(_covers(t, r, k) for t in combo) for r in positive)

    assert not any(is_cover(c) for c in itertools.combinations(primes, size - 1))
    expected = {
        frozenset(qca_term(t, names) for t in c)
        for c in itertools.combinations(primes, size)
        if is_cover(c)
    }
    assert {frozenset(s.split(" + ")) for s in result.solutions} == expected
    event(f"{len(expected)} minimal cover(s)")


def qca_term(term, names):
    parts = [n if d == 1 else "~" + n for d, n in zip(term, names, strict=True) if d != 2]
    return "*".join(parts)


def test_prime_implicants_and_minimal_covers_helpers():
    # hand: on = {1, 2, 3} over (A, B) -> primes A and B
    np.testing.assert_array_equal(qca.prime_implicants(2, [1, 2, 3], None), [[1, 2], [2, 1]])
    chart = np.array([[1, 1, 0], [0, 1, 1], [1, 0, 1]], dtype=bool)
    assert qca.minimal_covers(chart) == [(0, 1), (0, 2), (1, 2)]


@settings(max_examples=80, deadline=None, database=None)
@given(crisp_tables(), st.lists(st.sampled_from([0, 1, "-"]), min_size=5, max_size=5))
def test_intermediate_lies_between_conservative_and_parsimonious(table, expectations):
    k, rows, outs = table
    bits = [[(r >> (k - 1 - j)) & 1 for j in range(k)] for r in rows]
    names = [f"X{j}" for j in range(k)]
    data = pd.DataFrame(bits, columns=names)
    data["Y"] = outs
    assume(all(data[c].nunique() == 2 for c in names) and 0 < sum(outs) < len(outs))
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NetwerkonderzoekWarning)
        tt = qca.truth_table(data, outcome="Y")
    positive = {r for r, o in zip(rows, outs, strict=True) if o}
    negative = {r for r, o in zip(rows, outs, strict=True) if not o}
    directional = dict(zip(names, expectations, strict=False))
    inter = qca.minimize(tt, solution="intermediate", directional=directional)
    pars = qca.minimize(tt, solution="parsimonious")
    allowed = set(pars.simplifying_assumptions["row"] - 1)
    for sol in inter.solutions:
        chosen = [qca_parse(s, names) for s in sol.split(" + ")]
        assert all(any(_covers(t, r, k) for t in chosen) for r in positive)
        assert not any(_covers(t, r, k) for t in chosen for r in negative)
    # the easy counterfactuals are simplifying assumptions of the parsimonious solution
    assert set(inter.easy_counterfactuals["row"] - 1) <= allowed
    # without any expectation nothing is easy: intermediate == conservative
    none = qca.minimize(tt, solution="intermediate", directional=dict.fromkeys(names, "-"))
    assert none.solutions == qca.minimize(tt, solution="conservative").solutions
    assert none.easy_counterfactuals.empty


def qca_parse(text, names):
    digits = [2] * len(names)
    for literal in text.split("*"):
        digits[names.index(literal.lstrip("~"))] = 0 if literal.startswith("~") else 1
    return tuple(digits)


def test_max_solutions_limits_and_warns():
    # the cyclic chart of test_tied_minimal_covers_are_all_returned has two covers
    rows = range(8)
    data = pd.DataFrame([[(r >> 2) & 1, (r >> 1) & 1, r & 1] for r in rows], columns=list("ABC"))
    data["Y"] = [1, 1, 1, 0, 0, 1, 1, 1]
    tt = qca.truth_table(data, outcome="Y")
    with pytest.warns(NetwerkonderzoekWarning, match="Stopped after 1 tied"):
        result = qca.minimize(tt, solution="conservative", max_solutions=1)
    assert len(result.solutions) == 1
    with pytest.raises(QCAError, match="max_solutions"):
        qca.minimize(tt, solution="conservative", max_solutions=0)


def test_everything_explained_is_a_tautology_error():
    data = pd.DataFrame({"A": [1, 0], "B": [0, 1], "Y": [1, 1]})
    with pytest.raises(QCAError, match="tautology"):
        qca.minimize(qca.truth_table(data, outcome="Y"), solution="parsimonious")
