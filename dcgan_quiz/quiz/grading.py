"""Grade a free-text answer by which key points it makes.

Each key point lists terms in Korean and English; the point counts as made when
the answer contains any one term, in either language. Matching depends on the
term (see docs/bank-format.md):
- a number matches any number of the same value ("2e-4" equals "0.0002");
- a term with Hangul matches as a substring with spaces ignored, so particles
  attached to a noun ("생성자는", "생성자의") still match "생성자";
- a Latin term matches at word boundaries, its last word also with the endings
  -s, -es, -d and -ed, and a word of eight letters or more with one typo inside;
- "a + b" matches when every part matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum
from functools import lru_cache

from dcgan_quiz.quiz.text import (
    contains_hangul,
    extract_numbers,
    normalize,
    parse_number,
    same_number,
)

TERM_PART_SEPARATOR = " + "
FUZZY_MIN_LENGTH = 8
LATIN_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
WORD = re.compile(r"[a-z0-9\u00c0-\u024f\u0370-\u03ff]+")


class Rating(IntEnum):
    """The four FSRS ratings, numbered as the user types them."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4


@dataclass(frozen=True)
class PointResult:
    """One key point and whether the answer made it."""

    point_id: str
    covered: bool
    matched_term: str | None


@dataclass(frozen=True)
class Grade:
    points: tuple[PointResult, ...]

    @property
    def covered_count(self) -> int:
        return sum(point.covered for point in self.points)

    @property
    def coverage(self) -> float:
        """Fraction of key points made, from 0.0 to 1.0."""
        if not self.points:
            return 0.0
        return self.covered_count / len(self.points)

    @property
    def suggested_rating(self) -> Rating:
        return suggest_rating(self.coverage)


def suggest_rating(coverage: float) -> Rating:
    """Map key-point coverage to a rating the user confirms.

    Nothing made is Again; under half is Hard, because the user recalled
    something but not the core; most points is Good; every point is Easy.
    """
    if coverage <= 0.0:
        return Rating.AGAIN
    if coverage < 0.5:
        return Rating.HARD
    if coverage < 1.0:
        return Rating.GOOD
    return Rating.EASY


class NormalizedAnswer:
    """An answer prepared once for matching many terms against it."""

    def __init__(self, text: str) -> None:
        self.text = normalize(text)
        self.spaceless = self.text.replace(" ", "")
        self.words = WORD.findall(self.text)
        self.numbers = extract_numbers(self.text)


def grade(
    answer: str, key_points: list, language_order: tuple[str, ...] = ("en", "ko")
) -> Grade:
    """Return which key points the answer makes.

    Args:
        answer: the user's text, in any language and Unicode form.
        key_points: the question's key points, each with ``id`` and ``terms``
            (``terms.en`` and ``terms.ko`` lists).
        language_order: the order in which term lists are tried; it changes
            only which matched term is reported, never the result.
    """
    prepared = NormalizedAnswer(answer)
    results = []
    for point in key_points:
        matched = None
        if prepared.text:
            for language in language_order:
                matched = first_matching_term(prepared, getattr(point.terms, language))
                if matched is not None:
                    break
        results.append(PointResult(point.id, matched is not None, matched))
    return Grade(tuple(results))


# An answer that is most of the question, or the question plus at most a few
# characters, is a copy. A short answer may well be a phrase of the question.
PROMPT_COPY_SHARE = 0.6
PROMPT_COPY_SLACK = 12


def repeats_prompt(answer: str, prompt) -> bool:
    """Return True when the answer only repeats the question, in either language.

    Prompts name the concepts they ask about, so a copied prompt would
    otherwise cover points it does not explain.
    """
    text = normalize(answer)
    if not text:
        return False
    for language in ("en", "ko"):
        question = normalize(getattr(prompt, language))
        if text in question and len(text) >= PROMPT_COPY_SHARE * len(question):
            return True
        if question in text and len(text) - len(question) <= PROMPT_COPY_SLACK:
            return True
    return False


