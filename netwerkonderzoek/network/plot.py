"""Figures of the partner network in the house style: maps per wave, brokerage, load.

All functions take ``ax=None`` (or ``axes``) and return the axes (or the
figure for small multiples); labels are Dutch by default, English with
``language="en"``. Save with :func:`netwerkonderzoek.figures.save_figure`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx
    import pandas as pd

__all__ = [
    "draw_network",
    "draw_waves",
    "plot_brokerage",
    "plot_network_load",
    "stable_layout",
]

TRUST_COLOURMAP = "RdYlBu"  # 1 (red, low trust) .. 4 (blue, high trust)


def stable_layout(graphs, seed: int | None = 0) -> dict[str, tuple[float, float]]:
    """Node positions shared by several graphs, so waves can be compared.

    The layout is computed once on the union of the graphs (Fruchterman &
    Reingold 1991 spring layout, https://doi.org/10.1002/spe.4380211102,
    networkx) with a fixed ``seed``; a partner keeps its place in every wave.

    Examples
    --------
    >>> import networkx as nx
    >>> pos = stable_layout([nx.DiGraph([("a", "b")]), nx.DiGraph([("b", "c")])], seed=1)
    >>> sorted(pos), pos == stable_layout([nx.DiGraph([("a", "b")]), nx.DiGraph([("b", "c")])], seed=1)
    (['a', 'b', 'c'], True)
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
    trust: bool = False,
    labels: bool = True,
    legend: bool = True,
    node_size: float = 300.0,
    arrows: bool = True,
    colorbar: bool = True,
):
    """Draw a partner network: nodes coloured by partner kind, edge width by weight.

    Parameters
    ----------
    G : networkx.DiGraph
        Graph from :func:`~netwerkonderzoek.network.build_graph`; nodes need a
        ``kind`` attribute.
    ax : matplotlib Axes, optional
        Axes to draw on; a new full-width figure when omitted.
    pos : dict, optional
        Positions (e.g. from :func:`stable_layout`); computed with ``seed`` if omitted.
    language : {"nl", "en"}
        Language of legend and title.
    title : str, optional
        Title; by default "Netwerk van partners — meting N".
    trust : bool
        Colour ties by their PARTNER trust score (1 red – 4 blue; grey when
        not rated) instead of grey.
    labels, legend : bool
        Draw partner ids and the legend of partner kinds.
    node_size : float
        Marker area (points²) of the partner with the most ties; the others
        scale down with their degree to a quarter of it.
    arrows : bool
        Draw each tie as an arrow (one patch per tie, clipped at the nodes).
        With ``False`` ties are straight lines in one collection: direction is
        not shown, but drawing and saving are about ten times faster on
        hundreds of ties (small multiples use it).
    colorbar : bool
        With ``trust``, add the colour bar of the trust scale.

    Returns
    -------
    matplotlib Axes
    """
    import networkx as nx
    from matplotlib import colormaps
    from matplotlib.colors import Normalize
    from matplotlib.lines import Line2D

    from ..figures import KIND_COLOURS, check_language, label, new_figure

    check_language(language)
    if ax is None:
        _, ax = new_figure("full-tall")
    if pos is None:
        pos = stable_layout([G], seed=seed)
    nodes = sorted(G.nodes)
    kinds = [G.nodes[n].get("kind", "other") for n in nodes]
    colours = [KIND_COLOURS.get(k, KIND_COLOURS["other"]) for k in kinds]
    degree = dict(G.degree())
    top = max([*degree.values(), 1])
    sizes = [node_size * (0.25 + 0.75 * degree.get(n, 0) / top) for n in nodes]
    edges = sorted(G.edges(data=True), key=lambda e: (str(e[0]), str(e[1])))
    widths = [0.3 + 0.4 * float(d.get("weight", 1.0)) ** 0.5 for _, _, d in edges]
    if trust:
        cmap, norm = colormaps[TRUST_COLOURMAP], Normalize(1, 4)
        edge_colours = [
            cmap(norm(d["trust"]))
            if d.get("trust") == d.get("trust") and "trust" in d
            else "#bbbbbb"
            for _, _, d in edges
        ]
    else:
        edge_colours = "#888888"
    # arrow options only with arrows: networkx warns when a LineCollection gets them
    arrow_options = {"arrowsize": 6, "node_size": sizes} if arrows else {}
    nx.draw_networkx_edges(
        G,
        pos,
        edgelist=[(u, v) for u, v, _ in edges],
        width=widths,
        edge_color=edge_colours,
        alpha=0.7,
        arrows=arrows,
        ax=ax,
        **arrow_options,
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
    if labels:
        nx.draw_networkx_labels(G, pos, labels={n: n for n in nodes}, font_size=5, ax=ax)
    if legend:
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
    if trust and colorbar:
        from matplotlib.cm import ScalarMappable

        bar = ax.figure.colorbar(
            ScalarMappable(norm=norm, cmap=cmap), ax=ax, shrink=0.5, location="bottom", pad=0.02
        )
        bar.set_label(label("trust", language) + " (1–4)")
    wave = G.graph.get("wave")
    if title is None:
        title = label("network_map", language) + (
            f" — {label('wave', language).lower()} {wave}" if wave else ""
        )
    ax.set_title(title)
    ax.set_axis_off()
    return ax


def draw_waves(
    graphs: dict,
    *,
    language: str = "nl",
    seed: int | None = 0,
    trust: bool = False,
    ncols: int | None = None,
    labels: bool = False,
):
    """Small multiples: the network of every wave, with positions stable across waves.

    Ties are drawn as lines without arrowheads (see ``arrows`` of
    :func:`draw_network`): at this size direction cannot be read anyway, and
    arrows cost seconds per figure; the network map of one wave shows them.

    Parameters
    ----------
    graphs : dict
        Wave to graph (e.g. :func:`~netwerkonderzoek.network.wave_graphs`).
    trust : bool
        Colour ties by trust (see :func:`draw_network`).
    ncols : int, optional
        Panels per row (default: up to 3).

    Returns
    -------
    matplotlib Figure
    """
    import math

    import matplotlib.pyplot as plt

    from ..figures import _house_style, check_language, label

    check_language(language)
    waves = sorted(graphs)
    if not waves:
        raise ValueError("The 'graphs' parameter of draw_waves must hold at least one wave.")
    pos = stable_layout([graphs[w] for w in waves], seed=seed)
    ncols = ncols or min(3, len(waves))
    nrows = math.ceil(len(waves) / ncols)
    with _house_style():
        fig, axes = plt.subplots(nrows, ncols, figsize=(6.7, 2.4 * nrows + 0.4), squeeze=False)
    for index, ax in enumerate(axes.ravel()):
        if index >= len(waves):
            ax.set_axis_off()
            continue
        wave = waves[index]
        draw_network(
            graphs[wave],
            ax,
            pos=pos,
            language=language,
            title=f"{label('wave', language)} {wave}",
            trust=trust,
            labels=labels,
            legend=index == len(waves) - 1,
            node_size=90.0,
            arrows=False,
            colorbar=False,
        )
    if trust:
        from matplotlib import colormaps
        from matplotlib.cm import ScalarMappable
        from matplotlib.colors import Normalize

        mappable = ScalarMappable(norm=Normalize(1, 4), cmap=colormaps[TRUST_COLOURMAP])
        bar = fig.colorbar(mappable, ax=axes.ravel().tolist(), shrink=0.4, location="bottom")
        bar.set_label(label("trust", language) + " (1–4)")
    fig.suptitle(label("network_map", language))
    return fig


def plot_brokerage(
    table: pd.DataFrame,
    ax=None,
    *,
    top: int = 10,
    language: str = "nl",
    title: str | None = None,
):
    """Stacked bars of the Gould–Fernandez role counts of the main brokers.

    Parameters
    ----------
    table : DataFrame
        From :func:`~netwerkonderzoek.network.brokerage` (indexed by partner) or
        the rows of one wave of :func:`~netwerkonderzoek.network.partner_measures`.
    top : int
        Number of partners with the most brokered two-paths to show.

    Returns
    -------
    matplotlib Axes
    """
    import numpy as np

    from ..figures import check_language, label, new_figure
    from .brokerage import BROKERAGE_ROLES

    check_language(language)
    data = table.set_index("partner_id") if "partner_id" in table.columns else table
    totals = data[list(BROKERAGE_ROLES)].sum(axis=1)
    order = totals.sort_values(ascending=False, kind="mergesort").head(top).index[::-1]
    if ax is None:
        _, ax = new_figure("full")
    colours = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00"]
    left = np.zeros(len(order))
    for role, colour in zip(BROKERAGE_ROLES, colours, strict=True):
        values = data.loc[order, role].to_numpy(dtype=float)
        ax.barh(
            [str(p) for p in order], values, left=left, color=colour, label=label(role, language)
        )
        left += values
    ax.set_xlabel(label("brokerage_count", language))
    ax.legend(loc="lower right")
    ax.grid(axis="y", visible=False)
    ax.set_title(title or label("brokerage", language))
    return ax


def plot_network_load(
    load: pd.DataFrame,
    ax=None,
    *,
    top: int = 10,
    language: str = "nl",
):
    """Horizontal bars of the busiest organisations' hours, stacked by network.

    Parameters
    ----------
    load : DataFrame
        From :func:`~netwerkonderzoek.network.network_load`.
    top : int
        Number of organisations (by number of networks, then hours).

    Returns
    -------
    matplotlib Axes
    """
    import numpy as np

    from ..figures import check_language, label, new_figure
    from .load import busiest_partners

    check_language(language)
    busiest = busiest_partners(load, top)
    if ax is None:
        _, ax = new_figure("full")
    names = busiest["name"].tolist()[::-1]
    organisations = busiest["organisation"].tolist()[::-1]
    networks = sorted(load["network_id"].unique())
    palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442"]
    left = np.zeros(len(organisations))
    for i, network_id in enumerate(networks):
        rows = load[load["network_id"] == network_id].groupby("organisation")["hours"].sum()
        values = np.array([rows.get(o, 0.0) for o in organisations])
        if not values.any():
            continue
        ax.barh(names, values, left=left, color=palette[i % len(palette)], label=network_id)
        left += values
    if len(left) and left.max() > 0:  # the longest bar ends inside the axes
        ax.set_xlim(0, float(left.max()) * 1.04)
    ax.set_xlabel(label("hours", language))
    ax.legend(loc="lower right")
    ax.grid(axis="y", visible=False)
    ax.set_title(label("busiest_partners", language))
    return ax
