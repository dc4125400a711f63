"""Data-parallel training under torchrun, detected from its environment variables.

Run for example::

    torchrun --nproc_per_node 2 --master_addr 127.0.0.1 -m dcgan_quiz train ...

torchrun sets RANK, WORLD_SIZE and LOCAL_RANK for each process. ``train``
then joins the process group (gloo on the CPU, NCCL on CUDA), wraps G and D
in DistributedDataParallel and gives each process its own shard of the data.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel

from dcgan_quiz.dcgan.devices import DeviceError


@dataclass(frozen=True)
class ProcessInfo:
    """This process's place in a torchrun job; a plain run is rank 0 of 1."""

    rank: int = 0
    world_size: int = 1
    local_rank: int = 0

    @property
    def distributed(self) -> bool:
        return self.world_size > 1

    @property
    def is_main(self) -> bool:
        """Whether this process writes files and reports progress."""
        return self.rank == 0


def detect_process(environ: Mapping[str, str] | None = None) -> ProcessInfo:
    """Read RANK, WORLD_SIZE and LOCAL_RANK as torchrun sets them.

    Raises:
        ValueError: a variable is set but is not a valid whole number.
    """
    environ = os.environ if environ is None else environ
    values = {}
    for name, default in (("RANK", 0), ("WORLD_SIZE", 1), ("LOCAL_RANK", 0)):
        text = environ.get(name, "")
        try:
            values[name] = int(text) if text else default
        except ValueError:
            raise ValueError(
                f"environment variable {name}={text!r} is not a whole number; "
                "start distributed runs with torchrun, which sets it"
            ) from None
    info = ProcessInfo(values["RANK"], values["WORLD_SIZE"], values["LOCAL_RANK"])
    if info.world_size < 1 or not 0 <= info.rank < info.world_size:
        raise ValueError(
            f"RANK={info.rank} and WORLD_SIZE={info.world_size} are inconsistent; "
            "start distributed runs with torchrun, which sets them"
        )
    return info


def start_process_group(process: ProcessInfo, device: torch.device) -> None:
    """Join the torchrun process group unless this is a single-process run.

    The rendezvous address comes from MASTER_ADDR and MASTER_PORT, which
    torchrun sets from --master_addr and --master_port.

    Raises:
        DeviceError: the device type has no distributed backend here (MPS).
    """
    if not process.distributed or dist.is_initialized():
        return
    if device.type == "cuda":
        backend = "nccl"
        torch.cuda.set_device(device)
    elif device.type == "cpu":
        backend = "gloo"
    else:
        raise DeviceError(
            f"distributed training on {device.type} is not supported; "
            "use --device cpu or cuda under torchrun"
        )
    dist.init_process_group(
        backend, init_method="env://", rank=process.rank, world_size=process.world_size
    )


def stop_process_group() -> None:
    """Leave the process group if this process joined one."""
    if dist.is_available() and dist.is_initialized():
        dist.destroy_process_group()


def wrap_model(module: nn.Module, device: torch.device) -> nn.Module:
    """Wrap a model in DistributedDataParallel when a process group is running.

    Every parameter of G and D takes part in each backward pass that goes
    through the wrapper, so find_unused_parameters stays False. D goes
    through it twice per step, real and fake batch, each with its own
    backward. Each backward all-reduces the accumulated .grad, so D's final
    gradient is the rank mean of the sum, as in a single process. G's update
    calls D's bare module instead (see ``gan_step``). BatchNorm running
    statistics are broadcast from rank 0 at every forward pass through the
    wrapper (broadcast_buffers, the default), and rank 0's are the ones saved
    and sampled with.
    """
    if not (dist.is_available() and dist.is_initialized()):
        return module
    device_ids = [device.index] if device.type == "cuda" else None
    return DistributedDataParallel(module, device_ids=device_ids)


def unwrap_model(module: nn.Module) -> nn.Module:
    """Return the model inside a DistributedDataParallel wrapper, or module."""
    if isinstance(module, DistributedDataParallel):
        return module.module
    return module
