"""Demo transposed-conv: what G's ConvTranspose2d layers compute, and their
checkerboard pattern.

Four probes of the real Generator:
1. the shape walk from z of shape (N, nz, 1, 1) to the image, checking each
   ConvTranspose2d against (H - 1) * stride - 2 * padding + kernel
   + output_padding;
2. conv_transpose2d(y, W) against the input gradient of conv2d(x, W), in
   float64, with the weights of G's first stride-2 layer;
3. the overlap count of a stride-2 layer with all weights 1 (kernel 3 covers
   output pixels 1, 2, 2 or 4 times, kernel 4 evenly);
4. checkerboard energy of G's samples at random init, for transposed
   convolutions with kernel 4 and 3 and for resize-convolution (nearest
   upsampling, then a 3x3 convolution), then again after a short training.

Checkerboard energy is the variance of the four 2x2 phase means (pixels with
even or odd row and column) as a share of the image's pixel variance. It is 0
when every phase has the same mean and large for a period-2 grid pattern.
Run it with ``dcgan-quiz demo transposed-conv``.
"""

from __future__ import annotations

import copy
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from dcgan_quiz.dcgan.models import Generator
from dcgan_quiz.demos import common, plotting
from dcgan_quiz.demos.result import DemoResult, Measurement

NAME = "transposed-conv"
# Below the minimum the measurements cannot decide the claim, so a run
# with fewer steps is rejected.
STEPS = common.StepBudget(quick=150, full=800, minimum=20)
INIT_COUNT = 8  # random inits averaged per upsampling kind
SAMPLE_COUNT = 256
MAX_GRADIENT_DIFFERENCE = 1e-12
MIN_CHECKERBOARD_RATIO = 5.0
UPSAMPLINGS = {
    "transposed k4": {"upsample": "transposed", "kernel_size": 4},
    "transposed k3": {"upsample": "transposed", "kernel_size": 3},
    "resize-conv": {"upsample": "resize"},
}
THRESHOLD = (
    "every ConvTranspose2d output size matches the formula; conv_transpose2d and "
    f"the conv2d input gradient differ by < {MAX_GRADIENT_DIFFERENCE:g} in float64; "
    "constant-weight overlap is 1:2:2:4 for kernel 3 and even for kernel 4; "
    f"checkerboard energy at init (mean of {INIT_COUNT} inits) of each "
    f"transposed G >= {MIN_CHECKERBOARD_RATIO:g} x that of the resize-conv G"
)


def walk_shapes(netG: Generator) -> tuple[list[str], int, int]:
    """Trace G on z; return one line per size-changing layer, and how many
    ConvTranspose2d layers matched the output-size formula out of how many."""
    lines = [f"z {tuple(['N', netG.nz, 1, 1])}"]
    matched = 0
    total = 0

    def record(
        module: nn.Module, inputs: tuple[torch.Tensor], output: torch.Tensor
    ) -> None:
        nonlocal matched, total
        height = inputs[0].shape[-1]
        shape = ("N", *output.shape[1:])
        if isinstance(module, nn.ConvTranspose2d):
            (kernel,), (stride,), (padding,) = (
                module.kernel_size[:1],
                module.stride[:1],
                module.padding[:1],
            )
            output_padding = module.output_padding[0]
            expected = (height - 1) * stride - 2 * padding + kernel + output_padding
            total += 1
            matched += expected == output.shape[-1]
            lines.append(
                f"ConvTranspose2d k{kernel} s{stride} p{padding} op{output_padding}: "
                f"({height} - 1)*{stride} - 2*{padding} + {kernel} + {output_padding} "
                f"= {expected} -> {shape}"
            )
        elif isinstance(module, nn.Upsample):
            lines.append(f"Upsample x2 nearest: {height} -> {shape}")

    handles = [
        module.register_forward_hook(record)
        for module in netG.main
        if isinstance(module, (nn.ConvTranspose2d, nn.Upsample))
    ]
    try:
        with torch.no_grad():
            netG(torch.zeros(2, netG.nz, 1, 1, device=next(netG.parameters()).device))
    finally:
        for handle in handles:
            handle.remove()
    return lines, matched, total


def first_stride_two_layer(netG: Generator) -> nn.ConvTranspose2d:
    layers = [m for m in netG.main if isinstance(m, nn.ConvTranspose2d)]
    return next(layer for layer in layers if layer.stride[0] == 2)


