"""Running studies: papermill per notebook, per network, in parallel or on Dask.

See :func:`run_network` for the run contract (atomic run folders, manifest,
resuming), :func:`run_networks` for batches, :func:`run_synthesis` for the
cross-network synthesis (``output/_synthese/``) and :func:`verify_run` for
re-running a finished run and comparing its outputs byte for byte, and
:func:`compare_runs` for what changed between two evaluations of a network.
"""

from .batch import default_jobs, run_networks
from .compare import (
    Comparison,
    changes_since_previous,
    compare_network,
    compare_runs,
    complete_runs,
)
from .kernel import NotebookFailure, notebook_parameters
from .manifest import file_hash
from .progress import ProgressBoard
from .run import (
    CROSS_NETWORK_NOTEBOOKS,
    NotebookResult,
    RunResult,
    check_parameters,
    input_files,
    run_network,
    run_notebooks,
    study_notebooks,
)
from .synthesis import SYNTHESIS_DIR, run_synthesis, synthesis_inputs
from .verify import VerifyResult, verify_run

__all__ = [
    "CROSS_NETWORK_NOTEBOOKS",
    "SYNTHESIS_DIR",
    "Comparison",
    "NotebookFailure",
    "NotebookResult",
    "ProgressBoard",
    "RunResult",
    "VerifyResult",
    "changes_since_previous",
    "check_parameters",
    "compare_network",
    "compare_runs",
    "complete_runs",
    "default_jobs",
    "file_hash",
    "input_files",
    "notebook_parameters",
    "run_network",
    "run_networks",
    "run_notebooks",
    "run_synthesis",
    "study_notebooks",
    "synthesis_inputs",
    "verify_run",
]
