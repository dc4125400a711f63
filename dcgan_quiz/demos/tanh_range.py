"""Demo tanh-range: G's output activation must cover the range of the data.

Three trainings of the real DCGAN with the same seed and steps:
1. Tanh G on digits scaled to [-1, 1] (the paper's setup);
2. Sigmoid G on the same data, so G can only produce [0, 1] while about 70%
   of the real pixels (the background) are negative;
3. Tanh G on digits left in [0, 1], reported for context.
Run it with ``dcgan-quiz demo tanh-range``.
"""

from __future__ import annotations

from pathlib import Path

import torch

from dcgan_quiz.dcgan.step import StepMetrics
from dcgan_quiz.demos import common, plotting
from dcgan_quiz.demos.digits_classifier import SampleScorer
from dcgan_quiz.demos.result import DemoResult, Measurement

NAME = "tanh-range"
# Below the minimum the measurements cannot decide the claim, so a run
# with fewer steps is rejected.
STEPS = common.StepBudget(quick=300, full=1000, minimum=100)
MAX_SEPARATION_STEP = 50
SEPARATED_D_REAL = 0.9  # D separates: D(x) above this and D(G(z)) below 0.1
SEPARATED_D_FAKE = 0.1
NEGATIVE_SHARE_TOLERANCE = 0.1
FLAT_STD_SHARE = 0.1  # flat: per-image pixel std below this share of the real one
SAMPLE_COUNT = 1000
RUNS = {
    "tanh, data [-1, 1]": ("tanh", False),
    "sigmoid, data [-1, 1]": ("sigmoid", False),
    "tanh, data [0, 1]": ("tanh", True),
}
THRESHOLD = (
    f"the Tanh G's share of negative pixels is within {NEGATIVE_SHARE_TOLERANCE:g} of "
    "the data's; the Sigmoid G has no negative pixel; D(x) > "
    f"{SEPARATED_D_REAL:g} and D(G(z)) < {SEPARATED_D_FAKE:g} by step "
    f"{MAX_SEPARATION_STEP} for the Sigmoid G; its per-image pixel std is below "
    f"{FLAT_STD_SHARE:g} x the data's"
)


def separation_step(history: list[StepMetrics]) -> int | None:
    """Return the first 1-based step at which D separates real from fake."""
    for metrics in history:
        if (
            metrics.d_real > SEPARATED_D_REAL
            and metrics.d_fake_before < SEPARATED_D_FAKE
        ):
            return metrics.step + 1
    return None


def pixel_std(images: torch.Tensor) -> float:
    """Return the mean over images of each image's pixel standard deviation."""
    return images.float().std(dim=(1, 2, 3)).mean().item()


def negative_share(images: torch.Tensor) -> float:
    return (images < 0).float().mean().item()


def train_runs(
    seed: int,
    steps: int,
    images: torch.Tensor,
    batch_size: int,
    device: torch.device,
    counter: common.Progress,
) -> dict[str, tuple[list[StepMetrics], torch.Tensor]]:
    runs = {}
    for name, (activation, unit_range) in RUNS.items():
        data = images * 0.5 + 0.5 if unit_range else images
        netG = common.build_generator(seed, device, output_activation=activation)
        netD = common.build_discriminator(seed, device)
        batches = common.BatchStream(data, batch_size, seed)
        history = common.adam_run(netG, netD).train(batches, steps, counter)
        runs[name] = (history, common.generate(netG, SAMPLE_COUNT, seed, device))
    return runs


def describe_separation(history: list[StepMetrics]) -> int | str:
    step = separation_step(history)
    return step if step is not None else f"never in {len(history)}"


def measure_tanh(
    history: list[StepMetrics],
    samples: torch.Tensor,
    real_negative: float,
    scorer: SampleScorer,
) -> list[Measurement]:
    tanh_negative = negative_share(samples)
    return [
        Measurement(
            "negative pixel share, tanh G",
            round(tanh_negative, 4),
            f"{real_negative:.3f} +/- {NEGATIVE_SHARE_TOLERANCE:g}",
            abs(tanh_negative - real_negative) <= NEGATIVE_SHARE_TOLERANCE,
        ),
        Measurement("min pixel, tanh G", round(samples.min().item(), 4)),
        Measurement("max pixel, tanh G", round(samples.max().item(), 4)),
        Measurement("D separates at step, tanh G", describe_separation(history)),
        Measurement("pixel std per image, tanh G", round(pixel_std(samples), 4)),
        Measurement("FD, tanh G", round(scorer.frechet_distance(samples), 1)),
    ]


def measure_sigmoid(
    history: list[StepMetrics],
    samples: torch.Tensor,
    real_std: float,
    scorer: SampleScorer,
) -> list[Measurement]:
    sigmoid_negative = negative_share(samples)
    separation = separation_step(history)
    sigmoid_std = pixel_std(samples)
    tail = history[-20:]
    return [
        Measurement(
            "negative pixel share, sigmoid G",
            round(sigmoid_negative, 4),
            "= 0",
            sigmoid_negative == 0.0,
        ),
        Measurement(
            "D separates at step, sigmoid G",
            describe_separation(history),
            f"<= {MAX_SEPARATION_STEP}",
            separation is not None and separation <= MAX_SEPARATION_STEP,
        ),
        Measurement(
            "pixel std per image, sigmoid G",
            round(sigmoid_std, 4),
            f"< {FLAT_STD_SHARE * real_std:.3f}",
            sigmoid_std < FLAT_STD_SHARE * real_std,
        ),
        Measurement(
            "mean D(G(z)), last 20 steps, sigmoid G",
            round(sum(m.d_fake_before for m in tail) / len(tail), 4),
        ),
        Measurement("FD, sigmoid G", round(scorer.frechet_distance(samples), 1)),
    ]


