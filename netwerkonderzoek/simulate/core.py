"""Simulate an example network and write its files.

See :mod:`netwerkonderzoek.simulate` for the generative model.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from ..tables import TABLE_NAMES
from ..vocabulary import TRUST_RATINGS, VALUE_RATINGS
from .cutoff import check_until, cut_config, cut_tables, cut_truth, kept_unit_waves
from .examples import DEFAULT_SEED, EXAMPLE_NETWORKS, SimulatedNetwork, get_spec
from .indicators import indicator_config, simulate_indicators
from .network import (
    simulate_contributions,
    simulate_events,
    simulate_partners,
    simulate_ties,
    value_decline_per_wave,
)
from .persons import DEMO_KEY_FILE, DEMO_KEY_TEXT, person_numbers, pseudonymised_ids
from .qda_raw import CODED_NETWORKS, coded_observations
from .raw import raw_exports
from .specs import NetworkSpec, month_period
from .text import simulate_observations
from .units import cmo_ground_truth, simulate_units, theory_data, units_summary

__all__ = [
    "simulate_network",
    "write_examples",
    "write_network",
]


def _check_seed(seed: object) -> int:
    if seed is None:
        return int(np.random.SeedSequence().entropy % 2**31)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(
            f"The 'seed' parameter of simulate_network must be a non-negative int or None. "
            f"Got {seed!r} instead."
        )
    return int(seed)


def _network_truth(
    spec: NetworkSpec, ties: pd.DataFrame, events: pd.DataFrame, partners: pd.DataFrame
) -> dict:
    """The planted network truths, observed on ``ties`` (and ``partners``: members only)."""
    event = events[events["title"] == spec.trust_event]
    if event.empty:
        raise ValueError(f"trust event {spec.trust_event!r} is not on the timeline of {spec.id}")
    dyads = ties.drop_duplicates(["wave", "source", "target"])
    trust = dyads.groupby("wave")[list(TRUST_RATINGS)].mean().mean(axis=1)
    k = spec.trust_wave
    members = set(partners["partner_id"])
    observed = round(float(trust.loc[k - 1] - trust.loc[k]), 4) if k in trust.index else None
    return {
        "core": sorted(p.id for p in spec.partners if p.core and p.id in members),
        "broker": {
            "partner_id": spec.broker,
            "wave": spec.broker_wave,
            "groups": [
                sorted(p.id for p in spec.partners if p.group == "a" and p.id in members),
                sorted(p.id for p in spec.partners if p.group == "b" and p.id in members),
            ],
            "group_names": list(spec.groups),
            "tie_types": ["information", "joint_delivery"],
        },
        "trust_drop": {
            "event": spec.trust_event,
            "event_date": str(event["date"].iloc[0]),
            "wave": k,
            "size": spec.trust_drop,
            "ratings": list(TRUST_RATINGS),
            "later_waves_size": round(0.4 * spec.trust_drop, 4),
            "observed_drop": observed,
        },
        "wave_dates": spec.wave_dates(),
    }


def _value_truth(spec: NetworkSpec, ties: pd.DataFrame, contributions: pd.DataFrame) -> dict:
    dyads = ties.drop_duplicates(["wave", "source", "target"])
    received = dyads[dyads["target"] == spec.value_partner]
    ratings = received.groupby("wave")[list(VALUE_RATINGS)].mean().mean(axis=1)
    own = contributions[contributions["partner_id"] == spec.value_partner].copy()
    own["year"] = own["period"].str[:4]
    hours = own.groupby("year")["hours"].sum()
    return {
        "partner_id": spec.value_partner,
        "hours_trend_per_month": 0.04,
        "value_decline_per_wave": round(value_decline_per_wave(spec), 4),
        "ratings": list(VALUE_RATINGS),
        "observed_mean_value_rating": {str(w): round(float(v), 4) for w, v in ratings.items()},
        "observed_hours_per_year": {str(y): round(float(v), 1) for y, v in hours.items()},
    }


def _indicator_truth(spec: NetworkSpec, events: pd.DataFrame) -> dict:
    event = events[events["title"] == spec.its_event]
    if event.empty:
        raise ValueError(f"indicator event {spec.its_event!r} is not on the timeline of {spec.id}")
    unit = next(i.unit for i in spec.indicators if i.id == spec.its_indicator)
    return {
        "indicator_id": spec.its_indicator,
        "unit": unit,
        "treated_areas": sorted(spec.its_treated),
        "comparison_areas": sorted(set(spec.regions) - set(spec.its_treated)),
        "event": spec.its_event,
        "event_date": str(event["date"].iloc[0]),
        "start_period": month_period(spec.start, spec.its_month),
        "level_change": spec.its_level,
        "slope_change_per_month": spec.its_slope,
    }


def _simulate_tables(
    spec: NetworkSpec, seed: int, unit_waves: int | None
) -> tuple[dict[str, pd.DataFrame], list[str], dict]:
    """The seven full tables, the units' person numbers and the true CMO effects.

    The effects are computed over the units of unit waves 1 to ``unit_waves``
    (all if None); the draws do not depend on it.
    """
    streams = np.random.SeedSequence([seed, spec.index]).spawn(5)
    rng_ties, rng_contrib, rng_ind, rng_units, rng_obs = (
        np.random.default_rng(s) for s in streams
    )
    partners = simulate_partners(spec)
    events = simulate_events(spec)
    ties = simulate_ties(spec, rng_ties)
    contributions = simulate_contributions(spec, rng_contrib)
    indicators = simulate_indicators(spec, rng_ind)
    units, effects = simulate_units(spec, rng_units, waves=unit_waves)
    # Units are known by the pseudonym of their raw person number, sorted as harmonised.
    numbers = person_numbers(spec.unit_prefix, len(units))
    units["unit_id"] = pseudonymised_ids(numbers)
    order = np.lexsort((units["wave"].to_numpy(), units["unit_id"].to_numpy()))
    units = units.iloc[order].reset_index(drop=True)
    numbers = [numbers[i] for i in order]
    observations = simulate_observations(spec, rng_obs, events)
    if spec.id in CODED_NETWORKS:  # interviews coded in MAXQDA, stories in a logbook
        observations = coded_observations(observations)
    tables = {
        "partners": partners,
        "ties": ties,
        "contributions": contributions,
        "indicators": indicators,
        "units": units,
        "observations": observations,
        "events": events,
    }
    return tables, numbers, effects


def _config(spec: NetworkSpec, seed: int) -> dict:
    """The full network's configuration as plain data."""
    config = {
        "network_id": spec.id,
        "name": spec.name,
        "mission": spec.mission,
        "task": spec.task,
        "study": {
            "start": spec.start,
            "end": spec.end,
            "waves": [{"wave": i, "date": d} for i, d in enumerate(spec.wave_dates(), 1)],
            "language": "nl",
            "seed": seed,
            "subgroups": ["female"],
        },
        "indicators": indicator_config(spec),
        "theory": f"theories/{spec.id}.yaml",
    }
    if spec.monetisation is not None:
        config["monetisation"] = dict(spec.monetisation)
    if spec.studies:  # the network's research agenda
        config["studies"] = [dict(study) for study in spec.studies]
    return config