def gradient_difference(layer: nn.ConvTranspose2d, seed: int) -> float:
    """Return max |conv_transpose2d(y, W) - d<conv2d(x, W), y>/dx| in float64."""
    weight = layer.weight.detach().double().cpu()
    generator = torch.Generator().manual_seed(seed)
    in_channels = weight.shape[0]
    y = torch.randn(2, in_channels, 4, 4, generator=generator, dtype=torch.float64)
    options = {"stride": layer.stride, "padding": layer.padding}
    transposed = F.conv_transpose2d(
        y, weight, output_padding=layer.output_padding, **options
    )
    x = torch.zeros(transposed.shape, dtype=torch.float64, requires_grad=True)
    convolved = F.conv2d(x, weight, **options)
    (input_gradient,) = torch.autograd.grad(convolved, x, grad_outputs=y)
    return (transposed - input_gradient).abs().max().item()


def overlap_counts(layer: nn.ConvTranspose2d) -> torch.Tensor:
    """Return how many input pixels reach each output pixel, with all weights 1."""
    ones_layer = copy.deepcopy(layer).cpu().float()
    with torch.no_grad():
        ones_layer.weight.fill_(1.0)
        in_channels = ones_layer.weight.shape[0]
        output = ones_layer(torch.ones(1, in_channels, 8, 8))
    # Every output channel sums over all input channels, hence the division.
    return output[0, 0] / in_channels


def interior_levels(counts: torch.Tensor) -> list[int]:
    """Return the sorted counts of one interior 2x2 block (border pixels see
    fewer inputs, so they are left out)."""
    block = counts[4:6, 4:6].round().int().flatten().tolist()
    return sorted(block)


def checkerboard_energy(images: torch.Tensor) -> float:
    """Return the mean share of pixel variance held by the 2x2 phase means."""
    images = images.detach().double().cpu()
    phase_means = torch.stack(
        [
            images[..., row::2, column::2].mean(dim=(-1, -2))
            for row in (0, 1)
            for column in (0, 1)
        ],
        dim=-1,
    )
    phase_variance = phase_means.var(dim=-1, unbiased=False)
    pixel_variance = images.var(dim=(-1, -2), unbiased=False).clamp_min(1e-12)
    return (phase_variance / pixel_variance).mean().item()


def energy_at_init(seed: int, device: torch.device) -> dict[str, list[float]]:
    energies: dict[str, list[float]] = {name: [] for name in UPSAMPLINGS}
    for offset in range(INIT_COUNT):
        for name, options in UPSAMPLINGS.items():
            netG = common.build_generator(seed + 100 * offset, device, **options)
            energies[name].append(
                checkerboard_energy(common.generate(netG, SAMPLE_COUNT, seed, device))
            )
    return energies


def train_each(
    seed: int,
    steps: int,
    images: torch.Tensor,
    batch_size: int,
    device: torch.device,
    counter: common.Progress,
) -> dict[str, torch.Tensor]:
    samples = {}
    for name, options in UPSAMPLINGS.items():
        netG = common.build_generator(seed, device, **options)
        netD = common.build_discriminator(seed, device)
        batches = common.BatchStream(images, batch_size, seed)
        common.adam_run(netG, netD).train(batches, steps, counter)
        samples[name] = common.generate(netG, SAMPLE_COUNT, seed, device)
    return samples