def measure_unit_range(
    history: list[StepMetrics], samples: torch.Tensor, scorer: SampleScorer
) -> list[Measurement]:
    """Measure the Tanh G trained on data in [0, 1], for context only."""
    return [
        Measurement(
            "negative pixel share, tanh G on data [0, 1]",
            round(negative_share(samples), 4),
        ),
        Measurement(
            "FD, tanh G on data [0, 1] (samples mapped to [-1, 1])",
            round(scorer.frechet_distance(samples * 2 - 1), 1),
        ),
        Measurement(
            "D separates at step, tanh G on data [0, 1]", describe_separation(history)
        ),
    ]


def measure(
    images: torch.Tensor,
    runs: dict[str, tuple[list[StepMetrics], torch.Tensor]],
    scorer: SampleScorer,
) -> list[Measurement]:
    real_negative = negative_share(images)
    real_std = pixel_std(images)
    return [
        Measurement("negative pixel share, data [-1, 1]", round(real_negative, 4)),
        Measurement("pixel std per image, data [-1, 1]", round(real_std, 4)),
        *measure_tanh(*runs["tanh, data [-1, 1]"], real_negative, scorer),
        *measure_sigmoid(*runs["sigmoid, data [-1, 1]"], real_std, scorer),
        *measure_unit_range(*runs["tanh, data [0, 1]"], scorer),
    ]


def summarize(measured: dict[str, float | int | str]) -> str:
    real_negative = measured["negative pixel share, data [-1, 1]"]
    unit_distance = measured["FD, tanh G on data [0, 1] (samples mapped to [-1, 1])"]
    unit_negative = measured["negative pixel share, tanh G on data [0, 1]"]
    return (
        f"The Sigmoid G produced {measured['negative pixel share, sigmoid G']:.0%} "
        f"negative pixels where the data has {real_negative:.0%}. D separated its "
        f"samples at step {measured['D separates at step, sigmoid G']}, and their "
        f"pixel std was {measured['pixel std per image, sigmoid G']} against "
        f"{measured['pixel std per image, tanh G']} for the Tanh G. The Tanh G on "
        f"data in [0, 1] reached FD {unit_distance} with {unit_negative:.0%} "
        "negative pixels."
    )


def plot(
    path: Path,
    images: torch.Tensor,
    runs: dict[str, tuple[list[StepMetrics], torch.Tensor]],
) -> Path:
    with plotting.figure(path, 2, 3, size=(13, 7.5)) as (_, axes):
        curve_axis = axes[0, 0]
        for name in ("tanh, data [-1, 1]", "sigmoid, data [-1, 1]"):
            history = runs[name][0]
            steps = [m.step + 1 for m in history]
            line = curve_axis.plot(
                steps, [m.d_real for m in history], label=f"D(x), {name}"
            )
            curve_axis.plot(
                steps,
                [m.d_fake_before for m in history],
                linestyle="--",
                color=line[0].get_color(),
                label=f"D(G(z)), {name}",
            )
        curve_axis.axvline(
            MAX_SEPARATION_STEP, color="gray", linestyle=":", linewidth=1
        )
        curve_axis.set_ylim(0, 1)
        plotting.finish_axis(
            curve_axis,
            title=plotting.label("D's output during training", "학습 중 D의 출력"),
            xlabel=plotting.label("step", "스텝"),
            ylabel=plotting.label("mean D output", "D 출력 평균"),
        )

        histogram_axis = axes[0, 1]
        bins = torch.linspace(-1, 1, 41).numpy()
        histogram_axis.hist(
            images.flatten().cpu().numpy(),
            bins=bins,
            alpha=0.5,
            density=True,
            label=plotting.label("data [-1, 1]", "데이터 [-1, 1]"),
        )
        for name in ("tanh, data [-1, 1]", "sigmoid, data [-1, 1]"):
            histogram_axis.hist(
                runs[name][1].flatten().cpu().numpy(),
                bins=bins,
                alpha=0.5,
                density=True,
                label=f"G: {name}",
            )
        histogram_axis.set_yscale("log")
        plotting.finish_axis(
            histogram_axis,
            title=plotting.label("pixel values", "픽셀 값 분포"),
            xlabel=plotting.label("pixel value", "픽셀 값"),
            ylabel=plotting.label("density", "밀도"),
        )
        axes[0, 2].axis("off")
        for column, (name, (_, samples)) in enumerate(runs.items()):
            displayed = samples * 2 - 1 if "[0, 1]" in name else samples
            plotting.show_images(
                axes[1, column], displayed[:24, 0].cpu().numpy(), 6, name
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
    counter = common.Progress(len(RUNS) * steps, progress)
    images, labels = common.load_real_images(cache_dir, device)
    scorer = SampleScorer(images, labels, cache_dir)

    runs = train_runs(
        seed, steps, images, batch_size or common.BATCH_SIZE, device, counter
    )
    measurements = measure(images, runs, scorer)
    measured = {m.name: m.value for m in measurements}
    summary = summarize(measured)
    png = plot(Path(out_dir) / f"{NAME}.png", images, runs)
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
