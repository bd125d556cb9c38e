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
    """Check that ``data`` has every one of ``columns``.

    Parameters
    ----------
    data : DataFrame
        The table to check.
    columns : iterable of str
        The columns it needs.
    what : str
        Who needs them, for the message.

    Raises
    ------
    KeyError
        Naming the missing columns and the ones the table has.

    Examples
    --------
    >>> import pandas as pd
    >>> rows = pd.DataFrame({"period": ["2024-01"], "value": [1.0]})
    >>> require_columns(rows, ["period", "value"], "indicator_change")  # all there: silent
    >>> require_columns(rows, ["indicator_id", "period", "area"], "indicator_change")
    Traceback (most recent call last):
    ...
    KeyError: 'indicator_change needs column(s) indicator_id, area; got period, value'
    """
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise KeyError(
            f"{what} needs column(s) {', '.join(missing)}; got {', '.join(data.columns)}"
        )


def survey_periods(config: NetworkConfig) -> list[str]:
    """The months (``YYYY-MM``) of the survey waves: the periods of the value matrix.

    Examples
    --------
    The waves in the order of the configuration, as months:

    >>> from netwerkonderzoek.config import NetworkConfig
    >>> config = NetworkConfig.model_validate({"network_id": "x", "name": "X",
    ...     "mission": "m", "task": "t", "study": {"start": "2024-01", "end": "2024-12",
    ...     "waves": [{"wave": 1, "date": "2024-03-10"}, {"wave": 2, "date": "2024-09-02"}]},
    ...     "indicators": [{"id": "a", "label_nl": "A", "label_en": "A", "unit": "n",
    ...                     "perspective": "societal", "form": "direct",
    ...                     "direction": "decrease"}]})
    >>> survey_periods(config)
    ['2024-03', '2024-09']
    """
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

    Examples
    --------
    Without the file, an empty table with the schema's nine columns; with it,
    the validated rows (a rating is an integer, a missing partner ``<NA>``);
    a partner that is not in ``partners.csv`` is refused.

    >>> import pathlib, tempfile
    >>> from netwerkonderzoek.config import NetworkConfig
    >>> config = NetworkConfig.model_validate({"network_id": "x", "name": "X",
    ...     "mission": "m", "task": "t", "study": {"start": "2024-01", "end": "2024-12",
    ...     "waves": [{"wave": 1, "date": "2024-01-15"}]},
    ...     "indicators": [{"id": "a", "label_nl": "A", "label_en": "A", "unit": "n",
    ...                     "perspective": "societal", "form": "direct",
    ...                     "direction": "decrease"}]})
    >>> tmp = tempfile.TemporaryDirectory()
    >>> load_appreciation(config, tmp.name).shape
    (0, 9)
    >>> folder = pathlib.Path(tmp.name, "x")
    >>> folder.mkdir()
    >>> _ = (folder / "partners.csv").write_text(
    ...     "network_id,partner_id,name,kind,sector,joined,left\\n"
    ...     "x,gemeente,Gemeente,municipality,public,2020-01-01,\\n", encoding="utf-8")
    >>> header = "network_id,period,stakeholder_group,respondent_id,partner_id,"
    >>> header += "perspective,form,indicator_id,rating\\n"
    >>> _ = (folder / "appreciation.csv").write_text(header
    ...     + "x,2024-01,partners,p-1,gemeente,partner,indirect,,8\\n"
    ...     + "x,2024-01,residents,r-1,,societal,direct,,6\\n", encoding="utf-8")
    >>> load_appreciation(config, tmp.name)[["stakeholder_group", "partner_id", "rating"]]
      stakeholder_group partner_id  rating
    0          partners   gemeente       8
    1         residents       <NA>       6
    >>> _ = (folder / "appreciation.csv").write_text(header
    ...     + "x,2024-01,partners,p-1,bakker,partner,indirect,,8\\n", encoding="utf-8")
    >>> load_appreciation(config, tmp.name)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    netwerkonderzoek.exceptions.ValidationError: 1 validation fault:
      .../x/appreciation.csv, row 2, column 'partner_id': partner 'bakker' is not in partners.csv
    >>> tmp.cleanup()
    """
    from ..tables import load_table

    return load_table(config, "appreciation", data_dir)
