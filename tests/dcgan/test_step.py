"""One GAN step: weights move, metrics are finite, NaN stops training."""

from __future__ import annotations

import math

import pytest
import torch

from dcgan_quiz.dcgan.models import Discriminator, Generator
from dcgan_quiz.dcgan.step import TrainingDiverged, adam_optimizers, gan_step


def build(lr: float = 2e-4):
    torch.manual_seed(0)
    netG = Generator(16, 8, 1, image_size=16)
    netD = Discriminator(1, 8, image_size=16)
    optimizerG, optimizerD = adam_optimizers(netG, netD, lr=lr, beta1=0.5)
    return netG, netD, optimizerG, optimizerD


def snapshot(module: torch.nn.Module) -> list[torch.Tensor]:
    return [parameter.detach().clone() for parameter in module.parameters()]


def test_step_changes_weights(tiny_images):
    netG, netD, optimizerG, optimizerD = build()
    before_g, before_d = snapshot(netG), snapshot(netD)

    metrics = gan_step(
        netG,
        netD,
        tiny_images[:8],
        optimizerG=optimizerG,
        optimizerD=optimizerD,
        nz=16,
        step=1,
    )

    for name in ("loss_d", "loss_g", "d_real", "d_fake_before", "d_fake_after"):
        assert math.isfinite(getattr(metrics, name)), name
    assert metrics.step == 1
    for old, new in zip(before_g, netG.parameters(), strict=True):
        assert not torch.equal(old, new)
    for old, new in zip(before_d, netD.parameters(), strict=True):
        assert not torch.equal(old, new)


def test_step_restores_d_requires_grad(tiny_images):
    netG, netD, optimizerG, optimizerD = build()
    gan_step(
        netG,
        netD,
        tiny_images[:8],
        optimizerG=optimizerG,
        optimizerD=optimizerD,
        nz=16,
    )

    assert all(parameter.requires_grad for parameter in netD.parameters())


def test_g_update_leaves_d_gradients(tiny_images):
    """D's .grad after the step equals the gradient of D's own loss."""
    netG, netD, optimizerG, optimizerD = build()
    noise = torch.randn(8, 16, 1, 1)
    real = tiny_images[:8]
    reference = Discriminator(1, 8, image_size=16)
    reference.load_state_dict(netD.state_dict())
    with torch.no_grad():
        fake = netG(noise)
    loss = torch.nn.functional.binary_cross_entropy(
        reference(real), torch.ones(8)
    ) + torch.nn.functional.binary_cross_entropy(reference(fake), torch.zeros(8))
    loss.backward()

    gan_step(
        netG,
        netD,
        real,
        optimizerG=optimizerG,
        optimizerD=optimizerD,
        nz=16,
        noise=noise,
    )

    for expected, parameter in zip(
        reference.parameters(), netD.parameters(), strict=True
    ):
        torch.testing.assert_close(parameter.grad, expected.grad)


def test_nan_noise_raises_diverged(tiny_images):
    netG, netD, optimizerG, optimizerD = build()
    noise = torch.randn(8, 16, 1, 1)
    noise[0, 0] = float("nan")

    with pytest.raises(TrainingDiverged) as raised:
        gan_step(
            netG,
            netD,
            tiny_images[:8],
            optimizerG=optimizerG,
            optimizerD=optimizerD,
            nz=16,
            step=7,
            noise=noise,
        )

    assert "training diverged at step 7" in str(raised.value)
    assert "between 0 and 1" not in str(raised.value)
    assert raised.value.step == 7


def test_huge_lr_raises_diverged(tiny_images):
    """lr 10 only saturates D (BCE clamps at 100); 1e20 overflows to NaN."""
    netG, netD, optimizerG, optimizerD = build(lr=1e20)

    with pytest.raises(TrainingDiverged, match="training diverged at step"):
        for step in range(1, 21):
            gan_step(
                netG,
                netD,
                tiny_images[:8],
                optimizerG=optimizerG,
                optimizerD=optimizerD,
                nz=16,
                step=step,
            )


def test_nan_real_batch_raises_diverged(tiny_images):
    netG, netD, optimizerG, optimizerD = build()
    real = tiny_images[:8].clone()
    real[3, 0, 5, 5] = float("inf")

    with pytest.raises(TrainingDiverged, match="training diverged at step 2"):
        gan_step(
            netG,
            netD,
            real,
            optimizerG=optimizerG,
            optimizerD=optimizerD,
            nz=16,
            step=2,
        )
