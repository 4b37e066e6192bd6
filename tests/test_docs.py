"""Documentation that cannot drift: help texts, README coverage of commands, options, keys."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer
from typer.main import get_command

from curator import config, list_schema
from curator.cli import app

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
CLI = get_command(app)
assert isinstance(CLI, typer.core.TyperGroup)
COMMANDS = sorted(CLI.commands)


def test_every_command_is_documented() -> None:
    """The app has exactly the documented commands."""
    assert COMMANDS == [
        "check", "dedupe", "export", "extract", "harvest", "import",
        "plot", "refresh", "render", "show", "trending",
    ]  # fmt: skip


@pytest.mark.parametrize("name", COMMANDS)
def test_command_help_teaches_with_an_example(name: str) -> None:
    """Every command has a help text with an example, and every option has help."""
    command = CLI.commands[name]
    assert command.help is not None
    assert "Example" in command.help
    for parameter in command.params:
        assert getattr(parameter, "help", None), f"{name}: {parameter.name} has no help"


@pytest.mark.parametrize("name", COMMANDS)
def test_readme_documents_command_and_options(name: str) -> None:
    """The README has a section for every command naming each of its long options."""
    assert f"### `curator {name} " in README
    for parameter in CLI.commands[name].params:
        for option in getattr(parameter, "opts", []):
            if option.startswith("--") and option != "--help":
                assert option in README, f"{name} {option} is not in the README"


def test_readme_documents_environment_variables() -> None:
    """Every CURATOR_* variable config.py reads is in the README's table."""
    source = Path(config.__file__).read_text(encoding="utf-8")
    variables = set(re.findall(r'"(CURATOR_[A-Z_]+)"', source))
    assert variables
    for variable in variables:
        assert f"| `{variable}` |" in README


@pytest.mark.parametrize("key", [*list_schema.PAPER_KEYS, *list_schema.LIST_KEYS])
def test_readme_documents_every_list_key(key: str) -> None:
    """Every key of the list format appears in the README's key tables."""
    assert re.search(rf"^\| [^|\n]*`{key}`", README, re.MULTILINE), key
