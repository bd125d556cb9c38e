"""Longitudinal partner networks out to RSiena, and the descriptives RSiena users check first.

Stochastic actor-oriented models (SAOMs) of network change are fitted with
the R package RSiena (Snijders, van de Bunt & Steglich 2010). Its input is
one adjacency matrix per wave, actor covariates and, when partners join or
leave, their times of composition change. :func:`siena_files` writes these
as the plain text files RSiena reads, plus ``read_siena.R``, the R script
that reads them (``sienaDependent``, ``coCovar``,
``sienaCompositionChangeFromFile``, ``sienaDataCreate``, ``print01Report``).

Files (all whitespace-separated text, rows and columns in the order of
``actors.txt``: the partners present at one wave at least, in the order of
the partners table):

``{layer}_w{wave}.dat``
    the adjacency matrix of the wave: 1 for a tie of the layer, 0 for none,
    diagonal 0 — RSiena's ``as.matrix(read.table(file))``. A partner that is
    not a member at a wave (not yet joined, or left) has its row and column
    ``NA`` with ``composition="file"`` (RSiena's method of joiners and
    leavers, Huisman & Snijders 2003: the missing ties of absent partners are
    replaced by RSiena according to the composition-change option), or
    ``10`` (structural zero: the tie cannot exist) with
    ``composition="structural"``.
``composition.dat`` (``composition="file"``, only if membership changes)
    one line per partner, the times it is present as pairs ``start end``
    (``sienaCompositionChangeFromFile``; RSiena's sienautils.r reads
    space-separated numbers). Time ``t`` is wave ``t`` (1 … M); a partner
    that joined between waves ``t`` and ``t+1`` starts at ``t + f``, with
    ``f`` the share of the days between the two fieldwork dates that had
    passed when it joined; leaving likewise. Present at every wave:
    ``1 M``. RSiena requires ``1 <= start <= end <= M``, and treats a
    partner as present at wave ``t`` when ``ceiling(start) <= t <=
    trunc(end)`` (sienaDataCreate.r); the fractions are kept strictly
    inside (0, 1) so that this gives exactly the waves at which the
    partner was a member.
``cov_{name}.dat``
    a constant actor covariate, one value per line (``coCovar``): numbers as
    they are, true/false as 1/0, categories as codes 1, 2, … in sorted order
    (listed in ``cov_{name}_codes.txt``), ``NA`` for missing.
``actors.txt``
    the partner ids, one per line.
``read_siena.R``
    the R calls that read the files and print RSiena's data report.

:func:`siena_descriptives` gives, per pair of consecutive waves, what
RSiena's ``print01Report`` shows first: the numbers of dyads 0→0, 0→1, 1→0
and 1→1, the Hamming distance (ties that changed, 0→1 plus 1→0) and the
Jaccard index of stability :math:`N_{11} / (N_{01} + N_{10} + N_{11})`,
counted over the ordered pairs of partners who are members at both waves
(RSiena counts the other dyads as missing). Snijders, van de Bunt &
Steglich (2010) advise a Jaccard index above 0.3 (and not below 0.2): with
more turnover the waves are too far apart for the model's assumption of
gradual change; the ``warning`` column says so.

References
----------
Snijders, T. A. B., van de Bunt, G. G., & Steglich, C. E. G. (2010).
Introduction to stochastic actor-based models for network dynamics.
*Social Networks* 32(1), 44–60. https://doi.org/10.1016/j.socnet.2009.02.004

Huisman, M., & Snijders, T. A. B. (2003). Statistical analysis of
longitudinal network data with changing composition. *Sociological Methods
& Research* 32(2), 253–287. https://doi.org/10.1177/0049124103256096

Examples
--------
>>> import pandas as pd
>>> from netwerkonderzoek.network import siena_descriptives
>>> partners = pd.DataFrame({"partner_id": list("abcd"), "kind": ["care"] * 4})
>>> ties = pd.DataFrame({"wave": [1, 1, 1, 2, 2, 2], "source": list("abcabc"),
...     "target": list("bcacab"), "tie_type": ["joint_delivery"] * 6, "weight": 1.0})
>>> table = siena_descriptives(ties, partners)
>>> table[["ties_00", "ties_01", "ties_10", "ties_11", "hamming", "jaccard"]]
   ties_00  ties_01  ties_10  ties_11  hamming  jaccard
0        6        3        3        0        6      0.0
>>> table.loc[0, "warning"][:33]
'low Jaccard: 0.00 < 0.3 between w'
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from .graphs import NetworkDataError, check_layer, network_waves

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["SIENA_JACCARD_MIN", "siena_descriptives", "siena_files"]

SIENA_JACCARD_MIN = 0.3
_COMPOSITION = ("file", "structural")
# fractions of a period stay inside (0, 1), so ceiling/trunc give RSiena the right waves
_EPSILON = 1e-4


def _siena_waves(ties, partners, wave_dates, layer):
    """Waves, their graphs of ``layer``, the roster and the presence of each partner."""
    import numpy as np

    from .graphs import wave_graphs

    check_layer(layer)
    waves = network_waves(ties, wave_dates)
    if len(waves) < 2:
        raise NetworkDataError(
            f"RSiena needs at least 2 waves; the data hold wave {waves[0]} only"
        )
    if layer != "all" and not (ties["tie_type"] == layer).any():
        present = ", ".join(sorted(map(str, ties["tie_type"].dropna().unique())))
        raise NetworkDataError(
            f"the layer {layer!r} has no ties in any wave (the ties table holds {present})"
        )
    graphs = wave_graphs(ties, partners, wave_dates, layer=layer)
    members = set().union(*(set(G) for G in graphs.values()))
    roster = [p for p in partners["partner_id"] if p in members]
    presence = np.array([[p in graphs[w] for w in waves] for p in roster], dtype=bool)
    return waves, graphs, roster, presence


def _matrix(G, roster, present, absent_code):
    """The wave's adjacency matrix as text rows; absent partners' rows and columns coded."""
    import numpy as np

    position = {p: k for k, p in enumerate(roster)}
    n = len(roster)
    M = np.zeros((n, n), dtype=object)
    M[:] = 0
    M[~present, :] = absent_code
    M[:, ~present] = absent_code
    for u, v in G.edges:
        M[position[u], position[v]] = 1
    np.fill_diagonal(M, 0)
    return "\n".join(" ".join(map(str, row)) for row in M) + "\n"


def _fraction(date, start, end, low, high):
    """Share of the period from ``start`` to ``end`` passed at ``date``, in [low, high]."""
    import pandas as pd

    if date is None or pd.isna(date) or start is None or end is None:
        return high
    span = (end - start).days
    share = (pd.Timestamp(date) - start).days / span if span > 0 else high
    return min(max(round(share, 4), low), high)


def _interval_text(present, joined, left, dates) -> str:
    """A partner's line of composition.dat: ``start end`` per run of waves present."""
    M = len(present)
    parts, t = [], 0
    while t < M:
        if not present[t]:
            t += 1
            continue
        first = t
        while t + 1 < M and present[t + 1]:
            t += 1
        last = t
        if first == 0:
            start = 1.0
        else:  # joined between waves first and first + 1 (1-based)
            start = first + _fraction(joined, dates[first - 1], dates[first], _EPSILON, 1.0)
        if last == M - 1:
            end = float(M)
        else:  # left between waves last + 1 and last + 2 (1-based)
            end = last + 1 + _fraction(left, dates[last], dates[last + 1], 0.0, 1 - _EPSILON)
        parts += [f"{start:g}", f"{end:g}"]
        t += 1
    return " ".join(parts)


