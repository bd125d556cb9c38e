"""The RAMESES II reporting checklist for realist evaluations, mapped to report sections.

Wong et al. (2016) list 20 items a realist evaluation report should cover.
:data:`RAMESES_ITEMS` maps each item to the report sections
(:data:`netwerkonderzoek.story.report.REPORT_SECTIONS`) that can cover it;
:func:`rameses_checklist` says, for the sections present in a report, which
section covers each item or that it is missing. ``title`` is always present
(the report's title).

References
----------
Wong, G., Westhorp, G., Manzano, A., Greenhalgh, J., Jagosh, J., &
Greenhalgh, T. (2016). RAMESES II reporting standards for realist
evaluations. *BMC Medicine* 14, 96. https://doi.org/10.1186/s12916-016-0643-1

Examples
--------
>>> from netwerkonderzoek.story.rameses import rameses_checklist
>>> table = rameses_checklist(["mission", "methods"], language="en")
>>> table.loc[table["item"] == 6, "status"].item()
'missing'
>>> len(table)
20
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..figures import check_language

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["RAMESES_DOI", "RAMESES_ITEMS", "rameses_checklist"]

RAMESES_DOI = "10.1186/s12916-016-0643-1"

# (item, Dutch title, English title, section keys that can cover it)
RAMESES_ITEMS: tuple[tuple[int, str, str, tuple[str, ...]], ...] = (
    (1, "Titel", "Title", ("title",)),
    (2, "Samenvatting", "Summary or abstract", ("summary",)),
    (3, "Aanleiding voor de evaluatie", "Rationale for evaluation", ("mission",)),
    (4, "Programmatheorie", "Programme theory", ("programme-theory",)),
    (
        5,
        "Evaluatievragen, doelen en focus",
        "Evaluation questions, objectives and focus",
        ("mission",),
    ),
    (6, "Ethische toetsing", "Ethical approval", ("ethics",)),
    (
        7,
        "Waarom realistische evaluatie",
        "Rationale for using realist evaluation",
        ("methods",),
    ),
    (
        8,
        "Omgeving van de evaluatie",
        "Environment surrounding the evaluation",
        ("timeline", "network"),
    ),
    (
        9,
        "Beschrijving van het programma",
        "Description of the programme evaluated",
        ("mission", "programme-theory"),
    ),
    (10, "Opzet van de evaluatie", "Description and justification of the design", ("methods",)),
    (11, "Dataverzameling", "Data collection methods", ("methods",)),
    (12, "Werving en steekproef", "Recruitment process and sampling strategy", ("methods",)),
    (13, "Analyse", "Data analysis", ("methods", "cmo-verdicts")),
    (14, "Deelnemers", "Details of participants", ("network", "methods")),
    (
        15,
        "Belangrijkste bevindingen",
        "Main findings",
        ("heartbeat", "value-matrix", "business-case", "cmo-verdicts", "quotes", "msc"),
    ),
    (16, "Samenvatting van de bevindingen", "Summary of findings", ("summary",)),
    (
        17,
        "Sterke punten, beperkingen en vervolgonderzoek",
        "Strengths, limitations and future research directions",
        ("summary", "discussion", "research-agenda"),
    ),
    (18, "Vergelijking met de literatuur", "Comparison with existing literature", ("discussion",)),
    (
        19,
        "Conclusie en aanbevelingen",
        "Conclusion and recommendations",
        ("discussion", "theory-change"),
    ),
    (
        20,
        "Financiering en belangenverstrengeling",
        "Funding and conflict of interest",
        ("funding",),
    ),
)


def rameses_checklist(sections: Iterable[str], language: str = "nl") -> pd.DataFrame:
    """For each RAMESES II item: the report sections covering it, or *missing*.

    Parameters
    ----------
    sections : iterable of str
        Keys of the sections the report holds (``title`` is always counted).
    language : {"nl", "en"}

    Returns
    -------
    DataFrame
        ``item`` (1-20), ``title``, ``sections`` (section titles joined by
        ``; ``, empty when missing), ``status`` (``gedekt``/``ontbreekt`` in
        Dutch, ``covered``/``missing`` in English).

    Examples
    --------
    >>> rameses_checklist(["programme-theory", "methods"], language="en").head(4)
       item                     title          sections   status
    0     1                     Title      Report title  covered
    1     2       Summary or abstract                    missing
    2     3  Rationale for evaluation                    missing
    3     4          Programme theory  Programme theory  covered
    >>> rameses_checklist([]).loc[[0, 3], ["title", "status"]]
                  title     status
    0             Titel     gedekt
    3  Programmatheorie  ontbreekt
    """
    import pandas as pd

    from .sections import section_title

    check_language(language)
    present = set(sections) | {"title"}
    rows = []
    for item, nl, en, keys in RAMESES_ITEMS:
        found = [k for k in keys if k in present]
        titles = [
            ("Titel van het rapport" if language == "nl" else "Report title")
            if k == "title"
            else section_title(k, language)
            for k in found
        ]
        covered = bool(found)
        if language == "nl":
            status = "gedekt" if covered else "ontbreekt"
        else:
            status = "covered" if covered else "missing"
        rows.append(
            {
                "item": item,
                "title": nl if language == "nl" else en,
                "sections": "; ".join(titles),
                "status": status,
            }
        )
    return pd.DataFrame(rows, columns=["item", "title", "sections", "status"])


#: Column labels of the checklist for :func:`~netwerkonderzoek.story.present.present`.
RAMESES_LABELS = {
    "item": ("Item", "Item", "int"),
    "title": ("Onderdeel (RAMESES II)", "Item (RAMESES II)", "text"),
    "sections": ("Onderdelen van dit rapport", "Sections of this report", "text"),
    "status": ("Status", "Status", "text"),
}
