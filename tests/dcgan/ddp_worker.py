"""Worker for test_distributed: trains a few steps and saves this rank's weights.

Run under torchrun with the output folder as the only argument. Unlike
`dcgan-quiz train`, every rank writes a file, so the test can compare them.
"""

from __future__ import annotations

import sys
from pathlib import Path

import torch

from dcgan_quiz.dcgan.config import DCGANConfig
from dcgan_quiz.dcgan.distributed import detect_process
from dcgan_quiz.dcgan.training import train


def main() -> None:
    out_dir = Path(sys.argv[1])
    process = detect_process()
    config = DCGANConfig(nz=16, ngf=8, ndf=8, nc=1, image_size=16, batch_size=8)
    # The same images on every rank; the loader gives each rank its shard.
    images = torch.rand(32, 1, 16, 16, generator=torch.Generator().manual_seed(0))
    images = images * 2 - 1
    losses = []
    result = train(
        config,
        images,
        epochs=2,
        out_dir=out_dir / "run",
        device="cpu",
        on_step=losses.append,
    )
    torch.save(
        {
            # Parameters only: BatchNorm running statistics are broadcast from
            # rank 0 at each forward and then updated locally, so they differ.
            "parameters": {
                **parameters("generator", result.generator),
                **parameters("discriminator", result.discriminator),
            },
            "step": result.step,
            "callbacks": len(losses),
        },
        out_dir / f"rank-{process.rank}.pt",
    )


def parameters(prefix: str, module: torch.nn.Module) -> dict[str, torch.Tensor]:
    return {
        f"{prefix}.{name}": parameter.detach()
        for name, parameter in module.named_parameters()
    }


if __name__ == "__main__":
    main()
