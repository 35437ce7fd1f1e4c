"""The package's shape, checked from its source with ``ast`` (see ARCHITECTURE.md).

- no stage imports the facade (``import analysis`` / ``from analysis import <public name>``);
- no module uses another module's ``_private`` names;
- each stage imports only earlier stages: text -> articles -> places -> timex -> timeline ->
  views -> report; ``io`` may import any stage; ``schema`` and the leaf ``io.atomic`` (which
  imports nothing from the package) may be imported from anywhere;
- no import cycles between subpackages;
- no module or subpackage named like a public function of ``analysis.__all__``;
- no function longer than 80 lines, none above ruff's C901 complexity (pyproject.toml) unless
  waived with ``# noqa: C901`` and listed here; nothing flips the process umask.

``KNOWN_VIOLATIONS`` lists what is still there, by owner; it only shrinks. A fixed entry left on
the list is reported as a warning (so fixing code never breaks this test), a new violation fails.
Paragraph structure travels with the articles frame: tested across processes below.
"""

from __future__ import annotations

import ast
import json
import os
import stat
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "analysis"
ORDER = ["text", "articles", "places", "timex", "timeline", "views", "report"]
ANYWHERE = {"analysis.schema", "analysis.io.atomic"}
MAX_LINES = 80

# "<check>: <file>[:<function or name>]" -- each entry names its owner's area; remove it when fixed
KNOWN_VIOLATIONS: set[str] = {
    # places (issue 11)
    # timex (issue 13)
    # views (issue 12)
    # articles (formats.py: issue 14)
    # ruff C901 waivers (a noqa comment for C901 on the def line), owners by folder as above
    "complex: analysis/articles/formats.py:_html_meta",
    "complex: analysis/articles/formats.py:_parse_published",
    "complex: analysis/places/geoparse.py:_recognise_en_span",
    "complex: analysis/timex/lang/en.py:_clock",
    "complex: analysis/timex/lang/en.py:_combine",
    "complex: analysis/timex/lang/en.py:_duration",
    "complex: analysis/timex/lang/en.py:_holiday",
    "complex: analysis/timex/lang/en.py:_vague",
    "complex: analysis/timex/lang/zh.py:_day_window",
    "complex: analysis/timex/lang/zh.py:_rel",
    "complex: analysis/timex/lang/zh.py:_resolve",
    "complex: analysis/timex/lang/zh.py:_scan",
    "complex: analysis/timex/lang/zh.py:_with_clock",
}


# ----------------------------------------------------------------------------- source model
def _modules() -> dict[str, tuple[Path, ast.Module]]:
    out = {}
    for path in sorted(PKG.rglob("*.py")):
        if "notebook" in path.parts or ".ipynb_checkpoints" in path.parts:
            continue  # the report's notebook twin is a notebook, not a module
        rel = path.relative_to(ROOT).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = (path, ast.parse(path.read_text(encoding="utf-8")))
    return out


MODULES = _modules()


def _rel(name: str) -> str:
    return MODULES[name][0].relative_to(ROOT).as_posix()


def _is_package(name: str) -> bool:
    return MODULES[name][0].name == "__init__.py"


