"""The value matrix: indicator change since the baseline, appreciation per group, disagreement.

See :mod:`netwerkonderzoek.value` for the rules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..figures import check_language, label
from ..formatting import format_number

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..config import NetworkConfig
from ..vocabulary import FORMS, PERSPECTIVES
from .definition import BASELINE_MONTHS, CELLS, GROUPS, require_columns, survey_periods

__all__ = [
    "DISAGREEMENT_THRESHOLD",
    "INDICATOR_FIELDS",
    "VALUE_MATRIX_COLUMNS",
    "appreciation_scores",
    "disagreement",
    "indicator_change",
    "matrix_view",
    "value_matrix",
]


DISAGREEMENT_THRESHOLD = 1.5


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
    require_columns(indicators, ("indicator_id", "period", "value"), "indicator_change")
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

    Examples
    --------
    A missing rating is not counted; funders did not rate and do not appear:

    >>> import pandas as pd
    >>> ratings = pd.DataFrame({"period": "2024-06", "perspective": "societal",
    ...     "form": "direct", "stakeholder_group": ["residents"] * 3 + ["partners"] * 2,
    ...     "rating": [4, 6, None, 7, 9]})
    >>> appreciation_scores(ratings)[["stakeholder_group", "appreciation", "n_ratings"]]
      stakeholder_group  appreciation  n_ratings
    0          partners           8.0          2
    1         residents           5.0          2
    """
    require_columns(
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

    Examples
    --------
    Residents rate 5 on average, partners 6 and the two funders 9. With the
    default ``min_n=3`` the funders do not count and the range (1.0) is
    below the threshold; with ``min_n=2`` it is 9 - 5:

    >>> import pandas as pd
    >>> ratings = pd.DataFrame({"period": "2024-06", "perspective": "societal",
    ...     "form": "direct", "rating": [4, 5, 6, 5, 6, 7, 9, 9],
    ...     "stakeholder_group": ["residents"] * 3 + ["partners"] * 3 + ["funders"] * 2})
    >>> disagreement(ratings)[["groups", "lowest", "highest", "range", "disagree"]]
       groups     lowest   highest  range  disagree
    0       2  residents  partners    1.0     False
    >>> disagreement(ratings, min_n=2)[["groups", "lowest", "highest", "range", "disagree"]]
       groups     lowest  highest  range  disagree
    0       3  residents  funders    4.0      True
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
    require_columns(frame, ("cmo_id", "perspective", "form"), "the theory table")
    return frame[["cmo_id", "perspective", "form"]]


def value_matrix(
    indicators: pd.DataFrame,
    appreciation: pd.DataFrame | None,
    config: NetworkConfig,
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
    indicators : DataFrame
        Canonical ``indicators`` table.
    appreciation : DataFrame or None
        Canonical ``appreciation`` table (:func:`load_appreciation`), or None
        without an appreciation survey.
    config : NetworkConfig
        The value definition (its indicators) and the survey waves.
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

    Examples
    --------
    One decreasing indicator (baseline 10, level 7: an improvement of 3) and
    two groups that rated the societal, direct cell 5 and 8: they disagree.
    The funders did not rate it: *no data*, not 0.

    >>> import pandas as pd
    >>> from netwerkonderzoek.config import NetworkConfig
    >>> config = NetworkConfig.model_validate({"network_id": "x", "name": "X",
    ...     "mission": "m", "task": "t", "study": {"start": "2024-01", "end": "2024-12",
    ...     "waves": [{"wave": 1, "date": "2024-06-01"}]},
    ...     "indicators": [{"id": "a", "label_nl": "Overlast", "label_en": "Nuisance",
    ...                     "unit": "n", "perspective": "societal", "form": "direct",
    ...                     "direction": "decrease"}]})
    >>> rows = pd.DataFrame({"indicator_id": "a", "area": "z",
    ...     "period": [f"2024-0{m}" for m in range(1, 7)], "value": [9., 10, 11, 6, 7, 8]})
    >>> ratings = pd.DataFrame({"period": "2024-06", "perspective": "societal",
    ...     "form": "direct", "stakeholder_group": ["residents"] * 3 + ["partners"] * 3,
    ...     "rating": [4, 5, 6, 7, 8, 9]})
    >>> matrix = value_matrix(rows, ratings, config)
    >>> cell = matrix[(matrix["perspective"] == "societal") & (matrix["form"] == "direct")]
    >>> print(cell[["row_type", "change", "stakeholder_group", "appreciation",
    ...             "appreciation_status", "disagree"]].to_string())
           row_type  change stakeholder_group  appreciation appreciation_status  disagree
    0     indicator     3.0                             NaN                          True
    1  appreciation     NaN         residents           5.0               rated      True
    2  appreciation     NaN          partners           8.0               rated      True
    3  appreciation     NaN           funders           NaN             no data      True

    Every cell has a row per group, rated or not: 6 cells x 3 groups + 1 indicator.

    >>> len(matrix)
    19
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
        require_columns(verdicts, ("cmo_id", "verdict"), "value_matrix verdicts")
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

    Examples
    --------
    The cell of the :func:`value_matrix` example, and one nobody rated:

    >>> import pandas as pd
    >>> from netwerkonderzoek.config import NetworkConfig
    >>> config = NetworkConfig.model_validate({"network_id": "x", "name": "X",
    ...     "mission": "m", "task": "t", "study": {"start": "2024-01", "end": "2024-12",
    ...     "waves": [{"wave": 1, "date": "2024-06-01"}]},
    ...     "indicators": [{"id": "a", "label_nl": "Overlast", "label_en": "Nuisance",
    ...                     "unit": "n", "perspective": "societal", "form": "direct",
    ...                     "direction": "decrease"}]})
    >>> rows = pd.DataFrame({"indicator_id": "a", "area": "z",
    ...     "period": [f"2024-0{m}" for m in range(1, 7)], "value": [9., 10, 11, 6, 7, 8]})
    >>> ratings = pd.DataFrame({"period": "2024-06", "perspective": "societal",
    ...     "form": "direct", "stakeholder_group": ["residents"] * 3 + ["partners"] * 3,
    ...     "rating": [4, 5, 6, 7, 8, 9]})
    >>> matrix = value_matrix(rows, ratings, config, language="en")
    >>> view = matrix_view(matrix, language="en")
    >>> view.index.name, list(view.columns)
    ('2024-06', ['Direct', 'Indirect'])
    >>> print(view.loc["Societal value", "Direct"])
    Nuisance: +3.00
    Appreciation: Residents 5.0 (n<5) · Partners 8.0 (n<5) · Funders no data
    ⚠ Groups disagree (3.0)
    >>> print(view.loc["Network value", "Indirect"])
    Indicators: no data
    Appreciation: Residents no data · Partners no data · Funders no data
    >>> matrix_view(matrix, "2023-01")
    Traceback (most recent call last):
    ...
    ValueError: period '2023-01' is not in the value matrix
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
                lines.append(
                    f"{row['indicator_label']}: {format_number(row['change'], 2, language, sign=True)}"
                )
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
                marks.append(
                    f"{name} {format_number(row['appreciation'], 1, language)} (n{shown})"
                )
        lines.append(f"{label('appreciation', language)}: " + " · ".join(marks))
        if len(cell) and bool(cell["disagree"].iloc[0]):
            spread = format_number(cell["disagreement_range"].iloc[0], 1, language)
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
