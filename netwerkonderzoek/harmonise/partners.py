"""Partners once: one partner list, forgiving name matching for every source.

The partner list is ``data/<network_id>/partners.csv`` (the canonical
``partners`` table). Besides ``partner_id`` and ``name`` it may carry an
optional ``aliases`` column: other spellings of the organisation, separated
by ``;`` (``Gem. Zuiderhaven; Gemeente Zuiderhaven (afd. Wonen)``). A name
found in a source matches a partner when, after :func:`normalise_name`, it
equals the partner's id, name or one of its aliases. Normalising forgives
case, accents, spacing, punctuation and an ``&``/``en`` difference, so
``gemeente  zuiderhaven``, ``Gemeente Zuiderhaven.`` and ``GEMEENTE
ZUIDERHAVEN`` all name ``gemeente-zuiderhaven``. A name that matches no
partner is reported with the closest known name (:meth:`PartnerList.closest`),
never guessed: the fix is an alias in the partner list.

A source's own ``partner_names`` mapping still comes first (an explicit
override); :class:`PartnerList` is what harmonisation passes to the sources
as the set of partner ids.

Examples
--------
>>> import pandas as pd
>>> partners = PartnerList.from_frame(pd.DataFrame({
...     "partner_id": ["gemeente-zuiderhaven", "woonstad"],
...     "name": ["Gemeente Zuiderhaven", "Woonstad Rotterdam"],
...     "aliases": ["Gem. Zuiderhaven", None]}))
>>> partners.match("  gemeente ZUIDERHAVEN ")
'gemeente-zuiderhaven'
>>> partners.match("Gem Zuiderhaven")
'gemeente-zuiderhaven'
>>> partners.match("Woonstad Rotterdamm") is None
True
>>> partners.closest("Woonstad Rotterdamm")
'Woonstad Rotterdam'
>>> "woonstad" in partners
True
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping

import pandas as pd

__all__ = ["ALIAS_SEPARATOR", "PartnerList", "normalise_name"]

#: Separator of the aliases in the ``aliases`` column of ``partners.csv``.
ALIAS_SEPARATOR = ";"

_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)
_SPACE = re.compile(r"[\s_]+")
_BREAK = re.compile(r"[\x00-\x08\x0a-\x1f\x7f\u2028\u2029]")


def _word_share(a: str, b: str) -> float:
    """Share of the shorter name's words found in the other (a prefix of 3+ letters counts)."""
    wa, wb = a.split(), b.split()
    if not wa or not wb:
        return 0.0
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    found = sum(
        any(w == v or (min(len(w), len(v)) >= 3 and (v.startswith(w) or w.startswith(v)))
            for v in long_)
        for w in short
    )  # fmt: skip
    return found / len(short)


def normalise_name(name: object) -> str:
    """An organisation name reduced to what tells organisations apart.

    Lower case, accents removed (NFKD), ``&`` read as ``en``, punctuation
    and hyphens read as spaces, runs of spaces as one, ends stripped.

    Examples
    --------
    >>> normalise_name("  Stichting  Wélzijn & Zorg-Noord. ")
    'stichting welzijn en zorg noord'
    >>> normalise_name("gemeente-zuiderhaven")
    'gemeente zuiderhaven'
    """
    text = unicodedata.normalize("NFKD", str(name))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = text.replace("&", " en ")
    text = _PUNCT.sub(" ", text)
    return _SPACE.sub(" ", text).strip()


