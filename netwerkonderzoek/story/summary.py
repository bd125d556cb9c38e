"""Text tables for the report: the data behind the study and what changed in the theory.

:func:`data_overview` lists every data source of the study with its size
(the *methods* section: RAMESES II items 11, 12 and 14).
:func:`theory_changes` lists what changed between the first and the current
version of the programme theory and, per configuration, what this run's
verdict proposes:

=====================  ==============================================
verdict                proposal
=====================  ==============================================
``supported``          keep the configuration
``contradicted``       revise the mechanism or drop the configuration
``refined``            narrow the context to the refined context
``inconclusive``       keep, and gather more evidence
``insufficient_data``  gather data (too little evidence to judge)
=====================  ==============================================
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..figures import check_language, label

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["PROPOSALS", "data_overview", "theory_changes"]

PROPOSALS = {
    "supported": ("behouden", "keep"),
    "contradicted": ("mechanisme herzien of configuratie schrappen", "revise mechanism or drop"),
    "refined": ("context aanscherpen tot: {context}", "narrow the context to: {context}"),
    "inconclusive": ("behouden en meer bewijs verzamelen", "keep and gather more evidence"),
    "insufficient_data": ("gegevens verzamelen", "gather data"),
}


def data_overview(
    data, config, appreciation=None, language: str = "nl", *, min_cell: int = 5
) -> pd.DataFrame:
    """Every data source of the study with its size, in words.

    Parameters
    ----------
    data : NetworkData
    config : NetworkConfig
    appreciation : DataFrame, optional
    language : {"nl", "en"}
    min_cell : int
        Counts of persons (respondents) from 1 to ``min_cell - 1`` read
        ``<min_cell``; counts of organisations, ties, events and coded
        observations (fragments, not persons) are shown as they are.

    Returns
    -------
    DataFrame
        ``source`` and ``size`` (text), one row per source.

    Examples
    --------
    >>> from netwerkonderzoek import load_config, load_network
    >>> config = load_config("wijk-noord")
    >>> data = load_network(config)
    >>> data_overview(data, config, language="en")["source"].tolist()  # doctest: +NORMALIZE_WHITESPACE
    ['Partners', 'Network survey (PARTNER)', 'Contributions (hours and costs)', 'Indicators',
     'Residents, clients or households', 'Coded observations', 'Timeline']
    >>> data_overview(data, config).loc[0].tolist()
    ['Partners', '24 organisaties']
    >>> data_overview(data, config, data.appreciation, min_cell=30).iloc[-1].tolist()
    ['Waarderingsenquête', '<30 financiers, <30 partners, 120 bewoners (4 rondes)']
    """
    import pandas as pd

    check_language(language)
    nl = language == "nl"
    t = data

    def persons(n: int) -> str:
        return f"<{min_cell}" if 0 < n < min_cell else str(n)

    rows = [
        (
            "Partners",
            f"{len(t.partners)} " + ("organisaties" if nl else "organisations"),
        ),
        (
            "Netwerkenquête (PARTNER)" if nl else "Network survey (PARTNER)",
            f"{t.ties['wave'].nunique()} "
            + ("metingen, " if nl else "waves, ")
            + f"{len(t.ties.drop_duplicates(['wave', 'source', 'target']))} "
            + ("beoordeelde relaties" if nl else "rated ties"),
        ),
        (
            "Inzet (uren en kosten)" if nl else "Contributions (hours and costs)",
            f"{len(t.contributions)} "
            + ("regels over " if nl else "rows over ")
            + f"{t.contributions['period'].nunique()} "
            + ("maanden" if nl else "months"),
        ),
        (
            "Indicatoren" if nl else "Indicators",
            f"{t.indicators['indicator_id'].nunique()} indicatoren x "
            f"{t.indicators['area'].nunique()} gebieden x {t.indicators['period'].nunique()} maanden"
            if nl
            else f"{t.indicators['indicator_id'].nunique()} indicators x "
            f"{t.indicators['area'].nunique()} areas x {t.indicators['period'].nunique()} months",
        ),
        (
            # units come from a survey or a registry: persons or households, not "respondents"
            "Bewoners, cliënten of huishoudens" if nl else "Residents, clients or households",
            f"{persons(t.units['unit_id'].nunique())} "
            + ("eenheden in " if nl else "units in ")
            + f"{t.units['wave'].nunique()} "
            + ("metingen" if nl else "waves")
            + f" ({persons(len(t.units))} "
            + ("regels)" if nl else "rows)"),
        ),
    ]
    roles = t.observations["source_role"].value_counts().sort_index()
    rows.append(
        (
            "Gecodeerde observaties" if nl else "Coded observations",
            ", ".join(f"{n} {label('role_' + r, language).lower()}" for r, n in roles.items()),
        )
    )
    rows.append(
        (
            "Tijdlijn" if nl else "Timeline",
            f"{len(t.events)} " + ("gebeurtenissen" if nl else "events"),
        )
    )
    if appreciation is not None and len(appreciation):
        groups = appreciation.groupby("stakeholder_group")["respondent_id"].nunique()
        rows.append(
            (
                "Waarderingsenquête" if nl else "Appreciation survey",
                ", ".join(f"{persons(n)} {label(g, language).lower()}" for g, n in groups.items())
                + f" ({appreciation['period'].nunique()} "
                + ("rondes)" if nl else "rounds)"),
            )
        )
    return pd.DataFrame(rows, columns=["source", "size"])


def theory_changes(verdicts: pd.DataFrame, theory, language: str = "nl") -> pd.DataFrame:
    """What changed in the programme theory and what this run's verdicts propose.

    Parameters
    ----------
    verdicts : DataFrame
        ``cmo_id``, ``verdict`` and optionally ``refined_context``.
    theory : ProgrammeTheory
        The current version (its ``history`` gives the first).

    Returns
    -------
    DataFrame
        ``cmo_id``, ``kind`` (``change`` for a change between versions,
        ``proposal`` for this run's proposal), ``field``, ``old``, ``new``
        (the proposal in words for proposals).

    Examples
    --------
    >>> import pandas as pd
    >>> from netwerkonderzoek.cmo import ProgrammeTheory
    >>> theory = ProgrammeTheory("x", "T", 1, "initial", "2024-01-01", ())
    >>> verdicts = pd.DataFrame({"cmo_id": ["cmo-01"], "verdict": ["contradicted"]})
    >>> theory_changes(verdicts, theory, "en")["new"].tolist()
    ['revise mechanism or drop']
    """
    import pandas as pd

    from ..cmo import diff

    check_language(language)
    rows = []
    history = theory.history
    if len(history) > 1:
        for _, change in diff(history[0], theory).iterrows():
            rows.append(
                {
                    "cmo_id": change["cmo_id"],
                    "kind": "change",
                    "field": change["field"] or change["change"],
                    "old": change["old"],
                    "new": change["new"],
                }
            )
    for _, row in verdicts.iterrows():
        nl_text, en_text = PROPOSALS[row["verdict"]]
        text = nl_text if language == "nl" else en_text
        context = row.get("refined_context", "") if hasattr(row, "get") else ""
        rows.append(
            {
                "cmo_id": row["cmo_id"],
                "kind": "proposal",
                "field": label(row["verdict"], language),
                "old": "",
                "new": text.format(context=context or "?"),
            }
        )
    return pd.DataFrame(rows, columns=["cmo_id", "kind", "field", "old", "new"])
