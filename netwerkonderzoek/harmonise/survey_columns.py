"""Which column of a survey export is what: respondent, question x partner, metadata.

:func:`find_columns` sorts the headers of a survey export (after the
``drop`` columns are removed) into the respondent column, the completeness
column, the response id, the question columns (each with its question and
the partner it asks about), the network questions, the tools' metadata and
the other columns (ignored and counted). A header is matched on its own
text and, where the file has one, its question text (Qualtrics' second row,
SPSS variable labels).

Examples
--------
>>> partner_part("Met wie werkt u samen? [Gemeente Noord]", "Met wie werkt u samen?")
'Gemeente Noord'
>>> partner_part("Q1[SQ001]", "Q1")
'SQ001'
>>> partner_part("Vertrouwen - Woonstad", "vertrouwen")
'Woonstad'
>>> partner_part("Q3_2", "Q3")
'2'
>>> partner_part("Iets anders", "Vertrouwen") is None
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..config import SourceSpec, SurveyQuestion
from ..privacy import PrivacyError
from .errors import HarmoniseError
from .partners import PartnerList, normalise_name
from .survey_read import COMPLETE_COLUMNS, METADATA, PERSONAL_METADATA

__all__ = ["SurveyColumns", "find_columns", "partner_part"]

_BRACKET = re.compile(r"^(?P<q>.*?)\s*\[(?P<p>[^\[\]]*)\]\s*$", re.DOTALL)
_SEPARATORS = (" - ", " – ", ": ", ":", ".", "_")
_RESPONSE_IDS = frozenset(
    normalise_name(x) for x in ("id", "response id", "responseid", "antwoord id")
)


@dataclass
class SurveyColumns:
    """The roles of a survey export's columns (see :func:`find_columns`)."""

    respondent: str
    complete: str | None
    response_id: str | None
    questions: dict[str, tuple[SurveyQuestion, str]] = field(default_factory=dict)
    network: dict[str, str] = field(default_factory=dict)
    #: Multiple-choice rosters in one column: header to question (``separator`` set).
    lists: dict[str, SurveyQuestion] = field(default_factory=dict)
    metadata: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)


def partner_part(header: str, question: str) -> str | None:
    """The partner part of ``header`` when it is ``question`` followed by a partner, else None.

    Understood: ``Question [Partner]`` and ``Q1[SQ001]``; ``Question - Partner``,
    ``Question: Partner``, ``Question.Partner`` and ``Q3_1``. The question
    is compared after :func:`~.partners.normalise_name`.

    Examples
    --------
    >>> partner_part("Vertrouwen: Gemeente Noord", "Vertrouwen")
    'Gemeente Noord'
    >>> partner_part("VERTROUWEN.Woonstad", "vertrouwen")
    'Woonstad'
    >>> partner_part("Vertrouwen - ", "Vertrouwen") is None  # the question, but no partner
    True
    """
    want = normalise_name(question)
    found = _BRACKET.match(header)
    if found and normalise_name(found["q"]) == want:
        return found["p"].strip()
    for sep in _SEPARATORS:
        start = header.find(sep)
        while start > 0:
            if normalise_name(header[:start]) == want:
                rest = header[start + len(sep) :].strip()
                return rest or None
            start = header.find(sep, start + 1)
    return None


def _find(headers: list[str], texts: dict[str, str], name: str) -> str | None:
    want = normalise_name(name)
    for h in headers:
        if normalise_name(h) == want or normalise_name(texts.get(h, "")) == want:
            return h
    return None


