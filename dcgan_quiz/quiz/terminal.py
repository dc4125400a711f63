"""Reading answers and one-key choices, from a terminal or from a pipe.

From a terminal, an answer is typed line by line and ends at an empty line;
a rating is one key press, read without waiting for Enter. From a pipe (or any
stream that is not a terminal), an answer ends at an empty line or at the end
of input and the rating is the next line, where an empty line accepts the
suggestion. End of input never loops: once reached, every read returns at once.
"""

from __future__ import annotations

import os
import sys
from typing import Protocol, TextIO

# The Korean 2-set keyboard sends these jamo for the Latin keys a, h, g, e and
# d, so one-key commands work without switching the input language.
KOREAN_LAYOUT_KEYS = {"ㅁ": "a", "ㅗ": "h", "ㅎ": "g", "ㄷ": "e", "ㅇ": "d"}


class EndOfInput(Exception):
    """Input ended (end of a pipe, or Ctrl-D in a terminal) before a read."""


class InputSource(Protocol):
    interactive: bool

    def read_answer(self, prompt: str) -> str:
        """Return the answer's lines joined by newlines.

        Raises:
            EndOfInput: input ended before any line was read.
        """
        ...

    def read_choice(self, prompt: str) -> str:
        """Return one key (terminal) or one stripped line (stream); "" for Enter.

        Raises:
            EndOfInput: input ended before anything was read.
        """
        ...


class StreamInput:
    """Answers from a stream that is not a terminal: a pipe, a file, StringIO."""

    interactive = False

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.ended = False

    def _read_line(self) -> str | None:
        if self.ended:
            return None
        line = self.stream.readline()
        if line == "":
            self.ended = True
            return None
        return line.rstrip("\r\n")

    def read_answer(self, prompt: str) -> str:
        lines: list[str] = []
        while True:
            line = self._read_line()
            if line is None:
                if not lines:
                    raise EndOfInput
                break
            if line.strip() == "":
                break
            lines.append(line)
        return "\n".join(lines)

    def read_choice(self, prompt: str) -> str:
        line = self._read_line()
        if line is None:
            raise EndOfInput
        return line.strip()


class TerminalInput:
    """Answers typed at a terminal; prompts are printed by the caller."""

    interactive = True

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdin

    def read_answer(self, prompt: str) -> str:
        lines: list[str] = []
        while True:
            try:
                line = input(prompt if not lines else "")
            except EOFError:
                if not lines:
                    raise EndOfInput from None
                break
            if line.strip() == "":
                break
            lines.append(line)
        return "\n".join(lines)

    def read_choice(self, prompt: str) -> str:
        sys.stdout.write(prompt)
        sys.stdout.flush()
        key = read_key(self.stream)
        sys.stdout.write("\n")
        return key


def read_key(stream: TextIO) -> str:
    """Read one key press without echo; Enter gives "".

    Raises:
        EndOfInput: Ctrl-D, or the stream closed.
    """
    if os.name == "nt":  # pragma: no cover - exercised only on Windows
        import msvcrt

        key = msvcrt.getwch()
    else:
        key = read_posix_key(stream.fileno())
    if key in ("\x04", ""):
        raise EndOfInput
    if key == "\x03":
        raise KeyboardInterrupt
    return "" if key in ("\r", "\n") else key


def read_posix_key(descriptor: int) -> str:
    import termios
    import tty

    saved = termios.tcgetattr(descriptor)
    try:
        # cbreak keeps Ctrl-C as a signal, so an interrupt still stops the session.
        tty.setcbreak(descriptor)
        data = b""
        while True:
            byte = os.read(descriptor, 1)
            if not byte:
                return ""
            data += byte
            try:
                # A Hangul jamo arrives as three bytes; wait for all of them.
                return data.decode("utf-8")
            except UnicodeDecodeError:
                if len(data) >= 4:
                    return data.decode("utf-8", errors="replace")
    finally:
        termios.tcsetattr(descriptor, termios.TCSADRAIN, saved)


def open_input(stream: TextIO | None = None) -> InputSource:
    """Return a terminal reader when the stream is a terminal, else a stream one."""
    stream = stream or sys.stdin
    try:
        interactive = stream.isatty()
    except (AttributeError, ValueError):
        interactive = False
    return TerminalInput(stream) if interactive else StreamInput(stream)
