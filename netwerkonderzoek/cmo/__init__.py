"""Programme theory: CMO configurations, their evidence and verdicts.

- :mod:`~netwerkonderzoek.cmo.model`: :class:`Context`, :class:`Mechanism`,
  :class:`Outcome`, :class:`CMOConfiguration`, :class:`ProgrammeTheory`;
  :func:`diff`.
- :mod:`~netwerkonderzoek.cmo.io`: :func:`load_theory`, :func:`save_theory`.
- :mod:`~netwerkonderzoek.cmo.expression`: safe context expressions.
- :mod:`~netwerkonderzoek.cmo.evidence`: :class:`EvidenceItem`, the
  :func:`ledger` and :func:`verdicts`.
- :mod:`~netwerkonderzoek.cmo.plot`: the evidence matrix and an effect plot.

Testing configurations against data lives in :mod:`netwerkonderzoek.stats`.
"""

from .evidence import (
    EVIDENCE_DIRECTIONS,
    EVIDENCE_KINDS,
    LEDGER_COLUMNS,
    RULES,
    VERDICT_COLUMNS,
    VERDICTS,
    EvidenceItem,
    VerdictRule,
    ledger,
    refinements,
    verdicts,
)
from .expression import Expression, parse_expression
from .io import load_theory, save_theory
from .model import CMOConfiguration, Context, Mechanism, Outcome, ProgrammeTheory, diff
from .plot import plot_effects, plot_evidence_matrix

__all__ = [
    "EVIDENCE_DIRECTIONS",
    "EVIDENCE_KINDS",
    "LEDGER_COLUMNS",
    "RULES",
    "VERDICTS",
    "VERDICT_COLUMNS",
    "CMOConfiguration",
    "Context",
    "EvidenceItem",
    "Expression",
    "Mechanism",
    "Outcome",
    "ProgrammeTheory",
    "VerdictRule",
    "diff",
    "ledger",
    "load_theory",
    "parse_expression",
    "plot_effects",
    "plot_evidence_matrix",
    "refinements",
    "save_theory",
    "verdicts",
]
