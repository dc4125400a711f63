"""Demo leaky-relu: what ReLU in D does to the gradient, and what BatchNorm
changes about it.

Three probes of the real Discriminator with activation "relu" against
"leaky_relu" (slope 0.2), from the same seed:
1. one batch of real and fake images through a fresh D: the share of
   activations that are exactly zero, and whether their gradient is zero;
2. a channel pushed negative by setting its BatchNorm bias to DEAD_BIAS, then
   trained for a few steps: the weight gradient reaching that channel;
3. short trainings at lr 2e-4 (the DCGAN paper's) and 2e-3: the norm of dL_G/dG(z),
   the gradient that reaches G's output in G's update, and the number of D
   channels that are zero for a whole batch at the end.
Run it with ``dcgan-quiz demo leaky-relu``.
"""

from __future__ import annotations

import copy
from pathlib import Path

import torch
from torch import nn

from dcgan_quiz.dcgan.step import FAKE_LABEL, REAL_LABEL, binary_cross_entropy
from dcgan_quiz.demos import common, plotting
from dcgan_quiz.demos.result import DemoResult, Measurement

NAME = "leaky-relu"
# Below the minimum the measurements cannot decide the claim, so a run
# with fewer steps is rejected.
STEPS = common.StepBudget(quick=250, full=1000, minimum=50)
DEAD_CHANNEL_STEPS = 20
DEAD_BIAS = -10.0  # BatchNorm output is bias + weight * (a value within about +-4)
DEAD_CHANNEL = 0
LEARNING_RATES = (2e-4, 2e-3)
ACTIVATIONS = ("relu", "leaky_relu")
HALF_RANGE = (0.35, 0.65)  # "about half" of the activations
MIN_GRADIENT_RATIO = 1.0  # ReLU / LeakyReLU at lr 2e-4: "not smaller"
THRESHOLD = (
    f"ReLU zero share in {HALF_RANGE[0]}..{HALF_RANGE[1]}, every zero with zero "
    "gradient, LeakyReLU zero share 0; pushed channel: ReLU weight gradient exactly 0 "
    f"at all {DEAD_CHANNEL_STEPS} steps, LeakyReLU > 0; at lr 2e-4: no dead channel "
    f"with ReLU and gradient norm at G's output ReLU / LeakyReLU >= "
    f"{MIN_GRADIENT_RATIO:g}"
)


class GeneratorGradientProbe(nn.Module):
    """Wraps D and records |dL/dx| for every input that requires grad.

    In gan_step only G's update passes a tensor that requires grad (the fake
    batch, not detached), so the records are exactly the gradients of G's loss
    with respect to G(z).
    """

    def __init__(self, netD: nn.Module) -> None:
        super().__init__()
        self.netD = netD
        self.norms: list[float] = []

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        if images.requires_grad:
            images.register_hook(self.record)
        return self.netD(images)

    def record(self, gradient: torch.Tensor) -> None:
        self.norms.append(gradient.norm().item())


def activation_modules(netD: nn.Module) -> list[nn.Module]:
    return [m for m in netD.modules() if isinstance(m, (nn.ReLU, nn.LeakyReLU))]


def zero_shares(
    netD: nn.Module, real: torch.Tensor, fake: torch.Tensor
) -> tuple[float, float]:
    """Return the share of D's activations that are exactly zero, and the share
    of those zeros whose gradient (w.r.t. the activation's input) is exactly zero.

    A copy of D with out-of-place activations is used, so the activation
    inputs survive for their gradients.
    """
    netD = copy.deepcopy(netD)
    captured: list[tuple[torch.Tensor, torch.Tensor]] = []

    def capture(
        module: nn.Module, inputs: tuple[torch.Tensor], output: torch.Tensor
    ) -> None:
        inputs[0].retain_grad()
        captured.append((inputs[0], output.detach()))

    handles = []
    for module in activation_modules(netD):
        module.inplace = False
        handles.append(module.register_forward_hook(capture))
    loss = binary_cross_entropy(netD(real), REAL_LABEL, logits=False)
    loss = loss + binary_cross_entropy(netD(fake), FAKE_LABEL, logits=False)
    loss.backward()
    for handle in handles:
        handle.remove()

    zeros = sum(int((output == 0).sum()) for _, output in captured)
    total = sum(output.numel() for _, output in captured)
    zeros_without_gradient = sum(
        int(((output == 0) & (tensor.grad == 0)).sum()) for tensor, output in captured
    )
    return zeros / total, zeros_without_gradient / zeros if zeros else 1.0


def batchnorm_block(netD: nn.Module) -> tuple[nn.Conv2d, nn.BatchNorm2d]:
    """Return D's first BatchNorm layer and the convolution feeding it."""
    layers = list(netD.main)
    index = next(
        i for i, layer in enumerate(layers) if isinstance(layer, nn.BatchNorm2d)
    )
    return layers[index - 1], layers[index]


