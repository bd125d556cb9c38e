"""Figures of the partner network in the house style: maps per wave, brokerage, load.

All functions take ``ax=None`` (or ``axes``) and return the axes (or the
figure for small multiples); labels are Dutch by default, English with
``language="en"``. Save with :func:`netwerkonderzoek.figures.save_figure`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..figures import legend_inside, style_axes
from ..formatting import localise_ticks

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx
    import pandas as pd

__all__ = [
    "plot_brokerage",
    "plot_network",
    "plot_network_load",
    "plot_partner_load",
    "plot_waves",
    "stable_layout",
]

TRUST_COLOURMAP = "RdYlBu"  # 1 (red, low trust) .. 4 (blue, high trust)


def stable_layout(graphs, seed: int | None = None) -> dict[str, tuple[float, float]]:
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


def plot_network(
    G: nx.DiGraph,
    ax=None,
    *,
    pos=None,
    language: str = "nl",
    seed: int | None = None,
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
        Put an arrowhead on each tie, touching the node it points to (a tie
        to a partner's own tie back shows two heads). Ties are one line
        collection and the heads one polygon collection, so hundreds of ties
        draw in a fraction of a second; the axes get an equal aspect, so
        the heads point along their lines.
    colorbar : bool
        With ``trust``, add the colour bar of the trust scale.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import pandas as pd
    >>> from netwerkonderzoek.network import build_graph
    >>> partners = pd.DataFrame({"partner_id": ["a", "b", "c"], "kind": ["care", "housing", "care"]})
    >>> ties = pd.DataFrame({"wave": [1, 1], "source": ["a", "b"], "target": ["b", "c"],
    ...                      "tie_type": ["information"] * 2, "weight": [1.0, 2.0]})
    >>> ax = plot_network(build_graph(ties, partners, 1), language="en", seed=1)
    >>> ax.get_title(), [t.get_text() for t in ax.get_legend().get_texts()]
    ('Partner network — wave 1', ['Housing corporation', 'Care'])
    """
    import networkx as nx
    from matplotlib import colormaps
    from matplotlib.colors import Normalize
    from matplotlib.lines import Line2D

    from ..figures import KIND_COLOURS, check_language, label, new_figure

    check_language(language)
    if ax is None:
        _, ax = new_figure("full-tall")
    else:
        style_axes(ax)  # the house style in the caller's own axes
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
    size_of = dict(zip(nodes, sizes, strict=True))
    ax.set_aspect("equal", adjustable="datalim")  # ties' directions on screen are as in data
    shorten = _draw_ties(ax, pos, edges, widths, edge_colours, size_of, arrows=arrows)
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
    if trust and colorbar:
        from matplotlib.cm import ScalarMappable

        bar = ax.figure.colorbar(
            ScalarMappable(norm=norm, cmap=cmap), ax=ax, shrink=0.5, location="bottom", pad=0.02
        )
        bar.set_label(label("trust", language) + " (1–4)")
    if legend:  # inside the axes, beside the partners, once the colour bar took its space
        legend_inside(ax, handles, title=label("partner_kind", language))
    wave = G.graph.get("wave")
    if title is None:
        title = label("network_map", language) + (
            f" — {label('wave', language).lower()} {wave}" if wave else ""
        )
    ax.set_title(title)
    ax.set_axis_off()
    if shorten is not None:
        shorten()
    localise_ticks(ax.figure, language)
    return ax


#: Arrowhead length and half width in points, for a tie of width 1 point (they grow with it).
_HEAD_LENGTH, _HEAD_HALF_WIDTH = 4.5, 1.8


