import pytest

from dcgan_quiz.quiz.messages import MESSAGES, default_language, message


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"LANG": "ko_KR.UTF-8"}, "ko"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "C"}, "en"),
        ({"LC_ALL": "ko_KR.eucKR", "LANG": "en_US.UTF-8"}, "ko"),
        ({"LC_MESSAGES": "en_GB.UTF-8", "LANG": "ko_KR.UTF-8"}, "en"),
        ({"LANGUAGE": "ko:en", "LANG": "en_US.UTF-8"}, "ko"),
    ],
)
def test_default_language_from_locale(monkeypatch, environment, expected):
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    for variable, value in environment.items():
        monkeypatch.setenv(variable, value)
    assert default_language() == expected


def test_every_message_has_both_languages():
    for key, texts in MESSAGES.items():
        assert set(texts) == {"en", "ko"}, key


def test_message_fills_values():
    assert message("coverage", "ko", covered=2, total=5) == (
        "핵심 포인트 5개 중 2개를 말했습니다."
    )
