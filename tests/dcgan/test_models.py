"""Shapes, parameter counts and initialisation of G and D."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from dcgan_quiz.dcgan.models import IMAGE_SIZES, Discriminator, Generator


def count_parameters(module: nn.Module) -> int:
    return sum(parameter.numel() for parameter in module.parameters())


@pytest.mark.parametrize("nc", [1, 3])
@pytest.mark.parametrize("image_size", IMAGE_SIZES)
def test_output_shapes_every_size(image_size, nc):
    netG = Generator(16, 8, nc, image_size=image_size)
    netD = Discriminator(nc, 8, image_size=image_size)
    with torch.no_grad():
        fake = netG(torch.randn(2, 16, 1, 1))
        scores = netD(fake)

    assert fake.shape == (2, nc, image_size, image_size)
    assert scores.shape == (2,)
    assert fake.min() >= -1.0
    assert fake.max() <= 1.0
    assert scores.min() >= 0.0
    assert scores.max() <= 1.0


def test_parameter_counts_canonical():
    assert count_parameters(Generator(100, 64, 3, image_size=64)) == 3_576_704
    assert count_parameters(Discriminator(3, 64, image_size=64)) == 2_765_568


@pytest.mark.parametrize("image_size", [8, 24, 48, 256])
def test_unsupported_size_names_allowed(image_size):
    for build in (
        lambda: Generator(16, 8, 1, image_size=image_size),
        lambda: Discriminator(1, 8, image_size=image_size),
    ):
        with pytest.raises(ValueError) as raised:
            build()
        assert f"image size {image_size}" in str(raised.value)
        assert "16, 32, 64, 128" in str(raised.value)


def test_init_statistics_canonical():
    torch.manual_seed(0)
    for model in (Generator(100, 64, 3), Discriminator(3, 64)):
        convolutions = [
            module.weight
            for module in model.modules()
            if isinstance(module, nn.Conv2d | nn.ConvTranspose2d)
        ]
        batch_norms = [
            module for module in model.modules() if isinstance(module, nn.BatchNorm2d)
        ]
        weights = torch.cat([weight.detach().flatten() for weight in convolutions])
        scales = torch.cat([norm.weight.detach() for norm in batch_norms])
        shifts = torch.cat([norm.bias.detach() for norm in batch_norms])

        assert abs(weights.std().item() - 0.02) < 0.001
        assert abs(weights.mean().item()) < 0.001
        assert abs(scales.mean().item() - 1.0) < 0.005
        assert abs(scales.std().item() - 0.02) < 0.005
        assert torch.all(shifts == 0)
