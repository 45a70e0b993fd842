"""The local shell: the whole app driven as a Slack user from a terminal or a script."""

from bot.devtools.shell.repl import run_shell

__all__ = ["run_shell"]
