"""Tests for dcgan_quiz.questions.loader: YAML traps, line numbers and messages."""

from __future__ import annotations

import codecs
import os
import subprocess
import sys
from pathlib import Path

import pytest

import dcgan_quiz
from dcgan_quiz.questions import loader
from dcgan_quiz.questions.loader import (
    BankError,
    BankNotFoundError,
    Problem,
    builtin_bank_dir,
    builtin_bank_names,
    find_bank,
    load_bank,
    load_banks,
)

from .bank_samples import (
    ANSWER_EN,
    ANSWER_EN_LINE,
    FOLLOW_UPS_LINE,
    SECOND_QUESTION_LINE,
    VALID_BANK,
    bank_with,
    load_problems,
)

REPO_ROOT = Path(dcgan_quiz.__file__).resolve().parent.parent


def only_problem(path: Path) -> Problem:
    problems = load_problems(path)
    assert len(problems) == 1, [str(problem) for problem in problems]
    return problems[0]


# ---------------------------------------------------------------------------
# A valid bank


def test_valid_bank_loads(write_bank):
    bank = load_bank(write_bank(VALID_BANK))
    assert bank.id == "sample"
    assert bank.question_ids == ["generator", "discriminator"]
    assert bank.questions[0].answer.en == "G maps z to x."
    assert bank.questions[0].answer.ko == "생성자는 z를 x로 보냅니다."


def test_load_bank_accepts_str_path(write_bank):
    bank = load_bank(str(write_bank(VALID_BANK)))
    assert bank.id == "sample"


def test_problem_str_with_and_without_column():
    assert str(Problem(Path("b.yaml"), 3, None, "bad")) == "b.yaml:3: bad"
    assert str(Problem(Path("b.yaml"), 3, 7, "bad")) == "b.yaml:3:7: bad"
    assert str(Problem(Path("b.yaml"), None, None, "bad")) == "b.yaml: bad"


def test_bank_error_str_lists_all_problems():
    problems = [
        Problem(Path("a.yaml"), 1, None, "first"),
        Problem(Path("a.yaml"), 2, None, "second"),
    ]
    error = BankError(problems)
    assert str(error) == "a.yaml:1: first\na.yaml:2: second"
    assert error.problems == problems


# ---------------------------------------------------------------------------
# YAML 1.1 booleans and numbers in text fields


@pytest.mark.parametrize(
    ("word", "value"),
    [("no", False), ("yes", True), ("on", True), ("off", False), ("NO", False)],
)
def test_boolean_in_text_rejected(write_bank, word, value):
    path = write_bank(bank_with(ANSWER_EN, f"      en: {word}"))
    problem = only_problem(path)
    assert problem.line == ANSWER_EN_LINE
    assert f"`answer.en` must be text, got boolean {value}" in problem.message
    assert f'quote the value, e.g. "{word}"' in problem.message
    assert str(problem).startswith(f"{path}:{ANSWER_EN_LINE}: question 'generator'")


def test_quoted_boolean_word_is_text(write_bank):
    bank = load_bank(write_bank(bank_with(ANSWER_EN, '      en: "no"')))
    assert bank.questions[0].answer.en == "no"


@pytest.mark.parametrize(
    ("written", "shown"),
    [("3.10", "number 3.1"), ("2.0e-4", "number 0.0002"), ("42", "number 42")],
)
def test_number_in_text_rejected(write_bank, written, shown):
    path = write_bank(bank_with(ANSWER_EN, f"      en: {written}"))
    problem = only_problem(path)
    assert problem.line == ANSWER_EN_LINE
    assert f"must be text, got {shown}" in problem.message
    # The hint repeats the value as written, so "3.10" does not become "3.1".
    assert f'quote the value, e.g. "{written}"' in problem.message


