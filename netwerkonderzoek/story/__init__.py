"""The story of the network: timeline, report assembly and the RAMESES II checklist.

- :mod:`~netwerkonderzoek.story.timeline`: :func:`plot_timeline`,
  :func:`timeline_table`, :func:`outcome_series`.
- :mod:`~netwerkonderzoek.story.summary`: :func:`data_overview`,
  :func:`theory_changes`.
- :mod:`~netwerkonderzoek.story.report`: :func:`build_report` and the
  ``report-section:<key>`` cell-tag convention.
- :mod:`~netwerkonderzoek.story.rameses`: :func:`rameses_checklist`.
- :mod:`~netwerkonderzoek.story.display`: :func:`text_table`, the escaped view
  of tables of free text (quotes, stories).
- :mod:`~netwerkonderzoek.story.present`: :func:`present`, the presentation view
  of an analysis table (labels, codes and numbers in the report language), and
  :func:`paragraphs`.

Coded observations, quotes and most-significant-change stories are in
:mod:`netwerkonderzoek.qualitative`.
"""

from .display import TextTable, text_table
from .messages import (
    DISCUSSION_FILE,
    Discussion,
    KeyMessages,
    discussion,
    discussion_path,
    key_messages,
)
from .partner_report import build_partner_reports, partner_blocks
from .present import (
    Paragraphs,
    PresentedTable,
    paragraphs,
    present,
    present_matrix,
    present_pivot,
)
from .rameses import RAMESES_DOI, RAMESES_ITEMS, RAMESES_LABELS, rameses_checklist
from .report import (
    REPORT_SECTIONS,
    TAG_PREFIX,
    build_report,
    collect_sections,
    notebook_sections,
    section_title,
)
from .summary import PROPOSALS, data_overview, theory_changes
from .timeline import outcome_series, plot_timeline, timeline_table

__all__ = [
    "DISCUSSION_FILE",
    "PROPOSALS",
    "RAMESES_DOI",
    "RAMESES_ITEMS",
    "RAMESES_LABELS",
    "REPORT_SECTIONS",
    "TAG_PREFIX",
    "Discussion",
    "KeyMessages",
    "Paragraphs",
    "PresentedTable",
    "TextTable",
    "build_partner_reports",
    "build_report",
    "collect_sections",
    "data_overview",
    "discussion",
    "discussion_path",
    "key_messages",
    "notebook_sections",
    "outcome_series",
    "paragraphs",
    "partner_blocks",
    "plot_timeline",
    "present",
    "present_matrix",
    "present_pivot",
    "rameses_checklist",
    "section_title",
    "text_table",
    "theory_changes",
    "timeline_table",
]
