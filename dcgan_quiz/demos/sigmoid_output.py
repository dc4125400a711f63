"""Demo sigmoid-output: D's Sigmoid output reads as "probability that x is real".

Trains the standard DCGAN (D ends in Sigmoid, BCELoss with real label 1 and
fake label 0) and records D(x) on the real batch and D(G(z)) on the fake batch
at every step, before D's update. Run it with ``dcgan-quiz demo sigmoid-output``.
"""

from __future__ import annotations

from pathlib import Path

import torch

from dcgan_quiz.dcgan.step import StepMetrics
from dcgan_quiz.demos import common, plotting
from dcgan_quiz.demos.result import DemoResult, Measurement

NAME = "sigmoid-output"
# Below the minimum the measurements cannot decide the claim, so a run
# with fewer steps is rejected.
STEPS = common.StepBudget(quick=200, full=1000, minimum=40)
LATEST_CROSSING_STEP = 30
MIN_ORDERED_SHARE = 0.95
THRESHOLD = (
    f"D(x) > 0.5 at every step from step {LATEST_CROSSING_STEP} on; D(G(z)) < 0.5 "
    f"in at least {MIN_ORDERED_SHARE:.0%} of the steps after it; D(x) > D(G(z)) in "
    f"at least {MIN_ORDERED_SHARE:.0%} of all steps"
)


def first_step_staying_above(values: list[float], level: float) -> int:
    """Return the 1-based step from which every value is above ``level``.

    Returns len(values) + 1 when the last value is not above it.
    """
    step = len(values) + 1
    for index in range(len(values) - 1, -1, -1):
        if values[index] <= level:
            break
        step = index + 1
    return step


def measure(history: list[StepMetrics]) -> list[Measurement]:
    d_real = [metrics.d_real for metrics in history]
    d_fake = [metrics.d_fake_before for metrics in history]
    stays_above = first_step_staying_above(d_real, 0.5)
    ordered_share = sum(r > f for r, f in zip(d_real, d_fake, strict=True)) / len(
        d_real
    )
    tail = min(20, len(history))
    later_fake = d_fake[LATEST_CROSSING_STEP:]
    fake_below_share = (
        sum(value < 0.5 for value in later_fake) / len(later_fake)
        if later_fake
        else 0.0
    )
    return [
        Measurement("D(x) at step 1", round(d_real[0], 4)),
        Measurement("D(G(z)) at step 1", round(d_fake[0], 4)),
        Measurement(
            "D(x) > 0.5 from step",
            stays_above,
            f"<= {LATEST_CROSSING_STEP}",
            stays_above <= LATEST_CROSSING_STEP,
        ),
        Measurement(
            "share of steps with D(x) > D(G(z))",
            round(ordered_share, 4),
            f">= {MIN_ORDERED_SHARE}",
            ordered_share >= MIN_ORDERED_SHARE,
        ),
        Measurement(
            f"share of steps after {LATEST_CROSSING_STEP} with D(G(z)) < 0.5",
            round(fake_below_share, 4),
            f">= {MIN_ORDERED_SHARE}",
            fake_below_share >= MIN_ORDERED_SHARE,
        ),
        Measurement(
            f"mean D(x), last {tail} steps", round(sum(d_real[-tail:]) / tail, 4)
        ),
        Measurement(
            f"mean D(G(z)), last {tail} steps", round(sum(d_fake[-tail:]) / tail, 4)
        ),
    ]


def plot(path: Path, history: list[StepMetrics], samples: torch.Tensor) -> Path:
    steps = [metrics.step + 1 for metrics in history]
    with plotting.figure(path, 1, 2, size=(10, 4)) as (_, axes):
        curve = axes[0, 0]
        curve.plot(steps, [m.d_real for m in history], label="D(x)")
        curve.plot(steps, [m.d_fake_before for m in history], label="D(G(z))")
        curve.axhline(0.5, color="gray", linestyle="--", linewidth=1)
        curve.axvline(LATEST_CROSSING_STEP, color="gray", linestyle=":", linewidth=1)
        curve.set_ylim(0, 1)
        plotting.finish_axis(
            curve,
            title=plotting.label(
                "D's Sigmoid output, real label 1", "D의 Sigmoid 출력, 진짜 레이블 1"
            ),
            xlabel=plotting.label("step", "스텝"),
            ylabel=plotting.label("mean D output", "D 출력 평균"),
        )
        plotting.show_images(
            axes[0, 1],
            samples[:32, 0].cpu().numpy(),
            8,
            plotting.label("G(z) after training", "학습 후 G(z)"),
        )
    return path


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
    counter = common.Progress(steps, progress)
    images, _ = common.load_real_images(cache_dir, device)

    netG = common.build_generator(seed, device)
    netD = common.build_discriminator(seed, device)
    batches = common.BatchStream(images, batch_size or common.BATCH_SIZE, seed)
    history = common.adam_run(netG, netD).train(batches, steps, counter)
    samples = common.generate(netG, 32, seed, device)

    measurements = measure(history)
    measured = {m.name: m.value for m in measurements}
    fake_below_name = f"share of steps after {LATEST_CROSSING_STEP} with D(G(z)) < 0.5"
    summary = (
        f"D(x) started at {measured['D(x) at step 1']} and stayed above 0.5 from step "
        f"{measured['D(x) > 0.5 from step']}; D(G(z)) was below 0.5 in "
        f"{measured[fake_below_name]:.1%} of the steps after step "
        f"{LATEST_CROSSING_STEP}; D(x) exceeded D(G(z)) in "
        f"{measured['share of steps with D(x) > D(G(z))']:.1%} of {steps} steps."
    )
    png = plot(Path(out_dir) / f"{NAME}.png", history, samples)
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
