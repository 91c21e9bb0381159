"""The package's layout: imports point down the layers, and only generator/site/ knows about MkDocs."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "generator"

# From the bottom up: a module imports only from layers below its own (and, inside a
# subpackage, from its siblings). README's "Layout of the repository" says the same in words.
LAYERS = [
    ["schema", "source", "sanitise", "terms", "cache", "apart", "collector"],
    ["resolutions"],  # finds copied-out words by the terms' whole-word rule
    ["messages", "labels", "plain", "marks", "checks"],
    ["load"],
    ["archive", "urls", "schemafiles", "cms"],
    ["people", "coverage"],
    ["registers", "templating", "addresses"],
    ["render", "search", "outputs"],
    ["build"],
    ["scaffold", "synthetic", "importers"],
    ["cli", "site"],
]
LAYER_OF = {name: place for place, names in enumerate(LAYERS) for name in names}


def imports(module: Path) -> list[str]:
    """The top-level names a module imports, as written (``generator.x.y`` -> ``x.y``)."""
    found = []
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append(node.module)
    return found


def modules() -> list[tuple[str, Path]]:
    """Each module's layer name (its top-level module or subpackage) and its file."""
    return [
        (module.relative_to(PACKAGE).parts[0].removesuffix(".py"), module)
        for module in sorted(PACKAGE.rglob("*.py"))
        if module.name != "__init__.py" or module.parent != PACKAGE
    ]


def test_every_module_has_a_layer() -> None:
    assert sorted({name for name, _ in modules()} - set(LAYER_OF)) == []


def test_imports_point_down_the_layers() -> None:
    upward = []
    for name, module in modules():
        for imported in imports(module):
            if not imported.startswith("generator."):
                continue
            target = imported.removeprefix("generator.").split(".")[0]
            if target != name and LAYER_OF[target] >= LAYER_OF[name]:
                upward.append(f"{module.relative_to(PACKAGE)} imports {imported}")
    assert upward == []


def test_only_the_site_folder_knows_about_mkdocs() -> None:
    """A port to another site builder touches generator/site/ alone."""
    knowing = [
        module.relative_to(PACKAGE).as_posix()
        for name, module in modules()
        if name != "site" and any(i == "mkdocs" or i.startswith(("mkdocs.", "material")) for i in imports(module))
    ]
    assert knowing == []
