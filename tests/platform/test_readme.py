"""The README promises only what exists: its settings, commands, flags, endpoints, make targets and slash
commands are read from the text and checked against the code, both ways where a list is meant to be whole."""

from __future__ import annotations

import argparse
import re

import pytest

from bot import surface
from bot.cli import _parser
from bot.settings import Settings
from tests.support.processes import ROOT

README = (ROOT / "README.md").read_text()
MANIFEST_ONLY: set[str] = set()  # read by `followthrough manifest` alone, not by the app's settings
SLACK_BUILT_INS = {"/invite"}


def section(title: str) -> str:
    start = README.index(f"\n## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end > 0 else None]


def settings_table() -> dict[str, str]:
    """Variable -> its default as the table shows it (the first backquoted value, or — for none)."""
    rows = {}
    for line in section("Configuration").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) < 3 or not cells[0].startswith("`"):
            continue
        names = re.findall(r"`([A-Z_]+)`", cells[0])
        defaults = re.findall(r"`([^`]+)`", cells[1])
        for i, name in enumerate(names):
            rows[name] = defaults[i] if i < len(defaults) else "—"
    return rows


def shown(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def parsers() -> dict[str, argparse.ArgumentParser]:
    """Every `followthrough ...` command (nested ones as "db upgrade") and its parser."""
    found: dict[str, argparse.ArgumentParser] = {}

    def walk(parser: argparse.ArgumentParser, prefix: str) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    found[f"{prefix}{name}".strip()] = sub
                    walk(sub, f"{prefix}{name} ")

    walk(_parser(), "")
    return found


def test_the_first_paragraph_promises_only_features_that_exist() -> None:
    intro = README.split("\n## ", 1)[0].lower()
    features = {"priorities": "/priority", "outcomes": "/outcome", "progress": "/progress", "check-ins": "/checkin",
                "decisions": "/decision", "escalation": "/escalation", "action items": "/action",
                "meetings": "/meeting", "health findings": "/followthrough", "customers": "/insight"}  # fmt: skip
    for feature, command in features.items():
        assert feature in intro and command in {c.name for c in surface.COMMANDS}


def test_every_setting_is_in_the_configuration_table_with_its_default() -> None:
    table = settings_table()
    fields = {name.upper(): field for name, field in Settings.model_fields.items()}

    assert set(table) == set(fields) | MANIFEST_ONLY
    for name, field in fields.items():
        if name == "SLACK_API_URL":  # unset means Slack's own, which the table shows
            http = Settings(_env_file=None, slack_bot_token="xoxb-1", slack_signing_secret="s")
            assert table[name] + "/" == http.api_url()
            continue
        assert table[name] == shown(field.default), name


@pytest.mark.parametrize("name", ["MAX_BODY_BYTES", "BODY_TIMEOUT_SECONDS", "MAX_CONNECTIONS", "METRICS_TOKEN",
                                  "DB_CONNECT_TIMEOUT", "DB_STATEMENT_TIMEOUT", "DB_POOL_TIMEOUT",
                                  "TOKEN_ENCRYPTION_KEYS"])  # fmt: skip
def test_the_settings_added_for_hardening_are_documented(name: str) -> None:
    assert name in settings_table()


def test_every_command_and_flag_is_in_the_command_line_section_and_nothing_else_is() -> None:
    text = section("Command line")
    commands = parsers()
    for name, parser in commands.items():
        top = name.split()[0]
        assert f"followthrough {top}" in text, name
        for action in parser._actions:
            for flag in action.option_strings:
                if flag.startswith("--") and flag != "--help":
                    assert flag in text, f"followthrough {name} {flag}"
    known_flags = {flag for parser in commands.values() for a in parser._actions for flag in a.option_strings}
    ours = "\n".join(line for line in README.splitlines() if "docker" not in line)
    for flag in re.findall(r"(?<![\w-])--[a-z][a-z-]+", ours):
        assert flag in known_flags, f"the README mentions {flag}, which no command takes"
    for top in re.findall(r"(?:^|[\s`(]|bin/)followthrough ([a-z]+)", README, re.MULTILINE):
        assert top in commands, f"followthrough {top}"


def test_every_endpoint_the_readme_names_exists_and_every_route_is_named(tmp_path) -> None:
    from bot.web import create_app
    from tests.conftest import make_settings

    settings = make_settings(
        f"sqlite+aiosqlite:///{tmp_path}/x.db", "http://127.0.0.1:1/api", slack_bot_token=None,
        slack_client_id="1.2", slack_client_secret="s", token_encryption_keys="A" * 43 + "=",
    )  # fmt: skip
    app = create_app(settings)
    routes = {(method, route.path) for route in app.routes for method in getattr(route, "methods", None) or ()}
    named = set(re.findall(r"`(GET|POST) (/[a-z0-9_/{}.-]+)`", README))

    assert named <= routes
    assert {(m, p) for m, p in routes if m in ("GET", "POST")} <= named


def test_every_make_target_the_readme_names_exists() -> None:
    makefile = (ROOT / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z]+):", makefile, re.MULTILINE))
    for target in re.findall(r"`make ([a-z]+)`", README):
        assert target in targets, target


def test_every_slash_command_the_readme_uses_exists() -> None:
    commands = {c.name for c in surface.COMMANDS} | SLACK_BUILT_INS
    paths = {path for _, path in re.findall(r"`(GET|POST) (/[a-z0-9_/{}.-]+)`", README)} | {
        "/healthz",
        "/readyz",
        "/metrics",
    }
    for command in set(re.findall(r"(?<![\w/.:}])(/[a-z]+)(?=[\s`])", README)) - paths:
        assert command in commands, command
