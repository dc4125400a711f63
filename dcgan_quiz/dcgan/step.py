"""One DCGAN training step in the canonical order, shared by `train` and the demos.

The order follows the PyTorch DCGAN example: D on a real batch with label 1,
D on a detached fake batch with label 0, one D update, then G through D with
the labels set to real (the non-saturating loss of Goodfellow et al. 2014,
arXiv:1406.2661, section 3).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

import torch
import torch.nn.functional as F
from torch import nn

from dcgan_quiz.dcgan.distributed import unwrap_model

REAL_LABEL = 1.0
FAKE_LABEL = 0.0

GeneratorLoss = Literal["non-saturating", "saturating"]


class TrainingDiverged(RuntimeError):
    """A loss or G's output became NaN or infinite."""

    def __init__(self, step: int, values: dict[str, float]) -> None:
        self.step = step
        self.values = values
        shown = ", ".join(f"{name}={value:.4g}" for name, value in values.items())
        super().__init__(
            f"training diverged at step {step}: {shown}; "
            "lower the learning rate or check the data for NaN or Inf"
        )


@dataclass(frozen=True)
class StepMetrics:
    """Measurements of one step. d_fake_before is D(G(z)) before D's update,
    d_fake_after the same batch scored again by the updated D in G's step."""

    step: int
    loss_d: float
    loss_g: float
    d_real: float
    d_fake_before: float
    d_fake_after: float


def binary_cross_entropy(
    output: torch.Tensor, label: float, *, logits: bool
) -> torch.Tensor:
    """BCE of D's output against a constant label; logits use the stable form."""
    target = torch.full_like(output, label)
    if logits:
        return F.binary_cross_entropy_with_logits(output, target)
    return F.binary_cross_entropy(output, target)


def as_probability(output: torch.Tensor, *, logits: bool) -> torch.Tensor:
    return torch.sigmoid(output) if logits else output


def check_finite(step: int, **tensors: torch.Tensor) -> None:
    """Raise TrainingDiverged if any tensor contains NaN or Inf.

    This runs before BCELoss sees the values: on a NaN input BCELoss raises
    "all elements of input should be between 0 and 1", which hides the cause.
    """
    if all(torch.isfinite(tensor.detach()).all() for tensor in tensors.values()):
        return
    values = {
        name: tensor.detach().float().mean().item() for name, tensor in tensors.items()
    }
    raise TrainingDiverged(step, values)


def sample_noise(
    batch_size: int, nz: int, device: torch.device | str, generator=None
) -> torch.Tensor:
    """Return z ~ N(0, I) of shape (batch_size, nz, 1, 1)."""
    return torch.randn(batch_size, nz, 1, 1, device=device, generator=generator)


def gan_step(
    netG: nn.Module,
    netD: nn.Module,
    real: torch.Tensor,
    *,
    optimizerG: torch.optim.Optimizer,
    optimizerD: torch.optim.Optimizer,
    nz: int,
    step: int = 0,
    logits: bool = False,
    generator_loss: GeneratorLoss = "non-saturating",
    noise: torch.Tensor | None = None,
) -> StepMetrics:
    """Run one D update and one G update on a real batch.

    D's parameters receive no gradient from G's update, so after the call
    their ``.grad`` still contains the gradients of D's own update.

    Args:
        logits: D returns raw scores (no Sigmoid), so BCEWithLogitsLoss is used.
        generator_loss: "non-saturating" minimises -log D(G(z)) (labels set to
            real); "saturating" minimises log(1 - D(G(z))), the original minimax
            form, which gives G almost no gradient once D rejects its samples.
        noise: z for this step; drawn from N(0, I) when None.

    Raises:
        TrainingDiverged: a loss, D's output or G's output is NaN or infinite.
    """
    batch_size = real.size(0)
    check_finite(step, real=real)

    # Update D: maximize log D(x) + log(1 - D(G(z))).
    netD.zero_grad(set_to_none=True)
    output_real = netD(real)
    check_finite(step, d_real=output_real)
    loss_d_real = binary_cross_entropy(output_real, REAL_LABEL, logits=logits)
    loss_d_real.backward()

    if noise is None:
        noise = sample_noise(batch_size, nz, real.device)
    fake = netG(noise)
    check_finite(step, generator_output=fake)
    # detach: this half trains D only, so no gradient flows into G.
    output_fake = netD(fake.detach())
    check_finite(step, d_fake=output_fake)
    loss_d_fake = binary_cross_entropy(output_fake, FAKE_LABEL, logits=logits)
    loss_d_fake.backward()
    loss_d = loss_d_real + loss_d_fake
    check_finite(step, loss_d=loss_d)
    optimizerD.step()

    # Update G: maximize log D(G(z)), scored by the D just updated.
    netG.zero_grad(set_to_none=True)
    # D's weights are frozen here: this backward needs only the gradient with
    # respect to D's input, and D's weight gradients would be cleared unused
    # at the next step. Skipping them made a 64x64 step (ngf = ndf = 64, batch
    # 64) about 8% faster on one CPU thread with torch 2.13.
    # Under DDP the bare module is called, because this pass syncs no D
    # gradients, while the wrapper would expect every parameter to get one.
    discriminator = unwrap_model(netD)
    with frozen(discriminator):
        output = discriminator(fake)
        check_finite(step, d_fake_after=output)
        loss_g = generator_objective(output, generator_loss, logits=logits)
        check_finite(step, loss_g=loss_g)
        loss_g.backward()
    optimizerG.step()

    return StepMetrics(
        step=step,
        loss_d=loss_d.item(),
        loss_g=loss_g.item(),
        d_real=as_probability(output_real, logits=logits).mean().item(),
        d_fake_before=as_probability(output_fake, logits=logits).mean().item(),
        d_fake_after=as_probability(output, logits=logits).mean().item(),
    )


def generator_objective(
    output: torch.Tensor, generator_loss: GeneratorLoss, *, logits: bool
) -> torch.Tensor:
    """Return G's loss on D's scores of the fake batch."""
    if generator_loss == "non-saturating":
        return binary_cross_entropy(output, REAL_LABEL, logits=logits)
    if generator_loss == "saturating":
        # log(1 - D(G(z))) = -BCE(D(G(z)), 0)
        return -binary_cross_entropy(output, FAKE_LABEL, logits=logits)
    raise ValueError(
        f"unknown generator loss {generator_loss!r}; use non-saturating or saturating"
    )


@contextmanager
def frozen(module: nn.Module) -> Iterator[None]:
    """Turn off requires_grad for the module's parameters inside the block.

    Parameters that were already frozen stay frozen afterwards.
    """
    parameters = [p for p in module.parameters() if p.requires_grad]
    for parameter in parameters:
        parameter.requires_grad_(False)
    try:
        yield
    finally:
        for parameter in parameters:
            parameter.requires_grad_(True)


def adam_optimizers(
    netG: nn.Module, netD: nn.Module, *, lr: float, beta1: float, beta2: float = 0.999
) -> tuple[torch.optim.Adam, torch.optim.Adam]:
    """Return the paper's optimizers for G and D, in that order."""
    optimizerG = torch.optim.Adam(netG.parameters(), lr=lr, betas=(beta1, beta2))
    optimizerD = torch.optim.Adam(netD.parameters(), lr=lr, betas=(beta1, beta2))
    return optimizerG, optimizerD