def _resolve(name: str, node: ast.ImportFrom) -> str:
    """The absolute module of a ``from ... import`` (relative imports resolved)."""
    if not node.level:
        return node.module or ""
    base = name.split(".") if _is_package(name) else name.split(".")[:-1]
    base = base[: len(base) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(name: str) -> list[tuple[str, str | None, int]]:
    """(imported module, imported name or None, line) for every import in module ``name``."""
    tree = MODULES[name][1]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(a.name, None, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            mod = _resolve(name, node)
            for a in node.names:
                sub = f"{mod}.{a.name}"
                if sub in MODULES:  # "from analysis.places import build": the module itself
                    out.append((sub, None, node.lineno))
                else:
                    out.append((mod, a.name, node.lineno))
    return [(m, n, ln) for m, n, ln in out if m == "analysis" or m.startswith("analysis.")]


def _stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def _public_api() -> list[str]:
    tree = MODULES["analysis"][1]
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            return list(ast.literal_eval(node.value))
    raise AssertionError("analysis/__init__.py has no __all__")


# ----------------------------------------------------------------------------- checks
def facade_imports() -> set[str]:
    found = set()
    for name in MODULES:
        if name in ("analysis", "analysis.__main__"):
            continue
        for mod, what, _ in _imports(name):
            if mod == "analysis" and what not in ("schema",):
                found.add(f"facade: {_rel(name)}:{what or 'import analysis'}")
    return found


def _module_aliases(name: str) -> dict[str, str]:
    """Local names bound to package modules in ``name`` (``from analysis.x import y as Y``)."""
    aliases = {}
    for node in ast.walk(MODULES[name][1]):
        if isinstance(node, ast.ImportFrom):
            mod = _resolve(name, node)
            for a in node.names:
                if f"{mod}.{a.name}" in MODULES:
                    aliases[a.asname or a.name] = f"{mod}.{a.name}"
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("analysis.") and a.asname:
                    aliases[a.asname] = a.name
    return aliases


def private_imports() -> set[str]:
    found = set()
    for name in MODULES:
        for mod, what, _ in _imports(name):
            if what and what.startswith("_") and not what.startswith("__") and mod != name:
                found.add(f"private: {_rel(name)}:{mod}.{what}")
        aliases = _module_aliases(name)
        own = {n.attr for n in ast.walk(MODULES[name][1]) if isinstance(n, ast.Attribute)
               and isinstance(n.value, ast.Name) and n.value.id == "self"}
        for node in ast.walk(MODULES[name][1]):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id in aliases and node.attr.startswith("_")
                    and not node.attr.startswith("__") and aliases[node.value.id] != name):
                found.add(f"private: {_rel(name)}:{aliases[node.value.id]}.{node.attr}")
            # getattr(module, "_CACHE"): a private name reached by string (through sys.modules)
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "getattr" and len(node.args) >= 2
                    and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str)
                    and node.args[1].value.startswith("_") and not node.args[1].value.startswith("__")):
                found.add(f"private: {_rel(name)}:getattr {node.args[1].value}")
            # gaz._capitals = ...: setting a private attribute of an object of another module's
            # class (one whose ``self._name`` this module never sets)
            if isinstance(node, ast.Assign | ast.AugAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for t in targets:
                    if (isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name)
                            and t.value.id not in ("self", "cls") and t.attr.startswith("_")
                            and not t.attr.startswith("__") and t.attr not in own):
                        found.add(f"private: {_rel(name)}:set {t.value.id}.{t.attr}")
    return found


def layer_violations() -> set[str]:
    found = set()
    for name in MODULES:
        own = _stage(name)
        if own not in ORDER:
            continue  # io, schema, the facade and __main__ may import any stage
        for mod, _, _ in _imports(name):
            if mod in ANYWHERE or mod == "analysis":
                continue
            other = _stage(mod)
            if other == "io" or (other in ORDER and ORDER.index(other) > ORDER.index(own)):
                found.add(f"layer: {_rel(name)}:{mod}")
    return found


def subpackage_cycles() -> set[str]:
    graph: dict[str, set[str]] = {}
    for name in MODULES:
        own = _stage(name)
        if own is None or name in ANYWHERE or own in ("schema", "__main__"):
            continue
        for mod, _, _ in _imports(name):
            other = _stage(mod)
            if mod in ANYWHERE or other in (None, own, "schema"):
                continue
            graph.setdefault(own, set()).add(other)
    found = set()
    for start in graph:  # every cycle through ``start``, reported by its sorted members
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in graph.get(node, ()):
                if nxt == start:
                    found.add("cycle: " + " -> ".join(sorted(set(path))))
                elif nxt not in path:
                    stack.append((nxt, path + [nxt]))
    return found


def shadowing_names() -> set[str]:
    public = set(_public_api())
    found = set()
    for name in MODULES:
        last = name.split(".")[-1]
        if name != "analysis" and last in public:
            found.add(f"shadow: {_rel(name)}")
    return found


def long_functions() -> set[str]:
    found = set()
    for name in MODULES:
        for node in ast.walk(MODULES[name][1]):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                if node.end_lineno - node.lineno + 1 > MAX_LINES:
                    found.add(f"long: {_rel(name)}:{node.name}")
    return found


def complexity_waivers() -> set[str]:
    """Functions excused from ruff's C901 (``# noqa: C901`` on their ``def`` line)."""
    found = set()
    for name in MODULES:
        lines = MODULES[name][0].read_text(encoding="utf-8").splitlines()
        for node in ast.walk(MODULES[name][1]):
            if (isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
                    and "noqa: C901" in lines[node.lineno - 1]):
                found.add(f"complex: {_rel(name)}:{node.name}")
    return found


def umask_calls() -> set[str]:
    found = set()
    for name in MODULES:
        for node in ast.walk(MODULES[name][1]):
            if isinstance(node, ast.Attribute) and node.attr == "umask":
                found.add(f"umask: {_rel(name)}")
    return found


CHECKS = {"facade": facade_imports, "private": private_imports, "layer": layer_violations,
          "cycle": subpackage_cycles, "shadow": shadowing_names, "long": long_functions,
          "complex": complexity_waivers, "umask": umask_calls}


