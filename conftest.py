"""Marks for doctests in the package (tests/conftest.py serves tests/).

Doctests that start a Jupyter kernel take seconds: they are marked ``slow``,
so ``make test-fast`` leaves them out and ``make test`` runs them.
"""

import pytest

#: Doctests (by their pytest item name) that start a kernel.
KERNEL_DOCTESTS = frozenset(
    {
        "netwerkonderzoek.runner.kernel.execute",
        "netwerkonderzoek.runner.run.run_network",
        "netwerkonderzoek.runner.run.run_notebooks",
    }
)


def pytest_collection_modifyitems(items):
    for item in items:
        if isinstance(item, pytest.DoctestItem) and item.name in KERNEL_DOCTESTS:
            item.add_marker(pytest.mark.slow)
