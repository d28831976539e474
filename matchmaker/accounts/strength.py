"""Password strength: length, a list of common passwords, then zxcvbn's estimate.

zxcvbn (Dropbox's estimator, maintained on PyPI as `zxcvbn`) scores a password 0–4 from the
guesses an attacker would need, knowing dictionaries of common passwords, names, words,
keyboard patterns, dates and the user's own details (e-mail, name, organisation). A password
must score at least `MIN_SCORE` (3: about 10^8 guesses or more). Its English feedback is
mapped to Chinese here; an unknown message falls back to a general one.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from zxcvbn import zxcvbn

from .passwords import MAX_LENGTH, MIN_LENGTH

MIN_SCORE = 3
COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")
WARNINGS = {
    "Straight rows of keys are easy to guess.": _l("键盘上连续的一排按键很容易被猜到。"),
    "Short keyboard patterns are easy to guess.": _l("简短的键盘图案很容易被猜到。"),
    'Repeats like "aaa" are easy to guess.': _l("“aaa”这样的重复字符很容易被猜到。"),
    'Repeats like "abcabcabc" are only slightly harder to guess than "abc".': _l(
        "“abcabcabc”这样的重复内容很容易被猜到。"
    ),
    'Sequences like "abc" or "6543" are easy to guess.': _l(
        "“abc”“6543”这样的顺序字符很容易被猜到。"
    ),
    "Recent years are easy to guess.": _l("近些年的年份很容易被猜到。"),
    "Dates are often easy to guess.": _l("日期往往很容易被猜到。"),
    "This is a top-10 common password.": _l("这是最常见的十个密码之一。"),
    "This is a top-100 common password.": _l("这是最常见的一百个密码之一。"),
    "This is a very common password.": _l("这是非常常见的密码。"),
    "This is similar to a commonly used password.": _l("这与常见密码非常相似。"),
    "A word by itself is easy to guess.": _l("单个英文单词很容易被猜到。"),
    "Names and surnames by themselves are easy to guess.": _l("单独的姓名很容易被猜到。"),
    "Common names and surnames are easy to guess.": _l("常见的姓名很容易被猜到。"),
}


def password_error(password: str | None, user_inputs: Iterable[str] = ()) -> str | None:
    """Why `password` is refused (a Chinese sentence), or None when it is acceptable."""
    password = password or ""
    if len(password) < MIN_LENGTH:
        return _("密码至少需要 %(n)d 个字符。", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _("密码不能超过 %(n)d 个字符。", n=MAX_LENGTH)
    if password.lower() in common_passwords():
        return _("这是常见密码，很容易被猜到，请换一个。")
    inputs = [part for value in user_inputs for part in _parts(value)]
    result = zxcvbn(password, user_inputs=inputs)
    if result["score"] >= MIN_SCORE:
        return None
    return _(
        "密码太容易被猜到：%(why)s请使用更长的、不常见的词组合，例如三四个不相关的词加数字。",
        why=_why(result, inputs),
    )


@cache
def common_passwords() -> frozenset[str]:
    """zxcvbn's dictionaries are English: the common Chinese choices it scores too high."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip()[:1] not in ("", "#"))


def _why(result: dict, inputs: list[str]) -> str:
    if any(match.get("dictionary_name") == "user_inputs" for match in result["sequence"]):
        return _("包含了您的邮箱、姓名或机构名称。")
    warning = result["feedback"].get("warning") or ""
    reason = WARNINGS.get(warning)
    return str(reason) if reason else _("它的组合方式很常见。")


def _parts(value: str | None) -> list[str]:
    """A user detail and its pieces (the e-mail's local part and domain words)."""
    value = (value or "").strip().lower()
    if not value:
        return []
    pieces = [value]
    if "@" in value:
        local, _sep, domain = value.partition("@")
        pieces += [local, *domain.split(".")[:1]]
    return [piece for piece in pieces if len(piece) >= 3]
