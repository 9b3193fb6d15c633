"""The ``cocapp`` command.

``cocapp validate DATASET_DIR [--names FILE]``
                                  check a dataset folder and print every problem; possible
                                  personal identifiers are printed as warnings
``cocapp synth --seed N --out DIR``  write the synthetic dataset
``cocapp reproduce [--data DIR] [--param NAME=VALUE ...]``
                                  compare the data's results with the published numbers
``cocapp book [--jobs N] [--force]``  execute every notebook on the synthetic data, build ``_build/book``
``cocapp run --data DIR --out DIR [--param NAME=VALUE ...] [--jobs N] [--root DIR] [--force]``
                                  the same on any dataset, with analysis settings changed for the run;
                                  only the chapters whose inputs changed are executed again, unless
                                  ``--force``

Errors in the user's input are reported as messages with a non-zero exit status,
never as tracebacks: 1 for data, notebooks, the output folder and the build, 2 for the
command line and its parameters. A run stopped by SIGINT (Ctrl-C) or SIGTERM prints one
line and exits with 130 or 143.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from helpers.audit import reproduction_summary, reproduction_table
from helpers.io import (
    SYNTHETIC_DIR,
    ConfigError,
    DataValidationError,
    InstrumentDefinitionError,
    load_config,
    load_instruments,
)
from helpers.io.identifiers import IdentifierNamesError, hits_report, load_names, scan_folder
from helpers.io.validation import inspect_dataset, instrument_list, tables_as_read
from helpers.synthetic import write_synthetic

from .errors import BookError, NotebookExecutionError, ParameterError
from .params import check_parameters, parse_param
from .runner import DEFAULT_OUT, run_book
from .signals import RunInterrupted

__all__ = ["build_parser", "main"]


def _validate(args: argparse.Namespace) -> int:
    folder = Path(args.dataset)
    report, frames = inspect_dataset(folder, instrument_list(load_instruments(args.instruments)))
    print(report)
    if folder.is_dir():
        _warn_identifiers(folder, args.names, tables_as_read(report, frames))
    return 0 if report.ok else 1


def _warn_identifiers(folder: Path, names_file: str | None, tables: dict | None = None) -> None:
    """Print the identifier scan's hits as warnings (they never change the exit status)."""
    try:
        hits = scan_folder(folder, load_names(names_file), tables)
    except IdentifierNamesError as exc:
        print(f"warning: identifier scan not run: {exc}")
        return
    except Exception as exc:  # an unreadable file is already a validation problem
        print(f"warning: identifier scan not run: {exc}")
        return
    if len(hits):
        print("\n".join("warning: " + line.strip() for line in hits_report(hits).splitlines()))


def _synth(args: argparse.Namespace) -> int:
    manifest = write_synthetic(Path(args.out), seed=args.seed, settings=load_config())
    seed, generator = manifest["seed"], manifest["generator_version"]
    print(f"Wrote SYNTHETIC dataset (seed {seed}, generator {generator}) to {args.out}:")
    for name, info in manifest["files"].items():
        print(f"  {name}: {info['rows']} rows, sha256 {info['sha256'][:12]}...")
    return 0


def _reproduce(args: argparse.Namespace) -> int:
    repeated = _repeated(args.param)
    if repeated:
        print(f"cocapp: parameter given more than once: {', '.join(repeated)}", file=sys.stderr)
        return 2
    try:
        settings = check_parameters(dict(args.param))
    except ParameterError as err:
        print(f"cocapp: {err}", file=sys.stderr)
        return 2
    except BookError as err:
        print(f"cocapp: {err}", file=sys.stderr)
        return 1
    table = reproduction_table(Path(args.data), settings=settings)
    print(reproduction_summary(table))
    if args.csv:
        table.to_csv(args.csv, index=False)
        print(f"Full table written to {args.csv}")
    return 0


def _param(text: str) -> tuple[str, object]:
    """argparse type of ``--param NAME=VALUE``."""
    try:
        return parse_param(text)
    except ParameterError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _jobs(text: str) -> int:
    """argparse type of ``--jobs``: a positive whole number."""
    try:
        jobs = int(text)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"--jobs must be a whole number of at least 1, not {text!r}")
    return jobs


def _repeated(params: list[tuple[str, object]]) -> list[str]:
    """Names given more than once."""
    names = [name for name, _ in params]
    return sorted({name for name in names if names.count(name) > 1})


