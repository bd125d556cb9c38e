"""Command line: ``netwerkonderzoek init | key | list | validate | harmonise | run | verify | compare | simulate``.

A thin shell over the library: every command calls one public function and
turns its result into terminal output and an exit code:

- 0: success;
- 1: the work failed: faults in a network's data or theory (``validate``), a
  source entirely or above ``harmonisation.max_quarantine_share`` quarantined
  (``harmonise``), a run that failed, a ``verify`` that found differences;
- 2: the command could not start: bad usage, an invalid config, theory or
  key file, a refused parameter, a run folder ``verify`` or ``compare``
  refuses (``compare`` also refuses runs of two networks), an unreachable
  scheduler, a network id that is not a slug or whose files exist
  (``init``), a key file that exists or would lie inside a repository
  (``key new``) (the message names the file, key or address and what was
  expected).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .exceptions import (
    ConfigError,
    NetwerkonderzoekError,
    RunError,
    TheoryError,
    ValidationError,
)
from .privacy import PrivacyError

#: The project's study notebooks: the default of ``--notebook-dir``, so a
#: study of a network kept in another folder runs them without the option.
PROJECT_NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"

#: Errors that keep a command from starting: exit status 2.
STARTUP_ERRORS = (ConfigError, TheoryError, PrivacyError, RunError)

__all__ = ["STARTUP_ERRORS", "build_parser", "main"]


def _parse_value(text: str) -> object:
    """Read a ``-p NAME VALUE`` value as papermill's ``-p`` does.

    ``True``, ``False`` and ``None`` are those values, a whole number an int,
    another number a float, anything else the text exactly as given (no YAML:
    ``en # x`` stays ``en # x``).

    Examples
    --------
    >>> [_parse_value(v) for v in ("en", "3", "0.5", "True", "None", "en # x")]
    ['en', 3, 0.5, True, None, 'en # x']
    """
    constants = {"True": True, "False": False, "None": None}
    if text in constants:
        return constants[text]
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            continue
    return text


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config-dir", default="config", help="configuration folder (default: config)"
    )
    parser.add_argument(
        "--data-dir", default="data", help="canonical tables folder (default: data)"
    )


def build_parser() -> argparse.ArgumentParser:
    """The ``netwerkonderzoek`` command's argument parser, one subcommand per task.

    Examples
    --------
    >>> parser = build_parser()
    >>> args = parser.parse_args(["run", "wijk-noord", "--only", "01_netwerk", "-p", "language", "en"])
    >>> args.command, args.network, args.only, args.parameter
    ('run', 'wijk-noord', ['01_netwerk'], [['language', 'en']])
    """
    parser = argparse.ArgumentParser(
        prog="netwerkonderzoek",
        description="Realist evaluation of collaboration networks: validate data and run studies.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    _add_init(sub)
    _add_key(sub)
    _common(sub.add_parser("list", help="list the configured networks"))
    p_val = sub.add_parser("validate", help="validate a network's configuration and data")
    p_val.add_argument("network", help="network id (slug)")
    _common(p_val)
    _add_run(sub)
    p_ver = sub.add_parser(
        "verify", help="re-run a finished run from its manifest and compare outputs"
    )
    p_ver.add_argument("run", help="run folder, e.g. output/wijk-noord/latest")
    p_cmp = sub.add_parser(
        "compare",
        help="what changed between two evaluations: two run folders, or a network's latest two",
        description="Compare two complete runs of one network: verdicts that changed and why, "
        "new or ended heartbeat signals, network measures and trust/value that moved beyond "
        "their uncertainty, partners who joined or left, business-case flags, value-matrix "
        "cells and the inputs. Prints the comparison and writes it as CSV.",
    )
    p_cmp.add_argument(
        "runs",
        nargs="+",
        metavar="RUN_OR_NETWORK",
        help="two run folders (earlier first), e.g. output/wijk-noord/20240101T090000Z "
        "output/wijk-noord/latest; or one network id for its latest two complete runs",
    )
    p_cmp.add_argument(
        "--output-dir", default="output", help="where the runs are (with a network id)"
    )
    p_cmp.add_argument(
        "--language",
        choices=("nl", "en"),
        default=None,
        help="language of the sentences (default: the later run's)",
    )
    p_cmp.add_argument(
        "--to",
        default=None,
        metavar="FILE",
        help="CSV to write (default: <network folder>/comparisons/<run A>--<run B>.csv)",
    )
    p_har = sub.add_parser(
        "harmonise", help="turn a network's raw partner exports into its canonical tables"
    )
    p_har.add_argument("network", help="network id (slug)")
    _common(p_har)
    p_sim = sub.add_parser(
        "simulate", help="regenerate the example networks from the generative model"
    )
    _common(p_sim)
    p_sim.add_argument(
        "--seed", type=int, default=None, help="random seed (default: the shipped seed)"
    )
    p_sim.add_argument(
        "--until",
        metavar="YYYY-MM",
        default=None,
        help="write the example networks as known at the end of this month (inclusive), for "
        "an interim evaluation: later survey waves, months, units, observations, events and "
        "appreciation are left out and study.end is this month; from each network's second "
        "survey wave to its study end (default: the whole study). The cross-network set is "
        "always written whole",
    )
    return parser


def _add_init(sub) -> None:
    """The ``init`` subcommand: start a network's files."""
    p_init = sub.add_parser(
        "init",
        help="start a network: commented config, theory template and data/raw/<id>/README.md",
    )
    p_init.add_argument("network", help="id of the new network (slug, e.g. wijk-zuid)")
    _common(p_init)
    p_init.add_argument("--force", action="store_true", help="overwrite the files if they exist")


def _add_key(sub) -> None:
    """The ``key`` subcommand: pseudonymisation keys."""
    p_key = sub.add_parser("key", help="pseudonymisation keys")
    key_sub = p_key.add_subparsers(dest="key_command", required=True)
    p_key_new = key_sub.add_parser(
        "new", help="create a new pseudonymisation key outside the repository"
    )
    p_key_new.add_argument(
        "--output",
        metavar="PATH",
        default=None,
        help="key file to create (default: ~/.config/netwerkonderzoek/pseudonymisation.key); "
        "refused inside a git work tree or project folder",
    )


def _add_run(sub) -> None:
    """The ``run`` subcommand: one network, all of them, or the synthesis."""
    p_run = sub.add_parser("run", help="run the study notebooks for one or all networks")
    target = p_run.add_mutually_exclusive_group(required=True)
    target.add_argument("network", nargs="?", help="network id (slug)")
    target.add_argument("--all", action="store_true", help="run every configured network")
    target.add_argument(
        "--synthesis",
        action="store_true",
        help="run the cross-network synthesis (notebooks/05_synthese.ipynb) into output/_synthese/",
    )
    target.add_argument(
        "--help-notebook",
        action="store_true",
        help="list each study notebook's parameters and exit",
    )
    _common(p_run)
    p_run.add_argument("--output-dir", default="output", help="output root (default: output)")
    p_run.add_argument(
        "--notebook-dir",
        default=str(PROJECT_NOTEBOOKS),
        help="study notebooks (default: the project's notebooks/, wherever you run from)",
    )
    p_run.add_argument(
        "--only", action="append", metavar="NOTEBOOK", help="run only this notebook (repeatable)"
    )
    p_run.add_argument(
        "-p",
        "--parameter",
        nargs=2,
        action="append",
        metavar=("NAME", "VALUE"),
        help="override a notebook parameter, as papermill's -p; NAME must be declared in a notebook's parameters cell",
    )
    p_run.add_argument(
        "--jobs",
        type=int,
        default=None,
        help="networks run in parallel (default: the number of cores)",
    )
    p_run.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run on a Dask distributed cluster (tcp://host:port)",
    )
    p_run.add_argument(
        "--force",
        action="store_true",
        help="execute every notebook, even if an earlier run has its results",
    )


def _print_faults(exc: ValidationError, stream) -> None:
    print(str(exc), file=stream)


def _cmd_init(args) -> int:
    from .scaffold import init_network

    config, theory, readme, ignore = init_network(
        args.network, args.config_dir, args.data_dir, force=args.force
    )
    n = args.network
    flags = "".join(
        f" --{name}-dir {value}"
        for name, value in (("config", args.config_dir), ("data", args.data_dir))
        if value != name
    )
    print(f"created network {n}:")
    for path, what in (
        (config, "network configuration: every key, commented (nl/en)"),
        (theory, "programme theory: one example configuration"),
        (readme, "what to put in the raw folder"),
        (ignore, "keeps the raw exports out of git"),
    ):
        print(f"  {_show(path)}  ({what})")
    print(
        "\nnext:\n"
        f"  1. fill in {_show(config)}: the lines marked 'VUL IN / FILL IN', the study period\n"
        "     and survey waves, the indicators, and a source for every raw export\n"
        f"  2. put the partners' exports in {_show(readme.parent)}/ (unedited) and the partner\n"
        f"     list in {_show(Path(args.data_dir) / n / 'partners.csv')}\n"
        "  3. unit-level data? create a key outside the repository: netwerkonderzoek key new\n"
        "     and name it under privacy.key_file (or set $NETWERKONDERZOEK_KEY)\n"
        f"  4. netwerkonderzoek harmonise {n}{flags}   (the raw exports become data/{n}/ tables)\n"
        f"  5. netwerkonderzoek validate {n}{flags}    (the tables, the theory and their fit)\n"
        f"  6. netwerkonderzoek run {n}{flags}"
    )
    return 0


def _cmd_key(args) -> int:
    from .privacy import KEY_ENVIRONMENT_VARIABLE
    from .scaffold import new_key

    path = new_key(args.output)
    shown = path.expanduser().resolve()
    print(f"created pseudonymisation key {shown} (readable by you only)")
    print(
        "BACK IT UP NOW, somewhere safe outside the repository: another key gives other "
        "pseudonyms, and waves harmonised with different keys no longer link up. Never "
        "commit or share it."
    )
    print(
        "use it: in config/networks/<id>.yaml set\n"
        f"  privacy:\n    key_file: {shown}\n"
        f"or set the environment variable: export {KEY_ENVIRONMENT_VARIABLE}=\"$(grep -v '^#' {shown})\""
    )
    return 0


def _cmd_list(args) -> int:
    from .config import list_networks, load_config

    for network_id in list_networks(args.config_dir):
        config = load_config(network_id, args.config_dir)
        print(f"{network_id:<20} {config.name}")
    return 0


def _cmd_validate(args) -> int:
    from .checks import validate_study
    from .config import load_config
    from .harmonise import harmonisation_reason

    config = load_config(args.network, args.config_dir)
    faults = validate_study(config, args.data_dir)
    # validate checks the canonical tables; say when they are behind the raw exports
    stale = harmonisation_reason(config, args.data_dir) if config.sources else None
    hint = (
        f"note: the tables in {Path(args.data_dir) / args.network} are not harmonised from the "
        f"current raw exports ({stale}); run netwerkonderzoek harmonise {args.network} first"
        if stale
        else ""
    )
    if faults:
        _print_faults(ValidationError(faults), sys.stdout)
        if hint:
            print(hint)
        print(f"{args.network}: INVALID ({len(faults)} faults)")
        return 1
    if hint:
        print(hint)
    folder = Path(args.data_dir) / args.network
    checked = ["configuration"]
    theory = config.theory_path
    if theory is not None and theory.is_file():
        checked.append(f"theory {_show(theory)}")
    if (folder / "appreciation.csv").is_file():
        checked.append("appreciation.csv")
    print(f"{args.network}: valid ({', '.join(checked)} and {folder} tables)")
    return 0


def _show(path: Path | None) -> str:
    if path is None:
        return "-"
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _cmd_help_notebook(args) -> int:
    from .runner import notebook_parameters, study_notebooks

    for path in study_notebooks(args.notebook_dir):
        print(f"{path.stem}:")
        for row in notebook_parameters(path).itertuples():
            print(f"  {row.name:<12} {row.type or '':<6} (default {row.default}) {row.help}")
    return 0


def _cmd_run(args) -> int:
    from .config import list_networks
    from .runner import ProgressBoard, run_networks, study_notebooks

    if args.help_notebook:
        return _cmd_help_notebook(args)
    if args.synthesis:
        return _cmd_synthesis(args)
    if args.jobs is not None and args.jobs < 1:
        print(f"error: --jobs must be at least 1, got {args.jobs}", file=sys.stderr)
        return 2
    ids = list_networks(args.config_dir) if args.all else [args.network]
    parameters = _parameters(
        args, study_notebooks(args.notebook_dir, args.only) if args.parameter else []
    )
    if parameters is None:
        return 2
    with ProgressBoard(ids) as board:
        results = run_networks(
            ids,
            jobs=args.jobs,
            scheduler=args.scheduler,
            on_event=board,
            config_dir=args.config_dir,
            data_dir=args.data_dir,
            output_dir=args.output_dir,
            notebook_dir=args.notebook_dir,
            parameters=parameters,
            only=args.only,
            force=args.force,
        )
    for r in results:
        if r.harmonised:
            print(f"harmonised {r.network_id} first: {r.harmonised}")
    print(f"\n{'network':<20} {'status':<9} {'seconds':>8}  {'notebooks':<10} output")
    for r in results:
        done = sum(nb.done for nb in r.notebooks)
        reused = sum(nb.status == "reused" for nb in r.notebooks)
        count = f"{done}/{len(r.notebooks)}" + (f" ({reused} reused)" if reused else "")
        print(f"{r.network_id:<20} {r.status:<9} {r.seconds:>8.1f}  {count:<10} {_show(r.path)}")
    for r in results:
        if r.ok:
            print(
                f"\n{r.network_id}:\n  report:  {_show(r.report)}\n  figures: {_show(r.figures)}"
            )
    failed = [r for r in results if not r.ok]
    for r in failed:
        print(f"\n{r.network_id} FAILED: {r.error}", file=sys.stderr)
        if r.path is not None:
            print(f"  partial output kept in {_show(r.path)}", file=sys.stderr)
    if failed:
        print(f"\n{len(failed)} of {len(results)} networks failed", file=sys.stderr)
    return 1 if failed else 0


def _parameters(args, notebooks: list[Path] | None) -> dict | None:
    """The ``-p NAME VALUE`` overrides, checked against ``notebooks``; None if refused.

    A refused parameter (a name that is not a parameter of the notebooks, a
    value of the wrong type, a parameter the run sets itself) is a usage
    error, reported before any network is run. ``notebooks=None`` skips the
    check (the run then reports the missing notebook).
    """
    from .exceptions import RunError
    from .runner import check_parameters

    parameters = {name: _parse_value(value) for name, value in (args.parameter or [])}
    if not parameters or notebooks is None:
        return parameters
    fixed = {"network_id": None, "config_dir": None, "data_dir": None, "output_dir": None}
    if args.synthesis:
        fixed["runs_dir"] = None
    try:
        return check_parameters(parameters, notebooks, fixed=fixed)
    except RunError as exc:
        print(f"error: -p: {exc}", file=sys.stderr)
        return None


def _cmd_synthesis(args) -> int:
    from .runner import run_synthesis
    from .runner.synthesis import SYNTHESIS_NOTEBOOK

    notebook = Path(args.notebook_dir) / f"{SYNTHESIS_NOTEBOOK}.ipynb"
    parameters = _parameters(args, [notebook] if notebook.is_file() else None)
    if parameters is None:
        return 2
    result = run_synthesis(
        config_dir=args.config_dir,
        data_dir=args.data_dir,
        output_dir=args.output_dir,
        notebook_dir=args.notebook_dir,
        parameters=parameters,
        force=args.force,
    )
    done = sum(nb.done for nb in result.notebooks)
    print(
        f"synthesis: {result.status} in {result.seconds:.1f} s, {done}/{len(result.notebooks)} notebooks"
    )
    print(f"  output:  {_show(result.path)}")
    if not result.ok:
        print(f"synthesis FAILED: {result.error}", file=sys.stderr)
        return 1
    print(f"  report:  {_show(result.report)}\n  figures: {_show(result.figures)}")
    return 0


def _cmd_verify(args) -> int:
    from .runner import verify_run

    result = verify_run(args.run)
    for name in result.changed_inputs:
        print(f"input changed since the run: {name}")
    for name in result.missing_inputs:
        print(f"input missing since the run: {name}")
    if result.error:
        print(f"error: {result.error}", file=sys.stderr)
        return 1
    for rel in result.different:
        print(f"DIFFERENT  {rel}")
    for rel in result.missing:
        print(f"MISSING    {rel} (not produced by the re-run)")
    for rel in result.extra:
        print(f"EXTRA      {rel} (produced only by the re-run)")
    if result.ok:
        print(
            f"{_show(result.run)}: identical ({result.compared} tables and figures compared byte for byte)"
        )
        return 0
    print(
        f"{_show(result.run)}: {len(result.different) + len(result.missing) + len(result.extra)} differences"
    )
    return 1


def _cmd_compare(args) -> int:
    from .runner.compare import check_run, compare_network, compare_runs, complete_runs
    from .tables import write_table

    if len(args.runs) > 2:
        raise RunError(f"compare takes two run folders or one network id; got {len(args.runs)}")
    if len(args.runs) == 1:
        network = args.runs[0]
        if (Path(network) / "manifest.json").is_file():
            raise RunError(
                f"{network}: one run folder given; give two run folders (earlier first), or a "
                "network id to compare its latest two complete runs"
            )
        runs = complete_runs(Path(args.output_dir) / network)
        language = args.language or _run_language(runs[-1] if runs else None)
        comparison = compare_network(network, args.output_dir, language=language)
    else:
        language = args.language or _run_language(Path(args.runs[1]))
        comparison = compare_runs(args.runs[0], args.runs[1], language=language)
    check_run(comparison.after)
    print(repr(comparison))
    if args.to:
        target = Path(args.to)
    else:
        name = f"{comparison.before_id}--{comparison.after_id}.csv"
        target = comparison.after.parent / "comparisons" / name
    written = write_table(comparison.changes, target.parent, target.stem)
    if written != target:
        written.replace(target)
    print(f"\nwritten: {_show(target.resolve())} ({len(comparison.changes)} changes)")
    return 0


def _run_language(run: Path | None) -> str:
    """The language a run was made in (its manifest's parameters), else Dutch."""
    from .runner.manifest import read_manifest

    manifest = read_manifest(run / "manifest.json") if run is not None else None
    language = ((manifest or {}).get("parameters") or {}).get("language")
    return language if language in ("nl", "en") else "nl"


def _cmd_harmonise(args) -> int:
    from .config import load_config
    from .harmonise import format_report, harmonise_network

    config = load_config(args.network, args.config_dir)
    result = harmonise_network(config, args.data_dir)
    print(format_report(result.report, args.network))
    report = Path(args.data_dir) / args.network / "harmonisation"
    print(f"report and quarantine: {_show(report.resolve())}/")
    if result.problems:
        for problem in result.problems:
            print(f"error: {problem}", file=sys.stderr)
        print(
            f"{args.network}: harmonisation FAILED: {len(result.problems)} source"
            f"{'s' if len(result.problems) != 1 else ''} entirely or too much quarantined "
            f"(harmonisation.max_quarantine_share {config.harmonisation.max_quarantine_share:g}); "
            f"see {_show((report / 'quarantine.csv').resolve())}. The tables are written for "
            "inspection, but a run refuses them until the sources are fixed.",
            file=sys.stderr,
        )
        return 1
    return 0


def _cmd_simulate(args) -> int:
    from . import simulate

    seed = simulate.DEFAULT_SEED if args.seed is None else args.seed
    from .simulate.crossnet import write_crossnet

    try:  # a refused --until is a usage error: nothing is written
        for network_id in simulate.EXAMPLE_NETWORKS:
            simulate.check_until(network_id, args.until)
    except ValueError as exc:
        print(f"error: --until: {exc}", file=sys.stderr)
        return 2
    written = simulate.write_examples(
        config_dir=args.config_dir, data_dir=args.data_dir, seed=seed, until=args.until
    )
    written += write_crossnet(args.data_dir, seed)
    cut = f", as known at the end of {args.until}" if args.until else ""
    print(
        f"wrote {len(written)} files for {', '.join(simulate.EXAMPLE_NETWORKS)}{cut} "
        f"and the cross-network set (seed {seed})"
    )
    return 0


COMMANDS = {
    "init": _cmd_init,
    "key": _cmd_key,
    "list": _cmd_list,
    "validate": _cmd_validate,
    "run": _cmd_run,
    "verify": _cmd_verify,
    "compare": _cmd_compare,
    "harmonise": _cmd_harmonise,
    "simulate": _cmd_simulate,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``netwerkonderzoek`` command; returns the exit code.

    Examples
    --------
    The command as a function: the arguments, then the exit code (0 success, 1
    invalid input or a failed run, 2 a problem before anything started):

    >>> from netwerkonderzoek.runner.manifest import PROJECT_DIR
    >>> main(["list", "--config-dir", str(PROJECT_DIR / "config")])
    energie-regio        Energieregio Veenstroom
    ggz-netwerk          Netwerk Psychische Gezondheid Maasoever
    wijk-noord           Wijknetwerk Leefbaar Noord
    0
    """
    os.environ.setdefault("MPLBACKEND", "Agg")
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except ValidationError as exc:
        _print_faults(exc, sys.stderr)
        return 1
    except STARTUP_ERRORS as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except NetwerkonderzoekError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # the reader of our output went away (``... | head``): stop quietly, as the
        # Python documentation advises (signal handling, "Note on SIGPIPE")
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except KeyboardInterrupt:
        print(
            "interrupted: unfinished runs were moved to <run_id>.failed folders", file=sys.stderr
        )
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
