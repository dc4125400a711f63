"""The DCGAN training loop behind `dcgan-quiz train`, reporting through callbacks.

Typical use::

    images = open_dataset("digits", image_size=32)
    config = DCGANConfig(nc=1, image_size=32, ngf=32, ndf=32)
    result = train(config, images, epochs=20, out_dir=Path("runs/digits"))

Files written to out_dir (only by rank 0 under torchrun):

    samples/epoch-001.png ...   fixed-noise samples after each epoch
    samples/final.png           fixed-noise samples when training stops
    checkpoints/epoch-001.pt    checkpoint after each epoch
    checkpoints/final.pt        checkpoint when training stops
    losses.png                  Loss_D, Loss_G and D's outputs per step

Runs are reproducible for a given seed, device and process count: the seed
sets the weight initialisation and the shuffle order, and each step's noise
is drawn from a generator seeded with (seed, rank, step).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
from torch import nn

from dcgan_quiz.dcgan.checkpoints import (
    CheckpointError,
    TrainingState,
    load_checkpoint,
    save_checkpoint,
)
from dcgan_quiz.dcgan.config import DCGANConfig
from dcgan_quiz.dcgan.data import BatchLoader
from dcgan_quiz.dcgan.devices import resolve_device
from dcgan_quiz.dcgan.distributed import (
    ProcessInfo,
    detect_process,
    start_process_group,
    stop_process_group,
    unwrap_model,
    wrap_model,
)
from dcgan_quiz.dcgan.images import save_grid, save_loss_curve
from dcgan_quiz.dcgan.models import Discriminator, Generator
from dcgan_quiz.dcgan.step import StepMetrics, adam_optimizers, gan_step

HISTORY_KEYS = ("loss_d", "loss_g", "d_real", "d_fake_before", "d_fake_after")
SAMPLE_COUNT = 64  # fixed-noise samples per grid, an 8x8 grid


@dataclass(frozen=True)
class TrainingPlan:
    """Settings and step range of a run, reported once before the first step.

    Steps count from 1. ``start_step`` is the number of steps already done by
    a resumed checkpoint (0 for a new run), and the run stops after step
    ``total_steps``.
    """

    config: DCGANConfig
    device: str
    world_size: int
    image_count: int
    steps_per_epoch: int
    epochs: int
    start_step: int
    total_steps: int
    log_every: int
    out_dir: Path


@dataclass(frozen=True)
class EpochSummary:
    """Means of one epoch's step metrics and the files written after it."""

    epoch: int  # counted from 1
    step: int
    mean_loss_d: float
    mean_loss_g: float
    grid_path: Path
    checkpoint_path: Path
    loss_curve_path: Path


@dataclass
class TrainingResult:
    """The outcome of ``train``: trained models, counters, timings and files.

    The models are unwrapped from DDP and left in train mode. The paths are
    empty on processes other than rank 0, which write nothing.
    """

    config: DCGANConfig
    generator: nn.Module
    discriminator: nn.Module
    device: str
    world_size: int
    start_step: int
    step: int
    epoch: int  # completed epochs
    seconds: float
    images_per_second: float
    last_metrics: StepMetrics | None
    history: dict[str, list[float]]
    grid_paths: list[Path] = field(default_factory=list)
    checkpoint_paths: list[Path] = field(default_factory=list)
    final_grid: Path | None = None
    final_checkpoint: Path | None = None
    loss_curve: Path | None = None


@dataclass
class Callbacks:
    """Optional progress reporters; only rank 0 calls them."""

    on_start: Callable[[TrainingPlan], None] | None = None
    on_step: Callable[[StepMetrics], None] | None = None
    on_log: Callable[[StepMetrics], None] | None = None
    on_epoch: Callable[[EpochSummary], None] | None = None


@dataclass
class Models:
    """G and D, possibly wrapped in DDP, with their optimizers."""

    netG: nn.Module
    netD: nn.Module
    optimizerG: torch.optim.Optimizer
    optimizerD: torch.optim.Optimizer

    @property
    def generator(self) -> nn.Module:
        """G without its DDP wrapper, for sampling and checkpoints."""
        return unwrap_model(self.netG)

    @property
    def discriminator(self) -> nn.Module:
        return unwrap_model(self.netD)


