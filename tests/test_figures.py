"""Tests for netwerkonderzoek.figures (house style, palettes, vocabulary, export)."""

from __future__ import annotations

import struct
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

from netwerkonderzoek import figures
from netwerkonderzoek.tables import EVENT_KINDS, PARTNER_KINDS, STAKEHOLDER_GROUPS, VALUE_TYPES


def _draw():
    fig, ax = figures.new_figure("column")
    ax.plot([1, 2, 3], [2, 1, 3], color=figures.colour("perspective", "societal"))
    ax.set_title(figures.label("value_matrix"))
    ax.set_xlabel(figures.label("wave"))
    return fig


def test_labels_dutch_by_default_and_english_on_request():
    assert figures.label("appreciation") == "Waardering"
    assert figures.label("appreciation", language="en") == "Appreciation"
    assert figures.label("no_data") == "geen gegevens"
    with pytest.raises(KeyError, match="no label for key 'nope'"):
        figures.label("nope")
    with pytest.raises(ValueError, match="'language' parameter must be one of nl, en"):
        figures.label("wave", language="de")


def test_vocabulary_is_complete():
    for key, pair in figures.VOCABULARY.items():
        assert len(pair) == 2 and all(isinstance(t, str) and t.strip() for t in pair), key
    for key in (*PARTNER_KINDS, *VALUE_TYPES, *STAKEHOLDER_GROUPS, *EVENT_KINDS):
        figures.label(key)  # raises if a category has no label


def test_palettes_are_fixed_and_complete():
    assert set(figures.KIND_COLOURS) == set(PARTNER_KINDS)
    assert set(figures.PERSPECTIVE_COLOURS) == set(VALUE_TYPES)
    assert set(figures.STAKEHOLDER_COLOURS) == set(STAKEHOLDER_GROUPS)
    assert set(figures.EVENT_COLOURS) == set(EVENT_KINDS)
    assert figures.colour("kind", "housing") == "#E69F00"  # Okabe & Ito orange
    with pytest.raises(KeyError, match="no colour for 'x'"):
        figures.colour("kind", "x")
    with pytest.raises(ValueError, match="'palette' parameter"):
        figures.colour("nope", "x")


def test_print_sizes():
    fig, _ = figures.new_figure("full")
    assert tuple(fig.get_size_inches()) == pytest.approx((6.7, 4.2))  # 170 mm text width
    fig, _ = figures.new_figure("column")
    assert fig.get_size_inches()[0] == pytest.approx(85 / 25.4, abs=0.01)  # A4 column
    with pytest.raises(ValueError, match="'size' parameter"):
        figures.new_figure("poster")


def test_export_is_deterministic(tmp_path):
    first = figures.save_figure(_draw(), tmp_path / "a", "f", formats=("svg", "pdf", "png"))
    second = figures.save_figure(_draw(), tmp_path / "b", "f", formats=("svg", "pdf", "png"))
    for p, q in zip(first, second, strict=True):
        assert p.read_bytes() == q.read_bytes(), p.suffix
    svg = first[0].read_text()
    assert "<dc:date>" not in svg and "Matplotlib v" not in svg
    assert b"CreationDate" not in first[1].read_bytes()


def test_png_is_300_dpi(tmp_path):
    (png,) = figures.save_figure(_draw(), tmp_path, "f", formats=("png",))
    data = png.read_bytes()
    pos = data.index(b"pHYs")
    x, y, unit = struct.unpack(">IIB", data[pos + 4 : pos + 13])
    assert unit == 1 and x == y == round(300 / 0.0254)  # pixels per metre


def test_unknown_format_is_refused(tmp_path):
    with pytest.raises(ValueError, match="'formats' parameter"):
        figures.save_figure(_draw(), tmp_path, "f", formats=("jpg",))


def _png_size(data: bytes) -> tuple[int, int]:
    return struct.unpack(">II", data[16:24])


def test_saving_with_one_layout_pass_gives_what_savefig_gives(tmp_path):
    """The box found once equals the box savefig finds for each format itself."""
    import matplotlib.pyplot as plt

    fig = _draw()
    fig.set_layout_engine("constrained")
    (ours,) = figures.save_figure(fig, tmp_path, "ours", formats=("png",))
    assert fig.get_layout_engine().__class__.__name__ == "ConstrainedLayoutEngine"
    with figures.house_style():
        fig.savefig(tmp_path / "plain.png", metadata={"Software": None})
    assert _png_size(ours.read_bytes()) == _png_size((tmp_path / "plain.png").read_bytes())
    plt.close(fig)


