"""What the network yields: the value matrix, partner business cases, monetisation.

The network's **value definition** is in its configuration: every indicator
(:class:`~netwerkonderzoek.config.IndicatorSpec`) has a value *perspective*
(societal, network, partner), a *form* (direct: outside, for residents;
indirect: inside the organisations), an expected *direction* and optionally
the partner it concerns (Platform31 2022). This module turns indicators,
appreciation ratings, contributions and PARTNER ratings into three answers.

Value matrix (:func:`value_matrix`)
    Per period and cell (3 perspectives x 2 forms): each indicator's change
    since the **baseline** — the mean over areas and over the first
    :data:`BASELINE_MONTHS` months of the indicator's series — to its
    *level* at the period (mean over areas and over the
    :data:`BASELINE_MONTHS` months up to and including the period).
    ``change_raw = level - baseline``; ``change = change_raw`` for an
    indicator expected to increase and ``-change_raw`` for one expected to
    decrease, so a **positive change is an improvement**. Next to it, the
    appreciation of each stakeholder group (residents, partners, funders; mean
    rating 1-10, ``NaN`` = no data, never 0) and the CMO configurations with
    that perspective and form with their verdicts.

Disagreement (:func:`disagreement`)
    "Value is in the eye of the stakeholder": in a cell and period, among the
    groups with at least ``min_n`` ratings (default 3), the *range* of the
    group means (highest minus lowest). The cell is flagged when at least two
    groups rated it and the range is at least :data:`DISAGREEMENT_THRESHOLD`
    (1.5 points on the 1-10 scale).

Partner business case (:func:`business_case`)
    "What's in it for us?" Per partner and survey wave: what it puts in —
    hours and costs (contributions) in the wave's period, and per month on
    the roster — against what it gets: the PARTNER value the others attribute
    to it (mean of power/influence, involvement, resource contribution it
    receives, 1-4; :func:`netwerkonderzoek.network.partner_trust`), its own
    appreciation of its partner value (1-10) and the change of the
    partner-value indicators that concern it. A wave's period runs from the
    month after the previous wave's fieldwork month to its own (the first:
    from the first contribution), as in :mod:`netwerkonderzoek.heartbeat`.

    **Flag rule** (:data:`FLAG_RULE`), over the partner's waves, with
    ordinary least-squares slopes on the wave number and at least
    ``min_waves`` (3) waves with data: the investment *grows* when the slope
    of hours per roster month divided by its mean is at least
    ``hours_growth`` (+10 % per wave); perceived value *falls* when every
    available value slope is negative and the PARTNER value slope is at most
    ``value_slope`` (-0.10 per wave, 1-4 scale) or the own-appreciation
    slope at most ``appreciation_slope`` (-0.25 per wave, 1-10 scale).
    ``flag`` = grows and falls.

Monetisation (:func:`monetise`)
    Optional and partial. Where an indicator has a documented financial
    proxy (euros per unit of improvement in one area during one month, with
    source and year), the improvement after the baseline summed over areas
    and months is valued at the low, central and high proxy; the net value is
    ``gross x (1 - deadweight) x (1 - attribution)`` and the ratio is net
    value over the euros the partners put in (``costs_eur``). Numbers never
    capture all value: :data:`CAVEAT` is printed with every ratio.

References
----------
Deuten, J., Doevendans, P., & de Caluwé, M. (2022). *Werken in een netwerk,
wat levert het op?* Platform31.

Varda, D. M., Chandra, A., Stern, S. A., & Lurie, N. (2008). Core dimensions
of connectivity in public health collaboratives. *Journal of Public Health
Management and Practice* 14(5), E1-E7. https://doi.org/10.1097/01.PHH.0000333889.60517.46

Nicholls, J., Lawlor, E., Neitzert, E., & Goodspeed, T. (2012). *A guide to
Social Return on Investment*. The SROI Network.

Examples
--------
>>> import pandas as pd
>>> from netwerkonderzoek.value import disagreement
>>> ratings = pd.DataFrame({
...     "period": ["2024-01"] * 6, "perspective": ["societal"] * 6, "form": ["direct"] * 6,
...     "stakeholder_group": ["residents"] * 3 + ["partners"] * 3,
...     "rating": [4, 5, 6, 7, 8, 6]})
>>> disagreement(ratings)[["groups", "range", "disagree"]].to_dict("records")
[{'groups': 2, 'range': 2.0, 'disagree': True}]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .figures import check_language, label

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pandas as pd

    from .config import NetworkConfig

__all__ = [
    "BASELINE_MONTHS",
    "BUSINESS_CASE_COLUMNS",
    "CAVEAT",
    "CELLS",
    "DISAGREEMENT_THRESHOLD",
    "FLAG_RULE",
    "INDICATOR_FIELDS",
    "VALUE_MATRIX_COLUMNS",
    "FlagRule",
    "Monetisation",
    "appreciation_scores",
    "business_case",
    "business_case_summary",
    "disagreement",
    "indicator_change",
    "load_appreciation",
    "matrix_view",
    "monetise",
    "plot_business_case",
    "plot_business_cases",
    "plot_value_matrix",
    "survey_periods",
    "value_definition",
    "value_matrix",
]

PERSPECTIVES = ("societal", "network", "partner")
FORMS = ("direct", "indirect")
GROUPS = ("residents", "partners", "funders")
CELLS: tuple[tuple[str, str], ...] = tuple((p, f) for p in PERSPECTIVES for f in FORMS)
BASELINE_MONTHS = 3
DISAGREEMENT_THRESHOLD = 1.5
CAVEAT = {
    "nl": (
        "Let op: een bedrag vangt nooit alle waarde van het netwerk. Indirecte waarde, "
        "waardering en het gedeelde verhaal tellen niet mee in deze verhouding; lees haar "
        "naast de waardematrix en de verhalen, niet in plaats daarvan."
    ),
    "en": (
        "Caution: a sum of money never captures all the value of the network. Indirect "
        "value, appreciation and the shared story are not in this ratio; read it next to "
        "the value matrix and the stories, not instead of them."
    ),
}

#: What an indicator row of the value matrix tells (from :func:`indicator_change`).
INDICATOR_FIELDS = ("indicator_id", "indicator_label", "baseline", "level", "change_raw", "change")

VALUE_MATRIX_COLUMNS = (
    "period",
    "perspective",
    "form",
    "row_type",
    *INDICATOR_FIELDS,
    "stakeholder_group",
    "appreciation",
    "n_ratings",
    "appreciation_sd",
    "appreciation_status",
    "disagreement_range",
    "disagree",
    "cmo_ids",
    "verdicts",
)

BUSINESS_CASE_COLUMNS = (
    "partner_id",
    "name",
    "kind",
    "wave",
    "period",
    "months",
    "hours",
    "costs_eur",
    "hours_per_month",
    "costs_per_month",
    "partner_value",
    "raters",
    "appreciation",
    "n_ratings",
    "indicator_change",
    "hours_growth",
    "value_slope",
    "appreciation_slope",
    "flag",
)


@dataclass(frozen=True)
class FlagRule:
    """Thresholds of the business-case flag (see the module documentation)."""

    hours_growth: float = 0.10
    value_slope: float = -0.10
    appreciation_slope: float = -0.25
    min_waves: int = 3


FLAG_RULE = FlagRule()


def _require(data: pd.DataFrame, columns, what: str) -> None:
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise KeyError(
            f"{what} needs column(s) {', '.join(missing)}; got {', '.join(data.columns)}"
        )


def survey_periods(config: NetworkConfig) -> list[str]:
    """The months (``YYYY-MM``) of the survey waves: the periods of the value matrix."""
    return [f"{w.date:%Y-%m}" for w in config.study.waves]


def value_definition(config: NetworkConfig, language: str = "nl") -> pd.DataFrame:
    """The network's value definition as a table, one row per indicator.

    Examples
    --------
    >>> from netwerkonderzoek.config import NetworkConfig
    >>> config = NetworkConfig.model_validate({"network_id": "x", "name": "X",
    ...     "mission": "m", "task": "t", "study": {"start": "2024-01", "end": "2024-12",
    ...     "waves": [{"wave": 1, "date": "2024-02-01"}]},
    ...     "indicators": [{"id": "a", "label_nl": "A", "label_en": "A", "unit": "n",
    ...                     "perspective": "societal", "form": "direct",
    ...                     "direction": "decrease"}]})
    >>> value_definition(config)[["indicator_id", "perspective", "form", "direction"]]
      indicator_id perspective    form direction
    0            a    societal  direct  decrease
    """
    import pandas as pd

    check_language(language)
    rows = [
        {
            "indicator_id": s.id,
            "label": s.label_nl if language == "nl" else s.label_en,
            "unit": s.unit,
            "perspective": s.perspective,
            "form": s.form,
            "direction": s.direction,
            "partner_id": s.partner_id or "",
            "proxy_eur": s.proxy.value_eur if s.proxy else float("nan"),
            "proxy_source": f"{s.proxy.source} ({s.proxy.year})" if s.proxy else "",
        }
        for s in config.indicators
    ]
    return pd.DataFrame(
        rows,
        columns=[
            "indicator_id",
            "label",
            "unit",
            "perspective",
            "form",
            "direction",
            "partner_id",
            "proxy_eur",
            "proxy_source",
        ],
    )


def load_appreciation(config: NetworkConfig, data_dir: str | Path = "data") -> pd.DataFrame:
    """Read ``data_dir/<network_id>/appreciation.csv``, validated; empty if absent.

    The appreciation survey is optional: a network without the file gets an
    empty table (every cell then shows *no data*). The same table as
    ``load_network(config, data_dir).appreciation``
    (:func:`netwerkonderzoek.tables.load_table`).

    Raises
    ------
    ValidationError
        If the file breaks the ``appreciation`` schema, holds another network's
        rows or names a partner that is not in ``partners.csv``.
    """
    from .tables import load_table

    return load_table(config, "appreciation", data_dir)


def _add_months(period: str, months: int) -> str:
    year, month = int(period[:4]), int(period[5:7]) - 1 + months
    return f"{year + month // 12:04d}-{month % 12 + 1:02d}"


def indicator_change(
    indicators: pd.DataFrame,
    config: NetworkConfig,
    periods: list[str] | None = None,
    *,
    baseline_months: int = BASELINE_MONTHS,
    language: str = "nl",
) -> pd.DataFrame:
    """Change of every value-definition indicator since its baseline, per period.

    Parameters
    ----------
    indicators : DataFrame
        The canonical ``indicators`` table (``indicator_id``, ``period``,
        ``area``, ``value``).
    config : NetworkConfig
        Its ``indicators`` say perspective, form and direction.
    periods : list of str, optional
        Months to report (default :func:`survey_periods`).
    baseline_months : int
        Length of the baseline and of the window ending at each period.

    Returns
    -------
    DataFrame
        ``period``, ``indicator_id``, ``indicator_label``, ``perspective``,
        ``form``, ``direction``, ``partner_id``, ``unit``, ``baseline``,
        ``level``, ``change_raw`` and ``change`` (positive = improvement);
        ``level`` is NaN when the period has no data.

    Examples
    --------
    >>> import pandas as pd
    >>> from netwerkonderzoek.config import NetworkConfig
    >>> config = NetworkConfig.model_validate({"network_id": "x", "name": "X",
    ...     "mission": "m", "task": "t", "study": {"start": "2024-01", "end": "2024-12",
    ...     "waves": [{"wave": 1, "date": "2024-06-01"}]},
    ...     "indicators": [{"id": "a", "label_nl": "A", "label_en": "A", "unit": "n",
    ...                     "perspective": "societal", "form": "direct",
    ...                     "direction": "decrease"}]})
    >>> rows = pd.DataFrame({"indicator_id": "a", "area": "z",
    ...     "period": [f"2024-0{m}" for m in range(1, 7)], "value": [9., 10, 11, 6, 7, 8]})
    >>> indicator_change(rows, config)[["baseline", "level", "change_raw", "change"]]
       baseline  level  change_raw  change
    0      10.0    7.0        -3.0     3.0
    """
    import numpy as np
    import pandas as pd

    check_language(language)
    _require(indicators, ("indicator_id", "period", "value"), "indicator_change")
    if baseline_months < 1:
        raise ValueError(
            f"The 'baseline_months' parameter must be at least 1. Got {baseline_months} instead."
        )
    periods = list(periods) if periods is not None else survey_periods(config)
    monthly = indicators.groupby(["indicator_id", "period"])["value"].mean()
    rows = []
    for spec in config.indicators:
        series = monthly.loc[spec.id] if spec.id in monthly.index.get_level_values(0) else None
        series = series.sort_index() if series is not None else pd.Series(dtype=float)
        baseline = float(series.iloc[:baseline_months].mean()) if len(series) else np.nan
        sign = 1.0 if spec.direction == "increase" else -1.0
        for period in periods:
            window = [_add_months(period, -k) for k in range(baseline_months)]
            values = series.reindex(window).dropna()
            level = float(values.mean()) if period in series.index else np.nan
            raw = level - baseline
            rows.append(
                {
                    "period": period,
                    "indicator_id": spec.id,
                    "indicator_label": spec.label_nl if language == "nl" else spec.label_en,
                    "perspective": spec.perspective,
                    "form": spec.form,
                    "direction": spec.direction,
                    "partner_id": spec.partner_id or "",
                    "unit": spec.unit,
                    "baseline": baseline,
                    "level": level,
                    "change_raw": raw,
                    "change": sign * raw,
                }
            )
    columns = [
        "period",
        "indicator_id",
        "indicator_label",
        "perspective",
        "form",
        "direction",
        "partner_id",
        "unit",
        "baseline",
        "level",
        "change_raw",
        "change",
    ]
    return pd.DataFrame(rows, columns=columns)


def appreciation_scores(appreciation: pd.DataFrame) -> pd.DataFrame:
    """Mean appreciation per period, cell and stakeholder group.

    Returns
    -------
    DataFrame
        ``period``, ``perspective``, ``form``, ``stakeholder_group``,
        ``appreciation`` (mean rating), ``n_ratings``, ``appreciation_sd``.
        Only groups that rated the cell appear.
    """
    _require(
        appreciation,
        ("period", "perspective", "form", "stakeholder_group", "rating"),
        "appreciation_scores",
    )
    keys = ["period", "perspective", "form", "stakeholder_group"]
    ratings = appreciation.dropna(subset=["rating"]).astype({"rating": float})
    out = (
        ratings.groupby(keys)["rating"]
        .agg(appreciation="mean", n_ratings="count", appreciation_sd="std")
        .reset_index()
    )
    out["n_ratings"] = out["n_ratings"].astype(int)
    return out


def disagreement(
    appreciation: pd.DataFrame,
    *,
    threshold: float = DISAGREEMENT_THRESHOLD,
    min_n: int = 3,
) -> pd.DataFrame:
    """Where stakeholder groups disagree about a cell's value (see module docs).

    Returns
    -------
    DataFrame
        ``period``, ``perspective``, ``form``, ``groups`` (groups with at
        least ``min_n`` ratings), ``lowest``, ``highest`` (groups), ``range``
        of their means (NaN with fewer than two groups) and ``disagree``.
    """
    import numpy as np
    import pandas as pd

    scores = appreciation_scores(appreciation)
    scores = scores[scores["n_ratings"] >= min_n]
    rows = []
    for (period, perspective, form), group in scores.groupby(
        ["period", "perspective", "form"], sort=True
    ):
        ordered = group.sort_values(["appreciation", "stakeholder_group"])
        spread = (
            float(ordered["appreciation"].iloc[-1] - ordered["appreciation"].iloc[0])
            if len(ordered) >= 2
            else np.nan
        )
        rows.append(
            {
                "period": period,
                "perspective": perspective,
                "form": form,
                "groups": len(ordered),
                "lowest": ordered["stakeholder_group"].iloc[0],
                "highest": ordered["stakeholder_group"].iloc[-1],
                "range": round(spread, 10),
                "disagree": bool(len(ordered) >= 2 and spread >= threshold),
            }
        )
    columns = ["period", "perspective", "form", "groups", "lowest", "highest", "range", "disagree"]
    return pd.DataFrame(rows, columns=columns)


def _theory_cells(theory) -> pd.DataFrame:
    import pandas as pd

    if theory is None:
        return pd.DataFrame(columns=["cmo_id", "perspective", "form"])
    frame = theory if isinstance(theory, pd.DataFrame) else theory.to_frame()
    _require(frame, ("cmo_id", "perspective", "form"), "the theory table")
    return frame[["cmo_id", "perspective", "form"]]


def value_matrix(
    config: NetworkConfig,
    indicators: pd.DataFrame,
    appreciation: pd.DataFrame | None = None,
    *,
    theory=None,
    verdicts: pd.DataFrame | None = None,
    periods: list[str] | None = None,
    baseline_months: int = BASELINE_MONTHS,
    threshold: float = DISAGREEMENT_THRESHOLD,
    min_n: int = 3,
    language: str = "nl",
) -> pd.DataFrame:
    """The value matrix per period: indicators, appreciation and verdicts per cell.

    Parameters
    ----------
    config : NetworkConfig
    indicators : DataFrame
        Canonical ``indicators`` table.
    appreciation : DataFrame, optional
        Canonical ``appreciation`` table (:func:`load_appreciation`).
    theory : ProgrammeTheory or DataFrame, optional
        Configurations with ``perspective`` and ``form`` (``cmo_id`` column
        for a DataFrame).
    verdicts : DataFrame, optional
        ``cmo_id`` and ``verdict`` (:func:`netwerkonderzoek.cmo.verdicts`).
    periods : list of str, optional
        Months to report (default: the survey months).

    Returns
    -------
    DataFrame
        Long table, columns :data:`VALUE_MATRIX_COLUMNS`. Per period and
        cell: one ``row_type="indicator"`` row per indicator and one
        ``row_type="appreciation"`` row per stakeholder group (residents,
        partners, funders). A group that did not rate the cell has
        ``appreciation`` NaN, ``n_ratings`` 0 and ``appreciation_status``
        ``"no data"`` — never 0. Cell-level columns repeat on every row:
        ``disagreement_range``, ``disagree``, ``cmo_ids`` and ``verdicts``
        (``cmo-01=supported;...``).
    """
    import numpy as np
    import pandas as pd

    periods = list(periods) if periods is not None else survey_periods(config)
    change = indicator_change(
        indicators, config, periods, baseline_months=baseline_months, language=language
    )
    if appreciation is None or appreciation.empty:
        scores = pd.DataFrame(
            columns=["period", "perspective", "form", "stakeholder_group", "appreciation"]
        )
        disagree = pd.DataFrame(columns=["period", "perspective", "form", "range", "disagree"])
    else:
        scores = appreciation_scores(appreciation)
        disagree = disagreement(appreciation, threshold=threshold, min_n=min_n)
    cells = _theory_cells(theory)
    verdict_of = {}
    if verdicts is not None:
        _require(verdicts, ("cmo_id", "verdict"), "value_matrix verdicts")
        verdict_of = dict(zip(verdicts["cmo_id"], verdicts["verdict"], strict=True))
    # Lookups as dictionaries, built once: no pandas call per period and cell.
    score_of = {
        (p, s, f, g): (float(a), int(n), float(sd))
        for p, s, f, g, a, n, sd in zip(
            scores["period"],
            scores["perspective"],
            scores["form"],
            scores["stakeholder_group"],
            scores["appreciation"],
            scores["n_ratings"] if "n_ratings" in scores else [],
            scores["appreciation_sd"] if "appreciation_sd" in scores else [],
            strict=True,
        )
    }
    disagree_of = {
        (p, s, f): (float(r), bool(d))
        for p, s, f, r, d in zip(
            disagree["period"],
            disagree["perspective"],
            disagree["form"],
            disagree["range"],
            disagree["disagree"],
            strict=True,
        )
    }
    ids_of: dict[tuple[str, str], list[str]] = {}
    for perspective, form, cmo_id in zip(
        cells["perspective"], cells["form"], cells["cmo_id"], strict=True
    ):
        ids_of.setdefault((perspective, form), []).append(cmo_id)
    indicators_of: dict[tuple[str, str, str], list[dict]] = {}
    for record in change[["period", "perspective", "form", *INDICATOR_FIELDS]].to_dict("records"):
        key = (record.pop("period"), record.pop("perspective"), record.pop("form"))
        indicators_of.setdefault(key, []).append(record)
    rows = []
    for period in periods:
        for perspective, form in CELLS:
            ids = ids_of.get((perspective, form), [])
            shared = {
                "period": period,
                "perspective": perspective,
                "form": form,
                "disagreement_range": np.nan,
                "disagree": False,
                "cmo_ids": ";".join(ids),
                "verdicts": ";".join(f"{i}={verdict_of[i]}" for i in ids if i in verdict_of),
            }
            if (period, perspective, form) in disagree_of:
                found = disagree_of[(period, perspective, form)]
                shared["disagreement_range"], shared["disagree"] = found
            for record in indicators_of.get((period, perspective, form), []):
                rows.append({**shared, "row_type": "indicator", **record})
            for group in GROUPS:
                score = score_of.get((period, perspective, form, group))
                rows.append(
                    {
                        **shared,
                        "row_type": "appreciation",
                        "stakeholder_group": group,
                        "appreciation": score[0] if score else np.nan,
                        "n_ratings": score[1] if score else 0,
                        "appreciation_sd": score[2] if score else np.nan,
                        "appreciation_status": "rated" if score else "no data",
                    }
                )
    out = pd.DataFrame(rows, columns=list(VALUE_MATRIX_COLUMNS))
    out["n_ratings"] = out["n_ratings"].astype("Int64")
    out["disagree"] = out["disagree"].astype(bool)
    for column in ("indicator_id", "indicator_label", "stakeholder_group", "appreciation_status"):
        out[column] = out[column].fillna("")
    return out


def _fmt(value: float, language: str, digits: int = 1) -> str:
    text = f"{value:+.{digits}f}" if digits else f"{value:+.0f}"
    return text.replace(".", ",") if language == "nl" else text


def _mark(value: float, language: str) -> str:
    text = f"{value:.1f}"
    return text.replace(".", ",") if language == "nl" else text


def matrix_view(
    matrix: pd.DataFrame, period: str | None = None, language: str = "nl", *, min_cell: int = 5
) -> pd.DataFrame:
    """The value matrix of one period as a readable 3 x 2 table of text.

    Rows are the perspectives, columns the forms (labels in ``language``).
    Each cell lists its indicators with their change (``+`` = improvement),
    the appreciation per group (``geen gegevens`` / ``no data`` where a
    group did not rate it), a disagreement warning and the CMO verdicts.
    ``period`` defaults to the last period of the matrix. Numbers of ratings
    below ``min_cell`` read ``n<5``, suppressed (missing) ones ``n=x``.
    """
    import pandas as pd

    check_language(language)
    period = period or sorted(matrix["period"].unique())[-1]
    part = matrix[matrix["period"] == period]
    if part.empty:
        raise ValueError(f"period {period!r} is not in the value matrix")
    table = {}
    for perspective, form in CELLS:
        cell = part[(part["perspective"] == perspective) & (part["form"] == form)]
        lines = []
        for _, row in cell[cell["row_type"] == "indicator"].iterrows():
            if pd.isna(row["change"]):
                lines.append(f"{row['indicator_label']}: {label('no_data', language)}")
            else:
                lines.append(f"{row['indicator_label']}: {_fmt(row['change'], language, 2)}")
        if not lines:
            lines.append(f"{label('indicators', language)}: {label('no_data', language)}")
        marks = []
        for _, row in cell[cell["row_type"] == "appreciation"].iterrows():
            name = label(row["stakeholder_group"], language)
            if row["appreciation_status"] == "no data":
                marks.append(f"{name} {label('no_data', language)}")
            else:
                n = row["n_ratings"]
                shown = "=x" if pd.isna(n) else f"<{min_cell}" if n < min_cell else f"={n}"
                marks.append(f"{name} {_mark(row['appreciation'], language)} (n{shown})")
        lines.append(f"{label('appreciation', language)}: " + " · ".join(marks))
        if len(cell) and bool(cell["disagree"].iloc[0]):
            spread = _mark(cell["disagreement_range"].iloc[0], language)
            lines.append(f"⚠ {label('disagreement', language)} ({spread})")
        verdicts = cell["verdicts"].iloc[0] if len(cell) else ""
        if verdicts:
            lines.append(
                "CMO: "
                + ", ".join(
                    f"{i} {label(v, language).lower()}"
                    for i, v in (item.split("=") for item in verdicts.split(";"))
                )
            )
        table[(perspective, form)] = "\n".join(lines)
    view = pd.DataFrame(
        [[table[(p, f)] for f in FORMS] for p in PERSPECTIVES],
        index=[label(p, language) for p in PERSPECTIVES],
        columns=[label(f, language) for f in FORMS],
    )
    view.index.name = period
    return view


def _slope(x, y) -> float:
    import numpy as np

    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    keep = ~np.isnan(y)
    x, y = x[keep], y[keep]
    if len(x) < 2 or np.ptp(x) == 0:
        return float("nan")
    return float(np.polyfit(x, y, 1)[0])


def _month_ordinals(periods: pd.Series) -> tuple[np.ndarray, pd.PeriodIndex]:
    """``YYYY-MM`` values as month ordinals (NaT for missing), and their distinct months.

    Each distinct string is parsed once: ``pd.PeriodIndex`` parses string by string,
    which is most of the work for a table of a few thousand rows.
    """
    import pandas as pd

    codes, labels = pd.factorize(periods.astype(str), use_na_sentinel=False)
    months = pd.PeriodIndex(labels, freq="M")
    return months.asi8[codes], months


def _roster_bounds(partners: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Per partner, the month ordinals ``[first, stop)`` it is on the roster.

    Month *m* counts if ``m >= joined`` month and (``left`` is missing or
    ``left > m.start_time``). Month starts increase with *m*, so the second
    condition holds for the months before ``P`` (the month of ``left``) and for
    ``P`` itself when ``left`` is later than its start. A missing ``joined``
    (NaT) admits no month.
    """
    import numpy as np
    import pandas as pd

    never = np.iinfo(np.int64).max
    first = np.full(len(partners), never, dtype=np.int64)
    stop = np.full(len(partners), never, dtype=np.int64)
    lefts = partners["left"].tolist() if "left" in partners.columns else [None] * len(partners)
    for k, (joined, left) in enumerate(zip(partners["joined"].tolist(), lefts, strict=True)):
        joined = pd.Period(pd.Timestamp(joined), freq="M")
        if not pd.isna(joined):
            first[k] = joined.ordinal
        if not pd.isna(left):
            left = pd.Timestamp(left)
            month = pd.Period(left, freq="M")
            stop[k] = month.ordinal + (left > month.start_time)
    return first, stop


