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
    StringConstraints,
    field_validator,
    model_validator,
)
from pydantic import ValidationError as PydanticValidationError
from pydantic_core import PydanticCustomError

from .exceptions import ConfigError

__all__ = [
    "FinancialProxy",
    "HarmonisationSettings",
    "IndicatorSpec",
    "MonetisationSettings",
    "NetworkConfig",
    "PrivacySettings",
    "SourceSpec",
    "StudySettings",
    "WaveSpec",
    "check_network_id",
    "list_networks",
    "load_config",
    "network_config_path",
]

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")

Slug = Annotated[str, StringConstraints(pattern=SLUG.pattern, max_length=64)]
Period = Annotated[str, StringConstraints(pattern=PERIOD.pattern)]

PERSPECTIVES = ("societal", "network", "partner")
FORMS = ("direct", "indirect")


def check_network_id(network_id: object) -> str:
    """Return ``network_id`` if it is a slug, else raise :class:`ConfigError`.

    A network id becomes a folder name, so only ``[a-z0-9-]+`` is accepted:
    no path separators, dots, quotes, spaces or newlines.
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
    """

    value_eur: float = Field(ge=0)
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
    ``attribution``: share of the rest that is due to others than the network.
    Net value = gross value x (1 - deadweight) x (1 - attribution).
    """

    deadweight: float = Field(default=0.0, ge=0, le=1)
    attribution: float = Field(default=0.0, ge=0, le=1)
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
    perspective: Literal["societal", "network", "partner"]
    form: Literal["direct", "indirect"]
    direction: Literal["increase", "decrease"]
    partner_id: Slug | None = None
    proxy: FinancialProxy | None = None


class SourceSpec(_Strict):
    """One raw partner export and how it maps onto a canonical table.

    The file lives in ``data/raw/<network_id>/`` and is never edited; see
    :mod:`netwerkonderzoek.harmonise` for the meaning of every key.
    ``person_id`` (units sources only, required there) names the column of
    person ids that become the pseudonymised ``unit_id``; ``drop`` lists
    columns of direct identifiers (names, addresses, ...) that are left out
    of every output.
    """

    file: str = Field(min_length=1, pattern=r"^[^/\\][^\\]*$")
    table: Literal["contributions", "indicators", "ties", "events", "observations", "units"]
    format: Literal["csv", "xlsx"] | None = None
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
    values: dict[str, dict[str, str]] = Field(default_factory=dict)
    units: dict[str, str] = Field(default_factory=dict)
    period_format: Literal["auto", "iso", "month_name", "quarter", "excel", "dmy", "mdy"] = "auto"
    quarter: Literal["first", "split"] | None = None
    total_labels: list[str] = Field(
        default_factory=lambda: ["totaal", "subtotaal", "eindtotaal", "total", "som"]
    )
    person_id: str | None = Field(default=None, min_length=1)
    drop: list[Annotated[str, StringConstraints(min_length=1)]] = Field(default_factory=list)

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
    def _check_personal_data(self) -> SourceSpec:
        def fail(key: str, message: str) -> None:
            # ``key`` extends the error's key path (see _pydantic_to_config_error).
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
        return self

    @property
    def file_format(self) -> str:
        """``csv`` or ``xlsx``: the ``format`` key, else the file's suffix."""
        if self.format is not None:
            return self.format
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


class PrivacySettings(_Strict):
    """Protection of personal data in the network's outputs.

    ``min_cell`` is the smallest count of persons (units, respondents,
    observations) a table, figure or report may show; smaller counts are
    suppressed (:func:`netwerkonderzoek.privacy.suppress_small_counts`).
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
    path: Path | None = Field(default=None, exclude=True)

    @field_validator("indicators")
    @classmethod
    def _unique_indicators(cls, value: list[IndicatorSpec]) -> list[IndicatorSpec]:
        seen: set[str] = set()
        for spec in value:
            if spec.id in seen:
                raise ValueError(f"indicator id '{spec.id}' is defined twice")
            seen.add(spec.id)
        return value

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
    """Path of the configuration file of ``network_id`` under ``config_dir``."""
    check_network_id(network_id)
    return Path(config_dir) / "networks" / f"{network_id}.yaml"


def list_networks(config_dir: str | Path = "config") -> list[str]:
    """Sorted ids of the networks configured under ``config_dir/networks``.

    Raises
    ------
    ConfigError
        If the folder does not exist or a file name is not a slug.
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


def _read_yaml(path: Path) -> Any:
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


def _pydantic_to_config_error(exc: PydanticValidationError, path: Path) -> ConfigError:
    messages = []
    for err in exc.errors():
        loc = _key_path(err["loc"])
        kind = err["type"]
        if kind == "source_key":  # a model check naming the key it is about
            messages.append((f"{loc}.{err['ctx']['key']}", err["ctx"]["message"]))
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
    """Load and validate the configuration of one network.

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
    """
    check_network_id(network_id)
    path = network_config_path(network_id, config_dir)
    raw = _read_yaml(path)
    if not isinstance(raw, dict):
        raise ConfigError(
            f"expected a mapping of keys at the top level, got {type(raw).__name__}", path=path
        )
    try:
        config = NetworkConfig.model_validate({**raw, "path": path.resolve()})
    except PydanticValidationError as exc:
        raise _pydantic_to_config_error(exc, path) from None
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
