"""Control charts of an indicator series (heartbeat.spc): rules, limits, phases, calibration.

Expected values are hand-computed (in the comments), qicharts2's documented
summary (24 points: longest run at most 8, at least 8 crossings), the exact
false-alarm probability of Anhøj's rules (dynamic programming over the
arrangements of the signs) and the rule definitions of NHSRplotthedots (Making
Data Count).
"""

from __future__ import annotations

import math
import re
from functools import cache

import numpy as np
import pandas as pd
import pytest

from netwerkonderzoek.heartbeat import Phase, runs_analysis, spc


def series(values, start="2023-01", **columns) -> pd.DataFrame:
    months = pd.period_range(start, periods=len(values), freq="M").astype(str)
    return pd.DataFrame({"period": months, "value": values, **columns})


STABLE = [10, 12, 11, 13, 10, 12, 11, 12, 10, 13, 11, 12]  # mean 137/12 = 11.4167


# --- runs analysis (Anhøj) ------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "longest_max", "crossings_min"),
    # by hand: round(log2 n) + 3, and the 5 % quantile of Binomial(n - 1, 0.5), e.g.
    # n = 10: P(X <= 1) = 10/512 < .05 <= P(X <= 2) = 46/512; 24: qicharts2's summary()
    # example (longest.run.max 8, n.crossings.min 8)
    [(10, 6, 2), (12, 7, 3), (16, 7, 4), (20, 7, 6), (24, 8, 8), (30, 8, 10)],
)
def test_runs_limits_match_the_published_table(n, longest_max, crossings_min):
    result = runs_analysis(np.tile([1.0, -1.0], n // 2), centre=0.0)
    assert (result["n_useful"], result["longest_run_max"], result["crossings_min"]) == (
        n,
        longest_max,
        crossings_min,
    )


def test_points_on_the_centre_are_not_useful_and_a_long_run_signals():
    # centre 2: the 2 is not useful; sides - - - - - - - - + - + - + (13 useful);
    # longest run 8 > round(log2 13) + 3 = 7; 6 runs, 5 crossings >= qbinom(.05, 12, .5) = 3
    values = [1, 1, 1, 2, 1, 1, 1, 1, 1, 3, 1, 3, 1, 3]
    result = runs_analysis(values, centre=2.0)
    assert (result["n_useful"], result["longest_run"], result["longest_run_max"]) == (13, 8, 7)
    assert (result["crossings"], result["crossings_min"], result["signal"]) == (5, 3, True)
    assert runs_analysis(values)["centre"] == 1.0  # the median by default


def test_runs_analysis_of_nothing_useful_gives_no_signal():
    result = runs_analysis([4.0, 4.0, math.nan])
    assert result["n_useful"] == 0 and result["signal"] is False
    assert result["longest_run"] is None


def _exact_anhoej_false_alarm(n: int) -> float:
    """P(signal) for n continuous i.i.d. points around their own median (n even).

    Exactly n/2 points lie above and n/2 below, every arrangement equally
    likely: count the arrangements with longest run <= max and crossings >=
    min by dynamic programming over (above left, below left, side, run length,
    crossings).
    """
    half = n // 2
    max_run = round(math.log2(n)) + 3
    from scipy.stats import binom

    min_crossings = int(binom.ppf(0.05, n - 1, 0.5))

    @cache
    def count(above: int, below: int, side: int, run: int, crossings: int) -> int:
        if above == 0 and below == 0:
            return int(crossings >= min_crossings)
        total = 0
        for new_side, left in ((1, above), (-1, below)):
            if left == 0:
                continue
            new_run = run + 1 if new_side == side else 1
            if new_run > max_run:
                continue
            total += count(
                above - (new_side == 1),
                below - (new_side == -1),
                new_side,
                new_run,
                crossings + (side != 0 and new_side != side),
            )
        return total

    calm = count(half, half, 0, 0, 0)
    return 1 - calm / math.comb(n, half)


def test_anhoej_false_alarm_rate_is_the_exact_one():
    """Size: the share of in-control series of 24 months with a signal, simulated through
    spc(rules="anhoej", baseline=24: the median of all 24), matches the exact probability
    (dynamic programming: 3.06 %). With the median frozen from the first 12 (the
    default) the rate is higher, about 7 %: the module notes say so."""
    exact = _exact_anhoej_false_alarm(24)
    assert exact == pytest.approx(0.030607, abs=1e-6)
    rng = np.random.default_rng(20)
    reps = 600
    hits = sum(
        bool(
            (spc(series(rng.normal(size=24)), rules="anhoej", baseline=24)["signals"] != "").any()
        )
        for _ in range(reps)
    )
    se = math.sqrt(exact * (1 - exact) / reps)
    assert abs(hits / reps - exact) < 3 * se, (hits / reps, exact)


def test_false_alarms_and_power_of_the_rule_sets():
    """Calibration of mdc and western_electric on 24 in-control normal months (12 to
    freeze the limits): about 29 % of series show at least one signal (1,000 runs in
    the module notes; the price of four rules together), and a shift of 2 sigma in the
    last 8 months is found in about 96 %."""
    rng = np.random.default_rng(5)
    reps = 300
    for rules in ("mdc", "western_electric"):
        alarms = sum(
            bool((spc(series(rng.normal(size=24)), rules=rules)["signals"] != "").any())
            for _ in range(reps)
        )
        found = 0
        for _ in range(reps):
            y = rng.normal(size=24)
            y[-8:] += 2.0
            found += bool((spc(series(y), rules=rules).iloc[-8:]["signals"] != "").any())
        assert 0.22 < alarms / reps < 0.37, (rules, alarms / reps)
        assert found / reps > 0.9, (rules, found / reps)


# --- Making Data Count ----------------------------------------------------------------


def test_xmr_limits_are_frozen_from_the_baseline_by_hand():
    # baseline = STABLE: mean 11.41667; moving ranges 2,1,2,3,2,1,1,2,3,2,1 -> 20/11;
    # sigma = (20/11)/1.128 = 1.611864; limits 11.41667 -+ 4.835590
    table = spc(series([*STABLE, 11, 12, 30]))
    assert table["centre"].unique() == pytest.approx([137 / 12])
    assert table["lower"].iloc[-1] == pytest.approx(137 / 12 - 3 * (20 / 11) / 1.128)
    assert table["upper"].iloc[0] == pytest.approx(16.252257, abs=1e-6)
    assert table["limits"].unique().tolist() == ["frozen"]
    assert table["signals"].tolist() == [""] * 14 + ["astronomical"]
    assert table["direction"].iloc[-1] == "neutral"  # no direction given


def test_two_in_three_flags_the_points_beyond_two_sigma_on_one_side():
    # two sigma above the centre: 11.41667 + 2 * 1.611864 = 14.64; 15 and 15.5 beyond,
    # 12 between them on the same side: the two are flagged, not the 12
    table = spc(series([*STABLE, 15, 12, 15.5]), direction="decrease")
    assert table["signals"].iloc[-3:].tolist() == ["two_in_three", "", "two_in_three"]
    assert table["direction"].iloc[-3:].tolist() == ["concern", "", "concern"]
    # the same pattern with the middle point below the centre is no signal
    calm = spc(series([*STABLE, 15, 11, 15.5]))
    assert calm["signals"].iloc[-3:].tolist() == ["", "", ""]


def test_shift_and_trend_need_their_full_length_and_break_on_ties():
    # STABLE ends 11 (below the centre 11.42), 12 (above)
    shift = spc(series([*STABLE, *[12] * 5, 11.0, *[12] * 6]), direction="increase")
    assert (shift["signals"] != "").sum() == 0  # 6 above, a point below, 6: no run of 7
    longer = spc(series([*STABLE, *[12] * 6]), direction="increase")
    assert longer["signals"].iloc[-8:].tolist() == ["", *["shift"] * 7]
    assert longer["direction"].iloc[-7:].unique().tolist() == ["improvement"]
    on_centre = spc(series(STABLE + [12] * 3 + [137 / 12] + [12] * 3))
    assert (on_centre["signals"] != "").sum() == 0  # a point on the centre ends a run
    rising = [9, 9.5, 10, 10.5, 11, 11.5, 12]  # 7 points, each higher than the one before
    trend = spc(series(STABLE + rising), direction="decrease")
    assert trend["signals"].iloc[-7:].tolist() == ["trend"] * 7
    assert trend["direction"].iloc[-7:].unique().tolist() == ["concern"]
    flat = spc(series([*STABLE, 9, 9.5, 10, 10, 11, 11.5, 12]))
    assert (flat["signals"].iloc[-7:] != "").sum() == 0  # an equal value ends a trend
    assert spc(series(STABLE + rising[:6]), trend=6)["signals"].iloc[-6:].tolist() == ["trend"] * 6


def test_short_phases_have_trial_limits_or_none():
    trial = spc(series([*STABLE[:9], 40]))  # 10 points: trial limits from all 10
    assert trial["limits"].unique().tolist() == ["trial"]
    assert trial["centre"].iloc[0] == pytest.approx(np.mean([*STABLE[:9], 40]))
    none = spc(series(STABLE[:7]))  # 7 points: below min_points, no limits, no signals
    assert none["limits"].unique().tolist() == ["none"]
    assert none[["centre", "lower", "upper"]].isna().all().all()
    assert (none["signals"] == "").all()


def test_phases_recompute_the_limits_only_where_named():
    values = [*STABLE, 20, 22, 21, 23, 20, 22, 21, 22, 20, 23, 21, 22]
    one = spc(series(values), direction="increase")
    assert one["signals"].iloc[12:].str.contains("shift").all()  # one phase: a shift
    two = spc(series(values), phases=[Phase("2024-01", "nieuwe werkwijze")])
    assert two["phase"].tolist() == [1] * 12 + [2] * 12
    assert two["phase_reason"].iloc[-1] == "nieuwe werkwijze"
    assert two["phase_start"].unique().tolist() == ["2023-01", "2024-01"]
    assert two["centre"].iloc[-1] == pytest.approx(np.mean(values[12:]))
    assert (two["signals"] == "").all()


def test_laney_p_prime_limits_by_hand():
    # counts 10, 20, 15, 30 of 100, 200, 100, 200: p-bar = 75 / 600 = 0.125;
    # sigma_i = sqrt(0.125 * 0.875 / n_i) = 0.0330719 (n 100), 0.0233854 (n 200);
    # z = -0.755929, -1.069045, 0.755929, 1.069045; mean |dz| = 0.817069;
    # sigma_z = 0.817069 / 1.128 = 0.724352; limits 0.125 -+ 3 sigma_i sigma_z
    data = series([10, 20, 15, 30], denominator=[100, 200, 100, 200])
    table = spc(data, chart="p", baseline=4, min_points=4)
    assert table["value"].tolist() == pytest.approx([0.1, 0.1, 0.15, 0.15])
    assert table["lower"].tolist() == pytest.approx(
        [0.0531330, 0.0741823, 0.0531330, 0.0741823], abs=1e-6
    )
    assert table["upper"].tolist() == pytest.approx(
        [0.1968670, 0.1758177, 0.1968670, 0.1758177], abs=1e-6
    )
    assert table[["count", "denominator"]].iloc[1].tolist() == [20.0, 200.0]


def test_laney_u_prime_and_limits_within_the_range():
    # u-bar = 12 / 40 = 0.3 per unit; a lower limit below 0 is not drawn
    data = series([1, 5, 2, 4], denominator=[10, 10, 10, 10])
    table = spc(data, chart="u", baseline=4, min_points=4)
    assert table["centre"].iloc[0] == pytest.approx(0.3)
    z = (np.array([0.1, 0.5, 0.2, 0.4]) - 0.3) / math.sqrt(0.3 / 10)
    sigma = math.sqrt(0.3 / 10) * np.abs(np.diff(z)).mean() / 1.128
    assert table["upper"].iloc[0] == pytest.approx(0.3 + 3 * sigma)
    assert table["lower"].isna().all()  # 0.3 - 3 sigma < 0


def test_assurance_against_a_target():
    up = spc(series(STABLE), direction="increase", target=5)  # below the whole band
    assert up["assurance"].unique().tolist() == ["consistent_pass"]
    down = spc(series(STABLE), direction="decrease", target=5)
    assert down["assurance"].unique().tolist() == ["consistent_fail"]
    inside = spc(series(STABLE), direction="increase", target=12)
    assert inside["assurance"].unique().tolist() == ["inconsistent"]
    short = spc(series(STABLE[:5]), direction="increase", target=12)
    assert short["assurance"].unique().tolist() == ["insufficient_data"]
    assert spc(series(STABLE))["assurance"].isna().all()


def test_the_indicators_table_is_read_per_indicator_and_area():
    rows = pd.DataFrame(
        {
            "indicator_id": ["a"] * 24 + ["b"] * 12,
            "area": (["noord", "zuid"] * 12) + ["noord"] * 12,
            "period": [p for p in series(STABLE)["period"] for _ in (0, 1)]
            + list(series(STABLE)["period"]),
            "value": [v for v in STABLE for _ in (0, 1)] + [1.0] * 12,
        }
    )
    table = spc(rows, indicator="a")
    assert table["value"].tolist() == pytest.approx(STABLE)  # mean over the two areas
    assert table["indicator_id"].unique().tolist() == ["a"]
    assert len(spc(rows, indicator="a", area="zuid")) == 12


def test_anhoej_rules_on_a_series():
    # 8 low then 8 high around the median 5 of all 16 (baseline=16): two runs of 8 >
    # round(log2 16) + 3 = 7, and 1 crossing < qbinom(.05, 15, .5) = 4
    values = [1, 2] * 4 + [9, 8] * 4
    table = spc(series(values), rules="anhoej", direction="increase", baseline=16)
    assert table["centre"].unique().tolist() == [5.0]
    assert table["lower"].isna().all() and table["upper"].isna().all()
    assert table["signals"].unique().tolist() == ["long_run; few_crossings"]
    # the side of the long run decides; few crossings has no side
    assert table["direction"].tolist() == ["concern"] * 8 + ["improvement"] * 8
    assert table[["longest_run", "longest_run_max", "crossings", "crossings_min"]].iloc[
        0
    ].tolist() == [8, 7, 1, 4]
    assert spc(series(values), rules="anhoej", direction="increase", target=3)[
        "assurance"
    ].unique().tolist() == ["insufficient_data"]  # a run chart has no limits


# --- bad input ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"shift": 1},
            "The 'shift' parameter of spc must be a whole number of at least 2 points. "
            "Got 1 instead.",
        ),
        (
            {"trend": 0},
            "The 'trend' parameter of spc must be a whole number of at least 2 points. "
            "Got 0 instead.",
        ),
        (
            {"target": 3.0},
            "a target (3.0) needs the indicator's direction (increase or decrease) to say "
            "whether it is met",
        ),
        (
            {"phases": [Phase("2025-06", "nieuw beleid")]},
            "phase 2 starts in 2025-06, outside the series's months after its first: "
            "2023-01 to 2023-12",
        ),
        (
            {"phases": [Phase("2023-01", "nieuw beleid")]},
            "phase 2 starts in 2023-01, outside the series's months after its first: "
            "2023-01 to 2023-12",
        ),
        (
            {"phases": [Phase("2023-08", "b"), Phase("2023-05", "a")]},
            "phase 3 starts in 2023-05, not after phase 2 (2023-08); expected the phases "
            "in date order",
        ),
        ({"phases": [Phase("2023-08", " ")]}, "phase 2 (from 2023-08) needs a reason"),
        (
            {"rules": "nelson"},
            "The 'rules' parameter of spc must be one of mdc, anhoej, western_electric. "
            "Got 'nelson' instead.",
        ),
        (
            {"chart": "p"},
            "spc with chart='p' needs the columns ['period', 'value', 'denominator']; the "
            "series lacks ['denominator']",
        ),
    ],
)
def test_bad_input_gets_a_specific_error(kwargs, message):
    with pytest.raises(ValueError) as err:
        spc(series(STABLE), **kwargs)
    assert str(err.value).startswith(message)


