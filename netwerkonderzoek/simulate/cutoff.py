"""A simulated network as it was known at a cut-off month (``simulate_network(until=...)``).

An interim evaluation sees only what happened so far. With ``until="YYYY-MM"``
(inclusive) :func:`~netwerkonderzoek.simulate.simulate_network` simulates the
whole network with the same random streams and then cuts it here, so
everything dated up to and including the cut-off month is identical to the
full simulation and everything after it is absent:

- ``ties``: the waves whose fieldwork date lies in or before the month;
  ``units``: the unit waves whose period does (and their raw person numbers);
- ``contributions``, ``indicators``: the periods up to the month;
  ``observations``, ``events``: the dates up to the month's last day (the
  ``partner_joins`` / ``partner_leaves`` events of later moves go too);
- ``partners``: those who joined by then; a partner who leaves later is still
  a member, without a ``left`` date;
- the configuration: ``study.end`` is the month, ``study.waves`` the waves
  kept; a study of the research agenda (``studies``) that starts after the
  month is ``planned``, one ``finished`` later is ``running``. The studies'
  periods stay as they are: a research agenda plans ahead, so they are the
  only dates after the cut-off (plans, not data);
- the ground truth (:func:`cut_truth`) records ``until``.

The appreciation survey and the raw partner exports are made from the cut
network by :func:`~netwerkonderzoek.simulate.write_network` (the appreciation
keeps the full study's planted decline per wave, so its ratings up to the
month are those of the full simulation).

A cut must leave at least two partner-survey waves (:func:`check_until`); a
cut at the study end is no cut (``None``).

Examples
--------
>>> check_until("wijk-noord", "2023-09"), check_until("wijk-noord", "2024-12")
('2023-09', None)
>>> earliest_until("wijk-noord"), get_spec("wijk-noord").end
('2023-04', '2024-12')
"""

from __future__ import annotations

import re

import pandas as pd

from .examples import get_spec
from .specs import NetworkSpec, month_period

__all__ = [
    "check_until",
    "cut_config",
    "cut_tables",
    "cut_truth",
    "earliest_until",
    "kept_unit_waves",
    "kept_waves",
]

_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def earliest_until(network_id: str) -> str:
    """The earliest cut-off month of a network: the month of its second survey wave.

    Parameters
    ----------
    network_id : str
        One of the example networks.

    Returns
    -------
    str
        ``YYYY-MM``.

    Examples
    --------
    >>> earliest_until("energie-regio"), earliest_until("ggz-netwerk")
    ('2022-09', '2022-06')
    """
    return get_spec(network_id).wave_dates()[1][:7]


def check_until(network_id: str, until: object) -> str | None:
    """Check a cut-off month for a network; return it, or None when nothing is cut.

    Parameters
    ----------
    network_id : str
        One of the example networks.
    until : str or None
        The last month kept, ``YYYY-MM`` (inclusive). It must lie between the
        month of the network's second survey wave (:func:`earliest_until`: a
        network needs two waves) and the study end.

    Returns
    -------
    str or None
        ``until``; None if ``until`` is None or the study end (the full network).

    Raises
    ------
    ValueError
        If ``until`` is not a month ``YYYY-MM``, lies before the study start,
        leaves fewer than two survey waves, or lies after the study end; the
        message names the earliest allowed month or the end.

    Examples
    --------
    >>> check_until("wijk-noord", "2024-06"), check_until("wijk-noord", None)
    ('2024-06', None)
    >>> check_until("wijk-noord", "2024-6")
    Traceback (most recent call last):
    ...
    ValueError: The 'until' parameter of simulate_network must be a month YYYY-MM, such as '2024-06'. Got '2024-6' instead.
    >>> check_until("wijk-noord", "2023-01")
    Traceback (most recent call last):
    ...
    ValueError: The 'until' parameter of simulate_network must leave at least 2 survey waves of wijk-noord (waves on 2022-08-15, 2023-04-15, 2023-12-15, 2024-08-15): the earliest allowed month is 2023-04. Got '2023-01' instead.
    >>> check_until("wijk-noord", "2025-01")
    Traceback (most recent call last):
    ...
    ValueError: The 'until' parameter of simulate_network must not be after the study end of wijk-noord (2024-12). Got '2025-01' instead.
    """
    spec = get_spec(network_id)
    if until is None:
        return None
    where = "The 'until' parameter of simulate_network"
    if not isinstance(until, str) or not _MONTH.fullmatch(until):
        raise ValueError(
            f"{where} must be a month YYYY-MM, such as '2024-06'. Got {until!r} instead."
        )
    earliest = earliest_until(network_id)
    if until < spec.start:
        raise ValueError(
            f"{where} must not be before the study start of {spec.id} ({spec.start}); "
            f"the earliest allowed month is {earliest} (its second survey wave). "
            f"Got {until!r} instead."
        )
    if until < earliest:
        raise ValueError(
            f"{where} must leave at least 2 survey waves of {spec.id} "
            f"(waves on {', '.join(spec.wave_dates())}): the earliest allowed month is "
            f"{earliest}. Got {until!r} instead."
        )
    if until > spec.end:
        raise ValueError(
            f"{where} must not be after the study end of {spec.id} ({spec.end}). "
            f"Got {until!r} instead."
        )
    return None if until == spec.end else until


