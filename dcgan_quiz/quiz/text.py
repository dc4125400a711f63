"""Text normalisation and number extraction shared by grading and storage.

Both the user's answer and the bank's terms pass through ``normalize`` so that
NFD input (macOS writes Hangul decomposed), full-width characters, case and
runs of whitespace never change a grade.
"""

from __future__ import annotations

import math
import re
import unicodedata

HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
WHITESPACE = re.compile(r"\s+")

TYPOGRAPHIC = str.maketrans({"\u2212": "-", "\u2018": "'", "\u2019": "'"})
SUPERSCRIPT_RUN = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺]+")
SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")

# A number not glued to a preceding Latin letter or digit ("beta1" contains no
# number),
# optionally in scientific notation: 2e-4, 2.0e-4, 2 x 10^-4, 10^-3 (normalised
# text, so already lower case and with superscripts written as ^).
NUMBER = re.compile(
    r"""
    (?<![a-z0-9_.])
    (?P<sign>-)?
    (?:
        10\s*(?:\^|\*\*)\s*\(?(?P<bare_power>[-+]?\d+)\)?
      | (?P<mantissa>\d+(?:\.\d+)?|\.\d+)
        (?:
            e(?P<exponent>[-+]?\d+)
          | \s*(?:x|×|\*|·)\s*10\s*(?:\^|\*\*)\s*\(?(?P<power>[-+]?\d+)\)?
        )?
    )
    (?![0-9])
    """,
    re.VERBOSE,
)
PLAIN_NUMBER = re.compile(r"^[-+]?(?:\d+(?:\.\d+)?|\.\d+)(?:e[-+]?\d+)?$")


def normalize(text: str) -> str:
    """Return text in NFKC form, case-folded, with whitespace runs as one space.

    NFKC composes Hangul jamo typed in NFD form and maps full-width digits and
    letters to ASCII, so "２e-4" and "2e-4" compare equal.
    """
    # Write exponents as ^-4 first, because NFKC would turn 10⁻⁴ into 10-4.
    text = SUPERSCRIPT_RUN.sub(lambda run: "^" + run[0].translate(SUPERSCRIPTS), text)
    text = unicodedata.normalize("NFKC", text).casefold()
    # Characters NFKC leaves alone: the minus sign and curly quotes, which
    # word processors and phone keyboards put in "doesn’t".
    text = text.translate(TYPOGRAPHIC)
    return WHITESPACE.sub(" ", text).strip()


# C0 and C1 control characters except tab and newline: escape sequences in
# piped text would otherwise reach the terminal when an answer is echoed.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_input(text: str) -> str:
    """Return typed or piped text that is safe to grade, store and print.

    Python decodes invalid UTF-8 on standard input to lone surrogates, which
    SQLite cannot store, so they become U+FFFD; control characters are dropped
    and the result is NFC.
    """
    if any("\ud800" <= character <= "\udfff" for character in text):
        text = "".join(
            "\ufffd" if "\ud800" <= character <= "\udfff" else character
            for character in text
        )
    return to_nfc(CONTROL_CHARACTERS.sub("", text))


def to_nfc(text: str) -> str:
    """Return the NFC form used for everything the program stores."""
    return unicodedata.normalize("NFC", text)


def contains_hangul(text: str) -> bool:
    return HANGUL.search(text) is not None


def parse_number(term: str) -> float | None:
    """Return the value of a term that is only a number, else None."""
    term = normalize(term)
    if PLAIN_NUMBER.match(term):
        return float(term)
    match = NUMBER.fullmatch(term)
    return number_value(match) if match else None


def number_value(match: re.Match[str]) -> float:
    if match.group("bare_power") is not None:
        value = 10.0 ** int(match.group("bare_power"))
    else:
        value = float(match.group("mantissa"))
    if match.group("exponent") is not None:
        value *= 10.0 ** int(match.group("exponent"))
    elif match.group("power") is not None:
        value *= 10.0 ** int(match.group("power"))
    return -value if match.group("sign") else value


def extract_numbers(text: str) -> list[float]:
    """Return every number written in already normalised text, in order.

    A whole number right after a Hangul syllable is part of a name ("베타1"),
    but a decimal there is a value ("학습률0.0002").
    """
    numbers = []
    for match in NUMBER.finditer(text):
        before = text[match.start() - 1] if match.start() > 0 else ""
        if HANGUL.match(before) and is_whole_number(match):
            continue
        numbers.append(number_value(match))
    return numbers


def is_whole_number(match: re.Match[str]) -> bool:
    mantissa = match.group("mantissa")
    return (
        mantissa is not None
        and "." not in mantissa
        and match.group("exponent") is None
        and match.group("power") is None
    )


def same_number(first: float, second: float) -> bool:
    return math.isclose(first, second, rel_tol=1e-9, abs_tol=1e-12)
