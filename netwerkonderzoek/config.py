"""Study configuration: load and validate ``config/networks/<network_id>.yaml``.

A network's configuration names the network, states its mission and value
definition (which indicators stand for which value perspective), the survey
waves and the study period, the programme theory file and the study settings
(language, seed). It is validated on load into typed objects; any fault is a
:class:`~netwerkonderzoek.exceptions.ConfigError` that names the file, the key
path and what was expected.

Examples
--------
>>> from netwerkonderzoek.config import check_network_id
>>> check_network_id("wijk-noord")
'wijk-noord'
>>> check_network_id("../x")
Traceback (most recent call last):
...
netwerkonderzoek.exceptions.ConfigError: network id '../x' is not a slug: expected lowercase letters, digits and hyphens ([a-z0-9-]+, starting with a letter or digit)
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    field_validator,
    model_validator,
)
from pydantic import ValidationError as PydanticValidationError
from pydantic_core import PydanticCustomError

from .exceptions import ConfigError
from .vocabulary import (
    FORMS,
    PERSPECTIVES,
    RATINGS,
    SLUG_PATTERN,
    STAKEHOLDER_GROUPS,
    STANCES,
    STUDY_KINDS,
    STUDY_STATUSES,
    STUDY_TABLES,
    TIE_TYPES,
)

__all__ = [
    "CBS_MARKERS",
    "MARKER_MEANINGS",
    "VALUE_RECODINGS",
    "AgeSpec",
    "CodeBook",
    "CodeBookEntry",
    "CodedSegmentsSpec",
    "DocumentTableSpec",
    "FinancialProxy",
    "HarmonisationSettings",
    "IndicatorSpec",
    "MonetisationSettings",
    "NetworkConfig",
    "PrivacySettings",
    "SourceSpec",
    "StudyCell",
    "StudyCollection",
    "StudyPeriod",
    "StudySettings",
    "StudySpec",
    "SurveyQuestion",
    "SurveySpec",
    "UnpivotSpec",
    "WaveSpec",
    "check_network_id",
    "list_networks",
    "load_config",
    "network_config_path",
    "programme_peers",
]

SLUG = re.compile(SLUG_PATTERN)
PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")

Slug = Annotated[str, StringConstraints(pattern=SLUG.pattern, max_length=64)]
Period = Annotated[str, StringConstraints(pattern=PERIOD.pattern)]


def check_network_id(network_id: object) -> str:
    """Return ``network_id`` if it is a slug, else raise :class:`ConfigError`.

    A network id becomes a folder name, so only ``[a-z0-9-]+`` is accepted:
    no path separators, dots, quotes, spaces or newlines.

    Examples
    --------
    >>> check_network_id("energie-regio")
    'energie-regio'
    >>> check_network_id("Wijk Noord")
    Traceback (most recent call last):
    ...
    netwerkonderzoek.exceptions.ConfigError: network id 'Wijk Noord' is not a slug: expected lowercase letters, digits and hyphens ([a-z0-9-]+, starting with a letter or digit)
    """
    if not isinstance(network_id, str) or not SLUG.match(network_id) or len(network_id) > 64:
        raise ConfigError(
            f"network id {network_id!r} is not a slug: expected lowercase letters, digits "
            "and hyphens ([a-z0-9-]+, starting with a letter or digit)"
        )
    return network_id


#: The largest seed a study accepts (a seed is a 32-bit unsigned integer).
MAX_SEED = 2**32 - 1


class _Strict(BaseModel):
    # No infinite or NaN number anywhere in a config (``hours_per_day: .inf``
    # once gave "€inf per ingezette euro").
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class WaveSpec(_Strict):
    """One survey wave of the partner network: its number and fieldwork date."""

    wave: int = Field(ge=1)
    date: dt.date


class StudySettings(_Strict):
    """Study settings: period covered, survey waves, language and seed."""

    start: Period
    end: Period
    waves: list[WaveSpec] = Field(min_length=1)
    language: Literal["nl", "en"] = "nl"
    #: numpy's and the notebooks' seeds are 32-bit (0 to 2**32 - 1).
    seed: int = Field(default=0, ge=0, le=MAX_SEED)
    #: 0/1 columns of the units table whose groups the theory test reports
    #: separately (for whom does it work: ``female``).
    subgroups: list[Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")]] = []

    @model_validator(mode="after")
    def _check_order(self) -> StudySettings:
        if self.start > self.end:
            raise ValueError(f"start {self.start} is after end {self.end}")
        numbers = [w.wave for w in self.waves]
        if numbers != sorted(set(numbers)):
            raise ValueError(
                f"waves must be numbered in increasing order without repeats, got {numbers}"
            )
        return self


class FinancialProxy(_Strict):
    """A documented financial proxy: euros per unit of improvement of an indicator.

    ``value_eur`` is the value of one unit of improvement (in the indicator's
    expected direction) in one area during one month; ``low_eur`` and
    ``high_eur`` bound it for the sensitivity range. ``source`` and ``year``
    say where the figure comes from and in which year's euros it is.
    ``perspective`` says whose value the euros stand for — society, the
    network, or the partner of a partner indicator — and must be the
    indicator's own perspective; without it the indicator is not monetised
    (:func:`netwerkonderzoek.value.monetise` says so).
    """

    value_eur: float = Field(ge=0)
    perspective: Literal[PERSPECTIVES] | None = None
    low_eur: float | None = Field(default=None, ge=0)
    high_eur: float | None = Field(default=None, ge=0)
    source: str = Field(min_length=1)
    year: int = Field(ge=1900, le=2100)

    @model_validator(mode="after")
    def _check_range(self) -> FinancialProxy:
        low = self.value_eur if self.low_eur is None else self.low_eur
        high = self.value_eur if self.high_eur is None else self.high_eur
        if not low <= self.value_eur <= high:
            raise ValueError(
                f"expected low_eur <= value_eur <= high_eur, got {low} <= {self.value_eur} <= {high}"
            )
        return self


class MonetisationSettings(_Strict):
    """Shares taken off the monetised value (social-return style).

    ``deadweight``: share of the improvement that would have happened anyway;
    ``attribution``: share of the rest that is due to others than the network;
    ``displacement``: share of the rest that is only moved elsewhere (a
    problem solved here that reappears in the next neighbourhood). Net value
    = gross value x (1 - deadweight) x (1 - attribution) x (1 - displacement).
    All three must be stated (0 is a statement too) before anything is
    monetised: a share left out is not silently zero.
    """

    deadweight: float | None = Field(default=None, ge=0, le=1)
    attribution: float | None = Field(default=None, ge=0, le=1)
    displacement: float | None = Field(default=None, ge=0, le=1)
    source: str | None = None


class IndicatorSpec(_Strict):
    """How one indicator counts in the network's value definition.

    ``proxy`` (optional) is a documented financial proxy used by
    :func:`netwerkonderzoek.value.monetise`.
    """

    id: Slug
    label_nl: str
    label_en: str
    unit: str
    perspective: Literal[PERSPECTIVES]
    form: Literal[FORMS]
    direction: Literal["increase", "decrease"]
    partner_id: Slug | None = None
    proxy: FinancialProxy | None = None
    #: The value the network aims for (in the indicator's unit): the control
    #: chart says whether the process will meet it (heartbeat.spc's assurance).
    target: float | None = None
    #: The control chart: ``xmr`` (individuals), or Laney ``p`` (a share) or
    #: ``u`` (a rate), whose values are counts and whose ``denominator`` names
    #: the indicator holding the number at risk (p) or the exposure (u) per
    #: month and area in ``indicators.csv``.
    chart: Literal["xmr", "p", "u"] = "xmr"
    denominator: Slug | None = None

    @model_validator(mode="after")
    def _check_chart(self) -> IndicatorSpec:
        if self.chart == "xmr" and self.denominator is not None:
            raise PydanticCustomError(
                "source_key",
                "{message}",
                {
                    "message": f"a denominator ({self.denominator!r}) is only for a p or u "
                    f"chart; set chart: p (a share) or u (a rate), or remove it",
                    "key": "denominator",
                },
            )
        if self.chart != "xmr" and self.denominator is None:
            raise PydanticCustomError(
                "source_key",
                "{message}",
                {
                    "message": f"a {self.chart} chart needs denominator: the indicator id of "
                    f"the {'number at risk' if self.chart == 'p' else 'exposure'} per month "
                    f"and area",
                    "key": "denominator",
                },
            )
        if self.denominator == self.id:
            raise PydanticCustomError(
                "source_key",
                "{message}",
                {
                    "message": f"the denominator of {self.id!r} cannot be the indicator itself",
                    "key": "denominator",
                },
            )
        return self

    @model_validator(mode="after")
    def _check_proxy_perspective(self) -> IndicatorSpec:
        stated = self.proxy.perspective if self.proxy is not None else None
        if stated is not None and stated != self.perspective:
            raise PydanticCustomError(
                "source_key",
                "{message}",
                {
                    "message": f"the proxy is stated from the {stated} perspective, but the "
                    f"indicator counts as {self.perspective} value; a proxy values the "
                    f"indicator's own perspective",
                    "key": "proxy.perspective",
                },
            )
        return self


class PhaseSpec(_Strict):
    """A recalculation of the control limits from month ``start`` on, and why.

    A new phase is named, never found: a new policy or way of working
    (typically an event of the timeline) from which the process is expected
    to run differently. ``indicators`` limits it to some indicators (all by
    default).
    """

    start: Period
    reason: str = Field(min_length=1)
    indicators: list[Slug] | None = None


class HeartbeatSettings(_Strict):
    """How the indicators' control charts are read (:func:`netwerkonderzoek.heartbeat.spc`).

    ``rules`` names the rule set (``mdc``: Making Data Count; ``anhoej``:
    runs analysis around the median; ``western_electric``), ``shift`` and
    ``trend`` the points a shift and a trend need, ``baseline`` the points a
    phase's limits are frozen from and ``min_points`` the fewest points of a
    phase with (trial) limits.
    """

    rules: Literal["mdc", "anhoej", "western_electric"] = "mdc"
    shift: int = Field(default=7, ge=2)
    trend: int = Field(default=7, ge=2)
    baseline: int = Field(default=12, ge=2)
    min_points: int = Field(default=8, ge=2)
    phases: list[PhaseSpec] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check_phases(self) -> HeartbeatSettings:
        if self.min_points > self.baseline:
            raise PydanticCustomError(
                "source_key",
                "{message}",
                {
                    "message": f"min_points ({self.min_points}) cannot exceed baseline "
                    f"({self.baseline}): trial limits are for phases shorter than the baseline",
                    "key": "min_points",
                },
            )
        starts = [p.start for p in self.phases]
        for k in range(1, len(starts)):
            if starts[k] <= starts[k - 1]:
                raise PydanticCustomError(
                    "source_key",
                    "{message}",
                    {
                        "message": f"phase starts must be in date order without repeats; "
                        f"{starts[k]} follows {starts[k - 1]}",
                        "key": f"phases.{k}.start",
                    },
                )
        return self


# --- the network's research agenda (issue 20, part 3) ---------------------------------


class StudyCell(_Strict):
    """A cell of the value matrix a study addresses: a perspective and a form."""

    perspective: Literal[PERSPECTIVES]  # type: ignore[valid-type]
    form: Literal[FORMS]  # type: ignore[valid-type]


class StudyCollection(_Strict):
    """Data a study collects: the canonical table it fills, and whom it asks.

    ``partners`` names partner organisations (ids of ``partners.csv``) and
    ``groups`` stakeholder groups (``partners``: every partner organisation);
    both may be left out (a registration nobody is asked for).
    """

    table: Literal[STUDY_TABLES]  # type: ignore[valid-type]
    partners: list[Slug] | None = None
    groups: list[Literal[STAKEHOLDER_GROUPS]] = Field(default_factory=list)  # type: ignore[valid-type]


class StudyPeriod(_Strict):
    """First and last month of a study (``YYYY-MM``)."""

    start: Period
    end: Period

    @model_validator(mode="after")
    def _check_order(self) -> StudyPeriod:
        if self.start > self.end:
            raise PydanticCustomError(
                "source_key",
                "{message}",
                {"message": f"start {self.start} is after end {self.end}", "key": "start"},
            )
        return self


class StudySpec(_Strict):
    """One study on the network's research agenda (:func:`netwerkonderzoek.value.research_agenda`).

    Several studies often run in one network at once, each with its own
    question; listed together, the agenda shows which value cells
    (perspective x form) they look at, which CMO configurations they test,
    whom they ask and when, so that nothing is done twice and no cell is
    forgotten.
    """

    id: Slug
    kind: Literal[STUDY_KINDS]  # type: ignore[valid-type]
    question: str = Field(min_length=1)
    cells: list[StudyCell] = Field(min_length=1)
    configurations: list[Slug] = Field(default_factory=list)
    collects: list[StudyCollection] = Field(default_factory=list)
    period: StudyPeriod
    status: Literal[STUDY_STATUSES]  # type: ignore[valid-type]

    @model_validator(mode="after")
    def _check_repeats(self) -> StudySpec:
        seen: set[tuple[str, str]] = set()
        for k, cell in enumerate(self.cells):
            if (cell.perspective, cell.form) in seen:
                raise PydanticCustomError(
                    "source_key",
                    "{message}",
                    {
                        "message": f"cell {cell.perspective}/{cell.form} is listed twice",
                        "key": f"cells.{k}",
                    },
                )
            seen.add((cell.perspective, cell.form))
        for k, cmo_id in enumerate(self.configurations):
            if cmo_id in self.configurations[:k]:
                raise PydanticCustomError(
                    "source_key",
                    "{message}",
                    {
                        "message": f"configuration {cmo_id!r} is listed twice",
                        "key": f"configurations.{k}",
                    },
                )
        return self


# --- recoding and wide tables (issue 17, points 3 and 4) ------------------------------

#: Built-in recodings a ``values`` entry may name instead of a map (see
#: :mod:`netwerkonderzoek.harmonise.recode`).
VALUE_RECODINGS = ("yes_no", "t_number")
#: What a missing marker of a statistics-office table stands for.
MARKER_MEANINGS = ("missing", "zero")
#: CBS StatLine's markers: ``.`` unknown, ``x`` secret (both missing), ``-`` nil (zero).
CBS_MARKERS = {".": "missing", "x": "missing", "-": "zero"}


class UnpivotSpec(_Strict):
    """A wide table read as a long one: every value column becomes rows.

    Each raw row gives one record per value column: the column's header goes
    to the canonical column ``name_to`` (a period, an indicator, an
    activity ...) and the cell to ``value_to`` (hours, value ...). The value
    columns are ``columns`` (headers, in order), or the headers matching
    ``pattern`` (a regular expression, searched), or else every column not
    mapped under the source's ``columns``, not dropped and not under
    ``exclude``. ``unit_from: indicators`` gives an indicators row the unit of
    its indicator in the configuration's ``indicators``.
    """

    columns: list[Annotated[str, StringConstraints(min_length=1)]] | None = Field(
        default=None, min_length=1
    )
    pattern: str | None = Field(default=None, min_length=1)
    exclude: list[Annotated[str, StringConstraints(min_length=1)]] = Field(default_factory=list)
    name_to: str = Field(min_length=1)
    value_to: str = Field(min_length=1)
    unit_from: Literal["indicators"] | None = None

    @model_validator(mode="after")
    def _check(self) -> UnpivotSpec:
        if self.columns is not None and self.pattern is not None:
            raise ValueError("give the value columns as columns or as pattern, not both")
        if self.pattern is not None:
            try:
                re.compile(self.pattern)
            except re.error as exc:
                raise ValueError(
                    f"pattern {self.pattern!r} is not a regular expression: {exc}"
                ) from None
        if self.name_to == self.value_to:
            raise ValueError(f"name_to and value_to are both {self.name_to!r}")
        if self.columns is not None and len(set(self.columns)) != len(self.columns):
            raise ValueError(f"a column is listed twice under columns: {self.columns}")
        return self


class AgeSpec(_Strict):
    """Derive an age in whole years from a birth date column, which is then dropped.

    ``birth_date`` names the raw column (it must also be listed under the
    source's ``drop``: a birth date is a direct identifier); ``as_of`` is the
    reference date, ``wave`` (the fieldwork date of the row's wave in
    ``study.waves``) or a fixed date; ``to`` is the units column written.
    """

    birth_date: str = Field(min_length=1)
    as_of: Literal["wave"] | dt.date = "wave"
    to: str = Field(default="age", pattern=r"^[a-z][a-z0-9_]*$")


def _values_key(column: str, raw: object) -> str:
    """A ``values`` map key or value as text; a YAML boolean is refused (it was a word)."""
    if isinstance(raw, bool):
        raise PydanticCustomError(
            "source_key",
            "{message}",
            {
                "message": f"YAML read an unquoted word (yes, no, on, off, true, false) as the "
                f"boolean {raw}; quote it, such as 'Ja': 1 or 'yes': 1",
                "key": column,
            },
        )
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return format(raw, "g") if isinstance(raw, float) else str(raw)
    if isinstance(raw, str):
        return raw
    raise PydanticCustomError(
        "source_key",
        "{message}",
        {
            "message": f"expected text or a number, got {type(raw).__name__} {raw!r}",
            "key": column,
        },
    )


# --- partner-network surveys (harmonise/survey.py) ------------------------------------
SURVEY_TOOLS = ("limesurvey", "qualtrics", "forms", "spss", "generic")
#: What a survey question measures about a tie: its presence, weight, PARTNER
#: relationship intensity (1 awareness .. 4 integration, written as ``weight``)
#: or one of the PARTNER ratings.
SURVEY_MEASURES = ("present", "weight", "intensity", *RATINGS)


class SurveyQuestion(_Strict):
    """One roster or matrix question of a partner-network survey.

    ``question`` is the question text (or code) that heads its columns: a
    column belongs to it when its header is the question followed by a
    partner, as ``Question [Partner]`` / ``Q1[SQ001]`` (LimeSurvey),
    ``Question - Partner`` / ``Q1_3`` (Qualtrics), ``Question.Partner`` or
    ``Question: Partner``; ``columns`` lists headers explicitly instead (the
    whole header names the partner when it does not start with the question).
    ``tie_type`` is the tie type measured; a rating question without one
    applies to every tie type of the pair. ``measures`` says what the answers
    are (:data:`SURVEY_MEASURES`). ``separator`` makes a presence question a
    multiple-choice roster in one column headed by the question, its cells the
    partners chosen separated by it (Microsoft Forms: ``;``).
    """

    question: str = Field(min_length=1)
    tie_type: Literal[TIE_TYPES] | None = None  # type: ignore[valid-type]
    measures: Literal[SURVEY_MEASURES] = "present"  # type: ignore[valid-type]
    columns: list[str] = Field(default_factory=list)
    separator: str | None = Field(default=None, min_length=1, max_length=1)

    @model_validator(mode="after")
    def _tie_type_needed(self) -> SurveyQuestion:
        if self.separator is not None and self.measures != "present":
            raise ValueError(
                "separator is for a multiple-choice roster in one column (the partners "
                f"chosen, separated); a question measuring {self.measures} has one column "
                "per partner"
            )
        if self.tie_type is None and self.measures in ("present", "weight", "intensity"):
            raise ValueError(
                f"a question measuring {self.measures} needs tie_type (one of "
                f"{', '.join(TIE_TYPES)}); only rating questions may leave it out"
            )
        return self


class SurveySpec(_Strict):
    """How a partner-network survey export becomes ties (``sources.N.survey``).

    See :mod:`netwerkonderzoek.harmonise.survey` for the meaning of every key
    and the defaults: ``tool`` (export shape), ``wave``, ``respondent`` (the
    column naming the respondent's organisation, matched against the partner
    list), ``questions``, ``subquestions`` (sub-question code or label to
    partner name or id), ``network_questions`` (header or question to variable
    of ``survey_respondents.csv``), ``labels`` / ``missing`` / ``yes`` / ``no``
    (added to the default label maps), ``complete`` (column telling a complete
    response), ``partial`` (``drop`` or ``use``), ``combine`` and
    ``combine_values`` (several respondents of one organisation) and
    ``reconstruct`` (``none`` or ``reciprocate``: non-respondents' outgoing
    ties from the partners' reports). One source may describe every wave's
    export at once: ``waves: [1, 2, 3]`` with ``{wave}`` in the source's
    ``file`` (``netwerkenquete-meting-{wave}.csv``) stands for one source per
    wave, so the questions are written once.
    """

    tool: Literal[SURVEY_TOOLS] = "generic"  # type: ignore[valid-type]
    wave: int | None = Field(default=None, ge=1)
    waves: list[Annotated[int, Field(ge=1)]] | None = Field(default=None, min_length=1)
    respondent: str = Field(min_length=1)
    questions: list[SurveyQuestion] = Field(min_length=1)
    subquestions: dict[str, str] = Field(default_factory=dict)
    network_questions: dict[
        str, Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
    ] = Field(default_factory=dict)
    labels: dict[str, float] = Field(default_factory=dict)
    missing: list[str] = Field(default_factory=list)
    yes: list[str] = Field(default_factory=list)
    no: list[str] = Field(default_factory=list)
    complete: str | None = None
    partial: Literal["drop", "use"] = "drop"
    combine: Literal["any", "all", "majority"] = "any"
    combine_values: Literal["mean", "median", "max", "min", "first"] = "mean"
    reconstruct: Literal["none", "reciprocate"] = "none"

    @model_validator(mode="after")
    def _check_waves(self) -> SurveySpec:
        if (self.wave is None) == (self.waves is None):
            raise ValueError(
                "give the survey's wave (one export) or waves (one export per wave, "
                "with {wave} in the file name), not both and not neither"
            )
        if self.waves is not None and len(set(self.waves)) != len(self.waves):
            raise ValueError(f"a wave is listed twice under waves: {self.waves}")
        return self


# --- coded interviews (qualitative analysis tools) -------------------------
#: Fields of a coded-segment export (:mod:`netwerkonderzoek.harmonise.qda`).
SEGMENT_FIELDS = ("document", "code", "text", "begin", "end", "position", "group")
#: Document attributes, from a document table or the tool's document variables.
DOCUMENT_FIELDS = ("date", "source_role", "partner_id")


class CodeBookEntry(_Strict):
    """What one code of the qualitative analysis tool stands for.

    ``cmo`` is the CMO configuration id the code speaks to and ``direction``
    how (``supports``, ``contradicts``, ``refines``; ``neutral`` when the code
    only says the segment is about it, the default); ``code`` is a plain code
    written to the observation's ``codes`` (a value type such as
    ``societal``). At least one of ``cmo`` and ``code``.
    """

    cmo: Slug | None = None
    direction: Literal[STANCES] | None = None
    code: Annotated[str, StringConstraints(pattern=r"^[^;:\s][^;:]*$")] | None = None

    @model_validator(mode="after")
    def _check_entry(self) -> CodeBookEntry:
        if self.cmo is None and self.code is None:
            raise ValueError("a code book entry needs cmo (a configuration id) or code (or both)")
        if self.direction is not None and self.cmo is None:
            raise ValueError(
                f"direction {self.direction!r} needs cmo: the configuration it is about"
            )
        return self


class CodeBook(_Strict):
    """The network's code book: the tool's codes mapped to configurations and directions.

    ``codes`` maps a code name, its hierarchy joined by ``separator``
    (``CMO1\\Overzicht en rust``), to a :class:`CodeBookEntry`; a sub-code
    not listed takes the entry of its nearest listed parent. ``unmapped``
    says what harmonising does with a code the book does not map:
    ``quarantine`` (default) sets the segment-code aside with a reason naming
    the known codes, ``keep`` writes it as a plain code, ``error`` stops.
    Either way the report counts them.
    """

    separator: str = Field(default="\\", min_length=1)
    unmapped: Literal["quarantine", "keep", "error"] = "quarantine"
    codes: dict[Annotated[str, StringConstraints(min_length=1)], CodeBookEntry] = Field(
        default_factory=dict
    )


class DocumentTableSpec(_Strict):
    """A small table of documents (CSV or XLSX): document name to date, role and partner.

    ``columns`` maps ``document`` (required), ``date``, ``source_role`` and
    ``partner_id`` to the table's headers. The file lies beside the export.
    """

    file: str = Field(min_length=1, pattern=r"^[^/\\][^\\]*$")
    format: Literal["csv", "xlsx"] | None = None
    sheet: str | None = None
    header_row: int = Field(default=1, ge=1)
    encoding: str = "utf-8-sig"
    delimiter: str = Field(default=";", min_length=1, max_length=1)
    columns: dict[Literal["document", "date", "source_role", "partner_id"], str]

    @field_validator("file")
    @classmethod
    def _relative_file(cls, value: str) -> str:
        if ".." in Path(value).parts:
            raise ValueError(f"file must lie inside data/raw/<network_id>/; got {value!r}")
        return value

    @model_validator(mode="after")
    def _check_columns(self) -> DocumentTableSpec:
        if "document" not in self.columns:
            raise ValueError("columns needs document: the header of the document names")
        return self

    @property
    def file_format(self) -> str:
        """``csv`` or ``xlsx``: the ``format`` key, else the file's suffix."""
        if self.format is not None:
            return self.format
        return "xlsx" if self.file.lower().endswith((".xlsx", ".xlsm")) else "csv"


class CodedSegmentsSpec(_Strict):
    """A coded-segment export of a qualitative analysis tool (``SourceSpec.coded_segments``).

    ``tool`` picks the layout: ``maxqda`` ("Overview of coded segments"),
    ``atlasti`` (quotation report), ``nvivo`` (coding summary), each a CSV
    or XLSX read with the source's ``format``, ``sheet``, ``header_row``,
    ``delimiter`` and ``encoding``; or ``qdpx`` (a REFI-QDA project). The
    preset's headers (Dutch and English) can be overridden per field under
    ``columns`` (``document``, ``code``, ``text``, ``begin``, ``end``,
    ``position``, ``group``). ``code_separator`` splits a cell holding several
    codes (ATLAS.ti lists them on lines); ``hierarchy_separator`` is the
    tool's separator of code levels, rewritten to the code book's.
    ``documents`` is a document table; ``variables`` names the qdpx
    variables holding ``date``, ``source_role`` and ``partner_id``.
    ``id_prefix`` starts every observation id.
    """

    tool: Literal["maxqda", "atlasti", "nvivo", "qdpx"]
    columns: dict[Literal[SEGMENT_FIELDS], str] = Field(default_factory=dict)
    code_separator: str | None = Field(default=None, min_length=1)
    hierarchy_separator: str | None = Field(default=None, min_length=1)
    documents: DocumentTableSpec | None = None
    variables: dict[Literal[DOCUMENT_FIELDS], str] = Field(default_factory=dict)
    id_prefix: Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]*$", max_length=16)] = ""

    @model_validator(mode="after")
    def _check_tool(self) -> CodedSegmentsSpec:
        if self.tool == "qdpx" and self.columns:
            raise ValueError("columns are for tabular exports; a qdpx project has no columns")
        if self.tool != "qdpx" and self.variables:
            raise ValueError(
                "variables are qdpx document variables; give a tabular export's document "
                "attributes in a documents table"
            )
        return self


