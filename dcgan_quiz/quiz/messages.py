"""User-facing strings of the quiz session in English and Korean."""

from __future__ import annotations

import locale
import os

LANGUAGES = ("en", "ko")

MESSAGES: dict[str, dict[str, str]] = {
    "question_header": {
        "en": "Question {index}/{total} · {topic} · {id}",
        "ko": "질문 {index}/{total} · {topic} · {id}",
    },
    "write_hint": {
        "en": "Answer in English or Korean. Finish with an empty line.",
        "ko": "한국어나 영어로 답하세요. 빈 줄을 입력하면 끝납니다.",
    },
    "flash_hint": {
        "en": "Say your answer out loud, then press Enter to see the model answer.",
        "ko": "소리 내어 답해 본 뒤 Enter를 누르면 모범 답안이 나옵니다.",
    },
    "choice_hint": {
        "en": "Type the number of your choice.",
        "ko": "고른 보기의 번호를 입력하세요.",
    },
    "choice_invalid": {
        "en": "{value!r} is not one of the choices; type a number from 1 to {count}.",
        "ko": "{value!r}은(는) 보기에 없습니다. 1부터 {count}까지의 번호를 입력하세요.",
    },
    "key_points": {"en": "Key points", "ko": "핵심 포인트"},
    "covered": {"en": "covered", "ko": "말함"},
    "missed": {"en": "missed", "ko": "빠짐"},
    "coverage": {
        "en": "You made {covered} of {total} key points.",
        "ko": "핵심 포인트 {total}개 중 {covered}개를 말했습니다.",
    },
    "empty_answer": {
        "en": "Empty answer: nothing to grade, so it counts as Again.",
        "ko": "빈 답변이라 채점할 내용이 없어 '다시'로 기록합니다.",
    },
    "challenge": {
        "en": "The interviewer pushes back. What is wrong with this claim?",
        "ko": "면접관이 반박합니다. 이 주장에서 무엇이 틀렸나요?",
    },
    "repeated_prompt": {
        "en": "That repeats the question: nothing to grade, so it counts as Again.",
        "ko": "질문을 그대로 옮긴 답이라 채점할 내용이 없어 '다시'로 기록합니다.",
    },
    "model_answer": {"en": "Model answer", "ko": "모범 답안"},
    "misconceptions": {"en": "Common mistakes", "ko": "흔한 오해"},
    "claim": {"en": "Claim", "ko": "주장"},
    "correction": {"en": "Correction", "ko": "바로잡기"},
    "follow_ups": {"en": "Follow-up questions", "ko": "꼬리 질문"},
    "demo": {
        "en": "See it measured on a real DCGAN: {command}",
        "ko": "실제 DCGAN으로 측정해 보기: {command}",
    },
    "your_choice_right": {"en": "Correct.", "ko": "정답입니다."},
    "your_choice_wrong": {
        "en": "Not quite: the right choice is {number}.",
        "ko": "아쉽습니다. 정답은 {number}번입니다.",
    },
    "rating_prompt": {
        "en": "Rate it: 1 Again · 2 Hard · 3 Good · 4 Easy. "
        "Enter accepts {suggested}{demo_key}.",
        "ko": "평가: 1 다시 · 2 어려움 · 3 좋음 · 4 쉬움. "
        "Enter는 제안({suggested}){demo_key}.",
    },
    "rating_demo_key": {"en": ", d runs the demo", "ko": ", d는 데모 실행"},
    "rating_invalid": {
        "en": "{value!r} is not a rating; press 1, 2, 3 or 4, or Enter.",
        "ko": "{value!r}은(는) 평가가 아닙니다. 1, 2, 3, 4 또는 Enter를 누르세요.",
    },
    "rating_suggestion_taken": {
        "en": "Saved with the suggested rating instead.",
        "ko": "대신 제안된 평가로 저장합니다.",
    },
    "saved": {
        "en": "Saved as {rating}. Next review: {due}.",
        "ko": "{rating}(으)로 저장했습니다. 다음 복습: {due}.",
    },
    "nothing_due": {
        "en": "Nothing is due. The next question is due {due}. "
        "Use --cram to practise anyway.",
        "ko": "지금 복습할 질문이 없습니다. 다음 복습은 {due}입니다. "
        "그래도 연습하려면 --cram을 쓰세요.",
    },
    "no_questions": {
        "en": "No question matches: {filters}.",
        "ko": "조건에 맞는 질문이 없습니다: {filters}.",
    },
    "session_done": {
        "en": "Session finished: {count} answer(s) saved in {path}.",
        "ko": "세션 종료: 답변 {count}개를 {path}에 저장했습니다.",
    },
    "session_interrupted": {
        "en": "Stopped. {count} answer(s) saved in {path}.",
        "ko": "중단했습니다. 답변 {count}개를 {path}에 저장했습니다.",
    },
    "session_end_of_input": {
        "en": "End of input. {count} answer(s) saved in {path}.",
        "ko": "입력이 끝났습니다. 답변 {count}개를 {path}에 저장했습니다.",
    },
    "retry_header": {
        "en": "Again: the questions rated 1 this session.",
        "ko": "다시: 이번 세션에서 1로 평가한 질문입니다.",
    },
    "follow_up_header": {
        "en": "Follow-up on the points you missed.",
        "ko": "빠진 포인트에 대한 꼬리 질문입니다.",
    },
    "no_choices": {
        "en": "This question has no choices; answering it in write mode.",
        "ko": "이 질문에는 보기가 없어 서술형으로 묻습니다.",
    },
}

RATING_NAMES = {
    "en": {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"},
    "ko": {1: "다시", 2: "어려움", 3: "좋음", 4: "쉬움"},
}


def message(key: str, language: str, **values: object) -> str:
    """Return a UI message in the language, with values filled in."""
    return MESSAGES[key][language].format(**values)


def rating_name(rating: int, language: str) -> str:
    return f"{rating} {RATING_NAMES[language][rating]}"


def default_language() -> str:
    """Return "ko" when the user's locale is Korean, else "en".

    The variables are read in gettext's order of precedence (LANGUAGE, a
    colon-separated list, then LC_ALL, LC_MESSAGES and LANG), because Python's
    locale module reports only what was set with setlocale.
    """
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "").split(":")[0]
        if value:
            return "ko" if value.lower().startswith("ko") else "en"
    try:
        name = locale.getlocale()[0] or ""
    except ValueError:
        name = ""
    return "ko" if name.lower().startswith("ko") else "en"
