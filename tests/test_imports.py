"""The quiz side must start without torch or matplotlib, and the model package
must not depend on the terminal libraries."""

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

import dcgan_quiz

PACKAGE = Path(dcgan_quiz.__file__).parent
HEAVY = ("torch", "matplotlib")

PROBE = """
import json, sys
from dcgan_quiz.cli import app
try:
    code = app(sys.argv[1:], standalone_mode=False) or 0
except SystemExit as exit:
    code = exit.code
loaded = [name for name in ("torch", "matplotlib") if name in sys.modules]
print(json.dumps(loaded))
sys.exit(code)
"""


def imported_modules(path: Path, *, top_level_only: bool) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    names = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.add(node.module.split(".")[0])
    return names


def modules_of(subpackage: str) -> list[Path]:
    return sorted((PACKAGE / subpackage).rglob("*.py"))


@pytest.mark.parametrize("subpackage", ["questions", "quiz"])
def test_quiz_side_never_imports_torch_or_matplotlib(subpackage):
    for path in modules_of(subpackage):
        found = imported_modules(path, top_level_only=False) & set(HEAVY)
        assert not found, f"{path.name} imports {found}"


def test_dcgan_never_imports_rich_or_typer():
    for path in modules_of("dcgan"):
        found = imported_modules(path, top_level_only=False) & {"rich", "typer"}
        assert not found, f"{path.name} imports {found}"


def test_cli_imports_demos_and_dcgan_only_inside_commands():
    names = imported_modules(PACKAGE / "cli.py", top_level_only=True)
    assert not names & {"dcgan_quiz.demos", "dcgan_quiz.dcgan", *HEAVY}


@pytest.mark.parametrize(
    "arguments",
    [
        ["--help"],
        ["list"],
        ["list", "--json"],
        ["show", "why-adam"],
        ["demo"],
        ["demo", "--json"],
        ["demo", "--help"],
    ],
)
def test_light_commands_load_neither_torch_nor_matplotlib(arguments, tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *arguments],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert loaded == []
