"""Demo adam: the DCGAN paper's Adam(2e-4, beta1 0.5) against beta1 0.9, SGD
and RMSprop.

Radford, Metz and Chintala (2015, arXiv:1511.06434) found beta1 0.9 made
training oscillate and used 0.5.

Trains the real DCGAN four times from the same seed and batches, with the same
optimizer for G and D at lr 2e-4: Adam with beta1 0.5 (the paper's), Adam with
beta1 0.9 (Adam's default), SGD with momentum 0.9, and RMSprop. Each run is
scored by the Fréchet distance between a digits classifier's features of 1,000
samples and of the real digits, and by the number of digit classes the samples
cover with confident predictions (see digits_classifier.py).
Run it with ``dcgan-quiz demo adam``.
"""

from __future__ import annotations

from pathlib import Path

import torch

from dcgan_quiz.dcgan.step import StepMetrics
from dcgan_quiz.demos import common, plotting
from dcgan_quiz.demos.digits_classifier import CONFIDENCE, MIN_CLASS_SHARE, SampleScorer
from dcgan_quiz.demos.result import DemoResult, Measurement

NAME = "adam"
# Below the minimum the measurements cannot decide the claim, so a run
# with fewer steps is rejected.
STEPS = common.StepBudget(quick=400, full=1500, minimum=200)
CHECKPOINTS = 4  # FD evaluations per run, evenly spaced
SAMPLE_COUNT = 1000
MIN_DISTANCE_FACTOR = 2.0
MAX_TIE_FACTOR = 2.0  # Adam beta1 0.5 and RMSprop count as a tie within this
GOOD = ("adam-beta1-0.5", "rmsprop")
POOR = ("adam-beta1-0.9", "sgd-momentum-0.9")
THRESHOLD = (
    f"max FD of {' and '.join(GOOD)} x {MIN_DISTANCE_FACTOR:g} <= min FD of "
    f"{' and '.join(POOR)}; min digit classes of the first two > max of the other "
    f"two (a class counts when >= {MIN_CLASS_SHARE:.0%} of samples get it with "
    f"confidence > {CONFIDENCE:g}); FD of adam-beta1-0.5 / FD of rmsprop within "
    f"{1 / MAX_TIE_FACTOR:g}..{MAX_TIE_FACTOR:g}"
)


def train_one(
    kind: str,
    seed: int,
    steps: int,
    images: torch.Tensor,
    batch_size: int,
    device: torch.device,
    scorer: SampleScorer,
    counter: common.Progress,
) -> tuple[list[tuple[int, float]], list[StepMetrics], torch.Tensor]:
    """Train with optimizer ``kind``; return FD per checkpoint, metrics, samples."""
    netG = common.build_generator(seed, device)
    netD = common.build_discriminator(seed, device)
    training = common.optimizer_run(netG, netD, kind)
    batches = common.BatchStream(images, batch_size, seed)
    distances = []
    history: list[StepMetrics] = []
    done = 0
    for checkpoint in range(1, CHECKPOINTS + 1):
        target = steps * checkpoint // CHECKPOINTS
        history += training.train(batches, target - done, counter)
        done = target
        samples = common.generate(netG, SAMPLE_COUNT, seed, device)
        distances.append((done, scorer.frechet_distance(samples)))
    return distances, history, samples


def measure(
    results: dict[str, tuple[list[tuple[int, float]], list[StepMetrics], torch.Tensor]],
    scorer: SampleScorer,
) -> list[Measurement]:
    distances = {kind: result[0][-1][1] for kind, result in results.items()}
    classes = {
        kind: scorer.count_classes(result[2]) for kind, result in results.items()
    }
    measurements = [
        Measurement("digits classifier held-out accuracy", round(scorer.accuracy, 4))
    ]
    for kind, (_, history, _) in results.items():
        tail = history[-20:]
        measurements += [
            Measurement(f"FD, {kind}", round(distances[kind], 1)),
            Measurement(f"digit classes, {kind}", classes[kind]),
            Measurement(
                f"mean D(G(z)), last 20 steps, {kind}",
                round(sum(m.d_fake_before for m in tail) / len(tail), 4),
            ),
        ]

    max_good_distance = max(distances[kind] for kind in GOOD)
    min_poor_distance = min(distances[kind] for kind in POOR)
    factor = min_poor_distance / max_good_distance
    min_good_classes = min(classes[kind] for kind in GOOD)
    max_poor_classes = max(classes[kind] for kind in POOR)
    tie = distances["adam-beta1-0.5"] / distances["rmsprop"]
    measurements += [
        Measurement(
            "min FD (adam-beta1-0.9, sgd) / max FD (adam-beta1-0.5, rmsprop)",
            round(factor, 2),
            f">= {MIN_DISTANCE_FACTOR:g}",
            factor >= MIN_DISTANCE_FACTOR,
        ),
        Measurement(
            "min digit classes (adam-beta1-0.5, rmsprop)",
            min_good_classes,
            f"> {max_poor_classes}, max of (adam-beta1-0.9, sgd)",
            min_good_classes > max_poor_classes,
        ),
        Measurement(
            "FD adam-beta1-0.5 / FD rmsprop",
            round(tie, 2),
            f"{1 / MAX_TIE_FACTOR:g}..{MAX_TIE_FACTOR:g}",
            1 / MAX_TIE_FACTOR <= tie <= MAX_TIE_FACTOR,
        ),
    ]
    return measurements


def plot(
    path: Path,
    results: dict[str, tuple[list[tuple[int, float]], list[StepMetrics], torch.Tensor]],
) -> Path:
    with plotting.figure(path, 1, 5, size=(19, 4)) as (_, axes):
        curve_axis = axes[0, 0]
        for kind, (distances, _, _) in results.items():
            curve_axis.plot(
                [step for step, _ in distances],
                [value for _, value in distances],
                marker="o",
                label=kind,
            )
        curve_axis.set_yscale("log")
        plotting.finish_axis(
            curve_axis,
            title=plotting.label(
                "Fréchet distance to real digits", "실제 숫자와의 프레셰 거리"
            ),
            xlabel=plotting.label("step", "스텝"),
            ylabel="FD",
        )
        for column, (kind, (_, _, samples)) in enumerate(results.items(), start=1):
            plotting.show_images(
                axes[0, column], samples[:24, 0].cpu().numpy(), 6, kind
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
    counter = common.Progress(len(common.OPTIMIZERS) * steps, progress)
    images, labels = common.load_real_images(cache_dir, device)
    scorer = SampleScorer(images, labels, cache_dir)

    results = {
        kind: train_one(
            kind,
            seed,
            steps,
            images,
            batch_size or common.BATCH_SIZE,
            device,
            scorer,
            counter,
        )
        for kind in common.OPTIMIZERS
    }
    measurements = measure(results, scorer)
    measured = {m.name: m.value for m in measurements}
    distances = ", ".join(
        f"{kind} {measured[f'FD, {kind}']}" for kind in common.OPTIMIZERS
    )
    classes = ", ".join(
        f"{kind} {measured[f'digit classes, {kind}']}" for kind in common.OPTIMIZERS
    )
    summary = f"FD after {steps} steps: {distances}. Digit classes: {classes}."
    png = plot(Path(out_dir) / f"{NAME}.png", results)
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