def _run_book(
    data: str | None,
    out: str,
    params: list[tuple[str, object]],
    jobs: int,
    root: str | None = None,
    force: bool = False,
) -> int:
    """Shared body of ``cocapp book`` and ``cocapp run``: messages and exit codes, no tracebacks."""
    repeated = _repeated(params)
    if repeated:
        print(f"cocapp: parameter given more than once: {', '.join(repeated)}", file=sys.stderr)
        return 2
    try:
        run_book(data, out, dict(params), jobs=jobs, progress=True, root=root, force=force)
    except RunInterrupted as err:
        print(
            f"cocapp: stopped by {err.name}; {out} was left as it was.",
            file=sys.stderr,
            flush=True,
        )
        return err.exit_status
    except DataValidationError as err:
        print(err.report, file=sys.stderr)
        print(
            f"cocapp: the dataset did not pass validation; nothing was executed and {out} was left as it was.",
            file=sys.stderr,
        )
        return 1
    except ParameterError as err:
        print(f"cocapp: {err}", file=sys.stderr)
        print(f"cocapp: nothing was executed and {out} was left as it was.", file=sys.stderr)
        return 2
    except NotebookExecutionError as err:
        for failure in err.failures:
            print(failure, file=sys.stderr)
            print(f"  at {failure.location()}", file=sys.stderr)
        print(f"cocapp: {len(err.failures)} notebook(s) failed; {out} was left as it was.", file=sys.stderr)
        return 1
    except BookError as err:
        print(f"cocapp: {err}", file=sys.stderr)
        print(f"cocapp: {out} was left as it was.", file=sys.stderr)
        return 1
    return 0


def _book(args: argparse.Namespace) -> int:
    return _run_book(None, str(DEFAULT_OUT), [], args.jobs, force=args.force)


def _run(args: argparse.Namespace) -> int:
    return _run_book(args.data, args.out, args.param, args.jobs, args.root, args.force)


def _add_param_option(parser: argparse.ArgumentParser, help_text: str) -> None:
    """The repeatable ``--param NAME=VALUE`` option (a changed analysis setting)."""
    parser.add_argument("--param", type=_param, action="append", default=[], metavar="NAME=VALUE", help=help_text)


def _add_jobs_option(parser: argparse.ArgumentParser) -> None:
    """The ``--jobs`` option: how many notebooks run at the same time."""
    parser.add_argument("--jobs", type=_jobs, default=2, help="notebooks executed at the same time (default 2)")
    parser.add_argument(
        "--force",
        action="store_true",
        help="execute every chapter and build the HTML anew, ignoring the build cache beside the output folder",
    )


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    parser = argparse.ArgumentParser(prog="cocapp", description="COCAPP re-analysis book: data, checks and build.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check a dataset folder against the data contract")
    p.add_argument("dataset", help="folder holding sites, service_users and care_coordinators tables")
    p.add_argument(
        "--instruments", default=None, help="folder of instrument definition files (default: data/instruments)"
    )
    p.add_argument("--names", default=None, help="a text file of names the identifier scan also looks for")
    p.set_defaults(func=_validate)

    p = sub.add_parser("synth", help="generate the synthetic dataset")
    p.add_argument("--seed", type=int, default=2016)
    p.add_argument("--out", default=str(SYNTHETIC_DIR))
    p.set_defaults(func=_synth)

    p = sub.add_parser("reproduce", help="compare a dataset's results with the published numbers")
    p.add_argument("--data", default=str(SYNTHETIC_DIR))
    p.add_argument("--csv", default=None, help="also write the full reproduction table to this CSV file")
    _add_param_option(
        p, "analysis setting of config/analysis.yaml changed for this comparison, as for `cocapp run`; repeatable"
    )
    p.set_defaults(func=_reproduce)

    p = sub.add_parser(
        "book",
        help="execute every notebook on the synthetic data and build the HTML book",
        description="Execute every chapter on the default synthetic dataset and build the book into "
        "_build/book (website: _build/book/html/index.html).",
    )
    _add_jobs_option(p)
    p.set_defaults(func=_book)

    p = sub.add_parser(
        "run",
        help="execute every notebook on a dataset, with changed analysis settings, and build the HTML book",
        description="Validate DATA, execute every chapter on it and build the book into OUT: html/ "
        "(website), notebooks/, tables/, figures/ and run.json. OUT is replaced only when "
        "everything succeeded, and only if it is new, empty or the unchanged result of an earlier "
        "run; it may not be inside DATA or hold it. One run at a time may write OUT.",
    )
    p.add_argument("--data", required=True, help="dataset folder (see docs/data_dictionary.md)")
    p.add_argument("--out", required=True, help="result folder: new, empty or the unchanged result of an earlier run")
    _add_param_option(
        p,
        "analysis setting of config/analysis.yaml changed for this run; VALUE is a Python literal or else "
        "text (e.g. alpha=0.01, reference_site=Artois, su_covariates=\"['age']\"); repeatable",
    )
    _add_jobs_option(p)
    p.add_argument(
        "--root",
        default=None,
        help="book root holding _config.yml, _toc.yml and notebooks/ (default: this project's book)",
    )
    p.set_defaults(func=_run)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``cocapp`` console script."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("cocapp: interrupted", file=sys.stderr)
        return 130
    except (DataValidationError, InstrumentDefinitionError, ConfigError) as err:
        print(err, file=sys.stderr)
        return 1
    except (FileNotFoundError, NotADirectoryError, PermissionError) as err:
        print(f"cocapp: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