def push_channel_negative(
    seed: int,
    activation: str,
    images: torch.Tensor,
    batch_size: int,
    device: torch.device,
    counter: common.Progress,
) -> tuple[list[float], float]:
    """Train with one channel's BatchNorm bias at DEAD_BIAS; return that
    channel's weight-gradient norm per step and how far its weights moved."""
    netG = common.build_generator(seed, device)
    netD = common.build_discriminator(seed, device, activation=activation)
    convolution, batchnorm = batchnorm_block(netD)
    with torch.no_grad():
        batchnorm.bias[DEAD_CHANNEL] = DEAD_BIAS
    start = convolution.weight[DEAD_CHANNEL].detach().clone()
    norms: list[float] = []

    def record(_: object) -> None:
        # After gan_step, D's gradients hold D's update plus G's backward pass
        # through D; both are zero for a dead ReLU channel.
        norms.append(convolution.weight.grad[DEAD_CHANNEL].norm().item())

    batches = common.BatchStream(images, batch_size, seed)
    common.adam_run(netG, netD).train(
        batches, DEAD_CHANNEL_STEPS, counter, on_step=record
    )
    moved = (convolution.weight[DEAD_CHANNEL].detach() - start).abs().max().item()
    return norms, moved


@torch.no_grad()
def count_dead_channels(netD: nn.Module, real: torch.Tensor, fake: torch.Tensor) -> int:
    """Count D's channels whose activation is zero for every pixel of both batches."""
    dead: list[torch.Tensor] = []

    def capture(
        module: nn.Module, inputs: tuple[torch.Tensor], output: torch.Tensor
    ) -> None:
        dead.append((output == 0).all(dim=(0, 2, 3)))

    handles = [m.register_forward_hook(capture) for m in activation_modules(netD)]
    netD(real)
    netD(fake)
    for handle in handles:
        handle.remove()
    half = len(dead) // 2
    return sum(
        int((on_real & on_fake).sum())
        for on_real, on_fake in zip(dead[:half], dead[half:], strict=True)
    )


def train_with_probe(
    seed: int,
    activation: str,
    lr: float,
    steps: int,
    images: torch.Tensor,
    batch_size: int,
    device: torch.device,
    counter: common.Progress,
) -> tuple[list[float], int]:
    """Train; return |dL_G/dG(z)| per step and the dead channels at the end."""
    netG = common.build_generator(seed, device)
    netD = common.build_discriminator(seed, device, activation=activation)
    probe = GeneratorGradientProbe(netD)
    batches = common.BatchStream(images, batch_size, seed)
    common.adam_run(netG, probe, lr=lr).train(batches, steps, counter)
    fake = common.generate(netG, batch_size, seed, device)
    return probe.norms, count_dead_channels(netD, next(batches), fake)


def mean(values: list[float]) -> float:
    return sum(values) / len(values)


