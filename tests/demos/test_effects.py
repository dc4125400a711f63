"""Each demo's effect, measured on the real DCGAN classes for two seeds.

The configurations are smaller than the demos' quick defaults (fewer steps,
batch 32) where the effect still shows at that size. bce-loss keeps its quick
default (400 steps, batch 64) because the saturating loss with Adam needs that
long to train G. Torch runs on one thread (conftest.py); with torch 2.13 CPU a
seed then gave the same numbers from run to run on one machine.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from dcgan_quiz.demos.result import DemoResult

RunDemo = Callable[..., DemoResult]

SEEDS = (0, 1)


@pytest.mark.parametrize("seed", SEEDS)
def test_sigmoid_output_reads_real_above_half(run_demo: RunDemo, seed: int) -> None:
    result = run_demo("sigmoid-output", seed=seed, steps=100, batch_size=32)
    measured = result.measured

    assert measured["D(x) > 0.5 from step"] <= 30
    assert measured["share of steps after 30 with D(G(z)) < 0.5"] >= 0.95
    assert measured["share of steps with D(x) > D(G(z))"] >= 0.95
    assert result.holds
    assert result.png is not None and result.png.stat().st_size > 0


@pytest.mark.parametrize("seed", SEEDS)
def test_transposed_conv_probes(run_demo: RunDemo, seed: int) -> None:
    result = run_demo("transposed-conv", seed=seed, steps=30, batch_size=32)
    measured = result.measured

    assert measured["ConvTranspose2d sizes matching the formula"] == "8/8"
    for kernel in (4, 3):
        name = f"max |conv_transpose2d - conv2d input gradient|, kernel {kernel}"
        assert measured[name] < 1e-12
    assert measured["overlap levels, kernel 3 stride 2"] == "1:2:2:4"
    assert measured["overlap levels, kernel 4 stride 2"] == "4:4:4:4"
    for kind in ("transposed k4", "transposed k3"):
        ratio = measured[f"checkerboard ratio at init, {kind} / resize-conv"]
        assert ratio >= 5
    assert any("(1 - 1)*1 - 2*0 + 4 + 0 = 4" in note for note in result.notes)
    assert result.holds


@pytest.mark.parametrize("seed", SEEDS)
def test_tanh_range_sigmoid_generator_fails(run_demo: RunDemo, seed: int) -> None:
    result = run_demo("tanh-range", seed=seed, steps=300, batch_size=32)
    measured = result.measured
    real_negative = measured["negative pixel share, data [-1, 1]"]
    real_std = measured["pixel std per image, data [-1, 1]"]

    assert abs(measured["negative pixel share, tanh G"] - real_negative) <= 0.1
    assert measured["negative pixel share, sigmoid G"] == 0.0
    assert measured["D separates at step, sigmoid G"] <= 50
    assert measured["pixel std per image, sigmoid G"] < 0.1 * real_std
    assert measured["pixel std per image, tanh G"] > 0.3 * real_std
    # Data in [0, 1] with a Tanh G still trains: better FD than the Sigmoid G.
    unit_distance = measured["FD, tanh G on data [0, 1] (samples mapped to [-1, 1])"]
    assert unit_distance < measured["FD, sigmoid G"] / 4
    assert result.holds


@pytest.mark.parametrize("seed", SEEDS)
def test_leaky_relu_gradient_flow(run_demo: RunDemo, seed: int) -> None:
    result = run_demo("leaky-relu", seed=seed, steps=120, batch_size=32)
    measured = result.measured

    assert 0.35 <= measured["zero activation share, relu"] <= 0.65
    assert measured["share of those zeros with zero gradient, relu"] == 1.0
    assert measured["zero activation share, leaky_relu"] == 0.0
    assert measured["pushed channel gradient norm sum, relu"] == 0.0
    assert measured["pushed channel max weight change, relu"] == 0.0
    assert measured["pushed channel gradient norm sum, leaky_relu"] > 0.0
    assert measured["pushed channel max weight change, leaky_relu"] > 0.0
    assert measured["dead channels, relu, lr 0.0002"] == 0
    assert measured["gradient ratio relu / leaky_relu, lr 0.0002"] >= 1.0
    assert result.holds


@pytest.mark.parametrize("seed", SEEDS)
def test_adam_beta_half_and_rmsprop_win(run_demo: RunDemo, seed: int) -> None:
    # At 300 steps and batch 32 the factor was 2.19 (seed 0) and 2.32 (seed 1).
    result = run_demo("adam", seed=seed, steps=300, batch_size=32)
    measured = result.measured
    good = [measured["FD, adam-beta1-0.5"], measured["FD, rmsprop"]]
    poor = [measured["FD, adam-beta1-0.9"], measured["FD, sgd-momentum-0.9"]]

    assert min(poor) >= 2 * max(good)
    assert 0.5 <= measured["FD adam-beta1-0.5 / FD rmsprop"] <= 2.0
    assert measured["digits classifier held-out accuracy"] > 0.9
    assert result.holds


@pytest.mark.parametrize("seed", SEEDS)
def test_bce_loss_value_and_gradients(run_demo: RunDemo, seed: int) -> None:
    result = run_demo("bce-loss", seed=seed)
    measured = result.measured
    initial = measured["FD at init"]

    assert measured["|BCE + V(D, G)| in float64"] < 1e-12
    assert measured["D(G(z)) after 50 D-only steps"] < 0.1
    assert measured["gradient ratio after 50 D-only steps"] >= 10
    assert (
        measured["gradient ratio after 200 D-only steps"]
        > measured["gradient ratio after 50 D-only steps"]
    )
    assert measured["FD, adam non-saturating"] < 0.25 * initial
    assert measured["FD, adam saturating"] < 0.25 * initial
    assert measured["FD, sgd saturating"] > 0.5 * initial
    assert measured["D(G(z)), last 20 steps, sgd saturating"] < 0.05
    assert measured["BCELoss(Sigmoid(-200)), target 1"] == 100.0
    assert measured["BCELoss(Sigmoid) gradient w.r.t. the logit"] == 0.0
    assert measured["BCEWithLogitsLoss(-200), target 1"] == pytest.approx(200.0)
    assert measured["BCEWithLogitsLoss gradient w.r.t. the logit"] == pytest.approx(
        -1.0
    )
    assert result.holds


@pytest.mark.parametrize("seed", SEEDS)
def test_zero_mean_measured_findings(run_demo: RunDemo, seed: int) -> None:
    """Non-negative inputs make D's first-layer gradients agree in sign, and
    unscaled [0, 255] data stalls; zero-centring alone does not give a lower FD
    in a short run, so the claim does not say it does."""
    result = run_demo("zero-mean", seed=seed, steps=300, batch_size=32)
    measured = result.measured
    sign = "first-layer gradient sign agreement, first 10 steps"

    assert (
        measured[f"{sign}, [0, 1], sigmoid"] > 1.5 * measured[f"{sign}, [-1, 1], tanh"]
    )
    assert measured["FD [-1, 1], tanh / FD [0, 1], sigmoid"] > 1.0
    assert measured["FD, [0, 255], linear"] > 2 * measured["FD, [-1, 1], tanh"]
    assert measured["digit classes, [0, 255], linear"] == 0
    assert result.holds