def plot(
    path: Path,
    counts: dict[int, torch.Tensor],
    energies: dict[str, list[float]],
    trained: dict[str, torch.Tensor],
) -> Path:
    with plotting.figure(path, 2, 3, size=(12, 7)) as (_, axes):
        for column, kernel in enumerate((4, 3)):
            axis = axes[0, column]
            image = axis.imshow(counts[kernel].numpy(), cmap="viridis", vmin=0)
            axis.set_title(
                plotting.label(
                    f"overlap count, kernel {kernel} stride 2, weights 1",
                    f"겹침 횟수, 커널 {kernel} 스트라이드 2, 가중치 1",
                ),
                fontsize=9,
            )
            axis.figure.colorbar(image, ax=axis, fraction=0.046)
        bars = axes[0, 2]
        names = list(energies)
        bars.bar(names, [sum(values) / len(values) for values in energies.values()])
        bars.set_yscale("log")
        bars.tick_params(axis="x", labelsize=8, labelrotation=15)
        plotting.finish_axis(
            bars,
            title=plotting.label(
                f"checkerboard energy at init (mean of {INIT_COUNT})",
                f"초기화 시 체커보드 에너지 ({INIT_COUNT}회 평균)",
            ),
            xlabel="",
            ylabel=plotting.label("share of pixel variance", "픽셀 분산 대비 비율"),
        )
        for column, (name, samples) in enumerate(trained.items()):
            plotting.show_images(
                axes[1, column],
                samples[:24, 0].cpu().numpy(),
                6,
                plotting.label(f"{name} after training", f"학습 후 {name}"),
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
    counter = common.Progress(steps * len(UPSAMPLINGS), progress)
    images, _ = common.load_real_images(cache_dir, device)

    notes, matched, total = walk_shapes(common.build_generator(seed, device))
    canonical = Generator(100, 64, 3, image_size=64)
    canonical_notes, canonical_matched, canonical_total = walk_shapes(canonical)
    notes = [
        "G at 16x16, nc 1, ngf 32:",
        *notes,
        "G at 64x64, nc 3, ngf 64:",
        *canonical_notes,
    ]

    layers = {
        kernel: first_stride_two_layer(
            common.build_generator(seed, device, kernel_size=kernel)
        )
        for kernel in (4, 3)
    }
    differences = {
        kernel: gradient_difference(layer, seed) for kernel, layer in layers.items()
    }
    counts = {kernel: overlap_counts(layer) for kernel, layer in layers.items()}
    levels = {kernel: interior_levels(count) for kernel, count in counts.items()}

    energies = energy_at_init(seed, device)
    mean_energy = {name: sum(values) / len(values) for name, values in energies.items()}
    trained = train_each(
        seed, steps, images, batch_size or common.BATCH_SIZE, device, counter
    )

    measurements = [
        Measurement(
            "ConvTranspose2d sizes matching the formula",
            f"{matched + canonical_matched}/{total + canonical_total}",
            "all",
            matched + canonical_matched == total + canonical_total,
        ),
    ]
    for kernel in (4, 3):
        measurements.append(
            Measurement(
                f"max |conv_transpose2d - conv2d input gradient|, kernel {kernel}",
                differences[kernel],
                f"< {MAX_GRADIENT_DIFFERENCE:g}",
                differences[kernel] < MAX_GRADIENT_DIFFERENCE,
            )
        )
    measurements += [
        Measurement(
            "overlap levels, kernel 3 stride 2",
            ":".join(str(level) for level in levels[3]),
            "1:2:2:4",
            levels[3] == [1, 2, 2, 4],
        ),
        Measurement(
            "overlap levels, kernel 4 stride 2",
            ":".join(str(level) for level in levels[4]),
            "all equal",
            len(set(levels[4])) == 1,
        ),
    ]
    resize_energy = mean_energy["resize-conv"]
    for name in ("transposed k4", "transposed k3"):
        ratio = mean_energy[name] / max(resize_energy, 1e-12)
        measurements.append(
            Measurement(
                f"checkerboard energy at init, {name}", round(mean_energy[name], 5)
            )
        )
        measurements.append(
            Measurement(
                f"checkerboard ratio at init, {name} / resize-conv",
                round(ratio, 2),
                f">= {MIN_CHECKERBOARD_RATIO:g}",
                ratio >= MIN_CHECKERBOARD_RATIO,
            )
        )
    measurements.append(
        Measurement("checkerboard energy at init, resize-conv", round(resize_energy, 5))
    )
    measurements.append(
        Measurement(
            "checkerboard energy, real digits", round(checkerboard_energy(images), 5)
        )
    )
    for name, samples in trained.items():
        measurements.append(
            Measurement(
                f"checkerboard energy after {steps} steps, {name}",
                round(checkerboard_energy(samples), 5),
            )
        )

    summary = (
        f"At init the checkerboard energy was {mean_energy['transposed k4']:.3g} "
        f"(kernel 4) and {mean_energy['transposed k3']:.3g} (kernel 3) against "
        f"{resize_energy:.3g} for resize-conv; conv_transpose2d matched the conv2d "
        f"input gradient to {max(differences.values()):.1e}."
    )
    png = plot(Path(out_dir) / f"{NAME}.png", counts, energies, trained)
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
        notes=notes,
    )
