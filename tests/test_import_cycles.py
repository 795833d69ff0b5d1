"""No import cycles inside core/ or tui/: every module's imports are read with `ast`, not executed.

Imports inside functions count (a cycle hidden in a function is still a cycle); imports under
`if TYPE_CHECKING:` do not (they never run). `from package import name` is an edge to
`package.name` when that is a module, else to `package`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("core", "tui")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement below `node`, skipping the bodies of `if TYPE_CHECKING:`."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _is_type_checking(child.test):
            for other in child.orelse:
                yield from _imports(ast.Module(body=[other], type_ignores=[]))
            continue
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child
        yield from _imports(child)


def import_graph(sources: dict[str, tuple[str, bool]]) -> dict[str, set[str]]:
    """module → modules it imports, among `sources` (name → (source text, is a package))."""
    graph: dict[str, set[str]] = {name: set() for name in sources}
    for name, (text, is_package) in sources.items():
        package = name if is_package else name.rpartition(".")[0]
        for statement in _imports(ast.parse(text)):
            if isinstance(statement, ast.Import):
                targets = [alias.name for alias in statement.names]
            else:
                base = statement.module or ""
                if statement.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - (statement.level - 1)]
                    base = ".".join([*anchor, base] if base else anchor)
                targets = [
                    f"{base}.{alias.name}" if f"{base}.{alias.name}" in sources else base
                    for alias in statement.names
                ]
            graph[name].update(t for t in targets if t in sources and t != name)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as [a, b, …, a], or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        path.pop()
        state[module] = 2
        return None

    for module in sorted(graph):
        if module not in state and (cycle := visit(module)):
            return cycle
    return None


def _sources() -> dict[str, tuple[str, bool]]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            found[_module_name(path)] = (path.read_text(encoding="utf-8"), path.name == "__init__.py")
    return found


def test_no_import_cycle_in_core_or_tui() -> None:
    sources = _sources()
    assert "core.analysis.run" in sources and "tui.app" in sources  # the walk found the modules
    graph = import_graph(sources)
    assert sum(len(targets) for targets in graph.values()) > 100  # and read their imports
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_checker_sees_cycles_it_should_and_ignores_type_checking() -> None:
    sources = {
        "p": ("", True),
        "p.a": ("def f():\n    from p.b import thing\n", False),  # inside a function: counts
        "p.b": ("from . import c\n", False),
        "p.c": ("import p.a\n", False),
        "p.d": ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from p.a import x\n", False),
    }
    graph = import_graph(sources)
    assert graph["p.b"] == {"p.c"} and graph["p.d"] == set()
    assert find_cycle(graph) == ["p.a", "p.b", "p.c", "p.a"]
    del sources["p.c"]
    assert find_cycle(import_graph(sources)) is None