def kept_waves(spec: NetworkSpec, until: str) -> list[int]:
    """The partner-survey waves whose fieldwork date lies in or before ``until``.

    Examples
    --------
    >>> kept_waves(get_spec("wijk-noord"), "2023-12")
    [1, 2, 3]
    """
    return [w for w, date in enumerate(spec.wave_dates(), 1) if date[:7] <= until]


def kept_unit_waves(spec: NetworkSpec, until: str) -> list[int]:
    """The unit waves whose period lies in or before ``until``.

    Examples
    --------
    >>> spec = get_spec("wijk-noord")  # unit waves in 2022-11, 2023-11 and 2024-11
    >>> kept_unit_waves(spec, "2023-10"), kept_unit_waves(spec, "2023-11")
    ([1], [1, 2])
    """
    periods = [month_period(spec.start, m) for m in spec.unit_wave_months]
    return [w for w, period in enumerate(periods, 1) if period <= until]


def cut_tables(
    spec: NetworkSpec, tables: dict[str, pd.DataFrame], person_ids: list[str], until: str
) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """The canonical tables (and units' person numbers) as known at the end of ``until``.

    Parameters
    ----------
    spec : NetworkSpec
    tables : dict of str to DataFrame
        The full network's seven canonical tables.
    person_ids : list of str
        The raw person number of every row of ``tables["units"]``.
    until : str
        The last month kept, ``YYYY-MM``.

    Returns
    -------
    tables : dict of str to DataFrame
        Rows dated after ``until`` dropped (see the module docstring); a
        partner leaving later has no ``left`` date; row order kept.
    person_ids : list of str
        The person numbers of the units kept.

    Examples
    --------
    >>> from netwerkonderzoek.simulate import simulate_network
    >>> sim = simulate_network("wijk-noord", seed=1)
    >>> spec = sim.spec
    >>> cut, ids = cut_tables(spec, sim.tables, sim.person_ids, "2023-09")
    >>> cut["ties"]["wave"].unique().tolist(), cut["units"]["wave"].unique().tolist()
    ([1, 2], [1])
    >>> cut["contributions"]["period"].max(), cut["observations"]["date"].max() <= "2023-09-31"
    ('2023-09', True)
    >>> len(ids) == len(cut["units"]), "sportvereniging-noord" in set(cut["partners"]["partner_id"])
    (True, True)
    >>> cut["partners"].set_index("partner_id").loc["winkelcentrum-noord", "left"] is None
    True
    """
    waves, unit_waves = kept_waves(spec, until), kept_unit_waves(spec, until)
    partners = tables["partners"]
    partners = partners[partners["joined"].str[:7] <= until].copy()
    later = partners["left"].notna() & (partners["left"].astype(str).str[:7] > until)
    partners["left"] = partners["left"].astype(object).where(~later, None)
    units = tables["units"]
    keep_units = units["wave"].isin(unit_waves).to_numpy()
    masks = {
        "ties": tables["ties"]["wave"].isin(waves),
        "contributions": tables["contributions"]["period"] <= until,
        "indicators": tables["indicators"]["period"] <= until,
        "units": keep_units,
        "observations": tables["observations"]["date"].str[:7] <= until,
        "events": tables["events"]["date"].str[:7] <= until,
    }
    out = {"partners": partners.reset_index(drop=True)}
    for name, table in tables.items():
        if name in masks:
            out[name] = table[masks[name]].reset_index(drop=True)
    ids = [number for number, keep in zip(person_ids, keep_units, strict=True) if keep]
    return {name: out[name] for name in tables}, ids