def plot(
    path: Path,
    shares: dict[str, float],
    pushed: dict[str, list[float]],
    norms: dict[tuple[str, float], list[float]],
) -> Path:
    with plotting.figure(path, 1, 3, size=(15, 4.5)) as (_, axes):
        share_axis = axes[0, 0]
        share_axis.bar(list(shares), list(shares.values()))
        share_axis.set_ylim(0, 1)
        plotting.finish_axis(
            share_axis,
            title=plotting.label(
                "D activations exactly zero (one batch)",
                "정확히 0인 D 활성값 (배치 하나)",
            ),
            xlabel="",
            ylabel=plotting.label("share", "비율"),
        )
        pushed_axis = axes[0, 1]
        for activation, values in pushed.items():
            pushed_axis.plot(
                range(1, len(values) + 1), values, marker="o", label=activation
            )
        plotting.finish_axis(
            pushed_axis,
            title=plotting.label(
                f"weight gradient of a channel with BatchNorm bias {DEAD_BIAS:g}",
                f"BatchNorm 편향 {DEAD_BIAS:g}인 채널의 가중치 그래디언트",
            ),
            xlabel=plotting.label("step", "스텝"),
            ylabel=plotting.label("gradient norm", "그래디언트 노름"),
        )
        norm_axis = axes[0, 2]
        for (activation, lr), values in norms.items():
            window = max(1, len(values) // 20)
            smoothed = torch.tensor(values).unfold(0, window, 1).mean(dim=1).numpy()
            norm_axis.plot(smoothed, label=f"{activation}, lr {lr:g}")
        plotting.finish_axis(
            norm_axis,
            title=plotting.label(
                "|dL_G / dG(z)| during training", "학습 중 |dL_G / dG(z)|"
            ),
            xlabel=plotting.label("step", "스텝"),
            ylabel=plotting.label(
                "gradient norm (moving mean)", "그래디언트 노름 (이동 평균)"
            ),
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
    batch_size = batch_size or common.BATCH_SIZE
    total = len(ACTIVATIONS) * (DEAD_CHANNEL_STEPS + len(LEARNING_RATES) * steps)
    counter = common.Progress(total, progress)
    images, _ = common.load_real_images(cache_dir, device)

    real = next(common.BatchStream(images, batch_size, seed + 7))
    fake = common.generate(
        common.build_generator(seed, device), batch_size, seed, device
    )
    shares = {}
    for activation in ACTIVATIONS:
        netD = common.build_discriminator(seed, device, activation=activation)
        shares[activation] = zero_shares(netD, real, fake.detach())
    pushed = {
        activation: push_channel_negative(
            seed, activation, images, batch_size, device, counter
        )
        for activation in ACTIVATIONS
    }
    trainings = {
        (activation, lr): train_with_probe(
            seed, activation, lr, steps, images, batch_size, device, counter
        )
        for lr in LEARNING_RATES
        for activation in ACTIVATIONS
    }

    measurements = measure(shares, pushed, trainings)
    measured = {m.name: m.value for m in measurements}
    pushed_sums = [sum(pushed[activation][0]) for activation in ("relu", "leaky_relu")]
    ratios = [
        measured[f"gradient ratio relu / leaky_relu, lr {lr:g}"]
        for lr in LEARNING_RATES
    ]
    summary = (
        f"ReLU zeroed {shares['relu'][0]:.1%} of D's activations on one batch, "
        f"LeakyReLU {shares['leaky_relu'][0]:.1%}. The pushed channel's weight "
        f"gradient norms summed to {pushed_sums[0]:.3g} with ReLU and "
        f"{pushed_sums[1]:.3g} with LeakyReLU. Gradient at G's output, ReLU / "
        f"LeakyReLU: {ratios[0]} at lr 2e-4, {ratios[1]} at lr 2e-3."
    )
    png = plot(
        Path(out_dir) / f"{NAME}.png",
        {f"{a}": shares[a][0] for a in ACTIVATIONS},
        {a: pushed[a][0] for a in ACTIVATIONS},
        {key: value[0] for key, value in trainings.items()},
    )
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
        notes=[
            f"The gradient ratio at lr 2e-3 ({ratios[1]}) is reported for context "
            "only; the claim covers lr 2e-4."
        ],
    )


def measure(
    shares: dict[str, tuple[float, float]],
    pushed: dict[str, tuple[list[float], float]],
    trainings: dict[tuple[str, float], tuple[list[float], int]],
) -> list[Measurement]:
    relu_zero, relu_zero_gradient = shares["relu"]
    leaky_zero, _ = shares["leaky_relu"]
    measurements = [
        Measurement(
            "zero activation share, relu",
            round(relu_zero, 4),
            f"{HALF_RANGE[0]}..{HALF_RANGE[1]}",
            HALF_RANGE[0] <= relu_zero <= HALF_RANGE[1],
        ),
        Measurement(
            "share of those zeros with zero gradient, relu",
            round(relu_zero_gradient, 4),
            "= 1",
            relu_zero_gradient == 1.0,
        ),
        Measurement(
            "zero activation share, leaky_relu",
            round(leaky_zero, 4),
            "= 0",
            leaky_zero == 0.0,
        ),
    ]
    relu_norms, relu_moved = pushed["relu"]
    leaky_norms, leaky_moved = pushed["leaky_relu"]
    measurements += [
        Measurement(
            "pushed channel gradient norm sum, relu",
            sum(relu_norms),
            "= 0",
            sum(relu_norms) == 0.0,
        ),
        Measurement("pushed channel max weight change, relu", relu_moved),
        Measurement(
            "pushed channel gradient norm sum, leaky_relu",
            sum(leaky_norms),
            "> 0",
            sum(leaky_norms) > 0.0 and min(leaky_norms) > 0.0,
        ),
        Measurement("pushed channel max weight change, leaky_relu", leaky_moved),
    ]
    for lr in LEARNING_RATES:
        relu_norms, relu_dead = trainings["relu", lr]
        leaky_norms, leaky_dead = trainings["leaky_relu", lr]
        ratio = mean(relu_norms) / mean(leaky_norms)
        deciding = lr == LEARNING_RATES[0]
        measurements += [
            Measurement(
                f"dead channels, relu, lr {lr:g}",
                relu_dead,
                "= 0" if deciding else "",
                relu_dead == 0 if deciding else None,
            ),
            Measurement(f"dead channels, leaky_relu, lr {lr:g}", leaky_dead),
            Measurement(
                f"mean |dL_G/dG(z)|, relu, lr {lr:g}", round(mean(relu_norms), 4)
            ),
            Measurement(
                f"mean |dL_G/dG(z)|, leaky_relu, lr {lr:g}", round(mean(leaky_norms), 4)
            ),
            Measurement(
                f"gradient ratio relu / leaky_relu, lr {lr:g}",
                round(ratio, 3),
                f">= {MIN_GRADIENT_RATIO:g}" if deciding else "",
                ratio >= MIN_GRADIENT_RATIO if deciding else None,
            ),
        ]
    return measurements
