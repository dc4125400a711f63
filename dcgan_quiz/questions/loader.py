"""Load question banks from YAML files and report every problem as ``file:line``.

Loading reads the file as bytes and decodes them as UTF-8 whatever the locale. A
SafeLoader subclass composes the YAML node tree and builds plain Python values,
recording the line of every value. The pydantic models in ``schema`` then validate
those values. Each step collects problems with their line, and ``BankError``
carries them all.

Only ``yaml.SafeLoader`` is used. Tags other than the plain YAML types are rejected
before anything is constructed, so a tag such as ``!!python/object/apply`` never
runs code.
"""

from __future__ import annotations

import codecs
import datetime
import difflib
import typing
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from dcgan_quiz.questions.schema import (
    ID_PATTERN,
    REFERENCE_ERROR_TYPES,
    Bank,
    Location,
    find_reference_issues,
)

BUILTIN_BANK_PACKAGE = "dcgan_quiz.questions"
BANK_SUFFIXES = (".yaml", ".yml")

_YAML_TAG_PREFIX = "tag:yaml.org,2002:"
_SCALAR_TAGS = frozenset(
    _YAML_TAG_PREFIX + name
    for name in ("str", "int", "float", "bool", "null", "timestamp")
)
_SEQUENCE_TAG = _YAML_TAG_PREFIX + "seq"
_MAPPING_TAG = _YAML_TAG_PREFIX + "map"
_MERGE_TAG = _YAML_TAG_PREFIX + "merge"

# Aliases let a small file expand to an exponential number of values (the
# "billion laughs" pattern). The built-in dcgan bank has about 200 values per
# question, so this limit leaves room for about 1,000 questions.
MAX_VALUES = 200_000


@dataclass(frozen=True)
class Problem:
    """One problem in a bank file, at a 1-based line and column when known."""

    path: Path
    line: int | None
    column: int | None
    message: str

    def __str__(self) -> str:
        position = ""
        if self.line is not None:
            position = f":{self.line}"
            if self.column is not None:
                position += f":{self.column}"
        return f"{self.path}{position}: {self.message}"


