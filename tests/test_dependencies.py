"""Dependencies between the apps point one way.

The graph is read from the source with ``ast``: every ``import`` and ``from ... import`` of every
module of every app, at module level or inside a function or class alike (an import moved into a
function to dodge a cycle at load time is still a dependency), and every ``import_module`` or
``import_string`` of a written-out ``stepchange.`` path. An edge A → B means some module of app A
imports something of app B.

- No cycle: no app depends, directly or through others, on an app that depends on it. A failure
  names the cycle and the import line of each of its edges.
- ``core`` is what the apps share and imports none of them: the navigation and the home page ask
  the apps (core/navigation.py, settings.HOME_DASHBOARD) instead.
- An app's form fields are core's (core/forms.py), never borrowed from another app: what one app
  imports from another's forms module is a whole form of that app's pages, never a field.
- Templates load template-tag modules; code imports what they format with from core.money.
"""

from __future__ import annotations

import ast
import importlib
from collections import defaultdict, deque
from dataclasses import dataclass
from pathlib import Path

from django import forms

import stepchange

PACKAGE = Path(stepchange.__file__).parent
CORE = "core"


@dataclass(frozen=True)
class Import:
    where: str  # the importing file and line: stepchange/returns/forms.py:17
    module: str  # the module imported from (stepchange.returns.models)
    names: tuple[str, ...]  # the names imported from it ("*" for a whole module)

    @property
    def app(self) -> str:
        return self.module.split(".")[1]

    def __str__(self) -> str:
        what = f"from {self.module} import {', '.join(self.names)}" if self.names else f"import {self.module}"
        return f"{self.where}: {what}"


def apps_of(package: Path = PACKAGE) -> list[str]:
    return sorted(p.name for p in package.iterdir() if (p / "__init__.py").exists())


