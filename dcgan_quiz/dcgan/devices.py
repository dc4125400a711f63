"""Choice of the torch device for training: auto, cpu, cuda or mps."""

from __future__ import annotations

import torch

DEVICE_CHOICES = ("auto", "cpu", "cuda", "mps")


class DeviceError(ValueError):
    """A requested device that is unknown or not available in this torch build."""


def mps_available() -> bool:
    """Return whether Apple's Metal backend can run tensors here."""
    backend = getattr(torch.backends, "mps", None)
    return backend is not None and backend.is_available()


def resolve_device(name: str, local_rank: int = 0) -> torch.device:
    """Return the torch device for a device option.

    Args:
        name: "auto" picks CUDA, then MPS, then the CPU; the others must be
            available or DeviceError is raised.
        local_rank: index of the CUDA device this process uses under torchrun.

    Raises:
        DeviceError: the name is unknown or the device is not available.
    """
    if name not in DEVICE_CHOICES:
        raise DeviceError(
            f"unknown device {name!r}; use one of {', '.join(DEVICE_CHOICES)}"
        )
    if name == "auto":
        if torch.cuda.is_available():
            name = "cuda"
        elif mps_available():
            name = "mps"
        else:
            name = "cpu"
    if name == "cuda":
        return resolve_cuda(local_rank)
    if name == "mps" and not mps_available():
        raise DeviceError(
            "device mps is not available (it needs Apple silicon and a torch "
            "build with MPS); use --device cpu or --device auto"
        )
    return torch.device(name)


def resolve_cuda(local_rank: int) -> torch.device:
    """Return cuda:local_rank, or raise DeviceError if there is no such GPU."""
    if not torch.cuda.is_available():
        raise DeviceError(
            f"device cuda is not available (torch {torch.__version__} sees no "
            "CUDA GPU); use --device cpu or --device auto"
        )
    count = torch.cuda.device_count()
    if local_rank >= count:
        raise DeviceError(
            f"process with LOCAL_RANK {local_rank} needs a GPU, but only {count} "
            "are visible; start at most that many processes per node"
        )
    return torch.device("cuda", local_rank)
