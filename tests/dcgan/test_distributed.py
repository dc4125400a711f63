"""torchrun detection and two CPU processes training with DDP over gloo.

The subprocesses bind to the loopback interface only: torchrun gets
--master_addr 127.0.0.1, and GLOO_SOCKET_IFNAME=lo keeps gloo on it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from dcgan_quiz.dcgan.checkpoints import load_checkpoint
from dcgan_quiz.dcgan.distributed import ProcessInfo, detect_process

from .conftest import random_uint8

ROOT = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).with_name("ddp_worker.py")


def test_detect_plain_run():
    assert detect_process({}) == ProcessInfo(rank=0, world_size=1, local_rank=0)


def test_detect_torchrun_variables():
    info = detect_process({"RANK": "3", "WORLD_SIZE": "4", "LOCAL_RANK": "1"})

    assert info == ProcessInfo(rank=3, world_size=4, local_rank=1)
    assert info.distributed
    assert not info.is_main


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"RANK": "one"}, "RANK='one' is not a whole number"),
        ({"RANK": "2", "WORLD_SIZE": "2"}, "RANK=2 and WORLD_SIZE=2"),
    ],
)
def test_detect_invalid_variables(environ, message):
    with pytest.raises(ValueError, match=message):
        detect_process(environ)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_torchrun(arguments: list[str], cwd: Path) -> subprocess.CompletedProcess:
    environ = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "MASTER_ADDR": "127.0.0.1",
        "GLOO_SOCKET_IFNAME": "lo",
        "OMP_NUM_THREADS": "1",
    }
    command = [
        sys.executable,
        "-m",
        "torch.distributed.run",
        "--nproc_per_node",
        "2",
        "--master_addr",
        "127.0.0.1",
        "--master_port",
        str(free_port()),
        *arguments,
    ]
    return subprocess.run(
        command, cwd=cwd, env=environ, capture_output=True, text=True, timeout=180
    )


def test_torchrun_cli_two_processes(tmp_path):
    data = tmp_path / "images.npz"
    np.savez(data, images=random_uint8((32, 16, 16)))
    out = tmp_path / "out"

    # 32 images on 2 ranks with batch 8 make 2 steps per epoch, so step 3
    # comes after the end of epoch 1.
    completed = run_torchrun(
        [
            "-m",
            "dcgan_quiz",
            "train",
            "--data",
            str(data),
            "--image-size",
            "16",
            "--nz",
            "16",
            "--ngf",
            "8",
            "--ndf",
            "8",
            "--batch-size",
            "8",
            "--max-steps",
            "3",
            "--log-every",
            "1",
            "--device",
            "cpu",
            "--out",
            str(out),
        ],
        cwd=tmp_path,
    )

    assert completed.returncode == 0, completed.stderr[-3000:]
    assert completed.stdout.count("Training a 16x16 DCGAN") == 1
    assert "2 processes" in completed.stdout
    assert completed.stdout.count("[1/25][1/3]") == 1
    written = sorted(path.relative_to(out).as_posix() for path in out.rglob("*"))
    assert written == [
        "checkpoints",
        "checkpoints/epoch-001.pt",
        "checkpoints/final.pt",
        "losses.png",
        "samples",
        "samples/epoch-001.png",
        "samples/final.png",
    ]
    saved = load_checkpoint(out / "checkpoints" / "final.pt")
    assert (saved.step, saved.epoch, saved.steps_per_epoch) == (3, 1, 2)


def test_torchrun_ranks_stay_in_sync(tmp_path):
    completed = run_torchrun([str(WORKER), str(tmp_path)], cwd=tmp_path)

    assert completed.returncode == 0, completed.stderr[-3000:]
    ranks = [torch.load(tmp_path / f"rank-{rank}.pt") for rank in (0, 1)]
    assert ranks[0]["step"] == ranks[1]["step"] == 4
    # Only rank 0 reports progress.
    assert ranks[0]["callbacks"] == 4
    assert ranks[1]["callbacks"] == 0
    # DDP averages the gradients, so both ranks apply the same updates.
    for name, tensor in ranks[0]["parameters"].items():
        assert torch.equal(ranks[1]["parameters"][name], tensor), name
