"""Playbooks: the running part (see the package's docstring)."""

from __future__ import annotations

from slack_bolt.app.async_app import AsyncApp

from handlers.kit.home import HomeTab


def register(app: AsyncApp, home: HomeTab) -> None:
    """Nothing registered yet."""
