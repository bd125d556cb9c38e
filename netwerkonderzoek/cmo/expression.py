"""Safe context expressions over unit columns.

A context is operationalised as a boolean expression over columns of the
``units`` table, such as ``social_cohesion >= 6 and not (income < 30)``. The
expression is parsed with :mod:`ast` and checked against a small grammar:
comparisons (``== != < <= > >=``, ``in``/``not in`` a list of literals),
``and``/``or``/``not``, arithmetic (``+ - * /`` and unary minus), column
names and number, string or boolean literals. Anything else (calls,
attributes, subscripts, lambdas, comprehensions, ``**``) is rejected, and
nothing is ever passed to :func:`eval`: the tree is walked and evaluated with
NumPy, column by column. ``pandas.eval`` and ``DataFrame.query`` are not
used because they are not safe for hostile input.

A unit with a missing value in any column the expression uses has an
undefined context; :meth:`Expression.evaluate` reports those units separately
so that the complement ``not (...)`` never silently includes them.

Examples
--------
>>> import pandas as pd
>>> from netwerkonderzoek.cmo import Expression
>>> expr = Expression("social_cohesion >= 6 and not (income < 30)")
>>> expr.columns
('income', 'social_cohesion')
>>> units = pd.DataFrame({"social_cohesion": [7, 5, 8], "income": [40, 50, 20]})
>>> expr.evaluate(units).tolist()
[True, False, False]
>>> expr.complement().text
'not (social_cohesion >= 6 and not (income < 30))'
>>> Expression("__import__('os').system('ls')")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
netwerkonderzoek.exceptions.TheoryError: field 'context.expression': expression "__import__('os').system('ls')" is not allowed: function calls are not allowed; ...
"""

from __future__ import annotations

import ast
import operator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..exceptions import TheoryError

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pandas as pd

__all__ = ["MAX_EXPRESSION_LENGTH", "Expression", "parse_expression"]

MAX_EXPRESSION_LENGTH = 500

_COMPARE = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}
_ARITH = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}
_GRAMMAR = "use comparisons, and/or/not, + - * / over column names and literals"

_NODE_NAMES = {
    ast.Call: "function calls",
    ast.Attribute: "attribute access",
    ast.Subscript: "indexing",
    ast.Lambda: "lambda",
    ast.IfExp: "conditional expressions",
    ast.NamedExpr: "assignment",
    ast.ListComp: "comprehensions",
    ast.GeneratorExp: "comprehensions",
    ast.DictComp: "comprehensions",
    ast.SetComp: "comprehensions",
    ast.Dict: "dictionaries",
    ast.JoinedStr: "f-strings",
    ast.Starred: "starred expressions",
}


def _fail(text: str, why: str) -> TheoryError:
    return TheoryError(
        f"expression {text!r} is not allowed: {why}; {_GRAMMAR}", field="context.expression"
    )


def _check(node: ast.AST, text: str, names: set[str]) -> str:
    """Check ``node`` against the grammar; return its type: 'bool', 'num' or 'str'."""
    if isinstance(node, ast.BoolOp):
        for value in node.values:
            if _check(value, text, names) == "str":
                raise _fail(text, "and/or need conditions, not text")
        return "bool"
    if isinstance(node, ast.UnaryOp):
        kind = _check(node.operand, text, names)
        if isinstance(node.op, ast.Not):
            if kind == "str":
                raise _fail(text, "'not' needs a condition, not text")
            return "bool"
        if isinstance(node.op, (ast.USub, ast.UAdd)):
            if kind != "num":
                raise _fail(text, "unary minus needs a number")
            return "num"
        raise _fail(text, f"operator {type(node.op).__name__} is not supported")
    if isinstance(node, ast.Compare):
        left = node.left
        for op, right in zip(node.ops, node.comparators, strict=True):
            if isinstance(op, (ast.In, ast.NotIn)):
                if not isinstance(right, (ast.List, ast.Tuple)) or not right.elts:
                    raise _fail(text, "'in' needs a non-empty list of literals, e.g. [1, 2]")
                for element in right.elts:
                    if not isinstance(element, ast.Constant) and not (
                        isinstance(element, ast.UnaryOp)
                        and isinstance(element.op, ast.USub)
                        and isinstance(element.operand, ast.Constant)
                    ):
                        raise _fail(text, "the list after 'in' may hold only literals")
                    _check(element, text, names)
                _check(left, text, names)
            elif type(op) in _COMPARE:
                kinds = {_check(left, text, names), _check(right, text, names)}
                if "str" in kinds and type(op) not in (ast.Eq, ast.NotEq):
                    raise _fail(text, "text can only be compared with == or !=")
            else:
                raise _fail(text, f"comparison {type(op).__name__} is not supported")
            left = right
        return "bool"
    if isinstance(node, ast.BinOp):
        if type(node.op) not in _ARITH:
            symbol = {ast.Pow: "**", ast.BitAnd: "&", ast.BitOr: "|", ast.Mod: "%"}.get(
                type(node.op), type(node.op).__name__
            )
            hint = " (write 'and'/'or' instead of '&'/'|')" if symbol in "&|" else ""
            raise _fail(text, f"operator {symbol} is not supported{hint}")
        for side in (node.left, node.right):
            if _check(side, text, names) != "num":
                raise _fail(text, "arithmetic needs numbers")
        return "num"
    if isinstance(node, ast.Name):
        if node.id.startswith("__"):
            raise _fail(text, f"name {node.id!r} is not a column name")
        names.add(node.id)
        return "num"
    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool):
            return "bool"
        if isinstance(value, (int, float)):
            return "num"
        if isinstance(value, str):
            return "str"
        raise _fail(text, f"literal {value!r} is not a number, text or boolean")
    why = _NODE_NAMES.get(type(node), f"{type(node).__name__} nodes are not allowed")
    if type(node) in _NODE_NAMES:
        why += " are not allowed"
    raise _fail(text, why)


