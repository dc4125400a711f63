"""Fixtures for the demo tests: one shared data folder and a demo runner.

The digits cache and the digits classifier are built once per test session in
a temporary data folder, so no test touches the user's data directory.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import torch

from dcgan_quiz.demos.registry import get_demo
from dcgan_quiz.demos.result import DemoResult

RunDemo = Callable[..., DemoResult]


@pytest.fixture(scope="session", autouse=True)
def single_thread():
    """Run torch on one thread while these tests run.

    The demo models are small. On a 2-core machine that also runs other
    processes, two OpenMP threads wait for each other at every barrier. Under
    that load a gan_step at the demo size took about 19 ms on one thread and 0.9
    to 1.7 s on two (torch 2.13 CPU, 100-step loop).
    """
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("demo-data")


@pytest.fixture
def run_demo(data_dir: Path, tmp_path: Path) -> RunDemo:
    """Return a function that runs a demo by name on the shared data folder."""

    def run(name: str, **options) -> DemoResult:
        return get_demo(name).run(
            out_dir=tmp_path / name, cache_dir=data_dir, device="cpu", **options
        )

    return run