def test_bad_counts_and_months_are_refused():
    with pytest.raises(ValueError, match=r"period 2023-02: a p chart counts a share, so the"):
        spc(series([1, 12], denominator=[10, 10]), chart="p")
    with pytest.raises(ValueError, match=r"period '2023-13' is not a month; expected YYYY-MM"):
        spc(pd.DataFrame({"period": ["2023-12", "2023-13"], "value": [1.0, 2.0]}))
    with pytest.raises(ValueError, match=r"indicator 'x' is not in the table; expected one of"):
        spc(series(STABLE).assign(indicator_id="a"), indicator="x")


# --- the simulator's ground truth and the network's config ----------------------------


@pytest.fixture(scope="module")
def network():
    from netwerkonderzoek.simulate import DEFAULT_SEED, simulate_network

    return simulate_network("wijk-noord", DEFAULT_SEED)  # the shipped example


def test_the_planted_drop_in_nuisance_reports_is_an_improvement_from_its_month(network):
    """wijk-noord's ground truth: nuisance reports fall by 1.5 per 1,000 from 2023-03 in
    the three areas of the new neighbourhood team. Limits frozen from the 8 months before:
    the first signal is in 2023-03, every month from then on signals, all improvements."""
    truth = network.ground_truth["indicators"]
    rows = network.tables["indicators"]
    rows = rows[
        (rows["indicator_id"] == truth["indicator_id"]) & rows["area"].isin(truth["treated_areas"])
    ]
    table = spc(rows, direction="decrease", baseline=8, min_points=8)
    flagged = table[table["signals"] != ""]
    assert flagged["period"].min() == truth["start_period"] == "2023-03"
    assert flagged["period"].tolist() == table.loc[table["period"] >= "2023-03", "period"].tolist()
    assert flagged["direction"].unique().tolist() == ["improvement"]