class BankError(Exception):
    """A bank could not be loaded. ``problems`` lists every problem found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


class BankNotFoundError(BankError):
    """No built-in bank has the requested name, or the bank file does not exist."""


# ---------------------------------------------------------------------------
# YAML with line numbers


@dataclass(frozen=True)
class Mark:
    """A 1-based line and column in the YAML source."""

    line: int
    column: int


def _mark(yaml_mark: yaml.Mark) -> Mark:
    return Mark(yaml_mark.line + 1, yaml_mark.column + 1)


@dataclass
class Finding:
    """A problem found while building values, before the schema is checked.

    ``value_dropped`` is true when the value at ``location`` was replaced by None,
    so schema errors about that value would only repeat this problem.
    """

    location: Location
    mark: Mark
    message: str
    value_dropped: bool = True


@dataclass
class ParsedYaml:
    """Plain Python values of a YAML document and where each value came from.

    Locations are tuples of mapping keys and list indices, the same shape as the
    ``loc`` of a pydantic error, so ``marks[loc]`` gives the line of an error.
    """

    data: Any
    marks: dict[Location, Mark] = field(default_factory=dict)
    key_marks: dict[Location, Mark] = field(default_factory=dict)
    plain_scalars: dict[Location, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def mark_for(self, location: Location) -> Mark | None:
        """Return the mark of ``location``, or of its nearest recorded parent.

        A value under a key is reported at the key's line, because a nested
        mapping starts on the line after its key.
        """
        for length in range(len(location), -1, -1):
            prefix = location[:length]
            if prefix in self.key_marks:
                return self.key_marks[prefix]
            if prefix in self.marks:
                return self.marks[prefix]
        return None

    def is_dropped(self, location: Location) -> bool:
        """Tell whether the value at ``location`` or a parent of it was dropped."""
        return any(
            finding.value_dropped
            and location[: len(finding.location)] == finding.location
            for finding in self.findings
        )


class _ValueLimitError(yaml.YAMLError):
    pass


class _BankYamlBuilder:
    """Value building with line marks, shared by the two bank loaders.

    ``build_document`` replaces ``get_single_data``. It rejects duplicate keys,
    merge keys and every tag other than the plain YAML types, and keeps going after
    such a problem so that one run reports all of them.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.parsed = ParsedYaml(data=None)
        self._value_count = 0
        self._open_nodes: set[int] = set()

    def build_document(self) -> ParsedYaml | None:
        """Compose the single document and build its values, or return None if empty."""
        node = self.get_single_node()
        if node is None:
            return None
        self.parsed.data = self._build(node, ())
        return self.parsed

    def _add_finding(
        self,
        location: Location,
        node: yaml.Node,
        message: str,
        value_dropped: bool = True,
    ) -> None:
        finding = Finding(location, _mark(node.start_mark), message, value_dropped)
        self.parsed.findings.append(finding)

    def _build(self, node: yaml.Node, location: Location) -> Any:
        self.parsed.marks[location] = _mark(node.start_mark)
        self._value_count += 1
        if self._value_count > MAX_VALUES:
            raise _ValueLimitError(
                f"the bank expands to more than {MAX_VALUES} values through "
                "aliases; write the values out instead of nesting aliases"
            )
        if not _has_safe_tag(node):
            self._add_finding(location, node, _unsupported_tag_message(node.tag))
            return None
        # An alias can point at one of its own parents, e.g. `&a [*a]`.
        if id(node) in self._open_nodes:
            self._add_finding(location, node, "recursive alias; remove the alias")
            return None
        self._open_nodes.add(id(node))
        try:
            return self._build_node(node, location)
        finally:
            self._open_nodes.discard(id(node))

    def _build_node(self, node: yaml.Node, location: Location) -> Any:
        if isinstance(node, yaml.MappingNode):
            return self._build_mapping(node, location)
        if isinstance(node, yaml.SequenceNode):
            return [
                self._build(item, (*location, index))
                for index, item in enumerate(node.value)
            ]
        return self._build_scalar(node, location)

    def _build_scalar(self, node: yaml.ScalarNode, location: Location) -> Any:
        # PyYAML 6 resolves plain scalars by YAML 1.1 rules, whose float pattern
        # needs a dot: `2e-4` is the string "2e-4", while `2.0e-4` and `3.10` are
        # floats and `no` is a boolean. The schema keeps such values as they are,
        # so a text field accepts `2e-4` as written and rejects the others.
        if not node.style:  # None from PyYAML's parser, "" from libyaml's
            # The source text of a plain scalar, e.g. "3.10" for the float 3.1,
            # lets an error message show the value as the author wrote it.
            self.parsed.plain_scalars[location] = node.value
        try:
            return self.construct_object(node)
        except (yaml.YAMLError, ValueError) as error:
            # For example `!!int abc` or the date `2024-13-45`.
            self._add_finding(location, node, f"invalid value '{node.value}': {error}")
            return None

    def _build_mapping(self, node: yaml.MappingNode, location: Location) -> dict:
        result: dict[str, Any] = {}
        first_lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = self._build_key(key_node, location)
            if key is None:
                continue
            key_location = (*location, key)
            key_mark = _mark(key_node.start_mark)
            if key in first_lines:
                self._add_finding(
                    key_location,
                    key_node,
                    f"duplicate key '{key}' at line {key_mark.line} (first at line "
                    f"{first_lines[key]}); keep only one of them",
                    value_dropped=False,
                )
                continue
            first_lines[key] = key_mark.line
            self.parsed.key_marks[key_location] = key_mark
            result[key] = self._build(value_node, key_location)
        return result

    def _build_key(self, key_node: yaml.Node, location: Location) -> str | None:
        """Return the key as a string, or record a finding and return None."""
        if not isinstance(key_node, yaml.ScalarNode):
            message = "a key must be a name, not a list or a mapping"
            self._add_finding((*location, "?"), key_node, message)
            return None
        if key_node.tag == _MERGE_TAG:
            message = "merge keys ('<<') are not supported; write the keys out"
        elif key_node.tag not in _SCALAR_TAGS:
            message = _unsupported_tag_message(key_node.tag)
        else:
            message = self._key_message(key_node)
            if message is None:
                return self.construct_object(key_node)
        self._add_finding((*location, key_node.value), key_node, message)
        return None

    def _key_message(self, key_node: yaml.ScalarNode) -> str | None:
        """Return why a scalar key is not a string, or None when it is one."""
        try:
            key = self.construct_object(key_node)
        except (yaml.YAMLError, ValueError) as error:
            return f"invalid key '{key_node.value}': {error}"
        if isinstance(key, str):
            return None
        return (
            f"key {key_node.value} is read as {_describe(key)}; quote it, "
            f'e.g. "{key_node.value}"'
        )


