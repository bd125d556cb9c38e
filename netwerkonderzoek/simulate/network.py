"""Partners, ties, contributions and events of a simulated network.

See :mod:`netwerkonderzoek.simulate` for the generative model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..vocabulary import RATINGS, TIE_TYPES, TRUST_RATINGS
from .specs import NetworkSpec, month_date, month_period

if TYPE_CHECKING:  # pragma: no cover
    from numpy.random import Generator

__all__ = [
    "HOURLY_RATES",
    "TIE_INTERCEPTS",
    "simulate_contributions",
    "simulate_events",
    "simulate_partners",
    "simulate_ties",
    "value_decline_per_wave",
]

#: Base log-odds of a directed tie of each type between two peripheral partners.
TIE_INTERCEPTS = {
    "information": -1.6,
    "joint_delivery": -2.4,
    "shared_resources": -3.0,
    "shared_clients": -2.6,
}
#: Block-model and homophily parameters (log-odds).
CORE_CORE = 2.2
CORE_ANY = 1.1
SAME_KIND = 0.8
BETWEEN_GROUPS = -2.5
BROKER_BEFORE = -1.0
BROKER_AFTER = 2.5
WAVE_DRIFT = 0.08
DYAD_SD = 0.5
RECIPROCITY = 0.4
#: Euro per hour by partner kind (residents' groups are volunteers).
HOURLY_RATES = {
    "municipality": 95.0,
    "housing": 85.0,
    "care": 90.0,
    "welfare": 70.0,
    "energy": 80.0,
    "residents": 0.0,
    "other": 100.0,
}
TRUST_MEAN = 3.0
VALUE_MEAN = 2.7
VALUE_DECLINE = 1.0  # total over the waves, for ratings received by the value partner


def value_decline_per_wave(spec: NetworkSpec) -> float:
    """Planted fall per wave of the latent value ratings the value partner receives.

    The total fall from the first to the last wave is 1 point (on 1-4),
    spread evenly over the waves.

    Parameters
    ----------
    spec : NetworkSpec

    Returns
    -------
    float

    Examples
    --------
    >>> from netwerkonderzoek.simulate.examples import get_spec
    >>> spec = get_spec("wijk-noord")
    >>> len(spec.wave_months), value_decline_per_wave(spec)
    (4, 0.3333333333333333)
    """
    return VALUE_DECLINE / max(len(spec.wave_months) - 1, 1)


def _expit(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def legal_entity(name: str) -> str:
    """The organisation a partner belongs to: its name before the first comma.

    A unit of a larger organisation is named ``"<organisation>, <unit>"``:
    the police's basic teams in two towns are one legal entity.

    Parameters
    ----------
    name : str
        The partner's name.

    Returns
    -------
    str

    Examples
    --------
    >>> legal_entity("Politie, basisteam Maasoever")
    'Politie'
    >>> legal_entity("GGD Maasland")
    'GGD Maasland'
    """
    return name.split(",", 1)[0].strip()


def registry_id(name: str) -> str:
    """A fictitious Chamber of Commerce number (``kvk-`` + 8 digits) of the partner's organisation.

    Derived from :func:`legal_entity`, so units of one organisation share it
    across networks (:func:`netwerkonderzoek.network.network_load` matches
    partners of different networks by it). Not a real KvK number.

    Parameters
    ----------
    name : str
        The partner's name.

    Returns
    -------
    str
        ``kvk-`` and 8 digits from the SHA-256 of :func:`legal_entity`.

    Examples
    --------
    >>> registry_id("Politie, basisteam Maasoever"), registry_id("GGD Maasland")
    ('kvk-55089326', 'kvk-90294338')
    >>> registry_id("Politie, basisteam Noord")  # another unit of the same organisation
    'kvk-55089326'
    """
    import hashlib

    digest = hashlib.sha256(legal_entity(name).encode("utf-8")).digest()
    return f"kvk-{int.from_bytes(digest[:8], 'big') % 10**8:08d}"


def simulate_partners(spec: NetworkSpec) -> pd.DataFrame:
    """The partners table (deterministic: taken from the specification).

    Besides the canonical columns it holds ``registry_id``
    (:func:`registry_id`), the key that links an organisation across networks.

    Parameters
    ----------
    spec : NetworkSpec

    Returns
    -------
    DataFrame
        ``network_id``, ``partner_id``, ``name``, ``kind``, ``sector``,
        ``joined``, ``left``, ``registry_id``; sorted by ``partner_id``.

    Examples
    --------
    >>> from netwerkonderzoek.simulate.examples import get_spec
    >>> partners = simulate_partners(get_spec("wijk-noord"))
    >>> partners.shape, partners["partner_id"].iloc[0], partners["registry_id"].iloc[0]
    ((24, 8), 'basisschool-de-regenboog', 'kvk-64859453')
    >>> partners.loc[partners["left"].notna(), ["partner_id", "left"]].values.tolist()
    [['winkelcentrum-noord', '2024-02-29']]
    """
    rows = [
        {
            "network_id": spec.id,
            "partner_id": p.id,
            "name": p.name,
            "kind": p.kind,
            "sector": p.sector,
            "joined": p.joined,
            "left": p.left,
            "registry_id": registry_id(p.name),
        }
        for p in spec.partners
    ]
    return pd.DataFrame(rows).sort_values("partner_id", ignore_index=True)


def active_partners(spec: NetworkSpec, date: str) -> list[int]:
    """Positions of the partners active on ``date`` (joined on or before, not yet left).

    Parameters
    ----------
    spec : NetworkSpec
    date : str
        A date ``YYYY-MM-DD``.

    Returns
    -------
    list of int
        Positions in ``spec.partners``.

    Examples
    --------
    In wijk-noord two of the 24 partners join after the first wave and one
    leaves before the last:

    >>> from netwerkonderzoek.simulate.examples import get_spec
    >>> spec = get_spec("wijk-noord")
    >>> [(date, len(active_partners(spec, date))) for date in spec.wave_dates()]
    [('2022-08-15', 22), ('2023-04-15', 23), ('2023-12-15', 24), ('2024-08-15', 23)]
    """
    return [
        i
        for i, p in enumerate(spec.partners)
        if p.joined <= date and (p.left is None or p.left > date)
    ]


def trust_shift(spec: NetworkSpec, wave: int) -> float:
    """Planted shift of the latent trust ratings in ``wave`` (0 before the drop).

    ``-trust_drop`` in the trust wave, ``-0.4 trust_drop`` in every later wave.

    Parameters
    ----------
    spec : NetworkSpec
    wave : int
        Survey wave, from 1.

    Returns
    -------
    float

    Examples
    --------
    >>> from netwerkonderzoek.simulate.examples import get_spec
    >>> spec = get_spec("wijk-noord")  # trust drops by 0.6 in wave 3
    >>> spec.trust_wave, [trust_shift(spec, wave) for wave in (1, 2, 3, 4)]
    (3, [0.0, 0.0, -0.6, -0.24])
    """
    if wave == spec.trust_wave:
        return -spec.trust_drop
    if wave > spec.trust_wave:
        return -0.4 * spec.trust_drop
    return 0.0


def simulate_ties(spec: NetworkSpec, rng: Generator) -> pd.DataFrame:
    """Directed ties per wave and tie type with dyad-level PARTNER ratings.

    Parameters
    ----------
    spec : NetworkSpec
    rng : numpy.random.Generator
        The ties stream (the first of :func:`~netwerkonderzoek.simulate.simulate_network`).

    Returns
    -------
    DataFrame
        ``network_id``, ``wave``, ``source``, ``target``, ``tie_type``,
        ``weight`` and the six ratings (``Int64``, 1-4, some missing); sorted
        by wave, source, target and tie type.

    Examples
    --------
    >>> from netwerkonderzoek.simulate.examples import get_spec
    >>> spec = get_spec("wijk-noord")
    >>> ties = simulate_ties(spec, np.random.default_rng(1))
    >>> ties.shape, ties.groupby("wave").size().tolist()
    ((1817, 12), [354, 450, 520, 493])

    The broker (``buurtcooperatie-noord``) starts bridging in wave 2, and
    trust drops in wave 3:

    >>> spec.broker, spec.broker_wave
    ('buurtcooperatie-noord', 2)
    >>> info = ties[ties["tie_type"] == "information"]
    >>> info[(info["source"] == spec.broker) | (info["target"] == spec.broker)].groupby(
    ...     "wave").size().tolist()
    [3, 23, 31, 26]
    >>> dyads = ties.drop_duplicates(["wave", "source", "target"])
    >>> trust = dyads.groupby("wave")[["reliability", "mission_support", "open_discussion"]]
    >>> trust.mean().mean(axis=1).round(2).tolist()
    [2.96, 2.91, 2.33, 2.67]
    """
    partners = spec.partners
    n = len(partners)
    ids = [p.id for p in partners]
    core = np.array([p.core for p in partners], dtype=float)
    kinds = np.array([p.kind for p in partners])
    groups = np.array([p.group or "" for p in partners])
    broker = ids.index(spec.broker)
    value = ids.index(spec.value_partner)

    core_term = CORE_CORE * np.outer(core, core) + CORE_ANY * (np.add.outer(core, core) == 1)
    same_kind = SAME_KIND * (kinds[:, None] == kinds[None, :])
    ga, gb = groups == "a", groups == "b"
    between = BETWEEN_GROUPS * (np.outer(ga, gb) | np.outer(gb, ga))
    dyad = rng.normal(0.0, DYAD_SD, size=(n, n))
    dyad = (dyad + dyad.T) / np.sqrt(2.0)  # a relationship is shared by both partners
    trust_dyad = rng.normal(0.0, 0.35, size=(n, n))
    value_dyad = rng.normal(0.0, 0.35, size=(n, n))
    trust_rep = rng.normal(0.0, 0.25, size=n)
    value_rep = rng.normal(0.0, 0.25, size=n) + 0.4 * core
    base = core_term + same_kind + between + dyad
    grouped = ga | gb

    rows = []
    for wave, date in enumerate(spec.wave_dates(), start=1):
        active = np.zeros(n, dtype=bool)
        active[active_partners(spec, date)] = True
        logit = base + WAVE_DRIFT * (wave - 1)
        if wave < spec.broker_wave:
            logit[broker, :] += BROKER_BEFORE
            logit[:, broker] += BROKER_BEFORE
        present = np.outer(active, active) & ~np.eye(n, dtype=bool)
        # Dyad-level ratings this wave: source i rates target j.
        t_latent = (
            TRUST_MEAN
            + trust_rep[None, :]
            + trust_dyad
            + rng.normal(0.0, 0.2, size=(n, n))
            + trust_shift(spec, wave)
        )
        v_latent = VALUE_MEAN + value_rep[None, :] + value_dyad + rng.normal(0, 0.2, (n, n))
        v_latent[:, value] -= value_decline_per_wave(spec) * (wave - 1)
        items = {}
        for name in RATINGS:
            latent = t_latent if name in TRUST_RATINGS else v_latent
            score = np.clip(np.rint(latent + rng.normal(0.0, 0.45, size=(n, n))), 1, 4)
            missing = rng.random((n, n)) < 0.02
            items[name] = np.where(missing, np.nan, score)
        for tie_type in TIE_TYPES:
            lt = logit + TIE_INTERCEPTS[tie_type]
            if wave >= spec.broker_wave and tie_type in ("information", "joint_delivery"):
                lt[broker, grouped] = BROKER_AFTER
                lt[grouped, broker] = BROKER_AFTER
            tie = (rng.random((n, n)) < _expit(lt)) & present
            # Reciprocity: an asymmetric tie is returned with probability RECIPROCITY.
            asym = tie & ~tie.T
            tie |= (asym & (rng.random((n, n)) < RECIPROCITY)).T
            tie &= present
            weight = 0.5 + rng.gamma(2.0, 0.5 * (1.0 + np.add.outer(core, core)), size=(n, n))
            for i, j in zip(*np.nonzero(tie), strict=True):
                row = {
                    "network_id": spec.id,
                    "wave": wave,
                    "source": ids[i],
                    "target": ids[j],
                    "tie_type": tie_type,
                    "weight": round(float(min(weight[i, j], 8.0)), 1),
                }
                for name in RATINGS:
                    row[name] = items[name][i, j]
                rows.append(row)
    ties = pd.DataFrame(rows)
    for name in RATINGS:
        ties[name] = ties[name].astype("Int64")
    return ties.sort_values(["wave", "source", "target", "tie_type"], ignore_index=True)


def simulate_contributions(spec: NetworkSpec, rng: Generator) -> pd.DataFrame:
    """Monthly hours and costs per partner and activity while the partner is active.

    Parameters
    ----------
    spec : NetworkSpec
    rng : numpy.random.Generator
        The contributions stream (the second of
        :func:`~netwerkonderzoek.simulate.simulate_network`).

    Returns
    -------
    DataFrame
        ``network_id``, ``partner_id``, ``period``, ``activity``, ``hours``
        (1 decimal), ``costs_eur`` (cents), ``value_type``; sorted by
        partner, period and activity.

    Examples
    --------
    >>> from netwerkonderzoek.simulate.examples import get_spec
    >>> spec = get_spec("wijk-noord")
    >>> contributions = simulate_contributions(spec, np.random.default_rng(1))
    >>> contributions.shape, contributions["period"].min(), contributions["period"].max()
    ((1889, 7), '2022-07', '2024-12')
    >>> contributions.iloc[0, 2:].to_dict()  # doctest: +NORMALIZE_WHITESPACE
    {'period': '2022-07', 'activity': 'eigen-organisatie', 'hours': 1.0, 'costs_eur': 95.55,
     'value_type': 'partner'}

    The value partner's hours rise (4 % of the first month's level per month);
    mean hours per month by year:

    >>> own = contributions[contributions["partner_id"] == spec.value_partner]
    >>> monthly = own.groupby("period")["hours"].sum()
    >>> spec.value_partner, monthly.groupby(monthly.index.str[:4]).mean().round(1).tolist()
    ('welzijn-noord', [38.6, 54.9, 71.5])
    """
    rows = []
    for p in spec.partners:
        level = (40.0 if p.core else 12.0) * (0.5 if p.kind == "residents" else 1.0)
        level *= float(np.exp(rng.normal(0.0, 0.3)))
        slope = 0.04 if p.id == spec.value_partner else float(rng.normal(0.0, 0.004))
        rate = HOURLY_RATES[p.kind]
        for t in range(spec.months):
            period = month_period(spec.start, t)
            first, last = month_date(spec.start, t, 1), month_date(spec.start, t, 28)
            if p.joined > last or (p.left is not None and p.left < first):
                continue
            month = int(period[5:])
            season = 0.6 if month in (7, 8) else 0.8 if month == 12 else 1.0
            trend = max(0.2, 1.0 + slope * t)
            for activity, value_type, share in spec.activities:
                if not p.core and rng.random() < 0.1:
                    continue
                hours = level * share * season * trend * float(np.exp(rng.normal(0.0, 0.25)))
                costs = hours * rate
                if value_type == "societal" and rng.random() < 0.2:
                    costs += float(rng.gamma(2.0, 400.0))
                rows.append(
                    {
                        "network_id": spec.id,
                        "partner_id": p.id,
                        "period": period,
                        "activity": activity,
                        "hours": round(hours, 1),
                        "costs_eur": round(costs, 2),
                        "value_type": value_type,
                    }
                )
    out = pd.DataFrame(rows)
    return out.sort_values(["partner_id", "period", "activity"], ignore_index=True)


def simulate_events(spec: NetworkSpec) -> pd.DataFrame:
    """The timeline: the specified events plus one per partner joining or leaving.

    A partner that joined before the study start gets no ``partner_joins`` event.

    Parameters
    ----------
    spec : NetworkSpec

    Returns
    -------
    DataFrame
        ``network_id``, ``date``, ``title``, ``kind``, ``description``,
        ``partner_id``; sorted by date and title.

    Examples
    --------
    >>> from netwerkonderzoek.simulate.examples import get_spec
    >>> events = simulate_events(get_spec("wijk-noord"))
    >>> len(events), events["date"].iloc[0], events["title"].iloc[0]
    (13, '2022-07-05', 'Start Wijknetwerk Leefbaar Noord')
    >>> moves = events[events["kind"].str.startswith("partner_")]
    >>> moves[["date", "kind", "partner_id"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['2023-01-01', 'partner_joins', 'buurtbemiddeling-noord'],
     ['2023-06-01', 'partner_joins', 'sportvereniging-noord'],
     ['2024-02-29', 'partner_leaves', 'winkelcentrum-noord']]
    """
    start = month_date(spec.start, 0, 1)
    rows = [
        {
            "network_id": spec.id,
            "date": e.date,
            "title": e.title,
            "kind": e.kind,
            "description": e.description,
            "partner_id": e.partner_id,
        }
        for e in spec.events
    ]
    for p in spec.partners:
        if p.joined >= start:
            rows.append(
                {
                    "network_id": spec.id,
                    "date": p.joined,
                    "title": f"{p.name} sluit aan bij het netwerk",
                    "kind": "partner_joins",
                    "description": f"{p.name} wordt partner van het netwerk.",
                    "partner_id": p.id,
                }
            )
        if p.left is not None:
            rows.append(
                {
                    "network_id": spec.id,
                    "date": p.left,
                    "title": f"{p.name} stapt uit het netwerk",
                    "kind": "partner_leaves",
                    "description": f"{p.name} beëindigt het partnerschap.",
                    "partner_id": p.id,
                }
            )
    return pd.DataFrame(rows).sort_values(["date", "title"], ignore_index=True)
