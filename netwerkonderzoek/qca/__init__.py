"""Qualitative Comparative Analysis (crisp- and fuzzy-set QCA).

Calibrate raw values into set membership (:func:`calibrate`), build a truth
table (:func:`truth_table`), minimise it exactly into conservative,
parsimonious or intermediate solutions (:func:`minimize`), assess
sufficiency and necessity (:func:`fit_expression`, :func:`necessity`) and
draw an XY plot (:func:`plot_xy`). Results match R QCA (Dusa 2019) on the
Lipset benchmark data.

Notation: terms are joined by ``" + "``, conditions within a term by
``"*"``, negation is ``"~"``; conditions within a term follow the order of
the ``conditions`` argument.

Examples
--------
>>> import pandas as pd
>>> from netwerkonderzoek import qca
>>> data = pd.DataFrame(
...     {"A": [1, 1, 0, 0, 1], "B": [1, 0, 1, 0, 0], "Y": [1, 1, 0, 0, 1]},
...     index=["n1", "n2", "n3", "n4", "n5"])
>>> tt = qca.truth_table(data, outcome="Y", conditions=["A", "B"])
>>> qca.minimize(tt, solution="conservative").solutions
['A']
"""

from ._common import QCAError
from .calibrate import calibrate, crossover_cases
from .fit import fit_expression, membership, necessity
from .minimize import minimal_covers, minimize, prime_implicants
from .plot import plot_xy
from .result import QCAResult
from .truthtable import TruthTable, truth_table

__all__ = [
    "QCAError",
    "QCAResult",
    "TruthTable",
    "calibrate",
    "crossover_cases",
    "fit_expression",
    "membership",
    "minimal_covers",
    "minimize",
    "necessity",
    "plot_xy",
    "prime_implicants",
    "truth_table",
]
