"""Training images for the DCGAN, scaled to [-1, 1] to match G's Tanh output.

``open_dataset(source, image_size)`` returns a float32 tensor of shape
(N, nc, image_size, image_size). The source is one of:

- ``digits``: the UCI handwritten digits that scikit-learn ships (1,797
  grayscale 8x8 images of the ten digits), so nothing is downloaded;
- a folder of PNG or JPEG images, searched recursively;
- an ``.npz`` file with an image array (see ``load_npz_images`` for the
  layouts and value ranges it accepts).

Images of other sizes are resized so that the shorter side is image_size,
then centre-cropped to a square, as the PyTorch DCGAN example does with
``Resize`` and ``CenterCrop``. ``BatchLoader`` then yields shuffled batches,
one shard per process when training runs under torchrun.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image, ImageOps, UnidentifiedImageError
from torch.utils.data.distributed import DistributedSampler

from dcgan_quiz.dcgan.models import check_image_size

DIGITS_CACHE_VERSION = 1
# Default Adam learning rate of `dcgan-quiz train --data digits`. With 1,797
# images an epoch is only 28 steps of 64. Measured with `dcgan-quiz train` on a
# 2-core CPU at 32x32, ngf = ndf = 32, seed 0: with Radford et al.'s 2e-4, D won
# for the first ~250 steps and G kept producing gray noise, so 20 epochs (560
# steps) ended with blurred, mostly unreadable samples. With 5e-4 G left that
# phase by step ~100, and seeds 0 and 1 gave readable digits after 20 epochs.
DIGITS_LEARNING_RATE = 5e-4
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
CHANNEL_COUNTS = (1, 3)
# ITU-R BT.601 luma weights, the ones Pillow's convert("L") uses.
LUMA_WEIGHTS = (0.299, 0.587, 0.114)
SOURCE_HINT = "use --data digits, a folder of PNG or JPEG images, or an .npz file"


class DataError(ValueError):
    """Training data that is missing, unreadable or has the wrong shape."""


def scale_to_unit_range(images: torch.Tensor, maximum: float) -> torch.Tensor:
    """Map pixel values in [0, maximum] to [-1, 1]."""
    return images / maximum * 2.0 - 1.0


def resize_digits(images: np.ndarray, image_size: int) -> torch.Tensor:
    """Resize (N, 8, 8) digits in [0, 16] to (N, 1, size, size) in [-1, 1]."""
    tensor = torch.from_numpy(images.astype(np.float32)).unsqueeze(1)
    # Bilinear keeps the strokes smooth when 8x8 grows to 16x16 or more.
    resized = F.interpolate(
        tensor, size=(image_size, image_size), mode="bilinear", align_corners=False
    )
    return scale_to_unit_range(resized, 16.0).clamp_(-1.0, 1.0)


def load_digits(
    image_size: int, cache_dir: Path | None = None
) -> tuple[torch.Tensor, torch.Tensor]:
    """Return the digits as (images, labels): (1797, 1, size, size) in [-1, 1].

    Importing scikit-learn takes about two seconds, so the resized array is
    cached as an .npz file in ``cache_dir`` when one is given.
    """
    cache_path = None
    if cache_dir is not None:
        name = f"digits-{image_size}-v{DIGITS_CACHE_VERSION}.npz"
        cache_path = Path(cache_dir) / "cache" / name
        if cache_path.exists():
            try:
                with np.load(cache_path) as cached:
                    return torch.from_numpy(cached["images"]), torch.from_numpy(
                        cached["labels"]
                    )
            except (OSError, ValueError, KeyError):
                cache_path.unlink(missing_ok=True)  # a broken cache is rebuilt

    from sklearn.datasets import load_digits as sklearn_digits

    bunch = sklearn_digits()
    images = resize_digits(bunch.images, image_size)
    labels = torch.from_numpy(bunch.target.astype(np.int64))

    if cache_path is not None:
        cache_path.parent.mkdir(parents=True, exist_ok=True)
        temporary = cache_path.with_suffix(".tmp.npz")
        np.savez(temporary, images=images.numpy(), labels=labels.numpy())
        temporary.replace(cache_path)
    return images, labels


def open_dataset(
    source: str,
    image_size: int,
    nc: int | None = None,
    cache_dir: Path | None = None,
) -> torch.Tensor:
    """Load training images as a float32 tensor (N, nc, size, size) in [-1, 1].

    Args:
        source: ``digits``, a folder of PNG or JPEG images, or an ``.npz`` file.
        image_size: side of the square images the models are built for.
        nc: channels to convert to (1 grayscale, 3 RGB). None keeps 1 for
            grayscale data and uses 3 as soon as one image has colour.
        cache_dir: folder for the resized digits cache; other sources are not
            cached.

    Raises:
        DataError: the source is missing, empty, unreadable or has a shape or
            value range that cannot be read as images.
        ValueError: image_size is not one of the supported sizes.
    """
    check_image_size(image_size)
    if nc is not None and nc not in CHANNEL_COUNTS:
        raise DataError(f"nc must be 1 (grayscale) or 3 (RGB), got {nc}")

    if source == "digits":
        images, _ = load_digits(image_size, cache_dir)
    else:
        path = Path(source).expanduser()
        if not path.exists():
            raise DataError(f"{path}: no such file or folder; {SOURCE_HINT}")
        if path.is_dir():
            images = load_image_folder(path, image_size, nc)
        elif path.suffix.lower() == ".npz":
            images = load_npz_images(path, image_size)
        elif path.suffix.lower() in IMAGE_SUFFIXES:
            raise DataError(
                f"{path}: one image is not a training set; pass the folder "
                "that contains the images"
            )
        else:
            raise DataError(f"{path}: unsupported file type; {SOURCE_HINT}")

    if nc is not None:
        images = convert_channels(images, nc)
    return images.contiguous()


def convert_channels(images: torch.Tensor, nc: int) -> torch.Tensor:
    """Convert (N, C, H, W) images in [-1, 1] between 1 and 3 channels."""
    channels = images.size(1)
    if channels == nc:
        return images
    if channels == 1 and nc == 3:
        return images.expand(-1, 3, -1, -1).clone()
    if channels == 3 and nc == 1:
        weights = torch.tensor(LUMA_WEIGHTS, dtype=images.dtype).view(1, 3, 1, 1)
        return (images * weights).sum(dim=1, keepdim=True)
    raise DataError(f"cannot convert {channels}-channel images to nc={nc}")


def find_image_files(folder: Path) -> list[Path]:
    """List PNG and JPEG files under folder, sorted, skipping hidden entries.

    Hidden names (starting with a dot) are skipped because they are usually
    editor or macOS metadata files such as ``._photo.jpg``, not images.
    """
    files = []
    for path in sorted(folder.rglob("*")):
        relative_parts = path.relative_to(folder).parts
        if any(part.startswith(".") for part in relative_parts):
            continue
        if path.is_file() and path.suffix.lower() in IMAGE_SUFFIXES:
            files.append(path)
    return files


def resize_and_crop(image: Image.Image, image_size: int) -> Image.Image:
    """Resize so the shorter side is image_size, then centre-crop to a square."""
    width, height = image.size
    scale = image_size / min(width, height)
    # max() guards against rounding a very thin image's long side below size.
    new_size = (
        max(image_size, round(width * scale)),
        max(image_size, round(height * scale)),
    )
    # Bilinear with Pillow's antialiasing on downscale matches torchvision's
    # Resize default, which the PyTorch DCGAN example uses.
    resized = image.resize(new_size, Image.Resampling.BILINEAR)
    left = round((new_size[0] - image_size) / 2)
    top = round((new_size[1] - image_size) / 2)
    return resized.crop((left, top, left + image_size, top + image_size))


def to_standard_mode(image: Image.Image, nc: int | None) -> Image.Image:
    """Convert an opened image to mode "L" or "RGB".

    With nc None, single-band images (gray, gray with alpha, 16-bit gray)
    become "L" and all others "RGB". Alpha is dropped, not composited.
    """
    if image.mode.startswith("I"):
        # Pillow opens 16-bit grayscale PNGs as "I;16" (0..65535), and its
        # convert("L") clips to 255 instead of scaling, so scale here.
        # NOTE: a 32-bit "I" image is assumed to use the 16-bit range too.
        values = np.asarray(image, dtype=np.float64) / 65535.0 * 255.0
        image = Image.fromarray(values.clip(0, 255).round().astype(np.uint8), "L")
    if nc is None:
        bands = [band for band in image.getbands() if band != "A"]
        grayscale = len(bands) == 1 and image.mode != "P"
        nc = 1 if grayscale else 3
    return image.convert("L" if nc == 1 else "RGB")


def read_image(path: Path, image_size: int, nc: int | None) -> np.ndarray:
    """Read one image file as uint8 (size, size) for gray or (size, size, 3).

    Raises:
        DataError: Pillow cannot open or decode the file.
    """
    try:
        with Image.open(path) as opened:
            opened.load()
            # Photos store their rotation in EXIF; apply it so none is sideways.
            image = ImageOps.exif_transpose(opened)
            image = to_standard_mode(image, nc)
    except (UnidentifiedImageError, OSError, ValueError) as error:
        raise DataError(
            f"{path}: cannot read the image ({error}); delete or replace the file"
        ) from error
    return np.asarray(resize_and_crop(image, image_size))


def load_image_folder(
    folder: Path, image_size: int, nc: int | None = None
) -> torch.Tensor:
    """Load every PNG and JPEG under folder as (N, nc, size, size) in [-1, 1].

    With nc None the result has 1 channel if every image is grayscale and 3
    otherwise, and grayscale images are then repeated into RGB.

    Raises:
        DataError: the folder has no PNG or JPEG file, or one cannot be read.
    """
    files = find_image_files(folder)
    if not files:
        raise DataError(
            f"{folder}: no PNG or JPEG images found (subfolders included); "
            "add images or point --data at another folder"
        )
    # NOTE: every image is kept in memory as float32, N * nc * size * size * 4
    # bytes in all, so a large folder needs a matching amount of RAM.
    arrays = [read_image(path, image_size, nc) for path in files]
    if any(array.ndim == 3 for array in arrays):
        arrays = [
            np.repeat(array[:, :, None], 3, axis=2) if array.ndim == 2 else array
            for array in arrays
        ]
        stacked = np.stack(arrays).transpose(0, 3, 1, 2)  # NHWC to NCHW
    else:
        stacked = np.stack(arrays)[:, None]  # NHW to N1HW
    images = torch.from_numpy(np.ascontiguousarray(stacked)).float()
    return scale_to_unit_range(images, 255.0)


def read_npz_array(path: Path) -> np.ndarray:
    """Return the ``images`` array of an .npz file, or its only array.

    Raises:
        DataError: the file is not a readable .npz, contains Python objects, or
            has several arrays and none is named ``images``.
    """
    try:
        # allow_pickle=False: an object array could run code when unpickled.
        with np.load(path, allow_pickle=False) as archive:
            names = list(archive.files)
            if "images" in names:
                return archive["images"]
            if len(names) == 1:
                return archive[names[0]]
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as error:
        raise DataError(
            f"{path}: cannot read the .npz file ({error}); save it with "
            "numpy.savez(path, images=array) from a numeric array"
        ) from error
    raise DataError(
        f"{path}: found arrays {', '.join(names) or 'none'}; name the image "
        "array 'images' or save only one array"
    )


def to_nchw(array: np.ndarray, path: Path) -> np.ndarray:
    """Return array as (N, C, H, W), reading NHW, NHWC or NCHW.

    A 4-D array whose last axis has 1 or 3 entries is read as NHWC, otherwise
    one whose second axis has 1 or 3 entries as NCHW.
    """
    if array.ndim == 3:
        return array[:, None]
    if array.ndim == 4:
        if array.shape[3] in CHANNEL_COUNTS:
            return array.transpose(0, 3, 1, 2)
        if array.shape[1] in CHANNEL_COUNTS:
            return array
    raise DataError(
        f"{path}: image array has shape {array.shape}; expected (N, H, W), "
        "(N, H, W, C) or (N, C, H, W) with C = 1 or 3"
    )


def detect_pixel_range(array: np.ndarray, path: Path) -> tuple[float, float]:
    """Return the (low, high) pixel range that maps to [-1, 1].

    uint8 and other integer arrays within [0, 255] are read as [0, 255].
    Float arrays are read as [0, 1] when no value is negative and none is
    above 1, as [-1, 1] when all lie in that range, and as [0, 255] when all
    lie in that range.

    Raises:
        DataError: the array is not numeric, is empty, contains NaN or Inf, or
            lies in none of the ranges above.
    """
    if array.size == 0:
        raise DataError(f"{path}: the image array is empty; save at least one image")
    if array.dtype == np.uint8:
        return 0.0, 255.0
    if array.dtype.kind not in "iuf":
        raise DataError(
            f"{path}: image array has dtype {array.dtype}; save uint8 in [0, 255] "
            "or float in [0, 1] or [-1, 1]"
        )
    if array.dtype.kind == "f" and not np.isfinite(array).all():
        raise DataError(f"{path}: the image array contains NaN or Inf values")
    low, high = float(array.min()), float(array.max())
    if array.dtype.kind == "f" and low >= 0.0 and high <= 1.0:
        return 0.0, 1.0
    if array.dtype.kind == "f" and low >= -1.0 and high <= 1.0:
        return -1.0, 1.0
    if low >= 0.0 and high <= 255.0:
        return 0.0, 255.0
    raise DataError(
        f"{path}: pixel values span [{low:g}, {high:g}]; expected [0, 255], "
        "[0, 1] or [-1, 1]"
    )


def resize_tensor_images(images: torch.Tensor, image_size: int) -> torch.Tensor:
    """Resize (N, C, H, W) so the shorter side is image_size, then centre-crop."""
    height, width = images.shape[-2:]
    if height == width == image_size:
        return images
    scale = image_size / min(height, width)
    new_height = max(image_size, round(height * scale))
    new_width = max(image_size, round(width * scale))
    chunks = []
    # Chunks bound the peak memory of the float copy that interpolate makes.
    for chunk in images.split(1024):
        chunks.append(
            F.interpolate(
                chunk,
                size=(new_height, new_width),
                mode="bilinear",
                align_corners=False,
                antialias=True,
            )
        )
    resized = torch.cat(chunks)
    top = round((new_height - image_size) / 2)
    left = round((new_width - image_size) / 2)
    return resized[:, :, top : top + image_size, left : left + image_size]


def load_npz_images(path: Path, image_size: int) -> torch.Tensor:
    """Load an image array from an .npz file as (N, C, size, size) in [-1, 1].

    Accepted layouts are NHW, NHWC and NCHW (see ``to_nchw``) with 1 or 3
    channels. Value ranges are detected by ``detect_pixel_range``.

    Raises:
        DataError: the file cannot be read, or the array's shape, dtype or
            value range does not describe images.
    """
    array = to_nchw(read_npz_array(path), path)
    low, high = detect_pixel_range(array, path)
    images = torch.from_numpy(np.ascontiguousarray(array)).float()
    images = (images - low) / (high - low) * 2.0 - 1.0
    return resize_tensor_images(images, image_size).clamp_(-1.0, 1.0)


class BatchLoader:
    """Shuffled batches of an in-memory image tensor, one shard per process.

    Each epoch's order comes from ``DistributedSampler`` seeded with
    ``seed + epoch``, so every process draws the same permutation and takes
    every ``world_size``-th index from it. A last batch smaller than
    batch_size is dropped, so every step trains on a full batch.
    """

    def __init__(
        self,
        images: torch.Tensor,
        batch_size: int,
        *,
        seed: int,
        rank: int = 0,
        world_size: int = 1,
    ) -> None:
        self.images = images
        self.batch_size = batch_size
        self.sampler = DistributedSampler(
            images,  # the sampler needs only len()
            num_replicas=world_size,
            rank=rank,
            shuffle=True,
            seed=seed,
            drop_last=True,
        )
        if len(self) == 0:
            raise DataError(
                f"{len(images)} images make no full batch of {batch_size} on "
                f"each of {world_size} processes; lower --batch-size or add images"
            )

    def __len__(self) -> int:
        """Return the number of batches in one epoch on this process."""
        return len(self.sampler) // self.batch_size

    def batches(self, epoch: int, skip: int = 0) -> Iterator[torch.Tensor]:
        """Yield the batches of one epoch (counted from 0), skipping the first ones.

        Args:
            epoch: selects the shuffled order, so a resumed run gets the
                same batches as an uninterrupted one.
            skip: batches already trained on in this epoch.
        """
        self.sampler.set_epoch(epoch)
        indices = torch.tensor(list(self.sampler), dtype=torch.long)
        for batch in range(skip, len(self)):
            start = batch * self.batch_size
            yield self.images[indices[start : start + self.batch_size]]
