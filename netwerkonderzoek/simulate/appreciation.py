"""Simulated appreciation survey (waardering): who rates which value cell how.

:func:`simulate_appreciation` derives the optional ``appreciation`` table
(schema in :data:`netwerkonderzoek.tables.SCHEMAS`) from a
:class:`~netwerkonderzoek.simulate.SimulatedNetwork`, deterministically: its
random stream is ``numpy.random.SeedSequence([seed, network_index, 7])``, so
it does not disturb the five streams of the network itself.

Generative model
----------------
One survey per partner-survey wave, in the wave's fieldwork month
(``period``). Respondents and the cells (perspective x form) they rate:

- **partners**: every partner on the roster at the fieldwork date (``joined <=
  date < left``) rates all six cells; ``partner_id`` is the rater.
- **residents**: :data:`RESIDENTS` respondents per wave rate the two societal
  cells only (they cannot judge the network's or a partner's inner value:
  those cells have *no data* for residents).
- **funders**: :data:`FUNDERS` respondents per wave rate the societal and
  network cells (not partner value).

``rating = clip(rint(level + planted + N(0, 1.0)), 1, 10)`` with
``level = 7.0 + N(0, 0.3)`` per respondent. Planted patterns:

1. **Disagreement** ("value is in the eye of the stakeholder"): residents
   rate the societal/direct cell :data:`DISAGREEMENT_GAP` points lower than
   the other groups.
2. **Declining partner**: the ground truth's value partner
   (``ground_truth["value"]["partner_id"]``, whose hours rise) rates its own
   partner-value cells :data:`PARTNER_DECLINE` points lower in the last wave
   than in the first, linearly over the waves. The waves are the study's
   planned ones: a network cut off at a month (``simulate_network(until=...)``)
   keeps the ratings of its waves, and its ground truth the decline to its
   last wave so far.

A partner rating a partner-value cell for which the configuration has an
indicator concerning that partner names it in ``indicator_id``.
:func:`appreciation_truth` records the planted patterns (written as the
``appreciation`` key of ``ground_truth.json``).

Examples
--------
>>> from netwerkonderzoek.simulate import simulate_network
>>> sim = simulate_network("wijk-noord", seed=1)
>>> table = simulate_appreciation(sim)
>>> sorted(table["stakeholder_group"].unique())
['funders', 'partners', 'residents']
>>> int(table["rating"].min()) >= 1 and int(table["rating"].max()) <= 10
True
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    from .examples import SimulatedNetwork

__all__ = [
    "DISAGREEMENT_CELL",
    "DISAGREEMENT_GAP",
    "FUNDERS",
    "PARTNER_DECLINE",
    "RESIDENTS",
    "appreciation_truth",
    "simulate_appreciation",
    "write_appreciation",
]

RESIDENTS = 30
FUNDERS = 6
DISAGREEMENT_CELL = ("societal", "direct")
DISAGREEMENT_GAP = 2.5
PARTNER_DECLINE = 3.0
NOISE_SD = 1.0
CELLS = {
    "partners": [
        (p, f) for p in ("societal", "network", "partner") for f in ("direct", "indirect")
    ],
    "residents": [("societal", "direct"), ("societal", "indirect")],
    "funders": [(p, f) for p in ("societal", "network") for f in ("direct", "indirect")],
}
COLUMNS = [
    "network_id",
    "period",
    "stakeholder_group",
    "respondent_id",
    "partner_id",
    "perspective",
    "form",
    "indicator_id",
    "rating",
]


def _waves(sim: SimulatedNetwork) -> list[tuple[int, str]]:
    return [(int(w["wave"]), str(w["date"])) for w in sim.config["study"]["waves"]]


def _last_position(sim: SimulatedNetwork) -> int:
    """Position of the study's last planned wave: the declining partner's fall is spread over
    the specification's waves, so a network cut off before its last wave
    (:mod:`.cutoff`) keeps the ratings of the waves it has."""
    return max(len(sim.spec.wave_months) - 1, 1)


def simulate_appreciation(sim: SimulatedNetwork) -> pd.DataFrame:
    """The appreciation table of a simulated network (see the module docstring).

    Parameters
    ----------
    sim : SimulatedNetwork

    Returns
    -------
    DataFrame
        Columns of the ``appreciation`` schema, sorted by period, group,
        respondent, perspective and form.

    Examples
    --------
    Four waves of wijk-noord: 92 partner respondents (22-24 a wave) rate six
    cells, 120 residents two and 24 funders four:

    >>> from netwerkonderzoek.simulate import simulate_network
    >>> sim = simulate_network("wijk-noord", seed=1)
    >>> table = simulate_appreciation(sim)
    >>> len(table), table.groupby("stakeholder_group").size().to_dict()
    (888, {'funders': 96, 'partners': 552, 'residents': 240})
    >>> table.columns.tolist()  # doctest: +NORMALIZE_WHITESPACE
    ['network_id', 'period', 'stakeholder_group', 'respondent_id', 'partner_id', 'perspective',
     'form', 'indicator_id', 'rating']

    The planted disagreement: residents rate the societal/direct cell 2.5 lower.

    >>> cell = table[(table["perspective"] == "societal") & (table["form"] == "direct")]
    >>> cell.groupby("stakeholder_group")["rating"].mean().round(2).to_dict()
    {'funders': 6.96, 'partners': 6.97, 'residents': 4.58}

    A partner rating the cell of an indicator about itself names that indicator:

    >>> rated = table.dropna(subset=["indicator_id"])
    >>> sorted(set(zip(rated["partner_id"], rated["perspective"], rated["indicator_id"])))
    [('woonstichting-de-haven', 'partner', 'huurachterstanden')]
    """
    truth = sim.ground_truth
    rng = np.random.default_rng(
        np.random.SeedSequence([int(truth["seed"]), int(truth["network_index"]), 7])
    )
    partners = sim.tables["partners"]
    decliner = truth["value"]["partner_id"]
    own_indicator = {
        (spec["partner_id"], spec["perspective"], spec["form"]): spec["id"]
        for spec in sim.config["indicators"]
        if spec.get("partner_id")
    }
    waves = _waves(sim)
    last = _last_position(sim)
    rows = []
    for position, (_, date) in enumerate(waves):
        period = date[:7]
        joined = partners["joined"].astype(str) <= date
        left = partners["left"].isna() | (partners["left"].astype(str) > date)
        roster = sorted(partners.loc[joined & left, "partner_id"])
        respondents = [("partners", pid, pid) for pid in roster]
        respondents += [("residents", f"res-{period}-{k:03d}", None) for k in range(RESIDENTS)]
        respondents += [("funders", f"fin-{period}-{k:02d}", None) for k in range(FUNDERS)]
        for group, respondent, partner_id in respondents:
            level = 7.0 + rng.normal(0.0, 0.3)
            for perspective, form in CELLS[group]:
                planted = 0.0
                if group == "residents" and (perspective, form) == DISAGREEMENT_CELL:
                    planted -= DISAGREEMENT_GAP
                if partner_id == decliner and perspective == "partner":
                    planted -= PARTNER_DECLINE * position / last
                rating = int(np.clip(np.rint(level + planted + rng.normal(0.0, NOISE_SD)), 1, 10))
                rows.append(
                    {
                        "network_id": sim.network_id,
                        "period": period,
                        "stakeholder_group": group,
                        "respondent_id": respondent if group != "partners" else f"p-{respondent}",
                        "partner_id": partner_id,
                        "perspective": perspective,
                        "form": form,
                        "indicator_id": own_indicator.get((partner_id, perspective, form)),
                        "rating": rating,
                    }
                )
    table = pd.DataFrame(rows, columns=COLUMNS)
    return table.sort_values(
        ["period", "stakeholder_group", "respondent_id", "perspective", "form"], kind="mergesort"
    ).reset_index(drop=True)


def _decline(position: int, last: int) -> float:
    """The planted decline from the first wave to the wave at ``position`` (0-based)."""
    if position >= last:
        return PARTNER_DECLINE
    return round(PARTNER_DECLINE * position / last, 4)


def appreciation_truth(sim: SimulatedNetwork) -> dict:
    """What :func:`simulate_appreciation` plants, for ``ground_truth.json``.

    Parameters
    ----------
    sim : SimulatedNetwork

    Returns
    -------
    dict
        ``scale``, ``periods`` (the survey months), ``disagreement``,
        ``declining_partner`` (its ``decline_first_to_last``: from the first
        to the last wave of the data) and per group the ``unrated_cells``.

    Examples
    --------
    >>> from netwerkonderzoek.simulate import simulate_network
    >>> truth = appreciation_truth(simulate_network("wijk-noord", seed=1))
    >>> truth["periods"], truth["disagreement"]["gap"]
    (['2022-08', '2023-04', '2023-12', '2024-08'], 2.5)
    >>> truth["declining_partner"]
    {'partner_id': 'welzijn-noord', 'perspective': 'partner', 'decline_first_to_last': 3.0}
    >>> truth["unrated_cells"]["funders"], len(truth["unrated_cells"]["residents"])
    (['partner/direct', 'partner/indirect'], 4)

    At the end of September 2023 two of the four waves are in: a third of the decline.

    >>> interim = appreciation_truth(simulate_network("wijk-noord", seed=1, until="2023-09"))
    >>> interim["periods"], interim["declining_partner"]["decline_first_to_last"]
    (['2022-08', '2023-04'], 1.0)
    """
    return {
        "scale": "1-10",
        "periods": [date[:7] for _, date in _waves(sim)],
        "disagreement": {
            "perspective": DISAGREEMENT_CELL[0],
            "form": DISAGREEMENT_CELL[1],
            "low_group": "residents",
            "gap": DISAGREEMENT_GAP,
        },
        "declining_partner": {
            "partner_id": sim.ground_truth["value"]["partner_id"],
            "perspective": "partner",
            "decline_first_to_last": _decline(len(_waves(sim)) - 1, _last_position(sim)),
        },
        "unrated_cells": {
            group: sorted(
                f"{p}/{f}"
                for p in ("societal", "network", "partner")
                for f in ("direct", "indirect")
                if (p, f) not in cells
            )
            for group, cells in CELLS.items()
        },
    }


def write_appreciation(sim: SimulatedNetwork, folder: str | Path) -> dict:
    """Write ``folder/appreciation.csv``; return the ground-truth entry to add.

    The returned dict is ``{"appreciation": appreciation_truth(sim)}``, to be
    merged into the ground truth the writer dumps.

    Parameters
    ----------
    sim : SimulatedNetwork
    folder : str or Path
        The network's data folder (``data/<network_id>``); created if missing.

    Returns
    -------
    dict
        ``{"appreciation": ...}``, JSON-ready (tuples become lists).

    Examples
    --------
    >>> import tempfile
    >>> from netwerkonderzoek.simulate import simulate_network
    >>> sim = simulate_network("wijk-noord", seed=1)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     entry = write_appreciation(sim, Path(tmp) / "wijk-noord")
    ...     written = sorted(p.relative_to(tmp).as_posix() for p in Path(tmp).rglob("*.*"))
    ...     lines = (Path(tmp) / "wijk-noord" / "appreciation.csv").read_text("utf-8").splitlines()
    >>> written, len(lines) - 1, list(entry), entry["appreciation"]["scale"]
    (['wijk-noord/appreciation.csv'], 888, ['appreciation'], '1-10')
    >>> lines[1]
    'wijk-noord,2022-08,funders,fin-2022-08-00,,network,direct,,8'
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    simulate_appreciation(sim).to_csv(buffer, index=False, lineterminator="\n")
    with open(folder / "appreciation.csv", "w", encoding="utf-8", newline="\n") as handle:
        handle.write(buffer.getvalue())
    return {"appreciation": json.loads(json.dumps(appreciation_truth(sim)))}
