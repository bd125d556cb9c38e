"""The network's research agenda: which study looks at which value cell, and where they overlap.

Several studies often run in one network at once, each with its own
question (action research with the partners, a developmental evaluation, a
realist evaluation, monitoring); "voor je het weet gebeuren er dingen
dubbel". The two distinctions of value — three perspectives (societal,
network, partner) and two forms (direct, indirect), the six cells of
:data:`~netwerkonderzoek.value.CELLS` — tell where to look for what kind of
information. The network's configuration lists its studies (``studies:``,
:class:`~netwerkonderzoek.config.StudySpec`); this module lays them over
the cells.

Research agenda (:func:`research_agenda`)
    One row per cell and study addressing it, in the order of
    :data:`~netwerkonderzoek.value.CELLS` and then of the configuration;
    a cell no study addresses gets one row without a study and
    ``unaddressed`` True. Beside it the evidence the cell has today: the
    number of indicators of the value definition in the cell, whether the
    appreciation survey has ratings of it, and the verdicts of the CMO
    configurations the study tests. A study of any status (planned, running,
    finished) addresses its cells. A network without ``studies:`` gets the
    six cells, each unaddressed (the empty state is the agenda still to
    make, not an error).

Overlaps (:func:`research_overlaps`)
    Every pair of studies that

    - asks the **same question**: equal after normalising the text (case,
      runs of white space and the punctuation at its end are ignored; no
      similarity of meaning is judged);
    - tests the **same configurations**: at least one configuration id in
      common;
    - asks the **same respondents in the same months** (respondent burden):
      partners or stakeholder groups in common among what they collect by
      asking people (:data:`ASKING_TABLES`: the network survey ``ties``,
      interviews and stories ``observations``, the ``appreciation``
      survey; registrations such as ``indicators`` ask nobody), in months
      both periods cover. The group ``partners`` stands for every partner
      organisation: a study asking it shares the partners the other study
      names.

    One row per pair and kind of overlap, with the shared configurations,
    partners and groups and the months both studies run.

Examples
--------
>>> from netwerkonderzoek.config import NetworkConfig
>>> config = NetworkConfig.model_validate({"network_id": "x", "name": "X",
...     "mission": "m", "task": "t", "study": {"start": "2024-01", "end": "2024-12",
...     "waves": [{"wave": 1, "date": "2024-03-01"}]}})
>>> research_agenda(None, config)[["perspective", "form", "study_id", "unaddressed"]]
  perspective      form study_id  unaddressed
0    societal    direct                  True
1    societal  indirect                  True
2     network    direct                  True
3     network  indirect                  True
4     partner    direct                  True
5     partner  indirect                  True
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from ..figures import check_language, label
from .definition import CELLS, require_columns

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..config import NetworkConfig, StudySpec

__all__ = [
    "ASKING_TABLES",
    "OVERLAP_KINDS",
    "RESEARCH_AGENDA_COLUMNS",
    "RESEARCH_OVERLAP_COLUMNS",
    "agenda_matrix",
    "agenda_summary",
    "cell_label",
    "research_agenda",
    "research_overlaps",
    "research_studies",
]

#: Tables a study fills by asking people (surveys, interviews); the others are registrations.
ASKING_TABLES = ("ties", "observations", "appreciation")

#: Kinds of overlap between two studies, in the order :func:`research_overlaps` lists them.
OVERLAP_KINDS = ("same_question", "same_configurations", "same_respondents")

RESEARCH_AGENDA_COLUMNS = (
    "perspective",
    "form",
    "cell",
    "n_indicators",
    "rated",
    "study_id",
    "kind",
    "status",
    "start",
    "end",
    "question",
    "configurations",
    "verdicts",
    "unaddressed",
)

RESEARCH_OVERLAP_COLUMNS = (
    "study_a",
    "study_b",
    "overlap",
    "shared_configurations",
    "shared_partners",
    "shared_groups",
    "first_month",
    "last_month",
    "months",
)

_STUDY_COLUMNS = ("study_id", "kind", "status", "start", "end", "question")

# Dutch and English words of the agenda's texts (kinds and statuses of studies).
_WORDS: dict[str, tuple[str, str]] = {
    "action_research": ("actieonderzoek", "action research"),
    "developmental_evaluation": ("ontwikkelingsgerichte evaluatie", "developmental evaluation"),
    "realist_evaluation": ("realistische evaluatie", "realist evaluation"),
    "monitoring": ("monitoring", "monitoring"),
    "other": ("ander onderzoek", "other study"),
    "planned": ("gepland", "planned"),
    "running": ("loopt", "running"),
    "finished": ("afgerond", "finished"),
}


# How a number of studies of a status is written: "3 lopend".
_COUNTED = {
    "planned": ("gepland", "planned"),
    "running": ("lopend", "running"),
    "finished": ("afgerond", "finished"),
}


def _word(key: str, language: str) -> str:
    return _WORDS[key][0 if language == "nl" else 1]


def cell_label(perspective: str, form: str, language: str = "nl") -> str:
    """A value cell in words: ``Maatschappelijke waarde, direct``.

    Examples
    --------
    >>> cell_label("network", "indirect"), cell_label("partner", "direct", "en")
    ('Netwerkwaarde, indirect', 'Partner value, direct')
    """
    return f"{label(perspective, language)}, {label(form, language).lower()}"


def _verdict_map(verdicts) -> dict[str, str]:
    import pandas as pd

    if verdicts is None:
        return {}
    if isinstance(verdicts, pd.DataFrame):
        require_columns(verdicts, ("cmo_id", "verdict"), "research_agenda verdicts")
        return {
            str(k): str(v) for k, v in zip(verdicts["cmo_id"], verdicts["verdict"], strict=True)
        }
    if isinstance(verdicts, Mapping):
        return {str(k): str(v) for k, v in verdicts.items()}
    raise TypeError(
        "The 'verdicts' parameter must be a DataFrame with columns cmo_id and verdict, or a "
        f"mapping of configuration ids to verdicts. Got {type(verdicts).__name__} instead."
    )


def _rated_cells(appreciation) -> set[tuple[str, str]]:
    if appreciation is None or appreciation.empty:
        return set()
    require_columns(appreciation, ("perspective", "form", "rating"), "research_agenda")
    rated = appreciation.dropna(subset=["rating"])
    return {(str(p), str(f)) for p, f in zip(rated["perspective"], rated["form"], strict=True)}


def research_agenda(
    appreciation: pd.DataFrame | None,
    config: NetworkConfig,
    *,
    verdicts: pd.DataFrame | Mapping[str, str] | None = None,
    language: str = "nl",
) -> pd.DataFrame:
    """The research agenda as a tidy table: value cells x studies, with today's evidence.

    Parameters
    ----------
    appreciation : DataFrame or None
        The appreciation table (:func:`~netwerkonderzoek.value.load_appreciation`;
        ``perspective``, ``form``, ``rating``), or None without the survey.
    config : NetworkConfig
        Its ``studies`` and its value definition (``indicators``).
    verdicts : DataFrame or mapping, optional
        The verdicts on the CMO configurations: a table with ``cmo_id`` and
        ``verdict`` (:func:`netwerkonderzoek.stats.evaluate_theory`'s
        ``verdicts``, ``tables/cmo_verdicts.csv``) or a mapping of ids to
        verdicts. Without it ``verdicts`` is empty.
    language : {"nl", "en"}
        Language of the ``cell`` label.

    Returns
    -------
    DataFrame
        Columns :data:`RESEARCH_AGENDA_COLUMNS`: the cell (``perspective``,
        ``form``, ``cell`` in words), ``n_indicators`` (indicators of the
        value definition in the cell), ``rated`` (the appreciation survey has
        ratings of the cell), the study (``study_id``, ``kind``, ``status``,
        ``start``, ``end``, ``question``; empty for a cell no study
        addresses), the ``configurations`` it tests and their ``verdicts``
        (``cmo-01=supported;...``, those with a verdict), and
        ``unaddressed``. See the module for the rules.

    Examples
    --------
    Two studies: a monitor of the societal, direct cell and a realist
    evaluation of that cell and the network's indirect value, testing
    ``cmo-01``. One indicator, ratings of the societal, direct cell only.

    >>> import pandas as pd
    >>> from netwerkonderzoek.config import NetworkConfig
    >>> study = {"question": "q", "period": {"start": "2024-01", "end": "2024-12"},
    ...          "status": "running"}
    >>> config = NetworkConfig.model_validate({"network_id": "x", "name": "X",
    ...     "mission": "m", "task": "t", "study": {"start": "2024-01", "end": "2024-12",
    ...     "waves": [{"wave": 1, "date": "2024-03-01"}]},
    ...     "indicators": [{"id": "overlast", "label_nl": "Overlast", "label_en": "Nuisance",
    ...                     "unit": "n", "perspective": "societal", "form": "direct",
    ...                     "direction": "decrease"}],
    ...     "studies": [
    ...         study | {"id": "monitor", "kind": "monitoring",
    ...                  "cells": [{"perspective": "societal", "form": "direct"}]},
    ...         study | {"id": "evaluatie", "kind": "realist_evaluation",
    ...                  "cells": [{"perspective": "societal", "form": "direct"},
    ...                            {"perspective": "network", "form": "indirect"}],
    ...                  "configurations": ["cmo-01"]}]})
    >>> ratings = pd.DataFrame({"perspective": ["societal"], "form": ["direct"], "rating": [7]})
    >>> agenda = research_agenda(ratings, config, verdicts={"cmo-01": "supported"})
    >>> print(agenda[["cell", "n_indicators", "rated", "study_id", "verdicts",
    ...               "unaddressed"]].to_string())
                                    cell  n_indicators  rated   study_id          verdicts  unaddressed
    0    Maatschappelijke waarde, direct             1   True    monitor                          False
    1    Maatschappelijke waarde, direct             1   True  evaluatie  cmo-01=supported        False
    2  Maatschappelijke waarde, indirect             0  False                                      True
    3              Netwerkwaarde, direct             0  False                                      True
    4            Netwerkwaarde, indirect             0  False  evaluatie  cmo-01=supported        False
    5              Partnerwaarde, direct             0  False                                      True
    6            Partnerwaarde, indirect             0  False                                      True
    """
    import pandas as pd

    check_language(language)
    verdict_of = _verdict_map(verdicts)
    rated = _rated_cells(appreciation)
    n_indicators: dict[tuple[str, str], int] = {}
    for spec in config.indicators:
        key = (spec.perspective, spec.form)
        n_indicators[key] = n_indicators.get(key, 0) + 1
    rows = []
    for perspective, form in CELLS:
        cell = {
            "perspective": perspective,
            "form": form,
            "cell": cell_label(perspective, form, language),
            "n_indicators": n_indicators.get((perspective, form), 0),
            "rated": (perspective, form) in rated,
        }
        studies = [
            s
            for s in config.studies
            if any((c.perspective, c.form) == (perspective, form) for c in s.cells)
        ]
        for study in studies:
            rows.append(
                cell
                | _study_fields(study)
                | {
                    "configurations": ";".join(study.configurations),
                    "verdicts": ";".join(
                        f"{i}={verdict_of[i]}" for i in study.configurations if i in verdict_of
                    ),
                    "unaddressed": False,
                }
            )
        if not studies:
            empty = dict.fromkeys(_STUDY_COLUMNS, "")
            rows.append(cell | empty | {"configurations": "", "verdicts": "", "unaddressed": True})
    frame = pd.DataFrame(rows, columns=list(RESEARCH_AGENDA_COLUMNS))
    return frame.astype({"n_indicators": int, "rated": bool, "unaddressed": bool})


def _study_fields(study: StudySpec) -> dict[str, str]:
    return {
        "study_id": study.id,
        "kind": study.kind,
        "status": study.status,
        "start": study.period.start,
        "end": study.period.end,
        "question": study.question,
    }


def research_studies(config: NetworkConfig) -> pd.DataFrame:
    """The studies of the research agenda, one row each, in the order of the configuration.

    Returns
    -------
    DataFrame
        ``study_id``, ``kind``, ``status``, ``start``, ``end``, ``question``;
        no rows for a network without ``studies:``.

    Examples
    --------
    >>> from netwerkonderzoek.config import NetworkConfig
    >>> config = NetworkConfig.model_validate({"network_id": "x", "name": "X",
    ...     "mission": "m", "task": "t", "study": {"start": "2024-01", "end": "2024-12",
    ...     "waves": [{"wave": 1, "date": "2024-03-01"}]},
    ...     "studies": [{"id": "monitor", "kind": "monitoring", "question": "Hoe gaat het?",
    ...                  "cells": [{"perspective": "societal", "form": "direct"}],
    ...                  "period": {"start": "2024-01", "end": "2024-06"},
    ...                  "status": "planned"}]})
    >>> research_studies(config).to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'study_id': 'monitor', 'kind': 'monitoring', 'status': 'planned', 'start': '2024-01',
      'end': '2024-06', 'question': 'Hoe gaat het?'}]
    """
    import pandas as pd

    return pd.DataFrame(
        [_study_fields(s) for s in config.studies], columns=list(_STUDY_COLUMNS), dtype=object
    )


def _normalised(question: str) -> str:
    text = re.sub(r"\s+", " ", question).strip().casefold()
    return re.sub(r"[\s.?!:;,]+$", "", text)


def _month_index(period: str) -> int:
    return int(period[:4]) * 12 + int(period[5:7]) - 1


def _month(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _shared_months(a: StudySpec, b: StudySpec) -> tuple[str, str, int]:
    first = max(_month_index(a.period.start), _month_index(b.period.start))
    last = min(_month_index(a.period.end), _month_index(b.period.end))
    if first > last:
        return "", "", 0
    return _month(first), _month(last), last - first + 1


def _asked(study: StudySpec) -> tuple[list[str], list[str]]:
    partners: list[str] = []
    groups: list[str] = []
    for collection in study.collects:
        if collection.table not in ASKING_TABLES:
            continue
        partners += [p for p in collection.partners or [] if p not in partners]
        groups += [g for g in collection.groups if g not in groups]
    return partners, groups


def research_overlaps(config: NetworkConfig) -> pd.DataFrame:
    """Pairs of studies that overlap: same question, same configurations, same respondents.

    See the module for the rules.

    Parameters
    ----------
    config : NetworkConfig
        Its ``studies``.

    Returns
    -------
    DataFrame
        Columns :data:`RESEARCH_OVERLAP_COLUMNS`: the two studies
        (``study_a`` first in the configuration), the kind of ``overlap``
        (:data:`OVERLAP_KINDS`), the ``shared_configurations``,
        ``shared_partners`` and ``shared_groups`` (``;``-separated, sorted;
        partners and groups only for respondents), and the months both
        studies run (``first_month``, ``last_month``, ``months``; empty and
        0 when their periods do not meet). No rows when nothing overlaps.

    Examples
    --------
    An action research and an evaluation both interview the housing
    corporation from April to June 2024, and both test ``cmo-04``:

    >>> from netwerkonderzoek.config import NetworkConfig
    >>> def study(id, partners, start, end):
    ...     return {"id": id, "kind": "other", "question": f"Vraag van {id}?",
    ...             "cells": [{"perspective": "partner", "form": "direct"}],
    ...             "configurations": ["cmo-04"],
    ...             "collects": [{"table": "observations", "partners": partners}],
    ...             "period": {"start": start, "end": end}, "status": "running"}
    >>> config = NetworkConfig.model_validate({"network_id": "x", "name": "X",
    ...     "mission": "m", "task": "t", "study": {"start": "2024-01", "end": "2024-12",
    ...     "waves": [{"wave": 1, "date": "2024-03-01"}]},
    ...     "studies": [study("actie", ["corporatie", "welzijn"], "2023-09", "2024-06"),
    ...                 study("evaluatie", ["corporatie", "gemeente"], "2024-04", "2025-03")]})
    >>> print(research_overlaps(config).drop(columns="shared_groups").to_string())
      study_a    study_b              overlap shared_configurations shared_partners first_month last_month  months
    0   actie  evaluatie  same_configurations                cmo-04                     2024-04    2024-06       3
    1   actie  evaluatie     same_respondents                            corporatie     2024-04    2024-06       3
    """
    import pandas as pd

    rows = []
    studies = list(config.studies)
    for i, a in enumerate(studies):
        for b in studies[i + 1 :]:
            first, last, months = _shared_months(a, b)
            when = {"first_month": first, "last_month": last, "months": months}
            pair = {"study_a": a.id, "study_b": b.id}
            none = {"shared_configurations": "", "shared_partners": "", "shared_groups": ""}
            if _normalised(a.question) == _normalised(b.question):
                rows.append(pair | {"overlap": "same_question"} | none | when)
            shared = sorted(set(a.configurations) & set(b.configurations))
            if shared:
                rows.append(
                    pair
                    | {"overlap": "same_configurations"}
                    | none
                    | {"shared_configurations": ";".join(shared)}
                    | when
                )
            partners_a, groups_a = _asked(a)
            partners_b, groups_b = _asked(b)
            partners = set(partners_a) & set(partners_b)
            if "partners" in groups_a:
                partners |= set(partners_b)
            if "partners" in groups_b:
                partners |= set(partners_a)
            groups = set(groups_a) & set(groups_b)
            if months and (partners or groups):
                rows.append(
                    pair
                    | {"overlap": "same_respondents"}
                    | none
                    | {
                        "shared_partners": ";".join(sorted(partners)),
                        "shared_groups": ";".join(sorted(groups)),
                    }
                    | when
                )
    frame = pd.DataFrame(rows, columns=list(RESEARCH_OVERLAP_COLUMNS))
    return frame.astype({"months": int})


def agenda_matrix(agenda: pd.DataFrame, *, language: str = "nl") -> pd.DataFrame:
    """The agenda as the report shows it: one row per cell, one column per study.

    Parameters
    ----------
    agenda : DataFrame
        From :func:`research_agenda`.
    language : {"nl", "en"}

    Returns
    -------
    DataFrame
        Headed in ``language`` (show it with ``story.present(..., labelled=True)``):
        the cell, its indicators, whether it is rated, whether no study
        addresses it, one column per study (in the order they first appear)
        holding the study's status where it addresses the cell, and the
        verdicts of the configurations its studies test.

    Examples
    --------
    >>> from netwerkonderzoek.config import NetworkConfig
    >>> config = NetworkConfig.model_validate({"network_id": "x", "name": "X",
    ...     "mission": "m", "task": "t", "study": {"start": "2024-01", "end": "2024-12",
    ...     "waves": [{"wave": 1, "date": "2024-03-01"}]},
    ...     "studies": [{"id": "monitor", "kind": "monitoring", "question": "Hoe gaat het?",
    ...                  "cells": [{"perspective": "societal", "form": "direct"}],
    ...                  "configurations": ["cmo-01"],
    ...                  "period": {"start": "2024-01", "end": "2024-06"},
    ...                  "status": "running"}]})
    >>> agenda = research_agenda(None, config, verdicts={"cmo-01": "supported"})
    >>> agenda_matrix(agenda).iloc[:2].to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'Cel van de waardematrix': 'Maatschappelijke waarde, direct', 'Indicatoren': 0,
      'Waardering': 'nee', 'Zonder onderzoek': 'nee', 'monitor': 'loopt',
      'Oordelen': 'cmo-01: bevestigd'},
     {'Cel van de waardematrix': 'Maatschappelijke waarde, indirect', 'Indicatoren': 0,
      'Waardering': 'nee', 'Zonder onderzoek': 'ja', 'monitor': '', 'Oordelen': ''}]
    """
    import pandas as pd

    check_language(language)
    require_columns(agenda, RESEARCH_AGENDA_COLUMNS, "agenda_matrix")
    nl = language == "nl"
    yes, no = ("ja", "nee") if nl else ("yes", "no")
    heads = (
        ("Cel van de waardematrix", "Indicatoren", "Waardering", "Zonder onderzoek", "Oordelen")
        if nl
        else ("Value cell", "Indicators", "Appreciation", "No study", "Verdicts")
    )
    studies = list(dict.fromkeys(s for s in agenda["study_id"] if s))
    rows = []
    for _, group in agenda.groupby(["perspective", "form"], sort=False):
        first = group.iloc[0]
        status = {r.study_id: _word(r.status, language) for r in group.itertuples() if r.study_id}
        verdicts = []
        for text in group["verdicts"]:
            for item in filter(None, str(text).split(";")):
                cmo_id, verdict = item.split("=", 1)
                shown = f"{cmo_id}: {label(verdict, language).lower()}"
                if shown not in verdicts:
                    verdicts.append(shown)
        rows.append(
            {
                heads[0]: first["cell"],
                heads[1]: int(first["n_indicators"]),
                heads[2]: yes if bool(first["rated"]) else no,
                heads[3]: yes if bool(group["unaddressed"].any()) else no,
                **{s: status.get(s, "") for s in studies},
                heads[4]: "; ".join(verdicts),
            }
        )
    return pd.DataFrame(rows, columns=[*heads[:4], *studies, heads[4]])


def _months_text(first: str, last: str, months: int, language: str) -> str:
    from ..formatting import format_date

    def month(period: str) -> str:
        return format_date(dt.date(int(period[:4]), int(period[5:7]), 1), language, "MMMM y")

    if language == "nl":
        unit = "maand" if months == 1 else "maanden"
        span = month(first) if months == 1 else f"{month(first)} t/m {month(last)}"
    else:
        unit = "month" if months == 1 else "months"
        span = month(first) if months == 1 else f"{month(first)} to {month(last)}"
    return f"{span}, {months} {unit}"


def _listing(items: list[str], language: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    last = " en " if language == "nl" else " and "
    return ", ".join(items[:-1]) + last + items[-1]


def agenda_summary(
    agenda: pd.DataFrame, overlaps: pd.DataFrame, config: NetworkConfig, *, language: str = "nl"
) -> list[str]:
    """The agenda in plain sentences: the studies, the cells no study addresses, the overlaps.

    For a steering group: what is on the agenda, where nobody looks, and
    where two studies ask the same (question, configuration or people in the
    same months), with what to do about it. Texts from the configuration
    (questions) are quoted as they are; show them escaped
    (``story.paragraphs``).

    Parameters
    ----------
    agenda : DataFrame
        From :func:`research_agenda`.
    overlaps : DataFrame
        From :func:`research_overlaps`.
    config : NetworkConfig
        Its ``studies`` (for the questions).
    language : {"nl", "en"}

    Returns
    -------
    list of str
        One paragraph each.

    Examples
    --------
    >>> from netwerkonderzoek.config import NetworkConfig
    >>> config = NetworkConfig.model_validate({"network_id": "x", "name": "X",
    ...     "mission": "m", "task": "t", "study": {"start": "2024-01", "end": "2024-12",
    ...     "waves": [{"wave": 1, "date": "2024-03-01"}]}})
    >>> for text in agenda_summary(research_agenda(None, config), research_overlaps(config),
    ...                            config):
    ...     print(text)
    Er staan nog geen onderzoeken op de agenda van het netwerk (de lijst studies: in de configuratie is leeg of ontbreekt). Geen van de zes cellen van de waardematrix heeft dus een onderzoek; wat er per cel al bekend is (indicatoren, waardering), staat in de tabel.
    """
    check_language(language)
    require_columns(agenda, RESEARCH_AGENDA_COLUMNS, "agenda_summary")
    require_columns(overlaps, RESEARCH_OVERLAP_COLUMNS, "agenda_summary")
    nl = language == "nl"
    if not config.studies:
        return [
            "Er staan nog geen onderzoeken op de agenda van het netwerk (de lijst studies: in "
            "de configuratie is leeg of ontbreekt). Geen van de zes cellen van de waardematrix "
            "heeft dus een onderzoek; wat er per cel al bekend is (indicatoren, waardering), "
            "staat in de tabel."
            if nl
            else "The network has no studies on its agenda yet (the list studies: in the "
            "configuration is empty or missing). None of the six cells of the value matrix has "
            "a study, then; what is known of each cell today (indicators, appreciation) is in "
            "the table."
        ]
    texts = []
    counts = {}
    for study in config.studies:
        counts[study.status] = counts.get(study.status, 0) + 1
    parts = [f"{n} {_COUNTED[status][0 if nl else 1]}" for status, n in counts.items()]
    n = len(config.studies)
    if nl:
        texts.append(
            f"Op de onderzoeksagenda van het netwerk staan {n} "
            f"{'onderzoek' if n == 1 else 'onderzoeken'} ({_listing(parts, language)}). De tabel "
            "laat per cel van de waardematrix zien welk onderzoek ernaar kijkt en wat er vandaag "
            "al bekend is: het aantal indicatoren, of belanghebbenden de cel gewaardeerd hebben "
            "en de oordelen over de CMO-configuraties die de onderzoeken toetsen."
        )
    else:
        texts.append(
            f"The network's research agenda holds {n} {'study' if n == 1 else 'studies'} "
            f"({_listing(parts, language)}). The table shows per cell of the value matrix which "
            "study looks at it and what is known today: the number of indicators, whether "
            "stakeholders rated the cell, and the verdicts on the CMO configurations the "
            "studies test."
        )
    open_cells = list(dict.fromkeys(agenda.loc[agenda["unaddressed"], "cell"]))
    if open_cells:
        cells = _listing(open_cells, language)
        texts.append(
            f"Geen enkel onderzoek kijkt naar: {cells}. Daarover weet het netwerk alleen wat "
            "de indicatoren en de waardering laten zien; bespreek of een onderzoek er een "
            "vraag over moet stellen."
            if nl
            else f"No study looks at: {cells}. What the network knows of it is what the "
            "indicators and the appreciation show; discuss whether a study should ask about it."
        )
    else:
        texts.append(
            "Elke cel van de waardematrix heeft minstens één onderzoek."
            if nl
            else "Every cell of the value matrix has at least one study."
        )
    if overlaps.empty:
        texts.append(
            "De onderzoeken overlappen elkaar niet: geen twee stellen dezelfde vraag, toetsen "
            "dezelfde configuratie of vragen dezelfde partners of groepen in dezelfde maanden."
            if nl
            else "The studies do not overlap: no two ask the same question, test the same "
            "configuration or ask the same partners or groups in the same months."
        )
        return texts
    question = {s.id: s.question for s in config.studies}
    texts.extend(_overlap_sentence(row, question, language) for row in overlaps.itertuples())
    return texts


_GROUP_WORDS = {
    "residents": ("bewoners", "residents"),
    "partners": ("alle partners", "every partner"),
    "funders": ("financiers", "funders"),
}


def _overlap_sentence(row, question: dict[str, str], language: str) -> str:
    """One overlap of :func:`research_overlaps` as a sentence with what to do about it."""
    nl = language == "nl"
    a, b = f"‘{row.study_a}’", f"‘{row.study_b}’"
    if row.overlap == "same_question":
        return (
            f"{a} en {b} stellen dezelfde vraag: “{question[row.study_a]}” Voeg ze samen of "
            "verdeel het werk, zodat het niet dubbel gebeurt."
            if nl
            else f"{a} and {b} ask the same question: “{question[row.study_a]}” Merge them "
            "or divide the work, so that it is not done twice."
        )
    if row.overlap == "same_configurations":
        ids = _listing(str(row.shared_configurations).split(";"), language)
        one = ";" not in str(row.shared_configurations)
        return (
            f"{a} en {b} toetsen allebei {'configuratie' if one else 'de configuraties'} "
            f"{ids}. Deel de gegevens en spreek af wie wat toetst."
            if nl
            else f"{a} and {b} both test {'configuration' if one else 'configurations'} "
            f"{ids}. Share the data and agree who tests what."
        )
    whom = []
    if row.shared_partners:
        whom.append(
            ("dezelfde partners (" if nl else "the same partners (")
            + ", ".join(str(row.shared_partners).split(";"))
            + ")"
        )
    if row.shared_groups:
        names = [_GROUP_WORDS[g][0 if nl else 1] for g in str(row.shared_groups).split(";")]
        whom.append(("dezelfde groepen (" if nl else "the same groups (") + ", ".join(names) + ")")
    when = _months_text(row.first_month, row.last_month, int(row.months), language)
    return (
        f"{a} en {b} vragen {_listing(whom, language)} in dezelfde maanden ({when}). "
        "Stem de vragen en de planning af, zodat niemand twee keer hetzelfde gevraagd "
        "wordt: ook onderzoek kost de partners tijd."
        if nl
        else f"{a} and {b} ask {_listing(whom, language)} in the same months ({when}). "
        "Agree the questions and the planning, so that nobody is asked the same twice: "
        "research takes the partners' time too."
    )