def test_exponent_without_dot_is_text(write_bank):
    # PyYAML's YAML 1.1 float pattern needs a dot, so `2e-4` is a string.
    bank = load_bank(write_bank(bank_with(ANSWER_EN, "      en: 2e-4")))
    assert bank.questions[0].answer.en == "2e-4"


def test_number_in_terms_rejected(write_bank):
    path = write_bank(bank_with("[maps noise]", "[maps noise, 0.0002]"))
    problem = only_problem(path)
    assert problem.line == 13
    assert "`key_points[0].terms.en[1]` must be text, got number 0.0002" in (
        problem.message
    )


def test_scalar_where_text_expected(write_bank):
    traps = """\
id: traps
questions:
  - id: norway
    prompt: Is the Norwegian language code a boolean?
    answer: no
  - id: python-version
    prompt: Which Python version?
    answer: 3.10
"""
    problems = load_problems(write_bank(traps))
    by_line = {problem.line: problem.message for problem in problems}
    assert "got boolean False" in by_line[5]
    assert 'answer: {en: "no", ko: "..."}' in by_line[5]
    assert "got number 3.1" in by_line[8]
    assert 'answer: {en: "3.10", ko: "..."}' in by_line[8]


def test_key_read_as_boolean_rejected(write_bank):
    problem = load_problems(write_bank("yes: 1\n" + VALID_BANK))[0]
    assert problem.line == 1
    assert 'key yes is read as boolean True; quote it, e.g. "yes"' in problem.message


# ---------------------------------------------------------------------------
# Duplicates and references


def test_duplicate_key_names_both_lines(write_bank):
    text = bank_with("    topic: generator\n", "    topic: generator\n    topic: g\n")
    problem = only_problem(write_bank(text))
    assert problem.line == 6
    assert problem.message == (
        "duplicate key 'topic' at line 6 (first at line 5); keep only one of them"
    )


def test_duplicate_key_at_top_level(write_bank):
    problem = only_problem(write_bank(VALID_BANK + "id: other\n"))
    assert problem.message.startswith("duplicate key 'id' at line 23 (first at line 1)")


def test_duplicate_question_id_names_both_lines(write_bank):
    text = bank_with("  - id: discriminator", "  - id: generator")
    text = text.replace("follow_ups: [discriminator]", "follow_ups: []")
    problem = only_problem(write_bank(text))
    assert problem.line == SECOND_QUESTION_LINE
    assert problem.message == (
        f"duplicate question id 'generator' at line {SECOND_QUESTION_LINE} "
        "(first at line 4); give each question its own id"
    )


def test_duplicate_key_point_id_names_both_lines(write_bank):
    extra_point = """\
      - id: maps
        text: {en: again, ko: 다시}
        terms: {en: [again], ko: []}
    follow_ups: [discriminator]"""
    text = bank_with("    follow_ups: [discriminator]", extra_point)
    problem = only_problem(write_bank(text))
    assert problem.line == 14
    assert "duplicate key point id 'maps' in this question at line 14" in (
        problem.message
    )
    assert "(first at line 11)" in problem.message


def test_follow_up_to_missing_id(write_bank):
    text = bank_with("follow_ups: [discriminator]", "follow_ups: [critic]")
    problem = only_problem(write_bank(text))
    assert problem.line == FOLLOW_UPS_LINE
    assert "follow-up 'critic' is not a question id in this bank" in problem.message


def test_reference_problems_reported_with_type_errors(write_bank):
    text = bank_with(ANSWER_EN, "      en: no")
    text = text.replace("follow_ups: [discriminator]", "follow_ups: [critic]")
    messages = [problem.message for problem in load_problems(write_bank(text))]
    assert len(messages) == 2
    assert "got boolean False" in messages[0]
    assert "follow-up 'critic'" in messages[1]


