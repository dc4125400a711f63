"""`dcgan-quiz train` through Typer's CliRunner: files written and error lines."""

from __future__ import annotations

import os

import pytest
import torch
from typer.testing import CliRunner

from dcgan_quiz.cli import app
from dcgan_quiz.dcgan.checkpoints import load_checkpoint
from dcgan_quiz.dcgan.data import DIGITS_LEARNING_RATE

TINY = ["--image-size", "16", "--nz", "16", "--ngf", "8", "--ndf", "8"]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def invoke_train(runner: CliRunner, *arguments: str):
    result = runner.invoke(app, ["train", *arguments])
    assert "Traceback" not in result.output
    return result


def test_train_digits_writes_files(runner, tmp_path):
    out = tmp_path / "run"

    result = invoke_train(
        runner, "--data", "digits", *TINY, "--max-steps", "2", "--out", str(out)
    )

    assert result.exit_code == 0, result.output
    assert "Training a 16x16 DCGAN (nc 1, nz 16, ngf 8, ndf 8)" in result.output
    assert "on 1797 images" in result.output
    assert "[1/25][2/2] Loss_D: " in result.output
    assert "Trained steps 1-2" in result.output
    for path in ("samples/final.png", "losses.png", "checkpoints/final.pt"):
        assert (out / path).is_file(), path
        assert str(out / path) in result.output
    saved = load_checkpoint(out / "checkpoints" / "final.pt")
    assert saved.step == 2
    assert saved.config.nc == 1
    assert saved.config.lr == DIGITS_LEARNING_RATE


def test_train_explicit_lr_kept(runner, tmp_path):
    out = tmp_path / "run"

    result = invoke_train(
        runner, *TINY, "--lr", "0.0002", "--max-steps", "1", "--out", str(out)
    )

    assert result.exit_code == 0, result.output
    assert load_checkpoint(out / "checkpoints" / "final.pt").config.lr == 2e-4


def test_train_resume_takes_checkpoint_settings(runner, tmp_path):
    out = tmp_path / "run"
    first = invoke_train(
        runner,
        *TINY,
        "--batch-size",
        "16",
        "--seed",
        "3",
        "--max-steps",
        "1",
        "--out",
        str(out),
    )
    assert first.exit_code == 0, first.output

    result = invoke_train(
        runner,
        "--resume",
        str(out / "checkpoints" / "final.pt"),
        "--max-steps",
        "2",
        "--out",
        str(out),
    )

    assert result.exit_code == 0, result.output
    assert "Resuming after step 1." in result.output
    saved = load_checkpoint(out / "checkpoints" / "final.pt")
    assert saved.step == 2
    assert saved.seed == 3
    assert saved.config.batch_size == 16
    assert saved.config.ngf == 8


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--image-size", "24"], "image size 24 is not supported"),
        (["--data", "/nonexistent/images"], "/nonexistent/images: no such file"),
        ([*TINY, "--nc", "2"], "nc must be 1 (grayscale) or 3 (RGB)"),
        ([*TINY, "--device", "tpu"], "unknown device 'tpu'"),
        ([*TINY, "--lr", "-1"], "lr must be a positive finite number"),
        ([*TINY, "--lr", "nan"], "lr must be a positive finite number"),
        ([*TINY, "--lr", "inf"], "lr must be a positive finite number"),
        ([*TINY, "--batch-size", "5000"], "lower --batch-size"),
        (["--resume", "/nonexistent/final.pt"], "checkpoint not found"),
    ],
)
def test_train_user_errors(runner, tmp_path, arguments, message):
    result = invoke_train(runner, *arguments, "--out", str(tmp_path / "run"))

    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error: ")
    assert message in lines[0]


def test_train_divergence_exits_1(runner, tmp_path):
    result = invoke_train(
        runner, *TINY, "--lr", "1e20", "--max-steps", "20", "--out", str(tmp_path)
    )

    assert result.exit_code == 1
    error_lines = [line for line in result.output.splitlines() if "Error:" in line]
    assert len(error_lines) == 1
    assert "training diverged at step" in error_lines[0]


def test_train_malicious_resume_rejected(runner, tmp_path):
    marker = tmp_path / "pwned"

    class Exploit:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    checkpoint = tmp_path / "evil.pt"
    torch.save({"payload": Exploit()}, checkpoint)

    result = invoke_train(runner, "--resume", str(checkpoint), "--out", str(tmp_path))

    assert result.exit_code == 2
    assert "rejected" in result.output
    assert not marker.exists()


def test_train_out_that_is_a_file_fails_before_training(runner, tmp_path):
    not_a_folder = tmp_path / "afile"
    not_a_folder.write_text("x")
    result = invoke_train(runner, *TINY, "--max-steps", "2", "--out", str(not_a_folder))
    assert result.exit_code == 2
    assert "is a file" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("content", [b"hello\n", b'{"a": 1}', bytes(range(256)) * 2])
def test_train_resume_from_junk_is_one_line_error(runner, tmp_path, content):
    junk = tmp_path / "junk.pt"
    junk.write_bytes(content)
    result = invoke_train(runner, "--resume", str(junk), "--out", str(tmp_path / "r"))
    assert result.exit_code == 2
    assert str(junk) in result.output
    assert "weights_only" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_train_resume_with_mismatched_weights_is_error(runner, tmp_path):
    import torch

    first = tmp_path / "first"
    invoke_train(runner, *TINY, "--max-steps", "1", "--out", str(first))
    checkpoint = first / "checkpoints" / "final.pt"
    data = torch.load(checkpoint, weights_only=True)
    data["generator"] = {"unexpected": torch.zeros(1)}
    torch.save(data, checkpoint)

    result = invoke_train(runner, "--resume", str(checkpoint), "--out", str(first))
    assert result.exit_code == 2
    assert "do not fit" in result.output
