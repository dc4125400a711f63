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

    # A paste arrives faster than anyone types: input that is already waiting
    # this many seconds after an empty line is the rest of a pasted answer.
    PASTE_WINDOW = 0.05

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdin
        self.ended = False

    def read_answer(self, prompt: str) -> str:
        lines: list[str] = []
        while True:
            try:
                line = input(prompt if not lines else "")
            except EOFError:
                self.ended = True
                if not lines:
                    raise EndOfInput from None
                break
            if line.strip() == "" and not self.more_input_waiting():
                break
            lines.append(line)
        return "\n".join(lines).strip("\n")

    def more_input_waiting(self) -> bool:
        if os.name == "nt":  # pragma: no cover - exercised only on Windows
            return False
        import select

        readable, _, _ = select.select([self.stream], [], [], self.PASTE_WINDOW)
        return bool(readable)

    def read_choice(self, prompt: str) -> str:
        sys.stdout.write(prompt)
        sys.stdout.flush()
        try:
            return read_key(self.stream)
        except EndOfInput:
            self.ended = True
            raise
        finally:
            sys.stdout.write("\n")
            sys.stdout.flush()


def read_key(stream: TextIO) -> str:
    """Read one key press without echo; Enter gives "".

    Raises:
        EndOfInput: Ctrl-D, or the stream closed.
    """
    if os.name == "nt":  # pragma: no cover - exercised only on Windows
        import msvcrt

        key = msvcrt.getwch()
    else:
        key = read_posix_key(stream.fileno(), stream.encoding or "utf-8")
    if key in ("\x04", ""):
        raise EndOfInput
    if key == "\x03":
        raise KeyboardInterrupt
    return "" if key in ("\r", "\n") else key


def read_posix_key(descriptor: int, encoding: str) -> str:
    """Read one character in the terminal's encoding (UTF-8, or EUC-KR/cp949
    on older Korean systems), where a Hangul key sends two or three bytes."""
    import codecs
    import termios
    import tty

    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    saved = termios.tcgetattr(descriptor)
    try:
        # TCSANOW keeps what was typed or pasted ahead; the default TCSAFLUSH
        # would throw it away. cbreak keeps Ctrl-C as a signal.
        tty.setcbreak(descriptor, termios.TCSANOW)
        while True:
            byte = os.read(descriptor, 1)
            if not byte:
                return ""
            text = decoder.decode(byte)
            if text:
                return text
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