def test_indicator_spc_applies_the_config(network):
    from netwerkonderzoek.config import NetworkConfig
    from netwerkonderzoek.heartbeat import indicator_spc, spc_summary

    config = dict(network.config)
    config["indicators"] = [
        {**spec, "target": 5.0} if spec["id"] == "overlastmeldingen" else spec
        for spec in config["indicators"]
    ]
    config["heartbeat"] = {
        "rules": "mdc",
        "shift": 8,
        "phases": [
            {"start": "2023-03", "reason": "wijkteam", "indicators": ["overlastmeldingen"]}
        ],
    }
    config = NetworkConfig.model_validate(config)
    table = indicator_spc(network.tables["indicators"], config)
    assert list(dict.fromkeys(table["indicator_id"])) == [s.id for s in config.indicators]
    nuisance = table[table["indicator_id"] == "overlastmeldingen"]
    assert nuisance["phase"].max() == 2 and nuisance["phase_reason"].iloc[-1] == "wijkteam"
    others = table[table["indicator_id"] != "overlastmeldingen"]
    assert others["phase"].unique().tolist() == [1]
    # 8 months before the team (trial limits 5.08-6.08): the target 5.0 is always missed;
    # from 2023-03 (frozen 4.56-5.73) it is sometimes met
    assert nuisance.groupby("phase")["limits"].first().tolist() == ["trial", "frozen"]
    assert nuisance.groupby("phase")["assurance"].first().tolist() == [
        "consistent_fail",
        "inconsistent",
    ]
    assert others["assurance"].isna().all()
    summary = spc_summary(table, config, language="en")
    assert summary.columns.tolist() == [
        "Indicator",
        "Limits",
        "Months with a signal",
        "Latest signal",
        "Target",
    ]
    assert summary["Indicator"].iloc[0] == "Nuisance reports per 1,000 residents"


