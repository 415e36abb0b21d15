"""Every third-party module the shipped code imports is declared in pyproject.toml (issue item 14):
imports under cli/ directory/ matcher/ ui/ views/ and app.py, serve.py, parsed with `ast` and mapped
to their distributions with importlib.metadata."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib

from .conftest import ROOT

SHIPPED = ["cli", "directory", "matcher", "referrals", "ui", "views"]
OWN = {"cli", "directory", "matcher", "referrals", "ui", "views", "app", "serve", "scripts", "tests"}


def imported_modules() -> dict[str, str]:
    """Top-level module → the first file importing it (absolute imports only)."""
    files = [p for d in SHIPPED for p in sorted((ROOT / d).rglob("*.py"))] + [ROOT / "app.py", ROOT / "serve.py"]
    found: dict[str, str] = {}
    for path in files:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], str(path.relative_to(ROOT)))
    return found


def declared() -> set[str]:
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["dependencies"]
    return {re.split(r"[\[<>=!~; ]", d, maxsplit=1)[0].lower().replace("_", "-") for d in deps}


def test_every_third_party_import_is_declared():
    distributions = importlib.metadata.packages_distributions()
    missing = {}
    for module, where in imported_modules().items():
        if module in OWN or module in sys.stdlib_module_names or module == "__future__":
            continue
        dists = {d.lower().replace("_", "-") for d in distributions.get(module, [])}
        assert dists, f"{module} (imported in {where}) belongs to no installed distribution"
        if not dists & declared():
            missing[module] = (sorted(dists), where)
    assert not missing, f"imported but not declared in pyproject.toml: {missing}"


def test_declared_lower_bounds_are_met_by_what_the_tests_run_with():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["dependencies"]
    for dep in deps:
        m = re.match(r"^([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?(>=|==)([0-9.]+)", dep)
        assert m, dep
        name, _, low = m.groups()
        installed = importlib.metadata.version(name)
        as_tuple = [int(x) for x in re.findall(r"\d+", installed)[:3]]
        assert as_tuple >= [int(x) for x in low.split(".")][:3], (name, installed, low)
