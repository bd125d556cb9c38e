"""Harmonise the fragmented data partners send into canonical tables.

Partners drop their exports in ``data/raw/<network_id>/`` (never edited by
the tool); the network configuration describes each once under ``sources``
(which canonical table it feeds, format, sheet, header row, column mapping,
units, period format, partner id). :func:`harmonise_network` turns them into
``data/<network_id>/<table>.csv`` with provenance, a quarantine of every row
not accepted and a report; :func:`needs_harmonisation` tells whether the raw
files changed since. See :mod:`.pipeline` for the steps and outputs,
:mod:`.parse` for the numbers, periods and units understood.

Personal data
-------------
Unit-level data are pseudonymised here, at harmonisation, and direct
identifiers are refused (:mod:`.personal`):

- a ``units`` source names its column of person ids under ``person_id``;
  each id becomes the canonical ``unit_id`` as a keyed pseudonym
  (HMAC-SHA256, :func:`netwerkonderzoek.privacy.pseudonymise`), so the same
  key links a person's waves and another key gives other ids. The other
  units columns (``wave``, ``area`` and numeric attributes, exposures and
  outcomes under any name) are mapped under ``columns``; an attribute whose
  values are all whole numbers is written as integers;
- the key comes from ``$NETWERKONDERZOEK_KEY`` or ``privacy.key_file``
  (relative to the configuration folder); without one, harmonising a units
  source stops with a :class:`~netwerkonderzoek.privacy.PrivacyError` before
  anything is read or written;
- in every source, every raw column (mapped or not, except ``person_id``)
  is checked for names, addresses, phone numbers, e-mail addresses and BSNs
  (:func:`netwerkonderzoek.privacy.detect_identifiers`); one not listed under
  the source's ``drop`` stops harmonisation with a ``PrivacyError`` naming
  the file, the column, the kind and how many values look like one;
- ``drop`` columns reach no output; ``harmonisation/report.csv`` lists them
  per source (``dropped_columns``) with the number of non-empty values
  dropped (``dropped_values``). The quarantine shows a units row with its
  pseudonym in place of the raw person id, and withholds the text of lines
  that cannot be split into fields in such a source.
"""

from .convert import QUARANTINE_COLUMNS, convert_source
from .errors import HarmoniseError
from .pipeline import (
    HarmonisationResult,
    harmonise_network,
    needs_harmonisation,
    pseudonymisation_key,
    raw_dir_of,
)
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
    "pseudonymisation_key",
    "raw_dir_of",
]
