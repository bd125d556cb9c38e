"""What the network yields: the value matrix, partner business cases, monetisation.

The network's **value definition** is in its configuration: every indicator
(:class:`~netwerkonderzoek.config.IndicatorSpec`) has a value *perspective*
(societal, network, partner), a *form* (direct: outside, for residents;
indirect: inside the organisations), an expected *direction* and optionally
the partner it concerns (Platform31 2022). This module turns indicators,
appreciation ratings, contributions and PARTNER ratings into three answers.

Value matrix (:func:`value_matrix`)
    Per period and cell (3 perspectives x 2 forms): each indicator's change
    since the **baseline** — the mean over areas and over the first
    :data:`BASELINE_MONTHS` months of the indicator's series — to its
    *level* at the period (mean over areas and over the
    :data:`BASELINE_MONTHS` months up to and including the period).
    ``change_raw = level - baseline``; ``change = change_raw`` for an
    indicator expected to increase and ``-change_raw`` for one expected to
    decrease, so a **positive change is an improvement**. Next to it, the
    appreciation of each stakeholder group (residents, partners, funders; mean
    rating 1-10, ``NaN`` = no data, never 0) and the CMO configurations with
    that perspective and form with their verdicts.

Disagreement (:func:`disagreement`)
    "Value is in the eye of the stakeholder": in a cell and period, among the
    groups with at least ``min_n`` ratings (default 3), the *range* of the
    group means (highest minus lowest). The cell is flagged when at least two
    groups rated it and the range is at least :data:`DISAGREEMENT_THRESHOLD`
    (1.5 points on the 1-10 scale).

Partner business case (:func:`business_case`)
    "What's in it for us?" Per partner and survey wave: what it puts in —
    hours and costs (contributions) in the wave's period, and per month on
    the roster — against what it gets: the PARTNER value the others attribute
    to it (mean of power/influence, involvement, resource contribution it
    receives, 1-4; :func:`netwerkonderzoek.network.partner_trust`), its own
    appreciation of its partner value (1-10) and the change of the
    partner-value indicators that concern it. A wave's period runs from the
    month after the previous wave's fieldwork month to its own (the first:
    from the first contribution), as in :mod:`netwerkonderzoek.heartbeat`.

    **Flag rule** (:data:`FLAG_RULE`), over the partner's waves, with
    ordinary least-squares slopes on the wave number and at least
    ``min_waves`` (3) waves with data: the investment *grows* when the slope
    of hours per roster month divided by its mean is at least
    ``hours_growth`` (+10 % per wave); perceived value *falls* when every
    available value slope is negative and the PARTNER value slope is at most
    ``value_slope`` (-0.10 per wave, 1-4 scale) or the own-appreciation
    slope at most ``appreciation_slope`` (-0.25 per wave, 1-10 scale).
    ``flag`` = grows and falls.

Research agenda (:func:`research_agenda`, :func:`research_overlaps`)
    The studies the network runs (``studies:`` in its configuration) laid
    over the six cells: which study looks at which cell, with the evidence
    each cell has today, the cells no study addresses, and the studies that
    ask the same question, test the same configurations or ask the same
    partners in the same months (:mod:`netwerkonderzoek.value.agenda`).

Monetisation (:func:`monetise`)
    Optional and partial. Where an indicator has a documented financial
    proxy (euros per unit of improvement in one area during one month, with
    source and year), the improvement after the baseline summed over areas
    and months is valued at the low, central and high proxy; the net value is
    ``gross x (1 - deadweight) x (1 - attribution) x (1 - displacement)``
    with the three shares the config must state, and the ratio is net
    value over the euros the partners put in (``costs_eur``). Numbers never
    capture all value: :data:`CAVEAT` is printed with every ratio.

References
----------
Deuten, J., Doevendans, P., & de Caluwé, M. (2022). *Werken in een netwerk,
wat levert het op?* Platform31.

Varda, D. M., Chandra, A., Stern, S. A., & Lurie, N. (2008). Core dimensions
of connectivity in public health collaboratives. *Journal of Public Health
Management and Practice* 14(5), E1-E7. https://doi.org/10.1097/01.PHH.0000333889.60517.46

Nicholls, J., Lawlor, E., Neitzert, E., & Goodspeed, T. (2012). *A guide to
Social Return on Investment*. The SROI Network.

Examples
--------
>>> import pandas as pd
>>> from netwerkonderzoek.value import disagreement
>>> ratings = pd.DataFrame({
...     "period": ["2024-01"] * 6, "perspective": ["societal"] * 6, "form": ["direct"] * 6,
...     "stakeholder_group": ["residents"] * 3 + ["partners"] * 3,
...     "rating": [4, 5, 6, 7, 8, 6]})
>>> disagreement(ratings)[["groups", "range", "disagree"]].to_dict("records")
[{'groups': 2, 'range': 2.0, 'disagree': True}]
"""

from ..vocabulary import FORMS, PERSPECTIVES
from .agenda import (
    ASKING_TABLES,
    OVERLAP_KINDS,
    RESEARCH_AGENDA_COLUMNS,
    RESEARCH_OVERLAP_COLUMNS,
    agenda_matrix,
    agenda_summary,
    cell_label,
    research_agenda,
    research_overlaps,
    research_studies,
)
from .business import (
    BUSINESS_CASE_COLUMNS,
    FLAG_RULE,
    FlagRule,
    business_case,
    business_case_summary,
)
from .definition import (
    BASELINE_MONTHS,
    CELLS,
    GROUPS,
    load_appreciation,
    require_columns,
    survey_periods,
    value_definition,
)
from .matrix import (
    DISAGREEMENT_THRESHOLD,
    INDICATOR_FIELDS,
    VALUE_MATRIX_COLUMNS,
    appreciation_scores,
    disagreement,
    indicator_change,
    matrix_view,
    value_matrix,
)
from .monetisation import CAVEAT, Monetisation, monetise
from .plots import plot_business_case, plot_business_cases, plot_value_matrix

__all__ = [
    "ASKING_TABLES",
    "BASELINE_MONTHS",
    "BUSINESS_CASE_COLUMNS",
    "CAVEAT",
    "CELLS",
    "DISAGREEMENT_THRESHOLD",
    "FLAG_RULE",
    "FORMS",
    "GROUPS",
    "INDICATOR_FIELDS",
    "OVERLAP_KINDS",
    "PERSPECTIVES",
    "RESEARCH_AGENDA_COLUMNS",
    "RESEARCH_OVERLAP_COLUMNS",
    "VALUE_MATRIX_COLUMNS",
    "FlagRule",
    "Monetisation",
    "agenda_matrix",
    "agenda_summary",
    "appreciation_scores",
    "business_case",
    "business_case_summary",
    "cell_label",
    "disagreement",
    "indicator_change",
    "load_appreciation",
    "matrix_view",
    "monetise",
    "plot_business_case",
    "plot_business_cases",
    "plot_value_matrix",
    "require_columns",
    "research_agenda",
    "research_overlaps",
    "research_studies",
    "survey_periods",
    "value_definition",
    "value_matrix",
]