def business_case(
    data,
    config: NetworkConfig,
    appreciation: pd.DataFrame | None = None,
    *,
    rule: FlagRule = FLAG_RULE,
) -> pd.DataFrame:
    """Per partner and wave: what it puts in against what it gets (see module docs).

    Parameters
    ----------
    data : NetworkData
        Needs ``partners``, ``contributions``, ``ties`` and ``indicators``.
    config : NetworkConfig
        Waves and the value definition.
    appreciation : DataFrame, optional
        Canonical ``appreciation`` table; a partner's own appreciation is the
        mean of its ratings (group partners) of the partner-value cells in
        the wave's period.
    rule : FlagRule
        Thresholds of the flag.

    Returns
    -------
    DataFrame
        Columns :data:`BUSINESS_CASE_COLUMNS`, one row per partner and wave
        (``period`` = the wave's fieldwork month). ``hours``/``costs_eur`` are
        totals in the wave's period, ``*_per_month`` per month the partner was
        on the roster. ``hours_growth``, ``value_slope``,
        ``appreciation_slope`` and ``flag`` are per partner (repeated).
    """
    import numpy as np
    import pandas as pd

    from .network.graphs import wave_months as network_wave_months
    from .network.trust import partner_trust

    # Whole-table work per distinct partner (k, in ``ids``) and wave (w), then spread
    # over the rows: partners sorted by id, then waves in config order.
    partners = data.partners.sort_values("partner_id")
    pids = partners["partner_id"].tolist()
    ids = list(dict.fromkeys(pids))
    code = {pid: k for k, pid in enumerate(ids)}
    row_code = np.array([code[pid] for pid in pids], dtype=np.intp)
    waves = config.study.waves
    periods = [f"{wave.date:%Y-%m}" for wave in waves]
    shape = (len(ids), len(waves))

    contributions = data.contributions
    contribution_month, distinct = _month_ordinals(contributions["period"])
    first = distinct.min() if len(contributions) else None
    wave_months = network_wave_months(config.wave_dates, first)
    months = [np.array([m.ordinal for m in wave_months[w.wave]], dtype=np.int64) for w in waves]

    # Hours and costs: per partner and month on a (partner x wave month) grid, zero
    # where nothing was spent. Summed row by row, as 1-D arrays: numpy's 2-D row sums
    # may add in another order than the pairwise sum of pandas' Series.sum.
    spent = (
        contributions[["partner_id", "hours", "costs_eur"]]
        .assign(month=contribution_month)
        .groupby(["partner_id", "month"])[["hours", "costs_eur"]]
        .sum()
    )
    calendar = np.unique(np.concatenate(months))
    levels, level_codes = spent.index.levels, spent.index.codes
    who = np.array([code.get(pid, -1) for pid in levels[0]], dtype=np.intp)[level_codes[0]]
    month = levels[1].to_numpy(dtype=np.int64)[level_codes[1]]
    when = np.searchsorted(calendar, month)
    hit = (who >= 0) & (when < len(calendar))
    hit[hit] = calendar[when[hit]] == month[hit]
    grids = []
    for column in ("hours", "costs_eur"):
        grid = np.zeros((len(ids), len(calendar)))
        grid[who[hit], when[hit]] = spent[column].to_numpy(dtype=float)[hit]
        grids.append(grid)
    hours, costs = np.zeros(shape), np.zeros(shape)
    for w, wave_month in enumerate(months):
        cols = np.searchsorted(calendar, wave_month)
        hours[:, w] = [row.sum() for row in grids[0][:, cols]]
        costs[:, w] = [row.sum() for row in grids[1][:, cols]]

    # Months on the roster, per partner row (a repeated id may have other dates).
    start, stop = _roster_bounds(partners)
    on_roster = np.stack(
        [((m >= start[:, None]) & (m < stop[:, None])).sum(axis=1) for m in months], axis=1
    ).astype(np.int64)

    received = partner_trust(data.ties)
    gets = {
        (wave, pid): (mean, count)
        for wave, pid, mean, count in zip(
            received["wave"].tolist(),
            received["partner_id"].tolist(),
            received["value"].tolist(),
            received["raters"].tolist(),
            strict=True,
        )
    }
    value, raters = np.full(shape, np.nan), np.zeros(shape, dtype=np.int64)
    for k, pid in enumerate(ids):
        for w, wave in enumerate(waves):
            got = gets.get((wave.wave, pid))
            if got is not None:
                value[k, w], raters[k, w] = got

    own = pd.DataFrame(columns=["period", "partner_id", "rating"])
    if appreciation is not None and len(appreciation):
        own = appreciation[
            (appreciation["stakeholder_group"] == "partners")
            & (appreciation["perspective"] == "partner")
            & appreciation["partner_id"].notna()
        ]
    own_month, _ = _month_ordinals(own["period"])
    own_code = np.array([code.get(pid, -1) for pid in own["partner_id"].tolist()], dtype=np.intp)
    own_rating = own["rating"].to_numpy(dtype=float)
    own_mean, n_ratings = np.full(shape, np.nan), np.zeros(shape, dtype=np.int64)
    for w, wave_month in enumerate(months):
        rows = np.flatnonzero(np.isin(own_month, wave_month) & (own_code >= 0))
        rows = rows[np.argsort(own_code[rows], kind="stable")]  # table order per partner
        rated_by = own_code[rows]
        n_ratings[:, w] = np.bincount(rated_by, minlength=len(ids))
        starts = np.flatnonzero(np.diff(rated_by, prepend=-1))
        for k, ratings in zip(
            rated_by[starts], np.split(own_rating[rows], starts)[1:], strict=True
        ):
            rated = ratings[~np.isnan(ratings)]
            if len(rated):
                own_mean[k, w] = rated.mean()

    change = indicator_change(data.indicators, config, survey_periods(config))
    change = change[(change["perspective"] == "partner") & (change["partner_id"] != "")]
    deltas: dict[tuple, list] = {}
    for pid, period, delta in zip(
        change["partner_id"].to_numpy(dtype=object),
        change["period"].astype(str).to_numpy(dtype=object),
        change["change"].to_numpy(dtype=float),
        strict=True,
    ):
        deltas.setdefault((pid, period), []).append(delta)
    indicator = np.full(shape, np.nan)
    for k, pid in enumerate(ids):
        for w, period in enumerate(periods):
            known = np.array(deltas.get((pid, period), []), dtype=float)
            known = known[~np.isnan(known)]
            if len(known):
                indicator[k, w] = known.mean()

    n = on_roster.ravel()
    hours, costs = hours[row_code].ravel(), costs[row_code].ravel()
    hours_per_month, costs_per_month = np.full(len(n), np.nan), np.full(len(n), np.nan)
    np.divide(hours, n, out=hours_per_month, where=n > 0)
    np.divide(costs, n, out=costs_per_month, where=n > 0)
    value, own_mean = value[row_code].ravel(), own_mean[row_code].ravel()
    wave_numbers = np.tile(np.array([wave.wave for wave in waves], dtype=np.int64), len(pids))

    # Slopes and flag per partner id, over its rows (adjacent: partners are sorted).
    bounds = np.concatenate([[0], np.cumsum(np.bincount(row_code, minlength=len(ids)))])
    bounds *= len(waves)
    stats = np.full((len(ids), 3), np.nan)
    flags = np.zeros(len(ids), dtype=bool)
    for k in range(len(ids)):
        block = slice(bounds[k], bounds[k + 1])
        x = wave_numbers[block]
        per_month = hours_per_month[block]
        enough = np.count_nonzero(~np.isnan(per_month)) >= rule.min_waves
        growth = (
            _slope(x, per_month) / np.nanmean(per_month)
            if enough and np.nanmean(per_month) > 0
            else np.nan
        )
        v_slope = (
            _slope(x, value[block])
            if np.count_nonzero(~np.isnan(value[block])) >= rule.min_waves
            else np.nan
        )
        a_slope = (
            _slope(x, own_mean[block])
            if np.count_nonzero(~np.isnan(own_mean[block])) >= rule.min_waves
            else np.nan
        )
        slopes = [s for s in (v_slope, a_slope) if not np.isnan(s)]
        falls = (
            bool(slopes)
            and all(s < 0 for s in slopes)
            and (
                (not np.isnan(v_slope) and v_slope <= rule.value_slope)
                or (not np.isnan(a_slope) and a_slope <= rule.appreciation_slope)
            )
        )
        grows = not np.isnan(growth) and growth >= rule.hours_growth
        stats[k] = growth, v_slope, a_slope
        flags[k] = grows and falls
    stats, flags = stats[row_code], flags[row_code]

    def repeat(values) -> list:
        return [v for v in values for _ in waves]

    return pd.DataFrame(
        {
            "partner_id": repeat(pids),
            "name": repeat(partners["name"].tolist()),
            "kind": repeat(partners["kind"].tolist()),
            "wave": wave_numbers,
            "period": periods * len(pids),
            "months": n,
            "hours": hours,
            "costs_eur": costs,
            "hours_per_month": hours_per_month,
            "costs_per_month": costs_per_month,
            "partner_value": value,
            "raters": raters[row_code].ravel(),
            "appreciation": own_mean,
            "n_ratings": n_ratings[row_code].ravel(),
            "indicator_change": indicator[row_code].ravel(),
            "hours_growth": np.repeat(stats[:, 0], len(waves)),
            "value_slope": np.repeat(stats[:, 1], len(waves)),
            "appreciation_slope": np.repeat(stats[:, 2], len(waves)),
            "flag": np.repeat(flags, len(waves)),
        },
        columns=list(BUSINESS_CASE_COLUMNS),
    )


