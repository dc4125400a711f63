import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime

import pytest

from dcgan_quiz.quiz.store import (
    FILE_NAME,
    SCHEMA_VERSION,
    Attempt,
    ProgressStore,
    StoreError,
)

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def attempt(question_id="why-adam", rating=3, answer="lr 2e-4"):
    return Attempt(
        answered_at=NOW,
        bank="dcgan",
        question_id=question_id,
        language="en",
        mode="write",
        answer=answer,
        coverage=0.5,
        covered_points=("learning-rate",),
        rating=rating,
        seconds=12.5,
    )


def test_record_then_reopen_keeps_attempt_and_card(tmp_path):
    with ProgressStore.open(tmp_path) as store:
        store.record(attempt(), {"state": 1}, NOW)
    with ProgressStore.open(tmp_path) as store:
        saved = list(store.attempts("dcgan"))
        cards = store.cards("dcgan")
    assert saved == [attempt()]
    assert cards["why-adam"].card == {"state": 1}
    assert cards["why-adam"].due == NOW


def test_schema_version_is_written(tmp_path):
    ProgressStore.open(tmp_path).close()
    connection = sqlite3.connect(tmp_path / FILE_NAME)
    assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_corrupt_store_is_moved_aside_with_message(tmp_path):
    path = tmp_path / FILE_NAME
    garbage = b"this is not a database" * 100
    path.write_bytes(garbage)

    store = ProgressStore.open(tmp_path)
    store.close()

    backups = list(tmp_path.glob(FILE_NAME + ".damaged-*"))
    assert len(backups) == 1
    assert backups[0].read_bytes() == garbage
    assert len(store.notices) == 1
    assert str(backups[0]) in store.notices[0]
    assert str(path) in store.notices[0]


def test_store_with_damaged_pages_is_moved_aside(tmp_path):
    with ProgressStore.open(tmp_path) as store:
        for index in range(200):
            store.record(attempt(answer="x" * 500 + str(index)), {}, NOW)
    path = tmp_path / FILE_NAME
    data = bytearray(path.read_bytes())
    data[4096 : 4096 * 3] = b"\xff" * (4096 * 2)  # overwrite two pages
    path.write_bytes(bytes(data))

    store = ProgressStore.open(tmp_path)
    store.close()
    assert store.notices
    assert list(tmp_path.glob(FILE_NAME + ".damaged-*"))


def test_newer_schema_is_left_unchanged(tmp_path):
    path = tmp_path / FILE_NAME
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.close()
    before = path.read_bytes()

    with pytest.raises(StoreError, match="upgrade dcgan-quiz"):
        ProgressStore.open(tmp_path)
    assert path.read_bytes() == before


WRITER = textwrap.dedent(
    """
    import sys
    from datetime import UTC, datetime
    from pathlib import Path
    from dcgan_quiz.quiz.store import Attempt, ProgressStore

    store = ProgressStore.open(Path(sys.argv[1]))
    now = datetime.now(UTC)
    index = 0
    while True:
        store.record(
            Attempt(now, "dcgan", f"q{index}", "en", "write", "a" * 2000, 0.5,
                    ("p",), 3, 1.0),
            {"index": index},
            now,
        )
        index += 1
        if index == 20:
            print("ready", flush=True)
    """
)


def test_killed_during_saves_keeps_committed_answers(tmp_path):
    process = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(tmp_path)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout.readline().strip() == "ready"
    time.sleep(0.2)
    process.send_signal(signal.SIGKILL)
    process.wait()

    with ProgressStore.open(tmp_path) as store:
        assert store.notices == []
        count = store.count_attempts("dcgan")
        cards = store.cards("dcgan")
    assert count >= 20
    # Attempt and card are written in one transaction, so they always agree.
    assert len(cards) == count


def test_read_only_store_can_be_read(tmp_path):
    with ProgressStore.open(tmp_path) as store:
        store.record(attempt(), {}, NOW)
    original_connect = sqlite3.connect

    def read_only_connect(database, *args, **kwargs):
        return original_connect(f"file:{database}?mode=ro", *args, uri=True, **kwargs)

    import dcgan_quiz.quiz.store as store_module

    store_module.sqlite3.connect = read_only_connect
    try:
        with ProgressStore.open(tmp_path) as store:
            assert store.count_attempts("dcgan") == 1
            with pytest.raises(StoreError, match="the answers before it are saved"):
                store.record(attempt(), {}, NOW)
    finally:
        store_module.sqlite3.connect = original_connect


def test_read_only_empty_store_is_kept_and_reported(tmp_path):
    path = tmp_path / FILE_NAME
    sqlite3.connect(path).execute("CREATE TABLE other (x)").connection.close()
    before = path.read_bytes()
    # Root bypasses file modes, so make SQLite open the file read-only instead.
    original_connect = sqlite3.connect

    def read_only_connect(database, *args, **kwargs):
        uri = f"file:{database}?mode=ro"
        return original_connect(uri, *args, uri=True, **kwargs)

    import dcgan_quiz.quiz.store as store_module

    store_module.sqlite3.connect = read_only_connect
    try:
        with pytest.raises(StoreError, match="cannot use the progress store"):
            ProgressStore.open(tmp_path)
    finally:
        store_module.sqlite3.connect = original_connect
    assert path.read_bytes() == before
    assert not list(tmp_path.glob(FILE_NAME + ".damaged-*"))


def test_locked_store_is_kept_and_reported(tmp_path):
    ProgressStore.open(tmp_path).close()
    holder = sqlite3.connect(tmp_path / FILE_NAME)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError, match="close other dcgan-quiz sessions"):
            ProgressStore.open(tmp_path, timeout=0.1)
    finally:
        holder.rollback()
        holder.close()
    assert not list(tmp_path.glob(FILE_NAME + ".damaged-*"))


def test_store_path_that_is_a_folder_is_an_error(tmp_path):
    (tmp_path / FILE_NAME).mkdir()
    with pytest.raises(StoreError, match="cannot"):
        ProgressStore.open(tmp_path)


def test_invalid_card_row_names_the_question(tmp_path):
    with ProgressStore.open(tmp_path) as store:
        store.record(attempt(), {}, NOW)
        store.connection.execute("UPDATE cards SET card = '{bad'")
        store.connection.commit()
        with pytest.raises(StoreError, match="'why-adam'"):
            store.cards("dcgan")