def train(
    config: DCGANConfig,
    images: torch.Tensor,
    *,
    epochs: int,
    out_dir: Path,
    max_steps: int | None = None,
    seed: int = 0,
    device: str = "auto",
    resume: Path | TrainingState | None = None,
    log_every: int = 50,
    on_start: Callable[[TrainingPlan], None] | None = None,
    on_step: Callable[[StepMetrics], None] | None = None,
    on_log: Callable[[StepMetrics], None] | None = None,
    on_epoch: Callable[[EpochSummary], None] | None = None,
    process: ProcessInfo | None = None,
) -> TrainingResult:
    """Train G and D on images and write samples, checkpoints and a loss plot.

    Under torchrun, which sets RANK, WORLD_SIZE and LOCAL_RANK, every process
    calls train and trains on its own shard with DistributedDataParallel.
    Only rank 0 writes files and calls the callbacks.

    Args:
        config: model sizes and optimizer settings. ``config.batch_size`` is
            the batch of each process.
        images: (N, nc, size, size) in [-1, 1], as ``open_dataset`` returns.
        epochs: train until this many epochs are complete, counting those of
            a resumed checkpoint.
        out_dir: folder for the files listed in the module docstring.
        max_steps: stop after this step (counting a resumed checkpoint's
            steps) even if epochs are left.
        seed: seeds initialisation, shuffling and noise. A resumed run must
            use the checkpoint's seed.
        device: "auto", "cpu", "cuda" or "mps".
        resume: a checkpoint path or loaded state to continue from; training
            continues at the step after the saved one.
        log_every: call on_log every this many steps, and after the last.
        on_start, on_step, on_log, on_epoch: progress callbacks (see
            ``TrainingPlan``, ``StepMetrics`` and ``EpochSummary``).
        process: rank and world size; read from the environment when None.

    Returns:
        Counters, the per-step history and the paths written.

    Raises:
        ValueError: an argument is out of range or images do not match config.
        DeviceError: the device is not available.
        CheckpointError: resume is unreadable or does not match this run.
        DataError: the images make no full batch.
        TrainingDiverged: a loss or an output became NaN or infinite.
    """
    check_arguments(config, images, epochs, max_steps, log_every)
    process = detect_process() if process is None else process
    torch_device = resolve_device(device, process.local_rank)
    state = load_checkpoint(resume) if isinstance(resume, Path | str) else resume
    if state is not None:
        check_resume(state, config, seed)
    callbacks = Callbacks(on_start, on_step, on_log, on_epoch)

    start_process_group(process, torch_device)
    try:
        return run_training(
            config,
            images,
            epochs=epochs,
            max_steps=max_steps,
            seed=seed,
            device=torch_device,
            out_dir=Path(out_dir),
            state=state,
            log_every=log_every,
            callbacks=callbacks if process.is_main else Callbacks(),
            process=process,
        )
    finally:
        stop_process_group()


def check_arguments(
    config: DCGANConfig,
    images: torch.Tensor,
    epochs: int,
    max_steps: int | None,
    log_every: int,
) -> None:
    """Raise ValueError for counts below 1 or images that do not fit config."""
    if epochs < 1:
        raise ValueError(f"epochs must be at least 1, got {epochs}")
    if max_steps is not None and max_steps < 1:
        raise ValueError(f"max steps must be at least 1, got {max_steps}")
    if log_every < 1:
        raise ValueError(f"log every must be at least 1, got {log_every}")
    expected = (config.nc, config.image_size, config.image_size)
    if images.dim() != 4 or tuple(images.shape[1:]) != expected:
        raise ValueError(
            f"images have shape {tuple(images.shape)}, but the config needs "
            f"(N, {config.nc}, {config.image_size}, {config.image_size}); "
            "load them with open_dataset(source, image_size, nc)"
        )


def check_resume(state: TrainingState, config: DCGANConfig, seed: int) -> None:
    """Raise CheckpointError if the checkpoint was trained with other settings."""
    saved = state.config.to_dict()
    requested = config.to_dict()
    different = [
        f"{name} {saved[name]} (this run: {requested[name]})"
        for name in saved
        if saved[name] != requested[name]
    ]
    if state.seed != seed:
        different.append(f"seed {state.seed} (this run: {seed})")
    if different:
        raise CheckpointError(
            "the checkpoint was trained with "
            + ", ".join(different)
            + "; resume with the checkpoint's settings or start a new run"
        )


