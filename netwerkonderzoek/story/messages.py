"""Kernboodschappen: the key messages of a run, worded for a steering group.

:func:`key_messages` reads the analysis tables a run wrote (``tables/*.csv``
of notebooks 01-06) and says, in the report's language and in sentences:

1. **Value** per perspective and form: how many indicators moved in the
   expected direction since the baseline, with the largest moves, and the
   appreciation per stakeholder group (counts of persons below ``min_cell``
   are not shown);
2. **Verdicts** per CMO configuration with their evidence basis in words
   (the quantitative test's estimate and interval, the number of evidence
   items for and against);
3. **Heartbeat** signals, per wave and per month, as
   :func:`netwerkonderzoek.heartbeat.signal_summary` words them (never "no
   signals" without control limits);
4. **Business cases** of partners under pressure and why;
5. **What changed** since the previous complete evaluation of the network
   (verdicts that changed; partners flagged), or that this is the first;
6. **Limits of the evidence**: survey non-response, configurations with too
   little evidence for a verdict, suppressed cells, heartbeat series too
   short for control limits, and any analysis table the run did not make.

Nothing is invented: every sentence comes from a table, and a missing table
is said to be missing. The result shows as headed lists in a notebook and the
report (HTML escaped) and carries its structure for the PDF and Word versions
(:data:`MESSAGES_MIME`).

:func:`discussion` includes the researcher's own discussion and
recommendations from ``config/networks/<network_id>.discussie.txt``,
verbatim (paragraphs separated by blank lines, escaped), or says where to
write them.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..figures import check_language, label
from .present import format_value

__all__ = [
    "DISCUSSION_FILE",
    "MESSAGES_MIME",
    "Discussion",
    "KeyMessages",
    "discussion",
    "discussion_path",
    "key_messages",
]

MESSAGES_MIME = "application/vnd.netwerkonderzoek.messages+json"
#: File name of the researcher's discussion, beside the network's config.
DISCUSSION_FILE = "{network_id}.discussie.txt"

_T = {
    "nl": {
        "value": "Wat levert het netwerk op?",
        "verdicts": "Wat werkt, voor wie en waardoor: de programmatheorie",
        "heartbeat": "De hartslag van het netwerk",
        "business": "Partners van wie de businesscase onder druk staat",
        "changed": "Wat veranderde sinds de vorige evaluatie",
        "limits": "Grenzen van het bewijs",
        "cell": "{perspective}, {form}: {up} van {n} indicatoren bewogen sinds de basisperiode "
        "in de gewenste richting{examples}.",
        "no_ind": "{perspective}, {form}: geen indicatoren met gegevens.",
        "appreciation": "Waardering ({period}): {groups}.",
        "group": "{group} {mark} (n = {n})",
        "group_small": "{group}: te weinig beoordelaars om te tonen",
        "verdict": "{cmo} ({what}): {verdict}. {basis}",
        "quant": "De kwantitatieve toets geeft een effect van {est} (95%-interval {lo} tot {hi}).",
        "items": "{sup} van {n} bewijsstukken ondersteunen, {con} weerspreken{ref}.",
        "refining": ", {n} verfijnen",
        "refined": " Verfijnd naar de context: {context}.",
        "refined_not": " Verfijnd: het mechanisme werkt hier niet waar {context}.",
        "no_def": "{perspective}, {form}: de waardedefinitie heeft hier geen indicator.",
        "flag": "{name}: {reason}.",
        "no_flag": "Geen partner heeft een businesscase onder druk (inzet die groeit terwijl de "
        "ervaren waarde daalt).",
        "first": "Dit is de eerste complete evaluatie van dit netwerk: er is niets om mee te "
        "vergelijken.",
        "no_change": "Sinds de vorige evaluatie ({run}) veranderden alleen de invoerbestanden, "
        "geen uitkomst.",
        "nothing": "Sinds de vorige evaluatie ({run}) veranderde niets.",
        "more_changes": "En {n} andere veranderingen: zie 'Wat is er veranderd sinds de vorige "
        "evaluatie?'.",
        "nonresponse": "Meting {wave}: {responded} van {members} partners vulden de "
        "netwerkenquête in; van {who} zijn de eigen relaties onbekend, dus maten die daarop "
        "steunen zijn ondergrenzen.",
        "full_response": "Alle partners vulden de netwerkenquête in elke meting in.",
        "no_survey": "De relaties tussen partners komen niet uit een export van de "
        "netwerkenquête: de respons per partner en meting is niet bekend.",
        "insufficient": "Te weinig bewijs voor een oordeel over {cmos}.",
        "suppressed": "{n} cellen met aantallen personen onder de {min_cell} zijn afgeschermd.",
        "missing_table": "Niet in deze run: {what} ({table}).",
        "discussion_missing": "Nog geen discussie en aanbevelingen: de onderzoeker schrijft ze "
        "in {path} (platte tekst, alinea's gescheiden door een lege regel); het rapport neemt "
        "ze letterlijk over.",
    },
    "en": {
        "value": "What does the network yield?",
        "verdicts": "What works, for whom and how: the programme theory",
        "heartbeat": "The heartbeat of the network",
        "business": "Partners whose business case is under pressure",
        "changed": "What changed since the previous evaluation",
        "limits": "Limits of the evidence",
        "cell": "{perspective}, {form}: {up} of {n} indicators moved in the wanted direction "
        "since the baseline{examples}.",
        "no_ind": "{perspective}, {form}: no indicators with data.",
        "appreciation": "Appreciation ({period}): {groups}.",
        "group": "{group} {mark} (n = {n})",
        "group_small": "{group}: too few raters to show",
        "verdict": "{cmo} ({what}): {verdict}. {basis}",
        "quant": "The quantitative test gives an effect of {est} (95% interval {lo} to {hi}).",
        "items": "{sup} of {n} evidence items support, {con} contradict{ref}.",
        "refining": ", {n} refine",
        "refined": " Refined to the context: {context}.",
        "refined_not": " Refined: the mechanism does not work here where {context}.",
        "no_def": "{perspective}, {form}: the value definition has no indicator here.",
        "flag": "{name}: {reason}.",
        "no_flag": "No partner's business case is under pressure (investment rising while the "
        "value experienced falls).",
        "first": "This is the first complete evaluation of this network: there is nothing to "
        "compare with.",
        "no_change": "Since the previous evaluation ({run}) only the input files changed, no "
        "result.",
        "nothing": "Nothing changed since the previous evaluation ({run}).",
        "more_changes": "And {n} other changes: see 'What changed since the previous "
        "evaluation?'.",
        "nonresponse": "Wave {wave}: {responded} of {members} partners answered the network "
        "survey; the own ties of {who} are unknown, so measures resting on them are lower "
        "bounds.",
        "full_response": "Every partner answered the network survey in every wave.",
        "no_survey": "The ties between partners do not come from a network survey export: the "
        "response per partner and wave is not known.",
        "insufficient": "Too little evidence for a verdict on {cmos}.",
        "suppressed": "{n} cells with counts of persons below {min_cell} are suppressed.",
        "missing_table": "Not in this run: {what} ({table}).",
        "discussion_missing": "No discussion and recommendations yet: the researcher writes "
        "them in {path} (plain text, paragraphs separated by a blank line); the report "
        "includes them verbatim.",
    },
}
_TABLES = {
    "value_matrix": ("waardematrix", "value matrix"),
    "cmo_verdicts": ("oordelen over de configuraties", "verdicts on the configurations"),
    "heartbeat": ("hartslag per meting", "heartbeat per wave"),
    "heartbeat_monthly": ("hartslag per maand", "monthly heartbeat"),
    "partner_business_case_summary": ("businesscases", "business cases"),
}


@dataclass
class KeyMessages:
    """Groups of sentences: (title, sentences), shown as headed lists."""

    groups: list[tuple[str, list[str]]]

    def _repr_html_(self) -> str:
        parts = []
        for title, items in self.groups:
            parts.append(f"<h3>{html.escape(title)}</h3>")
            parts.append("<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>")
        return "".join(parts)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {
            "text/html": self._repr_html_(),
            "text/plain": repr(self),
            MESSAGES_MIME: {"groups": [{"title": t, "items": i} for t, i in self.groups]},
        }

    def __repr__(self) -> str:
        return "\n\n".join(
            t + "\n" + "\n".join(f"- {i}" for i in items) for t, items in self.groups
        )


def _read(tables: Path, name: str) -> pd.DataFrame | None:
    path = tables / f"{name}.csv"
    if not path.is_file():
        return None
    return pd.read_csv(path, keep_default_na=True)


def _value_messages(matrix: pd.DataFrame, language: str, min_cell: int) -> list[str]:
    t = _T[language]
    out = []
    last = sorted(matrix["period"].astype(str).unique())[-1]
    part = matrix[matrix["period"].astype(str) == last]
    for (perspective, form), cell in part.groupby(["perspective", "form"], sort=False):
        defined = cell[cell["row_type"] == "indicator"]
        rows = defined[defined["change"].notna()]
        names = {
            "perspective": label(perspective, language),
            "form": label(form, language).lower(),
        }
        if defined["indicator_id"].isna().all():
            out.append(t["no_def"].format(**names))
            continue
        if rows.empty:
            out.append(t["no_ind"].format(**names))
            continue
        up = int((rows["change"] > 0).sum())
        ranked = rows.reindex(rows["change"].abs().sort_values(ascending=False).index).head(2)
        examples = "; ".join(
            f"{r.indicator_label} {'+' if r.change > 0 else ''}{format_value(r.change, 'd2', language)}"
            for r in ranked.itertuples()
        )
        out.append(t["cell"].format(up=up, n=len(rows), examples=f" ({examples})", **names))
    rated = part[part["row_type"] == "appreciation"].drop_duplicates("stakeholder_group")
    groups = []
    for r in rated.itertuples():
        if r.appreciation_status != "rated":
            continue
        group = label(r.stakeholder_group, language)
        if pd.isna(r.n_ratings) or r.n_ratings < min_cell:
            groups.append(t["group_small"].format(group=group))
        else:
            groups.append(
                t["group"].format(
                    group=group,
                    n=int(r.n_ratings),
                    mark=format_value(r.appreciation, "d1", language),
                )
            )
    if groups:
        out.append(t["appreciation"].format(period=last, groups="; ".join(groups)))
    return out


def _verdict_messages(verdicts: pd.DataFrame, theory, language: str) -> list[str]:
    t = _T[language]
    what = {}
    if theory is not None:
        what = {c.id: c.mechanism.resource for c in theory}
    out = []
    for r in verdicts.itertuples():
        basis = []
        if pd.notna(r.estimate) and pd.notna(r.ci_low):
            basis.append(
                t["quant"].format(
                    est=format_value(r.estimate, "d2", language),
                    lo=format_value(r.ci_low, "d2", language),
                    hi=format_value(r.ci_high, "d2", language),
                )
            )
        refines = getattr(r, "n_refines", 0)
        refines = int(refines) if pd.notna(refines) else 0
        if pd.notna(r.n_items) and r.n_items > 0:
            basis.append(
                t["items"].format(
                    sup=int(r.n_supports),
                    n=int(r.n_items),
                    con=int(r.n_contradicts),
                    ref=t["refining"].format(n=refines) if refines else "",
                )
            )
        text = (
            t["verdict"]
            .format(
                cmo=r.cmo_id.upper(),
                what=what.get(r.cmo_id, r.cmo_id),
                verdict=label(r.verdict, language).lower(),
                basis=" ".join(basis),
            )
            .strip()
        )
        if isinstance(r.refined_context, str) and r.refined_context:
            context = r.refined_context.strip()
            if context.startswith("not (") and context.endswith(")"):
                text += t["refined_not"].format(context=context[5:-1])
            else:
                text += t["refined"].format(context=context)
        out.append(text)
    return out


def _run_date(run_id: str, language: str) -> str:
    """A run id (``20261202T181415Z``) as the day it was made, in words; else the id."""
    import datetime as dt

    from ..formatting import format_date

    try:
        day = dt.datetime.strptime(run_id[:8], "%Y%m%d").date()
    except ValueError:
        return run_id
    return format_date(day, language, "long")


def network_group_titles(language: str = "nl") -> set[str]:
    """The titles of the network-wide groups of key messages (value, verdicts, heartbeat).

    Examples
    --------
    >>> sorted(network_group_titles("en"))[0]
    'The heartbeat of the network'
    """
    t = _T[check_language(language)]
    return {t["value"], t["verdicts"], t["heartbeat"]}


#: Aspects of a comparison the key messages name first, and how many sentences at most.
_KEY_CHANGES = ("verdict", "signal", "business_case", "partner", "trust_value", "network_measure")
_MAX_CHANGES = 8


def _changed_messages(changes, language: str) -> list[str]:
    """The key messages on what changed since the previous evaluation (``changes``)."""
    t = _T[language]
    if changes is None:
        return [t["first"]]
    rows = changes.changes
    run = _run_date(changes.before_id, language)
    if rows.empty:
        return [t["nothing"].format(run=run)]
    results = rows[rows["aspect"] != "inputs"]
    if results.empty:
        return [t["no_change"].format(run=run)]
    order = {aspect: i for i, aspect in enumerate(_KEY_CHANGES)}
    ranked = results.assign(
        _rank=results["aspect"].map(lambda a: order.get(a, len(order)))
    ).sort_values("_rank", kind="stable")
    out = ranked["description"].head(_MAX_CHANGES).tolist()
    if len(ranked) > _MAX_CHANGES:
        out.append(t["more_changes"].format(n=len(ranked) - _MAX_CHANGES))
    return out


def key_messages(
    tables_dir: str | Path,
    *,
    theory=None,
    language: str = "nl",
    min_cell: int = 10,
    changes=None,
) -> KeyMessages:
    """The key messages of a run from its analysis tables (see the module).

    Parameters
    ----------
    tables_dir : path
        The run's ``tables/`` folder.
    theory : ProgrammeTheory, optional
        For the configurations' names (their resource) in the verdicts.
    language : {"nl", "en"}
    min_cell : int
        Counts of persons below this are not shown.
    changes : Comparison, optional
        What changed since the previous evaluation
        (:func:`netwerkonderzoek.runner.changes_since_previous`); None: this
        is the first.

    Returns
    -------
    KeyMessages
        ``groups`` of (title, sentences); shown as headed lists (escaped).

    Examples
    --------
    A run that made only the verdicts on the configurations:

    >>> import tempfile
    >>> import pandas as pd
    >>> from pathlib import Path
    >>> tables = Path(tempfile.mkdtemp())
    >>> pd.DataFrame({"cmo_id": ["cmo-01"], "verdict": ["supported"], "estimate": [0.195],
    ...     "ci_low": [0.136], "ci_high": [0.255], "refined_context": [None], "n_items": [3],
    ...     "n_supports": [2], "n_contradicts": [1]}).to_csv(tables / "cmo_verdicts.csv", index=False)
    >>> messages = key_messages(tables)
    >>> [title for title, _ in messages.groups]  # doctest: +NORMALIZE_WHITESPACE
    ['Wat werkt, voor wie en waardoor: de programmatheorie',
     'Wat veranderde sinds de vorige evaluatie', 'Grenzen van het bewijs']
    >>> print(messages.groups[0][1][0])  # doctest: +NORMALIZE_WHITESPACE
    CMO-01 (cmo-01): bevestigd. De kwantitatieve toets geeft een effect van 0,20
    (95%-interval 0,14 tot 0,26). 2 van 3 bewijsstukken ondersteunen, 1 weerspreken.
    >>> messages.groups[2][1][-1]  # a table the run did not make is said to be missing
    'Niet in deze run: businesscases (tables/partner_business_case_summary.csv).'
    """
    from ..heartbeat import signal_summary

    check_language(language)
    t = _T[language]
    tables = Path(tables_dir)
    groups: list[tuple[str, list[str]]] = []
    missing: list[str] = []
    found = {name: _read(tables, name) for name in _TABLES}
    for name, frame in found.items():
        if frame is None:
            missing.append(
                t["missing_table"].format(
                    what=_TABLES[name][language == "en"], table=f"tables/{name}.csv"
                )
            )
    if found["value_matrix"] is not None and len(found["value_matrix"]):
        groups.append((t["value"], _value_messages(found["value_matrix"], language, min_cell)))
    verdicts = found["cmo_verdicts"]
    if verdicts is not None and len(verdicts):
        groups.append((t["verdicts"], _verdict_messages(verdicts, theory, language)))
    beats = []
    for name, by in (("heartbeat", "wave"), ("heartbeat_monthly", "month")):
        panel = found[name]
        if panel is not None and len(panel):
            panel = panel.assign(signal=panel["signal"].astype(object).fillna(""))
            lines = [x for x in signal_summary(panel, by, language=language).split("\n") if x]
            beats.append(lines[0])
            beats.extend(line.removeprefix("- ").strip() for line in lines[1:])
    if beats:
        groups.append((t["heartbeat"], beats))
    cases = found["partner_business_case_summary"]
    if cases is not None:
        flagged = cases[cases["flag"].astype(str) == "True"]
        items = [t["flag"].format(name=r.name, reason=r.reason) for r in flagged.itertuples()]
        groups.append((t["business"], items or [t["no_flag"]]))
    changed = _changed_messages(changes, language)
    groups.append((t["changed"], changed))
    limits = []
    response = _read(tables, "survey_response_rates")
    if response is not None and len(response):
        partial = response[response["responded"] < response["members"]]
        for r in partial.itertuples():
            who = str(r.non_respondents) if isinstance(r.non_respondents, str) else "?"
            limits.append(
                t["nonresponse"].format(
                    wave=int(r.wave),
                    responded=int(r.responded),
                    members=int(r.members),
                    who=who.replace(";", ", "),
                )
            )
        if partial.empty:
            limits.append(t["full_response"])
    else:
        limits.append(t["no_survey"])
    if verdicts is not None:
        short = verdicts.loc[verdicts["verdict"] == "insufficient_data", "cmo_id"].str.upper()
        if len(short):
            limits.append(t["insufficient"].format(cmos=", ".join(short)))
    suppressed = 0
    for name in ("cmo_verdicts", "evidence", "cmo_for_whom", "value_matrix"):
        frame = _read(tables, name)
        if frame is not None and "suppressed" in frame.columns:
            marks = frame["suppressed"].astype(object).fillna("").astype(str)
            suppressed += int(marks.str.len().gt(0).sum())
    if suppressed:
        limits.append(t["suppressed"].format(n=suppressed, min_cell=min_cell))
    limits.extend(missing)
    if limits:
        groups.append((t["limits"], limits))
    return KeyMessages(groups)


@dataclass
class Discussion:
    """The researcher's discussion and recommendations, verbatim, or where to write them."""

    paragraphs: list[str]
    present: bool

    def _repr_html_(self) -> str:
        return "".join(f"<p>{html.escape(p)}</p>" for p in self.paragraphs)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        from .present import TEXT_MIME

        return {
            "text/html": self._repr_html_(),
            "text/plain": repr(self),
            TEXT_MIME: {"paragraphs": self.paragraphs, "discussion": self.present},
        }

    def __repr__(self) -> str:
        return "\n\n".join(self.paragraphs)