def simulate_network(
    network_id: str, seed: int | None = None, until: str | None = None
) -> SimulatedNetwork:
    """Simulate one example network from its generative model.

    Parameters
    ----------
    network_id : str
        One of :data:`EXAMPLE_NETWORKS`.
    seed : int or None
        Base seed. The network's random streams are spawned from
        ``numpy.random.SeedSequence([seed, network_index])``, so each network
        has its own stream. ``None`` draws a fresh seed, which is recorded in
        ``config["study"]["seed"]`` and ``ground_truth["seed"]``.
    until : str or None
        Cut-off month ``YYYY-MM`` (inclusive): the network as known at the end
        of that month, for an interim evaluation. The full network is
        simulated with the same random streams and then cut
        (:mod:`~netwerkonderzoek.simulate.cutoff`): everything dated up to
        the month is identical to the full simulation, everything after it is
        absent, ``study.end`` is the month and the ground truth records
        ``until``. From the month of the second survey wave to the study end;
        None or the study end gives the full network.

    Returns
    -------
    SimulatedNetwork

    Raises
    ------
    ValueError
        If ``network_id`` is unknown, ``seed`` is not a non-negative int or
        ``until`` is not an allowed month
        (:func:`~netwerkonderzoek.simulate.check_until`).

    Examples
    --------
    >>> sim = simulate_network("wijk-noord", seed=1)
    >>> sorted(sim.tables) == sorted(TABLE_NAMES)
    True
    >>> sim.config["study"]["seed"], sim.ground_truth["cmo-01"]["holds_in"]
    (1, 'context')

    The same network at the end of September 2023: two of its four survey
    waves, one of its three unit waves, and no trust drop yet:

    >>> interim = simulate_network("wijk-noord", seed=1, until="2023-09")
    >>> interim.config["study"]["end"], len(interim.config["study"]["waves"]), interim.until
    ('2023-09', 2, '2023-09')
    >>> len(interim.tables["units"]), interim.tables["indicators"]["period"].max()
    (734, '2023-09')
    >>> interim.ground_truth["network"]["trust_drop"]["observed_drop"] is None
    True
    >>> full = sim.tables["contributions"]
    >>> early = full[full["period"] <= "2023-09"].reset_index(drop=True)
    >>> interim.tables["contributions"].equals(early)
    True
    """
    spec = get_spec(network_id)
    seed = _check_seed(seed)
    until = check_until(network_id, until)
    unit_waves = None if until is None else len(kept_unit_waves(spec, until))
    tables, numbers, effects = _simulate_tables(spec, seed, unit_waves)
    events = tables["events"]  # the planted events' dates, also those after a cut-off
    config = _config(spec, seed)
    if until is not None:
        tables, numbers = cut_tables(spec, tables, numbers, until)
        config = cut_config(config, until)
    truth = {
        "network_id": spec.id,
        **cmo_ground_truth(spec, effects),
        "network": _network_truth(spec, tables["ties"], events, tables["partners"]),
        "value": _value_truth(spec, tables["ties"], tables["contributions"]),
        "indicators": _indicator_truth(spec, events),
        "units": units_summary(spec, tables["units"]),
        "seed": seed,
        "network_index": spec.index,
        "rng": "numpy.random.SeedSequence([seed, network_index]).spawn(5)",
    }
    if until is not None:
        truth = cut_truth(truth, until)
    return SimulatedNetwork(
        spec.id, tables, config, theory_data(spec), truth, numbers, until=until
    )


