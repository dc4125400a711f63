"""Fixtures shared by every test: user state always goes to a temporary folder."""

from pathlib import Path

import pytest

TESTS = Path(__file__).parent
MINI_BANK = TESTS / "quiz" / "mini_bank.yaml"


@pytest.fixture(autouse=True)
def data_home(tmp_path, monkeypatch) -> Path:
    """Point DCGAN_QUIZ_HOME at a fresh folder so no test touches real progress."""
    home = tmp_path / "home"
    monkeypatch.setenv("DCGAN_QUIZ_HOME", str(home))
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    return home


@pytest.fixture
def mini_bank_path() -> Path:
    return MINI_BANK