def run_training(
    config: DCGANConfig,
    images: torch.Tensor,
    *,
    epochs: int,
    max_steps: int | None,
    seed: int,
    device: torch.device,
    out_dir: Path,
    state: TrainingState | None,
    log_every: int,
    callbacks: Callbacks,
    process: ProcessInfo,
) -> TrainingResult:
    """Run the loop of ``train`` once the device and process group are ready."""
    if device.type == "cuda":
        # The input shapes never change, so cuDNN's autotuning pays off.
        torch.backends.cudnn.benchmark = True
    torch.manual_seed(seed)
    models = build_models(config, device, state)
    # Batches taken from a channels_last tensor stay channels_last, so the
    # conversion happens once here and not at every step.
    images = images.to(torch.float32).contiguous(memory_format=torch.channels_last)
    loader = BatchLoader(
        images,
        config.batch_size,
        seed=seed,
        rank=process.rank,
        world_size=process.world_size,
    )
    start_step = 0 if state is None else state.step
    total_steps = plan_total_steps(loader, epochs, max_steps, state)
    fixed_noise = make_fixed_noise(config, seed, state).to(device)
    history = {key: [] for key in HISTORY_KEYS}
    if state is not None:
        history.update({key: list(state.history.get(key, [])) for key in HISTORY_KEYS})
        torch.set_rng_state(state.rng_state["torch"])

    plan = TrainingPlan(
        config=config,
        device=str(device),
        world_size=process.world_size,
        image_count=len(images),
        steps_per_epoch=len(loader),
        epochs=epochs,
        start_step=start_step,
        total_steps=total_steps,
        log_every=log_every,
        out_dir=out_dir,
    )
    if callbacks.on_start is not None:
        callbacks.on_start(plan)

    loop = TrainingLoop(
        config, models, loader, plan, fixed_noise, history, seed, process, callbacks
    )
    return loop.run()


def build_models(
    config: DCGANConfig, device: torch.device, state: TrainingState | None
) -> Models:
    """Build G, D and their Adam optimizers in channels_last, restoring state."""
    netG = Generator(config.nz, config.ngf, config.nc, image_size=config.image_size)
    netD = Discriminator(config.nc, config.ndf, image_size=config.image_size)
    # channels_last (NHWC) lets oneDNN on CPUs and cuDNN on GPUs pick faster
    # convolution kernels. On one CPU thread with torch 2.13 it made a step
    # about 11% faster at 64x64 and 24% at 16x16 (benchmarks/train_speed.py
    # measures the whole training path).
    netG = netG.to(device, memory_format=torch.channels_last)
    netD = netD.to(device, memory_format=torch.channels_last)
    optimizerG, optimizerD = adam_optimizers(
        netG, netD, lr=config.lr, beta1=config.beta1, beta2=config.beta2
    )
    if state is not None:
        restore_state(state, netG, netD, optimizerG, optimizerD)
    return Models(
        wrap_model(netG, device), wrap_model(netD, device), optimizerG, optimizerD
    )


def restore_state(
    state: TrainingState,
    netG: nn.Module,
    netD: nn.Module,
    optimizerG: torch.optim.Optimizer,
    optimizerD: torch.optim.Optimizer,
) -> None:
    """Load weights and optimizer state from a checkpoint.

    Raises:
        CheckpointError: the saved tensors do not fit the configured models.
    """
    try:
        netG.load_state_dict(state.generator)
        netD.load_state_dict(state.discriminator)
        # Loading after construction restores Adam's moments and step counts
        # onto the parameters' device.
        optimizerG.load_state_dict(state.optimizer_generator)
        optimizerD.load_state_dict(state.optimizer_discriminator)
    except (RuntimeError, KeyError, ValueError, TypeError) as error:
        message = str(error).strip().splitlines()[0]
        raise CheckpointError(
            f"the checkpoint's weights do not fit a {state.config.image_size}x"
            f"{state.config.image_size} DCGAN with its config ({message}); pass "
            "a .pt file written by dcgan-quiz train"
        ) from error


