"""End-to-end sessions in a real pseudo-terminal, driven by pexpect.

The program sees a TTY here, so answers are typed line by line and the rating
is a single key press, exactly as a user at a terminal experiences it.
"""

import os
import sqlite3
import sys

import pexpect
import pytest

TIMEOUT = 30


def spawn_session(home, *arguments):
    env = {
        **os.environ,
        "DCGAN_QUIZ_HOME": str(home),
        "COLUMNS": "100",
        "TERM": "xterm",
    }
    env.pop("NO_COLOR", None)
    return pexpect.spawn(
        sys.executable,
        ["-m", "dcgan_quiz", "start", "--order", "bank", *arguments],
        env=env,
        encoding="utf-8",
        timeout=TIMEOUT,
        dimensions=(40, 100),
    )


def stored(home):
    connection = sqlite3.connect(home / "progress.sqlite3")
    query = "SELECT question_id, language, rating, answer FROM attempts ORDER BY id"
    return connection.execute(query).fetchall()


def answer(child, *lines):
    for line in lines:
        child.sendline(line)
    child.sendline("")


def test_korean_then_english_answer_in_a_terminal(data_home):
    child = spawn_session(data_home, "--limit", "2", "--lang", "ko")

    child.expect("질문 1/2")
    child.expect("빈 줄을 입력하면 끝납니다")
    answer(
        child,
        "Adam은 모멘텀과 RMSprop을 합친 것이고,",
        "학습률은 2e-4, 베타1은 0.5로 낮췄습니다.",
    )
    child.expect(r"핵심 포인트 \d+개 중 [1-9]\d*개를 말했습니다")
    child.expect("모범 답안")
    child.expect("dcgan-quiz demo adam")
    child.expect("평가:")
    child.send("3")  # one key, no Enter
    child.expect("좋음\\(으\\)로 저장했습니다")

    child.expect("질문 2/2")
    answer(
        child, "ReLU passes zero gradient for negative inputs, so D uses LeakyReLU 0.2"
    )
    child.expect(r"핵심 포인트 \d+개 중 [1-9]\d*개를 말했습니다")
    child.expect("평가:")
    child.send("\r")  # Enter accepts the suggestion
    child.expect("저장했습니다")
    child.expect("세션 종료: 답변 2개를")
    child.expect(pexpect.EOF)
    child.close()

    assert child.exitstatus == 0
    rows = stored(data_home)
    assert [row[0] for row in rows] == ["why-adam", "relu-vs-leaky-relu"]
    assert rows[0][2] == 3
    assert rows[0][3].startswith("Adam은 모멘텀과")
    assert "LeakyReLU 0.2" in rows[1][3]


def test_ctrl_c_keeps_first_answer(data_home):
    child = spawn_session(data_home, "--lang", "en")
    child.expect("Question 1/")
    answer(child, "lr 2e-4 and beta1 0.5")
    child.expect("Rate it")
    child.send("2")
    child.expect("Saved as 2 Hard")
    child.expect("Question 2/")
    child.expect("Finish with an empty line")
    child.sendintr()
    child.expect("Stopped. 1 answer\\(s\\) saved")
    child.expect(pexpect.EOF)
    child.close()

    assert child.exitstatus == 130
    assert "Traceback" not in child.before
    assert [row[:3] for row in stored(data_home)] == [("why-adam", "en", 2)]


@pytest.mark.parametrize("key", ["ㅎ", "g"])
def test_letter_rating_keys_work_in_either_keyboard_layout(data_home, key):
    child = spawn_session(data_home, "--limit", "1", "--lang", "en")
    answer(child, "2e-4")
    child.expect("Rate it")
    child.send(key)
    child.expect("Saved as 3 Good")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_pasted_paragraphs_stay_one_answer(data_home):
    child = spawn_session(data_home, "--limit", "1", "--lang", "en")
    child.expect("Finish with an empty line")
    # A paste arrives in one write: two paragraphs, the closing empty line and a
    # rating typed ahead.
    child.send("Adam keeps moment estimates.\r\rThe paper used lr 2e-4.\r\r3")
    child.expect("Saved as 3 Good")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    answer = stored(data_home)[0][3]
    assert answer == "Adam keeps moment estimates.\n\nThe paper used lr 2e-4."