def business_case_summary(case: pd.DataFrame, language: str = "nl") -> pd.DataFrame:
    """One row per partner: totals, slopes, the flag and a reason in words.

    Flagged partners come first, then by partner id.
    """
    import numpy as np
    import pandas as pd

    check_language(language)
    rows = []
    for pid, group in case.groupby("partner_id", sort=True):
        first = group.iloc[0]
        growth = first["hours_growth"]
        if bool(first["flag"]):
            pct = f"{100 * growth:+.0f}%"
            reason = (
                f"inzet groeit ({pct} uren per meting) terwijl de ervaren waarde daalt"
                if language == "nl"
                else f"investment grows ({pct} hours per wave) while perceived value falls"
            )
        else:
            reason = ""
        rows.append(
            {
                "partner_id": pid,
                "name": first["name"],
                "kind": first["kind"],
                "hours": float(group["hours"].sum()),
                "costs_eur": float(group["costs_eur"].sum()),
                "hours_growth": growth,
                "value_slope": first["value_slope"],
                "appreciation_slope": first["appreciation_slope"],
                "last_partner_value": group["partner_value"].dropna().iloc[-1]
                if group["partner_value"].notna().any()
                else np.nan,
                "last_appreciation": group["appreciation"].dropna().iloc[-1]
                if group["appreciation"].notna().any()
                else np.nan,
                "flag": bool(first["flag"]),
                "reason": reason,
            }
        )
    out = pd.DataFrame(rows)
    return out.sort_values(["flag", "partner_id"], ascending=[False, True]).reset_index(drop=True)


