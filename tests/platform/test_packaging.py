"""The package's metadata, and the top-level names the editable install puts on sys.path.

The layers are top-level packages (bot, handlers, models, services, scheduler, migrations). A dependency that
shipped a module of one of those names would shadow ours, or be shadowed, depending on sys.path order.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import tomllib
from pathlib import Path, PurePosixPath

from tests.support.processes import ROOT

OURS = ("bot", "handlers", "models", "services", "scheduler", "migrations")
MODULE_SUFFIXES = (".py", ".pyc", ".so", ".pyd")


def top_level_names(dist: importlib.metadata.Distribution) -> set[str]:
    """What a distribution can be imported as: top_level.txt, plus every top-level module or package in its
    RECORD (top_level.txt is optional, and not every build writes it)."""
    names = {line.strip() for line in (dist.read_text("top_level.txt") or "").splitlines() if line.strip()}
    for file in dist.files or ():
        parts = PurePosixPath(str(file)).parts
        if not parts or parts[0] in ("..", "__pycache__") or parts[0].endswith((".dist-info", ".egg-info", ".data")):
            continue
        if len(parts) > 1:
            names.add(parts[0])
        elif parts[0].endswith(MODULE_SUFFIXES):
            names.add(parts[0].split(".")[0])
    return names


def test_no_installed_distribution_ships_a_module_named_like_our_layers() -> None:
    clashes = {}
    for dist in importlib.metadata.distributions():
        name = dist.metadata["Name"]
        if name and name.lower() == "followthrough":
            continue
        shared = top_level_names(dist) & set(OURS)
        if shared:
            clashes[name] = sorted(shared)

    assert clashes == {}, f"these installed distributions ship modules named like our layers: {clashes}"


def test_our_layers_import_from_this_tree() -> None:
    for name in OURS:
        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.origin is not None, name
        assert Path(spec.origin).resolve().is_relative_to(ROOT), f"{name} imports from {spec.origin}"


def test_the_installed_metadata_names_the_license_as_an_spdx_expression() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["project"]["license"] == "MIT"  # a table here is deprecated and stops building in 2027
    # SPDX strings need setuptools 77 (PEP 639); an older build backend would refuse the string.
    assert "setuptools>=77" in project["build-system"]["requires"][0]
    assert importlib.metadata.metadata("followthrough")["License-Expression"] == "MIT"
