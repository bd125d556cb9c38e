"""The network's heartbeat: health indicators watched over time, on control charts.

- :mod:`.panel`: the heartbeat panel (participation, density, trust, value,
  hours, meeting load per wave or month) on the control charts of
  :mod:`.spc`, read with the network's ``heartbeat:`` settings, its plot and
  the paragraph that says what it shows.
- :mod:`.spc`: statistical process control of one indicator series as public
  services practise it: XmR and Laney p′/u′ charts, the rule sets of Making
  Data Count, Anhøj's runs analysis and Western Electric, frozen baselines,
  phases with a reason, the direction of every signal and the assurance
  against a target.

Examples
--------
>>> from netwerkonderzoek.heartbeat import runs_analysis
>>> result = runs_analysis([3, 1, 4, 1, 5, 3, 2, 6, 5, 3])  # median 3: three points on it
>>> result["n_useful"], result["longest_run"], result["crossings"]
(7, 2, 5)
"""

from .panel import (
    HEARTBEAT_INDICATORS,
    INDICATOR_DIRECTIONS,
    INDICATOR_RANGES,
    heartbeat,
    heartbeat_indicators,
    heartbeat_signals,
    plot_heartbeat,
    signal_summary,
)
from .spc import (
    CHARTS,
    D2,
    DIRECTION_COLOURS,
    MIN_POINTS,
    RULE_SETS,
    SPC_BASELINE,
    Phase,
    indicator_spc,
    plot_indicator_spc,
    plot_spc,
    runs_analysis,
    signal_label,
    spc,
    spc_rules_text,
    spc_summary,
)

__all__ = [
    "CHARTS",
    "D2",
    "DIRECTION_COLOURS",
    "HEARTBEAT_INDICATORS",
    "INDICATOR_DIRECTIONS",
    "INDICATOR_RANGES",
    "MIN_POINTS",
    "RULE_SETS",
    "SPC_BASELINE",
    "Phase",
    "heartbeat",
    "heartbeat_indicators",
    "heartbeat_signals",
    "indicator_spc",
    "plot_heartbeat",
    "plot_indicator_spc",
    "plot_spc",
    "runs_analysis",
    "signal_label",
    "signal_summary",
    "spc",
    "spc_rules_text",
    "spc_summary",
]