def _draw_ties(ax, pos, edges, widths, colours, size_of, *, arrows: bool):
    """Ties as one line collection, arrowheads as one polygon collection.

    A head is a triangle in points (so it keeps its size whatever the axes'
    limits), placed at the target's position by an offset in data
    coordinates; its tip touches the target's marker (radius from the marker
    area in points², plus the marker edge). With heads, returns a function
    to call once the axes are complete (legend, colour bar): it shortens each
    line to the middle of its head at the axes' final scale, so line and
    head overlap little.
    """
    import numpy as np
    from matplotlib.collections import LineCollection, PolyCollection

    if not edges:
        return None
    src = np.array([pos[u] for u, _, _ in edges], dtype=float)
    dst = np.array([pos[v] for _, v, _ in edges], dtype=float)
    width = np.asarray(widths, dtype=float)
    colour = colours if isinstance(colours, str) else list(colours)
    delta = dst - src
    length = np.hypot(delta[:, 0], delta[:, 1])
    unit = np.divide(delta, length[:, None], out=np.zeros_like(delta), where=length[:, None] > 0)
    head_length = _HEAD_LENGTH * (0.6 + 0.4 * width)
    head_half = _HEAD_HALF_WIDTH * (0.6 + 0.4 * width)
    # Marker radius in points: the marker area is in points², its edge 0.5 pt wide.
    radius = np.array([np.sqrt(size_of[v]) / 2 + 0.5 for _, v, _ in edges])
    lines = LineCollection(
        np.stack([src, dst], axis=1),
        linewidths=width,
        colors=colour,
        alpha=0.7,
        capstyle="butt",
        zorder=1,
    )
    ax.add_collection(lines, autolim=True)
    if not arrows:
        return None
    # Triangles in points around (0, 0) = the target's centre; the heads of
    # ties of length zero (a partner's tie to itself) are left out.
    normal = np.stack([-unit[:, 1], unit[:, 0]], axis=1)
    tip = -unit * radius[:, None]
    base = tip - unit * head_length[:, None]
    heads = np.stack(
        [tip, base + normal * head_half[:, None], base - normal * head_half[:, None]], axis=1
    )
    keep = length > 0
    head_colour = (
        colour if isinstance(colour, str) else [c for c, k in zip(colour, keep, strict=True) if k]
    )
    ax.add_collection(
        PolyCollection(
            heads[keep] / 72.0,  # inches
            offsets=dst[keep],
            offset_transform=ax.transData,
            transform=ax.figure.dpi_scale_trans,
            facecolors=head_colour,
            edgecolors="none",
            alpha=0.7,
            zorder=1,
        ),
        autolim=False,
    )

    def shorten() -> None:
        """End each line in the middle of its head, at the axes' present scale."""
        ax.autoscale_view()
        ax.apply_aspect()
        x0, x1 = ax.get_xlim()
        inches = ax.get_position().width * ax.figure.get_figwidth()
        data_per_point = (x1 - x0) / max(inches * 72.0, 1e-9)
        back = (radius + head_length / 2) * data_per_point
        end = dst - unit * np.minimum(back, length)[:, None]
        lines.set_segments(np.stack([src, end], axis=1))

    return shorten


