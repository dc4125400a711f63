"""Checkpoint round trip, CPU loading of CUDA-tagged storage, unsafe files."""

from __future__ import annotations

import os
import pickle

import pytest
import torch

from dcgan_quiz.dcgan.checkpoints import (
    CheckpointError,
    TrainingState,
    load_checkpoint,
    save_checkpoint,
)
from dcgan_quiz.dcgan.config import DCGANConfig
from dcgan_quiz.dcgan.models import Discriminator, Generator
from dcgan_quiz.dcgan.step import adam_optimizers


def make_state(config: DCGANConfig) -> TrainingState:
    torch.manual_seed(0)
    netG = Generator(config.nz, config.ngf, config.nc, image_size=config.image_size)
    netD = Discriminator(config.nc, config.ndf, image_size=config.image_size)
    optimizerG, optimizerD = adam_optimizers(netG, netD, lr=config.lr, beta1=0.5)
    return TrainingState(
        config=config,
        generator=netG.state_dict(),
        discriminator=netD.state_dict(),
        optimizer_generator=optimizerG.state_dict(),
        optimizer_discriminator=optimizerD.state_dict(),
        epoch=2,
        step=17,
        steps_per_epoch=8,
        seed=5,
        fixed_noise=torch.randn(4, config.nz, 1, 1),
        rng_state={"torch": torch.get_rng_state()},
        history={"loss_d": [1.5, 1.25], "loss_g": [0.5, 0.75]},
    )


def test_round_trip(tmp_path, tiny_config):
    state = make_state(tiny_config)

    loaded = load_checkpoint(save_checkpoint(state, tmp_path / "run" / "a.pt"))

    assert loaded.config == tiny_config
    assert (loaded.epoch, loaded.step, loaded.steps_per_epoch) == (2, 17, 8)
    assert loaded.seed == 5
    assert loaded.history == {"loss_d": [1.5, 1.25], "loss_g": [0.5, 0.75]}
    assert torch.equal(loaded.fixed_noise, state.fixed_noise)
    assert torch.equal(loaded.rng_state["torch"], state.rng_state["torch"])
    for name, tensor in state.generator.items():
        assert torch.equal(loaded.generator[name], tensor), name
    assert loaded.optimizer_generator["param_groups"][0]["lr"] == tiny_config.lr
    assert not list((tmp_path / "run").glob("*.tmp"))


def test_malicious_pickle_rejected_runs_nothing(tmp_path):
    marker = tmp_path / "pwned"

    class Exploit:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    path = tmp_path / "evil.pt"
    torch.save({"format": 1, "payload": Exploit()}, path)

    with pytest.raises(CheckpointError) as raised:
        load_checkpoint(path)

    assert "rejected" in str(raised.value)
    assert "could run code" in str(raised.value)
    assert not marker.exists()


def test_malicious_raw_pickle_rejected(tmp_path):
    """A plain pickle (not a torch zip archive) goes through the same check."""
    marker = tmp_path / "pwned"

    class Exploit:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    path = tmp_path / "evil.pt"
    path.write_bytes(pickle.dumps(Exploit(), protocol=2))

    with pytest.raises(CheckpointError):
        load_checkpoint(path)

    assert not marker.exists()


def test_cuda_tagged_storage_loads_on_cpu(tmp_path, tiny_config, monkeypatch):
    """Storage recorded as cuda:0 in the file loads onto the CPU.

    No GPU is needed: torch.save writes each storage's device as a string that
    location_tag returns, so patching it writes the tag a CUDA save writes.
    """
    state = make_state(tiny_config)
    monkeypatch.setattr(torch.serialization, "location_tag", lambda storage: "cuda:0")
    path = save_checkpoint(state, tmp_path / "gpu.pt")
    monkeypatch.undo()

    if not torch.cuda.is_available():
        # Proves the file really is tagged for CUDA: a plain load fails.
        with pytest.raises(RuntimeError, match="CUDA"):
            torch.load(path, weights_only=True)
    loaded = load_checkpoint(path)

    assert loaded.fixed_noise.device.type == "cpu"
    assert all(t.device.type == "cpu" for t in loaded.generator.values())
    assert torch.equal(loaded.fixed_noise, state.fixed_noise)


def test_missing_file_error(tmp_path):
    with pytest.raises(CheckpointError, match="checkpoint not found"):
        load_checkpoint(tmp_path / "nope.pt")


def test_truncated_file_error(tmp_path, tiny_config):
    path = save_checkpoint(make_state(tiny_config), tmp_path / "a.pt")
    path.write_bytes(path.read_bytes()[:1000])

    with pytest.raises(CheckpointError, match="cannot read the checkpoint"):
        load_checkpoint(path)


def test_foreign_checkpoint_error(tmp_path):
    path = tmp_path / "weights.pt"
    torch.save({"state_dict": {"w": torch.zeros(2)}}, path)

    with pytest.raises(CheckpointError, match="not a dcgan-quiz checkpoint"):
        load_checkpoint(path)


def test_invalid_config_error(tmp_path, tiny_config):
    data = make_state(tiny_config).to_dict()
    data["config"]["image_size"] = 20
    path = tmp_path / "a.pt"
    torch.save(data, path)

    with pytest.raises(CheckpointError, match="invalid config"):
        load_checkpoint(path)
