"""Time the build of the default book: cold, with nothing changed, with one chapter edited, beside the floor.

Not a test: run it by hand (``make benchmark`` or ``.venv/bin/python benchmarks/build_book.py``)
after a change that may affect the build time, and update the figures in README.md ("Performance").

Every figure is the wall-clock time of one ``cocapp run`` in a fresh process (validation and
snapshot of the synthetic dataset, notebook conversion, execution two at a time, the HTML build and
the replacement of the output folder), into a temporary folder, on a copy of the book's pages:

- **floor**: a book of as many chapters as the real one, each of which only starts its kernel,
  imports the helpers and loads the dataset, built cold (``--force``): what any build costs;
- **cold**: the real book with an empty build cache (``--force``);
- **nothing changed**: the same command again;
- **one chapter edited**: after a sentence is added to one chapter.

The machine's load average before each build, and the CPU seconds the build used (cocapp and its
kernels), are printed beside each figure: other work on the machine slows the builds.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: What a book root holds besides the chapters.
BOOK_PAGES = ("_config.yml", "_toc.yml", "intro.md", "references.md", "references.bib", "docs", "_static", "images")
#: The chapter edited for the "one chapter edited" figure.
EDITED = "03-therapeutic-relationship"

FLOOR_CHAPTER = textwrap.dedent(
    """\
    ---
    jupytext:
      text_representation:
        extension: .md
        format_name: myst
    kernelspec:
      display_name: Python 3 (ipykernel)
      language: python
      name: python3
    ---

    # Floor chapter {n}

    ```{{code-cell}} ipython3
    :tags: [parameters]

    data_dir = ""
    output_dir = ""
    settings = {{}}
    ```

    ```{{code-cell}} ipython3
    import helpers.report
    import helpers.survey
    from helpers.io import load_config, load_dataset, load_instruments

    cfg = load_config(overrides=settings)
    ds = load_dataset(helpers.report.resolve_data_dir(data_dir), load_instruments())
    ```
    """
)


def copy_book(target: Path) -> Path:
    """A copy of the book's pages and chapters (the package and the data stay where they are)."""
    target.mkdir(parents=True)
    for name in BOOK_PAGES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        elif source.is_file():
            shutil.copy2(source, target / name)
    shutil.copytree(ROOT / "notebooks", target / "notebooks", ignore=shutil.ignore_patterns("*.ipynb*"))
    return target


def floor_book(target: Path) -> Path:
    """The book with every chapter replaced by :data:`FLOOR_CHAPTER`."""
    copy_book(target)
    for n, chapter in enumerate(sorted((target / "notebooks").glob("*.md")), start=1):
        chapter.write_text(FLOOR_CHAPTER.format(n=n), encoding="utf-8")
    return target


def cpu_seconds() -> float:
    """CPU seconds used so far by the finished child processes (cocapp and its kernels)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def build(root: Path, out: Path, jobs: int, force: bool = False) -> tuple[float, float, float]:
    """Seconds of one ``cocapp run`` (wall clock), its CPU seconds and the load average before it;
    exits on failure."""
    command = [sys.executable, "-m", "helpers.build.cli", "run", "--data", str(ROOT / "data" / "synthetic")]
    command += ["--out", str(out), "--root", str(root), "--jobs", str(jobs)] + (["--force"] if force else [])
    load, cpu = os.getloadavg()[0], cpu_seconds()
    start = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        sys.exit(f"cocapp run failed (exit status {result.returncode})")
    return seconds, cpu_seconds() - cpu, load


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs of each figure; the median is printed")
    parser.add_argument("--jobs", type=int, default=2, help="notebooks executed at the same time (default 2)")
    args = parser.parse_args(argv)
    print(
        f"cocapp run --jobs {args.jobs} on {platform.platform()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; median of {args.repeat}"
    )

    def measure(name: str, runs: list[tuple[float, float, float]]) -> float:
        seconds = statistics.median(s for s, _, _ in runs)
        cpu = statistics.median(c for _, c, _ in runs)
        load = max(load for _, _, load in runs)
        print(f"  {name:<20} {seconds:6.1f} s  (CPU {cpu:6.1f} s, load before {load:.2f})", flush=True)
        return seconds

    with tempfile.TemporaryDirectory(prefix="cocapp-bench-") as tmp:
        tmp = Path(tmp)
        floor_root = floor_book(tmp / "floor-book")
        floor = measure(
            "floor", [build(floor_root, tmp / "floor-out", args.jobs, force=True) for _ in range(args.repeat)]
        )
        root = copy_book(tmp / "book")
        out = tmp / "out"
        cold = measure("cold", [build(root, out, args.jobs, force=True) for _ in range(args.repeat)])
        measure("nothing changed", [build(root, out, args.jobs) for _ in range(args.repeat)])
        edited = root / "notebooks" / f"{EDITED}.md"
        runs = []
        for k in range(args.repeat):
            edited.write_text(edited.read_text(encoding="utf-8") + f"\nAn added sentence ({k}).\n", encoding="utf-8")
            runs.append(build(root, out, args.jobs))
        measure("one chapter edited", runs)
    print(f"cold / floor = {cold / floor:.2f} (target 1.3); targets: nothing changed <= 6 s, one chapter <= 12 s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