def find_columns(
    spec: SourceSpec, raw, texts: dict[str, str], partners: PartnerList, key: str,
    config_path: object, source: object,
) -> SurveyColumns:  # fmt: skip
    """Sort the columns of a survey export by role.

    Raises
    ------
    HarmoniseError
        If the respondent or completeness column is not in the file, a
        question owns no column, or a question column names no partner (the
        message names the column, the partner part and the closest known
        name).
    PrivacyError
        If a metadata column of personal data (IP address, recipient e-mail
        or name, location) is not listed under ``drop``.

    Examples
    --------
    The headers of a LimeSurvey export; the sub-question ``WSK`` is mapped
    under ``subquestions``:

    >>> import numpy as np, pandas as pd
    >>> from netwerkonderzoek.config import SourceSpec
    >>> from netwerkonderzoek.harmonise.sources import RawTable
    >>> q = "Met wie wisselt u informatie uit?"
    >>> frame = pd.DataFrame(columns=["Antwoord ID", "Datum verstuurd", "Laatste pagina",
    ...     "Organisatie", f"{q} [Gemeente Noord]", f"{q} [WSK]",
    ...     "Hoe tevreden bent u over het netwerk?", "Opmerkingen"])
    >>> spec = SourceSpec.model_validate({"file": "partnerschap.csv", "table": "ties", "survey": {
    ...     "tool": "limesurvey", "wave": 1, "respondent": "Organisatie",
    ...     "questions": [{"question": q, "tie_type": "information"}],
    ...     "subquestions": {"WSK": "Woonstad"},
    ...     "network_questions": {"Hoe tevreden bent u over het netwerk?": "satisfaction"}}})
    >>> partners = PartnerList.from_frame(pd.DataFrame({"partner_id": ["gemeente", "woonstad"],
    ...     "name": ["Gemeente Noord", "Woonstad"]}))
    >>> raw = RawTable(frame, np.array([], dtype=np.int64), "sha")
    >>> cols = find_columns(spec, raw, {}, partners, "sources.0", None, "partnerschap.csv")
    >>> cols.respondent, cols.complete, cols.response_id
    ('Organisatie', 'Datum verstuurd', 'Antwoord ID')
    >>> [pid for _, pid in cols.questions.values()]
    ['gemeente', 'woonstad']
    >>> cols.network, cols.metadata, cols.other
    ({'Hoe tevreden bent u over het netwerk?': 'satisfaction'}, ['Antwoord ID', 'Laatste pagina'], ['Opmerkingen'])

    A sub-question that names no partner is refused with the closest name:

    >>> raw.frame = frame.rename(columns={f"{q} [WSK]": f"{q} [Woonstad Rotterdam]"})
    >>> find_columns(spec, raw, {}, partners, "sources.0", None, "partnerschap.csv")
    Traceback (most recent call last):
    ...
    netwerkonderzoek.harmonise.errors.HarmoniseError: key 'sources.0.survey.questions.0', source partnerschap.csv: column 'Met wie wisselt u informatie uit? [Woonstad Rotterdam]' (row 1) names no known partner: 'Woonstad Rotterdam' matches no partner id, name or alias in partners.csv (closest: 'Woonstad', woonstad); add it as an alias; or map the sub-question under survey.subquestions
    """
    survey = spec.survey
    headers = [str(h) for h in raw.frame.columns]
    shown = ", ".join(repr(h) for h in headers[:30]) + (" ..." if len(headers) > 30 else "")

    def fail(message: str, subkey: str) -> None:
        raise HarmoniseError(
            message, path=config_path, key=f"{key}.survey.{subkey}", source=source
        )

    respondent = _find(headers, texts, survey.respondent)
    if respondent is None:
        fail(f"respondent column {survey.respondent!r} is not in the file; its columns are {shown}",
             "respondent")  # fmt: skip
    if survey.complete is not None:
        complete = _find(headers, texts, survey.complete)
        if complete is None:
            fail(f"column {survey.complete!r} is not in the file; its columns are {shown}",
                 "complete")  # fmt: skip
    else:
        complete = next((h for h in headers if normalise_name(h) in COMPLETE_COLUMNS), None)
    response_id = next((h for h in headers if normalise_name(h) in _RESPONSE_IDS), None)
    cols = SurveyColumns(respondent, complete, response_id)
    subs = {normalise_name(k): v for k, v in survey.subquestions.items()}
    for qi, question in enumerate(survey.questions):
        if question.separator is not None:
            h = _find(headers, texts, question.question)
            if h is None:
                fail(f"column {question.question!r} (a roster in one column) is not in the file; "
                     f"its columns are {shown}", f"questions.{qi}.question")  # fmt: skip
            cols.lists[h] = question
            continue
        owned = _owned_columns(question, qi, headers, texts, shown, fail)
        _match_partners(cols, question, qi, owned, subs, partners, spec.header_row, fail)
    for name, variable in survey.network_questions.items():
        h = _find(headers, texts, name)
        if h is None:
            fail(f"network question column {name!r} is not in the file; its columns are {shown}",
                 f"network_questions.{name}")  # fmt: skip
        cols.network[h] = variable
    _sort_rest(cols, headers, key, config_path, source)
    return cols


def _owned_columns(question, qi: int, headers, texts, shown: str, fail) -> list[tuple]:
    """(header, partner part or parts) of each column the question owns; refuse none."""
    owned = []
    for h in question.columns:
        if h not in headers:
            fail(f"column {h!r} is not in the file; its columns are {shown}",
                 f"questions.{qi}.columns")  # fmt: skip
        owned.append((h, partner_part(h, question.question) or h))
    if not question.columns:
        for h in headers:
            parts = [partner_part(h, question.question)]
            if h in texts:  # Qualtrics' question text, an SPSS variable label
                parts.append(partner_part(texts[h], question.question))
                if parts[0] is not None and " - " in texts[h]:  # Q3_1: "Question - Partner"
                    parts.insert(0, texts[h].rsplit(" - ", 1)[1].strip())
            parts = [p for p in parts if p is not None]
            if parts:
                owned.append((h, parts))
    if not owned:
        fail(
            f"no column belongs to question {question.question!r}: expected headers such "
            f"as '{question.question} [Partner]' or '{question.question} - Partner'; "
            f"the file's columns are {shown}",
            f"questions.{qi}.question",
        )
    return owned


def _match_partners(cols, question, qi: int, owned, subs, partners, header_row, fail) -> None:
    """Each owned column to the partner its part names (``subquestions`` first) in ``cols``."""
    for h, parts in owned:
        parts = [parts] if isinstance(parts, str) else parts
        names = [subs.get(normalise_name(p), p) for p in parts]
        pid = next((partners.match(n) for n in names if partners.match(n)), None)
        if pid is None:
            name, part = names[-1], parts[-1]
            fail(
                f"column {h!r} (row {header_row}) names no known partner: "
                f"{partners.unknown_message(name)}"
                + ("" if name != part else "; or map the sub-question under survey.subquestions"),
                f"questions.{qi}",
            )  # fmt: skip
        if h in cols.questions:
            fail(f"column {h!r} belongs to two questions", f"questions.{qi}")
        cols.questions[h] = (question, pid)


def _sort_rest(cols: SurveyColumns, headers, key: str, config_path, source) -> None:
    """The columns of no role: metadata or other; refuse personal metadata not dropped."""
    used = {cols.respondent, cols.complete, *cols.questions, *cols.network, *cols.lists}
    for h in headers:
        if h in used:
            continue
        norm = normalise_name(h)
        if norm in PERSONAL_METADATA:
            raise PrivacyError(
                f"{config_path}, source {source}: column {h!r} holds personal data "
                f"(a survey tool's {h} field); list it under {key}.drop"
            )
        (cols.metadata if norm in METADATA else cols.other).append(h)
