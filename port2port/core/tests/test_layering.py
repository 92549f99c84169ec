"""Dependencies point one way: core <- organisations/accounts <- domain apps <- analytics/interop."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2]
LAYERS = {"core": 0, "accounts": 1, "organisations": 1, "reports": 2, "indicators": 3, "sensors": 4, "alerts": 5,
          "knowledge": 3, "measures": 4, "training": 4, "workinggroups": 5, "demo": 9}


def imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("port2port."):
            names.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            names.update(a.name.split(".")[1] for a in node.names if a.name.startswith("port2port."))
    return names & set(LAYERS)


@pytest.mark.parametrize("app", [app for app in LAYERS if app != "demo"])
def test_an_app_imports_only_from_lower_layers(app):
    for path in (PACKAGE / app).rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for other in imported_apps(path):
            assert LAYERS[other] <= LAYERS[app], f"{path.relative_to(PACKAGE)} imports port2port.{other}"
