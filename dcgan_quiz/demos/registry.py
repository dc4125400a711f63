"""The demos by name, each with a ``run`` that imports its module on first call.

Importing this module loads neither torch nor matplotlib, so listing the demos
stays fast. Every run function has the signature::

    run(*, seed=0, steps=None, quick=True, out_dir, device="cpu",
        progress=None, cache_dir=None, batch_size=None) -> DemoResult

``steps`` overrides the demo's step count (the training length of each run it
compares), ``batch_size`` the batch of 64, and ``progress(done, total)`` is
called as steps finish.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dcgan_quiz.demos.catalog import CATALOG, DemoInfo
from dcgan_quiz.demos.result import DemoResult


class UnknownDemoError(KeyError):
    """No demo has the requested name."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(name)

    def __str__(self) -> str:
        return f"unknown demo {self.name!r}; choose one of: {', '.join(DEMOS)}"


@dataclass(frozen=True)
class Demo:
    """A runnable demo; ``run`` imports the demo's module when first called."""

    name: str
    questions: list[str]
    claim_en: str
    claim_ko: str
    run: Callable[..., DemoResult]

    def claim(self, language: str = "en") -> str:
        return self.claim_ko if language == "ko" else self.claim_en


def lazy_run(module: str) -> Callable[..., DemoResult]:
    def run(**options: Any) -> DemoResult:
        demo_module = importlib.import_module(f"dcgan_quiz.demos.{module}")
        return demo_module.run(**options)

    run.__name__ = f"run_{module}"
    return run


def make_demo(info: DemoInfo) -> Demo:
    return Demo(
        name=info.name,
        questions=list(info.questions),
        claim_en=info.claim_en,
        claim_ko=info.claim_ko,
        run=lazy_run(info.module),
    )


DEMOS: dict[str, Demo] = {info.name: make_demo(info) for info in CATALOG}


def get_demo(name: str) -> Demo:
    """Return the demo named ``name``; raise UnknownDemoError if there is none."""
    try:
        return DEMOS[name]
    except KeyError:
        raise UnknownDemoError(name) from None


def demos_for_question(question_id: str) -> list[Demo]:
    """Return the demos that back the question with this id."""
    return [demo for demo in DEMOS.values() if question_id in demo.questions]