class BankYamlLoader(_BankYamlBuilder, yaml.SafeLoader):
    """A SafeLoader that builds plain values and records the line of each one.

    ``build_document`` replaces ``get_single_data``. It rejects duplicate keys,
    merge keys and every tag other than the plain YAML types, and keeps going after
    such a problem so that one run reports all of them.
    """


# libyaml composes nodes about ten times faster than PyYAML's pure-Python parser,
# which keeps `list` and `show` quick. Its error messages word some syntax errors
# differently, so any problem is reported by a second, pure-Python pass.
FastBankYamlLoader = (
    type("FastBankYamlLoader", (_BankYamlBuilder, yaml.CSafeLoader), {})
    if hasattr(yaml, "CSafeLoader")
    else None
)


def _has_safe_tag(node: yaml.Node) -> bool:
    if isinstance(node, yaml.MappingNode):
        return node.tag == _MAPPING_TAG
    if isinstance(node, yaml.SequenceNode):
        return node.tag == _SEQUENCE_TAG
    return node.tag in _SCALAR_TAGS


def _short_tag(tag: str) -> str:
    if tag.startswith(_YAML_TAG_PREFIX):
        return "!!" + tag.removeprefix(_YAML_TAG_PREFIX)
    return tag


def _unsupported_tag_message(tag: str) -> str:
    return (
        f"unsupported tag '{_short_tag(tag)}'; a bank may contain only strings, "
        "numbers, booleans, lists and mappings, so remove the tag"
    )


# ---------------------------------------------------------------------------
# Reading and parsing


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        message = "file not found; check the path"
    except IsADirectoryError:
        message = "is a directory; pass a bank file (.yaml)"
    except PermissionError:
        message = "permission denied; check the file's permissions"
    except OSError as error:
        message = f"failed to read the file: {error.strerror}"
    raise BankError([Problem(path, None, None, message)])


