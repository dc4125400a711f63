"""Tests for dcgan_quiz.questions.schema, built from Python data without YAML."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from pydantic import ValidationError

from dcgan_quiz.questions.schema import (
    Bank,
    Choice,
    KeyPoint,
    Question,
    Source,
    Terms,
    Text,
    find_reference_issues,
)


def text(en: str = "text", ko: str = "글") -> dict[str, str]:
    return {"en": en, "ko": ko}


def key_point(point_id: str = "maps") -> dict[str, Any]:
    return {"id": point_id, "text": text(), "terms": {"en": ["maps"], "ko": []}}


def question(question_id: str = "generator", **fields: Any) -> dict[str, Any]:
    data = {
        "id": question_id,
        "topic": "generator",
        "prompt": text(),
        "answer": text(),
        "key_points": [key_point()],
    }
    data.update(fields)
    return data


def bank(*questions: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": "sample",
        "title": text(),
        "questions": list(questions) or [question()],
    }


def option(correct: bool) -> dict[str, Any]:
    return {"text": text(), "correct": correct, "why": text()}


def error_types(raised: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return [error["type"] for error in raised.value.errors()]


# ---------------------------------------------------------------------------
# Text


def test_text_get_by_language():
    value = Text(en="generator", ko="생성자")
    assert value.get("en") == "generator"
    assert value.get("ko") == "생성자"


def test_text_get_unknown_language():
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        Text(en="a", ko="b").get("fr")  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [False, True, 0, 3.1, None, ["a"]])
def test_text_rejects_non_string(value):
    with pytest.raises(ValidationError) as raised:
        Text.model_validate({"en": value, "ko": "글"})
    assert raised.value.errors()[0]["loc"] == ("en",)


@pytest.mark.parametrize("value", ["", "   ", "\n\n"])
def test_text_rejects_blank(value):
    with pytest.raises(ValidationError) as raised:
        Text(en=value, ko="글")
    assert error_types(raised) == ["empty_text"]


def test_text_strips_trailing_newlines_only():
    value = Text(en="  line one\nline two\n\n", ko="글\n")
    assert value.en == "  line one\nline two"
    assert value.ko == "글"


def test_text_rejects_unknown_key():
    with pytest.raises(ValidationError) as raised:
        Text.model_validate({"en": "a", "ko": "b", "fr": "c"})
    assert error_types(raised) == ["extra_forbidden"]


# ---------------------------------------------------------------------------
# Ids, terms, sources


@pytest.mark.parametrize("bad_id", ["Gen", "gen_loss", "-gen", "", "gen\n", "생성자"])
def test_invalid_question_id(bad_id):
    with pytest.raises(ValidationError) as raised:
        Question.model_validate(question(bad_id))
    assert error_types(raised) == ["invalid_id"]


@pytest.mark.parametrize("good_id", ["gen", "g", "2e-4", "beta1-half"])
def test_valid_question_id(good_id):
    assert Question.model_validate(question(good_id)).id == good_id


def test_terms_need_at_least_one():
    with pytest.raises(ValidationError) as raised:
        Terms(en=[], ko=[])
    assert error_types(raised) == ["no_terms"]


def test_terms_all_lists_both_languages():
    assert Terms(en=["generator"], ko=["생성자"]).all() == ["generator", "생성자"]


def test_terms_reject_blank_term():
    with pytest.raises(ValidationError) as raised:
        Terms(en=["generator", " "], ko=[])
    assert error_types(raised) == ["empty_text"]


def test_source_url_must_be_http():
    assert Source(title="DCGAN", url="https://arxiv.org/abs/1511.06434").url
    with pytest.raises(ValidationError) as raised:
        Source(title="DCGAN", url="arxiv.org/abs/1511.06434")
    assert error_types(raised) == ["invalid_url"]


def test_source_url_optional():
    assert Source(title="DCGAN paper").url is None


# ---------------------------------------------------------------------------
# Question


def test_demos_from_single_name():
    assert Question.model_validate(question(demo="tanh-range")).demos == ["tanh-range"]


def test_demos_from_list():
    data = question(demo=["tanh-range", "adam-beta1"])
    assert Question.model_validate(data).demos == ["tanh-range", "adam-beta1"]


def test_demos_when_absent():
    assert Question.model_validate(question()).demos == []


@pytest.mark.parametrize("demo", [True, 3, ["tanh-range", 1], [""], {"a": "b"}])
def test_invalid_demo(demo):
    with pytest.raises(ValidationError) as raised:
        Question.model_validate(question(demo=demo))
    assert error_types(raised) == ["invalid_demo"]
    assert raised.value.errors()[0]["loc"] == ("demo",)


def test_question_needs_key_point():
    with pytest.raises(ValidationError) as raised:
        Question.model_validate(question(key_points=[]))
    assert error_types(raised) == ["too_short"]


def test_duplicate_key_point_ids_rejected():
    data = question(key_points=[key_point("maps"), key_point("maps")])
    with pytest.raises(ValidationError) as raised:
        Question.model_validate(data)
    assert error_types(raised) == ["duplicate_key_point_id"]
    assert "duplicate key point id 'maps'" in str(raised.value)


def test_key_point_rejects_unknown_key():
    with pytest.raises(ValidationError) as raised:
        KeyPoint.model_validate({**key_point(), "weight": 2})
    assert error_types(raised) == ["extra_forbidden"]


# ---------------------------------------------------------------------------
# Choice


def test_choice_with_one_correct_option():
    choice = Choice.model_validate({"options": [option(False), option(True)]})
    assert choice.correct_option is choice.options[1]


@pytest.mark.parametrize("flags", [[True, True], [False, False], [True, True, False]])
def test_choice_needs_exactly_one_correct(flags):
    with pytest.raises(ValidationError) as raised:
        Choice.model_validate({"options": [option(flag) for flag in flags]})
    assert error_types(raised) == ["correct_count"]
    assert f"found {flags.count(True)}" in str(raised.value)


def test_choice_needs_two_options():
    with pytest.raises(ValidationError) as raised:
        Choice.model_validate({"options": [option(True)]})
    assert error_types(raised) == ["too_short"]


@pytest.mark.parametrize("value", ["yes", "true", 1])
def test_choice_correct_must_be_boolean(value):
    options = [option(True), {"text": text(), "correct": value, "why": text()}]
    with pytest.raises(ValidationError) as raised:
        Choice.model_validate({"options": options})
    assert error_types(raised) == ["bool_type"]


# ---------------------------------------------------------------------------
# Bank and cross-question checks


def test_bank_helpers():
    data = bank(question("generator"), question("critic", topic="loss"))
    value = Bank.model_validate(data)
    assert value.question_ids == ["generator", "critic"]
    assert value.topics == ["generator", "loss"]
    assert value.get_question("critic").topic == "loss"
    with pytest.raises(KeyError, match="no question 'absent'"):
        value.get_question("absent")


def test_bank_duplicate_question_ids_rejected():
    with pytest.raises(ValidationError) as raised:
        Bank.model_validate(bank(question("generator"), question("generator")))
    assert error_types(raised) == ["bank_references"]
    assert "duplicate question id 'generator'" in str(raised.value)


def test_bank_follow_up_must_resolve():
    data = bank(question("generator", follow_ups=["critic"]))
    with pytest.raises(ValidationError) as raised:
        Bank.model_validate(data)
    assert "follow-up 'critic' is not a question id in this bank" in str(raised.value)


def test_bank_follow_up_to_itself_rejected():
    data = bank(question("generator", follow_ups=["generator"]))
    with pytest.raises(ValidationError) as raised:
        Bank.model_validate(data)
    assert "lists itself as a follow-up" in str(raised.value)


def test_bank_follow_up_resolves():
    data = bank(question("generator", follow_ups=["critic"]), question("critic"))
    assert Bank.model_validate(data).questions[0].follow_ups == ["critic"]


def test_reference_issues_locations():
    data = bank(
        question("generator", follow_ups=["absent"]),
        question("generator", key_points=[key_point("a"), key_point("a")]),
    )
    issues = {issue.location: issue for issue in find_reference_issues(data)}
    assert issues[("questions", 1, "id")].first_location == ("questions", 0, "id")
    key_point_location = ("questions", 1, "key_points", 1, "id")
    assert issues[key_point_location].first_location == (
        "questions",
        1,
        "key_points",
        0,
        "id",
    )
    assert ("questions", 0, "follow_ups", 0) in issues
    assert len(issues) == 3


@pytest.mark.parametrize(
    "data",
    [None, [], "text", {"questions": "x"}, {"questions": [None, 3, {"id": 5}]}],
)
def test_reference_issues_skip_wrong_types(data):
    assert find_reference_issues(data) == []


def test_reference_issues_on_raw_data_unchanged():
    data = bank(question("generator"), question("generator"))
    before = copy.deepcopy(data)
    find_reference_issues(data)
    assert data == before
