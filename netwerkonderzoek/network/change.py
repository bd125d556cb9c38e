"""Change between consecutive waves: ties and partners gained and lost, measures, core.

For waves *t* and *t+1* with tie sets :math:`E_t` (ordered source–target
pairs of the combined graph):

.. math::

    \\text{kept} = |E_t \\cap E_{t+1}|, \\quad
    \\text{gained} = |E_{t+1} \\setminus E_t|, \\quad
    \\text{lost} = |E_t \\setminus E_{t+1}|, \\quad
    J = \\frac{|E_t \\cap E_{t+1}|}{|E_t \\cup E_{t+1}|}

the Jaccard index of tie stability (as used for network change in RSiena's
data description, Snijders, van de Bunt & Steglich 2010,
https://doi.org/10.1016/j.socnet.2009.02.004). Partners joined and left
are the node sets' differences.

Examples
--------
>>> import pandas as pd
>>> from netwerkonderzoek.network import tie_change
>>> partners = pd.DataFrame({"partner_id": list("abc"), "kind": ["care"] * 3})
>>> ties = pd.DataFrame({"wave": [1, 1, 2, 2], "source": ["a", "b", "a", "c"],
...     "target": ["b", "c", "b", "a"], "tie_type": ["information"] * 4, "weight": [1.0] * 4})
>>> tie_change(ties, partners)[["from_wave", "to_wave", "kept", "gained", "lost", "jaccard"]]
   from_wave  to_wave  kept  gained  lost   jaccard
0          1        2     1       1     1  0.333333
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from .graphs import network_waves

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["core_change", "measure_change", "tie_change"]


def tie_change(
    ties: pd.DataFrame, partners: pd.DataFrame, wave_dates: dict | None = None
) -> pd.DataFrame:
    """Ties kept, gained and lost, their Jaccard index, partners joined and left.

    Returns
    -------
    DataFrame
        One row per pair of consecutive waves: ``from_wave``, ``to_wave``,
        ``kept``, ``gained``, ``lost``, ``jaccard``, ``joined`` and ``left``
        (number of partners), ``joined_partners`` and ``left_partners``
        (their ids, separated by ``;``).

    Examples
    --------
    Partner c left after wave 1 and d joined before wave 2; the tie a → b is
    kept, b → c lost and d → a gained:

    >>> import pandas as pd
    >>> partners = pd.DataFrame({"partner_id": list("abcd"), "kind": ["care"] * 4,
    ...     "joined": ["2022-01-01"] * 3 + ["2023-01-01"], "left": [None, None, "2022-12-31", None]})
    >>> ties = pd.DataFrame({"wave": [1, 1, 2, 2], "source": ["a", "b", "a", "d"],
    ...     "target": ["b", "c", "b", "a"], "tie_type": ["information"] * 4, "weight": [1.0] * 4})
    >>> change = tie_change(ties, partners, {1: "2022-06-01", 2: "2023-06-01"})
    >>> change[["kept", "gained", "lost", "joined_partners", "left_partners"]]
       kept  gained  lost joined_partners left_partners
    0     1       1     1               d             c
    """
    import pandas as pd

    from .graphs import build_graph

    dates = wave_dates or {}
    waves = network_waves(ties, wave_dates)
    graphs = {w: build_graph(ties, partners, w, date=dates.get(w)) for w in waves}
    rows = []
    for before, after in itertools.pairwise(waves):
        e0, e1 = set(graphs[before].edges), set(graphs[after].edges)
        n0, n1 = set(graphs[before].nodes), set(graphs[after].nodes)
        union = len(e0 | e1)
        joined, left = sorted(n1 - n0, key=str), sorted(n0 - n1, key=str)
        rows.append(
            {
                "from_wave": before,
                "to_wave": after,
                "kept": len(e0 & e1),
                "gained": len(e1 - e0),
                "lost": len(e0 - e1),
                "jaccard": len(e0 & e1) / union if union else float("nan"),
                "joined": len(joined),
                "left": len(left),
                "joined_partners": ";".join(map(str, joined)),
                "left_partners": ";".join(map(str, left)),
            }
        )
    return pd.DataFrame(rows)


def measure_change(measures: pd.DataFrame, keys: tuple[str, ...] = ("layer",)) -> pd.DataFrame:
    """Change of every numeric measure between consecutive waves, long format.

    Parameters
    ----------
    measures : DataFrame
        A table with a ``wave`` column, e.g. from
        :func:`~netwerkonderzoek.network.network_measures`.
    keys : tuple of str
        Columns identifying a series besides ``wave`` (``("layer",)`` for
        network measures, ``("partner_id",)`` for partner measures).

    Returns
    -------
    DataFrame
        ``from_wave``, ``to_wave``, the ``keys``, ``measure``, ``before``,
        ``after``, ``change`` (after − before).

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame({"wave": [1, 2], "layer": ["all", "all"], "density": [0.2, 0.5]})
    >>> measure_change(m)
       from_wave  to_wave layer  measure  before  after  change
    0          1        2   all  density     0.2    0.5     0.3
    """
    import pandas as pd

    numeric = [
        c
        for c in measures.columns
        if c not in ("wave", *keys)
        and pd.api.types.is_numeric_dtype(measures[c])
        and not pd.api.types.is_bool_dtype(measures[c])
    ]
    long = measures.melt(
        id_vars=["wave", *keys], value_vars=numeric, var_name="measure", value_name="_amount"
    )
    waves = sorted(measures["wave"].unique())
    frames = []
    for before, after in itertools.pairwise(waves):
        a = long[long["wave"] == before].drop(columns="wave")
        b = long[long["wave"] == after].drop(columns="wave")
        merged = a.merge(b, on=[*keys, "measure"], suffixes=("_before", "_after"))
        merged.insert(0, "from_wave", int(before))
        merged.insert(1, "to_wave", int(after))
        frames.append(merged)
    if not frames:
        return pd.DataFrame(
            columns=["from_wave", "to_wave", *keys, "measure", "before", "after", "change"]
        )
    out = pd.concat(frames, ignore_index=True).rename(
        columns={"_amount_before": "before", "_amount_after": "after"}
    )
    out["before"] = out["before"].astype(float)
    out["after"] = out["after"].astype(float)
    out["change"] = (out["after"] - out["before"]).round(12)
    return out


def core_change(partner_table: pd.DataFrame) -> pd.DataFrame:
    """Partners that moved into or out of the core between consecutive waves.

    Parameters
    ----------
    partner_table : DataFrame
        ``wave``, ``partner_id``, ``core``, ``coreness`` (from
        :func:`~netwerkonderzoek.network.partner_measures`).

    Returns
    -------
    DataFrame
        ``from_wave``, ``to_wave``, ``partner_id``, ``movement`` (``"into core"``
        or ``"out of core"``), ``coreness_before``, ``coreness_after``.
        Partners present in only one of the two waves are not listed
        (see :func:`tie_change` for joins and departures).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"wave": [1, 1, 2, 2], "partner_id": ["a", "b", "a", "b"],
    ...                   "core": [True, False, False, True], "coreness": [1.0, 0.2, 0.3, 1.0]})
    >>> core_change(t)[["partner_id", "movement"]]
      partner_id     movement
    0          a  out of core
    1          b    into core
    """
    import pandas as pd

    waves = sorted(partner_table["wave"].unique())
    rows = []
    for before, after in itertools.pairwise(waves):
        a = partner_table[partner_table["wave"] == before].set_index("partner_id")
        b = partner_table[partner_table["wave"] == after].set_index("partner_id")
        for partner in sorted(set(a.index) & set(b.index), key=str):
            was, now = a.at[partner, "core"], b.at[partner, "core"]
            if pd.isna(was) or pd.isna(now) or bool(was) == bool(now):
                continue
            rows.append(
                {
                    "from_wave": int(before),
                    "to_wave": int(after),
                    "partner_id": partner,
                    "movement": "into core" if bool(now) else "out of core",
                    "coreness_before": float(a.at[partner, "coreness"]),
                    "coreness_after": float(b.at[partner, "coreness"]),
                }
            )
    columns = [
        "from_wave",
        "to_wave",
        "partner_id",
        "movement",
        "coreness_before",
        "coreness_after",
    ]
    return pd.DataFrame(rows, columns=columns)