class SourceSpec(_Strict):
    """One raw partner export and how it maps onto a canonical table.

    The file lives in ``data/raw/<network_id>/`` and is never edited; see
    :mod:`netwerkonderzoek.harmonise` for the meaning of every key.
    ``person_id`` (units sources only, required there) names the column of
    person ids that become the pseudonymised ``unit_id``; ``drop`` lists
    columns of direct identifiers (names, addresses, ...) that are left out
    of every output. ``values`` maps raw values to canonical ones on any
    column (or names a built-in recoding, :data:`VALUE_RECODINGS`);
    ``unpivot`` (:class:`UnpivotSpec`) reads a wide table, ``missing_markers``
    a statistics office's markers (:data:`CBS_MARKERS`), and ``age``
    (:class:`AgeSpec`) derives an age from a birth date column that is dropped.
    """

    file: str = Field(min_length=1, pattern=r"^[^/\\][^\\]*$")
    table: Literal["contributions", "indicators", "ties", "events", "observations", "units"]
    format: Literal["csv", "xlsx", "sav"] | None = None
    sheet: str | None = None
    header_row: int = Field(default=1, ge=1)
    encoding: str = "utf-8-sig"
    delimiter: str = Field(default=";", min_length=1, max_length=1)
    decimal: Literal[",", "."] = ","
    thousands: Literal[".", ",", " ", ""] = "."
    columns: dict[str, str] = Field(default_factory=dict)
    constants: dict[str, str | int | float] = Field(default_factory=dict)
    partner_id: Slug | None = None
    partner_names: dict[str, Slug] = Field(default_factory=dict)
    values: dict[str, dict[str, str] | Literal["yes_no", "t_number"]] = Field(default_factory=dict)
    units: dict[str, str] = Field(default_factory=dict)
    period_format: Literal[
        "auto", "iso", "month_name", "quarter", "year", "excel", "dmy", "mdy"
    ] = "auto"
    quarter: Literal["first", "split"] | None = None
    total_labels: list[str] = Field(
        default_factory=lambda: ["totaal", "subtotaal", "eindtotaal", "total", "som"]
    )
    person_id: str | None = Field(default=None, min_length=1)
    drop: list[Annotated[str, StringConstraints(min_length=1)]] = Field(default_factory=list)
    # recoding and wide tables (issue 17, points 3 and 4): see harmonise.recode, .unpivot
    unpivot: UnpivotSpec | None = None
    missing_markers: dict[str, Literal["missing", "zero"]] | Literal["cbs"] = Field(
        default_factory=dict
    )
    age: AgeSpec | None = None

    @field_validator("values", mode="before")
    @classmethod
    def _values_as_text(cls, value: object) -> object:
        # YAML gives numbers (1: Ja) and booleans (yes: 1) as keys and values: numbers
        # become their text, booleans are refused (a word read as a boolean).
        if not isinstance(value, dict):
            return value
        return {
            column: (
                {_values_key(column, k): _values_key(column, v) for k, v in mapping.items()}
                if isinstance(mapping, dict)
                else mapping
            )
            for column, mapping in value.items()
        }

    @property
    def markers(self) -> dict[str, str]:
        """The missing markers as a map (``missing_markers: cbs`` is :data:`CBS_MARKERS`)."""
        if self.missing_markers == "cbs":
            return dict(CBS_MARKERS)
        return dict(self.missing_markers)

    survey: SurveySpec | None = None
    # How messages name the source (set by NetworkConfig: a survey source with
    # waves becomes one source per wave, all named after their entry).
    _key: str | None = PrivateAttr(default=None)
    #: A coded-segment export or qdpx project of a qualitative analysis tool.
    coded_segments: CodedSegmentsSpec | None = None

    @field_validator("file")
    @classmethod
    def _relative_file(cls, value: str) -> str:
        if ".." in Path(value).parts:
            raise ValueError(f"file must lie inside data/raw/<network_id>/; got {value!r}")
        return value

    @model_validator(mode="after")
    def _check_separators(self) -> SourceSpec:
        if self.thousands == self.decimal:
            raise ValueError(
                f"thousands separator {self.thousands!r} equals the decimal separator"
            )
        return self

    @model_validator(mode="after")
    def _check_survey(self) -> SourceSpec:
        if self.survey is not None and self.table != "ties":
            raise PydanticCustomError(
                "source_key",
                "{message}",
                {"message": f"a survey source feeds ties, not {self.table}", "key": "survey"},
            )
        if (self.survey is not None and self.survey.waves is not None) != ("{wave}" in self.file):
            raise PydanticCustomError(
                "source_key",
                "{message}",
                {
                    "message": "a survey source with waves names its files with {wave} (such "
                    "as netwerkenquete-{wave}.csv), and only such a source does; got "
                    f"file {self.file!r}",
                    "key": "file",
                },
            )
        if self.survey is None and self.file_format == "sav":
            raise PydanticCustomError(
                "source_key",
                "{message}",
                {"message": "an SPSS .sav file is read as a survey: add survey", "key": "survey"},
            )
        return self

    @model_validator(mode="after")
    def _check_personal_data(self) -> SourceSpec:
        def fail(key: str, message: str) -> None:
            # ``key`` extends the error's key path (see config_error_from_pydantic).
            raise PydanticCustomError("source_key", "{message}", {"message": message, "key": key})

        if self.table == "units" and self.person_id is None:
            fail(
                "person_id",
                "a units source needs person_id: the raw column of person ids (client or "
                "resident numbers); they become the pseudonymised unit_id",
            )
        if self.table != "units" and self.person_id is not None:
            fail(
                "person_id",
                f"person_id is only for units sources; table {self.table} has no person ids",
            )
        if "unit_id" in self.columns or "unit_id" in self.constants:
            group = "columns" if "unit_id" in self.columns else "constants"
            fail(f"{group}.unit_id", "unit_id is made from person_id; do not map it")
        seen: set[str] = set()
        for i, column in enumerate(self.drop):
            if column in seen:
                fail(f"drop.{i}", f"column {column!r} is listed twice")
            seen.add(column)
            if column == self.person_id:
                fail(
                    f"drop.{i}",
                    f"column {column!r} is the person_id column: it is pseudonymised, not dropped",
                )
            mapped = [name for name, header in self.columns.items() if header == column]
            if mapped:
                fail(
                    f"drop.{i}",
                    f"column {column!r} is dropped but mapped to {mapped[0]} under columns",
                )
        if self.age is not None:
            if self.table != "units":
                fail("age", f"an age is derived for units sources only; table is {self.table}")
            if self.age.birth_date not in self.drop:
                fail(
                    "age.birth_date",
                    f"column {self.age.birth_date!r} is a birth date, a direct identifier: "
                    "list it under drop as well (the age is derived before it is dropped)",
                )
            if self.age.to in self.columns or self.age.to in self.constants:
                fail("age.to", f"column {self.age.to!r} is both derived and mapped; choose one")
            if self.unpivot is not None:
                fail("age", "an age cannot be derived in a wide source (unpivot); use a long one")
            if (
                self.age.as_of == "wave"
                and "wave" not in self.columns
                and "wave" not in self.constants
            ):
                fail("age.as_of", "age as of the wave's date needs a wave column (columns.wave)")
        if self.unpivot is not None:
            for group in ("columns", "constants"):
                for target in (self.unpivot.name_to, self.unpivot.value_to):
                    if target in getattr(self, group):
                        fail(
                            f"unpivot.{'name_to' if target == self.unpivot.name_to else 'value_to'}",
                            f"{target!r} is filled by the unpivot but also listed under {group}; "
                            "choose one",
                        )
        return self

    @model_validator(mode="after")
    def _check_coded_segments(self) -> SourceSpec:
        if self.coded_segments is None:
            return self
        if self.table != "observations":
            raise PydanticCustomError(
                "source_key",
                "{message}",
                {
                    "message": f"coded_segments feed table observations, not {self.table}",
                    "key": "coded_segments",
                },
            )
        mapped = [c for c in self.columns if c not in ("date", "source_role", "partner_id")]
        if mapped:
            raise PydanticCustomError(
                "source_key",
                "{message}",
                {
                    "message": f"{mapped[0]!r} is made from the coded segments; map segment "
                    "fields under coded_segments.columns",
                    "key": f"columns.{mapped[0]}",
                },
            )
        return self

    @property
    def file_format(self) -> str:
        """``csv``, ``xlsx`` or ``sav``: the ``format`` key, else the file's suffix."""
        if self.format is not None:
            return self.format
        if self.file.lower().endswith((".sav", ".zsav")):
            return "sav"
        return "xlsx" if self.file.lower().endswith((".xlsx", ".xlsm")) else "csv"


