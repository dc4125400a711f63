"""Demo bce-loss: binary cross-entropy is the GAN value function, and the
generator loss choice decides how much gradient G gets.

Four probes of the real DCGAN and the loss code of ``dcgan_quiz.dcgan.step``:
1. BCE(D(x), 1) + BCE(D(G(z)), 0) against -(mean log D(x) + mean
   log(1 - D(G(z)))), in float64;
2. D trained alone against a fixed G: the norm of dL/dG(z) for the
   non-saturating loss -log D(G(z)) divided by that for the saturating loss
   log(1 - D(G(z))), as D grows confident;
3. end-to-end training with each generator loss, with Adam (lr 2e-4, beta1
   0.5) and with SGD (lr 2e-4, momentum 0.9), scored by the Fréchet distance of
   a digits classifier's features (see digits_classifier.py);
4. BCELoss after a Sigmoid against BCEWithLogitsLoss at a logit of -200 with
   target 1.
Run it with ``dcgan-quiz demo bce-loss``.
"""

from __future__ import annotations

import copy
import math
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from dcgan_quiz.dcgan.step import (
    FAKE_LABEL,
    REAL_LABEL,
    StepMetrics,
    binary_cross_entropy,
)
from dcgan_quiz.demos import common, plotting
from dcgan_quiz.demos.digits_classifier import SampleScorer
from dcgan_quiz.demos.result import DemoResult, Measurement

NAME = "bce-loss"
# Below the minimum the measurements cannot decide the claim, so a run
# with fewer steps is rejected.
STEPS = common.StepBudget(quick=400, full=1500, minimum=100)
D_ONLY_CHECKPOINTS = (50, 100, 200)
MAX_VALUE_DIFFERENCE = 1e-12
MIN_GRADIENT_RATIO = 10.0
TRAINED_SHARE = 0.25  # "trains G": FD falls below this share of FD at init
COLLAPSED_D_FAKE = 0.05  # "collapses": D(G(z)) stays below this at the end
COLLAPSED_SHARE = 0.5  # and FD stays above this share of FD at init
EXTREME_LOGIT = -200.0
BCE_CLAMP = 100.0  # BCELoss clamps log(p) at -100 (PyTorch documentation)
RUNS = (
    ("adam-beta1-0.5", "non-saturating"),
    ("adam-beta1-0.5", "saturating"),
    ("sgd-momentum-0.9", "non-saturating"),
    ("sgd-momentum-0.9", "saturating"),
)
SAMPLE_COUNT = 1000
THRESHOLD = (
    f"|BCE + V| < {MAX_VALUE_DIFFERENCE:g} (float64); after "
    f"{D_ONLY_CHECKPOINTS[0]} D-only steps the gradient ratio is >= "
    f"{MIN_GRADIENT_RATIO:g} and it is larger after {D_ONLY_CHECKPOINTS[-1]}; with "
    f"Adam both losses bring the FD below {TRAINED_SHARE:g} x FD at init; with SGD "
    f"the saturating loss ends with D(G(z)) < {COLLAPSED_D_FAKE:g} and FD > "
    f"{COLLAPSED_SHARE:g} x FD at init; at logit {EXTREME_LOGIT:g} BCELoss returns "
    f"{BCE_CLAMP:g} with zero gradient and BCEWithLogitsLoss {-EXTREME_LOGIT:g} "
    "with gradient -1"
)


def value_function_difference(
    netG: nn.Module, netD: nn.Module, real: torch.Tensor, noise: torch.Tensor
) -> float:
    """Return |BCE(D(x), 1) + BCE(D(G(z)), 0) + V(D, G)| in float64.

    The copies run on the CPU because MPS has no float64.
    """
    netG64 = copy.deepcopy(netG).cpu().double()
    netD64 = copy.deepcopy(netD).cpu().double()
    with torch.no_grad():
        d_real = netD64(real.cpu().double())
        d_fake = netD64(netG64(noise.cpu().double()))
        bce = binary_cross_entropy(
            d_real, REAL_LABEL, logits=False
        ) + binary_cross_entropy(d_fake, FAKE_LABEL, logits=False)
        value = torch.log(d_real).mean() + torch.log(1 - d_fake).mean()
    return (bce + value).abs().item()


