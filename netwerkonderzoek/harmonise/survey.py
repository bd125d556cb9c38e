"""The partner-network survey straight from the survey tool: responses to ties.

A ``ties`` source with a ``survey`` key is a survey export (LimeSurvey,
Qualtrics, Microsoft Forms, SPSS ``.sav``; read by :mod:`.survey_read`),
one row per response. :func:`convert_survey` turns it into canonical ties of
one wave:

Columns
    ``respondent`` names the column of the respondent's organisation; its
    answers are matched against the partner list (:mod:`.partners`: id, name
    or alias, case, accents and spacing forgiven). Each question of
    ``questions`` owns the columns headed by its text followed by a partner
    (``Question [Partner]``, ``Q1[SQ001]``, ``Question - Partner``,
    ``Q3_1``, ``Question.Partner``) or listed under ``columns``; the partner
    part is looked up in ``subquestions`` (code or label to partner name or
    id), then in the partner list. A column of a question whose partner part
    names no partner is a :class:`HarmoniseError` naming the column and the
    closest known name. ``network_questions`` maps columns about the network
    as a whole (overall trust, perceived success, contribution) to variables
    of the respondent-level table. Metadata columns of the tools are ignored
    and counted; direct identifiers (``Email``, ``Name``, ``IPAddress`` ...)
    are refused unless listed under ``drop`` (:mod:`.personal`).
Answers
    ``present``: yes (``Ja``, ``Yes``, ``Y``, ``1``, a cell naming the
    partner) is a tie, no (``Nee``, ``0``) and an empty cell are no tie;
    ratings: the labels of :data:`.survey_read.SCALE` or numbers 1-4;
    ``intensity``: PARTNER's awareness (1), cooperation (2), coordination (3),
    integration (4), written as the tie's ``weight``; ``weight``: a number
    >= 0. ``labels`` adds labels (answer codes such as ``A1``) for ratings,
    intensity and weight; ``missing``, ``yes`` and ``no`` add to their maps.
    "Weet niet", "n.v.t.", "Don't know" ... are missing. A rating answer
    outside the labels is read as missing and listed in the quarantine
    (status ``missing``, naming row, column, question, partner, the answer and
    what was expected); the rest of the response is used. Any other answer
    (presence, weight, intensity) quarantines the response: its ties would be
    wrong without it. A tie's ``weight`` is its weight or intensity answer, or 1
    when the source has no question measuring either for that tie type.
Responses
    A response is partial when the tool says so (LimeSurvey: empty submit
    date; Qualtrics: ``Finished`` 0; or the ``complete`` column); ``partial:
    drop`` (default) quarantines it (kind ``partial response``), ``use``
    keeps it. Several responses for one organisation are combined:
    ``combine`` (``any``, default: a tie when any respondent reports it;
    ``all``; ``majority``) for presence and ``combine_values`` (``mean``,
    default, ``median``, ``max``, ``min``, ``first``) for ratings (rounded
    half up to whole numbers) and weights.
Non-response
    An organisation of the partner list that is a member at the wave date
    and has no usable response has *unknown* outgoing ties, not zero: the
    response table (``survey_response.csv``, see
    :func:`response_table`) records it, and network measures that depend on
    outgoing reports are flagged (:func:`netwerkonderzoek.network.response_flags`).
    ``reconstruct: reciprocate`` adds, for such an organisation, the ties
    partners reported towards it, reversed (same tie type and weight, no
    ratings); they are counted in ``reconstructed_ties``.

The respondent-level table ``survey_respondents.csv`` holds one row per
response and network question (long format): ``network_id, wave, respondent,
partner_id, status, question, value``; ``status`` is ``used``, ``partial``
or ``quarantined``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..config import NetworkConfig
from ..tables import RATINGS, SCHEMAS
from .convert import (
    PROVENANCE_COLUMNS,
    QUARANTINE_COLUMNS,
    ConvertedSource,
    safe_cell,
)
from .errors import HarmoniseError
from .partners import PartnerList, normalise_name
from .personal import protect_source
from .survey_columns import SurveyColumns, find_columns
from .survey_output import RESPONDENT_COLUMNS, RESPONSE_COLUMNS, respondent_rows, response_rows
from .survey_read import answer_value, expected_answer, is_complete, read_survey, valid_answer

__all__ = [
    "RESPONDENT_COLUMNS",
    "RESPONSE_COLUMNS",
    "ConvertedSurvey",
    "convert_survey",
    "survey_tables",
]


@dataclass
class ConvertedSurvey(ConvertedSource):
    """A survey source converted: ties, plus responses per partner and respondents.

    ``response`` has :data:`RESPONSE_COLUMNS`, ``respondents``
    :data:`RESPONDENT_COLUMNS`; ``responses_used`` counts the raw rows
    accepted (the report's ``accepted``; ``canonical_rows`` counts ties).
    """

    response: pd.DataFrame = field(default_factory=pd.DataFrame)
    respondents: pd.DataFrame = field(default_factory=pd.DataFrame)
    responses_used: int = 0


def convert_survey(
    config: NetworkConfig, index: int, raw_dir: str | Path, partners: PartnerList
) -> ConvertedSurvey:
    """Read and convert survey source ``index`` of ``config`` into ties of one wave.

    Parameters
    ----------
    config : NetworkConfig
        ``config.sources[index].survey`` describes the export.
    index : int
        Position of the source.
    raw_dir : path
        Folder of the raw files.
    partners : PartnerList
        The partner list (ids, names, aliases, membership dates).

    Returns
    -------
    ConvertedSurvey

    Raises
    ------
    HarmoniseError
        If the respondent column or a question's columns are missing, or a
        question column names no known partner (the closest name is given).
    PrivacyError
        If a column of direct identifiers is not listed under ``drop``.

    Examples
    --------
    A LimeSurvey export with full question texts as headings; the third
    response has no submit date (partial, dropped):

    >>> import pathlib, tempfile
    >>> import pandas as pd
    >>> from netwerkonderzoek.config import NetworkConfig
    >>> raw = pathlib.Path(tempfile.mkdtemp())
    >>> q = "Met wie wisselt u informatie uit?"
    >>> _ = (raw / "partnerschap.csv").write_text(
    ...     f"Antwoord ID,Datum verstuurd,Organisatie,{q} [Gemeente Noord],{q} [Woonstad]\\n"
    ...     "1,2024-03-02 10:00:00,Gemeente Noord,,Ja\\n"
    ...     "2,2024-03-04 09:12:00,Woonstad,Nee,\\n"
    ...     "3,,Welzijn Noord,Ja,Ja\\n", encoding="utf-8")
    >>> config = NetworkConfig.model_validate({
    ...     "network_id": "tiny", "name": "Klein", "mission": "m", "task": "t",
    ...     "study": {"start": "2024-01", "end": "2024-12", "waves": [{"wave": 1, "date": "2024-03-01"}]},
    ...     "sources": [{"file": "partnerschap.csv", "table": "ties", "survey": {
    ...         "tool": "limesurvey", "wave": 1, "respondent": "Organisatie",
    ...         "questions": [{"question": q, "tie_type": "information"}]}}]})
    >>> partners = PartnerList.from_frame(pd.DataFrame({
    ...     "partner_id": ["gemeente", "woonstad", "welzijn"],
    ...     "name": ["Gemeente Noord", "Woonstad", "Welzijn Noord"]}))
    >>> survey = convert_survey(config, 0, raw, partners)
    >>> survey.accepted[["wave", "source", "target", "tie_type", "weight"]].values.tolist()
    [[1, 'gemeente', 'woonstad', 'information', 1.0]]
    >>> survey.response[["partner_id", "responses", "partial", "responded"]].values.tolist()
    [['gemeente', 1, 0, True], ['welzijn', 1, 1, False], ['woonstad', 1, 0, True]]
    >>> survey.rejected[["source_row", "kind"]].values.tolist()
    [[4, 'partial response']]
    >>> survey.conversions[0]
    'survey (limesurvey, wave 1): 2 of 3 responses used, 1 member(s) without a response'
    """
    spec = config.sources[index]
    key = config.source_key(index)
    source_path = Path(raw_dir) / spec.file
    table = read_survey(spec, Path(raw_dir), key, config.path)
    spec, raw = table.spec or spec, table.raw
    _check_partner_names(spec, partners, config, key, source_path)
    partners = partners.with_names(spec.partner_names)  # the source's explicit override
    dropped = protect_source(spec, raw, None, key=key, config_path=config.path, source=source_path)
    cols: SurveyColumns = find_columns(
        spec, raw, table.texts, partners, key, config.path, source_path
    )
    state = _Responses.start(spec, raw, cols, partners)
    for i in range(len(raw.frame)):
        _read_response(state, i)
    kinds, org, complete = state.kinds, state.org, state.complete
    used = np.array([k is None for k in kinds])
    cells = [(i, r) for i, r in state.cells if used[i]]
    ties = _ties(spec, cols, raw, state.answers, used, org)
    return _result(config, index, spec, raw, cols, raw.frame, ties, kinds, state.reasons, org,
                   complete, used, partners, dropped, state.self_answers, cells)  # fmt: skip


def _check_partner_names(spec, partners: PartnerList, config, key: str, source_path) -> None:
    """Refuse a ``partner_names`` entry whose partner id is not in the partner list."""
    for name, pid in spec.partner_names.items():
        if pid not in partners:
            raise HarmoniseError(
                f"partner id {pid!r} (for {name!r}) is not in partners.csv",
                path=config.path,
                key=f"{key}.partner_names.{name}",
                source=source_path,
            )


@dataclass
class _Responses:
    """The responses read so far: per row its organisation or quarantine reason, and the answers."""

    survey: object
    raw: object
    cols: SurveyColumns
    partners: PartnerList
    names_of: dict[str, set[str]]  # partner id -> its normalised spellings
    kinds: list
    reasons: list
    org: list
    complete: np.ndarray
    # (row, target, tie_type, measure, value)
    answers: list[tuple[int, str, str | None, str, float]] = field(default_factory=list)
    self_answers: int = 0
    cells: list[tuple[int, str]] = field(default_factory=list)  # ratings read as missing

    @classmethod
    def start(cls, spec, raw, cols: SurveyColumns, partners: PartnerList) -> _Responses:
        """No response read yet; which rows the tool marks complete."""
        frame, n = raw.frame, len(raw.frame)
        names_of = {
            pid: {normalise_name(t) for t, p in partners.spellings.items() if p == pid}
            for pid in partners
        }
        complete = np.ones(n, dtype=bool)
        if cols.complete is not None:
            complete = np.array([is_complete(v) for v in frame[cols.complete]], dtype=bool)
        return cls(spec.survey, raw, cols, partners, names_of, [None] * n, [None] * n,
                   [None] * n, complete)  # fmt: skip


def _read_response(state: _Responses, i: int) -> None:
    """Response ``i``: its organisation and answers, or the reason it is quarantined."""
    cols, row = state.cols, int(state.raw.rows[i])
    pid = _respondent(state, i, row)
    if pid is None:
        return
    state.org[i] = pid
    if not state.complete[i] and state.survey.partial == "drop":
        state.kinds[i] = "partial response"
        state.reasons[i] = (
            f"row {row}, column {cols.complete!r}: partial response of {pid} "
            "(survey.partial: drop); set partial: use to keep it"
        )
        return
    bad = []
    mine: dict[tuple, tuple[float, str]] = {}  # (target, tie_type, measures) -> value, column
    _grid_answers(state, i, row, pid, bad, mine)
    unknown = _roster_answers(state, i, row, pid, bad, mine)
    if bad:
        state.kinds[i] = "unknown partner" if unknown else "label not in map"
        state.reasons[i] = "; ".join(bad)
        return
    bad = _missing_weights(row, mine)
    if bad:
        state.kinds[i] = "missing value"
        state.reasons[i] = "; ".join(bad)


def _respondent(state: _Responses, i: int, row: int) -> str | None:
    """The partner id of the responding organisation; None (and the reason) when unknown."""
    cols, partners = state.cols, state.partners
    cell = state.raw.frame[cols.respondent].iat[i]
    where = f"row {row}, column {cols.respondent!r}"
    pid = partners.match(cell) if isinstance(cell, str) and cell.strip() else None
    if pid is None:
        state.kinds[i] = "unknown partner"
        state.reasons[i] = (
            f"{where}: no organisation given; expected a partner name"
            if not isinstance(cell, str) or not cell.strip()
            else f"{where}: {partners.unknown_message(cell)}"
        )
    return pid


def _grid_answers(state: _Responses, i: int, row: int, pid: str, bad: list, mine: dict) -> None:
    """The answers in the question x partner columns; faults to ``bad``, ratings to missing."""
    frame, survey = state.raw.frame, state.survey
    for header, (question, target) in state.cols.questions.items():
        if target == pid:  # a respondent about its own organisation: not a tie, counted
            cell = frame[header].iat[i]
            state.self_answers += not (cell is None or pd.isna(cell) or str(cell).strip() == "")
            continue
        value = answer_value(
            frame[header].iat[i], question.measures, survey, state.names_of[target]
        )
        if value is None or (not np.isnan(value) and not valid_answer(value, question.measures)):
            reason = (
                f"row {row}, column {header!r} (question {safe_cell(question.question, 60)!r}, "
                f"about {target}): got {safe_cell(str(frame[header].iat[i]), 60)!r}; "
                f"expected {expected_answer(question.measures)}"
            )
            if question.measures in RATINGS:  # one rating: missing, the response stays
                state.cells.append((i, reason + "; read as missing"))
                continue
            bad.append(reason)
            continue
        state.answers.append((i, target, question.tie_type, question.measures, value))
        mine[(target, question.tie_type, question.measures)] = (value, header)


def _roster_answers(state: _Responses, i: int, row: int, pid: str, bad: list, mine: dict) -> bool:
    """The partners chosen in one-column rosters, as presence answers; whether one was unknown."""
    frame, partners = state.raw.frame, state.partners
    unknown = False
    for header, question in state.cols.lists.items():
        cell = frame[header].iat[i]
        chosen = set()
        for name in [] if cell is None or pd.isna(cell) else str(cell).split(question.separator):
            if not name.strip():
                continue
            target = partners.match(name)
            if target is None:
                unknown = True
                bad.append(
                    f"row {row}, column {header!r}: {partners.unknown_message(name.strip())}"
                )
            elif target != pid:
                chosen.add(target)
        for target in sorted(partners - {pid}):
            value = 1.0 if target in chosen else 0.0
            state.answers.append((i, target, question.tie_type, "present", value))
            mine[(target, question.tie_type, "present")] = (value, header)
    return unknown


def _missing_weights(row: int, mine: dict) -> list[str]:
    """Faults of ties the response reports but whose weight (or intensity) it leaves missing."""
    bad = []
    for (target, tie_type, measures), (value, _) in mine.items():
        size = next(
            (
                mine[(target, tie_type, m)]
                for m in ("weight", "intensity")
                if (target, tie_type, m) in mine
            ),
            None,
        )
        if measures == "present" and value > 0 and size is not None and np.isnan(size[0]):
            bad.append(
                f"row {row}, column {size[1]!r}: the {tie_type} tie to {target} is reported "
                "but its weight is missing; expected a number (or no tie)"
            )
    return bad


def _combine(values: list[float], how: str) -> float:
    known = [v for v in values if not np.isnan(v)]
    if not known:
        return np.nan
    if how == "first":
        return known[0]
    return float({"mean": np.mean, "median": np.median, "max": np.max, "min": np.min}[how](known))


def _present(values: list[float], how: str) -> bool:
    known = [v for v in values if not np.isnan(v)]
    if not known:
        return False
    if how == "all":
        return all(v > 0 for v in known)
    if how == "majority":
        return sum(v > 0 for v in known) * 2 > len(known)
    return any(v > 0 for v in known)


def _ties(spec, cols, raw, answers, used, org) -> pd.DataFrame:
    """Combine the answers of the used responses into ties (one row per tie)."""
    survey = spec.survey
    questions = [*cols.questions.values(), *((q, None) for q in cols.lists.values())]
    by = {}
    for i, target, tie_type, measures, value in answers:
        if used[i]:
            by.setdefault((org[i], target), {}).setdefault((tie_type, measures), {})[i] = value
    tie_types = list(dict.fromkeys(q.tie_type for q, _ in questions if q.tie_type is not None))
    has = {(q.tie_type, q.measures) for q, _ in questions}
    rows = []
    for (source, target), found in sorted(by.items()):
        for tie_type in tie_types:
            respondents = sorted(
                {i for k, v in found.items() if k[0] in (tie_type, None) for i in v}
            )
            if (tie_type, "present") in has:
                values = found.get((tie_type, "present"), {})
                present = _present(list(values.values()), survey.combine)
                reporters = [i for i, v in values.items() if v > 0]
            else:
                size = {
                    **found.get((tie_type, "weight"), {}),
                    **found.get((tie_type, "intensity"), {}),
                }
                present = _present(list(size.values()), survey.combine)
                reporters = [i for i, v in size.items() if v > 0]
            if not present:
                continue
            if (tie_type, "weight") in has:
                weight = _combine(
                    list(found.get((tie_type, "weight"), {}).values()), survey.combine_values
                )
            elif (tie_type, "intensity") in has:
                weight = _combine(
                    list(found.get((tie_type, "intensity"), {}).values()), survey.combine_values
                )
            else:
                weight = 1.0
            rec = {"source": source, "target": target, "tie_type": tie_type, "weight": weight,
                   "source_row": int(raw.rows[min(reporters or respondents)])}  # fmt: skip
            for rating in RATINGS:
                values = {**found.get((None, rating), {}), **found.get((tie_type, rating), {})}
                value = _combine(list(values.values()), survey.combine_values)
                rec[rating] = np.nan if np.isnan(value) else float(np.floor(value + 0.5))
            rows.append(rec)
    return pd.DataFrame(
        rows, columns=["source", "target", "tie_type", "weight", *RATINGS, "source_row"]
    )


def _members(partners: PartnerList, date) -> set[str]:
    out = set()
    for pid in partners:
        joined, left = partners.periods.get(pid, (None, None))
        if (joined is None or joined <= date) and (left is None or left > date):
            out.add(pid)
    return out


def _result(config, index, spec, raw, cols, frame, ties, kinds, reasons, org, complete, used,
            partners, dropped, self_answers, cells) -> ConvertedSurvey:  # fmt: skip
    """The converted survey: ties of the wave (reconstructed ones added), quarantine, tables."""
    survey = spec.survey
    wave = survey.wave
    date = config.wave_dates.get(wave)
    members = _members(partners, pd.Timestamp(date)) if date is not None else set(partners)
    responding = {org[i] for i in range(len(org)) if used[i]}
    ties, reconstructed = _reconstruct(survey, ties, members, responding)
    net = config.network_id
    codes, arrays = _tie_columns(ties, net, wave, index, spec, raw)
    rejected = _quarantine(net, index, spec, raw, frame, kinds, reasons, cells)
    response = response_rows(net, wave, members, org, complete, used, kinds, reconstructed)
    respondents = respondent_rows(net, wave, spec, raw, cols, frame, org, used, complete, kinds)
    conversions = [
        f"survey ({survey.tool}, wave {wave}): {int(used.sum())} of {len(used)} responses used, "
        f"{len(members - responding)} member(s) without a response"
        + (f", {sum(reconstructed.values())} ties reconstructed" if reconstructed else "")
        + (f", {self_answers} answers about the respondent's own organisation ignored" if self_answers else "")
        + (f", {len(cells)} rating(s) not understood read as missing (quarantine.csv, status missing)" if cells else ""),
        f"columns ignored: {len(cols.metadata)} metadata, {len(cols.other)} other"
        + (f" ({', '.join(repr(c) for c in cols.other[:5])}{' ...' if len(cols.other) > 5 else ''})" if cols.other else ""),
    ]  # fmt: skip
    return ConvertedSurvey(
        index=index, spec=spec, sha256=raw.sha256, sheet=raw.sheet, rows_read=len(frame),
        rejected=rejected, conversions=conversions, dropped=dropped, codes=codes,
        arrays=arrays, column_order=[*SCHEMAS["ties"].column_names, "months", "source",
                                     *PROVENANCE_COLUMNS],
        n_accepted=len(ties), response=response, respondents=respondents,
        responses_used=int(used.sum()),
    )  # fmt: skip


def _reconstruct(survey, ties: pd.DataFrame, members: set, responding: set):
    """With ``reconstruct: reciprocate``, ties towards non-responding members added reversed."""
    reconstructed = {}
    if survey.reconstruct == "reciprocate" and len(ties):
        missing = sorted(members - responding)
        extra = ties.loc[ties["target"].isin(missing)].copy()
        extra = extra.rename(columns={"source": "target", "target": "source"})
        for rating in RATINGS:
            extra[rating] = np.nan
        reconstructed = extra["source"].value_counts().to_dict()
        ties = pd.concat([ties, extra[ties.columns]], ignore_index=True)
    return ties, reconstructed


def _tie_columns(ties: pd.DataFrame, net: str, wave: int, index: int, spec, raw):
    """The ties as factorized text columns and arrays, provenance included."""
    m = len(ties)
    body = {
        "network_id": np.full(m, net, dtype=object),
        "wave": np.full(m, wave, dtype=np.int64),
        "source": ties["source"].to_numpy(dtype=object),
        "target": ties["target"].to_numpy(dtype=object),
        "tie_type": ties["tie_type"].to_numpy(dtype=object),
        "weight": ties["weight"].to_numpy(dtype=float),
        **{r: ties[r].to_numpy(dtype=float) for r in RATINGS},
    }
    text = {"network_id", "source", "target", "tie_type"}
    prov = {"source_file": spec.file, "source_sheet": raw.sheet, "source_hash": raw.sha256}
    codes, arrays = {}, {}
    for name in SCHEMAS["ties"].column_names:
        if name in text:
            c, u = pd.factorize(pd.Series(body[name], dtype=object))
            codes[name] = (c.astype(np.intp), np.asarray(u, dtype=object))
        else:
            arrays[name] = body[name]
    for name, value in prov.items():
        codes[name] = (np.zeros(m, dtype=np.intp), np.array([value], dtype=object))
    arrays["months"] = np.ones(m, dtype=np.int64)
    arrays["source"] = np.full(m, index, dtype=np.int64)
    arrays["source_row"] = ties["source_row"].to_numpy(dtype=np.int64)
    return codes, arrays


def _quarantine(net, index, spec, raw, frame, kinds, reasons, cells) -> pd.DataFrame:
    """Quarantined responses, then the ratings read as missing (status ``missing``)."""
    bad = [i for i, k in enumerate(kinds) if k is not None]
    rows = [*bad, *(i for i, _ in cells)]
    return pd.DataFrame(
        {
            "network_id": net,
            "table": "ties",
            "source": index,
            "source_file": spec.file,
            "source_sheet": raw.sheet,
            "source_row": [int(raw.rows[i]) for i in rows],
            "status": ["quarantined"] * len(bad) + ["missing"] * len(cells),
            "kind": [kinds[i] for i in bad] + ["label not in map"] * len(cells),
            "reason": [reasons[i] for i in bad] + [r for _, r in cells],
            "raw": [
                safe_cell(";".join("" if pd.isna(v) else str(v) for v in frame.iloc[i]))
                for i in rows
            ],
        },
        columns=QUARANTINE_COLUMNS,
    ).astype({"source": "int64", "source_row": "int64"})


def survey_tables(config: NetworkConfig, converted: list) -> dict[str, pd.DataFrame]:
    """``survey_response`` and ``survey_respondents`` over the survey sources, sorted.

    Empty (no tables) when no source is a survey. Written by harmonising as
    ``data/<network_id>/survey_response.csv`` and ``survey_respondents.csv``.

    Raises
    ------
    HarmoniseError
        If two survey sources give the same wave (one export per wave: the
        responses of one wave are combined within one source).

    Examples
    --------
    >>> import pandas as pd
    >>> from netwerkonderzoek.config import NetworkConfig
    >>> def source(file, wave):
    ...     return {"file": file, "table": "ties", "survey": {"wave": wave, "respondent": "Organisatie",
    ...         "questions": [{"question": "Met wie wisselt u informatie uit?", "tie_type": "information"}]}}
    >>> config = NetworkConfig.model_validate({
    ...     "network_id": "tiny", "name": "Klein", "mission": "m", "task": "t",
    ...     "study": {"start": "2024-01", "end": "2024-12",
    ...               "waves": [{"wave": 1, "date": "2024-03-01"}, {"wave": 2, "date": "2024-09-01"}]},
    ...     "sources": [source("nameting.csv", 2), source("voormeting.csv", 1), source("extra.csv", 1)]})
    >>> def converted(i):  # as convert_survey gives it, reduced to the response table
    ...     spec = config.sources[i]
    ...     response = pd.DataFrame({"wave": spec.survey.wave, "partner_id": ["woonstad", "gemeente"]})
    ...     return ConvertedSurvey(i, spec, "sha", "", 2, pd.DataFrame(), response=response,
    ...                            respondents=pd.DataFrame(columns=RESPONDENT_COLUMNS))
    >>> tables = survey_tables(config, [converted(0), converted(1)])
    >>> tables["survey_response"].values.tolist()
    [[1, 'gemeente'], [1, 'woonstad'], [2, 'gemeente'], [2, 'woonstad']]
    >>> survey_tables(config, [])
    {}
    >>> survey_tables(config, [converted(1), converted(2)])
    Traceback (most recent call last):
    ...
    netwerkonderzoek.harmonise.errors.HarmoniseError: key 'sources.2.survey.wave': wave 1 is given by two survey sources (voormeting.csv and extra.csv); expected one survey export per wave
    """
    mine = [c for c in converted if isinstance(c, ConvertedSurvey)]
    if not mine:
        return {}
    waves: dict[int, str] = {}
    for c in mine:
        wave = c.spec.survey.wave
        if wave in waves:
            raise HarmoniseError(
                f"wave {wave} is given by two survey sources ({waves[wave]} and {c.spec.file}); "
                "expected one survey export per wave",
                path=config.path,
                key=f"{config.source_key(c.index)}.survey.wave",
            )
        waves[wave] = c.spec.file
    response = pd.concat([c.response for c in mine], ignore_index=True)
    response = response.sort_values(["wave", "partner_id"], kind="stable").reset_index(drop=True)
    respondents = pd.concat([c.respondents for c in mine], ignore_index=True)
    respondents = respondents.sort_values(
        ["wave", "source_file", "source_row", "question"], kind="stable"
    ).reset_index(drop=True)
    return {"survey_response": response, "survey_respondents": respondents}
