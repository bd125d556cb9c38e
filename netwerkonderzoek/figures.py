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

from collections.abc import Iterable
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = [
    "KIND_COLOURS",
    "LANGUAGES",
    "PERSPECTIVE_COLOURS",
    "SIZES",
    "VOCABULARY",
    "check_language",
    "label",
    "new_figure",
    "save_figure",
    "style",
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
}


def check_language(language: str) -> str:
    """Return ``language`` if supported, else raise ValueError naming the options."""
    if language not in LANGUAGES:
        raise ValueError(
            f"The 'language' parameter must be one of {', '.join(LANGUAGES)}. Got {language!r} instead."
        )
    return language


def label(key: str, language: str = "nl") -> str:
    """Translate a label key into Dutch (default) or English.

    Unknown keys raise KeyError so that a missing translation is found in
    tests, not in a report.
    """
    check_language(language)
    try:
        nl, en = VOCABULARY[key]
    except KeyError:
        raise KeyError(f"no label for key {key!r} in the figure vocabulary") from None
    return nl if language == "nl" else en


def style() -> dict[str, object]:
    """Matplotlib rc settings of the house style."""
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
def _house_style():
    import matplotlib as mpl

    with mpl.rc_context(style()):
        yield


def new_figure(size: str = "full", **kwargs) -> tuple[Figure, object]:
    """Create a figure and axes in the house style at a print size.

    Parameters
    ----------
    size : {"column", "full", "full-tall"}
        Print size (A4 column or full text width).
    **kwargs
        Passed to :func:`matplotlib.pyplot.subplots` (``nrows``, ``ncols``...).
    """
    import matplotlib.pyplot as plt

    if size not in SIZES:
        raise ValueError(
            f"The 'size' parameter must be one of {', '.join(SIZES)}. Got {size!r} instead."
        )
    with _house_style():
        fig, ax = plt.subplots(figsize=SIZES[size], **kwargs)
    return fig, ax


def save_figure(
    fig: Figure,
    directory: str | Path,
    name: str,
    formats: Iterable[str] = ("svg", "png"),
) -> list[Path]:
    """Save ``fig`` as ``directory/name.<format>`` for each format, deterministically.

    Metadata that changes between runs (creation date, software version) is
    left out, so identical figures give byte-identical SVG and PDF files.

    Returns
    -------
    list of Path
        The files written, in the order of ``formats``.
    """
    allowed = {"svg", "pdf", "png"}
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    with _house_style():
        for fmt in formats:
            if fmt not in allowed:
                raise ValueError(
                    f"The 'formats' parameter must contain only {sorted(allowed)}. Got {fmt!r} instead."
                )
            path = folder / f"{name}.{fmt}"
            if fmt == "svg":
                metadata = {"Date": None, "Creator": None}
            elif fmt == "pdf":
                metadata = {"CreationDate": None, "Creator": None, "Producer": None}
            else:
                metadata = {"Software": None}
            fig.savefig(path, format=fmt, metadata=metadata)
            written.append(path)
    return written