class HarmonisationSettings(_Strict):
    """Unit conversions and rounding used when harmonising raw sources.

    ``hours_per_day`` converts days to hours; ``fte_hours_per_year`` converts
    FTE to hours (a monthly FTE figure is ``fte_hours_per_year / 12`` hours per
    FTE, a quarterly one ``/ 4``); ``decimals`` rounds canonical columns after
    conversion (hours to 0.01 h, costs to the cent by default).
    ``max_quarantine_share`` is the largest share of a source's data rows
    (accepted plus quarantined; duplicates and total rows not counted) that
    may be quarantined: above it, or when every data row of a source is
    quarantined, harmonising fails and writes only its report and quarantine
    (:func:`netwerkonderzoek.harmonise.quarantine_problems`). 1.0 fails only
    on a source that is entirely quarantined.
    """

    hours_per_day: float = Field(default=8.0, gt=0)
    fte_hours_per_year: float = Field(default=1600.0, gt=0)
    decimals: dict[str, int] = Field(default_factory=lambda: {"hours": 2, "costs_eur": 2})
    max_quarantine_share: float = Field(default=0.5, ge=0, le=1)


class ReportSettings(_Strict):
    """How the report's documents are made.

    ``docx_template`` names a reference Word document (``.docx``) whose
    styles, page size and margins ``report.docx`` uses (its own text is left
    out); a relative path is relative to the configuration folder (the one
    holding ``networks/``). The researcher's discussion and recommendations
    are read from ``networks/<network_id>.discussie.txt`` beside the config.
    """

    docx_template: str | None = Field(default=None, min_length=1, pattern=r".*\.docx$")