def plot_waves(
    graphs: dict,
    *,
    language: str = "nl",
    seed: int | None = None,
    trust: bool = False,
    ncols: int | None = None,
    labels: bool = False,
):
    """Small multiples: the network of every wave, with positions stable across waves.

    Ties are drawn as lines without arrowheads (see ``arrows`` of
    :func:`plot_network`): at this size direction cannot be read anyway, and
    arrows cost seconds per figure; the network map of one wave shows them.

    Parameters
    ----------
    graphs : dict
        Wave to graph (e.g. :func:`~netwerkonderzoek.network.wave_graphs`).
    trust : bool
        Colour ties by trust (see :func:`plot_network`).
    ncols : int, optional
        Panels per row (default: up to 3).

    Returns
    -------
    matplotlib Figure

    Examples
    --------
    >>> import pandas as pd
    >>> from netwerkonderzoek.network import wave_graphs
    >>> partners = pd.DataFrame({"partner_id": ["a", "b", "c"], "kind": ["care", "housing", "care"]})
    >>> ties = pd.DataFrame({"wave": [1, 1, 2], "source": ["a", "b", "a"], "target": ["b", "c", "c"],
    ...                      "tie_type": ["information"] * 3, "weight": [1.0] * 3})
    >>> fig = plot_waves(wave_graphs(ties, partners), language="en", seed=1)
    >>> [ax.get_title() for ax in fig.axes]
    ['Wave 1', 'Wave 2']
    """
    import math

    import matplotlib.pyplot as plt

    from ..figures import check_language, house_style, label

    check_language(language)
    waves = sorted(graphs)
    if not waves:
        raise ValueError("The 'graphs' parameter of plot_waves must hold at least one wave.")
    pos = stable_layout([graphs[w] for w in waves], seed=seed)
    # Every panel shows the same window on the shared layout, so a partner is
    # in the same place at the same scale in every wave.
    xs, ys = zip(*pos.values(), strict=True) if pos else ((0.0,), (0.0,))
    pad = 0.08 * max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
    window = ((min(xs) - pad, max(xs) + pad), (min(ys) - pad, max(ys) + pad))
    ncols = ncols or min(3, len(waves))
    nrows = math.ceil(len(waves) / ncols)
    with house_style():
        fig, axes = plt.subplots(nrows, ncols, figsize=(6.7, 2.4 * nrows + 0.4), squeeze=False)
    for index, ax in enumerate(axes.ravel()):
        if index >= len(waves):
            ax.set_axis_off()
            continue
        wave = waves[index]
        plot_network(
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
        ax.set_xlim(*window[0])
        ax.set_ylim(*window[1])
        ax.set_aspect("equal", adjustable="box")
    if trust:
        from matplotlib import colormaps
        from matplotlib.cm import ScalarMappable
        from matplotlib.colors import Normalize

        mappable = ScalarMappable(norm=Normalize(1, 4), cmap=colormaps[TRUST_COLOURMAP])
        bar = fig.colorbar(mappable, ax=axes.ravel().tolist(), shrink=0.4, location="bottom")
        bar.set_label(label("trust", language) + " (1–4)")
    fig.suptitle(label("network_map", language))
    localise_ticks(fig, language)
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

    Examples
    --------
    >>> import networkx as nx
    >>> from netwerkonderzoek.network import brokerage
    >>> G = nx.DiGraph([("a", "m"), ("m", "a"), ("m", "c"), ("c", "m")])
    >>> nx.set_node_attributes(G, {"a": "care", "c": "care", "m": "municipality"}, "kind")
    >>> ax = plot_brokerage(brokerage(G), language="en")
    >>> [t.get_text() for t in ax.get_yticklabels()], ax.get_xlabel()  # the main broker on top
    (['c', 'a', 'm'], 'Brokered two-paths')
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
    else:
        style_axes(ax)  # the house style in the caller's own axes
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
    localise_ticks(ax, language)
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

    Examples
    --------
    >>> import pandas as pd
    >>> load = pd.DataFrame({"organisation": ["kvk-1", "kvk-1", "kvk-2"],
    ...     "name": ["Gemeente", "Gemeente, sociaal domein", "GGD"], "network_id": ["a", "b", "b"],
    ...     "hours": [40.0, 5.0, 12.0], "meeting_hours": [10.0, 5.0, 0.0]})
    >>> ax = plot_network_load(load, language="en")
    >>> [t.get_text() for t in ax.get_yticklabels()], [t.get_text() for t in ax.get_legend().get_texts()]
    (['GGD', 'Gemeente'], ['a', 'b'])
    """
    import numpy as np

    from ..figures import check_language, label, new_figure
    from .load import busiest_partners

    check_language(language)
    busiest = busiest_partners(load, top)
    if ax is None:
        _, ax = new_figure("full")
    else:
        style_axes(ax)  # the house style in the caller's own axes
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
    localise_ticks(ax, language)
    return ax


def plot_partner_load(
    table: pd.DataFrame,
    ax=None,
    *,
    top: int = 10,
    language: str = "nl",
):
    """Horizontal bars of a network's own partners' hours, with their other networks.

    Each bar is the partner's hours in this network (stacked with its hours
    in the programme's other networks where the configs share them); the
    number at the end of the bar says in how many other networks it sits.
    Nothing of a network outside the programme is drawn.

    Parameters
    ----------
    table : DataFrame
        From :func:`~netwerkonderzoek.network.partner_load`.
    top : int
        Number of partners, in the table's order (most other networks first).

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import pandas as pd
    >>> from netwerkonderzoek.network import partner_load
    >>> load = pd.DataFrame({"organisation": ["kvk-1", "kvk-1", "kvk-2"],
    ...     "name": ["Gemeente", "Gemeente, sociaal domein", "GGD"], "network_id": ["a", "b", "b"],
    ...     "partner_id": ["gem", "gemeente", "ggd"], "kind": ["municipality", "municipality", "care"],
    ...     "hours": [40.0, 5.0, 12.0], "meeting_hours": [10.0, 5.0, 0.0],
    ...     "meeting_share": [0.25, 1.0, 0.0]})
    >>> ax = plot_partner_load(partner_load(load, "b"), language="en")
    >>> [t.get_text() for t in ax.get_yticklabels()], [t.get_text() for t in ax.texts]
    (['GGD', 'Gemeente, sociaal domein'], ['only this network', '+ 1 other network'])
    """

    from ..figures import check_language, label, new_figure

    check_language(language)
    if top < 1:
        raise ValueError(
            f"The 'top' parameter of plot_partner_load must be >= 1. Got {top!r} instead."
        )
    shown = table.head(top).iloc[::-1]
    if ax is None:
        _, ax = new_figure("full")
    else:
        style_axes(ax)  # the house style in the caller's own axes
    names = shown["name"].astype(str).tolist()
    own = shown["hours"].to_numpy(dtype=float)
    programme = shown["programme_hours"].to_numpy(dtype=float)
    ax.barh(names, own, color="#0072B2", label=label("this_network", language))
    if programme.any():
        ax.barh(
            names,
            programme,
            left=own,
            color="#E69F00",
            label=label("programme_networks", language),
        )
    ends = own + programme
    longest = float(ends.max()) if len(ends) else 0.0
    for y, (end, n) in enumerate(zip(ends, shown["other_networks"], strict=True)):
        if n == 0:
            text = label("only_this_network", language)
        else:
            text = f"+ {int(n)} " + label(
                "other_network" if n == 1 else "other_networks", language
            )
        ax.text(end + longest * 0.01, y, text, va="center", fontsize=7)
    if longest > 0:  # room for the labels at the bars' ends
        ax.set_xlim(0, longest * 1.3)
    ax.set_xlabel(label("hours", language))
    ax.legend(loc="lower right")
    ax.grid(axis="y", visible=False)
    ax.set_title(label("partner_load", language))
    localise_ticks(ax, language)
    return ax
