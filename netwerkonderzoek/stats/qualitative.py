"""Qualitative evidence from coded observations.

Observations (interviews, meetings, stories) carry codes separated by ``;``:
CMO configuration ids and value types. An observation coded with a
configuration's codes speaks to it; its ``sentiment`` in [-1, 1] says
whether it supports the configuration (sentiment above ``+neutral``),
contradicts it (below ``-neutral``) or is neutral: the band's edges are
neutral, so with the default ``neutral=0.2`` a sentiment of exactly 0.2 is
neutral (:func:`classify_sentiment`, the one rule of the package).
``neutral=0`` counts by the sign of the sentiment alone.

Stance
------
Observations harmonised from a qualitative analysis tool
(:mod:`netwerkonderzoek.harmonise.qda`) say their direction per
configuration in the optional column ``stance``:
``cmo-01:supports;cmo-02:refines`` (``supports``, ``contradicts``,
``refines``, ``neutral``; :func:`split_stance`), from the network's code book,
and leave ``sentiment`` empty. Where an observation's stance names the
configuration (its id or one of its codes), the stance decides and the
sentiment is not looked at; elsewhere the sentiment band decides as above
(an empty sentiment is neutral). A ``refines`` observation is counted as
refining (``n_refining``): neither support nor contradiction, so it does not
move the direction of an evidence item; its count is in the item's note.

:func:`observation_counts` counts per configuration and source role,
:func:`example_quotes` picks example quotes reproducibly (``seed``), and
:func:`qualitative_evidence` turns the counts into evidence items:
``supports`` if supporting observations outnumber contradicting ones at least
``ratio`` to 1, ``contradicts`` the other way round, ``inconclusive``
otherwise, ``insufficient_data`` below ``min_observations`` directional
observations.

References
----------
Pawson, R., & Tilley, N. (1997). *Realistic Evaluation*. London: Sage.

Wong, G., Westhorp, G., Manzano, A., Greenhalgh, J., Jagosh, J., &
Greenhalgh, T. (2016). RAMESES II reporting standards for realist
evaluations. *BMC Medicine*, 14, 96. https://doi.org/10.1186/s12916-016-0643-1
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..cmo.evidence import EvidenceItem

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..cmo.model import ProgrammeTheory

__all__ = [
    "classify_sentiment",
    "example_quotes",
    "observation_counts",
    "qualitative_evidence",
    "split_codes",
    "split_stance",
]

#: Directions an observation's stance can give a configuration, and their sign.
STANCE_SIGNS = {"supports": 1, "contradicts": -1, "neutral": 0, "refines": 2}

COUNT_COLUMNS = (
    "cmo_id",
    "source_role",
    "n",
    "n_supporting",
    "n_contradicting",
    "n_neutral",
    "n_refining",
    "mean_sentiment",
)


def split_codes(codes: object) -> list[str]:
    """The codes of one observation: split on ``;``, stripped, empties removed.

    Examples
    --------
    >>> split_codes(" cmo-01; societal;;")
    ['cmo-01', 'societal']
    """
    if not isinstance(codes, str):
        return []
    return [code.strip() for code in codes.split(";") if code.strip()]


def split_stance(stance: object) -> dict[str, str]:
    """The direction per configuration of one observation's ``stance``.

    Raises
    ------
    ValueError
        If an entry is not ``id:direction`` with a known direction.

    Examples
    --------
    >>> split_stance("cmo-01:supports; cmo-02:refines")
    {'cmo-01': 'supports', 'cmo-02': 'refines'}
    >>> split_stance(None)
    {}
    """
    if not isinstance(stance, str):
        return {}
    out = {}
    for entry in stance.split(";"):
        if not entry.strip():
            continue
        cmo, _, direction = entry.partition(":")
        if direction.strip() not in STANCE_SIGNS or not cmo.strip():
            raise ValueError(
                f"stance entry {entry.strip()!r} is not id:direction with a direction of "
                f"{', '.join(STANCE_SIGNS)}"
            )
        out[cmo.strip()] = direction.strip()
    return out


def _signs(part: pd.DataFrame, cmo_id: str, codes: set[str], neutral: float):
    """+1, -1, 0 or 2 (refines) per observation about one configuration (see the module)."""
    import numpy as np

    sign = classify_sentiment(part["sentiment"], neutral)
    if "stance" not in part.columns:
        return sign
    names = {cmo_id, *codes}
    sign = sign.copy()
    for i, stance in enumerate(part["stance"]):
        given = [d for c, d in split_stance(stance).items() if c in names]
        if given:
            sign[i] = STANCE_SIGNS[given[0]]
    return np.asarray(sign)


def _code_map(theory: ProgrammeTheory | None, observations: pd.DataFrame) -> dict[str, set[str]]:
    if theory is not None:
        return {c.id: set(c.codes) or {c.id} for c in theory}
    found = sorted({code for codes in observations["codes"] for code in split_codes(codes)})
    return {code: {code} for code in found if code.startswith("cmo")}


def classify_sentiment(sentiment, neutral: float = 0.2):
    """+1 (supports), -1 (contradicts) or 0 (neutral) for each sentiment.

    A sentiment above ``neutral`` supports, one below ``-neutral``
    contradicts; the band ``[-neutral, +neutral]``, edges included, is
    neutral. Every count, quote and evidence item of the package uses this
    rule.

    Raises
    ------
    ValueError
        If ``neutral`` is negative.

    Examples
    --------
    >>> classify_sentiment([0.6, 0.2, 0.19, -0.2, -0.21]).tolist()
    [1, 0, 0, 0, -1]
    """
    import numpy as np

    if not neutral >= 0:
        raise ValueError(
            f"The 'neutral' parameter must be a number of at least 0. Got {neutral!r} instead."
        )
    sentiment = np.asarray(sentiment, dtype=float)
    return np.where(sentiment > neutral, 1, np.where(sentiment < -neutral, -1, 0))


def _tagged(observations: pd.DataFrame, codes: set[str], cmo_id: str | None = None):
    import numpy as np

    tagged = np.array(
        [bool(codes & set(split_codes(c))) for c in observations["codes"]], dtype=bool
    )
    if "stance" in observations.columns:
        names = codes | ({cmo_id} if cmo_id else set())
        tagged |= np.array(
            [bool(names & set(split_stance(s))) for s in observations["stance"]], dtype=bool
        )
    return tagged


def observation_counts(
    observations: pd.DataFrame,
    theory: ProgrammeTheory | None = None,
    *,
    by: str | None = "source_role",
    neutral: float = 0.2,
) -> pd.DataFrame:
    """Count supporting, contradicting and neutral observations per configuration.

    Parameters
    ----------
    observations : DataFrame
        The ``observations`` table (``codes``, ``sentiment``, ``source_role``).
    theory : ProgrammeTheory, optional
        Gives each configuration's codes (default: codes starting with ``cmo``).
    by : str or None
        Split by this column (default ``source_role``); None: one row per configuration.
    neutral : float
        Half-width of the neutral sentiment band.

    Returns
    -------
    DataFrame
        One row per configuration (and ``by`` level): ``cmo_id``, the ``by``
        column (``"all"`` when ``by`` is None), ``n``, ``n_supporting``,
        ``n_contradicting``, ``n_neutral``, ``n_refining`` (by ``stance``
        only), ``mean_sentiment`` (of the observations with a sentiment).

    Examples
    --------
    >>> import pandas as pd
    >>> obs = pd.DataFrame({"codes": ["cmo-01;societal", "cmo-01", "cmo-02"],
    ...                     "sentiment": [0.6, -0.5, 0.1],
    ...                     "source_role": ["resident", "partner", "resident"]})
    >>> observation_counts(obs, by=None)[["cmo_id", "n_supporting", "n_contradicting",
    ...                                   "n_neutral"]].to_dict("records")
    [{'cmo_id': 'cmo-01', 'n_supporting': 1, 'n_contradicting': 1, 'n_neutral': 0}, {'cmo_id': 'cmo-02', 'n_supporting': 0, 'n_contradicting': 0, 'n_neutral': 1}]

    With a stance (coded interviews), a refining observation is its own count:

    >>> obs = pd.DataFrame({"codes": ["cmo-01", "cmo-01;cmo-02"], "sentiment": [None, None],
    ...     "stance": ["cmo-01:supports", "cmo-01:refines;cmo-02:contradicts"],
    ...     "source_role": "resident"})
    >>> observation_counts(obs, by=None)[["cmo_id", "n_supporting", "n_contradicting",
    ...                                   "n_refining"]].to_dict("records")
    [{'cmo_id': 'cmo-01', 'n_supporting': 1, 'n_contradicting': 0, 'n_refining': 1}, {'cmo_id': 'cmo-02', 'n_supporting': 0, 'n_contradicting': 1, 'n_refining': 0}]
    """
    import pandas as pd

    if by is not None and by not in observations.columns:
        raise KeyError(f"column {by!r} is not in the observations table")
    column = by or "source_role"
    rows = []
    for cmo_id, codes in _code_map(theory, observations).items():
        tagged = observations[_tagged(observations, codes, cmo_id)]
        groups = [("all", tagged)] if by is None else list(tagged.groupby(by, sort=True))
        for level, part in groups:
            sign = _signs(part, cmo_id, codes, neutral)
            rows.append(
                {
                    "cmo_id": cmo_id,
                    column: level,
                    "n": len(part),
                    "n_supporting": int((sign == 1).sum()),
                    "n_contradicting": int((sign == -1).sum()),
                    "n_neutral": int((sign == 0).sum()),
                    "n_refining": int((sign == 2).sum()),
                    "mean_sentiment": float(part["sentiment"].mean())
                    if len(part)
                    else float("nan"),
                }
            )
    columns = ["cmo_id", column, *COUNT_COLUMNS[2:]]
    return pd.DataFrame(rows, columns=columns)


def example_quotes(
    observations: pd.DataFrame,
    cmo_id: str,
    *,
    theory: ProgrammeTheory | None = None,
    n: int = 3,
    direction: str | None = None,
    neutral: float = 0.2,
    seed: int | None = None,
) -> pd.DataFrame:
    """Example quotes for a configuration, drawn reproducibly.

    Parameters
    ----------
    observations : DataFrame
    cmo_id : str
    theory : ProgrammeTheory, optional
        Gives the configuration's codes (default: ``cmo_id`` itself).
    n : int
        Number of quotes (fewer if fewer observations).
    direction : {"supports", "contradicts", "neutral", "refines"}, optional
        Only observations of this kind (``refines`` by ``stance`` only).
    neutral : float
        Half-width of the neutral sentiment band.
    seed : int, optional
        The same seed gives the same quotes.

    Returns
    -------
    DataFrame
        ``observation_id`` (if present), ``date``, ``source_role``,
        ``sentiment``, ``text``, ``direction``; in observation order.

    Examples
    --------
    >>> import pandas as pd
    >>> obs = pd.DataFrame({"observation_id": ["o1", "o2", "o3"],
    ...                     "codes": ["cmo-01", "cmo-01", "cmo-01"],
    ...                     "sentiment": [0.6, 0.5, -0.5], "source_role": "resident",
    ...                     "date": "2023-01-01", "text": ["Fijn", "Goed", "Slecht"]})
    >>> example_quotes(obs, "cmo-01", n=1, direction="contradicts", seed=1)["text"].tolist()
    ['Slecht']
    """
    import numpy as np

    names = {"supports": 1, "contradicts": -1, "neutral": 0, "refines": 2}
    if direction is not None and direction not in names:
        raise ValueError(
            f"The 'direction' parameter must be one of {', '.join(names)}. Got {direction!r} instead."
        )
    codes = set(theory[cmo_id].codes) if theory is not None else {cmo_id}
    tagged = observations[_tagged(observations, codes, cmo_id)].copy()
    if "observation_id" in tagged.columns:
        tagged = tagged.sort_values("observation_id", kind="stable")
    sign = _signs(tagged, cmo_id, codes, neutral)
    labels = {1: "supports", -1: "contradicts", 0: "neutral", 2: "refines"}
    tagged["direction"] = [labels[int(s)] for s in sign]
    if direction is not None:
        tagged = tagged[sign == names[direction]]
    rng = np.random.default_rng(seed)
    take = min(n, len(tagged))
    chosen = np.sort(rng.choice(len(tagged), size=take, replace=False)) if take else []
    columns = [
        c
        for c in ("observation_id", "date", "source_role", "sentiment", "text", "direction")
        if c in tagged.columns
    ]
    return tagged.iloc[chosen][columns].reset_index(drop=True)


def qualitative_evidence(
    observations: pd.DataFrame,
    theory: ProgrammeTheory,
    *,
    by: str | None = None,
    neutral: float = 0.2,
    ratio: float = 2.0,
    min_observations: int = 5,
    origin: str = "observations",
    min_cell: int | None = None,
) -> list[EvidenceItem]:
    """Evidence items from coded observations, one per configuration (and ``by`` level).

    See the module documentation for the rule. Items have kind
    ``qualitative``, source ``observations`` (or ``observations: <level>``
    when split ``by`` a column such as ``source_role``), ``n`` = number of
    observations and the counts in ``note`` (with a ``stance`` column also
    the refining ones, which move no direction). With ``min_cell`` (the
    network's small-cell threshold) counts from 1 to ``min_cell - 1`` read
    ``x`` in the note, and so does the next smallest count when one hidden
    count could be derived from ``n`` (secondary suppression,
    :func:`~netwerkonderzoek.privacy.suppress_small_counts`).

    Examples
    --------
    >>> import pandas as pd
    >>> from netwerkonderzoek.cmo import ProgrammeTheory
    >>> theory = ProgrammeTheory.from_dict({"network_id": "x", "name": "x", "version": 1,
    ...     "label": "initial", "date": "2024-01-01", "configurations": [{
    ...     "id": "cmo-01", "statement": "s", "perspective": "societal", "form": "direct",
    ...     "context": {"description": "c", "expression": "a > 1"},
    ...     "mechanism": {"resource": "r", "reasoning": "r", "exposure": "e"},
    ...     "outcome": {"description": "o", "measure": "y", "direction": "increase",
    ...                 "scale": "continuous"}}]})
    >>> obs = pd.DataFrame({"codes": ["cmo-01"] * 8, "sentiment": [0.5] * 6 + [-0.5] * 2,
    ...                     "source_role": "resident"})
    >>> qualitative_evidence(obs, theory)[0].direction
    'supports'
    """
    counts = observation_counts(observations, theory, by=by, neutral=neutral)
    with_stance = "stance" in observations.columns
    items = []
    for cmo_id in theory.ids:
        rows = counts[counts["cmo_id"] == cmo_id]
        if rows.empty:
            records = [
                {"n": 0, "n_supporting": 0, "n_contradicting": 0, "n_neutral": 0, "n_refining": 0}
            ]
            levels = ["all"]
        else:
            records = rows.to_dict("records")
            levels = list(rows[by or "source_role"])
        for level, row in zip(levels, records, strict=True):
            sup, con = row["n_supporting"], row["n_contradicting"]
            if sup + con < min_observations:
                direction = "insufficient_data"
            elif sup >= ratio * con and sup > con:
                direction = "supports"
            elif con >= ratio * sup and con > sup:
                direction = "contradicts"
            else:
                direction = "inconclusive"
            directional = sup + con
            strength = "weak" if directional < 10 else "moderate" if directional < 30 else "strong"
            values = (sup, con, row["n_neutral"], row["n_refining"])
            letters = "scnr" if with_stance else "scn"
            shown = [str(int(k)) for k in values[: len(letters)]]
            if min_cell is not None:
                import pandas as pd

                from ..privacy import suppress_small_counts

                cells = pd.DataFrame([dict(zip(letters, values, strict=False))])
                hidden = suppress_small_counts(cells, list(letters), min_cell=min_cell)
                shown = [
                    k if ok else "x"
                    for k, ok in zip(shown, hidden.iloc[0, : len(letters)].notna(), strict=True)
                ]
            items.append(
                EvidenceItem(
                    cmo_id=cmo_id,
                    kind="qualitative",
                    direction=direction,
                    source="observations" if by is None else f"observations: {level}",
                    strength=strength,
                    origin=origin,
                    note=(
                        f"{shown[0]} supporting, {shown[1]} contradicting, {shown[2]} neutral"
                        + (f", {shown[3]} refining" if with_stance else "")
                        + (
                            f" (stance from the code book; elsewhere sentiment band ±{neutral:g})"
                            if with_stance
                            else f" (sentiment band ±{neutral:g})"
                        )
                    ),
                    n=int(row["n"]),
                    method="coded observations",
                )
            )
    return items
