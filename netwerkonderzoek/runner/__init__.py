"""Running studies: papermill per notebook, per network, in parallel or on Dask.

See :func:`run_network` for the run contract (atomic run folders, manifest,
resuming), :func:`run_networks` for batches and :func:`verify_run` for
re-running a finished run and comparing its outputs byte for byte.
"""

from .batch import default_jobs, run_networks
from .kernel import NotebookFailure, notebook_parameters
from .manifest import file_hash
from .progress import ProgressBoard
from .run import (
    CROSS_NETWORK_NOTEBOOKS,
    NotebookResult,
    RunResult,
    input_files,
    run_network,
    study_notebooks,
)
from .verify import VerifyResult, verify_run

__all__ = [
    "CROSS_NETWORK_NOTEBOOKS",
    "NotebookFailure",
    "NotebookResult",
    "ProgressBoard",
    "RunResult",
    "VerifyResult",
    "default_jobs",
    "file_hash",
    "input_files",
    "notebook_parameters",
    "run_network",
    "run_networks",
    "study_notebooks",
    "verify_run",
]
