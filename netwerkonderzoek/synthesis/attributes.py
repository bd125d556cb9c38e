"""Raw network-level attributes: one row per network, from its canonical tables.

The conditions of the synthesis are calibrated from raw attributes that
every network has. For a full network they are derived from its canonical
tables by :func:`network_attributes`; the simulated cross-network set
(``data/_synthese/networks.csv``, :mod:`netwerkonderzoek.simulate.crossnet`)
has the same columns with the same definitions (:data:`ATTRIBUTES`).

Definitions
-----------
lead partner
    The partner with the most distinct tie partners (in or out, any tie
    type) in the last survey wave; ties broken by the most hours booked,
    then by ``partner_id``.
``manager_hours``
    Mean hours per month the lead partner books on network-level work
    (``value_type == "network"``: coordination, network meetings), over the
    months in which it booked any contribution. Stands for a dedicated
    network manager.
``pooled_share``
    Share of all costs (``costs_eur``) booked on joint work (``value_type``
    ``network`` or ``societal``) rather than on the partner's own
    organisation (``partner``). Stands for shared funding.
``trust``
    Mean PARTNER trust (1-4) over the rated ties of the last wave
    (:func:`netwerkonderzoek.network.network_trust`).
``lead_kind``, ``lead_municipality``
    The lead partner's kind; 1 if it is a municipality.
``history_years``
    Years from the earliest ``joined`` date of a partner to the end of the
    study period (the last day of ``study.end``).
``main_indicator``, ``improvement_pct``
    The main societal indicator is the first indicator of the value
    definition with perspective ``societal`` and form ``direct``. Its
    improvement is the relative change, in %, of the mean over areas from
    the first six to the last six months of data, signed so that a positive
    number is an improvement (a fall for a ``decrease`` indicator).

Examples
--------
>>> sorted(ATTRIBUTES)[:3]
['history_years', 'improvement_pct', 'lead_kind']
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..config import NetworkConfig
    from ..tables import NetworkData

__all__ = [
    "ATTRIBUTES",
    "ATTRIBUTE_COLUMNS",
    "CROSS_NETWORK_DIR",
    "attribute_table",
    "lead_partner",
    "network_attributes",
    "read_cross_network_set",
    "read_cross_network_truth",
]

CROSS_NETWORK_DIR = "_synthese"
WINDOW_MONTHS = 6

ATTRIBUTES: dict[str, str] = {
    "lead_partner": "partner with the most distinct tie partners in the last wave",
    "lead_kind": "kind of the lead partner",
    "lead_municipality": "1 if the lead partner is a municipality, else 0",
    "manager_hours": "hours per month the lead partner books on network-level work",
    "pooled_share": "share of costs booked on joint work (network + societal)",
    "trust": "mean PARTNER trust (1-4) over rated ties in the last wave",
    "history_years": "years from the first partner joining to the end of the study",
    "main_indicator": "first societal, direct indicator of the value definition",
    "improvement_pct": "relative improvement of the main indicator, first vs last 6 months, %",
}

ATTRIBUTE_COLUMNS = (
    "network_id",
    "name",
    "kind",
    "lead_partner",
    "lead_kind",
    "lead_municipality",
    "manager_hours",
    "pooled_share",
    "trust",
    "history_years",
    "main_indicator",
    "improvement_pct",
    "provenance",
)


def lead_partner(data: NetworkData) -> str:
    """The lead partner: most distinct tie partners in the last wave.

    Ties are broken by the most hours booked, then by ``partner_id``.

    Raises
    ------
    ValueError
        If the network has no ties.

    Examples
    --------
    >>> from netwerkonderzoek import load_config, load_network
    >>> config = load_config("wijk-noord")
    >>> data = load_network(config)
    >>> lead_partner(data)
    'welzijn-noord'
    """
    import pandas as pd

    ties = data.ties
    if ties.empty:
        raise ValueError(f"network '{data.network_id}' has no ties: no lead partner")
    last = ties[ties["wave"] == ties["wave"].max()]
    pairs = pd.concat(
        [
            last[["source", "target"]].set_axis(["partner_id", "other"], axis=1),
            last[["target", "source"]].set_axis(["partner_id", "other"], axis=1),
        ]
    ).drop_duplicates()
    degree = pairs.groupby("partner_id")["other"].nunique().rename("degree")
    hours = data.contributions.groupby("partner_id")["hours"].sum().rename("hours")
    ranking = pd.concat([degree, hours], axis=1).fillna(0.0).loc[degree.index]
    ranking = ranking.reset_index().rename(columns={"index": "partner_id"})
    ranking = ranking.sort_values(
        ["degree", "hours", "partner_id"], ascending=[False, False, True], kind="mergesort"
    )
    return str(ranking["partner_id"].iloc[0])


def _improvement(config: NetworkConfig, data: NetworkData) -> tuple[str, float]:
    spec = next(
        (s for s in config.indicators if s.perspective == "societal" and s.form == "direct"),
        None,
    )
    if spec is None:
        return "", float("nan")
    series = (
        data.indicators[data.indicators["indicator_id"] == spec.id]
        .groupby("period")["value"]
        .mean()
        .sort_index()
    )
    if len(series) < 2 * WINDOW_MONTHS:
        return spec.id, float("nan")
    first = float(series.iloc[:WINDOW_MONTHS].mean())
    last = float(series.iloc[-WINDOW_MONTHS:].mean())
    if first == 0:
        return spec.id, float("nan")
    change = 100.0 * (last - first) / abs(first)
    return spec.id, change if spec.direction == "increase" else -change


def network_attributes(data: NetworkData, config: NetworkConfig) -> pd.DataFrame:
    """The raw network-level attributes of one network (one row).

    Parameters
    ----------
    data : NetworkData
        From :func:`netwerkonderzoek.load_network`.
    config : NetworkConfig
        From :func:`netwerkonderzoek.load_config`.

    Returns
    -------
    pandas.DataFrame
        One row, columns :data:`ATTRIBUTE_COLUMNS` (``kind`` is
        ``"voorbeeldnetwerk"``); definitions in the module docstring.

    Examples
    --------
    >>> from netwerkonderzoek import load_config, load_network
    >>> config = load_config("wijk-noord")
    >>> data = load_network(config)
    >>> row = network_attributes(data, config).iloc[0]
    >>> row["lead_partner"], row["lead_kind"], row["main_indicator"]
    ('welzijn-noord', 'welfare', 'overlastmeldingen')
    >>> row[["manager_hours", "pooled_share", "trust"]].astype(float).round(2).tolist()
    [12.51, 0.87, 2.84]
    """
    import calendar

    import pandas as pd

    from ..network import network_trust

    lead = lead_partner(data)
    kinds = data.partners.set_index("partner_id")["kind"]
    lead_kind = str(kinds.get(lead, "other"))
    contributions = data.contributions
    own = contributions[contributions["partner_id"] == lead]
    months = own["period"].nunique()
    network_hours = own.loc[own["value_type"] == "network", "hours"].sum()
    total_costs = contributions["costs_eur"].sum()
    joint_costs = contributions.loc[
        contributions["value_type"].isin(["network", "societal"]), "costs_eur"
    ].sum()
    trust_by_wave = network_trust(data.ties)
    year, month = (int(part) for part in config.study.end.split("-"))
    end = pd.Timestamp(year, month, calendar.monthrange(year, month)[1])
    first_joined = data.partners["joined"].min()
    indicator, improvement = _improvement(config, data)
    row = {
        "network_id": config.network_id,
        "name": config.name,
        "kind": "voorbeeldnetwerk",
        "lead_partner": lead,
        "lead_kind": lead_kind,
        "lead_municipality": int(lead_kind == "municipality"),
        "manager_hours": float(network_hours / months) if months else float("nan"),
        "pooled_share": float(joint_costs / total_costs) if total_costs > 0 else float("nan"),
        "trust": float(trust_by_wave["trust"].iloc[-1]) if len(trust_by_wave) else float("nan"),
        "history_years": float((end - pd.Timestamp(first_joined)).days / 365.25),
        "main_indicator": indicator,
        "improvement_pct": improvement,
        "provenance": f"data/{config.network_id}/ (canonical tables)",
    }
    return pd.DataFrame([row], columns=list(ATTRIBUTE_COLUMNS))


def read_cross_network_set(data_dir: str | Path = "data") -> pd.DataFrame:
    """The simulated cross-network set, ``<data_dir>/_synthese/networks.csv``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`ATTRIBUTE_COLUMNS` (``kind`` is ``"cross-netwerkset"``,
        ``lead_partner`` empty).

    Raises
    ------
    FileNotFoundError
        If the file does not exist (``netwerkonderzoek.simulate.crossnet.write_crossnet``
        writes it).
    ValueError
        If a column is missing.

    Examples
    --------
    >>> networks = read_cross_network_set("data")
    >>> len(networks), networks["network_id"].iloc[0], networks["kind"].iloc[0]
    (24, 'xn-01', 'cross-netwerkset')
    >>> list(networks.columns) == list(ATTRIBUTE_COLUMNS)
    True
    """
    import pandas as pd

    path = Path(data_dir) / CROSS_NETWORK_DIR / "networks.csv"
    if not path.is_file():
        raise FileNotFoundError(
            f"{path}: the cross-network set is missing; write it with "
            "netwerkonderzoek.simulate.crossnet.write_crossnet()"
        )
    frame = pd.read_csv(path, dtype={"network_id": str, "lead_kind": str})
    frame["kind"] = "cross-netwerkset"
    frame["lead_partner"] = ""
    missing = [c for c in ATTRIBUTE_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {missing}")
    return frame[list(ATTRIBUTE_COLUMNS)]


def read_cross_network_truth(data_dir: str | Path = "data") -> dict:
    """The ground truth of the cross-network set (``data/_synthese/ground_truth.json``).

    Holds the planted formula, the thresholds, the seed and noise, and per
    network its latent configuration and which raw values are off.

    Raises
    ------
    FileNotFoundError
        If the file does not exist.

    Examples
    --------
    >>> truth = read_cross_network_truth("data")
    >>> truth["formula"], truth["outcome"], truth["n_networks"]
    ('MGR*TRUST + FUND*~HIST', 'SUCCESS', 24)
    """
    import json

    path = Path(data_dir) / CROSS_NETWORK_DIR / "ground_truth.json"
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no ground truth of the cross-network set")
    return json.loads(path.read_text(encoding="utf-8"))


def attribute_table(
    config_dir: str | Path = "config",
    data_dir: str | Path = "data",
    *,
    networks: list[str] | None = None,
    cross_network_set: bool = True,
) -> pd.DataFrame:
    """Raw attributes of every configured network plus the cross-network set.

    Parameters
    ----------
    config_dir, data_dir : path
        Configuration and data folders.
    networks : list of str, optional
        Configured networks to include (default: all of them).
    cross_network_set : bool, default True
        Append the rows of ``data/_synthese/networks.csv``.

    Returns
    -------
    pandas.DataFrame
        One row per network, columns :data:`ATTRIBUTE_COLUMNS`.

    Examples
    --------
    >>> table = attribute_table("config", "data")
    >>> table["kind"].value_counts().to_dict()
    {'cross-netwerkset': 24, 'voorbeeldnetwerk': 3}
    >>> attribute_table(networks=["wijk-noord"], cross_network_set=False)[
    ...     ["network_id", "lead_partner", "lead_municipality"]]
       network_id   lead_partner  lead_municipality
    0  wijk-noord  welzijn-noord                  0
    """
    import pandas as pd

    from ..config import list_networks, load_config
    from ..tables import load_network

    ids = list_networks(config_dir) if networks is None else list(networks)
    frames = []
    for network_id in ids:
        config = load_config(network_id, config_dir)
        frames.append(network_attributes(load_network(config, data_dir), config))
    if cross_network_set:
        frames.append(read_cross_network_set(data_dir))
    if not frames:
        return pd.DataFrame(columns=list(ATTRIBUTE_COLUMNS))
    return pd.concat(frames, ignore_index=True)
