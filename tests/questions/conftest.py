"""Fixtures for the question-bank tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

WriteBank = Callable[..., Path]


@pytest.fixture
def write_bank(tmp_path: Path) -> WriteBank:
    """Return a function that writes a bank file in tmp_path and returns its path."""

    def write(text: str | bytes, name: str = "bank.yaml") -> Path:
        path = tmp_path / name
        if isinstance(text, str):
            text = text.encode("utf-8")
        path.write_bytes(text)
        return path

    return write
