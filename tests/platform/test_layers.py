"""The dependency rule between layers, read from the imports of every module (see CONTRIBUTING.md).

services import models (and other services) only; models import nothing of ours but models; handlers never
import the scheduler or the app assembly; the scheduler reaches into handlers only for `handlers.<feature>.messages`;
no feature's handlers import another feature's handlers (they share through `handlers.kit` or services).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ("bot", "handlers", "models", "services", "scheduler")
# What app assembly is: handlers and the scheduler may use the rest of bot/ (clock, surface, Slack clients).
ASSEMBLY = ("bot.web", "bot.slack_app", "bot.cli", "bot.socket_mode", "bot.devtools")


def imports_of(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found += [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
    return [name for name in found if name.split(".")[0] in LAYERS]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def feature_of(module: str) -> str | None:
    """`handlers.decisions.forms` → `decisions`; kit and the package itself belong to no feature."""
    parts = module.split(".")
    if parts[0] != "handlers" or len(parts) < 2 or parts[1] == "kit":
        return None
    return parts[1]


def violations(module: str, imported: str) -> str | None:
    top = module.split(".")[0]
    target = imported.split(".")[0]
    if top == "models" and target != "models":
        return "models import only models"
    if top == "services" and target not in ("services", "models"):
        return "services import only models and services"
    if top == "handlers":
        if target == "scheduler":
            return "handlers never import the scheduler"
        if imported.startswith(ASSEMBLY):
            return "handlers never import the app assembly"
        mine, theirs = feature_of(module), feature_of(imported)
        if mine and theirs and mine != theirs:
            return "a feature never imports another feature's handlers"
        if module != "handlers" and not mine and theirs:
            return "the kit never imports a feature"
    if top == "scheduler" and target == "handlers":
        parts = imported.split(".")
        if len(parts) < 3 or parts[2] != "messages":
            return "the scheduler reaches handlers only through handlers.<feature>.messages"
    if top == "scheduler" and imported.startswith(ASSEMBLY[:4]) and module != "scheduler.service":
        return "jobs never import the app assembly"
    return None


def test_every_import_follows_the_dependency_rule() -> None:
    broken = []
    for layer in LAYERS:
        for path in sorted((ROOT / layer).rglob("*.py")):
            module = module_name(path)
            for imported in imports_of(path):
                why = violations(module, imported)
                if why:
                    broken.append(f"{module} imports {imported}: {why}")
    assert broken == [], "\n".join(dict.fromkeys(broken))


def test_the_rule_catches_what_it_forbids() -> None:
    assert violations("services.outcomes.rules", "handlers.kit.text")
    assert violations("handlers.checkins.commands", "scheduler.checkins")
    assert violations("handlers.decisions.forms", "handlers.outcomes.blocks")
    assert violations("scheduler.decisions", "handlers.decisions.blocks.card")
    assert violations("scheduler.decisions", "handlers.decisions.messages") is None
    assert violations("handlers.decisions.forms", "handlers.kit.forms") is None
