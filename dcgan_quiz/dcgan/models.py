"""The DCGAN generator and discriminator of Radford, Metz and Chintala (2015).

The layers follow the PyTorch DCGAN example (pytorch/examples, dcgan/main.py) at
64x64 and scale to 16, 32 and 128 by adding or removing one stride-2 block per
factor of two. Every choice a demo varies is an argument whose default is the
paper's: build ``Generator(nz, ngf, nc, image_size=64)`` for the canonical model.

Paper: arXiv:1511.06434, section 3 ("Architecture guidelines for stable DCGANs").
"""

from __future__ import annotations

import math
from typing import Literal

import torch
from torch import nn

IMAGE_SIZES = (16, 32, 64, 128)

OutputActivation = Literal["tanh", "sigmoid", "none"]
Upsample = Literal["transposed", "resize"]


def check_image_size(image_size: int) -> None:
    """Raise ValueError unless the image size is one the models are built for."""
    if image_size not in IMAGE_SIZES:
        allowed = ", ".join(str(size) for size in IMAGE_SIZES)
        raise ValueError(
            f"image size {image_size} is not supported; use one of {allowed}"
        )


def count_upsampling_blocks(image_size: int) -> int:
    """Return how many stride-2 blocks take 4x4 to the image size."""
    check_image_size(image_size)
    return int(math.log2(image_size)) - 2


def init_weights(module: nn.Module) -> None:
    """Apply the paper's initialization: N(0, 0.02) for convolutions, and
    N(1, 0.02) weight with zero bias for BatchNorm."""
    if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d)):
        nn.init.normal_(module.weight, 0.0, 0.02)
        if module.bias is not None:
            nn.init.zeros_(module.bias)
    elif isinstance(module, nn.BatchNorm2d):
        nn.init.normal_(module.weight, 1.0, 0.02)
        nn.init.zeros_(module.bias)


def make_output_activation(name: OutputActivation) -> nn.Module:
    """Return the output layer by name; "none" leaves raw values (logits)."""
    if name == "tanh":
        return nn.Tanh()
    if name == "sigmoid":
        return nn.Sigmoid()
    if name == "none":
        return nn.Identity()
    raise ValueError(f"unknown output activation {name!r}; use tanh, sigmoid or none")


def upsample_layer(
    in_channels: int,
    out_channels: int,
    *,
    upsample: Upsample,
    kernel_size: int,
) -> nn.Module:
    """Return a layer that doubles height and width.

    "transposed" is a stride-2 ConvTranspose2d. Its padding makes the output
    exactly twice the input for kernel 4 (padding 1) and kernel 3 (padding 1,
    output_padding 1). "resize" is nearest-neighbour upsampling followed by a
    3x3 convolution, which has no uneven kernel overlap and so no checkerboard
    pattern (Odena, Dumoulin and Olah, Distill 2016).
    """
    if upsample == "resize":
        return nn.Sequential(
            nn.Upsample(scale_factor=2, mode="nearest"),
            nn.Conv2d(in_channels, out_channels, 3, 1, 1, bias=False),
        )
    if upsample != "transposed":
        raise ValueError(f"unknown upsample {upsample!r}; use transposed or resize")

    # Output size of ConvTranspose2d: (H - 1) * stride - 2 * padding + kernel
    # + output_padding, which must equal 2 * H.
    padding = (kernel_size - 1) // 2
    output_padding = 2 - kernel_size + 2 * padding
    if output_padding not in (0, 1):
        raise ValueError(f"kernel size {kernel_size} cannot double the image size")
    return nn.ConvTranspose2d(
        in_channels,
        out_channels,
        kernel_size,
        stride=2,
        padding=padding,
        output_padding=output_padding,
        bias=False,
    )


