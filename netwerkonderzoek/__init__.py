"""netwerkonderzoek: realist evaluation of inter-organisational collaboration networks.

Where to start
--------------
>>> import netwerkonderzoek as nw
>>> config = nw.load_config("wijk-noord")                   # config/networks/wijk-noord.yaml
>>> data = nw.load_network(config)                          # data/wijk-noord/*.csv, validated
>>> theory = nw.cmo.load_theory(config.theory_path, data.units)   # the programme theory
>>> evaluation = nw.stats.evaluate_theory(data, theory, config=config)  # what works, for whom

The submodules, by the question they answer:

- ``nw.cmo``: programme theories as CMO configurations; the evidence ledger and verdicts.
- ``nw.network``: the partner network per wave: measures, trust, brokerage, change.
- ``nw.heartbeat``: the network's heartbeat over waves and months, with control limits.
- ``nw.value``: the value matrix, partner business cases and monetisation.
- ``nw.stats``: the tests of the theory (quantitative and qualitative evidence together).
- ``nw.qualitative``: coded observations, quotes and most significant change stories.
- ``nw.qca`` and ``nw.synthesis``: QCA across networks.
- ``nw.harmonise``: partners' raw exports into the canonical tables.
- ``nw.story``: the report (HTML, PDF, Word) and its key messages.
- ``nw.runner``: running the study notebooks per network, in parallel or on Dask.
- ``nw.formatting``, ``nw.figures``, ``nw.privacy``, ``nw.vocabulary``, ``nw.registry``.

Importing the package is cheap: the submodules are loaded when first used
(``nw.stats`` imports :mod:`netwerkonderzoek.stats` then), and those that
need pandas, networkx, statsmodels or matplotlib import them when their
functions are called.
"""

import importlib

from .config import NetworkConfig, list_networks, load_config, programme_peers
from .exceptions import (
    ConfigError,
    NetwerkonderzoekError,
    NetwerkonderzoekWarning,
    RunError,
    TheoryError,
    ValidationError,
)
from .tables import NetworkData, load_network, read_table, validate_network, write_table

__version__ = "0.1.0"

#: Submodules loaded on first attribute access (``nw.stats``), PEP 562.
SUBMODULES = (
    "calibration",
    "checks",
    "cmo",
    "figures",
    "formatting",
    "harmonise",
    "heartbeat",
    "network",
    "privacy",
    "qca",
    "qualitative",
    "registry",
    "runner",
    "scaffold",
    "simulate",
    "stats",
    "story",
    "synthesis",
    "tables",
    "value",
    "vocabulary",
)


def __getattr__(name: str):
    if name in SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *SUBMODULES})


__all__ = [
    "ConfigError",
    "NetwerkonderzoekError",
    "NetwerkonderzoekWarning",
    "NetworkConfig",
    "NetworkData",
    "RunError",
    "TheoryError",
    "ValidationError",
    "__version__",
    "list_networks",
    "load_config",
    "load_network",
    "programme_peers",
    "read_table",
    "validate_network",
    "write_table",
]
