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

from .exceptions import ConfigError

__all__ = [
    "IndicatorSpec",
    "NetworkConfig",
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


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


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
    seed: int = Field(default=0, ge=0)

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


class IndicatorSpec(_Strict):
    """How one indicator counts in the network's value definition."""

    id: Slug
    label_nl: str
    label_en: str
    unit: str
    perspective: Literal["societal", "network", "partner"]
    form: Literal["direct", "indirect"]
    direction: Literal["increase", "decrease"]
    partner_id: Slug | None = None


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
        # safe_load never constructs Python objects from tags.
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"not valid YAML{where}: {problem}", path=path) from None


def _key_path(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc) or "<root>"


def _pydantic_to_config_error(exc: PydanticValidationError, path: Path) -> ConfigError:
    messages = []
    for err in exc.errors():
        loc = _key_path(err["loc"])
        kind = err["type"]
        if kind == "extra_forbidden":
            msg = "unknown key (not part of the configuration schema)"
        elif kind == "missing":
            msg = "required key is missing"
        else:
            msg = err["msg"]
            if "input" in err and kind not in ("model_type", "dict_type"):
                msg = f"{msg}; got {err['input']!r}"
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
        file differs from its file name, or the theory file does not exist.
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
    if config.theory is not None and theory is not None and not theory.is_file():
        raise ConfigError(f"theory file not found: {theory}", path=path, key="theory")
    return config