class PrivacySettings(_Strict):
    """Protection of personal data in the network's outputs.

    ``min_cell`` is the smallest count of persons (units, respondents) a
    table, figure or report may show; smaller counts are suppressed, across
    the tables of a run (:func:`netwerkonderzoek.privacy.suppress_linked`).
    Counts of coded observations are counts of fragments, not persons.
    ``key_file`` names the pseudonymisation key file, kept outside the
    repository (:func:`netwerkonderzoek.privacy.load_key`); a relative path is
    relative to the configuration folder (the one holding ``networks/``).
    ``free_text`` says what harmonising does with a direct identifier (BSN,
    e-mail address, phone number, postcode with house number, street and
    house number) found inside a free-text cell such as an observation's
    text: ``mask`` (default) replaces it by ``[BSN]``, ``[e-mail]`` ... and
    counts it in the harmonisation report; ``quarantine`` quarantines the row
    (without the identifier). :func:`netwerkonderzoek.privacy.mask_text_identifiers`
    """

    min_cell: int = Field(default=5, ge=1)
    key_file: str | None = None
    free_text: Literal["mask", "quarantine"] = "mask"


class NetworkConfig(_Strict):
    """Validated configuration of one network (``config/networks/<id>.yaml``).

    Attributes
    ----------
    network_id : str
        Slug identifying the network; also the name of its data and output folders.
    name, mission, task : str
        How the network describes itself.
    study : StudySettings
        Period, waves, language and seed.
    indicators : list of IndicatorSpec
        The value definition: each indicator's perspective, form and direction.
    theory : str
        Programme theory file, relative to the configuration folder.
    sources : list of SourceSpec
        Raw partner exports in ``data/raw/<network_id>/`` that
        :func:`netwerkonderzoek.harmonise.harmonise_network` turns into
        canonical tables (empty: the canonical tables are maintained directly).
    harmonisation : HarmonisationSettings
        Unit conversions and rounding applied to the sources.
    monetisation : MonetisationSettings or None
        Deadweight and attribution shares for :func:`netwerkonderzoek.value.monetise`
        (optional; used with the indicators' financial proxies).
    privacy : PrivacySettings
        Small-cell threshold for outputs and the pseudonymisation key file
        (optional key ``privacy``; default ``min_cell: 5``).
    programme : str or None
        Slug of a programme the network belongs to. Networks of one
        programme may show each other's partners and hours in their reports
        (network load); a network without one shows only its own partners and,
        per partner, how many other networks it sits in
        (:func:`netwerkonderzoek.network.partner_load`, :func:`programme_peers`).
    studies : list of StudySpec
        The studies on the network's research agenda: their questions, value
        cells, configurations, data, period and status (optional; see
        :func:`netwerkonderzoek.value.research_agenda`).
    codebook : CodeBook
        The code book of coded interviews: the qualitative analysis tool's
        codes mapped to configuration ids and directions of evidence.
    path : pathlib.Path or None
        The file the configuration was read from (set by :func:`load_config`).
    """

    network_id: Slug
    name: str = Field(min_length=1)
    mission: str = Field(min_length=1)
    task: str = Field(min_length=1)
    study: StudySettings
    indicators: list[IndicatorSpec] = Field(default_factory=list)
    theory: str | None = None
    sources: list[SourceSpec] = Field(default_factory=list)
    harmonisation: HarmonisationSettings = Field(default_factory=HarmonisationSettings)
    monetisation: MonetisationSettings | None = None
    privacy: PrivacySettings = Field(default_factory=PrivacySettings)
    programme: Slug | None = None
    report: ReportSettings = Field(default_factory=ReportSettings)
    #: How the indicators' control charts are read (rule set, phases).
    heartbeat: HeartbeatSettings = Field(default_factory=HeartbeatSettings)
    #: The studies on the network's research agenda (:func:`netwerkonderzoek.value.research_agenda`).
    studies: list[StudySpec] = Field(default_factory=list)

    @field_validator("report", mode="before")
    @classmethod
    def _report_may_be_empty(cls, value: object) -> object:
        # "report:" with every key commented out (as init writes it) is YAML null
        return {} if value is None else value

    #: Codes of the qualitative analysis tool -> configurations and directions.
    codebook: CodeBook = Field(default_factory=CodeBook)
    path: Path | None = Field(default=None, exclude=True)

    @field_validator("sources")
    @classmethod
    def _one_source_per_wave(cls, value: list[SourceSpec]) -> list[SourceSpec]:
        # A survey source with waves stands for one source per wave; each copy
        # keeps the key of the entry it came from for messages.
        out: list[SourceSpec] = []
        for i, spec in enumerate(value):
            if spec.survey is None or spec.survey.waves is None:
                spec._key = f"sources.{i}"
                out.append(spec)
                continue
            for wave in spec.survey.waves:
                copy = spec.model_copy(
                    update={
                        "file": spec.file.replace("{wave}", str(wave)),
                        "survey": spec.survey.model_copy(update={"wave": wave, "waves": None}),
                    }
                )
                copy._key = f"sources.{i} (wave {wave})"
                out.append(copy)
        return out

    def source_key(self, index: int) -> str:
        """How messages name source ``index``: its entry in the file (``sources.2 (wave 3)``)."""
        return self.sources[index]._key or f"sources.{index}"

    @field_validator("studies")
    @classmethod
    def _unique_studies(cls, value: list[StudySpec]) -> list[StudySpec]:
        seen: set[str] = set()
        for k, spec in enumerate(value):
            if spec.id in seen:
                raise PydanticCustomError(
                    "source_key",
                    "{message}",
                    {"message": f"study id {spec.id!r} is defined twice", "key": f"{k}.id"},
                )
            seen.add(spec.id)
        return value

    @field_validator("indicators")
    @classmethod
    def _unique_indicators(cls, value: list[IndicatorSpec]) -> list[IndicatorSpec]:
        seen: set[str] = set()
        for spec in value:
            if spec.id in seen:
                raise ValueError(f"indicator id '{spec.id}' is defined twice")
            seen.add(spec.id)
        return value

    @model_validator(mode="after")
    def _check_heartbeat_phases(self) -> NetworkConfig:
        known = [spec.id for spec in self.indicators]
        for k, phase in enumerate(self.heartbeat.phases):
            if not (self.study.start < phase.start <= self.study.end):
                raise PydanticCustomError(
                    "source_key",
                    "{message}",
                    {
                        "message": f"phase from {phase.start} lies outside the study's months "
                        f"after its first ({self.study.start} to {self.study.end}): limits "
                        f"can only be recalculated within the series",
                        "key": f"heartbeat.phases.{k}.start",
                    },
                )
            for j, indicator in enumerate(phase.indicators or []):
                if indicator not in known:
                    raise PydanticCustomError(
                        "source_key",
                        "{message}",
                        {
                            "message": f"indicator {indicator!r} is not in the value "
                            f"definition (indicators: {', '.join(known) or 'none'})",
                            "key": f"heartbeat.phases.{k}.indicators.{j}",
                        },
                    )
        return self

    @property
    def config_dir(self) -> Path | None:
        """The configuration root (the folder holding ``networks/``)."""
        return None if self.path is None else self.path.parent.parent

    @property
    def theory_path(self) -> Path | None:
        """Absolute path of the programme theory file, if the config names one."""
        root = self.config_dir
        if root is None:
            return None
        name = self.theory or f"theories/{self.network_id}.yaml"
        return (root / name).resolve()

    @property
    def docx_template(self) -> Path | None:
        """The reference Word document of ``report.docx_template`` as a path, if named."""
        if self.report.docx_template is None:
            return None
        path = Path(self.report.docx_template)
        root = self.config_dir
        return path if path.is_absolute() or root is None else (root / path).resolve()

    @property
    def key_file(self) -> Path | None:
        """The pseudonymisation key file (``privacy.key_file``) as a path, if named.

        A relative path is taken relative to the configuration folder (or the
        working directory when the configuration was not read from a file).
        """
        name = self.privacy.key_file
        if name is None:
            return None
        path = Path(name).expanduser()
        if path.is_absolute() or self.config_dir is None:
            return path
        return self.config_dir / path

    @property
    def wave_dates(self) -> dict[int, dt.date]:
        """Fieldwork date per survey wave."""
        return {w.wave: w.date for w in self.study.waves}

    def indicator(self, indicator_id: str) -> IndicatorSpec:
        """Return the spec of ``indicator_id``; KeyError names the known ids."""
        for spec in self.indicators:
            if spec.id == indicator_id:
                return spec
        known = ", ".join(s.id for s in self.indicators)
        raise KeyError(f"unknown indicator '{indicator_id}'; known: {known}")