def _dump_yaml(data: dict) -> str:
    import yaml

    return yaml.safe_dump(
        data, sort_keys=False, allow_unicode=True, width=4096, default_flow_style=False
    )


def _write_text(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    return path


def write_network(
    sim: SimulatedNetwork, config_dir: str | Path = "config", data_dir: str | Path = "data"
) -> list[Path]:
    """Write a simulated network's configuration, theory, tables and ground truth.

    Files: ``config_dir/networks/<id>.yaml``, ``config_dir/theories/<id>.yaml``,
    ``data_dir/<id>/<table>.csv`` for the seven canonical tables and
    ``data_dir/<id>/ground_truth.json``. The same ``sim`` always gives
    byte-identical files (UTF-8, ``\\n`` line endings, rounded floats).

    Also written, but not listed: the raw partner exports
    (``data_dir/raw/<id>/``, :func:`~netwerkonderzoek.simulate.raw.raw_exports`),
    the public demo key ``config_dir/demo.key`` and the appreciation survey
    ``data_dir/<id>/appreciation.csv``, whose planted truth is added to the
    ground truth under ``appreciation``.

    A network simulated as known at a cut-off month (``sim.until``) is written
    as cut: its raw exports, appreciation survey and configuration hold only
    what was known at the end of that month.

    Parameters
    ----------
    sim : SimulatedNetwork
    config_dir : str or Path, default "config"
    data_dir : str or Path, default "data"

    Returns
    -------
    list of Path
        The files written.

    Examples
    --------
    >>> import tempfile
    >>> sim = simulate_network("wijk-noord", seed=1)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     paths = write_network(sim, Path(tmp) / "config", Path(tmp) / "data")
    ...     listed = [p.relative_to(tmp).as_posix() for p in paths]
    ...     every = sorted(p.relative_to(tmp).as_posix() for p in Path(tmp).rglob("*.*"))
    ...     truth = json.loads(paths[-1].read_text("utf-8"))  # data/wijk-noord/ground_truth.json
    >>> listed  # doctest: +NORMALIZE_WHITESPACE
    ['config/networks/wijk-noord.yaml', 'config/theories/wijk-noord.yaml',
     'data/wijk-noord/partners.csv', 'data/wijk-noord/ties.csv',
     'data/wijk-noord/contributions.csv', 'data/wijk-noord/indicators.csv',
     'data/wijk-noord/units.csv', 'data/wijk-noord/observations.csv',
     'data/wijk-noord/events.csv', 'data/wijk-noord/ground_truth.json']
    >>> [f for f in every if f not in listed and "/raw/" not in f]
    ['config/demo.key', 'data/wijk-noord/appreciation.csv']
    >>> len([f for f in every if "/raw/" in f]), truth["seed"], truth["appreciation"]["scale"]
    (10, 1, '1-10')
    """
    config_dir, data_dir = Path(config_dir), Path(data_dir)
    nid = sim.network_id
    # Raw partner exports and the config's ``sources`` describing them (see .raw);
    # the raw files are written to data_dir/raw/<id>/ but not listed in the result.
    raw = raw_exports(sim)
    raw.write(data_dir / "raw" / nid)
    # The public demo key of the examples' pseudonyms (privacy.key_file), written but not listed.
    _write_text(config_dir / DEMO_KEY_FILE, DEMO_KEY_TEXT)
    paths = [
        _write_text(config_dir / "networks" / f"{nid}.yaml", _dump_yaml(sim.config | raw.config)),
        _write_text(config_dir / "theories" / f"{nid}.yaml", _dump_yaml(sim.theory)),
    ]
    for name in TABLE_NAMES:
        buffer = io.StringIO()
        sim.tables[name].to_csv(buffer, index=False, lineterminator="\n")
        paths.append(_write_text(data_dir / nid / f"{name}.csv", buffer.getvalue()))
    # Optional appreciation survey (see .appreciation): written but not listed, like the
    # raw exports; what it plants is added to the ground truth as "appreciation".
    from .appreciation import write_appreciation

    truth = sim.ground_truth | write_appreciation(sim, data_dir / nid)
    text = json.dumps(truth, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    paths.append(_write_text(data_dir / nid / "ground_truth.json", text))
    return paths


def write_examples(
    config_dir: str | Path = "config",
    data_dir: str | Path = "data",
    seed: int = DEFAULT_SEED,
    networks: Iterable[str] = EXAMPLE_NETWORKS,
    until: str | None = None,
) -> list[Path]:
    """Simulate and write the example networks; return every file written.

    Each network is simulated with the same base ``seed`` (its own stream
    comes from its position in :data:`EXAMPLE_NETWORKS`) and written by
    :func:`write_network`. The cross-network set of the synthesis
    (:func:`~netwerkonderzoek.simulate.crossnet.write_crossnet`) is a separate
    data set, not written here and not cut by ``until``.

    Parameters
    ----------
    config_dir : str or Path, default "config"
    data_dir : str or Path, default "data"
    seed : int, default DEFAULT_SEED
        Base seed (2022, the seed of the shipped examples).
    networks : iterable of str, default EXAMPLE_NETWORKS
        The example networks to write.
    until : str or None
        Cut-off month ``YYYY-MM`` (inclusive): write every network as known at
        the end of that month (:func:`simulate_network`). Checked for every
        network before anything is written.

    Returns
    -------
    list of Path
        The files :func:`write_network` lists, network after network.

    Raises
    ------
    ValueError
        If ``until`` is not an allowed month for one of the ``networks``
        (:func:`~netwerkonderzoek.simulate.check_until`); nothing is written.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     paths = write_examples(
    ...         Path(tmp) / "config", Path(tmp) / "data", seed=7, networks=["ggz-netwerk"]
    ...     )
    ...     written = [p.relative_to(tmp).as_posix() for p in paths]
    ...     truth = json.loads(paths[-1].read_text("utf-8"))
    >>> len(written), written[:2], written[-1]  # doctest: +NORMALIZE_WHITESPACE
    (10, ['config/networks/ggz-netwerk.yaml', 'config/theories/ggz-netwerk.yaml'],
     'data/ggz-netwerk/ground_truth.json')
    >>> truth["seed"], truth["network"]["broker"]["partner_id"]
    (7, 'wijkconsulenten-ggz')

    As known at the end of June 2023 (three of its six survey waves so far):

    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     paths = write_examples(
    ...         Path(tmp) / "config", Path(tmp) / "data", 7, ["ggz-netwerk"], until="2023-06"
    ...     )
    ...     truth = json.loads(paths[-1].read_text("utf-8"))
    ...     end = (Path(tmp) / "data" / "ggz-netwerk" / "contributions.csv").read_text()[-60:]
    >>> truth["until"], truth["network"]["wave_dates"][-1], "2023-06" in end
    ('2023-06', '2023-01-15', True)
    >>> write_examples(tmp, tmp, 7, ["wijk-noord", "ggz-netwerk"], until="2025-01")
    Traceback (most recent call last):
    ...
    ValueError: The 'until' parameter of simulate_network must not be after the study end of wijk-noord (2024-12). Got '2025-01' instead.
    """
    networks = list(networks)
    cut = {network_id: check_until(network_id, until) for network_id in networks}
    paths: list[Path] = []
    for network_id in networks:
        sim = simulate_network(network_id, seed, until=cut[network_id])
        paths.extend(write_network(sim, config_dir, data_dir))
    return paths
