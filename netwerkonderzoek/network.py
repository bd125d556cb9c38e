"""Partner-network graphs per survey wave and their basic measures.

The ties table holds directed ties per wave and tie type (layer). This module
turns it into :class:`networkx.DiGraph` objects — one per wave, per layer or
combined — with the partners as nodes carrying their attributes, computes
network-level measures per wave and draws the network in the house style.

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

from typing import TYPE_CHECKING

from .tables import TIE_TYPES

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx
    import pandas as pd

__all__ = [
    "active_partners",
    "build_graph",
    "draw_network",
    "network_measures",
    "stable_layout",
]

LAYERS = ("all", *TIE_TYPES)


def active_partners(partners: pd.DataFrame, date=None) -> pd.DataFrame:
    """Partners taking part on ``date``: joined on or before it, not left before it.

    With ``date=None`` every partner is returned.
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
        Canonical ties table (``wave``, ``source``, ``target``, ``tie_type``, ``weight``).
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

    Returns
    -------
    networkx.DiGraph

    Raises
    ------
    ValueError
        If ``layer`` is unknown, or a tie names a partner that is not a node.
    """
    import networkx as nx

    if layer not in LAYERS:
        raise ValueError(
            f"The 'layer' parameter must be one of {', '.join(LAYERS)}. Got {layer!r} instead."
        )
    G = nx.DiGraph(wave=int(wave), layer=layer)
    nodes = active_partners(partners, date)
    attributes = [c for c in nodes.columns if c != "partner_id"]
    for record in nodes[["partner_id", *attributes]].to_dict("records"):
        node = record.pop("partner_id")
        G.add_node(node, **record)
    selected = ties[ties["wave"] == wave]
    if layer != "all":
        selected = selected[selected["tie_type"] == layer]
    unknown = sorted((set(selected["source"]) | set(selected["target"])) - set(G.nodes))
    if unknown:
        raise ValueError(
            f"ties of wave {wave} name partners that are not active partners: {', '.join(unknown)}"
        )
    grouped = selected.groupby(["source", "target"], sort=True)
    for (source, target), rows in grouped:
        G.add_edge(
            source,
            target,
            weight=float(rows["weight"].sum()),
            layers=tuple(sorted(rows["tie_type"])),
        )
    return G


def network_measures(
    ties: pd.DataFrame,
    partners: pd.DataFrame,
    wave_dates: dict[int, object] | None = None,
    layers: tuple[str, ...] = LAYERS,
) -> pd.DataFrame:
    """Network-level measures per wave and layer, as a tidy table.

    Columns: ``wave``, ``layer``, ``partners`` (nodes), ``ties`` (directed
    edges), ``density`` (ties / (n (n - 1)), Wasserman & Faust 1994, eq. 4.3)
    and ``reciprocity`` (share of ties that are reciprocated, networkx
    :func:`~networkx.algorithms.reciprocity.overall_reciprocity`).

    Parameters
    ----------
    ties, partners : DataFrame
        Canonical tables.
    wave_dates : dict, optional
        Fieldwork date per wave, to count only active partners.
    layers : tuple of str
        Layers to report; ``"all"`` is the combined graph.

    Examples
    --------
    >>> import pandas as pd
    >>> partners = pd.DataFrame({"partner_id": ["a", "b", "c"], "kind": ["care"] * 3})
    >>> ties = pd.DataFrame({"wave": [1, 1], "source": ["a", "b"], "target": ["b", "a"],
    ...                      "tie_type": ["information"] * 2, "weight": [1.0, 1.0]})
    >>> network_measures(ties, partners, layers=("all",))[["wave", "ties", "density"]]
       wave  ties  density
    0     1     2 0.333333
    """
    import networkx as nx
    import pandas as pd

    rows = []
    dates = wave_dates or {}
    for wave in sorted(int(w) for w in ties["wave"].unique()):
        for layer in layers:
            G = build_graph(ties, partners, wave, layer=layer, date=dates.get(wave))
            n, m = G.number_of_nodes(), G.number_of_edges()
            rows.append(
                {
                    "wave": wave,
                    "layer": layer,
                    "partners": n,
                    "ties": m,
                    "density": nx.density(G) if n > 1 else float("nan"),
                    "reciprocity": nx.overall_reciprocity(G) if m else float("nan"),
                }
            )
    return pd.DataFrame(rows)


def stable_layout(graphs, seed: int | None = 0) -> dict[str, tuple[float, float]]:
    """Node positions shared by several graphs, so waves can be compared.

    The layout is computed once on the union of the graphs (Fruchterman &
    Reingold 1991 spring layout, networkx) with a fixed ``seed``; a partner
    keeps its place in every wave.
    """
    import networkx as nx

    union = nx.Graph()
    for G in graphs:
        union.add_nodes_from(sorted(G.nodes))
        for u, v, data in sorted(G.edges(data=True)):
            w = data.get("weight", 1.0)
            if union.has_edge(u, v):
                union[u][v]["weight"] += w
            else:
                union.add_edge(u, v, weight=w)
    positions = nx.spring_layout(union, seed=seed, weight="weight", iterations=200)
    return {
        node: (round(float(x), 6), round(float(y), 6))
        for node, (x, y) in sorted(positions.items())
    }


def draw_network(
    G: nx.DiGraph,
    ax=None,
    *,
    pos=None,
    language: str = "nl",
    seed: int | None = 0,
    title: str | None = None,
):
    """Draw a partner network: nodes coloured by partner kind, edge width by weight.

    Parameters
    ----------
    G : networkx.DiGraph
        Graph from :func:`build_graph`; nodes need a ``kind`` attribute.
    ax : matplotlib Axes, optional
        Axes to draw on; a new full-width figure when omitted.
    pos : dict, optional
        Positions (e.g. from :func:`stable_layout`); computed with ``seed`` if omitted.
    language : {"nl", "en"}
        Language of legend and title.
    title : str, optional
        Title; by default "Netwerk van partners — meting N".

    Returns
    -------
    matplotlib Axes
    """
    import networkx as nx
    from matplotlib.lines import Line2D

    from .figures import KIND_COLOURS, check_language, label, new_figure

    check_language(language)
    if ax is None:
        _, ax = new_figure("full-tall")
    if pos is None:
        pos = stable_layout([G], seed=seed)
    nodes = sorted(G.nodes)
    kinds = [G.nodes[n].get("kind", "other") for n in nodes]
    colours = [KIND_COLOURS.get(k, KIND_COLOURS["other"]) for k in kinds]
    degree = dict(G.degree())
    sizes = [60 + 25 * degree.get(n, 0) for n in nodes]
    edges = sorted(G.edges(data="weight", default=1.0))
    widths = [0.3 + 0.4 * float(w) ** 0.5 for _, _, w in edges]
    nx.draw_networkx_edges(
        G,
        pos,
        edgelist=[(u, v) for u, v, _ in edges],
        width=widths,
        edge_color="#888888",
        alpha=0.6,
        arrows=True,
        arrowsize=6,
        node_size=sizes,
        ax=ax,
    )
    nx.draw_networkx_nodes(
        G,
        pos,
        nodelist=nodes,
        node_color=colours,
        node_size=sizes,
        edgecolors="#333333",
        linewidths=0.5,
        ax=ax,
    )
    nx.draw_networkx_labels(G, pos, labels={n: n for n in nodes}, font_size=5, ax=ax)
    present = [k for k in KIND_COLOURS if k in set(kinds)]
    handles = [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markerfacecolor=KIND_COLOURS[k],
            markeredgecolor="#333333",
            label=label(k, language),
        )
        for k in present
    ]
    ax.legend(
        handles=handles,
        title=label("partner_kind", language),
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
    )
    wave = G.graph.get("wave")
    if title is None:
        title = label("network_map", language) + (
            f" — {label('wave', language).lower()} {wave}" if wave else ""
        )
    ax.set_title(title)
    ax.set_axis_off()
    return ax
