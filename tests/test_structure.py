"""The house rules of the source tree, checked: layers, one concept per module, no reaching into privates."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "netmap"
MODULES = sorted(p for p in SRC.rglob("*.py"))

#: Modules allowed above MAX_LINES, each with the reason its domain needs the length.
LONG_MODULES: dict[str, str] = {}
MAX_LINES = 600


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(SRC.parent).with_suffix("").parts)
    if path.name == "__init__.py":
        package += ".__init__"
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: -node.level]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            yield module, [a.name for a in node.names], node.lineno
        elif isinstance(node, ast.Import):
            for a in node.names:
                yield a.name, [], node.lineno


def _rel(path: Path) -> str:
    return path.relative_to(SRC.parent).as_posix()


def test_no_module_imports_another_modules_private_names():
    bad = []
    for path in MODULES:
        for module, names, line in _imports(path):
            if not module.startswith("netmap"):
                continue
            for name in names:
                if name.startswith("_") and not name.startswith("__"):
                    bad.append(f"{_rel(path)}:{line} imports {name} from {module}")
    assert not bad, "\n".join(bad)


def test_engine_imports_nothing_from_the_rest_of_netmap():
    bad = [f"{_rel(p)}:{line} imports {m}" for p in MODULES if p.parent.name == "engine"
           for m, _, line in _imports(p) if m.startswith("netmap") and not m.startswith("netmap.engine")]
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("layer,forbidden", [
    ("analysis", ("netmap.render", "netmap.cli", "netmap.store", "netmap.io")),
    ("engine", ("netmap.analysis", "netmap.render", "netmap.cli", "netmap.store")),
    ("render", ("netmap.cli", "netmap.store")),
    ("store", ("netmap.analysis", "netmap.render", "netmap.cli")),
    ("export", ("netmap.analysis", "netmap.render", "netmap.cli", "netmap.store")),
])
def test_layers_import_downwards_only(layer, forbidden):
    bad = [f"{_rel(p)}:{line} imports {m}" for p in MODULES if p.parent.name == layer
           for m, _, line in _imports(p) if m.startswith(forbidden)]
    assert not bad, "\n".join(bad)


def test_modules_stay_one_concept():
    long = {}
    for p in MODULES:
        n = len(p.read_text(encoding="utf-8").splitlines())
        if n > MAX_LINES and _rel(p) not in LONG_MODULES:
            long[_rel(p)] = n
    assert not long, f"modules over {MAX_LINES} lines (split them, or say why in LONG_MODULES): {long}"


def test_cypher_lives_in_the_store_only():
    """Cypher text is in cypher/*.cypher, loaded by netmap.store; no other module holds a query."""
    words = ("MATCH (", "MERGE (", "UNWIND $")
    bad = [_rel(p) for p in MODULES if p.parent.name != "store" and any(w in p.read_text(encoding="utf-8") for w in words)]
    assert not bad, bad


def test_library_messages_name_parameters_not_command_line_options():
    """Outside netmap.cli, a raised error never tells a Python user to pass a --flag."""
    bad = []
    for p in MODULES:
        if p.parent.name == "cli":
            continue
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and node.exc is not None:
                text = " ".join(c.value for c in ast.walk(node.exc) if isinstance(c, ast.Constant)
                                and isinstance(c.value, str))
                if " --" in text or text.startswith("--") or "(--" in text:
                    bad.append(f"{_rel(p)}:{node.lineno}: {text[:80]}")
    assert not bad, "\n".join(bad)