_PERSPECTIVE_WORDS = {
    "societal": ("Maatschappelijke waarde", "Societal value"),
    "network": ("Waarde voor het netwerk", "Value for the network"),
    "partner": ("Waarde voor partners", "Value for partners"),
}


def _euro(amount: float, language: str) -> str:
    """An amount in euros as a Dutch or English reader writes it (Babel)."""
    from babel.numbers import format_currency

    return format_currency(amount, "EUR", locale="nl_NL" if language == "nl" else "en_GB")


@dataclass
class Monetisation:
    """Result of :func:`monetise`: proxies, totals per perspective, ratios and the caveat.

    ``ratio`` is (low, central, high) net value of all proxies per euro put
    in; ``by_perspective`` gives the same per value perspective, which is how
    :meth:`summary` reports it (a partner's avoided costs are not societal
    return). ``missing`` lists what the config must still state; while it is
    not empty nothing is monetised and the ratios are NaN.
    """

    table: pd.DataFrame
    investment_eur: float
    deadweight: float
    attribution: float
    gross: tuple[float, float, float]
    net: tuple[float, float, float]
    ratio: tuple[float, float, float]
    caveat: str
    language: str = "nl"
    notes: list[str] = field(default_factory=list)
    displacement: float = float("nan")
    by_perspective: pd.DataFrame | None = None
    missing: list[str] = field(default_factory=list)

    @property
    def available(self) -> bool:
        """Whether a value was computed: proxies given and every choice stated."""
        return len(self.table) > 0 and not self.missing

    def summary(self) -> str:
        """The ratio per perspective with its range, the shares and the caveat, in words.

        Without a result, what the configuration must state first.
        """
        nl = self.language == "nl"
        if not self.available:
            if not self.missing:
                text = (
                    "Geen financiële proxy's in de configuratie: er is niets gemonetiseerd."
                    if nl
                    else "No financial proxies in the configuration: nothing was monetised."
                )
            else:
                text = (
                    (
                        "Niet gemonetiseerd. Daarvoor moet de configuratie nog vastleggen: "
                        if nl
                        else "Not monetised. For that, the configuration must still state: "
                    )
                    + "; ".join(self.missing)
                    + "."
                )
            return f"{text}\n{self.caveat}"
        shares = (
            f"na {100 * self.deadweight:.0f}% deadweight, {100 * self.attribution:.0f}% "
            f"toerekening aan anderen en {100 * self.displacement:.0f}% verplaatsing"
            if nl
            else f"after {100 * self.deadweight:.0f}% deadweight, {100 * self.attribution:.0f}% "
            f"attribution to others and {100 * self.displacement:.0f}% displacement"
        )
        lines = []
        for row in self.by_perspective.itertuples():
            name = _PERSPECTIVE_WORDS[row.perspective][0 if nl else 1]
            mid, low, high = (
                _euro(v, self.language) for v in (row.ratio, row.ratio_low, row.ratio_high)
            )
            lines.append(
                f"{name}: {mid} per ingezette euro (bandbreedte {low} – {high} met lage en "
                f"hoge proxy's), {shares}."
                if nl
                else f"{name}: {mid} per euro put in (range {low} – {high} with low and high "
                f"proxies), {shares}."
            )
        spent = _euro(self.investment_eur, self.language)
        lines.append(f"Ingezet: {spent}." if nl else f"Put in: {spent}.")
        return "\n".join(lines) + f"\n{self.caveat}"

    def _repr_html_(self) -> str:
        import html

        lines = "<br>".join(html.escape(line) for line in self.summary().splitlines())
        return f"<p>{lines}</p>" + (self.table.to_html(index=False) if self.available else "")


