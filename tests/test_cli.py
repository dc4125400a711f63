import json
import os
import re
import sqlite3
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from dcgan_quiz.cli import app

ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[a-zA-Z]")


@pytest.fixture
def runner():
    return CliRunner()


def run_cli(*arguments, env=None, stdin=None):
    """Run the installed program in a subprocess, as a user's shell would."""
    return subprocess.run(
        [sys.executable, "-m", "dcgan_quiz", *arguments],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        stdin=stdin,
        timeout=60,
    )


def stored_attempts(home):
    connection = sqlite3.connect(home / "progress.sqlite3")
    rows = connection.execute("SELECT question_id, rating FROM attempts ORDER BY id")
    return rows.fetchall()


def test_version(runner):
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.startswith("dcgan-quiz ")


def test_list_json_fields(runner, mini_bank_path):
    result = runner.invoke(app, ["list", "--bank", str(mini_bank_path), "--json"])
    assert result.exit_code == 0, result.output
    items = json.loads(result.output)
    assert [item["id"] for item in items] == ["why-adam", "generator-role", "third"]
    first = items[0]
    assert first["topic"] == "optimizer"
    assert first["demo"] == "adam"
    assert first["languages"] == ["en", "ko"]
    assert first["next_due"] is None


def test_show_prints_answer_and_demo(runner, mini_bank_path):
    result = runner.invoke(
        app, ["show", "why-adam", "--bank", str(mini_bank_path), "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    assert "Radford et al. lowered lr" in result.output
    assert "dcgan-quiz demo adam" in result.output


def test_show_json(runner, mini_bank_path):
    result = runner.invoke(
        app, ["show", "why-adam", "--bank", str(mini_bank_path), "--json"]
    )
    data = json.loads(result.output)
    assert data["id"] == "why-adam"
    assert data["demos"] == ["adam"]
    assert len(data["key_points"]) == 3


def test_show_unknown_id_is_one_line_error(runner, mini_bank_path):
    result = runner.invoke(app, ["show", "nope", "--bank", str(mini_bank_path)])
    assert result.exit_code == 2
    assert "no question 'nope'" in result.output
    assert "why-adam" in result.output
    assert "Traceback" not in result.output


def test_unknown_bank_is_clear_error(runner):
    result = runner.invoke(app, ["list", "--bank", "no-such-bank"])
    assert result.exit_code == 2
    assert "no-such-bank" in result.output
    assert "Traceback" not in result.output


def test_bad_options_name_the_value(runner, mini_bank_path):
    for arguments, value in [
        (["--lang", "fr"], "'fr'"),
        (["--mode", "essay"], "'essay'"),
        (["--order", "alpha"], "'alpha'"),
        (["--topic", "music"], "'music'"),
    ]:
        result = runner.invoke(
            app, ["start", "--bank", str(mini_bank_path), *arguments]
        )
        assert result.exit_code == 2, arguments
        assert value in result.output


def test_start_with_fewer_answers_than_questions(runner, mini_bank_path, data_home):
    result = runner.invoke(
        app,
        ["start", "--bank", str(mini_bank_path), "--lang", "en"],
        input="lr 2e-4 and beta1 0.5\n",
    )
    assert result.exit_code == 0, result.output
    assert "End of input. 1 answer(s) saved" in result.output
    assert stored_attempts(data_home) == [("why-adam", 3)]


def test_stats_json_after_answers(runner, mini_bank_path, data_home):
    runner.invoke(
        app,
        ["start", "--bank", str(mini_bank_path), "--lang", "en", "--limit", "2"],
        input="lr 2e-4\n\n\nnoise image\n\n4\n",
    )
    result = runner.invoke(app, ["stats", "--bank", str(mini_bank_path), "--json"])
    data = json.loads(result.output)
    assert data["attempts"] == 2
    by_id = {item["id"]: item for item in data["questions"]}
    assert by_id["why-adam"]["last_coverage"] == pytest.approx(1 / 3)
    assert by_id["why-adam"]["next_due"] is not None
    assert by_id["third"]["last_coverage"] is None


def test_stats_plot_writes_png(runner, mini_bank_path, tmp_path):
    runner.invoke(
        app,
        ["start", "--bank", str(mini_bank_path), "--lang", "en"],
        input="2e-4\n\n\n",
    )
    target = tmp_path / "coverage.png"
    result = runner.invoke(
        app, ["stats", "--bank", str(mini_bank_path), "--plot", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_data_dir_option_overrides_env(runner, mini_bank_path, tmp_path, data_home):
    chosen = tmp_path / "chosen"
    runner.invoke(
        app,
        ["--data-dir", str(chosen), "start", "--bank", str(mini_bank_path)],
        input="2e-4\n\n\n",
    )
    assert stored_attempts(chosen) == [("why-adam", 2)]
    assert not (data_home / "progress.sqlite3").exists()


def test_corrupt_store_moved_aside_and_session_runs(runner, mini_bank_path, data_home):
    data_home.mkdir(parents=True)
    (data_home / "progress.sqlite3").write_bytes(b"garbage" * 1000)
    result = runner.invoke(
        app,
        ["start", "--bank", str(mini_bank_path), "--lang", "en"],
        input="2e-4\n\n\n",
    )
    assert result.exit_code == 0, result.output
    assert "moved to" in result.output
    assert list(data_home.glob("progress.sqlite3.damaged-*"))
    assert stored_attempts(data_home) == [("why-adam", 2)]


def test_validate_reports_file_and_line(runner, tmp_path):
    bank = tmp_path / "bad.yaml"
    bank.write_text(
        "id: bad\ntitle: {en: a, ko: b}\nquestions:\n  - id: q\n    answer: no\n"
    )
    result = runner.invoke(app, ["validate", str(bank)])
    assert result.exit_code == 1
    assert f"{bank}:" in result.output


def test_piped_two_answers_subprocess(mini_bank_path, data_home):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "dcgan_quiz",
            "start",
            "--bank",
            str(mini_bank_path),
            "--limit",
            "2",
            "--lang",
            "en",
        ],
        input="lr 2e-4, beta1 0.5\n\n\n생성자는 노이즈를 이미지로\n\n\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert len(stored_attempts(data_home)) == 2
    assert "Session finished: 2 answer(s) saved" in result.stdout


def test_start_with_dev_null_ends_cleanly(mini_bank_path, data_home):
    with open(os.devnull) as empty:
        result = run_cli("start", "--bank", str(mini_bank_path), stdin=empty)
    assert result.returncode == 0
    assert "Traceback" not in result.stderr
    assert "End of input. 0 answer(s) saved" in result.stdout


def test_list_piped_has_no_escape_codes_and_keeps_hangul(mini_bank_path):
    result = run_cli(
        "list", "--bank", str(mini_bank_path), "--lang", "ko", env={"COLUMNS": "30"}
    )
    assert result.returncode == 0, result.stderr
    assert not ANSI_ESCAPE.search(result.stdout)
    assert "…" not in result.stdout
    # Long lines wrap at a space; joined, the prompt is whole.
    joined = re.sub(r"\s+", " ", result.stdout)
    assert "왜 Adam을 lr 2e-4, beta1 0.5로 썼나요?" in joined


def test_no_color_env_has_no_escape_codes(mini_bank_path):
    result = run_cli(
        "show",
        "why-adam",
        "--bank",
        str(mini_bank_path),
        env={"NO_COLOR": "1", "FORCE_COLOR": "", "TERM": "xterm-256color"},
    )
    assert result.returncode == 0
    assert not ANSI_ESCAPE.search(result.stdout)


def test_help_in_narrow_forced_color_terminal(runner):
    result = runner.invoke(
        app, ["start", "--help"], env={"FORCE_COLOR": "1", "COLUMNS": "40"}
    )
    assert result.exit_code == 0
    plain = re.sub(r"\s+", " ", ANSI_ESCAPE.sub("", result.output))
    assert "--retry-wrong" in plain
    assert "--mode" in plain


def test_show_completion_prints_script_outside_a_shell():
    result = run_cli("--show-completion", "bash", env={"SHELL": ""})
    assert result.returncode == 0, result.stderr
    assert "complete" in result.stdout
    assert "Traceback" not in result.stderr


def test_data_dir_that_is_a_file_is_one_line_error(runner, tmp_path):
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    result = runner.invoke(app, ["--data-dir", str(not_a_folder), "stats"])
    assert result.exit_code == 2
    assert f"the data folder {not_a_folder} is a file" in result.output


@pytest.mark.parametrize("name", ["coverage.txt", "missing/coverage.png", "."])
def test_stats_plot_rejects_bad_paths(runner, mini_bank_path, tmp_path, name):
    target = tmp_path / name
    result = runner.invoke(
        app, ["stats", "--bank", str(mini_bank_path), "--plot", str(target)]
    )
    assert result.exit_code == 2
    assert "--plot" in result.output


def test_show_id_ignores_case(runner, mini_bank_path):
    result = runner.invoke(app, ["show", "WHY-ADAM", "--bank", str(mini_bank_path)])
    assert result.exit_code == 0


def test_broken_pipe_exits_quietly(mini_bank_path):
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "dcgan_quiz",
            "show",
            "why-adam",
            "--bank",
            str(mini_bank_path),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    process.stdout.read(10)
    process.stdout.close()
    _, errors = process.communicate(timeout=60)
    # Rich exits with 1 when its output pipe closes; typer.echo ends up here with 141.
    assert process.returncode in (0, 1, 141)
    assert b"Traceback" not in errors


def test_legacy_korean_encoding_session(mini_bank_path, data_home):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "dcgan_quiz",
            "start",
            "--bank",
            str(mini_bank_path),
            "--lang",
            "ko",
            "--limit",
            "1",
        ],
        input="학습률 2e-4\n\n\n".encode("cp949"),
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "cp949"},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr.decode("cp949")
    assert "저장했습니다".encode("cp949") in result.stdout
    assert stored_attempts(data_home) == [("why-adam", 2)]


def test_stats_narrow_terminal_keeps_ids_whole(mini_bank_path):
    result = run_cli("stats", "--bank", str(mini_bank_path), env={"COLUMNS": "40"})
    assert result.returncode == 0
    assert "generator-role\n" in result.stdout
