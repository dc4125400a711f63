"""Images per second of the project's training step against a plain reference loop.

Run from the repository root:

    PYTHONPATH=. python benchmarks/train_speed.py --threads 1
    PYTHONPATH=. python benchmarks/train_speed.py --quick --threads 1   # about 20 s

On a 2-core machine the full run took about 75 s with --threads 1. With two
threads and other processes running, the timings varied by up to 20 times
between rounds, because OpenMP threads wait for each other at every barrier.

Two configurations are measured: the canonical one (64x64, nc 3, nz 100,
ngf = ndf = 64, batch 64) and the small demo one (16x16, nc 1, nz 100,
ngf = ndf = 32, batch 64).

"project" is the path that `dcgan-quiz train` runs: ``build_models`` (G and D
in channels_last), batches cut from a channels_last tensor, ``step_noise`` and
``gan_step`` (D frozen during G's update). "reference" follows the training
loop of pytorch/examples dcgan/main.py line by line: the same model classes in
the default contiguous memory format, nn.BCELoss, one label tensor refilled
with fill_, and D's weight gradients computed in G's update too.

The two run alternately (reference, project, reference, project, ...) for
several rounds, so a change in machine load hits both. Each line prints one
timing or one round's ratio; the summary prints the median rate of each loop
and the median of the round ratios.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch import nn

from dcgan_quiz.dcgan.config import DCGANConfig
from dcgan_quiz.dcgan.models import Discriminator, Generator
from dcgan_quiz.dcgan.step import gan_step
from dcgan_quiz.dcgan.training import build_models, step_noise

CONFIGURATIONS = {
    "canonical": DCGANConfig(nz=100, ngf=64, ndf=64, nc=3, image_size=64),
    "small": DCGANConfig(nz=100, ngf=32, ndf=32, nc=1, image_size=16, batch_size=64),
}


@dataclass(frozen=True)
class Schedule:
    """Rounds and steps per timing for one configuration."""

    rounds: int
    steps: int


FULL = {"canonical": Schedule(rounds=4, steps=5), "small": Schedule(rounds=5, steps=40)}
QUICK = {
    "canonical": Schedule(rounds=2, steps=2),
    "small": Schedule(rounds=3, steps=10),
}


def make_images(config: DCGANConfig, count: int) -> torch.Tensor:
    """Return random images in [-1, 1]; speed does not depend on the pixels."""
    generator = torch.Generator().manual_seed(0)
    size = config.image_size
    return torch.rand(count, config.nc, size, size, generator=generator) * 2 - 1


def reference_runner(
    config: DCGANConfig, images: torch.Tensor
) -> Callable[[int], None]:
    """Return a function that runs steps of the pytorch/examples DCGAN loop."""
    torch.manual_seed(0)
    nz = config.nz
    netG = Generator(nz, config.ngf, config.nc, image_size=config.image_size)
    netD = Discriminator(config.nc, config.ndf, image_size=config.image_size)
    criterion = nn.BCELoss()
    betas = (config.beta1, 0.999)
    optimizerD = torch.optim.Adam(netD.parameters(), lr=config.lr, betas=betas)
    optimizerG = torch.optim.Adam(netG.parameters(), lr=config.lr, betas=betas)
    real_label, fake_label = 1, 0
    batches = images.split(config.batch_size)

    def run(steps: int) -> None:
        for index in range(steps):
            real_cpu = batches[index % len(batches)]
            # (1) Update D network: maximize log(D(x)) + log(1 - D(G(z)))
            netD.zero_grad()
            batch_size = real_cpu.size(0)
            label = torch.full((batch_size,), real_label, dtype=real_cpu.dtype)
            output = netD(real_cpu)
            errD_real = criterion(output, label)
            errD_real.backward()
            output.mean().item()  # D_x

            noise = torch.randn(batch_size, nz, 1, 1)
            fake = netG(noise)
            label.fill_(fake_label)
            output = netD(fake.detach())
            errD_fake = criterion(output, label)
            errD_fake.backward()
            output.mean().item()  # D_G_z1
            errD = errD_real + errD_fake
            optimizerD.step()

            # (2) Update G network: maximize log(D(G(z)))
            netG.zero_grad()
            label.fill_(real_label)  # fake labels are real for generator cost
            output = netD(fake)
            errG = criterion(output, label)
            errG.backward()
            output.mean().item()  # D_G_z2
            optimizerG.step()
            errD.item(), errG.item()  # the example prints both every step

    return run


def project_runner(config: DCGANConfig, images: torch.Tensor) -> Callable[[int], None]:
    """Return a function that runs steps the way TrainingLoop.run_epoch does."""
    torch.manual_seed(0)
    device = torch.device("cpu")
    models = build_models(config, device, None)
    batches = images.contiguous(memory_format=torch.channels_last).split(
        config.batch_size
    )
    counter = 0

    def run(steps: int) -> None:
        nonlocal counter
        for _ in range(steps):
            counter += 1
            real = batches[counter % len(batches)]
            noise = step_noise(real.size(0), config.nz, seed=0, rank=0, step=counter)
            gan_step(
                models.netG,
                models.netD,
                real,
                optimizerG=models.optimizerG,
                optimizerD=models.optimizerD,
                nz=config.nz,
                step=counter,
                noise=noise,
            )

    return run


def measure(run: Callable[[int], None], steps: int, batch_size: int) -> float:
    """Return images per second over steps calls."""
    started = time.perf_counter()
    run(steps)
    return steps * batch_size / (time.perf_counter() - started)


def benchmark(name: str, config: DCGANConfig, schedule: Schedule) -> float:
    """Print each timing of one configuration and return the median ratio."""
    images = make_images(config, config.batch_size * 4)
    runners = {
        "reference": reference_runner(config, images),
        "project": project_runner(config, images),
    }
    for run in runners.values():
        run(1)  # warm-up: first-call allocations and oneDNN kernel selection
    rates: dict[str, list[float]] = {label: [] for label in runners}
    print(
        f"\n{name}: {config.image_size}x{config.image_size}, nc {config.nc}, "
        f"nz {config.nz}, ngf {config.ngf}, ndf {config.ndf}, "
        f"batch {config.batch_size}; {schedule.steps} steps per timing"
    )
    ratios = []
    for round_index in range(1, schedule.rounds + 1):
        for label, run in runners.items():
            rate = measure(run, schedule.steps, config.batch_size)
            rates[label].append(rate)
            print(f"  round {round_index} {label:<9} {rate:8.1f} images/s")
        # Adjacent timings share the machine's load, so each round's ratio is
        # steadier than a ratio of rates taken far apart.
        ratios.append(rates["project"][-1] / rates["reference"][-1])
        print(f"  round {round_index} ratio     {ratios[-1]:8.2f}x")
    reference = statistics.median(rates["reference"])
    project = statistics.median(rates["project"])
    ratio = statistics.median(ratios)
    print(
        f"  median: reference {reference:.1f}, project {project:.1f} images/s; "
        f"median round ratio {ratio:.2f}x"
    )
    return ratio


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="Fewer rounds and steps.")
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="torch.set_num_threads for both loops (default: torch's choice).",
    )
    parser.add_argument(
        "--only",
        choices=sorted(CONFIGURATIONS),
        help="Measure one configuration only.",
    )
    arguments = parser.parse_args()
    if arguments.threads is not None:
        torch.set_num_threads(arguments.threads)
    schedules = QUICK if arguments.quick else FULL
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    names = [arguments.only] if arguments.only else list(CONFIGURATIONS)
    for name in names:
        benchmark(name, CONFIGURATIONS[name], schedules[name])


if __name__ == "__main__":
    main()