def network_config_path(network_id: str, config_dir: str | Path = "config") -> Path:
    """Path of the configuration file of ``network_id`` under ``config_dir``.

    Examples
    --------
    >>> network_config_path("wijk-noord").as_posix()
    'config/networks/wijk-noord.yaml'
    >>> network_config_path("wijk-noord", "/srv/studie").as_posix()
    '/srv/studie/networks/wijk-noord.yaml'
    """
    check_network_id(network_id)
    return Path(config_dir) / "networks" / f"{network_id}.yaml"


def list_networks(config_dir: str | Path = "config") -> list[str]:
    """Sorted ids of the networks configured under ``config_dir/networks``.

    Raises
    ------
    ConfigError
        If the folder does not exist or a file name is not a slug.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> tmp = tempfile.TemporaryDirectory()
    >>> folder = pathlib.Path(tmp.name, "networks")
    >>> folder.mkdir()
    >>> for network_id in ("wijk-zuid", "energie-regio"):
    ...     _ = (folder / f"{network_id}.yaml").write_text("", encoding="utf-8")
    >>> list_networks(tmp.name)
    ['energie-regio', 'wijk-zuid']
    >>> tmp.cleanup()
    """
    folder = Path(config_dir) / "networks"
    if not folder.is_dir():
        raise ConfigError(
            f"configuration folder not found: expected {folder}/ with <network_id>.yaml files"
        )
    ids = []
    for path in sorted(folder.glob("*.yaml")):
        try:
            ids.append(check_network_id(path.stem))
        except ConfigError as exc:
            raise ConfigError(exc.reason, path=path) from None
    return ids


