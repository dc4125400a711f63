"""Device option resolution."""

from __future__ import annotations

import pytest
import torch

from dcgan_quiz.dcgan import devices
from dcgan_quiz.dcgan.devices import DeviceError, resolve_device


def test_cpu_resolves():
    assert resolve_device("cpu") == torch.device("cpu")


def test_auto_without_accelerators_is_cpu(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(devices, "mps_available", lambda: False)

    assert resolve_device("auto") == torch.device("cpu")


def test_auto_prefers_cuda(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)

    assert resolve_device("auto", local_rank=1) == torch.device("cuda", 1)


def test_unavailable_cuda_error(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)

    with pytest.raises(DeviceError, match="device cuda is not available"):
        resolve_device("cuda")


def test_too_few_gpus_error(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 1)

    with pytest.raises(DeviceError, match="only 1 are visible"):
        resolve_device("cuda", local_rank=1)


def test_unavailable_mps_error(monkeypatch):
    monkeypatch.setattr(devices, "mps_available", lambda: False)

    with pytest.raises(DeviceError, match="device mps is not available"):
        resolve_device("mps")


def test_unknown_device_error():
    with pytest.raises(DeviceError, match="use one of auto, cpu, cuda, mps"):
        resolve_device("tpu")
