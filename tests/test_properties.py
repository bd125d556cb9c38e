"""Property-based tests: any input either loads or raises our own error type."""

from __future__ import annotations

import io
import string
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netwerkonderzoek.config import load_config
from netwerkonderzoek.exceptions import ConfigError, NetwerkonderzoekError, ValidationError
from netwerkonderzoek.tables import SCHEMAS, read_table

from .conftest import TINY_CONFIG, TINY_TABLES

SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.dates().map(str),
)
yaml_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)


def _mutate(tree, path, value):
    """Replace the node at ``path`` (a list of keys/indices) in a nested structure."""
    if not path:
        return value
    head, *rest = path
    if isinstance(tree, dict) and head in tree:
        return {**tree, head: _mutate(tree[head], rest, value)}
    if isinstance(tree, list) and isinstance(head, int) and 0 <= head < len(tree):
        return [*tree[:head], _mutate(tree[head], rest, value), *tree[head + 1 :]]
    return tree


def _paths(tree, prefix=()):
    yield list(prefix)
    if isinstance(tree, dict):
        for key, value in tree.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(tree, list):
        for index, value in enumerate(tree):
            yield from _paths(value, (*prefix, index))


BASE = yaml.safe_load(TINY_CONFIG)
PATHS = list(_paths(BASE))


@SETTINGS
@given(path=st.sampled_from(PATHS), value=yaml_values)
def test_config_with_any_value_anywhere_loads_or_raises_config_error(
    tmp_path_factory, path, value
):
    folder = tmp_path_factory.mktemp("cfg")
    (folder / "networks").mkdir()
    text = yaml.safe_dump(_mutate(BASE, path, value), allow_unicode=True)
    (folder / "networks" / "tiny.yaml").write_text(text, encoding="utf-8")
    try:
        load_config("tiny", folder)
    except ConfigError as exc:
        assert "tiny.yaml" in str(exc)


@SETTINGS
@given(text=st.text(max_size=400))
def test_config_with_any_text_loads_or_raises_config_error(tmp_path_factory, text):
    folder = tmp_path_factory.mktemp("cfg")
    (folder / "networks").mkdir()
    (folder / "networks" / "tiny.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError):
        load_config("tiny", folder)  # random text is never a complete configuration


@SETTINGS
@given(network_id=st.text(max_size=30))
def test_any_network_id_loads_or_raises_config_error(tmp_path_factory, network_id):
    folder = tmp_path_factory.mktemp("cfg")
    (folder / "networks").mkdir()
    try:
        load_config(network_id, folder)
    except ConfigError:
        pass
    else:  # pragma: no cover - there is no such file, so loading cannot succeed
        raise AssertionError("loaded a configuration that does not exist")


cell = st.one_of(
    st.text(alphabet=string.printable, max_size=12),
    st.sampled_from(
        ["", "1", "-1", "2.5", "1e400", "nan", "2023-01", "2023-02-30", "care", "a,b", '"']
    ),
)


@SETTINGS
@given(
    table=st.sampled_from(sorted(SCHEMAS)),
    edits=st.lists(st.tuples(st.integers(0, 50), st.integers(0, 20), cell), max_size=6),
    drop_line=st.one_of(st.none(), st.integers(0, 10)),
)
def test_any_corrupted_table_loads_or_raises_validation_error(table, edits, drop_line):
    lines = [line.split(",") for line in TINY_TABLES[table].splitlines()]
    for row, col, value in edits:
        row %= len(lines)
        col %= len(lines[row])
        lines[row][col] = value
    if drop_line is not None and len(lines) > 1:
        del lines[drop_line % len(lines)]
    text = "\n".join(",".join(line) for line in lines) + "\n"
    try:
        read_table(table, io.StringIO(text))
    except ValidationError as exc:
        assert exc.faults, "a ValidationError lists at least one fault"
    except NetwerkonderzoekError as exc:  # pragma: no cover - only ValidationError is expected
        raise AssertionError(f"unexpected {type(exc).__name__}") from exc


@SETTINGS
@given(data=st.binary(max_size=300))
def test_any_bytes_as_table_load_or_raise_validation_error(data):
    try:
        read_table("partners", io.BytesIO(data))
    except ValidationError:
        pass


THEORY = yaml.safe_load(
    (Path(__file__).parent / "bad_inputs" / "theories" / "unknown_key.yaml")
    .read_text()
    .replace("kodes", "codes")
)
THEORY_PATHS = list(_paths(THEORY))
expressions = st.one_of(
    st.text(max_size=40),
    st.lists(
        st.sampled_from(
            [
                "wellbeing",
                "buurtcoach",
                ">=",
                "<",
                "==",
                "and",
                "or",
                "not",
                "(",
                ")",
                "6",
                "'x'",
                "+",
                "in",
                "[1, 2]",
                "__import__",
                ".",
                "lambda",
                ":",
            ]
        ),
        max_size=8,
    ).map(" ".join),
)


@SETTINGS
@given(path=st.sampled_from(THEORY_PATHS), value=st.one_of(yaml_values, expressions))
def test_theory_with_any_value_anywhere_loads_or_raises_theory_error(
    tmp_path_factory, path, value
):
    import pandas as pd

    from netwerkonderzoek.cmo import load_theory
    from netwerkonderzoek.exceptions import TheoryError

    folder = tmp_path_factory.mktemp("theory")
    target = folder / "tiny.yaml"
    target.write_text(
        yaml.safe_dump(_mutate(THEORY, path, value), allow_unicode=True), encoding="utf-8"
    )
    units = pd.read_csv(io.StringIO(TINY_TABLES["units"]))
    try:
        load_theory(target, units)
    except TheoryError as exc:
        assert "tiny.yaml" in str(exc)
