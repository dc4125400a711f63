"""The progress store: one SQLite file in the data directory.

It holds one row per attempt and the FSRS scheduler state per question. Each
answer is written in its own transaction, committed before the next question,
so Ctrl-C or a killed process never loses an answer already given. A file that
SQLite cannot read is moved aside, never deleted, and the user is told where.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

SCHEMA_VERSION = 1
FILE_NAME = "progress.sqlite3"

SCHEMA = """
CREATE TABLE IF NOT EXISTS attempts (
    id INTEGER PRIMARY KEY,
    answered_at TEXT NOT NULL,      -- ISO 8601, UTC
    bank TEXT NOT NULL,
    question_id TEXT NOT NULL,
    language TEXT NOT NULL,
    mode TEXT NOT NULL,
    answer TEXT NOT NULL,           -- NFC
    coverage REAL,                  -- fraction of key points made; NULL in flash mode
    covered_points TEXT NOT NULL,   -- JSON list of key point ids
    rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
    seconds REAL NOT NULL,
    rebuttal TEXT                   -- interview mode: reply to a quoted mistake
);
CREATE INDEX IF NOT EXISTS attempts_by_question ON attempts (bank, question_id);
CREATE TABLE IF NOT EXISTS cards (
    bank TEXT NOT NULL,
    question_id TEXT NOT NULL,
    card TEXT NOT NULL,             -- fsrs.Card.to_dict() as JSON
    due TEXT NOT NULL,              -- ISO 8601, UTC, copied from the card
    PRIMARY KEY (bank, question_id)
);
"""


class StoreError(Exception):
    """The progress store cannot be used; the message gives the reason and the fix."""


@dataclass(frozen=True)
class Attempt:
    answered_at: datetime
    bank: str
    question_id: str
    language: str
    mode: str
    answer: str
    coverage: float | None
    covered_points: tuple[str, ...]
    rating: int
    seconds: float
    rebuttal: str | None = None


@dataclass(frozen=True)
class CardRow:
    question_id: str
    card: dict
    due: datetime


def utc_now() -> datetime:
    return datetime.now(UTC)


class ProgressStore:
    """Attempts and scheduler state, backed by SQLite.

    Open it with ``ProgressStore.open(data_dir)``; messages about a store that
    had to be moved aside are in ``notices``.
    """

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self.connection = connection
        self.path = path
        self.notices: list[str] = []

    @classmethod
    def open(cls, data_dir: Path, *, timeout: float = 10.0) -> ProgressStore:
        """Open or create the store in data_dir.

        ``timeout`` is how many seconds to wait for another session's write lock.

        Raises:
            StoreError: the store is locked, read-only or in a folder that cannot
                be written, or it was written by a newer version of the program.
                The file is left as it is in each case.
        """
        path = Path(data_dir) / FILE_NAME
        notices = []
        try:
            connection = connect_checked(path, timeout)
        except sqlite3.OperationalError as error:
            # Locked, read-only or unreachable: the data may be fine, so keep it.
            raise StoreError(
                f"cannot use the progress store {path}: {error}; close other "
                "dcgan-quiz sessions, check the file's permissions, or choose "
                "another folder with --data-dir"
            ) from error
        except sqlite3.DatabaseError as error:
            moved_to = move_aside(path)
            notices.append(
                f"The progress store {path} is damaged ({error}); it was moved to "
                f"{moved_to} and a new one was started. Nothing was deleted."
            )
            connection = connect_checked(path, timeout)
        store = cls(connection, path)
        store.notices = notices
        return store

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> ProgressStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def record(self, attempt: Attempt, card: dict, due: datetime) -> None:
        """Save an attempt and the question's new scheduler state atomically.

        Raises:
            StoreError: SQLite could not write; earlier attempts stay saved.
        """
        try:
            self._insert(attempt, card, due)
        except sqlite3.Error as error:
            raise StoreError(
                f"could not save the answer to {self.path}: {error}; the answers "
                "before it are saved. Check the folder's free space and permissions."
            ) from error

    def _insert(self, attempt: Attempt, card: dict, due: datetime) -> None:
        with self.connection:
            self.connection.execute(
                "INSERT INTO attempts (answered_at, bank, question_id, language, mode,"
                " answer, coverage, covered_points, rating, seconds, rebuttal)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    attempt.answered_at.isoformat(),
                    attempt.bank,
                    attempt.question_id,
                    attempt.language,
                    attempt.mode,
                    attempt.answer,
                    attempt.coverage,
                    json.dumps(list(attempt.covered_points)),
                    attempt.rating,
                    attempt.seconds,
                    attempt.rebuttal,
                ),
            )
            self.connection.execute(
                "INSERT INTO cards (bank, question_id, card, due) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (bank, question_id)"
                " DO UPDATE SET card = excluded.card, due = excluded.due",
                (attempt.bank, attempt.question_id, json.dumps(card), due.isoformat()),
            )

    def cards(self, bank: str) -> dict[str, CardRow]:
        """Return the scheduler state of every question of the bank seen so far."""
        rows = self.connection.execute(
            "SELECT question_id, card, due FROM cards WHERE bank = ?", (bank,)
        )
        cards = {}
        for question_id, card, due in rows:
            try:
                cards[question_id] = CardRow(
                    question_id, json.loads(card), parse_time(due)
                )
            except (ValueError, TypeError) as error:
                raise StoreError(
                    f"the progress store {self.path} has an invalid scheduler row for "
                    f"question {question_id!r} ({error}); delete that row from the "
                    "cards table, or move the file away to start afresh"
                ) from error
        return cards

    def attempts(self, bank: str | None = None) -> Iterator[Attempt]:
        """Yield attempts, oldest first, of one bank or of all banks."""
        query = (
            "SELECT answered_at, bank, question_id, language, mode, answer, coverage,"
            " covered_points, rating, seconds, rebuttal FROM attempts"
        )
        parameters: tuple = ()
        if bank is not None:
            query += " WHERE bank = ?"
            parameters = (bank,)
        for row in self.connection.execute(query + " ORDER BY id", parameters):
            yield Attempt(
                answered_at=parse_time(row[0]),
                bank=row[1],
                question_id=row[2],
                language=row[3],
                mode=row[4],
                answer=row[5],
                coverage=row[6],
                covered_points=tuple(json.loads(row[7])),
                rating=row[8],
                seconds=row[9],
                rebuttal=row[10],
            )

    def count_attempts(self, bank: str | None = None) -> int:
        if bank is None:
            query, parameters = "SELECT COUNT(*) FROM attempts", ()
        else:
            query, parameters = "SELECT COUNT(*) FROM attempts WHERE bank = ?", (bank,)
        return self.connection.execute(query, parameters).fetchone()[0]


def parse_time(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def connect_checked(path: Path, timeout: float) -> sqlite3.Connection:
    """Connect, verify the file is a readable database, and create the schema.

    Raises:
        sqlite3.DatabaseError: the file is not a database or is damaged.
        StoreError: the schema version is newer than this program supports.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(path, timeout=timeout)
    except (OSError, sqlite3.OperationalError) as error:
        raise StoreError(
            f"cannot open the progress store {path}: {error}; "
            "choose a writable folder with --data-dir or DCGAN_QUIZ_HOME"
        ) from error

    try:
        # FULL makes each commit durable before the next question is shown.
        connection.execute("PRAGMA synchronous = FULL")
        check = connection.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise sqlite3.DatabaseError(f"integrity check failed: {check}")
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"the progress store {path} has schema version {version}, but this "
                f"dcgan-quiz knows only {SCHEMA_VERSION}; upgrade dcgan-quiz, or "
                "point --data-dir at another folder. The file was left unchanged."
            )
        if version < SCHEMA_VERSION:
            # Write only when needed, so a read-only store still serves `list`.
            with connection:
                connection.executescript(SCHEMA)
                connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except BaseException:
        connection.close()
        raise
    return connection


def move_aside(path: Path) -> Path:
    """Rename a damaged store (and its journal files) to a unique backup name.

    Raises:
        StoreError: the folder does not allow the rename.
    """
    stamp = utc_now().strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    counter = 1
    while target.exists():
        target = path.with_name(f"{path.name}.damaged-{stamp}-{counter}")
        counter += 1
    try:
        path.replace(target)
        for suffix in ("-journal", "-wal", "-shm"):
            companion = path.with_name(path.name + suffix)
            if companion.exists():
                companion.replace(target.with_name(target.name + suffix))
    except OSError as error:
        raise StoreError(
            f"the progress store {path} is damaged and could not be moved aside "
            f"({error}); move it away yourself or choose another folder with "
            "--data-dir"
        ) from error
    return target