@pytest.mark.parametrize(
    ("heartbeat", "message"),
    [
        (
            {"shift": 1},
            "key 'heartbeat.shift': Input should be greater than or equal to 2; got 1",
        ),
        (
            {"trend": 0},
            "key 'heartbeat.trend': Input should be greater than or equal to 2; got 0",
        ),
        (
            {"min_points": 20},
            "key 'heartbeat.min_points': min_points (20) cannot exceed baseline (12): trial "
            "limits are for phases shorter than the baseline",
        ),
        (
            {"phases": [{"start": "2030-01", "reason": "nieuw beleid"}]},
            "key 'heartbeat.phases.0.start': phase from 2030-01 lies outside the study's "
            "months after its first (2022-07 to 2024-12): limits can only be recalculated "
            "within the series",
        ),
        (
            {"phases": [{"start": "2023-06", "reason": "a"}, {"start": "2023-06", "reason": "b"}]},
            "key 'heartbeat.phases.1.start': phase starts must be in date order without "
            "repeats; 2023-06 follows 2023-06",
        ),
        (
            {"phases": [{"start": "2023-06", "reason": "a", "indicators": ["geluid"]}]},
            "key 'heartbeat.phases.0.indicators.0': indicator 'geluid' is not in the value "
            "definition (indicators: overlastmeldingen, bewonersinitiatieven, "
            "leefbaarheidsscore, casusoverleggen, doorverwijzingen-opgepakt, "
            "huurachterstanden)",
        ),
        (
            {"phases": [{"start": "2023-06"}]},
            "key 'heartbeat.phases.0.reason': required key is missing",
        ),
        (
            {"rules": "nelson"},
            "key 'heartbeat.rules': Input should be 'mdc', 'anhoej' or 'western_electric'; "
            "got 'nelson'",
        ),
    ],
)
def test_bad_heartbeat_settings_name_the_key(tmp_path, heartbeat, message):
    import shutil

    import yaml

    from netwerkonderzoek.config import load_config
    from netwerkonderzoek.exceptions import ConfigError

    from .conftest import ROOT

    (tmp_path / "networks").mkdir()
    shutil.copytree(ROOT / "config" / "theories", tmp_path / "theories")
    text = (ROOT / "config" / "networks" / "wijk-noord.yaml").read_text(encoding="utf-8")
    config = yaml.safe_load(text)
    config["heartbeat"] = heartbeat
    path = tmp_path / "networks" / "wijk-noord.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config("wijk-noord", tmp_path)
    assert str(err.value) == f"{path}, {message}"


