"""What changed since the previous evaluation: two complete runs of one network compared.

An evaluator's daily question after a new round of data: *what is different
from last time, and why?* :func:`compare_runs` reads the tables and
manifests of two run folders of one network and lists, one row per change,
in a tidy table (:data:`CHANGE_COLUMNS`):

=====================  ==========================================================
aspect                 a change is reported when
=====================  ==========================================================
``inputs``             an input file was added, removed or changed (with its rows
                       per table), the programme theory's version or the code
                       changed
``verdict``            a configuration's verdict (or refined context) differs; the
                       ``why`` says what differs behind it: ``theory`` (another
                       theory file), ``evidence`` (other coded evidence),
                       ``data`` (other numbers of units) or ``method`` (none of
                       these: the code changed)
``signal``             a control-chart signal episode (consecutive periods with
                       the same rule) is new, ended, or no longer flagged
``network_measure``    a measure of the latest wave moved beyond its
                       uncertainty (node-jackknife standard errors)
``trust_value``        the network's trust or value moved beyond its uncertainty
                       (standard errors that allow for ratings sharing a partner)
``partner``            a partner joined or left between the two latest waves
``business_case``      a partner's business-case flag changed
``value_cell``         a stakeholder group's appreciation of a value cell moved
                       beyond its uncertainty or got (or lost) ratings, or the
                       cell's disagreement flag changed
=====================  ==========================================================

**Beyond uncertainty.** A measure of the latest wave moved when the test of
:math:`x_B - x_A` against the standard error :math:`\\sqrt{se_A^2 + se_B^2}`
rejects "no change" (normal for the network measures and trust/value, Welch's
t for a group's mean appreciation), with Holm's (1979) correction over the
quantities of one aspect, so each aspect's family-wise error rate is at most
:data:`ALPHA` (5 %): without it, some of the 18 value-cell groups would cross
a 5 % line by chance in every comparison. The two waves are treated as
independent; ratings by the same partners in both waves are positively
correlated, which makes the variance of the difference smaller than this
sum, so the test is conservative. When the later run has no newer wave than
the earlier one, any difference is a *revision* of the same wave's data and
is reported as such, without a test. Where a run holds no standard errors,
nothing is tested and one ``not_assessed`` row says so.

The ``description`` is a sentence in the comparison's language; the other
columns are codes and numbers.

References
----------
Holm, S. (1979). A simple sequentially rejective multiple test procedure.
*Scandinavian Journal of Statistics*, 6(2), 65–70.

Snijders, T. A. B., & Borgatti, S. P. (1999). Non-parametric standard errors
and tests for network statistics. *Connections*, 22(2), 61–70.

Welch, B. L. (1947). The generalization of "Student's" problem when several
different population variances are involved. *Biometrika*, 34(1–2), 28–35.
https://doi.org/10.1093/biomet/34.1-2.28

Examples
--------
>>> CHANGE_COLUMNS
('aspect', 'item', 'name', 'before', 'after', 'change', 'why', 'description')
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..exceptions import RunError
from .manifest import read_manifest

__all__ = [
    "ASPECTS",
    "CHANGE_COLUMNS",
    "Comparison",
    "changes_since_previous",
    "check_run",
    "compare_network",
    "compare_runs",
    "complete_runs",
    "previous_run_folder",
]

#: Columns of a comparison's table (``tables/changes_since_previous.csv``).
CHANGE_COLUMNS = ("aspect", "item", "name", "before", "after", "change", "why", "description")
#: The aspects compared, in reading order.
ASPECTS = (
    "inputs",
    "verdict",
    "signal",
    "network_measure",
    "trust_value",
    "partner",
    "business_case",
    "value_cell",
)
#: Family-wise error rate of the changes reported per aspect (Holm's procedure).
ALPHA = 0.05
#: Network measures compared between the latest waves, in layer ``all``.
COMPARED_MEASURES = ("density", "reciprocity", "transitivity", "degree_centralization")

_T = {
    "nl": {
        "title": {
            "compared": "Vergelijking",
            "inputs": "Invoer",
            "verdict": "Oordelen over de configuraties",
            "signal": "Signalen van de hartslag",
            "network_measure": "Maten van het netwerk",
            "trust_value": "Vertrouwen en waarde",
            "partner": "Partners",
            "business_case": "Businesscases",
            "value_cell": "Waardematrix",
        },
        "intro": "Deze evaluatie is vergeleken met de vorige evaluatie van {date} (run {before}).",
        "none": "Geen veranderingen sinds de vorige evaluatie.",
        "count": "{n} veranderingen; elke zin hieronder komt uit de tabel "
        "tables/changes_since_previous.csv.",
        "file_added": "Nieuw invoerbestand: {item}{rows}.",
        "file_removed": "Invoerbestand verdwenen: {item}.",
        "file_changed": "Invoerbestand gewijzigd: {item}{rows}.",
        "rows": " ({before} → {after} rijen)",
        "rows_new": " ({after} rijen)",
        "theory": "Nieuwe versie van de programmatheorie: {before} → {after}.",
        "code": "Andere versie van de code van netwerkonderzoek ({before} → {after}).",
        "verdict_changed": "{cmo}: van {before} naar {after} ({why}).",
        "verdict_refined": "{cmo}: blijft verfijnd, nu tot {after} (was {before}; {why}).",
        "verdict_added": "{cmo}: nieuw in de programmatheorie, oordeel {after}.",
        "verdict_removed": "{cmo}: niet meer in de programmatheorie (was {before}).",
        "why": {
            "theory": "nieuwe versie van de theorie",
            "evidence": "ander bewijs: {counts}",
            "data": "meer of andere gegevens: n {before} → {after}, blootgesteld {exp_before} → "
            "{exp_after}",
            "method": "zelfde gegevens en bewijs: de code veranderde",
        },
        "signal_new": "{name}: nieuw signaal {rule} ({direction}) van {start} tot {end}.",
        "signal_new_one": "{name}: nieuw signaal {rule} ({direction}) in {start}.",
        "signal_ended": "{name}: signaal {rule} is voorbij (het laatst in {end}).",
        "signal_withdrawn": "{name}: het signaal {rule} van {start} tot {end} staat er niet "
        "meer (andere grenzen of herziene data).",
        "moved": "{name}: van {before} naar {after} ({period_before} → {period_after}); "
        "groter dan de onzekerheid (z = {z}; p {p} na Holm-correctie).",
        "revised": "{name}: de waarde van {period} is herzien van {before} naar {after}.",
        "not_assessed": "{what}: niet getoetst, de runs hebben geen standaardfouten.",
        "joined": "{name} is toegetreden (tussen {period_before} en {period_after}).",
        "left": "{name} is vertrokken (tussen {period_before} en {period_after}).",
        "flag_on": "Businesscase van {name} staat nu onder druk: {reason}.",
        "flag_off": "Businesscase van {name} staat niet meer onder druk.",
        "status": "{cell}, {group}: {before} → {after}.",
        "disagree_on": "{cell}: de groepen verschillen nu in hun waardering.",
        "disagree_off": "{cell}: de groepen verschillen niet meer in hun waardering.",
        "directions": {"improvement": "verbetering", "concern": "zorg", "neutral": "neutraal"},
        "rated": "gewaardeerd",
        "no data": "geen waarderingen",
        "measure_names": {
            "density": "Dichtheid",
            "reciprocity": "Wederkerigheid",
            "transitivity": "Transitiviteit",
            "degree_centralization": "Centralisatie (graad)",
            "trust": "Vertrouwen",
            "value": "Waarde",
        },
        "wave": "meting {wave}",
        "evidence_counts": {
            "n_items": "bewijsstukken",
            "n_supports": "ondersteunend",
            "n_contradicts": "weersprekend",
            "n_refines": "verfijnend",
            "n_inconclusive": "onbeslist",
        },
        "derived": "En {n} afgeleide bestanden (harmonisatie, herkomst, grondwaarheid) veranderden "
        "mee; zie de tabel.",
        "panel": {"heartbeat": "hartslag per meting", "heartbeat_monthly": "hartslag per maand"},
        "measures": "Maten van het netwerk",
        "trust_value": "Vertrouwen en waarde",
    },
    "en": {
        "title": {
            "compared": "Comparison",
            "inputs": "Inputs",
            "verdict": "Verdicts on the configurations",
            "signal": "Heartbeat signals",
            "network_measure": "Network measures",
            "trust_value": "Trust and value",
            "partner": "Partners",
            "business_case": "Business cases",
            "value_cell": "Value matrix",
        },
        "intro": "This evaluation is compared with the previous evaluation of {date} "
        "(run {before}).",
        "none": "No changes since the previous evaluation.",
        "count": "{n} changes; every sentence below comes from the table "
        "tables/changes_since_previous.csv.",
        "file_added": "New input file: {item}{rows}.",
        "file_removed": "Input file gone: {item}.",
        "file_changed": "Input file changed: {item}{rows}.",
        "rows": " ({before} → {after} rows)",
        "rows_new": " ({after} rows)",
        "theory": "New version of the programme theory: {before} → {after}.",
        "code": "Another version of the netwerkonderzoek code ({before} → {after}).",
        "verdict_changed": "{cmo}: from {before} to {after} ({why}).",
        "verdict_refined": "{cmo}: still refined, now to {after} (was {before}; {why}).",
        "verdict_added": "{cmo}: new in the programme theory, verdict {after}.",
        "verdict_removed": "{cmo}: no longer in the programme theory (was {before}).",
        "why": {
            "theory": "a new version of the theory",
            "evidence": "other evidence: {counts}",
            "data": "more or other data: n {before} → {after}, exposed {exp_before} → {exp_after}",
            "method": "same data and evidence: the code changed",
        },
        "signal_new": "{name}: new signal {rule} ({direction}) from {start} to {end}.",
        "signal_new_one": "{name}: new signal {rule} ({direction}) in {start}.",
        "signal_ended": "{name}: signal {rule} has ended (last in {end}).",
        "signal_withdrawn": "{name}: the signal {rule} from {start} to {end} is no longer "
        "there (other limits or revised data).",
        "moved": "{name}: from {before} to {after} ({period_before} → {period_after}); "
        "beyond its uncertainty (z = {z}; p {p} after Holm's correction).",
        "revised": "{name}: the value of {period} was revised from {before} to {after}.",
        "not_assessed": "{what}: not tested, the runs hold no standard errors.",
        "joined": "{name} joined (between {period_before} and {period_after}).",
        "left": "{name} left (between {period_before} and {period_after}).",
        "flag_on": "The business case of {name} is now under pressure: {reason}.",
        "flag_off": "The business case of {name} is no longer under pressure.",
        "status": "{cell}, {group}: {before} → {after}.",
        "disagree_on": "{cell}: the groups now differ in their appreciation.",
        "disagree_off": "{cell}: the groups no longer differ in their appreciation.",
        "directions": {"improvement": "improvement", "concern": "concern", "neutral": "neutral"},
        "rated": "rated",
        "no data": "no ratings",
        "measure_names": {
            "density": "Density",
            "reciprocity": "Reciprocity",
            "transitivity": "Transitivity",
            "degree_centralization": "Centralization (degree)",
            "trust": "Trust",
            "value": "Value",
        },
        "wave": "wave {wave}",
        "evidence_counts": {
            "n_items": "items",
            "n_supports": "supporting",
            "n_contradicts": "contradicting",
            "n_refines": "refining",
            "n_inconclusive": "inconclusive",
        },
        "derived": "And {n} derived files (harmonisation, provenance, ground truth) changed with "
        "them; see the table.",
        "panel": {"heartbeat": "heartbeat per wave", "heartbeat_monthly": "heartbeat per month"},
        "measures": "Network measures",
        "trust_value": "Trust and value",
    },
}


@dataclass
class Comparison:
    """Two runs of one network compared (see the module).

    Attributes
    ----------
    network_id : str
    before, after : Path
        The earlier and the later run folder.
    before_id, after_id : str
        Their run ids.
    before_started : str
        When the earlier run started (ISO 8601).
    changes : DataFrame
        One row per change, columns :data:`CHANGE_COLUMNS`, in the order of
        :data:`ASPECTS`.
    language : {"nl", "en"}
    """

    network_id: str
    before: Path
    after: Path
    before_id: str
    after_id: str
    before_started: str
    changes: pd.DataFrame
    language: str = "nl"

    def groups(self) -> list[tuple[str, list[str]]]:
        """The changes as headed groups of sentences: an introduction, then per aspect."""
        from ..formatting import format_date

        t = _T[self.language]
        try:
            day = dt.date.fromisoformat(self.before_started[:10])
            date = format_date(day, self.language)
        except ValueError:
            date = self.before_started or "?"
        intro = [t["intro"].format(before=self.before_id, date=date)]
        intro.append(t["count"].format(n=len(self.changes)) if len(self.changes) else t["none"])
        out = [(t["title"]["compared"], intro)]
        for aspect in ASPECTS:
            rows = self.changes[self.changes["aspect"] == aspect]
            if aspect == "inputs":
                sentences = _input_sentences(rows, self.language)
            elif aspect == "signal":
                sentences = _signal_sentences(rows)
            else:
                sentences = rows["description"].tolist()
            if sentences:
                out.append((t["title"][aspect], sentences))
        return out

    def _view(self):
        from ..story.messages import KeyMessages

        return KeyMessages(self.groups())

    def _repr_html_(self) -> str:
        return self._view()._repr_html_()

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return self._view()._repr_mimebundle_(include, exclude)

    def __repr__(self) -> str:
        return repr(self._view())


def _derived(path: str) -> bool:
    """Whether an input file is made from the others (harmonisation, provenance, truth)."""
    parts = Path(path).parts
    return (
        "harmonisation" in parts or "provenance" in parts or Path(path).name == "ground_truth.json"
    )


def _input_sentences(rows: pd.DataFrame, language: str) -> list[str]:
    """The input changes a reader needs: config, theory, the network's own tables; the
    files made from them (harmonisation report, provenance, ground truth) in one sentence."""
    own = rows.loc[~rows["item"].astype(str).map(_derived).astype(bool)]
    derived = len(rows) - len(own)
    sentences = own["description"].tolist()
    if derived:
        sentences.append(_T[language]["derived"].format(n=derived))
    return sentences


def _signal_sentences(rows: pd.DataFrame) -> list[str]:
    """One sentence per indicator: its name, then its signal changes, oldest first."""
    sentences = []
    for item, group in rows.groupby("item", sort=False):
        name = str(group["name"].iloc[0] or item)
        parts = [str(d).removeprefix(f"{name}: ").rstrip(".") for d in group["description"]]
        sentences.append(f"{name}: " + "; ".join(parts) + ".")
    return sentences


def _fail(run: Path, what: str) -> RunError:
    return RunError(f"{run}: {what}")


def check_run(run: str | Path, *, running: bool = False) -> dict:
    """The manifest of a run folder that can be compared, or a RunError saying why not.

    Parameters
    ----------
    run : path
        A run folder (``output/<network_id>/<run_id>``).
    running : bool
        Accept the run that is being made (its manifest says ``running``),
        whatever its scope: how a study compares itself with its previous
        run (``verify`` re-runs a run's notebooks as an ``--only`` run).

    Raises
    ------
    RunError
        If the folder does not exist, has no readable manifest, is a failed,
        interrupted or unfinished run, a partial (``--only``) run, a
        synthesis run, or has no ``tables/`` folder.

    Examples
    --------
    >>> import json, tempfile
    >>> from pathlib import Path
    >>> run = Path(tempfile.mkdtemp()) / "20240101T090000Z.failed"
    >>> (run / "tables").mkdir(parents=True)
    >>> _ = (run / "manifest.json").write_text(json.dumps(
    ...     {"run_id": "20240101T090000Z", "network_id": "wijk-noord", "status": "failed"}))
    >>> check_run(run)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    netwerkonderzoek.exceptions.RunError: ...20240101T090000Z.failed: the run did not complete (status 'failed'); only complete runs can be compared
    """
    run = Path(run)
    if not run.is_dir():
        raise _fail(run, "no such run folder")
    manifest = read_manifest(run / "manifest.json")
    if manifest is None:
        raise _fail(
            run, "no readable manifest.json; expected a run folder made by 'netwerkonderzoek run'"
        )
    status = manifest.get("status")
    if status != "complete" and not (running and status == "running"):
        raise _fail(
            run,
            f"the run did not complete (status {status!r}); only complete runs can be compared",
        )
    if manifest.get("kind") == "synthesis":
        raise _fail(run, "a cross-network synthesis run; compare runs of one network")
    if manifest.get("scope", "full") != "full" and not running:
        raise _fail(
            run,
            "a partial run (made with --only): it lacks the other notebooks' tables; "
            "compare full runs",
        )
    if not (run / "tables").is_dir():
        raise _fail(run, "no tables/ folder; the run folder is incomplete")
    return manifest


def complete_runs(network_dir: str | Path) -> list[Path]:
    """The complete, full runs of a network, oldest first (by the time they started).

    Examples
    --------
    >>> import tempfile
    >>> complete_runs(tempfile.mkdtemp())
    []
    """
    network_dir = Path(network_dir)
    found = []
    if not network_dir.is_dir():
        return []
    for folder in network_dir.iterdir():
        if folder.name.startswith(".") or folder.is_symlink() or not folder.is_dir():
            continue
        manifest = read_manifest(folder / "manifest.json")
        if not manifest or manifest.get("status") != "complete":
            continue
        if manifest.get("scope", "full") != "full" or manifest.get("run_id") != folder.name:
            continue
        if manifest.get("kind") == "synthesis":
            continue
        found.append((str(manifest.get("started") or ""), folder.name, folder))
    return [folder for _, _, folder in sorted(found)]


def _read(run: Path, name: str) -> pd.DataFrame | None:
    path = run / "tables" / f"{name}.csv"
    if not path.is_file():
        return None
    return pd.read_csv(path, keep_default_na=True)


def _number(value, digits: int | None, language: str) -> str:
    from ..formatting import format_number

    return format_number(value, digits, language)


def _row(aspect, item, name, before, after, change, why, description) -> dict:
    return dict(
        zip(
            CHANGE_COLUMNS,
            (aspect, item, name, before, after, change, why, description),
            strict=True,
        )
    )


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _text(value) -> str:
    return "" if _missing(value) else str(value)


# --- inputs -----------------------------------------------------------------------


def _input_changes(ma: dict, mb: dict, language: str) -> list[dict]:
    t = _T[language]
    rows = []
    files_a, files_b = ma.get("inputs", {}), mb.get("inputs", {})
    counts_a, counts_b = ma.get("input_rows", {}), mb.get("input_rows", {})

    def rows_text(path: str) -> str:
        before, after = counts_a.get(path), counts_b.get(path)
        if after is None:
            return ""
        if before is None:
            return t["rows_new"].format(after=_number(after, 0, language))
        return t["rows"].format(
            before=_number(before, 0, language), after=_number(after, 0, language)
        )

    for path in sorted(set(files_a) | set(files_b)):
        before, after = files_a.get(path), files_b.get(path)
        if before == after:
            continue
        change = "added" if before is None else "removed" if after is None else "changed"
        text = t[f"file_{change}"].format(item=_shown_path(path), rows=rows_text(path))
        rows.append(
            _row(
                "inputs",
                path,
                "",
                counts_a.get(path, ""),
                counts_b.get(path, ""),
                change,
                "",
                text,
            )
        )
    theory_a, theory_b = ma.get("theory") or {}, mb.get("theory") or {}
    if theory_a and theory_b and theory_a.get("version") != theory_b.get("version"):
        before, after = theory_a.get("version"), theory_b.get("version")
        rows.append(
            _row(
                "inputs",
                "theory",
                str(theory_b.get("label") or ""),
                before,
                after,
                "changed",
                "",
                t["theory"].format(before=before, after=after),
            )
        )
    code_a, code_b = ma.get("library"), mb.get("library")
    if code_a and code_b and code_a != code_b:
        commit_a = ((ma.get("git") or {}).get("commit") or code_a.split(":")[-1])[:10]
        commit_b = ((mb.get("git") or {}).get("commit") or code_b.split(":")[-1])[:10]
        rows.append(
            _row(
                "inputs",
                "code",
                "",
                commit_a,
                commit_b,
                "changed",
                "",
                t["code"].format(before=commit_a, after=commit_b),
            )
        )
    return rows


def _shown_path(path: str) -> str:
    """An input as a reader knows it: from its ``config/`` or ``data/`` folder on.

    The manifest records inputs outside the project by their absolute path;
    the sentence names ``data/wijk-noord/ties.csv``, the table keeps the path.
    """
    parts = Path(path).parts
    for i in range(len(parts) - 1, -1, -1):
        if parts[i] in ("config", "data"):
            return Path(*parts[i:]).as_posix()
    return path


def _theory_changed(ma: dict, mb: dict) -> bool:
    """Whether the two runs read another programme theory (file or version)."""
    theory_a, theory_b = ma.get("theory") or {}, mb.get("theory") or {}
    if theory_a and theory_b:
        return theory_a.get("version") != theory_b.get("version") or theory_a.get(
            "sha256"
        ) != theory_b.get("sha256")
    paths = [p for p in set(ma.get("inputs", {})) | set(mb.get("inputs", {})) if "theories/" in p]
    return any(ma.get("inputs", {}).get(p) != mb.get("inputs", {}).get(p) for p in paths)


# --- verdicts ---------------------------------------------------------------------

_EVIDENCE = ("n_items", "n_supports", "n_contradicts", "n_refines", "n_inconclusive")
_UNITS = ("n", "n_exposed_in", "n_unexposed_in")


def _differs(r: dict, columns: tuple[str, ...]) -> bool:
    for column in columns:
        a, b = r.get(f"{column}_before"), r.get(column)
        if _missing(a) and _missing(b):
            continue
        if _missing(a) or _missing(b) or float(a) != float(b):
            return True
    return False


def _verdict_label(verdict, language: str) -> str:
    from ..figures import label

    return label(str(verdict), language).lower() if isinstance(verdict, str) else "–"


def _why(r: dict, theory: bool, language: str) -> tuple[list[str], str]:
    t = _T[language]["why"]
    codes, parts = [], []
    if theory:
        codes.append("theory")
        parts.append(t["theory"])
    if _differs(r, _EVIDENCE):
        codes.append("evidence")
        words = _T[language]["evidence_counts"]
        counts = [
            f"{words[c]} {_number(r.get(f'{c}_before'), 0, language)} → "
            f"{_number(r.get(c), 0, language)}"
            for c in _EVIDENCE
            if _differs(r, (c,))
        ]
        parts.append(t["evidence"].format(counts=", ".join(counts)))
    if _differs(r, _UNITS):
        codes.append("data")
        parts.append(
            t["data"].format(
                before=_number(r.get("n_before"), 0, language),
                after=_number(r.get("n"), 0, language),
                exp_before=_number(r.get("n_exposed_in_before"), 0, language),
                exp_after=_number(r.get("n_exposed_in"), 0, language),
            )
        )
    if not codes:
        codes.append("method")
        parts.append(t["method"])
    return codes, "; ".join(parts)


def _verdict_changes(a, b, theory: bool, language: str) -> list[dict]:
    t = _T[language]
    if a is None or b is None:
        return []
    merged = a.merge(b, on="cmo_id", how="outer", suffixes=("_before", ""), indicator=True)
    rows = []
    for r in merged.sort_values("cmo_id").to_dict("records"):
        cmo = str(r["cmo_id"]).upper()
        old, new = r.get("verdict_before"), r.get("verdict")
        if r["_merge"] == "right_only":
            text = t["verdict_added"].format(cmo=cmo, after=_verdict_label(new, language))
            rows.append(_row("verdict", r["cmo_id"], "", "", new, "added", "theory", text))
            continue
        if r["_merge"] == "left_only":
            text = t["verdict_removed"].format(cmo=cmo, before=_verdict_label(old, language))
            rows.append(_row("verdict", r["cmo_id"], "", old, "", "removed", "theory", text))
            continue
        context_a, context_b = (
            _text(r.get("refined_context_before")),
            _text(r.get("refined_context")),
        )
        if old == new and (new != "refined" or context_a == context_b):
            continue
        codes, why = _why(r, theory, language)
        if old == new:
            text = t["verdict_refined"].format(cmo=cmo, before=context_a, after=context_b, why=why)
            rows.append(
                _row(
                    "verdict",
                    r["cmo_id"],
                    "",
                    context_a,
                    context_b,
                    "refined",
                    ";".join(codes),
                    text,
                )
            )
            continue
        text = t["verdict_changed"].format(
            cmo=cmo,
            before=_verdict_label(old, language),
            after=_verdict_label(new, language),
            why=why,
        )
        rows.append(_row("verdict", r["cmo_id"], "", old, new, "changed", ";".join(codes), text))
    return rows


# --- heartbeat signals ------------------------------------------------------------


def _codes(flag) -> str:
    """A cell of rule codes as ``"shift; trend"``; a run made before the panel used the
    rule sets wrote the Western Electric rule's number (0: none)."""
    if _missing(flag):
        return ""
    text = str(flag).strip()
    if text.replace(".", "", 1).isdigit():  # 0, 2 or 2.0
        number = int(float(text))
        return f"we{number}" if number else ""
    return text


def _episodes(table: pd.DataFrame, key: str, codes: str) -> dict:
    """Signal episodes per (indicator, rule): runs of consecutive flagged periods.

    Returns ``{(indicator, rule): [(periods, direction), ...]}`` with
    ``periods`` the list of the episode's periods in order.
    """
    out: dict = {}
    for indicator, rows in table.groupby(key, sort=False):
        rows = rows.sort_values("period", kind="stable")
        flags = [_codes(flag) for flag in rows[codes].astype(object).tolist()]
        periods = rows["period"].tolist()
        directions = (
            rows["direction"].astype(object).fillna("").astype(str).tolist()
            if "direction" in rows
            else [""] * len(rows)
        )
        rules = sorted({code for flag in flags for code in flag.split("; ") if code})
        for rule in rules:
            current: list[str] = []
            direction = ""
            for period, flag, way in zip(
                [*periods, None], [*flags, ""], [*directions, ""], strict=True
            ):
                if rule in flag.split("; "):
                    current.append(period)
                    direction = direction or way
                elif current:
                    out.setdefault((str(indicator), rule), []).append((current, direction))
                    current, direction = [], ""
    return out


def _signal_changes(
    a,
    b,
    names: dict[str, str],
    language: str,
    *,
    key: str = "indicator_id",
    codes: str = "signals",
) -> list[dict]:
    """New, ended and withdrawn signal episodes between two tables of control charts.

    ``key`` names the indicator column and ``codes`` the column of rule codes
    (``"shift; trend"``): ``indicator_spc`` has ``indicator_id`` and
    ``signals``, the heartbeat panels ``indicator`` and ``rule``.
    """
    from ..heartbeat.spc import signal_label

    t = _T[language]
    if a is None or b is None or codes not in a or codes not in b:
        return []
    before, after = _episodes(a, key, codes), _episodes(b, key, codes)
    last_a = {str(k): v["period"].max() for k, v in a.groupby(key)}
    last_b = {str(k): v["period"].max() for k, v in b.groupby(key)}
    rows = []
    for episode in sorted(set(before) | set(after)):
        indicator, rule = episode
        name = names.get(indicator, indicator)
        words = {"name": name, "rule": signal_label(rule, language)}
        old, new = before.get(episode, []), after.get(episode, [])
        for periods, direction in new:
            if not any(set(periods) & set(p) for p, _ in old):
                start, end = (_period_text(p, language) for p in (periods[0], periods[-1]))
                text = t["signal_new" if start != end else "signal_new_one"].format(
                    **words,
                    direction=t["directions"].get(direction, direction or "–"),
                    start=start,
                    end=end,
                )
                span = f"{periods[0]}/{periods[-1]}"
                why = f"rule={rule}; direction={direction or 'none'}"
                rows.append(_row("signal", indicator, name, "", span, "new", why, text))
        for periods, direction in old:
            span = f"{periods[0]}/{periods[-1]}"
            why = f"rule={rule}; direction={direction or 'none'}"
            overlapping = [p for p, _ in new if set(periods) & set(p)]
            if not overlapping:
                if indicator not in last_b or last_b[indicator] < periods[-1]:
                    continue  # the later run does not reach these periods
                start, end = (_period_text(p, language) for p in (periods[0], periods[-1]))
                text = t["signal_withdrawn"].format(**words, start=start, end=end)
                rows.append(_row("signal", indicator, name, span, "", "withdrawn", why, text))
            elif periods[-1] == last_a.get(indicator) and all(
                p[-1] < last_b[indicator] for p in overlapping
            ):
                end = max(p[-1] for p in overlapping)
                text = t["signal_ended"].format(**words, end=_period_text(end, language))
                rows.append(_row("signal", indicator, name, span, end, "ended", why, text))
    # per indicator, its changes in the order they began
    return sorted(rows, key=lambda r: (r["item"], str(r["before"] or r["after"])))


def _panel_signal_changes(ra: Path, rb: Path, language: str) -> list[dict]:
    """Signal episodes of the heartbeat panels (per wave and per month)."""
    from ..figures import label

    rows = []
    for name in ("heartbeat", "heartbeat_monthly"):
        a, b = _read(ra, name), _read(rb, name)
        if a is None or b is None or "indicator" not in a or "indicator" not in b:
            continue
        names = {}
        for indicator in set(a["indicator"].astype(str)) | set(b["indicator"].astype(str)):
            try:
                names[indicator] = f"{label(indicator, language)} ({_T[language]['panel'][name]})"
            except KeyError:
                names[indicator] = indicator
        found = _signal_changes(a, b, names, language, key="indicator", codes="rule")
        for row in found:
            row["item"] = f"{name}/{row['item']}"
        rows.extend(found)
    return rows


# --- measures with uncertainty ----------------------------------------------------


def _test(
    before: float, after: float, se_before: float, se_after: float, df: float | None = None
) -> tuple[float, float] | None:
    """z (or t) of the change and its two-sided p-value; None when it cannot be tested.

    The standard error of the difference is :math:`\\sqrt{se_A^2 + se_B^2}`;
    ``df`` None uses the normal distribution, else Student's t with ``df``
    degrees of freedom (Welch's test of two means).
    """
    from scipy import stats

    if any(_missing(x) for x in (before, after, se_before, se_after)):
        return None
    se = math.hypot(float(se_before), float(se_after))
    if se <= 0 or (df is not None and not df > 0):
        return None
    z = (float(after) - float(before)) / se
    tail = stats.norm.sf(abs(z)) if df is None else stats.t.sf(abs(z), df)
    return z, float(2 * tail)


def _holm(rows: list[dict], language: str) -> list[dict]:
    """Keep the tested rows whose Holm-adjusted p-value is below :data:`ALPHA`.

    The family is one aspect of one comparison (the network measures, trust
    and value, the value cells): with many quantities compared at once, some
    would cross an unadjusted 5% line by chance alone. Holm (1979) keeps the
    family-wise error rate at 5% under any dependence between the tests.
    Untested rows (revisions, ``not_assessed``) pass unchanged.
    """
    from statsmodels.stats.multitest import multipletests

    t = _T[language]
    tested = [r for r in rows if "_p" in r]
    if not tested:
        return rows
    adjusted = multipletests([r["_p"] for r in tested], alpha=ALPHA, method="holm")[1]
    holm = {id(r): float(value) for r, value in zip(tested, adjusted, strict=True)}
    out = []
    for r in rows:
        if "_p" not in r:
            out.append(r)
            continue
        if holm[id(r)] >= ALPHA:
            continue
        z, p, words = r.pop("_z"), r.pop("_p"), r.pop("_words")
        r["why"] = f"z={z:.2f}; p={p:.2g}; holm_p={holm[id(r)]:.2g}"
        shown = holm[id(r)]
        r["description"] = t["moved"].format(
            **words,
            z=_number(z, 1, language),
            p="= " + _number(shown, 3, language)
            if shown >= 0.001
            else "< " + _number(0.001, 3, language),
        )
        out.append(r)
    return out


def _period_text(period, language: str) -> str:
    """A wave number as "meting 3", a month ``2024-03`` as "maart 2024"."""
    from ..formatting import format_date

    if pd.api.types.is_number(period) and not _missing(period):
        return _T[language]["wave"].format(wave=int(period))
    text = str(period)
    try:
        day = dt.date.fromisoformat(f"{text}-01")
    except ValueError:
        return text
    return format_date(day, language, "MMMM yyyy")


def _estimate_changes(
    aspect: str,
    a: pd.DataFrame,
    b: pd.DataFrame,
    items: list[tuple],
    language: str,
    *,
    untested: str | None = None,
) -> list[dict]:
    """Compare the latest period of ``a`` and ``b`` per (item, name, value, se[, df]).

    ``a`` and ``b`` have a ``wave`` column and, per item, a value column and
    a standard-error column (``df``: the degrees of freedom of a t test, else
    normal). A tested row carries its z and p for :func:`_holm`, which keeps
    the changes beyond the uncertainty. ``untested``: what to name in a
    ``not_assessed`` row when a change could not be tested (None: no row).
    """
    t = _T[language]
    last_a, last_b = a["wave"].max(), b["wave"].max()
    ra, rb = a[a["wave"] == last_a].iloc[0], b[b["wave"] == last_b].iloc[0]
    rows, missing_se = [], False
    for item, name, value, se, *df in items:
        before, after = ra.get(value), rb.get(value)
        if _missing(before) or _missing(after):
            continue
        shown_before, shown_after = _number(before, 2, language), _number(after, 2, language)
        if last_a == last_b:
            if abs(float(after) - float(before)) > 1e-9:
                text = t["revised"].format(
                    name=name,
                    period=_period_text(last_a, language),
                    before=shown_before,
                    after=shown_after,
                )
                rows.append(_row(aspect, item, name, before, after, "revised", "", text))
            continue
        found = (
            _test(before, after, ra.get(se), rb.get(se), df[0] if df else None)
            if se in ra and se in rb
            else None
        )
        if found is None:
            missing_se = True
            continue
        z, p = found
        change = "increased" if z > 0 else "decreased"
        row = _row(aspect, item, name, before, after, change, "", "")
        row["_z"], row["_p"] = z, p
        row["_words"] = {
            "name": name,
            "before": shown_before,
            "after": shown_after,
            "period_before": _period_text(last_a, language),
            "period_after": _period_text(last_b, language),
        }
        rows.append(row)
    if missing_se and untested is not None:
        text = t["not_assessed"].format(what=untested)
        rows.append(_row(aspect, "*", "", "", "", "not_assessed", "no standard errors", text))
    return rows


def _measure_changes(ra: Path, rb: Path, language: str) -> list[dict]:
    """Network measures of layer ``all``: the latest waves, with node-jackknife SEs."""
    names = _T[language]["measure_names"]
    tables = [_read(run, "network_measures") for run in (ra, rb)]
    if any(x is None or x.empty for x in tables):
        return []
    frames = []
    for run, measures in zip((ra, rb), tables, strict=True):
        wide = measures[measures["layer"] == "all"].copy()
        se = _read(run, "network_uncertainty")
        if se is not None and {"wave", "layer", "measure", "se"} <= set(se.columns):
            se = se[se["layer"] == "all"].pivot_table(
                index="wave", columns="measure", values="se", aggfunc="first"
            )
            se.columns = [f"{c}_se" for c in se.columns]
            wide = wide.merge(se, left_on="wave", right_index=True, how="left")
        frames.append(wide)
    items = [(m, names[m], m, f"{m}_se") for m in COMPARED_MEASURES]
    what = _T[language]["measures"]
    rows = _estimate_changes(
        "network_measure", frames[0], frames[1], items, language, untested=what
    )
    return _holm(rows, language)


def _trust_changes(a, b, language: str) -> list[dict]:
    names = _T[language]["measure_names"]
    if a is None or b is None or a.empty or b.empty:
        return []
    items = [(m, names[m], m, f"{m}_se") for m in ("trust", "value")]
    what = _T[language]["trust_value"]
    return _holm(_estimate_changes("trust_value", a, b, items, language, untested=what), language)


# --- partners and business cases --------------------------------------------------


def _partner_names(*tables) -> dict[str, str]:
    names: dict[str, str] = {}
    for table in tables:
        if table is not None and {"partner_id", "name"} <= set(table.columns):
            for r in table.itertuples():
                names.setdefault(str(r.partner_id), str(r.name))
    return names


def _partner_changes(a, b, names: dict[str, str], language: str) -> list[dict]:
    t = _T[language]
    if a is None or b is None or a.empty or b.empty:
        return []
    last_a, last_b = a["wave"].max(), b["wave"].max()
    if last_a == last_b:
        return []
    then = set(a.loc[a["wave"] == last_a, "partner_id"].astype(str))
    now = set(b.loc[b["wave"] == last_b, "partner_id"].astype(str))
    periods = {
        "period_before": _period_text(last_a, language),
        "period_after": _period_text(last_b, language),
    }
    rows = []
    for partner in sorted(now - then):
        name = names.get(partner, partner)
        text = t["joined"].format(name=name, **periods)
        rows.append(_row("partner", partner, name, "", last_b, "joined", "", text))
    for partner in sorted(then - now):
        name = names.get(partner, partner)
        text = t["left"].format(name=name, **periods)
        rows.append(_row("partner", partner, name, last_a, "", "left", "", text))
    return rows


def _flag(value) -> bool:
    return str(value) == "True"


def _business_case_changes(a, b, language: str) -> list[dict]:
    t = _T[language]
    if a is None or b is None:
        return []
    then = {str(r.partner_id): _flag(r.flag) for r in a.itertuples()}
    rows = []
    for r in b.sort_values("partner_id").itertuples():
        partner, flag = str(r.partner_id), _flag(r.flag)
        if then.get(partner, False) == flag:
            continue
        if flag:
            text = t["flag_on"].format(name=r.name, reason=_text(r.reason))
        else:
            text = t["flag_off"].format(name=r.name)
        rows.append(
            _row(
                "business_case",
                partner,
                str(r.name),
                then.get(partner, ""),
                flag,
                "flagged" if flag else "unflagged",
                _text(r.reason),
                text,
            )
        )
    return rows


# --- value matrix -----------------------------------------------------------------


def _cell_name(perspective: str, form: str, language: str) -> str:
    from ..figures import label

    return f"{label(perspective, language)}, {label(form, language).lower()}"


def _welch(r: dict) -> tuple[list[float], float]:
    """Standard errors of a group's mean appreciation in both runs, and Welch's df.

    NaN where a run has fewer than two ratings or no standard deviation.
    """
    se, parts = [], []
    for suffix in ("_before", ""):
        sd, n = r.get(f"appreciation_sd{suffix}"), r.get(f"n_ratings{suffix}")
        if _missing(sd) or _missing(n) or float(n) < 2:
            return [float("nan"), float("nan")], float("nan")
        variance = float(sd) ** 2 / float(n)
        se.append(math.sqrt(variance))
        parts.append((variance, float(n) - 1))
    total = sum(v for v, _ in parts)
    below = sum(v**2 / d for v, d in parts)
    return se, (total**2 / below if below > 0 else float("nan"))


def _value_cell_changes(a, b, language: str) -> list[dict]:
    """Appreciation per value cell and group, and the cells' disagreement, latest periods."""
    from ..figures import label

    t = _T[language]
    if a is None or b is None or a.empty or b.empty:
        return []
    last_a, last_b = str(a["period"].astype(str).max()), str(b["period"].astype(str).max())
    ra = a[(a["period"].astype(str) == last_a) & (a["row_type"] == "appreciation")]
    rb = b[(b["period"].astype(str) == last_b) & (b["row_type"] == "appreciation")]
    keys = ["perspective", "form", "stakeholder_group"]
    merged = ra.merge(rb, on=keys, how="inner", suffixes=("_before", ""))
    rows = []
    for r in merged.to_dict("records"):
        if _text(r.get("suppressed_before")) or _text(r.get("suppressed")):
            continue  # too few raters to show: not compared either
        cell = _cell_name(r["perspective"], r["form"], language)
        group = label(str(r["stakeholder_group"]), language).lower()
        item = f"{r['perspective']}/{r['form']}/{r['stakeholder_group']}"
        name = f"{cell}, {group}"
        status_a, status_b = (
            _text(r.get("appreciation_status_before")),
            _text(r.get("appreciation_status")),
        )
        if status_a != status_b:
            text = t["status"].format(
                cell=cell,
                group=group,
                before=t.get(status_a, status_a),
                after=t.get(status_b, status_b),
            )
            rows.append(_row("value_cell", item, name, status_a, status_b, "status", "", text))
            continue
        se, df = _welch(r)
        rows.extend(
            _estimate_changes(
                "value_cell",
                pd.DataFrame([{"wave": last_a, "x": r.get("appreciation_before"), "x_se": se[0]}]),
                pd.DataFrame([{"wave": last_b, "x": r.get("appreciation"), "x_se": se[1]}]),
                [(item, name, "x", "x_se", df)],
                language,
            )
        )
    cells_a = ra.drop_duplicates(["perspective", "form"]).set_index(["perspective", "form"])
    for r in rb.drop_duplicates(["perspective", "form"]).to_dict("records"):
        key = (r["perspective"], r["form"])
        if key not in cells_a.index:
            continue
        if "disagree" not in r:
            continue
        old, new = _flag(cells_a.loc[key, "disagree"]), _flag(r["disagree"])
        if old != new:
            cell = _cell_name(*key, language)
            text = t["disagree_on" if new else "disagree_off"].format(cell=cell)
            item = f"{key[0]}/{key[1]}"
            rows.append(_row("value_cell", item, cell, old, new, "disagreement", "", text))
    return _holm(rows, language)


# --- the comparison ---------------------------------------------------------------


def _indicator_names(run: Path, language: str) -> dict[str, str]:
    definition = _read(run, "value_definition")
    if definition is None or "indicator_id" not in definition:
        return {}
    for column in ("label", f"label_{language}", "indicator_label", "name"):
        if column in definition:
            return dict(
                zip(
                    definition["indicator_id"].astype(str),
                    definition[column].astype(str),
                    strict=True,
                )
            )
    return {}


def compare_runs(
    before: str | Path, after: str | Path, *, language: str = "nl", running: bool = False
) -> Comparison:
    """Compare two runs of one network: what changed from ``before`` to ``after``.

    Parameters
    ----------
    before, after : path
        Run folders (``output/<network_id>/<run_id>``) of the same network;
        ``before`` started earlier.
    language : {"nl", "en"}
        Language of the descriptions.
    running : bool
        Accept ``after`` while it is being made (a study comparing itself
        with its previous run, :func:`changes_since_previous`).

    Returns
    -------
    Comparison
        ``changes`` has one row per change (see the module for what counts).

    Raises
    ------
    RunError
        If a folder is not a complete full run (:func:`check_run`), the two
        are runs of different networks, are the same run, or ``before``
        started after ``after``.

    Examples
    --------
    Two runs of two networks cannot be compared:

    >>> import json, tempfile
    >>> from pathlib import Path
    >>> root = Path(tempfile.mkdtemp())
    >>> for network, run_id in (("wijk-noord", "20240101T090000Z"), ("ggz-netwerk", "20240601T090000Z")):
    ...     run = root / network / run_id
    ...     (run / "tables").mkdir(parents=True)
    ...     _ = (run / "manifest.json").write_text(json.dumps({"run_id": run_id,
    ...         "network_id": network, "status": "complete", "started": run_id}))
    >>> compare_runs(root / "wijk-noord" / "20240101T090000Z",
    ...              root / "ggz-netwerk" / "20240601T090000Z")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    netwerkonderzoek.exceptions.RunError: cannot compare runs of two networks: ...20240101T090000Z is a run of wijk-noord, ...20240601T090000Z of ggz-netwerk
    """
    from ..figures import check_language

    check_language(language)
    before, after = Path(before).resolve(), Path(after).resolve()
    ma, mb = check_run(before), check_run(after, running=running)
    if ma.get("network_id") != mb.get("network_id"):
        raise RunError(
            f"cannot compare runs of two networks: {before} is a run of {ma.get('network_id')}, "
            f"{after} of {mb.get('network_id')}"
        )
    if before == after or ma.get("run_id") == mb.get("run_id"):
        raise RunError(f"{after}: a run cannot be compared with itself")
    if str(ma.get("started") or "") > str(mb.get("started") or ""):
        raise RunError(
            f"{before} started after {after} ({ma.get('started')} > {mb.get('started')}); "
            "give the earlier run first"
        )
    tables = {
        name: (_read(before, name), _read(after, name))
        for name in (
            "cmo_verdicts",
            "indicator_spc",
            "network_trust",
            "partner_measures",
            "partner_business_case_summary",
            "value_matrix",
        )
    }
    names = {**_indicator_names(before, language), **_indicator_names(after, language)}
    partners = _partner_names(
        tables["partner_business_case_summary"][1], tables["partner_business_case_summary"][0]
    )
    rows = [
        *_input_changes(ma, mb, language),
        *_verdict_changes(*tables["cmo_verdicts"], _theory_changed(ma, mb), language),
        *_signal_changes(*tables["indicator_spc"], names, language),
        *_panel_signal_changes(before, after, language),
        *_measure_changes(before, after, language),
        *_trust_changes(*tables["network_trust"], language),
        *_partner_changes(*tables["partner_measures"], partners, language),
        *_business_case_changes(*tables["partner_business_case_summary"], language),
        *_value_cell_changes(*tables["value_matrix"], language),
    ]
    changes = pd.DataFrame(rows, columns=list(CHANGE_COLUMNS)).astype(object)
    return Comparison(
        str(mb.get("network_id")),
        before,
        after,
        str(ma.get("run_id")),
        str(mb.get("run_id")),
        str(ma.get("started") or ""),
        changes,
        language,
    )


def compare_network(
    network_id: str, output_dir: str | Path = "output", *, language: str = "nl"
) -> Comparison:
    """Compare the latest two complete, full runs of ``network_id``.

    Raises
    ------
    RunError
        If the network has fewer than two complete full runs under
        ``output_dir``.

    Examples
    --------
    >>> import tempfile
    >>> compare_network("wijk-noord", tempfile.mkdtemp())  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    netwerkonderzoek.exceptions.RunError: wijk-noord has 0 complete full runs under ...; compare needs two (run 'netwerkonderzoek run wijk-noord' first)
    """
    from ..config import check_network_id

    check_network_id(network_id)
    runs = complete_runs(Path(output_dir) / network_id)
    if len(runs) < 2:
        raise RunError(
            f"{network_id} has {len(runs)} complete full run{'' if len(runs) == 1 else 's'} "
            f"under {Path(output_dir).resolve()}; compare needs two "
            f"(run 'netwerkonderzoek run {network_id}' first)"
        )
    return compare_runs(runs[-2], runs[-1], language=language)


def previous_run_folder(previous_run: str | Path, output_dir: str | Path) -> Path:
    """The folder of ``previous_run``: a run id beside ``output_dir``, or a path.

    The runner passes the previous run by its id (``20240101T090000Z``), which
    names a folder beside this run's own: in ``output/<network_id>/``.

    Examples
    --------
    >>> previous_run_folder("20240101T090000Z", "output/wijk-noord/20240701T090000Z").as_posix()
    'output/wijk-noord/20240101T090000Z'
    """
    text = str(previous_run)
    if "/" in text or "\\" in text:
        return Path(text)
    return Path(output_dir).parent / text


def changes_since_previous(
    previous_run: str | Path | None,
    output_dir: str | Path,
    *,
    language: str = "nl",
    write_to: str | Path | None = None,
) -> Comparison | None:
    """The comparison of the run being made with its previous evaluation, if any.

    How a study answers *what changed since the previous evaluation?*: the
    runner passes the network's latest complete run as the ``previous_run``
    parameter (and records it in the manifest as ``compared_with``).

    Parameters
    ----------
    previous_run : str, path or None
        The previous run: its id (a folder beside ``output_dir``) or its
        folder; None or ``""``: this is the first evaluation, there is
        nothing to compare.
    output_dir : path
        This run's folder (being made).
    language : {"nl", "en"}
    write_to : path, optional
        A ``tables/`` folder to write the comparison to, as
        ``changes_since_previous.csv`` (only when there is a comparison: a
        first evaluation writes no table, so none is mistaken for "nothing
        changed").

    Returns
    -------
    Comparison or None
        None for the first evaluation (the report then has no section on
        changes).

    Examples
    --------
    >>> import tempfile
    >>> changes_since_previous("", tempfile.mkdtemp()) is None
    True
    """
    if previous_run is None or str(previous_run) == "":
        return None
    comparison = compare_runs(
        previous_run_folder(previous_run, output_dir), output_dir, language=language, running=True
    )
    if write_to is not None:
        from ..tables import write_table

        write_table(comparison.changes, write_to, "changes_since_previous")
    return comparison