def monetise(
    config: NetworkConfig,
    indicators: pd.DataFrame,
    contributions: pd.DataFrame,
    *,
    baseline_months: int = BASELINE_MONTHS,
    language: str = "nl",
) -> Monetisation:
    """Social-return style valuation of the indicators that have a financial proxy.

    Per indicator with a proxy: the improvement in each area and month after
    the baseline, ``sign x (value - area baseline)`` (area baseline: mean of
    its first ``baseline_months`` months), summed over areas and months, times
    the proxy (low, central, high). Gross value is the sum over indicators;
    net value ``gross x (1 - deadweight) x (1 - attribution) x (1 -
    displacement)`` with the shares from ``config.monetisation``; the ratio
    is net value over the total ``costs_eur`` of the contributions, in total
    and per value perspective.

    Nothing is monetised from defaults: the config must state deadweight,
    attribution and displacement (``monetisation``) and each proxy's
    ``perspective``; otherwise the result is not available and ``missing``
    (and :meth:`Monetisation.summary`) says what is needed.

    Examples
    --------
    >>> import pandas as pd
    >>> from netwerkonderzoek.config import NetworkConfig
    >>> config = NetworkConfig.model_validate({"network_id": "x", "name": "X",
    ...     "mission": "m", "task": "t", "study": {"start": "2024-01", "end": "2024-12",
    ...     "waves": [{"wave": 1, "date": "2024-06-01"}]},
    ...     "monetisation": {"deadweight": 0.5, "attribution": 0.0, "displacement": 0.0},
    ...     "indicators": [{"id": "a", "label_nl": "A", "label_en": "A", "unit": "n",
    ...         "perspective": "societal", "form": "direct", "direction": "decrease",
    ...         "proxy": {"value_eur": 100, "low_eur": 50, "high_eur": 200,
    ...                   "perspective": "societal", "source": "test", "year": 2024}}]})
    >>> rows = pd.DataFrame({"indicator_id": "a", "area": "z",
    ...     "period": ["2024-01", "2024-02"], "value": [10.0, 8.0]})
    >>> spent = pd.DataFrame({"costs_eur": [100.0]})
    >>> monetise(config, rows, spent, baseline_months=1).ratio  # 2 units x 100 x 0.5 / 100
    (0.5, 1.0, 2.0)
    >>> print(monetise(config.model_copy(update={"monetisation": None}), rows, spent).summary())
    ... # doctest: +ELLIPSIS
    Niet gemonetiseerd. Daarvoor moet de configuratie nog vastleggen: monetisation.deadweight ...
    """
    import numpy as np
    import pandas as pd

    check_language(language)
    nl = language == "nl"
    shares = config.monetisation
    missing = []
    for name in ("deadweight", "attribution", "displacement"):
        if shares is None or getattr(shares, name) is None:
            missing.append(
                f"monetisation.{name} ("
                + (
                    {
                        "deadweight": "welk deel was ook zonder het netwerk gebeurd",
                        "attribution": "welk deel komt door anderen",
                        "displacement": "welk deel is alleen verplaatst",
                    }[name]
                    if nl
                    else {
                        "deadweight": "the share that would have happened anyway",
                        "attribution": "the share due to others",
                        "displacement": "the share only moved elsewhere",
                    }[name]
                )
                + ")"
            )
    for spec in config.indicators:
        if spec.proxy is not None and spec.proxy.perspective is None:
            missing.append(
                f"indicators.{spec.id}.proxy.perspective ("
                + ("wiens waarde de proxy uitdrukt" if nl else "whose value the proxy expresses")
                + ")"
            )
    deadweight = shares.deadweight if shares and shares.deadweight is not None else np.nan
    attribution = shares.attribution if shares and shares.attribution is not None else np.nan
    displacement = shares.displacement if shares and shares.displacement is not None else np.nan
    rows = []
    for spec in config.indicators:
        if spec.proxy is None:
            continue
        own = indicators[indicators["indicator_id"] == spec.id].sort_values(["area", "period"])
        sign = 1.0 if spec.direction == "increase" else -1.0
        units = 0.0
        for _, area in own.groupby("area", sort=True):
            baseline = area["value"].iloc[:baseline_months].mean()
            after = area["value"].iloc[baseline_months:]
            units += float((sign * (after - baseline)).sum())
        proxy = spec.proxy
        low = proxy.low_eur if proxy.low_eur is not None else proxy.value_eur
        high = proxy.high_eur if proxy.high_eur is not None else proxy.value_eur
        rows.append(
            {
                "indicator_id": spec.id,
                "perspective": spec.perspective,
                "form": spec.form,
                "partner_id": spec.partner_id or "",
                "units_improved": units,
                "proxy_low_eur": low,
                "proxy_eur": proxy.value_eur,
                "proxy_high_eur": high,
                "source": proxy.source,
                "year": proxy.year,
                "value_low_eur": units * (low if units >= 0 else high),
                "value_eur": units * proxy.value_eur,
                "value_high_eur": units * (high if units >= 0 else low),
            }
        )
    columns = [
        "indicator_id",
        "perspective",
        "form",
        "partner_id",
        "units_improved",
        "proxy_low_eur",
        "proxy_eur",
        "proxy_high_eur",
        "source",
        "year",
        "value_low_eur",
        "value_eur",
        "value_high_eur",
    ]
    table = pd.DataFrame(rows, columns=columns)
    investment = float(contributions["costs_eur"].sum()) if len(contributions) else 0.0
    factor = (1 - deadweight) * (1 - attribution) * (1 - displacement)

    def totals(part: pd.DataFrame) -> tuple[tuple, tuple, tuple]:
        gross = tuple(
            float(part[c].sum()) if len(part) and not missing else np.nan
            for c in ("value_low_eur", "value_eur", "value_high_eur")
        )
        net = tuple(g * factor for g in gross)
        ratio = tuple(n / investment if investment > 0 else np.nan for n in net)
        return gross, net, ratio

    gross, net, ratio = totals(table)
    perspectives = []
    for perspective in PERSPECTIVES:
        part = table[table["perspective"] == perspective]
        if part.empty:
            continue
        g, n, r = totals(part)
        perspectives.append(
            {
                "perspective": perspective,
                "gross_eur": g[1],
                "net_low_eur": n[0],
                "net_eur": n[1],
                "net_high_eur": n[2],
                "ratio_low": r[0],
                "ratio": r[1],
                "ratio_high": r[2],
            }
        )
    by_perspective = pd.DataFrame(
        perspectives,
        columns=[
            "perspective",
            "gross_eur",
            "net_low_eur",
            "net_eur",
            "net_high_eur",
            "ratio_low",
            "ratio",
            "ratio_high",
        ],
    )
    return Monetisation(
        table=table,
        investment_eur=investment,
        deadweight=deadweight,
        attribution=attribution,
        displacement=displacement,
        gross=gross,
        net=net,
        ratio=ratio,
        caveat=CAVEAT[language],
        language=language,
        by_perspective=by_perspective,
        missing=missing,
    )


