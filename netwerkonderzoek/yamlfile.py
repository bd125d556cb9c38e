"""YAML as the project reads it: safe, strict about duplicate keys and impossible dates.

PyYAML's ``safe_load`` never builds Python objects from tags, but it lets the
last of two equal keys silently win (``seed: 1`` then ``seed: 2`` gives 2)
and raises a bare ``ValueError`` for an unquoted impossible date
(``date: 2023-04-31``). :func:`load_yaml` refuses both with a
``yaml.YAMLError`` that carries the line and column, so every config and
theory loader reports them as it reports any other YAML fault.

Examples
--------
>>> load_yaml("a: 1\\nb: [x, y]")
{'a': 1, 'b': ['x', 'y']}
>>> load_yaml("seed: 1\\nseed: 2")
Traceback (most recent call last):
...
yaml.constructor.ConstructorError: while constructing a mapping
  in "<unicode string>", line 1, column 1:
    seed: 1
    ^
found duplicate key 'seed'
  in "<unicode string>", line 2, column 1:
    seed: 2
    ^
"""

from __future__ import annotations

from typing import Any

import yaml

__all__ = ["StrictSafeLoader", "load_yaml"]


class StrictSafeLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that refuses duplicate keys and impossible dates."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: dict[Any, yaml.Node] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":  # '<<' merges may be overridden
                continue
            key = self.construct_object(key_node, deep=True)
            try:
                repeated = key in seen
            except TypeError:  # an unhashable key: the base class says so
                continue
            if repeated:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    f"found duplicate key {key!r}",
                    key_node.start_mark,
                )
            seen[key] = key_node
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_timestamp(self, node: yaml.ScalarNode):
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as exc:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"{node.value!r} is not a date that exists ({exc})",
                node.start_mark,
            ) from None


StrictSafeLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", StrictSafeLoader.construct_yaml_timestamp
)
StrictSafeLoader.add_constructor("tag:yaml.org,2002:map", StrictSafeLoader.construct_yaml_map)


def load_yaml(text: str) -> Any:
    """Parse YAML text with :class:`StrictSafeLoader`.

    Raises
    ------
    yaml.YAMLError
        On invalid YAML, a duplicate key or an impossible date; its
        ``problem_mark`` gives the line and column.

    Examples
    --------
    >>> load_yaml("date: 2023-04-30")
    {'date': datetime.date(2023, 4, 30)}
    >>> try:
    ...     load_yaml("date: 2023-04-31")
    ... except yaml.YAMLError as exc:
    ...     print(exc.problem, "- line", exc.problem_mark.line + 1)
    '2023-04-31' is not a date that exists (day is out of range for month) - line 1
    """
    return yaml.load(text, Loader=StrictSafeLoader)  # a SafeLoader subclass: no tags run