def _covariate(values, name: str):
    """Text of a constant covariate file and, for categories, of its codes file."""
    import pandas as pd

    values = pd.Series(values).reset_index(drop=True)
    if pd.api.types.is_bool_dtype(values):
        return "\n".join(str(int(v)) for v in values) + "\n", None
    if pd.api.types.is_numeric_dtype(values):
        return "\n".join("NA" if pd.isna(v) else f"{float(v):g}" for v in values) + "\n", None
    categories = sorted({str(v) for v in values if not pd.isna(v)})
    code = {c: k for k, c in enumerate(categories, start=1)}
    text = "\n".join("NA" if pd.isna(v) else str(code[str(v)]) for v in values) + "\n"
    codes = "".join(f"{k} {c}\n" for c, k in code.items())
    return text, codes


def _covariate_table(partners, covariates):
    """The covariates as a DataFrame indexed by partner_id."""
    import pandas as pd

    if covariates is None:
        return pd.DataFrame(index=partners["partner_id"])
    if isinstance(covariates, pd.DataFrame):
        if "partner_id" not in covariates:
            raise ValueError(
                "The 'covariates' table of siena_files needs a partner_id column. Got columns "
                f"{', '.join(map(str, covariates.columns))} instead."
            )
        return covariates.set_index("partner_id")
    names = [covariates] if isinstance(covariates, str) else list(covariates)
    missing = [c for c in names if c not in partners]
    if missing:
        raise ValueError(
            f"The 'covariates' parameter of siena_files names columns that the partners table "
            f"lacks: {', '.join(missing)} (it has {', '.join(map(str, partners.columns))})"
        )
    return partners.set_index("partner_id")[names]


