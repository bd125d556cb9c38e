"""Batches of simulated networks, for load tests and benchmarks of study runs.

A batch network is one of the example networks simulated with its own seed
and given its own id (``<example>-b<NNN>``), so a batch holds many distinct,
valid networks with the same shape as the shipped examples.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from .core import simulate_network, write_network
from .examples import EXAMPLE_NETWORKS, SimulatedNetwork

__all__ = ["rename_network", "simulate_batch", "write_batch"]


def rename_network(sim: SimulatedNetwork, network_id: str) -> SimulatedNetwork:
    """A copy of ``sim`` whose tables, configuration, theory and truth carry ``network_id``.

    ``sim`` itself is left unchanged; the copy remembers the example it was
    simulated from in ``spec_id``.

    Parameters
    ----------
    sim : SimulatedNetwork
    network_id : str
        The new id, a slug (``[a-z0-9-]+``).

    Returns
    -------
    SimulatedNetwork

    Raises
    ------
    ConfigError
        If ``network_id`` is not a slug.

    Examples
    --------
    >>> sim = simulate_network("wijk-noord", seed=1)
    >>> copy = rename_network(sim, "wijk-noord-test")
    >>> copy.network_id, copy.spec_id, copy.spec.name
    ('wijk-noord-test', 'wijk-noord', 'Wijknetwerk Leefbaar Noord')
    >>> copy.config["theory"], copy.theory["network_id"], copy.ground_truth["network_id"]
    ('theories/wijk-noord-test.yaml', 'wijk-noord-test', 'wijk-noord-test')
    >>> copy.tables["ties"]["network_id"].unique().tolist(), sim.tables["ties"]["network_id"][0]
    (['wijk-noord-test'], 'wijk-noord')
    >>> rename_network(sim, "Wijk Noord")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    netwerkonderzoek.exceptions.ConfigError: network id 'Wijk Noord' is not a slug: ...
    """
    from ..config import check_network_id

    check_network_id(network_id)
    tables = {}
    for name, table in sim.tables.items():
        table = table.copy()
        if "network_id" in table.columns:
            table["network_id"] = network_id
        tables[name] = table
    config = {**sim.config, "network_id": network_id, "theory": f"theories/{network_id}.yaml"}
    theory = {**sim.theory, "network_id": network_id}
    truth = {**sim.ground_truth, "network_id": network_id}
    return replace(
        sim,
        network_id=network_id,
        tables=tables,
        config=config,
        theory=theory,
        ground_truth=truth,
        spec_id=sim.spec_id or sim.network_id,
    )


def simulate_batch(n: int, seed: int = 0) -> list[SimulatedNetwork]:
    """``n`` simulated networks cycling through the example specifications.

    Network ``i`` is example ``EXAMPLE_NETWORKS[i % 3]`` simulated with seed
    ``seed + i`` and renamed ``<example>-b<i>``.

    Examples
    --------
    >>> [s.network_id for s in simulate_batch(2, seed=1)]
    ['energie-regio-b000', 'wijk-noord-b001']
    """
    if not isinstance(n, int) or n < 1:
        raise ValueError(
            f"The 'n' parameter of simulate_batch must be a positive integer. Got {n!r} instead."
        )
    sims = []
    for i in range(n):
        base = EXAMPLE_NETWORKS[i % len(EXAMPLE_NETWORKS)]
        sims.append(rename_network(simulate_network(base, seed + i), f"{base}-b{i:03d}"))
    return sims


def write_batch(n: int, config_dir: str | Path, data_dir: str | Path, seed: int = 0) -> list[str]:
    """Simulate and write a batch of ``n`` networks; return their ids.

    Each network is written by :func:`~netwerkonderzoek.simulate.write_network`.

    Parameters
    ----------
    n : int
        Number of networks (see :func:`simulate_batch`).
    config_dir, data_dir : str or Path
        Configuration and data folders.
    seed : int, default 0
        Seed of the first network; network ``i`` gets ``seed + i``.

    Returns
    -------
    list of str
        The network ids, in batch order.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     ids = write_batch(1, Path(tmp) / "config", Path(tmp) / "data", seed=3)
    ...     files = sorted(p.relative_to(tmp).as_posix() for p in Path(tmp).rglob("*.*"))
    >>> ids, len(files)
    (['energie-regio-b000'], 18)
    >>> files[:4]  # doctest: +NORMALIZE_WHITESPACE
    ['config/demo.key', 'config/networks/energie-regio-b000.yaml',
     'config/theories/energie-regio-b000.yaml', 'data/energie-regio-b000/appreciation.csv']
    """
    ids = []
    for sim in simulate_batch(n, seed):
        write_network(sim, config_dir, data_dir)
        ids.append(sim.network_id)
    return ids
