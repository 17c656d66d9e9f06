"""Issue 14: the package's modules import no private name from one another and form no import
cycle. Read from the source (every import, also those inside functions), and checked by importing
each module on its own."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import speechpub

ROOT = Path(speechpub.__file__).parent


def _modules() -> dict[str, tuple[Path, bool]]:
    """module name -> (file, is a package)"""
    out = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
        is_pkg = parts[-1] == "__init__"
        out[".".join(parts[:-1] if is_pkg else parts)] = (path, is_pkg)
    return out


MODULES = _modules()


def _targets(name: str, node) -> list[tuple[str, str | None] | None]:
    """For each alias of an import statement in module `name`: (our module imported, name taken
    from it or None), or None where it is not one of ours. A `from pkg import sub` that names a
    submodule counts as importing the submodule."""
    _, is_pkg = MODULES[name]
    here = name.split(".") if is_pkg else name.split(".")[:-1]
    if isinstance(node, ast.Import):
        return [(a.name, None) if a.name.split(".")[0] == "speechpub" else None for a in node.names]
    base = node.module or ""
    if node.level:
        base = ".".join(here[:len(here) - node.level + 1] + ([node.module] if node.module else []))
    if base.split(".")[0] != "speechpub":
        return [None] * len(node.names)
    return [(f"{base}.{a.name}", None) if f"{base}.{a.name}" in MODULES else (base, a.name) for a in node.names]


def _imports(name: str) -> list[tuple[str, str | None, int]]:
    """(module imported, name taken from it or None, line) for every import of ours in a module."""
    tree = ast.parse(MODULES[name][0].read_text(encoding="utf-8"))
    return [(*t, node.lineno) for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
            for t in _targets(name, node) if t]


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def test_no_module_imports_a_private_name_from_another():
    bad = [f"{mod}:{line} takes {name} from {target}"
           for mod in MODULES for target, name, line in _imports(mod)
           if target != mod and (name and _private(name) or any(map(_private, target.split("."))))]
    assert not bad


def test_no_private_attribute_of_another_of_our_modules_is_used():
    bad = []
    for mod, (path, _) in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        bound = {}          # local name -> our module it stands for
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                for t, alias in zip(_targets(mod, node), node.names):
                    if t and t[1] is None and t[0] != mod:
                        bound[alias.asname or alias.name.split(".")[-1]] = t[0]
        bad += [f"{mod}:{node.lineno} uses {bound[node.value.id]}.{node.attr}" for node in ast.walk(tree)
                if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id in bound and _private(node.attr)]
    assert not bad


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in graph:
        if v not in index:
            visit(v)
    return found


def test_no_import_cycles_even_through_imports_inside_functions():
    graph = {mod: {t for t, _, _ in _imports(mod) if t in MODULES and t != mod} for mod in MODULES}
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_one():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_every_module_imports_on_its_own():
    names = sorted(MODULES)
    code = ("import importlib, sys\n"
            "for name in sys.argv[1:]:\n"
            "    for m in [m for m in sys.modules if m == 'speechpub' or m.startswith('speechpub.')]:\n"
            "        del sys.modules[m]\n"
            "    importlib.import_module(name)\n")
    r = subprocess.run([sys.executable, "-c", code, *names], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-2000:]


def test_each_format_package_has_the_same_write():
    import inspect

    from speechpub.render import FORMATS, writer
    for fmt in ("docx", "pdf", "epub"):
        assert FORMATS[fmt][0] == f"speechpub.render.{fmt}"
        assert list(inspect.signature(writer(fmt)).parameters) == ["doc", "path", "options"]


def test_checking_the_ebook_style_loads_no_pandoc_side():
    """`convert -f epub` checks the ebook style before a batch; a re-run with nothing to do
    should not pay for importing the EPUB writer (pandoc, the title word list) for that."""
    code = ("import sys\n"
            "from speechpub.render.epub.style import load_ebook_style\n"
            "load_ebook_style(None)\n"
            "print(sorted(m for m in sys.modules if m.startswith(('speechpub.render.epub.', 'speechpub.typeset'))))\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.strip() == "['speechpub.render.epub.style']"
