"""Cross-network synthesis: what works for whom in which context, across networks.

"What works, for whom, in which context" across many networks is a question
of configurations: which combinations of conditions (a dedicated network
manager, shared funding, high trust, a municipality in the lead, a long
history of working together) go with a network that delivers. This
subpackage

1. derives raw network-level attributes from each configured network's
   canonical tables (:func:`network_attributes`, :func:`attribute_table`)
   and reads the simulated cross-network set (:func:`read_cross_network_set`,
   made by :mod:`netwerkonderzoek.simulate.crossnet`);
2. calibrates them into sets following ``config/synthesis.yaml``
   (:func:`load_settings`, :func:`calibrate_conditions`);
3. runs the QCA: truth table, conservative / parsimonious / intermediate
   solutions with their fit and the cases each term covers, necessity
   (:func:`synthesise`, :func:`plot_solution`);
4. pools the networks' CMO verdicts: which configurations hold in which
   network and in what context (:func:`pool_cmo_results`,
   :func:`pooled_matrix`).

``netwerkonderzoek run --synthesis`` runs ``notebooks/05_synthese.ipynb``
across all networks into ``output/_synthese/<run_id>/``.

Examples
--------
>>> from netwerkonderzoek import synthesis
>>> settings = synthesis.load_settings("config")
>>> settings.condition_names
['MGR', 'FUND', 'TRUST', 'MUNI', 'HIST']
"""

from .analysis import (
    SOLUTION_TYPES,
    SynthesisResult,
    calibrate_conditions,
    plot_solution,
    synthesise,
)
from .attributes import (
    ATTRIBUTE_COLUMNS,
    ATTRIBUTES,
    CROSS_NETWORK_DIR,
    attribute_table,
    lead_partner,
    network_attributes,
    read_cross_network_set,
    read_cross_network_truth,
)
from .pooling import (
    POOLED_COLUMNS,
    compute_verdicts,
    holds_in,
    latest_verdicts,
    pool_cmo_results,
    pooled_matrix,
)
from .settings import (
    Anchors,
    SetSpec,
    SynthesisSettings,
    calibration_table,
    load_settings,
    settings_path,
)

__all__ = [
    "ATTRIBUTES",
    "ATTRIBUTE_COLUMNS",
    "CROSS_NETWORK_DIR",
    "POOLED_COLUMNS",
    "SOLUTION_TYPES",
    "Anchors",
    "SetSpec",
    "SynthesisResult",
    "SynthesisSettings",
    "attribute_table",
    "calibrate_conditions",
    "calibration_table",
    "compute_verdicts",
    "holds_in",
    "latest_verdicts",
    "lead_partner",
    "load_settings",
    "network_attributes",
    "plot_solution",
    "pool_cmo_results",
    "pooled_matrix",
    "read_cross_network_set",
    "read_cross_network_truth",
    "settings_path",
    "synthesise",
]