def _study_status(study: dict, until: str) -> str:
    """A research-agenda study's status at the end of ``until``."""
    if study["period"]["start"] > until:
        return "planned"
    if study["status"] == "finished" and study["period"]["end"] > until:
        return "running"
    return study["status"]


def cut_config(config: dict, until: str) -> dict:
    """The network configuration as known at the end of ``until``.

    ``study.end`` becomes ``until`` and ``study.waves`` keeps the waves whose
    date lies in or before it. A study of the research agenda (``studies``)
    starting after ``until`` is ``planned``; one ``finished`` after it is
    ``running``; the studies' periods (plans) are kept.

    Parameters
    ----------
    config : dict
        The full network's configuration (plain data).
    until : str
        The last month kept, ``YYYY-MM``.

    Returns
    -------
    dict
        A new configuration; ``config`` is left unchanged.

    Examples
    --------
    >>> from netwerkonderzoek.simulate import simulate_network
    >>> config = cut_config(simulate_network("wijk-noord", seed=1).config, "2023-09")
    >>> config["study"]["end"], [w["date"] for w in config["study"]["waves"]]
    ('2023-09', ['2022-08-15', '2023-04-15'])
    >>> [(s["id"], s["status"]) for s in config["studies"]]  # doctest: +NORMALIZE_WHITESPACE
    [('realistische-evaluatie', 'running'), ('wijkmonitor', 'running'),
     ('actieonderzoek-huurachterstanden', 'running'), ('evaluatie-wijkbudget', 'planned')]
    """
    study = dict(config["study"])
    study["end"] = until
    study["waves"] = [dict(w) for w in study["waves"] if str(w["date"])[:7] <= until]
    out = {**config, "study": study}
    if "studies" in config:
        out["studies"] = [{**s, "status": _study_status(s, until)} for s in config["studies"]]
    return out


def cut_truth(truth: dict, until: str) -> dict:
    """Mark what a network's ground truth says about the months after ``until``.

    The truth of a cut network is computed from the cut tables (observed
    means, unit sample sizes, CMO effects over the units kept); this adds
    ``until`` and keeps every planted truth, but says whether the data show
    it yet: ``network.trust_drop.observed`` (its wave is kept; otherwise
    ``observed_drop`` is None), ``network.broker.observed`` (its wave is
    kept), ``indicators.observed`` (the change starts in or before
    ``until``); ``network.wave_dates`` and ``units.waves`` keep the waves
    kept; the core and the broker's groups list the partners who have
    joined.

    Parameters
    ----------
    truth : dict
        The ground truth computed from the cut tables.
    until : str
        The last month kept, ``YYYY-MM``.

    Returns
    -------
    dict
        A new ground truth.

    Examples
    --------
    >>> from netwerkonderzoek.simulate import simulate_network
    >>> truth = simulate_network("wijk-noord", seed=1, until="2023-09").ground_truth
    >>> truth["until"], truth["network"]["trust_drop"]["observed"], truth["units"]["waves"]
    ('2023-09', False, {'1': '2022-11'})
    >>> truth["indicators"]["observed"], truth["network"]["broker"]["observed"]
    (True, True)
    """
    network = dict(truth["network"])
    dates = [d for d in network["wave_dates"] if d[:7] <= until]
    network["wave_dates"] = dates
    network["broker"] = {**network["broker"], "observed": network["broker"]["wave"] <= len(dates)}
    drop = dict(network["trust_drop"])
    drop["observed"] = drop["wave"] <= len(dates)
    network["trust_drop"] = drop
    units = {**truth["units"]}
    units["waves"] = {w: p for w, p in units["waves"].items() if p <= until}
    indicators = {**truth["indicators"], "observed": truth["indicators"]["start_period"] <= until}
    return {
        **truth,
        "network": network,
        "units": units,
        "indicators": indicators,
        "until": until,
    }
