"""The presentation view of a table: what a report shows, in the reader's language.

The analysis tables (``tables/*.csv``) keep English column names, codes and
full precision: they are for machines. :func:`present` is the one layer
every table of a notebook and the report goes through:

- **Labels** of columns from :data:`COLUMNS` (Dutch, English and the kind of
  quantity), codes in cells (``supports``, ``societal``, ``resident``,
  ``True``) from :data:`VALUES` and the figure vocabulary
  (:data:`netwerkonderzoek.figures.VOCABULARY`). A column the catalogue does
  not know is a :class:`KeyError` (found by the tests, not by a reader),
  unless ``labels`` names it.
- **Numbers** through Babel (``nl_NL``: decimal comma, thousands dot;
  ``en_GB``), with a precision that fits the quantity: counts whole,
  measures with two or three decimals, shares as percentages, amounts in
  euros, p-values as ``< 0,001`` below a thousandth. Never scientific
  notation.
- **Missing** cells read *geen gegevens* (*no data*); no index; text is never
  cut (long text wraps in the HTML).
- **Escaped**: every header and cell is HTML-escaped (a quote holding markup
  stays text).

:class:`PresentedTable` holds the formatted strings (``frame``), the caption
and the column kinds, and renders itself as HTML for notebooks and the report.

Examples
--------
>>> import pandas as pd
>>> t = present(pd.DataFrame({"cmo_id": ["cmo-01"], "verdict": ["supported"],
...     "p_value": [4.3e-07], "estimate": [0.195093], "n": [2100]}))
>>> t.frame.to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
[{'Configuratie': 'cmo-01', 'Oordeel': 'Bevestigd', 'p-waarde': '< 0,001',
  'Schatting': '0,195', 'Aantal': '2.100'}]
>>> present(pd.DataFrame({"response_rate": [0.5, None]}), language="en").frame.iloc[:, 0].tolist()
['50.0%', 'no data']
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from ..figures import VOCABULARY, check_language
from ..vocabulary import SOURCE_ROLES

__all__ = [
    "COLUMNS",
    "COLUMN_VALUES",
    "TABLE_MIME",
    "TEXT_MIME",
    "VALUES",
    "Paragraphs",
    "PresentedTable",
    "format_value",
    "paragraphs",
    "present",
    "present_matrix",
    "present_pivot",
]

#: Per column: (Dutch label, English label, kind). Kinds: ``int`` (whole),
#: ``d1``/``d2``/``d3`` (decimals), ``pct`` (a share 0-1 as a percentage),
#: ``eur`` (euros), ``p`` (a p-value), ``code`` (translated), ``bool``,
#: ``text`` (free text, as it is), ``id`` (an identifier, as it is), ``date``
#: (a day, written ``5 jul 2022``).
COLUMNS: dict[str, tuple[str, str, str]] = {
    "adjusted_rand": ("Aangepaste Rand-index", "Adjusted Rand index", "d2"),
    "after": ("Na", "After", "code"),
    "alpha": ("Significantieniveau", "Significance level", "d2"),
    "appreciation": ("Waardering (1-10)", "Appreciation (1-10)", "d1"),
    "appreciation_sd": ("Spreiding waardering (sd)", "Spread of appreciation (sd)", "d1"),
    "appreciation_slope": ("Trend waardering per meting", "Appreciation trend per wave", "d2"),
    "appreciation_status": ("Status waardering", "Appreciation status", "code"),
    "average_degree": ("Gemiddeld aantal relaties", "Average degree", "d1"),
    "baseline": ("Basiswaarde", "Baseline", "d2"),
    "basis": ("Grondslag", "Basis", "code"),
    "before": ("Voor", "Before", "code"),
    "betweenness": ("Tussenpositie", "Betweenness", "d3"),
    "betweenness_centralization": (
        "Centralisatie tussenpositie",
        "Betweenness centralization",
        "d3",
    ),
    "betweenness_sampled": ("Tussenpositie geschat uit steekproef", "Betweenness sampled", "bool"),
    "centre": ("Centrumlijn", "Centre line", "d2"),
    "change": ("Verandering", "Change", "d2"),
    "change_raw": ("Verandering (ruw)", "Change (raw)", "d2"),
    "ci_high": ("Bovengrens 95%-interval", "Upper 95% limit", "d3"),
    "ci_high_out": ("Bovengrens buiten context", "Upper limit outside context", "d3"),
    "ci_low": ("Ondergrens 95%-interval", "Lower 95% limit", "d3"),
    "ci_low_out": ("Ondergrens buiten context", "Lower limit outside context", "d3"),
    "cmo_id": ("Configuratie", "Configuration", "id"),
    "cmo_ids": ("Configuraties", "Configurations", "id"),
    "code": ("Code", "Code", "code"),
    "community": ("Gemeenschap", "Community", "int"),
    "components": ("Componenten", "Components", "int"),
    "constraint": ("Beperking (Burt)", "Constraint (Burt)", "d3"),
    "context": ("Context", "Context", "text"),
    "coordinator": ("Coördinator", "Coordinator", "int"),
    "core": ("Kern", "Core", "bool"),
    "coreness": ("Kernpositie", "Coreness", "d2"),
    "coreness_after": ("Kernpositie na", "Coreness after", "d2"),
    "coreness_before": ("Kernpositie voor", "Coreness before", "d2"),
    "costs_eur": ("Kosten (€)", "Costs (€)", "eur"),
    "costs_per_month": ("Kosten per maand (€)", "Costs per month (€)", "eur"),
    "date": ("Datum", "Date", "date"),
    "degree": ("Aantal relaties", "Degree", "int"),
    "degree_centralization": ("Centralisatie", "Degree centralization", "d3"),
    "density": ("Dichtheid", "Density", "d3"),
    "description": ("Omschrijving", "Description", "text"),
    "direction": ("Richting", "Direction", "code"),
    "disagree": ("Groepen verschillen", "Groups disagree", "bool"),
    "disagreement_range": ("Verschil tussen groepen", "Range between groups", "d1"),
    "expression": ("Afbakening in de gegevens", "Expression", "text"),
    "exposure": ("Blootstelling (kolom)", "Exposure (column)", "text"),
    "eigenvector": ("Eigenvectorcentraliteit", "Eigenvector centrality", "d3"),
    "estimate": ("Schatting", "Estimate", "d3"),
    "estimate_out": ("Schatting buiten context", "Estimate outside context", "d3"),
    "flag": ("Onder druk", "Under pressure", "bool"),
    "form": ("Vorm", "Form", "code"),
    "gained": ("Nieuwe relaties", "Ties gained", "int"),
    "gatekeeper": ("Poortwachter", "Gatekeeper", "int"),
    "hours": ("Uren", "Hours", "d1"),
    "hours_growth": ("Groei uren per meting", "Growth of hours per wave", "pct"),
    "hours_per_month": ("Uren per maand", "Hours per month", "d1"),
    "in_degree": ("Ontvangen relaties", "In-degree", "int"),
    "indicator": ("Indicator", "Indicator", "code"),
    "indicator_id": ("Indicator", "Indicator", "id"),
    "indicator_label": ("Indicator", "Indicator", "text"),
    "itinerant": ("Consultant", "Itinerant", "int"),
    "jaccard": ("Overlap (Jaccard)", "Overlap (Jaccard)", "d2"),
    "joined": ("Toegetreden", "Joined", "id"),
    "kind": ("Soort", "Kind", "code"),
    "label": ("Omschrijving", "Label", "text"),
    "last_appreciation": ("Laatste eigen waardering", "Last own appreciation", "d1"),
    "last_partner_value": ("Laatste waarde volgens partners", "Last value by partners", "d2"),
    "layer": ("Soort relatie", "Tie type", "code"),
    "layer_a": ("Soort relatie A", "Tie type A", "code"),
    "layer_b": ("Soort relatie B", "Tie type B", "code"),
    "left": ("Vertrokken", "Left", "id"),
    "level": ("Niveau", "Level", "d2"),
    "liaison": ("Verbinder", "Liaison", "int"),
    "limits": ("Grenzen", "Limits", "code"),
    "lost": ("Verdwenen relaties", "Ties lost", "int"),
    "lower": ("Ondergrens", "Lower limit", "d2"),
    "mean_sentiment": ("Gemiddeld sentiment", "Mean sentiment", "d2"),
    "measure": ("Maat", "Measure", "code"),
    "meeting_hours": ("Uren overleg", "Meeting hours", "d1"),
    "meeting_share": ("Aandeel overleg", "Share of meetings", "pct"),
    "members": ("Leden", "Members", "int"),
    "msc_domain": ("Domein", "Domain", "code"),
    "multiplexity": ("Meervoudigheid", "Multiplexity", "d2"),
    "n": ("Aantal", "Number", "int"),
    "n_contradicting": ("Weersprekend", "Contradicting", "int"),
    "n_contradicts": ("Weersprekend", "Contradicting", "int"),
    "n_inconclusive": ("Onbeslist", "Inconclusive", "int"),
    "n_items": ("Bewijsstukken", "Evidence items", "int"),
    "n_neutral": ("Neutraal", "Neutral", "int"),
    "n_ratings": ("Aantal oordelen", "Ratings", "int"),
    "n_refines": ("Verfijnend", "Refining", "int"),
    "n_refining": ("Verfijnend", "Refining", "int"),
    "n_supporting": ("Ondersteunend", "Supporting", "int"),
    "n_supports": ("Ondersteunend", "Supporting", "int"),
    "name": ("Naam", "Name", "text"),
    "non_respondents": ("Niet gereageerd", "Not responded", "text"),
    "note": ("Toelichting", "Note", "text"),
    "other_networks": ("Andere netwerken", "Other networks", "int"),
    "out_degree": ("Gegeven relaties", "Out-degree", "int"),
    "outcome": ("Uitkomst", "Outcome", "text"),
    "p_value": ("p-waarde", "p-value", "p"),
    "p_value_out": ("p-waarde buiten context", "p-value outside context", "p"),
    "partner_id": ("Partner", "Partner", "id"),
    "partner_value": ("Waarde volgens partners (1-4)", "Value by partners (1-4)", "d2"),
    "partners": ("Partners", "Partners", "int"),
    "period": ("Periode", "Period", "id"),
    "perspective": ("Perspectief", "Perspective", "code"),
    "programme_hours": ("Uren in het programma", "Hours in the programme", "d1"),
    "programme_networks": ("Netwerken in het programma", "Programme networks", "int"),
    "proxy_eur": ("Financiële proxy (€)", "Financial proxy (€)", "eur"),
    "reason": ("Reden", "Reason", "text"),
    "reciprocity": ("Wederkerigheid", "Reciprocity", "d3"),
    "refined_context": ("Verfijnde context", "Refined context", "text"),
    "representative": ("Vertegenwoordiger", "Representative", "int"),
    "resource": ("Hulpbron", "Resource", "text"),
    "responded": ("Gereageerd", "Responded", "int"),
    "response_rate": ("Respons", "Response rate", "pct"),
    "rated_ties": ("Beoordeelde relaties", "Rated ties", "int"),
    "selected": ("Gekozen", "Selected", "bool"),
    "sentiment": ("Sentiment", "Sentiment", "d2"),
    "signal": ("Signaal", "Signal", "code"),
    "source_role": ("Bron", "Source", "code"),
    "stakeholder_group": ("Belanghebbenden", "Stakeholder group", "code"),
    "stories": ("Verhalen", "Stories", "int"),
    "strength": ("Sterkte", "Strength", "d1"),
    "text": ("Tekst", "Text", "text"),
    "ties": ("Relaties", "Ties", "int"),
    "title": ("Gebeurtenis", "Event", "text"),
    "transitivity": ("Transitiviteit", "Transitivity", "d3"),
    "trust": ("Vertrouwen (1-4)", "Trust (1-4)", "d2"),
    "trust_ci_low": ("Vertrouwen: ondergrens 95%", "Trust: lower 95% limit", "d2"),
    "trust_ci_high": ("Vertrouwen: bovengrens 95%", "Trust: upper 95% limit", "d2"),
    "trust_se": ("Standaardfout vertrouwen", "Standard error of trust", "d3"),
    "trust_gap": ("Verschil in vertrouwen", "Trust gap", "d2"),
    "trust_reciprocity": ("Wederkerigheid vertrouwen", "Trust reciprocity", "d2"),
    "unit": ("Eenheid", "Unit", "text"),
    "upper": ("Bovengrens", "Upper limit", "d2"),
    "value": ("Waarde", "Value", "d2"),
    "value_ci_low": ("Waarde: ondergrens 95%", "Value: lower 95% limit", "d2"),
    "value_ci_high": ("Waarde: bovengrens 95%", "Value: upper 95% limit", "d2"),
    "value_se": ("Standaardfout waarde", "Standard error of value", "d3"),
    "value_slope": ("Trend waarde per meting", "Value trend per wave", "d2"),
    "verdict": ("Oordeel", "Verdict", "code"),
    "wave": ("Meting", "Wave", "int"),
    "from_wave": ("Van meting", "From wave", "int"),
    "to_wave": ("Naar meting", "To wave", "int"),
    "coordinator_expected": ("Coördinator verwacht", "Coordinator expected", "d1"),
    "coordinator_z": ("Coördinator z", "Coordinator z", "d2"),
    "design": ("Opzet", "Design", "code"),
    "df": ("Vrijheidsgraden", "Degrees of freedom", "int"),
    "field": ("Veld", "Field", "code"),
    "formula": ("Formule", "Formula", "text"),
    "gatekeeper_expected": ("Poortwachter verwacht", "Gatekeeper expected", "d1"),
    "gatekeeper_z": ("Poortwachter z", "Gatekeeper z", "d2"),
    "groups": ("Groepen", "Groups", "int"),
    "highest": ("Hoogste", "Highest", "text"),
    "in_strength": ("Ontvangen sterkte", "In-strength", "d1"),
    "indegree_centralization": ("Centralisatie ontvangen", "In-degree centralization", "d3"),
    "indicator_change": ("Verandering indicator", "Indicator change", "d2"),
    "inference": ("Toetsing", "Inference", "code"),
    "isolates": ("Geïsoleerde partners", "Isolates", "int"),
    "itinerant_expected": ("Consultant verwacht", "Itinerant expected", "d1"),
    "itinerant_z": ("Consultant z", "Itinerant z", "d2"),
    "joined_partners": ("Toegetreden partners", "Partners joined", "text"),
    "kept": ("Behouden relaties", "Ties kept", "int"),
    "left_partners": ("Vertrokken partners", "Partners left", "text"),
    "liaison_expected": ("Verbinder verwacht", "Liaison expected", "d1"),
    "liaison_z": ("Verbinder z", "Liaison z", "d2"),
    "lowest": ("Laagste", "Lowest", "text"),
    "method": ("Methode", "Method", "code"),
    "months": ("Maanden", "Months", "int"),
    "movement": ("Beweging", "Movement", "code"),
    "n_clusters": ("Aantal clusters", "Clusters", "int"),
    "n_exposed_in": ("Blootgesteld in context", "Exposed inside context", "int"),
    "n_exposed_out": ("Blootgesteld buiten context", "Exposed outside context", "int"),
    "n_unexposed_in": ("Niet blootgesteld in context", "Unexposed inside context", "int"),
    "n_unexposed_out": ("Niet blootgesteld buiten context", "Unexposed outside context", "int"),
    "new": ("Nieuw", "New", "text"),
    "nmi": ("Genormaliseerde wederzijdse informatie", "Normalised mutual information", "d2"),
    "number": ("Nummer", "Number", "int"),
    "old": ("Oud", "Old", "text"),
    "origin": ("Herkomst", "Origin", "code"),
    "out_strength": ("Gegeven sterkte", "Out-strength", "d1"),
    "outdegree_centralization": ("Centralisatie gegeven", "Out-degree centralization", "d3"),
    "outside_members": ("Antwoorden van niet-leden", "Answers from non-members", "int"),
    "proxy_source": ("Bron van de proxy", "Source of the proxy", "text"),
    "range": ("Bereik", "Range", "d2"),
    "raters": ("Beoordelaars", "Raters", "int"),
    "representative_expected": ("Vertegenwoordiger verwacht", "Representative expected", "d1"),
    "representative_z": ("Vertegenwoordiger z", "Representative z", "d2"),
    "row_type": ("Soort rij", "Row type", "code"),
    "rule": ("Regel", "Rule", "code"),
    "scale": ("Schaal", "Scale", "text"),
    "size": ("Omvang", "Size", "text"),
    "item": ("Item", "Item", "int"),
    "sections": ("Onderdelen van dit rapport", "Sections of this report", "text"),
    "status": ("Status", "Status", "code"),
    "se": ("Standaardfout", "Standard error", "d3"),
    "se_out": ("Standaardfout buiten context", "Standard error outside context", "d3"),
    "source": ("Bron", "Source", "code"),
    "statistic": ("Toetsingsgrootheid", "Statistic", "d2"),
    "subgroup": ("Subgroep", "Subgroup", "text"),
    "suppressed": ("Afgeschermd", "Suppressed", "text"),
    "trust_given": ("Gegeven vertrouwen", "Trust given", "d2"),
    "verdicts": ("Oordelen", "Verdicts", "text"),
    # the research agenda (netwerkonderzoek.value.agenda)
    "study_id": ("Onderzoek", "Study", "id"),
    "question": ("Onderzoeksvraag", "Research question", "text"),
    "start": ("Van", "From", "id"),
    "end": ("Tot en met", "Until", "id"),
}

#: Codes in cells that the figure vocabulary does not translate (Dutch, English).
VALUES: dict[str, tuple[str, str]] = {
    "True": ("ja", "yes"),
    "False": ("nee", "no"),
    "neutral": ("Neutraal", "Neutral"),
    "quantitative test": ("kwantitatieve toets", "quantitative test"),
    "qualitative": ("kwalitatief", "qualitative"),
    "quantitative": ("kwantitatief", "quantitative"),
    "increase": ("stijging gewenst", "increase wanted"),
    "decrease": ("daling gewenst", "decrease wanted"),
    "none": ("geen", "none"),
    "trial": ("voorlopig", "trial"),
    "frozen": ("vast", "frozen"),
    "indicator": ("indicator", "indicator"),
    "above": ("boven de bovengrens", "above the upper limit"),
    "below": ("onder de ondergrens", "below the lower limit"),
    "suppressed": ("afgeschermd", "suppressed"),
    "partners": ("Partners", "Partners"),
    "funders": ("Financiers", "Funders"),
    "meeting_share": ("Aandeel overleg", "Share of meetings"),
    "full": ("definitief", "full"),
    "changed": ("gewijzigd", "changed"),
    "added": ("toegevoegd", "added"),
    "removed": ("verwijderd", "removed"),
    "out of core": ("uit de kern", "out of the core"),
    "into core": ("in de kern", "into the core"),
    "cross_section": ("dwarsdoorsnede", "cross-section"),
    "observations": ("observaties", "observations"),
    "units": ("bewoners, cliënten of huishoudens", "residents, clients or households"),
    "rated": ("beoordeeld", "rated"),
    "no data": ("geen gegevens", "no data"),
    "hours_per_month": ("Uren per maand", "Hours per month"),
}

#: MIME types of a presented table and of paragraphs in a notebook's outputs: the
#: report's PDF and Word versions are built from them (:mod:`.document`).
TABLE_MIME = "application/vnd.netwerkonderzoek.table+json"
TEXT_MIME = "application/vnd.netwerkonderzoek.text+json"

_NUMERIC = ("int", "d1", "d2", "d3", "pct", "eur", "p")
_NUMBER = "text-align: right; white-space: nowrap; vertical-align: top"
#: Headers wrap (a long label does not widen its column); numbers' headers align right.
_HEAD = {
    True: "text-align: right; white-space: normal; vertical-align: bottom",
    False: "text-align: left; white-space: normal; vertical-align: bottom",
}
_STYLE = {
    **dict.fromkeys(_NUMERIC, _NUMBER),
    "id": "text-align: left; white-space: nowrap; vertical-align: top",
    "date": "text-align: left; white-space: nowrap; vertical-align: top",
    **dict.fromkeys(
        ("code", "bool", "text"), "text-align: left; white-space: pre-wrap; vertical-align: top"
    ),
}
#: Codes whose label depends on the column they are in (column, code): (Dutch, English).
COLUMN_VALUES: dict[tuple[str, str], tuple[str, str]] = {
    ("kind", "change"): ("wijziging", "change"),
    ("kind", "proposal"): ("voorstel", "proposal"),
    ("kind", "action_research"): ("actieonderzoek", "action research"),
    ("kind", "developmental_evaluation"): (
        "ontwikkelingsgerichte evaluatie",
        "developmental evaluation",
    ),
    ("kind", "realist_evaluation"): ("realistische evaluatie", "realist evaluation"),
    ("kind", "monitoring"): ("monitoring", "monitoring"),
    ("status", "ok"): ("ok", "ok"),
    ("status", "insufficient_data"): ("te weinig gegevens", "insufficient data"),
    ("status", "planned"): ("gepland", "planned"),
    ("status", "running"): ("loopt", "running"),
    ("status", "finished"): ("afgerond", "finished"),
    ("source", "survey"): ("netwerkenquête", "network survey"),
    ("field", "context.description"): ("context (omschrijving)", "context (description)"),
    ("field", "context.expression"): (
        "context (afbakening in de gegevens)",
        "context (expression)",
    ),
    ("field", "mechanism.resource"): ("mechanisme (hulpbron)", "mechanism (resource)"),
    ("field", "outcome.description"): ("uitkomst", "outcome"),
}
_ROLES = SOURCE_ROLES
_MISSING = ("geen gegevens", "no data")


def _code(value: str, column: str, language: str) -> str:
    i = 0 if language == "nl" else 1
    if (column, value) in COLUMN_VALUES:
        return COLUMN_VALUES[(column, value)][i]
    if column == "source_role" and value in _ROLES:
        return VOCABULARY[f"role_{value}"][i]
    if value in VALUES:
        return VALUES[value][i]
    if value in VOCABULARY:
        return VOCABULARY[value][i]
    if value in COLUMNS:  # a measure named in a cell (measure_change's "measure")
        return COLUMNS[value][i]
    return value


def format_value(value: object, kind: str, language: str = "nl", column: str = "") -> str:
    """One cell as the report shows it (see the module).

    Examples
    --------
    >>> format_value(1234.5, "d1"), format_value(0.4027, "pct"), format_value(2.5e-16, "d3")
    ('1.234,5', '40,3%', '0,000')
    >>> format_value(45035.4, "eur"), format_value(0.0312, "p"), format_value(None, "int")
    ('€ 45.035', '0,031', 'geen gegevens')
    """
    from ..formatting import format_euro, format_number, format_percent

    check_language(language)
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return _MISSING[0 if language == "nl" else 1]
    if isinstance(value, bool) or kind == "bool":
        if isinstance(value, str):
            return _code(value, column, language)
        return VALUES[str(bool(value))][0 if language == "nl" else 1]
    if kind in ("int", "d1", "d2", "d3", "pct", "eur", "p"):
        try:
            number = float(value)
        except (TypeError, ValueError):
            return _code(str(value), column, language)
        if math.isinf(number):
            return "∞" if number > 0 else "-∞"
        if kind == "int":
            return format_number(number, 0, language)
        if kind == "pct":
            return format_percent(number, 1, language)
        if kind == "eur":
            return format_euro(number, language)
        if kind == "p":
            if number < 0.001:
                return "< " + format_number(0.001, 3, language, grouping=False)
            return format_number(number, 3, language, grouping=False)
        return format_number(number, int(kind[1]), language)
    if kind == "code":
        return _code(str(value), column, language)
    if kind == "date":
        from ..formatting import format_date

        text = str(value)[:10]
        if len(text) != 10 or text[4] != "-" or text[7] != "-":  # not a day: as it is
            return str(value)
        try:
            day = pd.Timestamp(text).date()
        except ValueError:
            return str(value)
        return format_date(day, language, "d MMM y")
    return str(value)


@dataclass
class PresentedTable:
    """A table as the report shows it: formatted strings, caption, kinds per column."""

    frame: pd.DataFrame
    caption: str | None
    kinds: dict[str, str]
    language: str = "nl"
    empty: str | None = None

    @property
    def empty_text(self) -> str:
        """What a table without rows says instead."""
        if self.empty:
            return self.empty
        return (
            "Geen gegevens voor deze tabel."
            if self.language == "nl"
            else "No data for this table."
        )

    def to_html(self) -> str:
        """An HTML ``<table>``: escaped, numbers right-aligned, text wrapping.

        A table without rows is a sentence saying so (``empty``), not an empty grid.
        """
        if self.frame.empty:
            return f'<p class="report-empty">{html.escape(self.empty_text)}</p>'

        styles = {c: _STYLE[self.kinds.get(c, "text")] for c in self.frame.columns}
        head = "".join(
            f'<th style="{_HEAD[self.kinds.get(c, "text") in _NUMERIC]}">{html.escape(str(c))}</th>'
            for c in self.frame.columns
        )
        rows = []
        for record in self.frame.itertuples(index=False):
            cells = [
                f'<td style="{styles[c]}">{html.escape(str(cell))}</td>'
                for c, cell in zip(self.frame.columns, record, strict=True)
            ]
            rows.append("<tr>" + "".join(cells) + "</tr>")
        caption = f"<caption>{html.escape(self.caption)}</caption>" if self.caption else ""
        return (
            '<div class="report-table-wrap" style="overflow-x: auto; max-width: 100%">'
            f'<table class="report-table" lang="{self.language}">{caption}'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
        )

    def to_json(self) -> dict:
        """The table for the PDF and Word reports (:data:`TABLE_MIME`)."""
        if self.frame.empty:
            return {"empty": self.empty_text}
        return {
            "caption": self.caption,
            "columns": [str(c) for c in self.frame.columns],
            "kinds": [self.kinds.get(c, "text") for c in self.frame.columns],
            "rows": self.frame.astype(str).values.tolist(),
        }

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {"text/html": self.to_html(), "text/plain": repr(self), TABLE_MIME: self.to_json()}

    def __repr__(self) -> str:
        if self.frame.empty:
            return self.empty_text
        text = self.frame.to_string(index=False)
        return f"{self.caption}\n{text}" if self.caption else text


def _own_labels(frame: pd.DataFrame) -> dict[str, tuple[str, str, str]]:
    """Labels of a table whose columns are already in the report's language."""
    out = {}
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_bool_dtype(values):
            kind = "bool"
        elif pd.api.types.is_integer_dtype(values):
            kind = "int"
        elif pd.api.types.is_float_dtype(values):
            known = values.dropna()
            kind = "int" if len(known) and bool((known == known.round()).all()) else "d2"
        else:
            kind = "text"
        out[column] = (str(column), str(column), kind)
    return out