# -- figures -----------------------------------------------------------------------


def plot_value_matrix(matrix: pd.DataFrame, period: str | None = None, language: str = "nl"):
    """The value matrix of one period as a 3 x 2 grid of appreciation bars.

    Each panel is a cell: bars for the groups that rated it (1-10), the words
    *geen gegevens* / *no data* where a group did not, the mean indicator
    change in the title and a red frame where the groups disagree. The panels
    share one scale and are drawn in one axes (frames, grid lines, bars and
    labels placed by hand), not as an axes each, which draws in about half
    the time.

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.panels`` maps each cell ``(perspective, form)`` to its panel's
        frame (a rectangle in axes coordinates, red where the groups
        disagree); ``fig.alt`` is the text alternative naming the panels.
    """
    import numpy as np
    from matplotlib.collections import LineCollection
    from matplotlib.patches import Rectangle

    from .figures import NEUTRAL, STAKEHOLDER_COLOURS, new_figure

    check_language(language)
    period = period or sorted(matrix["period"].unique())[-1]
    part = matrix[matrix["period"] == period]
    fig, ax = new_figure("full-tall")
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    # Per column: room for the group names, then the panel; rows of a third.
    label_width, gap = 0.13, 0.03
    width = (1 - 2 * label_width - gap) / 2
    gap_top, gap_bottom, tick = 0.075, 0.045, 0.008
    ticks = (2, 4, 6, 8, 10)
    names = [label(g, language) for g in GROUPS]
    frames: dict[tuple[str, str], Rectangle] = {}
    grid, spines, titles = [], [], []
    bars: dict[str, list] = {"y": [], "width": [], "left": [], "colour": []}
    for index, (perspective, form) in enumerate(CELLS):
        row, col = divmod(index, 2)
        x0 = label_width + col * (width + label_width + gap)
        x1 = x0 + width
        y0, y1 = 1 - (row + 1) / 3 + gap_bottom, 1 - row / 3 - gap_top
        step = (y1 - y0) / len(GROUPS)

        def x_of(rating, x0=x0, x1=x1):
            return x0 + (rating - 1) / 9 * (x1 - x0)

        cell = part[(part["perspective"] == perspective) & (part["form"] == form)]
        rated = cell[cell["row_type"] == "appreciation"].set_index("stakeholder_group")
        for y_index, group in enumerate(GROUPS):  # the first group at the bottom
            y = y0 + (y_index + 0.5) * step
            ax.text(x0 - tick - 0.004, y, names[y_index], ha="right", va="center", fontsize=7)
            spines.append([(x0 - tick, y), (x0, y)])
            if group in rated.index and rated.loc[group, "appreciation_status"] == "rated":
                bars["y"].append(y)
                bars["left"].append(x0)
                bars["width"].append(x_of(float(rated.loc[group, "appreciation"])) - x0)
                bars["colour"].append(STAKEHOLDER_COLOURS[group])
            else:
                ax.text(
                    x_of(1.2),
                    y,
                    label("no_data", language),
                    va="center",
                    color=NEUTRAL["no_data"],
                    fontsize=8,
                )
        for value_ in ticks:
            grid.append([(x_of(value_), y0), (x_of(value_), y1)])
            spines.append([(x_of(value_), y0 - tick), (x_of(value_), y0)])
            if row == 2:
                ax.text(
                    x_of(value_), y0 - tick - 0.004, f"{value_}", ha="center", va="top", fontsize=7
                )
        if row == 2:
            ax.text(
                (x0 + x1) / 2,
                y0 - 0.032,
                label("rating", language),
                ha="center",
                va="top",
                fontsize=8,
            )
        change = cell.loc[cell["row_type"] == "indicator", "change"]
        title = f"{label(perspective, language)} · {label(form, language).lower()}"
        titles.append(title)
        if change.notna().any():
            title += (
                f"\n{label('change', language)}: {_fmt(float(np.nanmean(change)), language, 2)}"
            )
        ax.text((x0 + x1) / 2, y1 + 0.008, title, ha="center", va="bottom", fontsize=8)
        disagree = bool(len(cell)) and bool(cell["disagree"].iloc[0])
        frame = Rectangle(
            (x0, y0),
            x1 - x0,
            y1 - y0,
            fill=False,
            edgecolor=NEUTRAL["flag"] if disagree else "none",
            linewidth=0.8,
            zorder=3,
        )
        ax.add_patch(frame)
        frames[(perspective, form)] = frame
        if not disagree:  # the house style's left and bottom spines
            spines += [[(x0, y0), (x0, y1)], [(x0, y0), (x1, y0)]]
    ax.add_collection(LineCollection(grid, colors="#dddddd", linewidths=0.5, zorder=1))
    ax.add_collection(LineCollection(spines, colors="black", linewidths=0.8, zorder=3))
    height = 0.8 * (1 / 3 - gap_top - gap_bottom) / len(GROUPS)
    ax.barh(bars["y"], bars["width"], left=bars["left"], height=height, color=bars["colour"])
    suptitle = f"{label('value_matrix', language)} {period}"
    fig.suptitle(suptitle, fontsize=9)
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.02, top=0.95)
    fig.panels = frames
    fig.alt = f"{suptitle}: " + "; ".join(titles)
    return fig