@dataclass(frozen=True)
class Expression:
    """A parsed, checked context expression over unit columns.

    Parameters
    ----------
    text : str
        The expression, e.g. ``"social_cohesion >= 6"``.

    Attributes
    ----------
    columns : tuple of str
        The column names the expression uses, sorted.

    Raises
    ------
    TheoryError
        If the text does not parse or uses anything outside the grammar
        (field ``context.expression``).
    """

    text: str
    columns: tuple[str, ...] = field(init=False, compare=False)
    _tree: ast.Expression = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        text = self.text
        if not isinstance(text, str) or not text.strip():
            raise TheoryError(
                f"expected a non-empty expression over unit columns, got {text!r}",
                field="context.expression",
            )
        if len(text) > MAX_EXPRESSION_LENGTH:
            raise _fail(text[:40] + "...", f"longer than {MAX_EXPRESSION_LENGTH} characters")
        try:
            tree = ast.parse(text.strip(), mode="eval")
        except SyntaxError as exc:
            raise TheoryError(
                f"expression {text!r} does not parse: {exc.msg} at column {exc.offset}",
                field="context.expression",
            ) from None
        names: set[str] = set()
        kind = _check(tree.body, text, names)
        if kind == "str":
            raise _fail(text, "the expression is text, not a condition")
        object.__setattr__(self, "columns", tuple(sorted(names)))
        object.__setattr__(self, "_tree", tree)

    def complement(self) -> Expression:
        """The complement ``not (<text>)``: where the stated context does not hold."""
        return Expression(f"not ({self.text.strip()})")

    def missing(self, data: pd.DataFrame) -> np.ndarray:
        """Boolean array: units with a missing value in a column the expression uses."""
        import numpy as np

        self._require(data)
        mask = np.zeros(len(data), dtype=bool)
        for name in self.columns:
            mask |= data[name].isna().to_numpy()
        return mask

    def check_types(self, data: pd.DataFrame) -> None:
        """Check that every literal compared with a column has the column's type.

        ``social_housing == '1'`` on a numeric column (or ``district == 3`` on
        a text column) is true for no unit; it would give an empty context
        without a word. This check makes it an error instead.

        Raises
        ------
        TheoryError
            Naming the column, the literal and the column's type (field
            ``context.expression``).
        KeyError
            If ``data`` lacks a column the expression uses.

        Examples
        --------
        >>> import pandas as pd
        >>> Expression("social_housing == '1'").check_types(pd.DataFrame({"social_housing": [0, 1]}))
        Traceback (most recent call last):
        ...
        netwerkonderzoek.exceptions.TheoryError: field 'context.expression': expression "social_housing == '1'" compares column 'social_housing' of type int64 (numbers) with the text literal '1', which no unit can match; compare with a number instead
        """
        self._require(data)
        for node in ast.walk(self._tree):
            if not isinstance(node, ast.Compare):
                continue
            sides = [node.left, *node.comparators]
            for i, op in enumerate(node.ops):
                left, right = sides[i], sides[i + 1]
                if isinstance(op, (ast.In, ast.NotIn)):
                    pairs = [(left, element) for element in right.elts]
                else:
                    pairs = [(left, right), (right, left)]
                for name, literal in pairs:
                    if isinstance(name, ast.Name) and isinstance(literal, ast.Constant):
                        self._check_literal(data[name.id], name.id, literal.value)

    def _check_literal(self, series: pd.Series, name: str, value) -> None:
        if isinstance(value, bool):
            return
        numeric = series.dtype.kind in "biuf" or str(series.dtype) in (
            "Int64",
            "Float64",
            "boolean",
        )
        values = series.dropna()
        text = not numeric and len(values) > 0 and all(isinstance(v, str) for v in values)
        if numeric and isinstance(value, str):
            raise TheoryError(
                f"expression {self.text!r} compares column '{name}' of type {series.dtype} "
                f"(numbers) with the text literal {value!r}, which no unit can match; "
                "compare with a number instead",
                field="context.expression",
            )
        if text and isinstance(value, (int, float)):
            raise TheoryError(
                f"expression {self.text!r} compares column '{name}' of type {series.dtype} "
                f"(text) with the number {value!r}, which no unit can match; "
                f"compare with text instead (e.g. {name} == '{value}')",
                field="context.expression",
            )

    def evaluate(self, data: pd.DataFrame) -> np.ndarray:
        """Evaluate the expression for every row of ``data``.

        Returns
        -------
        numpy.ndarray of bool
            True where the context holds. Rows with a missing value in a
            used column give False here; see :meth:`missing`.

        Raises
        ------
        KeyError
            If ``data`` lacks a column the expression uses (the message names it).
        TheoryError
            If a literal does not have the type of the column it is compared
            with (see :meth:`check_types`).
        """
        import numpy as np

        self.check_types(data)
        value = self._eval(self._tree.body, data)
        value = np.broadcast_to(np.asarray(value), (len(data),))
        if value.dtype != bool:
            bad = ~np.isin(value, [0, 1])
            if bad.any():
                raise TheoryError(
                    f"expression {self.text!r} gives numbers, not a condition",
                    field="context.expression",
                )
            value = value.astype(bool)
        return value & ~self.missing(data)

    def _require(self, data: pd.DataFrame) -> None:
        absent = [name for name in self.columns if name not in data.columns]
        if absent:
            raise KeyError(
                f"context expression {self.text!r} uses column(s) {', '.join(absent)} "
                f"that the units table does not have"
            )

    def _eval(self, node: ast.AST, data: pd.DataFrame):
        import numpy as np

        if isinstance(node, ast.BoolOp):
            values = [self._as_bool(self._eval(v, data)) for v in node.values]
            reduce = np.logical_and if isinstance(node.op, ast.And) else np.logical_or
            return reduce.reduce(values)
        if isinstance(node, ast.UnaryOp):
            value = self._eval(node.operand, data)
            if isinstance(node.op, ast.Not):
                return np.logical_not(self._as_bool(value))
            return -value if isinstance(node.op, ast.USub) else value
        if isinstance(node, ast.Compare):
            result = None
            left = self._eval(node.left, data)
            for op, comparator in zip(node.ops, node.comparators, strict=True):
                if isinstance(op, (ast.In, ast.NotIn)):
                    options = [self._eval(e, data) for e in comparator.elts]
                    part = np.isin(left, options)
                    if isinstance(op, ast.NotIn):
                        part = ~part
                    right = None
                else:
                    right = self._eval(comparator, data)
                    with np.errstate(invalid="ignore"):
                        part = np.asarray(_COMPARE[type(op)](left, right), dtype=bool)
                result = part if result is None else result & part
                left = right
            return result
        if isinstance(node, ast.BinOp):
            with np.errstate(all="ignore"):
                return _ARITH[type(node.op)](
                    self._eval(node.left, data), self._eval(node.right, data)
                )
        if isinstance(node, ast.Name):
            series = data[node.id]
            if series.dtype.kind in "biuf" or str(series.dtype) in ("Int64", "Float64", "boolean"):
                return series.astype(float).to_numpy()
            return series.astype(object).to_numpy()
        if isinstance(node, ast.Constant):
            value = node.value
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return float(value)
            return value
        raise _fail(self.text, f"{type(node).__name__} nodes are not allowed")  # pragma: no cover

    @staticmethod
    def _as_bool(value):
        import numpy as np

        value = np.asarray(value)
        if value.dtype == bool:
            return value
        return value == 1

    def __str__(self) -> str:
        return self.text


def parse_expression(text: str) -> Expression:
    """Parse and check a context expression; see :class:`Expression`.

    Examples
    --------
    >>> parse_expression("age < 45 or gender == 'f'").columns
    ('age', 'gender')
    """
    return Expression(text)
