"""The ``cocapp`` command.

``cocapp validate DATASET_DIR``   check a dataset folder and print every problem
``cocapp synth --seed N --out DIR``  write the synthetic dataset
``cocapp reproduce [--data DIR]``  compare the data's results with the published numbers

Errors in the user's input are reported as messages with a non-zero exit status,
never as tracebacks.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .paths import SYNTHETIC_DIR

__all__ = ["main"]


def _validate(args: argparse.Namespace) -> int:
    from .dataio import validate_dataset
    from .instruments import load_instruments

    report = validate_dataset(Path(args.dataset), load_instruments(args.instruments))
    print(report)
    return 0 if report.ok else 1


def _synth(args: argparse.Namespace) -> int:
    from .synth import write_synthetic

    manifest = write_synthetic(Path(args.out), seed=args.seed)
    print(f"Wrote SYNTHETIC dataset (seed {manifest['seed']}, generator {manifest['generator_version']}) to {args.out}:")
    for name, info in manifest["files"].items():
        print(f"  {name}: {info['rows']} rows, sha256 {info['sha256'][:12]}...")
    return 0


def _reproduce(args: argparse.Namespace) -> int:
    from .reproduce import reproduction_summary, reproduction_table

    table = reproduction_table(Path(args.data))
    print(reproduction_summary(table))
    if args.csv:
        table.to_csv(args.csv, index=False)
        print(f"Full table written to {args.csv}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    parser = argparse.ArgumentParser(prog="cocapp", description="COCAPP re-analysis book: data, checks and build.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check a dataset folder against the data contract")
    p.add_argument("dataset", help="folder holding sites, service_users and care_coordinators tables")
    p.add_argument("--instruments", default=None, help="folder of instrument definition files (default: data/instruments)")
    p.set_defaults(func=_validate)

    p = sub.add_parser("synth", help="generate the synthetic dataset")
    p.add_argument("--seed", type=int, default=2016)
    p.add_argument("--out", default=str(SYNTHETIC_DIR))
    p.set_defaults(func=_synth)

    p = sub.add_parser("reproduce", help="compare a dataset's results with the published numbers")
    p.add_argument("--data", default=str(SYNTHETIC_DIR))
    p.add_argument("--csv", default=None, help="also write the full reproduction table to this CSV file")
    p.set_defaults(func=_reproduce)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``cocapp`` console script."""
    from .dataio import DataValidationError
    from .instruments import InstrumentDefinitionError

    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (DataValidationError, InstrumentDefinitionError) as err:
        print(err, file=sys.stderr)
        return 1
    except (FileNotFoundError, NotADirectoryError, PermissionError) as err:
        print(f"cocapp: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