def generator_gradient_norms(
    netD: nn.Module, fake: torch.Tensor
) -> tuple[float, float, float]:
    """Return mean D(G(z)) and the norms of dL/dG(z) for the non-saturating and
    the saturating loss, computed as gan_step computes them."""
    norms = []
    for loss_of in (
        lambda output: binary_cross_entropy(output, REAL_LABEL, logits=False),
        lambda output: -binary_cross_entropy(output, FAKE_LABEL, logits=False),
    ):
        images = fake.detach().clone().requires_grad_(True)
        output = netD(images)
        (gradient,) = torch.autograd.grad(loss_of(output), images)
        norms.append(gradient.norm().item())
    with torch.no_grad():
        d_fake = netD(fake).mean().item()
    return d_fake, norms[0], norms[1]


def train_discriminator_only(
    netG: nn.Module,
    netD: nn.Module,
    batches: common.BatchStream,
    counter: common.Progress,
    probe_noise: torch.Tensor,
) -> list[tuple[int, float, float]]:
    """Train D alone with Adam; return (step, D(G(z)), ratio) at each checkpoint."""
    optimizerD = common.make_optimizer("adam-beta1-0.5", netD.parameters())
    with torch.no_grad():
        probe_fake = netG(probe_noise)
    checkpoints = []
    for step in range(1, D_ONLY_CHECKPOINTS[-1] + 1):
        real = next(batches)
        with torch.no_grad():
            fake = netG(torch.randn_like(probe_noise))
        netD.zero_grad(set_to_none=True)
        loss = binary_cross_entropy(netD(real), REAL_LABEL, logits=False)
        loss = loss + binary_cross_entropy(netD(fake), FAKE_LABEL, logits=False)
        loss.backward()
        optimizerD.step()
        counter.advance()
        if step in D_ONLY_CHECKPOINTS:
            d_fake, non_saturating, saturating = generator_gradient_norms(
                netD, probe_fake
            )
            checkpoints.append((step, d_fake, non_saturating / saturating))
    return checkpoints


def extreme_logit_losses() -> dict[str, float]:
    """Return loss and gradient at EXTREME_LOGIT, target 1, for both BCE forms."""
    results = {}
    for name, logits in (("BCELoss(Sigmoid)", False), ("BCEWithLogitsLoss", True)):
        logit = torch.tensor([EXTREME_LOGIT], requires_grad=True)
        output = logit if logits else torch.sigmoid(logit)
        loss = binary_cross_entropy(output, REAL_LABEL, logits=logits)
        loss.backward()
        results[f"{name} value"] = loss.item()
        results[f"{name} gradient"] = logit.grad.item() + 0.0  # turns -0.0 into 0.0
    return results


def train_end_to_end(
    seed: int,
    steps: int,
    images: torch.Tensor,
    batch_size: int,
    device: torch.device,
    counter: common.Progress,
) -> dict[tuple[str, str], tuple[list[StepMetrics], torch.Tensor]]:
    runs = {}
    for optimizer, generator_loss in RUNS:
        netG = common.build_generator(seed, device)
        netD = common.build_discriminator(seed, device)
        training = common.optimizer_run(
            netG, netD, optimizer, generator_loss=generator_loss
        )
        history = training.train(
            common.BatchStream(images, batch_size, seed), steps, counter
        )
        runs[optimizer, generator_loss] = (
            history,
            common.generate(netG, SAMPLE_COUNT, seed, device),
        )
    return runs


def mean_final_d_fake(history: list[StepMetrics]) -> float:
    tail = history[-20:]
    return sum(metrics.d_fake_before for metrics in tail) / len(tail)


def run_label(optimizer: str, generator_loss: str) -> str:
    return f"{optimizer.split('-')[0]} {generator_loss}"


