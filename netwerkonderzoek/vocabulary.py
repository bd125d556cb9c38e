"""The project's vocabulary: every fixed set of words the data, config and theory use.

One module, imported by the others, so a kind, a perspective or a verdict is
spelled in one place (``tables``, ``config``, ``cmo`` and ``network`` used to
keep their own copies). It imports nothing, so any module can use it.

Examples
--------
>>> from netwerkonderzoek import vocabulary as v
>>> v.PERSPECTIVES
('societal', 'network', 'partner')
>>> import re; bool(re.match(v.SLUG_PATTERN, "wijk-noord")), bool(re.match(v.SLUG_PATTERN, "../x"))
(True, False)
"""

from __future__ import annotations

__all__ = [
    "EVENT_KINDS",
    "EVIDENCE_DIRECTIONS",
    "FORMS",
    "MSC_DOMAINS",
    "PARTNER_KINDS",
    "PERSPECTIVES",
    "RATINGS",
    "SLUG_PATTERN",
    "SOURCE_ROLES",
    "STAKEHOLDER_GROUPS",
    "STANCES",
    "STUDY_KINDS",
    "STUDY_STATUSES",
    "STUDY_TABLES",
    "TIE_TYPES",
    "TRUST_RATINGS",
    "VALUE_RATINGS",
    "VERDICTS",
]

#: Identifiers of networks, partners, configurations and studies: lowercase
#: letters, digits and hyphens, starting with a letter or digit.
SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]*$"

#: Kinds of partner organisation.
PARTNER_KINDS = ("municipality", "housing", "care", "welfare", "energy", "residents", "other")
#: Layers of the partner network: the types of tie the survey asks about.
TIE_TYPES = ("information", "joint_delivery", "shared_resources", "shared_clients")
#: PARTNER tool (Varda et al. 2008): trust is reliability, mission support and
#: openness to discussion; value is power/influence, involvement and resources.
TRUST_RATINGS = ("reliability", "mission_support", "open_discussion")
VALUE_RATINGS = ("power_influence", "involvement", "resource_contribution")
#: Every rating of a tie, in the order of the ties table.
RATINGS = (*VALUE_RATINGS, *TRUST_RATINGS)

#: The three value perspectives (for society, for the network, for partners).
PERSPECTIVES = ("societal", "network", "partner")
#: The two forms of value: direct and indirect.
FORMS = ("direct", "indirect")

#: Who an observation comes from.
SOURCE_ROLES = ("resident", "partner", "professional", "funder", "network_manager")
#: Kinds of event on the network's timeline.
EVENT_KINDS = ("policy", "funding", "partner_joins", "partner_leaves", "milestone")
#: Domains of Most Significant Change stories.
MSC_DOMAINS = ("bewoners", "organisatie", "samenwerking")
#: Directions of evidence a coded observation can carry about a configuration.
STANCES = ("supports", "contradicts", "refines", "neutral")

#: What one item of evidence says about a configuration.
EVIDENCE_DIRECTIONS = ("supports", "contradicts", "refines", "inconclusive", "insufficient_data")
#: Verdicts on a CMO configuration (``insufficient_data`` when valid
#: inference is impossible).
VERDICTS = ("supported", "contradicted", "refined", "inconclusive", "insufficient_data")

#: Stakeholder groups that rate the network's value (the appreciation table)
#: and that a study can ask (``studies[].collects[].groups``).
STAKEHOLDER_GROUPS = ("residents", "partners", "funders")
#: Kinds of study on a network's research agenda (``studies[].kind``).
STUDY_KINDS = (
    "action_research",
    "developmental_evaluation",
    "realist_evaluation",
    "monitoring",
    "other",
)
#: Where a study on the research agenda stands (``studies[].status``).
STUDY_STATUSES = ("planned", "running", "finished")
#: Canonical tables a study can collect data for (``studies[].collects[].table``).
STUDY_TABLES = (
    "ties",
    "contributions",
    "indicators",
    "units",
    "observations",
    "events",
    "appreciation",
)