def present(
    frame: pd.DataFrame,
    *,
    language: str = "nl",
    caption: str | None = None,
    labels: Mapping[str, tuple[str, str, str]] | None = None,
    labelled: bool = False,
    empty: str | None = None,
) -> PresentedTable:
    """The presentation view of an analysis table (see the module).

    Parameters
    ----------
    frame : DataFrame
        An analysis table; its index is dropped (reset it first to keep it).
    language : {"nl", "en"}
    caption : str, optional
        The table's caption, in ``language``.
    labels : mapping, optional
        Extra or overriding entries of :data:`COLUMNS` (column to
        ``(Dutch, English, kind)``).
    labelled : bool
        The columns are already labelled in ``language`` (a table a library
        function made for the report, such as :func:`.data_overview`): the
        headers are kept, whole-number columns are counts and other number
        columns get two decimals; text cells are kept as they are.
    empty : str, optional
        The sentence shown instead of a table without rows (why there is
        nothing: an analysis that cannot run on this network's data says so);
        default *Geen gegevens voor deze tabel.*

    Returns
    -------
    PresentedTable

    Raises
    ------
    KeyError
        If a column is neither in :data:`COLUMNS` nor in ``labels``.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"partner_id": ["gemeente"], "aandeel": [0.256],
    ...                       "costs_eur": [45035.4], "note": ["<b>let op</b>"]})
    >>> table = present(frame, caption="Inzet", labels={"aandeel": ("Aandeel", "Share", "pct")})
    >>> table
    Inzet
     Partner Aandeel Kosten (€)   Toelichting
    gemeente   25,6%   € 45.035 <b>let op</b>
    >>> html = table.to_html()  # every cell escaped
    >>> ">&lt;b&gt;let op&lt;/b&gt;</td>" in html, "<b>" in html
    (True, False)
    >>> present(pd.DataFrame({"Partner": ["a"], "Uren": [12.0], "Score": [1.234]}),
    ...         labelled=True).frame.values.tolist()
    [['a', '12', '1,23']]
    >>> present(pd.DataFrame({"wave": []}), empty="Nog geen metingen.")
    Nog geen metingen.
    >>> present(pd.DataFrame({"onbekend": [1]}))
    Traceback (most recent call last):
    ...
    KeyError: 'no presentation label for column(s) onbekend; add them to netwerkonderzoek.story.present.COLUMNS or pass labels='
    """
    check_language(language)
    if labelled:
        labels = {**_own_labels(frame), **dict(labels or {})}
    catalogue = {**COLUMNS, **dict(labels or {})}
    unknown = [str(c) for c in frame.columns if c not in catalogue]
    if unknown:
        raise KeyError(
            f"no presentation label for column(s) {', '.join(unknown)}; add them to "
            "netwerkonderzoek.story.present.COLUMNS or pass labels="
        )
    i = 0 if language == "nl" else 1
    out, kinds = {}, {}
    for column in frame.columns:
        entry = catalogue[column]
        title, kind = entry[i], entry[2]
        if title in out:  # two columns with one label: keep both, told apart
            title = f"{title} ({column})"
        out[title] = [format_value(v, kind, language, column) for v in frame[column].tolist()]
        kinds[title] = kind
    shown = pd.DataFrame(out, columns=list(out)) if out else pd.DataFrame()
    return PresentedTable(shown, caption, kinds, language, empty)