def plot(
    path: Path,
    checkpoints: list[tuple[int, float, float]],
    runs: dict[tuple[str, str], tuple[list[StepMetrics], torch.Tensor]],
    distances: dict[str, float],
) -> Path:
    with plotting.figure(path, 2, 4, size=(16, 7.5)) as (_, axes):
        ratio_axis = axes[0, 0]
        ratio_axis.plot(
            [step for step, _, _ in checkpoints],
            [ratio for _, _, ratio in checkpoints],
            marker="o",
            label=plotting.label("gradient ratio", "그래디언트 비율"),
        )
        ratio_axis.set_yscale("log")
        plotting.finish_axis(
            ratio_axis,
            title=plotting.label(
                "|dL/dG(z)|: -log D(G(z)) over log(1 - D(G(z)))",
                "|dL/dG(z)|: -log D(G(z)) / log(1 - D(G(z)))",
            ),
            xlabel=plotting.label("D-only steps", "D만 학습한 스텝"),
            ylabel=plotting.label("ratio", "비율"),
        )

        curve_axis = axes[0, 1]
        for (optimizer, generator_loss), (history, _) in runs.items():
            curve_axis.plot(
                [m.d_fake_before for m in history],
                label=run_label(optimizer, generator_loss),
            )
        curve_axis.set_ylim(0, 1)
        plotting.finish_axis(
            curve_axis,
            title=plotting.label("D(G(z)) during training", "학습 중 D(G(z))"),
            xlabel=plotting.label("step", "스텝"),
            ylabel="D(G(z))",
        )

        clamp_axis = axes[0, 2]
        logits = torch.linspace(-250, 0, 501)
        targets = torch.ones_like(logits)
        clamp_axis.plot(
            logits,
            F.binary_cross_entropy(torch.sigmoid(logits), targets, reduction="none"),
            label="BCELoss(Sigmoid)",
        )
        clamp_axis.plot(
            logits,
            F.binary_cross_entropy_with_logits(logits, targets, reduction="none"),
            label="BCEWithLogitsLoss",
            linestyle="--",
        )
        plotting.finish_axis(
            clamp_axis,
            title=plotting.label("loss for target 1", "타깃 1의 손실"),
            xlabel="logit",
            ylabel=plotting.label("loss", "손실"),
        )
        distance_axis = axes[0, 3]
        distance_axis.bar(list(distances), list(distances.values()))
        distance_axis.tick_params(axis="x", labelrotation=30, labelsize=7)
        plotting.finish_axis(
            distance_axis,
            title=plotting.label(
                "Fréchet distance to real digits", "실제 숫자와의 프레셰 거리"
            ),
            xlabel="",
            ylabel="FD",
        )
        for column, ((optimizer, generator_loss), (_, samples)) in enumerate(
            runs.items()
        ):
            plotting.show_images(
                axes[1, column],
                samples[:24, 0].cpu().numpy(),
                6,
                run_label(optimizer, generator_loss),
            )
    return path


def measure(
    value_difference: float,
    checkpoints: list[tuple[int, float, float]],
    runs: dict[tuple[str, str], tuple[list[StepMetrics], torch.Tensor]],
    scorer: SampleScorer,
    initial_distance: float,
    losses: dict[str, float],
) -> list[Measurement]:
    measurements = [
        Measurement(
            "|BCE + V(D, G)| in float64",
            value_difference,
            f"< {MAX_VALUE_DIFFERENCE:g}",
            value_difference < MAX_VALUE_DIFFERENCE,
        )
    ]
    first_ratio = checkpoints[0][2]
    for step, d_fake, ratio in checkpoints:
        measurements.append(
            Measurement(f"D(G(z)) after {step} D-only steps", round(d_fake, 4))
        )
        expectation = ""
        passed = None
        if step == D_ONLY_CHECKPOINTS[0]:
            expectation, passed = (
                f">= {MIN_GRADIENT_RATIO:g}",
                ratio >= MIN_GRADIENT_RATIO,
            )
        elif step == D_ONLY_CHECKPOINTS[-1]:
            expectation, passed = (
                f"> {first_ratio:.4g} (ratio at step 50)",
                ratio > first_ratio,
            )
        measurements.append(
            Measurement(
                f"gradient ratio after {step} D-only steps",
                round(ratio, 2),
                expectation,
                passed,
            )
        )

    measurements.append(Measurement("FD at init", round(initial_distance, 1)))
    for (optimizer, generator_loss), (history, samples) in runs.items():
        label = run_label(optimizer, generator_loss)
        distance = scorer.frechet_distance(samples)
        d_fake = mean_final_d_fake(history)
        expectation, passed = "", None
        if optimizer.startswith("adam"):
            limit = TRAINED_SHARE * initial_distance
            expectation, passed = f"< {limit:.1f}", distance < limit
        elif generator_loss == "saturating":
            limit = COLLAPSED_SHARE * initial_distance
            expectation, passed = f"> {limit:.1f}", distance > limit
        measurements.append(
            Measurement(f"FD, {label}", round(distance, 1), expectation, passed)
        )
        expectation, passed = "", None
        if optimizer.startswith("sgd") and generator_loss == "saturating":
            expectation, passed = f"< {COLLAPSED_D_FAKE:g}", d_fake < COLLAPSED_D_FAKE
        measurements.append(
            Measurement(
                f"D(G(z)), last 20 steps, {label}",
                round(d_fake, 4),
                expectation,
                passed,
            )
        )
        measurements.append(
            Measurement(f"digit classes, {label}", scorer.count_classes(samples))
        )

    clamp_value = losses["BCELoss(Sigmoid) value"]
    clamp_gradient = losses["BCELoss(Sigmoid) gradient"]
    exact_value = losses["BCEWithLogitsLoss value"]
    exact_gradient = losses["BCEWithLogitsLoss gradient"]
    measurements += [
        Measurement(
            f"BCELoss(Sigmoid({EXTREME_LOGIT:g})), target 1",
            clamp_value,
            f"= {BCE_CLAMP:g}",
            clamp_value == BCE_CLAMP,
        ),
        Measurement(
            "BCELoss(Sigmoid) gradient w.r.t. the logit",
            clamp_gradient,
            "= 0",
            clamp_gradient == 0.0,
        ),
        Measurement(
            f"BCEWithLogitsLoss({EXTREME_LOGIT:g}), target 1",
            exact_value,
            f"= {-EXTREME_LOGIT:g}",
            math.isclose(exact_value, -EXTREME_LOGIT, rel_tol=1e-6),
        ),
        Measurement(
            "BCEWithLogitsLoss gradient w.r.t. the logit",
            exact_gradient,
            "= -1",
            math.isclose(exact_gradient, -1.0, rel_tol=1e-6),
        ),
    ]
    return measurements


