"""Network figures: arrowheads where the ties end, the same window in every wave."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import networkx as nx
import numpy as np
import pytest
from matplotlib.collections import LineCollection, PolyCollection

from netwerkonderzoek.figures import save_figure
from netwerkonderzoek.network import plot_network, plot_waves


def _graph(wave: int = 1) -> nx.DiGraph:
    G = nx.DiGraph(wave=wave)
    for node, kind in [("a", "municipality"), ("b", "care"), ("c", "welfare"), ("d", "other")]:
        G.add_node(node, kind=kind)
    G.add_edge("a", "b", weight=1.0, trust=3.0)
    G.add_edge("b", "a", weight=2.0, trust=2.0)
    G.add_edge("a", "c", weight=1.0)
    G.add_edge("c", "d", weight=4.0, trust=4.0)
    return G


POS = {"a": (0.0, 0.0), "b": (1.0, 0.2), "c": (0.3, 1.0), "d": (-0.8, 0.6)}


def _points(ax, xy) -> np.ndarray:
    """Data coordinates to points (1/72 inch) on the figure."""
    return ax.transData.transform(np.atleast_2d(xy)) * 72.0 / ax.figure.dpi


def test_arrowheads_touch_the_node_they_point_to():
    ax = plot_network(_graph(), pos=POS, trust=True, node_size=300.0)
    ax.figure.canvas.draw()
    lines = [c for c in ax.collections if isinstance(c, LineCollection)]
    heads = [c for c in ax.collections if type(c) is PolyCollection]
    assert len(lines) == 1 and len(heads) == 1
    edges = sorted(_graph().edges)
    assert len(heads[0].get_paths()) == len(edges)
    degree = dict(_graph().degree())
    top = max(degree.values())
    for (u, v), path in zip(edges, heads[0].get_paths(), strict=True):
        tip_inches = path.vertices[0]
        centre = _points(ax, POS[v])[0]
        tip = centre + tip_inches * 72.0
        radius = np.sqrt(300.0 * (0.25 + 0.75 * degree[v] / top)) / 2 + 0.5
        assert np.linalg.norm(tip - centre) == pytest.approx(radius, abs=1e-6)
        # The head points from the source to the target.
        towards = _points(ax, POS[v])[0] - _points(ax, POS[u])[0]
        assert np.dot(centre - tip, towards) > 0
        d = centre - tip
        cross = (d[0] * towards[1] - d[1] * towards[0]) / np.linalg.norm(towards)
        assert abs(cross) < 1e-6 * np.linalg.norm(centre - tip) + 1e-9
    # Each line ends inside its head: between the head's base and tip.
    for (_u, v), segment, path in zip(
        edges, lines[0].get_segments(), heads[0].get_paths(), strict=True
    ):
        end = _points(ax, segment[1])[0]
        centre = _points(ax, POS[v])[0]
        tip, base = path.vertices[0] * 72.0, (path.vertices[1] + path.vertices[2]) / 2 * 72.0
        along = np.dot(end - centre, tip) / np.dot(tip, tip)  # 1 at the tip
        assert 1.0 < along < np.linalg.norm(base) / np.linalg.norm(tip)
    matplotlib.pyplot.close(ax.figure)


def test_ties_without_arrows_are_full_lines_and_no_heads():
    ax = plot_network(_graph(), pos=POS, arrows=False)
    assert not [c for c in ax.collections if type(c) is PolyCollection]
    (lines,) = [c for c in ax.collections if isinstance(c, LineCollection)]
    for (u, v), segment in zip(sorted(_graph().edges), lines.get_segments(), strict=True):
        assert segment.tolist() == [list(POS[u]), list(POS[v])]
    matplotlib.pyplot.close(ax.figure)


def test_wave_panels_share_one_window():
    later = _graph(2)
    later.add_node("e", kind="care")
    later.add_edge("e", "a", weight=1.0)
    fig = plot_waves({1: _graph(1), 2: later}, seed=1)
    shown = [ax for ax in fig.axes if ax.get_title()]
    assert len(shown) == 2
    assert shown[0].get_xlim() == shown[1].get_xlim()
    assert shown[0].get_ylim() == shown[1].get_ylim()
    matplotlib.pyplot.close(fig)


def test_network_map_svg_is_byte_identical_on_a_second_draw(tmp_path):
    files = []
    for run in range(2):
        ax = plot_network(_graph(), pos=POS, trust=True)
        files += save_figure(ax.figure, tmp_path / str(run), "map", formats=("svg",))
        matplotlib.pyplot.close(ax.figure)
    assert files[0].read_bytes() == files[1].read_bytes()
