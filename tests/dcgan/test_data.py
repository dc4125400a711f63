"""Data sources (digits, image folders, .npz arrays), their errors and batching."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PIL import Image

from dcgan_quiz.dcgan.data import (
    BatchLoader,
    DataError,
    convert_channels,
    open_dataset,
)

from .conftest import random_uint8


def write_image(path, array: np.ndarray, mode: str | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(array, mode).save(path)


def test_digits_shape_and_range(tmp_path):
    images = open_dataset("digits", 32, cache_dir=tmp_path)

    assert images.shape == (1797, 1, 32, 32)
    assert images.dtype == torch.float32
    assert images.min() == -1.0
    assert images.max() == 1.0
    assert (tmp_path / "cache" / "digits-32-v1.npz").exists()


def test_digits_as_rgb(digits16, tmp_path):
    images = open_dataset("digits", 16, nc=3, cache_dir=tmp_path)

    assert images.shape == (1797, 3, 16, 16)
    torch.testing.assert_close(images[:, 2:3], digits16)


def test_folder_grayscale_recursive(tmp_path):
    write_image(tmp_path / "a.png", random_uint8((16, 16)))
    write_image(tmp_path / "sub" / "b.PNG", random_uint8((16, 16), seed=1))
    write_image(tmp_path / "sub" / "deeper" / "c.jpg", random_uint8((16, 16), seed=2))
    (tmp_path / "notes.txt").write_text("not an image")

    images = open_dataset(str(tmp_path), 16)

    assert images.shape == (3, 1, 16, 16)
    assert images.min() >= -1.0
    assert images.max() <= 1.0


def test_folder_exact_pixel_values(tmp_path):
    pixels = np.array([[0, 255], [51, 204]], dtype=np.uint8).repeat(8, 0).repeat(8, 1)
    write_image(tmp_path / "a.png", pixels)

    images = open_dataset(str(tmp_path), 16)

    expected = torch.from_numpy(pixels).float() / 255 * 2 - 1
    torch.testing.assert_close(images[0, 0], expected)


def test_folder_mixed_gray_and_rgb_infers_rgb(tmp_path):
    write_image(tmp_path / "gray.png", random_uint8((16, 16)))
    write_image(tmp_path / "color.jpg", random_uint8((16, 16, 3)))

    images = open_dataset(str(tmp_path), 16)

    assert images.shape == (2, 3, 16, 16)
    gray = images[1]  # sorted: color.jpg, gray.png
    torch.testing.assert_close(gray[0], gray[1])
    torch.testing.assert_close(gray[0], gray[2])


def test_folder_rgb_forced_to_gray(tmp_path):
    write_image(tmp_path / "color.png", random_uint8((16, 16, 3)))

    images = open_dataset(str(tmp_path), 16, nc=1)

    assert images.shape == (1, 1, 16, 16)


def test_folder_resizes_shorter_side_and_crops(tmp_path):
    # 40x20 (width x height): left half black, centre white, right half black.
    pixels = np.zeros((20, 40), dtype=np.uint8)
    pixels[:, 10:30] = 255
    write_image(tmp_path / "wide.png", pixels)
    write_image(tmp_path / "big.png", random_uint8((100, 64)))

    images = open_dataset(str(tmp_path), 16)

    assert images.shape == (2, 1, 16, 16)
    # After scaling to 32x16 and cropping the centre 16 columns, only the
    # white band remains; bilinear antialiasing softens the outer columns.
    wide = images[1, 0]
    assert wide[:, 2:14].min() == 1.0
    assert wide.min() > 0.5


def test_folder_sixteen_bit_png_scaled(tmp_path):
    pixels = np.full((16, 16), 65535, dtype=np.uint16)
    pixels[:8] = 0
    Image.fromarray(pixels).save(tmp_path / "deep.png")

    images = open_dataset(str(tmp_path), 16)

    assert images[0, 0, 0, 0] == -1.0
    assert images[0, 0, 15, 0] == 1.0


def test_folder_skips_hidden_files(tmp_path):
    write_image(tmp_path / "a.png", random_uint8((16, 16)))
    (tmp_path / "._a.png").write_bytes(b"AppleDouble metadata")
    (tmp_path / ".thumbnails").mkdir()
    (tmp_path / ".thumbnails" / "x.png").write_bytes(b"junk")

    assert open_dataset(str(tmp_path), 16).shape == (1, 1, 16, 16)


def test_empty_folder_error(tmp_path):
    (tmp_path / "readme.txt").write_text("no images here")

    with pytest.raises(DataError) as raised:
        open_dataset(str(tmp_path), 16)

    assert str(tmp_path) in str(raised.value)
    assert "no PNG or JPEG images found" in str(raised.value)


def test_unreadable_image_error(tmp_path):
    write_image(tmp_path / "good.png", random_uint8((16, 16)))
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8 not really a jpeg")

    with pytest.raises(DataError) as raised:
        open_dataset(str(tmp_path), 16)

    assert str(broken) in str(raised.value)
    assert "delete or replace" in str(raised.value)


def test_missing_path_error(tmp_path):
    missing = tmp_path / "nowhere"

    with pytest.raises(DataError, match="no such file or folder"):
        open_dataset(str(missing), 16)


def test_single_image_path_error(tmp_path):
    write_image(tmp_path / "a.png", random_uint8((16, 16)))

    with pytest.raises(DataError, match="pass the folder"):
        open_dataset(str(tmp_path / "a.png"), 16)


def test_unsupported_file_error(tmp_path):
    path = tmp_path / "images.csv"
    path.write_text("1,2,3")

    with pytest.raises(DataError, match="unsupported file type"):
        open_dataset(str(path), 16)


def test_bad_size_and_nc_errors(tmp_path):
    with pytest.raises(ValueError, match="16, 32, 64, 128"):
        open_dataset("digits", 20)
    with pytest.raises(DataError, match="nc must be 1"):
        open_dataset("digits", 16, nc=4)


@pytest.mark.parametrize(
    ("shape", "channels"),
    [
        ((5, 16, 16), 1),  # NHW
        ((5, 16, 16, 1), 1),  # NHWC gray
        ((5, 16, 16, 3), 3),  # NHWC
        ((5, 3, 16, 16), 3),  # NCHW
        ((5, 1, 16, 16), 1),  # NCHW gray
    ],
)
def test_npz_layouts(tmp_path, shape, channels):
    path = tmp_path / "images.npz"
    np.savez(path, images=random_uint8(shape))

    images = open_dataset(str(path), 16)

    assert images.shape == (5, channels, 16, 16)


def test_npz_layout_values_preserved(tmp_path):
    array = random_uint8((2, 16, 16, 3))
    path = tmp_path / "images.npz"
    np.savez(path, images=array)

    images = open_dataset(str(path), 16)

    expected = torch.from_numpy(array).permute(0, 3, 1, 2).float() / 255 * 2 - 1
    torch.testing.assert_close(images, expected)


@pytest.mark.parametrize(
    ("array", "expected"),
    [
        (np.array([0, 255], dtype=np.uint8), [-1.0, 1.0]),
        (np.array([0.0, 0.5, 1.0], dtype=np.float32), [-1.0, 0.0, 1.0]),
        (np.array([-1.0, 0.0, 1.0], dtype=np.float64), [-1.0, 0.0, 1.0]),
        (np.array([0.0, 255.0], dtype=np.float32), [-1.0, 1.0]),
        (np.array([0, 255], dtype=np.int64), [-1.0, 1.0]),
    ],
)
def test_npz_value_ranges(tmp_path, array, expected):
    # One pixel row per value, broadcast to full 16x16 images.
    images_array = np.broadcast_to(array[:, None, None], (len(array), 16, 16))
    path = tmp_path / "images.npz"
    np.savez(path, np.ascontiguousarray(images_array))

    images = open_dataset(str(path), 16)

    torch.testing.assert_close(images[:, 0, 0, 0], torch.tensor(expected))


def test_npz_resized_to_image_size(tmp_path):
    path = tmp_path / "images.npz"
    np.savez(path, images=random_uint8((3, 28, 28)))

    assert open_dataset(str(path), 32).shape == (3, 1, 32, 32)
    assert open_dataset(str(path), 16).shape == (3, 1, 16, 16)


@pytest.mark.parametrize(
    ("contents", "message"),
    [
        ({"images": np.zeros((4, 5), dtype=np.uint8)}, "has shape (4, 5)"),
        ({"images": np.zeros((4, 16, 16, 5), dtype=np.uint8)}, "C = 1 or 3"),
        ({"images": np.full((2, 16, 16), 300.0)}, "span [300, 300]"),
        ({"images": np.full((2, 16, 16), np.nan)}, "NaN or Inf"),
        ({"images": np.zeros((0, 16, 16), dtype=np.uint8)}, "empty"),
        ({"images": np.zeros((2, 16, 16), dtype=bool)}, "dtype bool"),
        ({"a": np.zeros((2, 16, 16)), "b": np.zeros(3)}, "found arrays a, b"),
    ],
)
def test_npz_errors(tmp_path, contents, message):
    path = tmp_path / "bad.npz"
    np.savez(path, **contents)

    with pytest.raises(DataError) as raised:
        open_dataset(str(path), 16)

    assert str(path) in str(raised.value)
    assert message in str(raised.value)


def test_npz_object_array_rejected(tmp_path):
    path = tmp_path / "objects.npz"
    np.savez(path, images=np.array([{"a": 1}, None], dtype=object))

    with pytest.raises(DataError, match="cannot read the .npz file"):
        open_dataset(str(path), 16)


def test_npz_corrupt_file_error(tmp_path):
    path = tmp_path / "broken.npz"
    path.write_bytes(b"PK\x03\x04 truncated")

    with pytest.raises(DataError, match="cannot read the .npz file"):
        open_dataset(str(path), 16)


def test_convert_channels_luma():
    red = torch.full((1, 3, 2, 2), -1.0)
    red[:, 0] = 1.0

    gray = convert_channels(red, 1)

    # 0.299 * 1 + 0.587 * -1 + 0.114 * -1
    torch.testing.assert_close(gray, torch.full((1, 1, 2, 2), -0.402))


def test_loader_seeded_shuffle(tiny_images):
    first = BatchLoader(tiny_images, 8, seed=3)
    second = BatchLoader(tiny_images, 8, seed=3)
    other = BatchLoader(tiny_images, 8, seed=4)

    batches = list(first.batches(0))

    assert len(batches) == len(first) == 8
    for batch, again in zip(batches, second.batches(0), strict=True):
        assert torch.equal(batch, again)
    assert not torch.equal(batches[0], next(other.batches(0)))
    assert not torch.equal(batches[0], next(first.batches(1)))
    seen = torch.cat(batches).flatten(1)
    assert torch.unique(seen, dim=0).shape[0] == 64


def test_loader_drops_partial_batch(tiny_images):
    loader = BatchLoader(tiny_images[:20], 8, seed=0)

    assert len(loader) == 2
    assert [batch.shape[0] for batch in loader.batches(0)] == [8, 8]


def test_loader_skip_resumes_epoch(tiny_images):
    loader = BatchLoader(tiny_images, 8, seed=0)
    batches = list(loader.batches(2))

    skipped = list(loader.batches(2, skip=5))

    assert len(skipped) == 3
    for batch, again in zip(batches[5:], skipped, strict=True):
        assert torch.equal(batch, again)


def test_loader_ranks_get_disjoint_shards(tiny_images):
    shards = [
        torch.cat(
            list(
                BatchLoader(tiny_images, 8, seed=0, rank=rank, world_size=2).batches(0)
            )
        )
        for rank in (0, 1)
    ]

    assert shards[0].shape[0] == shards[1].shape[0] == 32
    combined = torch.cat(shards).flatten(1)
    assert torch.unique(combined, dim=0).shape[0] == 64


def test_loader_too_few_images_error(tiny_images):
    with pytest.raises(DataError, match="lower --batch-size"):
        BatchLoader(tiny_images[:5], 8, seed=0)
