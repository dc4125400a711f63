"""The training loop: files, callbacks, sampling, resume and errors."""

from __future__ import annotations

from dataclasses import replace

import pytest
import torch
from PIL import Image
from torch import nn

from dcgan_quiz.dcgan.checkpoints import CheckpointError, load_checkpoint
from dcgan_quiz.dcgan.models import Generator
from dcgan_quiz.dcgan.step import TrainingDiverged
from dcgan_quiz.dcgan.training import generate_samples, train


def batch_norm_buffers(module: nn.Module) -> dict[str, torch.Tensor]:
    return {name: buffer.clone() for name, buffer in module.named_buffers()}


def test_sampling_keeps_buffers_and_mode():
    netG = Generator(16, 8, 1, image_size=16)
    netG.train()
    # Give the running statistics values that a train-mode pass would change.
    netG(torch.randn(8, 16, 1, 1))
    before = batch_norm_buffers(netG)
    assert any(name.endswith("running_mean") for name in before)

    samples = generate_samples(netG, torch.randn(4, 16, 1, 1))

    assert samples.shape == (4, 1, 16, 16)
    assert netG.training
    assert all(module.training for module in netG.modules())
    for name, buffer in netG.named_buffers():
        assert torch.equal(buffer, before[name]), name


def test_sampling_keeps_eval_mode():
    netG = Generator(16, 8, 1, image_size=16).eval()

    generate_samples(netG, torch.randn(2, 16, 1, 1))

    assert not netG.training


def test_train_writes_files(tmp_path, tiny_config, tiny_images):
    plans, steps, logs, epochs = [], [], [], []

    result = train(
        tiny_config,
        tiny_images,
        epochs=2,
        out_dir=tmp_path,
        device="cpu",
        log_every=5,
        on_start=plans.append,
        on_step=steps.append,
        on_log=logs.append,
        on_epoch=epochs.append,
    )

    assert result.step == 16
    assert result.epoch == 2
    assert [metrics.step for metrics in steps] == list(range(1, 17))
    assert [metrics.step for metrics in logs] == [5, 10, 15, 16]
    assert [summary.epoch for summary in epochs] == [1, 2]
    assert plans[0].steps_per_epoch == 8
    assert plans[0].total_steps == 16
    assert len(result.history["loss_d"]) == 16
    for name in ("epoch-001.png", "epoch-002.png", "final.png"):
        with Image.open(tmp_path / "samples" / name) as grid:
            # 64 samples of 16x16 in an 8x8 grid with 2-pixel padding.
            assert grid.size == (146, 146)
    for name in ("epoch-001.pt", "epoch-002.pt", "final.pt"):
        assert (tmp_path / "checkpoints" / name).is_file()
    assert (tmp_path / "losses.png").stat().st_size > 0
    assert result.final_grid == tmp_path / "samples" / "final.png"
    assert result.loss_curve == tmp_path / "losses.png"


def test_max_steps_stops_mid_epoch(tmp_path, tiny_config, tiny_images):
    result = train(
        tiny_config, tiny_images, epochs=5, max_steps=3, out_dir=tmp_path, device="cpu"
    )

    assert result.step == 3
    assert result.epoch == 0
    assert not (tmp_path / "checkpoints" / "epoch-001.pt").exists()
    saved = load_checkpoint(tmp_path / "checkpoints" / "final.pt")
    assert (saved.step, saved.epoch) == (3, 0)


def test_checkpoint_weights_channels_last(tmp_path, tiny_config, tiny_images):
    train(tiny_config, tiny_images, epochs=1, max_steps=1, out_dir=tmp_path)

    saved = load_checkpoint(tmp_path / "checkpoints" / "final.pt")

    weight = saved.discriminator["main.2.weight"]
    assert weight.is_contiguous(memory_format=torch.channels_last)


