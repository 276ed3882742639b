"""The README is the manual: every command the CLI has is shown there."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import typer.main

from newsgraph.cli import app
from newsgraph.settings import SETTINGS
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


def test_every_top_level_module_has_a_row_in_how_it_works() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## How it works") : readme.index("## Development data")]
    package = ROOT / "src" / "newsgraph"
    modules = sorted(
        p.stem if p.is_file() else p.name
        for p in package.iterdir()
        if (p.suffix == ".py" and p.stem != "__init__") or (p / "__init__.py").is_file()
    )
    missing = [m for m in modules if f"`newsgraph.{m}`" not in section]
    assert not missing, f"not in README.md's How it works: {missing}"


def test_every_setting_is_in_the_readme_with_its_default_and_variable() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Settings") : readme.index("## How it works")]
    for setting in SETTINGS:
        shown = f"{setting.default:,}" if isinstance(setting.default, int) else str(setting.default or "—")
        row = next((line for line in section.splitlines() if line.startswith(f"| `{setting.name}` |")), "")
        assert f"| {shown} |" in row, setting.name
        assert not setting.env or f"`${setting.env}`" in row, setting.name
