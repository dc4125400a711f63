"""Plots are written off-screen, and Korean labels never hit a missing glyph."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from dcgan_quiz.demos import plotting

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
REPOSITORY = Path(__file__).resolve().parents[2]


def test_demo_plot_headless_with_gui_backend(tmp_path: Path, data_dir: Path) -> None:
    """MPLBACKEND names a GUI backend and there is no display; the real demo
    still writes its PNG because plotting forces Agg."""
    environment = {key: value for key, value in os.environ.items() if key != "DISPLAY"}
    environment["MPLBACKEND"] = "TkAgg"
    environment["PYTHONPATH"] = str(REPOSITORY)
    script = (
        "import sys, matplotlib\n"
        "from pathlib import Path\n"
        "from dcgan_quiz.demos.registry import get_demo\n"
        "result = get_demo('sigmoid-output').run(seed=0, steps=40, batch_size=16,\n"
        "    out_dir=Path(sys.argv[1]), cache_dir=Path(sys.argv[2]), device='cpu')\n"
        "print(matplotlib.get_backend())\n"
        "print(result.png)\n"
    )

    completed = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "out"), str(data_dir)],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert completed.returncode == 0, completed.stderr
    backend, png = completed.stdout.split()
    assert backend.lower() == "agg"
    assert Path(png).read_bytes()[:8] == PNG_SIGNATURE


def test_korean_label_without_font_uses_english(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setattr(plotting, "find_hangul_font", lambda: None)
    path = tmp_path / "plot.png"

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with plotting.use_language("ko"):
            title = plotting.label("checkerboard energy", "체커보드 에너지")
            with plotting.figure(path, size=(3, 2)) as (_, axes):
                axes[0, 0].plot([0, 1], [1, 0])
                axes[0, 0].set_title(title)

    assert title == "checkerboard energy"
    assert path.read_bytes()[:8] == PNG_SIGNATURE


@pytest.mark.skipif(
    plotting.find_hangul_font() is not None, reason="a Hangul font is installed"
)
def test_raw_korean_text_warns_without_font(tmp_path: Path) -> None:
    """Control for the test above: without a Hangul font, drawing Hangul does
    warn, so warnings-as-errors would have caught a Korean label."""
    with (
        pytest.raises(UserWarning, match="missing from font"),
        warnings.catch_warnings(),
    ):
        warnings.simplefilter("error")
        with plotting.figure(tmp_path / "raw.png", size=(3, 2)) as (_, axes):
            axes[0, 0].set_title("체커보드")


def test_korean_label_with_font(monkeypatch) -> None:
    monkeypatch.setattr(plotting, "find_hangul_font", lambda: "NanumGothic")

    with plotting.use_language("ko"):
        korean = plotting.label("step", "스텝")
    english = plotting.label("step", "스텝")

    assert korean == "스텝"
    assert english == "step"
