"""netwerkonderzoek: realist evaluation of inter-organisational collaboration networks.

Importing the package is cheap: submodules that need pandas, networkx,
statsmodels or matplotlib import them when their functions are called.
"""

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
