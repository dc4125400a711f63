"""The demo catalog, registry and result type."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from dcgan_quiz.demos import catalog
from dcgan_quiz.demos.registry import (
    DEMOS,
    UnknownDemoError,
    demos_for_question,
    get_demo,
)
from dcgan_quiz.demos.result import DemoResult, Measurement, format_value

REPOSITORY = Path(__file__).resolve().parents[2]
BANK = REPOSITORY / "dcgan_quiz" / "questions" / "banks" / "dcgan.yaml"
EXPECTED_QUESTIONS = {
    "why-adam": {"adam"},
    "relu-vs-leaky-relu": {"leaky-relu"},
    "relu-leaky-relu-deeper": {"leaky-relu"},
    "conv-vs-transposed-conv": {"transposed-conv"},
    "tanh-and-sigmoid": {"tanh-range", "sigmoid-output"},
    "zero-centred-output": {"zero-mean"},
    "why-bce-loss": {"bce-loss"},
}


def test_registry_matches_catalog() -> None:
    assert list(DEMOS) == list(catalog.NAMES)
    assert len(set(catalog.NAMES)) == len(catalog.NAMES)


@pytest.mark.parametrize("question_id", sorted(EXPECTED_QUESTIONS))
def test_questions_backed(question_id: str) -> None:
    names = {demo.name for demo in demos_for_question(question_id)}

    assert names == EXPECTED_QUESTIONS[question_id]


def test_bank_demo_references_resolve() -> None:
    bank = yaml.safe_load(BANK.read_text(encoding="utf-8-sig"))
    for question in bank["questions"]:
        referenced = question.get("demo") or []
        if isinstance(referenced, str):
            referenced = [referenced]
        for name in referenced:
            assert name in DEMOS, f"{question['id']} links unknown demo {name}"
            assert question["id"] in DEMOS[name].questions, (question["id"], name)


def test_catalog_claims_in_both_languages() -> None:
    for info in catalog.CATALOG:
        assert info.claim("en") == info.claim_en
        assert info.claim("ko") == info.claim_ko
        assert any("\uac00" <= character <= "\ud7a3" for character in info.claim_ko)


def test_listing_imports_no_torch() -> None:
    script = (
        "import sys\n"
        "import dcgan_quiz.demos.registry, dcgan_quiz.demos.view\n"
        "print('torch' in sys.modules, 'matplotlib' in sys.modules)\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        check=True,
    )

    assert completed.stdout.split() == ["False", "False"]


def test_unknown_demo_names_choices() -> None:
    with pytest.raises(UnknownDemoError) as caught:
        get_demo("dropout")

    message = str(caught.value)
    assert "dropout" in message
    for name in catalog.NAMES:
        assert name in message


def make_result(*passed: bool | None) -> DemoResult:
    measurements = [
        Measurement(f"m{index}", 0.5, "> 0", value)
        for index, value in enumerate(passed)
    ]
    return DemoResult(
        demo="adam",
        claim="claim",
        measurements=measurements,
        threshold="threshold",
        verdict="verdict",
        seconds=1.234,
        png=Path("/tmp/adam.png"),
    )


def test_result_holds_only_if_all_deciding_pass() -> None:
    assert make_result(True, None, True).holds
    assert not make_result(True, False).holds
    assert not make_result(None).holds  # nothing decided, nothing held
    assert make_result(True, False).failed[0].name == "m1"


def test_result_json_fields() -> None:
    data = json.loads(json.dumps(make_result(True, None).to_json()))

    for key in ("demo", "claim", "holds", "measured", "seconds", "png", "threshold"):
        assert key in data
    assert data["measured"] == {"m0": 0.5, "m1": 0.5}
    assert data["seconds"] == 1.23
    assert data["png"] == "/tmp/adam.png"


def test_format_value() -> None:
    assert format_value(0.000123456) == "0.0001235"
    assert format_value(0.0) == "0"
    assert format_value(7) == "7"
    assert format_value("1:2:2:4") == "1:2:2:4"