def discussion_path(config) -> Path:
    """Where the researcher's discussion of ``config``'s network lives.

    Beside the network's config: ``config/networks/<network_id>.discussie.txt``.

    Examples
    --------
    >>> from netwerkonderzoek import load_config
    >>> path = discussion_path(load_config("wijk-noord"))
    >>> path.parent.name, path.name
    ('networks', 'wijk-noord.discussie.txt')
    """
    return Path(config.path).parent / DISCUSSION_FILE.format(network_id=config.network_id)


def discussion(config, language: str = "nl") -> Discussion:
    """The discussion text of the network, verbatim (see the module).

    Returns
    -------
    Discussion
        ``paragraphs`` (a paragraph's lines joined) and ``present`` (False:
        the only paragraph says where to write the text).

    Raises
    ------
    UnicodeDecodeError
        If the file is not UTF-8 (named in the message by Python).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from netwerkonderzoek import load_config
    >>> config = load_config("wijk-noord")
    >>> text = discussion(config)
    >>> text.present, text.paragraphs[1].split(".")[0]  # the file's second paragraph
    (True, 'Discussie')
    >>> elsewhere = config.model_copy(update={"path": Path(tempfile.mkdtemp()) / "x.yaml"})
    >>> hint = discussion(elsewhere, "en")
    >>> hint.present, hint.paragraphs[0][:60]
    (False, 'No discussion and recommendations yet: the researcher writes')
    """
    check_language(language)
    path = discussion_path(config)
    if not path.is_file():
        shown = f"config/networks/{path.name}"
        return Discussion([_T[language]["discussion_missing"].format(path=shown)], False)
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    paragraphs = [" ".join(p.split("\n")).strip() for p in text.split("\n\n")]
    return Discussion([p for p in paragraphs if p], True)
