import unicodedata

import pytest

from dcgan_quiz.quiz.text import (
    clean_input,
    extract_numbers,
    normalize,
    parse_number,
    to_nfc,
)


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("2e-4", 2e-4),
        ("0.0002", 2e-4),
        ("2.0e-4", 2e-4),
        ("2 x 10^-4", 2e-4),
        ("2×10⁻⁴", 2e-4),
        ("10^-3", 1e-3),
        ("１e−3", 1e-3),
        (".5", 0.5),
        ("-1", -1.0),
    ],
)
def test_parse_number_forms(written, value):
    assert parse_number(written) == pytest.approx(value)


def test_parse_number_rejects_words():
    assert parse_number("beta1") is None
    assert parse_number("lr") is None


def test_numbers_glued_to_names_are_not_numbers():
    assert extract_numbers(normalize("beta1 0.5, 베타1은 0.5")) == [0.5, 0.5]


def test_numbers_in_a_korean_sentence():
    text = normalize("학습률은 2e-4로, 범위는 [-1, 1]이고 초기화는 N(0, 0.02)")
    assert extract_numbers(text) == pytest.approx([2e-4, -1.0, 1.0, 0.0, 0.02])


def test_nfd_hangul_normalizes_to_nfc():
    decomposed = unicodedata.normalize("NFD", "생성자")
    assert decomposed != "생성자"
    assert normalize(decomposed) == "생성자"
    assert to_nfc(decomposed) == "생성자"


def test_normalize_folds_case_and_whitespace():
    assert normalize("  Leaky\tReLU \n\n slope ") == "leaky relu slope"


def test_clean_input_replaces_invalid_utf8():
    decoded = b"beta1 \xff 0.5".decode("utf-8", "surrogateescape")
    assert clean_input(decoded) == "beta1 \ufffd 0.5"


def test_clean_input_drops_escape_sequences():
    assert clean_input("a\x1b[2Jb\x1b]0;title\x07c\td") == "a[2Jb]0;titlec\td"


def test_clean_input_composes_nfd():
    assert clean_input(unicodedata.normalize("NFD", "생성자")) == "생성자"
