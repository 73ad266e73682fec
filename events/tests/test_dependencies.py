"""One-way dependencies (issue 17 item 5): accounts, events <- bookings <- notifications,
analytics (the last two siblings). Lower apps' code (tests aside) imports nothing from higher
ones or from a sibling, and their models point nowhere up."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]
HIGHER = {
    "accounts": {"bookings", "notifications", "analytics"},
    "events": {"bookings", "notifications", "analytics"},
    "bookings": {"notifications", "analytics"},
    "notifications": {"analytics"},
    "analytics": {"notifications"},
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("app", sorted(HIGHER))
def test_a_lower_app_imports_nothing_from_a_higher_one(app: str) -> None:
    offending = []
    for path in sorted((ROOT / app).rglob("*.py")):
        if "tests" in path.relative_to(ROOT / app).parts:
            continue
        for module in imported_modules(path):
            if module.split(".")[0] in HIGHER[app]:
                offending.append(f"{path.relative_to(ROOT)}: {module}")
    assert offending == []


@pytest.mark.parametrize("app", sorted(HIGHER))
def test_a_lower_apps_models_have_no_relation_to_a_higher_app(app: str) -> None:
    upward = [
        f"{model.__name__}.{field.name} -> {field.related_model._meta.label}"
        for model in apps.get_app_config(app).get_models()
        for field in model._meta.get_fields()
        if field.is_relation and field.concrete and field.related_model is not None
        and field.related_model._meta.app_label in HIGHER[app]
    ]
    assert upward == []