class PartnerList(frozenset):
    """The partner ids of a network, with their names and aliases for matching.

    A :class:`frozenset` of partner ids (so it stands wherever a set of ids
    is expected) that also knows every spelling: :meth:`match` gives the id
    a name stands for, :meth:`closest` the nearest known spelling.

    Parameters
    ----------
    ids : iterable of str
        Partner ids.
    spellings : mapping of str to str, optional
        Known spelling (name or alias) to partner id.

    Raises
    ------
    ValueError
        If one spelling names two partners (the message names both).
    """

    def __new__(cls, ids: Iterable[str] = (), spellings: Mapping[str, str] | None = None):
        return super().__new__(cls, ids)

    def __init__(self, ids: Iterable[str] = (), spellings: Mapping[str, str] | None = None):
        super().__init__()
        self.spellings: dict[str, str] = {}
        #: Partner id to (joined, left) as Timestamps (None when unknown or still a member).
        self.periods: dict[str, tuple] = {}
        self._normal: dict[str, str] = {}
        for pid in sorted(self):
            self._add(pid, pid)
        for text, pid in (spellings or {}).items():
            self._add(text, pid)

    def _add(self, text: str, pid: str) -> None:
        key = normalise_name(text)
        if not key:
            return
        other = self._normal.get(key)
        if other is not None and other != pid:
            raise ValueError(
                f"the name {text!r} matches two partners, {other} and {pid}; "
                "an alias must name one partner"
            )
        self._normal[key] = pid
        self.spellings.setdefault(text, pid)

    @classmethod
    def from_frame(cls, partners: pd.DataFrame) -> PartnerList:
        """The list from a ``partners`` table (``partner_id``, ``name``, optional ``aliases``).

        Raises
        ------
        ValueError
            If a name or an alias names two partners (row given).
        """
        spellings: dict[str, str] = {}
        rows = []
        has_aliases = "aliases" in partners.columns
        for i, row in enumerate(partners.itertuples(index=False)):
            pid = str(row.partner_id)
            names = [row.name] if "name" in partners.columns else []
            if has_aliases and isinstance(row.aliases, str):
                names += [a for a in row.aliases.split(ALIAS_SEPARATOR)]
            rows.append(pid)
            for text in names:
                if isinstance(text, str) and text.strip():
                    key = normalise_name(text)
                    for seen, other in spellings.items():
                        if normalise_name(seen) == key and other != pid:
                            raise ValueError(
                                f"partners.csv row {i + 2}: the name {text.strip()!r} of {pid} "
                                f"is also a name of {other}; a name or alias must name one partner"
                            )
                    spellings.setdefault(text.strip(), pid)
        out = cls(rows, spellings)
        for row in partners.itertuples(index=False):
            dates = []
            for name in ("joined", "left"):
                value = getattr(row, name, None)
                dates.append(None if value is None or pd.isna(value) else pd.Timestamp(value))
            out.periods[str(row.partner_id)] = tuple(dates)
        return out

    def with_names(self, names: Mapping[str, str]) -> PartnerList:
        """A copy in which ``names`` (a source's ``partner_names``) map as given, first.

        Examples
        --------
        >>> base = PartnerList(["a", "b"], {"Alfa": "a"})
        >>> base.with_names({"alfa": "b"}).match("ALFA")
        'b'
        """
        out = PartnerList(self, {})
        out.spellings, out.periods = dict(self.spellings), dict(self.periods)
        out._normal = dict(self._normal)
        for text, pid in names.items():
            out._normal[normalise_name(text)] = pid
            out.spellings[text] = pid
        return out

    def match(self, name: object) -> str | None:
        """The partner id ``name`` stands for (forgiving case, accents, spacing), or None.

        A name holding a line break or another control character matches nothing.
        """
        if name is None or (isinstance(name, float) and name != name):
            return None
        if _BREAK.search(str(name)):  # a line break or control character is no spelling
            return None
        return self._normal.get(normalise_name(name))

    def closest(self, name: object) -> str | None:
        """The known spelling (id, name or alias) nearest to ``name``, or None.

        Each normalised spelling is scored by the larger of two similarities,
        and the best of at least 0.6 is returned (ties: the higher
        character similarity, then the first spelling):

        - characters: :class:`difflib.SequenceMatcher`'s ratio (typing errors,
          ``Woonstad Roterdam``);
        - words: the share of the shorter name's words found in the other,
          a word also matching one it abbreviates (``gem`` for ``gemeente``,
          three letters or more), times 0.9; this finds a name with its
          words in another order (``Zuiderhaven gemeente``), abbreviated
          (``Gem. Zuiderhaven``) or shortened (``Woonstad``).

        Examples
        --------
        >>> p = PartnerList(["gz", "wr", "gn"], {"Gemeente Zuiderhaven": "gz",
        ...     "Woonstad Rotterdam": "wr", "Gemeente Noordstad": "gn"})
        >>> p.closest("Zuiderhaven gemeente"), p.closest("Gem Noordst"), p.closest("Woonstad")
        ('Gemeente Zuiderhaven', 'Gemeente Noordstad', 'Woonstad Rotterdam')
        >>> p.closest("Stichting Anders") is None
        True
        """
        # ids first, then names and aliases: a name is shown rather than the id it equals
        keys = {normalise_name(t): t for t in self.spellings}
        wanted = normalise_name(name)
        best, best_score = None, (0.6, -1.0)
        for key in keys:
            chars = difflib.SequenceMatcher(None, wanted, key).ratio()
            score = (max(chars, 0.9 * _word_share(wanted, key)), chars)
            if score[0] >= 0.6 and score > best_score:
                best, best_score = key, score
        return keys[best] if best is not None else None

    def unknown_message(self, name: object) -> str:
        """What to say about a name that matches no partner: the name and the closest match.

        Examples
        --------
        >>> PartnerList(["woonstad"], {"Woonstad Rotterdam": "woonstad"}).unknown_message("Woonstad Roterdam")
        "'Woonstad Roterdam' matches no partner id, name or alias in partners.csv (closest: 'Woonstad Rotterdam', woonstad); add it as an alias"
        """
        near = self.closest(name)
        hint = f"closest: {near!r}, {self.spellings[near]}" if near else "no close match"
        return (
            f"{str(name)!r} matches no partner id, name or alias in partners.csv "
            f"({hint}); add it as an alias"
        )
