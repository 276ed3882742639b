"""The README is the manual: every command the CLI has is shown there."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import typer.main

from newsgraph.cli import app
from tests.conftest import ROOT


def _command_paths(command: Any, prefix: tuple[str, ...] = ()) -> Iterator[str]:
    subcommands = getattr(command, "commands", None)
    if subcommands is None:
        yield " ".join(prefix)
        return
    for name, sub in subcommands.items():
        yield from _command_paths(sub, (*prefix, name))


def test_every_cli_command_appears_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = sorted(_command_paths(typer.main.get_command(app)))
    assert len(commands) > 10
    missing = [c for c in commands if f"newsgraph {c}" not in readme]
    assert not missing, f"not in README.md: {missing}"
