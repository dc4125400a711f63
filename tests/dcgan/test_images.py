"""Sample grids and the loss-curve plot."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PIL import Image

from dcgan_quiz.dcgan.images import make_grid, save_grid, save_loss_curve


def test_grid_layout_and_pixels():
    images = torch.full((3, 1, 4, 4), -1.0)
    images[1] = 1.0

    grid = make_grid(images, nrow=2, padding=1)

    # 2 columns and 2 rows of 4x4 tiles with 1-pixel padding.
    assert grid.shape == (11, 11, 1)
    assert grid[1:5, 1:5].max() == 0
    assert grid[1:5, 6:10].min() == 255
    assert grid[0].max() == 0


def test_save_grid_rgb_png(tmp_path):
    images = torch.rand(64, 3, 8, 8) * 2 - 1

    path = save_grid(images, tmp_path / "deep" / "grid.png")

    with Image.open(path) as grid:
        assert grid.mode == "RGB"
        assert grid.size == (8 * 10 + 2, 8 * 10 + 2)


def test_save_grid_gray_png(tmp_path):
    path = save_grid(torch.zeros(4, 1, 8, 8), tmp_path / "grid.png")

    with Image.open(path) as grid:
        assert grid.mode == "L"
        assert np.asarray(grid)[2, 2] == 128


def test_grid_rejects_wrong_shape():
    with pytest.raises(ValueError, match="expected images of shape"):
        make_grid(torch.zeros(4, 2, 8, 8))


def test_loss_curve_png(tmp_path):
    history = {
        "loss_d": [1.4, 1.0, 0.8],
        "loss_g": [0.7, 1.2, 1.5],
        "d_real": [0.5, 0.7, 0.8],
    }

    path = save_loss_curve(history, tmp_path / "losses.png", title="test")

    with Image.open(path) as plot:
        assert plot.size == (800, 600)