def _decode(path: Path, data: bytes) -> str:
    """Decode ``data`` as UTF-8 with an optional byte-order mark.

    The locale's encoding is never used: a bank written in Korean must load the
    same on a machine whose locale codec is cp949 or ASCII.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        message = "the file is UTF-16; save it as UTF-8"
        raise BankError([Problem(path, 1, None, message)])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BankError([_invalid_utf8_problem(path, data, error)]) from None


def _invalid_utf8_problem(
    path: Path, data: bytes, error: UnicodeDecodeError
) -> Problem:
    # The utf-8-sig codec counts error offsets after the byte-order mark.
    offset = error.start
    if data.startswith(codecs.BOM_UTF8):
        offset += len(codecs.BOM_UTF8)
    line = data.count(b"\n", 0, offset) + 1
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    message = (
        f"invalid UTF-8 at byte {offset} (0x{data[offset]:02x}); save the file as UTF-8"
    )
    return Problem(path, line, column, message)


def parse_yaml(path: Path, text: str) -> ParsedYaml | None:
    """Parse ``text`` into values with line marks, or return None for no document.

    Raises BankError with one problem for a YAML syntax error, naming the line,
    column and a fix.
    """
    parsed = _parse_fast(text)
    if parsed is not None:
        return parsed

    loader = None
    try:
        # The constructor already rejects control characters, so it sits in the try.
        loader = BankYamlLoader(text)
        return loader.build_document()
    except _ValueLimitError as error:
        raise BankError([Problem(path, None, None, str(error))]) from None
    except yaml.MarkedYAMLError as error:
        raise BankError([_syntax_problem(path, text, error)]) from None
    except yaml.reader.ReaderError as error:
        raise BankError([_reader_problem(path, text, error)]) from None
    except RecursionError:
        message = "the YAML is nested too deeply to load"
        raise BankError([Problem(path, None, None, message)]) from None
    finally:
        if loader is not None:
            loader.dispose()


def _parse_fast(text: str) -> ParsedYaml | None:
    """Parse a bank with libyaml; return None when it is unavailable, the file
    is empty or anything is wrong, so the caller's careful pass takes over."""
    if FastBankYamlLoader is None:
        return None
    loader = None
    try:
        loader = FastBankYamlLoader(text)
        parsed = loader.build_document()
    except (yaml.YAMLError, RecursionError):
        return None
    finally:
        if loader is not None:
            loader.dispose()
    if parsed is None or parsed.findings:
        return None
    return parsed


def _syntax_problem(path: Path, text: str, error: yaml.MarkedYAMLError) -> Problem:
    yaml_mark = error.problem_mark or error.context_mark
    message = f"invalid YAML: {_syntax_description(error)}"
    hint = _syntax_hint(text, error)
    if hint:
        message += f"; {hint}"
    if yaml_mark is None:
        return Problem(path, None, None, message)
    mark = _mark(yaml_mark)
    return Problem(path, mark.line, mark.column, message)


def _syntax_description(error: yaml.MarkedYAMLError) -> str:
    """Join PyYAML's problem and context into one phrase."""
    problem = error.problem or ""
    context = error.context or ""
    if not problem or not context:
        return problem or context or "syntax error"
    # Contexts read either "while scanning ..." or "expected ..., but found ...".
    if context.startswith("while"):
        return f"{problem} {context}"
    return f"{context}, {problem}"


def _syntax_hint(text: str, error: yaml.MarkedYAMLError) -> str | None:
    problem = error.problem or ""
    context = error.context or ""
    if "mapping values are not allowed" in problem and error.problem_mark:
        lines = text.splitlines()
        line_index = error.problem_mark.line
        line = lines[line_index] if line_index < len(lines) else ""
        return _colon_space_hint(line)
    if "'\\t'" in problem:
        return "indent with spaces, not tabs"
    if "expected a single document" in context:
        return "a bank is one YAML document, so remove the extra '---' line"
    if "quoted scalar" in context and error.context_mark:
        opened = error.context_mark.line + 1
        return f"close the quote that opens at line {opened}"
    if "expected ',' or" in problem:
        return (
            "inside [...] or {...}, quote a value that contains ',', ':', '?', "
            "'[', ']', '{' or '}'"
        )
    if "could not find expected ':'" in problem:
        return "quote a value that spans lines, or check the indentation"
    if "expected <block end>" in problem:
        return "check the indentation: keys of one mapping must line up"
    return None


def _colon_space_hint(line: str) -> str:
    """Return a hint that quotes the value of ``line``, which contains ': ' twice."""
    content = line.strip()
    key, separator, value = content.partition(": ")
    if not separator or not value:
        return "a value that contains ': ' must be quoted"
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'a value that contains ": " must be quoted, e.g. {key}: "{escaped}"'


def _reader_problem(path: Path, text: str, error: yaml.reader.ReaderError) -> Problem:
    # For str input, PyYAML reports the character as an int and the position as a
    # character offset.
    position = error.position
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    character = error.character
    if isinstance(character, int):
        character = f"U+{character:04X}"
    message = f"invalid character {character} ({error.reason}); remove it"
    return Problem(path, line, column, message)


