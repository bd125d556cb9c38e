"""Sphinx extension: the configuration and theory references, generated from the code.

``.. config-reference::``
    Walks :class:`netwerkonderzoek.config.NetworkConfig` and every model it
    nests (pydantic ``model_fields``): per key its path, type and constraints,
    default, explanation (:data:`netwerkonderzoek.scaffold.COMMENTS`, the text
    ``netwerkonderzoek init`` writes beside the key, else the field's
    ``description``) and an example: the first value found at that key path in
    the shipped ``config/networks/*.yaml``, else the example of the template.

``.. theory-reference::``
    The programme theory file (``config/theories/<id>.yaml``) is read by
    :mod:`netwerkonderzoek.cmo.model` into dataclasses, not pydantic models.
    Its keys are the keys the loader accepts; whether a key is required, its
    default and its allowed values are found by asking the loader itself (a
    valid theory with the key left out, or given an impossible value), the
    explanation comes from the dataclasses' numpydoc sections and the example
    from the shipped ``config/theories/*.yaml``.

Every key becomes an object (``.. nwkey:: study.waves``, ``.. nwtheory::
configurations[].id``), so pages can link to it with ``:nwkey:`study.waves```
or ``:nwtheory:`configurations[].outcome.scale``` and it is in the index. No network
access, no files written.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import re
import types
import typing
from pathlib import Path
from typing import Any

import yaml
from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import nested_parse_with_titles

ROOT = Path(__file__).resolve().parents[2]
MAX_EXAMPLE_LINES = 12

_PLAIN = {
    str: "text",
    int: "integer",
    float: "number",
    bool: "true or false",
    dt.date: "date (``YYYY-MM-DD``)",
    Path: "path",
}


# --- helpers shared by both references --------------------------------------------------


def _yaml_block(key: str, value: Any) -> list[str]:
    """``key: value`` as indented YAML lines for a literal block (cut when long)."""
    text = yaml.safe_dump(
        {key: value}, allow_unicode=True, sort_keys=False, default_flow_style=False, width=72
    )
    lines = text.rstrip("\n").splitlines()
    if len(lines) > MAX_EXAMPLE_LINES:
        lines = [*lines[:MAX_EXAMPLE_LINES], "# ..."]
    return lines


def _inline(value: Any) -> str:
    """A default value as YAML writes it inline, in double backquotes."""
    if value is None:
        return "``null``"
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10_000)
    text = text.removesuffix("\n").removesuffix("\n...").strip()
    return f"``{text}``" if text else "``''``"


def _values_at(data: Any, parts: list[str]):
    """Every value at a key path in parsed YAML (``[]``: each list item, ``<name>``: each entry)."""
    if not parts:
        yield data
        return
    head, rest = parts[0], parts[1:]
    if head == "[]":
        if isinstance(data, list):
            for item in data:
                yield from _values_at(item, rest)
    elif head.startswith("<"):
        if isinstance(data, dict):
            for item in data.values():
                yield from _values_at(item, rest)
    elif isinstance(data, dict) and head in data:
        yield from _values_at(data[head], rest)


def _example(files: list[Path], parts: list[str]) -> tuple[Any, str] | None:
    """The first value at ``parts`` in the shipped YAML files, with the file it came from."""
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for value in _values_at(data, parts):
            return value, f"``{path.relative_to(ROOT).as_posix()}``"
    return None


def _shipped(folder: Path) -> list[Path]:
    """The example networks' files, the README's example ``wijk-noord`` first."""
    return sorted(folder.glob("*.yaml"), key=lambda p: (p.stem != "wijk-noord", p.name))


def _display(parts: list[str]) -> str:
    """Key path as shown: ``sources[].survey.tool``, ``codebook.codes.<code>.cmo``."""
    out = ""
    for part in parts:
        if part == "[]":
            out += "[]"
        else:
            out += ("." if out else "") + part
    return out


def _label(prefix: str, parts: list[str]) -> str:
    return f"{prefix}-" + (re.sub(r"[^a-z0-9]+", "-", _display(parts).lower()).strip("-") or "top")


def _summary(obj: Any) -> list[str]:
    """Summary and extended summary of a numpydoc docstring, as rst lines."""
    from numpydoc.docscrape import NumpyDocString

    doc = NumpyDocString(typing.cast(str, obj.__doc__ or ""))
    return [*doc["Summary"], "", *doc["Extended Summary"]]


class _Reference(SphinxDirective):
    """Shared machinery: collect rst lines, parse them with sections allowed."""

    has_content = False
    objtype = "nwkey"

    def emit_key(
        self,
        parts: list[str],
        type_text: str,
        requirement: str,
        description: list[str],
        example: tuple[Any, str] | None,
        example_key: str,
    ) -> None:
        add = self.lines.append
        add(f".. {self.objtype}:: {_display(parts)}")
        add("")
        add(f"   **Type:** {type_text}  |  {requirement}")
        add("")
        for line in description:
            add(f"   {line}" if line else "")
        add("")
        if example is not None:
            value, origin = example
            add(f"   Example, from {origin}:")
            add("")
            add("   .. code-block:: yaml")
            add("")
            for line in _yaml_block(example_key, value):
                add(f"      {line}")
            add("")

    def section(self, label: str, title: str, level: str) -> None:
        self.lines += ["", f".. _{label}:", "", title, level * len(title), ""]

    def parsed(self) -> list[nodes.Node]:
        node = nodes.section()
        node.document = self.state.document
        nested_parse_with_titles(
            self.state, StringList(self.lines, source=self.get_source_info()[0]), node
        )
        return node.children


# --- the network configuration (pydantic) -----------------------------------------------


def _unwrap_optional(annotation: Any) -> tuple[Any, bool]:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = typing.get_args(annotation)
        rest = [a for a in args if a is not type(None)]
        if len(rest) < len(args):
            inner = rest[0] if len(rest) == 1 else typing.Union[tuple(rest)]  # noqa: UP007
            return inner, True
    return annotation, False


def _constraints(metadata: list[Any]) -> list[str]:
    out = []
    for item in metadata:
        for attr, text in (
            ("ge", "at least {}"),
            ("gt", "more than {}"),
            ("le", "at most {}"),
            ("lt", "less than {}"),
            ("min_length", "length at least {}"),
            ("max_length", "length at most {}"),
            ("pattern", "matching ``{}``"),
        ):
            value = getattr(item, attr, None)
            if value is not None:
                out.append(text.format(value))
    return out


def _models_in(annotation: Any) -> list[tuple[str, type]]:
    """Nested models of a field: ``("", Model)``, ``("[]", Model)`` or ``("<name>", Model)``."""
    from pydantic import BaseModel

    inner, _ = _unwrap_optional(annotation)
    origin, args = typing.get_origin(inner), typing.get_args(inner)
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        return [("", inner)]
    if origin is list and args and isinstance(args[0], type) and issubclass(args[0], BaseModel):
        return [("[]", args[0])]
    if origin is dict and len(args) == 2:
        value = args[1]
        if isinstance(value, type) and issubclass(value, BaseModel):
            return [("<name>", value)]
    return []


def _config_type(annotation: Any, labels: dict[type, str]) -> str:
    """A pydantic field annotation in words, models as links to their sections."""
    from pydantic import BaseModel

    inner, optional = _unwrap_optional(annotation)
    text = _type_words(inner, labels, BaseModel)
    return f"{text}, or ``null``" if optional else text


def _type_words(annotation: Any, labels: dict[type, str], base: type) -> str:
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        words = _type_words(args[0], labels, base)
        extra = _constraints(list(args[1:]))
        return f"{words} ({', '.join(extra)})" if extra else words
    if origin is typing.Literal:
        return "one of " + ", ".join(_inline(a) for a in args)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_type_words(a, labels, base) for a in args)
    if origin is list:
        return f"list of {_type_words(args[0], labels, base)}" if args else "list"
    if origin is dict:
        if len(args) == 2:
            return (
                f"mapping of {_type_words(args[0], labels, base)} "
                f"to {_type_words(args[1], labels, base)}"
            )
        return "mapping"
    if isinstance(annotation, type) and issubclass(annotation, base):
        label = labels.get(annotation)
        name = annotation.__name__
        return f":ref:`{name} <{label}>`" if label else f"``{name}``"
    return _PLAIN.get(annotation, f"``{getattr(annotation, '__name__', annotation)}``")


class ConfigReference(_Reference):
    """``.. config-reference::``: every key of the network configuration."""

    def run(self) -> list[nodes.Node]:
        from netwerkonderzoek.config import NetworkConfig
        from netwerkonderzoek.scaffold import COMMENTS, EXAMPLES

        self.comments, self.examples = COMMENTS, EXAMPLES
        self.files = _shipped(ROOT / "config" / "networks")
        for path in self.files:
            self.env.note_dependency(str(path))
        # every model with the key path of its section, depth first
        self.sections: list[tuple[list[str], type]] = []
        self._collect(NetworkConfig, [])
        self.labels = {model: _label("nwconfig", parts) for parts, model in self.sections}
        self.lines: list[str] = []
        for parts, model in self.sections:
            self._model(model, parts)
        return self.parsed()

    def _collect(self, model: type, parts: list[str]) -> None:
        self.sections.append((parts, model))
        for name, info in model.model_fields.items():
            if info.exclude:
                continue
            for step, sub in _models_in(info.annotation):
                self._collect(sub, [*parts, name, *([step] if step else [])])

    def _model(self, model: type, parts: list[str]) -> None:
        where = _display(parts) or "Top level"
        self.section(self.labels[model], f"{where}: ``{model.__name__}``", "-")
        self.lines += [*_summary(model), ""]
        for name, info in model.model_fields.items():
            if info.exclude:
                continue
            key = f"{model.__name__}.{name}"
            path = [*parts, name]
            nl, en = self.comments.get(key, ("", ""))
            description = [en or (info.description or "")]
            if nl:
                description += ["", f"*nl:* {nl}"]
            nested = _models_in(info.annotation)
            if nested:
                _, sub = nested[0]
                description += [
                    "",
                    f"The keys inside: :ref:`{sub.__name__} <{self.labels[sub]}>`.",
                ]
            if info.is_required():
                requirement = "**required**"
            else:
                requirement = (
                    f"default {_inline(_jsonable(info.get_default(call_default_factory=True)))}"
                )
            example = None
            if not nested:
                example = _example(self.files, path)
                if example is None and key in self.examples:
                    example = (self.examples[key], "the template ``netwerkonderzoek init`` writes")
            type_text = _config_type(info.annotation, self.labels)
            extra = _constraints(info.metadata)
            if extra:
                type_text += f" ({', '.join(extra)})"
            self.emit_key(
                path,
                type_text,
                requirement,
                description,
                example,
                name,
            )


def _jsonable(value: Any) -> Any:
    """A default as plain data (models as mappings) for YAML."""
    from pydantic import BaseModel

    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    return value


# --- the programme theory (dataclasses, read by cmo.model) ------------------------------

#: Keys whose YAML value differs from the dataclass field: the file names the previous version.
_THEORY_TYPE_OVERRIDES = {
    ("previous",): "text: the file name of the version this one refines, in the same folder "
    "(written by :func:`~netwerkonderzoek.cmo.save_theory`)",
}


class TheoryReference(_Reference):
    """``.. theory-reference::``: every key of a programme theory file."""

    objtype = "nwtheory"

    def run(self) -> list[nodes.Node]:
        from netwerkonderzoek.cmo import model

        self.model = model
        self.files = _shipped(ROOT / "config" / "theories")
        for path in self.files:
            self.env.note_dependency(str(path))
        self.full = self._full_theory()
        self.lines = []
        top = list(model._TOP_KEYS)
        self._block([], "Top level", model.ProgrammeTheory, top, self.full)
        cmo_keys = list(model._CMO_KEYS)
        self._block(["configurations", "[]"], None, model.CMOConfiguration, cmo_keys, self.full)
        for part, keys in model._PART_KEYS.items():
            cls = {
                "context": model.Context,
                "mechanism": model.Mechanism,
                "outcome": model.Outcome,
            }[part]
            self._block(["configurations", "[]", part], None, cls, list(keys), self.full)
        keys = list(dict.fromkeys(k for ks in model._DESIGN_KEYS.values() for k in ks))
        self._block(["configurations", "[]", "design"], None, model.Design, keys, self.full)
        return self.parsed()

    # a valid theory with every key given, to leave keys out of and to spoil
    def _full_theory(self) -> dict:
        data = yaml.safe_load(self.files[0].read_text(encoding="utf-8"))
        data = {k: v for k, v in data.items() if k != "previous"}
        data["configurations"] = [copy.deepcopy(data["configurations"][0])]
        return data

    def _load(self, data: dict) -> tuple[Any, str]:
        try:
            return self.model.ProgrammeTheory.from_dict(data), ""
        except Exception as exc:  # the loader's TheoryError: its message is what we read
            return None, str(exc)

    def _with(self, data: dict, parts: list[str], key: str, value: Any = dataclasses.MISSING):
        """A copy of ``data`` with ``key`` under ``parts`` removed (or set to ``value``)."""
        out = copy.deepcopy(data)
        node: Any = out
        for part in parts:
            node = node[0] if part == "[]" else node.setdefault(part, {})
        if value is dataclasses.MISSING:
            node.pop(key, None)
        else:
            node[key] = value
        return out

    def _design_base(self, key: str) -> dict:
        """A design block of a kind that has ``key``, every key of that kind given."""
        values = {
            "kind": None,
            "measurement": "wave",
            "baseline": [1],
            "unit_id": "unit_id",
            "estimator": "ancova",
            "indicator": "indicator-id",
            "event": "2023-01",
            "areas": ["Noord"],
            "treated": ["Noord"],
            "comparison": ["Zuid"],
        }
        for kind, keys in self.model._DESIGN_KEYS.items():
            if key != "kind" and key in keys and kind != "cross_section":
                return {k: (kind if k == "kind" else values[k]) for k in keys}
        return {"kind": "cross_section"}

    def _block(self, parts, title, cls, keys, full) -> None:
        from numpydoc.docscrape import ClassDoc

        doc = ClassDoc(cls, config={"show_class_members": False})
        described: dict[str, tuple[str, list[str]]] = {}
        for param in [*doc["Parameters"], *doc["Attributes"]]:
            for name in (n.strip() for n in param.name.split(",")):
                described[name] = (param.type, list(param.desc))
        hints = typing.get_type_hints(cls, vars(self.model))
        where = title or _display(parts)
        self.section(_label("nwtheory", parts), f"{where}: ``{cls.__name__}``", "-")
        self.lines += [*_summary(cls), ""]
        is_design = parts[-1:] == ["design"]
        if is_design:
            kinds = ", ".join(
                f"``{kind}``: {', '.join(f'``{k}``' for k in ks)}"
                for kind, ks in self.model._DESIGN_KEYS.items()
            )
            self.lines += [f"Keys by ``kind``: {kinds}.", ""]
        for key in keys:
            base = full
            block_parts = parts
            if is_design:
                base = self._with(full, parts[:-1], "design", self._design_base(key))
            requirement, type_text = self._probe(base, block_parts, key, hints.get(key))
            _, desc = described.get(key, ("", []))
            type_text = _THEORY_TYPE_OVERRIDES.get((key,), type_text) if not parts else type_text
            example = _example(self.files, [*parts, key])
            if (
                example is not None
                and isinstance(example[0], dict | list)
                and key
                in (
                    "configurations",
                    "context",
                    "mechanism",
                    "outcome",
                )
            ):
                example = None
            sub = {
                "configurations": ["configurations", "[]"],
                "context": [*parts, "context"],
                "mechanism": [*parts, "mechanism"],
                "outcome": [*parts, "outcome"],
                "design": [*parts, "design"],
            }.get(key)
            if sub is not None and (key != "configurations" or not parts):
                desc = [
                    *desc,
                    "",
                    f"The keys inside: :ref:`{_display(sub)} <{_label('nwtheory', sub)}>`.",
                ]
            self.emit_key([*parts, key], type_text, requirement, desc, example, key)

    def _probe(self, full: dict, parts: list[str], key: str, hint: Any) -> tuple[str, str]:
        """Ask the loader: is ``key`` required, what is its default, which values may it take."""
        theory, error = self._load(full)
        if theory is None:  # pragma: no cover - the shipped theory is valid
            raise RuntimeError(f"the shipped theory {self.files[0]} does not load: {error}")
        left_out, _ = self._load(self._with(full, parts, key))
        if left_out is None:  # the loader refuses the theory without it
            requirement = "**required**"
        else:
            requirement = f"default {self._default(left_out, parts, key)}"
        spoiled, error = self._load(self._with(full, parts, key, "zz-not-a-value"))
        choices = re.search(r"expected one of ([\w, ]+)", error) if spoiled is None else None
        if choices:
            names = [c.strip() for c in choices.group(1).split(",")]
            return requirement, "one of " + ", ".join(f"``{c}``" for c in names)
        return requirement, self._type(hint, key)

    def _default(self, theory: Any, parts: list[str], key: str) -> str:
        value: Any = theory
        for part in [p for p in parts if p != "[]"]:
            value = value.configurations[0] if part == "configurations" else getattr(value, part)
        value = getattr(value, key)
        if key == "codes" and list(value) == [theory.configurations[0].id]:
            return "``[<id>]``: a list with the configuration's own id"
        if dataclasses.is_dataclass(value):
            return "``{kind: cross_section}``" if key == "design" else f"``{value}``"
        if isinstance(value, tuple):
            value = list(value)
        return _inline(value)

    def _type(self, hint: Any, key: str) -> str:
        if key == "date":
            return "date (``YYYY-MM-DD``)"
        origin, args = typing.get_origin(hint), typing.get_args(hint)
        if hint is tuple:
            return "a value or a list of values"
        if origin is tuple:
            inner = args[0] if args and args[0] is not Ellipsis else None
            if inner is None:
                return "a value or a list of values"
            if dataclasses.is_dataclass(inner):
                return f"list of mappings (``{inner.__name__}``)"
            return f"list of {_PLAIN.get(inner, 'values')}"
        if dataclasses.is_dataclass(hint):
            return f"mapping (``{hint.__name__}``)"
        inner, optional = _unwrap_optional(hint)
        text = _PLAIN.get(inner, f"``{getattr(inner, '__name__', inner)}``")
        return f"{text}, or ``null``" if optional else text


def setup(app):
    app.add_object_type(
        "nwkey",
        "nwkey",
        objname="configuration key",
        indextemplate="pair: %s; configuration key",
    )
    app.add_object_type(
        "nwtheory",
        "nwtheory",
        objname="programme theory key",
        indextemplate="pair: %s; programme theory key",
    )
    app.add_directive("config-reference", ConfigReference)
    app.add_directive("theory-reference", TheoryReference)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
