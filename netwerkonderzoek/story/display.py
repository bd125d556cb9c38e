"""Tables of text for notebooks and the report: wrapped, left-aligned, escaped.

pandas' ``DataFrame.style`` writes cell values into HTML as they are, so a
quote or a story holding ``<img src=x onerror=...>`` would become markup in
a notebook and in ``report.html``. :func:`text_table` is the one way the study
notebooks show tables of free text: a ``Styler`` whose every value is
HTML-escaped (``Styler.format(escape="html")``), wrapped and left-aligned.

Examples
--------
>>> import pandas as pd
>>> html = text_table(pd.DataFrame({"text": ["<b>vet</b> & zo"]})).to_html()
>>> "&lt;b&gt;vet&lt;/b&gt; &amp; zo" in html, "<b>" in html
(True, False)
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from pandas.io.formats.style import Styler

__all__ = ["TextTable", "text_table"]


class TextTable:
    """A table of escaped text as notebooks show it: HTML, and a plain text that does not vary.

    Wraps the ``Styler`` of :func:`text_table`. A notebook shows an object by
    its ``_repr_html_`` and keeps its ``repr`` as the plain-text alternative;
    a bare ``Styler``'s ``repr`` holds its memory address, which made two runs
    of the same notebook differ (``verify``). Here it is the table's text.
    """

    def __init__(self, styler: Styler, index: bool) -> None:
        self.styler = styler
        self.index = index

    def to_html(self) -> str:
        """The table's HTML (escaped cells; CSS ids from the content)."""
        return self.styler.to_html()

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        return self.styler.data.to_string(index=self.index)


def text_table(
    frame: pd.DataFrame, wrap: Sequence[str] | None = None, *, index: bool = False
) -> TextTable:
    """A styled view of ``frame`` with every cell and header escaped for HTML.

    Parameters
    ----------
    frame : DataFrame
    wrap : sequence of str, optional
        Columns whose text wraps (``white-space: pre-wrap``); default all.
    index : bool
        Show the index (row labels), escaped like the cells; default hidden.

    Returns
    -------
    TextTable
        Its ``styler``: values, column labels and (when shown) row labels
        escaped; its CSS ids come from the content, so the same table gives
        the same HTML. Its plain text is the table's text.

    Raises
    ------
    KeyError
        If a ``wrap`` column is not in ``frame``.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"partner": ["<i>A</i>"], "text": ["Een lange tekst"]})
    >>> table = text_table(frame, wrap=["text"])
    >>> table  # the plain text: the table's own text
     partner            text
    <i>A</i> Een lange tekst
    >>> "&lt;i&gt;A&lt;/i&gt;" in table.to_html(), "<i>" in table.to_html()
    (True, False)
    >>> text_table(frame, wrap=["quote"])
    Traceback (most recent call last):
    ...
    KeyError: 'column(s) quote to wrap are not in the table; columns: partner, text'
    """
    columns = list(frame.columns) if wrap is None else list(wrap)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise KeyError(
            f"column(s) {', '.join(map(str, missing))} to wrap are not in the table; "
            f"columns: {', '.join(map(str, frame.columns))}"
        )
    # pandas names a table's CSS by a random uuid; one from the content keeps a
    # report byte-identical between runs of the same inputs.
    digest = hashlib.sha256(frame.to_csv().encode("utf-8")).hexdigest()[:10]
    styler = (
        frame.style.set_uuid(digest)
        .format(escape="html", na_rep="")
        .format_index(escape="html", axis=0)
        .format_index(escape="html", axis=1)
        .set_properties(subset=columns, **{"white-space": "pre-wrap", "text-align": "left"})
        .set_properties(**{"vertical-align": "top"})
    )
    return TextTable(styler if index else styler.hide(axis="index"), index)