def _module_name(path: Path, package: Path) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_in(path: Path, package: Path = PACKAGE) -> list[Import]:
    """Every import of a ``stepchange`` module in one file, wherever in the file it is."""
    module = _module_name(path, package)
    shown = path.relative_to(package.parent).as_posix()
    is_package = path.name == "__init__.py"
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [Import(f"{shown}:{node.lineno}", alias.name, ()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from . import x, from ..y import z
                base = module.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            names = tuple(alias.name for alias in node.names)
            found.append(Import(f"{shown}:{node.lineno}", target, names))
            # "from stepchange import returns" imports an app as well.
            if target == package.name:
                found += [Import(f"{shown}:{node.lineno}", f"{target}.{name}", ()) for name in names]
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", None)) in {"import_module", "import_string"}
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append(Import(f"{shown}:{node.lineno}", node.args[0].value, ()))
    return [i for i in found if i.module.startswith(f"{package.name}.")]


def app_imports(package: Path = PACKAGE) -> dict[tuple[str, str], list[Import]]:
    """(A, B) → the imports by which app A depends on app B, for every pair of different apps."""
    apps = set(apps_of(package))
    edges: dict[tuple[str, str], list[Import]] = defaultdict(list)
    for app in apps:
        for path in sorted((package / app).rglob("*.py")):
            for found in imports_in(path, package):
                if found.app in apps and found.app != app:
                    edges[(app, found.app)].append(found)
    return dict(edges)


def cycles(edges: dict[tuple[str, str], list[Import]]) -> list[list[str]]:
    """Every pair of apps that import each other, and the shortest cycle through each app that is on
    a longer one; each cycle once, written from its least app."""
    successors: dict[str, set[str]] = defaultdict(set)
    for a, b in edges:
        successors[a].add(b)
    found: set[tuple[str, ...]] = {(a, b) for a, b in edges if a < b and (b, a) in edges}
    for start in sorted(successors):
        # Breadth first from start's successors back to start: the shortest way round.
        came_from: dict[str, str] = {}
        queue = deque([start])
        while queue:
            app = queue.popleft()
            if start in successors[app]:
                path = [app]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                loop = path[::-1]
                least = loop.index(min(loop))
                found.add(tuple(loop[least:] + loop[:least]))
                break
            for nxt in sorted(successors[app]):
                if nxt not in came_from and nxt != start:
                    came_from[nxt] = app
                    queue.append(nxt)
    return [list(loop) for loop in sorted(found)]


def describe(loop: list[str], edges: dict[tuple[str, str], list[Import]]) -> str:
    lines = [" → ".join([*loop, loop[0]])]
    for a, b in zip(loop, [*loop[1:], loop[0]], strict=True):
        lines.append(f"  {a} → {b}, e.g. {edges[(a, b)][0]}")
    return "\n".join(lines)


def test_no_app_depends_on_an_app_that_depends_on_it():
    edges = app_imports()
    found = cycles(edges)
    assert not found, "Import cycles between apps:\n" + "\n".join(describe(loop, edges) for loop in found)


# The order docs/apps.md gives: an app imports only apps of lower layers.
LAYERS = [
    {"core"},
    {"organisations"},
    {"accounts"},
    {"notifications", "bulletins", "pack"},
    {"contracts", "funding", "engagement"},
    {"returns"},
    {"reports"},
    {"commissioning", "imports", "plans"},
    {"manage"},
    {"capacity", "consortia", "governance"},
    {"api"},
    {"capacity", "consortia", "burden"},
    {"demo"},
]


def test_each_app_imports_only_apps_below_it():
    layer_of = {app: n for n, apps in enumerate(LAYERS) for app in apps}
    assert set(layer_of) == set(apps_of()), "docs/apps.md and LAYERS name every app once"
    upward = [
        f"{a} (layer {layer_of[a]}) imports {b} (layer {layer_of[b]}), e.g. {found[0]}"
        for (a, b), found in sorted(app_imports().items())
        if layer_of[b] >= layer_of[a]
    ]
    assert not upward, "\n".join(upward)


def test_core_imports_no_app():
    edges = app_imports()
    into = [str(i) for (a, _), found in sorted(edges.items()) if a == CORE for i in found]
    assert not into, "core imports an app:\n" + "\n".join(into)


def test_no_app_borrows_a_form_field_from_another_app():
    borrowed = []
    for (_, b), found in sorted(app_imports().items()):
        for i in found:
            if b == CORE or i.module != f"stepchange.{b}.forms":
                continue
            module = importlib.import_module(i.module)
            for name in i.names:
                thing = getattr(module, name)
                if not (isinstance(thing, type) and issubclass(thing, forms.BaseForm)):
                    borrowed.append(f"{i} ({name} is not a form of {b}'s pages; shared fields live in core/forms.py)")
    assert not borrowed, "\n".join(borrowed)


def test_only_templates_load_template_tag_modules():
    outside = [
        str(i)
        for path in sorted(PACKAGE.rglob("*.py"))
        if "templatetags" not in path.parts
        for i in imports_in(path)
        if ".templatetags" in i.module
    ]
    assert not outside, "Code imports a template-tag module (import from core.money instead):\n" + "\n".join(outside)


# The checks check themselves: a graph with a known cycle in it is reported with the cycle named.


def _write(root: Path, files: dict[str, str]) -> Path:
    package = root / "stepchange"
    for name, text in files.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return package


def test_a_cycle_is_found_and_named_even_through_a_function_level_import(tmp_path):
    package = _write(
        tmp_path,
        {
            "__init__.py": "",
            "core/__init__.py": "",
            "core/access.py": "",
            "alpha/__init__.py": "",
            "alpha/models.py": "from stepchange.core import access\nfrom stepchange.beta.forms import Thing\n",
            "beta/__init__.py": "",
            "beta/forms.py": "def later():\n    from ..gamma import views\n",
            "gamma/__init__.py": "",
            "gamma/views.py": "import stepchange.alpha.models\n",
            "delta/__init__.py": "",
            "delta/views.py": "from stepchange.alpha import models\n",
        },
    )
    edges = app_imports(package)
    assert set(edges) == {
        ("alpha", "core"),
        ("alpha", "beta"),
        ("beta", "gamma"),
        ("gamma", "alpha"),
        ("delta", "alpha"),
    }
    found = cycles(edges)
    assert found == [["alpha", "beta", "gamma"]]
    text = describe(found[0], edges)
    assert text.splitlines()[0] == "alpha → beta → gamma → alpha"
    assert "stepchange/beta/forms.py:2: from stepchange.gamma import views" in text


def test_two_apps_importing_each_other_are_a_cycle(tmp_path):
    package = _write(
        tmp_path,
        {
            "__init__.py": "",
            "core/__init__.py": "",
            "core/views.py": "from django.utils.module_loading import import_string\nimport_string('stepchange.manage.index.index')\n",
            "manage/__init__.py": "",
            "manage/index.py": "from stepchange.core.views import x\n",
        },
    )
    edges = app_imports(package)
    assert cycles(edges) == [["core", "manage"]]
