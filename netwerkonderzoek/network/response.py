"""Survey non-response: who answered, and which measures it leaves unknown.

Harmonising a survey export (:mod:`netwerkonderzoek.harmonise.survey`)
writes ``data/<network_id>/survey_response.csv``: per wave and partner
whether it was a member at the wave date, how many responses it gave and
whether one was used (``responded``). A partner that did not respond has
*unknown* outgoing ties, not zero: the ties table simply holds none. So
every measure that counts outgoing reports — density, reciprocity,
transitivity, out-degree and out-strength, betweenness, constraint,
centralization, brokerage — is a lower bound or biased in such a wave.
:func:`response_rates` summarises the response per wave;
:func:`flag_nonresponse` adds the response rate and a note to a table of
network or partner measures so that the caveat travels with the numbers.

Examples
--------
>>> import pandas as pd
>>> response = pd.DataFrame({"wave": [1, 1, 1], "partner_id": ["a", "b", "c"],
...     "member": [True, True, True], "responded": [True, False, True]})
>>> response_rates(response)[["wave", "members", "responded", "response_rate", "non_respondents"]]
   wave  members  responded  response_rate non_respondents
0     1        3          2       0.666667               b
>>> measures = pd.DataFrame({"wave": [1], "layer": ["all"], "density": [0.5]})
>>> flag_nonresponse(measures, response).loc[0, "nonresponse_note"]
'1 of 3 partners did not respond (b): their outgoing ties are unknown, so measures of outgoing reports are lower bounds'
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "NONRESPONSE_MEASURES",
    "flag_nonresponse",
    "read_survey_response",
    "response_rates",
]

#: Partner measures that depend on the partner's own (outgoing) reports.
NONRESPONSE_MEASURES = ("out_degree", "degree", "out_strength", "constraint", "trust_given")


def read_survey_response(folder: str | Path) -> pd.DataFrame | None:
    """``survey_response.csv`` of a network's data folder, or None when it has none.

    Parameters
    ----------
    folder : path
        ``data/<network_id>``.

    Examples
    --------
    Partner ids stay text (leading zeros kept); ``member`` and ``responded``
    become booleans.

    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     print(read_survey_response(folder))
    ...     _ = Path(folder, "survey_response.csv").write_text(
    ...         "wave,partner_id,member,responses,responded\\n"
    ...         "1,007,True,1,True\\n1,012,True,0,False\\n")
    ...     read_survey_response(folder)
    None
       wave partner_id  member  responses  responded
    0     1        007    True          1       True
    1     1        012    True          0      False
    """
    import pandas as pd

    path = Path(folder) / "survey_response.csv"
    if not path.is_file():
        return None
    frame = pd.read_csv(path, dtype={"partner_id": str}, keep_default_na=False)
    for column in ("member", "responded"):
        frame[column] = frame[column].astype(str).str.lower().eq("true")
    return frame


def response_rates(response: pd.DataFrame | None) -> pd.DataFrame:
    """Response per wave: members, members that responded, rate, non-respondents.

    Parameters
    ----------
    response : DataFrame or None
        ``survey_response`` (``wave``, ``partner_id``, ``member``, ``responded``);
        None (ties not from a survey export) gives an empty table.

    Returns
    -------
    DataFrame
        ``wave``, ``members`` (partners that were members at the wave date),
        ``responded``, ``response_rate`` (``responded / members``),
        ``non_respondents`` (ids joined by ``, ``), ``outside_members``
        (responses from partners that were not members at the wave date).

    Examples
    --------
    In wave 1, c responded but was not a member on the wave date: it counts
    in ``outside_members``, not in the rate.

    >>> import pandas as pd
    >>> response = pd.DataFrame({"wave": [1, 1, 1, 2, 2], "partner_id": ["a", "b", "c", "a", "b"],
    ...     "member": [True, True, False, True, True],
    ...     "responded": [True, False, True, True, True]})
    >>> response_rates(response)
       wave  members  responded  response_rate non_respondents  outside_members
    0     1        2          1            0.5               b                1
    1     2        2          2            1.0                                0
    >>> response_rates(None).empty
    True
    """
    import pandas as pd

    rows = []
    for wave, part in response.groupby("wave", sort=True) if response is not None else []:
        members = part[part["member"]]
        answered = members[members["responded"]]
        rows.append(
            {
                "wave": int(wave),
                "members": len(members),
                "responded": len(answered),
                "response_rate": len(answered) / len(members) if len(members) else float("nan"),
                "non_respondents": ", ".join(
                    sorted(members.loc[~members["responded"], "partner_id"])
                ),
                "outside_members": int((~part["member"] & part["responded"]).sum()),
            }
        )
    columns = [
        "wave",
        "members",
        "responded",
        "response_rate",
        "non_respondents",
        "outside_members",
    ]
    return pd.DataFrame(rows, columns=columns)


def flag_nonresponse(measures: pd.DataFrame, response: pd.DataFrame | None) -> pd.DataFrame:
    """Add the response rate and a non-response note to a table of measures.

    A table with a ``partner_id`` column (partner measures) gets ``responded``
    (did the partner respond in that wave) and a note naming the measures of
    its own reports that are unknown (:data:`NONRESPONSE_MEASURES`); any other
    table with a ``wave`` column (network measures) gets ``response_rate`` and
    a note when not every member responded. Without a response table (ties
    kept by hand, not from a survey export) the table is returned unchanged.

    Parameters
    ----------
    measures : DataFrame
        :func:`~netwerkonderzoek.network.network_measures` or
        :func:`~netwerkonderzoek.network.partner_measures` output.
    response : DataFrame or None
        ``survey_response`` (:func:`read_survey_response`).

    Returns
    -------
    DataFrame
        A copy with the added columns.

    Examples
    --------
    >>> import pandas as pd
    >>> response = pd.DataFrame({"wave": [1, 1], "partner_id": ["a", "b"],
    ...                          "member": [True, True], "responded": [True, False]})
    >>> partner_table = pd.DataFrame({"wave": [1, 1], "partner_id": ["a", "b"],
    ...                               "out_degree": [2, 0], "betweenness": [0.5, 0.0]})
    >>> flagged = flag_nonresponse(partner_table, response)
    >>> flagged["responded"].tolist(), flagged.loc[1, "nonresponse_note"]
    ([True, False], 'did not respond in wave 1: out_degree unknown (lower bounds)')
    >>> flag_nonresponse(partner_table, None) is partner_table  # ties kept by hand
    True
    """
    if response is None:
        return measures
    out = measures.copy()
    if "partner_id" in out.columns:
        said = {
            (int(w), p): bool(r)
            for w, p, r in response[["wave", "partner_id", "responded"]].itertuples(index=False)
        }
        out["responded"] = [
            said.get((int(w), p)) for w, p in zip(out["wave"], out["partner_id"], strict=True)
        ]
        known = [c for c in NONRESPONSE_MEASURES if c in out.columns]
        out["nonresponse_note"] = [
            f"did not respond in wave {int(w)}: {', '.join(known)} unknown (lower bounds)"
            if r is False
            else ""
            for w, r in zip(out["wave"], out["responded"], strict=True)
        ]
        return out
    rates = response_rates(response).set_index("wave")
    out["response_rate"] = [rates["response_rate"].get(int(w), float("nan")) for w in out["wave"]]
    notes = []
    for w in out["wave"]:
        if int(w) not in rates.index:
            notes.append("")
            continue
        rate = rates.loc[int(w)]
        missing = int(rate["members"] - rate["responded"])
        notes.append(
            ""
            if not missing
            else f"{missing} of {int(rate['members'])} partners did not respond "
            f"({rate['non_respondents']}): their outgoing ties are unknown, so measures of "
            "outgoing reports are lower bounds"
        )
    out["nonresponse_note"] = notes
    return out
