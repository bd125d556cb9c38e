"""The study notebooks, named once: what each is for, where it runs, where it reports.

papermill keeps its engines in a registry; the project keeps its study
notebooks in one too. The runner asks it which notebooks are per network and
which run once across networks (the synthesis), and the report asks it which
section a notebook's untagged cells belong to. A researcher who adds a
notebook of their own registers it with :func:`register_notebook`; a notebook
in ``notebooks/`` that is not registered runs per network and reports only
its tagged cells.

Examples
--------
>>> registered_notebook("05_synthese").scope
'cross-network'
>>> [n.name for n in registered_notebooks("cross-network")]
['05_synthese']
>>> registered_notebook("01_netwerk").section
'network'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "SCOPES",
    "StudyNotebook",
    "register_notebook",
    "registered_notebook",
    "registered_notebooks",
]

#: Where a notebook runs: once per network, or once across all networks.
SCOPES = ("network", "cross-network")


@dataclass(frozen=True)
class StudyNotebook:
    """A registered study notebook.

    Attributes
    ----------
    name : str
        File name without ``.ipynb`` (``01_netwerk``).
    scope : {"network", "cross-network"}
        Run per network (``run NETWORK``, ``run --all``) or once across
        networks (``run --synthesis``).
    section : str or None
        The report section of the notebook's cells that carry no
        ``report-section:`` tag (a key of
        :data:`netwerkonderzoek.story.sections.REPORT_SECTIONS`); None: only
        tagged cells are reported.
    description : str
        What the notebook answers, in one line.
    """

    name: str
    scope: Literal["network", "cross-network"] = "network"
    section: str | None = None
    description: str = ""


_REGISTRY: dict[str, StudyNotebook] = {}


def register_notebook(
    name: str,
    *,
    scope: Literal["network", "cross-network"] = "network",
    section: str | None = None,
    description: str = "",
) -> StudyNotebook:
    """Register (or re-register) a study notebook under ``name``.

    Raises
    ------
    ValueError
        If ``scope`` is not one of :data:`SCOPES` or ``section`` is not a
        report section.

    Examples
    --------
    Registering a notebook again with its own settings changes nothing:

    >>> register_notebook(
    ...     "03_hartslag", section="heartbeat", description="the network's heartbeat"
    ... )
    StudyNotebook(name='03_hartslag', scope='network', section='heartbeat', description="the network's heartbeat")
    >>> register_notebook("08_eigen", scope="programme")
    Traceback (most recent call last):
    ...
    ValueError: scope must be one of network, cross-network; got 'programme'
    """
    from .story.sections import REPORT_SECTIONS

    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {', '.join(SCOPES)}; got {scope!r}")
    keys = [key for key, _, _ in REPORT_SECTIONS]
    if section is not None and section not in keys:
        raise ValueError(f"unknown report section {section!r}; known: {', '.join(keys)}")
    notebook = StudyNotebook(name, scope, section, description)
    _REGISTRY[name] = notebook
    return notebook


def registered_notebook(name: str) -> StudyNotebook:
    """The registered notebook ``name``, or a per-network notebook without a section.

    Examples
    --------
    >>> registered_notebook("04_waarde").section
    'value-matrix'
    >>> registered_notebook("08_eigen")
    StudyNotebook(name='08_eigen', scope='network', section=None, description='')
    """
    return _REGISTRY.get(name, StudyNotebook(name))


def registered_notebooks(scope: str | None = None) -> list[StudyNotebook]:
    """The registered notebooks (of one ``scope``), in name order.

    Examples
    --------
    >>> [notebook.name for notebook in registered_notebooks("cross-network")]
    ['05_synthese']
    >>> [notebook.name for notebook in registered_notebooks()][:3]
    ['01_netwerk', '02_cmo_toetsing', '03_hartslag']
    """
    return [nb for name, nb in sorted(_REGISTRY.items()) if scope is None or nb.scope == scope]


# The project's own notebooks (their sections are checked by the tests, so
# importing the registry does not import the report machinery).
for _notebook in (
    StudyNotebook("01_netwerk", "network", "network", "the partner network and its change"),
    StudyNotebook("02_cmo_toetsing", "network", "cmo-verdicts", "the programme theory tested"),
    StudyNotebook("03_hartslag", "network", "heartbeat", "the network's heartbeat"),
    StudyNotebook("04_waarde", "network", "value-matrix", "value matrix and business cases"),
    StudyNotebook("05_synthese", "cross-network", None, "what works across networks (QCA)"),
    StudyNotebook("06_verhaal", "network", None, "the story: quotes and most significant change"),
    StudyNotebook("07_kernboodschappen", "network", None, "key messages and discussion"),
):
    _REGISTRY[_notebook.name] = _notebook
del _notebook