def _share_config(**indicator):
    from netwerkonderzoek.config import NetworkConfig

    return NetworkConfig.model_validate(
        {
            "network_id": "x",
            "name": "X",
            "mission": "m",
            "task": "t",
            "study": {
                "start": "2024-01",
                "end": "2024-12",
                "waves": [{"wave": 1, "date": "2024-06-01"}],
            },
            "indicators": [
                {
                    "id": "opgepakt",
                    "label_nl": "Opgepakt",
                    "label_en": "Taken up",
                    "unit": "aantal",
                    "perspective": "societal",
                    "form": "direct",
                    "direction": "increase",
                    **indicator,
                }
            ],
        }
    )


def test_a_share_indicator_is_charted_as_laney_p_with_its_denominator():
    # the Laney example above, split over two areas per month: counts and denominators
    # are summed per month, so the limits are the hand-computed ones
    config = _share_config(chart="p", denominator="doorverwijzingen")
    months = series([0, 0, 0, 0])["period"].tolist()
    rows = []
    for month, count, total in zip(months, [10, 20, 15, 30], [100, 200, 100, 200], strict=True):
        for area, share in (("noord", 0.4), ("zuid", 0.6)):
            rows.append(("opgepakt", month, area, count * share))
            rows.append(("doorverwijzingen", month, area, total * share))
    table = pd.DataFrame(rows, columns=["indicator_id", "period", "area", "value"])
    config = config.model_copy(
        update={"heartbeat": config.heartbeat.model_copy(update={"baseline": 4, "min_points": 4})}
    )
    from netwerkonderzoek.heartbeat import indicator_spc

    chart = indicator_spc(table, config)
    assert chart["value"].tolist() == pytest.approx([0.1, 0.1, 0.15, 0.15])
    assert chart["lower"].tolist() == pytest.approx(
        [0.0531330, 0.0741823, 0.0531330, 0.0741823], abs=1e-6
    )
    missing = table[~((table["indicator_id"] == "doorverwijzingen") & (table["area"] == "zuid"))]
    with pytest.raises(ValueError) as err:
        indicator_spc(missing, config)
    assert str(err.value) == (
        "indicator 'opgepakt' (a p chart): 4 month(s) and area(s) have no denominator "
        "'doorverwijzingen' in the indicators table, first 2023-01 in 'zuid'"
    )


