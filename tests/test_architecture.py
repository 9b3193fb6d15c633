"""The shape of the package: layers, cycles, function-level imports, private names, size.

The analysis package is layered (lowest first): ``io`` -> ``stats`` -> ``survey`` and
``interviews`` -> ``audit`` and ``synthesis`` -> ``synthetic`` and ``report`` -> ``build``.
A module imports only from its own layer or a lower one, never from a higher one; the
import graph between modules has no cycle; imports sit at module level (a function-level
import would hide a cycle); no module imports another module's private name; and a module
holds one concern, which this test approximates by a size limit.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "helpers"

#: Rank of each subpackage: imports go to the same or a lower rank only.
LAYERS = {
    "io": 0,
    "stats": 1,
    "survey": 2,
    "interviews": 2,
    "audit": 3,
    "synthesis": 3,
    "synthetic": 4,
    "report": 4,
    "build": 5,
}
#: Most lines a module may hold.
MAX_LINES = 500


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    """The absolute name of the module a ``from ... import`` statement reads from."""
    if node.level == 0:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def imports(module: str, path: Path) -> list[tuple[str, str, int, bool]]:
    """``(imported module, imported name, line, inside a function)`` for every helpers import."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_package = path.name == "__init__.py"
    known = modules()
    found = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            if isinstance(child, ast.Import):
                found.extend(
                    (a.name, "", child.lineno, in_function) for a in child.names if a.name.startswith("helpers")
                )
            elif isinstance(child, ast.ImportFrom):
                source = resolve(module, is_package, child)
                if source.startswith("helpers"):
                    for alias in child.names:
                        target = f"{source}.{alias.name}"
                        # `from helpers.io import config` imports the module helpers.io.config
                        found.append(
                            (target, "", child.lineno, in_function)
                            if target in known
                            else (source, alias.name, child.lineno, in_function)
                        )
            visit(child, inner)

    visit(tree, False)
    return found


def layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else None


def graph() -> dict[str, set[str]]:
    return {m: {target for target, _, _, _ in imports(m, p)} for m, p in modules().items()}


def test_every_module_belongs_to_a_layer():
    loose = [m for m in modules() if m != "helpers" and layer(m) is None]
    assert not loose, f"modules outside the layers {sorted(LAYERS)}: {loose}"


def test_no_upward_import():
    upward = []
    for module, path in modules().items():
        own = layer(module)
        for target, _, line, _ in imports(module, path):
            other = layer(target)
            if own and other and LAYERS[other] > LAYERS[own]:
                upward.append(f"{path.relative_to(PACKAGE)}:{line} ({own}) imports {target} ({other})")
    assert not upward, "imports from a higher layer:\n" + "\n".join(upward)


def test_no_import_inside_a_function():
    hidden = [
        f"{p.relative_to(PACKAGE)}:{line} imports {target}"
        for m, p in modules().items()
        for target, _, line, inside in imports(m, p)
        if inside
    ]
    assert not hidden, "imports inside functions:\n" + "\n".join(hidden)


def test_no_private_name_across_modules():
    private = [
        f"{p.relative_to(PACKAGE)}:{line} imports {name} from {target}"
        for m, p in modules().items()
        for target, name, line, _ in imports(m, p)
        if name.startswith("_") and target != m
    ]
    private += [
        f"{p.relative_to(PACKAGE)}:{line} imports private module {target}"
        for m, p in modules().items()
        for target, _, line, _ in imports(m, p)
        if any(part.startswith("_") and not part.startswith("__") for part in target.split("."))
    ]
    assert not private, "private names used across modules:\n" + "\n".join(private)


def test_import_graph_has_no_cycle():
    edges = graph()
    known = set(edges)

    def targets(module: str) -> set[str]:
        # an import of a package reads its __init__; an import of a name reads its module
        return {t if t in known else t.rsplit(".", 1)[0] for t in edges[module]} & known - {module}

    state: dict[str, int] = {}
    stack: list[str] = []

    def walk(module: str) -> list[str] | None:
        state[module] = 1
        stack.append(module)
        for target in sorted(targets(module)):
            if state.get(target) == 1:
                return [*stack[stack.index(target) :], target]
            if target not in state and (cycle := walk(target)):
                return cycle
        stack.pop()
        state[module] = 2
        return None

    for module in sorted(known):
        if module not in state and (cycle := walk(module)):
            pytest.fail("import cycle: " + " -> ".join(cycle))


def test_modules_are_small():
    large = {m: n for m, p in modules().items() if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not large, f"modules above {MAX_LINES} lines: {large}"


def test_the_checks_can_fail(tmp_path):
    """The import reader sees a function-level import and a relative import's target."""
    path = tmp_path / "probe.py"
    path.write_text("from .dataset import Dataset\n\ndef f():\n    from helpers.report import table\n")
    found = imports("helpers.io.probe", path)
    assert ("helpers.io.dataset", "Dataset", 1, False) in found
    assert ("helpers.report", "table", 4, True) in found
