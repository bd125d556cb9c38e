"""Harmonise the fragmented data partners send into canonical tables.

Partners drop their exports in ``data/raw/<network_id>/`` (never edited by
the tool); the network configuration describes each once under ``sources``
(which canonical table it feeds, format, sheet, header row, column mapping,
units, period format, partner id). :func:`harmonise_network` turns them into
``data/<network_id>/<table>.csv`` with provenance, a quarantine of every row
not accepted and a report; :func:`needs_harmonisation` tells whether the raw
files changed since (:func:`harmonisation_reason` says why). A source that is
entirely, or above ``harmonisation.max_quarantine_share`` (default 0.5),
quarantined fails the harmonisation (:func:`quarantine_problems`): the
command exits 1, and a run refuses the network until it is fixed. See :mod:`.pipeline` for the steps and outputs,
:mod:`.parse` for the numbers, periods and units understood.

Recoding and wide tables
------------------------
A source may recode any column and read a wide table (:mod:`.recode`,
:mod:`.unpivot`, :mod:`.ages`):

- ``values`` maps raw values to canonical ones on every column: on a number
  column (``wave``, ``hours``, a units attribute) to numbers, strictly (a value
  outside the map is quarantined as ``not in map``, naming the value and the
  values expected); on a plain text column (``activity``, ``area``) strictly as
  well; on category and id columns as before (the column's own check names
  what is allowed). ``yes_no`` and ``t_number`` are built-in maps: yes/no
  answers to 1/0, measurement labels ``T<n>`` to wave ``n + 1``;
- ``missing_markers`` (a map, or ``cbs``: ``.`` and ``x`` missing, ``-`` zero)
  reads statistics-office markers in number columns, counted per marker in
  the report's ``conversions``;
- ``unpivot`` reads a table with months or indicators as columns as one
  record per row and value column; the report counts records as rows read;
- ``age`` derives an age in whole years from a birth date column listed
  under ``drop``, as of the row's wave date or a fixed date.

Unsafe cells
------------
Canonical tables and the quarantine are CSV files people open in a
spreadsheet, so harmonisation writes no cell a spreadsheet would run or
choke on (:mod:`.convert`):

- a text cell of a canonical table (after ``values`` and ``partner_names``
  mapping) is quarantined when it looks like a spreadsheet formula: it starts
  with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return) and is not a
  number (``-2.5`` is kept; ``-2+3+cmd`` is not), reason ``looks like a
  spreadsheet formula`` (OWASP, "CSV Injection"); when it holds a control
  character (C0 other than tab, line feed and carriage return, or DEL), reason
  ``holds a control character``; when it is longer than
  :data:`netwerkonderzoek.tables.MAX_CELL_LENGTH` (10,000) characters, the
  validator's limit, reason ``cell holds N characters; at most 10,000 are
  accepted``. Numeric columns accept negative numbers as before; text in them
  is ``not a number``;
- in ``quarantine.csv`` the raw text of a row has control characters written
  as ``\\xNN``, is cut after 500 characters with a marker saying how many were
  cut, and gets a leading ``'`` when it would start with ``= + - @`` (tab, CR),
  as OWASP recommends. Values quoted in reasons are shortened as
  :mod:`netwerkonderzoek.tables` shortens values in faults;
- a header row that names a column more than once is a
  :class:`HarmoniseError` naming the file, the header row and the names;
- an XLSX formula cell without a saved value (a workbook written by a
  program, never opened in Excel) is quarantined with that reason;
- a source with no data rows below its header is flagged in the terminal
  summary (:func:`format_report`).

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

Partner-network surveys and the partner list
--------------------------------------------
A ``ties`` source with a ``survey`` key is a survey-tool export (LimeSurvey,
Qualtrics, Microsoft Forms, SPSS ``.sav``), one row per response, converted
by :mod:`.survey` (shapes in :mod:`.survey_read`, column roles in
:mod:`.survey_columns`) into one wave of ties: roster and matrix questions
per tie type, yes/no as present/absent, Likert labels to 1-4, PARTNER
relationship intensity as ``weight``, "Weet niet" / "n.v.t." as missing,
metadata ignored and counted, personal columns refused unless dropped. The
report counts responses (``accepted``) and the ties they gave
(``canonical_rows``). Per wave and partner ``survey_response.csv`` says
who responded (non-response: unknown outgoing ties, not zero);
``survey_respondents.csv`` holds the answers to questions about the network
as a whole. Both are written beside the canonical tables and hashed in the
state.

Partner names in every source are matched against the partner list
(:mod:`.partners`: ``partners.csv`` with an optional ``aliases`` column),
forgiving case, accents and spacing, after the source's own
``partner_names``; a name that matches nothing is quarantined (or, in a
survey column heading, an error) naming the closest known name.
Coded interviews
----------------
An ``observations`` source with ``coded_segments`` is a qualitative analysis
tool's export: a coded-segment table of MAXQDA, ATLAS.ti or NVivo
(:mod:`.segments`, presets of their headers) or a REFI-QDA ``.qdpx`` project
(:mod:`.qdpx`). :mod:`.qda` makes one observation per segment with all its
codes, maps the codes through the network's ``codebook`` to configuration
ids and directions (column ``stance``; ``sentiment`` empty), takes date, role
and partner from a document table or the project's variables, and
quarantines (or, by ``codebook.unmapped``, keeps or refuses) codes the book
does not map, counting them in the report. ``rows_read`` counts segment x
code rows (qdpx: codings).
"""

from .convert import QUARANTINE_COLUMNS, convert_source
from .errors import HarmoniseError
from .partners import PartnerList, normalise_name
from .pipeline import (
    HarmonisationResult,
    harmonisation_reason,
    harmonise_network,
    needs_harmonisation,
    pseudonymisation_key,
    raw_dir_of,
)
from .report import REPORT_COLUMNS, format_report, quarantine_problems
from .survey import RESPONDENT_COLUMNS, RESPONSE_COLUMNS, convert_survey

__all__ = [
    "QUARANTINE_COLUMNS",
    "REPORT_COLUMNS",
    "RESPONDENT_COLUMNS",
    "RESPONSE_COLUMNS",
    "HarmonisationResult",
    "HarmoniseError",
    "PartnerList",
    "convert_source",
    "convert_survey",
    "format_report",
    "harmonisation_reason",
    "harmonise_network",
    "needs_harmonisation",
    "normalise_name",
    "pseudonymisation_key",
    "quarantine_problems",
    "raw_dir_of",
]