def first_matching_term(answer: NormalizedAnswer, terms: list[str]) -> str | None:
    for term in terms:
        parts = [part for part in term.split(TERM_PART_SEPARATOR) if part.strip()]
        if parts and all(part_matches(answer, part) for part in parts):
            return term
    return None


def part_matches(answer: NormalizedAnswer, part: str) -> bool:
    number = parse_number(part)
    if number is not None:
        return any(same_number(number, value) for value in answer.numbers)

    normalized = normalize(part)
    if not normalized:
        return False
    if contains_hangul(normalized):
        # Korean attaches particles to nouns and spaces compounds freely, so
        # "판별자의 기울기" and "판별자기울기" must both match.
        return hangul_pattern(normalized).search(answer.spaceless) is not None
    if latin_pattern(normalized).search(answer.text):
        return True
    return fuzzy_word_match(answer.words, normalized)


# Latin letters and digits at the edge of a term must not continue into the
# neighbouring text: "D를 통해" must not match "backward를 통해", and "기울기가 0"
# must not match "기울기가 0.2".
# "non-" and Korean "비" negate the word they precede: "zero gradient" must not
# match "non-zero gradient", nor "포화" match "비포화".
START_BOUNDARY = r"(?<![a-z0-9])(?<!non-)(?<!non )"
HANGUL_START_BOUNDARY = r"(?<!비)"
END_BOUNDARY = r"(?![a-z0-9]|\.[0-9])"

# A plural or past-tense ending on the last word: "gradients", "oscillated".
# Longer endings would let "moment" match "momentum".
WORD_ENDING = r"(?:s|es|d|ed)?"


@lru_cache(maxsize=4096)
def hangul_pattern(term: str) -> re.Pattern[str]:
    """Return a pattern for a term with Hangul, matched against spaceless text."""
    spaceless = term.replace(" ", "")
    start = START_BOUNDARY if spaceless[0] in LATIN_ALNUM else HANGUL_START_BOUNDARY
    end = END_BOUNDARY if spaceless[-1] in LATIN_ALNUM else ""
    return re.compile(start + re.escape(spaceless) + end)


@lru_cache(maxsize=4096)
def latin_pattern(term: str) -> re.Pattern[str]:
    """Return a pattern for the term that respects word boundaries at its ends."""
    body = r"\s*".join(re.escape(piece) for piece in term.split(" "))
    start = START_BOUNDARY if term[0].isalnum() else ""
    if term[-1].isalpha():
        end = WORD_ENDING + END_BOUNDARY
    elif term[-1].isalnum():
        end = END_BOUNDARY
    else:
        end = ""
    return re.compile(start + body + end)


def fuzzy_word_match(words: list[str], term: str) -> bool:
    """Match a single long word with one typo inside it.

    The first two and the last two letters must agree, because a change there
    turns one real word into another ("parse" and "sparse", "identify" and
    "identity", "rating" and "gating").
    """
    if " " in term or len(term) < FUZZY_MIN_LENGTH or not term.isalpha():
        return False
    return any(
        len(word) >= FUZZY_MIN_LENGTH
        and word[:2] == term[:2]
        and word[-2:] == term[-2:]
        and within_one_edit(word, term)
        for word in words
    )


def within_one_edit(first: str, second: str) -> bool:
    """Return True when the strings differ by at most one insertion, deletion,
    substitution or swap of neighbouring letters."""
    if first == second:
        return True
    if abs(len(first) - len(second)) > 1:
        return False
    if len(first) == len(second):
        differences = [
            i for i, (a, b) in enumerate(zip(first, second, strict=True)) if a != b
        ]
        if len(differences) == 1:
            return True
        if len(differences) == 2:
            i, j = differences
            return j == i + 1 and first[i] == second[j] and first[j] == second[i]
        return False
    shorter, longer = sorted((first, second), key=len)
    for index in range(len(longer)):
        if longer[:index] + longer[index + 1 :] == shorter:
            return True
    return False