def run(
    *,
    seed: int = 0,
    steps: int | None = None,
    quick: bool = True,
    out_dir: Path,
    device: str | torch.device = "cpu",
    progress: common.ProgressCallback | None = None,
    cache_dir: Path | None = None,
    batch_size: int | None = None,
) -> DemoResult:
    stopwatch = common.Stopwatch()
    device = common.resolve_device(device)
    steps = STEPS.choose(steps, quick)
    batch_size = batch_size or common.BATCH_SIZE
    counter = common.Progress(D_ONLY_CHECKPOINTS[-1] + len(RUNS) * steps, progress)
    images, labels = common.load_real_images(cache_dir, device)
    scorer = SampleScorer(images, labels, cache_dir)

    netG = common.build_generator(seed, device)
    netD = common.build_discriminator(seed, device)
    initial_distance = scorer.frechet_distance(
        common.generate(copy.deepcopy(netG), SAMPLE_COUNT, seed, device)
    )
    noise_generator = torch.Generator().manual_seed(seed)
    probe_noise = torch.randn(
        batch_size, common.NOISE_SIZE, 1, 1, generator=noise_generator
    )
    batches = common.BatchStream(images, batch_size, seed)
    checkpoints = train_discriminator_only(
        netG, netD, batches, counter, probe_noise.to(device)
    )
    value_difference = value_function_difference(
        netG, netD, next(batches), probe_noise.to(device)
    )
    runs = train_end_to_end(seed, steps, images, batch_size, device, counter)
    losses = extreme_logit_losses()

    measurements = measure(
        value_difference, checkpoints, runs, scorer, initial_distance, losses
    )
    measured = {m.name: m.value for m in measurements}
    first_step, first_d_fake, first_ratio = checkpoints[0]
    last_step, _, last_ratio = checkpoints[-1]
    distances = ", ".join(
        f"{run_label(*key)} {measured[f'FD, {run_label(*key)}']}" for key in runs
    )
    summary = (
        f"After {first_step} D-only steps D(G(z)) was {first_d_fake:.3f} and the "
        f"non-saturating loss gave G {first_ratio:.1f} times the gradient of the "
        f"saturating one; after {last_step} steps {last_ratio:.0f} times. FD after "
        f"{steps} steps: {distances}."
    )
    distances = {"init": initial_distance} | {
        run_label(*key): float(measured[f"FD, {run_label(*key)}"]) for key in runs
    }
    png = plot(Path(out_dir) / f"{NAME}.png", checkpoints, runs, distances)
    counter.finish()
    return common.build_result(
        NAME,
        measurements=measurements,
        threshold=THRESHOLD,
        summary=summary,
        stopwatch=stopwatch,
        png=png,
        seed=seed,
        steps=steps,
        quick=quick,
        device=device,
    )
