"""Harmonise the fragmented data partners send into canonical tables.

Partners drop their exports in ``data/raw/<network_id>/`` (never edited by
the tool); the network configuration describes each once under ``sources``
(which canonical table it feeds, format, sheet, header row, column mapping,
units, period format, partner id). :func:`harmonise_network` turns them into
``data/<network_id>/<table>.csv`` with provenance, a quarantine of every row
not accepted and a report; :func:`needs_harmonisation` tells whether the raw
files changed since. See :mod:`.pipeline` for the steps and outputs,
:mod:`.parse` for the numbers, periods and units understood.
"""

from .convert import QUARANTINE_COLUMNS, convert_source
from .errors import HarmoniseError
from .pipeline import HarmonisationResult, harmonise_network, needs_harmonisation, raw_dir_of
from .report import REPORT_COLUMNS, format_report

__all__ = [
    "QUARANTINE_COLUMNS",
    "REPORT_COLUMNS",
    "HarmonisationResult",
    "HarmoniseError",
    "convert_source",
    "format_report",
    "harmonise_network",
    "needs_harmonisation",
    "raw_dir_of",
]
