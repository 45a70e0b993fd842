"""The manifest and the listeners come from the same constants, so Slack and the app agree; printing it is the
first step of a real install, so it needs no token, and refuses or warns about an address Slack can't use."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
import yaml

from bot import surface
from bot.manifest import ManifestOptions, manifest_yaml, print_manifest
from tests.support.processes import clean_env


def manifest(**options: object) -> dict:
    return yaml.safe_load(manifest_yaml(ManifestOptions(**{"public_url": "https://ft.example.org", **options})))


@pytest.fixture
def bare_env(tmp_path, monkeypatch) -> None:
    """No .env and none of the variables the manifest reads."""
    monkeypatch.chdir(tmp_path)
    for name in ("PUBLIC_URL", "SLACK_APP_TOKEN", "SLACK_CLIENT_ID", "SLACK_BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)


def run(**flag_values: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = print_manifest(
        flag_values.get("url"),  # type: ignore[arg-type]
        bool(flag_values.get("socket_mode")),
        bool(flag_values.get("oauth")),
        stdout=out,
        stderr=err,
    )
    return code, out.getvalue(), err.getvalue()


def test_http_manifest_points_everything_at_the_one_endpoint() -> None:
    data = manifest()
    url = "https://ft.example.org/slack/events"
    assert [c["command"] for c in data["features"]["slash_commands"]] == [c.name for c in surface.COMMANDS]
    assert {c["url"] for c in data["features"]["slash_commands"]} == {url}
    assert data["settings"]["event_subscriptions"] == {"bot_events": list(surface.BOT_EVENTS), "request_url": url}
    assert data["settings"]["interactivity"]["request_url"] == url
    assert data["settings"]["socket_mode_enabled"] is False
    assert set(data["oauth_config"]["scopes"]["bot"]) >= {"commands", "chat:write", "users:read"}
    assert "redirect_urls" not in data["oauth_config"] and "user" not in data["oauth_config"]["scopes"]
    assert data["features"]["app_home"]["home_tab_enabled"] is True


def test_socket_mode_manifest_has_no_request_urls() -> None:
    data = manifest(public_url=None, socket_mode=True)
    assert data["settings"]["socket_mode_enabled"] is True
    assert "request_url" not in data["settings"]["event_subscriptions"]
    assert all("url" not in c for c in data["features"]["slash_commands"])


def test_the_bot_posts_only_where_it_was_invited_and_its_handle_is_the_one_replies_name() -> None:
    data = manifest()
    assert "chat:write.public" not in data["oauth_config"]["scopes"]["bot"]
    assert data["features"]["bot_user"]["display_name"] == surface.BOT_HANDLE
    assert surface.INVITE == "/invite @Followthrough"


def test_socket_mode_manifest_prints_with_only_the_app_token_set(tmp_path) -> None:
    # The circle from the issue: the bot token exists only once the app has been created from this manifest.
    env = clean_env(SLACK_APP_TOKEN="xapp-1-A0-1-abc")
    done = subprocess.run([sys.executable, "-m", "bot.cli", "manifest"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    flag = subprocess.run([sys.executable, "-m", "bot.cli", "manifest", "--socket-mode"], cwd=tmp_path,
                          env=clean_env(), capture_output=True, text=True, timeout=60)  # fmt: skip

    for result in (done, flag):
        assert result.returncode == 0, result.stderr
        assert yaml.safe_load(result.stdout)["settings"]["socket_mode_enabled"] is True
        assert "SLACK_BOT_TOKEN" in result.stderr  # the next step names the token to make


def test_an_http_manifest_without_an_address_is_refused_in_words(bare_env) -> None:
    code, out, err = run()

    assert code == 2 and out == ""
    assert "--url https://" in err and "--socket-mode" in err and "PUBLIC_URL" in err


def test_the_url_flag_and_public_url_both_give_the_address(bare_env, monkeypatch) -> None:
    code, out, err = run(url="https://ft.example.org/")
    assert code == 0 and "Warning" not in err
    assert (
        yaml.safe_load(out)["settings"]["event_subscriptions"]["request_url"] == "https://ft.example.org/slack/events"
    )

    monkeypatch.setenv("PUBLIC_URL", "https://env.example.org")
    code, out, _ = run()
    assert code == 0 and "https://env.example.org/slack/events" in out


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://localhost:3000", "only to https://"),
        ("https://localhost:3000", "not reachable from the internet"),
        ("https://192.168.1.20", "not reachable from the internet"),
    ],
)
def test_an_address_slack_cannot_reach_is_warned_about(bare_env, url: str, words: str) -> None:
    code, out, err = run(url=url)

    assert code == 0 and f"{url}/slack/events" in out  # printed anyway: it may be what they mean to change
    assert err.startswith("Warning:") and words in err


def test_oauth_adds_the_redirect_and_refuses_socket_mode(bare_env) -> None:
    code, out, _ = run(url="https://ft.example.org", oauth=True)
    assert code == 0
    oauth = yaml.safe_load(out)["oauth_config"]
    assert oauth["redirect_urls"] == [
        "https://ft.example.org/slack/oauth_redirect",
        "https://ft.example.org/web/sign-in/slack/callback",  # Sign in with Slack
    ]
    assert oauth["scopes"]["user"] == ["openid", "profile"]

    code, out, err = run(socket_mode=True, oauth=True)
    assert code == 2 and out == "" and "HTTP mode" in err


def test_every_step_of_the_install_mentions_the_invite(bare_env) -> None:
    for flags in ({"url": "https://ft.example.org"}, {"socket_mode": True}):
        _, _, err = run(**flags)
        assert surface.INVITE in err


async def test_checkin_help_says_to_invite_the_bot_before_setting_one_up(harness) -> None:
    response = await harness.slack.command(harness.me, "/checkin", "help")

    assert surface.INVITE in response.text


async def test_every_manifest_command_has_a_listener(harness) -> None:
    for command in manifest()["features"]["slash_commands"]:
        response = await harness.slack.command(harness.me, command["command"], "help")
        assert response.status_code == 200, command["command"]
        assert response.json().get("blocks"), command["command"]


async def test_every_manifest_event_is_acknowledged(harness) -> None:
    for event_type in manifest()["settings"]["event_subscriptions"]["bot_events"]:
        # A `message.channels` subscription delivers events of type `message` (Bolt refuses the dotted name).
        event = {"type": event_type.split(".")[0], "user": "U0LOCAL", "tab": "messages"}
        if event_type == "tokens_revoked":
            event["tokens"] = {"bot": ["U0BOT"]}
        response = await harness.slack.event(harness.me, event)
        assert response.status_code == 200, event_type
