"""The two survey tables harmonising writes beside the canonical ones.

``survey_response.csv`` (:data:`RESPONSE_COLUMNS`): one row per wave and
partner of the partner list that was a member at the wave date or answered
— ``member``, ``responses`` (rows naming it), ``complete``, ``partial``,
``quarantined``, ``used``, ``responded`` (a response was used) and
``reconstructed_ties``. ``survey_respondents.csv``
(:data:`RESPONDENT_COLUMNS`): one row per response and network question,
``status`` ``used``, ``partial`` or ``quarantined``, ``value`` the answer
as a number where the scale or a number reads it, else its text.
"""

from __future__ import annotations

import pandas as pd

from .convert import safe_cell
from .survey_read import answer_value

__all__ = ["RESPONDENT_COLUMNS", "RESPONSE_COLUMNS", "respondent_rows", "response_rows"]

#: Columns of ``survey_response.csv``: one row per partner and wave.
RESPONSE_COLUMNS = [
    "network_id",
    "wave",
    "partner_id",
    "member",
    "responses",
    "complete",
    "partial",
    "quarantined",
    "used",
    "responded",
    "reconstructed_ties",
]
#: Columns of ``survey_respondents.csv``: one row per response and network question.
RESPONDENT_COLUMNS = [
    "network_id",
    "wave",
    "respondent",
    "partner_id",
    "status",
    "question",
    "value",
    "source_file",
    "source_row",
]


def response_rows(net, wave, members, org, complete, used, kinds, reconstructed) -> pd.DataFrame:
    """The ``survey_response`` rows of one wave (per row of the export: ``org``,
    ``complete``, ``used``, ``kinds`` of quarantine; per partner ``reconstructed``).

    Examples
    --------
    Two responses of the municipality, a partial one of the welfare
    organisation and one naming no partner; the housing corporation did not
    respond (two ties towards it were reconstructed):

    >>> frame = response_rows("tiny", 1, {"gemeente", "woonstad", "welzijn"},
    ...     org=["gemeente", "gemeente", "welzijn", None], complete=[True, True, False, True],
    ...     used=[True, True, False, False], kinds=[None, None, "partial response", "unknown partner"],
    ...     reconstructed={"woonstad": 2})
    >>> frame[["partner_id", "responses", "partial", "used", "responded", "reconstructed_ties"]]
      partner_id  responses  partial  used  responded  reconstructed_ties
    0   gemeente          2        0     2       True                   0
    1    welzijn          1        1     0      False                   0
    2   woonstad          0        0     0      False                   2
    """
    named = sorted(members | {o for o in org if o is not None})
    rows = []
    for pid in named:
        mine = [i for i, o in enumerate(org) if o == pid]
        rows.append(
            {
                "network_id": net, "wave": wave, "partner_id": pid, "member": pid in members,
                "responses": len(mine), "complete": sum(bool(complete[i]) for i in mine),
                "partial": sum(not complete[i] for i in mine),
                "quarantined": sum(kinds[i] is not None for i in mine),
                "used": sum(bool(used[i]) for i in mine),
                "responded": any(used[i] for i in mine),
                "reconstructed_ties": int(reconstructed.get(pid, 0)),
            }
        )  # fmt: skip
    return pd.DataFrame(rows, columns=RESPONSE_COLUMNS)


def respondent_rows(net, wave, spec, raw, cols, frame, org, used, complete, kinds) -> pd.DataFrame:
    """The ``survey_respondents`` rows of one export: every response x network question.

    Examples
    --------
    >>> import numpy as np
    >>> from netwerkonderzoek.config import SourceSpec
    >>> from netwerkonderzoek.harmonise.sources import RawTable
    >>> from netwerkonderzoek.harmonise.survey_columns import SurveyColumns
    >>> cells = pd.DataFrame({"Antwoord ID": ["17", "18"], "Organisatie": ["Gemeente Noord", "Woonstad"],
    ...                       "Vertrouwen in het netwerk": ["Eens", "Weet niet"]})
    >>> spec = SourceSpec.model_validate({"file": "partnerschap.csv", "table": "ties", "survey": {
    ...     "wave": 1, "respondent": "Organisatie",
    ...     "questions": [{"question": "Met wie wisselt u informatie uit?", "tie_type": "information"}]}})
    >>> raw = RawTable(cells, np.array([2, 3]), "sha")
    >>> cols = SurveyColumns("Organisatie", None, "Antwoord ID",
    ...                      network={"Vertrouwen in het netwerk": "trust"})
    >>> rows = respondent_rows("tiny", 1, spec, raw, cols, cells, org=["gemeente", "woonstad"],
    ...     used=[True, False], complete=[True, False], kinds=[None, "partial response"])
    >>> rows[["respondent", "partner_id", "status", "question", "value", "source_row"]]
      respondent partner_id   status question  value  source_row
    0         17   gemeente     used    trust    3.0           2
    1         18   woonstad  partial    trust    NaN           3
    """
    survey = spec.survey
    rows = []
    for i in range(len(frame)):
        status = (
            "used" if used[i] else "partial" if kinds[i] == "partial response" else "quarantined"
        )
        rid = frame[cols.response_id].iat[i] if cols.response_id is not None else raw.rows[i]
        for header, variable in cols.network.items():
            cell = frame[header].iat[i]
            value = answer_value(cell, "rating", survey, set())
            if value is None:
                value = safe_cell(str(cell), 200)
            rows.append(
                {
                    "network_id": net, "wave": wave, "respondent": str(rid), "partner_id": org[i],
                    "status": status, "question": variable, "value": value,
                    "source_file": spec.file, "source_row": int(raw.rows[i]),
                }
            )  # fmt: skip
    del complete
    return pd.DataFrame(rows, columns=RESPONDENT_COLUMNS)