def test_resume_matches_uninterrupted(tmp_path, tiny_config, tiny_images):
    """3 steps, then resume to step 11, equals 11 steps in one run."""
    straight = train(
        tiny_config, tiny_images, epochs=2, max_steps=11, out_dir=tmp_path / "a", seed=4
    )
    train(
        tiny_config, tiny_images, epochs=2, max_steps=3, out_dir=tmp_path / "b", seed=4
    )
    plans, steps = [], []

    resumed = train(
        tiny_config,
        tiny_images,
        epochs=2,
        max_steps=11,
        out_dir=tmp_path / "c",
        seed=4,
        resume=tmp_path / "b" / "checkpoints" / "final.pt",
        on_start=plans.append,
        on_step=steps.append,
    )

    assert plans[0].start_step == 3
    assert steps[0].step == 4
    assert resumed.step == 11
    assert resumed.history == straight.history
    expected = load_checkpoint(tmp_path / "a" / "checkpoints" / "final.pt")
    actual = load_checkpoint(tmp_path / "c" / "checkpoints" / "final.pt")
    for name, tensor in expected.generator.items():
        assert torch.equal(actual.generator[name], tensor), name
    for name, tensor in expected.discriminator.items():
        assert torch.equal(actual.discriminator[name], tensor), name
    for key in ("optimizer_generator", "optimizer_discriminator"):
        expected_state = getattr(expected, key)["state"]
        actual_state = getattr(actual, key)["state"]
        for index, values in expected_state.items():
            for name, tensor in values.items():
                assert torch.equal(actual_state[index][name], tensor), (key, name)


def test_resume_restores_optimizer_state(tmp_path, tiny_config, tiny_images):
    train(tiny_config, tiny_images, epochs=1, max_steps=2, out_dir=tmp_path)
    saved = load_checkpoint(tmp_path / "checkpoints" / "final.pt")

    # Resuming for one more step must start from Adam's saved step count.
    train(
        tiny_config,
        tiny_images,
        epochs=1,
        max_steps=3,
        out_dir=tmp_path / "more",
        resume=saved,
    )
    after = load_checkpoint(tmp_path / "more" / "checkpoints" / "final.pt")

    for key in ("optimizer_generator", "optimizer_discriminator"):
        state = getattr(after, key)["state"]
        assert all(values["step"].item() == 3 for values in state.values()), key


def test_resume_other_config_rejected(tmp_path, tiny_config, tiny_images):
    train(tiny_config, tiny_images, epochs=1, max_steps=1, out_dir=tmp_path)
    checkpoint = tmp_path / "checkpoints" / "final.pt"

    with pytest.raises(CheckpointError) as raised:
        train(
            replace(tiny_config, ngf=16, lr=1e-3),
            tiny_images,
            epochs=1,
            out_dir=tmp_path,
            resume=checkpoint,
        )
    assert "ngf 8 (this run: 16)" in str(raised.value)
    assert "lr 0.0002 (this run: 0.001)" in str(raised.value)

    with pytest.raises(CheckpointError, match="seed 0 \\(this run: 1\\)"):
        train(
            tiny_config,
            tiny_images,
            epochs=1,
            out_dir=tmp_path,
            resume=checkpoint,
            seed=1,
        )


def test_resume_finished_run_rejected(tmp_path, tiny_config, tiny_images):
    train(tiny_config, tiny_images, epochs=1, max_steps=2, out_dir=tmp_path)

    with pytest.raises(CheckpointError, match="already at step 2"):
        train(
            tiny_config,
            tiny_images,
            epochs=1,
            max_steps=2,
            out_dir=tmp_path,
            resume=tmp_path / "checkpoints" / "final.pt",
        )


def test_resume_other_data_size_rejected(tmp_path, tiny_config, tiny_images):
    train(tiny_config, tiny_images, epochs=1, max_steps=1, out_dir=tmp_path)

    with pytest.raises(CheckpointError, match="8 steps per epoch, this run has 4"):
        train(
            tiny_config,
            tiny_images[:32],
            epochs=3,
            out_dir=tmp_path,
            resume=tmp_path / "checkpoints" / "final.pt",
        )


def test_images_config_mismatch_error(tmp_path, tiny_config, tiny_images):
    with pytest.raises(ValueError, match="the config needs \\(N, 3, 16, 16\\)"):
        train(replace(tiny_config, nc=3), tiny_images, epochs=1, out_dir=tmp_path)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"epochs": 0}, "epochs must be at least 1"),
        ({"epochs": 1, "max_steps": 0}, "max steps must be at least 1"),
        ({"epochs": 1, "log_every": 0}, "log every must be at least 1"),
    ],
)
def test_invalid_counts_error(tmp_path, tiny_config, tiny_images, arguments, message):
    with pytest.raises(ValueError, match=message):
        train(tiny_config, tiny_images, out_dir=tmp_path, **arguments)


def test_divergence_raises_and_writes_nothing(tmp_path, tiny_config, tiny_images):
    with pytest.raises(TrainingDiverged, match="training diverged at step"):
        train(
            replace(tiny_config, lr=1e20),
            tiny_images,
            epochs=3,
            out_dir=tmp_path / "run",
        )

    assert not (tmp_path / "run").exists()