def _r_script(layer, waves, files, n, covariate_names, composition, changing, dates) -> str:
    """Text of read_siena.R: the R calls that read the files and report the data."""
    net = [f"w{w} <- as.matrix(read.table({files[w]!r}))" for w in waves]
    lines = [
        "# Read the RSiena input written by netwerkonderzoek.network.siena_files.",
        f"# Layer: {layer}; waves {', '.join(map(str, waves))}"
        + (f" (fieldwork {', '.join(str(dates[w]) for w in waves)})" if dates else "")
        + f"; {n} partners, in the order of actors.txt.",
        "# Run it from this folder: setwd() to it first.",
        "library(RSiena)",
        'actors <- readLines("actors.txt")',
        *[line.replace("'", '"') for line in net],
        f"network <- sienaDependent(array(c({', '.join(f'w{w}' for w in waves)}), "
        f"dim = c({n}, {n}, {len(waves)})))",
    ]
    objects = ["network"]
    for name in covariate_names:
        lines.append(f'cov_{name} <- coCovar(as.matrix(read.table("cov_{name}.dat"))[, 1])')
        objects.append(f"cov_{name}")
    if changing and composition == "structural":
        lines.insert(
            5, "# Partners absent at a wave have 10 (structural zero) in their rows and columns."
        )
    if changing and composition == "file":
        lines += [
            "# Partners absent at a wave are NA in the matrices; composition.dat holds the",
            "# times they were members (option = 1: ties 0 before joining, carried forward",
            "# after leaving; see ?sienaCompositionChange for options 2 and 3).",
            'changes <- sienaCompositionChangeFromFile("composition.dat", option = 1)',
        ]
        objects.append("changes")
    lines += [
        f"data <- sienaDataCreate({', '.join(objects)})",
        f'print01Report(data, modelname = "{layer}")',
        "",
    ]
    return "\n".join(lines)