def test_two_correct_choice_options(write_bank):
    choice = """\
    choice:
      options:
        - {text: {en: G, ko: 생성자}, correct: true, why: {en: right, ko: 맞음}}
        - {text: {en: D, ko: 판별자}, correct: true, why: {en: wrong, ko: 틀림}}
"""
    problem = only_problem(write_bank(VALID_BANK + choice))
    assert problem.line == 24
    assert problem.message == (
        "question 'discriminator': `choice.options` must contain exactly one option "
        "with `correct: true`; found 2"
    )


# ---------------------------------------------------------------------------
# Shape of the bank


@pytest.mark.parametrize("text", ["", "\n\n", "# only\n# comments\n", "---\n", "~\n"])
def test_empty_bank(write_bank, text):
    problem = only_problem(write_bank(text))
    assert problem.message.startswith("bank is empty")


def test_top_level_list_rejected(write_bank):
    problem = only_problem(write_bank("- id: sample\n- id: other\n"))
    assert problem.line == 1
    assert problem.message.startswith(
        "the top level of a bank must be a mapping with keys id, title and questions"
    )
    assert problem.message.endswith("got a list")


def test_top_level_scalar_rejected(write_bank):
    problem = only_problem(write_bank("just some text\n"))
    assert problem.message.endswith("got text 'just some text'")


def test_unknown_key_lists_allowed_keys(write_bank):
    text = bank_with("    topic: generator\n", "    topic: generator\n    hint: x\n")
    problem = only_problem(write_bank(text))
    assert problem.line == 6
    assert "unknown key `hint`; allowed keys: id, topic, tags, prompt" in (
        problem.message
    )


def test_unknown_key_suggests_close_match(write_bank):
    text = bank_with("    topic: generator\n", "    topic: generator\n    choices: x\n")
    problem = only_problem(write_bank(text))
    assert "unknown key `choices`; did you mean `choice`?" in problem.message


def test_missing_key_points_at_question(write_bank):
    text = bank_with("    topic: discriminator\n", "")
    problem = only_problem(write_bank(text))
    assert problem.line == SECOND_QUESTION_LINE
    assert problem.message == ("question 'discriminator': missing required key `topic`")


def test_missing_key_in_text_points_at_key(write_bank):
    text = bank_with("      ko: 생성자는 z를 x로 보냅니다.\n", "")
    problem = only_problem(write_bank(text))
    assert problem.line == 7
    assert problem.message == (
        "question 'generator': missing required key `ko` in `answer`"
    )


def test_empty_text_value(write_bank):
    problem = only_problem(write_bank(bank_with(ANSWER_EN, "      en:")))
    assert problem.line == ANSWER_EN_LINE
    assert "`answer.en` is empty" in problem.message


def test_invalid_question_id(write_bank):
    text = bank_with("  - id: discriminator", "  - id: The Discriminator")
    text = text.replace("follow_ups: [discriminator]", "follow_ups: []")
    problem = only_problem(write_bank(text))
    assert problem.line == SECOND_QUESTION_LINE
    assert "must contain only lowercase letters, digits and '-'" in problem.message


def test_problems_sorted_by_line(write_bank):
    text = bank_with(ANSWER_EN, "      en: no").replace(
        "  - id: discriminator", "  - id: generator"
    )
    lines = [problem.line for problem in load_problems(write_bank(text))]
    assert lines == sorted(lines)


def test_question_not_a_mapping(write_bank):
    text = VALID_BANK + "  - just a string\n"
    problem = only_problem(write_bank(text))
    assert problem.line == 23
    assert problem.message == (
        "questions[2]: the question must be a mapping with keys id, topic, prompt, "
        "answer, key_points, got text 'just a string'"
    )


def test_invalid_date_key_rejected(write_bank):
    problems = load_problems(write_bank(VALID_BANK + "2024-13-45: x\n"))
    assert len(problems) == 1
    assert problems[0].line == 23
    assert problems[0].message.startswith("invalid key '2024-13-45'")


# ---------------------------------------------------------------------------
# YAML syntax errors