# ----------------------------------------------------------------------------- tests
@pytest.mark.parametrize("kind", list(CHECKS))
def test_architecture(kind):
    found = CHECKS[kind]()
    known = {v for v in KNOWN_VIOLATIONS if v.split(":")[0] == kind}
    new = sorted(found - KNOWN_VIOLATIONS)
    assert not new, "new architecture violations (see ARCHITECTURE.md):\n" + "\n".join(new)
    fixed = sorted(known - found)
    if fixed:
        warnings.warn("fixed, remove from KNOWN_VIOLATIONS: " + ", ".join(fixed), stacklevel=1)


def test_the_checks_see_violations():
    # the checker itself: a facade import, a private import, a layer breach and a long function
    # written into a scratch module are all found
    src = ("from analysis import find_places\nfrom analysis.timeline.cues import _x\n"
           "import analysis.views.plotting\n" + "def f(gaz):\n" + "    gaz._memo = 1\n" * 81)
    name = "analysis.places.scratch"
    MODULES[name] = (PKG / "places" / "scratch.py", ast.parse(src))
    try:
        assert "facade: analysis/places/scratch.py:find_places" in facade_imports()
        assert "private: analysis/places/scratch.py:analysis.timeline.cues._x" in private_imports()
        assert "layer: analysis/places/scratch.py:analysis.views.plotting" in layer_violations()
        assert "long: analysis/places/scratch.py:f" in long_functions()
        assert "private: analysis/places/scratch.py:set gaz._memo" in private_imports()
    finally:
        del MODULES[name]


def test_known_violations_are_named_precisely():
    assert all(v.split(":")[0] in CHECKS for v in KNOWN_VIOLATIONS)


# ----------------------------------------------------------------------------- hidden state
def test_paragraphs_travel_with_the_frame_to_a_fresh_process(tmp_path):
    import analysis as an
    from analysis import schema as S

    articles = an.load_articles(ROOT / "data" / "articles")
    here = an.paragraphs(articles)
    assert (here[S.KIND] == "image_caption").any()  # structure only the markdown parser knows
    articles.to_parquet(tmp_path / "articles.parquet")
    here.to_parquet(tmp_path / "here.parquet")
    code = (
        "import sys, pandas as pd, analysis as an\n"
        "arts = pd.read_parquet(sys.argv[1])\n"
        "there = an.paragraphs(arts)\n"
        "again = an.paragraphs(an.load_articles(arts))\n"  # a frame re-loaded keeps it too
        "here = pd.read_parquet(sys.argv[2])\n"
        "pd.testing.assert_frame_equal(there, here)\n"
        "pd.testing.assert_frame_equal(again, here)\n"
        "print(len(there))\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "articles.parquet"),
                          str(tmp_path / "here.parquet")], capture_output=True, text=True,
                         cwd=tmp_path, check=False)
    assert out.returncode == 0, out.stderr[-2000:]
    assert int(out.stdout.split()[-1]) == len(here)


def test_structure_column_is_plain_json():
    import analysis as an
    from analysis import schema as S

    articles = an.load_articles(ROOT / "data" / "articles")
    value = json.loads(articles[S.STRUCTURE].iloc[0])
    assert set(value) == {"paragraphs", "images"}
    text = articles[S.TEXT].iloc[0]
    kind, start, end = value["paragraphs"][0]
    assert kind in S.PARAGRAPH_KINDS and 0 <= start < end <= len(text)


def test_atomic_write_gives_shared_permissions_without_touching_the_umask(tmp_path):
    from analysis.io.atomic import atomic_write

    status = Path("/proc/self/status")
    if not status.exists():  # pragma: no cover - not Linux
        pytest.skip("reads the umask from /proc")
    umask = int(next(ln.split()[1] for ln in status.read_text().splitlines()
                     if ln.startswith("Umask:")), 8)
    out = atomic_write(tmp_path / "x.txt", lambda p: p.write_text("x"))
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o666 & ~umask
    assert not list(tmp_path.glob(".*.tmp"))


def test_enumerations_are_literal_types_equal_to_their_tuples():
    import inspect
    from typing import get_args

    import analysis as an
    from analysis import schema as S

    # a column's values and its Literal are one list (the tuple is read from the type)
    assert S.MOVEMENTS == get_args(S.Movement) and "mention" in S.MOVEMENTS
    assert S.TIME_SOURCES == get_args(S.TimeSource) and "paragraph" in S.TIME_SOURCES

    def annotation(func, name):  # annotations stay strings (from __future__ import annotations)
        return inspect.signature(func).parameters[name].annotation

    # the public calls' enumerated arguments are typed by them
    assert annotation(an.load_articles, "errors") == "S.Errors"
    assert annotation(an.process_corpus, "errors") == "S.Errors"
    assert annotation(an.plot_map, "labels") == "S.Labels"
    assert annotation(an.plot_map, "metonyms") == "S.Metonyms"
    assert annotation(an.explore, "labels") == "S.Labels"
