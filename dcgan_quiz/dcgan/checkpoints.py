"""Training checkpoints that contain only tensors, numbers, strings and containers.

A checkpoint is one ``torch.save`` file. It contains the run's config as a
dict, the state_dicts of G, D and both Adam optimizers, progress counters, the
fixed noise, torch's random number generator state as a tensor and the loss
history as lists of floats. Nothing in it is a pickled class, so it loads with
``torch.load(weights_only=True)``, whose unpickler rejects any other global.
A crafted file that would run code when unpickled is therefore rejected.
"""

from __future__ import annotations

import os
import pickle
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import torch

from dcgan_quiz.dcgan.config import DCGANConfig

CHECKPOINT_FORMAT = 1
REQUIRED_KEYS = (
    "format",
    "config",
    "generator",
    "discriminator",
    "optimizer_generator",
    "optimizer_discriminator",
    "epoch",
    "step",
    "steps_per_epoch",
    "seed",
    "fixed_noise",
    "rng_state",
    "history",
)


class CheckpointError(ValueError):
    """A checkpoint file that is missing, unsafe, damaged or incompatible."""


@dataclass
class TrainingState:
    """Everything needed to continue a run at the step after ``step``.

    ``epoch`` counts completed epochs, ``step`` completed steps. A checkpoint
    written mid-epoch has ``step > epoch * steps_per_epoch``, and a resumed
    run skips the batches of that epoch it already trained on.
    """

    config: DCGANConfig
    generator: dict[str, torch.Tensor]
    discriminator: dict[str, torch.Tensor]
    optimizer_generator: dict
    optimizer_discriminator: dict
    epoch: int
    step: int
    steps_per_epoch: int
    seed: int
    fixed_noise: torch.Tensor
    rng_state: dict[str, torch.Tensor]
    history: dict[str, list[float]] = field(default_factory=dict)

    def to_dict(self) -> dict:
        """Return the state as plain containers, ready for ``torch.save``."""
        return {
            "format": CHECKPOINT_FORMAT,
            "config": self.config.to_dict(),
            "generator": self.generator,
            "discriminator": self.discriminator,
            "optimizer_generator": self.optimizer_generator,
            "optimizer_discriminator": self.optimizer_discriminator,
            "epoch": self.epoch,
            "step": self.step,
            "steps_per_epoch": self.steps_per_epoch,
            "seed": self.seed,
            "fixed_noise": self.fixed_noise,
            "rng_state": self.rng_state,
            "history": {
                name: [float(value) for value in values]
                for name, values in self.history.items()
            },
        }


def save_checkpoint(state: TrainingState, path: Path) -> Path:
    """Write state to path and return the path.

    The file is written under a temporary name and then renamed, so an
    interrupted save never leaves a truncated checkpoint at path.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        torch.save(state.to_dict(), temporary)
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)
    return path


def load_checkpoint(
    path: Path, map_location: str | torch.device = "cpu"
) -> TrainingState:
    """Read a checkpoint written by ``save_checkpoint``.

    Args:
        path: the ``.pt`` file.
        map_location: device for every tensor. The default, "cpu", also opens
            checkpoints saved from CUDA tensors on a machine without a GPU.

    Raises:
        CheckpointError: the file is missing or damaged, contains Python
            objects other than tensors and plain containers (and so could run
            code when unpickled), or lacks the fields this version writes.
    """
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(
            f"{path}: checkpoint not found; pass a .pt file written by "
            "dcgan-quiz train (in OUT/checkpoints)"
        )
    if path.is_dir():
        raise CheckpointError(f"{path} is a folder; pass a .pt file inside it")
    try:
        with warnings.catch_warnings():
            # torch warns about pickle protocols of files it then rejects anyway.
            warnings.simplefilter("ignore", UserWarning)
            data = torch.load(path, map_location=map_location, weights_only=True)
    except pickle.UnpicklingError as error:
        # torch's message suggests weights_only=False, the unsafe load this
        # refusal exists to prevent, so it is left out.
        raise CheckpointError(
            f"{path}: rejected: not a dcgan-quiz checkpoint, or one holding Python "
            "objects other than tensors, numbers, strings and containers, whose "
            "loading could run code; use only checkpoints written by dcgan-quiz "
            "train"
        ) from error
    except (RuntimeError, OSError, EOFError, zipfile.BadZipFile) as error:
        raise CheckpointError(
            f"{path}: cannot read the checkpoint ({first_line(error)}); "
            "the file may be truncated or not a PyTorch checkpoint"
        ) from error
    except (KeyError, IndexError, ValueError, TypeError, AttributeError) as error:
        # The weights-only unpickler raises these on arbitrary bytes.
        raise CheckpointError(
            f"{path}: not a dcgan-quiz checkpoint ({type(error).__name__}: "
            f"{first_line(error)}); pass a .pt file written by dcgan-quiz train"
        ) from error
    return state_from_dict(data, path)


def first_line(error: BaseException) -> str:
    """Return the first line of an error message, which is the cause in torch's."""
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def state_from_dict(data: object, path: Path) -> TrainingState:
    """Check the loaded containers and build a TrainingState from them.

    Raises:
        CheckpointError: a field is missing or the config is invalid.
    """
    if not isinstance(data, dict):
        raise CheckpointError(
            f"{path}: not a dcgan-quiz checkpoint (top level is "
            f"{type(data).__name__}, expected a dict)"
        )
    missing = [key for key in REQUIRED_KEYS if key not in data]
    if missing:
        raise CheckpointError(
            f"{path}: not a dcgan-quiz checkpoint; missing {', '.join(missing)}"
        )
    if data["format"] != CHECKPOINT_FORMAT:
        raise CheckpointError(
            f"{path}: checkpoint format {data['format']!r} is not supported; "
            f"this version reads format {CHECKPOINT_FORMAT}"
        )
    try:
        config = DCGANConfig(**data["config"])
    except (TypeError, ValueError) as error:
        raise CheckpointError(
            f"{path}: invalid config in checkpoint: {error}"
        ) from error
    try:
        return build_state(data, config)
    except (TypeError, ValueError, AttributeError) as error:
        raise CheckpointError(
            f"{path}: invalid field in checkpoint ({error}); pass a .pt file "
            "written by dcgan-quiz train"
        ) from error


def build_state(data: dict, config: DCGANConfig) -> TrainingState:
    return TrainingState(
        config=config,
        generator=data["generator"],
        discriminator=data["discriminator"],
        optimizer_generator=data["optimizer_generator"],
        optimizer_discriminator=data["optimizer_discriminator"],
        epoch=int(data["epoch"]),
        step=int(data["step"]),
        steps_per_epoch=int(data["steps_per_epoch"]),
        seed=int(data["seed"]),
        fixed_noise=data["fixed_noise"],
        rng_state=dict(data["rng_state"]),
        history={name: list(values) for name, values in data["history"].items()},
    )
