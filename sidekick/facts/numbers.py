"""Number words to numbers: how clinicians say counts, values and decimals.

``words_to_digits`` rewrites spelled numbers as digits ("three sets of ten" -> "3 sets of 10",
"a hundred and ten" -> "110", "two and a half" -> "2.5", "a dozen" -> "12", "point six two" ->
"0.62", "one thirty-two" -> "132", the way clinicians read goniometry). The dose grammar that
reads those digits lives in ``sidekick.facts.doses``.
"""

from __future__ import annotations

import re

_UNITS = {
    "zero": 0, "oh": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1000, "dozen": 12}  # "a dozen" = 12
_NUMBER_WORD = set(_UNITS) | set(_TENS) | set(_SCALES) | {"a", "an", "and", "half", "point"}
_TOKEN = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*|\d+(?:\.\d+)?|[^\sA-Za-z\d]+|\s+")


def _word_value(word: str) -> int | None:
    w = word.lower()
    if w in _UNITS:
        return _UNITS[w]
    if w in _TENS:
        return _TENS[w]
    if "-" in w:
        head, _, tail = w.partition("-")
        if head in _TENS and tail in _UNITS and 0 < _UNITS[tail] < 10:
            return _TENS[head] + _UNITS[tail]
    return None


def _is_number_word(word: str) -> bool:
    return _word_value(word) is not None or word.lower() in _SCALES


def words_to_number(text: str) -> float | None:
    """The value of a spelled number ("a hundred and ten" -> 110), or None.

    Accepts digits too ("15", "2.5"). "one thirty-two" reads as 132 (goniometry style).
    """
    words = [w for w in re.split(r"[\s,]+", text.strip().lower()) if w]
    if not words:
        return None
    if len(words) == 1 and re.fullmatch(r"\d+(?:\.\d+)?", words[0]):
        return float(words[0])
    value = _parse_words(words)
    return None if value is None else float(value)


def _parse_words(words: list[str]) -> float | None:
    """Parse a full run of number words; None when it is not one number."""
    if "point" in words:
        i = words.index("point")
        whole = _parse_words(words[:i]) if i else 0
        digits = [_word_value(w) for w in words[i + 1:]]
        if whole is None or not digits or any(d is None or d > 9 for d in digits):
            return None
        return whole + float("0." + "".join(str(d) for d in digits))
    if words[-3:] == ["and", "a", "half"]:
        whole = _parse_words(words[:-3])
        return None if whole is None else whole + 0.5
    if len(words) == 2 and words[0] == "one" and _word_value(words[1]) is not None:
        tail = _word_value(words[1])
        if tail is not None and 10 <= tail <= 99:  # "one thirty-two" = 132
            return 100 + tail
    total, current, seen = 0, 0, False
    for i, w in enumerate(words):
        if w in ("a", "an"):
            if i + 1 < len(words) and words[i + 1] in _SCALES:
                current = max(current, 1)
                continue
            return None
        if w == "and":
            if not seen or i + 1 >= len(words):
                return None
            continue
        if w in _SCALES:
            current = max(current, 1) * _SCALES[w]
            if w == "thousand":
                total, current = total + current, 0
            seen = True
            continue
        v = _word_value(w)
        if v is None:
            return None
        if current % 100 and not (current % 100 >= 20 and current % 10 == 0 and v < 10):
            return None  # "two three" is a count, not one number
        current += v
        seen = True
    return total + current if seen else None


#: "half a kilo", "the half pound weight": a load of 0.5 (not "a pound and a half", read below).
_HALF_UNIT = re.compile(
    r"(?<!and )(?<!and a )\bhalf(?:\s+an?)?\s+(kilos?|kilograms?|kg|pounds?|lbs?)\b", re.I
)


def words_to_digits(text: str) -> str:
    """Rewrite spelled numbers as digits, leaving everything else as it was.

    Counting ("one, two, three") stays three numbers: runs are split at punctuation.
    """
    text = _HALF_UNIT.sub(r"0.5 \1", text)  # "the half kilo dumbbell"
    tokens: list[str] = []
    for tok in _TOKEN.findall(text):
        if "-" in tok and tok[0].isalpha() and _word_value(tok) is None:
            parts = tok.split("-")
            if any(_is_number_word(p) for p in parts):
                for k, part in enumerate(parts):
                    tokens.extend(["-", part] if k else [part])
                continue
        tokens.append(tok)
    out: list[str] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if not tok[0].isalpha() or not (_is_number_word(tok) or tok.lower() in ("a", "an")
                                        or _leading_point(tokens, i)):
            out.append(tok)
            i += 1
            continue
        best_end, best_value = None, None
        j, words = i, []
        while j < len(tokens):
            t = tokens[j]
            if t.isspace():
                j += 1
                continue
            if not t[0].isalpha() or t.lower() not in _NUMBER_WORD and not _is_number_word(t):
                break
            words.append(t.lower())
            value = _parse_words(words)
            if value is not None:
                best_end, best_value = j + 1, value
            j += 1
        if best_end is None or best_value is None:
            out.append(tok)
            i += 1
            continue
        out.append(_format(best_value))
        i = best_end
    return "".join(out)


def _leading_point(tokens: list[str], i: int) -> bool:
    """ "point six two" (a decimal said without its leading zero) starts a number."""
    if tokens[i].lower() != "point":
        return False
    before = [t for t in tokens[max(0, i - 2):i] if not t.isspace()]
    if before and before[-1].lower() in ("this", "that", "the", "a", "some", "which", "what"):
        return False  # "at this point two of them"
    after = [t for t in tokens[i + 1:i + 3] if not t.isspace()]
    return bool(after) and after[0].lower() in _UNITS


def _format(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
