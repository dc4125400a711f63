"""The outcome of one demo run: what was measured, against which threshold, and
whether the claim held.

This module imports neither torch nor matplotlib, so the CLI can format results
and listings without loading them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Value = float | int | str


def format_value(value: Value) -> str:
    """Format a measured value with four significant digits."""
    if isinstance(value, bool) or not isinstance(value, float):
        return str(value)
    if value == 0.0:
        return "0"
    return f"{value:.4g}"


@dataclass(frozen=True)
class Measurement:
    """One measured number and, when it decides the claim, its expectation.

    ``passed`` is None for figures reported for context only; those never
    change whether the claim holds.
    """

    name: str
    value: Value
    expectation: str = ""
    passed: bool | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "value": self.value,
            "expectation": self.expectation,
            "passed": self.passed,
        }


@dataclass(frozen=True)
class DemoResult:
    """A finished demo: the claim, its measurements and the verdict."""

    demo: str
    claim: str
    measurements: list[Measurement]
    threshold: str
    verdict: str
    seconds: float
    png: Path | None = None
    seed: int = 0
    steps: int = 0
    quick: bool = True
    device: str = "cpu"
    notes: list[str] = field(default_factory=list)

    @property
    def holds(self) -> bool:
        """True when every measurement that decides the claim passed."""
        deciding = [m.passed for m in self.measurements if m.passed is not None]
        return bool(deciding) and all(deciding)

    @property
    def failed(self) -> list[Measurement]:
        return [m for m in self.measurements if m.passed is False]

    @property
    def measured(self) -> dict[str, Value]:
        return {m.name: m.value for m in self.measurements}

    def to_json(self) -> dict[str, Any]:
        return {
            "demo": self.demo,
            "claim": self.claim,
            "holds": self.holds,
            "measured": self.measured,
            "measurements": [m.to_json() for m in self.measurements],
            "threshold": self.threshold,
            "verdict": self.verdict,
            "png": str(self.png) if self.png is not None else None,
            "seconds": round(self.seconds, 2),
            "seed": self.seed,
            "steps": self.steps,
            "quick": self.quick,
            "device": self.device,
            "notes": list(self.notes),
        }
