"""The value definition: the cells of the value matrix, the survey periods, the appreciation table.

See :mod:`netwerkonderzoek.value` for the rules.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..figures import check_language

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..config import NetworkConfig
from ..vocabulary import FORMS, PERSPECTIVES

__all__ = [
    "BASELINE_MONTHS",
    "CELLS",
    "GROUPS",
    "load_appreciation",
    "require_columns",
    "survey_periods",
    "value_definition",
]


GROUPS = ("residents", "partners", "funders")


CELLS: tuple[tuple[str, str], ...] = tuple((p, f) for p in PERSPECTIVES for f in FORMS)


BASELINE_MONTHS = 3


def require_columns(data: pd.DataFrame, columns, what: str) -> None:
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
    from ..tables import load_table

    return load_table(config, "appreciation", data_dir)