def programme_peers(config: NetworkConfig, config_dir: str | Path = "config") -> list[str]:
    r"""Ids of the other networks of ``config``'s programme (sorted; empty without one).

    Only networks whose own config names the same ``programme`` count: both
    sides must agree before one network's report shows another's partners.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> tmp = tempfile.TemporaryDirectory()
    >>> folder = pathlib.Path(tmp.name, "networks")
    >>> folder.mkdir()
    >>> study = "study: {start: '2024-01', end: '2024-12', waves: [{wave: 1, date: 2024-03-01}]}"
    >>> programmes = {"noord": "wijken", "zuid": "wijken", "regio": "energie"}
    >>> for network_id, programme in programmes.items():
    ...     text = f"network_id: {network_id}\nname: N\nmission: M\ntask: T\n"
    ...     text += f"programme: {programme}\n{study}\n"
    ...     _ = (folder / f"{network_id}.yaml").write_text(text, encoding="utf-8")
    >>> programme_peers(load_config("noord", tmp.name), tmp.name)
    ['zuid']
    >>> tmp.cleanup()
    """
    if config.programme is None:
        return []
    return [
        other
        for other in list_networks(config_dir)
        if other != config.network_id
        and load_config(other, config_dir).programme == config.programme
    ]


def read_config_yaml(path: Path) -> Any:
    r"""The YAML of a configuration file, read strictly; any fault a :class:`ConfigError`.

    A file that is missing, unreadable or not UTF-8, and YAML that is
    invalid, repeats a key or holds an impossible date, are errors naming
    the file (and the line and column in the YAML).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> tmp = tempfile.TemporaryDirectory()
    >>> path = pathlib.Path(tmp.name, "x.yaml")
    >>> _ = path.write_text("study: {start: '2024-01', waves: [{wave: 1, date: 2024-03-01}]}\n")
    >>> read_config_yaml(path)
    {'study': {'start': '2024-01', 'waves': [{'wave': 1, 'date': datetime.date(2024, 3, 1)}]}}
    >>> _ = path.write_text("name: a\nname: b\n")
    >>> try:
    ...     read_config_yaml(path)
    ... except ConfigError as exc:
    ...     print(exc.reason)
    not valid YAML at line 2, column 1: found duplicate key 'name'
    >>> tmp.cleanup()
    """
    import yaml

    from .yamlfile import load_yaml

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("file not found", path=path) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"not UTF-8 text ({exc.reason} at byte {exc.start})", path=path
        ) from None
    except OSError as exc:
        raise ConfigError(f"cannot read file ({exc.strerror})", path=path) from None
    try:
        # Safe (no Python objects from tags), and strict: a repeated key or an
        # impossible date is an error, not silently the last value or a traceback.
        return load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"not valid YAML{where}: {problem}", path=path) from None