def plan_total_steps(
    loader: BatchLoader,
    epochs: int,
    max_steps: int | None,
    state: TrainingState | None,
) -> int:
    """Return the step after which training stops.

    Raises:
        CheckpointError: the resumed checkpoint has another number of steps per
            epoch, or has already reached the stopping step.
    """
    total_steps = epochs * len(loader)
    if max_steps is not None:
        total_steps = min(total_steps, max_steps)
    if state is None:
        return total_steps
    if state.steps_per_epoch != len(loader):
        raise CheckpointError(
            f"the checkpoint ran {state.steps_per_epoch} steps per epoch, this run "
            f"has {len(loader)}; resume with the same data, batch size and "
            "number of processes"
        )
    if state.step >= total_steps:
        raise CheckpointError(
            f"the checkpoint is already at step {state.step} (epoch {state.epoch}); "
            "raise --epochs or --max-steps to train further"
        )
    return total_steps


def make_fixed_noise(
    config: DCGANConfig, seed: int, state: TrainingState | None
) -> torch.Tensor:
    """Return the noise behind every sample grid, the checkpoint's if resuming.

    It is drawn on the CPU from its own generator, so the grids of one seed
    show the same z on every device.
    """
    if state is not None:
        return state.fixed_noise
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(SAMPLE_COUNT, config.nz, 1, 1, generator=generator)


def step_noise(
    batch_size: int, nz: int, *, seed: int, rank: int, step: int
) -> torch.Tensor:
    """Return the noise for one step on one process, on the CPU.

    Seeding from (seed, rank, step) gives every process different noise and
    lets a resumed run draw the same noise as an uninterrupted one without a
    saved generator state.
    """
    entropy = np.random.SeedSequence([seed, rank, step]).generate_state(2)
    generator = torch.Generator().manual_seed(int(entropy[0]) << 32 | int(entropy[1]))
    return torch.randn(batch_size, nz, 1, 1, generator=generator)


def generate_samples(netG: nn.Module, noise: torch.Tensor) -> torch.Tensor:
    """Return G's images for noise, computed in eval mode without gradients.

    Eval mode makes BatchNorm use its running statistics and leaves them, and
    every other buffer, unchanged. G's previous mode is restored afterwards,
    also when G raises.
    """
    was_training = netG.training
    netG.eval()
    try:
        with torch.no_grad():
            return netG(noise).float().cpu()
    finally:
        netG.train(was_training)


