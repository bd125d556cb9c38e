"""Numbers, money and dates as a Dutch or English reader writes them (Babel).

One module for the figures, the tables of the report and the report's text,
so ``1.234,5`` and ``€ 45.035`` are written one way everywhere. The locale
of ``language="nl"`` is ``nl_NL`` and of ``"en"`` is ``en_GB``; Babel's
locale data gives the decimal and grouping symbols, the currency sign and
the month names (no chained string replaces).

Figures: :func:`localise_ticks` gives every number axis of a figure (or of
one axes) the decimal symbol of the language. matplotlib still chooses the
tick values and their precision (its ``ScalarFormatter``); only the symbols
are the locale's.

Examples
--------
>>> format_number(1234.5, 1), format_number(1234.5, 1, "en")
('1.234,5', '1,234.5')
>>> format_number(0.123, 2, sign=True), format_number(-0.0, 1)
('+0,12', '0,0')
>>> format_percent(0.4027, 1), format_euro(45035.4), format_euro(45035.4, language="en")
('40,3%', '€ 45.035', '€ 45,035')
>>> import datetime as dt
>>> format_date(dt.date(2025, 5, 15)), format_date(dt.date(2025, 5, 15), "en", "d MMM y")
('15 mei 2025', '15 May 2025')
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import datetime as dt

__all__ = [
    "LOCALES",
    "format_date",
    "format_euro",
    "format_number",
    "format_percent",
    "locale_of",
    "localise_ticks",
    "tick_formatter",
]

#: Babel locale of each report language.
LOCALES = {"nl": "nl_NL", "en": "en_GB"}


def locale_of(language: str) -> str:
    """The Babel locale of ``language`` (``nl`` or ``en``).

    Raises
    ------
    ValueError
        For another language.

    Examples
    --------
    >>> locale_of("nl"), locale_of("en")
    ('nl_NL', 'en_GB')
    >>> locale_of("fr")
    Traceback (most recent call last):
    ...
    ValueError: The 'language' parameter must be 'nl' or 'en'. Got 'fr' instead.
    """
    try:
        return LOCALES[language]
    except (KeyError, TypeError):
        raise ValueError(
            f"The 'language' parameter must be 'nl' or 'en'. Got {language!r} instead."
        ) from None


def format_number(
    value: float,
    digits: int | None = 1,
    language: str = "nl",
    *,
    sign: bool = False,
    grouping: bool = True,
) -> str:
    """``value`` rounded to ``digits`` decimals, with the locale's symbols.

    ``digits=None`` writes as few decimals as the value needs (up to six:
    ``97,5``, ``95``). ``sign=True`` writes ``+`` before a positive number (a
    change); ``grouping=False`` leaves out the thousands separator. Negative
    zero is written as zero; NaN as ``–``.

    Examples
    --------
    >>> format_number(97.5, None), format_number(95.0, None, "en"), format_number(0.0312, 3)
    ('97,5', '95', '0,031')
    """
    from babel.numbers import format_decimal

    locale = locale_of(language)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    number = round(float(value), 6 if digits is None else digits) + 0.0
    integer = "#,##0" if grouping else "0"
    if digits is None:
        pattern = integer + ".######"
    else:
        pattern = integer + ("." + "0" * digits if digits > 0 else "")
    if sign:
        pattern = f"+{pattern};-{pattern}"
    return format_decimal(number, format=pattern, locale=locale)


def format_percent(value: float, digits: int = 0, language: str = "nl") -> str:
    """A share (0.403) as a percentage (``40,3%`` with ``digits=1``).

    Examples
    --------
    >>> format_percent(0.4027), format_percent(0.4027, 1), format_percent(0.4027, 1, "en")
    ('40%', '40,3%', '40.3%')
    >>> format_percent(float("nan"))
    '–'
    """
    from babel.numbers import format_percent as babel_percent

    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "") + "%"
    return babel_percent(float(value) + 0.0, format=pattern, locale=locale_of(language))


def format_euro(amount: float, language: str = "nl", *, cents: bool = False) -> str:
    """An amount in euros: whole euros (``€ 45.035``; the report's tables), or with cents.

    Examples
    --------
    >>> format_euro(45035.4), format_euro(-1250, "en")
    ('€ 45.035', '-€ 1,250')
    >>> format_euro(1234.5, "en", cents=True)
    '€1,234.50'
    """
    from babel.numbers import format_currency

    if amount is None or (isinstance(amount, float) and math.isnan(amount)):
        return "–"
    locale = locale_of(language)
    if cents:
        return format_currency(float(amount) + 0.0, "EUR", locale=locale)
    return format_currency(
        round(float(amount)) + 0.0, "EUR", format="¤ #,##0", locale=locale, currency_digits=False
    )


def format_date(day: dt.date, language: str = "nl", format: str = "long") -> str:
    """A date in words (``15 mei 2025``); ``format`` as Babel's (``"d MMM y"``...).

    Examples
    --------
    >>> import datetime as dt
    >>> format_date(dt.date(2025, 5, 15)), format_date(dt.date(2025, 5, 15), "en")
    ('15 mei 2025', '15 May 2025')
    >>> format_date(dt.date(2025, 5, 15), format="MMMM y")
    'mei 2025'
    """
    from babel.dates import format_date as babel_date

    return babel_date(day, format=format, locale=locale_of(language))


def tick_formatter(language: str = "nl"):
    """A matplotlib tick formatter: ``ScalarFormatter``'s ticks with the locale's symbols.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot([0, 1.5], [-1000, 2500]); _ = ax.set_xlim(0, 1.5); _ = ax.set_ylim(-1000, 2500)
    >>> ax.xaxis.set_major_formatter(tick_formatter("nl"))
    >>> ax.yaxis.set_major_formatter(tick_formatter("nl"))
    >>> fig.canvas.draw()
    >>> [t.get_text() for t in ax.get_xticklabels()][:3], ax.get_yticklabels()[0].get_text()
    (['0,0', '0,2', '0,4'], '-1000')
    >>> plt.close(fig)
    """
    from babel.numbers import get_decimal_symbol, get_group_symbol, get_minus_sign_symbol
    from matplotlib.ticker import ScalarFormatter

    locale = locale_of(language)
    symbols = {
        ".": get_decimal_symbol(locale),
        ",": get_group_symbol(locale),
        "-": get_minus_sign_symbol(locale),
        "\N{MINUS SIGN}": get_minus_sign_symbol(locale),
    }
    table = str.maketrans(symbols)

    class LocaleFormatter(ScalarFormatter):
        """``ScalarFormatter`` writing the decimal, group and minus symbols of one locale."""

        def __call__(self, x, pos=None):
            return super().__call__(x, pos).translate(table)

        def format_data_short(self, value):
            return super().format_data_short(value).translate(table)

        def get_offset(self):
            return super().get_offset().translate(table)

    return LocaleFormatter()


def localise_ticks(target, language: str = "nl") -> None:
    """Give every number axis of ``target`` (a Figure or an Axes) the locale's symbols.

    Only axes whose formatter is matplotlib's default ``ScalarFormatter`` are
    changed: dates, categories, log scales and formatters a plot chose itself
    keep theirs. Call it when the figure is drawn, as the plot functions do.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, (left, right) = plt.subplots(1, 2)
    >>> for ax in (left, right):
    ...     _ = ax.plot([0, 1.5], [0, 2500])
    ...     _ = ax.set_xticks([0, 0.5, 1, 1.5]); _ = ax.set_yticks([0, 1250, 2500])
    >>> right.yaxis.set_major_formatter(lambda value, pos: f"{value:.0f} uur")
    >>> localise_ticks(fig)
    >>> fig.canvas.draw()
    >>> [t.get_text() for t in left.get_xticklabels()][:3]
    ['0,0', '0,5', '1,0']
    >>> [t.get_text() for t in right.get_yticklabels()]  # the plot's own formatter is kept
    ['0 uur', '1250 uur', '2500 uur']
    >>> plt.close(fig)
    """
    from matplotlib.ticker import ScalarFormatter

    locale_of(language)
    axes = getattr(target, "axes", None)
    axes_list = axes if isinstance(axes, list) else [target]
    for ax in axes_list:
        for axis in (ax.xaxis, ax.yaxis):
            if type(axis.get_major_formatter()) is ScalarFormatter:
                axis.set_major_formatter(tick_formatter(language))