# ---------------------------------------------------------------------------
# Schema errors as messages


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"boolean {value}"
    if isinstance(value, int | float):
        return f"number {value}"
    if value is None:
        return "an empty value"
    if isinstance(value, datetime.date):
        return f"date {value.isoformat()}"
    if isinstance(value, str):
        preview = value if len(value) <= 40 else value[:37] + "..."
        return f"text '{preview}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _find_model(annotation: Any) -> type[BaseModel] | None:
    """Return the pydantic model inside an annotation such as ``list[X] | None``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in typing.get_args(annotation):
        model = _find_model(argument)
        if model is not None:
            return model
    return None


def _model_at(location: Location) -> type[BaseModel] | None:
    """Return the model that validates the mapping at ``location`` in a bank."""
    annotation: Any = Bank
    for part in location:
        # A list index keeps the list's annotation, and _find_model unwraps it.
        if isinstance(part, str):
            model = _find_model(annotation)
            if model is None or part not in model.model_fields:
                return None
            annotation = model.model_fields[part].annotation
    return _find_model(annotation)


def _format_path(location: Location) -> str:
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text.removeprefix(".")


@dataclass(frozen=True)
class _ErrorContext:
    """One pydantic error with the field name and source text for its message."""

    error: dict[str, Any]
    location: Location
    field: str
    raw: str | None

    @property
    def subject(self) -> str:
        if self.field:
            return f"`{self.field}`"
        if len(self.location) == 2 and self.location[0] == "questions":
            return "the question"
        return "the value"


def _split_question(data: Any, location: Location) -> tuple[str, Location]:
    """Return a prefix naming the question and the location inside it."""
    if len(location) < 2 or location[0] != "questions":
        return "", location
    index = location[1]
    question = _list_item(data.get("questions"), index)
    question_id = question.get("id") if isinstance(question, dict) else None
    if isinstance(question_id, str):
        return f"question '{question_id}': ", location[2:]
    return f"questions[{index}]: ", location[2:]


def _list_item(items: Any, index: Any) -> Any:
    if isinstance(items, list) and isinstance(index, int) and index < len(items):
        return items[index]
    return None


def _schema_message(parsed: ParsedYaml, error: dict[str, Any]) -> str:
    location: Location = tuple(error["loc"])
    if not location and error["type"] == "model_type":
        return (
            "the top level of a bank must be a mapping with keys id, title and "
            f"questions; got {_describe(error['input'])}"
        )
    prefix, inner = _split_question(parsed.data, location)
    context = _ErrorContext(
        error, location, _format_path(inner), parsed.plain_scalars.get(location)
    )
    builder = _MESSAGE_BUILDERS.get(error["type"], _generic_message)
    return prefix + builder(context)


def _missing_message(context: _ErrorContext) -> str:
    key = context.location[-1]
    parent = context.field.rpartition(".")[0] if "." in context.field else ""
    where = f" in `{parent}`" if parent else ""
    return f"missing required key `{key}`{where}"


def _extra_message(context: _ErrorContext) -> str:
    key = str(context.location[-1])
    message = f"unknown key `{key}`"
    model = _model_at(context.location[:-1])
    if model is None:
        return message
    allowed = ", ".join(model.model_fields)
    close = difflib.get_close_matches(key, list(model.model_fields), n=1)
    if close:
        return f"{message}; did you mean `{close[0]}`? Allowed keys: {allowed}"
    return f"{message}; allowed keys: {allowed}"


def _quote_hint(context: _ErrorContext) -> str:
    value = context.raw if context.raw is not None else str(context.error["input"])
    return f'quote the value, e.g. "{value}"'


def _string_type_message(context: _ErrorContext) -> str:
    value = context.error["input"]
    if value is None:
        return f"{context.subject} is empty; write the text after the colon"
    message = f"{context.subject} must be text, got {_describe(value)}"
    if isinstance(value, list | dict):
        return message
    return f"{message}; {_quote_hint(context)}"


def _model_type_message(context: _ErrorContext) -> str:
    value = context.error["input"]
    model = _model_at(context.location)
    required = [] if model is None else _required_keys(model)
    shape = "a mapping"
    if required:
        shape += " with keys " + ", ".join(required)
    if value is None:
        return f"{context.subject} is empty; expected {shape}"
    message = f"{context.subject} must be {shape}, got {_describe(value)}"
    if required == ["en", "ko"] and not isinstance(value, list | dict):
        key = context.location[-1]
        example = context.raw if context.raw is not None else str(value)
        message += f'; write e.g. {key}: {{en: "{example}", ko: "..."}}'
    return message


def _required_keys(model: type[BaseModel]) -> list[str]:
    return [name for name, info in model.model_fields.items() if info.is_required()]


def _list_type_message(context: _ErrorContext) -> str:
    value = context.error["input"]
    message = f"{context.subject} must be a list, got {_describe(value)}"
    if isinstance(value, str):
        message += f"; write a one-item list as [{value}]"
    return message


def _bool_type_message(context: _ErrorContext) -> str:
    value = _describe(context.error["input"])
    return f"{context.subject} must be true or false, got {value}"


def _too_short_message(context: _ErrorContext) -> str:
    details = context.error.get("ctx", {})
    minimum = details.get("min_length", 1)
    actual = details.get("actual_length", 0)
    return f"{context.subject} needs at least {minimum} item(s), got {actual}"


def _custom_message(context: _ErrorContext) -> str:
    # The schema's own errors are worded to follow the field name.
    return f"{context.subject} {context.error['msg']}"


def _generic_message(context: _ErrorContext) -> str:
    return f"{context.subject}: {context.error['msg']}"


_MESSAGE_BUILDERS = {
    "missing": _missing_message,
    "extra_forbidden": _extra_message,
    "string_type": _string_type_message,
    "model_type": _model_type_message,
    "dict_type": _model_type_message,
    "list_type": _list_type_message,
    "bool_type": _bool_type_message,
    "too_short": _too_short_message,
    "empty_text": _custom_message,
    "invalid_id": _custom_message,
    "invalid_url": _custom_message,
    "invalid_demo": _custom_message,
    "no_terms": _custom_message,
    "correct_count": _custom_message,
}


# ---------------------------------------------------------------------------
# Validation


def _finding_problems(path: Path, parsed: ParsedYaml) -> list[Problem]:
    return [
        Problem(path, finding.mark.line, finding.mark.column, finding.message)
        for finding in parsed.findings
    ]


def _schema_problems(
    path: Path, parsed: ParsedYaml, error: ValidationError
) -> list[Problem]:
    problems = []
    for details in error.errors():
        location: Location = tuple(details["loc"])
        # Reference errors come from find_reference_issues with both line numbers,
        # and a dropped value (such as a rejected tag) is already reported.
        if details["type"] in REFERENCE_ERROR_TYPES:
            continue
        # An unknown key is reported even when its value was dropped.
        if parsed.is_dropped(location) and details["type"] != "extra_forbidden":
            continue
        mark = parsed.mark_for(location)
        line = mark.line if mark else None
        problems.append(Problem(path, line, None, _schema_message(parsed, details)))
    return problems


def _reference_problems(path: Path, parsed: ParsedYaml) -> list[Problem]:
    problems = []
    for issue in find_reference_issues(parsed.data):
        mark = parsed.mark_for(issue.location)
        line = mark.line if mark else None
        message = issue.message
        if issue.first_location is not None:
            first = parsed.mark_for(issue.first_location)
            first_line = first.line if first else "?"
            message += f" at line {line} (first at line {first_line})"
        problems.append(Problem(path, line, None, f"{message}; {issue.fix}"))
    return problems


def _sorted_unique(problems: list[Problem]) -> list[Problem]:
    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=lambda problem: problem.line or 0)


def _validate(path: Path, parsed: ParsedYaml) -> Bank:
    problems = _finding_problems(path, parsed)
    bank = None
    try:
        bank = Bank.model_validate(parsed.data)
    except ValidationError as error:
        problems += _schema_problems(path, parsed, error)
    problems += _reference_problems(path, parsed)
    if problems or bank is None:
        raise BankError(_sorted_unique(problems))
    return bank


def _load_tracked(path: Path) -> tuple[Bank, ParsedYaml]:
    text = _decode(path, _read_bytes(path))
    parsed = parse_yaml(path, text)
    if parsed is None or (parsed.data is None and not parsed.findings):
        message = "bank is empty; a bank needs the keys id, title and questions"
        raise BankError([Problem(path, None, None, message)])
    return _validate(path, parsed), parsed


def load_bank(path: Path | str) -> Bank:
    """Load and validate one bank file.

    Raises BankError listing every problem in the file, each as ``file:line``.
    """
    bank, _ = _load_tracked(Path(path))
    return bank


def load_bank_with_marks(path: Path | str) -> tuple[Bank, ParsedYaml]:
    """Load one bank and also return its parsed YAML, whose marks give lines.

    Raises BankError like ``load_bank``.
    """
    return _load_tracked(Path(path))


def load_banks(paths: Iterable[Path | str]) -> list[Bank]:
    """Load several bank files and check that their ids differ.

    Every file is checked even after one fails, and the BankError raised at the end
    lists the problems of all of them. A path given twice is loaded once.
    """
    banks: list[Bank] = []
    problems: list[Problem] = []
    first_paths: dict[str, Path] = {}
    for path in dict.fromkeys(Path(path) for path in paths):
        try:
            bank, parsed = _load_tracked(path)
        except BankError as error:
            problems += error.problems
            continue
        if bank.id in first_paths:
            problems.append(_duplicate_bank_problem(path, parsed, first_paths[bank.id]))
            continue
        first_paths[bank.id] = path
        banks.append(bank)
    if problems:
        raise BankError(problems)
    return banks


def _duplicate_bank_problem(path: Path, parsed: ParsedYaml, first: Path) -> Problem:
    mark = parsed.mark_for(("id",))
    bank_id = parsed.data["id"]
    message = (
        f"bank id '{bank_id}' is also the id of {first}; give each bank its own id"
    )
    return Problem(path, mark.line if mark else None, None, message)


# ---------------------------------------------------------------------------
# Built-in banks


def builtin_bank_dir() -> Path:
    """Return the directory of the banks shipped in the package."""
    directory = resources.files(BUILTIN_BANK_PACKAGE) / "banks"
    # NOTE: this assumes an unzipped install, where the resource is a real
    # directory. setuptools installs the package that way.
    return Path(str(directory))


def builtin_bank_names() -> list[str]:
    """Return the names of the built-in banks: their file names without .yaml."""
    directory = builtin_bank_dir()
    if not directory.is_dir():
        return []
    return sorted(path.stem for path in directory.glob("*.yaml"))


def find_bank(name_or_path: str | Path) -> Path:
    """Return the file of a built-in bank by name (e.g. "dcgan"), or a bank path.

    A value that looks like a bank name is looked up among the built-in banks first.
    Raises BankNotFoundError listing the built-in names when neither matches.
    """
    text = str(name_or_path)
    candidate = Path(name_or_path)
    if ID_PATTERN.fullmatch(text):
        builtin = builtin_bank_dir() / f"{text}.yaml"
        if builtin.is_file():
            return builtin
    if candidate.is_file():
        return candidate
    raise BankNotFoundError([_not_found_problem(candidate, text)])


def _not_found_problem(candidate: Path, text: str) -> Problem:
    names = ", ".join(builtin_bank_names()) or "none"
    if candidate.suffix in BANK_SUFFIXES or len(candidate.parts) > 1:
        message = f"bank file not found; built-in banks: {names}"
    else:
        message = (
            f"no built-in bank named '{text}'; built-in banks: {names}. "
            "Pass one of these names or the path of a .yaml file"
        )
    return Problem(candidate, None, None, message)
