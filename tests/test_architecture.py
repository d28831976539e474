"""The package's shape, read from the source with `ast` (nothing is imported):

- no module imports another module's private name (`from .console_views import _back`): what
  two modules share is public, in the one that owns it (a package's `blueprint.py` for its
  view helpers, its use-case module for its use cases);
- no import cycle between the modules of `matchmaker` at import time (module-level imports;
  an import inside a function or under `if TYPE_CHECKING:` runs later or never). Every view
  module takes its blueprint from `blueprint.py`, never from a sibling view module.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "matchmaker"

# gettext aliases may be imported under these names; they are not private names.
ALLOWED_UNDERSCORE = {"_", "_l"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _target(module: str, path: Path, node: ast.ImportFrom) -> str:
    """The absolute module name an ImportFrom reads from."""
    if not node.level:
        return node.module or ""
    base = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _is_type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _module_level_imports(body: list[ast.stmt]):
    """Import statements that run when the module is imported."""
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or _is_type_checking(node):
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
            continue
        for field in ("body", "orelse", "finalbody", "handlers"):
            inner = getattr(node, field, None)
            if isinstance(inner, list):
                yield from _module_level_imports([n for n in inner if isinstance(n, ast.stmt)])


def _trees():
    for module, path in MODULES.items():
        yield module, path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def test_no_private_name_is_imported_across_modules():
    offences = []
    for module, path, tree in _trees():
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom) or node.module == "__future__":
                continue
            target = _target(module, path, node)
            if target != "matchmaker" and not target.startswith("matchmaker."):
                continue
            for alias in node.names:
                name = alias.name
                private = name.startswith("_") and not name.startswith("__")
                if private and name not in ALLOWED_UNDERSCORE and target != module:
                    offences.append(f"{module}:{node.lineno} imports {target}.{name}")
    assert offences == [], "private names imported across modules:\n" + "\n".join(offences)


def _import_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module, path, tree in _trees():
        edges: set[str] = set()
        for node in _module_level_imports(tree.body):
            if isinstance(node, ast.Import):
                edges |= {a.name for a in node.names if a.name in MODULES}
                continue
            target = _target(module, path, node)
            for alias in node.names:
                if f"{target}.{alias.name}" in MODULES:
                    edges.add(f"{target}.{alias.name}")  # a submodule
                elif target in MODULES:
                    edges.add(target)
        edges.discard(module)
        graph[module] = edges
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]


def test_no_import_cycle_between_modules():
    cycles = _cycles(_import_graph())
    assert cycles == [], "import cycles:\n" + "\n".join(" ↔ ".join(c) for c in cycles)


def test_view_modules_take_their_blueprint_from_blueprint_py():
    """A `*_views.py` never imports a sibling `views`/`*_views` module."""
    offences = []
    for module, edges in _import_graph().items():
        if not module.endswith("_views"):
            continue
        package = module.rsplit(".", 1)[0]
        for target in edges:
            sibling = target.rsplit(".", 1)
            if sibling[0] == package and (sibling[1] == "views"):
                offences.append(f"{module} imports {target}")
    assert offences == [], "\n".join(offences)