@pytest.mark.parametrize(
    ("indicator", "message"),
    [
        (
            {"chart": "p"},
            "a p chart needs denominator: the indicator id of the number at risk per month "
            "and area",
        ),
        (
            {"chart": "u"},
            "a u chart needs denominator: the indicator id of the exposure per month and area",
        ),
        (
            {"denominator": "doorverwijzingen"},
            "a denominator ('doorverwijzingen') is only for a p or u chart; set chart: p (a "
            "share) or u (a rate), or remove it",
        ),
        (
            {"chart": "p", "denominator": "opgepakt"},
            "the denominator of 'opgepakt' cannot be the indicator itself",
        ),
    ],
)
def test_a_chart_and_its_denominator_go_together(indicator, message):
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match=re.escape(message)):
        _share_config(**indicator)


def test_validate_reports_counts_without_their_denominator(tmp_path):
    from netwerkonderzoek.checks import chart_faults

    config = _share_config(chart="p", denominator="doorverwijzingen")
    table = pd.DataFrame(
        {
            "indicator_id": ["opgepakt"] * 3 + ["doorverwijzingen"] * 2,
            "period": ["2024-01", "2024-02", "2024-03", "2024-01", "2024-02"],
            "area": "noord",
            "value": [5.0, 6.0, 7.0, 10.0, 0.0],
        }
    )
    messages = [f.message for f in chart_faults(config, table, indicators_file="i.csv")]
    assert messages == [
        "indicator 'opgepakt' (a p chart): denominator 'doorverwijzingen' is 0 in 2024-02, "
        "noord; expected a number above 0",
        "indicator 'opgepakt' (a p chart) counts 6 in 2024-02, noord, more than its "
        "denominator 'doorverwijzingen' (0); a share cannot exceed it",
        "indicator 'opgepakt' (a p chart) has no denominator 'doorverwijzingen' for 2024-03, "
        "noord (1 month and area in all); expected a row of 'doorverwijzingen' for every "
        "month and area with a count",
    ]