class TrainingLoop:
    """The epochs of one ``train`` call and the files written between them."""

    def __init__(
        self,
        config: DCGANConfig,
        models: Models,
        loader: BatchLoader,
        plan: TrainingPlan,
        fixed_noise: torch.Tensor,
        history: dict[str, list[float]],
        seed: int,
        process: ProcessInfo,
        callbacks: Callbacks,
    ) -> None:
        self.config = config
        self.models = models
        self.loader = loader
        self.plan = plan
        self.fixed_noise = fixed_noise
        self.history = history
        self.seed = seed
        self.process = process
        self.callbacks = callbacks
        self.step = plan.start_step
        self.device = fixed_noise.device
        self.result = TrainingResult(
            config=config,
            generator=models.generator,
            discriminator=models.discriminator,
            device=plan.device,
            world_size=plan.world_size,
            start_step=plan.start_step,
            step=plan.start_step,
            epoch=plan.start_step // plan.steps_per_epoch,
            seconds=0.0,
            images_per_second=0.0,
            last_metrics=None,
            history=history,
        )

    def run(self) -> TrainingResult:
        """Train until the planned step, then write the final files."""
        started = time.perf_counter()
        steps_per_epoch = self.plan.steps_per_epoch
        first_epoch = self.step // steps_per_epoch
        for epoch in range(first_epoch, self.plan.epochs):
            if self.step >= self.plan.total_steps:
                break
            self.run_epoch(epoch, skip=self.step - epoch * steps_per_epoch)
            if self.step == (epoch + 1) * steps_per_epoch:
                self.result.epoch = epoch + 1
                self.finish_epoch(epoch + 1)

        self.result.seconds = time.perf_counter() - started
        steps_run = self.step - self.plan.start_step
        images_seen = steps_run * self.config.batch_size * self.process.world_size
        self.result.images_per_second = images_seen / max(self.result.seconds, 1e-9)
        self.result.step = self.step
        if self.process.is_main:
            self.write_final_files()
        return self.result

    def run_epoch(self, epoch: int, skip: int) -> None:
        """Run the steps of one epoch (counted from 0) up to the planned step."""
        models = self.models
        for real in self.loader.batches(epoch, skip=skip):
            if self.step >= self.plan.total_steps:
                return
            step = self.step + 1
            noise = step_noise(
                real.size(0),
                self.config.nz,
                seed=self.seed,
                rank=self.process.rank,
                step=step,
            )
            metrics = gan_step(
                models.netG,
                models.netD,
                real.to(self.device, non_blocking=True),
                optimizerG=models.optimizerG,
                optimizerD=models.optimizerD,
                nz=self.config.nz,
                step=step,
                noise=noise.to(self.device, non_blocking=True),
            )
            self.step = step
            self.record(metrics)

    def record(self, metrics: StepMetrics) -> None:
        """Append one step's metrics to the history and report them."""
        for key in HISTORY_KEYS:
            self.history[key].append(getattr(metrics, key))
        self.result.last_metrics = metrics
        if self.callbacks.on_step is not None:
            self.callbacks.on_step(metrics)
        last = metrics.step == self.plan.total_steps
        if self.callbacks.on_log is not None and (
            metrics.step % self.plan.log_every == 0 or last
        ):
            self.callbacks.on_log(metrics)

    def finish_epoch(self, epoch: int) -> None:
        """Write the epoch's grid, checkpoint and loss plot on rank 0."""
        if not self.process.is_main:
            return
        out_dir = self.plan.out_dir
        grid = save_grid(
            generate_samples(self.models.generator, self.fixed_noise),
            out_dir / "samples" / f"epoch-{epoch:03d}.png",
        )
        checkpoint = save_checkpoint(
            self.training_state(epoch),
            out_dir / "checkpoints" / f"epoch-{epoch:03d}.pt",
        )
        loss_curve = self.write_loss_curve()
        self.result.grid_paths.append(grid)
        self.result.checkpoint_paths.append(checkpoint)
        if self.callbacks.on_epoch is None:
            return
        steps = self.plan.steps_per_epoch
        self.callbacks.on_epoch(
            EpochSummary(
                epoch=epoch,
                step=self.step,
                mean_loss_d=float(np.mean(self.history["loss_d"][-steps:])),
                mean_loss_g=float(np.mean(self.history["loss_g"][-steps:])),
                grid_path=grid,
                checkpoint_path=checkpoint,
                loss_curve_path=loss_curve,
            )
        )

    def write_final_files(self) -> None:
        """Write the final grid, checkpoint and loss plot."""
        out_dir = self.plan.out_dir
        self.result.final_grid = save_grid(
            generate_samples(self.models.generator, self.fixed_noise),
            out_dir / "samples" / "final.png",
        )
        self.result.final_checkpoint = save_checkpoint(
            self.training_state(self.result.epoch),
            out_dir / "checkpoints" / "final.pt",
        )
        self.result.loss_curve = self.write_loss_curve()

    def write_loss_curve(self) -> Path:
        config = self.config
        title = (
            f"DCGAN {config.image_size}x{config.image_size}, nc {config.nc}, "
            f"ngf {config.ngf}, ndf {config.ndf}, batch {config.batch_size}"
        )
        return save_loss_curve(
            self.history, self.plan.out_dir / "losses.png", title=title
        )

    def training_state(self, epoch: int) -> TrainingState:
        """Return the state to checkpoint after the current step."""
        models = self.models
        return TrainingState(
            config=self.config,
            generator=models.generator.state_dict(),
            discriminator=models.discriminator.state_dict(),
            optimizer_generator=models.optimizerG.state_dict(),
            optimizer_discriminator=models.optimizerD.state_dict(),
            epoch=epoch,
            step=self.step,
            steps_per_epoch=self.plan.steps_per_epoch,
            seed=self.seed,
            fixed_noise=self.fixed_noise.cpu(),
            rng_state={"torch": torch.get_rng_state()},
            history=self.history,
        )