def test_colon_space_in_value(write_bank):
    text = bank_with(ANSWER_EN, "      en: Answer: G maps z to x")
    path = write_bank(text)
    problem = only_problem(path)
    assert str(problem) == (
        f"{path}:8:17: invalid YAML: mapping values are not allowed here; a value "
        'that contains ": " must be quoted, e.g. en: "Answer: G maps z to x"'
    )


def test_tab_indentation(write_bank):
    path = write_bank(bank_with("    topic: generator", "\ttopic: generator"))
    problem = only_problem(path)
    assert problem.line == 5
    assert problem.column == 1
    assert problem.message.endswith("indent with spaces, not tabs")


def test_unclosed_quote_names_opening_line(write_bank):
    path = write_bank(bank_with(ANSWER_EN, '      en: "G maps z to x.'))
    problem = only_problem(path)
    assert problem.message.startswith("invalid YAML:")
    assert "close the quote that opens at line 8" in problem.message


def test_second_document_rejected(write_bank):
    problem = only_problem(write_bank(VALID_BANK + "---\nid: other\n"))
    assert problem.line == 23
    assert "remove the extra '---' line" in problem.message


def test_control_character_rejected(write_bank):
    problem = only_problem(write_bank(bank_with("G maps z", "G\x07 maps z")))
    assert problem.line == ANSWER_EN_LINE
    assert problem.column == 12
    assert "invalid character U+0007" in problem.message


# ---------------------------------------------------------------------------
# Block scalars


def test_literal_and_folded_same_after_whitespace_folding(write_bank):
    literal = bank_with(ANSWER_EN, "      en: |\n        G maps z\n        to x.\n")
    folded = bank_with(ANSWER_EN, "      en: >\n        G maps z\n        to x.\n")
    literal_text = load_bank(write_bank(literal, "a.yaml")).questions[0].answer.en
    folded_text = load_bank(write_bank(folded, "b.yaml")).questions[0].answer.en
    assert literal_text == "G maps z\nto x."
    assert folded_text == "G maps z to x."
    assert " ".join(literal_text.split()) == " ".join(folded_text.split())


@pytest.mark.parametrize("indicator", ["|", ">", "|+", ">+"])
def test_block_scalar_trailing_newlines_stripped(write_bank, indicator):
    block = f"      en: {indicator}\n        G maps z to x.\n\n\n"
    bank = load_bank(write_bank(bank_with(ANSWER_EN, block)))
    assert bank.questions[0].answer.en == "G maps z to x."


# ---------------------------------------------------------------------------
# Encoding


def test_bom_tolerated(write_bank):
    bank = load_bank(write_bank(codecs.BOM_UTF8 + VALID_BANK.encode("utf-8")))
    assert bank.id == "sample"
    assert bank.title.ko == "예제 문제집"