def present_pivot(
    frame: pd.DataFrame,
    *,
    index: str | list[str],
    columns: str,
    values: str,
    language: str = "nl",
    caption: str | None = None,
) -> PresentedTable:
    """A wide view (one column per level of ``columns``, e.g. per wave), presented.

    The new columns are headed by the label of ``columns`` and the level
    (``Meting 1``) and formatted as ``values`` is.

    Examples
    --------
    >>> import pandas as pd
    >>> long = pd.DataFrame({"measure": ["density"] * 2, "wave": [1, 2], "change": [0.01, -0.2]})
    >>> present_pivot(long, index="measure", columns="wave", values="change").frame.values.tolist()
    [['Dichtheid', '0,01', '-0,20']]
    """
    check_language(language)
    index = [index] if isinstance(index, str) else list(index)
    wide = frame.pivot_table(index=index, columns=columns, values=values, aggfunc="first")
    i = 0 if language == "nl" else 1
    head, kind = COLUMNS[columns][i], COLUMNS[values][2]
    names = {level: f"{head} {level}" for level in wide.columns}
    wide = wide.rename(columns=names).reset_index()
    wide.columns = [str(c) for c in wide.columns]
    labels = {name: (name, name, kind) for name in names.values()}
    return present(wide, language=language, caption=caption, labels=labels)


