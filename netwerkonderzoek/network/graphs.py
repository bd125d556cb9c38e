"""Partner-network graphs per survey wave, one layer per tie type.

The ties table holds directed ties per wave and tie type. :func:`build_graph`
turns one wave into a :class:`networkx.DiGraph` — one layer (tie type) or the
combined graph — with the partners active on the wave's fieldwork date as
nodes carrying their attributes. Faulty input (a wave without ties, a tie to
an unknown or inactive partner, a self-tie) raises :class:`NetworkDataError`
naming the wave and the partners, instead of giving silently wrong measures.

Examples
--------
>>> import pandas as pd
>>> from netwerkonderzoek.network import build_graph
>>> partners = pd.DataFrame({"partner_id": ["a", "b", "c"], "kind": ["care"] * 3,
...                          "name": ["A", "B", "C"]})
>>> ties = pd.DataFrame({"wave": [1, 1], "source": ["a", "b"], "target": ["b", "a"],
...                      "tie_type": ["information", "information"], "weight": [2.0, 1.0]})
>>> G = build_graph(ties, partners, wave=1)
>>> G.number_of_nodes(), G.number_of_edges()
(3, 2)
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from ..exceptions import NetwerkonderzoekError
from ..vocabulary import TIE_TYPES, TRUST_RATINGS, VALUE_RATINGS

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx
    import pandas as pd

__all__ = [
    "LAYERS",
    "TRUST_RATINGS",
    "VALUE_RATINGS",
    "NetworkDataError",
    "active_partners",
    "build_graph",
    "check_graph",
    "membership_changes",
    "network_waves",
    "wave_graphs",
    "wave_months",
]

LAYERS = ("all", *TIE_TYPES)


class NetworkDataError(NetwerkonderzoekError, ValueError):
    """Ties or partners that cannot form a valid network for a wave.

    The message names the wave and the partners at fault: a wave without ties,
    a tie naming an unknown or inactive partner, a self-tie, or a network too
    small for a measure. A :class:`ValueError` too, so callers that caught the
    former ``ValueError`` keep working.
    """


def active_partners(partners: pd.DataFrame, date=None) -> pd.DataFrame:
    """Partners taking part on ``date``: joined on or before it, not left before it.

    With ``date=None`` every partner is returned.

    Examples
    --------
    >>> import pandas as pd
    >>> partners = pd.DataFrame({"partner_id": ["a", "b"], "joined": ["2020-01-01", "2023-06-01"],
    ...                          "left": [None, None]})
    >>> list(active_partners(partners, "2023-03-01")["partner_id"])
    ['a']
    """
    import pandas as pd

    if date is None:
        return partners
    when = pd.Timestamp(date)
    joined = pd.to_datetime(partners["joined"]) <= when
    left = partners["left"] if "left" in partners else pd.Series(pd.NaT, index=partners.index)
    left = pd.to_datetime(left)
    still = left.isna() | (left > when)
    return partners[joined & still]


def membership_changes(partners: pd.DataFrame) -> list[str]:
    """Partners whose membership is not the same on every date, by their joined/left dates.

    A partner's membership changes when it joined later than the earliest
    ``joined`` date of the table, or has a ``left`` date. Without a wave's
    fieldwork date such partners cannot be placed in or out of the wave, so
    :func:`build_graph` and the functions built on it refuse to guess (see
    :func:`build_graph`). Empty when the table has no ``joined``/``left``
    columns or every partner joined on the same date and none left.

    Examples
    --------
    >>> import pandas as pd
    >>> partners = pd.DataFrame({"partner_id": ["a", "b", "c"],
    ...     "joined": ["2020-01-01", "2023-06-01", "2020-01-01"], "left": [None, None, "2024-01-31"]})
    >>> membership_changes(partners)
    ['b', 'c']
    """
    import pandas as pd

    changing = pd.Series(False, index=partners.index)
    if "joined" in partners:
        joined = pd.to_datetime(partners["joined"])
        if joined.notna().any():
            changing |= joined.notna() & (joined > joined.min())
    if "left" in partners:
        changing |= pd.to_datetime(partners["left"]).notna()
    return sorted(map(str, partners.loc[changing, "partner_id"]))


def _check_dated(partners: pd.DataFrame, wave: int, date) -> None:
    """Raise :class:`NetworkDataError` if ``date`` is missing but membership changes."""
    if date is not None:
        return
    changing = membership_changes(partners)
    if not changing:
        return
    shown = ", ".join(changing[:5]) + (
        f" and {len(changing) - 5} more" if len(changing) > 5 else ""
    )
    raise NetworkDataError(
        f"wave {wave} has no fieldwork date, but the partners table has joined/left dates "
        f"that change the membership ({shown}): without the wave's date, partners who had "
        "not joined yet or had already left would count as isolates. Pass the wave dates "
        "(wave_dates=config.wave_dates, or date= for one wave)"
    )


def wave_months(wave_dates, first_month=None) -> dict[int, list]:
    """The calendar months each survey wave covers.

    A wave covers the months after the previous wave's fieldwork month up to
    and including its own; the first wave starts at ``first_month`` (the
    first month with data), or covers only its own month without it. Hours
    and meetings are summed over these months.

    Parameters
    ----------
    wave_dates : mapping of int to date
        Fieldwork date of each wave (``NetworkConfig.wave_dates``).
    first_month : pandas.Period, optional
        The first month of data.

    Returns
    -------
    dict of int to list of pandas.Period
        Per wave, in wave order, its months.

    Examples
    --------
    >>> import pandas as pd
    >>> months = wave_months({1: "2023-03-15", 2: "2023-06-20"}, pd.Period("2023-01", "M"))
    >>> {w: [str(m) for m in ms] for w, ms in months.items()}
    {1: ['2023-01', '2023-02', '2023-03'], 2: ['2023-04', '2023-05', '2023-06']}
    """
    import pandas as pd

    months, previous = {}, None
    for wave in sorted(wave_dates):
        end = pd.Period(pd.Timestamp(wave_dates[wave]), freq="M")
        start = previous + 1 if previous is not None else first_month
        start = end if start is None else start
        months[int(wave)] = list(pd.period_range(min(start, end), end, freq="M"))
        previous = end
    return months


def network_waves(ties: pd.DataFrame, wave_dates: dict | None = None) -> list[int]:
    """The waves to analyse: those of ``wave_dates`` if given, else those in ``ties``.

    Raises
    ------
    NetworkDataError
        If a wave of ``wave_dates`` has no ties at all, or ``ties`` is empty.

    Examples
    --------
    >>> import pandas as pd
    >>> ties = pd.DataFrame({"wave": [2, 1, 2]})
    >>> network_waves(ties)
    [1, 2]
    >>> network_waves(ties, {1: "2023-01-01", 3: "2024-01-01"})
    Traceback (most recent call last):
    ...
    netwerkonderzoek.network.graphs.NetworkDataError: wave 3 has no ties in the ties table (it holds waves 1, 2); remove the wave from the study configuration or add its ties
    """
    present = sorted({int(w) for w in ties["wave"].dropna().unique()})
    if not present:
        raise NetworkDataError("the ties table is empty: there is no wave to analyse")
    if not wave_dates:
        return present
    waves = sorted(int(w) for w in wave_dates)
    for wave in waves:
        if wave not in present:
            raise NetworkDataError(
                f"wave {wave} has no ties in the ties table (it holds waves "
                f"{', '.join(map(str, present))}); remove the wave from the study "
                "configuration or add its ties"
            )
    return waves


def build_graph(
    ties: pd.DataFrame,
    partners: pd.DataFrame,
    wave: int,
    *,
    layer: str = "all",
    date=None,
) -> nx.DiGraph:
    """Directed, weighted graph of one wave.

    Parameters
    ----------
    ties : DataFrame
        Canonical ties table (``wave``, ``source``, ``target``, ``tie_type``,
        ``weight`` and optionally the six PARTNER ratings).
    partners : DataFrame
        Canonical partners table; its columns become node attributes.
    wave : int
        Survey wave.
    layer : str
        A tie type, or ``"all"`` for the combined graph, whose edge weight is
        the sum over tie types and whose ``layers`` attribute lists them.
    date : date-like, optional
        Fieldwork date of the wave; when given, only partners active on that
        date are nodes (partners that joined later or left earlier are not).
        Required when the partners' ``joined``/``left`` dates change the
        membership (:func:`membership_changes`); without such dates every
        partner is a node.

    Returns
    -------
    networkx.DiGraph
        Graph attributes ``wave`` and ``layer``; edge attributes ``weight``,
        ``layers`` and ``trust`` / ``value`` (mean PARTNER ratings of the tie,
        NaN when the tie was not rated).

    Raises
    ------
    ValueError
        If ``layer`` is unknown.
    NetworkDataError
        If the wave has no ties at all, a tie is a self-tie, a tie names a
        partner that is not an (active) partner, or ``date`` is missing while
        the partners' joined/left dates change the membership; the message
        names them.

    Examples
    --------
    >>> import pandas as pd
    >>> partners = pd.DataFrame({"partner_id": ["a", "b"], "kind": ["care", "housing"]})
    >>> ties = pd.DataFrame({"wave": [1], "source": ["a"], "target": ["a"],
    ...                      "tie_type": ["information"], "weight": [1.0]})
    >>> build_graph(ties, partners, 1)
    Traceback (most recent call last):
    ...
    netwerkonderzoek.network.graphs.NetworkDataError: wave 1 has self-ties (a partner tied to itself): a
    """
    check_layer(layer)
    return layer_graphs(ties, partners, wave, (layer,), date=date)[layer]


def check_layer(layer: str) -> None:
    """Raise :class:`ValueError` if ``layer`` is not one of :data:`LAYERS`.

    Examples
    --------
    >>> check_layer("information")
    >>> check_layer("trust")
    Traceback (most recent call last):
    ...
    ValueError: The 'layer' parameter must be one of all, information, joint_delivery, shared_resources, shared_clients. Got 'trust' instead.
    """
    if layer not in LAYERS:
        raise ValueError(
            f"The 'layer' parameter must be one of {', '.join(LAYERS)}. Got {layer!r} instead."
        )


def layer_graphs(
    ties: pd.DataFrame,
    partners: pd.DataFrame,
    wave: int,
    layers: tuple[str, ...],
    *,
    date=None,
) -> dict[str, nx.DiGraph]:
    """The graphs of one wave for several layers at once, keyed by layer.

    Each graph is the one :func:`build_graph` gives for its layer; the work
    the layers share is done once: the active partners and their attributes,
    the wave's ties and their checks, the ratings' means and the sort.
    ``layers`` holds valid layer names (see :func:`check_layer`).

    Raises
    ------
    NetworkDataError
        As :func:`build_graph`.

    Examples
    --------
    >>> import pandas as pd
    >>> partners = pd.DataFrame({"partner_id": ["a", "b"], "kind": ["care", "housing"]})
    >>> ties = pd.DataFrame({"wave": [1, 1, 1], "source": ["a", "a", "b"], "target": ["b", "b", "a"],
    ...     "tie_type": ["information", "joint_delivery", "information"], "weight": [1.0, 2.0, 1.0]})
    >>> graphs = layer_graphs(ties, partners, 1, ("all", "information", "joint_delivery"))
    >>> {layer: list(G.edges(data="weight")) for layer, G in graphs.items()}  # doctest: +NORMALIZE_WHITESPACE
    {'all': [('a', 'b', 3.0), ('b', 'a', 1.0)],
     'information': [('a', 'b', 1.0), ('b', 'a', 1.0)],
     'joint_delivery': [('a', 'b', 2.0)]}
    """
    import networkx as nx

    _check_dated(partners, wave, date)
    nodes = active_partners(partners, date)
    attributes = [c for c in nodes.columns if c != "partner_id"]
    records = nodes[["partner_id", *attributes]].to_dict("records")
    ids = [record.pop("partner_id") for record in records]
    graphs = {}
    for layer in layers:
        G = nx.DiGraph(wave=int(wave), layer=layer)
        for node, record in zip(ids, records, strict=True):
            G.add_node(node, **record)
        graphs[layer] = G
    in_wave = ties[ties["wave"] == wave]
    if in_wave.empty:
        raise NetworkDataError(f"wave {wave} has no ties: an empty wave has no network")
    selfies = sorted(set(in_wave.loc[in_wave["source"] == in_wave["target"], "source"]))
    if selfies:
        raise NetworkDataError(
            f"wave {wave} has self-ties (a partner tied to itself): {', '.join(selfies)}"
        )
    known = set(partners["partner_id"])
    named = set(in_wave["source"]) | set(in_wave["target"])
    unknown = sorted(named - known)
    if unknown:
        raise NetworkDataError(
            f"ties of wave {wave} name partners that are not in the partners table: "
            f"{', '.join(unknown)}"
        )
    inactive = sorted(named - set(ids))
    if inactive:
        raise NetworkDataError(
            f"ties of wave {wave} name partners that are not active partners on {date}: "
            f"{', '.join(inactive)} (see their joined/left dates)"
        )
    if "all" in layers:
        selected = in_wave
    elif len(layers) == 1:
        selected = in_wave[in_wave["tie_type"] == layers[0]]
    else:
        selected = in_wave[in_wave["tie_type"].isin(layers)]
    edges = _sorted_ties(selected)
    for layer, G in graphs.items():
        G.add_edges_from(_edge_records(edges, layer))
    return graphs


def _row_means(rows: pd.DataFrame, columns: tuple[str, ...]):
    import numpy as np
    import pandas as pd

    present = [c for c in columns if c in rows]
    if not present:
        return pd.Series(np.nan, index=rows.index)
    return rows[present].astype(float).mean(axis=1, skipna=True)


def _sorted_ties(selected: pd.DataFrame) -> dict | None:
    """The columns :func:`_edge_records` needs, sorted by source, target and tie type.

    ``weight``, ``trust`` and ``value`` (the mean trust and value ratings of
    each tie) as float arrays; ``source``, ``target`` and ``tie_type`` as
    object arrays. ``None`` when there are no ties.
    """
    if selected.empty:
        return None
    frame = selected[["source", "target", "tie_type", "weight"]].copy()
    frame["weight"] = frame["weight"].astype(float)
    frame["trust"] = _row_means(selected, TRUST_RATINGS)
    frame["value"] = _row_means(selected, VALUE_RATINGS)
    frame = frame.sort_values(["source", "target", "tie_type"], kind="stable")
    columns = {c: frame[c].to_numpy(dtype=object) for c in ("source", "target", "tie_type")}
    return columns | {c: frame[c].to_numpy(dtype=float) for c in ("weight", "trust", "value")}


def _edge_records(edges: dict | None, layer: str = "all") -> list:
    """Edges (source, target, attributes) of one layer, aggregated over tie types.

    ``edges`` comes from :func:`_sorted_ties`. Per (source, target): the
    weights summed, the tie types in sorted order, and the mean of the trust
    and value ratings of the rated ties (NaN when none is rated). The rows are
    sorted already; a layer's rows keep that order, so they are only cut into
    groups, without any pandas call.
    """
    import numpy as np

    if edges is None:
        return []
    if layer != "all":
        keep = edges["tie_type"] == layer
        if not keep.any():
            return []
        edges = {column: values[keep] for column, values in edges.items()}
    source, target, types = edges["source"], edges["target"], edges["tie_type"]
    n = len(source)
    first = np.ones(n, dtype=bool)
    first[1:] = (source[1:] != source[:-1]) | (target[1:] != target[:-1])
    starts = np.flatnonzero(first)
    ends = np.append(starts[1:], n)

    def sums(column: str) -> tuple[list[float], list[int]]:
        """Per group: Kahan-compensated sum of the non-missing values and their count.

        The summation pandas' groupby ``sum`` and ``mean`` use, so the numbers
        are the ones ``groupby(...).agg`` gave, to the last bit.
        """
        values = edges[column].tolist()
        totals, counts = [], []
        for a, b in zip(starts.tolist(), ends.tolist(), strict=True):
            total = compensation = 0.0
            count = 0
            for value in values[a:b]:
                if value != value:  # NaN: not rated
                    continue
                count += 1
                y = value - compensation
                t = total + y
                compensation = t - total - y
                if compensation != compensation:
                    compensation = 0.0
                total = t
            totals.append(total)
            counts.append(count)
        return totals, counts

    def total(column: str) -> list[float]:
        return sums(column)[0]

    def mean(column: str) -> list[float]:
        totals, counts = sums(column)
        return [t / c if c else math.nan for t, c in zip(totals, counts, strict=True)]

    weights, trusts, values = total("weight"), mean("trust"), mean("value")
    return [
        (
            source[a],
            target[a],
            {
                "weight": float(weights[k]),
                "layers": tuple(types[a:b].tolist()),
                "trust": float(trusts[k]),
                "value": float(values[k]),
            },
        )
        for k, (a, b) in enumerate(zip(starts.tolist(), ends.tolist(), strict=True))
    ]


def wave_graphs(
    ties: pd.DataFrame,
    partners: pd.DataFrame,
    wave_dates: dict | None = None,
    *,
    layer: str = "all",
) -> dict[int, nx.DiGraph]:
    """One graph per wave (see :func:`build_graph`), keyed by wave number.

    Examples
    --------
    >>> import pandas as pd
    >>> partners = pd.DataFrame({"partner_id": ["a", "b"], "kind": ["care", "housing"]})
    >>> ties = pd.DataFrame({"wave": [1, 2], "source": ["a", "b"], "target": ["b", "a"],
    ...                      "tie_type": ["information"] * 2, "weight": [1.0, 1.0]})
    >>> {w: list(G.edges) for w, G in wave_graphs(ties, partners).items()}
    {1: [('a', 'b')], 2: [('b', 'a')]}
    """
    dates = wave_dates or {}
    return {
        wave: build_graph(ties, partners, wave, layer=layer, date=dates.get(wave))
        for wave in network_waves(ties, wave_dates)
    }


def check_graph(G, minimum: int = 2, what: str = "this measure") -> None:
    """Raise :class:`NetworkDataError` if ``G`` has fewer than ``minimum`` partners.

    Examples
    --------
    >>> import networkx as nx
    >>> check_graph(nx.DiGraph([("a", "b")]))
    >>> G = nx.DiGraph(wave=3)
    >>> G.add_node("solo")
    >>> check_graph(G)
    Traceback (most recent call last):
    ...
    netwerkonderzoek.network.graphs.NetworkDataError: wave 3: the network has 1 partner (solo); this measure needs at least 2 partners
    """
    n = G.number_of_nodes()
    if n < minimum:
        wave = G.graph.get("wave")
        where = f"wave {wave}: " if wave is not None else ""
        names = ", ".join(sorted(map(str, G.nodes)))
        listed = f" ({names})" if names else ""
        raise NetworkDataError(
            f"{where}the network has {n} partner{'s' if n != 1 else ''}{listed}; "
            f"{what} needs at least {minimum} partners"
        )