def siena_files(
    ties: pd.DataFrame,
    partners: pd.DataFrame,
    wave_dates: dict | None = None,
    layer: str = "joint_delivery",
    folder=".",
    *,
    covariates=("kind",),
    composition: str = "file",
) -> pd.DataFrame:
    """Write a layer's waves as RSiena input files, with the R script that reads them.

    Parameters
    ----------
    ties, partners : DataFrame
        The canonical ties and partners tables.
    wave_dates : mapping of int to date, optional
        Fieldwork date per wave (``config.wave_dates``); needed when partners
        join or leave, and used for the times of composition change.
    layer : str
        A tie type, or ``"all"`` (any tie).
    folder : path
        Folder to write to (created if needed; files in it are overwritten).
    covariates : sequence of str, or DataFrame, optional
        Partners-table columns to write as constant covariates, or a table
        with ``partner_id`` and one column per covariate (e.g. core
        membership at the first wave from ``partner_measures``).
    composition : {"file", "structural"}
        How partners absent at a wave are coded (see the module docstring).

    Returns
    -------
    DataFrame
        The files written: ``file`` (path), ``content`` (``network``,
        ``composition``, ``covariate``, ``codes``, ``actors`` or ``script``),
        ``wave`` (for networks, else missing).

    Raises
    ------
    ValueError
        For an unknown ``layer`` or ``composition``, or covariates the
        partners table lacks.
    NetworkDataError
        With fewer than 2 waves, a layer without any tie, ties naming a
        partner who is not in the partners table (or not a member on the
        wave's date), or partners joining or leaving without ``wave_dates``.

    Examples
    --------
    >>> import tempfile
    >>> import pandas as pd
    >>> partners = pd.DataFrame({"partner_id": list("abc"), "kind": ["care", "care", "housing"],
    ...     "joined": ["2022-01-01", "2022-01-01", "2023-02-01"], "left": None})
    >>> ties = pd.DataFrame({"wave": [1, 2, 2], "source": ["a", "a", "c"],
    ...     "target": ["b", "b", "a"], "tie_type": "joint_delivery", "weight": 1.0})
    >>> folder = tempfile.mkdtemp()
    >>> written = siena_files(ties, partners, {1: "2023-01-01", 2: "2023-03-01"}, folder=folder)
    >>> list(written["file"].map(lambda p: p.rsplit("/", 1)[-1]))  # doctest: +NORMALIZE_WHITESPACE
    ['joint_delivery_w1.dat', 'joint_delivery_w2.dat', 'composition.dat', 'cov_kind.dat',
     'cov_kind_codes.txt', 'actors.txt', 'read_siena.R']
    >>> print(open(f"{folder}/joint_delivery_w1.dat").read())
    0 1 NA
    0 0 NA
    NA NA 0
    <BLANKLINE>
    >>> print(open(f"{folder}/composition.dat").read())  # c joined 1 Feb: 31 of 59 days
    1 2
    1 2
    1.5254 2
    <BLANKLINE>
    """
    import pandas as pd

    if composition not in _COMPOSITION:
        raise ValueError(
            f"The 'composition' parameter of siena_files must be one of "
            f"{', '.join(_COMPOSITION)}. Got {composition!r} instead."
        )
    waves, graphs, roster, presence = _siena_waves(ties, partners, wave_dates, layer)
    table = _covariate_table(partners, covariates)
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written, files = [], {}
    absent = "NA" if composition == "file" else 10
    for k, wave in enumerate(waves):
        name = f"{layer}_w{wave}.dat"
        (out / name).write_text(_matrix(graphs[wave], roster, presence[:, k], absent))
        files[wave] = name
        written.append((out / name, "network", wave))
    changing = not presence.all()
    if composition == "file" and changing:
        dates = [pd.Timestamp(wave_dates[w]) for w in waves] if wave_dates else [None] * len(waves)
        info = partners.set_index("partner_id")
        lines = [
            _interval_text(
                presence[i],
                info.at[p, "joined"] if "joined" in info else None,
                info.at[p, "left"] if "left" in info else None,
                dates,
            )
            for i, p in enumerate(roster)
        ]
        (out / "composition.dat").write_text("\n".join(lines) + "\n")
        written.append((out / "composition.dat", "composition", None))
    covariate_names = []
    for column in table.columns:
        name = re.sub(r"\W+", "_", str(column)).strip("_") or "covariate"
        text, codes = _covariate(table[column].reindex(roster), name)
        (out / f"cov_{name}.dat").write_text(text)
        written.append((out / f"cov_{name}.dat", "covariate", None))
        if codes is not None:
            (out / f"cov_{name}_codes.txt").write_text(codes)
            written.append((out / f"cov_{name}_codes.txt", "codes", None))
        covariate_names.append(name)
    (out / "actors.txt").write_text("\n".join(map(str, roster)) + "\n")
    written.append((out / "actors.txt", "actors", None))
    script = _r_script(
        layer,
        waves,
        files,
        len(roster),
        covariate_names,
        composition,
        changing,
        {w: pd.Timestamp(wave_dates[w]).date() for w in waves} if wave_dates else None,
    )
    (out / "read_siena.R").write_text(script)
    written.append((out / "read_siena.R", "script", None))
    manifest = pd.DataFrame(
        [(str(path), content, wave) for path, content, wave in written],
        columns=["file", "content", "wave"],
    )
    manifest["wave"] = manifest["wave"].astype("Int64")
    return manifest


