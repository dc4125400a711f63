"""Fixtures for the model tests: small image sets and a tiny training config."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from dcgan_quiz.dcgan.config import DCGANConfig
from dcgan_quiz.dcgan.data import load_digits


@pytest.fixture(scope="session", autouse=True)
def single_thread():
    """Run torch on one thread while these tests run.

    The models here are tiny. On a 2-core machine that is also running other
    processes, two OpenMP threads wait for each other at every barrier. A step
    of the tiny config took about 4 ms on one thread and 50 to 260 ms on two
    (torch 2.13 CPU, measured with a loop of gan_step calls).
    """
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="session")
def digits16(tmp_path_factory) -> torch.Tensor:
    """The scikit-learn digits at 16x16, (1797, 1, 16, 16) in [-1, 1]."""
    images, _ = load_digits(16, tmp_path_factory.mktemp("digits-cache"))
    return images


@pytest.fixture
def tiny_config() -> DCGANConfig:
    """A 16x16 grayscale model small enough for a step in milliseconds."""
    return DCGANConfig(nz=16, ngf=8, ndf=8, nc=1, image_size=16, batch_size=8)


@pytest.fixture
def tiny_images() -> torch.Tensor:
    """64 random 16x16 grayscale images in [-1, 1]: 8 batches of 8."""
    generator = torch.Generator().manual_seed(0)
    return torch.rand(64, 1, 16, 16, generator=generator) * 2 - 1


def random_uint8(shape: tuple[int, ...], seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, shape, dtype=np.uint8)
