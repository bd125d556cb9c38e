"""Tests for netwerkonderzoek.value (value matrix, business cases, monetisation)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError as PydanticValidationError

from netwerkonderzoek import load_config, load_network, value
from netwerkonderzoek.config import FinancialProxy, NetworkConfig
from netwerkonderzoek.exceptions import ValidationError
from netwerkonderzoek.simulate import DEFAULT_SEED, EXAMPLE_NETWORKS, simulate_network
from netwerkonderzoek.simulate.appreciation import simulate_appreciation
from netwerkonderzoek.tables import read_table

ROOT = Path(__file__).resolve().parents[1]


def _config(**extra) -> NetworkConfig:
    data = {
        "network_id": "x",
        "name": "X",
        "mission": "m",
        "task": "t",
        "study": {
            "start": "2024-01",
            "end": "2024-12",
            "waves": [{"wave": 1, "date": "2024-03-10"}, {"wave": 2, "date": "2024-06-10"}],
        },
        "indicators": [
            {
                "id": "up",
                "label_nl": "Op",
                "label_en": "Up",
                "unit": "n",
                "perspective": "societal",
                "form": "direct",
                "direction": "increase",
            },
            {
                "id": "down",
                "label_nl": "Neer",
                "label_en": "Down",
                "unit": "n",
                "perspective": "network",
                "form": "indirect",
                "direction": "decrease",
            },
        ],
    }
    data.update(extra)
    return NetworkConfig.model_validate(data)


def _indicators() -> pd.DataFrame:
    months = [f"2024-0{m}" for m in range(1, 7)]
    rows = []
    for area, shift in (("a", 0.0), ("b", 2.0)):
        for i, month in enumerate(months):
            rows.append({"indicator_id": "up", "period": month, "area": area, "value": i + shift})
            rows.append({"indicator_id": "down", "period": month, "area": area, "value": 10 - i})
    return pd.DataFrame(rows)


def _ratings(rows) -> pd.DataFrame:
    return pd.DataFrame(
        rows, columns=["period", "perspective", "form", "stakeholder_group", "rating"]
    )


def test_indicator_change_is_signed_and_windowed():
    change = value.indicator_change(_indicators(), _config()).set_index(["indicator_id", "period"])
    # "up": area means 1, 2, 3, 4, 5, 6 per month; baseline = mean(1, 2, 3) = 2.
    # 2024-06: window 04-06 -> mean(4, 5, 6) = 5; change +3 (increase expected).
    assert change.loc[("up", "2024-06"), "baseline"] == pytest.approx(2.0)
    assert change.loc[("up", "2024-06"), "change"] == pytest.approx(3.0)
    # "down": 10, 9, ..., 5; baseline 9, level at 06 = 6: raw -3, improvement +3.
    assert change.loc[("down", "2024-06"), "change_raw"] == pytest.approx(-3.0)
    assert change.loc[("down", "2024-06"), "change"] == pytest.approx(3.0)
    # 2024-03 is the last baseline month: window = baseline -> no change.
    assert change.loc[("up", "2024-03"), "change"] == pytest.approx(0.0)


def test_indicator_change_missing_period_is_nan():
    change = value.indicator_change(_indicators(), _config(), ["2024-11"])
    assert change["level"].isna().all() and change["change"].isna().all()


def test_disagreement_threshold_and_min_n():
    rows = [("p", "societal", "direct", "residents", r) for r in (3, 4, 5)]
    rows += [("p", "societal", "direct", "partners", r) for r in (5, 5, 6)]  # mean 5.333
    rows += [("p", "societal", "direct", "funders", r) for r in (9, 10)]  # only 2: ignored
    table = value.disagreement(_ratings(rows))
    assert table["groups"].item() == 2
    assert table["range"].item() == pytest.approx(16 / 3 - 4)  # 1.333 < 1.5
    assert not table["disagree"].item()
    assert value.disagreement(_ratings(rows), threshold=1.3)["disagree"].item()
    assert value.disagreement(_ratings(rows), min_n=2)["highest"].item() == "funders"


def test_value_matrix_missing_appreciation_is_no_data_not_zero():
    appreciation = _ratings(
        [("2024-06", "societal", "direct", "residents", r) for r in (2, 3, 4)]
        + [("2024-06", "societal", "direct", "partners", r) for r in (7, 8, 9)]
    )
    theory = pd.DataFrame(
        {
            "cmo_id": ["cmo-01", "cmo-02"],
            "perspective": ["societal", "partner"],
            "form": ["direct", "direct"],
        }
    )
    verdicts = pd.DataFrame({"cmo_id": ["cmo-01", "cmo-02"], "verdict": ["supported", "refined"]})
    matrix = value.value_matrix(
        _indicators(),
        appreciation,
        _config(),
        theory=theory,
        verdicts=verdicts,
        periods=["2024-06"],
    )
    rated = matrix[matrix["row_type"] == "appreciation"]
    assert len(rated) == 6 * 3  # every cell, every group
    cell = rated[(rated["perspective"] == "societal") & (rated["form"] == "direct")]
    by_group = cell.set_index("stakeholder_group")
    assert by_group.loc["residents", "appreciation"] == pytest.approx(3.0)
    assert np.isnan(by_group.loc["funders", "appreciation"])
    assert by_group.loc["funders", "appreciation_status"] == "no data"
    assert (rated["appreciation"] == 0).sum() == 0
    assert bool(cell["disagree"].iloc[0]) and cell["disagreement_range"].iloc[0] == pytest.approx(
        5
    )
    assert cell["verdicts"].iloc[0] == "cmo-01=supported"
    other = matrix[(matrix["perspective"] == "partner") & (matrix["form"] == "direct")]
    assert other["cmo_ids"].iloc[0] == "cmo-02"
    indicator = matrix[matrix["row_type"] == "indicator"].set_index("indicator_id")
    assert indicator.loc["down", "change"] == pytest.approx(3.0)
    view = value.matrix_view(matrix, language="nl")
    assert "Financiers geen gegevens" in view.iloc[0, 0]
    assert "⚠" in view.iloc[0, 0]
    english = value.matrix_view(matrix, language="en")
    assert "Funders no data" in english.iloc[0, 0]
    assert "cmo-02 refined" in english.iloc[2, 0]


def test_value_matrix_without_appreciation():
    matrix = value.value_matrix(_indicators(), None, _config(), periods=["2024-06"])
    rated = matrix[matrix["row_type"] == "appreciation"]
    assert (rated["appreciation_status"] == "no data").all()
    assert rated["appreciation"].isna().all()


def test_monetise_ratio_shares_and_caveat():
    proxy = {
        "value_eur": 100,
        "low_eur": 50,
        "high_eur": 150,
        "source": "CBS",
        "year": 2023,
        "perspective": "network",
    }
    config = _config(monetisation={"deadweight": 0.2, "attribution": 0.5, "displacement": 0.0})
    spec = config.indicators[1].model_copy(update={"proxy": FinancialProxy(**proxy)})
    config = config.model_copy(update={"indicators": [config.indicators[0], spec]})
    # "down" per area: 10, 9, ..., 5; baseline (3 months) 9; after: 7, 6, 5 -> improvements 2+3+4 = 9
    # per area, two areas -> 18 units; central 18 x 100 = 1800; net 1800 x 0.8 x 0.5 = 720.
    spent = pd.DataFrame({"costs_eur": [400.0, 320.0]})
    money = value.monetise(config, _indicators(), spent)
    assert money.table["units_improved"].item() == pytest.approx(18)
    assert money.net[1] == pytest.approx(720)
    assert money.ratio == pytest.approx((0.5, 1.0, 1.5))
    assert value.CAVEAT["nl"] in money.summary()
    none = value.monetise(_config(), _indicators(), spent, language="en")
    assert not none.available and np.isnan(none.ratio[1])
    assert value.CAVEAT["en"] in none.summary()
    # the indicator is a network one: its return is not called societal; Dutch euros
    assert money.summary().splitlines()[0] == (
        # Babel (CLDR nl_NL) puts a no-break space between the sign and the amount
        "Waarde voor het netwerk: €\xa01,00 per ingezette euro (bandbreedte €\xa00,50 – "
        "€\xa01,50 met "
        "lage en hoge proxy's), na 20% deadweight, 50% toerekening aan anderen en 0% "
        "verplaatsing."
    )


def test_nothing_is_monetised_from_defaults():
    # issue 18: "€0,70 per ingezette euro … na 0% deadweight" was printed for a config
    # that set no shares, from a partner indicator's proxy
    proxy = {"value_eur": 100, "source": "CBS", "year": 2023}
    config = _config(monetisation={"deadweight": 0.2})
    spec = config.indicators[1].model_copy(update={"proxy": FinancialProxy(**proxy)})
    config = config.model_copy(update={"indicators": [config.indicators[0], spec]})
    spent = pd.DataFrame({"costs_eur": [400.0]})
    money = value.monetise(config, _indicators(), spent)
    assert not money.available and all(np.isnan(money.ratio))
    assert money.missing == [
        "monetisation.attribution (welk deel komt door anderen)",
        "monetisation.displacement (welk deel is alleen verplaatst)",
        f"indicators.{spec.id}.proxy.perspective (wiens waarde de proxy uitdrukt)",
    ]
    assert money.summary().startswith(
        "Niet gemonetiseerd. Daarvoor moet de configuratie nog vastleggen: "
        "monetisation.attribution"
    )
    assert "per ingezette euro" not in money.summary()


def test_a_proxy_values_its_indicators_own_perspective():
    with pytest.raises(PydanticValidationError, match=r"stated from the societal perspective"):
        NetworkConfig.model_validate(
            {
                **_config().model_dump(exclude={"path"}),
                "indicators": [
                    {
                        "id": "huur",
                        "label_nl": "H",
                        "label_en": "H",
                        "unit": "n",
                        "perspective": "partner",
                        "form": "direct",
                        "direction": "decrease",
                        "proxy": {
                            "value_eur": 5,
                            "source": "x",
                            "year": 2024,
                            "perspective": "societal",
                        },
                    }
                ],
            }
        )


def test_proxy_range_is_checked():
    with pytest.raises(PydanticValidationError, match="low_eur <= value_eur"):
        _config(
            indicators=[
                {
                    "id": "a",
                    "label_nl": "A",
                    "label_en": "A",
                    "unit": "n",
                    "perspective": "societal",
                    "form": "direct",
                    "direction": "increase",
                    "proxy": {"value_eur": 10, "low_eur": 20, "source": "s", "year": 2024},
                }
            ]
        )


def test_load_appreciation_absent_and_bad_partner(tmp_path):
    config = _config()
    assert value.load_appreciation(config, tmp_path).empty
    folder = tmp_path / "x"
    folder.mkdir()
    (folder / "partners.csv").write_text(
        "network_id,partner_id,name,kind,sector,joined,left\nx,a,A,care,care,2024-01-01,\n"
    )
    (folder / "appreciation.csv").write_text(
        "network_id,period,stakeholder_group,respondent_id,partner_id,perspective,form,"
        "indicator_id,rating\nx,2024-03,partners,r1,zz,partner,direct,,7\n"
    )
    with pytest.raises(ValidationError, match=r"'zz' is not in partners\.csv"):
        value.load_appreciation(config, tmp_path)


@pytest.mark.parametrize("network_id", EXAMPLE_NETWORKS)
def test_shipped_appreciation_is_the_simulator_output(network_id):
    shipped = read_table("appreciation", ROOT / "data" / network_id / "appreciation.csv")
    fresh = simulate_appreciation(simulate_network(network_id, DEFAULT_SEED))
    assert len(shipped) == len(fresh)
    assert shipped["rating"].astype(int).tolist() == fresh["rating"].tolist()


def _business_case_inputs():
    """Four partners, three waves; the third wave's month (2024-02) lies inside the first's.

    Wave periods (:func:`netwerkonderzoek.network.wave_months`, first contribution 2024-01):
    wave 1 = 2024-01..03, wave 2 = 2024-04..06, wave 3 = 2024-02 only.
    """
    from types import SimpleNamespace

    partner_indicator = {"unit": "n", "perspective": "partner", "form": "indirect"}
    config = _config(
        study={
            "start": "2023-12",
            "end": "2024-12",
            "waves": [
                {"wave": 1, "date": "2024-03-10"},
                {"wave": 2, "date": "2024-06-10"},
                {"wave": 3, "date": "2024-02-10"},
            ],
        },
        indicators=[
            {"id": "own", "label_nl": "O", "label_en": "O", "direction": "increase"}
            | partner_indicator
            | {"partner_id": "a"},
            {"id": "own2", "label_nl": "O2", "label_en": "O2", "direction": "decrease"}
            | partner_indicator
            | {"partner_id": "a"},
        ],
    )
    partners = pd.DataFrame(
        {
            "partner_id": ["d", "b", "c", "a"],
            "name": ["D", "B", "C", "A"],
            "kind": ["care"] * 4,
            "joined": pd.to_datetime(["2024-07-01", "2024-01-01", "2024-03-15", "2023-06-01"]),
            "left": pd.to_datetime([None, "2024-05-01", "2024-06-20", None]),
        }
    )
    contributions = pd.DataFrame(
        [
            ("a", "2024-01", 2.0, 10.0),
            ("a", "2024-01", 1.0, 5.0),
            ("a", "2024-03", 3.0, 30.0),
            ("a", "2024-05", 6.0, 60.0),
            ("a", "2024-08", 100.0, 1000.0),  # in no wave's period
            ("b", "2024-02", 4.0, 40.0),
            ("b", "2024-04", 2.0, 20.0),
            ("b", "2024-06", 1.0, 10.0),  # after b left: still spent
            ("d", "2024-06", 5.0, 50.0),  # before d joined: spent, not on the roster
            ("zz", "2024-02", 9.0, 90.0),  # not a partner
        ],
        columns=["partner_id", "period", "hours", "costs_eur"],
    )
    ties = pd.DataFrame(
        [  # wave, source, target, then power_influence, involvement, resource_contribution
            (1, "a", "b", 2, 3, 4),
            (1, "c", "b", 4, 4, 4),
            (1, "b", "a", 1, 2, 3),
            (2, "a", "b", 2, 2, 2),
            (3, "a", "b", 1, 1, 1),
        ],
        columns=[
            "wave",
            "source",
            "target",
            "power_influence",
            "involvement",
            "resource_contribution",
        ],
    ).assign(tie_type="information", weight=1.0, reliability=3, mission_support=3)
    ties["open_discussion"] = 3
    own = [("2023-12", 9.0), ("2024-01", 9.0), ("2024-02", 6.0)]
    own += [("2024-03", 3.0), ("2024-04", 3.0), ("2024-05", 3.0)]
    indicators = pd.concat(
        [
            pd.DataFrame(
                {"indicator_id": "own", "area": "z", "period": [f"2024-0{m}" for m in range(1, 7)]}
            ).assign(value=[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]),
            pd.DataFrame(own, columns=["period", "value"]).assign(indicator_id="own2", area="z"),
        ],
        ignore_index=True,
    )
    appreciation = pd.DataFrame(
        [
            ("partners", "partner", "a", "2024-02", 6),
            ("partners", "partner", "a", "2024-03", 8),
            ("partners", "partner", "a", "2024-03", None),  # counted, not averaged
            ("partners", "partner", "a", "2024-05", 5),
            ("partners", "partner", "b", "2024-04", None),
            ("residents", "partner", "a", "2024-02", 1),  # not the partner's own
            ("partners", "network", "a", "2024-02", 1),  # not partner value
            ("partners", "partner", None, "2024-02", 1),  # no partner
        ],
        columns=["stakeholder_group", "perspective", "partner_id", "period", "rating"],
    ).astype({"rating": "Int64"})
    appreciation["form"] = "indirect"
    data = SimpleNamespace(
        partners=partners, contributions=contributions, ties=ties, indicators=indicators
    )
    return data, config, appreciation


def test_business_case_rosters_gaps_and_overlapping_waves():
    data, config, appreciation = _business_case_inputs()
    case = value.business_case(data, config, appreciation)
    assert list(case.columns) == list(value.BUSINESS_CASE_COLUMNS)
    assert case["partner_id"].tolist() == [p for p in "abcd" for _ in range(3)]
    assert case["wave"].tolist() == [1, 2, 3] * 4
    assert case["period"].tolist() == ["2024-03", "2024-06", "2024-02"] * 4
    for column in ("months", "raters", "n_ratings"):
        assert case[column].dtype == np.int64
    assert case["flag"].dtype == bool

    def check(name, expected):  # rows a, b, c, d; columns waves 1, 2, 3; NaN == NaN
        np.testing.assert_array_equal(case[name].to_numpy().reshape(4, 3), expected, name)

    nan = np.nan
    # Roster rule: month m counts if m >= the joined month and left > m's first day.
    # a: all months; b left 2024-05-01, so April yes, May no; c joined 2024-03-15
    # (March counts) and left 2024-06-20 (June counts); d joined after every wave.
    check("months", [[3, 3, 1], [3, 1, 1], [1, 3, 0], [0, 0, 0]])
    # Sums of the contributions in each wave's months, on the roster or not.
    check("hours", [[6, 6, 0], [4, 3, 4], [0, 0, 0], [0, 5, 0]])
    check("costs_eur", [[45, 60, 0], [40, 30, 40], [0, 0, 0], [0, 50, 0]])
    check("hours_per_month", [[2, 2, 0], [4 / 3, 3, 4], [0, 0, nan], [nan, nan, nan]])
    check("costs_per_month", [[15, 20, 0], [40 / 3, 30, 40], [0, 0, nan], [nan, nan, nan]])
    # Value received: mean over raters of each tie's mean of the three value items;
    # a is not rated in waves 2 and 3, c rates but is never rated, d never appears.
    check("partner_value", [[2, nan, nan], [3.5, 2, 1], [nan] * 3, [nan] * 3])
    check("raters", [[1, 0, 0], [2, 1, 1], [0, 0, 0], [0, 0, 0]])
    # Own ratings in the wave's months: a's 2024-02 rating counts in waves 1 and 3.
    check("n_ratings", [[3, 1, 1], [0, 1, 0], [0, 0, 0], [0, 0, 0]])
    check("appreciation", [[7, 5, 6], [nan] * 3, [nan] * 3, [nan] * 3])
    # Mean change of a's indicators at the wave's month (indicator_change, 3-month
    # baseline and window): own = 0 / 3 / -0.5 (baseline 2; levels 2, 5, 1.5);
    # own2 (decrease, baseline 8) = 2 / NaN (no 2024-06 value) / 0.
    check("indicator_change", [[1, 3, -0.25], [nan] * 3, [nan] * 3, [nan] * 3])
    # Slopes on waves 1, 2, 3 (least squares, by hand): a's hours per month 2, 2, 0 fall
    # by 1 per wave, mean 4/3; its own ratings 7, 5, 6 fall by 0.5. b's hours per month
    # 4/3, 3, 4 rise by 4/3 per wave, mean 25/9: growth 0.48; its value 3.5, 2, 1 falls
    # by 1.25 per wave. c has hours per month in two waves only (fewer than
    # FlagRule.min_waves = 3), d in none: no slopes.
    per_partner = case.drop_duplicates("partner_id").set_index("partner_id")
    np.testing.assert_allclose(per_partner["hours_growth"], [-0.75, 0.48, nan, nan])
    np.testing.assert_allclose(per_partner["value_slope"], [nan, -1.25, nan, nan])
    np.testing.assert_allclose(per_partner["appreciation_slope"], [-0.5, nan, nan, nan])
    assert per_partner["flag"].tolist() == [False, True, False, False]
    without = value.business_case(data, config)
    assert without["n_ratings"].tolist() == [0] * 12
    assert without["appreciation"].isna().all()


@pytest.fixture(scope="module", params=EXAMPLE_NETWORKS)
def example(request):
    config = load_config(request.param, ROOT / "config")
    data = load_network(config, ROOT / "data")
    appreciation = value.load_appreciation(config, ROOT / "data")
    truth = json.loads((ROOT / "data" / request.param / "ground_truth.json").read_text())
    return config, data, appreciation, truth


def test_business_case_flags_the_planted_partner_only(example):
    config, data, appreciation, truth = example
    case = value.business_case(data, config, appreciation)
    flagged = set(case.loc[case["flag"], "partner_id"])
    # ground truth: the value partner's hours rise 4%/month while its ratings fall
    assert flagged == {truth["value"]["partner_id"]}
    assert set(case.columns) >= {
        "partner_id",
        "period",
        "hours",
        "costs_eur",
        "partner_value",
        "appreciation",
        "flag",
    }
    own = case[case["partner_id"] == truth["value"]["partner_id"]]
    expected = truth["value"]["observed_mean_value_rating"]
    # the ground truth averages each item over dyads, then the items; partner_trust
    # averages the items per dyad first: equal up to the 2% missing ratings.
    assert own["partner_value"].tolist() == pytest.approx(
        [expected[str(w)] for w in own["wave"]], abs=0.05
    )
    assert len(case) == len(data.partners) * len(config.study.waves)


def test_value_matrix_shows_planted_disagreement(example):
    config, data, appreciation, truth = example
    planted = truth["appreciation"]["disagreement"]
    matrix = value.value_matrix(data.indicators, appreciation, config)
    flagged = matrix[matrix["disagree"]].drop_duplicates(["period", "perspective", "form"])
    assert set(zip(flagged["perspective"], flagged["form"], strict=True)) == {
        (planted["perspective"], planted["form"])
    }
    assert sorted(flagged["period"]) == truth["appreciation"]["periods"]
    residents = matrix[(matrix["stakeholder_group"] == "residents")]
    unrated = residents[residents["appreciation_status"] == "no data"]
    cells = {f"{p}/{f}" for p, f in zip(unrated["perspective"], unrated["form"], strict=True)}
    assert cells == set(truth["appreciation"]["unrated_cells"]["residents"])


def test_figures_draw(example):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    config, data, appreciation, truth = example
    case = value.business_case(data, config, appreciation)
    partner = truth["value"]["partner_id"]
    fig = value.plot_business_case(case, partner, language="en")
    assert "Investment rises, value falls" in fig.axes[0].get_title()
    grid = value.plot_business_cases(case)
    panels = {ax.get_title(): ax for ax in grid.axes if ax.get_title()}
    assert sorted(panels) == sorted(case["partner_id"].unique())
    from matplotlib.colors import to_hex

    from netwerkonderzoek.figures import NEUTRAL, alt_text

    def framed(ax):
        spine = ax.spines["top"]
        return spine.get_visible() and to_hex(spine.get_edgecolor()) == to_hex(NEUTRAL["flag"])

    red = {pid for pid, ax in panels.items() if framed(ax)}
    assert red == set(case.loc[case["flag"], "partner_id"])
    matrix = value.value_matrix(data.indicators, appreciation, config)
    vm = value.plot_value_matrix(matrix, language="en")
    texts = [t.get_text() for ax in vm.axes for t in ax.texts]
    assert "no data" in texts
    # the panels: red where the groups disagree, bars as long as the mean rating
    last = matrix[matrix["period"] == matrix["period"].max()]
    ratings = last[last["row_type"] == "appreciation"]
    disagree = set(
        ratings.loc[ratings["disagree"], ["perspective", "form"]].itertuples(index=False)
    )
    assert disagree  # the planted disagreement
    cells = dict(zip(value.CELLS, vm.axes, strict=True))
    assert {cell for cell, ax in cells.items() if framed(ax)} == disagree
    for cell, ax in cells.items():
        rated = ratings[
            (ratings["perspective"] == cell[0])
            & (ratings["form"] == cell[1])
            & (ratings["appreciation_status"] == "rated")
        ]
        bars = {value.GROUPS[round(b.get_y() + b.get_height() / 2)]: b for b in ax.patches}
        expected = dict(zip(rated["stakeholder_group"], rated["appreciation"], strict=True))
        assert {g: 1 + b.get_width() for g, b in bars.items()} == pytest.approx(expected)
    assert alt_text(vm).startswith("Value matrix ") and alt_text(vm).count(";") == 5
    plt.close("all")


def test_wijk_noord_monetisation_applies_its_shares_and_range():
    config = load_config("wijk-noord", ROOT / "config")
    data = load_network(config, ROOT / "data")
    money = value.monetise(config, data.indicators, data.contributions)
    assert sorted(money.table["indicator_id"]) == ["huurachterstanden", "overlastmeldingen"]
    low, central, high = money.gross
    assert 0 < low < central < high
    # net = gross x (1 - deadweight 0.25) x (1 - attribution 0.4) x (1 - displacement 0.1)
    assert money.net == pytest.approx(tuple(g * 0.75 * 0.6 * 0.9 for g in money.gross))
    # the rent arrears proxy is the housing corporation's, not society's
    assert money.by_perspective["perspective"].tolist() == ["societal", "partner"]
    assert money.summary().splitlines()[1].startswith("Waarde voor partners: ")
    assert money.ratio == pytest.approx(tuple(n / money.investment_eur for n in money.net))
    assert money.investment_eur == pytest.approx(data.contributions["costs_eur"].sum())
    # the example's proxies say they are illustrative, and the caveat comes with the figure
    assert all(
        ind.proxy.source.startswith("Illustratief") for ind in config.indicators if ind.proxy
    )
    assert "nooit alle waarde" in money.caveat