class Generator(nn.Module):
    """Map noise z of shape (N, nz, 1, 1) to images of shape (N, nc, size, size).

    Layout at 64x64 (the canonical configuration):
        z                                   (N, nz, 1, 1)
        ConvTranspose2d k4 s1 p0, BN, ReLU  (N, ngf*8, 4, 4)
        up k4 s2 p1, BN, ReLU               (N, ngf*4, 8, 8)
        up k4 s2 p1, BN, ReLU               (N, ngf*2, 16, 16)
        up k4 s2 p1, BN, ReLU               (N, ngf, 32, 32)
        up k4 s2 p1, Tanh                   (N, nc, 64, 64)
    Each size step halves the channel count; at 32x32 the first block has
    ngf*4 channels, at 128x128 ngf*16, so the last hidden block always has ngf.
    """

    def __init__(
        self,
        nz: int = 100,
        ngf: int = 64,
        nc: int = 3,
        *,
        image_size: int = 64,
        output_activation: OutputActivation = "tanh",
        upsample: Upsample = "transposed",
        kernel_size: int = 4,
    ) -> None:
        super().__init__()
        self.nz = nz
        self.image_size = image_size
        blocks = count_upsampling_blocks(image_size)
        channels = [ngf * 2 ** (blocks - 1 - index) for index in range(blocks)]

        # First block: 1x1 noise to 4x4 feature maps; a full 4x4 kernel sees the
        # whole input, so it acts as the paper's projection of z.
        layers: list[nn.Module] = [
            nn.ConvTranspose2d(nz, channels[0], 4, 1, 0, bias=False),
            nn.BatchNorm2d(channels[0]),
            nn.ReLU(inplace=True),
        ]
        for in_channels, out_channels in zip(channels, channels[1:], strict=False):
            layers += [
                upsample_layer(
                    in_channels,
                    out_channels,
                    upsample=upsample,
                    kernel_size=kernel_size,
                ),
                nn.BatchNorm2d(out_channels),
                nn.ReLU(inplace=True),
            ]

        # No BatchNorm on G's output layer: the paper found BatchNorm on every
        # layer made samples oscillate, and leaving it off G's output and D's
        # input avoided that.
        layers += [
            upsample_layer(
                channels[-1], nc, upsample=upsample, kernel_size=kernel_size
            ),
            make_output_activation(output_activation),
        ]
        self.main = nn.Sequential(*layers)
        self.apply(init_weights)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.main(z)


class Discriminator(nn.Module):
    """Map images of shape (N, nc, size, size) to one score per image, shape (N,).

    Layout at 64x64 (the canonical configuration):
        x                                    (N, nc, 64, 64)
        Conv2d k4 s2 p1, LeakyReLU(0.2)      (N, ndf, 32, 32)
        Conv2d k4 s2 p1, BN, LeakyReLU(0.2)  (N, ndf*2, 16, 16)
        Conv2d k4 s2 p1, BN, LeakyReLU(0.2)  (N, ndf*4, 8, 8)
        Conv2d k4 s2 p1, BN, LeakyReLU(0.2)  (N, ndf*8, 4, 4)
        Conv2d k4 s1 p0, Sigmoid             (N, 1, 1, 1), flattened to (N,)
    With ``output="logits"`` the Sigmoid is left out, for BCEWithLogitsLoss.
    """

    def __init__(
        self,
        nc: int = 3,
        ndf: int = 64,
        *,
        image_size: int = 64,
        activation: Literal["leaky_relu", "relu"] = "leaky_relu",
        negative_slope: float = 0.2,
        output: Literal["sigmoid", "logits"] = "sigmoid",
    ) -> None:
        super().__init__()
        self.image_size = image_size
        blocks = count_upsampling_blocks(image_size)
        channels = [ndf * 2**index for index in range(blocks)]

        def make_activation() -> nn.Module:
            if activation == "leaky_relu":
                return nn.LeakyReLU(negative_slope, inplace=True)
            if activation == "relu":
                return nn.ReLU(inplace=True)
            raise ValueError(
                f"unknown activation {activation!r}; use leaky_relu or relu"
            )

        # No BatchNorm on D's input layer, for the same reason as G's output.
        layers: list[nn.Module] = [
            nn.Conv2d(nc, channels[0], 4, 2, 1, bias=False),
            make_activation(),
        ]
        for in_channels, out_channels in zip(channels, channels[1:], strict=False):
            layers += [
                nn.Conv2d(in_channels, out_channels, 4, 2, 1, bias=False),
                nn.BatchNorm2d(out_channels),
                make_activation(),
            ]
        layers.append(nn.Conv2d(channels[-1], 1, 4, 1, 0, bias=False))
        if output == "sigmoid":
            layers.append(nn.Sigmoid())
        elif output != "logits":
            raise ValueError(f"unknown output {output!r}; use sigmoid or logits")
        self.main = nn.Sequential(*layers)
        self.apply(init_weights)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.main(x).view(-1)
