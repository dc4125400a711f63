"""`dcgan-quiz demo` and `dcgan-quiz verify` through Typer's CliRunner."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dcgan_quiz.cli import app
from dcgan_quiz.demos import catalog
from dcgan_quiz.demos.result import DemoResult, Measurement

REPOSITORY = Path(__file__).resolve().parents[2]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def invoke(runner: CliRunner, data_dir: Path, *arguments: str):
    result = runner.invoke(app, ["--data-dir", str(data_dir), *arguments])
    assert "Traceback" not in result.output
    return result


def test_demo_lists_table(runner, data_dir) -> None:
    result = invoke(runner, data_dir, "demo", "--lang", "en")

    assert result.exit_code == 0, result.output
    for name in catalog.NAMES:
        assert name in result.output
    assert "why-bce-loss" in result.output
    assert "dcgan-quiz demo NAME" in result.output


def test_demo_lists_json(runner, data_dir) -> None:
    result = invoke(runner, data_dir, "demo", "--json", "--lang", "ko")

    assert result.exit_code == 0, result.output
    listing = json.loads(result.output)
    assert [entry["demo"] for entry in listing] == list(catalog.NAMES)
    assert set(listing[0]) == {"demo", "claim", "questions"}
    assert listing[0]["claim"] == catalog.CATALOG[0].claim_ko
    assert listing[1]["questions"] == ["why-adam"]


def test_demo_listing_skips_torch(data_dir) -> None:
    script = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from dcgan_quiz.cli import app\n"
        f"result = CliRunner().invoke(app, ['--data-dir', {str(data_dir)!r},"
        " 'demo', '--json'])\n"
        "assert result.exit_code == 0, result.output\n"
        "print('torch' in sys.modules, 'matplotlib' in sys.modules)\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        check=True,
    )

    assert completed.stdout.split() == ["False", "False"]


def test_demo_unknown_name(runner, data_dir) -> None:
    result = invoke(runner, data_dir, "demo", "dropout")

    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1
    assert "unknown demo 'dropout'" in lines[0]
    for name in catalog.NAMES:
        assert name in lines[0]


def test_demo_runs_json(runner, data_dir, tmp_path) -> None:
    out = tmp_path / "out"
    result = invoke(
        runner,
        data_dir,
        "demo",
        "sigmoid-output",
        "--json",
        "--steps",
        "60",
        "--device",
        "cpu",
        "--lang",
        "en",
        "--out",
        str(out),
    )

    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["demo"] == "sigmoid-output"
    assert data["claim"] == catalog.find("sigmoid-output").claim_en
    assert data["holds"] is True
    assert data["measured"]["share of steps with D(x) > D(G(z))"] >= 0.95
    assert data["steps"] == 60
    assert data["seconds"] > 0
    assert Path(data["png"]) == out / "sigmoid-output.png"
    assert Path(data["png"]).is_file()


def test_demo_runs_table(runner, data_dir) -> None:
    result = invoke(
        runner, data_dir, "demo", "sigmoid-output", "--steps", "40", "--lang", "en"
    )

    assert result.exit_code == 0, result.output
    assert "sigmoid-output: measurements" in result.output
    assert "share of steps with D(x) > D(G(z))" in result.output
    assert "Verdict: Holds." in result.output
    default_png = data_dir / "demos" / "sigmoid-output" / "sigmoid-output.png"
    assert default_png.is_file()
    assert "Plot:" in result.output


def test_demo_rejects_device(runner, data_dir) -> None:
    result = invoke(runner, data_dir, "demo", "adam", "--device", "tpu")

    assert result.exit_code == 2
    assert "--device 'tpu' is not supported" in result.output


def test_verify_json_subset(runner, data_dir, monkeypatch) -> None:
    monkeypatch.setattr(catalog, "NAMES", ("sigmoid-output",))

    result = invoke(runner, data_dir, "verify", "--json", "--device", "cpu")

    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [entry["demo"] for entry in data] == ["sigmoid-output"]
    assert all(entry["holds"] for entry in data)
    assert all(entry["quick"] for entry in data)


def test_verify_exits_one_on_failed_claim(runner, data_dir, monkeypatch) -> None:
    """A claim that does not hold makes verify exit 1 and print NO."""
    from dcgan_quiz.demos import view

    real_run = view.run_demo

    def run_with_failed_measurement(demo, **options) -> DemoResult:
        result = real_run(demo, **options)
        failed = Measurement("forced failure", 1, "= 0", False)
        return replace(result, measurements=[*result.measurements, failed])

    monkeypatch.setattr(catalog, "NAMES", ("sigmoid-output",))
    monkeypatch.setattr(view, "run_demo", run_with_failed_measurement)

    result = invoke(runner, data_dir, "verify", "--device", "cpu", "--lang", "en")

    assert result.exit_code == 1, result.output
    assert "NO" in result.output
    assert "0 of 1 claims hold" in result.output


@pytest.mark.slow
def test_verify_all_demos(runner, data_dir) -> None:
    """The real quick verify over every demo: every claim holds."""
    result = invoke(runner, data_dir, "verify", "--json", "--device", "cpu")

    data = json.loads(result.output)
    holds = {entry["demo"]: entry["holds"] for entry in data}
    assert list(holds) == list(catalog.NAMES)
    assert all(holds.values()), holds
    assert result.exit_code == 0


def test_demo_too_few_steps_is_refused(runner, data_dir) -> None:
    result = invoke(runner, data_dir, "demo", "sigmoid-output", "--steps", "1")
    assert result.exit_code == 2
    assert "--steps 1 is too few to test this claim" in result.output


def test_demo_out_that_is_a_file_is_refused(runner, data_dir, tmp_path) -> None:
    not_a_folder = tmp_path / "afile"
    not_a_folder.write_text("x")
    result = invoke(
        runner, data_dir, "demo", "sigmoid-output", "--out", str(not_a_folder)
    )
    assert result.exit_code == 2
    assert "is a file" in result.output


def test_demo_threads_option_sets_torch_threads(runner, data_dir) -> None:
    import torch

    before = torch.get_num_threads()
    try:
        result = invoke(
            runner, data_dir, "demo", "transposed-conv", "--threads", "1", "--json"
        )
        assert result.exit_code == 0, result.output
        assert torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(before)
