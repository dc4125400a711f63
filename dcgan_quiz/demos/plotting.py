"""PNG plots for the demos, drawn off-screen with matplotlib's Agg backend.

The backend is forced to Agg before pyplot loads, so a plot is written even when
MPLBACKEND names a GUI backend and no display exists. Nothing is shown on
screen. Labels come in English and Korean. Korean is used only when it was
requested (``use_language("ko")``) and a font with Hangul glyphs is installed,
so matplotlib never draws missing-glyph boxes or warns "Glyph ... missing".
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
from collections.abc import Iterator
from pathlib import Path

import matplotlib

matplotlib.use("Agg", force=True)

import matplotlib.pyplot as plt  # noqa: E402  (must follow matplotlib.use)
import numpy as np  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

HANGUL_SAMPLE = "\ud55c"  # the syllable HAN; a font that has it covers Hangul
KNOWN_HANGUL_FAMILIES = (
    "Noto Sans CJK KR",
    "Noto Sans KR",
    "NanumGothic",
    "NanumBarunGothic",
    "Malgun Gothic",
    "AppleGothic",
    "Apple SD Gothic Neo",
    "UnDotum",
    "Baekmuk Gulim",
)
DPI = 100

_language: contextvars.ContextVar[str] = contextvars.ContextVar(
    "plot_language", default="en"
)


@contextlib.contextmanager
def use_language(language: str) -> Iterator[None]:
    """Draw plots in ``language`` ("en" or "ko") inside this block."""
    token = _language.set(language)
    try:
        yield
    finally:
        _language.reset(token)


def font_has_hangul(path: str) -> bool:
    from matplotlib.ft2font import FT2Font

    try:
        return FT2Font(path).get_char_index(ord(HANGUL_SAMPLE)) != 0
    except (OSError, RuntimeError, ValueError):
        return False


@functools.lru_cache(maxsize=1)
def find_hangul_font() -> str | None:
    """Return the family name of an installed font with Hangul glyphs, or None."""
    for entry in font_manager.fontManager.ttflist:
        if entry.name in KNOWN_HANGUL_FAMILIES and font_has_hangul(entry.fname):
            return entry.name
    return None


def korean_enabled() -> bool:
    return _language.get() == "ko" and find_hangul_font() is not None


def label(english: str, korean: str) -> str:
    """Return the Korean text when Korean plots are possible, else the English."""
    return korean if korean_enabled() else english


@contextlib.contextmanager
def figure(
    path: Path, rows: int = 1, columns: int = 1, *, size: tuple[float, float]
) -> Iterator[tuple[Figure, np.ndarray]]:
    """Create a figure with a grid of axes and save it to ``path`` as PNG on exit.

    The Hangul font (when used) must be active while the text is created and
    while it is drawn, so the whole block runs inside one rc_context.
    """
    settings: dict[str, object] = {}
    hangul_font = find_hangul_font() if korean_enabled() else None
    if hangul_font is not None:
        settings = {
            "font.family": [hangul_font, "DejaVu Sans"],
            "axes.unicode_minus": False,
        }
    with matplotlib.rc_context(settings):
        fig, axes = plt.subplots(rows, columns, figsize=size, squeeze=False)
        try:
            yield fig, axes
            fig.tight_layout()
            path.parent.mkdir(parents=True, exist_ok=True)
            fig.savefig(path, dpi=DPI)
        finally:
            plt.close(fig)


def show_images(axis: Axes, images: np.ndarray, columns: int, title: str) -> None:
    """Tile images of shape (N, H, W) with values in [-1, 1] into one grid."""
    count, height, width = images.shape
    rows = -(-count // columns)
    # Mid-grey gaps separate the tiles from the black background of the digits.
    grid = np.full((rows * (height + 1) + 1, columns * (width + 1) + 1), 0.0)
    for index, image in enumerate(images):
        row, column = divmod(index, columns)
        top = 1 + row * (height + 1)
        left = 1 + column * (width + 1)
        grid[top : top + height, left : left + width] = image
    axis.imshow(grid, cmap="gray", vmin=-1.0, vmax=1.0, interpolation="nearest")
    axis.set_title(title, fontsize=9)
    axis.axis("off")


def finish_axis(axis: Axes, *, title: str, xlabel: str, ylabel: str) -> None:
    axis.set_title(title, fontsize=9)
    axis.set_xlabel(xlabel)
    axis.set_ylabel(ylabel)
    axis.grid(alpha=0.3)
    if axis.get_legend_handles_labels()[0]:
        axis.legend(fontsize=7)
