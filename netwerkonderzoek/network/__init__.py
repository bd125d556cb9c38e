"""Partner-network graphs per survey wave and their measures.

The ties table holds directed ties per wave and tie type (layer). This
subpackage turns it into :class:`networkx.DiGraph` objects (:mod:`.graphs`),
computes network-level and partner-level measures as tidy tables
(:mod:`.measures`), Freeman centralization (:mod:`.centralization`),
Gould–Fernandez brokerage (:mod:`.brokerage`), Borgatti–Everett
core–periphery (:mod:`.coreperiphery`), PARTNER trust and value
(:mod:`.trust`), communities (:mod:`.communities`), change between waves
(:mod:`.change`), network load across networks (:mod:`.load`), survey
non-response and the measures it leaves unknown (:mod:`.response`), standard
errors of clustered means and node-jackknife standard errors of network
measures (:mod:`.uncertainty`) and draws the network in the house style
(:mod:`.plot`). Importing it imports neither
networkx nor pandas.

Examples
--------
>>> import pandas as pd
>>> from netwerkonderzoek.network import build_graph
>>> partners = pd.DataFrame({"partner_id": ["a", "b", "c"], "kind": ["care"] * 3,
...                          "name": ["A", "B", "C"]})
>>> ties = pd.DataFrame({"wave": [1, 1], "source": ["a", "b"], "target": ["b", "a"],
...                      "tie_type": ["information", "information"], "weight": [2.0, 1.0]})
>>> G = build_graph(ties, partners, wave=1)
>>> G.number_of_nodes(), G.number_of_edges()
(3, 2)
"""

from .brokerage import BROKERAGE_ROLES, brokerage
from .centralization import BETWEENNESS_EXACT_MAX, betweenness_scores, freeman_centralization
from .change import core_change, measure_change, tie_change
from .communities import (
    adjusted_rand_index,
    communities,
    community_stability,
    normalized_mutual_information,
    wave_communities,
)
from .coreperiphery import core_periphery
from .cug import CUG_MEASURES, CUG_MODES, cug_test, dyad_census, turnover_test
from .dyads import edge_matrix, node_match_matrix
from .graphs import (
    LAYERS,
    TRUST_RATINGS,
    VALUE_RATINGS,
    NetworkDataError,
    active_partners,
    build_graph,
    membership_changes,
    network_waves,
    wave_graphs,
    wave_months,
)
from .load import (
    MEETING_WORDS,
    PARTNER_LOAD_COLUMNS,
    busiest_partners,
    meeting_mask,
    network_load,
    partner_load,
)
from .measures import (
    burt_constraint,
    directed_transitivity,
    layer_overlap,
    multiplexity,
    network_measures,
    partner_measures,
)
from .plot import (
    plot_brokerage,
    plot_network,
    plot_network_load,
    plot_partner_load,
    plot_waves,
    stable_layout,
)
from .qap import QAP_KINDS, QAP_METHODS, qap_regression
from .response import (
    NONRESPONSE_MEASURES,
    flag_nonresponse,
    read_survey_response,
    response_rates,
)
from .siena import SIENA_JACCARD_MIN, siena_descriptives, siena_files
from .trust import network_trust, partner_trust, tie_trust
from .uncertainty import (
    DEFAULT_UNCERTAINTY_MEASURES,
    JACKKNIFE_MEASURES,
    MIN_COVERAGE,
    ClusteredMean,
    cluster_coverage,
    clustered_mean,
    jackknife_se,
    measure_uncertainty,
)

__all__ = [
    "BETWEENNESS_EXACT_MAX",
    "BROKERAGE_ROLES",
    "CUG_MEASURES",
    "CUG_MODES",
    "DEFAULT_UNCERTAINTY_MEASURES",
    "JACKKNIFE_MEASURES",
    "LAYERS",
    "MEETING_WORDS",
    "MIN_COVERAGE",
    "NONRESPONSE_MEASURES",
    "PARTNER_LOAD_COLUMNS",
    "QAP_KINDS",
    "QAP_METHODS",
    "SIENA_JACCARD_MIN",
    "TRUST_RATINGS",
    "VALUE_RATINGS",
    "ClusteredMean",
    "NetworkDataError",
    "active_partners",
    "adjusted_rand_index",
    "betweenness_scores",
    "brokerage",
    "build_graph",
    "burt_constraint",
    "busiest_partners",
    "cluster_coverage",
    "clustered_mean",
    "communities",
    "community_stability",
    "core_change",
    "core_periphery",
    "cug_test",
    "directed_transitivity",
    "dyad_census",
    "edge_matrix",
    "flag_nonresponse",
    "freeman_centralization",
    "jackknife_se",
    "layer_overlap",
    "measure_change",
    "measure_uncertainty",
    "meeting_mask",
    "membership_changes",
    "multiplexity",
    "network_load",
    "network_measures",
    "network_trust",
    "network_waves",
    "node_match_matrix",
    "normalized_mutual_information",
    "partner_load",
    "partner_measures",
    "partner_trust",
    "plot_brokerage",
    "plot_network",
    "plot_network_load",
    "plot_partner_load",
    "plot_waves",
    "qap_regression",
    "read_survey_response",
    "response_rates",
    "siena_descriptives",
    "siena_files",
    "stable_layout",
    "tie_change",
    "tie_trust",
    "turnover_test",
    "wave_communities",
    "wave_graphs",
    "wave_months",
]