def siena_descriptives(
    ties: pd.DataFrame,
    partners: pd.DataFrame,
    wave_dates: dict | None = None,
    layer: str = "joint_delivery",
) -> pd.DataFrame:
    """Tie changes between consecutive waves, as RSiena's data report shows them.

    Returns
    -------
    DataFrame
        One row per pair of consecutive waves: ``from_wave``, ``to_wave``,
        ``partners`` (members at both waves), ``ties_00``, ``ties_01``,
        ``ties_10``, ``ties_11`` (ordered pairs of those partners with no tie
        at both waves, a new tie, a dropped tie, a kept tie), ``hamming``
        (``ties_01 + ties_10``), ``jaccard`` (``ties_11 / (ties_01 +
        ties_10 + ties_11)``, NaN without ties), ``missing`` (ordered pairs
        of the roster with a partner absent at either wave) and ``warning``
        (empty, or ``"low Jaccard: ..."`` below :data:`SIENA_JACCARD_MIN`).

    Raises
    ------
    ValueError, NetworkDataError
        As :func:`siena_files`.

    References
    ----------
    Snijders, van de Bunt & Steglich (2010). https://doi.org/10.1016/j.socnet.2009.02.004

    Examples
    --------
    >>> import pandas as pd
    >>> partners = pd.DataFrame({"partner_id": list("abc"), "kind": ["care"] * 3})
    >>> ties = pd.DataFrame({"wave": [1, 1, 2, 2], "source": list("abab"),
    ...     "target": list("bcba"), "tie_type": "information", "weight": 1.0})
    >>> row = siena_descriptives(ties, partners, layer="information").iloc[0]
    >>> int(row["ties_11"]), int(row["hamming"]), round(float(row["jaccard"]), 3)
    (1, 2, 0.333)
    >>> row["warning"] == ""  # 0.33 is not below 0.3
    True
    """
    import numpy as np
    import pandas as pd

    waves, graphs, roster, presence = _siena_waves(ties, partners, wave_dates, layer)
    position = {p: k for k, p in enumerate(roster)}
    n = len(roster)
    off = ~np.eye(n, dtype=bool)

    def adjacency(G):
        A = np.zeros((n, n), dtype=bool)
        for u, v in G.edges:
            A[position[u], position[v]] = True
        return A

    rows = []
    for k in range(len(waves) - 1):
        both = presence[:, k] & presence[:, k + 1]
        observed = off & both[:, None] & both[None, :]
        before, after = (
            adjacency(graphs[waves[k]])[observed],
            adjacency(graphs[waves[k + 1]])[observed],
        )
        n01, n10, n11 = (
            int(np.sum(~before & after)),
            int(np.sum(before & ~after)),
            int(np.sum(before & after)),
        )
        changed = n01 + n10 + n11
        jaccard = n11 / changed if changed else float("nan")
        warning = ""
        if jaccard < SIENA_JACCARD_MIN:
            warning = (
                f"low Jaccard: {jaccard:.2f} < {SIENA_JACCARD_MIN} between waves {waves[k]} and "
                f"{waves[k + 1]}; with this much turnover the waves may be too far apart for a "
                "stochastic actor-oriented model (Snijders, van de Bunt & Steglich 2010)"
            )
        rows.append(
            {
                "from_wave": waves[k],
                "to_wave": waves[k + 1],
                "partners": int(both.sum()),
                "ties_00": int(np.sum(~before & ~after)),
                "ties_01": n01,
                "ties_10": n10,
                "ties_11": n11,
                "hamming": n01 + n10,
                "jaccard": jaccard,
                "missing": int(off.sum() - observed.sum()),
                "warning": warning,
            }
        )
    return pd.DataFrame(rows)
