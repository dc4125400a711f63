"""Shared setup for the demos: the digits at 16x16 and seeded DCGANs built from
the real classes in ``dcgan_quiz.dcgan``.

Every demo trains at the same small size: 16x16 grayscale digits (nc 1),
ngf = ndf = 32, nz 100, batch 64, channels_last memory layout. At this size one
``gan_step`` took about 14 ms on an idle 2-core CPU machine (torch 2.13,
100-step loop), so a few hundred steps fit in a quick demo.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from torch import nn

from dcgan_quiz.dcgan.data import load_digits
from dcgan_quiz.dcgan.models import Discriminator, Generator
from dcgan_quiz.dcgan.step import StepMetrics, adam_optimizers, gan_step
from dcgan_quiz.demos import catalog
from dcgan_quiz.demos.result import DemoResult, Measurement, format_value

IMAGE_SIZE = 16
CHANNELS = 1
FEATURES = 32  # ngf and ndf
NOISE_SIZE = 100
BATCH_SIZE = 64
LEARNING_RATE = 2e-4
BETA1 = 0.5

ProgressCallback = Callable[[int, int], None]


def resolve_device(name: str | torch.device) -> torch.device:
    """Return the torch device for "auto", "cpu", "cuda" or "mps".

    "auto" picks CUDA, then MPS, then the CPU. Raises ValueError for a device
    this machine does not have.
    """
    if isinstance(name, torch.device):
        return name
    if name == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        if torch.backends.mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    if name == "cuda" and not torch.cuda.is_available():
        raise ValueError("device cuda is not available; use --device cpu or auto")
    if name == "mps" and not torch.backends.mps.is_available():
        raise ValueError("device mps is not available; use --device cpu or auto")
    if name not in ("cpu", "cuda", "mps"):
        raise ValueError(f"unknown device {name!r}; use auto, cpu, cuda or mps")
    return torch.device(name)


@dataclass(frozen=True)
class StepBudget:
    """A demo's training steps: the quick and full defaults, and the fewest
    with which its measurements can decide its claim."""

    quick: int
    full: int
    minimum: int = 1

    def choose(self, steps: int | None, quick: bool) -> int:
        """Return the caller's step count, else the quick or full default.

        Raises:
            ValueError: the caller's count is below the minimum.
        """
        if steps is None:
            return self.quick if quick else self.full
        if steps < self.minimum:
            raise ValueError(
                f"--steps {steps} is too few to test this claim; use at least "
                f"{self.minimum}, or leave --steps out for {self.quick}"
            )
        return steps


def to_channels_last(module: nn.Module) -> nn.Module:
    return module.to(memory_format=torch.channels_last)


def load_real_images(
    cache_dir: Path | None, device: torch.device
) -> tuple[torch.Tensor, torch.Tensor]:
    """Return the 1,797 digits at 16x16 in [-1, 1] on ``device``, and their labels."""
    images, labels = load_digits(IMAGE_SIZE, cache_dir)
    images = images.to(device).contiguous(memory_format=torch.channels_last)
    return images, labels.to(device)


def build_generator(seed: int, device: torch.device, **options: Any) -> Generator:
    """Return a seeded Generator at the demo size; options go to Generator."""
    torch.manual_seed(seed)
    netG = Generator(NOISE_SIZE, FEATURES, CHANNELS, image_size=IMAGE_SIZE, **options)
    return to_channels_last(netG.to(device))


def build_discriminator(
    seed: int, device: torch.device, **options: Any
) -> Discriminator:
    """Return a seeded Discriminator at the demo size; options go to Discriminator."""
    torch.manual_seed(seed + 1)  # differs from G's seed so the weights differ
    netD = Discriminator(CHANNELS, FEATURES, image_size=IMAGE_SIZE, **options)
    return to_channels_last(netD.to(device))


class BatchStream:
    """An endless, seeded stream of random batches drawn from ``images``."""

    def __init__(self, images: torch.Tensor, batch_size: int, seed: int) -> None:
        self.images = images
        self.batch_size = batch_size
        self.generator = torch.Generator().manual_seed(seed)

    def __iter__(self) -> Iterator[torch.Tensor]:
        return self

    def __next__(self) -> torch.Tensor:
        indices = torch.randint(
            0, self.images.size(0), (self.batch_size,), generator=self.generator
        )
        return self.images[indices.to(self.images.device)]


class Progress:
    """Counts steps over all phases of a demo and reports them to a callback."""

    def __init__(self, total: int, callback: ProgressCallback | None) -> None:
        self.total = total
        self.done = 0
        self.callback = callback
        self.report()

    def advance(self, count: int = 1) -> None:
        self.done = min(self.total, self.done + count)
        self.report()

    def finish(self) -> None:
        self.done = self.total
        self.report()

    def report(self) -> None:
        if self.callback is not None:
            self.callback(self.done, self.total)


@dataclass
class TrainingRun:
    """A G and D pair with their optimizers, trained one gan_step at a time."""

    netG: nn.Module
    netD: nn.Module
    optimizerG: torch.optim.Optimizer
    optimizerD: torch.optim.Optimizer
    logits: bool = False
    generator_loss: str = "non-saturating"

    def train(
        self,
        batches: Iterator[torch.Tensor],
        steps: int,
        progress: Progress | None = None,
        on_step: Callable[[StepMetrics], None] | None = None,
    ) -> list[StepMetrics]:
        """Run ``steps`` gan_steps and return their metrics.

        Raises TrainingDiverged from gan_step when a loss becomes NaN or Inf.
        """
        history = []
        for step in range(steps):
            metrics = gan_step(
                self.netG,
                self.netD,
                next(batches),
                optimizerG=self.optimizerG,
                optimizerD=self.optimizerD,
                nz=NOISE_SIZE,
                step=step,
                logits=self.logits,
                generator_loss=self.generator_loss,  # type: ignore[arg-type]
            )
            history.append(metrics)
            if on_step is not None:
                on_step(metrics)
            if progress is not None:
                progress.advance()
        return history


OPTIMIZERS = ("adam-beta1-0.5", "adam-beta1-0.9", "sgd-momentum-0.9", "rmsprop")


def make_optimizer(
    kind: str, parameters: Iterator[nn.Parameter], lr: float = LEARNING_RATE
) -> torch.optim.Optimizer:
    """Return one of OPTIMIZERS for ``parameters`` at learning rate ``lr``.

    beta2 stays at Adam's default 0.999 and RMSprop at its default alpha 0.99.
    """
    if kind == "adam-beta1-0.5":
        return torch.optim.Adam(parameters, lr=lr, betas=(0.5, 0.999))
    if kind == "adam-beta1-0.9":
        return torch.optim.Adam(parameters, lr=lr, betas=(0.9, 0.999))
    if kind == "sgd-momentum-0.9":
        return torch.optim.SGD(parameters, lr=lr, momentum=0.9)
    if kind == "rmsprop":
        return torch.optim.RMSprop(parameters, lr=lr)
    raise ValueError(f"unknown optimizer {kind!r}; use one of {', '.join(OPTIMIZERS)}")


def optimizer_run(
    netG: nn.Module, netD: nn.Module, kind: str, **options: Any
) -> TrainingRun:
    """Return a TrainingRun with optimizer ``kind`` for both G and D."""
    return TrainingRun(
        netG,
        netD,
        make_optimizer(kind, netG.parameters()),
        make_optimizer(kind, netD.parameters()),
        **options,
    )


def adam_run(
    netG: nn.Module,
    netD: nn.Module,
    *,
    lr: float = LEARNING_RATE,
    beta1: float = BETA1,
    **options: Any,
) -> TrainingRun:
    """Return a TrainingRun with Adam at the DCGAN paper's lr 2e-4 and beta1 0.5
    (Radford, Metz and Chintala 2015, arXiv:1511.06434)."""
    optimizerG, optimizerD = adam_optimizers(netG, netD, lr=lr, beta1=beta1)
    return TrainingRun(netG, netD, optimizerG, optimizerD, **options)


@torch.no_grad()
def generate(
    netG: nn.Module, count: int, seed: int, device: torch.device
) -> torch.Tensor:
    """Return ``count`` samples from G with seeded noise.

    G stays in training mode, so BatchNorm uses the batch statistics that D saw
    during training, as the PyTorch DCGAN example does for its sample grids.
    This also updates G's BatchNorm running statistics.
    """
    noise_generator = torch.Generator().manual_seed(seed)
    noise = torch.randn(count, NOISE_SIZE, 1, 1, generator=noise_generator)
    return netG(noise.to(device))


class Stopwatch:
    """Wall-clock seconds since creation."""

    def __init__(self) -> None:
        self.start = time.perf_counter()

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.start


def build_result(
    name: str,
    *,
    measurements: list[Measurement],
    threshold: str,
    summary: str,
    stopwatch: Stopwatch,
    png: Path | None,
    seed: int,
    steps: int,
    quick: bool,
    device: torch.device,
    notes: list[str] | None = None,
) -> DemoResult:
    """Return the DemoResult, with a verdict that names every failed measurement."""
    info = catalog.find(name)
    if info is None:
        raise ValueError(f"demo {name!r} is missing from the catalog")
    failed = [m for m in measurements if m.passed is False]
    if failed:
        reasons = "; ".join(
            f"{m.name} = {format_value(m.value)}, expected {m.expectation}"
            for m in failed
        )
        verdict = f"Does not hold: {reasons}. {summary}"
    else:
        verdict = f"Holds. {summary}"
    return DemoResult(
        demo=name,
        claim=info.claim_en,
        measurements=measurements,
        threshold=threshold,
        verdict=verdict,
        seconds=stopwatch.seconds,
        png=png,
        seed=seed,
        steps=steps,
        quick=quick,
        device=str(device),
        notes=list(notes or []),
    )
