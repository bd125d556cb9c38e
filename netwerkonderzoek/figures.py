"""House style for figures: one look, stable colours, Dutch labels, deterministic export.

Every figure the workbench draws goes through this module: :func:`style`
gives the matplotlib settings, :data:`KIND_COLOURS` and
:data:`PERSPECTIVE_COLOURS` keep a partner kind or value perspective the same
colour in every figure, :func:`label` translates label keys to Dutch (default)
or English, and :func:`save_figure` writes SVG, PDF and PNG files that are
byte-identical for identical input.

Examples
--------
>>> from netwerkonderzoek.figures import label
>>> label("density")
'Dichtheid'
>>> label("density", language="en")
'Density'
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = [
    "EVENT_COLOURS",
    "KIND_COLOURS",
    "LANGUAGES",
    "NEUTRAL",
    "PALETTES",
    "PERSPECTIVE_COLOURS",
    "SIZES",
    "STAKEHOLDER_COLOURS",
    "VOCABULARY",
    "alt_text",
    "check_language",
    "colour",
    "label",
    "legend_inside",
    "new_figure",
    "save_figure",
    "style",
    "style_axes",
]

LANGUAGES = ("nl", "en")

# Print sizes in inches (A4: 210 mm wide; a column is about 85 mm).
SIZES = {
    "column": (3.35, 2.6),
    "full": (6.7, 4.2),
    "full-tall": (6.7, 6.7),
}

# Colour-blind friendly (Okabe & Ito 2008), fixed per partner kind.
KIND_COLOURS = {
    "municipality": "#0072B2",
    "housing": "#E69F00",
    "care": "#CC79A7",
    "welfare": "#009E73",
    "energy": "#F0E442",
    "residents": "#D55E00",
    "other": "#999999",
}

PERSPECTIVE_COLOURS = {
    "societal": "#0072B2",
    "network": "#009E73",
    "partner": "#E69F00",
}

# Fixed per stakeholder group (appreciation) and per event kind (timeline).
STAKEHOLDER_COLOURS = {
    "residents": "#D55E00",
    "partners": "#0072B2",
    "funders": "#009E73",
}

EVENT_COLOURS = {
    "policy": "#0072B2",
    "funding": "#009E73",
    "partner_joins": "#56B4E9",
    "partner_leaves": "#D55E00",
    "milestone": "#000000",
}

# Neutral colours: missing data, reference lines, a flagged series.
NEUTRAL = {"no_data": "#BBBBBB", "reference": "#666666", "flag": "#D55E00"}

PALETTES = {
    "kind": KIND_COLOURS,
    "perspective": PERSPECTIVE_COLOURS,
    "stakeholder": STAKEHOLDER_COLOURS,
    "event": EVENT_COLOURS,
    "neutral": NEUTRAL,
}

VOCABULARY: dict[str, tuple[str, str]] = {
    # key: (Dutch, English)
    "municipality": ("Gemeente", "Municipality"),
    "housing": ("Woningcorporatie", "Housing corporation"),
    "care": ("Zorg", "Care"),
    "welfare": ("Welzijn", "Welfare"),
    "energy": ("Energie", "Energy"),
    "residents": ("Bewoners", "Residents"),
    "other": ("Overig", "Other"),
    "societal": ("Maatschappelijke waarde", "Societal value"),
    "network": ("Netwerkwaarde", "Network value"),
    "partner": ("Partnerwaarde", "Partner value"),
    "direct": ("Direct", "Direct"),
    "indirect": ("Indirect", "Indirect"),
    "wave": ("Meting", "Wave"),
    "partners": ("Partners", "Partners"),
    "ties": ("Relaties", "Ties"),
    "density": ("Dichtheid", "Density"),
    "reciprocity": ("Wederkerigheid", "Reciprocity"),
    "partner_kind": ("Soort partner", "Partner kind"),
    "network_map": ("Netwerk van partners", "Partner network"),
    "information": ("Informatie delen", "Information sharing"),
    "joint_delivery": ("Samen uitvoeren", "Joint delivery"),
    "shared_resources": ("Middelen delen", "Shared resources"),
    "shared_clients": ("Gedeelde cliënten", "Shared clients"),
    "all": ("Alle relaties", "All ties"),
    # partner network and heartbeat (netwerkonderzoek.network, netwerkonderzoek.heartbeat)
    "trust": ("Vertrouwen", "Trust"),
    "value": ("Waarde", "Value"),
    "participation": ("Deelname", "Participation"),
    "hours": ("Uren", "Hours"),
    "meeting_hours": ("Uren overleg", "Meeting hours"),
    "meeting_load": ("Vergaderdruk", "Meeting load"),
    "heartbeat": ("Hartslag van het netwerk", "Heartbeat of the network"),
    "control_limits": ("Controlegrenzen", "Control limits"),
    "centre_line": ("Gemiddelde (basisperiode)", "Mean (baseline)"),
    "signal": ("Signaal", "Signal"),
    "month": ("Maand", "Month"),
    "brokerage": ("Makelaarsrollen", "Brokerage roles"),
    "brokerage_count": ("Aantal bemiddelde paden", "Brokered two-paths"),
    "coordinator": ("Coördinator", "Coordinator"),
    "itinerant": ("Consultant", "Itinerant"),
    "gatekeeper": ("Poortwachter", "Gatekeeper"),
    "representative": ("Vertegenwoordiger", "Representative"),
    "liaison": ("Verbinder", "Liaison"),
    "core": ("Kern", "Core"),
    "periphery": ("Periferie", "Periphery"),
    "coreness": ("Kernpositie", "Coreness"),
    "network_load": ("Netwerkdrukte", "Network load"),
    "busiest_partners": ("Drukste partners", "Busiest partners"),
    "partner_load": (
        "Onze partners: uren hier en andere netwerken",
        "Our partners: hours here and other networks",
    ),
    "this_network": ("Dit netwerk", "This network"),
    "programme_networks": ("Andere netwerken van het programma", "Other programme networks"),
    "other_networks": ("andere netwerken", "other networks"),
    "other_network": ("ander netwerk", "other network"),
    "only_this_network": ("alleen dit netwerk", "only this network"),
    "unrated": ("Niet beoordeeld", "Not rated"),
    # CMO evidence (netwerkonderzoek.cmo)
    "supports": ("Ondersteunt", "Supports"),
    "contradicts": ("Weerspreekt", "Contradicts"),
    "refines": ("Verfijnt", "Refines"),
    "inconclusive": ("Onbeslist", "Inconclusive"),
    "insufficient_data": ("Te weinig gegevens", "Insufficient data"),
    "supported": ("Bevestigd", "Supported"),
    "contradicted": ("Weerlegd", "Contradicted"),
    "refined": ("Verfijnd", "Refined"),
    "evidence_source": ("Bron van bewijs", "Evidence source"),
    "cmo_configuration": ("CMO-configuratie", "CMO configuration"),
    "evidence_matrix": ("Bewijs per CMO-configuratie", "Evidence per CMO configuration"),
    "effect_inside": (
        "Effect van het mechanisme binnen de context (eigen schaal)",
        "Effect of the mechanism inside the context (own scale)",
    ),
    # value accounting, business cases and the story (netwerkonderzoek.value, .qualitative, .story)
    "value_matrix": ("Waardematrix", "Value matrix"),
    "business_case": ("Businesscase van de partner", "Partner business case"),
    "business_cases": ("Businesscases van de partners", "Partner business cases"),
    "appreciation": ("Waardering", "Appreciation"),
    "rating": ("Waardering (1-10)", "Rating (1-10)"),
    "stakeholder_group": ("Belanghebbenden", "Stakeholder group"),
    "funders": ("Financiers", "Funders"),
    "no_data": ("geen gegevens", "no data"),
    "change": ("Verandering sinds de basisperiode", "Change since baseline"),
    "improvement": ("verbetering", "improvement"),
    "deterioration": ("verslechtering", "deterioration"),
    "disagreement": ("Groepen verschillen van inzicht", "Groups disagree"),
    "verdicts": ("Oordelen over CMO-configuraties", "CMO verdicts"),
    "indicators": ("Indicatoren", "Indicators"),
    "hours_per_month": ("Uren per maand", "Hours per month"),
    "costs_per_month": ("Kosten per maand (euro)", "Costs per month (euro)"),
    "partner_value": (
        "Waarde volgens andere partners (1-4)",
        "Value attributed by partners (1-4)",
    ),
    "own_appreciation": ("Eigen waardering (1-10)", "Own appreciation (1-10)"),
    "index_first_wave": ("Index (eerste meting = 100)", "Index (first wave = 100)"),
    "investment": ("Inzet", "Investment"),
    "scissors": ("Inzet stijgt, waarde daalt", "Investment rises, value falls"),
    "timeline": ("Tijdlijn van het netwerk", "Timeline of the network"),
    "events": ("Gebeurtenissen", "Events"),
    "policy": ("Beleid", "Policy"),
    "funding": ("Financiering", "Funding"),
    "partner_joins": ("Partner treedt toe", "Partner joins"),
    "partner_leaves": ("Partner vertrekt", "Partner leaves"),
    "milestone": ("Mijlpaal", "Milestone"),
    "outcome_change": (
        "Uitkomsten: verandering in de verwachte richting",
        "Outcomes: change in the expected direction",
    ),
    "heartbeat_index": (
        "Hartslag (index, eerste meting = 100)",
        "Heartbeat (index, first wave = 100)",
    ),
    "msc": ("Meest significante verandering", "Most significant change"),
    "msc_domain": ("Domein van verandering", "Domain of change"),
    "stories": ("Verhalen", "Stories"),
    "selected": ("Gekozen door het netwerk", "Selected by the network"),
    "not_selected": ("Niet gekozen", "Not selected"),
    "bewoners": ("Bewoners", "Residents"),
    "organisatie": ("Organisatie", "Organisation"),
    "samenwerking": ("Samenwerking", "Collaboration"),
    "code_counts": (
        "Waarnemingen per code en soort bron",
        "Observations per code and source role",
    ),
    "code": ("Code", "Code"),
    "count": ("Aantal", "Count"),
    "quarter": ("Kwartaal", "Quarter"),
    "role_resident": ("Bewoner", "Resident"),
    "role_partner": ("Partner", "Partner"),
    "role_professional": ("Professional", "Professional"),
    "role_funder": ("Financier", "Funder"),
    "role_network_manager": ("Netwerkmanager", "Network manager"),
    "cooccurrence": ("Codes die samen voorkomen", "Code co-occurrence"),
}


def check_language(language: str) -> str:
    """Return ``language`` if supported, else raise ValueError naming the options.

    Examples
    --------
    >>> check_language("en")
    'en'
    >>> check_language("de")
    Traceback (most recent call last):
    ...
    ValueError: The 'language' parameter must be one of nl, en. Got 'de' instead.
    """
    if language not in LANGUAGES:
        raise ValueError(
            f"The 'language' parameter must be one of {', '.join(LANGUAGES)}. Got {language!r} instead."
        )
    return language


def label(key: str, language: str = "nl") -> str:
    """Translate a label key into Dutch (default) or English.

    Unknown keys raise KeyError so that a missing translation is found in
    tests, not in a report.

    Examples
    --------
    >>> label("quarter"), label("quarter", language="en")
    ('Kwartaal', 'Quarter')
    >>> label("kwartaal")
    Traceback (most recent call last):
    ...
    KeyError: "no label for key 'kwartaal' in the figure vocabulary"
    """
    check_language(language)
    try:
        nl, en = VOCABULARY[key]
    except KeyError:
        raise KeyError(f"no label for key {key!r} in the figure vocabulary") from None
    return nl if language == "nl" else en


def colour(palette: str, key: str) -> str:
    """The fixed colour of ``key`` in a palette of :data:`PALETTES`.

    Examples
    --------
    >>> colour("perspective", "network")
    '#009E73'
    >>> colour("stakeholder", "residents")
    '#D55E00'
    """
    if palette not in PALETTES:
        raise ValueError(
            f"The 'palette' parameter must be one of {', '.join(PALETTES)}. Got {palette!r} instead."
        )
    try:
        return PALETTES[palette][key]
    except KeyError:
        raise KeyError(
            f"no colour for {key!r} in palette {palette!r}; known: {', '.join(PALETTES[palette])}"
        ) from None


def style() -> dict[str, object]:
    """Matplotlib rc settings of the house style.

    Examples
    --------
    >>> settings = style()
    >>> settings["font.family"], settings["font.size"], settings["axes.spines.top"]
    ('DejaVu Sans', 8, False)
    """
    return {
        "font.family": "DejaVu Sans",
        "font.size": 8,
        "axes.titlesize": 9,
        "axes.labelsize": 8,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.color": "#dddddd",
        "grid.linewidth": 0.5,
        "legend.frameon": False,
        "legend.fontsize": 7,
        "xtick.labelsize": 7,
        "ytick.labelsize": 7,
        "figure.dpi": 100,
        "savefig.dpi": 300,
        "savefig.bbox": "tight",
        # Deterministic SVG: fixed ids, text as paths (no font dependence).
        "svg.hashsalt": "netwerkonderzoek",
        "svg.fonttype": "path",
        "pdf.fonttype": 42,
    }


@contextmanager
def house_style():
    """Apply the house style (:func:`style`) to matplotlib within a ``with`` block.

    Examples
    --------
    >>> import matplotlib as mpl
    >>> with house_style():
    ...     mpl.rcParams["font.size"], mpl.rcParams["axes.spines.top"]
    (8.0, False)
    >>> mpl.rcParams["axes.spines.top"]  # matplotlib's own setting again
    True
    """
    import matplotlib as mpl

    with mpl.rc_context(style()):
        yield


def style_axes(ax) -> None:
    """Give axes made elsewhere (a caller's own) the house style's frame, grid and ticks.

    Figures from :func:`new_figure` have it already; a plot function that
    draws into an axes it is given calls this first.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> style_axes(ax)
    >>> ax.spines["top"].get_visible(), ax.spines["left"].get_visible()
    (False, True)
    >>> plt.close(fig)
    """
    settings = style()
    for side in ("top", "right"):
        ax.spines[side].set_visible(bool(settings[f"axes.spines.{side}"]))
    ax.grid(
        bool(settings["axes.grid"]),
        color=settings["grid.color"],
        linewidth=settings["grid.linewidth"],
    )
    ax.tick_params(axis="x", labelsize=settings["xtick.labelsize"])
    ax.tick_params(axis="y", labelsize=settings["ytick.labelsize"])


def legend_inside(ax, handles, *, title: str | None = None, margin: float = 0.03):
    """A legend in the upper right corner inside ``ax``, the data kept clear of it.

    The x-axis is widened by the legend's share of the axes' width (plus
    ``margin``), so the legend stays inside the axes — in a caller's grid of
    axes it never covers a neighbour or falls off a saved figure — without
    covering what was drawn. Call it after everything else is drawn.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from matplotlib.patches import Patch
    >>> fig, ax = plt.subplots(figsize=(4, 3))
    >>> _ = ax.plot([0, 1], [0, 1])
    >>> ax.set_xlim(0, 1)
    (0.0, 1.0)
    >>> legend = legend_inside(ax, [Patch(label="steunt")])
    >>> fig.canvas.draw()
    >>> box, frame = legend.get_window_extent(), ax.get_window_extent()
    >>> bool(frame.x0 <= box.x0 and box.x1 <= frame.x1), bool(ax.get_xlim()[1] > 1)
    (True, True)
    >>> plt.close(fig)
    """
    legend = ax.legend(handles=handles, title=title, loc="upper right")
    renderer = ax.figure.canvas.get_renderer()
    share = legend.get_window_extent(renderer).width / ax.get_window_extent(renderer).width
    share = min(share + margin, 0.6)
    low, high = ax.get_xlim()
    wider = low + (high - low) / (1 - share)
    if ax.get_aspect() == "auto":
        ax.set_xlim(low, wider)
    else:  # a fixed aspect (a map): widen the data limits, the aspect keeps its say
        ax.update_datalim([(wider, sum(ax.get_ylim()) / 2)])
        ax.autoscale_view()
    return legend


def new_figure(size: str = "full", **kwargs) -> tuple[Figure, object]:
    """Create a figure and axes in the house style at a print size.

    Parameters
    ----------
    size : {"column", "full", "full-tall"}
        Print size (A4 column or full text width).
    **kwargs
        Passed to :func:`matplotlib.pyplot.subplots` (``nrows``, ``ncols``...).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = new_figure("column")
    >>> fig.get_size_inches().tolist(), ax.spines["top"].get_visible()
    ([3.35, 2.6], False)
    >>> plt.close(fig)
    >>> fig, axes = new_figure("full", ncols=2)
    >>> len(axes)
    2
    >>> plt.close(fig)
    """
    import matplotlib.pyplot as plt

    if size not in SIZES:
        raise ValueError(
            f"The 'size' parameter must be one of {', '.join(SIZES)}. Got {size!r} instead."
        )
    with house_style():
        fig, ax = plt.subplots(figsize=SIZES[size], **kwargs)
    return fig, ax


def save_figure(
    fig: Figure,
    directory: str | Path,
    name: str,
    formats: Iterable[str] = ("svg", "png"),
    *,
    show: bool = False,
    alt: str | None = None,
) -> list[Path]:
    """Save ``fig`` as ``directory/name.<format>`` for each format, deterministically.

    Metadata that changes between runs (creation date, software version) is
    left out, so identical figures give byte-identical SVG and PDF files.

    Parameters
    ----------
    fig : Figure
    directory : path
        Folder for the files (created if needed).
    name : str
        File name without extension.
    formats : iterable of {"svg", "png", "pdf"}
        Formats to write.
    show : bool
        Display the figure (in a notebook: IPython's ``display``) and close
        it. With ``"png"`` among the formats the picture shown is the PNG
        just written, reduced to the figure's own resolution (300 to 100
        dpi), so the figure is not drawn a third time as the notebook's
        inline backend would; otherwise it is drawn once at that resolution.
    alt : str, optional
        Text alternative of the picture shown (``alt`` of the image in the
        notebook and the report, for screen readers); by default the
        figure's titles (:func:`alt_text`), or ``name`` when it has none.

    Returns
    -------
    list of Path
        The files written, in the order of ``formats``.

    Examples
    --------
    The same figure drawn twice gives the same bytes:

    >>> import tempfile
    >>> import matplotlib.pyplot as plt
    >>> tmp = tempfile.TemporaryDirectory()
    >>> def draw_and_save():
    ...     fig, ax = new_figure("column")
    ...     _ = ax.plot([2023, 2024, 2025], [0.21, 0.28, 0.34])
    ...     _ = ax.set_title(label("density"))
    ...     paths = save_figure(fig, tmp.name, "dichtheid", ["svg", "pdf"])
    ...     plt.close(fig)
    ...     return paths
    >>> first = draw_and_save()
    >>> [path.name for path in first]
    ['dichtheid.svg', 'dichtheid.pdf']
    >>> before = [path.read_bytes() for path in first]
    >>> [path.read_bytes() for path in draw_and_save()] == before
    True
    >>> tmp.cleanup()
    """
    allowed = {"svg", "pdf", "png"}
    formats = list(formats)
    for fmt in formats:
        if fmt not in allowed:
            raise ValueError(
                f"The 'formats' parameter must contain only {sorted(allowed)}. Got {fmt!r} instead."
            )
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        return _save_figure(fig, folder, name, formats, show, alt)
    except OSError as exc:  # a full disk or a file-size limit: say which figure
        raise OSError(
            exc.errno,
            f"could not write figure {folder / name}.{{{','.join(formats)}}}: {exc.strerror}",
        ) from exc


#: Metadata left out of saved files (dates, software versions), so that identical
#: figures give byte-identical files (SVG with the style's fixed ``svg.hashsalt``).
SAVE_METADATA = {
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "Creator": None, "Producer": None},
    "png": {"Software": None},
}


def _save_figure(fig, folder: Path, name: str, formats, show: bool, alt) -> list[Path]:
    paths = [folder / f"{name}.{fmt}" for fmt in formats]
    with house_style(), _laid_out(fig) as bbox:
        for fmt, path in zip(formats, paths, strict=True):
            fig.savefig(path, format=fmt, metadata=SAVE_METADATA[fmt], bbox_inches=bbox)
        if show:
            text = alt if alt is not None else alt_text(fig) or name.replace("_", " ")
            png = folder / f"{name}.png" if "png" in formats else None
            _show(fig, png, text, name)
    return paths


@contextmanager
def _laid_out(fig: Figure):
    """Lay ``fig`` out and measure it once for all the files saved from it.

    ``savefig(bbox_inches="tight")`` measures the figure with a whole draw
    before each file, and a layout engine lays it out again at every draw.
    Here the figure's layout engine lays it out once (its public
    ``execute``) and ``Figure.get_tightbbox`` measures it; while the files
    are written the layout is kept (``set_layout_engine("none")``,
    matplotlib's placeholder engine) and afterwards the figure's own engine
    is back. tests/test_figures.py checks the study figures come out as
    ``savefig``'s own passes make them, byte for byte. Yields the box for
    ``bbox_inches`` (the style's setting when it is not ``"tight"``).
    """
    import matplotlib as mpl

    setting = mpl.rcParams["savefig.bbox"]
    engine = fig.get_layout_engine()
    # At the print resolution, as savefig lays out and measures (text extents
    # are rounded to pixels).
    screen, dpi = fig.dpi, mpl.rcParams["savefig.dpi"]
    fig.set_dpi(screen if dpi == "figure" else dpi)
    try:
        if engine is not None:
            engine.execute(fig)
        bbox = setting
        if setting == "tight":
            bbox = fig.get_tightbbox().padded(mpl.rcParams["savefig.pad_inches"])
    finally:
        fig.set_dpi(screen)
    if engine is None:
        yield bbox
        return
    fig.set_layout_engine("none")
    try:
        yield bbox
    finally:
        fig.set_layout_engine(engine)


def alt_text(fig: Figure) -> str:
    """A text alternative for ``fig``: its title and the titles of its axes.

    Examples
    --------
    >>> fig, ax = new_figure("column")
    >>> _ = fig.suptitle("Waardematrix 2024-08"); _ = ax.set_title("Netwerkwaarde · direct")
    >>> alt_text(fig)
    'Waardematrix 2024-08: Netwerkwaarde · direct'
    """
    titles = [fig.get_suptitle()] if fig.get_suptitle().strip() else []
    for ax in fig.axes:
        for title in (ax.get_title("left"), ax.get_title(), ax.get_title("right")):
            if title.strip():
                titles.append(title)
    texts = [" ".join(t.split()) for t in titles]
    text = (texts[0] + (": " + "; ".join(texts[1:]) if len(texts) > 1 else "")) if texts else ""
    return text if len(text) <= 300 else text[:297] + "..."


#: Key of a shown figure's display metadata: its file name (without suffix) in the
#: run's ``figures/``, where the report's PDF and Word versions take the print
#: resolution PNG from.
FIGURE_METADATA = "netwerkonderzoek"


def _show(fig: Figure, png: Path | None, alt: str, name: str | None = None) -> None:
    """Display ``fig`` at its own resolution and close it.

    ``png``: the print-resolution file just written, shown reduced (Pillow's
    ``Image.reduce``) instead of drawing the figure once more.
    """
    import matplotlib as mpl
    import matplotlib.pyplot as plt
    from IPython.display import Image, display

    factor = mpl.rcParams["savefig.dpi"]
    factor = 1.0 if factor == "figure" else float(factor) / float(fig.dpi)
    buffer = io.BytesIO()
    if png is not None and factor >= 1 and factor.is_integer():
        from PIL import Image as Picture

        with Picture.open(png) as picture:
            picture.reduce(int(factor)).save(buffer, format="png")
    else:
        with house_style():
            fig.savefig(buffer, format="png", dpi=fig.dpi, metadata=SAVE_METADATA["png"])
    metadata = {FIGURE_METADATA: {"figure": name, "alt": alt}} if name else None
    display(Image(data=buffer.getvalue(), alt=alt or None), metadata=metadata)
    plt.close(fig)
