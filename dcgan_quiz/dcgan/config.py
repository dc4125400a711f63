"""Hyperparameters of one DCGAN run, in one typed dataclass."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields

from dcgan_quiz.dcgan.models import check_image_size


@dataclass(frozen=True)
class DCGANConfig:
    """Sizes and optimizer settings, defaulting to the 64x64 setup of Radford et al.
    2015 (arXiv:1511.06434)."""

    nz: int = 100  # length of the noise vector z
    ngf: int = 64  # feature maps in G's last hidden block
    ndf: int = 64  # feature maps in D's first block
    nc: int = 3  # image channels
    image_size: int = 64
    # Radford et al. found Adam's suggested 1e-3 too high and beta1 = 0.9
    # made training oscillate, so they used 2e-4 and 0.5 (arXiv:1511.06434).
    lr: float = 2e-4
    beta1: float = 0.5
    beta2: float = 0.999
    batch_size: int = 64

    def __post_init__(self) -> None:
        # Settings often come from YAML, where PyYAML reads "2e-4" as a string,
        # or from JSON; catch a wrong type here rather than deep inside torch.
        for field in fields(self):
            value = getattr(self, field.name)
            expected = int if field.type == "int" else float
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise TypeError(
                    f"{field.name} must be a number, got {type(value).__name__} "
                    f"{value!r}; write it as a plain number, such as 2.0e-4 or 64"
                )
            if expected is int and not isinstance(value, int):
                raise TypeError(f"{field.name} must be a whole number, got {value!r}")
            if not math.isfinite(value) or value <= 0:
                raise ValueError(
                    f"{field.name} must be a positive finite number, got {value!r}"
                )
        for name in ("beta1", "beta2"):
            if not getattr(self, name) < 1:
                raise ValueError(f"{name} must be below 1, got {getattr(self, name)}")
        check_image_size(self.image_size)

    def to_dict(self) -> dict[str, int | float]:
        return asdict(self)
