"""Coded qualitative observations: counts, co-occurrence, quotes and MSC.

The ``observations`` table holds interviews, meeting notes and stories, each
with ``codes`` separated by ``;`` (CMO ids such as ``cmo-03`` and value
types such as ``societal``), a ``source_role`` and a ``sentiment`` in
[-1, 1]. Stories collected with the *most significant change* technique
(Davies & Dart 2005) carry ``msc_domain`` (the domain of change they were
told about) and ``msc_selected`` (1 when the network chose it as most
significant in its domain).

Representative quotes (:func:`representative_quotes`)
    For each code the candidates are the ``3 x per_code`` observations whose
    sentiment is closest to the code's median sentiment (ties by
    observation id); ``per_code`` of them are drawn without replacement with
    ``numpy.random.default_rng(seed)``, so the same seed gives the same quotes.
    Observations without a sentiment (coded interviews, whose direction is
    their ``stance``) are candidates after those with one, by observation id.

Qualitative *evidence* about CMO configurations (which observations support
or contradict one) is computed in one place,
:func:`netwerkonderzoek.stats.qualitative_evidence`, and weighed with the
quantitative tests by :func:`netwerkonderzoek.stats.evaluate_theory`.

References
----------
Davies, R., & Dart, J. (2005). *The 'Most Significant Change' (MSC)
Technique: A Guide to Its Use*. https://www.mande.co.uk/wp-content/uploads/2005/MSCGuide.pdf

Examples
--------
>>> import pandas as pd
>>> from netwerkonderzoek.qualitative import code_counts
>>> obs = pd.DataFrame({"observation_id": ["o1", "o2"], "date": ["2024-01-05", "2024-02-01"],
...     "source_role": ["resident", "partner"], "codes": ["cmo-01;societal", "cmo-01"],
...     "sentiment": [0.5, -0.1], "text": ["a", "b"]})
>>> code_counts(obs, by=())
       code  n
0    cmo-01  2
1  societal  1
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .figures import check_language, label, style_axes
from .formatting import localise_ticks
from .vocabulary import MSC_DOMAINS

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "MSC_DOMAINS",
    "code_counts",
    "cooccurrence",
    "long_codes",
    "msc_stories",
    "msc_summary",
    "plot_code_counts",
    "plot_msc",
    "representative_quotes",
]


def _require(data: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise KeyError(
            f"{what} needs column(s) {', '.join(missing)} in the observations; "
            f"got {', '.join(map(str, data.columns))}"
        )


def _period(dates, freq: str):
    import pandas as pd

    if freq not in ("M", "Q", "Y"):
        raise ValueError(f"The 'freq' parameter must be 'M', 'Q' or 'Y'. Got {freq!r} instead.")
    return pd.PeriodIndex(pd.to_datetime(dates), freq=freq).astype(str)


def long_codes(observations: pd.DataFrame, freq: str = "Q") -> pd.DataFrame:
    """One row per observation and code, with its ``period`` (month/quarter/year).

    Empty codes are dropped; codes are stripped of spaces.

    Examples
    --------
    >>> import pandas as pd
    >>> obs = pd.DataFrame({"observation_id": ["o1", "o2", "o3"],
    ...     "date": ["2024-01-05", "2024-02-01", "2024-04-10"],
    ...     "source_role": ["resident", "partner", "resident"],
    ...     "codes": ["cmo-01; societal", "cmo-01", ""], "sentiment": [0.5, -0.1, 0.2],
    ...     "text": ["Eindelijk hulp", "Veel overleg", "Niets gecodeerd"]})
    >>> long_codes(obs)[["observation_id", "code", "period"]]
      observation_id      code  period
    0             o1    cmo-01  2024Q1
    1             o1  societal  2024Q1
    2             o2    cmo-01  2024Q1
    """
    _require(observations, ("observation_id", "date", "codes"), "long_codes")
    frame = observations.copy()
    frame["period"] = _period(frame["date"], freq)
    frame["code"] = frame["codes"].fillna("").astype(str).str.split(";")
    frame = frame.explode("code")
    frame["code"] = frame["code"].str.strip()
    frame = frame[frame["code"] != ""]
    return frame.drop_duplicates(["observation_id", "code"]).reset_index(drop=True)


def code_counts(
    observations: pd.DataFrame, by: Sequence[str] = ("source_role", "period"), freq: str = "Q"
) -> pd.DataFrame:
    """Number of observations per code (and per ``by`` columns, e.g. role and period).

    Returns
    -------
    DataFrame
        ``code``, the ``by`` columns and ``n``, sorted by code then ``by``.

    Examples
    --------
    >>> import pandas as pd
    >>> obs = pd.DataFrame({"observation_id": ["o1", "o2", "o3"],
    ...     "date": ["2024-01-05", "2024-02-01", "2024-04-10"],
    ...     "source_role": ["resident", "partner", "resident"],
    ...     "codes": ["cmo-01; societal", "cmo-01", ""], "sentiment": [0.5, -0.1, 0.2],
    ...     "text": ["Eindelijk hulp", "Veel overleg", "Niets gecodeerd"]})
    >>> code_counts(obs, by=("source_role",))
           code source_role  n
    0    cmo-01     partner  1
    1    cmo-01    resident  1
    2  societal    resident  1
    >>> code_counts(obs, by=("period",), freq="M")
           code   period  n
    0    cmo-01  2024-01  1
    1    cmo-01  2024-02  1
    2  societal  2024-01  1
    """
    frame = long_codes(observations, freq)
    keys = ["code", *by]
    _require(frame, keys, "code_counts")
    return frame.groupby(keys, sort=True).size().rename("n").reset_index()


def cooccurrence(observations: pd.DataFrame, *, min_cell: int | None = None) -> pd.DataFrame:
    """Code co-occurrence: how many observations carry both codes.

    Parameters
    ----------
    observations : DataFrame
    min_cell : int, optional
        Small-cell threshold: counts from 1 to ``min_cell - 1`` are hidden
        (missing), with secondary suppression along rows and columns
        (:func:`~netwerkonderzoek.privacy.suppress_small_counts`), and the
        matrix stays symmetric (a cell hidden on one side is hidden on the
        other).

    Returns
    -------
    DataFrame
        Square and symmetric, codes sorted; the diagonal is each code's count.

    Examples
    --------
    >>> import pandas as pd
    >>> obs = pd.DataFrame({"observation_id": ["o1", "o2"], "date": ["2024-01-05"] * 2,
    ...                     "codes": ["a;b", "a"]})
    >>> cooccurrence(obs)
       a  b
    a  2  1
    b  1  1
    """
    import numpy as np
    import pandas as pd

    frame = long_codes(observations)
    incidence = pd.crosstab(frame["observation_id"], frame["code"]).clip(upper=1)
    matrix = incidence.T @ incidence
    matrix.index.name = matrix.columns.name = None
    matrix = matrix.astype(int)
    if min_cell is None:
        return matrix
    from .privacy import suppress_small_counts

    work = matrix.copy()
    hidden = np.zeros(matrix.shape, dtype=bool)
    while True:
        found = suppress_small_counts(work, list(work.columns), min_cell=min_cell)
        now = found[list(work.columns)].isna().to_numpy()
        now = now | now.T
        if (now == hidden).all():
            break
        hidden = now
        work = work.mask(hidden, 1)  # a hidden cell counts as a small one in the next round
    return matrix.astype("Int64").mask(hidden)


def representative_quotes(
    observations: pd.DataFrame,
    per_code: int = 2,
    *,
    codes: Sequence[str] | None = None,
    seed: int | None = None,
) -> pd.DataFrame:
    """Representative quotes per code, drawn reproducibly (see module docs).

    Returns
    -------
    DataFrame
        ``code``, ``observation_id``, ``date``, ``source_role``, ``sentiment``,
        ``text``; per code at most ``per_code`` rows, ordered by code and date.

    Examples
    --------
    >>> import pandas as pd
    >>> obs = pd.DataFrame({"observation_id": ["o1", "o2", "o3"],
    ...     "date": ["2024-01-05", "2024-02-01", "2024-04-10"],
    ...     "source_role": ["resident", "partner", "resident"],
    ...     "codes": ["cmo-01; societal", "cmo-01", ""], "sentiment": [0.5, -0.1, 0.2],
    ...     "text": ["Eindelijk hulp", "Veel overleg", "Niets gecodeerd"]})
    >>> representative_quotes(obs, per_code=1, seed=1)[["code", "observation_id", "text"]]
           code observation_id            text
    0    cmo-01             o1  Eindelijk hulp
    1  societal             o1  Eindelijk hulp
    """
    import numpy as np
    import pandas as pd

    _require(observations, ("sentiment", "text", "source_role"), "representative_quotes")
    if per_code < 1:
        raise ValueError(f"The 'per_code' parameter must be at least 1. Got {per_code} instead.")
    rng = np.random.default_rng(seed)
    frame = long_codes(observations)
    wanted = sorted(frame["code"].unique()) if codes is None else list(codes)
    picked = []
    for code in wanted:
        own = frame[frame["code"] == code].copy()
        if own.empty:
            continue
        own["distance"] = (own["sentiment"] - own["sentiment"].median()).abs()
        candidates = own.sort_values(["distance", "observation_id"]).head(3 * per_code)
        take = rng.choice(len(candidates), size=min(per_code, len(candidates)), replace=False)
        picked.append(candidates.iloc[np.sort(take)])
    columns = ["code", "observation_id", "date", "source_role", "sentiment", "text"]
    if not picked:
        return pd.DataFrame(columns=columns)
    out = pd.concat(picked)[columns]
    out["date"] = pd.to_datetime(out["date"]).dt.strftime("%Y-%m-%d")
    return out.sort_values(["code", "date", "observation_id"]).reset_index(drop=True)


def msc_stories(observations: pd.DataFrame, freq: str = "Q") -> pd.DataFrame:
    """The most-significant-change stories: observations with an ``msc_domain``.

    Returns
    -------
    DataFrame
        ``msc_domain``, ``period``, ``selected`` (bool), ``date``,
        ``observation_id``, ``source_role``, ``sentiment``, ``text``; by
        domain, period and date. Empty when the table has no MSC columns.

    Examples
    --------
    >>> import pandas as pd
    >>> stories = pd.DataFrame({"observation_id": ["s1", "s2", "s3"],
    ...     "date": ["2024-01-05", "2024-02-01", "2024-04-10"],
    ...     "source_role": ["resident", "resident", "partner"], "codes": "",
    ...     "sentiment": [0.6, 0.1, 0.4],
    ...     "text": ["Ik ken mijn buren nu", "Minder overlast", "We bellen elkaar"],
    ...     "msc_domain": ["bewoners", "bewoners", "samenwerking"], "msc_selected": [1, 0, 1]})
    >>> msc_stories(stories)[["msc_domain", "period", "selected", "observation_id"]]
         msc_domain  period  selected observation_id
    0      bewoners  2024Q1      True             s1
    1      bewoners  2024Q1     False             s2
    2  samenwerking  2024Q2      True             s3
    >>> msc_stories(stories.drop(columns=["msc_domain", "msc_selected"])).empty
    True
    """
    import pandas as pd

    columns = [
        "msc_domain",
        "period",
        "selected",
        "date",
        "observation_id",
        "source_role",
        "sentiment",
        "text",
    ]
    if "msc_domain" not in observations.columns:
        # typed, so that ``stories[stories["selected"]]`` selects rows, not columns
        empty = pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
        return empty.astype({"selected": bool, "sentiment": float})
    stories = observations[
        observations["msc_domain"].notna() & (observations["msc_domain"].astype(str) != "")
    ].copy()
    stories["period"] = _period(stories["date"], freq)
    selected = stories.get("msc_selected", pd.Series(0, index=stories.index))
    stories["selected"] = pd.to_numeric(selected, errors="coerce").fillna(0).astype(int) == 1
    stories["date"] = pd.to_datetime(stories["date"]).dt.strftime("%Y-%m-%d")
    return (
        stories[columns]
        .sort_values(["msc_domain", "period", "date", "observation_id"])
        .reset_index(drop=True)
    )


def msc_summary(observations: pd.DataFrame, freq: str = "Q") -> pd.DataFrame:
    """Stories told and selected per domain and period.

    Returns
    -------
    DataFrame
        ``msc_domain``, ``period``, ``stories``, ``selected``, ``mean_sentiment``.

    Examples
    --------
    >>> import pandas as pd
    >>> stories = pd.DataFrame({"observation_id": ["s1", "s2", "s3"],
    ...     "date": ["2024-01-05", "2024-02-01", "2024-04-10"],
    ...     "source_role": ["resident", "resident", "partner"], "codes": "",
    ...     "sentiment": [0.6, 0.1, 0.4],
    ...     "text": ["Ik ken mijn buren nu", "Minder overlast", "We bellen elkaar"],
    ...     "msc_domain": ["bewoners", "bewoners", "samenwerking"], "msc_selected": [1, 0, 1]})
    >>> msc_summary(stories)
         msc_domain  period  stories  selected  mean_sentiment
    0      bewoners  2024Q1        2         1            0.35
    1  samenwerking  2024Q2        1         1            0.40
    """
    stories = msc_stories(observations, freq)
    return (
        stories.groupby(["msc_domain", "period"], sort=True)
        .agg(
            stories=("observation_id", "size"),
            selected=("selected", "sum"),
            mean_sentiment=("sentiment", "mean"),
        )
        .reset_index()
        .astype({"selected": int})
    )


def plot_code_counts(
    observations: pd.DataFrame,
    ax=None,
    *,
    top: int = 15,
    min_cell: int | None = None,
    language: str = "nl",
):
    """Horizontal bars: observations per code, split by source role (top ``top`` codes).

    Counts of coded fragments are not counts of persons and are drawn as
    they are. With ``min_cell`` (for observations that each stand for one
    person) counts suppressed at ``min_cell``
    (:func:`~netwerkonderzoek.privacy.suppress_small_counts` within each
    role) are not drawn and the axis label says so; the table to publish
    beside the figure is then ``code_counts(observations, by=("source_role",))``
    suppressed the same way, not a finer breakdown whose cells the bars'
    totals would reveal.

    ``ax``: draw into these axes (the house style is applied to them);
    a new figure by default.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> obs = pd.DataFrame({"observation_id": ["o1", "o2", "o3"],
    ...     "date": ["2024-01-05", "2024-02-01", "2024-04-10"],
    ...     "source_role": ["resident", "partner", "resident"],
    ...     "codes": ["cmo-01; societal", "cmo-01", ""], "sentiment": [0.5, -0.1, 0.2],
    ...     "text": ["Eindelijk hulp", "Veel overleg", "Niets gecodeerd"]})
    >>> ax = plot_code_counts(obs, language="en")
    >>> ax.get_title(), [t.get_text() for t in ax.get_legend().get_texts()]
    ('Observations per code and source role', ['Partner', 'Resident'])
    >>> plot_code_counts(obs, min_cell=5).get_xlabel()
    'Aantal (< 5 niet getoond)'
    >>> plt.close("all")
    """
    from .figures import house_style, new_figure
    from .privacy import suppress_small_counts

    check_language(language)
    counts = code_counts(observations, by=("source_role",))
    if min_cell is not None:
        counts = suppress_small_counts(counts, ["n"], min_cell=min_cell, within=["source_role"])
        counts["n"] = counts["n"].fillna(0).astype(int)
    table = counts.pivot_table(index="code", columns="source_role", values="n", fill_value=0)
    table = table.loc[table.sum(axis=1).sort_values(ascending=True, kind="mergesort").index]
    table = table.tail(top)
    if ax is None:
        _, ax = new_figure("full")
    else:
        style_axes(ax)  # the house style in the caller's own axes
    with house_style():  # also in a caller's own axes
        left = None
        colours = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00")
        for i, role in enumerate(sorted(table.columns)):
            ax.barh(
                table.index,
                table[role],
                left=left,
                color=colours[i % len(colours)],
                label=label(f"role_{role}", language),
            )
            left = table[role] if left is None else left + table[role]
        if min_cell is None:
            ax.set_xlabel(label("count", language))
        else:
            hidden = f"< {min_cell} " + ("niet getoond" if language == "nl" else "not shown")
            ax.set_xlabel(f"{label('count', language)} ({hidden})")
        ax.set_ylabel(label("code", language))
        ax.set_title(label("code_counts", language))
        ax.legend()
    localise_ticks(ax, language)
    return ax


def plot_msc(
    observations: pd.DataFrame,
    *,
    freq: str = "Q",
    min_cell: int | None = None,
    language: str = "nl",
):
    """Stories per domain of change and period; the selected ones dark, the rest light.

    Numbers of stories are drawn as they are. With ``min_cell`` numbers
    suppressed at ``min_cell`` (:func:`msc_summary` with
    :func:`~netwerkonderzoek.privacy.suppress_small_counts`) are not drawn:
    only the selected stories, which the report shows in full anyway.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> stories = pd.DataFrame({"observation_id": ["s1", "s2", "s3"],
    ...     "date": ["2024-01-05", "2024-02-01", "2024-04-10"],
    ...     "source_role": ["resident", "resident", "partner"], "codes": "",
    ...     "sentiment": [0.6, 0.1, 0.4],
    ...     "text": ["Ik ken mijn buren nu", "Minder overlast", "We bellen elkaar"],
    ...     "msc_domain": ["bewoners", "bewoners", "samenwerking"], "msc_selected": [1, 0, 1]})
    >>> fig = plot_msc(stories, language="en")
    >>> fig.get_suptitle(), [ax.get_ylabel() for ax in fig.axes]
    ('Most significant change', ['Residents', 'Collaboration'])
    >>> plot_msc(stories, min_cell=5).get_suptitle()
    'Meest significante verandering (< 5 niet getoond)'
    >>> plt.close("all")
    """
    import numpy as np

    from .figures import NEUTRAL, new_figure
    from .privacy import suppress_small_counts

    check_language(language)
    summary = msc_summary(observations, freq)
    if min_cell is not None:
        summary = suppress_small_counts(summary, ["stories"], min_cell=min_cell)
    domains = sorted(summary["msc_domain"].unique()) or list(MSC_DOMAINS)
    periods = sorted(summary["period"].unique())
    fig, axes = new_figure("full", nrows=len(domains), ncols=1, sharex=True, squeeze=False)
    x = np.arange(len(periods))
    for ax, domain in zip(axes[:, 0], domains, strict=True):
        own = summary[summary["msc_domain"] == domain].set_index("period").reindex(periods)
        chosen = own["selected"].fillna(0).to_numpy(dtype=float)
        told = own["stories"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        told = np.where(np.isnan(told), chosen, told)
        ax.bar(x, told - chosen, color=NEUTRAL["no_data"], label=label("not_selected", language))
        ax.bar(x, chosen, bottom=told - chosen, color="#0072B2", label=label("selected", language))
        name = label(domain, language) if domain in MSC_DOMAINS else domain
        ax.set_ylabel(name, fontsize=7)
    axes[-1, 0].set_xticks(x, periods, rotation=45, ha="right")
    axes[0, 0].legend(loc="upper left")
    if min_cell is None:
        fig.suptitle(label("msc", language), fontsize=9)
    else:
        hidden = f"< {min_cell} " + ("niet getoond" if language == "nl" else "not shown")
        fig.suptitle(f"{label('msc', language)} ({hidden})", fontsize=9)
    fig.set_layout_engine("tight")  # laid out when drawn: once per save_figure
    localise_ticks(fig, language)
    return fig
