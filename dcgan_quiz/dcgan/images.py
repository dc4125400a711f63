"""Image grids of generated samples and the loss-curve plot, written as PNG.

Both writers work without a display: grids go through Pillow, and the plot
through matplotlib's Agg backend, which is selected before pyplot is imported.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import torch
from PIL import Image


def to_uint8(images: torch.Tensor) -> np.ndarray:
    """Map (N, C, H, W) images in [-1, 1] to uint8 (N, H, W, C) in [0, 255]."""
    pixels = ((images.detach().float().cpu() + 1.0) * 127.5).round().clamp(0, 255)
    return pixels.to(torch.uint8).permute(0, 2, 3, 1).numpy()


def make_grid(images: torch.Tensor, *, nrow: int = 8, padding: int = 2) -> np.ndarray:
    """Tile (N, C, H, W) images in [-1, 1] into one uint8 array (H', W', C).

    The layout follows torchvision's ``make_grid``: ``nrow`` images per row,
    ``padding`` black pixels around each image.

    Raises:
        ValueError: images is not 4-D with 1 or 3 channels, or is empty.
    """
    if images.dim() != 4 or images.size(1) not in (1, 3) or images.size(0) == 0:
        raise ValueError(
            f"expected images of shape (N, 1 or 3, H, W) with N > 0, "
            f"got {tuple(images.shape)}"
        )
    pixels = to_uint8(images)
    count, height, width, channels = pixels.shape
    columns = min(nrow, count)
    rows = math.ceil(count / columns)
    grid = np.zeros(
        (
            rows * (height + padding) + padding,
            columns * (width + padding) + padding,
            channels,
        ),
        dtype=np.uint8,
    )
    for index in range(count):
        row, column = divmod(index, columns)
        top = padding + row * (height + padding)
        left = padding + column * (width + padding)
        grid[top : top + height, left : left + width] = pixels[index]
    return grid


def save_grid(
    images: torch.Tensor, path: Path, *, nrow: int = 8, padding: int = 2
) -> Path:
    """Write (N, C, H, W) images in [-1, 1] as one PNG grid and return its path.

    Parent folders are created. See ``make_grid`` for the layout.
    """
    grid = make_grid(images, nrow=nrow, padding=padding)
    image = Image.fromarray(grid[:, :, 0] if grid.shape[2] == 1 else grid)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, format="PNG")
    return path


def save_loss_curve(
    history: Mapping[str, Sequence[float]], path: Path, *, title: str = ""
) -> Path:
    """Plot the per-step losses and D's outputs to a PNG and return its path.

    Args:
        history: lists keyed ``loss_d``, ``loss_g``, ``d_real``,
            ``d_fake_before`` and ``d_fake_after``, one value per step, as
            ``train`` records them. Missing keys are left out of the plot.
        path: the PNG to write; parent folders are created.
        title: shown above the top panel.
    """
    import matplotlib

    matplotlib.use("Agg")  # no display: write files only, never open a window
    import matplotlib.pyplot as plt

    figure, (loss_axes, output_axes) = plt.subplots(
        2, 1, figsize=(8, 6), sharex=True, constrained_layout=True
    )
    try:
        plot_series(loss_axes, history, {"loss_d": "Loss_D", "loss_g": "Loss_G"})
        loss_axes.set_ylabel("BCE loss")
        loss_axes.set_title(title)
        labels = {
            "d_real": "D(x)",
            "d_fake_before": "D(G(z)) before D step",
            "d_fake_after": "D(G(z)) after D step",
        }
        plot_series(output_axes, history, labels)
        output_axes.set_ylabel("mean D output")
        output_axes.set_ylim(-0.02, 1.02)
        output_axes.set_xlabel("step")
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        figure.savefig(path, dpi=100)
    finally:
        plt.close(figure)
    return path


def plot_series(axes, history: Mapping[str, Sequence[float]], labels) -> None:
    """Draw each history series named in labels; steps count from 1."""
    for key, label in labels.items():
        values = history.get(key)
        if values:
            axes.plot(range(1, len(values) + 1), values, label=label, linewidth=0.8)
    if axes.lines:
        axes.legend(loc="upper right")
