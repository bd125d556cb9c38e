"""The timeline of the network, drawn with its heartbeat and outcome indicators.

:func:`plot_timeline` puts three panels on one time axis, so a reader sees
what happened when: the events (numbered, coloured by kind; the numbers
refer to :func:`timeline_table`), the heartbeat per survey wave as an index
(first wave = 100) and the outcome indicators as their monthly change since
the baseline in the expected direction, in percent of the baseline
(:func:`outcome_series`; positive = improvement). Dotted vertical lines mark
the events in every panel.

Examples
--------
>>> import pandas as pd
>>> events = pd.DataFrame({"date": ["2024-03-01", "2024-01-15"], "title": ["B", "A"],
...                        "kind": ["policy", "milestone"], "description": ["", ""]})
>>> timeline_table(events, language="en")[["number", "date", "kind"]]
   number        date       kind
0       1  2024-01-15  Milestone
1       2  2024-03-01     Policy
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..figures import check_language, label
from ..formatting import localise_ticks

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..config import NetworkConfig

__all__ = ["outcome_series", "plot_timeline", "timeline_table"]

HEARTBEAT_SHOWN = ("participation", "density", "trust", "value", "hours")


def timeline_table(events: pd.DataFrame, language: str = "nl") -> pd.DataFrame:
    """The events in date order, numbered as in :func:`plot_timeline`.

    Returns
    -------
    DataFrame
        ``number``, ``date`` (``YYYY-MM-DD``), ``kind`` (label), ``title``,
        ``description``.

    Examples
    --------
    >>> import pandas as pd
    >>> events = pd.DataFrame({"date": ["2024-03-01", "2024-01-15"],
    ...                        "title": ["Nieuwe wethouder", "Start"],
    ...                        "kind": ["policy", "milestone"]})
    >>> table = timeline_table(events)
    >>> table[["number", "date", "kind", "title"]]
       number        date      kind             title
    0       1  2024-01-15  Mijlpaal             Start
    1       2  2024-03-01    Beleid  Nieuwe wethouder
    >>> table["description"].tolist()  # the events had none
    ['', '']
    """
    import pandas as pd

    check_language(language)
    frame = events.copy()
    frame["date"] = pd.to_datetime(frame["date"])
    frame = frame.sort_values(["date", "title"], kind="mergesort").reset_index(drop=True)
    return pd.DataFrame(
        {
            "number": range(1, len(frame) + 1),
            "date": frame["date"].dt.strftime("%Y-%m-%d"),
            "kind": [label(k, language) for k in frame["kind"]],
            "title": frame["title"],
            "description": frame.get("description", pd.Series("", index=frame.index)).fillna(""),
        }
    )


def outcome_series(
    indicators: pd.DataFrame, config: NetworkConfig, *, baseline_months: int = 3
) -> pd.DataFrame:
    """Monthly change of every value-definition indicator, in percent of its baseline.

    ``change_pct = 100 * change / |baseline|`` with ``change`` from
    :func:`netwerkonderzoek.value.indicator_change` for every month of the
    indicator's series (positive = improvement); NaN when the baseline is 0.

    Returns
    -------
    DataFrame
        ``period``, ``indicator_id``, ``indicator_label``, ``change``, ``change_pct``.

    Examples
    --------
    An ``increase`` indicator whose baseline (the mean of the first three
    months) is 10; a month's level is the mean of the three months up to it:

    >>> import pandas as pd
    >>> from netwerkonderzoek.config import NetworkConfig
    >>> config = NetworkConfig.model_validate({"network_id": "x", "name": "X",
    ...     "mission": "m", "task": "t", "study": {"start": "2024-01", "end": "2024-12",
    ...     "waves": [{"wave": 1, "date": "2024-06-01"}]},
    ...     "indicators": [{"id": "a", "label_nl": "Deelname", "label_en": "Participation",
    ...                     "unit": "n", "perspective": "societal", "form": "direct",
    ...                     "direction": "increase"}]})
    >>> rows = pd.DataFrame({"indicator_id": "a", "area": "z",
    ...     "period": [f"2024-0{m}" for m in range(1, 7)], "value": [10.0, 8, 12, 13, 14, 18]})
    >>> outcome_series(rows, config)
        period indicator_id indicator_label  change  change_pct
    0  2024-01            a        Deelname     0.0         0.0
    1  2024-02            a        Deelname    -1.0       -10.0
    2  2024-03            a        Deelname     0.0         0.0
    3  2024-04            a        Deelname     1.0        10.0
    4  2024-05            a        Deelname     3.0        30.0
    5  2024-06            a        Deelname     5.0        50.0
    """
    import numpy as np

    from ..value import indicator_change

    months = sorted(indicators["period"].astype(str).unique())
    change = indicator_change(indicators, config, months, baseline_months=baseline_months)
    base = change["baseline"].abs().replace(0, np.nan)
    change["change_pct"] = 100 * change["change"] / base
    change = change.dropna(subset=["level"])
    return change[
        ["period", "indicator_id", "indicator_label", "change", "change_pct"]
    ].reset_index(drop=True)


def plot_timeline(
    events: pd.DataFrame,
    *,
    heartbeat: pd.DataFrame | None = None,
    wave_dates: dict | None = None,
    outcomes: pd.DataFrame | None = None,
    language: str = "nl",
):
    """Events, heartbeat and outcomes on one time axis (see module docs).

    Parameters
    ----------
    events : DataFrame
        Canonical ``events`` table.
    heartbeat : DataFrame, optional
        ``period`` (wave), ``indicator``, ``value``
        (:func:`netwerkonderzoek.heartbeat.heartbeat_indicators` by wave);
        needs ``wave_dates``.
    wave_dates : dict, optional
        Fieldwork date per wave (``config.wave_dates``).
    outcomes : DataFrame, optional
        :func:`outcome_series`.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> events = pd.DataFrame({"date": ["2024-03-01", "2024-01-15"],
    ...                        "title": ["Nieuwe wethouder", "Start"],
    ...                        "kind": ["policy", "milestone"]})
    >>> from netwerkonderzoek.config import NetworkConfig
    >>> config = NetworkConfig.model_validate({"network_id": "x", "name": "X",
    ...     "mission": "m", "task": "t", "study": {"start": "2024-01", "end": "2024-12",
    ...     "waves": [{"wave": 1, "date": "2024-06-01"}]},
    ...     "indicators": [{"id": "a", "label_nl": "Deelname", "label_en": "Participation",
    ...                     "unit": "n", "perspective": "societal", "form": "direct",
    ...                     "direction": "increase"}]})
    >>> rows = pd.DataFrame({"indicator_id": "a", "area": "z",
    ...     "period": [f"2024-0{m}" for m in range(1, 7)], "value": [10.0, 8, 12, 13, 14, 18]})
    >>> fig = plot_timeline(events, outcomes=outcome_series(rows, config), language="en")
    >>> top, bottom = fig.axes
    >>> top.get_title(), [t.get_text() for t in top.texts]  # the numbers of timeline_table
    ('Timeline of the network', ['1', '2'])
    >>> bottom.get_ylabel()
    'Outcomes: change in the expected direction (%)'
    >>> plt.close(fig)
    """
    import pandas as pd

    from ..figures import EVENT_COLOURS, NEUTRAL, PERSPECTIVE_COLOURS, new_figure

    check_language(language)
    table = timeline_table(events, language)
    dates = pd.to_datetime(table["date"])
    kinds = list(events.sort_values(["date", "title"], kind="mergesort")["kind"])
    panels = 1 + (heartbeat is not None) + (outcomes is not None)
    fig, axes = new_figure(
        "full-tall",
        nrows=panels,
        ncols=1,
        sharex=True,
        squeeze=False,
        gridspec_kw={"height_ratios": [1.2] + [2] * (panels - 1)},
    )
    axes = axes[:, 0]
    top = axes[0]
    order = list(EVENT_COLOURS)
    for number, date, kind in zip(table["number"], dates, kinds, strict=True):
        y = order.index(kind) if kind in order else len(order)
        top.scatter([date], [y], color=EVENT_COLOURS.get(kind, NEUTRAL["reference"]), s=18)
        top.annotate(
            str(number),
            (date, y),
            textcoords="offset points",
            xytext=(0, 4),
            ha="center",
            fontsize=5,
        )
        for ax in axes[1:]:
            ax.axvline(date, color=NEUTRAL["no_data"], linewidth=0.5, linestyle=":")
    top.set_yticks(range(len(order)), [label(k, language) for k in order])
    top.set_ylim(-0.7, len(order) - 0.3)
    top.set_title(label("timeline", language))
    panel = 1
    if heartbeat is not None:
        if not wave_dates:
            raise ValueError("plot_timeline needs wave_dates to place the heartbeat waves in time")
        ax = axes[panel]
        for indicator in HEARTBEAT_SHOWN:
            own = heartbeat[heartbeat["indicator"] == indicator].sort_values("period")
            own = own[own["value"].notna()]
            if own.empty or own["value"].iloc[0] == 0:
                continue
            when = pd.to_datetime([wave_dates[int(w)] for w in own["period"]])
            ax.plot(
                when,
                100 * own["value"] / own["value"].iloc[0],
                marker="o",
                markersize=2,
                linewidth=1,
                label=label(indicator, language),
            )
        ax.axhline(100, color=NEUTRAL["reference"], linewidth=0.5)
        ax.set_ylabel(label("heartbeat_index", language), fontsize=6)
        ax.legend(ncols=3, fontsize=5)
        panel += 1
    if outcomes is not None:
        ax = axes[panel]
        colours = [*PERSPECTIVE_COLOURS.values(), "#CC79A7", "#56B4E9", "#F0E442"]
        for i, (_, own) in enumerate(outcomes.groupby("indicator_id", sort=True)):
            ax.plot(
                pd.to_datetime(own["period"]),
                own["change_pct"],
                linewidth=1,
                color=colours[i % len(colours)],
                label=own["indicator_label"].iloc[0],
            )
        ax.axhline(0, color=NEUTRAL["reference"], linewidth=0.5)
        ax.set_ylabel(label("outcome_change", language) + " (%)", fontsize=6)
        ax.legend(ncols=2, fontsize=5)
    fig.set_layout_engine("tight")  # laid out when drawn: once per save_figure
    localise_ticks(fig, language)
    return fig
