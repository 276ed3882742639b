"""Every command that reads or curates the store opens it one way (`cli/_app.opened`): a SQLite
file that is not there is exit status 2, never a new empty store."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsgraph.cli import app

runner = CliRunner()
COMMANDS = [
    ["quotes"],
    ["person", "Peskov"],
    ["who", "President"],
    ["timeline"],
    ["stats"],
    ["overview"],
    ["curation"],
    ["merge", "A", "B", "--reason", "x"],
    ["split", "A", "--article", "a1", "--reason", "x"],
    ["reject", "quote:0", "--reason", "x"],
    ["export", "quotes"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_a_missing_sqlite_store_is_exit_2(command: list[str], tmp_path: Path) -> None:
    missing = tmp_path / "missing.db"
    result = runner.invoke(app, [*command, "--db", str(missing)])
    assert result.exit_code == 2, result.output
    assert "no store" in result.output
    assert not missing.exists()
