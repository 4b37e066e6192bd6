"""Start-up cost: ``curator --help`` must not import network or other heavy libraries.

Checked by what gets imported rather than by wall time, so the test is not flaky on a busy machine.
"""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest

import curator

HEAVY = {
    "requests",
    "rich",
    "tomlkit",
    "bs4",
    "charset_normalizer",
    "defusedxml",
    "filelock",
    "platformdirs",
    "sqlite3",
}


def _heavy_modules_after(code: str) -> str:
    probe = (
        f"{code}\nimport sys\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {sorted(HEAVY)!r}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    return done.stdout.strip().splitlines()[-1]


def test_importing_the_cli_imports_no_heavy_library() -> None:
    assert _heavy_modules_after("import curator.cli") == "[]"


def test_help_imports_no_heavy_library() -> None:
    code = (
        "import contextlib, io, sys\n"
        "sys.argv = ['curator', '--help']\n"
        "from curator.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    main()"
    )
    assert _heavy_modules_after(code) == "[]"


@pytest.mark.parametrize("command", ["render", "show"])
def test_reading_a_plain_list_imports_no_editing_or_terminal_library(
    tmp_path: Path, command: str
) -> None:
    """render, and show into a pipe, of a list in the plain layout import neither tomlkit,
    filelock nor rich."""
    path = tmp_path / "papers.toml"
    path.write_text('[[paper]]\nid = "2304.02643"\ntitle = "Segment Anything"\n', encoding="utf-8")
    code = (
        "import contextlib, io, sys\n"
        f"sys.argv = ['curator', {command!r}, {str(path)!r}]\n"
        "from curator.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    main()"
    )
    loaded = _heavy_modules_after(code)
    assert all(name not in loaded for name in ("tomlkit", "filelock", "rich"))


def test_version_is_still_an_attribute_of_the_package() -> None:
    try:
        expected = version("paper-curator")
    except PackageNotFoundError:
        expected = "0+unknown"
    assert curator.__version__ == expected
    from curator import __version__

    assert __version__ == expected
