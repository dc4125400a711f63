"""Sample bank text and helpers shared by the question-bank tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from dcgan_quiz.questions.loader import BankError, Problem, load_bank

VALID_BANK = """\
id: sample
title: {en: Sample bank, ko: 예제 문제집}
questions:
  - id: generator
    topic: generator
    prompt: {en: What does the generator do, ko: 생성자는 무엇을 하나요}
    answer:
      en: G maps z to x.
      ko: 생성자는 z를 x로 보냅니다.
    key_points:
      - id: maps
        text: {en: G maps noise to images, ko: 잡음을 이미지로 바꿉니다}
        terms: {en: [maps noise], ko: [생성자]}
    follow_ups: [discriminator]
  - id: discriminator
    topic: discriminator
    prompt: {en: What does the discriminator do, ko: 판별자는 무엇을 하나요}
    answer: {en: D tells real from fake., ko: 판별자는 진짜와 가짜를 구분합니다.}
    key_points:
      - id: classifies
        text: {en: D classifies images, ko: 판별자는 이미지를 분류합니다}
        terms: {en: [real, fake], ko: [진짜]}
"""
# 1-based lines of VALID_BANK that tests assert on.
ANSWER_EN = "      en: G maps z to x."
ANSWER_EN_LINE = 8
FOLLOW_UPS_LINE = 14
SECOND_QUESTION_LINE = 15


def bank_with(old: str, new: str) -> str:
    """Return VALID_BANK with ``old`` replaced by ``new``, which must occur once."""
    assert VALID_BANK.count(old) == 1, old
    return VALID_BANK.replace(old, new)


def load_problems(path: Path) -> list[Problem]:
    """Load ``path``, expect a BankError and return its problems."""
    with pytest.raises(BankError) as raised:
        load_bank(path)
    return raised.value.problems
