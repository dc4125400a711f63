"""Pydantic models of a question bank, as described in docs/bank-format.md.

Every model rejects unknown keys, and every string field is strict. YAML 1.1 reads
unquoted ``no``, ``on`` or ``3.10`` as a boolean or a number, so such a value is a
validation error and never becomes the text "False" or "3.1".

Checks that span several questions (unique ids, follow-ups that resolve) live in
``find_reference_issues``. It works on plain data, so the loader can report these
problems with line numbers even when other fields of the bank are invalid.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

Language = Literal["en", "ko"]
LANGUAGES: tuple[Language, ...] = ("en", "ko")

# fullmatch, because "$" in re also matches before a trailing newline.
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]*")

# Error types raised by the cross-question checks. The loader reports these from
# find_reference_issues on the raw data, with both line numbers, and skips the
# pydantic copies of them.
REFERENCE_ERROR_TYPES = frozenset({"bank_references", "duplicate_key_point_id"})

Location = tuple[str | int, ...]


def _check_not_blank(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("empty_text", "must not be empty")
    return value


def _strip_trailing_newlines(value: str) -> str:
    # A block scalar (| or >) ends with a newline that is not part of the text.
    return value.rstrip("\r\n")


def _check_id(value: str) -> str:
    if not ID_PATTERN.fullmatch(value):
        raise PydanticCustomError(
            "invalid_id",
            "must contain only lowercase letters, digits and '-', starting with a "
            "letter or digit; got '{value}'",
            {"value": value},
        )
    return value


def _check_url(value: str) -> str:
    if not value.startswith(("http://", "https://")):
        raise PydanticCustomError(
            "invalid_url",
            "must be an http:// or https:// URL; got '{value}'",
            {"value": value},
        )
    return value


NonEmptyStr = Annotated[str, Strict(), AfterValidator(_check_not_blank)]
TextStr = Annotated[
    str,
    Strict(),
    AfterValidator(_strip_trailing_newlines),
    AfterValidator(_check_not_blank),
]
Id = Annotated[str, Strict(), AfterValidator(_check_id)]
Url = Annotated[str, Strict(), AfterValidator(_check_url)]
StrictBool = Annotated[bool, Strict()]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Text(_Model):
    """A piece of text in English and Korean."""

    en: TextStr
    ko: TextStr

    def get(self, language: Language) -> str:
        """Return the text in ``language`` ("en" or "ko")."""
        if language == "en":
            return self.en
        if language == "ko":
            return self.ko
        raise ValueError(f"unknown language '{language}'; expected one of: en, ko")


class Terms(_Model):
    """Words that show a key point was made, per language."""

    en: list[NonEmptyStr]
    ko: list[NonEmptyStr]

    @model_validator(mode="after")
    def _require_a_term(self) -> Terms:
        if not self.en and not self.ko:
            raise PydanticCustomError(
                "no_terms", "must contain at least one term in `en` or `ko`"
            )
        return self

    def all(self) -> list[str]:
        """Return the English terms followed by the Korean ones."""
        return [*self.en, *self.ko]


class KeyPoint(_Model):
    """One point that a good answer makes, with the terms that detect it."""

    id: Id
    text: Text
    terms: Terms


class Misconception(_Model):
    """A wrong claim that candidates make, and its correction."""

    claim: Text
    correction: Text


class ChoiceOption(_Model):
    """One option of a multiple-choice question."""

    text: Text
    correct: StrictBool
    why: Text


class Choice(_Model):
    """The multiple-choice form of a question, for ``--mode choice``."""

    options: list[ChoiceOption] = Field(min_length=2)

    @field_validator("options")
    @classmethod
    def _require_one_correct(cls, options: list[ChoiceOption]) -> list[ChoiceOption]:
        correct_count = sum(option.correct for option in options)
        if correct_count != 1:
            raise PydanticCustomError(
                "correct_count",
                "must contain exactly one option with `correct: true`; found {count}",
                {"count": correct_count},
            )
        return options

    @property
    def correct_option(self) -> ChoiceOption:
        """The one option marked correct."""
        return next(option for option in self.options if option.correct)


class Source(_Model):
    """A paper, book or page that supports the answer."""

    title: NonEmptyStr
    url: Url | None = None


def _check_demo(value: Any) -> Any:
    """Reject a demo field that is neither a name nor a list of names.

    Without this check, pydantic reports one error per union member, with locations
    such as ``demo.list[str].0`` that do not match the YAML.
    """
    names = value if isinstance(value, list) else [value]
    if value is None or all(isinstance(name, str) and name.strip() for name in names):
        return value
    raise PydanticCustomError(
        "invalid_demo",
        "must be a demo name or a list of demo names; got {value}",
        {"value": repr(value)},
    )


class Question(_Model):
    """One interview question with its model answer and grading data."""

    id: Id
    topic: NonEmptyStr
    tags: list[NonEmptyStr] = []
    prompt: Text
    answer: Text
    key_points: list[KeyPoint] = Field(min_length=1)
    misconceptions: list[Misconception] = []
    follow_ups: list[Id] = []
    demo: Annotated[str | list[str] | None, BeforeValidator(_check_demo)] = None
    sources: list[Source] = []
    choice: Choice | None = None

    @model_validator(mode="after")
    def _require_unique_key_point_ids(self) -> Question:
        issues = _duplicate_key_point_issues(self.model_dump(), ())
        if issues:
            raise PydanticCustomError(
                "duplicate_key_point_id",
                "{summary}",
                {"summary": "; ".join(issue.message for issue in issues)},
            )
        return self

    @property
    def demos(self) -> list[str]:
        """The demo names of this question, whether ``demo`` was one name or a list."""
        if self.demo is None:
            return []
        if isinstance(self.demo, str):
            return [self.demo]
        return list(self.demo)


class Bank(_Model):
    """A question bank: one YAML file of questions."""

    id: Id
    title: Text
    questions: list[Question] = Field(min_length=1)

    @model_validator(mode="after")
    def _require_consistent_references(self) -> Bank:
        issues = find_reference_issues(self.model_dump())
        if issues:
            raise PydanticCustomError(
                "bank_references",
                "{summary}",
                {"summary": "; ".join(issue.describe() for issue in issues)},
            )
        return self

    @property
    def question_ids(self) -> list[str]:
        """The question ids in bank order."""
        return [question.id for question in self.questions]

    @property
    def topics(self) -> list[str]:
        """The distinct topics, in order of first appearance."""
        return list(dict.fromkeys(question.topic for question in self.questions))

    def get_question(self, question_id: str) -> Question:
        """Return the question with ``question_id``, or raise KeyError."""
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(f"no question '{question_id}' in bank '{self.id}'")


class ReferenceIssue(NamedTuple):
    """A problem that involves more than one field, such as a duplicate id.

    ``location`` is where the problem is. ``first_location`` is the earlier
    definition that a duplicate collides with.
    """

    location: Location
    message: str
    fix: str
    first_location: Location | None = None

    def describe(self) -> str:
        """Return the message with data locations instead of line numbers."""
        where = _format_location(self.location)
        if self.first_location is not None:
            where = f"{where}, first at {_format_location(self.first_location)}"
        return f"{self.message} ({where}); {self.fix}"


def _format_location(location: Location) -> str:
    return ".".join(str(part) for part in location)


def find_reference_issues(data: Any) -> list[ReferenceIssue]:
    """Find duplicate ids and unresolved follow-ups in bank data.

    ``data`` is the bank as plain mappings and lists, before or after validation.
    Parts of the wrong type are skipped, because the schema reports them.
    """
    questions = _mapping_items(data, "questions")
    issues = _duplicate_question_issues(questions)
    ids = {question["id"] for _, question in questions if _id_of(question)}
    for index, question in questions:
        location = ("questions", index)
        issues += _duplicate_key_point_issues(question, location)
        issues += _follow_up_issues(question, location, ids)
    return issues


def _mapping_items(data: Any, key: str) -> list[tuple[int, Mapping[str, Any]]]:
    """Return (index, item) for the mappings in the list ``data[key]``."""
    if not isinstance(data, Mapping) or not isinstance(data.get(key), list):
        return []
    return [
        (index, item)
        for index, item in enumerate(data[key])
        if isinstance(item, Mapping)
    ]


def _id_of(item: Mapping[str, Any]) -> str | None:
    value = item.get("id")
    return value if isinstance(value, str) else None


def _duplicate_issues(
    items: list[tuple[int, Mapping[str, Any]]],
    prefix: Location,
    message: str,
    fix: str,
) -> list[ReferenceIssue]:
    first_index: dict[str, int] = {}
    issues = []
    for index, item in items:
        item_id = _id_of(item)
        if item_id is None:
            continue
        if item_id in first_index:
            issues.append(
                ReferenceIssue(
                    location=(*prefix, index, "id"),
                    message=message.format(id=item_id),
                    fix=fix,
                    first_location=(*prefix, first_index[item_id], "id"),
                )
            )
        else:
            first_index[item_id] = index
    return issues


def _duplicate_question_issues(
    questions: list[tuple[int, Mapping[str, Any]]],
) -> list[ReferenceIssue]:
    return _duplicate_issues(
        questions,
        ("questions",),
        "duplicate question id '{id}'",
        "give each question its own id",
    )


def _duplicate_key_point_issues(
    question: Mapping[str, Any], location: Location
) -> list[ReferenceIssue]:
    return _duplicate_issues(
        _mapping_items(question, "key_points"),
        (*location, "key_points"),
        "duplicate key point id '{id}' in this question",
        "give each key point of a question its own id",
    )


def _follow_up_issues(
    question: Mapping[str, Any], location: Location, ids: set[str]
) -> list[ReferenceIssue]:
    follow_ups = question.get("follow_ups")
    if not isinstance(follow_ups, list):
        return []
    issues = []
    for index, follow_up in enumerate(follow_ups):
        if not isinstance(follow_up, str):
            continue
        follow_up_location = (*location, "follow_ups", index)
        if follow_up == question.get("id"):
            issues.append(
                ReferenceIssue(
                    follow_up_location,
                    f"question '{follow_up}' lists itself as a follow-up",
                    "remove it from follow_ups",
                )
            )
        elif follow_up not in ids:
            issues.append(
                ReferenceIssue(
                    follow_up_location,
                    f"follow-up '{follow_up}' is not a question id in this bank",
                    "use the id of another question in the same bank",
                )
            )
    return issues
