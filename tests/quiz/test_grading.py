import unicodedata
from types import SimpleNamespace

import pytest

from dcgan_quiz.quiz.grading import Rating, grade, suggest_rating, within_one_edit


def point(point_id, en=(), ko=()):
    return SimpleNamespace(id=point_id, terms=SimpleNamespace(en=list(en), ko=list(ko)))


ADAM_POINTS = [
    point("learning-rate", en=["2e-4"], ko=["학습률 + 2e-4"]),
    point("beta1", en=["beta1 + 0.5"], ko=["베타1 + 0.5"]),
    point("oscillation", en=["oscillation"], ko=["진동"]),
]


def covered(answer, points=ADAM_POINTS):
    return [
        result.point_id for result in grade(answer, points).points if result.covered
    ]


def test_numbers_compare_by_value():
    assert covered("lr was 0.0002") == ["learning-rate"]
    assert covered("lr was 2 x 10^-4") == ["learning-rate"]


def test_wrong_number_is_not_covered():
    assert covered("lr 2e-3 and beta1 0.9") == []


def test_multi_part_term_needs_every_part():
    assert covered("beta1 was lowered") == []
    assert covered("they set beta1 to 0.5") == ["beta1"]


def test_hangul_term_matches_with_particles_attached():
    points = [
        point("generator", ko=["생성자"]),
        point("gradient", ko=["판별자 기울기"]),
    ]
    answer = "생성자는 판별자의기울기가 아니라 판별자 기울기를 받는다"
    assert covered(answer, points) == ["generator", "gradient"]


def test_hangul_compound_matches_without_spaces():
    points = [point("gradient", ko=["판별자 기울기"])]
    assert covered("판별자기울기가 작다", points) == ["gradient"]


def test_korean_answer_covers_english_term_list():
    assert covered("학습률은 2e-4, 베타1은 0.5이고 0.9에서는 진동했다") == [
        "learning-rate",
        "beta1",
        "oscillation",
    ]


def test_nfd_input_counts_as_correct():
    points = [point("generator", ko=["생성자"])]
    answer = unicodedata.normalize("NFD", "생성자가 이미지를 만든다")
    assert covered(answer, points) == ["generator"]


def test_latin_term_respects_word_boundaries():
    points = [point("relu", en=["relu"])]
    assert covered("LeakyReLU everywhere", points) == []
    assert covered("plain ReLU in G", points) == ["relu"]


def test_one_typo_allowed_in_long_words():
    assert covered("training showed oscilation") == ["oscillation"]
    assert covered("training showed osclation") == []


@pytest.mark.parametrize("answer", ["", "   ", "\n\n", "\t"])
def test_empty_answer_covers_nothing(answer):
    result = grade(answer, ADAM_POINTS)
    assert result.coverage == 0.0
    assert result.suggested_rating == Rating.AGAIN


def test_whitespace_and_newlines_never_change_the_grade():
    flowing = "lr 2e-4 and beta1 0.5 because of oscillation"
    broken = "lr   2e-4\nand beta1\n\n0.5 because of\toscillation\n"
    assert grade(flowing, ADAM_POINTS) == grade(broken, ADAM_POINTS)


def test_block_scalar_terms_grade_like_plain_ones():
    literal = [point("oscillation", en=["oscillation\n"])]  # as YAML "|" leaves it
    folded = [point("oscillation", en=[" oscillation "])]
    answer = "it showed oscillation"
    assert grade(answer, literal).coverage == grade(answer, folded).coverage == 1.0


@pytest.mark.parametrize(
    ("coverage", "rating"),
    [(0.0, Rating.AGAIN), (0.25, Rating.HARD), (0.5, Rating.GOOD), (1.0, Rating.EASY)],
)
def test_suggested_rating_follows_coverage(coverage, rating):
    assert suggest_rating(coverage) == rating


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("gradient", "gradeint", True),
        ("gradient", "gradent", True),
        ("gradient", "gradients", True),
        ("gradient", "radiant", False),
    ],
)
def test_within_one_edit(first, second, expected):
    assert within_one_edit(first, second) is expected


@pytest.mark.parametrize(
    ("term", "answer"),
    [
        ("D를 통해", "backward를 통해 학습합니다"),
        ("G까지", "padding까지 신경 씁니다"),
        ("기울기가 0", "LeakyReLU의 음수 쪽 기울기가 0.2입니다"),
        ("symmetric", "the asymmetric design was chosen"),
        ("identity", "I can identify it"),
        ("sparse", "I parse the rating"),
        ("gating", "I parse the rating"),
        ("pooling", "I would use polling"),
        ("overlap", "I would use an overlay"),
        ("minimax", "it finds minima"),
        ("moment", "momentum helps"),
    ],
)
def test_unrelated_words_do_not_match(term, answer):
    assert covered(answer, [point("p", en=[term], ko=[term])]) == []


@pytest.mark.parametrize(
    ("term", "answer"),
    [
        ("squared gradient", "Adam keeps averages of squared gradients"),
        ("oscillate", "training oscillated with 0.9"),
        ("D를 통해", "G의 기울기는 D를 통해 온다"),
        ("기울기가 0", "음수에서 기울기가 0이다"),
        ("gradient", "the gradeint flows"),
        ("discriminator", "the discrimnator decides"),
        ("2e-4", "학습률0.0002로 둔다"),
    ],
)
def test_natural_forms_match(term, answer):
    assert covered(answer, [point("p", en=[term], ko=[term])]) == ["p"]


@pytest.mark.parametrize(
    ("term", "answer"),
    [
        ("zero gradient", "LeakyReLU keeps a non-zero gradient"),
        ("saturating loss", "we use the non saturating loss"),
        ("포화", "비포화 손실을 쓴다"),
        ("대칭", "비대칭 구조"),
    ],
)
def test_negating_prefix_blocks_match(term, answer):
    assert covered(answer, [point("p", en=[term], ko=[term])]) == []


def test_curly_apostrophe_matches_straight():
    points = [point("p", en=["doesn't decay"])]
    assert covered("Adam doesn\u2019t decay the rate", points) == ["p"]
