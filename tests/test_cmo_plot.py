"""The effect plot names the level its intervals have (issue 15).

Reference: a two-sided interval at alpha is a ``100 * (1 - alpha)`` % confidence
interval (alpha 0.10 -> 90%, 0.05 -> 95%, 0.01 -> 99%); the title said 95% for
any alpha.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from netwerkonderzoek import cmo
from netwerkonderzoek.cmo import EvidenceItem, verdicts


@pytest.fixture(autouse=True)
def _close_figures():
    import matplotlib.pyplot as plt

    yield
    plt.close("all")


def table(alphas, verdict="supported"):
    n = len(alphas)
    return pd.DataFrame(
        {
            "cmo_id": [f"cmo-{i + 1:02d}" for i in range(n)],
            "verdict": [verdict] * n,
            "estimate": [0.5] * n,
            "ci_low": [0.2] * n,
            "ci_high": [0.8] * n,
            "alpha": alphas,
        }
    )


@pytest.mark.parametrize(
    ("alpha", "language", "title"),
    [
        (
            0.10,
            "nl",
            "Effect binnen de context per CMO-configuratie (90%-betrouwbaarheidsinterval)",
        ),
        (0.10, "en", "Effect inside the context per CMO configuration (90% confidence interval)"),
        (
            0.05,
            "nl",
            "Effect binnen de context per CMO-configuratie (95%-betrouwbaarheidsinterval)",
        ),
        (0.01, "en", "Effect inside the context per CMO configuration (99% confidence interval)"),
        (
            0.025,
            "nl",
            "Effect binnen de context per CMO-configuratie (97,5%-betrouwbaarheidsinterval)",
        ),
    ],
)
def test_title_names_the_intervals_level(alpha, language, title):
    ax = cmo.plot_effects(table([alpha, alpha]), language=language)
    assert ax.get_title() == title
    assert "95" not in ax.get_title() or alpha == 0.05


def test_level_comes_from_the_verdicts_alpha_column():
    # the deciding item's alpha travels into the verdict table and onto the plot
    item = EvidenceItem(
        "cmo-01", "quantitative", "supports", estimate=0.4, ci_low=0.1, ci_high=0.7, alpha=0.1
    )
    verdict_table = verdicts([item])
    assert verdict_table["alpha"].tolist() == [0.1]
    assert "90%-betrouwbaarheidsinterval" in cmo.plot_effects(verdict_table).get_title()


def test_mixed_levels_are_said_per_row():
    ax = cmo.plot_effects(table([0.05, 0.10]), language="en")
    assert ax.get_title().endswith("(confidence intervals of different levels, per row)")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["cmo-01 (95%)", "cmo-02 (90%)"]
    nl = cmo.plot_effects(table([0.05, 0.025]))
    assert [t.get_text() for t in nl.get_yticklabels()] == ["cmo-01 (95%)", "cmo-02 (97,5%)"]


def test_rows_without_interval_do_not_count_toward_the_level():
    rows = table([0.10, math.nan])
    rows.loc[1, ["verdict", "estimate", "ci_low", "ci_high"]] = [
        "insufficient_data",
        math.nan,
        math.nan,
        math.nan,
    ]
    ax = cmo.plot_effects(rows, language="en")
    assert ax.get_title().endswith("(90% confidence interval)")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["cmo-01", "cmo-02"]


def test_unknown_level_is_not_called_95():
    ax = cmo.plot_effects(table([math.nan]).drop(columns="alpha"), language="en")
    assert ax.get_title().endswith("(interval of unknown confidence level)")
    nl = cmo.plot_effects(table([math.nan]))
    assert nl.get_title().endswith("(interval met onbekend betrouwbaarheidsniveau)")


def test_explicit_alpha_fills_an_unknown_level_and_must_agree():
    ax = cmo.plot_effects(table([math.nan, math.nan]), alpha=0.1, language="en")
    assert ax.get_title().endswith("(90% confidence interval)")
    assert "(90% " in cmo.plot_effects(table([0.1]), alpha=0.1, language="en").get_title()
    with pytest.raises(ValueError, match=r"Got 0\.05, but the table's rows cmo-02 \(alpha 0\.1\)"):
        cmo.plot_effects(table([0.05, 0.10]), alpha=0.05)
    with pytest.raises(ValueError, match=r"between 0 and 1\. Got 5 instead"):
        cmo.plot_effects(table([0.05]), alpha=5)


def test_interval_label():
    assert cmo.plot.interval_label(0.2) == "80%-betrouwbaarheidsinterval"
    assert cmo.plot.interval_label(0.001, "en") == "99.9% confidence interval"