def _short_repr(value: object) -> str:
    """Bounded repr: YAML anchors can build huge nested values cheaply."""
    import reprlib

    short = reprlib.Repr()
    short.maxstring, short.maxother, short.maxlevel = 80, 80, 3
    short.maxlist = short.maxdict = short.maxtuple = short.maxset = 4
    return short.repr(value)


def _key_path(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc) or "<root>"


def config_error_from_pydantic(exc: PydanticValidationError, path: Path) -> ConfigError:
    """A pydantic validation error as one :class:`ConfigError` naming each key at fault.

    One fault names its key (``error.key``); several are listed in one
    message, and ``error.key`` is the first of them.

    Examples
    --------
    >>> from pathlib import Path
    >>> try:
    ...     WaveSpec.model_validate({"wave": 0, "date": "2024-03-01"})
    ... except PydanticValidationError as exc:
    ...     error = config_error_from_pydantic(exc, Path("x.yaml"))
    >>> print(error)
    x.yaml, key 'wave': Input should be greater than or equal to 1; got 0
    >>> try:
    ...     WaveSpec.model_validate({"wave": 1, "date": "2024-03-01", "colour": "rood"})
    ... except PydanticValidationError as exc:
    ...     error = config_error_from_pydantic(exc, Path("x.yaml"))
    >>> error.key, error.reason
    ('colour', 'unknown key (not part of the configuration schema)')
    """
    messages = []
    for err in exc.errors():
        loc = _key_path(err["loc"])
        kind = err["type"]
        if kind == "source_key":  # a model check naming the key it is about
            key = err["ctx"]["key"] if not err["loc"] else f"{loc}.{err['ctx']['key']}"
            messages.append((key, err["ctx"]["message"]))
            continue
        if kind == "extra_forbidden":
            msg = "unknown key (not part of the configuration schema)"
        elif kind == "missing":
            msg = "required key is missing"
        else:
            msg = err["msg"]
            if "input" in err and kind not in ("model_type", "dict_type"):
                msg = f"{msg}; got {_short_repr(err['input'])}"
        messages.append((loc, msg))
    first_key, first_msg = messages[0]
    if len(messages) == 1:
        return ConfigError(first_msg, path=path, key=first_key)
    detail = "; ".join(f"key '{k}': {m}" for k, m in messages)
    error = ConfigError(f"{len(messages)} faults: {detail}", path=path)
    error.key = first_key
    return error