@pytest.mark.parametrize("formats", [("svg", "png"), ("svg",)])
def test_show_displays_the_figure_at_screen_resolution_and_closes_it(
    tmp_path, monkeypatch, formats
):
    import IPython.display
    import matplotlib.pyplot as plt

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, **_: shown.append(obj))
    fig = _draw()
    files = figures.save_figure(fig, tmp_path, "f", formats=formats, show=True)
    assert [p.suffix for p in files] == [f".{f}" for f in formats]
    (image,) = shown
    assert isinstance(image, IPython.display.Image)
    width, height = _png_size(image.data)
    # The figure's own 100 dpi: a third of the 300 dpi file, or drawn at 100 dpi.
    with figures.house_style():
        fig.savefig(tmp_path / "screen.png", dpi=fig.dpi)
    expected = _png_size((tmp_path / "screen.png").read_bytes())
    assert abs(width - expected[0]) <= 1 and abs(height - expected[1]) <= 1
    assert not plt.fignum_exists(fig.number)


def test_a_figure_without_a_drawing_canvas_is_saved(tmp_path):
    """A Figure made without pyplot (or closed by the inline backend) has a bare canvas."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(3, 2))
    fig.add_subplot().plot([1, 2, 3])
    assert not hasattr(fig.canvas, "get_renderer")
    files = figures.save_figure(fig, tmp_path, "bare", formats=("svg", "png"))
    assert all(p.stat().st_size > 0 for p in files)


def test_png_is_matplotlibs_at_print_resolution_without_software_metadata(tmp_path):
    from PIL import Image

    (ours,) = figures.save_figure(_draw(), tmp_path, "ours", formats=("png",))
    with Image.open(ours) as picture:
        assert round(picture.info["dpi"][0]) == 300
    assert b"Software" not in ours.read_bytes() and b"matplotlib" not in ours.read_bytes()


def test_shown_figures_carry_a_text_alternative(tmp_path, monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, **_: shown.append(obj))
    fig = _draw()
    fig.suptitle("Netwerk van partners")
    figures.save_figure(fig, tmp_path, "a", formats=("png",), show=True)
    figures.save_figure(_draw(), tmp_path, "b", formats=("png",), show=True, alt="Uren per maand")
    bundles = [image._repr_mimebundle_()[1]["image/png"]["alt"] for image in shown]
    assert bundles == ["Netwerk van partners: Waardematrix", "Uren per maand"]


def _study_figures():
    """Figures of the study notebooks, made from the wijk-noord example."""
    from netwerkonderzoek import cmo, heartbeat, load_config, load_network, network, stats, value

    root = Path(__file__).resolve().parents[1]
    config = load_config("wijk-noord", root / "config")
    data = load_network(config, root / "data")
    appreciation = value.load_appreciation(config, root / "data")
    theory = cmo.load_theory(config.theory_path, data.units)
    verdicts = cmo.verdicts(cmo.ledger(stats.test_theory(data.units, theory)), theory=theory)
    matrix = value.value_matrix(
        data.indicators, appreciation, config, theory=theory, verdicts=verdicts
    )
    case = value.business_case(data, config, appreciation)
    graphs = network.wave_graphs(data.ties, data.partners, config.wave_dates)
    return {
        "value_matrix": lambda: value.plot_value_matrix(matrix),
        "business_case": lambda: value.plot_business_case(case, case["partner_id"].iloc[0]),
        "business_cases": lambda: value.plot_business_cases(case),
        "network_map": lambda: (
            network.plot_network(graphs[max(graphs)], trust=True, seed=1).figure
        ),
        "network_waves": lambda: network.plot_waves(graphs, seed=1),
        "heartbeat": lambda: heartbeat.plot_heartbeat(
            heartbeat.heartbeat(data, config.wave_dates, events=data.events)
        ),
    }


def test_study_figures_are_laid_out_as_savefigs_own_passes_lay_them_out(tmp_path):
    """One layout and one measurement for all files place the panels where
    savefig's own passes (a layout at the file's resolution and a whole draw
    before each file) place them: within a hundredth of an inch, and the
    picture is the same size to the pixel."""
    import matplotlib.pyplot as plt
    from PIL import Image

    def placed(fig):
        width, height = fig.get_size_inches()
        return [
            (b.x0 * width, b.y0 * height, b.width * width, b.height * height)
            for b in (ax.get_position() for ax in fig.axes)
        ]

    for name, make in _study_figures().items():
        fig = make()
        with figures.house_style():
            fig.savefig(tmp_path / f"{name}-plain.png", bbox_inches="tight")
        plain = placed(fig)
        plt.close(fig)
        fig = make()
        (ours,) = figures.save_figure(fig, tmp_path, name, formats=("png",))
        mine = placed(fig)
        plt.close(fig)
        assert len(mine) == len(plain), name
        for a, b in zip(mine, plain, strict=True):
            assert max(abs(x - y) for x, y in zip(a, b, strict=True)) < 0.01, name
        size = Image.open(ours).size
        other = Image.open(tmp_path / f"{name}-plain.png").size
        assert max(abs(x - y) for x, y in zip(size, other, strict=True)) <= 1, name


def test_study_figures_save_byte_identical_svg_and_pdf(tmp_path):
    """The same figure saved twice gives the same bytes (no date, no version, fixed ids)."""
    import matplotlib.pyplot as plt

    for name, make in _study_figures().items():
        for run in ("a", "b"):
            fig = make()
            figures.save_figure(fig, tmp_path / run, name, formats=("svg", "pdf"))
            plt.close(fig)
        for fmt in ("svg", "pdf"):
            first = (tmp_path / "a" / f"{name}.{fmt}").read_bytes()
            assert first == (tmp_path / "b" / f"{name}.{fmt}").read_bytes(), (name, fmt)


def test_study_figures_write_numbers_in_the_figures_language():
    """Dutch tick labels have a decimal comma, English a decimal point."""
    import re

    import matplotlib.pyplot as plt

    decimal_point, decimal_comma = re.compile(r"\d\.\d"), re.compile(r"\d,\d")
    seen = set()
    for name, make in _study_figures().items():
        fig = make()
        fig.canvas.draw()
        labels = [
            t.get_text() for ax in fig.axes for t in (*ax.get_xticklabels(), *ax.get_yticklabels())
        ]
        assert not any(decimal_point.search(t) for t in labels), (name, labels)
        seen |= {name for t in labels if decimal_comma.search(t)}
        plt.close(fig)
    assert {"heartbeat", "business_case"} <= seen  # figures with decimal ticks


def test_legends_stay_inside_their_axes_in_a_callers_grid():
    """A legend beside the axes covers the neighbour in a caller's grid (issue 19)."""
    import matplotlib.pyplot as plt
    import networkx as nx
    import pandas as pd

    from netwerkonderzoek import cmo
    from netwerkonderzoek.network import plot_network

    items = [
        cmo.EvidenceItem("cmo-01", "quantitative", "supports", source="toets"),
        cmo.EvidenceItem("cmo-02", "qualitative", "contradicts", source="bewoners"),
    ]
    table = pd.DataFrame(
        {
            "cmo_id": ["cmo-01", "cmo-02"],
            "verdict": ["supported", "inconclusive"],
            "estimate": [0.5, 0.1],
            "ci_low": [0.2, -0.3],
            "ci_high": [0.8, 0.5],
            "alpha": [0.1, 0.1],
        }
    )
    G = nx.DiGraph([("a", "b"), ("b", "c")])
    nx.set_node_attributes(G, {"a": "municipality", "b": "care", "c": "housing"}, "kind")
    fig, axes = plt.subplots(1, 3, figsize=(12, 4))
    cmo.plot_evidence_matrix(cmo.ledger(items), ax=axes[0])
    cmo.plot_effects(table, ax=axes[1])
    plot_network(G, axes[2], seed=1)
    fig.canvas.draw()
    for ax in axes:
        box, frame = ax.get_legend().get_window_extent(), ax.get_window_extent()
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1 + 0.5, ax.get_title()
        assert frame.y0 <= box.y0 and box.y1 <= frame.y1 + 0.5, ax.get_title()
    plt.close(fig)