def test_bom_korean_bank_with_ascii_locale(write_bank):
    path = write_bank(codecs.BOM_UTF8 + VALID_BANK.encode("utf-8"))
    script = (
        "import locale, sys\n"
        "from dcgan_quiz.questions.loader import load_bank\n"
        "print(locale.getpreferredencoding(False))\n"
        "print(ascii(load_bank(sys.argv[1]).title.ko))\n"
    )
    # With the C locale and UTF-8 mode off, Python's default text encoding is
    # ASCII, so a loader that used it would fail on the Korean text.
    env = {
        **os.environ,
        "LC_ALL": "C",
        "LANG": "C",
        "PYTHONUTF8": "0",
        "PYTHONCOERCECLOCALE": "0",
        "PYTHONIOENCODING": "ascii",
        "PYTHONPATH": str(REPO_ROOT),
    }
    result = subprocess.run(
        [sys.executable, "-c", script, str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    encoding, title = result.stdout.splitlines()
    assert "utf" not in encoding.lower()
    assert title == ascii("예제 문제집")


def test_invalid_utf8_names_byte_offset(write_bank):
    data = codecs.BOM_UTF8 + b"id: sample\ntitle: \xff\n"
    problem = only_problem(write_bank(data))
    assert problem.line == 2
    assert problem.column == 8
    assert problem.message == "invalid UTF-8 at byte 21 (0xff); save the file as UTF-8"


def test_cp949_file_rejected_as_invalid_utf8(write_bank):
    data = "id: sample\ntitle: {en: a, ko: 생성자}\n".encode("cp949")
    problem = only_problem(write_bank(data))
    assert problem.line == 2
    assert problem.message.startswith("invalid UTF-8 at byte")


def test_utf16_file_rejected(write_bank):
    problem = only_problem(write_bank(VALID_BANK.encode("utf-16")))
    assert problem.message == "the file is UTF-16; save it as UTF-8"


# ---------------------------------------------------------------------------
# Tags and aliases


def test_unsafe_tag_document_runs_nothing(write_bank, tmp_path):
    marker = tmp_path / "owned"
    path = write_bank(f"!!python/object/apply:os.system ['touch {marker}']\n")
    problem = only_problem(path)
    assert not marker.exists()
    assert problem.line == 1
    assert "unsupported tag '!!python/object/apply:os.system'" in problem.message


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system",
        "!!python/object/new:os.system",
        "!!python/name:os.system",
        "!custom",
        "!!set",
    ],
)
def test_unsafe_tag_in_text_field(write_bank, tmp_path, tag):
    marker = tmp_path / "owned"
    text = bank_with(ANSWER_EN, f"      en: {tag} ['touch {marker}']")
    problem = only_problem(write_bank(text))
    assert not marker.exists()
    assert problem.line == ANSWER_EN_LINE
    assert f"unsupported tag '{tag}'" in problem.message


def test_binary_tag_rejected(write_bank):
    problem = only_problem(write_bank(bank_with(ANSWER_EN, "      en: !!binary aGk=")))
    assert "unsupported tag '!!binary'" in problem.message


def test_explicit_str_tag_allowed(write_bank):
    bank = load_bank(write_bank(bank_with(ANSWER_EN, "      en: !!str no")))
    assert bank.questions[0].answer.en == "no"


def test_alias_reuses_value(write_bank):
    text = bank_with(ANSWER_EN, "      en: &shared G maps z to x.")
    text = text.replace("D tells real from fake.", "*shared")
    bank = load_bank(write_bank(text))
    assert bank.questions[1].answer.en == "G maps z to x."


def test_merge_key_rejected(write_bank):
    text = bank_with("    topic: generator\n", "    <<: {topic: generator}\n")
    by_line = {
        problem.line: problem.message for problem in load_problems(write_bank(text))
    }
    assert "merge keys ('<<') are not supported" in by_line[5]


def test_recursive_alias_rejected(write_bank):
    problems = load_problems(write_bank("id: &a [*a]\n"))
    assert problems[0].message == "recursive alias; remove the alias"


def test_alias_expansion_limited(write_bank):
    lines = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for name, previous in zip("bcdef", "abcde", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 10) + "]")
    problem = only_problem(write_bank("\n".join(lines) + "\n"))
    assert "expands to more than" in problem.message


def test_only_safe_loader_in_package():
    package_dir = REPO_ROOT / "dcgan_quiz" / "questions"
    forbidden = ["yaml.load(", "unsafe_load", "full_load", "FullLoader", "UnsafeLoader"]
    for source in package_dir.glob("*.py"):
        text = source.read_text(encoding="utf-8")
        for word in forbidden:
            assert word not in text, f"{source.name} uses {word}"
    assert issubclass(loader.BankYamlLoader, loader.yaml.SafeLoader)


# ---------------------------------------------------------------------------
# Reading files


def test_missing_file(tmp_path):
    problem = only_problem(tmp_path / "absent.yaml")
    assert problem.message == "file not found; check the path"


def test_directory_instead_of_file(tmp_path):
    problem = only_problem(tmp_path)
    assert problem.message.startswith("is a directory")


