"""The example networks: their ids, specifications and what simulating one gives.

:data:`SPECS` holds the fixed parameters of the three examples
(:mod:`.energie_regio`, :mod:`.wijk_noord`, :mod:`.ggz_netwerk`);
:class:`SimulatedNetwork` is what :func:`~netwerkonderzoek.simulate.simulate_network`
returns and what the raw exports (:mod:`.raw`) and the appreciation survey
(:mod:`.appreciation`) are made from.

Examples
--------
>>> EXAMPLE_NETWORKS
('energie-regio', 'wijk-noord', 'ggz-netwerk')
>>> spec = get_spec("wijk-noord")
>>> spec.name, spec.unit_label, len(spec.partners)
('Wijknetwerk Leefbaar Noord', 'bewoners', 24)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from . import energie_regio, ggz_netwerk, wijk_noord
from .specs import NetworkSpec

__all__ = ["DEFAULT_SEED", "EXAMPLE_NETWORKS", "SPECS", "SimulatedNetwork", "get_spec"]

EXAMPLE_NETWORKS: tuple[str, ...] = ("energie-regio", "wijk-noord", "ggz-netwerk")
DEFAULT_SEED: int = 2022
SPECS: dict[str, NetworkSpec] = {
    s.id: s for s in (energie_regio.SPEC, wijk_noord.SPEC, ggz_netwerk.SPEC)
}


@dataclass
class SimulatedNetwork:
    """A simulated network: its canonical tables, configuration, theory and ground truth.

    Attributes
    ----------
    network_id : str
    tables : dict of str to DataFrame
        The seven canonical tables (``partners``, ``ties``, ...), rows sorted.
    config : dict
        Network configuration as plain data (``config/networks/<id>.yaml``).
    theory : dict
        Programme theory as plain data (``config/theories/<id>.yaml``).
    ground_truth : dict
        What was planted (``data/<id>/ground_truth.json``).
    person_ids : list of str
        The raw person number of every row of ``tables["units"]``, whose
        ``unit_id`` is its pseudonym under the demo key (see :mod:`.persons`);
        only the raw units export holds them.
    spec_id : str, optional
        The example specification the network was simulated from, when its id
        differs (a renamed batch network, :mod:`netwerkonderzoek.simulate.batch`).
    until : str, optional
        The cut-off month ``YYYY-MM`` of a network simulated as known at the
        end of that month (:mod:`netwerkonderzoek.simulate.cutoff`); None for
        the full study.
    """

    network_id: str
    tables: dict[str, pd.DataFrame] = field(repr=False)
    config: dict = field(repr=False)
    theory: dict = field(repr=False)
    ground_truth: dict = field(repr=False)
    person_ids: list[str] = field(default_factory=list, repr=False)
    spec_id: str | None = None
    until: str | None = None

    @property
    def spec(self) -> NetworkSpec:
        """The example specification this network was simulated from."""
        return get_spec(self.spec_id or self.network_id)


def get_spec(network_id: str) -> NetworkSpec:
    """The specification of an example network; ValueError names the known ids.

    Examples
    --------
    >>> get_spec("ggz-netwerk").name
    'Netwerk Psychische Gezondheid Maasoever'
    >>> get_spec("wijk-zuid")
    Traceback (most recent call last):
    ...
    ValueError: The 'network_id' parameter of simulate_network must be one of energie-regio, wijk-noord, ggz-netwerk. Got 'wijk-zuid' instead.
    """
    if network_id not in SPECS:
        raise ValueError(
            f"The 'network_id' parameter of simulate_network must be one of "
            f"{', '.join(EXAMPLE_NETWORKS)}. Got {network_id!r} instead."
        )
    return SPECS[network_id]
