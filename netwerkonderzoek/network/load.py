"""Network load (netwerkdrukte): partners that take part in several networks.

The same organisation often sits in many networks at once; the background
article calls the burden of all those tables and meetings *netwerkdrukte*.
To see it, partners are matched across networks by an optional
``registry_id`` column in ``partners.csv`` (any stable identifier of the
organisation, e.g. its KvK number; the partners table allows extra columns).
Where a network's partners table has no such column, its partners are
matched by ``name`` instead, and the ``matched_by`` column says so.

Hours come from the contributions table; **meeting hours** are the hours of
activities whose name contains one of :data:`MEETING_WORDS` (``overleg``,
``vergadering``, ``meeting``, ...), or of the activities passed explicitly.

A network's own report shows :func:`partner_load`: its own partners with
their hours in this network and the *number* of other networks each sits
in — never another network's partners, ids or hours, unless both networks'
configs name the same ``programme`` (then the hours in those programme
networks are shown too). :func:`network_load` and :func:`busiest_partners`
are for a cross-network analysis by whoever holds all the networks' data.

Examples
--------
>>> import pandas as pd
>>> from netwerkonderzoek.network import meeting_mask
>>> meeting_mask(pd.DataFrame({"activity": ["overleg", "huisbezoeken", "Stuurgroep"]})).tolist()
[True, False, True]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from .graphs import NetworkDataError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "MEETING_WORDS",
    "PARTNER_LOAD_COLUMNS",
    "busiest_partners",
    "meeting_mask",
    "network_load",
    "partner_load",
    "shared_name",
]

#: Columns of :func:`partner_load`.
PARTNER_LOAD_COLUMNS = (
    "partner_id",
    "name",
    "kind",
    "hours",
    "meeting_hours",
    "meeting_share",
    "other_networks",
    "programme_networks",
    "programme_hours",
)

MEETING_WORDS = (
    "overleg",
    "vergader",
    "meeting",
    "bijeenkomst",
    "stuurgroep",
    "kernteam",
    "netwerktafel",
    "regietafel",
    "casustafel",
)


def meeting_mask(contributions: pd.DataFrame, activities: Iterable[str] | None = None):
    """Boolean Series: is the row's activity a meeting?

    With ``activities`` given, exactly those activity names count; otherwise
    an activity counts when its name contains one of :data:`MEETING_WORDS`
    (case-insensitive).

    Examples
    --------
    >>> import pandas as pd
    >>> contributions = pd.DataFrame({"activity": ["Overleg", "huisbezoek", "kernteam", "training"]})
    >>> meeting_mask(contributions).tolist()
    [True, False, True, False]
    >>> meeting_mask(contributions, activities=["training"]).tolist()
    [False, False, False, True]
    """
    names = contributions["activity"].astype(str)
    if activities is not None:
        return names.isin(list(activities))
    pattern = "|".join(MEETING_WORDS)
    return names.str.lower().str.contains(pattern, regex=True)


def network_load(
    networks: Mapping[str, object] | Iterable[object],
    *,
    key: str = "registry_id",
    meeting_activities: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Hours and meeting hours of every partner in every network, matched across networks.

    Parameters
    ----------
    networks : mapping or iterable of NetworkData
        Loaded networks (:func:`~netwerkonderzoek.load_network`), as a mapping
        from network id or a list; each needs ``partners`` and ``contributions``.
    key : str
        Partners-table column identifying an organisation across networks;
        ``name`` is used for a network whose table lacks it.
    meeting_activities : iterable of str, optional
        Activities that are meetings (default: :data:`MEETING_WORDS` matching).

    Returns
    -------
    DataFrame
        One row per network and partner: ``organisation`` (the matching key),
        ``matched_by``, ``name``, ``network_id``, ``partner_id``, ``kind``,
        ``hours``, ``meeting_hours``, ``meeting_share`` (meeting hours / hours,
        NaN without hours) and ``networks`` (number of networks the
        organisation takes part in). Sorted by organisation and network.

    Raises
    ------
    NetworkDataError
        If no network is given.

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace as NS
    >>> a = NS(network_id="a", partners=pd.DataFrame({"partner_id": ["gem"], "name": ["Gemeente"],
    ...        "kind": ["municipality"], "registry_id": ["kvk-1"]}),
    ...        contributions=pd.DataFrame({"partner_id": ["gem", "gem"], "activity": ["overleg", "uitvoering"],
    ...        "hours": [10.0, 30.0]}))
    >>> b = NS(network_id="b", partners=pd.DataFrame({"partner_id": ["gemeente"], "name": ["Gem. X"],
    ...        "kind": ["municipality"], "registry_id": ["kvk-1"]}),
    ...        contributions=pd.DataFrame({"partner_id": ["gemeente"], "activity": ["stuurgroep"],
    ...        "hours": [5.0]}))
    >>> network_load([a, b])[["organisation", "network_id", "hours", "meeting_hours", "networks"]]
      organisation network_id  hours  meeting_hours  networks
    0        kvk-1          a   40.0           10.0         2
    1        kvk-1          b    5.0            5.0         2
    """
    import numpy as np
    import pandas as pd

    items = list(networks.values()) if isinstance(networks, Mapping) else list(networks)
    if not items:
        raise NetworkDataError("network load needs at least one network; none was given")
    frames = []
    for data in items:
        partners = data.partners
        by = key if key in partners and partners[key].notna().any() else "name"
        table = pd.DataFrame(
            {
                "organisation": partners[by].where(partners[by].notna(), partners["name"]),
                "matched_by": by,
                "name": partners["name"],
                "network_id": data.network_id,
                "partner_id": partners["partner_id"],
                "kind": partners["kind"] if "kind" in partners else "other",
            }
        )
        contributions = data.contributions
        meeting = meeting_mask(contributions, meeting_activities)
        hours = contributions.groupby("partner_id")["hours"].sum()
        meet = contributions[meeting].groupby("partner_id")["hours"].sum()
        table["hours"] = table["partner_id"].map(hours).fillna(0.0).astype(float)
        table["meeting_hours"] = table["partner_id"].map(meet).fillna(0.0).astype(float)
        frames.append(table)
    load = pd.concat(frames, ignore_index=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        load["meeting_share"] = np.where(
            load["hours"] > 0, load["meeting_hours"] / load["hours"], np.nan
        )
    load["networks"] = load.groupby("organisation")["network_id"].transform("nunique")
    load["organisation"] = load["organisation"].astype(str)
    return load.sort_values(["organisation", "network_id"]).reset_index(drop=True)


def shared_name(names) -> str:
    """One name for an organisation known by different names in different networks.

    The common beginning of the names, cut back to a whole word and to the
    part before a comma (the organisation, not its unit: two basic teams of
    the police are "Politie"); the first name with "e.a." when the names
    share no word.

    Examples
    --------
    >>> shared_name(["Politie, basisteam Maasoever", "Politie, basisteam Noord"])
    'Politie'
    >>> shared_name(["GGD Maasland", "GGD Maasland"])
    'GGD Maasland'
    >>> shared_name(["Stichting A", "Vereniging B"])
    'Stichting A e.a.'
    """
    import re

    distinct = sorted({str(n) for n in names}, key=list(map(str, names)).index)
    if len(distinct) == 1:
        return distinct[0]
    prefix = distinct[0][: min(len(n) for n in distinct)]
    for n in distinct[1:]:  # the common beginning, character by character
        while not n.startswith(prefix):
            prefix = prefix[:-1]
    if not all(n == prefix or not n[len(prefix)].isalnum() for n in distinct):
        prefix = prefix[: len(prefix) - len(re.split(r"[\s,;/-]", prefix)[-1])]
    prefix = prefix.split(",", 1)[0].rstrip(" ;/-")
    return prefix if prefix else f"{distinct[0]} e.a."


def busiest_partners(load: pd.DataFrame, top: int = 10, *, min_networks: int = 1) -> pd.DataFrame:
    """The organisations with the most networks and hours, one row each.

    Parameters
    ----------
    load : DataFrame
        From :func:`network_load`.
    top : int
        Number of organisations to keep.
    min_networks : int
        Keep only organisations in at least this many networks.

    Returns
    -------
    DataFrame
        ``organisation``, ``name`` (:func:`shared_name` of its names in the
        networks), ``networks``,
        ``network_ids`` (``;``-separated), ``hours``, ``meeting_hours``,
        ``meeting_share``; sorted by networks, then hours, descending.

    Examples
    --------
    >>> import pandas as pd
    >>> load = pd.DataFrame({"organisation": ["kvk-1", "kvk-1", "kvk-2"],
    ...     "name": ["Gemeente", "Gemeente, sociaal domein", "GGD"], "network_id": ["a", "b", "b"],
    ...     "hours": [40.0, 5.0, 12.0], "meeting_hours": [10.0, 5.0, 0.0]})
    >>> busiest_partners(load)[["organisation", "name", "networks", "network_ids", "hours", "meeting_share"]]
      organisation      name  networks network_ids  hours  meeting_share
    0        kvk-1  Gemeente         2         a;b   45.0       0.333333
    1        kvk-2       GGD         1           b   12.0       0.000000
    >>> busiest_partners(load, min_networks=2)["organisation"].tolist()
    ['kvk-1']
    """
    import numpy as np

    if top < 1:
        raise ValueError(
            f"The 'top' parameter of busiest_partners must be >= 1. Got {top!r} instead."
        )
    table = (
        load.groupby("organisation", sort=True)
        .agg(
            name=("name", shared_name),
            networks=("network_id", "nunique"),
            network_ids=("network_id", lambda s: ";".join(sorted(set(s)))),
            hours=("hours", "sum"),
            meeting_hours=("meeting_hours", "sum"),
        )
        .reset_index()
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        table["meeting_share"] = np.where(
            table["hours"] > 0, table["meeting_hours"] / table["hours"], np.nan
        )
    table = table[table["networks"] >= min_networks]
    table = table.sort_values(
        ["networks", "hours", "organisation"], ascending=[False, False, True]
    )
    return table.head(top).reset_index(drop=True)


def partner_load(
    load: pd.DataFrame, network_id: str, *, share_with: Iterable[str] = ()
) -> pd.DataFrame:
    """One network's own partners and how many other networks each sits in.

    What a network's report may show of the network load: its own partners,
    their hours in this network, and per partner the number of other
    networks it takes part in — no name, id or figure of another network.
    Networks in ``share_with`` (the same programme, see
    :func:`netwerkonderzoek.config.programme_peers`) are the exception: for
    them the ids and hours are given too.

    Parameters
    ----------
    load : DataFrame
        From :func:`network_load`.
    network_id : str
        The network whose partners are shown.
    share_with : iterable of str
        Networks of the same programme whose hours may be shown.

    Returns
    -------
    DataFrame
        Columns :data:`PARTNER_LOAD_COLUMNS`, one row per own partner:
        ``hours``, ``meeting_hours`` and ``meeting_share`` in this network;
        ``other_networks`` (count, all networks); ``programme_networks``
        (``;``-separated ids of the ``share_with`` networks it is also in) and
        ``programme_hours`` (its hours there). Sorted by other networks, then
        hours, descending.

    Raises
    ------
    NetworkDataError
        If ``network_id`` is not in ``load``.

    Examples
    --------
    >>> import pandas as pd
    >>> load = pd.DataFrame({"organisation": ["k1", "k1", "k2"], "name": ["Gem", "Gem X", "Wijk"],
    ...     "network_id": ["a", "b", "a"], "partner_id": ["gem", "gemeente", "wijk"],
    ...     "kind": ["municipality", "municipality", "other"], "hours": [40.0, 5.0, 3.0],
    ...     "meeting_hours": [10.0, 5.0, 0.0], "meeting_share": [0.25, 1.0, 0.0]})
    >>> partner_load(load, "a")[["partner_id", "hours", "other_networks", "programme_hours"]]
      partner_id  hours  other_networks  programme_hours
    0        gem   40.0               1              0.0
    1       wijk    3.0               0              0.0
    """
    import pandas as pd

    if network_id not in set(load["network_id"]):
        raise NetworkDataError(f"network {network_id!r} is not in the network load table")
    share = set(share_with) - {network_id}
    own = load[load["network_id"] == network_id]
    others = load[load["network_id"] != network_id]
    count = others.groupby("organisation")["network_id"].nunique()
    shared = others[others["network_id"].isin(share)]
    ids = shared.groupby("organisation")["network_id"].agg(lambda s: ";".join(sorted(set(s))))
    hours = shared.groupby("organisation")["hours"].sum()
    table = pd.DataFrame(
        {
            "partner_id": own["partner_id"].to_numpy(),
            "name": own["name"].to_numpy(),
            "kind": own["kind"].to_numpy(),
            "hours": own["hours"].to_numpy(dtype=float),
            "meeting_hours": own["meeting_hours"].to_numpy(dtype=float),
            "meeting_share": own["meeting_share"].to_numpy(dtype=float),
            "other_networks": own["organisation"].map(count).fillna(0).astype(int).to_numpy(),
            "programme_networks": [ids.get(o, "") for o in own["organisation"]],
            "programme_hours": own["organisation"].map(hours).fillna(0.0).to_numpy(dtype=float),
        },
        columns=list(PARTNER_LOAD_COLUMNS),
    )
    return table.sort_values(
        ["other_networks", "hours", "partner_id"], ascending=[False, False, True]
    ).reset_index(drop=True)
