"""The sections of a study report, in reading order, with their Dutch and English titles.

Shared by the report (:mod:`~netwerkonderzoek.story.report`), the RAMESES II checklist
(:mod:`.rameses`) and the notebook registry (:mod:`netwerkonderzoek.registry`).

Examples
--------
>>> section_title("heartbeat", "en")
'Heartbeat of the network'
"""

from __future__ import annotations

from ..figures import check_language

__all__ = ["REPORT_SECTIONS", "section_order", "section_title"]

# Reading order: key, Dutch title, English title.
REPORT_SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("summary", "Kernboodschappen", "Key messages"),
    (
        "changes",
        "Wat is er veranderd sinds de vorige evaluatie?",
        "What changed since the previous evaluation?",
    ),
    ("mission", "Missie en waardedefinitie", "Mission and value definition"),
    ("timeline", "Tijdlijn van het netwerk", "Timeline of the network"),
    ("network", "Het netwerk van partners", "The partner network"),
    ("heartbeat", "Hartslag van het netwerk", "Heartbeat of the network"),
    ("value-matrix", "Waardematrix", "Value matrix"),
    ("business-case", "Businesscases van de partners", "Partner business cases"),
    ("monetisation", "Monetisering", "Monetisation"),
    (
        "research-agenda",
        "Onderzoeksagenda van het netwerk",
        "The network's research agenda",
    ),
    ("programme-theory", "Programmatheorie", "Programme theory"),
    ("cmo-verdicts", "Oordelen over de CMO-configuraties", "CMO verdicts and evidence"),
    ("quotes", "Citaten bij de configuraties", "Quotes per configuration"),
    ("msc", "Meest significante verandering", "Most significant change"),
    (
        "theory-change",
        "Wat veranderde in de programmatheorie",
        "What changed in the programme theory",
    ),
    ("discussion", "Discussie en aanbevelingen", "Discussion and recommendations"),
    ("methods", "Verantwoording van de methode", "Methods"),
    ("other", "Overige analyses", "Other analyses"),
    ("rameses", "RAMESES II-checklist", "RAMESES II checklist"),
)
_ORDER = {key: i for i, (key, _, _) in enumerate(REPORT_SECTIONS)}


def section_order(key: str) -> int:
    """Position of a section in the report's reading order.

    Examples
    --------
    >>> section_order("summary"), section_order("mission"), section_order("rameses")
    (0, 2, 18)
    >>> sorted(["rameses", "msc", "summary"], key=section_order)
    ['summary', 'msc', 'rameses']
    """
    return _ORDER[key]


def section_title(key: str, language: str = "nl") -> str:
    """Title of a report section in ``language``; KeyError names the known keys.

    Examples
    --------
    >>> section_title("msc"), section_title("msc", "en")
    ('Meest significante verandering', 'Most significant change')
    >>> section_title("inleiding")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    KeyError: "unknown report section 'inleiding'; known: summary, changes, ..., rameses"
    """
    check_language(language)
    for name, nl, en in REPORT_SECTIONS:
        if name == key:
            return nl if language == "nl" else en
    raise KeyError(
        f"unknown report section {key!r}; known: {', '.join(k for k, _, _ in REPORT_SECTIONS)}"
    )
