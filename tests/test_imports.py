"""The import rules of the project: no cycles, and layers that point downwards only.

The graph is read from the source with ast, so it holds every import a module can make, at
module level or inside a function alike (an import put inside a function still runs, and
would only hide a cycle); imports under ``if TYPE_CHECKING:`` never run and are left out.
"""

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("forum", "cms", "search", "matching", "config")
# Which packages each package may import (DESIGN.md: cms → forum; search → forum;
# matching → search, forum; forum imports none of them). config wires them all together.
MAY_IMPORT = {
    "forum": set(),
    "cms": {"forum"},
    "search": {"forum"},
    "matching": {"search", "forum"},
    "config": set(PACKAGES),
}


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules(root: Path, packages=PACKAGES) -> dict[str, Path]:
    """Dotted name → file of every module of the packages, migrations left out."""
    return {
        _module_name(path, root): path
        for package in packages
        for path in sorted((root / package).rglob("*.py"))
        if "migrations" not in path.relative_to(root).parts
    }


def _is_type_checking(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")
    )


def _import_nodes(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement of a module, wherever it stands, except TYPE_CHECKING blocks."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if _is_type_checking(node):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def _imported_names(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        package = module if is_package else module.rpartition(".")[0]
        for _ in range(node.level - 1):
            package = package.rpartition(".")[0]
        base = f"{package}.{base}" if base else package
    # "from a import b" imports the module a.b when there is one, else a name of a.
    return [f"{base}.{alias.name}" for alias in node.names]


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def import_graph(root: Path = ROOT, packages=PACKAGES) -> dict[str, set[str]]:
    """module → the project modules it imports."""
    modules = project_modules(root, packages)
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in _import_nodes(tree):
            for imported in _imported_names(node, name, path.name == "__init__.py"):
                target = _resolve(imported, modules)
                if target is not None and target != name:
                    graph[name].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            _visit(graph, work, index, low, stack, on_stack, found)
    return found


def _visit(graph, work, index, low, stack, on_stack, found) -> None:
    node, children = work[-1]
    for child in children:
        if child not in index:
            index[child] = low[child] = len(index)
            stack.append(child)
            on_stack.add(child)
            work.append((child, iter(sorted(graph[child]))))
            return
        if child in on_stack:
            low[node] = min(low[node], index[child])
    work.pop()
    if work:
        parent = work[-1][0]
        low[parent] = min(low[parent], low[node])
    if low[node] == index[node]:
        group = []
        while True:
            member = stack.pop()
            on_stack.discard(member)
            group.append(member)
            if member == node:
                break
        if len(group) > 1:
            found.append(sorted(group))


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    """Every module that importing `start` may import, directly or not."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        for child in graph[todo.pop()]:
            if child not in seen:
                seen.add(child)
                todo.append(child)
    return seen


@pytest.fixture(scope="module")
def graph():
    return import_graph()


def test_project_modules_import_no_cycle(graph):
    """No module of the project imports itself back, even through an import inside a function."""
    assert cycles(graph) == []


@pytest.mark.parametrize("package", PACKAGES)
def test_package_imports_only_the_layers_below(graph, package):
    """forum imports none of cms/search/matching; search neither matching nor cms; cms neither
    search nor matching; matching not cms."""
    wrong = sorted(
        (module, target)
        for module, targets in graph.items()
        if module.split(".")[0] == package
        for target in targets
        if target.split(".")[0] not in MAY_IMPORT[package] | {package}
    )
    assert wrong == []


def _is_views(module: str) -> bool:
    return any(part in ("views", "viewsets", "interest_views") for part in module.split("."))


def test_models_never_import_views(graph):
    """No models module reaches a views module, directly or through the modules it imports."""
    wrong = sorted(
        (module, target)
        for module in graph
        if "models" in module.split(".")
        for target in reachable(graph, module)
        if _is_views(target)
    )
    assert wrong == []


def test_a_cycle_hidden_in_a_function_is_found(tmp_path):
    """The checker sees an import made inside a function, and a relative one, as a dependency."""
    package = tmp_path / "forum"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from forum import b\n")
    (package / "b.py").write_text("def later():\n    from .a import x\n")
    (package / "c.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from forum import a\n"
    )
    graph = import_graph(tmp_path, ("forum",))
    assert cycles(graph) == [["forum.a", "forum.b"]]
    assert graph["forum.c"] == set()