def test_load_banks_reports_every_file(write_bank):
    broken = write_bank(bank_with(ANSWER_EN, "      en: no"), "broken.yaml")
    empty = write_bank("", "empty.yaml")
    good = write_bank(VALID_BANK, "good.yaml")
    with pytest.raises(BankError) as raised:
        load_banks([broken, empty, good])
    paths = [problem.path for problem in raised.value.problems]
    assert paths == [broken, empty]


def test_load_banks_duplicate_bank_id(write_bank):
    first = write_bank(VALID_BANK, "first.yaml")
    second = write_bank(VALID_BANK, "second.yaml")
    with pytest.raises(BankError) as raised:
        load_banks([first, second])
    (problem,) = raised.value.problems
    assert problem.path == second
    assert problem.line == 1
    assert problem.message == (
        f"bank id 'sample' is also the id of {first}; give each bank its own id"
    )


def test_load_banks_same_path_twice(write_bank):
    path = write_bank(VALID_BANK)
    assert [bank.id for bank in load_banks([path, path])] == ["sample"]


# ---------------------------------------------------------------------------
# Built-in banks


def test_builtin_bank_dir_is_package_data():
    expected = REPO_ROOT / "dcgan_quiz" / "questions" / "banks"
    assert builtin_bank_dir().resolve() == expected.resolve()


def test_find_bank_by_name(monkeypatch, write_bank, tmp_path):
    write_bank(VALID_BANK, "sample.yaml")
    monkeypatch.setattr(loader, "builtin_bank_dir", lambda: tmp_path)
    assert find_bank("sample") == tmp_path / "sample.yaml"


def test_find_bank_by_path(write_bank):
    path = write_bank(VALID_BANK, "mine.yaml")
    assert find_bank(path) == path
    assert find_bank(str(path)) == path


def test_find_bank_unknown_name_lists_names(monkeypatch, write_bank, tmp_path):
    write_bank(VALID_BANK, "sample.yaml")
    write_bank(VALID_BANK, "other.yaml")
    monkeypatch.setattr(loader, "builtin_bank_dir", lambda: tmp_path)
    with pytest.raises(BankNotFoundError) as raised:
        find_bank("critic")
    assert "no built-in bank named 'critic'; built-in banks: other, sample." in str(
        raised.value
    )


def test_find_bank_missing_path(tmp_path):
    with pytest.raises(BankNotFoundError) as raised:
        find_bank(tmp_path / "absent.yaml")
    assert "bank file not found" in str(raised.value)


def test_builtin_dcgan_bank_loads():
    path = builtin_bank_dir() / "dcgan.yaml"
    bank = load_bank(path)
    assert bank.id == "dcgan"
    assert find_bank("dcgan") == path


def test_builtin_bank_ids_match_file_names():
    # find_bank looks banks up by file name, and --bank takes the bank id.
    for name in builtin_bank_names():
        assert load_bank(builtin_bank_dir() / f"{name}.yaml").id == name


def test_questions_imports_no_torch_or_matplotlib():
    script = (
        "import sys\n"
        "import dcgan_quiz.questions.loader, dcgan_quiz.questions.validate\n"
        "print(sorted(m for m in ('torch', 'matplotlib') if m in sys.modules))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_fast_and_pure_python_parsers_agree_on_builtin_bank():
    from dcgan_quiz.questions.loader import (
        BankYamlLoader,
        FastBankYamlLoader,
        builtin_bank_dir,
    )

    if FastBankYamlLoader is None:
        pytest.skip("PyYAML was built without libyaml")
    text = (builtin_bank_dir() / "dcgan.yaml").read_text(encoding="utf-8")
    fast = FastBankYamlLoader(text).build_document()
    careful = BankYamlLoader(text).build_document()
    assert fast.data == careful.data
    assert fast.marks == careful.marks
    assert fast.plain_scalars == careful.plain_scalars