@dataclass
class Paragraphs:
    """Plain text shown as paragraphs (escaped), not as print output in a box."""

    paragraphs: list[str]

    def _repr_html_(self) -> str:
        return "".join(
            "<p>" + html.escape(p).replace("\n", "<br>") + "</p>" for p in self.paragraphs if p
        )

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {
            "text/html": self._repr_html_(),
            "text/plain": repr(self),
            TEXT_MIME: {"paragraphs": [p for p in self.paragraphs if p]},
        }

    def __repr__(self) -> str:
        return "\n\n".join(self.paragraphs)


def paragraphs(*texts: str) -> Paragraphs:
    """Texts as paragraphs for a notebook and the report (each HTML-escaped).

    Examples
    --------
    >>> paragraphs("Netwerk <b>", "tweede")._repr_html_()
    '<p>Netwerk &lt;b&gt;</p><p>tweede</p>'
    """
    return Paragraphs([str(t) for t in texts])


def present_matrix(
    frame: pd.DataFrame,
    *,
    language: str = "nl",
    kind: str = "int",
    corner: str = "code",
    caption: str | None = None,
) -> PresentedTable:
    """A square table of codes (rows and columns named by codes), presented.

    Row and column codes are translated like cells of a ``code`` column;
    the first column is headed by the label of ``corner``.

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame([[2, 1], [1, 3]], index=["cmo-01", "societal"],
    ...                  columns=["cmo-01", "societal"])
    >>> present_matrix(m).frame.columns.tolist()
    ['Code', 'cmo-01', 'Maatschappelijke waarde']
    """
    check_language(language)
    names = {c: _code(str(c), "code", language) for c in frame.columns}
    wide = frame.rename(columns=names)
    wide.index = [_code(str(r), "code", language) for r in frame.index]
    wide = wide.rename_axis(corner).reset_index()
    labels = {n: (n, n, kind) for n in names.values()}
    labels[corner] = (COLUMNS[corner][0], COLUMNS[corner][1], "text")
    return present(wide, language=language, caption=caption, labels=labels)