def load_config(network_id: str, config_dir: str | Path = "config") -> NetworkConfig:
    r"""Load and validate the configuration of one network.

    Parameters
    ----------
    network_id : str
        Slug of the network (``wijk-noord``).
    config_dir : str or Path
        Folder holding ``networks/<network_id>.yaml`` and ``theories/``.

    Returns
    -------
    NetworkConfig

    Raises
    ------
    ConfigError
        If the id is not a slug, the file is missing or not valid YAML, a key is
        unknown or missing, a value has the wrong type, the ``network_id`` in the
        file differs from its file name, or the theory file does not exist or
        lies outside the configuration folder.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> tmp = tempfile.TemporaryDirectory()
    >>> folder = pathlib.Path(tmp.name, "networks")
    >>> folder.mkdir()
    >>> text = ("network_id: noord\nname: Wijk Noord\nmission: M\ntask: T\nstudy:\n"
    ...         "  {start: '2024-01', end: '2024-12', waves: [{wave: 1, date: 2024-03-01}]}\n")
    >>> _ = (folder / "noord.yaml").write_text(text, encoding="utf-8")
    >>> config = load_config("noord", tmp.name)
    >>> config.name, config.wave_dates
    ('Wijk Noord', {1: datetime.date(2024, 3, 1)})
    >>> _ = (folder / "oost.yaml").write_text(text, encoding="utf-8")
    >>> try:
    ...     load_config("oost", tmp.name)
    ... except ConfigError as exc:
    ...     print(exc.key, "-", exc.reason)
    network_id - network_id 'noord' does not match the file name; expected 'oost'
    >>> tmp.cleanup()
    """
    check_network_id(network_id)
    path = network_config_path(network_id, config_dir)
    raw = read_config_yaml(path)
    if not isinstance(raw, dict):
        raise ConfigError(
            f"expected a mapping of keys at the top level, got {type(raw).__name__}", path=path
        )
    try:
        config = NetworkConfig.model_validate({**raw, "path": path.resolve()})
    except PydanticValidationError as exc:
        raise config_error_from_pydantic(exc, path) from None
    if config.network_id != network_id:
        raise ConfigError(
            f"network_id '{config.network_id}' does not match the file name; expected '{network_id}'",
            path=path,
            key="network_id",
        )
    theory = config.theory_path
    if theory is not None and config.config_dir is not None:
        root = config.config_dir.resolve()
        if not theory.is_relative_to(root):  # resolved: '..', absolute paths and symlinks
            raise ConfigError(
                f"the theory file {config.theory!r} lies outside the configuration folder "
                f"{root}; expected a file under it, such as theories/{network_id}.yaml",
                path=path,
                key="theory",
            )
    if config.theory is not None and theory is not None and not theory.is_file():
        raise ConfigError(f"theory file not found: {theory}", path=path, key="theory")
    return config
