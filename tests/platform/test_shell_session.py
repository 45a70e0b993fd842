"""The local shell end to end: a newcomer's first minute, scripted, through the real app in local mode."""

from __future__ import annotations

import io

import pytest

from bot.devtools.shell import run_shell
from bot.settings import Settings
from tests.support import shell as shell_support


@pytest.fixture
def local_settings(tmp_path, monkeypatch) -> Settings:
    return shell_support.local_settings(tmp_path, monkeypatch)


async def run_script(settings: Settings, script: str) -> tuple[int, str]:
    out = io.StringIO()
    code = await run_shell(settings, stdin=io.StringIO(script), stdout=out)
    return code, out.getvalue()


async def test_shell_answers_help_and_shows_the_home_tab(local_settings: Settings) -> None:
    code, transcript = await run_script(local_settings, "/followthrough help\n:home\n/followthrough dance\n")

    assert code == 0
    assert "Started Followthrough in this process" in transcript
    assert "> /followthrough help" in transcript
    assert "/followthrough help" in transcript.split("> /followthrough help", 1)[1]
    assert "Hello You!" in transcript  # the Home tab, published for the person acting
    assert "I don't know `dance`" in transcript


async def test_shell_acts_as_someone_else(local_settings: Settings) -> None:
    code, transcript = await run_script(local_settings, ":as alex\n:home\n")

    assert code == 0
    assert "Hello Alex Meyer!" in transcript