def plot_business_case(case: pd.DataFrame, partner_id: str, language: str = "nl"):
    """One partner's business case over the waves: investment above, value below.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from .figures import KIND_COLOURS, NEUTRAL, STAKEHOLDER_COLOURS, new_figure

    check_language(language)
    rows = case[case["partner_id"] == partner_id]
    if rows.empty:
        raise KeyError(f"partner {partner_id!r} is not in the business case table")
    fig, (top, bottom) = new_figure("full", nrows=2, ncols=1, sharex=True)
    kind = rows["kind"].iloc[0]
    top.bar(rows["wave"], rows["hours_per_month"], color=KIND_COLOURS.get(kind, "#999999"))
    top.set_ylabel(label("hours_per_month", language))
    bottom.plot(rows["wave"], rows["partner_value"], marker="o", color=NEUTRAL["reference"])
    bottom.set_ylabel(label("partner_value", language))
    bottom.set_ylim(1, 4)
    right = bottom.twinx()
    right.plot(
        rows["wave"],
        rows["appreciation"],
        marker="s",
        linestyle="--",
        color=STAKEHOLDER_COLOURS["partners"],
    )
    right.set_ylabel(label("own_appreciation", language))
    right.set_ylim(1, 10)
    right.grid(False)
    bottom.set_xlabel(label("wave", language))
    bottom.set_xticks(list(rows["wave"]))
    title = f"{label('business_case', language)}: {rows['name'].iloc[0]}"
    if bool(rows["flag"].iloc[0]):
        title += f" — {label('scissors', language)}"
    top.set_title(title, color=NEUTRAL["flag"] if bool(rows["flag"].iloc[0]) else "black")
    fig.set_layout_engine("tight")  # laid out when drawn: once per save_figure
    return fig


def plot_business_cases(case: pd.DataFrame, language: str = "nl", ncols: int = 5):
    """Small multiples: per partner, hours per month, PARTNER value and own appreciation
    as an index (first wave with data = 100); flagged partners in a red frame.

    Every panel has the same scale (waves on x, the index on y, tick labels
    on the outer panels). The panels are drawn in one axes (frames, grid
    lines, series and labels placed by hand), not as an axes each: the 25
    partners of a network then draw in a fraction of the time.

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.panels`` maps each partner id to its panel's frame (a
        rectangle in axes coordinates), for tests and annotation.
    """
    import math

    import numpy as np
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle
    from matplotlib.ticker import MaxNLocator

    from .figures import NEUTRAL, STAKEHOLDER_COLOURS, new_figure

    check_language(language)
    ids = sorted(case["partner_id"].unique())
    nrows = max(1, math.ceil(len(ids) / ncols))
    series = (
        ("hours_per_month", NEUTRAL["reference"], "-", "hours_per_month"),
        ("partner_value", STAKEHOLDER_COLOURS["partners"], "-", "partner_value"),
        ("appreciation", STAKEHOLDER_COLOURS["residents"], "--", "own_appreciation"),
    )
    # Index series per partner and series, then one scale for all panels.
    lines: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}
    for pid in ids:
        rows = case[case["partner_id"] == pid]
        waves = rows["wave"].to_numpy(dtype=float)
        for column, *_ in series:
            values = rows[column].to_numpy(dtype=float)
            known = values[~np.isnan(values)]
            if len(known) and known[0] > 0:
                lines[(pid, column)] = (waves, 100 * values / known[0])
    shown = [v[~np.isnan(v)] for _, v in lines.values()]
    values = np.concatenate(shown) if shown else np.array([100.0])
    low, high = float(values.min()), float(values.max())
    if low == high:
        low, high = low - 1.0, high + 1.0
    low, high = low - 0.05 * (high - low), high + 0.05 * (high - low)
    y_ticks = [t for t in MaxNLocator(nbins=4).tick_values(low, high) if low <= t <= high]
    x_ticks = sorted(float(w) for w in case["wave"].unique())
    x_low, x_high = (x_ticks[0], x_ticks[-1]) if x_ticks else (0.0, 1.0)
    x_pad = 0.05 * max(x_high - x_low, 1.0)
    x_low, x_high = x_low - x_pad, x_high + x_pad

    fig, ax = new_figure("full-tall")
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    left, right, bottom, top = 0.05, 1.0, 0.0, 1.0
    width, height = (right - left) / ncols, (top - bottom) / nrows
    gap_x, gap_top, gap_bottom = 0.012, 0.035, 0.025
    frames: dict[str, object] = {}
    grid: list = []
    drawn: dict[str, list] = {column: [] for column, *_ in series}
    for index, pid in enumerate(ids):
        row, col = divmod(index, ncols)
        x0, x1 = left + col * width + gap_x, left + (col + 1) * width - gap_x
        y0, y1 = top - (row + 1) * height + gap_bottom, top - row * height - gap_top

        def place(x, y, x0=x0, x1=x1, y0=y0, y1=y1):
            return (
                x0 + (np.asarray(x, dtype=float) - x_low) / (x_high - x_low) * (x1 - x0),
                y0 + (np.asarray(y, dtype=float) - low) / (high - low) * (y1 - y0),
            )

        flagged = bool(case.loc[case["partner_id"] == pid, "flag"].iloc[0])
        frame = Rectangle(
            (x0, y0),
            x1 - x0,
            y1 - y0,
            fill=False,
            edgecolor=NEUTRAL["flag"] if flagged else "#cccccc",
            linewidth=1.0 if flagged else 0.5,
            zorder=3,
        )
        ax.add_patch(frame)
        frames[pid] = frame
        ax.text(
            (x0 + x1) / 2,
            y1 + 0.004,
            pid,
            ha="center",
            va="bottom",
            fontsize=6 if len(pid) <= 22 else 5,  # long ids stay within their panel
        )
        for tick in y_ticks:
            y = float(place(x_low, tick)[1])
            grid.append([(x0, y), (x1, y)])
            if col == 0:
                ax.text(x0 - 0.006, y, f"{tick:g}", ha="right", va="center", fontsize=5)
        if index + ncols >= len(ids):  # no panel below: the wave numbers
            for wave in x_ticks:
                x = float(place(wave, low)[0])
                ax.text(x, y0 - 0.006, f"{wave:g}", ha="center", va="top", fontsize=5)
        for column, *_ in series:
            if (pid, column) not in lines:
                continue
            px, py = place(*lines[(pid, column)])
            known = np.flatnonzero(~np.isnan(py))
            # A missing value breaks the line, as a plot of the series does.
            for run in np.split(known, np.flatnonzero(np.diff(known) > 1) + 1):
                if len(run) > 1:
                    drawn[column].append(np.column_stack([px[run], py[run]]))
    ax.add_collection(LineCollection(grid, colors="#dddddd", linewidths=0.5, zorder=1))
    handles = []
    for column, colour_, style_, key in series:
        ax.add_collection(
            LineCollection(
                drawn[column], colors=colour_, linestyles=style_, linewidths=1, zorder=2
            )
        )
        handles.append(
            Line2D(
                [], [], color=colour_, linestyle=style_, linewidth=1, label=label(key, language)
            )
        )
    fig.legend(handles=handles, loc="lower center", ncols=3, fontsize=6)
    fig.suptitle(
        f"{label('business_cases', language)} — {label('index_first_wave', language)}",
        fontsize=9,
    )
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.07, top=0.94)
    fig.panels = frames
    return fig
